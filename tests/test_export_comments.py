"""``blogingest export --what comments``, ``--with-comments`` and ``--pseudonymise-authors``."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json

import pytest

from blogingest.cli import main
from storage.comments import upsert_comments
from storage.database import make_engine, make_session_factory
from storage.export import COMMENT_EXPORT_FIELDS
from storage.migrate import upgrade
from storage.pseudonyms import PSEUDONYM_KEY_ENV, Pseudonymiser
from storage.repository import upsert_posts
from tests.support.storage_posts import make_post
from tests.test_storage_comments import comment, listing


@pytest.fixture
def db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine).begin() as session:
        upsert_posts(session, [make_post(1), make_post(2), make_post(3)])
        upsert_comments(
            session,
            [
                listing(1, [comment(1), comment(2, parent=comment(1).id)]),
                listing(2, [comment(3, author="Reader 1", author_url=comment(1).author_url)]),
                listing(3, [comment(4, deleted=True, paragraphs=[], author=None)]),
            ],
        )
    engine.dispose()
    return url


def _jsonl(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_export_comments_as_jsonl_gives_the_contract_fields(db, capsys):
    assert main(["export", "--what", "comments", "--db", db]) == 0
    records = _jsonl(capsys)
    assert [tuple(r) for r in records[:1]] == [COMMENT_EXPORT_FIELDS]
    assert [r["blogger_comment_id"] for r in records] == [comment(n).id for n in (1, 2, 3, 4)]
    assert records[1]["parent_blogger_comment_id"] == comment(1).id
    assert records[0]["post_url"] == make_post(1).url
    assert records[0]["published_at"] == "2024-03-05T11:00:00.123000+00:00"
    assert (records[3]["deletion"], records[3]["paragraphs"]) == ("notice", [])
    assert all(isinstance(r["post_id"], str) for r in records)


def test_export_comments_as_csv_writes_null_and_json_lists(db, capsys):
    assert main(["export", "--what", "comments", "--format", "csv", "--db", db]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == list(COMMENT_EXPORT_FIELDS)
    assert json.loads(rows[0]["paragraphs"]) == ["Comment 1.", "Merci, très bien."]
    assert (rows[0]["parent_blogger_comment_id"], rows[3]["author"]) == ("\\N", "\\N")


def test_export_comments_as_parquet_has_typed_columns(db, capsys, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    from storage.export import ExportFilter, iter_comments  # noqa: PLC0415
    from storage.export_formats import write_parquet  # noqa: PLC0415

    engine = make_engine(db)
    path = tmp_path / "c.parquet"
    with make_session_factory(engine)() as session, path.open("wb") as out:
        write_parquet(iter_comments(session, ExportFilter()), out, COMMENT_EXPORT_FIELDS)
    engine.dispose()
    table = pq.read_table(path)
    assert table.column_names == list(COMMENT_EXPORT_FIELDS)
    assert str(table.schema.field("paragraphs").type.value_type) == "string"
    assert str(table.schema.field("published_at").type) == "timestamp[us, tz=UTC]"


def test_with_comments_nests_each_posts_comments_in_the_posts_jsonl(db, capsys):
    assert main(["export", "--with-comments", "--db", db]) == 0
    posts = _jsonl(capsys)
    assert [len(p["comments"]) for p in posts] == [2, 1, 1]
    assert posts[0]["comments"][1]["parent_blogger_comment_id"] == comment(1).id
    assert all(c["post_id"] == p["id"] for p in posts for c in p["comments"])


def test_with_comments_is_refused_outside_posts_jsonl_in_one_line(db, capsys):
    assert main(["export", "--with-comments", "--format", "csv", "--db", db]) == 2
    assert main(["export", "--with-comments", "--what", "comments", "--db", db]) == 2
    assert main(["export", "--what", "comments", "--since", "2024-01-01", "--db", db]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 3


def test_pseudonymised_authors_get_one_keyed_token_per_author(db, capsys):
    assert (
        main(
            ["export", "--what", "comments", "--pseudonymise-authors"]
            + ["--pseudonym-key", "s3cret", "--db", db]
        )
        == 0
    )
    records = _jsonl(capsys)
    expected = hmac.new(b"s3cret", b"name:Reader 1", hashlib.sha256).hexdigest()[:32]
    assert records[0]["author"] == records[2]["author"] == expected
    assert records[0]["author_url"] == records[2]["author_url"] != records[1]["author_url"]
    assert records[3]["author"] is None
    text = json.dumps(records)
    assert "Reader" not in text
    assert "blogger.com/profile" not in text


def test_pseudonyms_reach_nested_comments_and_post_authors_and_the_key_may_come_from_env(
    db, capsys, monkeypatch
):
    monkeypatch.setenv(PSEUDONYM_KEY_ENV, "k")
    assert main(["export", "--with-comments", "--pseudonymise-authors", "--db", db]) == 0
    posts = _jsonl(capsys)
    tokens = Pseudonymiser("k")
    assert posts[0]["author"] == tokens.token("name", "Jane Doe")
    assert posts[0]["comments"][0]["author"] == tokens.token("name", "Reader 1")


def test_pseudonymising_without_a_key_is_refused_in_one_line(db, capsys, monkeypatch):
    monkeypatch.delenv(PSEUDONYM_KEY_ENV, raising=False)
    assert main(["export", "--what", "comments", "--pseudonymise-authors", "--db", db]) == 2
    err = capsys.readouterr()
    assert err.out == ""
    assert len(err.err.strip().splitlines()) == 1
    assert "--pseudonym-key" in err.err


def test_brief_comments_print_one_line_each(db, capsys):
    assert main(["export", "--what", "comments", "--brief", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("Reader 1 | 2024-03-05T11:00:00.123000+00:00 | ")
    assert "deleted (notice)" in lines[3]


def test_status_shows_comments_held_against_shown(db, capsys):
    assert main(["status", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "comments      4 held of 6 shown (2 not held)" in out
    assert main(["status", "--json", "--db", db]) == 0
    (blog,) = json.loads(capsys.readouterr().out)
    assert blog["comments"] == {"held": 4, "shown": 6, "missing": 2}
