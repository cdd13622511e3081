"""The comment thread's fast paths give what their plain definitions give.

* ``comment_fields._shown_text`` (an element's ``text`` when it has no children) equals
  ``text_content()`` (XPath's ``string()``), and ``comment_fields._links`` (no iterator for
  a childless element) the ``<a href>`` elements of the subtree, on generated markup: text,
  entities, comments, processing instructions, nested elements, links and tails;
* ``comment_markup.thread_items`` selects what its XPath definition selects (in
  test_parsing_xpath_forms.py);
* ``comment_markup.threaded`` (one walk up the tree per parent element) gives what reading
  each item on its own gives, on generated nested threads: reply lists named after their
  comment, wrappers, replies' boxes and items without a thread item above them.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from crawler.parsing.comment_fields import _links, _shown_text
from crawler.parsing.comment_markup import _thread_place, thread_items, threaded
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


_THREAD_PIECES = st.sampled_from(
    ["<li class='comment' id='c1'>", "<li class='comment'>", "</li>", "<ol>", "<ol id='c7-ra'>",
     "</ol>", "<div class='comment-replies'>", "<div class='thread-chrome'>", "<div id='c9-rt'>",
     "</div>", "<div class='comment-block'>x</div>", "<p>text</p>", "<li>plain</li>"]
)  # fmt: skip


@given(st.lists(_THREAD_PIECES, max_size=30).map("".join))
def test_threaded_is_each_item_read_on_its_own(inner: str) -> None:
    page = f"<html><body><div id='comments'><ol>{inner}</ol></div></body></html>"
    container = load_document(page.encode()).root.get_element_by_id("comments")
    plain = [_thread_place(item, container) for item in thread_items(container)]
    assert threaded(container) == plain
