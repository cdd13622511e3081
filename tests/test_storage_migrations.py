"""The schema comes only from the Alembic migrations, and models and migrations agree."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from storage.database import make_engine
from storage.migrate import downgrade, upgrade
from storage.models import Base
from storage.revisions import current_revision as revision_of_connection
from storage.revisions import head_revision

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
