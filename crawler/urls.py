"""Blogger URL identity: canonical forms and what kind of page a URL names.

Pure functions, used by parsing (the record's ``url``), storage (one row per post whatever
variant arrives) and crawling (what to follow). Blogger serves one post under many URLs:
``http``/``https``, ``?m=1`` (mobile), ``?showComment=...#c...`` (comment permalinks),
``blogspot.<cctld>`` hosts (country redirects), tracking parameters. All map to one form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import Enum
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Parameters that never change which post a URL names. ``m`` selects the mobile rendering,
# ``showComment`` is a comment permalink, ``amp`` is a third-party template's AMP mode,
# ``zx`` and ``sc`` are Blogger's cache busters and ``hl`` its interface language.
_DROPPED_PARAMS = frozenset(
    {
        "m",
        "showcomment",
        "amp",
        "zx",
        "sc",
        "hl",
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "ref",
        "spref",
        "feature",
    }
)
_DROPPED_PREFIXES = ("utm_",)

# blogspot.com, blogspot.co.uk, blogspot.com.br, blogspot.tw, ...: Google names the .com host
# the official one, so every country host collapses into it.
_BLOGSPOT_CCTLD = re.compile(
    r"^(?P<blog>[^.]+(?:\.[^.]+)*?)\.blogspot\.(?:[a-z]{2,3})(?:\.[a-z]{2})?$"
)

_POST_PATH = re.compile(r"^/\d{4}/\d{2}/[^/]+\.html$")
_STATIC_PAGE_PATH = re.compile(r"^/p/[^/]+\.html$")
# /2011/, /2011/03/, /2011/03/05/, and classic /2005_06_12_archive.html, which older templates
# also write with the blog's name: /2005_06_12_oxblog_archive.html.
_ARCHIVE_PATH = re.compile(
    r"^/(?:\d{4}(?:/\d{2}(?:/\d{2})?)?/?|\d{4}_\d{2}(?:_\d{2})?_[\w-]*archive\.html)$"
)


class PageKind(Enum):
    """What a Blogger URL names, judged from its shape alone."""

    POST = "post"
    STATIC_PAGE = "static_page"
    ARCHIVE = "archive"
    LABEL = "label"
    SEARCH = "search"
    HOME = "home"
    FEED = "feed"
    OTHER = "other"


def canonical_host(host: str) -> str:
    """Lower-case ``host`` and fold ``NAME.blogspot.<cctld>`` into ``NAME.blogspot.com``."""
    host = host.lower().rstrip(".")
    if host.endswith(".blogspot.com"):
        return host
    match = _BLOGSPOT_CCTLD.match(host)
    return f"{match.group('blog')}.blogspot.com" if match else host


def _kept_params(query: str) -> list[tuple[str, str]]:
    return [
        (key, value)
        for key, value in parse_qsl(query, keep_blank_values=True)
        if key.lower() not in _DROPPED_PARAMS and not key.lower().startswith(_DROPPED_PREFIXES)
    ]


# A URL already in canonical form but maybe its scheme: http(s), a lower-case host of plain
# labels, no port, query, fragment or whitespace. Most URLs we canonicalise are (the parser's,
# the store's second look, every link of a feed served over http), and answering them without
# urlsplit/urlencode halves the cost of building a post row.
_ALREADY_CANONICAL = re.compile(
    r"(?P<scheme>https?)://(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)+)/[^?#\s\\]*"
)


@lru_cache(maxsize=16384)  # a crawl asks for the same post's identity several times a post
def canonical_url(url: str) -> str:
    """Return the identity form of a Blogger URL.

    https, canonical host (see :func:`canonical_host`), no default port, no fragment, and
    without ``m``, ``showComment``, ``amp`` and tracking parameters; other parameters keep
    their order. The result is stable: ``canonical_url(canonical_url(u)) == canonical_url(u)``.
    Raises ``ValueError`` for a URL without an http(s) scheme and host.
    """
    fast = _ALREADY_CANONICAL.fullmatch(url)
    if fast is not None and canonical_host(fast.group("host")) == fast.group("host"):
        return url if fast.group("scheme") == "https" else "https" + url[4:]
    return _canonical_url_in_full(url)


def _canonical_url_in_full(url: str) -> str:
    """:func:`canonical_url` by taking the URL apart (what its fast path must agree with)."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    host = canonical_host(parts.hostname)
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = parts.path or "/"
    query = urlencode(_kept_params(parts.query))
    return urlunsplit(("https", netloc, path, query, ""))


# An absolute http(s) URL that ``urljoin`` gives back as it is: a lower-case scheme, a plain
# ASCII host part, no whitespace or control character, no ``;`` (path parameters), and a
# query or fragment only when not empty (``urljoin`` drops a bare ``?`` or ``#``).
_PLAIN_ABSOLUTE = re.compile(
    r"https?://[A-Za-z0-9.:@_~%!$&'()*+,=-]+(?:/[^\x00-\x20\x7f;?#]*)?"
    r"(?:\?[^\x00-\x20\x7f#]+)?(?:#[^\x00-\x20\x7f]+)?"
)


def joined_url(base: str, href: str) -> str:
    """Return ``urljoin(base, href)``: a link of a page at ``base`` made absolute.

    Feed entries and pages mostly give absolute links already, which ``urljoin`` only takes
    apart and puts back together (a third of reading a feed entry); those are answered as
    they are, and everything else goes through ``urljoin`` (a test holds the two equal).
    """
    if _PLAIN_ABSOLUTE.fullmatch(href):
        return href
    return urljoin(base, href)


def public_url(url: str) -> str:
    """Return the form of a post URL to store and show: canonical, in the blog's own scheme.

    That is :func:`canonical_url` with the scheme the blog serves: https on blogspot hosts
    (Blogger serves https everywhere). On any other host (a custom domain) the scheme of
    ``url`` itself, so pass the blog's own canonical link, or the URL
    the page was fetched over when it gives none: an http-only blog's links then load.
    Identity stays scheme-blind: ``canonical_url(public_url(u)) == canonical_url(u)``; look a
    stored URL up under every form of :func:`url_forms`. Raises ``ValueError`` as
    :func:`canonical_url` does.
    """
    canonical = canonical_url(url)
    if url.lstrip()[:5].lower() == "http:" and not _on_blogspot(canonical):
        return "http" + canonical[5:]
    return canonical


def url_forms(url: str) -> list[str]:
    """Return every form a post at ``url`` (any variant) may be stored under.

    The canonical (https) form first; on a custom domain also its ``http`` form (see
    :func:`public_url`). Raises ``ValueError`` as :func:`canonical_url` does.
    """
    canonical = canonical_url(url)
    if _on_blogspot(canonical):
        return [canonical]
    return [canonical, "http" + canonical[5:]]


def stored_forms_of(urls: Iterable[str]) -> set[str]:
    """Return every form each of ``urls`` may be stored under (:func:`url_forms`).

    Malformed URLs give none: a lookup by URL simply does not find them.
    """
    wanted: set[str] = set()
    for url in urls:
        try:
            wanted.update(url_forms(url))
        except ValueError:
            continue
    return wanted


def identity_of_public(url: str) -> str:
    """Return :func:`canonical_url` of a URL already in :func:`public_url` form, cheaply.

    Only the scheme can differ, so no parsing is needed: the storage hot path (every row of
    every batch) compares stored and new URLs this way.
    """
    return "https" + url[4:] if url[:5] == "http:" else url


def public_forms(url: str) -> list[str]:
    """:func:`url_forms` of a URL already in :func:`public_url` form, cheaply."""
    identity = identity_of_public(url)
    if _on_blogspot(identity):
        return [identity]
    return [identity, "http" + identity[5:]]


def _on_blogspot(canonical: str) -> bool:
    netloc = canonical.split("/", 3)[2]
    return netloc.split(":", 1)[0].endswith(".blogspot.com")


def blog_home_url(url: str) -> str:
    """Return the canonical home URL (``https://host/``) of the blog that ``url`` belongs to."""
    # A canonical URL is ``https://NETLOC/PATH[?QUERY]``: its netloc is its third part.
    return f"https://{canonical_url(url).split('/', 3)[2]}/"


@lru_cache(maxsize=4096)  # a crawl asks about each post URL a few times (feed, sitemap)
def page_kind(url: str) -> PageKind:
    """Classify a Blogger URL by its path and query alone (no fetching, no markup)."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if path.startswith("/feeds/") or path in {"/atom.xml", "/rss.xml"}:
        return PageKind.FEED
    if _POST_PATH.match(path):
        return PageKind.POST
    if _STATIC_PAGE_PATH.match(path):
        return PageKind.STATIC_PAGE
    if path.startswith("/search/label/"):
        return PageKind.LABEL
    if path.startswith("/search"):
        return PageKind.SEARCH
    if _ARCHIVE_PATH.match(path):
        return PageKind.ARCHIVE
    if path in {"/", "/index.html"}:
        return PageKind.HOME
    return PageKind.OTHER
