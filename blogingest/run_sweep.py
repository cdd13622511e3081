"""Close the crawl runs whose process is gone, from commands that look at the database.

``blogingest runs`` and ``blogingest db load-spool`` call :func:`close_dead_runs` first, so a
run left ``running`` by a killed crawl is shown, and stays, ``interrupted`` (the rule is in
``storage.run_liveness``). Each closed run is one line on stderr.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

if TYPE_CHECKING:
    from storage.database import Database


def close_dead_runs(database: Database) -> int:
    """Close every dead running run in ``database`` (commits); return how many.

    A database error is reported on stderr as one line and leaves the runs as they are: the
    command's own work (listing, loading) goes on and reports its own errors.
    """
    from storage import run_liveness
    from storage.database import error_summary

    try:
        with database.sessions.begin() as session:
            closed = run_liveness.close_dead_runs(session)
    except SQLAlchemyError as error:
        print(f"could not close dead runs: {error_summary(error)}", file=sys.stderr)
        return 0
    for run_id, reason in closed:
        print(f"run {run_id} closed as interrupted: {reason}", file=sys.stderr)
    return len(closed)
