"""Offline crawling: answer every request from files under ``SEEDS_DIR``, never the network.

Active when the ``SEEDS_OFFLINE`` setting is true (the ``seeds`` spider sets it). File
convention, for ``http(s)://HOST/PATH?QUERY``:

- ``SEEDS_DIR/HOST/PATH``; a path ending in ``/`` (the home page) is ``HOST/index.html``.
- With a query: ``HOST/PATH@QUERY``, the query's parameters sorted by name
  (``feeds/posts/default@max-results=150&orderby=updated``). When that file does not exist the
  file without the query is served (so one feed file answers any feed query).
- ``HOST/PATH.headers`` (optional): extra response headers, one ``Name: value`` a line
  (``Status: 301`` and ``Location: ...`` make a redirect).
- A missing file is a 404.

Nothing outside ``SEEDS_DIR`` is ever read. Every candidate file (and its ``.headers`` side
file) is resolved first: symlinks followed, ``..`` collapsed after percent-decoding, so
``..%2f`` in a path, a sitemap ``<loc>`` climbing out, a host named ``..`` or a symlink to
``/etc`` all resolve to where they really point. A request whose file resolves outside the
(resolved) seeds directory raises :class:`OutsideSeedsError`: the request fails with the
reason ``outside the seeds directory (...)``, which the crawl records like any failed fetch.
Symlinks that stay inside the directory are followed.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse

_TYPES = {
    ".html": ("text/html; charset=UTF-8", HtmlResponse),
    ".xml": ("application/xml; charset=UTF-8", XmlResponse),
    ".txt": ("text/plain; charset=UTF-8", TextResponse),
    ".json": ("application/json; charset=UTF-8", TextResponse),
}
_FEED_TYPE = ("application/atom+xml; charset=UTF-8", XmlResponse)


class OutsideSeedsError(IgnoreRequest):
    """A request whose seed file resolves outside the seeds directory; ``reason`` says where."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def seed_paths(seeds_dir: Path, url: str) -> list[Path]:
    """Return the files that may answer ``url``, most specific first (see the module docstring).

    Raises :class:`OutsideSeedsError` when the percent-decoded path climbs out of the host's
    folder (``..``); symlinks are checked by :func:`confined`.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = unquote(parts.path or "/")
    relative = path.lstrip("/")
    if not relative or path.endswith("/"):
        relative = f"{relative}index.html"
    if host in {"", ".", ".."} or posixpath.normpath(relative).split("/")[0] == "..":
        # Climbing out of the host's folder, even to a sibling blog's, is refused by itself.
        raise OutsideSeedsError(f"outside the seeds directory (path climbs out of {host!r})")
    base = seeds_dir / host / relative
    if not parts.query:
        return [base]
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return [base.with_name(f"{base.name}@{query}"), base]


def confined(root: Path, file: Path) -> Path:
    """Return ``file`` resolved; raise :class:`OutsideSeedsError` unless it is under ``root``.

    ``root`` must already be resolved. Missing files resolve too (to where they would be).
    """
    try:
        resolved = file.resolve()
    except (OSError, RuntimeError, ValueError) as error:  # symlink loop, NUL byte ...
        raise OutsideSeedsError(f"outside the seeds directory (unresolvable: {error})") from None
    if not resolved.is_relative_to(root):
        raise OutsideSeedsError(f"outside the seeds directory (resolves to {resolved})")
    return resolved


def _headers(root: Path, file: Path) -> dict[str, str]:
    sidecar = confined(root, file.with_name(file.name + ".headers"))
    if not sidecar.is_file():
        return {}
    pairs = (line.split(":", 1) for line in sidecar.read_text().splitlines() if ":" in line)
    return {name.strip(): value.strip() for name, value in pairs}


def _content_type(file: Path, body: bytes) -> tuple[str, type[Response]]:
    if file.parts[-3:-1] == ("feeds", "posts") or "/feeds/" in file.as_posix():
        return _FEED_TYPE
    suffix = file.name.split("@", 1)[0]
    return _TYPES.get(Path(suffix).suffix, ("application/octet-stream", Response))


class SeedsDirectoryMiddleware:
    def __init__(self, seeds_dir: Path, enabled: bool) -> None:
        self.seeds_dir = seeds_dir
        self.enabled = enabled

    @classmethod
    def from_crawler(cls, crawler: Any) -> SeedsDirectoryMiddleware:
        settings = crawler.settings
        return cls(Path(settings.get("SEEDS_DIR")), settings.getbool("SEEDS_OFFLINE"))

    def process_request(self, request: Any) -> Response | None:
        """Answer ``request`` from its seed file, 404 without one (see the module docstring).

        Raises :class:`OutsideSeedsError` when the file would lie outside the seeds directory.
        """
        if not self.enabled:
            return None
        root = self.seeds_dir.resolve()
        for file in seed_paths(self.seeds_dir, request.url):
            resolved = confined(root, file)
            if resolved.is_file():
                return self._response(request, root, file, resolved)
        return Response(url=request.url, status=404, body=b"not in seeds", request=request)

    def _response(self, request: Any, root: Path, file: Path, resolved: Path) -> Response:
        body = resolved.read_bytes()
        headers = _headers(root, file)
        status = int(headers.pop("Status", "200"))
        content_type, response_class = _content_type(file, body)
        headers.setdefault("Content-Type", content_type)
        return response_class(
            url=request.url, status=status, headers=headers, body=body, request=request
        )
