"""``blogingest export``: stream stored posts to stdout as JSON lines, CSV, Parquet or brief lines.

The formats themselves are :mod:`storage.export_formats`; field names are the database's.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from blogingest.arguments import (
    add_database_option,
    blog_option,
    non_negative_int,
    open_database_engine,
    positive_int,
)
from blogingest.errors import UsageError

NAME = "export"
HELP = "write stored posts to stdout as JSON lines, CSV or Parquet (or --brief one-liners)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("jsonl", "csv", "parquet"),
        default="jsonl",
        help=r"(jsonl); csv writes NULL as \N; parquet is binary: redirect stdout to a file",
    )
    parser.add_argument(
        "--since",
        metavar="DATE",
        help="only posts whose content is new or changed at or after DATE (last_changed_at >= "
        "DATE; YYYY-MM-DD or ISO 8601 time; UTC if no zone)",
    )
    parser.add_argument(
        "--from-seq",
        metavar="N",
        type=non_negative_int,
        help="only posts with change_seq >= N, in change_seq order: every change, comment "
        "counts included (the incremental cursor)",
    )
    parser.add_argument("--blog", metavar="URL", help="only posts of this blog (any URL of it)")
    parser.add_argument("--limit", metavar="N", type=positive_int, help="at most N posts")
    parser.add_argument(
        "--brief",
        action="store_true",
        help="one line per post: title, URL, comment count, paragraph count",
    )
    add_database_option(parser)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy.orm import Session

    from storage.export import ExportFilter, iter_posts

    since = _parse_since(args.since) if args.since is not None else None
    blog = blog_option(args.blog)
    if args.format == "parquet" and not args.brief and sys.stdout.isatty():
        raise UsageError(
            "--format parquet writes binary: redirect stdout to a file (> out.parquet)"
        )
    engine = open_database_engine(args.db)
    where = ExportFilter(
        changed_since=since, from_seq=args.from_seq, blog_url=blog, limit=args.limit
    )
    try:
        with Session(engine) as session:
            _write(iter_posts(session, where), args, sys.stdout)
    except BrokenPipeError:
        # The reader (`| head`) went away: not an error; keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    finally:
        engine.dispose()
    return 0


def _write(posts: Iterable[dict[str, Any]], args: argparse.Namespace, out: Any) -> None:
    from storage.export_formats import write_csv, write_jsonl, write_parquet  # noqa: PLC0415

    if args.brief:
        for post in posts:
            out.write(_brief(post) + "\n")
    elif args.format == "csv":
        write_csv(posts, out)
    elif args.format == "parquet":
        out.flush()
        write_parquet(posts, out.buffer)
        out.buffer.flush()
    else:
        write_jsonl(posts, out)


def _brief(post: dict[str, Any]) -> str:
    title = post["title"] or "(untitled)"
    comments = "?" if post["comment_count"] is None else str(post["comment_count"])
    paragraphs = len(post["body_paragraphs"])
    return f"{title} | {post['url']} | comments: {comments} | paragraphs: {paragraphs}"


def _parse_since(text: str) -> datetime:
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since: {text!r} is not a date (YYYY-MM-DD) or ISO 8601 time") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
