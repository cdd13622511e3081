"""Plain-text captures of a post: a title line, body lines, then a comment footer.

Format (as saved by a reader or a text-mode scraper): the first non-blank line is the title;
each following non-blank line is one paragraph; the footer starts at a WordPress-style
``N Response(s) to "TITLE"`` line, a ``N comments:`` heading or a ``Post a Comment`` line and
is not body. ``comment_count`` is the footer's number (0 for "No comments:"), None without one.
"""

from __future__ import annotations

import codecs
import re

from crawler.items import BlogPost
from crawler.parsing.comments import count_from_text
from crawler.parsing.document import declared_encoding, decode_text
from crawler.parsing.errors import UnreadablePageError

NAME = "text-capture"

_MARKUP = re.compile(rb"<(?:!doctype|html|head|body|div|p|br|meta|text)\b", re.IGNORECASE)
_RESPONSE_LINE = re.compile(r"^(\d+)\s+\S+(?:\s+\S+){0,2}\s+[\"“„«](.*)[\"”“»]\s*$")
_POST_A_COMMENT = re.compile(
    r"^(post a comment|kommentar veröffentlichen|publier un commentaire)$", re.IGNORECASE
)
_HEADING_LINE = re.compile(r"^\S+(?:\s+\S+){0,2}\s*:$")
_SNIFF_BYTES = 8192
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_STARTS_WITH_TAG = re.compile(rb"(?:\xef\xbb\xbf)?\s*<")


def looks_like_text_capture(body: bytes, content_type: str | None = None) -> bool:
    """Whether ``body`` is a plain-text capture rather than HTML.

    ``text/plain`` says so; otherwise bytes that do not start with ``<`` and show no HTML tag
    in their first 8 KB are text.
    """
    if content_type and content_type.split(";")[0].strip().lower() == "text/plain":
        return True
    head = body[:_SNIFF_BYTES]
    if head.startswith(_WIDE_BOMS):  # UTF-16/32: look at the characters, not the bytes
        encoding = declared_encoding(head) or "utf-16"
        head = head.decode(encoding, errors="ignore").encode("utf-8")
    if _STARTS_WITH_TAG.match(head):
        return False
    return bool(head.strip()) and _MARKUP.search(head) is None


def _footer_count(line: str, title: str) -> tuple[bool, int | None]:
    """Return (is this line the start of the footer, the count it states)."""
    response = _RESPONSE_LINE.match(line)
    if response and response.group(2).strip() == title:
        return True, int(response.group(1))
    if _HEADING_LINE.match(line):
        count = count_from_text(line)
        if count is not None:
            return True, count
    if _POST_A_COMMENT.match(line):
        return True, None
    return False, None


def parse_text_capture(url: str, body: bytes, content_type: str | None = None) -> BlogPost:
    """Parse a plain-text capture into a :class:`BlogPost` (``url`` as the caller resolved it).

    Raises :class:`UnreadablePageError` when the text has no line at all.
    """
    lines = [" ".join(line.split()) for line in decode_text(body, content_type).splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise UnreadablePageError("empty text capture")
    title, paragraphs, count = lines[0], [], None
    for line in lines[1:]:
        is_footer, count = _footer_count(line, title)
        if is_footer:
            break
        paragraphs.append(line)
    return BlogPost(
        url=url,
        title=title,
        body_paragraphs=paragraphs,
        comment_count=count,
        extractor=NAME,
    )
