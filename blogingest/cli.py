"""The ``blogingest`` command line: a thin dispatcher over :mod:`blogingest.commands`."""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

from blogingest import commands
from blogingest.errors import EXIT_USAGE, CommandError


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument as one line and exit code 2, as ours do."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


def _command_modules() -> list[ModuleType]:
    found = pkgutil.iter_modules(commands.__path__, prefix=f"{commands.__name__}.")
    modules = [importlib.import_module(info.name) for info in found if not info.ispkg]
    return sorted((m for m in modules if hasattr(m, "NAME")), key=lambda m: str(m.NAME))


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with one subparser per command module."""
    parser = _Parser(prog="blogingest", description="Harvest Blogger blogs into a database.")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _command_modules():
        command_parser = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.configure(command_parser)
        command_parser.set_defaults(_run=module.run)
    return parser


def _configure_logging(verbosity: int) -> None:
    level = logging.WARNING - 10 * min(verbosity, 2)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code; user-facing errors never show a traceback."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose)
    try:
        return int(args._run(args))
    except CommandError as error:
        print(f"blogingest {args.command}: {error.message}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(f"blogingest {args.command}: interrupted", file=sys.stderr)
        return 130
