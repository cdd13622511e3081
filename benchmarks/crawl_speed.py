"""Crawl speed and memory: `blogingest crawl` against a fake Blogger blog, beside two baselines.

    python -m benchmarks.crawl_speed [--sizes 1000,5000] [--compare-at 5000]

For each size, a fake blog of that many posts (layouts theme) is served by
``python -m tests.fakeblog`` in its own process, and ``blogingest crawl --full`` stores it into
a fresh SQLite database through the fake server's proxy. Reported: post pages per second
(post pages fetched / wall time of the crawl process, start-up included) and the crawl
process's peak RSS (``os.wait4`` rusage of that child alone). At ``--compare-at`` two
baselines fetch the same post URLs with the same concurrency: a bare Scrapy spider that does
nothing with the pages, and one that runs ``trafilatura.extract`` on each.

The fake post pages weigh what real Blogger post pages weigh (median ~160 KB: skin CSS, widget
scripts, navbar, archive and popular-posts sidebar; see ``tests/fakeblog/themes/chrome.py``);
the page-size line printed per size says what was crawled. The fake server's own peak RSS is
printed beside ours.

Politeness is relaxed for loopback (no AutoThrottle, no delay, 32 concurrent requests per
host); robots.txt is still obeyed by our crawl. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "bench.blogspot.com"
LOOPBACK = {
    "AUTOTHROTTLE_ENABLED": "0",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
    "RETRY_BACKOFF_BASE": "0",
    "PROGRESS_INTERVAL": "0",
    "LOG_LEVEL": "WARNING",
}


@dataclass
class Measure:
    label: str
    pages: int
    seconds: float
    peak_rss_mb: float
    server_rss_mb: float = 0.0
    """Peak RSS of the fake blog server process that served this run (0 when unknown)."""

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def _run_measured(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run ``command``; return (wall seconds, peak RSS in MB of that process, stderr tail)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        errors.seek(0)
        tail = errors.read()[-2000:]
    if process.returncode != 0:
        raise RuntimeError(f"{command[2:5]} exited {process.returncode}: {tail}")
    return seconds, usage.ru_maxrss / 1024, tail


def compile_project() -> None:
    """Write the bytecode of the project's packages, as installing the package does.

    An editable checkout compiles its modules at their first import and keeps the bytecode,
    unless ``PYTHONDONTWRITEBYTECODE`` is set (as where this project's figures are measured):
    every crawl process then compiled about 160 modules from source, some 0.08 s of its
    start-up that an installed crawler never pays. The reference spiders import Scrapy, whose
    installation wrote its bytecode. ``py_compile`` writes it whatever that variable says.
    """
    import compileall

    for package in ("blogingest", "crawler", "storage"):
        compileall.compile_dir(ROOT / package, quiet=1)


class FakeBlogProcess:
    """``python -m tests.fakeblog --posts N [OPTION ...]`` on a free loopback port.

    ``options`` are more of the fake blog's command-line options (``--feed-cap 150`` …).
    """

    def __init__(self, posts: int, *options: str, host: str = HOST) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.fakeblog",
                "--port",
                "0",
                "--posts",
                str(posts),
                "--host",
                host,
                *options,
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        self.proxy_url = line.split("proxy=", 1)[1].split()[0]

    def peak_rss_mb(self) -> float:
        """The server's peak RSS so far (``VmHWM`` of ``/proc/PID/status``), 0.0 if unreadable."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return 0.0
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def _env(proxy_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(http_proxy=proxy_url, HTTP_PROXY=proxy_url, **extra)
    return env


def _settings_args() -> list[str]:
    return [arg for name, value in LOOPBACK.items() for arg in ("-s", f"{name}={value}")]


def measure_ours(posts: int, workdir: Path, parse_workers: int = 0) -> Measure:
    from storage.migrate import upgrade

    database = workdir / f"crawl-{posts}.db"
    url = f"sqlite:///{database}"
    upgrade(url)
    server = FakeBlogProcess(posts)
    try:
        command = [sys.executable, "-m", "blogingest", "crawl", f"http://{HOST}/", "--full"]
        seconds, rss, _ = _run_measured(
            [*command, *_settings_args(), "-s", f"PARSE_WORKERS={parse_workers}"],
            _env(server.proxy_url, DATABASE_URL=url, BLOGINGEST_DATA_DIR=str(workdir)),
        )
        server_rss = server.peak_rss_mb()
    finally:
        server.stop()
    stored = _count_posts(url)
    if stored != posts:
        raise RuntimeError(f"crawl stored {stored} posts of {posts}")
    workers = f", {parse_workers} parse workers" if parse_workers else ""
    return Measure(f"blogingest crawl ({posts} posts{workers})", posts, seconds, rss, server_rss)


def page_weights(posts: int) -> str:
    """One line on the post pages a ``posts``-post benchmark blog serves: count and sizes (KB)."""
    import statistics

    from tests.fakeblog import FakeBlogger
    from tests.fakeblog.routes import Router

    site = FakeBlogger.single(posts=posts, host=HOST)
    router = Router(site)
    sizes = [router.respond(HOST, post.path, "").length / 1024 for post in site.blogs[0].posts]
    return (
        f"post pages crawled: {len(sizes)}, median {statistics.median(sizes):.0f} KB, "
        f"mean {statistics.fmean(sizes):.0f} KB, {min(sizes):.0f}-{max(sizes):.0f} KB, "
        f"{sum(sizes) / 1024:.0f} MB in all"
    )


def _count_posts(url: str) -> int:
    from sqlalchemy import create_engine, func, select

    from storage.models import Post

    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(Post)).scalar_one()
    engine.dispose()
    return int(count)


def measure_baseline(kind: str, posts: int, workdir: Path) -> Measure:
    from tests.fakeblog import FakeBlogger

    site = FakeBlogger.single(posts=posts, host=HOST)
    urls_file = workdir / "urls.txt"
    urls_file.write_text("\n".join(post.url for post in site.expected_posts().values()))
    server = FakeBlogProcess(posts)
    try:
        command = [
            sys.executable,
            "-m",
            "benchmarks.crawl_speed",
            "--baseline",
            kind,
            "--urls",
            str(urls_file),
        ]
        seconds, rss, _ = _run_measured(command, _env(server.proxy_url))
    finally:
        server.stop()
    label = "bare Scrapy spider" if kind == "bare" else "Scrapy + trafilatura.extract"
    return Measure(f"{label} ({posts} pages)", posts, seconds, rss)


def run_baseline(kind: str, urls_file: Path) -> None:
    """The baseline spider (in the measured child process): fetch every URL, extract or not.

    ``bare`` does nothing with a page; ``title`` is the minimal real Scrapy spider, a trivial
    extraction (the ``<title>`` by CSS selector, yielded as an item); ``trafilatura`` extracts
    the text.
    """
    import scrapy
    from scrapy.crawler import CrawlerProcess

    urls = urls_file.read_text().split()
    extract: Any = None
    if kind == "trafilatura":
        import trafilatura

        extract = trafilatura.extract

    class Baseline(scrapy.Spider):
        name = f"baseline-{kind}"

        async def start(self) -> Any:
            for url in urls:
                yield scrapy.Request(url, callback=self.parse)

        def parse(self, response: Any) -> Any:
            if extract is not None:
                extract(response.text)
            if kind == "title":
                yield {"url": response.url, "title": response.css("title::text").get()}

    settings = {name: value for name, value in LOOPBACK.items()}
    settings.update(TELNETCONSOLE_ENABLED="0", REMOTE_CONTROL_ENABLED="0", ROBOTSTXT_OBEY="0")
    process = CrawlerProcess(settings)
    process.crawl(Baseline)
    process.start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000", help="blog sizes to crawl (posts)")
    parser.add_argument(
        "--compare-at", type=int, default=5000, help="size for the baselines (0: none)"
    )
    parser.add_argument("--parse-workers", type=int, default=0, help="PARSE_WORKERS for our crawl")
    parser.add_argument(
        "--baseline", choices=("bare", "title", "trafilatura"), help=argparse.SUPPRESS
    )
    parser.add_argument("--urls", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.baseline:
        run_baseline(args.baseline, args.urls)
        return 0
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    compile_project()
    print("loopback benchmark: politeness relaxed (no AutoThrottle, no delay, 32 per host)")
    results: list[Measure] = []
    with tempfile.TemporaryDirectory(prefix="crawl-speed-") as tmp:
        workdir = Path(tmp)
        for size in sizes:
            print(page_weights(size), flush=True)
            results.append(measure_ours(size, workdir, args.parse_workers))
            _report(results[-1])
        if args.compare_at:
            ours = next((m for m in results if m.pages == args.compare_at), None)
            if ours is None:
                ours = measure_ours(args.compare_at, workdir, args.parse_workers)
                _report(ours)
            bare = measure_baseline("bare", args.compare_at, workdir)
            _report(bare)
            extracted = measure_baseline("trafilatura", args.compare_at, workdir)
            _report(extracted)
            summary = {
                "ours_pages_per_s": round(ours.pages_per_second, 1),
                "x_trafilatura": round(ours.pages_per_second / extracted.pages_per_second, 2),
                "share_of_bare": round(ours.pages_per_second / bare.pages_per_second, 2),
                "x_trafilatura_of_bare": round(
                    bare.pages_per_second / extracted.pages_per_second, 2
                ),
                "target_x_trafilatura": 2.5,
            }
            print(json.dumps(summary))
    return 0


def _report(measure: Measure) -> None:
    print(
        f"{measure.label:45} {measure.pages_per_second:8.1f} pages/s  "
        f"{measure.seconds:7.1f} s  peak RSS {measure.peak_rss_mb:6.1f} MB"
        + (f"  (server {measure.server_rss_mb:.0f} MB)" if measure.server_rss_mb else ""),
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
