import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["-a", "blogs=notaurl"], "notaurl"),
        (["-a", "blogs=https://x.blogspot.com/", "-a", "max_posts=-3"], "max_posts"),
        ([], "blog"),
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
