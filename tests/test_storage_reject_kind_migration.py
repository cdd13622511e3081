"""Migration ``0006_reject_kind``: existing rejects get their kind from their reason's wording."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from crawler.items import RejectKind
from storage.database import make_engine
from storage.migrate import downgrade, upgrade

pytest_plugins = ["tests.support.storage"]

# Reasons as the code before the kind column wrote them, and the kind each must get.
REASONS = {
    "HTTP 404": RejectKind.FETCH_FAILED,
    "timeout": RejectKind.FETCH_FAILED,
    "connection lost before a complete response (truncated)": RejectKind.FETCH_FAILED,
    "not a post: archive listing": RejectKind.NOT_A_POST,
    "Not a post: wording the code never wrote": RejectKind.FETCH_FAILED,
    "unreadable: not HTML": RejectKind.UNREADABLE,
    "invalid post: neither title nor body text": RejectKind.INVALID,
    "unstorable post: no URL": RejectKind.UNSTORABLE,
    "another blog's page: Blogger blog id 1, the crawled blog is 2": RejectKind.OFF_BLOG,
    "not on a crawled blog: b.blogspot.com": RejectKind.OFF_BLOG,
    "Blogger blog id 7 belongs to https://b.blogspot.com/": RejectKind.OFF_BLOG,
    "Blogger post 7/8 belongs to https://b.blogspot.com/x.html": RejectKind.OFF_BLOG,
}


def test_upgrading_gives_every_existing_reject_the_kind_its_reason_names(empty_storage_db_url):
    url = empty_storage_db_url
    upgrade(url, "0005_deleted_at")
    now = datetime(2026, 12, 1, tzinfo=UTC)
    rows = [
        {"url": f"https://a.blogspot.com/{n}.html", "reason": reason, "now": now}
        for n, reason in enumerate(REASONS)
    ]
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO rejected_pages (url, reason, rejected_at, body_size,"
                    " times_rejected, last_rejected_at) VALUES (:url, :reason, :now, 0, 1, :now)"
                ),
                rows,
            )
        upgrade(url)
        with engine.connect() as connection:
            kinds = dict(connection.execute(text("SELECT reason, kind FROM rejected_pages")).all())
        assert kinds == {reason: kind.value for reason, kind in REASONS.items()}
        downgrade(url, "0005_deleted_at")
        with engine.connect() as connection:
            kept = connection.execute(text("SELECT count(*) FROM rejected_pages")).scalar()
        assert kept == len(REASONS)
    finally:
        engine.dispose()
