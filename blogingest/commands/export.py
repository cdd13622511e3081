"""``blogingest export``: stream stored posts or comments to stdout (JSON lines, CSV, Parquet).

The formats themselves are :mod:`storage.export_formats`; field names are the database's.
``--what comments`` exports the comments table; ``--with-comments`` nests each post's comments
in the posts' JSON lines; ``--pseudonymise-authors`` replaces author names and URLs with keyed
tokens (:mod:`storage.pseudonyms`).
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
    open_command_database,
    positive_int,
)
from blogingest.errors import UsageError

NAME = "export"
HELP = "write stored posts or comments to stdout as JSON lines, CSV or Parquet"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--what",
        choices=("posts", "comments"),
        default="posts",
        help="(posts) or comments: one record per stored comment",
    )
    parser.add_argument(
        "--with-comments",
        action="store_true",
        help="posts as JSON lines only: each post carries its comments in a 'comments' list",
    )
    parser.add_argument(
        "--pseudonymise-authors",
        action="store_true",
        help="replace author names and author URLs with a keyed hash (HMAC-SHA256): the same "
        "author, the same token; needs --pseudonym-key or env BLOGINGEST_PSEUDONYM_KEY",
    )
    parser.add_argument(
        "--pseudonym-key",
        metavar="KEY",
        help="the key of --pseudonymise-authors (keep it secret; the same key, the same tokens)",
    )
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

    from storage.export import ExportFilter, iter_comments, iter_posts, with_comments

    since = _parse_since(args.since) if args.since is not None else None
    blog = blog_option(args.blog)
    _check_combinations(args)
    pseudonyms = _pseudonymiser(args)
    if args.format == "parquet" and not args.brief and sys.stdout.isatty():
        raise UsageError(
            "--format parquet writes binary: redirect stdout to a file (> out.parquet)"
        )
    database = open_command_database(args.db)
    where = ExportFilter(
        changed_since=since, from_seq=args.from_seq, blog_url=blog, limit=args.limit
    )
    try:
        with Session(database.engine) as session:
            if args.what == "comments":
                records = iter_comments(session, where)
            else:
                records = iter_posts(session, where)
                if args.with_comments:
                    records = with_comments(session, records)
            if pseudonyms is not None:
                records = map(pseudonyms.record, records)
            _write(records, args, sys.stdout)
    except BrokenPipeError:
        # The reader (`| head`) went away: not an error; keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    finally:
        database.dispose()
    return 0


def _check_combinations(args: argparse.Namespace) -> None:
    """Refuse options that make no sense together, in one line."""
    if args.what == "comments" and args.since is not None:
        raise UsageError("--since selects posts; select comments with --from-seq N")
    if args.with_comments and (args.what != "posts" or args.format != "jsonl" or args.brief):
        raise UsageError("--with-comments nests comments in posts: only with --format jsonl")


def _pseudonymiser(args: argparse.Namespace) -> Any:
    """Return the author pseudonymiser the options ask for, or ``None``; refuse a missing key."""
    from storage.pseudonyms import PSEUDONYM_KEY_ENV, Pseudonymiser  # noqa: PLC0415

    if not args.pseudonymise_authors:
        if args.pseudonym_key is not None:
            raise UsageError("--pseudonym-key is only used with --pseudonymise-authors")
        return None
    key = (
        args.pseudonym_key if args.pseudonym_key is not None else os.environ.get(PSEUDONYM_KEY_ENV)
    )
    if not key:
        raise UsageError(
            f"--pseudonymise-authors needs a key: --pseudonym-key KEY or env {PSEUDONYM_KEY_ENV}"
        )
    return Pseudonymiser(key)


def _write(posts: Iterable[dict[str, Any]], args: argparse.Namespace, out: Any) -> None:
    from storage.export import COMMENT_EXPORT_FIELDS, EXPORT_FIELDS  # noqa: PLC0415
    from storage.export_formats import write_csv, write_jsonl, write_parquet  # noqa: PLC0415

    fields = COMMENT_EXPORT_FIELDS if args.what == "comments" else EXPORT_FIELDS
    if args.brief:
        brief = _brief_comment if args.what == "comments" else _brief
        for post in posts:
            out.write(brief(post) + "\n")
    elif args.format == "csv":
        write_csv(posts, out, fields)
    elif args.format == "parquet":
        out.flush()
        write_parquet(posts, out.buffer, fields)
        out.buffer.flush()
    else:
        write_jsonl(posts, out)


def _brief(post: dict[str, Any]) -> str:
    title = post["title"] or "(untitled)"
    comments = "?" if post["comment_count"] is None else str(post["comment_count"])
    paragraphs = len(post["body_paragraphs"])
    return f"{title} | {post['url']} | comments: {comments} | paragraphs: {paragraphs}"


def _brief_comment(comment: dict[str, Any]) -> str:
    author = comment["author"] or "(no name)"
    when = comment["published_at"].isoformat() if comment["published_at"] else "?"
    state = f" | deleted ({comment['deletion']})" if comment["deletion"] else ""
    text = " ".join(comment["paragraphs"])
    snippet = text if len(text) <= 60 else text[:59] + "…"
    return f"{author} | {when} | {comment['post_url']}{state} | {snippet}"


def _parse_since(text: str) -> datetime:
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since: {text!r} is not a date (YYYY-MM-DD) or ISO 8601 time") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
