"""One module per ``blogingest`` subcommand, discovered by :mod:`blogingest.cli`.

Each module defines::

    NAME: str                       # the subcommand, e.g. "parse"
    HELP: str                       # one line for ``blogingest --help``
    def configure(parser: argparse.ArgumentParser) -> None: ...
    def run(args: argparse.Namespace) -> int: ...   # the exit code

``run`` raises :class:`blogingest.errors.CommandError` (or ``UsageError``) for failures the
user should see as one line. Modules import their heavy dependencies inside ``run`` so that
``blogingest --help`` stays fast.
"""
