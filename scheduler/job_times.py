"""Next run times of the scheduled jobs, read from APScheduler's job store without opening it.

Opening APScheduler's ``SQLAlchemyJobStore`` creates its table when missing; ``status`` and
``schedule --list`` only read, so they select ``id`` and ``next_run_time`` (Unix seconds, as
APScheduler 3 stores them) from the table directly, and find nothing when it does not exist.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, column, inspect, select, table

from scheduler.jobstore import JOBS_TABLE


def stored_next_runs(engine: Engine) -> dict[str, datetime | None]:
    """Return job id → next run time (UTC; ``None`` for a paused job); ``{}`` with no store."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(JOBS_TABLE):
            return {}
        jobs = table(JOBS_TABLE, column("id"), column("next_run_time"))
        rows = connection.execute(select(jobs.c.id, jobs.c.next_run_time)).all()
    return {
        str(job_id): datetime.fromtimestamp(float(when), UTC) if when is not None else None
        for job_id, when in rows
    }
