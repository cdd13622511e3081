"""Stand-in crawl command and worker helpers for the scheduler tests.

Run as a script (``python tests/support/scheduler.py URL --run-id N [options]``) this is a
stand-in for ``blogingest crawl``: it appends ``start``/``end`` lines to a trace file,
sleeps, writes counts into its run row (``DATABASE_URL`` from the environment, as the
scheduler passes it) and exits with the code it is told. On SIGTERM it writes its counts
("flushes"), traces ``sigterm`` and exits 0, like the real crawl's graceful stop.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

STAND_IN = Path(__file__).resolve()
PROJECT_ROOT = STAND_IN.parents[2]


def stand_in_command() -> list[str]:
    """Return the ``crawl_command`` that runs this stand-in."""
    return [sys.executable, str(STAND_IN)]


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--run-id", type=int, required=True)
    parser.add_argument("--sleep", type=float, default=0.0)
    parser.add_argument("--exit-code", type=int, default=0)
    parser.add_argument("--new", type=int, default=1)
    parser.add_argument("--note", action="append", default=[], help="a note on the run")
    parser.add_argument("--trace", type=Path)
    parser.add_argument("--ignore-sigterm", action="store_true")
    parser.add_argument("--fail-while", type=Path, help="exit 1 while this file exists")
    parser.add_argument(
        "--hold-while", type=Path, help="after --sleep, stay running while this file exists"
    )
    return parser.parse_args(argv)


def _trace(args: argparse.Namespace, event: str) -> None:
    if args.trace is not None:
        with args.trace.open("a") as stream:
            stream.write(f"{event} {args.url} {args.run_id} {time.time():.3f}\n")


def _write_counts(args: argparse.Namespace) -> None:
    # Counts on a run left running for the scheduler to close. A real crawl closes its run
    # itself; the stand-in does not, so the tests see the run held until the scheduler judges.
    from storage.database import make_engine, make_session_factory
    from storage.models import CrawlRun

    engine = make_engine(os.environ["DATABASE_URL"])
    try:
        with make_session_factory(engine).begin() as session:
            run = session.get(CrawlRun, args.run_id)
            assert run is not None, f"no run {args.run_id}"
            run.counts = {"new": args.new, "updated": 0, "unchanged": 2, "rejected": 0, "failed": 0}
            run.notes = list(args.note)
    finally:
        engine.dispose()


def _on_sigterm(args: argparse.Namespace) -> Callable[[int, FrameType | None], None]:
    def handler(_number: int, _frame: FrameType | None) -> None:
        _write_counts(args)
        _trace(args, "sigterm")
        raise SystemExit(0)

    return handler


def _hold(path: Path | None, bound_s: float = 60.0) -> None:
    # A test removes the file once it has seen what it waits for, however slow the machine;
    # the bound keeps a forgotten file from holding a test run forever.
    deadline = time.monotonic() + bound_s
    while path is not None and path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def main(argv: list[str]) -> int:
    # A SIGTERM that comes while storage is imported is held back, not lost: by default it
    # would end the process without the counts the real crawl flushes (a timeout of 0.7 s can
    # fall inside the import on a loaded machine); unblocked, it reaches the handler.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    args = _parse(argv)
    # Storage is imported before the crawl starts, not by the SIGTERM handler that writes the
    # counts: the handler has the worker's kill grace, which an import on a loaded machine
    # (tests run in parallel) can overrun.
    import storage.database
    import storage.models  # noqa: F401

    if args.ignore_sigterm:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    else:
        signal.signal(signal.SIGTERM, _on_sigterm(args))
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    _trace(args, "start")
    time.sleep(args.sleep)
    _hold(args.hold_while)
    _write_counts(args)
    _trace(args, "end")
    if args.fail_while is not None and args.fail_while.exists():
        print("stand-in: failing as told", file=sys.stderr)
        return 1
    if args.exit_code:
        print(f"stand-in: exiting with {args.exit_code} as told", file=sys.stderr)
    return args.exit_code


def read_trace(path: Path) -> list[tuple[str, str, int, float]]:
    """Return the trace lines as ``(event, url, run_id, unix_time)`` tuples."""
    if not path.exists():
        return []
    rows = []
    for line in path.read_text().splitlines():
        event, url, run_id, moment = line.split()
        rows.append((event, url, int(run_id), float(moment)))
    return rows


def wait_for(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    """Poll ``condition`` every 0.1 s; fail the test naming ``what`` after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")


def start_worker(config: Path, db_url: str, log: Path, *extra: str) -> subprocess.Popen[bytes]:
    """Start ``python -m blogingest -v schedule --config CONFIG --db URL``, output to ``log``."""
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "blogingest", "-v", "schedule", "--config", str(config)]
            + ["--db", db_url, *extra],
            cwd=PROJECT_ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def migrated_sqlite_url(directory: Path) -> str:
    """Return the URL of a new SQLite database in ``directory``, migrated to head."""
    from storage.migrate import upgrade

    url = f"sqlite:///{directory / 'blogingest.db'}"
    upgrade(url)
    return url


if __name__ == "__main__":
    # Run by path, Python puts this directory first on sys.path, where sibling support
    # modules (e.g. one named storage) would shadow the project's packages.
    if sys.path and Path(sys.path[0]).resolve() == STAND_IN.parent:
        del sys.path[0]
    raise SystemExit(main(sys.argv[1:]))
