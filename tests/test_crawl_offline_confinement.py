"""The offline crawl reads only inside its seeds directory, whatever the seeds say.

A hostile seeds folder: a sitemap whose ``<loc>`` climbs out with ``..%2f``, post paths that
are symlinks to a page outside and to a system file, a host folder that is a symlink out. Each
is refused as a failed fetch with the reason ``outside the seeds directory (...)``; nothing
outside ends up in the database. Symlinks that stay inside are followed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from scrapy import Request
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from crawler.middlewares.seeds import OutsideSeedsError, SeedsDirectoryMiddleware
from storage.content import decompress
from storage.models import Post, RejectedPageRow
from tests.support.crawl import ROOT, crawl_runs, migrated_sqlite, run_crawl, stored_posts

HOST = "harbour-bakery-notes.blogspot.com"
RYE = "2023/03/rye-starter-in-cold-kitchen.html"
LOAF = "2023/05/seeded-loaf-for-ferry-crews.html"
MARKER = b"OUTSIDE-THE-SEEDS-MARKER"
CLIMBING = "2023/03/..%2f..%2f..%2f..%2foutside%2fpost.html"
TO_OUTSIDE = "2023/04/outside-link.html"
TO_SYSTEM = "2023/04/system-file.html"
INSIDE = "2023/04/inside-link.html"


def _hostile_seeds(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    blog = seeds / HOST
    shutil.copytree(ROOT / "seeds" / HOST, blog)
    outside = tmp_path / "outside"
    outside.mkdir()
    page = (blog / RYE).read_bytes().replace(b"</body>", MARKER + b"</body>")
    (outside / "post.html").write_bytes(page)
    (outside / "secret.txt").write_bytes(MARKER + b" root:x:0:0")
    (blog / TO_OUTSIDE).parent.mkdir(parents=True, exist_ok=True)
    (blog / TO_OUTSIDE).symlink_to(outside / "post.html")
    (blog / TO_SYSTEM).symlink_to(outside / "secret.txt")
    (blog / INSIDE).symlink_to(blog / RYE)
    locs = [RYE, LOAF, CLIMBING, TO_OUTSIDE, TO_SYSTEM, INSIDE]
    urls = "".join(f"<url><loc>https://{HOST}/{loc}</loc></url>" for loc in locs)
    (blog / "sitemap.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )
    (seeds / "elsewhere.blogspot.com").symlink_to(outside, target_is_directory=True)
    return seeds


def _database(url: str) -> tuple[list[tuple[str, str, bytes]], list[str]]:
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            rejects = [
                (row.url, row.reason, decompress(row.body or b""))
                for row in session.scalars(select(RejectedPageRow))
            ]
            bodies = [row.body for row in session.scalars(select(Post))]
            return rejects, bodies
    finally:
        engine.dispose()


@pytest.mark.slow
def test_an_offline_crawl_refuses_every_path_out_of_the_seeds_directory(tmp_path: Path) -> None:
    seeds = _hostile_seeds(tmp_path)
    url = migrated_sqlite(tmp_path)
    process = run_crawl(
        ["--offline", "--seeds-dir", str(seeds)], database_url=url, data_dir=tmp_path
    )
    assert sorted(stored_posts(url)) == [f"https://{HOST}/{RYE}", f"https://{HOST}/{LOAF}"]
    rejects, bodies = _database(url)
    assert not any(MARKER in body for _, _, body in rejects)
    assert not any(MARKER.decode() in body for body in bodies)
    refused = {link.rsplit("/", 1)[-1]: reason for link, reason, _ in rejects}
    for name in ("outside-link.html", "system-file.html"):
        assert refused[name].startswith("outside the seeds directory"), refused
    assert refused[CLIMBING.rsplit("/", 1)[-1]].startswith("outside the seeds directory")
    assert all(reason.startswith("outside the seeds directory") for reason in refused.values())
    assert "inside-link.html" not in refused  # a symlink inside the folder is followed
    home = {run.blog_url: run for run in crawl_runs(url)}["https://elsewhere.blogspot.com/"]
    assert home.status == "failed"
    assert any("outside the seeds directory" in error for error in home.errors)
    assert process.returncode == 1  # the symlinked-out blog failed, and says why


@pytest.mark.parametrize(
    "path",
    [
        "/..%2f..%2fetc%2fpasswd",
        "/2023/03/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/a/../../../etc/passwd",
    ],
)
def test_the_seeds_middleware_refuses_climbing_paths_before_touching_a_file(
    tmp_path: Path, path: str
) -> None:
    (tmp_path / "seeds" / HOST).mkdir(parents=True)
    middleware = SeedsDirectoryMiddleware(tmp_path / "seeds", enabled=True)
    request = Request(f"http://{HOST}/")
    # The climbing URL as the middleware may meet it: w3lib 2.6 resolves dot segments when a
    # Request is made (2.5 kept them), and the refusal must not depend on which one runs.
    request._url = f"http://{HOST}{path}"
    with pytest.raises(OutsideSeedsError) as refused:
        middleware.process_request(request)
    assert refused.value.reason.startswith("outside the seeds directory")


def test_a_headers_side_file_symlinked_out_is_refused(tmp_path: Path) -> None:
    blog = tmp_path / "seeds" / HOST
    blog.mkdir(parents=True)
    (blog / "x.html").write_bytes(b"<html>post</html>")
    (tmp_path / "evil.headers").write_text("Status: 301\nLocation: http://elsewhere/\n")
    (blog / "x.html.headers").symlink_to(tmp_path / "evil.headers")
    middleware = SeedsDirectoryMiddleware(tmp_path / "seeds", enabled=True)
    with pytest.raises(OutsideSeedsError):
        middleware.process_request(Request(f"http://{HOST}/x.html"))


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "http://../etc/passwd", "http://./seeds-root-file.html"]
)
def test_urls_naming_no_host_folder_are_refused(tmp_path: Path, url: str) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "seeds-root-file.html").write_bytes(b"<html>not a blog</html>")
    middleware = SeedsDirectoryMiddleware(tmp_path / "seeds", enabled=True)
    with pytest.raises(OutsideSeedsError):
        middleware.process_request(Request(url))
