"""What a crawl process does before its first request: the start-up a local crawl pays."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

from crawler.crawl_process import run_crawl_process
from tests.support.crawl import LOOPBACK_SETTINGS, ROOT, crawl_env, migrated_sqlite


class _Process:
    """Stands in for a ``CrawlerProcess``: records what the collector tracks when started."""

    def __init__(self, built: object) -> None:
        self.built = built
        self.tracked_when_started: bool | None = None
        self.frozen_when_started = 0

    def start(self) -> None:
        self.frozen_when_started = gc.get_freeze_count()
        self.tracked_when_started = any(obj is self.built for obj in gc.get_objects())


def test_what_was_built_before_the_crawl_is_out_of_the_collectors_reach() -> None:
    built = {"settings": ["a", "list"]}  # a container: tracked by the collector until frozen
    process = _Process(built)
    assert any(obj is built for obj in gc.get_objects())
    try:
        run_crawl_process(process)
    finally:
        gc.unfreeze()
    assert process.frozen_when_started > 0
    assert process.tracked_when_started is False  # gc.get_objects() leaves frozen ones out


_IMPORTED_AT_EXIT = """
import atexit, runpy, sys
atexit.register(lambda: print("IMPORTED", *sorted({m.split(".")[0] for m in sys.modules})))
sys.argv = ["blogingest", *sys.argv[1:]]
runpy.run_module("blogingest", run_name="__main__")
"""


def test_a_local_crawl_imports_neither_alembic_nor_scrapys_remote_control(tmp_path: Path) -> None:
    """A crawl checks its schema without Alembic and leaves Scrapy's remote shell (aiohttp) out.

    Each was about 0.1 s of every crawl's start-up; a crawl needs neither.
    """
    database_url = migrated_sqlite(tmp_path)
    command = [sys.executable, "-c", _IMPORTED_AT_EXIT, "crawl", "--offline", "-q"]
    done = subprocess.run(
        [*command, *LOOPBACK_SETTINGS],
        cwd=ROOT,
        env=crawl_env(database_url, None, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    imported = set(done.stdout.split("IMPORTED", 1)[1].split())
    assert {"scrapy", "sqlalchemy", "crawler", "storage"} <= imported  # it did crawl
    assert not imported & {"alembic", "aiohttp"}
