"""``blogingest export``: stream stored posts to stdout as JSON lines, CSV or brief lines."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any, TextIO

from blogingest.arguments import blog_option, open_database_engine, positive_int

NAME = "export"
HELP = "write stored posts to stdout as JSON lines or CSV (or --brief one-liners)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="(jsonl)")
    parser.add_argument(
        "--since",
        metavar="DATE",
        help="only posts new or changed since DATE (YYYY-MM-DD or ISO 8601 time; UTC if no zone)",
    )
    parser.add_argument("--blog", metavar="URL", help="only posts of this blog (any URL of it)")
    parser.add_argument("--limit", metavar="N", type=positive_int, help="at most N posts")
    parser.add_argument(
        "--brief",
        action="store_true",
        help="one line per post: title, URL, comment count, paragraph count",
    )
    parser.add_argument("--db", metavar="URL", help="database URL (default: env DATABASE_URL)")


def run(args: argparse.Namespace) -> int:
    from sqlalchemy.orm import Session

    from storage.export import ExportFilter, iter_posts

    since = _parse_since(args.since) if args.since is not None else None
    blog = blog_option(args.blog)
    engine = open_database_engine(args.db)
    where = ExportFilter(changed_since=since, blog_url=blog, limit=args.limit)
    try:
        with Session(engine) as session:
            _write(iter_posts(session, where), args, sys.stdout)
    except BrokenPipeError:
        # The reader (`| head`) went away: not an error; keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    finally:
        engine.dispose()
    return 0


def _write(posts: Iterable[dict[str, Any]], args: argparse.Namespace, out: TextIO) -> None:
    if args.brief:
        for post in posts:
            out.write(_brief(post) + "\n")
    elif args.format == "csv":
        _write_csv(posts, out)
    else:
        for post in posts:
            out.write(json.dumps(_jsonable(post), ensure_ascii=False) + "\n")


def _brief(post: dict[str, Any]) -> str:
    title = post["title"] or "(untitled)"
    comments = "?" if post["comment_count"] is None else str(post["comment_count"])
    paragraphs = len(post["body_paragraphs"])
    return f"{title} | {post['url']} | comments: {comments} | paragraphs: {paragraphs}"


def _write_csv(posts: Iterable[dict[str, Any]], out: TextIO) -> None:
    from storage.export import EXPORT_FIELDS

    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\n")
    writer.writeheader()
    for post in posts:
        row = _jsonable(post)
        for key in ("body_paragraphs", "labels"):
            row[key] = json.dumps(row[key], ensure_ascii=False)
        writer.writerow(row)


def _jsonable(post: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in post.items()
    }


def _parse_since(text: str) -> datetime:
    from blogingest.errors import UsageError

    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since: {text!r} is not a date (YYYY-MM-DD) or ISO 8601 time") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
