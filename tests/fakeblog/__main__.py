"""Run the fake Blogger standalone: ``python -m tests.fakeblog --port 0 --posts 5000``.

Without ``--posts`` it serves ``FakeBlogger.default()`` (3 blogs, faults on unless
``--no-faults``); with ``--posts N`` one fault-free blog of N posts. Every post page and
sitemap is rendered before serving unless ``--lazy``. Prints one line
``fakeblog port=PORT proxy=http://127.0.0.1:PORT hosts=...`` (flushed, for parent processes
to read) and serves until SIGTERM or SIGINT, then exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from tests.fakeblog.server import FakeServer
from tests.fakeblog.site import FakeBlogger
from tests.fakeblog.spec import THEMES


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tests.fakeblog", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0 = any free)")
    parser.add_argument("--posts", type=int, help="serve one blog with this many posts")
    parser.add_argument("--theme", choices=THEMES, default="layouts", help="theme of --posts blog")
    parser.add_argument("--host", default="bench.blogspot.com", help="host of the --posts blog")
    parser.add_argument("--seed", type=int, default=1, help="content seed (default 1)")
    parser.add_argument("--feed-cap", type=int, default=None, help="max entries per feed page")
    parser.add_argument(
        "--comments-per-post",
        type=int,
        default=0,
        help="every post of the --posts blog has this many comments (none has comments off)",
    )
    parser.add_argument("--no-faults", action="store_true", help="default blogs without faults")
    parser.add_argument(
        "--lazy", action="store_true", help="render pages on first request (default: prerender)"
    )
    return parser


def build_site(args: argparse.Namespace) -> FakeBlogger:
    """The site the command line asks for; ``ValueError`` names a bad setting."""
    if args.posts is None:
        return FakeBlogger.default(seed=args.seed, faults=not args.no_faults)
    settings: dict[str, object] = {} if args.feed_cap is None else {"feed_cap": args.feed_cap}
    if args.comments_per_post:
        settings |= {"comments_per_post": args.comments_per_post, "comments_off_ratio": 0.0}
    return FakeBlogger.single(
        posts=args.posts, theme=args.theme, host=args.host, seed=args.seed, **settings
    )


async def _serve(server: FakeServer, site: FakeBlogger) -> None:
    loop = asyncio.get_running_loop()
    task = asyncio.create_task(server.run())
    while not server.bound.is_set():
        if task.done():
            await task
        await asyncio.sleep(0.01)
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, server.request_stop)
    print(
        f"fakeblog port={server.port} proxy={server.proxy_url} hosts={','.join(site.hosts)}",
        flush=True,
    )
    await task


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (2 for a bad argument)."""
    args = _parser().parse_args(argv)
    try:
        site = build_site(args)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    server = FakeServer(site, args.port)
    if not args.lazy:
        server.router.prerender()
    try:
        asyncio.run(_serve(server, site))
    except OSError as error:
        print(f"error: cannot listen on 127.0.0.1:{args.port}: {error.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
