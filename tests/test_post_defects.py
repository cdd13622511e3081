"""Whether a post can be stored is decided once (``crawler.items.storable_url``).

The validate stage and storage report the same decision in their own words and kinds; the
parser asks the same question (``has_text``) of what it found.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.items import BlogPost, PostDefect, has_text, post_defect, storable_url
from crawler.pipelines.validate import invalid_reason
from storage.content import UnstorablePost, post_row

URL = "https://x.blogspot.com/2024/01/a.html"
NAIVE = datetime(2024, 1, 5, 10, 0)
AWARE = datetime(2024, 1, 5, 10, 0, tzinfo=UTC)

# post → (its defect, the validate stage's reason, storage's reason); None: storable.
CASES: list[tuple[BlogPost, PostDefect | None, str | None, str | None]] = [
    (BlogPost(url=URL, title="A"), None, None, None),
    (BlogPost(url=URL, body_paragraphs=["text"]), None, None, None),
    (BlogPost(url=URL, title="A", published=AWARE, updated=AWARE), None, None, None),
    (
        BlogPost(url="", title="A"),
        PostDefect.NO_URL,
        "invalid post: URL '' is not http(s)",
        "unstorable post: no URL",
    ),
    (
        BlogPost(url="ftp://x/a", title="A"),
        PostDefect.NOT_HTTP,
        "invalid post: URL 'ftp://x/a' is not http(s)",
        "unstorable post: not an http(s) URL 'ftp://x/a'",
    ),
    (
        BlogPost(url=URL, title=" ", body_paragraphs=["", " \n"]),
        PostDefect.NO_TEXT,
        "invalid post: neither title nor body text",
        "unstorable post: neither title nor body",
    ),
    (
        BlogPost(url=URL, title="\x00", body_paragraphs=["\x00 "]),
        PostDefect.NO_TEXT,
        "invalid post: neither title nor body text",
        "unstorable post: neither title nor body",
    ),
    (
        BlogPost(url=URL, title="A", published=AWARE, updated=NAIVE),
        PostDefect.NAIVE_TIME,
        "invalid post: updated time 2024-01-05T10:00:00 has no timezone",
        "unstorable post: updated time 2024-01-05T10:00:00 has no timezone",
    ),
]


@pytest.mark.parametrize(("post", "defect", "invalid", "unstorable"), CASES)
def test_the_validate_stage_and_storage_decide_alike(
    post: BlogPost, defect: PostDefect | None, invalid: str | None, unstorable: str | None
) -> None:
    found = post_defect(post)
    assert (found.defect if found else None) == defect
    assert invalid_reason(post) == invalid
    if unstorable is None:
        assert post_row(post, seen_at=AWARE, parser_version="1").values["url"] == URL
        assert storable_url(post) == URL
    else:
        with pytest.raises(UnstorablePost) as refused:
            post_row(post, seen_at=AWARE, parser_version="1")
        assert refused.value.reason == unstorable


def test_text_is_anything_but_whitespace_and_nul_in_the_title_or_a_paragraph() -> None:
    assert has_text("A", [])
    assert has_text(None, ["", "b"])
    assert not has_text(None, [])
    assert not has_text("", [" ", "\t\n", "\x00"])
