"""``blogingest parse PATH_OR_URL [--url URL]``: parse and clean one page, print it as JSON.

Reads a file, ``-`` (stdin) or an http(s) URL (fetched with urllib; the only network use of
this command), runs :func:`crawler.extraction.parse_and_clean` and prints the record as
indented UTF-8 JSON. From stdin without ``--url``, ``url`` is the page's canonical link or
null, never "-". Exit 0 for a post; 3 with a one-line reason for a page that is not a
post; 2 when the input is missing, unreadable or not a document.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from blogingest.errors import EXIT_NOT_A_POST, CommandError, UsageError

if TYPE_CHECKING:
    from crawler.items import BlogPost

NAME = "parse"
HELP = "parse and clean one Blogger page (file, '-' or http(s) URL) and print it as JSON"

_FETCH_TIMEOUT_SECONDS = 30
_MAX_BYTES = 20 * 1024 * 1024


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("source", metavar="PATH_OR_URL", help="a file, '-' for stdin, or a URL")
    parser.add_argument(
        "--url", help="the page's URL when reading a file or stdin (sets the record's url)"
    )


def _fetch(url: str) -> tuple[bytes, str | None]:
    from urllib.error import URLError  # noqa: PLC0415 - keep `--help` fast
    from urllib.request import Request, urlopen  # noqa: PLC0415

    request = Request(url, headers={"User-Agent": "blogingest-parse/1"})  # noqa: S310
    try:
        with urlopen(request, timeout=_FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.read(_MAX_BYTES), response.headers.get("Content-Type")
    except (URLError, OSError, ValueError) as error:
        raise UsageError(f"cannot fetch {url}: {error}") from None


def _read(source: str) -> tuple[bytes, str | None]:
    if source == "-":
        return sys.stdin.buffer.read(), None
    if source.lower().startswith(("http://", "https://")):
        return _fetch(source)
    path = Path(source)
    try:
        return path.read_bytes(), None
    except FileNotFoundError:
        raise UsageError(f"no such file: {source}") from None
    except OSError as error:
        raise UsageError(f"cannot read {source}: {error.strerror or error}") from None


def _page_url(args: argparse.Namespace) -> str | None:
    """Return the URL the bytes come from; None for stdin without ``--url`` (none is known)."""
    if args.url:
        if not str(args.url).lower().startswith(("http://", "https://")):
            raise UsageError(f"--url must be an http(s) URL, got {args.url!r}")
        return str(args.url)
    source = str(args.source)
    if source == "-":
        return None
    if source.lower().startswith(("http://", "https://")):
        return source
    return Path(source).resolve().as_uri()


def _record_json(post: BlogPost, url: str | None) -> dict[str, Any]:
    """Return the record as JSON data; without a known source, ``url`` is the page's own.

    Field names are the database's (:meth:`~crawler.items.BlogPost.to_record`). Read from
    stdin without ``--url``, the record's ``url`` is the page's canonical link if it has one,
    else null, and ``source_url`` is null: "-" is not a URL.
    """
    record = post.to_record()
    if url is None:
        record["url"] = record["url"] or None
        record["source_url"] = None
    return record


def run(args: argparse.Namespace) -> int:
    """Parse, clean and print; raise CommandError for non-posts and bad input."""
    from crawler.extraction import parse_and_clean  # noqa: PLC0415
    from crawler.parsing import NotAPostError, UnreadablePageError  # noqa: PLC0415

    url = _page_url(args)
    body, content_type = _read(str(args.source))
    try:
        # "" is parse_page's "no URL known": the record's url is then the page's canonical
        # link, or "" without one.
        post = parse_and_clean(url or "", body, content_type=content_type)
    except NotAPostError as error:
        raise CommandError(f"not a post: {error.reason}", EXIT_NOT_A_POST) from None
    except UnreadablePageError as error:
        raise UsageError(f"cannot read {args.source} as a page: {error.reason}") from None
    text = json.dumps(_record_json(post, url), ensure_ascii=False, indent=2) + "\n"
    try:
        # Bytes, so the output is UTF-8 whatever the terminal's locale.
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
    except BrokenPipeError:  # `blogingest parse ... | head`: the reader left; not an error
        sys.stdout = None  # no flush at exit on the closed pipe
    return 0
