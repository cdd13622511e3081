"""The scheduler's tables and locks on PostgreSQL (job store, per-blog locks, --once)."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from scheduler.locks import acquire_lock, release_lock
from storage.database import make_engine, make_session_factory
from storage.migrate import upgrade
from tests.support.postgres import postgres_url  # noqa: F401 - the fixture, by name
from tests.support.scheduler import PROJECT_ROOT, read_trace, stand_in_command

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def fresh_db(postgres_url: str) -> Iterator[str]:  # noqa: F811 - the imported fixture
    """A new, migrated database on the throwaway server, dropped afterwards."""
    name = f"sched_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))  # generated name, not input
    url = postgres_url.rsplit("/", 1)[0] + f"/{name}"
    upgrade(url)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


def test_a_lock_is_exclusive_until_released_on_postgresql(fresh_db: str) -> None:
    engine = make_engine(fresh_db)
    factory = make_session_factory(engine)
    first = acquire_lock(factory, "crawl:x", ttl_s=60, holder="elsewhere:1")
    assert first is not None
    assert acquire_lock(factory, "crawl:x", ttl_s=60, holder="elsewhere:2") is None
    release_lock(factory, first)
    assert acquire_lock(factory, "crawl:x", ttl_s=60, holder="elsewhere:2") is not None
    engine.dispose()


def test_once_runs_due_blogs_and_persists_the_schedule_on_postgresql(
    fresh_db: str, tmp_path: Path
) -> None:
    trace = tmp_path / "trace"
    config = tmp_path / "schedule.toml"
    config.write_text(
        f"[worker]\ncrawl_command = {json.dumps(stand_in_command())}\n"
        f'[[blog]]\nurl = "https://pg.blogspot.com/"\ninterval = "1h"\n'
        f'options = {{ trace = "{trace}" }}\n'
    )
    command = [sys.executable, "-m", "blogingest", "schedule", "--once", "--config", str(config)]
    for _ in range(2):
        result = subprocess.run(
            [*command, "--db", fresh_db],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    assert [row[0] for row in read_trace(trace)] == ["start", "end"]  # second pass: not due
    engine = create_engine(fresh_db)
    with engine.connect() as connection:
        status = connection.execute(text("SELECT status FROM crawl_runs")).scalar_one()
        job_ids = connection.execute(text("SELECT id FROM apscheduler_jobs")).scalars().all()
    engine.dispose()
    assert status == "success"
    assert job_ids == ["crawl:https://pg.blogspot.com/"]
