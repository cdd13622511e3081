"""``blogingest db``: the database's schema and what a crawl could not write to it.

``upgrade`` migrates to the newest schema, ``current`` shows the revision, ``load-spool``
writes the records a crawl spooled while its database was unusable.
"""

from __future__ import annotations

import argparse

from blogingest.arguments import add_database_option

NAME = "db"
HELP = "migrate the schema (upgrade), show its revision (current), load spooled records"


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    upgrade = actions.add_parser("upgrade", help="migrate the database to the newest schema")
    current = actions.add_parser("current", help="show the database's schema revision")
    load = actions.add_parser(
        "load-spool", help="write spool files (data/spool/crawl-*.jsonl) to the database"
    )
    load.add_argument("files", nargs="+", metavar="FILE", help="spool file written by a crawl")
    for sub in (upgrade, current, load):
        add_database_option(sub)


def run(args: argparse.Namespace) -> int:
    if args.db_action == "load-spool":
        return _load_spool(args)
    return _schema(args)


def _load_spool(args: argparse.Namespace) -> int:
    """Write each spool file in one transaction, then rename it ``*.loaded`` (never twice).

    Posts are upserted (idempotent), rejects appended, comment counts refreshed: exactly what
    the crawl would have written. A file that cannot be read stops before anything is written.
    """
    from pathlib import Path

    from sqlalchemy.exc import SQLAlchemyError

    from blogingest.arguments import open_command_database
    from blogingest.errors import CommandError, UsageError
    from blogingest.run_sweep import close_dead_runs
    from crawler.parsing import PARSER_VERSION
    from storage.batch import write_batch
    from storage.database import error_summary
    from storage.repository import Outcome
    from storage.spool import SpoolError, read_spool

    try:
        spooled = [(Path(name), read_spool(Path(name))) for name in args.files]
    except SpoolError as error:
        raise UsageError(str(error)) from None
    database = open_command_database(args.db)
    where = database.redacted_url
    try:
        # The crawl that spooled these died or gave up: its runs are closed before loading.
        close_dead_runs(database)
        for path, records in spooled:
            try:
                with database.sessions.begin() as session:
                    result = write_batch(session, records, parser_version=PARSER_VERSION)
            except SQLAlchemyError as error:
                message = f"{path}: not loaded into {where}: {error_summary(error)}"
                raise CommandError(message) from None
            path.rename(path.with_name(path.name + ".loaded"))
            outcomes = [outcome for _, outcome in result.outcomes]
            print(
                f"{path}: {len(outcomes)} posts (new {outcomes.count(Outcome.INSERTED)}, "
                f"updated {outcomes.count(Outcome.UPDATED)}, "
                f"unchanged {outcomes.count(Outcome.UNCHANGED)}), "
                f"{len(result.rejects)} rejected pages, "
                f"{result.counts_refreshed} comment counts refreshed"
            )
    finally:
        database.dispose()
    return 0


def _schema(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from blogingest.arguments import open_command_database
    from blogingest.errors import CommandError
    from storage.database import error_summary, missing_sqlite_file
    from storage.migrate import upgrade
    from storage.revisions import head_revision

    # Not checked: upgrade fixes what the check refuses, current reports it.
    database = open_command_database(args.db, check=False)
    where = database.redacted_url
    head = head_revision()
    if args.db_action == "current" and missing_sqlite_file(database.url):
        # Connecting would create the file: a reading command never creates anything.
        print(f"{where}: no schema (the file does not exist); run `blogingest db upgrade`")
        return 1
    try:
        if args.db_action == "upgrade":
            upgrade(database.url)
            print(f"{where}: schema at {head} (newest)")
            return 0
        current = database.revision()
    except (SQLAlchemyError, OSError) as error:
        raise CommandError(f"cannot use database {where}: {error_summary(error)}") from None
    finally:
        database.dispose()
    if current is None:
        print(f"{where}: no schema; run `blogingest db upgrade`")
        return 1
    state = "newest" if current == head else f"code expects {head}; run `blogingest db upgrade`"
    print(f"{where}: schema at {current} ({state})")
    return 0 if current == head else 1
