"""Throughput of parse + clean over post pages, beside bare lxml and trafilatura, per page too.

Usage::

    python -m benchmarks.parse_speed ../shared/corpus [--passes N] [--slowest K]
    python -m benchmarks.parse_speed --generated [--scale S] [--copies C] [--seed N]

Pages: every ``NNN.html`` of a corpus directory whose expected ``page_kind`` is ``post``
(a directory without ``*.expected.json`` files: every ``*.html`` in it), or, with
``--generated``, the stress pages of :mod:`benchmarks.stress_pages` (thousands of short
paragraphs, ``<br>`` lines, heavy templates, big comment threads ... in every theme family).
A page the parser refuses (not a post, unreadable) is named with its reason and not timed.

Each contender runs over the same bytes (in memory) for N passes, timed in CPU time of the
process (``time.process_time``), so that other processes on a shared machine do not count.
Within a pass every page is run by every contender in turn (lxml, ours, trafilatura, then the
next page), so that what load remains (shared caches) hits all contenders alike, and each page
is timed on its own, the allocator settled at the end of each call (:func:`settle_allocator`).
Reported:

* per set: the best and the median pass as pages/s and MB/s, and the cost ratio to a bare
  ``lxml.html.document_fromstring`` per round (pass totals side by side), median and best;
* per page: each page's cost ratio is its best time over the passes divided by lxml's best
  time on it; the median and the worst page cost (targets: at most 2.5x and 5x), and the
  ``--slowest`` pages with their sizes and best times.

trafilatura is measured when it is importable (``--no-trafilatura`` skips it). Prints figures
only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import lxml.html

from benchmarks.stress_pages import stress_pages
from crawler.extraction import parse_and_clean
from crawler.parsing.errors import NotAPostError, UnreadablePageError


@dataclass(frozen=True, slots=True)
class Page:
    """One page to time: a short ``name`` for the report, its URL and its bytes."""

    name: str
    url: str
    body: bytes


Work = Callable[[Page], object]
LXML = "lxml document_fromstring"
OURS = "parse_page + clean_post"
MEDIAN_TARGET, WORST_TARGET = 2.5, 5.0


def load_post_pages(corpus: Path) -> list[Page]:
    """Return the post pages of ``corpus`` (by its expected.json; else every ``*.html``)."""
    pages: list[Page] = []
    expected_paths = sorted(corpus.glob("*.expected.json"))
    for expected_path in expected_paths:
        expected = json.loads(expected_path.read_text("utf-8"))
        html = expected_path.with_name(expected_path.name.replace(".expected.json", ".html"))
        if expected.get("page_kind") == "post" and html.exists():
            pages.append(Page(html.name, expected["url"], html.read_bytes()))
    if not expected_paths:
        pages = [
            Page(path.name, str(path), path.read_bytes()) for path in sorted(corpus.glob("*.html"))
        ]
    return pages


def parsed_pages(pages: list[Page]) -> tuple[list[Page], list[tuple[str, str]]]:
    """Split ``pages`` into those the parser reads as posts and those it refuses (name, reason).

    A refused page (not a post, unreadable) is not timed: its cost would be a refusal's, not
    a parse's, and a held-out set must not stop the benchmark at its first such page.
    """
    kept: list[Page] = []
    refused: list[tuple[str, str]] = []
    for page in pages:
        try:
            parse_and_clean(page.url, page.body)
        except (NotAPostError, UnreadablePageError) as error:
            refused.append((page.name, str(error)))
        else:
            kept.append(page)
    return kept, refused


def generated_pages(seed: int, scale: int, copies: int) -> list[Page]:
    """Return the stress pages of :mod:`benchmarks.stress_pages` as :class:`Page` values."""
    return [
        Page(p.name, p.url, p.body) for p in stress_pages(seed=seed, scale=scale, copies=copies)
    ]


def time_interleaved(
    contenders: dict[str, Work], pages: list[Page], passes: int
) -> dict[str, list[list[float]]]:
    """Time ``passes`` rounds of every contender on every page, page by page.

    Returns, per contender, one list per pass of the seconds each page took (page order).
    """
    durations: dict[str, list[list[float]]] = {name: [] for name in contenders}
    # CPU time of this process: what a page costs, without the time slices other processes
    # on a shared machine take meanwhile (wall-clock times of one page moved 2x between runs).
    clock = time.process_time
    for _ in range(passes):
        for timings in durations.values():
            timings.append([])
        for page in pages:
            for name, work in contenders.items():
                start = clock()
                work(page)
                settle_allocator()
                durations[name][-1].append(clock() - start)
    return durations


_LARGE_REQUEST = 4096
"""Bytes of a request glibc serves from its large bins (over 1 KB), consolidating first."""


def settle_allocator() -> None:
    """Have the C allocator finish the frees of the work just done, in the work's own time.

    A freed lxml tree leaves thousands of small chunks in glibc's fast bins; they are merged
    at the next large request (``malloc_consolidate``), whoever makes it. Bare lxml's tree is
    freed as its call returns and makes no such request, so the next contender paid for it:
    14 to 310 us, 0.05 to 0.3 of the parse, on the second stand-in set's pages (measured after
    ``document_fromstring`` and after ``parse_and_clean``: 2 to 3.5 us there, whose cleaning
    makes large requests after its tree is freed). One large request at the end of every
    timed call makes each contender pay for its own frees.
    """
    bytearray(_LARGE_REQUEST)


def _lxml(page: Page) -> object:
    return lxml.html.document_fromstring(page.body)


def _ours(page: Page) -> object:
    return parse_and_clean(page.url, page.body)


def _contenders(with_trafilatura: bool) -> dict[str, Work]:
    contenders: dict[str, Work] = {LXML: _lxml, OURS: _ours}
    if not with_trafilatura:
        return contenders
    try:
        import trafilatura  # noqa: PLC0415 - optional reference point
    except ImportError:
        return contenders

    def _trafilatura(page: Page) -> object:
        return trafilatura.extract(page.body, url=page.url)

    contenders["trafilatura.extract"] = _trafilatura
    return contenders


def page_costs(ours: list[list[float]], lxml: list[list[float]]) -> list[float]:
    """Return each page's cost: its best time over passes divided by lxml's best on it.

    Best, not median: one page takes a millisecond or two, and a time slice lost to another
    process only ever makes a single run slower.
    """
    return [
        min(own) / min(bare)
        for own, bare in zip(zip(*ours, strict=True), zip(*lxml, strict=True), strict=True)
    ]


def _report_sets(durations: dict[str, list[list[float]]], count: int, megabytes: float) -> None:
    totals = {name: [sum(one_pass) for one_pass in passes] for name, passes in durations.items()}
    for name, passes in totals.items():
        best, median = min(passes), statistics.median(passes)
        print(
            f"  {name:<28} {count / best:8.1f} / {count / median:8.1f} pages/s"
            f"  {megabytes / best:6.2f} / {megabytes / median:6.2f} MB/s"
        )
    for name, passes in totals.items():
        if name == LXML:
            continue
        ratios = [ours / lxml for ours, lxml in zip(passes, totals[LXML], strict=True)]
        print(
            f"  cost vs lxml, per round: {name:<26}"
            f" median {statistics.median(ratios):5.2f}x  best {min(ratios):5.2f}x"
        )


def _report_pages(pages: list[Page], durations: dict[str, list[list[float]]], slowest: int) -> None:
    costs = page_costs(durations[OURS], durations[LXML])
    median, worst = statistics.median(costs), max(costs)
    verdict = "ok" if median <= MEDIAN_TARGET and worst <= WORST_TARGET else "OVER TARGET"
    print(
        f"  cost vs lxml, per page:  median {median:5.2f}x  worst {worst:5.2f}x"
        f"  (targets {MEDIAN_TARGET}x / {WORST_TARGET}x: {verdict})"
    )
    if slowest <= 0:
        return
    print(f"  slowest {min(slowest, len(pages))} pages (best ms over passes):")
    print(f"    {'page':<34} {'KB':>6} {'lxml ms':>8} {'ours ms':>8} {'cost':>6}")
    ranked = sorted(range(len(pages)), key=lambda i: costs[i], reverse=True)
    for index in ranked[:slowest]:
        bare = min(one_pass[index] for one_pass in durations[LXML]) * 1000
        own = min(one_pass[index] for one_pass in durations[OURS]) * 1000
        page = pages[index]
        print(
            f"    {page.name[:34]:<34} {len(page.body) / 1000:6.0f} {bare:8.2f} {own:8.2f}"
            f" {costs[index]:5.2f}x"
        )


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.parse_speed", description=__doc__)
    parser.add_argument("corpus", type=Path, nargs="?", help="directory of NNN.html (+ expected)")
    parser.add_argument("--generated", action="store_true", help="time generated stress pages")
    parser.add_argument("--seed", type=int, default=15, help="stress page seed (15)")
    parser.add_argument("--scale", type=int, default=1, help="stress body size factor (1)")
    parser.add_argument("--copies", type=int, default=1, help="stress pages per shape+theme (1)")
    parser.add_argument("--passes", type=int, default=7, help="passes per contender (7)")
    parser.add_argument("--slowest", type=int, default=10, help="slowest pages listed (10)")
    parser.add_argument("--no-trafilatura", action="store_true", help="skip trafilatura")
    args = parser.parse_args(argv)
    if args.generated:
        pages = generated_pages(args.seed, args.scale, args.copies)
        source = "generated stress pages"
    elif args.corpus is None:
        parser.error("give a corpus directory or --generated")
    else:
        pages = load_post_pages(args.corpus) if args.corpus.is_dir() else []
        source = "post pages"
        if not pages:
            print(f"benchmarks.parse_speed: no post pages in {args.corpus}", file=sys.stderr)
            return 2
    pages, refused = parsed_pages(pages)
    for name, reason in refused:
        print(f"not timed: {name} (the parser refuses it: {reason})")
    if not pages:
        print(f"benchmarks.parse_speed: the parser refuses every page of {source}", file=sys.stderr)
        return 2
    megabytes = sum(len(page.body) for page in pages) / 1e6
    print(f"{len(pages)} {source}, {megabytes:.2f} MB, {args.passes} passes (best / median)")
    durations = time_interleaved(_contenders(not args.no_trafilatura), pages, args.passes)
    _report_sets(durations, len(pages), megabytes)
    _report_pages(pages, durations, args.slowest)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
