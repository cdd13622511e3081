"""``blogingest reparse``: run the current parser over the raw pages kept in the database.

The posts' page threads are stored too, as a crawl stores them, unless comments are off:
``--no-comments`` for every blog, ``--schedule FILE`` for the blogs whose schedule entry says
``no_comments`` (the crawl's own switches, see ``storage.reparse.CommentSwitch``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from blogingest.arguments import add_database_option, open_command_database, positive_int

if TYPE_CHECKING:
    from crawler.items import BlogPost, FetchedPage
    from storage.reparse import CommentSwitch, ParsePage, ReparseSummary

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
    parser.add_argument(
        "--no-comments",
        action="store_true",
        help="store no comment of the page threads (as crawl --no-comments)",
    )
    parser.add_argument(
        "--schedule",
        metavar="FILE",
        type=Path,
        help="store no page thread of the blogs this schedule crawls with no_comments",
    )


def run(args: argparse.Namespace) -> int:
    from storage.reparse import reparse

    switch = _comment_switch(args)
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
            switch=switch,
        )
    finally:
        database.dispose()
    for message in summary.errors:
        print(f"parser error: {message}", file=sys.stderr)
    print(summary.line())
    return 1 if summary.failed else 0


def _comment_switch(args: argparse.Namespace) -> CommentSwitch:
    """Return whose page threads are stored; a schedule that cannot be read is a usage error."""
    from blogingest.errors import UsageError
    from scheduler.config import ConfigError, load_config
    from storage.reparse import CommentSwitch

    off: frozenset[str] = frozenset()
    if args.schedule is not None:
        try:
            config = load_config(args.schedule)
        except ConfigError as error:
            raise UsageError(str(error)) from None
        off = frozenset(
            blog.home_url
            for blog in config.blogs
            if blog.crawl is not None and not blog.crawl.comments
        )
    return CommentSwitch(comments=not args.no_comments, off_blogs=off)


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
