"""``blogingest schedule``: the scheduled-crawl worker (or one pass of it with ``--once``).

``--list`` prints the configured jobs and their next run times (from the job store) and
exits without starting the worker or changing the store.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from blogingest.arguments import add_database_option
from blogingest.errors import CommandError, UsageError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from scheduler.metrics import MetricsServer
    from scheduler.worker import WorkerPlan

NAME = "schedule"
HELP = "crawl the blogs of a schedule file on their intervals or cron lines (a worker)"
DEFAULT_CONFIG = Path("schedule.toml")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="FILE",
        type=Path,
        default=DEFAULT_CONFIG,
        help=f"the TOML schedule (default {DEFAULT_CONFIG}; see schedule.example.toml)",
    )
    add_database_option(parser)
    parser.add_argument(
        "--metrics-port",
        metavar="PORT",
        type=_port,
        help="serve Prometheus metrics on this port while the worker runs",
    )
    parser.add_argument(
        "--metrics-host",
        metavar="HOST",
        default="127.0.0.1",
        help="address the metrics listen on (default 127.0.0.1: this machine only)",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--once", action="store_true", help="run every due blog once, then exit (for cron)"
    )
    mode.add_argument(
        "--list",
        action="store_true",
        help="print the jobs and their next run times, then exit (starts nothing)",
    )


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1-65535)")
    return port


def run(args: argparse.Namespace) -> int:
    from blogingest.arguments import open_command_database
    from scheduler.config import ConfigError, load_config
    from scheduler.once import run_once
    from scheduler.process import ShutdownSwitch
    from scheduler.runner import RunnerContext
    from scheduler.worker import WorkerPlan, run_worker, stop_on_signals

    if args.metrics_port is not None and (args.once or args.list):
        raise UsageError("--metrics-port is for the long-lived worker, not --once or --list")
    try:
        config = load_config(args.config)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    plan = WorkerPlan.from_config(config)
    database = open_command_database(args.db)
    if args.list:
        try:
            print(_job_list(plan, database.engine))
        finally:
            database.dispose()
        return 0
    # Run start/end lines are the worker's output: show them without -v.
    logging.getLogger("scheduler").setLevel(min(logging.INFO, logging.getLogger().level))
    logging.getLogger(__name__).info("database %s", database.redacted_url)
    switch = ShutdownSwitch()
    context = RunnerContext(factory=database.sessions, database_url=database.url, switch=switch)
    metrics = None
    try:
        if args.metrics_port is not None:
            metrics = _serve_metrics(database.engine, args.metrics_host, args.metrics_port)
        with stop_on_signals(switch, plan.shutdown_grace_s):
            if args.once:
                return run_once(plan, database.engine, context)
            return run_worker(plan, database.engine, context)
    finally:
        if metrics is not None:
            metrics.close()
        database.dispose()


def _serve_metrics(engine: Engine, host: str, port: int) -> MetricsServer:
    from scheduler.metrics import serve_metrics

    try:
        server = serve_metrics(engine, port, host)
    except OSError as error:
        raise CommandError(
            f"--metrics-port: cannot listen on {host}:{port}: {error.strerror or error}"
        ) from None
    logging.getLogger("scheduler.metrics").info(
        "metrics on http://%s:%d/metrics", host, server.port
    )
    return server


def _job_list(plan: WorkerPlan, engine: Engine) -> str:
    """One line per job: blog, trigger, next run (stored, or at the worker's start)."""
    from datetime import UTC, datetime

    from scheduler.job_times import stored_next_runs

    stored = stored_next_runs(engine)
    if not plan.specs:
        return "no blogs in the schedule"
    now = datetime.now(UTC)
    lines = []
    for job_id, spec in plan.specs.items():
        if job_id not in stored:
            when = "when the worker starts (not in the job store yet)"
        elif (moment := stored[job_id]) is None:
            when = "paused"
        else:
            due = " (due now)" if moment <= now else ""
            when = f"{moment.strftime('%Y-%m-%d %H:%M:%S')} UTC{due}"
        lines.append(f"{spec.home_url}  {spec.trigger.describe()}  next run: {when}")
    lines.extend(
        f"{job_id.removeprefix('crawl:')}  not in the config: removed when the worker starts"
        for job_id in stored
        if job_id not in plan.specs
    )
    return "\n".join(lines)
