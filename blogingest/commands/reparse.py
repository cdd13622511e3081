"""``blogingest reparse``: run the current parser over the raw pages kept in the database."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from blogingest.arguments import add_database_option, open_command_database, positive_int

if TYPE_CHECKING:
    from crawler.items import BlogPost, FetchedPage
    from storage.reparse import ParsePage, ReparseSummary

NAME = "reparse"
HELP = "re-parse stored raw pages (rejects and kept posts) with the current parser"


def configure(parser: argparse.ArgumentParser) -> None:
    add_database_option(parser)
    parser.add_argument("--limit", metavar="N", type=positive_int, help="at most N pages")
    parser.add_argument(
        "--progress-every",
        metavar="N",
        type=positive_int,
        default=500,
        help="print a progress line every N pages (default 500)",
    )


def run(args: argparse.Namespace) -> int:
    from storage.reparse import reparse

    database = open_command_database(args.db)
    reported = [0]

    def progress(summary: ReparseSummary) -> None:
        if summary.pages - reported[0] >= args.progress_every:
            reported[0] = summary.pages
            print(f"... {summary.line()}", file=sys.stderr, flush=True)

    parse, rejections, parser_version = _load_parser()
    try:
        summary = reparse(
            database.sessions,
            parse,
            rejections=rejections,
            parser_version=parser_version,
            limit=args.limit,
            progress=progress,
        )
    finally:
        database.dispose()
    for message in summary.errors:
        print(f"parser error: {message}", file=sys.stderr)
    print(summary.line())
    return 1 if summary.failed else 0


def _load_parser() -> tuple[ParsePage, tuple[type[Exception], ...], str]:
    """Return (parse and clean one page, the parser's rejection errors, its version).

    Imported here, not at module level, so that ``blogingest --help`` stays fast.
    """
    from crawler.extraction import KEPT_PAGE_REJECTIONS, record_from_kept
    from crawler.parsing import PARSER_VERSION

    # Kept raw pages are post pages or raw feed entries (feed-built posts): both re-parse.
    def parse(page: FetchedPage) -> BlogPost:
        return record_from_kept(page)

    return parse, KEPT_PAGE_REJECTIONS, PARSER_VERSION
