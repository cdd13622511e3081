"""The JSON-LD post is read from the page's scripts, gathered once for the ids too.

The same post as the plain definition (the first post-typed object of every
``script[type=application/ld+json]`` of the page, in page order, found by its own search),
on generated pages with blocks in the head, inside a head element, in the body, valid or
broken, post-typed or not, and on the fixture and stress pages.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from benchmarks.stress_pages import stress_pages
from crawler.parsing.document import load_document, page_scripts
from crawler.parsing.jsonld import JsonLdPost, _first_post, read_jsonld_post
from crawler.parsing.xpath import Elements

FIXTURES = Path(__file__).parent / "fixtures"
_EVERY_BLOCK = Elements("//script[@type='application/ld+json']")


def _plain(body: bytes) -> JsonLdPost | None:
    return _first_post(_EVERY_BLOCK(load_document(body).root))


def _block(kind: str, headline: str) -> str:
    if kind == "broken":
        return "<script type='application/ld+json'>{broken</script>"
    data = {"@type": kind, "headline": headline}
    return f"<script type='application/ld+json'>{json.dumps(data)}</script>"


_BLOCKS = st.lists(
    st.tuples(st.sampled_from(["BlogPosting", "WebSite", "Article", "broken"]), st.text("ab")),
    max_size=3,
).map(lambda blocks: "".join(_block(kind, headline) for kind, headline in blocks))


@given(_BLOCKS, _BLOCKS, _BLOCKS)
def test_the_shared_scripts_give_the_first_post_of_every_block(
    nested: str, head: str, body: str
) -> None:
    """``nested``: blocks inside a head element, before the head's own blocks."""
    head = f"<noscript>{nested}</noscript><meta name='x' content='y'/>{head}"
    page = f"<html><head>{head}</head><body><p>x</p>{body}</body></html>".encode()
    assert read_jsonld_post(page_scripts(load_document(page).root)) == _plain(page)


def test_every_page_gives_the_first_post_of_every_block() -> None:
    bodies = [p.body for p in stress_pages(seed=15)]
    bodies += [path.read_bytes() for path in sorted((FIXTURES / "pages").glob("*.html"))]
    for body in bodies:
        doc = load_document(body)
        assert read_jsonld_post(page_scripts(doc.root)) == _plain(doc.body)
