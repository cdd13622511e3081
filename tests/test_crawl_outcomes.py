"""What a crawl tells its user: one line for a blog it cannot crawl, exit codes from the
run's outcome (`blogingest crawl` and `scrapy crawl`), and real times on a failed run.

Every server is on 127.0.0.1: a closed port (refused), a socket that never answers
(timeout), plain HTTP asked for TLS, and a plain site that is not a Blogger blog.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from scrapy.exceptions import CannotResolveHostError, DownloadTimeoutError
from twisted.internet.error import DNSLookupError

from crawler.extensions.run_record import NOT_BLOGGER
from crawler.spiders.failures import describe_network_error
from tests.support.crawl import ROOT, crawl_env, crawl_runs, migrated_sqlite, run_crawl

FAST = ["-s", "RETRY_TIMES=0", "-s", "DOWNLOAD_TIMEOUT=2"]


@contextmanager
def plain_site(directory: Path) -> Iterator[int]:
    """Serve ``directory`` (a site with no Blogger markup) on 127.0.0.1; yield its port."""
    (directory / "index.html").write_text(
        "<html><head><title>Plain</title></head><body><h1>Hello</h1>"
        '<p>A shop, not a blog. <a href="/about.html">About</a></p></body></html>'
    )
    handler = partial(SimpleHTTPRequestHandler, directory=str(directory))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def silent_socket() -> Iterator[int]:
    """A port that accepts connections (the kernel's backlog) and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _crawl_one_line(tmp_path: Path, url: str) -> tuple[int, list[str], str]:
    db = migrated_sqlite(tmp_path)
    result = run_crawl([url, *FAST], database_url=db, data_dir=tmp_path / "data")
    return result.returncode, result.stderr.strip().splitlines(), db


def test_a_refused_connection_is_one_line_and_exit_1(tmp_path: Path) -> None:
    port = closed_port()
    code, lines, _ = _crawl_one_line(tmp_path, f"http://127.0.0.1:{port}/")
    assert code == 1
    assert lines == [
        f"https://127.0.0.1:{port}/: failed (run 1): "
        f"home page http://127.0.0.1:{port}/: connection refused"
    ]


def test_a_timeout_is_one_line_and_its_run_records_how_long_it_took(tmp_path: Path) -> None:
    with silent_socket() as port:
        code, lines, db = _crawl_one_line(tmp_path, f"http://127.0.0.1:{port}/")
    assert code == 1
    assert len(lines) == 1, lines
    assert lines[0].endswith(f"home page http://127.0.0.1:{port}/: timeout")
    (run,) = crawl_runs(db)
    assert run.finished_at is not None
    # robots.txt and the home page each waited DOWNLOAD_TIMEOUT (2 s) before failing.
    assert (run.finished_at - run.started_at).total_seconds() >= 2
    assert run.status == "failed"


def test_tls_to_a_plain_http_server_is_one_line_naming_tls(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    with plain_site(tmp_path / "site") as port:
        code, lines, _ = _crawl_one_line(tmp_path, f"https://127.0.0.1:{port}/")
    assert code == 1
    assert len(lines) == 1, lines
    assert f"home page https://127.0.0.1:{port}/: TLS handshake failed" in lines[0]


def test_a_site_that_is_not_a_blogger_blog_is_a_failed_run(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    with plain_site(tmp_path / "site") as port:
        code, lines, db = _crawl_one_line(tmp_path, f"http://127.0.0.1:{port}/")
    assert code == 1
    assert lines == [f"https://127.0.0.1:{port}/: failed (run 1): {NOT_BLOGGER}"]
    (run,) = crawl_runs(db)
    assert run.status == "failed"
    assert run.errors[0] == NOT_BLOGGER


def test_scrapy_crawl_exits_1_for_a_failed_blog_as_blogingest_crawl_does(tmp_path: Path) -> None:
    db = migrated_sqlite(tmp_path)
    port = closed_port()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "blogger",
            "-a",
            f"blogs=http://127.0.0.1:{port}/",
        ]
        + FAST,
        cwd=ROOT,
        env=crawl_env(db, None, tmp_path / "data"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (CannotResolveHostError("x.invalid"), "DNS lookup failed (no such host)"),
        (DNSLookupError("x.invalid"), "DNS lookup failed (no such host)"),
        (DownloadTimeoutError("took too long"), "timeout"),
        (ValueError("not a network error"), None),
    ],
)
def test_network_errors_are_named_in_words(error: BaseException, words: str | None) -> None:
    assert describe_network_error(error) == words


def test_a_wrapped_error_is_named_by_its_cause() -> None:
    wrapped = RuntimeError("wrapped")
    wrapped.__cause__ = DNSLookupError("x.invalid")
    assert describe_network_error(wrapped) == "DNS lookup failed (no such host)"


@pytest.mark.slow
def test_sigint_stops_a_crawl_cleanly_with_exit_130(tmp_path: Path) -> None:
    import signal

    from tests.fakeblog import BlogSpec, FakeBlogger, Fault, FaultKind, serve

    host = "fake-interrupted.blogspot.com"
    site = FakeBlogger([BlogSpec(host, posts=20)])
    blog = site.blog(host)
    for post in blog.posts:
        blog.set_fault(post, Fault(FaultKind.SLOW, delay=1.0))
    db = migrated_sqlite(tmp_path)
    command = [sys.executable, "-m", "blogingest", "crawl", f"http://{host}/", *FAST]
    command += ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0"]
    command += ["-s", "PROGRESS_INTERVAL=0.2", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
    with serve(site) as server:
        crawl = subprocess.Popen(
            command,
            cwd=ROOT,
            env=crawl_env(db, server.proxy_url, tmp_path / "data"),
            stderr=subprocess.PIPE,
            text=True,
        )
        assert crawl.stderr is not None
        for line in crawl.stderr:  # bounded: the crawl ends by itself within ~25 s
            if " progress: " in line:
                break
        crawl.send_signal(signal.SIGINT)
        crawl.communicate(timeout=60)
    assert crawl.returncode == 130
    (run,) = crawl_runs(db)
    assert run.status == "interrupted"
