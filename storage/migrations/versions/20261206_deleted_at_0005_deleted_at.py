"""Deleted posts: ``posts.deleted_at``, when the crawl found a post gone from its blog.

A contract column for consumers: ``NULL`` while the post is live; set (UTC) once a complete
feed listing no longer lists the post and its page answers 404 or 410; back to ``NULL`` when
the post reappears. Posts are never removed. Existing rows are live.

Revision ID: 0005_deleted_at
Revises: 0004_comments
Create Date: 2026-12-06 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_deleted_at"
down_revision: str | Sequence[str] | None = "0004_comments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")
