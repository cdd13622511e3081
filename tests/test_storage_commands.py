"""``blogingest db``, ``export`` and ``reparse`` as a user runs them."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from sqlalchemy import Table, select

from blogingest.cli import main
from crawler.cleaning import clean_post
from crawler.crawl_items import CrawledPage
from crawler.extraction import parse_and_clean
from crawler.items import BlogPost, FetchedPage, RejectedPage, RejectKind
from crawler.parsing import PARSER_VERSION, NotAPostError, UnreadablePageError
from crawler.pipelines.parse import parse_fetched
from storage.database import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import Blog, Post, PostRevision, RejectedPageRow
from storage.repository import refresh_comment_counts, store_rejected, upsert_posts
from storage.revisions import head_revision
from tests.support.parsing_pages import FIXTURES, fixture_bytes
from tests.support.storage_posts import make_post, raw_page_for


@pytest.fixture
def db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade(url)
    return url


def _store(url: str, posts: list[BlogPost], rejects: list[RejectedPage] = ()) -> None:
    engine = make_engine(url)
    with make_session_factory(engine).begin() as session:
        upsert_posts(session, posts, parser_version="0")
        store_rejected(session, list(rejects), parser_version="0")
    engine.dispose()


def test_db_upgrade_creates_the_schema_and_db_current_reports_it(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'new' / 'x.db'}"
    assert main(["db", "current", "--db", url]) == 1
    assert "no schema" in capsys.readouterr().out
    assert main(["db", "upgrade", "--db", url]) == 0
    assert main(["db", "current", "--db", url]) == 0
    assert f"schema at {head_revision()} (newest)" in capsys.readouterr().out


def test_db_upgrade_reads_database_url_from_the_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    assert main(["db", "upgrade"]) == 0
    assert "env.db" in capsys.readouterr().out


def test_reading_a_missing_sqlite_file_says_so_and_creates_nothing(tmp_path, capsys):
    missing = tmp_path / "missing.db"
    assert main(["export", "--db", f"sqlite:///{missing}"]) == 1
    assert "does not exist: run `blogingest db upgrade`" in capsys.readouterr().err
    assert not missing.exists()


def test_a_bad_database_url_is_one_line_exit_2(capsys):
    assert main(["export", "--db", "nonsense"]) == 2
    err = capsys.readouterr().err
    assert err == "blogingest export: --db: not a database URL: 'nonsense'\n"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        # make_url raises ValueError (not ArgumentError) for a port that is not a number.
        (
            "postgresql+psycopg://user:s3cret@127.0.0.1:notaport/db",
            "'postgresql+psycopg://user:***@127.0.0.1:notaport/db'",
        ),
        # Not a URL at all, yet it shows a password: the message must not echo it.
        ("postgresql//user:s3cret@127.0.0.1/db", "'postgresql//user:***@127.0.0.1/db'"),
        ("user:s3cret@127.0.0.1", "'user:***@127.0.0.1'"),
    ],
)
def test_an_unparsable_database_url_is_one_line_exit_2_password_hidden(url, shown, capsys):
    assert main(["db", "upgrade", "--db", url]) == 2
    assert main(["export", "--db", url]) == 2
    err = capsys.readouterr().err
    assert "s3cret" not in err
    assert err.splitlines() == [
        f"blogingest db: --db: not a database URL: {shown}",
        f"blogingest export: --db: not a database URL: {shown}",
    ]


def test_a_database_url_with_an_unusable_option_is_one_line_exit_2(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'x.db'}?timeout=soon"
    assert main(["db", "upgrade", "--db", url]) == 2
    err = capsys.readouterr().err
    assert err == f"blogingest db: --db: not a usable database URL: {url!r}\n"


def test_an_unreachable_database_names_the_redacted_url(capsys):
    from tests.support.postgres import _free_port

    url = f"postgresql://me:topsecret@127.0.0.1:{_free_port()}/x"
    assert main(["db", "upgrade", "--db", url]) == 1
    assert main(["export", "--db", url]) == 1
    err = capsys.readouterr().err
    assert "topsecret" not in err
    assert err.count("me:***@127.0.0.1") == 2
    assert len(err.splitlines()) == 2


def test_export_jsonl_gives_the_contract_fields(db, capsys):
    _store(db, [make_post(1), make_post(2, comment_count=None)])
    assert main(["export", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["url"] for r in records] == [make_post(1).url, make_post(2).url]
    first = records[0]
    assert first["body"] == "\n\n".join(first["body_paragraphs"])
    assert first["published_at"] == "2024-03-02T12:00:00+00:00"
    assert first["blog_url"] == "https://example.blogspot.com/"
    assert records[1]["comment_count"] is None


def test_export_csv_has_a_header_and_json_lists(db, capsys):
    _store(db, [make_post(1)])
    assert main(["export", "--format", "csv", "--db", db]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 1
    assert json.loads(rows[0]["labels"]) == ["travel", "food"]
    assert rows[0]["body"] == "\n\n".join(make_post(1).body_paragraphs)


def test_export_brief_prints_one_short_line_per_post(db, capsys):
    _store(db, [make_post(1), make_post(2, title=None, comment_count=None)])
    assert main(["export", "--brief", "--db", db]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"Post number 1 | {make_post(1).url} | comments: 2 | paragraphs: 2",
        f"(untitled) | {make_post(2).url} | comments: ? | paragraphs: 2",
    ]


def test_export_filters_by_blog_since_and_limit(db, capsys):
    other = make_post(
        9, url="https://other.blogspot.com/2024/01/x.html", blog_url=None, blog_id="7"
    )
    _store(db, [make_post(1), make_post(2), other])
    assert main(["export", "--brief", "--blog", "http://other.blogspot.de/", "--db", db]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1
    assert main(["export", "--brief", "--limit", "2", "--db", db]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert main(["export", "--brief", "--since", "2999-01-01", "--db", db]) == 0
    assert capsys.readouterr().out == ""


def test_export_refuses_a_bad_since_naming_it(db, capsys):
    assert main(["export", "--since", "last tuesday", "--db", db]) == 2
    assert "'last tuesday'" in capsys.readouterr().err


class FakeNotAPost(Exception):
    pass


def _fake_parse(page: FetchedPage) -> BlogPost:
    """Pages whose bytes start with ``POST:`` parse to a post titled by the rest."""
    if not page.body.startswith(b"POST:"):
        raise FakeNotAPost("not a post: listing")
    return make_post(1, url=page.url, title=page.body[5:].decode())


@pytest.fixture
def fake_parser(monkeypatch):
    """The reparse command with a stand-in parser (the real one has its own tests)."""
    monkeypatch.setattr(
        "blogingest.commands.reparse._load_parser",
        lambda: (_fake_parse, (FakeNotAPost,), "2"),
    )


def test_reparse_turns_a_now_parsable_reject_into_a_post_and_keeps_the_history(
    db, capsys, fake_parser
):
    url = make_post(1).url
    _store(
        db,
        [],
        [
            RejectedPage(
                url=url,
                reason="not a post: unknown theme",
                kind=RejectKind.NOT_A_POST,
                body=b"POST:Recovered",
            ),
            RejectedPage(
                url=url + "x",
                reason="archive",
                kind=RejectKind.NOT_A_POST,
                body=b"<html>listing</html>",
            ),
        ],
    )
    assert main(["reparse", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "1 rejects became posts" in out
    assert "1 still rejected" in out
    engine = make_engine(db)
    with make_session_factory(engine)() as session:
        post = session.scalars(select(Post)).one()
        rejects = session.scalars(select(RejectedPageRow).order_by(RejectedPageRow.id)).all()
    engine.dispose()
    assert post.title == "Recovered"
    assert (rejects[0].resolved_post_id, rejects[1].resolved_at) == (post.id, None)
    assert rejects[0].resolved_at is not None


def test_reparse_re_upserts_posts_with_kept_raw_pages(db, capsys, fake_parser):
    post = make_post(1)
    post.raw_page = raw_page_for(post, b"POST:Better title")
    kept = make_post(2)
    kept.raw_page = raw_page_for(kept, b"<html>no longer a post</html>")
    _store(db, [post, kept, make_post(3)])
    assert main(["reparse", "--db", db, "--progress-every", "1"]) == 0
    captured = capsys.readouterr()
    assert "1 posts updated" in captured.out
    assert "1 posts no longer parse (kept)" in captured.out
    assert captured.err.startswith("... reparsed")
    engine = make_engine(db)
    with make_session_factory(engine)() as session:
        titles = session.scalars(select(Post.title).order_by(Post.id)).all()
    engine.dispose()
    assert titles == ["Better title", "Post number 2", "Post number 3"]


def test_reparse_limit_bounds_the_pages_read(db, capsys, fake_parser):
    rejects = [
        RejectedPage(
            url=f"https://a.blogspot.com/{n}", reason="r", kind=RejectKind.NOT_A_POST, body=b"x"
        )
        for n in range(5)
    ]
    _store(db, [], rejects)
    assert main(["reparse", "--limit", "3", "--db", db]) == 0
    assert capsys.readouterr().out.startswith("reparsed 3 pages")


def _as_crawled(name: str, **discovery: Any) -> BlogPost:
    """The record a crawl stores for fixture page ``name``: the parse stage, then cleaning.

    ``discovery`` is what the feed or the sitemap said of the post (``feed_updated``,
    ``sitemap_lastmod``), which the parse stage puts in the record beside the page's own data.
    """
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text())
    page = CrawledPage(
        url=expected["url"],
        body=fixture_bytes(f"{name}.html"),
        content_type="text/html; charset=UTF-8",
        **discovery,
    )
    post = parse_fetched(page)
    assert isinstance(post, BlogPost)
    return clean_post(post)


def _all_rows(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every column of every row of the tables a reparse may write, raw pages included."""
    engine = make_engine(url)
    tables = {"posts": Post, "blogs": Blog, "post_revisions": PostRevision}
    with engine.connect() as connection:
        rows = {
            name: [
                dict(row._mapping) for row in connection.execute(select(table).order_by(table.c.id))
            ]
            for name, model in tables.items()
            for table in [cast("Table", model.__table__)]
        }
    engine.dispose()
    return rows


FEED_UPDATED = datetime(2023, 5, 3, 17, 12, 45, 123000, tzinfo=UTC)  # the feed's, exact
SITEMAP_LASTMOD = datetime(2012, 4, 20, 8, 0, tzinfo=UTC)


@pytest.fixture
def crawled_db(db) -> str:
    """Two real fixture pages stored as a crawl stores them, with what came from outside them.

    contempo: the page shows an update time (to the second); the feed's exact one replaced it,
    and a later feed refreshed its comment count without refetching the page. minima: the
    page shows no update time; the sitemap's ``lastmod`` filled it.
    """
    contempo = _as_crawled("contempo", feed_updated=FEED_UPDATED)
    minima = _as_crawled("minima", sitemap_lastmod=SITEMAP_LASTMOD)
    assert (contempo.updated, minima.updated) == (FEED_UPDATED, SITEMAP_LASTMOD)
    assert contempo.comment_count == 5
    engine = make_engine(db)
    with make_session_factory(engine).begin() as session:
        upsert_posts(session, [contempo, minima], parser_version=PARSER_VERSION)
        assert refresh_comment_counts(session, {contempo.url: 9}) == 1
    engine.dispose()
    return db


def test_reparse_with_the_real_parser_over_unchanged_pages_changes_nothing(crawled_db, capsys):
    before = _all_rows(crawled_db)
    assert main(["reparse", "--db", crawled_db]) == 0
    assert capsys.readouterr().out.startswith(
        "reparsed 2 pages: 0 rejects became posts, 0 posts updated, 2 unchanged,"
    )
    assert _all_rows(crawled_db) == before


def test_reparse_with_a_changed_parser_keeps_what_the_pages_cannot_give(
    crawled_db, capsys, monkeypatch
):
    def newer_parser(page: FetchedPage) -> BlogPost:
        """The real parser, then a changed title, and the ids no longer found."""
        post = parse_and_clean(page.url, page.body, content_type=page.content_type)
        return dataclasses.replace(post, title=f"{post.title}!", blog_id=None, post_id=None)

    monkeypatch.setattr(
        "blogingest.commands.reparse._load_parser",
        lambda: (newer_parser, (NotAPostError, UnreadablePageError), "newer"),
    )
    before = _all_rows(crawled_db)["posts"]
    assert main(["reparse", "--db", crawled_db]) == 0
    assert "2 posts updated, 0 unchanged" in capsys.readouterr().out
    after = _all_rows(crawled_db)
    kept = ("updated_at", "comment_count", "blogger_blog_id", "blogger_post_id", "last_seen_at")
    assert [{k: row[k] for k in kept} for row in after["posts"]] == [
        {k: row[k] for k in kept} for row in before
    ]
    assert [row["updated_at"] for row in before] == [FEED_UPDATED, SITEMAP_LASTMOD]
    assert before[0]["comment_count"] == 9
    assert [row["title"] for row in after["posts"]] == [f"{row['title']}!" for row in before]
    assert len(after["post_revisions"]) == 2
