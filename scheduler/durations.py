"""Human durations in config files: ``30s``, ``15m``, ``6h``, ``1d``, ``1h30m``."""

from __future__ import annotations

import re
from datetime import timedelta

_PART = re.compile(r"(\d+(?:\.\d+)?)([smhd])")
_WHOLE = re.compile(r"^(?:\d+(?:\.\d+)?[smhd])+$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

DURATION_HINT = "a duration like 30s, 15m, 6h, 1d"


def parse_duration(text: str) -> timedelta:
    """Return the length ``text`` names; units s, m, h, d, parts may be combined (``1h30m``).

    Spaces are ignored. Raises ``ValueError`` (message quotes ``text``) for anything else,
    including bare numbers, whose unit would be a guess.
    """
    compact = text.replace(" ", "").lower()
    if not _WHOLE.match(compact):
        raise ValueError(f"{text!r} is not {DURATION_HINT}")
    seconds = sum(float(n) * _UNIT_SECONDS[unit] for n, unit in _PART.findall(compact))
    try:
        return timedelta(seconds=seconds)
    except OverflowError:
        raise ValueError(f"{text!r} is too long to be a duration") from None
