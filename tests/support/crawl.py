"""Run real crawls in a subprocess against a fake blog or the seeds, and read what they stored.

``run_crawl`` runs ``python -m blogingest crawl ...`` with ``DATABASE_URL`` set and, for the
fake blog, every proxy variable pointing at the fake server (``no_proxy`` cleared so nothing
bypasses it). Politeness is relaxed for loopback: no AutoThrottle, no delay, no retry pause.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from storage.migrate import upgrade
from storage.models import CrawlRun, Post, RejectedPageRow

ROOT = Path(__file__).resolve().parents[2]

LOOPBACK_SETTINGS = (
    "-s",
    "AUTOTHROTTLE_ENABLED=0",
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "RETRY_BACKOFF_BASE=0",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "-s",
    "PROGRESS_INTERVAL=1",
)


def migrated_sqlite(directory: Path) -> str:
    """Create a SQLite database at the schema head under ``directory``; return its URL."""
    url = f"sqlite:///{directory / 'crawl.db'}"
    upgrade(url)
    return url


def crawl_env(database_url: str, proxy_url: str | None, data_dir: Path) -> dict[str, str]:
    """The environment for a crawl subprocess: database, data dir, proxy (or none at all)."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(DATABASE_URL=database_url, BLOGINGEST_DATA_DIR=str(data_dir))
    # Crawl tests written for the page path (its faults, its request counts) fetch every post
    # page; feed-first tests ask for `-s BLOGINGEST_SOURCE=auto` (tests/test_crawl_feed_first.py).
    env["BLOGINGEST_SOURCE"] = "pages"
    if proxy_url is not None:
        for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
            env[name] = proxy_url
    return env


def run_crawl(
    args: list[str],
    *,
    database_url: str,
    data_dir: Path,
    proxy_url: str | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run ``blogingest crawl ARGS`` (loopback settings added) and return the finished process."""
    command = [sys.executable, "-m", "blogingest", "crawl", *args, *LOOPBACK_SETTINGS]
    return subprocess.run(
        command,
        cwd=ROOT,
        env=crawl_env(database_url, proxy_url, data_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@dataclass(frozen=True)
class StoredPost:
    url: str
    title: str | None
    body_paragraphs: list[str]
    comment_count: int | None
    updated_at: Any


def stored_posts(database_url: str) -> dict[str, StoredPost]:
    """Every stored post by canonical URL."""
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            rows = session.execute(
                select(
                    Post.url, Post.title, Post.body_paragraphs, Post.comment_count, Post.updated_at
                )
            )
            return {row.url: StoredPost(*row) for row in rows}
    finally:
        engine.dispose()


def last_seen_times(database_url: str) -> dict[str, Any]:
    """Canonical URL → ``last_seen_at`` (aware UTC) of every stored post."""
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            rows = session.execute(select(Post.url, Post.last_seen_at))
            return {row.url: row.last_seen_at for row in rows}
    finally:
        engine.dispose()


def rejected_urls(database_url: str) -> dict[str, str]:
    """URL → reason of every rejected page (the last reason when a URL was rejected twice)."""
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            rows = session.execute(
                select(RejectedPageRow.url, RejectedPageRow.reason).order_by(RejectedPageRow.id)
            )
            return {row.url: row.reason for row in rows}
    finally:
        engine.dispose()


def crawl_runs(database_url: str) -> list[CrawlRun]:
    """All crawl-run records, oldest first (detached, readable)."""
    engine = create_engine(database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
            session.expunge_all()
            return runs
    finally:
        engine.dispose()


def shared_path(relative: str) -> Path:
    """Return a file of the shared reference folder, which lies beside the checkout.

    CI clones the repository next to a copy of ``shared/``; a developer's checkout sits next
    to ``/work/shared``. The first that holds ``relative`` wins (the first when neither does).
    """
    candidates = [ROOT.parent / "shared" / relative, Path("/work/shared") / relative]
    return next((path for path in candidates if path.exists()), candidates[0])
