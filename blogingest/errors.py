"""Errors a command raises to end with a clear one-line message and a chosen exit code.

The CLI prints ``blogingest <command>: <message>`` on stderr and exits with ``exit_code``;
no traceback is shown for these. Anything else that escapes a command is a bug and keeps
its traceback.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2  # bad argument, missing or unreadable input, bad config value
EXIT_NOT_A_POST = 3  # `blogingest parse` on a page that is not a post
EXIT_INTERRUPTED = 130  # SIGINT (Ctrl-C), as a shell reports a command it interrupted


class CommandError(Exception):
    """A failure to report to the user as one line, ending the command with ``exit_code``."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class UsageError(CommandError):
    """A bad argument, option or config value; the message names it."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_USAGE)
