"""Run notes: ``crawl_runs.notes``, what a run did that is worth knowing but is no error.

One-line messages, e.g. why a blog's posts came from pages rather than its feed (a
summary-only feed, a feed that is off or redirected to FeedBurner, a verification sample that
disagreed). Errors stay in ``errors``. Existing runs get an empty list.

Revision ID: 0007_run_notes
Revises: 0006_reject_kind
Create Date: 2026-12-06 20:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007_run_notes"
down_revision: str | Sequence[str] | None = "0006_reject_kind"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "notes",
                sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                nullable=False,
                server_default=sa.text("'[]'"),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_column("notes")
