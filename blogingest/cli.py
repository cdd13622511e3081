"""The ``blogingest`` command line: a thin dispatcher over :mod:`blogingest.commands`.

Idioms a user of other command lines expects: ``--version``; bare ``blogingest`` prints the
help (exit 2, as for any missing argument); ``-v``/``-q`` before or after the subcommand
(their counts add up); a mistyped command gets "did you mean"; an interrupt (SIGINT) exits 130.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import logging
import os
import pkgutil
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from types import ModuleType

from blogingest import commands
from blogingest.errors import EXIT_INTERRUPTED, EXIT_USAGE, CommandError

# Alembic announces each of its plugins at INFO on every command that touches the schema:
# noise for an operator, so it is held back even with -v (-vv, debug, shows it).
_QUIET_LOGGERS = ("alembic.runtime.plugins",)


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument as one line and exit code 2, as ours do."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


def _command_modules() -> list[ModuleType]:
    found = pkgutil.iter_modules(commands.__path__, prefix=f"{commands.__name__}.")
    modules = [importlib.import_module(info.name) for info in found if not info.ispkg]
    return sorted((m for m in modules if hasattr(m, "NAME")), key=lambda m: str(m.NAME))


def package_version() -> str:
    """Return the installed version (``unknown`` when run from an uninstalled tree)."""
    try:
        return version("blogingest")
    except PackageNotFoundError:
        return "unknown"


def _add_verbosity(parser: argparse.ArgumentParser, prefix: str) -> None:
    # The subcommand's copies get their own names: argparse would otherwise let the
    # subcommand's default 0 overwrite a -v given before it.
    parser.add_argument(
        "-v",
        "--verbose",
        dest=f"{prefix}verbose",
        action="count",
        default=0,
        help="more log output (-vv for debug)",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        dest=f"{prefix}quiet",
        action="count",
        default=0,
        help="less output: errors and results only, no progress lines",
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with one subparser per command module."""
    parser = _Parser(prog="blogingest", description="Harvest Blogger blogs into a database.")
    parser.add_argument("--version", action="version", version=f"blogingest {package_version()}")
    _add_verbosity(parser, "")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        command_parser = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.configure(command_parser)
        _add_nested_verbosity(command_parser, depth=1)
        command_parser.set_defaults(_run=module.run)
    return parser


def _add_nested_verbosity(parser: argparse.ArgumentParser, depth: int) -> None:
    """Give ``-v``/``-q`` to a command and to its own actions (``db upgrade -v``)."""
    _add_verbosity(parser, f"level{depth}_")
    for action in parser._actions:  # argparse keeps subparsers only here
        if isinstance(action, argparse._SubParsersAction):
            for nested in set(action.choices.values()):
                _add_nested_verbosity(nested, depth + 1)


def _total(args: argparse.Namespace, name: str) -> int:
    """Sum of ``name`` (``verbose``/``quiet``) over every level of the command line."""
    return sum(
        int(value)
        for key, value in vars(args).items()
        if key == name or (key.startswith("level") and key.endswith(f"_{name}"))
    )


def _command_names(parser: argparse.ArgumentParser) -> list[str]:
    for action in parser._actions:  # argparse keeps subparsers only here
        if isinstance(action, argparse._SubParsersAction):
            return sorted(action.choices)
    return []


def _unknown_command(parser: argparse.ArgumentParser, argv: Sequence[str]) -> str | None:
    """Return the first positional word when it names no command (options skipped)."""
    names = _command_names(parser)
    for word in argv:
        if word == "--":
            return None
        if word.startswith("-"):
            continue
        return None if word in names else word
    return None


def suggest_command(parser: argparse.ArgumentParser, word: str) -> str:
    """One line for a mistyped command: the close matches, else the list of commands."""
    names = _command_names(parser)
    close = difflib.get_close_matches(word, names, n=3, cutoff=0.6)
    if close:
        return f"unknown command {word!r}; did you mean {' or '.join(map(repr, close))}?"
    return f"unknown command {word!r}; commands: {', '.join(names)}"


def _configure_logging(verbosity: int) -> None:
    level = min(max(logging.WARNING - 10 * verbosity, logging.DEBUG), logging.ERROR)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING) if verbosity < 2 else level)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code; user-facing errors never show a traceback."""
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    unknown = _unknown_command(parser, words)
    if unknown is not None:
        print(f"blogingest: {suggest_command(parser, unknown)}", file=sys.stderr)
        return EXIT_USAGE
    args = parser.parse_args(words)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    # The commands read the totals: -v/-q before and after the subcommand add up.
    args.verbose, args.quiet = _total(args, "verbose"), _total(args, "quiet")
    _configure_logging(args.verbose - args.quiet)
    try:
        return int(args._run(args))
    except CommandError as error:
        print(f"blogingest {args.command}: {error.message}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(f"blogingest {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `blogingest runs | head`: the reader left early, which is not an error. Later
        # writes (the interpreter's flush at exit) go nowhere instead of failing again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
