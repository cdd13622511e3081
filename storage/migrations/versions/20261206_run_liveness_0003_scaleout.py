"""Run liveness: who owns a running crawl run, and until when its lease holds.

A run left ``running`` by a process that died (kill -9, a double Ctrl-C, a database down at
close, a Redis flushed under distributed workers) is closed ``interrupted`` by the next
process that looks (``storage.run_liveness``): its owner (``host:pid``) is gone from this
host, or its lease expired without renewal.

Revision ID: 0003_scaleout
Revises: 0003_hostile_page
Create Date: 2026-12-06 07:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_scaleout"
down_revision: str | Sequence[str] | None = "0003_hostile_page"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(length=255), nullable=True))
        batch_op.add_column(
            sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_column("lease_expires_at")
        batch_op.drop_column("owner")
