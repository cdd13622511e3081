"""``blogingest schedule --once`` (cron mode) and ``blogingest runs`` (the history table)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scheduler.run_table import format_runs
from storage.database import make_engine, make_session_factory
from storage.run_liveness import owner_tag
from storage.runs import finish_run, start_run
from tests.support.scheduler import (
    PROJECT_ROOT,
    migrated_sqlite_url,
    read_trace,
    stand_in_command,
    wait_for,
)

GOOD = "https://good.blogspot.com/"
BAD = "https://bad.blogspot.com/"


def blogingest(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "blogingest", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def write_config(directory: Path, blogs: str) -> Path:
    path = directory / "schedule.toml"
    command = json.dumps(stand_in_command())
    path.write_text(f'[worker]\ncrawl_command = {command}\n[defaults]\ninterval = "1h"\n{blogs}')
    return path


@pytest.mark.slow
def test_once_runs_never_run_blogs_then_nothing_until_they_are_due(tmp_path: Path) -> None:
    db = migrated_sqlite_url(tmp_path)
    trace = tmp_path / "trace"
    config = write_config(
        tmp_path,
        f'[[blog]]\nurl = "{GOOD}"\noptions = {{ trace = "{trace}" }}\n'
        f'[[blog]]\nurl = "{BAD}"\noptions = {{ exit_code = 5, trace = "{trace}" }}\n',
    )
    first = blogingest("schedule", "--once", "--config", str(config), "--db", db)
    assert first.returncode == 1, first.stderr  # one blog failed
    assert f"run 1 start blog={GOOD}" in first.stderr
    assert "status=failed exit=5" in first.stderr
    second = blogingest("schedule", "--once", "--config", str(config), "--db", db)
    assert second.returncode == 0, second.stderr
    assert "once: 0 of 2 blogs due" in second.stderr
    assert len([row for row in read_trace(trace) if row[0] == "start"]) == 2


@pytest.mark.slow
def test_once_overlapping_itself_never_crawls_a_blog_twice_at_once(tmp_path: Path) -> None:
    db = migrated_sqlite_url(tmp_path)
    trace = tmp_path / "trace"
    # The first crawl is held until the second schedule has answered, not for a set time: on a
    # loaded machine starting the second process can take longer than any sleep we would pick.
    hold = tmp_path / "hold"
    hold.touch()
    options = f'{{ hold_while = "{hold}", trace = "{trace}" }}'
    config = write_config(tmp_path, f'[[blog]]\nurl = "{GOOD}"\noptions = {options}\n')
    command = [sys.executable, "-m", "blogingest", "schedule", "--once"]
    first = subprocess.Popen(
        [*command, "--config", str(config), "--db", db],
        cwd=PROJECT_ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: bool(read_trace(trace)), 15, "the first crawl to start")
        second = blogingest("schedule", "--once", "--config", str(config), "--db", db)
    finally:
        hold.unlink()
        _, first_err = first.communicate(timeout=60)
    assert second.returncode == 0
    assert "a crawl of it is already running" in second.stderr
    assert first.returncode == 0, first_err
    assert [row[0] for row in read_trace(trace)] == ["start", "end"]


def test_a_bad_config_is_refused_in_one_line_with_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "schedule.toml"
    config.write_text('[[blog]]\nurl = "https://a.blogspot.com/"\ncron = "every day"\n')
    result = blogingest("schedule", "--once", "--config", str(config), "--db", "sqlite://")
    assert result.returncode == 2
    assert result.stderr.startswith("blogingest schedule: blog[1].cron: 'every day' is not")
    assert len(result.stderr.splitlines()) == 1


def test_an_unmigrated_database_is_refused_in_one_line(tmp_path: Path) -> None:
    config = write_config(tmp_path, f'[[blog]]\nurl = "{GOOD}"\n')
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    result = blogingest("schedule", "--config", str(config), "--db", db)
    assert result.returncode == 1
    assert "blogingest db upgrade" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def _record(db: str) -> None:
    engine = make_engine(db)
    started = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
    with make_session_factory(engine).begin() as session:
        good = start_run(session, blog_url=GOOD, trigger="schedule", started_at=started)
        finish_run(
            session,
            good,
            status="success",
            exit_code=0,
            counts={"new": 3, "updated": 1, "unchanged": 40, "rejected": 0, "failed": 0},
            finished_at=started + timedelta(seconds=12.3),
        )
        # Still running: held by this (live) process with a lease far ahead, so `runs` does
        # not close it as dead (storage.run_liveness).
        start_run(
            session,
            blog_url="http://bad.blogspot.de/",
            trigger="manual",
            started_at=started,
            owner=owner_tag(),
            lease_expires_at=datetime.now(UTC) + timedelta(days=1),
        )
    engine.dispose()


def test_runs_shows_the_history_as_a_table_newest_first(tmp_path: Path) -> None:
    db = migrated_sqlite_url(tmp_path)
    _record(db)
    result = blogingest("runs", "--db", db)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "id", "blog", "trigger", "started", "(UTC)", "duration", "status", "exit",
        "stored", "from_feed", "new", "updated", "unchanged", "rejected", "failed",
    ]  # fmt: skip
    assert lines[1].split() == [
        "2", BAD, "manual", "2026-11-25", "06:00:00", "-", "running", "-",
        "-", "-", "-", "-", "-", "-", "-",
    ]  # fmt: skip
    assert lines[2].split() == [
        "1", GOOD, "schedule", "2026-11-25", "06:00:00", "12.3s", "success", "0",
        "-", "-", "3", "1", "40", "0", "0",
    ]  # fmt: skip


def test_runs_filters_by_blog_and_limits_to_the_last_n(tmp_path: Path) -> None:
    db = migrated_sqlite_url(tmp_path)
    _record(db)
    only_good = blogingest("runs", "--db", db, "--blog", "http://good.blogspot.com/2020/01/x.html")
    assert [line.split()[0] for line in only_good.stdout.splitlines()[1:]] == ["1"]
    last_one = blogingest("runs", "--db", db, "--last", "1")
    assert [line.split()[0] for line in last_one.stdout.splitlines()[1:]] == ["2"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--last", "0"], "'0' must be 1 or more"),
        (["--blog", "not a url"], "--blog: 'not a url' is not an http(s) URL"),
    ],
)
def test_runs_refuses_bad_arguments_with_exit_2(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = blogingest("runs", "--db", migrated_sqlite_url(tmp_path), *args)
    assert result.returncode == 2
    assert message in result.stderr


def test_an_empty_history_says_so() -> None:
    assert format_runs([]) == "no runs recorded"


@pytest.mark.slow
def test_once_stopped_by_sigterm_records_interrupted_and_leaves_the_blog_due(
    tmp_path: Path,
) -> None:
    db = migrated_sqlite_url(tmp_path)
    trace = tmp_path / "trace"
    config = write_config(
        tmp_path,
        f'[[blog]]\nurl = "{GOOD}"\noptions = {{ sleep = 20, trace = "{trace}" }}\n',
    )
    config.write_text(
        config.read_text().replace("[worker]\n", '[worker]\nshutdown_grace = "0.2s"\n')
    )
    command = [sys.executable, "-m", "blogingest", "schedule", "--once", "--config", str(config)]
    first = subprocess.Popen(
        [*command, "--db", db], cwd=PROJECT_ROOT, stderr=subprocess.PIPE, text=True
    )
    try:
        wait_for(lambda: bool(read_trace(trace)), 15, "the crawl to start")
        first.send_signal(signal.SIGTERM)
        _, first_err = first.communicate(timeout=20)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 0, first_err
    assert f"run 1 end blog={GOOD} status=interrupted" in first_err
    config.write_text(config.read_text().replace("sleep = 20", "sleep = 0"))
    second = blogingest("schedule", "--once", "--config", str(config), "--db", db)
    assert "once: 1 of 1 blogs due" in second.stderr
