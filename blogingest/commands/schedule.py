"""``blogingest schedule``: the scheduled-crawl worker (or one pass of it with ``--once``)."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from blogingest.errors import CommandError, UsageError

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
    parser.add_argument("--db", metavar="URL", help="database URL (default: env DATABASE_URL)")
    parser.add_argument(
        "--once", action="store_true", help="run every due blog once, then exit (for cron)"
    )


def run(args: argparse.Namespace) -> int:
    from scheduler.config import ConfigError, load_config
    from scheduler.crawl_flags import check_crawl_options
    from scheduler.database import open_database
    from scheduler.once import run_once
    from scheduler.process import ShutdownSwitch
    from scheduler.runner import RunnerContext
    from scheduler.worker import WorkerPlan, run_worker, stop_on_signals
    from storage.database import DatabaseConfigError, DatabaseUnavailableError, redact_url

    try:
        config = load_config(args.config)
        check_crawl_options(config)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    plan = WorkerPlan.from_config(config)
    try:
        database = open_database(args.db)
    except DatabaseConfigError as error:
        raise UsageError(f"--db: {error}") from None
    except DatabaseUnavailableError as error:
        raise CommandError(str(error)) from None
    # Run start/end lines are the worker's output: show them without -v.
    logging.getLogger("scheduler").setLevel(min(logging.INFO, logging.getLogger().level))
    logging.getLogger(__name__).info("database %s", redact_url(database.url))
    switch = ShutdownSwitch()
    context = RunnerContext(factory=database.factory, database_url=database.url, switch=switch)
    try:
        with stop_on_signals(switch, plan.shutdown_grace_s):
            if args.once:
                return run_once(plan, database.engine, context)
            return run_worker(plan, database.engine, context)
    finally:
        database.close()
