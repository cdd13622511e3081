"""Supervise one crawl subprocess: argument list, no shell, timeout, shutdown grace.

Ending a child always goes SIGTERM → ``kill_grace`` → SIGKILL, because the crawl flushes
what it fetched on SIGTERM and only a hung child should ever need SIGKILL. Children run in
their own session so a Ctrl-C at the worker's terminal reaches the worker only, and the
worker decides when each crawl is asked to stop.
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Literal

EndedBy = Literal["exit", "timeout", "shutdown"]
_POLL_S = 0.1
_TAIL_BYTES = 4096


class ShutdownSwitch:
    """Thread-safe shutdown request shared by the worker and its running crawls.

    :meth:`begin` starts a graceful stop: running crawls may go on for ``grace_s`` seconds.
    A second :meth:`begin` (a second signal) ends the grace at once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._active = 0
        self._deadline: float | None = None  # time.monotonic() seconds
        self.stopping = threading.Event()

    @contextmanager
    def tracking(self) -> Iterator[None]:
        """Count the enclosed block as one active run (see :meth:`wait_idle`)."""
        with self._lock:
            self._active += 1
        try:
            yield
        finally:
            with self._lock:
                self._active -= 1
                self._idle.notify_all()

    def wait_idle(self, timeout_s: float) -> bool:
        """Wait until no run is active; ``False`` if some still are after ``timeout_s``."""
        with self._lock:
            return self._idle.wait_for(lambda: self._active == 0, timeout=timeout_s)

    def begin(self, grace_s: float) -> None:
        """Request a stop; crawls get ``grace_s`` seconds (none if already stopping)."""
        with self._lock:
            now = time.monotonic()
            self._deadline = now if self.stopping.is_set() else now + grace_s
            self.stopping.set()

    def deadline(self) -> float | None:
        """Return the monotonic time running crawls must be ended by, ``None`` if running."""
        with self._lock:
            return self._deadline


@dataclass(frozen=True)
class ProcessOutcome:
    """How a crawl subprocess ended.

    ``exit_code`` is the child's return code (negative = killed by that signal number);
    ``ended_by`` says whether it exited by itself or was stopped for a timeout or shutdown;
    ``duration_s`` is wall-clock seconds; ``output_tail`` is the end of its stdout+stderr.
    """

    exit_code: int
    ended_by: EndedBy
    duration_s: float
    output_tail: str

    def last_output_line(self) -> str:
        """Return the last non-empty output line (often the error), or ``""``."""
        lines = [line.strip() for line in self.output_tail.splitlines() if line.strip()]
        return lines[-1] if lines else ""


def run_supervised(
    argv: Sequence[str],
    *,
    env: Mapping[str, str],
    timeout_s: float,
    kill_grace_s: float,
    switch: ShutdownSwitch,
    on_start: Callable[[int], None] | None = None,
) -> ProcessOutcome:
    """Run ``argv`` until it exits, its timeout passes or the shutdown deadline passes.

    ``on_start`` is called with the child's pid once it runs. Never raises for the child's
    failures; raises ``OSError`` if it cannot be started.
    """
    started = time.monotonic()
    with tempfile.TemporaryFile() as output:
        child = subprocess.Popen(
            list(argv),
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            if on_start is not None:
                on_start(child.pid)
        except BaseException:
            _terminate(child, kill_grace_s)  # never leave a child nobody supervises
            raise
        ended_by = _wait_or_stop(child, started + timeout_s, kill_grace_s, switch)
        tail = _read_tail(output)
    return ProcessOutcome(
        exit_code=int(child.returncode),
        ended_by=ended_by,
        duration_s=time.monotonic() - started,
        output_tail=tail,
    )


def _wait_or_stop(
    child: subprocess.Popen[bytes], timeout_at: float, kill_grace_s: float, switch: ShutdownSwitch
) -> EndedBy:
    while child.poll() is None:
        shutdown_at = switch.deadline()
        now = time.monotonic()
        if now >= timeout_at or (shutdown_at is not None and now >= shutdown_at):
            reason: EndedBy = "timeout" if now >= timeout_at else "shutdown"
            _terminate(child, kill_grace_s)
            return reason
        limit = timeout_at if shutdown_at is None else min(timeout_at, shutdown_at)
        try:
            child.wait(timeout=min(_POLL_S, max(limit - now, 0.001)))
        except subprocess.TimeoutExpired:
            continue
    return "exit"


def _terminate(child: subprocess.Popen[bytes], kill_grace_s: float) -> None:
    if child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(timeout=kill_grace_s)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def _read_tail(output: IO[bytes]) -> str:
    size = output.seek(0, 2)
    output.seek(max(size - _TAIL_BYTES, 0))
    return output.read().decode("utf-8", errors="replace")
