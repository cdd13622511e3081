"""The worker's Prometheus endpoint, scraped on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from scheduler.config import load_config
from scheduler.jobs import build_jobs
from scheduler.jobstore import open_scheduler, reconcile_jobs
from scheduler.metrics import serve_metrics
from storage.database import make_engine, make_session_factory
from storage.runs import finish_run, start_run
from tests.support.crawl import ROOT, migrated_sqlite

BLOG = "https://metrics.blogspot.com/"
ENDED = datetime(2026, 11, 25, 6, 0, 30, tzinfo=UTC)


def _scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        text = response.read().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_the_metrics_endpoint_serves_what_the_database_records(tmp_path: Path) -> None:
    db = migrated_sqlite(tmp_path)
    engine = make_engine(db)
    with make_session_factory(engine).begin() as session:
        for status, counts in (("success", {"new": 3, "fetched": 4, "failed": 1}), ("failed", {})):
            run = start_run(session, blog_url=BLOG, started_at=ENDED - timedelta(seconds=30))
            finish_run(session, run, status=status, counts=counts, finished_at=ENDED)
    server = serve_metrics(engine, 0)
    try:
        samples = _scrape(server.port)
    finally:
        server.close()
        engine.dispose()
    assert samples[("blogingest_runs_total", (("status", "success"),))] == 1
    assert samples[("blogingest_runs_total", (("status", "failed"),))] == 1
    assert samples[("blogingest_posts_written_total", (("outcome", "new"),))] == 3
    assert samples[("blogingest_pages_fetched_total", ())] == 4
    assert samples[("blogingest_fetch_failures_total", ())] == 1
    key = ("blogingest_last_success_timestamp_seconds", (("blog", BLOG),))
    assert samples[key] == ENDED.timestamp()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_schedule_metrics_port_serves_while_the_worker_runs(tmp_path: Path) -> None:
    db = migrated_sqlite(tmp_path)
    config = tmp_path / "schedule.toml"
    # Next run a year away at most: the worker only waits, so the scrape sees it idle.
    config.write_text(f'[[blog]]\nurl = "{BLOG}"\ncron = "0 3 1 1 *"\n')
    engine = make_engine(db)
    scheduler = open_scheduler(engine, max_workers=1)
    # Stored as first due tomorrow: the worker keeps it (same config) and does not crawl.
    reconcile_jobs(
        scheduler, build_jobs(load_config(config)), datetime.now(UTC) + timedelta(days=1)
    )
    scheduler.shutdown(wait=False)
    engine.dispose()
    port = _free_port()
    worker = subprocess.Popen(
        [sys.executable, "-m", "blogingest", "schedule", "--config", str(config), "--db", db]
        + ["--metrics-port", str(port)],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        samples = {}
        for _ in range(50):  # up to 10 s for the worker to listen
            try:
                samples = _scrape(port)
                break
            except OSError:
                time.sleep(0.2)
        assert ("blogingest_pages_fetched_total", ()) in samples
    finally:
        worker.send_signal(signal.SIGTERM)
        _, err = worker.communicate(timeout=60)
    assert worker.returncode == 0, err
    assert f"metrics on http://127.0.0.1:{port}/metrics" in err


def test_metrics_port_is_refused_with_once(tmp_path: Path) -> None:
    config = tmp_path / "schedule.toml"
    config.write_text(f'[[blog]]\nurl = "{BLOG}"\ninterval = "1h"\n')
    result = subprocess.run(
        [sys.executable, "-m", "blogingest", "schedule", "--config", str(config), "--once"]
        + ["--metrics-port", "9999"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "--metrics-port is for the long-lived worker" in result.stderr
