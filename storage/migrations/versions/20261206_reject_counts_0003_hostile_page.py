"""Rejected pages: one row per URL and reason, with a count and the last time.

A URL that failed on every run added a row every run. ``times_rejected`` and
``last_rejected_at`` let a repeat of the same reason update the row instead; existing rows
count once, rejected last when they were first.

Revision ID: 0003_hostile_page
Revises: 0003_consumer
Create Date: 2026-12-06 07:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_hostile_page"
down_revision: str | Sequence[str] | None = "0003_consumer"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rejected_pages", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("times_rejected", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.add_column(
            sa.Column("last_rejected_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.execute("UPDATE rejected_pages SET last_rejected_at = rejected_at")
    with op.batch_alter_table("rejected_pages", schema=None) as batch_op:
        batch_op.alter_column(
            "last_rejected_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("rejected_pages", schema=None) as batch_op:
        batch_op.drop_column("last_rejected_at")
        batch_op.drop_column("times_rejected")
