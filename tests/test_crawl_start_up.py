"""What a crawl process does before its first request: the start-up a local crawl pays."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.crawl_process import crawl_start_up
from tests.support.crawl import LOOPBACK_SETTINGS, ROOT, crawl_env, migrated_sqlite


def _tracked(obj: object) -> bool:
    return any(found is obj for found in gc.get_objects())


def test_what_the_start_up_built_is_frozen_out_of_the_collectors_reach() -> None:
    seen_inside: list[bool] = []
    try:
        with crawl_start_up():
            seen_inside.append(gc.isenabled())
            built = {"settings": ["a", "list"]}  # a container: tracked until frozen
        assert gc.get_freeze_count() > 0
        assert not _tracked(built)  # gc.get_objects() leaves frozen objects out
    finally:
        gc.unfreeze()
    assert seen_inside == [False]  # paused while building
    assert gc.isenabled()


def test_a_failed_start_up_freezes_nothing_and_resumes_the_collector() -> None:
    frozen = gc.get_freeze_count()
    built: dict[str, list[str]] = {}

    def refused_start_up() -> None:
        with crawl_start_up():
            built["settings"] = ["a", "list"]
            raise RuntimeError("bad option")

    with pytest.raises(RuntimeError):
        refused_start_up()
    assert gc.get_freeze_count() == frozen
    assert _tracked(built)
    assert gc.isenabled()


_IMPORTED_AT_EXIT = """
import atexit, gc, runpy, sys
atexit.register(lambda: print("IMPORTED", *sorted({m.split(".")[0] for m in sys.modules})))
atexit.register(lambda: print("FROZEN", gc.get_freeze_count()))
sys.argv = ["blogingest", *sys.argv[1:]]
runpy.run_module("blogingest", run_name="__main__")
"""


def test_a_local_crawl_starts_up_without_alembic_redis_or_scrapys_remote_control(
    tmp_path: Path,
) -> None:
    """A crawl checks its schema without Alembic, imports Redis only when distributed, and
    leaves Scrapy's remote shell (aiohttp) out.

    Each was 0.04 to 0.1 s of every crawl's start-up; a single-process crawl needs none.
    What it built before its first request is frozen
    (:func:`crawler.crawl_process.crawl_start_up`).
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
    imported = set(done.stdout.split("IMPORTED", 1)[1].split("FROZEN", 1)[0].split())
    assert int(done.stdout.split("FROZEN", 1)[1].split()[0]) > 0
    assert {"scrapy", "sqlalchemy", "crawler", "storage"} <= imported  # it did crawl
    assert not imported & {"alembic", "aiohttp", "redis", "scrapy_redis"}
