"""``blogingest export`` keeps the data's types: NULLs, string ids, UTC times, lists; on SQLite
and PostgreSQL, in JSON lines, CSV and Parquet."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.parquet as pq

from blogingest.cli import main
from storage.database import make_engine, make_session_factory
from storage.export import EXPORT_FIELDS
from storage.export_formats import CSV_NULL
from storage.models import Post
from storage.repository import refresh_comment_counts, upsert_posts
from tests.support.storage_posts import make_post

pytest_plugins = ["tests.support.storage"]

LONG_ID = "2718281828459045235"  # 19 digits: a float64 would turn it into ...376


def _store(url: str) -> None:
    engine = make_engine(url)
    with make_session_factory(engine).begin() as session:
        upsert_posts(
            session,
            [
                make_post(1, blog_id=LONG_ID, title=""),
                make_post(
                    2,
                    url="https://other.blogspot.com/2024/03/x.html",
                    blog_url=None,
                    blog_id=None,
                    post_id=None,
                    title=None,
                    comment_count=None,
                    published=None,
                    author=None,
                    labels=[],
                ),
            ],
        )
    engine.dispose()


def _stored_ids(url: str) -> list[tuple[str, str]]:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        rows = session.query(Post.id, Post.blog_id).order_by(Post.id).all()
    engine.dispose()
    return [(str(a), str(b)) for a, b in rows]


def test_jsonl_has_ids_as_strings_nulls_and_the_database_names(storage_db_url, capsys):
    _store(storage_db_url)
    assert main(["export", "--db", storage_db_url]) == 0
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert tuple(first) == EXPORT_FIELDS
    assert [(first["id"], first["blog_id"]), (second["id"], second["blog_id"])] == _stored_ids(
        storage_db_url
    )
    assert first["blogger_blog_id"] == LONG_ID
    assert (first["title"], second["title"]) == ("", None)
    assert (second["blogger_blog_id"], second["published_at"], second["labels"]) == (None, None, [])
    assert first["last_changed_at"].endswith("+00:00")
    assert isinstance(first["change_seq"], int)


def test_csv_writes_null_distinctly_from_empty_text(storage_db_url, capsys):
    _store(storage_db_url)
    assert main(["export", "--format", "csv", "--db", storage_db_url]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == list(EXPORT_FIELDS)
    assert (rows[0]["title"], rows[1]["title"]) == ("", CSV_NULL)
    assert (rows[0]["blogger_blog_id"], rows[1]["blogger_blog_id"]) == (LONG_ID, CSV_NULL)
    assert (rows[1]["comment_count"], rows[1]["published_at"]) == (CSV_NULL, CSV_NULL)
    assert json.loads(rows[1]["labels"]) == []
    assert rows[0]["published_at"] == "2024-03-02T12:00:00+00:00"


def test_parquet_has_real_nulls_string_ids_utc_timestamps_and_lists(storage_db_url, capsysbinary):
    _store(storage_db_url)
    assert main(["export", "--format", "parquet", "--db", storage_db_url]) == 0
    table = pq.read_table(io.BytesIO(capsysbinary.readouterr().out))
    assert table.column_names == list(EXPORT_FIELDS)
    schema = table.schema
    for name in ("id", "blog_id", "blogger_blog_id", "blogger_post_id", "title"):
        assert schema.field(name).type == pa.string(), name
    assert schema.field("published_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("labels").type == pa.list_(pa.string())
    rows = table.to_pylist()
    assert [(r["id"], r["blog_id"]) for r in rows] == _stored_ids(storage_db_url)
    assert (rows[0]["blogger_blog_id"], rows[1]["blogger_blog_id"]) == (LONG_ID, None)
    assert (rows[0]["title"], rows[1]["title"]) == ("", None)
    assert rows[1]["comment_count"] is None
    assert rows[0]["published_at"] == datetime(2024, 3, 2, 12, 0, tzinfo=UTC)
    assert rows[0]["labels"] == ["travel", "food"]
    assert rows[1]["labels"] == []


def test_parquet_of_no_posts_is_a_valid_empty_file(storage_db_url, capsysbinary):
    assert main(["export", "--format", "parquet", "--db", storage_db_url]) == 0
    table = pq.read_table(io.BytesIO(capsysbinary.readouterr().out))
    assert (table.num_rows, table.column_names) == (0, list(EXPORT_FIELDS))


def test_from_seq_exports_every_change_from_the_cursor_on_comment_counts_included(
    storage_db_url, capsys
):
    _store(storage_db_url)
    engine = make_engine(storage_db_url)
    with make_session_factory(engine).begin() as session:
        assert refresh_comment_counts(session, {make_post(1).url: 42}) == 1
    engine.dispose()
    assert main(["export", "--from-seq", "3", "--db", storage_db_url]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["url"], r["comment_count"], r["change_seq"]) for r in records] == [
        (make_post(1).url, 42, 3)
    ]
    # --since is inclusive (last_changed_at >= DATE) and only sees content changes.
    assert main(["export", "--since", records[0]["last_changed_at"], "--db", storage_db_url]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_parquet_is_not_written_to_a_terminal(storage_db_url, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert main(["export", "--format", "parquet", "--db", storage_db_url]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "blogingest export: --format parquet writes binary: "
        "redirect stdout to a file (> out.parquet)"
    ]


def test_every_format_carries_deleted_at_and_the_cursor_sees_a_deletion(
    storage_db_url, capsysbinary
):
    from storage.deletions import mark_posts_deleted

    _store(storage_db_url)
    gone_at = datetime(2026, 12, 6, 17, 0, tzinfo=UTC)
    engine = make_engine(storage_db_url)
    with make_session_factory(engine).begin() as session:
        blog_id = session.query(Post.blog_id).filter(Post.url == make_post(1).url).scalar()
        assert mark_posts_deleted(session, blog_id, [make_post(1).url], gone_at) == 1
    engine.dispose()
    assert main(["export", "--from-seq", "3", "--db", storage_db_url]) == 0
    records = [json.loads(line) for line in capsysbinary.readouterr().out.decode().splitlines()]
    assert [(r["url"], r["deleted_at"], r["change_seq"]) for r in records] == [
        (make_post(1).url, "2026-12-06T17:00:00+00:00", 3)
    ]
    assert main(["export", "--format", "csv", "--db", storage_db_url]) == 0
    rows = list(csv.DictReader(io.StringIO(capsysbinary.readouterr().out.decode())))
    assert [row["deleted_at"] for row in rows] == ["2026-12-06T17:00:00+00:00", CSV_NULL]
    assert main(["export", "--format", "parquet", "--db", storage_db_url]) == 0
    table = pq.read_table(io.BytesIO(capsysbinary.readouterr().out))
    assert table.schema.field("deleted_at").type == pa.timestamp("us", tz="UTC")
    assert table.column("deleted_at").to_pylist() == [gone_at, None]
