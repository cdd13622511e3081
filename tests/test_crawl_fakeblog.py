"""End to end: `blogingest crawl` subprocesses against the fake Blogger, through its proxy.

One module fixture runs three crawls of the default fake site (3 blogs, 3 theme families,
faults): a first full crawl; then, after one post is edited, one added and one commented, a
recrawl; then a recrawl of the unchanged site. Each test checks one promise on that history.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.fakeblog import FakeBlogger, FaultKind, RequestRecord, serve
from tests.support.crawl import (
    StoredPost,
    crawl_runs,
    last_seen_times,
    migrated_sqlite,
    rejected_urls,
    run_crawl,
    stored_posts,
)

pytestmark = pytest.mark.slow

BLOGS = [
    "http://fake-layouts.blogspot.com/",
    "http://fake-contempo.blogspot.com/",
    "http://fake-plusui.blogspot.com/",
]


@dataclass
class Crawl:
    exit_code: int
    stderr: str
    stored: dict[str, StoredPost]
    expected: dict[str, tuple[str, list[str], int | None]]
    """Canonical URL → (title, paragraphs, comment count) the site served at crawl time."""
    post_requests: list[RequestRecord]
    started_at: datetime
    last_seen: dict[str, datetime]
    """Canonical URL → ``last_seen_at`` after the crawl."""


@dataclass
class History:
    site: FakeBlogger
    database_url: str
    crawls: list[Crawl] = field(default_factory=list)
    changed: dict[str, str] = field(default_factory=dict)
    """What changed before the second crawl: edited / added / commented → post path."""

    def faulty_paths(self, *kinds: FaultKind) -> set[str]:
        """Paths of the posts with a fault (of one of ``kinds``, when given)."""
        return {
            post.path
            for post, fault in self.site.faulty_posts().values()
            if not kinds or fault.kind in kinds
        }


def _snapshot(
    site: FakeBlogger, server: object, database_url: str, process: object, started_at: datetime
) -> Crawl:
    requests = [r for r in server.requests if r.path.endswith(".html") and r.path[1:5].isdigit()]  # type: ignore[attr-defined]
    return Crawl(
        exit_code=process.returncode,  # type: ignore[attr-defined]
        stderr=process.stderr,  # type: ignore[attr-defined]
        stored=stored_posts(database_url),
        expected={
            url: (post.title, list(post.paragraphs), post.comment_count)
            for url, post in site.expected_posts().items()
        },
        post_requests=requests,
        started_at=started_at,
        last_seen=last_seen_times(database_url),
    )


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    directory = tmp_path_factory.mktemp("crawl")
    database_url = migrated_sqlite(directory)
    site = FakeBlogger.default(seed=1)
    result = History(site=site, database_url=database_url)
    with serve(site) as server:

        def crawl() -> None:
            server.reset_log()
            started_at = datetime.now(UTC)
            process = run_crawl(
                BLOGS, database_url=database_url, data_dir=directory, proxy_url=server.proxy_url
            )
            result.crawls.append(_snapshot(site, server, database_url, process, started_at))

        crawl()
        layouts = site.blogs[0]
        faulty = result.faulty_paths()
        healthy = [post for post in layouts.posts if post.path not in faulty]
        edited = layouts.edit_post(healthy[1].post_id, ["A rewritten first paragraph.", "More."])
        added = layouts.add_post(title="A brand new post", paragraphs=["Fresh words here."])
        commented = next(p for p in healthy[4:] if p.comment_count is not None)
        comment = layouts.add_comment(commented.post_id)
        # The fake stamps each change a second after the previous one, so the last change may
        # lie a moment in our future; a real server's changes are in its past when we look.
        time.sleep(max(0.0, (comment.published - datetime.now(UTC)).total_seconds()) + 0.2)
        result.changed = {"edited": edited.path, "added": added.path, "commented": commented.path}
        crawl()
        crawl()
    return result


def _differences(crawl: Crawl) -> list[str]:
    problems = []
    for url, (title, paragraphs, comments) in crawl.expected.items():
        got = crawl.stored.get(url)
        if got is None:
            problems.append(f"missing {url}")
            continue
        if got.title != title:
            problems.append(f"title of {url}: {got.title!r} != {title!r}")
        if got.body_paragraphs != paragraphs:
            problems.append(f"body of {url} differs")
        if got.comment_count != comments:
            problems.append(f"comments of {url}: {got.comment_count} != {comments}")
    problems.extend(f"unexpected {url}" for url in set(crawl.stored) - set(crawl.expected))
    return problems


def test_the_first_crawl_stores_exactly_the_expected_posts(history: History) -> None:
    first = history.crawls[0]
    assert first.exit_code == 0, first.stderr
    assert len(first.expected) == 60
    assert _differences(first) == []


def test_faulty_pages_are_recorded_and_the_crawl_goes_on(history: History) -> None:
    rejects = rejected_urls(history.database_url)
    reasons = {url.split("?")[0].rsplit("/", 1)[-1]: reason for url, reason in rejects.items()}
    faults = {
        post.path.rsplit("/", 1)[-1]: fault.kind.value
        for post, fault in history.site.faulty_posts().values()
        if not fault.post_is_servable
    }
    assert set(faults) <= set(reasons)
    by_kind = {kind: reasons[name] for name, kind in faults.items()}
    assert by_kind["deleted"] == "HTTP 404"
    assert "redirect" in by_kind["redirect-loop"]
    assert "truncated" in by_kind["truncated"]
    assert by_kind["not-a-post"].startswith("not a post")
    assert by_kind["js-shell"].startswith("not a post")


def test_every_blog_gets_a_successful_run_record_with_its_counts(history: History) -> None:
    runs = crawl_runs(history.database_url)
    assert len(runs) == 9
    first = {run.blog_url: run for run in runs[:3]}
    assert set(first) == {
        "https://fake-layouts.blogspot.com/",
        "https://www.fake-contempo.test/",
        "https://fake-plusui.blogspot.com/",
    }
    assert all(run.status == "success" and run.exit_code == 0 for run in runs)
    layouts = first["https://fake-layouts.blogspot.com/"].counts
    assert (layouts["new"], layouts["failed"]) == (24, 1)


def test_a_recrawl_fetches_only_the_changed_posts_and_stores_the_new_state(
    history: History,
) -> None:
    second = history.crawls[1]
    assert second.exit_code == 0, second.stderr
    healthy = {r.path for r in second.post_requests if r.path not in history.faulty_paths()}
    assert healthy == set(history.changed.values())
    assert _differences(second) == []
    layouts = next(
        run
        for run in crawl_runs(history.database_url)[3:6]
        if run.blog_url == "https://fake-layouts.blogspot.com/"
    )
    assert (layouts.counts["new"], layouts.counts["updated"]) == (1, 2)


def test_a_crawl_of_an_unchanged_blog_fetches_no_post_page(history: History) -> None:
    third = history.crawls[2]
    assert third.exit_code == 0, third.stderr
    # Only pages whose fetch failed before are tried again (a deleted post, a redirect loop, a
    # truncated page): a page the parser rejected as not a post is as unchanged as any post.
    retried = history.faulty_paths(FaultKind.DELETED, FaultKind.REDIRECT_LOOP, FaultKind.TRUNCATED)
    assert retried
    assert {r.path for r in third.post_requests} == retried
    assert _differences(third) == []


def test_every_post_discovery_listed_is_marked_seen_by_each_crawl(history: History) -> None:
    # The second and third crawls refetch next to nothing, yet discovery lists every post.
    for crawl in history.crawls:
        stale = {
            url: seen
            for url, seen in crawl.last_seen.items()
            if url in crawl.expected and seen < crawl.started_at
        }
        assert stale == {}, f"{len(stale)} posts not marked seen by the crawl"


def test_a_bad_blog_url_is_refused_in_one_line_before_any_request(tmp_path: Path) -> None:
    site = FakeBlogger.default(seed=1, faults=False)
    with serve(site) as server:
        process = run_crawl(
            ["http://fake-layouts.blogspot.com/", "ftp://nope"],
            database_url=migrated_sqlite(tmp_path),
            data_dir=tmp_path,
            proxy_url=server.proxy_url,
        )
        assert server.requests == []
    assert process.returncode == 2
    assert process.stderr.strip().splitlines() == [
        "blogingest crawl: not a blog URL: 'ftp://nope' (expected http(s)://HOST/ or HOST)"
    ]


def test_an_unmigrated_database_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    url = f"sqlite:///{path}"
    process = run_crawl(["http://fake-layouts.blogspot.com/"], database_url=url, data_dir=tmp_path)
    assert process.returncode == 1
    assert process.stderr.strip().splitlines() == [
        f"blogingest crawl: database {url} is not migrated (no schema): run `blogingest db upgrade`"
    ]


def test_a_missing_database_file_is_refused_not_created(tmp_path: Path) -> None:
    path = tmp_path / "absent.db"
    url = f"sqlite:///{path}"
    process = run_crawl(["http://fake-layouts.blogspot.com/"], database_url=url, data_dir=tmp_path)
    assert process.returncode == 1
    assert process.stderr.strip().splitlines() == [
        f"blogingest crawl: database {url} does not exist: run `blogingest db upgrade`"
    ]
    assert not path.exists()
