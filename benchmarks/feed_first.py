"""Feed-first against ``--source pages``: requests, wall time, posts/s and peak RSS per crawl.

    python -m benchmarks.feed_first [--posts 2000] [--polite-posts N] [--skip-polite]
                                    [--no-comments] [--rounds N]

A fake blog (layouts theme, Blogger's real paging: 150 entries per feed page, ~150 URLs per
sitemap child) is served by ``python -m tests.fakeblog`` in its own process; ``blogingest crawl
--full`` stores it into a fresh SQLite database through the fake server's proxy, once built
from the post feed (``auto``: the default, with its verification sample) and once from every
post page (``pages``). Both runs must store every post.

(a) **Default politeness**: the settings users run (robots.txt obeyed, AutoThrottle, a 0.5 s
    download delay, the default concurrency), measured on the ``--posts`` blog itself. A page
    crawl then costs about half a second per post (a 2,000-post blog: about 20 minutes,
    mostly waiting). ``--polite-posts`` N below ``--posts`` crawls an N-post blog instead and
    extrapolates to ``--posts`` by requests: each crawl's seconds per request (start-up
    included) times the bigger blog's requests (the few fixed ones, the rest scaled with the
    posts). The extrapolated lines say so; the measured ones are the figures to quote.
(b) **Relaxed on loopback** (no AutoThrottle, no delay, 32 per host), at ``--posts``: the same
    two crawls, and a bare Scrapy spider (``benchmarks.crawl_speed``'s) fetching every post page
    of the same blog (a trivial extraction each, see below). Target: feed-first posts/s >= 2x
    its pages/s. ``--rounds`` N runs the feed-first crawl and both bare spiders N times,
    alternating (the pages crawl once), and judges the target on the medians: single runs
    scatter with the machine's load.

The bare Scrapy spider is the reference of the target: it fetches each post page and makes
a trivial extraction (the page's ``<title>``, yielded as an item), as a minimal Scrapy spider
does; one that does nothing at all with the pages is printed beside it, a lower bound.

Each line gives the process's CPU time (user + system, from ``wait4``) beside its wall time:
on a loaded machine the wall time mostly measures the wait for a core.

Requests are the crawl's own ``downloader/request_count`` (robots.txt, home, feeds, sitemaps,
sample and post pages, retries). Both crawls read the comments feed too (the crawl's default
harvest of comments; about 6 comments a post here, 150 a feed page), unless ``--no-comments``
is given, which both crawls then get. The project's modules are byte-compiled first, as an
installed crawler's are (``benchmarks.crawl_speed.compile_project``). Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.crawl_speed import (
    HOST,
    LOOPBACK,
    FakeBlogProcess,
    _count_posts,
    _env,
    compile_project,
)

ROOT = Path(__file__).resolve().parent.parent
FEED_PAGE = 150
SITEMAP_PAGE = 150
_REQUESTS = re.compile(r"'downloader/request_count': (\d+)")


@dataclass
class Run:
    label: str
    posts: int
    requests: int
    seconds: float
    peak_rss_mb: float
    extrapolated: bool = False
    cpu_seconds: float = 0.0

    @property
    def requests_per_post(self) -> float:
        return self.requests / self.posts if self.posts else 0.0

    @property
    def posts_per_second(self) -> float:
        return self.posts / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        mark = "  (extrapolated)" if self.extrapolated else ""
        rss = f"{self.peak_rss_mb:6.1f} MB" if self.peak_rss_mb else "     -   "
        cpu = f"{self.cpu_seconds:6.2f} s CPU" if self.cpu_seconds else "     -    CPU"
        return (
            f"{self.label:38} {self.requests:6d} req  {self.requests_per_post:6.3f} req/post  "
            f"{self.seconds:8.2f} s  {cpu}  {self.posts_per_second:8.1f} posts/s  "
            f"peak RSS {rss}{mark}"
        )


def _blog_server(posts: int) -> FakeBlogProcess:
    """The fake blog of ``posts`` posts with Blogger's feed and sitemap paging."""
    return FakeBlogProcess(
        posts, "--feed-cap", str(FEED_PAGE), "--sitemap-page-size", str(SITEMAP_PAGE)
    )


def _measured(command: list[str], env: dict[str, str]) -> tuple[float, float, str, float]:
    """Run ``command``; return (wall seconds, its peak RSS in MB, its stderr, its CPU seconds)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        errors.seek(0)
        text = errors.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command[2:5])} failed: {text[-1500:]}")
    return seconds, usage.ru_maxrss / 1024, text, usage.ru_utime + usage.ru_stime


def crawl(posts: int, source: str, workdir: Path, *, polite: bool, comments: bool = True) -> Run:
    """One ``blogingest crawl --full`` of a fresh ``posts``-post blog from ``source``."""
    from storage.migrate import upgrade

    url = f"sqlite:///{workdir / f'{source}-{posts}-{int(polite)}.db'}"
    upgrade(url)
    settings = {} if polite else dict(LOOPBACK)
    settings.update(LOG_LEVEL="INFO", PROGRESS_INTERVAL="0", BLOGINGEST_SOURCE=source)
    command = [sys.executable, "-m", "blogingest", "crawl", f"http://{HOST}/", "--full", "-q"]
    if not comments:
        command.append("--no-comments")
    command += [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]
    server = _blog_server(posts)
    try:
        env = _env(server.proxy_url, DATABASE_URL=url, BLOGINGEST_DATA_DIR=str(workdir))
        seconds, rss, stderr, cpu = _measured(command, env)
    finally:
        server.stop()
    stored = _count_posts(url)
    if stored != posts:
        raise RuntimeError(f"{source} crawl stored {stored} posts of {posts}")
    found = _REQUESTS.findall(stderr)
    if not found:
        raise RuntimeError(f"no request count in the crawl's log: {stderr[-800:]}")
    mode = ("default politeness" if polite else "relaxed") + ("" if comments else ", no comments")
    label = f"{source:5} {posts} posts, {mode}"
    return Run(label, posts, int(found[-1]), seconds, rss, cpu_seconds=cpu)


def bare_scrapy(posts: int, workdir: Path, kind: str = "title") -> Run:
    """A bare Scrapy spider of ``benchmarks.crawl_speed`` over the same blog's post pages.

    ``title`` (the reference of the target): fetch each page and make a trivial extraction
    (its ``<title>`` by CSS selector, yielded as an item), as the minimal Scrapy spider does.
    ``bare``: fetch each page and do nothing with it (a lower bound, printed beside it).
    Same fake blog, same server program and loopback settings as the crawls.
    """
    from tests.fakeblog import FakeBlogger

    site = FakeBlogger.single(posts=posts, host=HOST)
    urls = workdir / "urls.txt"
    urls.write_text("\n".join(post.url for post in site.blogs[0].posts))
    server = _blog_server(posts)
    try:
        command = [sys.executable, "-m", "benchmarks.crawl_speed", "--baseline", kind]
        seconds, rss, _, cpu = _measured([*command, "--urls", str(urls)], _env(server.proxy_url))
    finally:
        server.stop()
    doing = "a <title> each" if kind == "title" else "nothing else"
    return Run(f"bare Scrapy, {posts} pages, {doing}", posts, posts, seconds, rss, cpu_seconds=cpu)


def extrapolate(run: Run, posts: int, source: str) -> Run:
    """``run`` scaled to a ``posts``-post blog by requests (see the module docstring).

    A few requests are fixed (robots.txt, home, sitemap index; feed-first: 3 samples and the
    first feed page read again); feed, sitemap and comments-feed pages grow with the posts, as
    do post pages.
    """
    fixed = _FIXED[source]
    requests = fixed + round((run.requests - fixed) * posts / run.posts)
    seconds = run.seconds * requests / run.requests
    label = f"{source:5} {posts} posts, default politeness"
    return Run(label, posts, requests, seconds, 0.0, extrapolated=True)


_FIXED = {"auto": 7, "pages": 3}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=2000, help="blog size, relaxed (posts)")
    parser.add_argument(
        "--polite-posts",
        type=int,
        default=None,
        help="blog size at default politeness (default: --posts, measured, not extrapolated)",
    )
    parser.add_argument("--skip-polite", action="store_true", help="only the relaxed part")
    parser.add_argument(
        "--no-comments", action="store_true", help="crawl with --no-comments (both sources)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="relaxed: alternate the feed-first crawl and the bare spiders N times (medians)",
    )
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error(f"--rounds must be at least 1, not {args.rounds}")
    summary: dict[str, float] = {}
    keep = not args.no_comments
    compile_project()  # as an installed crawler has it (see compile_project)
    with tempfile.TemporaryDirectory(prefix="feed-first-") as tmp:
        workdir = Path(tmp)
        if not args.skip_polite:
            polite_posts = args.polite_posts or args.posts
            print(f"(a) default politeness, {polite_posts}-post blog", flush=True)
            feed = crawl(polite_posts, "auto", workdir, polite=True, comments=keep)
            print(feed.line(), flush=True)
            pages = crawl(polite_posts, "pages", workdir, polite=True, comments=keep)
            print(pages.line(), flush=True)
            summary |= _ratios("polite_measured", feed, pages)
            if polite_posts < args.posts:
                big_feed = extrapolate(feed, args.posts, "auto")
                big_pages = extrapolate(pages, args.posts, "pages")
                print(big_feed.line(), big_pages.line(), sep="\n", flush=True)
                summary |= _ratios("polite_extrapolated", big_feed, big_pages)
        print(f"(b) relaxed on loopback, {args.posts}-post blog", flush=True)
        pages = crawl(args.posts, "pages", workdir, polite=False, comments=keep)
        print(pages.line(), flush=True)
        feeds: list[Run] = []
        bares: list[Run] = []
        idles: list[Run] = []
        for _ in range(args.rounds):
            for runs, run in (
                (feeds, lambda: crawl(args.posts, "auto", workdir, polite=False, comments=keep)),
                (bares, lambda: bare_scrapy(args.posts, workdir)),
                (idles, lambda: bare_scrapy(args.posts, workdir, kind="bare")),
            ):
                runs.append(run())
                print(runs[-1].line(), flush=True)
        feed, bare, idle = _median(feeds), _median(bares), _median(idles)
        if args.rounds > 1:
            print(
                f"medians of {args.rounds} rounds:", feed.line(), bare.line(), idle.line(), sep="\n"
            )
        summary |= _ratios("relaxed", feed, pages)
        summary["relaxed_feed_vs_bare_scrapy"] = round(
            feed.posts_per_second / bare.posts_per_second, 2
        )
        summary["relaxed_feed_vs_bare_scrapy_no_extraction"] = round(
            feed.posts_per_second / idle.posts_per_second, 2
        )
        summary["relaxed_cpu_feed_vs_bare_scrapy_no_extraction"] = round(
            idle.cpu_seconds / feed.cpu_seconds, 2
        )
    summary |= {"target_fewer_requests": 20, "target_less_time": 10, "target_vs_bare": 2}
    print(json.dumps(summary))
    return 0


def _median(runs: list[Run]) -> Run:
    """The run of median wall time, with the median CPU time of all of them."""
    ordered = sorted(runs, key=lambda run: run.seconds)
    middle = ordered[len(ordered) // 2]
    cpu = sorted(run.cpu_seconds for run in runs)[len(runs) // 2]
    return Run(
        middle.label,
        middle.posts,
        middle.requests,
        middle.seconds,
        middle.peak_rss_mb,
        cpu_seconds=cpu,
    )


def _ratios(prefix: str, feed: Run, pages: Run) -> dict[str, float]:
    return {
        f"{prefix}_fewer_requests": round(pages.requests / feed.requests, 1),
        f"{prefix}_less_time": round(pages.seconds / feed.seconds, 1),
    }


if __name__ == "__main__":
    sys.exit(main())
