"""Throughput of parse + clean over a corpus's post pages, beside bare lxml and trafilatura.

Usage: ``python -m benchmarks.parse_speed ../shared/corpus [--passes N]``

Each contender runs over the same bytes (every ``NNN.html`` whose expected ``page_kind`` is
``post``, in memory) for N passes. Passes are interleaved (lxml, ours, trafilatura, lxml,
...) so that load from other processes on a shared machine hits all contenders alike. The
best and the median pass are reported as pages/s and MB/s; the cost ratio to a bare
``lxml.html.document_fromstring`` (target: at most 3x) is taken per round, from passes run
side by side, and its median and best are printed. trafilatura is measured when it is
importable. Prints figures only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html

from crawler.extraction import parse_and_clean

Page = tuple[str, bytes]


def load_post_pages(corpus: Path) -> list[Page]:
    """Return ``(url, bytes)`` of every post page in ``corpus`` (by its expected.json)."""
    pages: list[Page] = []
    for expected_path in sorted(corpus.glob("*.expected.json")):
        expected = json.loads(expected_path.read_text("utf-8"))
        html = expected_path.with_name(expected_path.name.replace(".expected.json", ".html"))
        if expected.get("page_kind") == "post" and html.exists():
            pages.append((expected["url"], html.read_bytes()))
    return pages


def time_pass(work: Callable[[Page], object], pages: list[Page]) -> float:
    """Run ``work`` once over all ``pages``; return the seconds it took."""
    start = time.perf_counter()
    for page in pages:
        work(page)
    return time.perf_counter() - start


def time_interleaved(
    contenders: dict[str, Callable[[Page], object]], pages: list[Page], passes: int
) -> dict[str, list[float]]:
    """Time ``passes`` rounds, each running every contender once; seconds per pass."""
    durations: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(passes):
        for name, work in contenders.items():
            durations[name].append(time_pass(work, pages))
    return durations


def _lxml(page: Page) -> object:
    return lxml.html.document_fromstring(page[1])


def _ours(page: Page) -> object:
    return parse_and_clean(page[0], page[1])


def _contenders() -> dict[str, Callable[[Page], object]]:
    contenders: dict[str, Callable[[Page], object]] = {
        "lxml document_fromstring": _lxml,
        "parse_page + clean_post": _ours,
    }
    try:
        import trafilatura  # noqa: PLC0415 - optional reference point
    except ImportError:
        return contenders

    def _trafilatura(page: Page) -> object:
        return trafilatura.extract(page[1], url=page[0])

    contenders["trafilatura.extract"] = _trafilatura
    return contenders


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.parse_speed", description=__doc__)
    parser.add_argument("corpus", type=Path, help="directory holding NNN.html + expected.json")
    parser.add_argument("--passes", type=int, default=7, help="passes per contender (7)")
    args = parser.parse_args(argv)
    pages = load_post_pages(args.corpus) if args.corpus.is_dir() else []
    if not pages:
        print(f"benchmarks.parse_speed: no post pages in {args.corpus}", file=sys.stderr)
        return 2
    megabytes = sum(len(body) for _, body in pages) / 1e6
    print(f"{len(pages)} post pages, {megabytes:.2f} MB, {args.passes} passes (best / median)")
    durations = time_interleaved(_contenders(), pages, args.passes)
    for name, passes in durations.items():
        best, median = min(passes), statistics.median(passes)
        print(
            f"  {name:<28} {len(pages) / best:8.1f} / {len(pages) / median:8.1f} pages/s"
            f"  {megabytes / best:6.2f} / {megabytes / median:6.2f} MB/s"
        )
    lxml_passes = durations["lxml document_fromstring"]
    for name, passes in durations.items():
        if name.startswith("lxml"):
            continue
        ratios = [ours / lxml for ours, lxml in zip(passes, lxml_passes, strict=True)]
        print(
            f"  cost vs lxml, per round: {name:<26}"
            f" median {statistics.median(ratios):5.2f}x  best {min(ratios):5.2f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
