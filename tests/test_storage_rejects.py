"""``rejected_pages`` keeps one row per URL and reason, with a count; on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from crawler.items import RejectedPage, RejectKind
from storage.content import decompress
from storage.crawl_state import rejected_non_posts
from storage.models import RejectedPageRow
from storage.repository import store_rejected

pytest_plugins = ["tests.support.storage"]

URL = "https://a.blogspot.com/2024/01/gone.html"
OTHER = "https://a.blogspot.com/2024/01/other.html"


def _reject(
    url: str,
    reason: str,
    body: bytes = b"",
    status: int | None = None,
    kind: RejectKind = RejectKind.FETCH_FAILED,
) -> RejectedPage:
    return RejectedPage(url=url, reason=reason, kind=kind, body=body, status=status)


def _store(factory: sessionmaker[Session], *pages: RejectedPage, run_id: int | None = None) -> None:
    with factory.begin() as session:
        assert store_rejected(session, list(pages), parser_version="3", run_id=run_id) == len(pages)


def _rows(factory: sessionmaker[Session]) -> list[RejectedPageRow]:
    with factory() as session:
        query = select(RejectedPageRow).order_by(RejectedPageRow.id)
        rows = list(session.scalars(query))
        for row in rows:
            _ = row.body  # load the deferred bytes before the session closes
        return rows


def test_a_url_failing_the_same_way_every_run_keeps_one_row_with_a_count(storage_sessions):
    for run in range(3):
        _store(storage_sessions, _reject(URL, "HTTP 404", f"gone {run}".encode(), 404))
    (row,) = _rows(storage_sessions)
    assert (row.url, row.reason, row.times_rejected) == (URL, "HTTP 404", 3)
    assert row.last_rejected_at > row.rejected_at
    assert decompress(row.body or b"") == b"gone 2"  # the newest bytes


def test_a_changed_reason_starts_a_new_row_so_the_history_shows(storage_sessions):
    _store(storage_sessions, _reject(URL, "timeout"))
    _store(storage_sessions, _reject(URL, "timeout"))
    _store(storage_sessions, _reject(URL, "HTTP 503"))
    _store(storage_sessions, _reject(URL, "timeout"))
    rows = _rows(storage_sessions)
    assert [(r.reason, r.times_rejected) for r in rows] == [
        ("timeout", 2),
        ("HTTP 503", 1),
        ("timeout", 1),
    ]


def test_repeats_within_one_batch_are_counted_like_separate_calls(storage_sessions):
    _store(
        storage_sessions,
        _reject(URL, "timeout"),
        _reject(OTHER, "HTTP 404"),
        _reject(URL, "timeout"),
        _reject(URL, "HTTP 500"),
        _reject(URL, "HTTP 500"),
    )
    rows = _rows(storage_sessions)
    assert [(r.url, r.reason, r.times_rejected) for r in rows] == [
        (URL, "timeout", 2),
        (OTHER, "HTTP 404", 1),
        (URL, "HTTP 500", 2),
    ]


def test_a_resolved_row_stays_history_and_a_new_rejection_starts_a_row(storage_sessions):
    _store(
        storage_sessions, _reject(URL, "not a post: archive listing", kind=RejectKind.NOT_A_POST)
    )
    with storage_sessions.begin() as session:
        session.execute(update(RejectedPageRow).values(resolved_at=RejectedPageRow.rejected_at))
    _store(
        storage_sessions, _reject(URL, "not a post: archive listing", kind=RejectKind.NOT_A_POST)
    )
    assert [r.times_rejected for r in _rows(storage_sessions)] == [1, 1]


def test_a_recrawl_skips_the_pages_whose_kind_is_not_a_post_whatever_the_reason_says(
    storage_sessions,
):
    page = "https://a.blogspot.com/2024/01/archive.html"
    _store(storage_sessions, _reject(page, "archive listing", kind=RejectKind.NOT_A_POST))
    _store(
        storage_sessions, _reject(URL, "not a post, says the server", kind=RejectKind.UNREADABLE)
    )
    _store(storage_sessions, _reject(OTHER, "HTTP 404"))
    with storage_sessions() as session:
        skipped = rejected_non_posts(session, ["a.blogspot.com"], parser_version="3")
        assert set(skipped) == {page}
        assert rejected_non_posts(session, ["a.blogspot.com"], parser_version="4") == {}
