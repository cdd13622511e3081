"""Project-wide pytest configuration."""

from hypothesis import settings

# Hypothesis's per-example deadline (200 ms) is a wall-clock limit: on a loaded 2-core machine it
# fails correct code. Speed is measured in benchmarks/, never asserted by a test.
settings.register_profile("blogingest", deadline=None)
settings.load_profile("blogingest")
