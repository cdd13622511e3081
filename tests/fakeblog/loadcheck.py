"""Measure the fake Blogger's throughput on post pages, loopback only, bounded in count and time.

``python -m tests.fakeblog.loadcheck --posts 5000 --requests 20000 --connections 8``

Starts ``python -m tests.fakeblog --lazy`` as a child process (so the client does not share
its GIL), fetches every post page once (cold: first render), then fetches post pages again over
keep-alive connections (warm: cached bytes) until ``--requests`` or ``--seconds`` is reached.
Prints one line per phase: requests, seconds, requests/s, MiB/s. Exit status 1 if any
answer was not 200. The client is plain asyncio streams, as cheap as the server side.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.fakeblog.site import FakeBlogger

_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Tally:
    """Answers counted by one phase."""

    requests: int = 0
    bad: int = 0
    bytes: int = 0


async def _get(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, url: str, tally: Tally
) -> None:
    writer.write(f"GET {url} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    status = int((await reader.readline()).split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    body = await reader.readexactly(length)
    tally.requests += 1
    tally.bytes += len(body)
    tally.bad += status != 200


async def _worker(port: int, urls: list[str], tally: Tally, deadline: float) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for url in urls:
            if time.perf_counter() > deadline:
                return
            await _get(reader, writer, url, tally)
    finally:
        writer.close()


async def _phase(
    port: int, urls: list[str], connections: int, seconds: float
) -> tuple[Tally, float]:
    tally = Tally()
    started = time.perf_counter()
    deadline = started + seconds
    shares = [urls[i::connections] for i in range(connections)]
    await asyncio.gather(*(_worker(port, share, tally, deadline) for share in shares))
    return tally, time.perf_counter() - started


def _report(name: str, tally: Tally, elapsed: float) -> None:
    rate = tally.requests / elapsed if elapsed else 0.0
    mib = tally.bytes / elapsed / 2**20 if elapsed else 0.0
    print(
        f"{name}: {tally.requests} requests in {elapsed:.2f}s = {rate:.0f} req/s, "
        f"{mib:.1f} MiB/s, non-200: {tally.bad}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    """Run both phases against a child server; returns 0 if every answer was 200."""
    parser = argparse.ArgumentParser(prog="python -m tests.fakeblog.loadcheck")
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--theme", default="layouts")
    parser.add_argument("--requests", type=int, default=20000, help="warm-phase request cap")
    parser.add_argument("--seconds", type=float, default=20.0, help="per-phase time cap")
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args(argv)
    command = [sys.executable, "-m", "tests.fakeblog", "--port", "0"]
    command += ["--posts", str(args.posts), "--theme", args.theme, "--lazy"]
    child = subprocess.Popen(command, cwd=_ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        port = int(line.split("port=")[1].split()[0])
        # The child builds the same site from the same seed, so the URLs match.
        site = FakeBlogger.single(posts=args.posts, theme=args.theme)
        urls = [post.url for post in site.blogs[0].posts]
        cold = asyncio.run(_phase(port, urls, args.connections, args.seconds))
        _report("cold (first render)", *cold)
        warm_urls = (urls * (args.requests // max(1, len(urls)) + 1))[: args.requests]
        warm = asyncio.run(_phase(port, warm_urls, args.connections, args.seconds))
        _report("warm (cached bytes)", *warm)
    finally:
        child.terminate()
        child.wait(timeout=10)
    return 1 if cold[0].bad or warm[0].bad else 0


if __name__ == "__main__":
    sys.exit(main())
