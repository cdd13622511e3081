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
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse

_TYPES = {
    ".html": ("text/html; charset=UTF-8", HtmlResponse),
    ".xml": ("application/xml; charset=UTF-8", XmlResponse),
    ".txt": ("text/plain; charset=UTF-8", TextResponse),
    ".json": ("application/json; charset=UTF-8", TextResponse),
}
_FEED_TYPE = ("application/atom+xml; charset=UTF-8", XmlResponse)


def seed_paths(seeds_dir: Path, url: str) -> list[Path]:
    """Return the files that may answer ``url``, most specific first (see the module docstring)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = unquote(parts.path or "/")
    relative = path.lstrip("/")
    if not relative or path.endswith("/"):
        relative = f"{relative}index.html"
    base = seeds_dir / host / relative
    if not parts.query:
        return [base]
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return [base.with_name(f"{base.name}@{query}"), base]


def _headers(file: Path) -> dict[str, str]:
    sidecar = file.with_name(file.name + ".headers")
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
        if not self.enabled:
            return None
        for file in seed_paths(self.seeds_dir, request.url):
            if file.is_file():
                return self._response(request, file)
        return Response(url=request.url, status=404, body=b"not in seeds", request=request)

    def _response(self, request: Any, file: Path) -> Response:
        body = file.read_bytes()
        headers = _headers(file)
        status = int(headers.pop("Status", "200"))
        content_type, response_class = _content_type(file, body)
        headers.setdefault("Content-Type", content_type)
        return response_class(
            url=request.url, status=status, headers=headers, body=body, request=request
        )
