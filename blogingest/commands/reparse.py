"""``blogingest reparse``: run the current parser over the raw pages kept in the database."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.items import BlogPost, FetchedPage
    from storage.reparse import ParsePage, ReparseSummary

NAME = "reparse"
HELP = "re-parse stored raw pages (rejects and kept posts) with the current parser"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help="database URL (default: env DATABASE_URL)")
    parser.add_argument("--limit", metavar="N", type=_positive_int, help="at most N pages")
    parser.add_argument(
        "--progress-every",
        metavar="N",
        type=_positive_int,
        default=500,
        help="print a progress line every N pages (default 500)",
    )


def run(args: argparse.Namespace) -> int:
    from blogingest.errors import CommandError, UsageError
    from storage.database import (
        DatabaseConfigError,
        DatabaseUnavailableError,
        make_session_factory,
        open_engine,
    )
    from storage.reparse import reparse

    try:
        engine = open_engine(args.db)
    except DatabaseConfigError as error:
        raise UsageError(f"--db: {error}") from None
    except DatabaseUnavailableError as error:
        raise CommandError(str(error)) from None
    reported = [0]

    def progress(summary: ReparseSummary) -> None:
        if summary.pages - reported[0] >= args.progress_every:
            reported[0] = summary.pages
            print(f"... {summary.line()}", file=sys.stderr, flush=True)

    parse, rejections, parser_version = _load_parser()
    try:
        summary = reparse(
            make_session_factory(engine),
            parse,
            rejections=rejections,
            parser_version=parser_version,
            limit=args.limit,
            progress=progress,
        )
    finally:
        engine.dispose()
    for message in summary.errors:
        print(f"parser error: {message}", file=sys.stderr)
    print(summary.line())
    return 1 if summary.failed else 0


def _load_parser() -> tuple[ParsePage, tuple[type[Exception], ...], str]:
    """Return (parse and clean one page, the parser's rejection errors, its version).

    Imported here, not at module level, so that ``blogingest --help`` stays fast.
    """
    from crawler.cleaning import clean_post
    from crawler.parsing import PARSER_VERSION, NotAPostError, UnreadablePageError, parse_page

    def parse_and_clean(page: FetchedPage) -> BlogPost:
        return clean_post(parse_page(page.url, page.body, content_type=page.content_type))

    return parse_and_clean, (NotAPostError, UnreadablePageError), PARSER_VERSION


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value
