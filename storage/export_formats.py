"""Writing exported records (``storage.export`` posts and comments) as JSON lines, CSV, Parquet.

Types survive every format: ids are strings, times are ISO 8601 UTC (Parquet: UTC timestamps),
lists are lists (CSV: JSON text), and NULL stays distinct from empty text (JSON ``null``;
CSV :data:`CSV_NULL`; Parquet nulls). Each writer streams: memory stays bounded whatever the
number of posts.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from itertools import islice
from typing import Any, BinaryIO, TextIO

from storage.export import EXPORT_FIELDS

CSV_NULL = r"\N"
"""How CSV writes NULL (PostgreSQL's and MySQL's text convention); empty text is an empty
field. PostgreSQL loads it with ``COPY t FROM STDIN (FORMAT csv, HEADER, NULL '\\N')``."""

PARQUET_ROW_GROUP = 2000
"""Posts per Parquet row group: the most the Parquet writer holds in memory at once."""

_LIST_FIELDS = frozenset({"body_paragraphs", "labels", "paragraphs"})
_INT_FIELDS = {"comment_count": "int32", "change_seq": "int64"}
_TIME_FIELDS = frozenset(
    {
        "published_at",
        "updated_at",
        "first_seen_at",
        "last_seen_at",
        "last_changed_at",
        "deleted_at",
    }
)


def jsonable(post: dict[str, Any]) -> dict[str, Any]:
    """Return ``post`` with datetimes as ISO 8601 strings (everything else is JSON already).

    Nested records (a post's ``comments`` list) are converted the same way.
    """
    return {key: _jsonable_value(value) for key, value in post.items()}


def _jsonable_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [jsonable(item) for item in value]
    return value


def write_jsonl(posts: Iterable[dict[str, Any]], out: TextIO) -> None:
    """One JSON object per line, UTF-8 text as is; NULL is ``null``."""
    for post in posts:
        out.write(json.dumps(jsonable(post), ensure_ascii=False) + "\n")


def write_csv(
    posts: Iterable[dict[str, Any]], out: TextIO, fields: Sequence[str] = EXPORT_FIELDS
) -> None:
    """Write a header of ``fields``, then one row per record; NULL is :data:`CSV_NULL`.

    ``fields`` are :data:`EXPORT_FIELDS` (posts) or ``COMMENT_EXPORT_FIELDS`` (comments).
    Lists are JSON text; every other value is its JSON form without quotes (times ISO 8601).
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for post in posts:
        row = jsonable(post)
        writer.writerow(_csv_cell(name, row[name]) for name in fields)


def _csv_cell(name: str, value: Any) -> Any:
    if value is None:
        return CSV_NULL
    if name in _LIST_FIELDS:
        return json.dumps(value, ensure_ascii=False)
    return value


def parquet_schema(fields: Sequence[str] = EXPORT_FIELDS) -> Any:
    """Return the Parquet export's Arrow schema: one column per entry of ``fields``."""
    import pyarrow as pa  # noqa: PLC0415 - only the Parquet export needs it

    def arrow_type(name: str) -> Any:
        if name in _LIST_FIELDS:
            return pa.list_(pa.string())
        if name in _INT_FIELDS:
            return pa.int32() if _INT_FIELDS[name] == "int32" else pa.int64()
        if name in _TIME_FIELDS:
            return pa.timestamp("us", tz="UTC")
        return pa.string()

    return pa.schema([pa.field(name, arrow_type(name), nullable=True) for name in fields])


def write_parquet(
    posts: Iterable[dict[str, Any]], out: BinaryIO, fields: Sequence[str] = EXPORT_FIELDS
) -> None:
    """Write one Parquet file to ``out`` in row groups of :data:`PARQUET_ROW_GROUP` posts.

    Columns follow :func:`parquet_schema`: string ids, ``timestamp[us, UTC]`` times,
    ``list<string>`` lists, real nulls. An export of no posts is a valid file with no rows.
    """
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    schema = parquet_schema(fields)
    with pq.ParquetWriter(out, schema) as writer:
        for chunk in _chunks(iter(posts), PARQUET_ROW_GROUP):
            writer.write_batch(pa.RecordBatch.from_pylist(chunk, schema=schema))


def _chunks(posts: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    while chunk := list(islice(posts, size)):
        yield chunk
