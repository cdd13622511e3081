"""The consumer contract: a change sequence, ISO timestamps on SQLite, full revisions, jsonb.

- ``posts.change_seq`` (indexed), numbered from one counter (``change_counter``, one row): the
  consumers' cursor. Existing rows are numbered in ``last_changed_at`` order.
- An index on ``posts.last_changed_at`` (``export --since``).
- ``post_revisions.published_at`` and ``.language``: a revision holds every field the content
  hash covers. Revisions written before keep NULL there (their values are not known).
- SQLite: every timestamp is rewritten from ``2026-12-06 05:18:36.885660`` to
  ``2026-12-06T05:18:36.885660+00:00``, which sorts correctly against ISO 8601 strings.
- PostgreSQL: the JSON columns become ``jsonb``.

Revision ID: 0003_consumer
Revises: 0002
Create Date: 2026-12-06 07:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003_consumer"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every timestamp column of the schema as of this revision (own copy: migrations never import
# the models, which move on).
_TIMESTAMPS = {
    "blogs": ("first_seen_at", "last_seen_at"),
    "posts": ("published_at", "updated_at", "first_seen_at", "last_seen_at", "last_changed_at"),
    "post_revisions": ("updated_at", "replaced_at"),
    "crawl_runs": ("started_at", "finished_at"),
    "rejected_pages": ("rejected_at", "resolved_at"),
    "fetch_state": ("fetched_at",),
}
_JSON_COLUMNS = {
    "posts": ("body_paragraphs", "labels"),
    "post_revisions": ("body_paragraphs", "labels"),
    "crawl_runs": ("counts", "errors"),
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table, columns in _TIMESTAMPS.items():
            for column in columns:
                op.execute(_to_iso_sql(table, column))
    if dialect == "postgresql":
        _alter_json(postgresql.JSONB(), "jsonb")
    op.create_table(
        "change_counter",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_counter")),
    )
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_seq", sa.BigInteger(), nullable=True))
    op.execute(
        "UPDATE posts SET change_seq = numbered.seq FROM (SELECT id, row_number() OVER "
        "(ORDER BY last_changed_at, id) AS seq FROM posts) AS numbered "
        "WHERE posts.id = numbered.id"
    )
    op.execute(
        "INSERT INTO change_counter (id, last_value) "
        "SELECT 1, coalesce(max(change_seq), 0) FROM posts"
    )
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.alter_column("change_seq", existing_type=sa.BigInteger(), nullable=False)
        batch_op.create_index(batch_op.f("ix_posts_change_seq"), ["change_seq"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_posts_last_changed_at"), ["last_changed_at"], unique=False
        )
    with op.batch_alter_table("post_revisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("language", sa.String(length=35), nullable=True))


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("post_revisions", schema=None) as batch_op:
        batch_op.drop_column("language")
        batch_op.drop_column("published_at")
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posts_last_changed_at"))
        batch_op.drop_index(batch_op.f("ix_posts_change_seq"))
        batch_op.drop_column("change_seq")
    op.drop_table("change_counter")
    if dialect == "postgresql":
        _alter_json(sa.JSON(), "json")
    if dialect == "sqlite":
        for table, columns in _TIMESTAMPS.items():
            for column in columns:
                op.execute(_to_space_sql(table, column))


def _to_iso_sql(table: str, column: str) -> sa.Update:
    """``YYYY-MM-DD HH:MM:SS[.ffffff]`` (UTC, SQLAlchemy's old format) → ISO with ``+00:00``."""
    value = sa.column(column, sa.Text())
    micro = sa.func.substr(sa.func.substr(value, 21) + "000000", 1, 6)
    iso = sa.func.substr(value, 1, 10) + "T" + sa.func.substr(value, 12, 8) + "." + micro + "+00:00"
    return (
        sa.table(table, value)
        .update()
        .where(value.is_not(None), sa.func.substr(value, 11, 1) == " ")
        .values({column: iso})
    )


def _to_space_sql(table: str, column: str) -> sa.Update:
    """The reverse of :func:`_to_iso_sql`, for the downgrade."""
    value = sa.column(column, sa.Text())
    spaced = sa.func.substr(value, 1, 10) + " " + sa.func.substr(value, 12, 15)
    return (
        sa.table(table, value)
        .update()
        .where(value.is_not(None), sa.func.substr(value, 11, 1) == "T")
        .values({column: spaced})
    )


def _alter_json(type_: sa.types.TypeEngine[object], name: str) -> None:
    for table, columns in _JSON_COLUMNS.items():
        for column in columns:
            op.alter_column(table, column, type_=type_, postgresql_using=f"{column}::{name}")
