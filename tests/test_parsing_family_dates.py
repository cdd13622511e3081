"""Dates and bylines shown for readers, in every theme family, read without any URL.

Each page below states its date only as text (no ISO attribute, no JSON-LD) in the way its
family writes it, and carries a decoy date in a comment or a sidebar widget that must never
be taken. The pages are parsed with no URL, as ``blogingest parse FILE`` does.
"""

from __future__ import annotations

from datetime import date

import pytest

from crawler.extraction import parse_and_clean
from crawler.parsing import parse_page
from tests.support.parsing_pages import fixture_bytes

COMMENT_DECOY = (
    "<div class='comments' id='comments'><h4>1 comments:</h4><div class='comments-content'>"
    "<ol><li class='comment'><span class='datetime'>June 20, 2016 at 8:00 AM</span>"
    "<p>Nice.</p></li></ol></div></div>"
)
SIDEBAR_DECOY = (
    "<div class='sidebar section' id='sidebar'><div class='widget PopularPosts'>"
    "<div class='post-outer'><div class='post'><h2 class='date-header'>Tuesday, June 14, 2016"
    "</h2><span class='post-timestamp'>June 14, 2016</span></div></div></div></div>"
)

LAYOUTS = f"""<html><body><div class='widget Blog' data-version='1' id='Blog1'>
<div class='blog-posts hfeed'><div class='date-outer'>
<h2 class='date-header'><span>Mittwoch, 15. Juni 2016</span></h2><div class='date-posts'>
<div class='post-outer'><div class='post hentry'>
<h3 class='post-title entry-title'>Titel</h3>
<div class='post-body entry-content' id='post-body-1001'><p>Text.</p></div>
<div class='post-footer'><span class='post-author vcard'>Eingestellt von
<span class='fn'>Mia Koch</span></span> <span class='post-timestamp'>um 10:15</span></div>
</div>{COMMENT_DECOY}</div></div></div></div></div>{SIDEBAR_DECOY}
<script>_WidgetManager._SetDataContext([{{'name': 'blog', 'data': {{'pageType': 'item'}}}}]);
</script></body></html>"""

V2017 = f"""<html><body class='item-view'>
<div class='widget Blog' data-version='2' id='Blog1'><div class='blog-posts hfeed container'>
<article class='post-outer-container'><div class='post-outer'><div class='post'>
<h3 class='post-title entry-title'>Title</h3>
<div class='post-header'><span class='byline post-author vcard'>
<span class='byline-label'>By</span> <span class='fn'>Mia Koch</span></span>
<span class='byline post-timestamp'><a class='timestamp-link' href='#' rel='bookmark'>
<time class='published'>June 15, 2016</time></a></span></div>
<div class='post-body entry-content float-container' id='post-body-1002'><p>Text.</p></div>
</div></div>{COMMENT_DECOY}</article></div></div>{SIDEBAR_DECOY}</body></html>"""

CLASSIC = f"""<html><body><div id='main'>
<h2 class='date-header'>Wednesday, June 15, 2016</h2>
<div class='post'><h3 class='post-title'>Title</h3>
<div class='post-body'><p>Text.</p></div>
<p class='post-footer'><em>posted by Mia Koch at 10:15 AM</em></p></div>
{COMMENT_DECOY}</div>{SIDEBAR_DECOY}</body></html>"""

CORPORATE = f"""<html><body><div class='widget Blog' id='Blog1'>
<div class='post' itemscope='' itemtype='http://schema.org/BlogPosting'>
<h2 class='title' itemprop='name'>Title</h2>
<div class='post-header'><div class='published'>
<span class='publishdate' itemprop='datePublished'>Wednesday, June 15, 2016</span></div></div>
<div class='post-body'><div class='post-content' itemprop='articleBody'>
<span class='byline-author'>Posted by Mia Koch, Developer Advocate</span><p>Text.</p>
</div></div></div></div>{SIDEBAR_DECOY}</body></html>"""

THIRD_PARTY = f"""<html><body><main><article class='blog-post'>
<h1 class='pTtl aTtl sml'>Title</h1>
<div class='pInf pSml ps'><div class='pIm'><div class='pNm'>
<bdi class='nm' data-text='Mia Koch'></bdi></div></div><div class='pDr'>
<time class='aTtmp pTtmp pbl' data-text='15/06/2016' title='Published: 15/06/2016'></time>
</div></div>
<div class='pEnt' id='postID-1003'><div class='pS post-body postBody' id='postBody'>
<p>Text.</p></div></div>
</article>{COMMENT_DECOY}</main>{SIDEBAR_DECOY}
<script>_WidgetManager._SetDataContext([{{'name': 'blog', 'data': {{'pageType': 'item'}}}}]);
</script></body></html>"""

GENERIC = f"""<html><head><meta property='og:type' content='article'/></head><body>
<div class='entry'><h1>Title</h1>
<div class='meta'><span class='byline'>by Mia Koch</span>
<span class='entry-date'>2016年6月15日</span></div>
<div class='text'><p>Text, long enough to be the largest block of this page.</p></div>
</div>{SIDEBAR_DECOY}</body></html>"""


@pytest.mark.parametrize(
    ("page", "extractor"),
    [
        (LAYOUTS, "blogger-layouts"),
        (V2017, "blogger-2017"),
        (CLASSIC, "blogger-classic"),
        (CORPORATE, "blogger-corporate"),
        (THIRD_PARTY, "blogger-third-party"),
        (GENERIC, "generic"),
    ],
)
def test_each_family_reads_its_shown_date_and_byline_without_a_url(
    page: str, extractor: str
) -> None:
    record = parse_page("", page.encode("utf-8"))
    assert record.extractor == extractor
    assert record.published is not None
    assert record.published.date() == date(2016, 6, 15)
    assert record.author == "Mia Koch"


@pytest.mark.parametrize("page", [LAYOUTS, V2017, CLASSIC, CORPORATE, THIRD_PARTY])
def test_without_its_own_date_a_post_gets_none_not_a_decoys(page: str) -> None:
    own_dates = (
        "Mittwoch, 15. Juni 2016",
        "June 15, 2016",
        "Wednesday, June 15, 2016",
        "15/06/2016",
    )
    for own in own_dates:
        page = page.replace(own, "")
    record = parse_page("", page.encode("utf-8"))
    assert record.published is None


def test_the_2010_corporate_date_line_and_byline_stay_out_of_the_cleaned_body() -> None:
    body = fixture_bytes("corporate_2010.html")
    for url in (
        "",
        "http://example-research.googleblog.com/2010/09/faster-indexing-for-everyone.html",
    ):
        record = parse_and_clean(url, body)
        text = " ".join(record.body_paragraphs)
        assert "9/15/2010" not in text
        assert "Posted by" not in text
        assert record.body_paragraphs[0].startswith("Today we are rolling out")
        assert record.author == "Lena Ortiz"
        assert record.published is not None
        assert record.published.date() == date(2010, 9, 15)


def test_a_date_line_inside_the_corporate_article_body_is_taken_out_too() -> None:
    byline = "<span class='byline-author'>"
    date_line = "<div>6/15/2016 06:00:00 AM</div>"
    page = CORPORATE.replace("Wednesday, June 15, 2016", "").replace(byline, date_line + byline)
    record = parse_and_clean("", page.encode("utf-8"))
    assert record.extractor == "blogger-corporate"
    assert record.body_paragraphs == ["Text."]
    assert record.published is not None
    assert record.published.date() == date(2016, 6, 15)


def test_a_zone_less_datetime_attribute_still_states_the_day() -> None:
    page = V2017.replace(
        "<time class='published'>June 15, 2016</time>",
        "<time class='published' datetime='2016-06-15T10:15:00'>10:15</time>",
    )
    record = parse_page("", page.encode("utf-8"))
    assert record.published is not None
    assert record.published.date() == date(2016, 6, 15)


def test_a_comments_machine_readable_date_is_never_the_posts() -> None:
    comment = (
        "<div class='comments' id='comments'><h4>1 comments:</h4><div itemprop='comment'"
        " itemscope='' itemtype='http://schema.org/Comment'><time itemprop='datePublished'"
        " datetime='2016-06-20T08:00:00+02:00'>20.06.2016</time><p>Nice.</p></div></div>"
    )
    page = LAYOUTS.replace("Mittwoch, 15. Juni 2016", "").replace(COMMENT_DECOY, comment)
    record = parse_page("", page.encode("utf-8"))
    assert record.published is None


def test_the_heads_article_published_time_is_the_posts_when_nothing_nearer_says() -> None:
    head = (
        "<head><meta property='article:published_time' content='2016-06-15T10:15:00+02:00'/>"
        "<meta property='article:modified_time' content='2016-06-16T08:00:00+02:00'/></head>"
    )
    page = CLASSIC.replace("Wednesday, June 15, 2016", "").replace("<html>", "<html>" + head)
    record = parse_page("", page.encode("utf-8"))
    assert record.published is not None
    assert record.published.isoformat() == "2016-06-15T10:15:00+02:00"
    assert record.updated is not None
    assert record.updated.isoformat() == "2016-06-16T08:00:00+02:00"


FTP_PERMALINK = "http://harbourlight.example.net/log/{month}/leading-lights.php"


def _classic_byline_page(shown: str, *links: str) -> bytes:
    """A first-templates post whose byline's date is shown as ``shown``, linked by ``links``.

    The first link wraps the date (Blogger's ``<$BlogItemPermalinkUrl$>``); any others
    follow it inside the byline.
    """
    first, *rest = links
    others = "".join(f" <a href='{href}'>more</a>" for href in rest)
    return (
        "<html><body><div class='posts'><div style='clear:both;'></div>"
        "<p>The lamp room was cold again this morning, and the log says so twice.</p>"
        "<div style='clear:both; padding-bottom: 0.25em;'></div>"
        f"<span class='byline'>posted by Tamsin Roe at <a href='{first}'>{shown}</a>{others}"
        "</span></div></body></html>"
    ).encode()


@pytest.mark.parametrize(
    ("month", "expected"),
    [("2006/01", date(2006, 1, 5)), ("2006/05", date(2006, 5, 1))],
)
def test_a_date_of_open_order_is_read_with_its_own_permalinks_month_without_a_url(
    month: str, expected: date
) -> None:
    page = _classic_byline_page("1/05/2006 06:42:03 AM", FTP_PERMALINK.format(month=month))
    record = parse_page("", page)
    assert record.extractor == "blogger-classic"
    assert record.published is not None
    assert record.published.date() == expected


@pytest.mark.parametrize(
    "links",
    [
        # The link's month is neither reading of the date.
        (FTP_PERMALINK.format(month="2006/03"),),
        # Two posts of two months: neither is known to be this post's.
        (FTP_PERMALINK.format(month="2006/01"), FTP_PERMALINK.format(month="2006/05")),
        # Past the links read (the permalink among them is not looked for further).
        *[(FTP_PERMALINK.format(month="2006/01"),) + ("http://example.net/about",) * 4],
        # No post URL: a saved file's path, a relative link, another kind of page.
        ("file:///backup/2006/01/leading-lights.php",),
        ("/log/2006/01/leading-lights.php",),
        ("http://harbourlight.example.net/log/archive/",),
    ],
)
def test_a_date_of_open_order_stays_null_when_its_links_do_not_settle_it(
    links: tuple[str, ...],
) -> None:
    record = parse_page("", _classic_byline_page("1/05/2006 06:42:03 AM", *links))
    assert record.extractor == "blogger-classic"
    assert record.published is None


def test_the_post_urls_month_rules_over_the_dates_own_link() -> None:
    page = _classic_byline_page("1/05/2006 06:42:03 AM", FTP_PERMALINK.format(month="2006/01"))
    record = parse_page(FTP_PERMALINK.format(month="2006/05"), page)
    assert record.published is not None
    assert record.published.date() == date(2006, 5, 1)


def test_an_unambiguous_shown_date_is_not_overruled_by_its_link() -> None:
    # What the date states is read as before; its link is asked only of a date of open order.
    page = _classic_byline_page("3/28/2009 01:50:00 PM", FTP_PERMALINK.format(month="2006/01"))
    record = parse_page("", page)
    assert record.published is not None
    assert record.published.date() == date(2009, 3, 28)
