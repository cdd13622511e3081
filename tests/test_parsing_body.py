"""Paragraph splitting of a post body, as a reader sees it."""

from __future__ import annotations

import lxml.html
from hypothesis import given, settings

from crawler.parsing.body import body_paragraphs
from tests.test_parsing_body_writer import _markup


def _paragraphs(inner_html: str) -> list[str]:
    root = lxml.html.document_fromstring(
        f"<html><body><div id='b'>{inner_html}</div></body></html>"
    )
    return body_paragraphs(root.get_element_by_id("b"))


def test_double_br_splits_paragraphs_and_a_single_br_is_a_line_break() -> None:
    assert _paragraphs("one<br />two<br /><br />three") == ["one\ntwo", "three"]


def test_double_br_with_whitespace_between_still_splits() -> None:
    assert _paragraphs("one<br />\n  <br />two") == ["one", "two"]


def test_block_elements_each_start_a_paragraph() -> None:
    html = (
        "<h2>Head</h2><p>Para</p><div>Div</div><ul><li>A</li><li>B</li></ul>"
        "<blockquote>Q</blockquote>"
    )
    assert _paragraphs(html) == ["Head", "Para", "Div", "A", "B", "Q"]


def test_table_rows_are_paragraphs_with_cells_separated_by_a_space() -> None:
    html = "<table><tr><th>App</th><th>Size</th></tr><tr><td>Maps</td><td>12 MB</td></tr></table>"
    assert _paragraphs(html) == ["App Size", "Maps 12 MB"]


def test_pre_blocks_keep_their_lines() -> None:
    assert _paragraphs("<pre>a  = 1\nb = 2\n</pre>") == ["a = 1\nb = 2"]


def test_image_only_blocks_and_spacers_are_dropped() -> None:
    html = "<div><img src='x.jpg'/></div><div><br/></div><p>&nbsp;</p><p>Text</p>"
    assert _paragraphs(html) == ["Text"]


def test_scripts_styles_ads_and_share_widgets_are_not_text() -> None:
    html = (
        "<p>Kept</p><script>var x = 1;</script><style>p{}</style>"
        "<ins class='adsbygoogle'>ad</ins><div class='post-share-buttons'>Share to X</div>"
        "<div class='blogger-post-footer'>Feed footer</div><iframe>frame</iframe>"
    )
    assert _paragraphs(html) == ["Kept"]


def test_a_pasted_news_pages_share_tools_and_recommendations_are_not_text() -> None:
    # A post that pastes a news site's article carries its share tools and the recommendation
    # widget under it; the article's own text stays.
    share = "<li><a href='#'><span class='off-screen'>Share this with Facebook</span></a></li>"
    html = (
        "<div class='story-body'><p>Article text.</p>"
        f"<ul class='sharetools sharetools--reveal'>{share}</ul>"
        f"<div class='share-tools--event-tag share-tools'><ul>{share}</ul></div>"
        "<p>More article text.</p></div>"
        "<div class='OUTBRAIN' data-widget-id='AR_1'><span>Recommended by Outbrain</span>"
        "<ul><li><a href='#'>Elsewhere: a headline</a></li></ul></div>"
    )
    assert _paragraphs(html) == ["Article text.", "More article text."]
    # Long enough for the stylesheet writer: the same classes are passed over there too.
    many = "".join(f"<p>Line {n}.</p>" for n in range(70))
    assert _paragraphs(many + html) == [f"Line {n}." for n in range(70)] + [
        "Article text.",
        "More article text.",
    ]


def test_the_jump_break_anchor_is_not_a_paragraph_break() -> None:
    assert _paragraphs("Before <a name='more'></a>after") == ["Before after"]


def test_entities_are_decoded_exactly_once() -> None:
    assert _paragraphs("<p>Fish &amp;amp; chips &lt;b&gt; &#8217;</p>") == [
        "Fish &amp; chips <b> ’"
    ]


def test_inline_markup_keeps_words_together_and_whitespace_collapses() -> None:
    assert _paragraphs("<p>A <b>bold</b>\n   <i>move</i>.</p>") == ["A bold move."]


def test_text_after_a_block_starts_its_own_paragraph() -> None:
    assert _paragraphs("<blockquote>Quote</blockquote>Reply after the quote.") == [
        "Quote",
        "Reply after the quote.",
    ]


def test_pre_blocks_leave_out_scripts_inside_them() -> None:
    assert _paragraphs("<pre>line one<br>line two<script>var hidden;</script></pre>") == [
        "line one\nline two"
    ]


def test_a_form_around_the_post_keeps_its_text_and_drops_its_controls() -> None:
    html = (
        "<form id='listBox' action='/search'><h3>Step 1</h3>Pick a fruit:<br />"
        "<select name='f'><option>Apple</option><option>Pear</option></select><br />"
        "<input type='text' value='typed' /><textarea>notes</textarea>"
        "<button>Go</button><p>Then press <b>Go</b>.</p></form><p>After.</p>"
    )
    assert _paragraphs(html) == ["Step 1", "Pick a fruit:", "Then press Go.", "After."]


@settings(max_examples=400, deadline=None)
@given(_markup())
def test_every_paragraph_is_whitespace_normalised(markup: str) -> None:
    # The contract cleaning may rely on (body_paragraphs' docstring): lines joined by single
    # newlines, none empty, each its words joined by single spaces. A body long enough for
    # the stylesheet and a short one, written by the Python writer, both keep it.
    for copies in (1, 40):
        for paragraph in _paragraphs(markup * copies):
            lines = paragraph.split("\n")
            assert all(lines), repr(paragraph)
            assert lines == [" ".join(line.split()) for line in lines], repr(paragraph)
