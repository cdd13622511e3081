"""The comment thread's fast paths give what their plain definitions give.

* ``comment_fields._shown_text`` (an element's ``text`` when it has no children) equals
  ``text_content()`` (XPath's ``string()``), and ``comment_fields._links`` (no iterator for
  a childless element) the ``<a href>`` elements of the subtree, on generated markup: text,
  entities, comments, processing instructions, nested elements, links and tails;
* ``comment_markup.thread_items`` selects what its XPath definition selects (in
  test_parsing_xpath_forms.py).
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from crawler.parsing.comment_fields import _links, _shown_text
from crawler.parsing.document import load_document

_PIECES = st.sampled_from(
    ["Reader 1", " ", "\n\t", "&amp;", "&#160;", "é", "<!-- c -->", "<?pi x?>", "<b>", "</b>",
     "<a href='#c1'>", "</a>", "<a name='c2'></a>", "<a href=''>x</a>", "<br>", "<span></span>",
     "said...", "2019-07-26T07:47+00:00"]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=12).map("".join))
def test_shown_text_and_links_are_their_plain_definitions(inner: str) -> None:
    page = f"<html><body><div id='x'><cite>{inner}</cite>{inner}</div></body></html>"
    root = load_document(page.encode()).root
    for element in root.iter():
        if isinstance(element.tag, str):
            assert _shown_text(element) == element.text_content()
            plain = [a for a in element.iter("a") if a.get("href") is not None]
            assert _links(element) == plain
