"""`blogingest parse`: JSON for a post, exit 3 for a non-post, exit 2 for bad input."""

from __future__ import annotations

import functools
import io
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from blogingest.cli import main
from blogingest.errors import EXIT_NOT_A_POST, EXIT_USAGE
from tests.support.parsing_pages import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
REQUIRED_KEYS = {
    "url", "title", "body_paragraphs", "comment_count", "author", "published_at", "updated_at",
    "labels", "blogger_blog_id", "blogger_post_id", "language",
}  # fmt: skip


def test_parse_prints_the_post_as_utf8_json(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["parse", str(FIXTURES / "notable.html")]) == 0
    record = json.loads(capsysbinary.readouterr().out.decode("utf-8"))
    assert record.keys() >= REQUIRED_KEYS
    assert record["title"] == "Les courges"
    assert record["body_paragraphs"][0] == "Douze potirons cette année."
    assert record["published_at"] == "2021-09-20T17:30:00+02:00"


def test_parse_speaks_the_database_and_export_vocabulary(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    from storage.export import EXPORT_FIELDS

    assert main(["parse", str(FIXTURES / "notable.html")]) == 0
    record = json.loads(capsysbinary.readouterr().out.decode("utf-8"))
    # Only what the page alone gives has a name of its own; the rest are export/posts names.
    # The comment thread is the page's own too (its comments are not stored with the post).
    page_only = {"blog_title", "source_url", "extractor", "comments", "comments_partial"}
    assert set(record) - set(EXPORT_FIELDS) == page_only


def test_parse_writes_non_ascii_characters_unescaped(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    main(["parse", str(FIXTURES / "notable.html")])
    assert "année".encode() in capsysbinary.readouterr().out


def test_the_url_option_names_the_page_read_from_a_file(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    url = "https://trainspotting-notes.blogspot.com/2016/08/night-mail.html"
    page = FIXTURES / "simple.html"
    assert main(["parse", str(page), "--url", url]) == 0
    record = json.loads(capsysbinary.readouterr().out)
    assert record["source_url"] == url


def test_parse_reads_stdin(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    page = (FIXTURES / "contempo.html").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(page)))
    assert main(["parse", "-"]) == 0
    assert json.loads(capsysbinary.readouterr().out)["comment_count"] == 5


def test_a_non_post_exits_3_with_a_one_line_reason(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(FIXTURES / "archive.html")]) == EXIT_NOT_A_POST
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "blogingest parse: not a post: archive listing (pageType archive)\n"


def test_a_missing_file_exits_2_naming_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "nope.html"
    assert main(["parse", str(missing)]) == EXIT_USAGE
    assert capsys.readouterr().err == f"blogingest parse: no such file: {missing}\n"


def test_an_empty_file_exits_2_as_unreadable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    assert main(["parse", str(empty)]) == EXIT_USAGE
    assert "empty document" in capsys.readouterr().err


def test_a_url_option_that_is_not_http_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(FIXTURES / "simple.html"), "--url", "ftp://x/y"]) == EXIT_USAGE
    assert "--url must be an http(s) URL" in capsys.readouterr().err


def test_the_command_runs_as_a_subprocess_without_a_traceback(tmp_path: Path) -> None:
    ok = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "blogingest", "parse", str(FIXTURES / "minima.html")],
        capture_output=True,
        cwd=ROOT,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout.decode("utf-8"))["labels"] == ["Kuchen", "Rhabarber"]
    bad = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "blogingest", "parse", str(tmp_path / "missing.html")],
        capture_output=True,
        cwd=ROOT,
        check=False,
    )
    assert bad.returncode == EXIT_USAGE
    assert b"Traceback" not in bad.stderr


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - base signature
        """Keep request logs off stderr, which the tests read."""


@pytest.fixture
def loopback_fixture_server() -> Iterator[str]:
    """Serve tests/fixtures/pages on 127.0.0.1 (a free port); yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(FIXTURES))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_parse_fetches_an_http_url_with_urllib(
    loopback_fixture_server: str, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    url = f"{loopback_fixture_server}/contempo.html"
    assert main(["parse", url]) == 0
    record = json.loads(capsysbinary.readouterr().out)
    assert record["source_url"] == url
    assert record["url"] == "https://polderfiets.blogspot.com/2023/05/tegenwind.html"


def test_an_http_error_exits_2_naming_the_url(
    loopback_fixture_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"{loopback_fixture_server}/missing.html"
    assert main(["parse", url]) == EXIT_USAGE
    assert capsys.readouterr().err.startswith(
        f"blogingest parse: cannot fetch {url}: HTTP Error 404"
    )


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_stdin_takes_the_url_from_the_canonical_link(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    _stdin(monkeypatch, (FIXTURES / "contempo.html").read_bytes())
    assert main(["parse", "-"]) == 0
    record = json.loads(capsysbinary.readouterr().out)
    assert record["url"] == "https://polderfiets.blogspot.com/2023/05/tegenwind.html"
    assert record["source_url"] is None


@pytest.mark.parametrize(
    "page",
    [
        b"<html><body><div class='post-body entry-content'><p>Text.</p></div></body></html>",
        b"Harbour notes\nThe fog came in before dawn.\n",
    ],
)
def test_stdin_without_a_canonical_link_gives_a_null_url(
    page: bytes, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    _stdin(monkeypatch, page)
    assert main(["parse", "-"]) == 0
    record = json.loads(capsysbinary.readouterr().out)
    assert record["url"] is None
    assert record["source_url"] is None
    assert record["blog_url"] is None


def test_stdin_with_the_url_option_uses_it(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    _stdin(monkeypatch, b"Harbour notes\nThe fog came in before dawn.\n")
    url = "https://harbour.blogspot.com/2005/03/notes.html?m=1"
    assert main(["parse", "-", "--url", url]) == 0
    record = json.loads(capsysbinary.readouterr().out)
    assert record["url"] == "https://harbour.blogspot.com/2005/03/notes.html"
    assert record["source_url"] == url


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (
            "pyproject.toml",
            b'[build-system]\nrequires = ["setuptools>=68"]\n',
            "text, not a post capture: first line is not a title",
        ),
        ("settings.py", b"import os\n\nDEBUG = True\n", "first line is not a title"),
        ("robots.txt", b"User-agent: *\nDisallow: /search\nAllow: /\n", "code or data"),
    ],
)
def test_a_text_file_that_is_not_a_capture_exits_3_with_one_line(
    name: str, content: bytes, reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["parse", str(path)]) == EXIT_NOT_A_POST
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("blogingest parse: not a post: ")
    assert reason in captured.err
    assert captured.err.count("\n") == 1


def test_a_saved_home_page_read_from_a_file_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    page = FIXTURES.parent / "feeds" / "home-layouts.html"
    assert main(["parse", str(page)]) == EXIT_NOT_A_POST
    assert capsys.readouterr().err == (
        "blogingest parse: not a post: blog home page (canonical URL shape)\n"
    )


def test_a_post_page_with_neither_title_nor_body_exits_3(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["parse", str(FIXTURES / "empty_post.html")]) == EXIT_NOT_A_POST
    assert capsys.readouterr().err == (
        "blogingest parse: not a post: post page with neither title nor body\n"
    )
