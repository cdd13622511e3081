"""Scale-out end to end: three ``blogingest worker`` processes, one Redis, one PostgreSQL.

The fake blog (1,000 posts) is served on 127.0.0.1 and reached through its proxy. One start
job is queued; the workers share the scrapy-redis queue. Midway one worker is SIGKILLed; the
run closes as interrupted (or success, if it lost nothing), and a second run completes the set.
After one post is edited and one added, a third (incremental) run fetches just those.
"""

from __future__ import annotations

import signal
from collections import Counter
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from crawler.distributed.start_jobs import StartJob, push_start_job
from storage.models import Post
from tests.fakeblog import FakeBlogger, serve
from tests.support.crawl import StoredPost, crawl_runs, stored_posts
from tests.support.distributed import (
    fresh_redis,
    fresh_schema,
    responses_by_worker,
    running_workers,
    runs_closed,
    wait_for,
)
from tests.support.postgres import postgres_url  # noqa: F401 - the fixture, by name
from tests.support.redis_server import redis_url  # noqa: F401 - the fixture, by name

pytestmark = [pytest.mark.slow, pytest.mark.redis, pytest.mark.postgres]

POSTS = 1000
BLOG = "http://bench.blogspot.com/"


@dataclass
class History:
    expected: set[str]
    shares_before_kill: dict[str, int]
    stored_after_first: set[str]
    second_post_fetches: Counter[str]
    statuses: list[str]
    second_found: int
    third_fetched: int
    edited_url: str
    added_url: str
    stored: dict[str, StoredPost]
    row_count: int
    distinct_ids: int
    exit_codes: dict[str, int | None]
    leftovers: list[str]


@pytest.fixture(scope="module")
def history(
    redis_url: str,  # noqa: F811 - the imported fixture
    postgres_url: str,  # noqa: F811 - the imported fixture
    tmp_path_factory: pytest.TempPathFactory,
) -> History:
    workdir = tmp_path_factory.mktemp("scaleout")
    fresh_schema(postgres_url)
    server = fresh_redis(redis_url)
    site = FakeBlogger.single(posts=POSTS)
    with (
        serve(site) as blog_server,
        running_workers(
            3,
            redis_url=redis_url,
            database_url=postgres_url,
            proxy_url=blog_server.proxy_url,
            workdir=workdir,
        ) as workers,
    ):
        push_start_job(server, StartJob(blog=BLOG))
        wait_for(
            lambda: min(responses_by_worker(server).get(name, 0) for name in workers) >= 80,
            timeout=60,
            what="every worker to handle 80 responses",
        )
        shares = responses_by_worker(server)
        workers["w3"].send_signal(signal.SIGKILL)
        wait_for(lambda: runs_closed(postgres_url, 1), timeout=60, what="the first run to close")
        stored_after_first = set(stored_posts(postgres_url))
        blog_server.reset_log()
        push_start_job(server, StartJob(blog=BLOG))
        wait_for(lambda: runs_closed(postgres_url, 2), timeout=60, what="the second run to close")
        second_post_fetches = Counter(
            f"https://{record.host}{record.path}"
            for record in blog_server.requests
            if record.path.endswith(".html")
        )
        blog = site.blogs[0]
        edited = blog.edit_post(blog.posts[0].post_id, title="Edited while the workers idled")
        added = blog.add_post(title="Written after the second run")
        push_start_job(server, StartJob(blog=BLOG))
        wait_for(lambda: runs_closed(postgres_url, 3), timeout=60, what="the third run to close")
        leftovers = sorted(
            key.decode()
            for pattern in ("blogingest:run:*", "blogingest:seen*", "blogingest:start_jobs")
            for key in server.keys(pattern)
        ) + [f"queue={server.zcard('blogingest:requests')}"]
        for name in ("w1", "w2"):
            workers[name].terminate()
        exit_codes = {name: process.wait(timeout=30) for name, process in workers.items()}
    engine = create_engine(postgres_url)
    with Session(engine) as session:
        row_count = session.scalar(select(func.count()).select_from(Post)) or 0
        distinct_ids = session.scalar(select(func.count(func.distinct(Post.url)))) or 0
    engine.dispose()
    runs = crawl_runs(postgres_url)
    return History(
        expected=set(site.expected_posts()),
        shares_before_kill=shares,
        stored_after_first=stored_after_first,
        second_post_fetches=second_post_fetches,
        statuses=[run.status for run in runs],
        second_found=runs[1].counts.get("found", 0),
        third_fetched=runs[2].counts.get("fetched", 0),
        edited_url=edited.canonical_url,
        added_url=added.canonical_url,
        stored=stored_posts(postgres_url),
        row_count=row_count,
        distinct_ids=distinct_ids,
        exit_codes=exit_codes,
        leftovers=leftovers,
    )


def test_every_post_is_stored_exactly_once_after_a_worker_was_killed(history: History) -> None:
    assert set(history.stored) == history.expected
    assert history.row_count == len(history.expected) == POSTS + 1
    assert history.distinct_ids == POSTS + 1


def test_the_next_run_fetches_each_missing_post_once_across_workers(
    history: History,
) -> None:
    # Run 2 compares feed and sitemap with the database: it fetches every post run 1 did not
    # store although run 1 had fetched some of them (the seen-set is scoped to a run), and no
    # post page twice although feed and sitemap both list every post and three workers read
    # them.
    missing = history.expected - history.stored_after_first - {history.added_url}
    assert missing
    assert missing <= set(history.second_post_fetches)
    assert max(history.second_post_fetches.values()) == 1
    # Feed and sitemap list each post, often read by different workers: decided once per run.
    assert history.second_found == POSTS


def test_an_incremental_run_shares_the_stored_state_and_fetches_only_changes(
    history: History,
) -> None:
    assert history.third_fetched <= 3
    assert history.stored[history.edited_url].title == "Edited while the workers idled"
    assert history.stored[history.added_url].title == "Written after the second run"


def test_each_of_the_three_workers_handled_a_real_share(history: History) -> None:
    shares = history.shares_before_kill
    total = sum(shares.values())
    assert set(shares) == {"w1", "w2", "w3"}
    assert all(count >= total * 0.1 for count in shares.values()), shares


def test_the_killed_run_is_closed_and_the_next_run_succeeds(history: History) -> None:
    assert history.statuses[0] in {"interrupted", "success"}
    assert history.statuses[1:] == ["success", "success"]


def test_surviving_workers_exit_cleanly_on_sigterm(history: History) -> None:
    assert history.exit_codes["w1"] == 0
    assert history.exit_codes["w2"] == 0
    assert history.exit_codes["w3"] == -signal.SIGKILL


def test_closed_runs_leave_no_queue_seen_set_or_accounts_in_redis(history: History) -> None:
    assert history.leftovers == ["queue=0"]
