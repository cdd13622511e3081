"""Rejected pages: the kind of each rejection is a column, not a prefix of its reason.

``kind`` holds a ``crawler.items.RejectKind`` value (``fetch_failed``, ``not_a_post``,
``unreadable``, ``invalid``, ``unstorable``, ``off_blog``). Existing rows get theirs from the
wording their reason began with when they were written; anything else was a failed fetch.

Revision ID: 0006_reject_kind
Revises: 0005_deleted_at
Create Date: 2026-12-06 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_reject_kind"
down_revision: str | Sequence[str] | None = "0005_deleted_at"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# How each kind's reasons began (the wordings of the code before this revision), in order.
_REASON_STARTS = (
    ("not a post", "not_a_post"),
    ("unreadable:", "unreadable"),
    ("invalid post:", "invalid"),
    ("unstorable post:", "unstorable"),
    ("another blog's page:", "off_blog"),
    ("not on a crawled blog:", "off_blog"),
    ("Blogger blog id ", "off_blog"),
    ("Blogger post ", "off_blog"),
)


def upgrade() -> None:
    with op.batch_alter_table("rejected_pages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=16), nullable=True))
    rejects = sa.table("rejected_pages", sa.column("reason", sa.Text), sa.column("kind"))
    # substr, not LIKE: SQLite's LIKE ignores case, and the wordings are exact.
    kind = sa.case(
        *(
            (sa.func.substr(rejects.c.reason, 1, len(start)) == start, value)
            for start, value in _REASON_STARTS
        ),
        else_="fetch_failed",
    )
    op.execute(rejects.update().values(kind=kind))
    with op.batch_alter_table("rejected_pages", schema=None) as batch_op:
        batch_op.alter_column("kind", existing_type=sa.String(length=16), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("rejected_pages", schema=None) as batch_op:
        batch_op.drop_column("kind")
