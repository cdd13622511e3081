"""Reconciling the persistent job store with the config, across (simulated) restarts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine

from scheduler.config import parse_config
from scheduler.jobs import JobSpec, build_jobs
from scheduler.jobstore import open_scheduler, reconcile_jobs
from storage.database import make_engine

NOW = datetime.now(UTC).replace(microsecond=0)
A = "https://a.blogspot.com/"
B = "https://b.blogspot.com/"


def _specs(*blogs: dict[str, Any]) -> list[JobSpec]:
    return build_jobs(parse_config({"defaults": {"interval": "1h"}, "blog": list(blogs)}))


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'jobs.db'}")
    yield engine
    engine.dispose()


@pytest.fixture
def restart(engine: Engine) -> Iterator[Callable[[], BackgroundScheduler]]:
    """Return a function that stops the previous scheduler (if any) and opens a new one."""
    opened: list[BackgroundScheduler] = []

    def open_again() -> BackgroundScheduler:
        if opened:
            opened.pop().shutdown(wait=False)
        opened.append(open_scheduler(engine, max_workers=1))
        return opened[-1]

    yield open_again
    for scheduler in opened:
        scheduler.shutdown(wait=False)


def test_new_blogs_are_added_due_now(restart: Callable[[], BackgroundScheduler]) -> None:
    scheduler = restart()
    summary = reconcile_jobs(scheduler, _specs({"url": A}, {"url": B}), NOW)
    assert summary.added == [f"crawl:{A}", f"crawl:{B}"]
    assert {job.next_run_time for job in scheduler.get_jobs()} == {NOW}


def test_an_unchanged_job_keeps_its_persisted_next_run_time_across_a_restart(
    restart: Callable[[], BackgroundScheduler],
) -> None:
    later = NOW + timedelta(minutes=37)
    scheduler = restart()
    reconcile_jobs(scheduler, _specs({"url": A}), NOW)
    scheduler.modify_job(f"crawl:{A}", next_run_time=later)
    scheduler = restart()
    summary = reconcile_jobs(scheduler, _specs({"url": A}), NOW + timedelta(minutes=5))
    assert summary.kept == [f"crawl:{A}"]
    assert scheduler.get_job(f"crawl:{A}").next_run_time == later


def test_a_changed_job_is_replaced_and_runs_at_the_sooner_time(
    restart: Callable[[], BackgroundScheduler],
) -> None:
    scheduler = restart()
    reconcile_jobs(scheduler, _specs({"url": A}), NOW)
    scheduler.modify_job(f"crawl:{A}", next_run_time=NOW + timedelta(minutes=50))
    scheduler = restart()
    before = datetime.now(UTC)
    summary = reconcile_jobs(scheduler, _specs({"url": A, "interval": "10m"}), NOW)
    after = datetime.now(UTC)
    job = scheduler.get_job(f"crawl:{A}")
    assert summary.changed == [f"crawl:{A}"]
    # The new trigger's first run is 10 minutes from the wall clock at reconcile time (NOW is
    # fixed at import, long before this test may run), which comes before the stored 50.
    ten = timedelta(minutes=10)
    assert before + ten - timedelta(seconds=1) <= job.next_run_time <= after + ten
    assert job.next_run_time < NOW + timedelta(minutes=50)
    assert str(job.trigger) == "interval[0:10:00]"


def test_an_overdue_changed_job_stays_due(restart: Callable[[], BackgroundScheduler]) -> None:
    scheduler = restart()
    reconcile_jobs(scheduler, _specs({"url": A}), NOW - timedelta(hours=3))
    scheduler = restart()
    reconcile_jobs(scheduler, _specs({"url": A, "options": {"max_posts": 5}}), NOW)
    assert scheduler.get_job(f"crawl:{A}").next_run_time == NOW - timedelta(hours=3)


def test_jobs_of_blogs_no_longer_configured_are_removed(
    restart: Callable[[], BackgroundScheduler],
) -> None:
    scheduler = restart()
    reconcile_jobs(scheduler, _specs({"url": A}, {"url": B}), NOW)
    scheduler = restart()
    summary = reconcile_jobs(scheduler, _specs({"url": B}), NOW)
    assert summary.removed == [f"crawl:{A}"]
    assert [job.id for job in scheduler.get_jobs()] == [f"crawl:{B}"]
    assert summary.describe() == "kept=1 added=0 changed=0 removed=1"


def test_jobs_are_stored_with_explicit_ids_and_no_overlap_settings(
    restart: Callable[[], BackgroundScheduler],
) -> None:
    scheduler = restart()
    reconcile_jobs(scheduler, _specs({"url": A, "misfire_grace": "15m"}), NOW)
    job = scheduler.get_job(f"crawl:{A}")
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 900)
    assert job.func_ref == "scheduler.runner:run_blog_crawl"
    assert job.kwargs["blog_url"] == A
