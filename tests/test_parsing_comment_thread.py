"""The page's comment thread as data, per family of Blogger's comment markup.

Fixtures in tests/fixtures/pages/threads/ are modelled on the corpus's real threads (Layouts
threaded and non-threaded, the 2017 themes, Dynamic Views after scripts, a pre-2006 classic
template, a third-party template keeping Blogger's thread, and a thread whose unbalanced
tags make the HTML parser push comments out of their container).
"""

from __future__ import annotations

import dataclasses
import json
import re
import time
from datetime import UTC, datetime
from typing import Any

import pytest

from benchmarks.corpus import score_post
from blogingest.cli import main
from crawler.cleaning import clean_post
from crawler.extraction import parse_and_clean
from crawler.items import BlogComment, BlogPost
from crawler.parsing import comment_thread, parse_page
from crawler.pipelines.feed_record import FeedRecordPipeline
from storage.repository import Outcome, upsert_posts
from tests.support.parsing_pages import FIXTURES, POST_URL, layouts_page
from tests.support.storage_posts import make_post

pytest_plugins = ["tests.support.storage"]

THREADS = FIXTURES / "threads"
FIXTURE_NAMES = sorted(path.name for path in THREADS.glob("*.html"))
_CANONICAL = re.compile(rb"<link href=['\"]([^'\"]+)['\"] rel=['\"]canonical['\"]")


def _url(name: str) -> str:
    found = _CANONICAL.search((THREADS / name).read_bytes())
    return found.group(1).decode() if found else "http://bytegarden.blogspot.com/2004/11/x.html"


def _parsed(name: str) -> BlogPost:
    return parse_and_clean(_url(name), (THREADS / name).read_bytes())


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def _shape(post: BlogPost) -> list[tuple[str | None, str | None, str | None, bool]]:
    return [(c.id, c.parent, c.author, c.deleted) for c in post.comments]


def test_layouts_threaded_comments_keep_their_replies_authors_and_times() -> None:
    post = _parsed("layouts_threaded.html")
    first, reply, removed, emailed = post.comments
    assert _shape(post) == [
        ("5100000000000000001", None, "Tilda", False),
        ("5100000000000000002", "5100000000000000001", "Mara", False),
        ("5100000000000000003", "5100000000000000001", "Anonym", True),
        ("5100000000000000004", None, None, False),
    ]
    assert first.author_url == "https://www.blogger.com/profile/07000000000000000001"
    # showComment is epoch milliseconds: UTC whatever the blog's clock shows (15:30 CET).
    assert first.published == _utc(2014, 3, 15, 14, 30)
    assert first.paragraphs == [
        "Hallo Mara,",
        "das Buch an der Küste steht schon auf meiner Liste. Danke für den Tipp! Liebe Grüße Tilda",
    ]
    assert reply.paragraphs == ["Gern! Sag mir, wie es dir gefallen hat :)"]
    assert removed.paragraphs == []
    assert post.comments_partial is False
    # The commenter published an e-mail address as name and link: neither is kept.
    assert (emailed.author, emailed.author_url) == (None, None)
    # Cleaned like a body: mojibake repaired, whitespace collapsed.
    assert emailed.paragraphs == ["Die Berge klingen spannend. Ich lese gerade etwas ähnliches."]


def test_layouts_definition_list_comments_and_comment_pages_make_the_thread_partial() -> None:
    post = _parsed("layouts_list.html")
    assert _shape(post) == [
        ("6100000000000000001", None, "Rosa Beet", False),
        ("6100000000000000002", None, "Anonymous", True),
        ("6100000000000000003", None, "Ned Furrow", False),
        ("6100000000000000004", None, "Hedgerow Notes", True),
    ]
    rosa, anonymous, ned, _ = post.comments
    assert rosa.author_url == "https://www.blogger.com/profile/08000000000000000001"
    assert anonymous.author_url is None
    assert rosa.published == _utc(2009, 6, 8, 14, 7)
    assert ned.paragraphs == ["Rosa: once a week, from the first truss.", "Comfrey tea works well."]
    assert post.comments_partial is True  # a "Newer ›" comment page follows


def test_contempo_threaded_comments_nest_two_levels_and_a_live_load_more_is_partial() -> None:
    post = _parsed("contempo_threaded.html")
    assert _shape(post) == [
        ("7200000000000000001", None, "Lucía Pérez", False),
        ("7200000000000000002", "7200000000000000001", "La abuela", False),
        ("7200000000000000003", "7200000000000000002", "Lucía Pérez", False),
    ]
    assert [c.published for c in post.comments] == [
        _utc(2019, 11, 20, 15),
        _utc(2019, 11, 20, 16),
        _utc(2019, 11, 20, 17),
    ]
    assert post.comments_partial is True


@pytest.mark.parametrize(
    ("name", "served", "control", "partial"),
    [
        # A page saved from a browser: the script loaded the rest and marked the control.
        ("layouts_threaded.html", 'class="loadmore hidden"', 'class="loadmore loaded"', False),
        ("contempo_threaded.html", 'class="loadmore"', 'class="loadmore loaded"', False),
        ("plus_ui.html", 'class="loadmore hidden"', 'class="loaded loadmore"', False),
        # Neither hidden nor loaded: the page holds only part of the thread.
        ("layouts_threaded.html", 'class="loadmore hidden"', 'class="loadmore"', True),
        ("plus_ui.html", 'class="loadmore hidden"', 'class="loadmore unloaded"', True),
    ],
)
def test_a_load_more_the_script_marked_loaded_hides_like_hidden(
    name: str, served: str, control: str, partial: bool
) -> None:
    page = (THREADS / name).read_text(encoding="utf-8")
    assert served in page
    post = parse_and_clean(_url(name), page.replace(served, control).encode("utf-8"))
    assert post.comments
    assert post.comments_partial is partial


def test_2017_non_threaded_blocks() -> None:
    post = _parsed("soho_blocks.html")
    assert _shape(post) == [
        ("8100000000000000001", None, "Pia Holm", False),
        ("8100000000000000002", None, "Anonymous", True),
    ]
    assert post.comments[0].paragraphs == [
        "The third one is my favourite.",
        "What filter did you use?",
    ]


def test_dynamic_views_reads_the_open_posts_thread_only() -> None:
    post = _parsed("dynamic_views.html")
    assert _shape(post) == [
        ("4100000000000000001", None, "Ivo", False),
        ("4100000000000000002", "4100000000000000001", None, False),
    ]
    # The name was an e-mail address; the profile link is kept, the address is not.
    assert post.comments[1].author_url == "https://www.blogger.com/profile/04000000000000000002"
    assert post.comments_partial is False  # "Load more" is there but display:none


def test_third_party_template_with_bloggers_thread() -> None:
    post = _parsed("plus_ui.html")
    assert _shape(post) == [("7700000000000000011", None, "Budi", False)]
    assert post.comments[0].published == _utc(2022, 7, 3, 1, 30)


def test_pre_2006_classic_comments_take_their_time_from_the_timestamp_id() -> None:
    post = _parsed("classic_2004.html")
    assert _shape(post) == [
        ("109934239304823775", None, "Anonymous", False),
        ("109934328806258268", None, "Aaron", False),
        ("110538495541583581", None, "Anonymous", True),
    ]
    assert post.comments[1].author_url == "http://www.blogger.com/profile/7001"
    # 1099342393048 ms is 20:53 UTC; the page shows 1:53 PM (Pacific time): same minutes.
    assert post.comments[0].published == datetime(2004, 11, 1, 20, 53, 13, 48000, tzinfo=UTC)
    assert post.comments[0].paragraphs == ["Which machine was that? Mine is much slower."]


def test_classic_anchors_with_the_comment_as_their_siblings() -> None:
    post = _parsed("classic_anchors.html")
    assert _shape(post) == [
        ("111048366700012345", None, "Anonymous", False),
        ("111049272700054321", None, "Wren", False),
    ]
    # The byline closes a comment: the form link after the last one is not its text.
    assert post.comments[1].paragraphs == ["We did – four of them.", "Photos tomorrow."]
    assert post.comments[1].published == _utc(2005, 3, 10, 22, 12, 7)


def test_a_wordpress_style_wrapper_gives_author_time_and_only_the_text() -> None:
    post = _parsed("wordpress_style.html")
    assert _shape(post) == [
        ("6600000000000000011", None, "Ola", False),
        ("6600000000000000012", None, "Anonymous", False),
    ]
    assert [c.paragraphs for c in post.comments] == [
        ["Which filter do you use?"],
        ["Thanks, building one this weekend."],
    ]


def test_a_name_and_a_time_on_the_texts_own_line_stay_out_of_the_text() -> None:
    thread = (
        "<p id='c1234567890'><span class='comment-author'>Ann</span> Great post, thanks."
        " <abbr class='published' title='2020-05-01T10:42:00Z'>May 1</abbr></p>"
    )
    post = parse_page(POST_URL, layouts_page("<p>Text.</p>", comments_html=thread).encode())
    assert [(c.author, c.published, c.paragraphs) for c in post.comments] == [
        ("Ann", _utc(2020, 5, 1, 10, 42), ["Great post, thanks."])
    ]


def test_plus_ui_compact_comments_give_name_time_and_text_apart() -> None:
    thread = (
        "<ol class='cmHl'><li class='c' id='c4400000000000000001'><div class='cAv'></div>"
        "<div class='cIn'><div class='cNm'><bdi class='n'>Ravi</bdi></div>"
        "<p class='cCn'>Worked for me.</p><div class='cTm'>2024-05-01T09:30:00+05:30</div>"
        "</div></li></ol>"
    )
    post = parse_page(POST_URL, layouts_page("<p>Text.</p>", comments_html=thread).encode())
    assert [(c.id, c.author, c.published, c.paragraphs) for c in post.comments] == [
        ("4400000000000000001", "Ravi", _utc(2024, 5, 1, 4), ["Worked for me."])
    ]


def test_a_timestamp_id_is_not_trusted_when_the_shown_minutes_disagree() -> None:
    page = (THREADS / "classic_2004.html").read_bytes().replace(b">1:53 PM<", b">1:54 PM<")
    post = parse_page(_url("classic_2004.html"), page)
    assert post.comments[0].published is None
    assert post.comments[1].published is not None


def test_comments_pushed_out_of_an_unbalanced_thread_are_recovered_with_their_parent() -> None:
    post = _parsed("unbalanced.html")
    assert _shape(post) == [
        ("3100000000000000001", None, "Kit", False),
        ("3100000000000000002", "3100000000000000001", "Ridgeline", False),
        ("3100000000000000003", None, "Anonymous", False),
    ]


def test_html_comments_beside_a_thread_are_neither_searched_nor_read() -> None:
    """An HTML comment after the container (where pushed-out comments are looked for) is
    no element to search, and one among anchored comments' paragraphs is no text."""
    pushed_out = (
        "<h4>2 comments:</h4><div class='comments-content'><div class='comment-thread'><ol>"
        "<li class='comment' id='c1'><cite class='user'>A</cite>"
        "<p class='comment-content'>one</p></li></ol></div></div></div><!-- end comments -->"
        "<ol><li class='comment' id='c2'><cite class='user'>B</cite>"
        "<p class='comment-content'>two</p></li></ol><div>"
    )
    post = parse_page(POST_URL, layouts_page("<p>Body.</p>", comments_html=pushed_out).encode())
    assert [(c.id, c.author, c.paragraphs) for c in post.comments] == [
        ("1", "A", ["one"]),
        ("2", "B", ["two"]),
    ]
    anchored = (
        "<h4>2 comments:</h4><div class='comments-block'><a name='c110000000001'></a>"
        "<p>Nice loaf.</p><!-- template note --><p class='comment-timestamp'>posted by Ann at"
        " 2:12 PM</p><a name='c110000000002'></a><p>Second.</p>"
        "<p class='comment-timestamp'>posted by Bo at 3:12 PM</p></div>"
    )
    post = parse_page(POST_URL, layouts_page("<p>Body.</p>", comments_html=anchored).encode())
    assert [(c.author, c.paragraphs) for c in post.comments] == [
        ("Ann", ["Nice loaf."]),
        ("Bo", ["Second."]),
    ]


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_every_comment_has_an_id_a_time_and_text_or_is_deleted(name: str) -> None:
    post = _parsed(name)
    assert post.comments
    for comment in post.comments:
        assert comment.id is not None
        assert comment.published is not None
        assert comment.published.utcoffset() is not None
        assert bool(comment.paragraphs) != comment.deleted


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_no_comment_text_leaks_into_the_body_and_no_notice_into_comments(name: str) -> None:
    post = _parsed(name)
    body = " ".join(post.body_paragraphs)
    for comment in post.comments:
        for paragraph in comment.paragraphs:
            assert paragraph not in body
            assert "removed by" not in paragraph
            assert "entfernt" not in paragraph


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_no_e_mail_address_is_ever_kept(name: str) -> None:
    for comment in _parsed(name).comments:
        for value in (comment.author, comment.author_url):
            assert value is None or "@" not in value


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_the_count_shown_equals_the_comments_parsed(name: str) -> None:
    post = _parsed(name)
    assert post.comment_count == len(post.comments)


def test_a_page_without_a_thread_has_no_comments() -> None:
    page = layouts_page("<p>Text.</p>", comments_html="<h4>No comments:</h4>").encode()
    post = parse_page(POST_URL, page)
    assert post.comments == []
    assert post.comments_partial is False


def _threaded_page(count: int, *, depth: int = 1) -> bytes:
    """A Layouts page with ``count`` comments, nested ``depth`` deep in chains."""
    items: list[str] = []
    for n in range(0, count, depth):
        chain = ""
        for level in reversed(range(min(depth, count - n))):
            number = 1_000_000 + n + level
            replies = (
                f'<div class="comment-replies"><div class="comment-thread inline-thread">'
                f'<ol id="c{number}-ra">{chain}</ol></div></div>'
                if chain
                else ""
            )
            chain = (
                f'<li class="comment" id="c{number}"><div class="comment-block">'
                f'<div class="comment-header"><cite class="user">Reader {number}</cite>'
                f'<span class="datetime"><a href="{POST_URL}?showComment=1590000000000#c{number}">'
                f"May 20</a></span></div><p class='comment-content'>Comment {number}.</p></div>"
                f"{replies}</li>"
            )
        items.append(chain)
    thread = (
        "<h4>Comments:</h4><div class='comments-content'><div id='comment-holder'>"
        '<div class="comment-thread toplevel-thread"><ol id="top-ra">'
        + "".join(items)
        + "</ol></div></div></div>"
    )
    return layouts_page("<p>Body text.</p>", comments_html=thread).encode()


def test_a_deep_chain_of_replies_keeps_every_parent() -> None:
    post = parse_page(POST_URL, _threaded_page(40, depth=40))
    assert len(post.comments) == 40
    assert post.comments[0].parent is None
    assert all(c.parent == p.id for p, c in zip(post.comments, post.comments[1:], strict=False))


def test_the_bound_cuts_the_thread_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(comment_thread, "MAX_PAGE_COMMENTS", 10)
    post = parse_page(POST_URL, _threaded_page(11))
    assert len(post.comments) == 10
    assert post.comments_partial is True


def _best_of(runs: int, page: bytes) -> float:
    best = float("inf")
    for _ in range(runs):
        # CPU time of this process: wall time also counts other processes on a loaded machine.
        start = time.process_time()
        parse_page(POST_URL, page)
        best = min(best, time.process_time() - start)
    return best


def test_thread_parsing_is_linear_in_the_number_of_comments() -> None:
    small, large = _threaded_page(300, depth=3), _threaded_page(1200, depth=3)
    assert len(parse_page(POST_URL, large).comments) == 1200
    ratio = _best_of(3, large) / _best_of(3, small)
    assert ratio < 8, f"4x the comments took {ratio:.1f}x the time (linear: ~4, quadratic: 16)"


def test_comments_round_trip_through_json_and_into_the_feed_record() -> None:
    post = _parsed("layouts_threaded.html")
    data = post.to_json_dict()
    assert data["comments"][0] == {
        "id": "5100000000000000001",
        "parent": None,
        "author": "Tilda",
        "author_url": "https://www.blogger.com/profile/07000000000000000001",
        "published": "2014-03-15T14:30:00+00:00",
        "updated": None,
        "paragraphs": post.comments[0].paragraphs,
        "deleted": False,
    }
    assert BlogPost.from_json_dict(json.loads(json.dumps(data))) == post
    record: Any = FeedRecordPipeline().process_item(post)
    assert json.loads(json.dumps(record))["comments"] == data["comments"]
    assert data["comments_partial"] is False


def test_cleaning_is_idempotent_on_comments() -> None:
    post = _parsed("layouts_threaded.html")
    assert clean_post(post) == post


def test_a_removal_notice_without_its_class_is_still_a_deleted_comment() -> None:
    post = _parsed("layouts_list.html")
    assert post.comments[3].deleted is True  # the notice there is a plain <p>
    assert post.comments[3].paragraphs == []


@pytest.mark.parametrize(
    "notice",
    [
        "This comment has been removed by the author.",
        "This comment has been removed by a blog administrator.",
        "This post has been removed by the author.",
        "Este comentário foi removido pelo autor.",
    ],
)
def test_a_removal_notice_alone_is_a_deleted_comment(notice: str) -> None:
    item = (
        '<li class="comment" id="c1000001"><cite class="user">Ana</cite>'
        f'<a href="{POST_URL}?showComment=1590000000000#c1000001">x</a>'
        f'<p class="comment-content">{notice}</p></li>'
    )
    thread = f"<div class='comment-thread'><ol>{item}</ol></div>"
    post = parse_page(POST_URL, layouts_page("<p>Body.</p>", comments_html=thread).encode())
    assert [(c.deleted, c.paragraphs) for c in post.comments] == [(True, [])]


def test_a_comment_quoting_the_notice_among_its_words_is_not_deleted() -> None:
    item = (
        '<li class="comment" id="c1000001"><cite class="user">Ana</cite>'
        '<p class="comment-content">Why does it say "This comment has been removed by the'
        ' author." above?</p></li>'
    )
    thread = f"<div class='comment-thread'><ol>{item}</ol></div>"
    post = parse_page(POST_URL, layouts_page("<p>Body.</p>", comments_html=thread).encode())
    assert post.comments[0].deleted is False


def test_storage_keeps_the_post_and_ignores_its_comments(storage_sessions: Any) -> None:
    post = make_post(1)
    with_comments = dataclasses.replace(
        post, comments=[BlogComment(id="1", author="A", paragraphs=["Hi."])]
    )
    with storage_sessions.begin() as session:
        assert upsert_posts(session, [with_comments]) == [Outcome.INSERTED]
    with storage_sessions.begin() as session:
        # Comments are not content (yet): the same post without them is unchanged.
        assert upsert_posts(session, [post]) == [Outcome.UNCHANGED]


def test_blogingest_parse_prints_the_comments(capsys: pytest.CaptureFixture[str]) -> None:
    path = THREADS / "layouts_threaded.html"
    assert main(["parse", str(path), "--url", _url(path.name)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in record["comments"]] == [
        "5100000000000000001",
        "5100000000000000002",
        "5100000000000000003",
        "5100000000000000004",
    ]
    assert record["comments"][2]["deleted"] is True
    assert record["comments"][2]["paragraphs"] == []


def test_the_corpus_scorer_checks_each_shown_comment_is_parsed_and_complete() -> None:
    expected = {"page_kind": "post", "title": "T", "comment_count": 2, "body_with": []}
    expected |= {"body_without": []}
    when = _utc(2020, 5, 1)
    complete = BlogComment(id="1", author="A", published=when, paragraphs=["Hi."])
    removed = BlogComment(id="2", author_url="https://www.blogger.com/profile/1", published=when)
    removed.deleted = True
    post = BlogPost(url=POST_URL, title="T", comment_count=2, comments=[complete, removed])
    assert score_post("1", expected, post).thread_ok is True
    assert score_post("1", expected, post).comments == (2, 2)
    untimed = dataclasses.replace(
        post, comments=[complete, dataclasses.replace(removed, published=None)]
    )
    assert score_post("1", expected, untimed).thread_ok is False
    assert (
        score_post("1", expected, dataclasses.replace(post, comments=[complete])).thread_ok is False
    )
    assert score_post("1", expected | {"comment_count": 0}, post).thread_ok is None


@pytest.mark.parametrize(
    ("shown", "name"),
    [
        ("Anonymous said...", "Anonymous"),
        ("Anonym hat gesagt…", "Anonym"),
        ("Anónimo dijo...", "Anónimo"),
        ("Elisa", "Elisa"),
        ("Maria Sa", "Maria Sa"),
        ("Kim <kim@example.org> said...", "Kim"),
        ("kim@example.org said...", None),
    ],
)
def test_a_definition_list_author_loses_its_said_and_any_e_mail(shown: str, name: str) -> None:
    thread = (
        "<dl id='comments-block'><dt class='comment-author' id='c2000001'>"
        f"{shown.replace('<', '&lt;').replace('>', '&gt;')}</dt>"
        "<dd class='comment-body'><p>Hello.</p></dd></dl>"
    )
    post = parse_page(POST_URL, layouts_page("<p>Body.</p>", comments_html=thread).encode())
    assert [c.author for c in post.comments] == [name]
