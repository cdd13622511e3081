"""Publication dates: our Blogger rules beside htmldate, for accuracy and for cost.

Usage: ``python -m benchmarks.published_dates DIR [DIR ...]``

For every ``NAME.html`` with a ``NAME.expected.json`` that states ``published`` (a date or
timestamp, or null for a page that shows no date of its own), the page is read twice: with
its URL, and without any URL or canonical link (as a saved file). Each time
:func:`crawler.parsing.parse_page` and, when it is importable, ``htmldate.find_date``
(fast mode, and extensive mode) give a date, scored as right, wrong (a date, not the
page's: worse than none) or missing. Their CPU time is printed beside a bare lxml parse of
the same bytes. This is how htmldate was weighed as a fallback behind the Blogger rules.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html

from crawler.parsing import NotAPostError, UnreadablePageError, parse_page

_OWN_URL = re.compile(rb"<link[^>]*rel=['\"]canonical['\"][^>]*>|<meta[^>]*og:url[^>]*>")

Finder = Callable[[str, bytes], str | None]


@dataclass
class Tally:
    """Right, wrong and missing answers, CPU seconds, and the cases that were not right."""

    right: int = 0
    wrong: int = 0
    missing: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)


def ours(url: str, body: bytes) -> str | None:
    try:
        published = parse_page(url, body).published
    except (NotAPostError, UnreadablePageError):
        return None
    return published.date().isoformat() if published else None


def htmldate_finder(*, extensive: bool) -> Finder | None:
    try:
        from htmldate import find_date  # noqa: PLC0415 - optional, benchmark only
    except ImportError:
        return None

    def find(url: str, body: bytes) -> str | None:
        text = body.decode("utf-8", "replace")
        found = find_date(text, url=url or None, original_date=True, extensive_search=extensive)
        return str(found) if found else None

    return find


def cases(directories: list[Path]) -> list[tuple[str, str, bytes, str | None]]:
    """Return ``(name, url, bytes, expected date)`` for every page that states ``published``."""
    found = []
    for directory in directories:
        for expected_path in sorted(directory.glob("*.expected.json")):
            expected = json.loads(expected_path.read_text("utf-8"))
            html = expected_path.with_name(expected_path.name.replace(".expected.json", ".html"))
            if "published" not in expected or not html.exists():
                continue
            want = expected["published"][:10] if expected["published"] else None
            found.append((html.stem, expected["url"], html.read_bytes(), want))
    return found


def run(directories: list[Path]) -> list[str]:
    """Score every finder over every case, with and without URL; return the report lines."""
    finders: dict[str, Finder] = {"parse_page (Blogger rules)": ours}
    for name, extensive in (("htmldate fast", False), ("htmldate extensive", True)):
        finder = htmldate_finder(extensive=extensive)
        if finder is not None:
            finders[name] = finder
    tallies = {name: Tally() for name in finders}
    lxml_seconds = 0.0
    pages = cases(directories)
    for name, url, body, want in pages:
        for label, page_url, page in (("url", url, body), ("no url", "", _OWN_URL.sub(b"", body))):
            started = time.process_time()
            lxml.html.document_fromstring(page)
            lxml_seconds += time.process_time() - started
            for finder_name, finder in finders.items():
                tally = tallies[finder_name]
                started = time.process_time()
                got = finder(page_url, page)
                tally.seconds += time.process_time() - started
                if got == want:
                    tally.right += 1
                    continue
                if got is None:
                    tally.missing += 1
                else:
                    tally.wrong += 1
                tally.misses.append(f"{name} ({label}): {got} for {want}")
    lines = [f"{2 * len(pages)} readings of {len(pages)} pages (with and without URL)"]
    for finder_name, tally in tallies.items():
        cost = tally.seconds / lxml_seconds if lxml_seconds else 0.0
        lines.append(
            f"  {finder_name:<28} right {tally.right:3}  wrong {tally.wrong:3}"
            f"  missing {tally.missing:3}  cost {cost:5.2f}x lxml parse"
        )
        lines += [f"      {miss}" for miss in tally.misses]
    return lines


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.published_dates", description=__doc__
    )
    parser.add_argument("dirs", type=Path, nargs="+", help="directories of NAME.expected.json")
    args = parser.parse_args(argv)
    for directory in args.dirs:
        if not directory.is_dir() or not any(directory.glob("*.expected.json")):
            message = f"benchmarks.published_dates: no NAME.expected.json in {directory}"
            print(message, file=sys.stderr)
            return 2
    print("\n".join(run(args.dirs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
