"""The schema revisions: the one the code expects (the head) and the one a database is at.

The only place that reads either, used by the database check (:mod:`storage.database`) and by
``blogingest db``; it imports nothing else of ``storage``, so neither needs the other.

Neither reading imports Alembic: every crawl and command checks its database before it starts,
and importing Alembic (its DDL support for every dialect) was about 0.12 s of each crawl's
start-up, for two facts a file listing and one query give. The head is read from the
migration files' ``revision``/``down_revision`` lines, the database's revision from the table
Alembic keeps it in; the tests pin both to Alembic's own readings. Migrating still goes
through Alembic (:mod:`storage.migrate`).
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, inspect, text

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version"
"""Where Alembic records a database's revision (its default; ``migrations/env.py`` keeps it)."""

_READ_VERSION = text(f"SELECT version_num FROM {VERSION_TABLE}")  # noqa: S608 - a constant name
_ASSIGNMENT = re.compile(r"^(revision|down_revision)\b[^=\n]*=\s*(.+?)\s*$", re.MULTILINE)
"""A module-level ``revision: str = "0007_run_notes"`` (annotated or not) and its value."""


@cache  # the migration files do not change while a process runs
def head_revision() -> str:
    """Return the revision id the code expects the database to be at."""
    return head_of(MIGRATIONS_DIR / "versions")


def head_of(versions: Path) -> str:
    """Return the one revision of the migration files in ``versions`` that none revises.

    Files are read as Alembic reads them (every ``*.py`` but ``__init__.py`` and editor lock
    files). Raises ``RuntimeError`` when a file names no revision, or when there is no head or
    more than one (a branch to merge).
    """
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in sorted(versions.glob("*.py")):
        if path.name == "__init__.py" or path.name.startswith(".#"):
            continue
        fields = dict(_ASSIGNMENT.findall(path.read_text(encoding="utf-8")))
        if "revision" not in fields:
            raise RuntimeError(f"migration {path} names no revision")
        revisions.add(ast.literal_eval(fields["revision"]))
        down = ast.literal_eval(fields.get("down_revision", "None"))
        revised.update([down] if isinstance(down, str) else (down or ()))
    heads = revisions - revised
    if len(heads) != 1:
        raise RuntimeError(f"migrations in {versions} have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


def current_revision(connection: Connection) -> str | None:
    """Return the revision the connected database is at, ``None`` for an unmigrated one.

    Reads only (no ``alembic_version`` table is created); a driver error propagates, and a
    table holding more than one revision (branches Alembic left unmerged) is a
    ``RuntimeError``, as Alembic refuses it.
    """
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    found = connection.execute(_READ_VERSION).scalars().all()
    if len(found) > 1:
        raise RuntimeError(f"{VERSION_TABLE} holds more than one revision: {sorted(found)}")
    return str(found[0]) if found else None
