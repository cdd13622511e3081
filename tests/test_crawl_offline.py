"""Offline: the seeds crawl into the database with no network, through the live crawl's path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.crawl import (
    ROOT,
    crawl_env,
    migrated_sqlite,
    run_crawl,
    shared_path,
    stored_posts,
)

pytestmark = pytest.mark.slow

SEED_EXPECTED = shared_path("seed/seed-post.expected.json")
SEED_URL = "https://southasia-monitor.blogspot.com/2021/11/isi-backing-small-jihadi-outfits-in.html"


def _expected_seed() -> dict[str, object]:
    if not SEED_EXPECTED.is_file():
        pytest.skip(f"seed expectation not found at {SEED_EXPECTED}")
    return dict(json.loads(SEED_EXPECTED.read_text(encoding="utf-8")))


def test_blogingest_crawl_offline_stores_the_seed_post_as_expected(tmp_path: Path) -> None:
    expected = _expected_seed()
    url = migrated_sqlite(tmp_path)
    # No proxy at all: a request that escaped the seeds middleware would fail, not succeed.
    process = run_crawl(["--offline"], database_url=url, data_dir=tmp_path)
    assert process.returncode == 0, process.stderr
    stored = stored_posts(url)
    seed = stored[SEED_URL]
    assert seed.title == expected["title"]
    assert seed.body_paragraphs == expected["body_paragraphs"]
    assert seed.comment_count == expected["comment_count"]
    assert len(stored) == 3  # the seed post and the two bakery posts


def test_an_offline_recrawl_fetches_nothing_new_and_changes_nothing(tmp_path: Path) -> None:
    url = migrated_sqlite(tmp_path)
    first = run_crawl(["--offline"], database_url=url, data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    before = stored_posts(url)
    second = run_crawl(["--offline"], database_url=url, data_dir=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "fetched 0," in second.stderr
    assert stored_posts(url) == before


def test_scrapy_crawl_seeds_stores_the_seed_post(tmp_path: Path) -> None:
    expected = _expected_seed()
    url = migrated_sqlite(tmp_path)
    process = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "seeds", "-s", "LOG_LEVEL=WARNING"],
        cwd=ROOT,
        env=crawl_env(url, None, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert process.returncode == 0, process.stderr
    assert stored_posts(url)[SEED_URL].body_paragraphs == expected["body_paragraphs"]


def test_a_blog_without_feed_or_sitemap_is_crawled_through_its_home_page_pager(
    tmp_path: Path,
) -> None:
    source = ROOT / "seeds" / "harbour-bakery-notes.blogspot.com"
    blog = tmp_path / "seeds" / source.name
    for name in (
        "index.html",
        "2023/03/rye-starter-in-cold-kitchen.html",
        "2023/05/seeded-loaf-for-ferry-crews.html",
    ):
        (blog / name).parent.mkdir(parents=True, exist_ok=True)
        (blog / name).write_bytes((source / name).read_bytes())
    url = migrated_sqlite(tmp_path)
    process = run_crawl(
        ["--offline", "--seeds-dir", str(tmp_path / "seeds")], database_url=url, data_dir=tmp_path
    )
    assert process.returncode == 0, process.stderr
    assert "feed http://harbour-bakery-notes.blogspot.com/feeds/posts/default" in process.stderr
    assert sorted(stored_posts(url)) == [
        "https://harbour-bakery-notes.blogspot.com/2023/03/rye-starter-in-cold-kitchen.html",
        "https://harbour-bakery-notes.blogspot.com/2023/05/seeded-loaf-for-ferry-crews.html",
    ]
