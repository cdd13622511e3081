"""End to end against a hostile fake blog on 127.0.0.1: markup past lxml's limits, unsafe
charsets, NUL bytes, a huge ``Retry-After``, a page slower than the timeout, a gzip bomb and a
page over the 16 MiB cap.

One module fixture crawls the blog twice (``blogingest crawl`` subprocesses through the fake's
proxy). Servable faults must give the post whole; the rest must be recorded with a short
reason, once per URL and reason, and be asked again by the next run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from storage.models import RejectedPageRow
from tests.fakeblog import BlogSpec, FakeBlogger, Fault, FaultKind, serve
from tests.support.crawl import crawl_runs, migrated_sqlite, run_crawl, stored_posts

pytestmark = pytest.mark.slow

HOST = "hostile.blogspot.com"
FAULTS = {
    1: Fault(FaultKind.UNCLOSED_FONT, depth=600),
    2: Fault(FaultKind.UNCLOSED_FONT, depth=3000),
    3: Fault(FaultKind.DEEP_NESTING, depth=2500),
    4: Fault(FaultKind.UNSAFE_CHARSET),
    5: Fault(FaultKind.NUL_BYTES),
    6: Fault(FaultKind.RETRY_AFTER, status=503, retry_after="86400"),
    7: Fault(FaultKind.RETRY_AFTER, status=429, retry_after="Fri, 01 Jan 2100 00:00:00 GMT"),
    8: Fault(FaultKind.SLOW, delay=20.0),
    9: Fault(FaultKind.GZIP_BOMB),
    10: Fault(FaultKind.OVERSIZED),
}
# The crawl's download timeout is far below the slow page's delay, so that page times out, and
# far above what any other page takes on a loaded 2-core machine, so that nothing else does.
# RETRY_TIMES stays 3: a retried URL would be asked 4 times a run.
SETTINGS = ["-s", "DOWNLOAD_TIMEOUT=4", "-s", "RETRY_TIMES=3"]


@dataclass
class Crawls:
    site: FakeBlogger
    database_url: str
    exit_codes: list[int] = field(default_factory=list)
    post_requests: list[dict[str, int]] = field(default_factory=list)


def _path(site: FakeBlogger, index: int) -> str:
    return site.blog(HOST).posts[index].path


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> Crawls:
    directory = tmp_path_factory.mktemp("hostile")
    site = FakeBlogger([BlogSpec(HOST, theme="layouts", posts=12, faults=FAULTS)], seed=3)
    result = Crawls(site=site, database_url=migrated_sqlite(directory))
    with serve(site) as server:
        for _ in range(2):
            server.reset_log()
            process = run_crawl(
                [f"http://{HOST}/", *SETTINGS],
                database_url=result.database_url,
                data_dir=directory,
                proxy_url=server.proxy_url,
            )
            result.exit_codes.append(process.returncode)
            counts: dict[str, int] = {}
            for record in server.requests:
                counts[record.path] = counts.get(record.path, 0) + 1
            result.post_requests.append(counts)
    return result


def _rejects(database_url: str) -> list[tuple[str, str, int]]:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            query = select(
                RejectedPageRow.url, RejectedPageRow.reason, RejectedPageRow.times_rejected
            ).order_by(RejectedPageRow.id)
            return [(row.url, row.reason, row.times_rejected) for row in session.execute(query)]
    finally:
        engine.dispose()


def _reason_of(crawls: Crawls, index: int) -> tuple[str, int]:
    path = _path(crawls.site, index)
    found = [(reason, times) for url, reason, times in _rejects(crawls.database_url) if path in url]
    assert len(found) == 1, found  # one row per URL and reason, however many runs
    return found[0]


def test_servable_hostile_pages_are_stored_whole(crawls: Crawls) -> None:
    stored = stored_posts(crawls.database_url)
    expected = crawls.site.expected_posts()
    for index in (1, 2, 4, 5):
        post = crawls.site.blog(HOST).posts[index]
        got = stored.get(post.canonical_url)
        assert got is not None, FAULTS[index]
        assert got.body_paragraphs == list(expected[post.canonical_url].paragraphs), FAULTS[index]
        assert got.title == post.title


def test_a_page_too_deep_to_parse_is_a_reject_with_its_reason_and_bytes(crawls: Crawls) -> None:
    reason, times = _reason_of(crawls, 3)
    assert reason == "unreadable: nested too deeply to parse"
    assert times == 2
    assert _path(crawls.site, 3) not in " ".join(stored_posts(crawls.database_url))


@pytest.mark.parametrize("index", [6, 7])
def test_a_huge_retry_after_is_not_retried_but_left_for_the_next_run(
    crawls: Crawls, index: int
) -> None:
    path = _path(crawls.site, index)
    # Once a run (Twisted may resend a GET once on a connection the server dropped meanwhile).
    asked = [counts.get(path, 0) for counts in crawls.post_requests]
    assert all(1 <= times <= 2 for times in asked), asked
    reason, times = _reason_of(crawls, index)
    assert reason.startswith(f"HTTP {FAULTS[index].status}, Retry-After ")
    assert "left for the next run" in reason
    assert times == 2


def test_a_timeout_is_recorded_as_timeout(crawls: Crawls) -> None:
    assert _reason_of(crawls, 8) == ("timeout", 2)


@pytest.mark.parametrize("index", [9, 10])
def test_a_gzip_bomb_and_a_page_over_16_mib_are_cut_off_and_recorded(
    crawls: Crawls, index: int
) -> None:
    assert _reason_of(crawls, index) == ("over the size cap (DOWNLOAD_MAXSIZE)", 2)


def test_the_runs_name_each_failure_and_the_crawl_goes_on(crawls: Crawls) -> None:
    assert crawls.exit_codes == [0, 0]
    first = crawl_runs(crawls.database_url)[0]
    errors = "\n".join(first.errors)
    assert "Retry-After" in errors
    assert "timeout" in errors
    assert "Error:" not in errors  # short reasons, never an exception's class name
    assert first.counts["failed"] == 5
