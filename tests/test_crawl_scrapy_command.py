import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["-a", "blogs=notaurl"], "notaurl"),
        (["-a", "blogs=https://x.blogspot.com/", "-a", "max_posts=-3"], "max_posts"),
        ([], "blog"),
        (["-a", "blogs=https://x.blogspot.com/", "-a", "max_post=3"], "'max_post'"),
    ],
)
def test_scrapy_crawl_refuses_a_bad_argument_in_one_line_without_traceback(
    arguments: list[str], named: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "blogger", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    message = [line for line in result.stderr.splitlines() if line.startswith("scrapy crawl")]
    assert len(message) == 1
    assert named in message[0]


def _unmigrated(tmp_path: Path) -> str:
    (tmp_path / "empty.db").touch()
    return f"sqlite:///{tmp_path / 'empty.db'}"


@pytest.mark.parametrize(
    ("database", "named"),
    [
        (_unmigrated, "is not migrated"),
        (lambda tmp_path: f"sqlite:///{tmp_path / 'missing.db'}", "does not exist"),
        (lambda _: "postgresql+psycopg://u:s3cret@127.0.0.1:1/db", "u:***@127.0.0.1:1"),
    ],
)
def test_scrapy_crawl_refuses_an_unusable_database_before_any_request(
    tmp_path: Path, database: Any, named: str
) -> None:
    from tests.fakeblog import BlogSpec, FakeBlogger, serve

    host = "fake-dbcheck.blogspot.com"
    with serve(FakeBlogger([BlogSpec(host, posts=3)])) as server:
        env = {**os.environ, "DATABASE_URL": database(tmp_path), "http_proxy": server.proxy_url}
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "blogger", "-a", f"blogs=http://{host}/"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        requests = server.count()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "s3cret" not in result.stderr + result.stdout
    message = [line for line in result.stderr.splitlines() if line.startswith("scrapy crawl")]
    assert len(message) == 1
    assert named in message[0]
    assert requests == 0
