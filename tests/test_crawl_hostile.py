"""Hostile servers: a blog that impersonates another, redirects away, pages or indexes forever.

Each test runs real ``blogingest crawl`` subprocesses against the fake Blogger (127.0.0.1 only)
with one hostile fault set; every loop the server offers is endless on purpose, so each test
also proves the crawl ends (the subprocess has a timeout) and names the bound it hit.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from blogingest.cli import main
from storage.models import Blog
from tests.fakeblog import BlogSpec, FakeBlogger, Fault, FaultKind, serve
from tests.support.crawl import (
    crawl_runs,
    migrated_sqlite,
    rejected_urls,
    run_crawl,
    stored_posts,
)

pytestmark = pytest.mark.slow

VICTIM = "victim.blogspot.com"
ATTACKER = "attacker.blogspot.com"


def _site() -> FakeBlogger:
    return FakeBlogger(
        [
            BlogSpec(VICTIM, theme="layouts", posts=6, title="Victim"),
            BlogSpec(ATTACKER, theme="contempo", posts=6, title="Attacker"),
        ]
    )


def _blog_rows(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            return sorted(session.scalars(select(Blog.url)))
    finally:
        engine.dispose()


def _attack(site: FakeBlogger) -> dict[str, str]:
    """Arm the attacker's posts against the victim; return each armed post's path by role."""
    victim, attacker = site.blog(VICTIM), site.blog(ATTACKER)
    posts = attacker.posts
    attacks = {
        "robots": Fault(FaultKind.REDIRECT_AWAY, target=f"http://{VICTIM}/robots.txt"),
        "away": Fault(FaultKind.REDIRECT_AWAY, target=victim.posts[2].url),
        "forged": Fault(FaultKind.FORGED_CANONICAL, target=victim.posts[0].url),
        "impersonate": Fault(FaultKind.IMPERSONATE, target=victim.posts[1].url),
    }
    roles = {}
    for post, (role, fault) in zip(posts, attacks.items(), strict=False):
        attacker.set_fault(post, fault)
        roles[role] = post.path
    return roles


def _crawl(server: object, host: str, tmp_path: Path, database_url: str, *extra: str) -> object:
    return run_crawl(
        [f"http://{host}/", *extra],
        database_url=database_url,
        data_dir=tmp_path,
        proxy_url=server.proxy_url,  # type: ignore[attr-defined]
    )


def _check_attack_recorded(database_url: str, roles: dict[str, str], stderr: str) -> None:
    """The attacker's own run: forged page kept under its own URL, the rest failed or rejected."""
    stored = stored_posts(database_url)
    assert f"https://{ATTACKER}{roles['forged']}" in stored
    assert not any(url.endswith(roles["impersonate"]) for url in stored)
    rejects = rejected_urls(database_url)
    impersonated = rejects[f"http://{ATTACKER}{roles['impersonate']}"]
    assert "another blog's page" in impersonated
    for role in ("robots", "away"):
        assert rejects[f"http://{ATTACKER}{roles[role]}"] == f"redirected off the blog to {VICTIM}"
    run = [run for run in crawl_runs(database_url) if run.blog_url == f"https://{ATTACKER}/"][-1]
    assert run.counts["failed"] == 2, stderr
    assert sum(f"redirected off the blog to {VICTIM}" in error for error in run.errors) == 2


def test_a_blog_naming_another_blogs_posts_never_writes_them(tmp_path: Path) -> None:
    site = _site()
    database_url = migrated_sqlite(tmp_path)
    with serve(site) as server:
        first = _crawl(server, VICTIM, tmp_path, database_url)
        assert first.returncode == 0, first.stderr  # type: ignore[attr-defined]
        before = stored_posts(database_url)
        roles = _attack(site)
        server.reset_log()
        attacked = _crawl(server, ATTACKER, tmp_path, database_url)
        victim_requests = [r for r in server.requests if r.host == VICTIM]
        server.reset_log()
        again = _crawl(server, VICTIM, tmp_path, database_url)
        assert again.returncode == 0, again.stderr  # type: ignore[attr-defined]
    after = stored_posts(database_url)
    assert {url: after[url] for url in before} == before
    assert victim_requests == []  # robots.txt included
    assert _blog_rows(database_url) == [f"https://{ATTACKER}/", f"https://{VICTIM}/"]
    _check_attack_recorded(database_url, roles, attacked.stderr)  # type: ignore[attr-defined]
    # Re-parsing the kept pages (the forged one, the impersonating reject) obeys the same rule.
    assert main(["reparse", "--db", database_url]) == 0
    reparsed = stored_posts(database_url)
    assert {url: reparsed[url] for url in before} == before
    assert set(reparsed) == set(after)
    assert _blog_rows(database_url) == [f"https://{ATTACKER}/", f"https://{VICTIM}/"]


def test_an_attack_on_an_uncrawled_blog_creates_no_row_for_it(tmp_path: Path) -> None:
    site = _site()
    database_url = migrated_sqlite(tmp_path)
    roles = _attack(site)
    with serve(site) as server:
        attacked = _crawl(server, ATTACKER, tmp_path, database_url)
        victim_requests = [r for r in server.requests if r.host == VICTIM]
    assert victim_requests == []
    assert _blog_rows(database_url) == [f"https://{ATTACKER}/"]
    assert not any(VICTIM in url for url in stored_posts(database_url))
    _check_attack_recorded(database_url, roles, attacked.stderr)  # type: ignore[attr-defined]


def _run_of(database_url: str, host: str) -> Any:
    return [run for run in crawl_runs(database_url) if run.blog_url == f"https://{host}/"][-1]


def test_a_feed_that_pages_over_the_same_entries_forever_is_stopped_and_named(
    tmp_path: Path,
) -> None:
    site = FakeBlogger([BlogSpec(VICTIM, posts=30, feed_cap=10)])
    site.blog(VICTIM).set_fault("/feeds/posts/default", Fault(FaultKind.ENDLESS_FEED))
    database_url = migrated_sqlite(tmp_path)
    with serve(site) as server:
        started = time.monotonic()
        crawl = _crawl(server, VICTIM, tmp_path, database_url)
        elapsed = time.monotonic() - started
        feed_requests = server.count(path_prefix="/feeds/posts/default")
    assert crawl.returncode == 1, crawl.stderr  # type: ignore[attr-defined]
    assert feed_requests == 2  # the first page, and the one that repeated it
    assert elapsed < 60
    run = _run_of(database_url, VICTIM)
    assert run.status == "failed"
    assert any("brought no new entries" in error for error in run.errors), run.errors
    # The sitemap still lists every post: nothing is lost while the feed is cut off.
    assert set(stored_posts(database_url)) == set(site.expected_posts())


def test_a_sitemap_index_with_ten_thousand_children_is_read_only_to_its_bound(
    tmp_path: Path,
) -> None:
    site = FakeBlogger([BlogSpec(VICTIM, posts=12)])
    site.blog(VICTIM).set_fault("/sitemap.xml", Fault(FaultKind.HUGE_SITEMAP_INDEX))
    database_url = migrated_sqlite(tmp_path)
    with serve(site) as server:
        crawl = _crawl(
            server, VICTIM, tmp_path, database_url, "-s", "BLOGINGEST_SITEMAP_MAX_CHILDREN=40"
        )
        children = server.count(path_prefix="/sitemap.xml") - 1
    assert crawl.returncode == 1, crawl.stderr  # type: ignore[attr-defined]
    assert children == 40
    run = _run_of(database_url, VICTIM)
    assert run.status == "failed"
    assert any(
        "sitemap children: 40 read" in error and "9960 more" in error for error in run.errors
    ), run.errors
    assert set(stored_posts(database_url)) == set(site.expected_posts())


def test_a_blog_that_needs_more_requests_than_its_budget_fails_naming_it(tmp_path: Path) -> None:
    site = FakeBlogger([BlogSpec(VICTIM, posts=20)])
    database_url = migrated_sqlite(tmp_path)
    budget = ("-s", "BLOGINGEST_REQUEST_BUDGET=6", "-s", "BLOGINGEST_REQUEST_BUDGET_PER_POST=0")
    with serve(site) as server:
        crawl = _crawl(server, VICTIM, tmp_path, database_url, *budget)
        made = [r for r in server.requests if r.path != "/robots.txt"]
    assert crawl.returncode == 1, crawl.stderr  # type: ignore[attr-defined]
    assert len(made) == 6
    run = _run_of(database_url, VICTIM)
    assert run.status == "failed"
    assert any("request budget of 6 requests spent" in error for error in run.errors)


def test_a_pager_that_shows_the_same_posts_under_new_links_is_stopped_and_named(
    tmp_path: Path,
) -> None:
    site = FakeBlogger([BlogSpec(VICTIM, posts=20)])
    blog = site.blog(VICTIM)
    blog.set_fault("/feeds/posts/default", Fault(FaultKind.DELETED))  # no feed: the pager
    blog.set_fault("/sitemap.xml", Fault(FaultKind.DELETED))
    blog.set_fault("/", Fault(FaultKind.ENDLESS_PAGER))
    database_url = migrated_sqlite(tmp_path)
    with serve(site) as server:
        crawl = _crawl(server, VICTIM, tmp_path, database_url)
        listings = len([r for r in server.requests if r.path == "/" and "loop=" in r.query])
    assert crawl.returncode == 1, crawl.stderr  # type: ignore[attr-defined]
    assert listings == 1  # the first "older" page repeats the home page's posts
    run = _run_of(database_url, VICTIM)
    assert any("brought no new posts" in error for error in run.errors), run.errors
    assert len(stored_posts(database_url)) == 15  # what the home page linked to is kept


def test_a_feed_that_invents_new_posts_forever_stops_at_what_its_total_promised(
    tmp_path: Path,
) -> None:
    site = FakeBlogger([BlogSpec(VICTIM, posts=30, feed_cap=10)])
    site.blog(VICTIM).set_fault("/feeds/posts/default", Fault(FaultKind.INVENTED_FEED))
    database_url = migrated_sqlite(tmp_path)
    with serve(site) as server:
        crawl = _crawl(server, VICTIM, tmp_path, database_url)
        feed_requests = server.count(path_prefix="/feeds/posts/default")
    stderr = crawl.stderr  # type: ignore[attr-defined]
    # totalResults is 30 and pages hold 10: the fourth page would start past the total.
    assert feed_requests == 3
    assert "feed's next page starts at 31, past its totalResults 30" in stderr
    run = _run_of(database_url, VICTIM)
    assert run.counts["failed"] == 30  # each invented post: a recorded 404, none lost
    assert set(stored_posts(database_url)) == set(site.expected_posts())  # via the sitemap
