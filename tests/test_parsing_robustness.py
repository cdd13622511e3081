"""Whatever bytes arrive, parse_page returns a post or raises one of its two errors."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.parsing import NotAPostError, UnreadablePageError, parse_page
from tests.support.parsing_pages import POST_URL, layouts_page

_FRAGMENTS = st.sampled_from(
    [
        "<p>", "</p>", "<div>", "</div>", "<br>", "<br/>", "text", "&amp;", "&#8217;", "&bogus;",
        "<ul><li>", "</li>", "<table><tr><td>", "</td>", "<pre>", "<script>zzq</script>",
        "<h4>3 comments:</h4>", "<a name='more'></a>", "\u00e2", "\u2019", "<!-- c -->", "<",
    ]
)  # fmt: skip
_SWALLOWED_SCRIPT = re.compile(r"<[A-Za-z][^\s/>]*<script>")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_a_post_or_a_parsing_error(body: bytes) -> None:
    reason: str | None = None
    try:
        record = parse_page(POST_URL, body)
    except (NotAPostError, UnreadablePageError) as error:
        reason = error.reason
    if reason is not None:
        assert reason
        assert "\n" not in reason
    else:
        assert all(
            paragraph.strip() == paragraph and paragraph for paragraph in record.body_paragraphs
        )


@settings(max_examples=60, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=40))
def test_any_markup_soup_in_a_body_yields_clean_non_empty_paragraphs(fragments: list[str]) -> None:
    soup = "".join(fragments)
    record = parse_page(POST_URL, layouts_page(soup).encode("utf-8"))
    # '<text<script>' is one start tag named 'text<script' to HTML's tokenizer (browsers and
    # libxml2 alike), so what follows is ordinary text there, not a script.
    script_is_real = _SWALLOWED_SCRIPT.search(soup) is None
    for paragraph in record.body_paragraphs:
        assert paragraph
        assert paragraph == paragraph.strip()
        assert "  " not in paragraph
        if script_is_real:
            assert "zzq" not in paragraph  # script text never leaks
