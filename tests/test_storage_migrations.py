"""The schema comes only from the Alembic migrations, and models and migrations agree."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from storage.database import make_engine
from storage.migrate import downgrade, upgrade
from storage.models import Base
from storage.revisions import current_revision as revision_of_connection
from storage.revisions import head_of, head_revision

pytest_plugins = ["tests.support.storage"]

TABLES = {
    "blogs",
    "posts",
    "post_revisions",
    "crawl_runs",
    "rejected_pages",
    "fetch_state",
    "scheduler_locks",
    "change_counter",
    "comments",
}


def current_revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return revision_of_connection(connection)
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_migrations_go_from_empty_to_head_down_to_base_and_up_again(empty_storage_db_url):
    assert current_revision(empty_storage_db_url) is None
    upgrade(empty_storage_db_url)
    assert current_revision(empty_storage_db_url) == head_revision()
    assert _tables(empty_storage_db_url) == TABLES
    downgrade(empty_storage_db_url, "base")
    assert current_revision(empty_storage_db_url) is None
    assert _tables(empty_storage_db_url) == set()
    upgrade(empty_storage_db_url)
    assert _tables(empty_storage_db_url) == TABLES


def test_upgrading_a_database_already_at_head_changes_nothing(storage_db_url):
    upgrade(storage_db_url)
    assert current_revision(storage_db_url) == head_revision()


def test_the_models_and_the_migrated_schema_agree(storage_db_url):
    engine = make_engine(storage_db_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "target_metadata": Base.metadata}
            )
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == [], f"models differ from migrations; add a migration: {differences}"


def test_migrations_run_from_any_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    upgrade(url)
    assert current_revision(url) == head_revision()


def test_the_head_read_from_the_files_is_alembics() -> None:
    from alembic.script import ScriptDirectory

    from storage.revisions import MIGRATIONS_DIR

    assert head_revision() == ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def _migration(directory: Path, name: str, revision: str, down: str) -> None:
    (directory / f"{name}.py").write_text(
        f'"""{name}.\n\nrevision = "not this one"\n"""\n\n'
        "from collections.abc import Sequence\n\n"
        f'revision: str = "{revision}"\n'
        f"down_revision: str | Sequence[str] | None = {down}\n\n\n"
        "def upgrade() -> None:\n    revision = 'nor this one'\n\n\n"
        "def downgrade() -> None:\n    pass\n"
    )


def test_the_head_of_branches_and_merges_is_alembics(tmp_path: Path) -> None:
    from alembic.script import ScriptDirectory

    versions = tmp_path / "versions"
    versions.mkdir()
    _migration(versions, "a_0001", "0001", "None")
    _migration(versions, "b_0002_left", "0002_left", '"0001"')
    _migration(versions, "c_0002_right", "0002_right", '"0001"')
    with pytest.raises(RuntimeError, match="2 heads"):
        head_of(versions)
    _migration(versions, "d_0003_merge", "0003_merge", '("0002_left", "0002_right")')
    (versions / "__init__.py").write_text("")
    assert head_of(versions) == "0003_merge"
    assert head_of(versions) == ScriptDirectory(str(tmp_path)).get_current_head()


def test_the_revision_read_from_the_database_is_alembics(empty_storage_db_url):
    def alembics(url: str) -> str | None:
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                return MigrationContext.configure(connection).get_current_revision()
        finally:
            engine.dispose()

    assert current_revision(empty_storage_db_url) is None
    assert alembics(empty_storage_db_url) is None
    upgrade(empty_storage_db_url, "0004_comments")
    assert current_revision(empty_storage_db_url) == alembics(empty_storage_db_url)
    assert current_revision(empty_storage_db_url) == "0004_comments"
