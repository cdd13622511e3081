"""Route a request (host, path, query) to a response of the fake blogs, with faults applied.

Rendered answers are cached as bytes per blog and dropped when the blog's ``generation``
moves (any mutation), so only the first request of a URL pays for templating. Fault state
(``FAIL_ONCE`` counters) lives in the ``Router``, one per server.
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.fakeblog import feedformats, feedquirks, feeds, listings, sitemaps
from tests.fakeblog.faults import Fault, FaultKind
from tests.fakeblog.feedquery import BadQueryError, Page, parse_feed_query, select
from tests.fakeblog.model import FakeBlog
from tests.fakeblog.posts import FakePost
from tests.fakeblog.site import FakeBlogger
from tests.fakeblog.spec import FEEDBURNER_HOST
from tests.fakeblog.themes import js_shell_page, not_found_page, theme_module
from tests.fakeblog.themes.chrome import shared_parts
from tests.fakeblog.themes.common import Listing

HTML_TYPE = "text/html; charset=UTF-8"
TEXT_TYPE = "text/plain; charset=UTF-8"

_POST = re.compile(r"^/\d{4}/\d{2}/[^/]+\.html$")
_POST_FEED = re.compile(r"^/feeds/posts/(default|full|summary)(?:/(-/.+|\d+))?$")
_COMMENT_FEED = re.compile(r"^/feeds/(?:(\d+)/)?comments/(?:default|full|summary)$")


@dataclass(frozen=True)
class Response:
    """One answer. ``delay`` (seconds) and ``truncate`` are instructions to the server."""

    status: int
    content: bytes | tuple[bytes, ...] = b""
    """The body, whole or as chunks sent in order (a chunk shared by many cached pages, such
    as the theme chrome, is one object in memory; see :func:`splice`)."""
    content_type: str | None = HTML_TYPE
    location: str | None = None
    etag: str | None = None
    last_modified: datetime | None = None
    delay: float = 0.0
    truncate: bool = False
    extra_headers: tuple[tuple[str, str], ...] = ()
    """Further header lines as (name, value) pairs (``Retry-After``, ``Content-Encoding``)."""

    @property
    def chunks(self) -> tuple[bytes, ...]:
        """The body as the chunks to write, in order."""
        return (self.content,) if isinstance(self.content, bytes) else self.content

    @property
    def body(self) -> bytes:
        """The whole body (joined anew on each call when it is chunked)."""
        return self.content if isinstance(self.content, bytes) else b"".join(self.content)

    @functools.cached_property
    def length(self) -> int:
        """``len(self.body)`` without joining the chunks (cached)."""
        return sum(map(len, self.chunks))

    @functools.cached_property
    def fixed_headers(self) -> str:
        """Header lines that do not depend on the request, CRLF-terminated (cached)."""
        lines = []
        if self.content_type:
            lines.append(f"Content-Type: {self.content_type}\r\n")
        if self.location:
            lines.append(f"Location: {self.location}\r\n")
        if self.etag:
            lines.append(f"ETag: {self.etag}\r\n")
        if self.last_modified:
            stamp = format_datetime(self.last_modified.astimezone(UTC), usegmt=True)
            lines.append(f"Last-Modified: {stamp}\r\n")
        lines.extend(f"{name}: {value}\r\n" for name, value in self.extra_headers)
        return "".join(lines)


_HOSTILE_MARKUP = frozenset(
    {
        FaultKind.UNCLOSED_FONT,
        FaultKind.DEEP_NESTING,
        FaultKind.UNSAFE_CHARSET,
        FaultKind.NUL_BYTES,
    }
)


@functools.cache
def _gzip_bomb() -> bytes:
    """64 MiB of zeros gzipped to about 64 KB: four times the crawl's 16 MiB cap."""
    return gzip.compress(b"\x00" * (64 * 1024 * 1024), compresslevel=9)


def _hostile_markup(page: Response, fault: Fault) -> Response:
    """``page`` rewritten as the markup fault says (see :class:`FaultKind`)."""
    if page.status != 200:
        return page
    body, kind = page.body, fault.kind
    opened = body.index(b">", body.index(b"<body")) + 1
    closed = body.rindex(b"</body>")
    content_type = page.content_type
    if kind is FaultKind.UNCLOSED_FONT:
        body = body[:opened] + b'<font face="Times New Roman">' * fault.depth + body[opened:]
    elif kind is FaultKind.DEEP_NESTING:
        inner = body[opened:closed]
        body = body[:opened] + b"<div>" * fault.depth + inner + b"</div>" * fault.depth
        body += page.body[closed:]
    elif kind is FaultKind.UNSAFE_CHARSET:
        content_type = "text/html; charset=utf-7"
    else:
        body = (body[:opened] + b"\x00" + body[opened:]).replace(b"</p>", b"\x00</p>")
    return _ok(body, content_type or HTML_TYPE, page.last_modified or datetime.now(UTC))


def plain(status: int, message: str) -> Response:
    """A one-line text/plain answer (errors of the fake itself, e.g. 400 or 502)."""
    return Response(status, (message + "\n").encode(), TEXT_TYPE)


def _ok(body: str | bytes, content_type: str, modified: datetime) -> Response:
    data = body.encode() if isinstance(body, str) else body
    etag = '"' + hashlib.blake2b(data, digest_size=12).hexdigest() + '"'
    return Response(200, data, content_type, etag=etag, last_modified=modified)


def splice(text: str, shared: list[tuple[str, bytes]]) -> tuple[bytes, ...]:
    """``text`` encoded as UTF-8 chunks, each occurrence of a ``shared`` fragment replaced by
    that fragment's own bytes object, so a thousand cached pages hold one copy of it.

    ``shared`` pairs are ``(fragment, fragment.encode())``; fragments not in ``text`` are
    skipped. Joined, the chunks equal ``text.encode()``.
    """
    found = sorted(
        (at, fragment, encoded)
        for fragment, encoded in shared
        if fragment and (at := text.find(fragment)) >= 0
    )
    chunks: list[bytes] = []
    start = 0
    for at, fragment, encoded in found:
        if at < start:
            continue  # overlaps the previous fragment: left in the page's own chunk
        chunks += [text[start:at].encode(), encoded]
        start = at + len(fragment)
    chunks.append(text[start:].encode())
    return tuple(chunks)


def _ok_html(blog: FakeBlog, text: str, modified: datetime) -> Response:
    """A themed page, stored with the blog's chrome spliced in (see :func:`splice`)."""
    chunks = splice(text, shared_parts(blog))
    digest = hashlib.blake2b(digest_size=12)
    for chunk in chunks:
        digest.update(chunk)
    etag = '"' + digest.hexdigest() + '"'
    return Response(200, chunks, HTML_TYPE, etag=etag, last_modified=modified)


class Router:
    """Answers requests for the blogs of one ``FakeBlogger``."""

    def __init__(self, site: FakeBlogger):
        self.site = site
        self._cache: dict[tuple[int, str, str], tuple[int, Response]] = {}
        self._failures: dict[tuple[str, str], int] = {}

    def prerender(self) -> int:
        """Render and cache every post page, home page and sitemap now; return how many.

        For benchmarks: without it the first crawl pays for templating and a second crawl
        of the same server does not, which biases whichever runs first.
        """
        count = 0
        for blog in self.site.blogs:
            pages = [(post.path, "") for post in blog.posts] + [("/", ""), ("/sitemap.xml", "")]
            pages += [
                ("/sitemap.xml", f"page={n}") for n in range(1, sitemaps.page_count(blog) + 1)
            ]
            for path, query in pages:
                self._cached(blog, path, query)
            count += len(pages)
        return count

    def respond(self, host: str, path: str, query: str) -> Response:
        """The answer to ``GET http://host{path}?{query}`` (``query`` without ``?``)."""
        found = self.site.route(host)
        if found is None:
            return plain(502, f"not a fake host: {host!r}")
        blog, redirects = found
        if redirects:
            target = f"{blog.base_url}{path}" + (f"?{query}" if query else "")
            return Response(301, b"", None, location=target)
        fault = blog.fault_at(path, query)
        if fault is not None:
            return self._faulty(blog, path, query, fault)
        return self._cached(blog, path, query)

    def _cached(self, blog: FakeBlog, path: str, query: str) -> Response:
        # Post pages ignore their query (?m=1, ?showComment=...): one cache entry per post.
        key = (id(blog), path, "" if _POST.match(path) else query)
        generation = blog.generation
        hit = self._cache.get(key)
        if hit is not None and hit[0] == generation:
            return hit[1]
        with blog.lock:
            generation = blog.generation
            try:
                response = self._render(blog, path, dict(parse_qsl(query, keep_blank_values=True)))
            except BadQueryError as error:
                return plain(400, str(error))
        if response.status == 200:
            self._cache[key] = (generation, response)
        return response

    def _faulty(self, blog: FakeBlog, path: str, query: str, fault: Fault) -> Response:
        kind = fault.kind
        if kind is FaultKind.FAIL_ONCE:
            seen = self._failures.get((blog.host, path), 0)
            self._failures[(blog.host, path)] = seen + 1
            if seen < fault.times:
                return plain(fault.status, f"injected failure {seen + 1} of {fault.times}")
            return self._cached(blog, path, query)
        if kind is FaultKind.DELETED:
            return Response(404, not_found_page(blog).encode())
        if kind is FaultKind.REDIRECT_LOOP:
            looped = "loop=1" in query.split("&")
            return Response(
                302, b"", None, location=f"{blog.base_url}{path}" + ("" if looped else "?loop=1")
            )
        if kind is FaultKind.SLOW:
            return dataclasses.replace(self._cached(blog, path, query), delay=fault.delay)
        if kind is FaultKind.TRUNCATED:
            return dataclasses.replace(self._cached(blog, path, query), truncate=True)
        if kind is FaultKind.JS_SHELL:
            return _ok(js_shell_page(blog, blog.base_url + path), HTML_TYPE, blog.modified)
        hostile = self._hostile(blog, path, query, fault)
        if hostile is not None:
            return hostile
        if kind is FaultKind.RETRY_AFTER:
            return dataclasses.replace(
                plain(fault.status, "come back later"),
                extra_headers=(("Retry-After", fault.retry_after),),
            )
        if kind is FaultKind.GZIP_BOMB:
            return Response(
                200, _gzip_bomb(), HTML_TYPE, extra_headers=(("Content-Encoding", "gzip"),)
            )
        if kind is FaultKind.OVERSIZED:
            page = self._cached(blog, path, query)
            filler = b"<!-- " + b"x" * (17 * 1024 * 1024) + b" -->"
            return Response(200, (filler, page.body), HTML_TYPE)
        if kind in _HOSTILE_MARKUP:
            return _hostile_markup(self._cached(blog, path, query), fault)
        post = _post_at(blog, path)
        if kind is FaultKind.NOT_A_POST:
            where = listings.month_archive_path(blog, post) if post else "/"
            return self._cached(blog, where, "")
        # CP1252: the same page, encoded as windows-1252 and declared so.
        page = self._cached(blog, path, query)
        if page.status != 200:
            return page
        text = page.body.decode().replace("charset=UTF-8", "charset=windows-1252")
        text = text.replace("<meta charset='UTF-8'/>", "<meta charset='windows-1252'/>")
        data = text.encode("cp1252", errors="xmlcharrefreplace")
        return _ok(data, "text/html; charset=windows-1252", page.last_modified or blog.modified)

    def _hostile(self, blog: FakeBlog, path: str, query: str, fault: Fault) -> Response | None:
        """Answer a hostile fault (a server attacking the crawler); ``None`` for other kinds."""
        kind = fault.kind
        if kind is FaultKind.REDIRECT_AWAY:
            return Response(302, b"", None, location=fault.target)
        if kind is FaultKind.IMPERSONATE:
            parts = urlsplit(fault.target)
            return self.respond(parts.hostname or "", parts.path, parts.query)
        if kind is FaultKind.FORGED_CANONICAL:
            page = self._cached(blog, path, query)
            own = re.escape(blog.base_url + path)
            text = re.sub(own, fault.target, page.body.decode())
            return _ok(text.encode(), HTML_TYPE, page.last_modified or blog.modified)
        if kind in (FaultKind.ENDLESS_FEED, FaultKind.INVENTED_FEED):
            params = dict(parse_qsl(query, keep_blank_values=True))
            return _endless_feed(blog, path, params, invent=kind is FaultKind.INVENTED_FEED)
        if kind is FaultKind.ENDLESS_PAGER:
            turn = int(dict(parse_qsl(query)).get("loop", "0")) + 1
            home = _listing(blog, listings.home(blog)).body.decode()
            older = f"href='{blog.base_url}/?loop={turn}' id='Blog1_blog-pager-older-link'"
            text = re.sub(r"href='[^']*' id='Blog1_blog-pager-older-link'", older, home)
            return _ok(text.encode(), HTML_TYPE, blog.modified)
        if kind is FaultKind.HUGE_SITEMAP_INDEX:
            if "page=" in query:
                return _ok(sitemaps.sitemap_page(blog, 10**6), sitemaps.XML_TYPE, blog.modified)
            body = sitemaps.sitemap_index(blog, children=fault.children)
            return _ok(body, sitemaps.XML_TYPE, blog.modified)
        return None

    def _render(self, blog: FakeBlog, path: str, query: dict[str, str]) -> Response:
        handler = _EXACT.get(path)
        if handler is not None:
            return handler(blog, query)
        if path.startswith("/feeds/"):
            return _feed(blog, path, query)
        if path == "/search" or path.startswith("/search/label/"):
            label = unquote(path[len("/search/label/") :]) if path != "/search" else None
            return _listing(blog, listings.search(blog, query, label))
        if _POST.match(path):
            return _post_page(blog, path)
        archive = listings.archive(blog, path)
        if archive is not None:
            return _listing(blog, archive)
        if path in sitemaps.STATIC_PAGES:
            return _static(blog, path)
        return Response(404, not_found_page(blog).encode())


def _listing(blog: FakeBlog, listing: Listing) -> Response:
    html = theme_module(blog.spec.theme).listing_page(blog, listing)
    return _ok_html(blog, html, blog.modified)


def _post_at(blog: FakeBlog, path: str) -> FakePost | None:
    index = blog.index_of(path)
    return None if index is None else blog.posts[index]


def _post_page(blog: FakeBlog, path: str) -> Response:
    posts = blog.posts
    index = blog.index_of(path)
    if index is None:
        return Response(blog.gone.get(path, 404), not_found_page(blog).encode())
    post = posts[index]
    newer = posts[index - 1] if index > 0 else None
    older = posts[index + 1] if index + 1 < len(posts) else None
    html = theme_module(blog.spec.theme).post_page(blog, post, newer, older)
    return _ok_html(blog, html, post.page_modified)


def _static(blog: FakeBlog, path: str) -> Response:
    title = sitemaps.STATIC_PAGES[path]
    paragraphs = [
        f"{blog.title} is written by {', '.join(blog.authors)}.",
        "Write to us through the comment form on any post.",
    ]
    html = theme_module(blog.spec.theme).static_page(blog, blog.base_url + path, title, paragraphs)
    return _ok_html(blog, html, blog.modified)


def _home(blog: FakeBlog, query: dict[str, str]) -> Response:
    del query  # ?m=1 and friends do not change the fake's home page.
    return _listing(blog, listings.home(blog))


def _robots(blog: FakeBlog, query: dict[str, str]) -> Response:
    return _ok(sitemaps.robots_txt(blog), TEXT_TYPE, blog.modified)


def _sitemap(blog: FakeBlog, query: dict[str, str]) -> Response:
    raw = query.get("page")
    if raw is None:
        return _ok(sitemaps.sitemap_index(blog), sitemaps.XML_TYPE, blog.modified)
    if not raw.isdigit() or int(raw) < 1:
        raise BadQueryError(f"sitemap page must be a positive integer, got {raw!r}")
    return _ok(sitemaps.sitemap_page(blog, int(raw)), sitemaps.XML_TYPE, blog.modified)


def _pages_sitemap(blog: FakeBlog, query: dict[str, str]) -> Response:
    return _ok(sitemaps.pages_sitemap(blog), sitemaps.XML_TYPE, blog.modified)


def _atom_alias(blog: FakeBlog, query: dict[str, str]) -> Response:
    return _feed(blog, "/feeds/posts/default", query)


def _rss_alias(blog: FakeBlog, query: dict[str, str]) -> Response:
    return _feed(blog, "/feeds/posts/default", {**query, "alt": "rss"})


_EXACT: dict[str, Callable[[FakeBlog, dict[str, str]], Response]] = {
    "/": _home,
    "/index.html": _home,
    "/robots.txt": _robots,
    "/sitemap.xml": _sitemap,
    "/sitemap-pages.xml": _pages_sitemap,
    "/atom.xml": _atom_alias,
    "/rss.xml": _rss_alias,
}


def _feed(blog: FakeBlog, path: str, query: dict[str, str]) -> Response:
    fq = parse_feed_query(query, blog.spec)
    match = _POST_FEED.match(path)
    if match:
        projection, rest = match.group(1), match.group(2)
        closed = _closed_post_feed(blog, projection)
        if closed is not None:
            return closed
        owner_setting = blog.spec.feed_mode if projection == "default" else "full"
        summary = projection == "summary" or owner_setting == "short"
        until_jump = owner_setting == "jump"
        if rest and rest.isdigit():
            return _single_entry(blog, rest, summary, fq.alt, until_jump)
        quirks = blog.spec.feed_quirks
        if feedquirks.status(quirks) is not None:
            return plain(feedquirks.status(quirks) or 500, "the feed is not available")
        if "json" in quirks:
            fq = dataclasses.replace(fq, alt="json")
        posts = blog.ordered_by(fq.orderby)
        if rest:
            wanted = [unquote(part) for part in rest[2:].split("/") if part and part != "-"]
            posts = [p for p in posts if all(label in p.labels for label in wanted)]
        cut = feedquirks.shifted_query(quirks, fq)
        page = select(posts, cut, lambda p: p.published, lambda p: p.updated, presorted=True)
        made = [feeds.post_entry(blog, p, summary, until_jump) for p in page.entries]
        entries = feedquirks.shape_entries(blog, quirks, fq, Page(made, page.total, page.has_next))
        meta = feeds.FeedMeta(
            f"tag:blogger.com,1999:blog-{blog.blog_id}", blog.title, path, _echo(query)
        )
        body, ctype = feedformats.render_feed(blog, meta, fq, entries, blog.labels)
        body = feedquirks.shape_body(quirks, fq, body, ctype)
        return _ok(body, feedquirks.content_type(quirks, ctype), blog.modified)
    match = _COMMENT_FEED.match(path)
    if match:
        return _comment_feed(blog, path, match.group(1), query)
    return plain(404, f"no such feed: {path}")


def _closed_post_feed(blog: FakeBlog, projection: str) -> Response | None:
    """The owner's "None" (every post feed 404s) or FeedBurner redirect (the default feed)."""
    mode = blog.spec.feed_mode
    if mode == "off":
        return plain(404, "post feed disabled by the blog owner")
    if mode == "feedburner" and projection == "default":
        name = "".join(part.title() for part in blog.title.split())
        return Response(302, b"", None, location=f"http://{FEEDBURNER_HOST}/{name}")
    return None


def _endless_feed(
    blog: FakeBlog, path: str, query: dict[str, str], *, invent: bool = False
) -> Response:
    """The post feed's first page whatever ``start-index`` says, always with a next link.

    ``invent``: each entry's id and permalink get the page's start index, so every page
    lists posts never seen before (their pages answer 404).
    """
    fq = parse_feed_query(query, blog.spec)
    first = select(
        blog.ordered_by(fq.orderby),
        dataclasses.replace(fq, start_index=1),
        lambda p: p.published,
        lambda p: p.updated,
        presorted=True,
    )
    made = [feeds.post_entry(blog, p, blog.spec.short_feed) for p in first.entries]
    if invent:
        made = [_invented(entry, fq.start_index) for entry in made]
    meta = feeds.FeedMeta(
        f"tag:blogger.com,1999:blog-{blog.blog_id}", blog.title, path, _echo(query)
    )
    body, ctype = feedformats.render_feed(
        blog, meta, fq, Page(made, first.total, has_next=True), blog.labels
    )
    return _ok(body, ctype, blog.modified)


def _invented(entry: feeds.Entry, number: int) -> feeds.Entry:
    links = [
        {**link, "href": link["href"].replace(".html", f"-{number}.html")} for link in entry.links
    ]
    return dataclasses.replace(entry, id=f"{entry.id}{number}", links=links)


def _single_entry(
    blog: FakeBlog, post_id: str, summary: bool, alt: str, until_jump: bool = False
) -> Response:
    post = next((p for p in blog.posts if p.post_id == post_id), None)
    if post is None:
        return plain(404, f"no post {post_id} in {blog.host}")
    entry = feeds.post_entry(blog, post, summary, until_jump)
    body, ctype = feedformats.single_entry(entry, alt)
    return _ok(body, ctype, post.updated)


def _comment_feed(
    blog: FakeBlog, path: str, post_id: str | None, query: dict[str, str]
) -> Response:
    if not blog.spec.comments_feed and not (post_id is not None and blog.spec.post_comments_feeds):
        return plain(404, f"the comments feed of {blog.host} is off")
    fq = parse_feed_query(query, blog.spec)
    if post_id is not None:
        post = next((p for p in blog.posts if p.post_id == post_id), None)
        if post is None:
            return plain(404, f"no post {post_id} in {blog.host}")
        pairs = [(post, c) for c in post.comments]
        feed_id = f"tag:blogger.com,1999:blog-{blog.blog_id}.post{post_id}..comments"
        title = f"{blog.title}: {post.title}"
    else:
        pairs = blog.comments_newest_first()
        feed_id = f"tag:blogger.com,1999:blog-{blog.blog_id}.comments"
        title = f"{blog.title}: Comments"
    page = select(
        pairs,
        fq,
        lambda pc: pc[1].published,
        lambda pc: pc[1].published,
        presorted=post_id is None,
    )
    made = [feeds.comment_entry(blog, p, c) for p, c in page.entries]
    entries = Page(made, page.total, page.has_next)
    meta = feeds.FeedMeta(feed_id, title, path, _echo(query))
    body, ctype = feedformats.render_feed(blog, meta, fq, entries, [])
    return _ok(body, ctype, blog.modified)


def _echo(query: dict[str, str]) -> dict[str, str]:
    # Parameters a next/previous link must repeat; paging parameters are set by the feed.
    return {k: v for k, v in query.items() if k not in ("start-index", "max-results")}
