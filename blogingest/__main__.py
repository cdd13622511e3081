"""``python -m blogingest`` is the same as the ``blogingest`` console script."""

from blogingest.cli import main

raise SystemExit(main())
