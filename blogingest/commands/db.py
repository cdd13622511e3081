"""``blogingest db upgrade|current``: bring a database to the code's schema, or show where it is."""

from __future__ import annotations

import argparse

NAME = "db"
HELP = "create or migrate the database schema (upgrade), or show its revision (current)"


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    upgrade = actions.add_parser("upgrade", help="migrate the database to the newest schema")
    current = actions.add_parser("current", help="show the database's schema revision")
    for sub in (upgrade, current):
        sub.add_argument(
            "--db",
            metavar="URL",
            help="database URL (default: env DATABASE_URL, else sqlite in BLOGINGEST_DATA_DIR)",
        )


def run(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from blogingest.errors import CommandError, UsageError
    from storage.database import (
        DatabaseConfigError,
        error_summary,
        redact_url,
        resolve_database_url,
    )
    from storage.migrate import current_revision, head_revision, upgrade

    try:
        url = resolve_database_url(args.db)
    except DatabaseConfigError as error:
        raise UsageError(f"--db: {error}") from None
    where = redact_url(url)
    head = head_revision()
    try:
        if args.db_action == "upgrade":
            upgrade(url)
            print(f"{where}: schema at {head} (newest)")
            return 0
        current = current_revision(url)
    except (SQLAlchemyError, OSError) as error:
        raise CommandError(f"cannot use database {where}: {error_summary(error)}") from None
    if current is None:
        print(f"{where}: no schema; run `blogingest db upgrade`")
        return 1
    state = "newest" if current == head else f"code expects {head}; run `blogingest db upgrade`"
    print(f"{where}: schema at {current} ({state})")
    return 0 if current == head else 1
