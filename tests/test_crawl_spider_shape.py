"""The spider's shape: routes dispatched by ``meta["route"]``, one request builder, the
blogs' registry and its run accounting (no network, no database)."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.spiders.blog_plan import BlogTarget
from crawler.spiders.blog_requests import ROUTE_META, BlogRequests
from crawler.spiders.blog_runs import LocalRuns, SharedRuns
from crawler.spiders.blog_targets import BlogTargets
from crawler.spiders.blogger import BloggerSpider
from crawler.spiders.distributed_plan import blog_plan

START = "http://a.blogspot.com/"


class _State:
    """Stands in for :class:`StoredBlogState`: counts loads, stores nothing."""

    def __init__(self) -> None:
        self.loaded: list[int | None] = []

    def known_posts(self, blog_url: str, *, full: bool) -> dict[str, Any]:
        return {}

    def load(self, target: BlogTarget) -> None:
        self.loaded.append(target.run_id)

    def load_recrawl_state(self, target: BlogTarget) -> None:
        return None


class _Ledger:
    def __init__(self) -> None:
        self.adopted: list[tuple[str, str, int]] = []
        self.sink: Any = None

    def adopt(self, start_url: str, final_url: str, run_id: int) -> None:
        self.adopted.append((start_url, final_url, run_id))


def _targets() -> tuple[BlogTargets, _State, _Ledger]:
    state, ledger = _State(), _Ledger()
    return BlogTargets(state, ledger), state, ledger  # type: ignore[arg-type]


def _open(targets: BlogTargets, *, run_id: int | None = None) -> BlogTarget:
    return targets.open(
        START,
        "https://www.a.test/",
        blog_url="https://www.a.test/",
        last_success=None,
        full=True,
        max_posts=5,
        include_pages=False,
        run_id=run_id,
    )


def test_a_target_carries_its_run_and_options_and_is_found_by_meta() -> None:
    targets, _, _ = _targets()
    target = _open(targets)
    assert (target.full, target.max_posts, target.run_id) == (True, 5, None)
    assert target.hosts == {"a.blogspot.com", "www.a.test"}
    assert targets.of({"blog_start": START}) is target
    assert targets.get(START) is target
    assert list(targets.values()) == [target]
    with pytest.raises(KeyError):
        targets.of({"blog_start": "http://b.blogspot.com/"})


def test_a_plan_rebuilds_the_target_once_per_run() -> None:
    targets, state, ledger = _targets()
    plan = blog_plan(_open(targets, run_id=7))
    assert targets.of({"blog_start": START, "blog_plan": plan}) is targets.get(START)
    assert state.loaded == []  # the same run: the target this process made is used
    newer = targets.of({"blog_start": START, "blog_plan": {**plan, "run_id": 8}})
    assert (newer.run_id, newer.full, newer.max_posts) == (8, True, 5)
    assert targets.of({"blog_start": START, "blog_plan": {**plan, "run_id": 8}}) is newer
    assert state.loaded == [8]
    assert ledger.adopted == [(START, "https://www.a.test/", 8)]


def test_a_run_waited_for_never_replaces_one_this_process_opened() -> None:
    targets, _, _ = _targets()
    targets.note_run(START, 3, opened=True)
    targets.note_run(START, 4, opened=False)
    targets.note_run("http://b.blogspot.com/", 9, opened=False)
    runs = targets.opened_runs()
    runs.clear()  # a copy: the registry's own state is not handed out
    assert targets.opened_runs() == {START: 3, "http://b.blogspot.com/": 9}


def test_requests_name_their_route_and_carry_their_runs_meta() -> None:
    targets, _, ledger = _targets()
    target = _open(targets, run_id=7)
    local = BlogRequests(print, print, LocalRuns(ledger))  # type: ignore[arg-type]
    request = local.for_blog("feed", target, "https://www.a.test/feeds", priority=20)
    assert request.meta == {"blog_start": START, ROUTE_META: "feed"}
    assert request.priority == 20
    shared = BlogRequests(print, print, SharedRuns(ledger, targets))  # type: ignore[arg-type]
    request = shared.for_blog("sitemap", target, "https://www.a.test/s", meta={"x": 1})
    assert request.meta == {
        "blog_start": START,
        "run_id": 7,
        "blog_plan": blog_plan(target),
        "x": 1,
        ROUTE_META: "sitemap",
    }


def _spider(**settings: Any) -> BloggerSpider:
    crawler = get_crawler(BloggerSpider, settings_dict={"DATABASE_URL": "sqlite://", **settings})
    spider = BloggerSpider(blogs=START)
    spider.crawler = crawler
    spider.assemble(crawler)
    return spider


def test_assemble_lists_every_route_once_and_picks_the_run_accounting() -> None:
    spider = _spider()
    assert {"home", "feed", "comments_feed", "sitemap", "listing", "post"} <= set(spider.routes)
    assert all(name == route.name for name, route in spider.routes.items())
    assert isinstance(spider.runs, LocalRuns)
    assert isinstance(_spider(BLOGINGEST_DISTRIBUTED=True).runs, SharedRuns)


def test_responses_and_failures_go_to_the_route_their_request_names() -> None:
    spider = _spider()
    seen: list[tuple[str, Any]] = []

    class Probe:
        name = "probe"

        def parse(self, response: Any) -> Any:
            seen.append(("parse", response.url))
            yield {"parsed": response.url}

        def failed(self, failure: Any) -> Any:
            seen.append(("failed", failure.request.url))
            return iter(())

    spider.routes["probe"] = Probe()
    request = Request("http://a.blogspot.com/x", meta={ROUTE_META: "probe"})
    response = HtmlResponse(request.url, body=b"", request=request)
    assert list(spider.route_response(response)) == [{"parsed": request.url}]

    class Failure:
        pass

    failure = Failure()
    failure.request = request  # type: ignore[attr-defined]
    assert list(spider.route_failure(failure)) == []
    assert seen == [("parse", request.url), ("failed", request.url)]
