"""Scheduler run locks: the table that keeps two crawls of one blog from running at once.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 05:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Earlier worker versions created this table themselves; adopt it if it is there.
    if sa.inspect(op.get_bind()).has_table("scheduler_locks"):
        return
    op.create_table(
        "scheduler_locks",
        sa.Column("job_id", sa.String(length=512), nullable=False),
        sa.Column("holder", sa.String(length=255), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("child_pid", sa.Integer(), nullable=True),
        sa.Column("acquired_at", sa.Float(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_scheduler_locks")),
    )


def downgrade() -> None:
    op.drop_table("scheduler_locks")
