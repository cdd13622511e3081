"""`blogingest status`, `runs` (first errors, `show ID`, `--json`) and `schedule --list`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import column, table

from scheduler.jobs import job_id_for
from scheduler.jobstore import JOBS_TABLE, open_scheduler
from storage.database import make_engine, make_session_factory
from storage.runs import finish_run, start_run
from tests.support.crawl import migrated_sqlite

ROOT = Path(__file__).resolve().parents[1]
GOOD = "https://good.blogspot.com/"
BAD = "https://bad.blogspot.com/"
STARTED = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
NOTE = "feed-first: summary only: post pages fetched instead (e.g. https://good.blogspot.com/x)"


def blogingest(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "blogingest", *args],
        cwd=cwd,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _history(db: str) -> None:
    engine = make_engine(db)
    with make_session_factory(engine).begin() as session:
        good = start_run(session, blog_url=GOOD, started_at=STARTED)
        finish_run(session, good, status="success", exit_code=0, counts={"new": 2}, notes=[NOTE])
        bad = start_run(session, blog_url=BAD, started_at=STARTED + timedelta(minutes=1))
        finish_run(
            session,
            bad,
            status="failed",
            exit_code=1,
            errors=["home page https://bad.blogspot.com/: timeout", "second"],
        )
    engine.dispose()


def test_runs_shows_each_runs_first_error_below_its_row(tmp_path: Path) -> None:
    db = migrated_sqlite(tmp_path)
    _history(db)
    lines = blogingest("runs", "--db", db).stdout.splitlines()
    assert lines[1].split()[0] == "2"
    assert lines[2] == "    first error: home page https://bad.blogspot.com/: timeout (+1 more)"
    assert lines[3].split()[0] == "1"
    assert lines[4] == f"    note: {NOTE}"  # a note, apart from the errors


def test_runs_json_and_runs_show_give_the_whole_record(tmp_path: Path) -> None:
    db = migrated_sqlite(tmp_path)
    _history(db)
    listed = json.loads(blogingest("runs", "--db", db, "--json").stdout)
    assert [run["id"] for run in listed] == [2, 1]
    assert listed[0]["first_error"] == "home page https://bad.blogspot.com/: timeout"
    assert listed[0]["errors"] == ["home page https://bad.blogspot.com/: timeout", "second"]
    shown = json.loads(blogingest("runs", "--json", "show", "2", "--db", db).stdout)
    assert shown == listed[0]
    text = blogingest("runs", "show", "2", "--db", db)
    assert text.returncode == 0
    assert "    second" in text.stdout.splitlines()
    assert "  notes     0" in text.stdout.splitlines()
    assert listed[1]["notes"] == [NOTE]
    assert listed[1]["errors"] == []
    good = blogingest("runs", "show", "1", "--db", db).stdout.splitlines()
    assert good[good.index("  notes     1") + 1] == f"    {NOTE}"
    missing = blogingest("runs", "show", "99", "--db", db)
    assert missing.returncode == 1
    assert missing.stderr.strip() == "blogingest runs: no crawl run with id 99"


def test_status_gives_each_blog_its_last_success_failure_and_next_run(tmp_path: Path) -> None:
    db = migrated_sqlite(tmp_path)
    _history(db)
    engine = make_engine(db)
    scheduler = open_scheduler(engine, max_workers=1)  # creates APScheduler's table
    scheduler.shutdown(wait=False)
    next_run = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    jobs = table(JOBS_TABLE, column("id"), column("next_run_time"), column("job_state"))
    with engine.begin() as connection:
        connection.execute(
            jobs.insert().values(
                id=job_id_for(GOOD), next_run_time=next_run.timestamp(), job_state=b""
            )
        )
    engine.dispose()
    result = blogingest("status", "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    by_url = {blog["blog_url"]: blog for blog in json.loads(result.stdout)}
    assert by_url[GOOD]["last_success"]["run_id"] == 1
    assert by_url[GOOD]["last_failure"] is None
    assert by_url[GOOD]["next_run"] == {"scheduled": True, "at": next_run.isoformat()}
    assert by_url[GOOD]["posts"] == {"live": 0, "deleted": 0}  # the schema records deletions
    assert by_url[BAD]["last_failure"]["first_error"].endswith(": timeout")
    assert by_url[GOOD]["last_success"]["first_note"] == NOTE
    assert by_url[GOOD]["last_success"]["first_error"] is None
    good = blogingest("status", "--db", db, "--blog", "good.blogspot.com").stdout
    assert f"  last success  2026-11-25 06:00:00 UTC (run 1); note: {NOTE}" in good
    assert by_url[BAD]["next_run"]["scheduled"] is False
    text = blogingest("status", "--db", db, "--blog", "bad.blogspot.com").stdout
    assert text.splitlines()[0] == BAD
    assert "  last failure  2026-11-25 06:01:00 UTC (run 2): home page" in text
    assert "  next run      not scheduled" in text


def test_status_and_schedule_list_change_nothing(tmp_path: Path) -> None:
    db = migrated_sqlite(tmp_path)
    config = tmp_path / "schedule.toml"
    config.write_text(f'[[blog]]\nurl = "{GOOD}"\ninterval = "6h"\n')
    assert blogingest("status", "--db", db).stdout.startswith("no blogs yet")
    listed = blogingest("schedule", "--config", str(config), "--db", db, "--list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == [
        f"{GOOD}  every 6:00:00  next run: when the worker starts (not in the job store yet)"
    ]
    engine = make_engine(db)
    from sqlalchemy import inspect

    assert not inspect(engine).has_table(JOBS_TABLE)  # no job store created, no job added
    engine.dispose()
