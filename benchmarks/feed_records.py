"""Feed-built post records against page records: matches per field, verdicts, and speed.

Usage: ``PYTHONPATH=. python -m benchmarks.feed_records [CORPUS_DIR] [--entries 150]``

Three parts, figures only (exit 0; exit 2 with one line when CORPUS_DIR is not a directory):

1. **Corpus.** Every ``NNN.atom.xml`` is read with the feed-record builder: entries, the
   verdicts (why an entry cannot give the post), records built, and which fields they carry.
   Every corpus page (``NNN.html`` + ``NNN.expected.json``) whose URL a feed entry names is
   compared field by field with :func:`crawler.feed_records.record_differences`.
2. **Fake blog.** Every post of the default fake blogs (three theme families), read from
   ``/feeds/posts/full`` in Atom and JSON, compared with ``parse_and_clean`` of its page:
   matches per field.
3. **Speed.** One feed page of ``--entries`` entries (default 150, Blogger's page cap) built
   into records, against ``parse_and_clean`` of the same posts' pages: records/s each (best
   of ``--repeat`` runs; CPU only, no network).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from crawler.extraction import parse_and_clean
from crawler.feed_records import (
    COMPARED_FIELDS,
    EntryUnusableError,
    PostEntry,
    build_record,
    read_post_entries,
    record_differences,
)
from crawler.items import BlogPost
from crawler.urls import canonical_url


def _corpus(directory: Path) -> None:
    reasons: Counter[str] = Counter()
    present: Counter[str] = Counter()
    entries: dict[str, PostEntry] = {}
    built = total = 0
    for feed_file in sorted(directory.glob("*.atom.xml")):
        read = read_post_entries(feed_file.name, feed_file.read_bytes(), language=None)
        for entry in read.entries:
            total += 1
            try:
                record, _verdict = build_record(entry)
            except EntryUnusableError as error:
                reasons[error.reason] += 1
                continue
            built += 1
            entries[record.url] = entry
            for name in COMPARED_FIELDS:
                if getattr(record, name) not in (None, [], ""):
                    present[name] += 1
    print(f"corpus feeds: {total} entries, {built} records built from the feed")
    for reason, count in reasons.most_common():
        print(f"  page needed: {reason:<20} {count}")
    print(
        "  fields present in built records: "
        + ", ".join(f"{n} {present[n]}" for n in COMPARED_FIELDS)
    )
    _corpus_pages(directory, entries)


def _corpus_pages(directory: Path, entries: dict[str, PostEntry]) -> None:
    matched = 0
    agree: Counter[str] = Counter()
    for expected_file in sorted(directory.glob("*.expected.json")):
        url = json.loads(expected_file.read_text("utf-8")).get("url")
        page_file = expected_file.with_name(expected_file.name.replace(".expected.json", ".html"))
        try:
            key = canonical_url(url)
        except (TypeError, ValueError):
            continue
        if key not in entries or not page_file.exists():
            continue
        matched += 1
        feed, _verdict = build_record(entries[key])
        differences = record_differences(feed, parse_and_clean(url, page_file.read_bytes()))
        for name in COMPARED_FIELDS:
            agree[name] += name not in differences
    print(f"corpus pages with a matching feed entry: {matched}")
    if matched:
        print(
            "  matches per field: "
            + ", ".join(f"{n} {agree[n]}/{matched}" for n in COMPARED_FIELDS)
        )


def _fake_blog() -> None:
    from tests.fakeblog.routes import Router
    from tests.support.feed_entries import blogs, damaged_site, feed_entries, page_record

    site, _kinds = damaged_site()
    router = Router(site)
    for alt in ("atom", "json"):
        agree: Counter[str] = Counter()
        compared = 0
        for blog in blogs(site):
            by_url = {post.canonical_url: post for post in blog.posts}
            for entry in feed_entries(router, blog, "/feeds/posts/full", alt):
                feed, _verdict = build_record(entry)
                differences = record_differences(feed, page_record(router, by_url[feed.url]))
                compared += 1
                for name in COMPARED_FIELDS:
                    agree[name] += name not in differences
        fields = ", ".join(f"{n} {agree[n]}/{compared}" for n in COMPARED_FIELDS)
        print(f"fake blog ({alt}, 3 themes, damaged posts included): {fields}")


def _best(repeat: int, work: Callable[[], int]) -> tuple[float, int]:
    best = float("inf")
    count = 0
    for _ in range(repeat):
        start = time.perf_counter()
        count = work()
        best = min(best, time.perf_counter() - start)
    return best, count


def _speed(entries: int, repeat: int) -> None:
    from tests.fakeblog import FakeBlogger
    from tests.fakeblog.routes import Router

    site = FakeBlogger.single(posts=entries, feed_cap=entries, host="speed.blogspot.com")
    router = Router(site)
    blog = site.blog("speed.blogspot.com")
    query = f"max-results={entries}"
    feed_body = router.respond("speed.blogspot.com", "/feeds/posts/full", query).body
    pages = [
        (post.url, router.respond("speed.blogspot.com", post.path, "").body) for post in blog.posts
    ]

    def from_feed() -> int:
        read = read_post_entries("http://speed.blogspot.com/feeds/posts/full", feed_body)
        return sum(1 for entry in read.entries if build_record(entry)[0] is not None)

    def from_pages() -> int:
        records: list[BlogPost] = [parse_and_clean(url, body) for url, body in pages]
        return len(records)

    feed_time, feed_count = _best(repeat, from_feed)
    page_time, page_count = _best(repeat, from_pages)
    print(
        f"speed ({entries}-entry feed page, {len(feed_body) // 1024} KB; "
        f"{page_count} pages, {sum(len(b) for _, b in pages) // 1024} KB):"
    )
    print(f"  feed entries -> records: {feed_count / feed_time:8.0f} records/s ({feed_time:.3f} s)")
    print(f"  pages -> records:        {page_count / page_time:8.0f} records/s ({page_time:.3f} s)")
    print(f"  feed is {page_time / feed_time:.1f}x faster per record")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (see the module docstring); return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.feed_records")
    parser.add_argument("corpus", nargs="?", type=Path, help="corpus directory (optional)")
    parser.add_argument("--entries", type=int, default=150, help="entries in the speed feed page")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best counts")
    args = parser.parse_args(argv)
    if args.corpus is not None:
        if not args.corpus.is_dir():
            print(f"error: {args.corpus} is not a directory", file=sys.stderr)
            return 2
        _corpus(args.corpus)
    _fake_blog()
    _speed(max(1, min(args.entries, 500)), max(1, args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
