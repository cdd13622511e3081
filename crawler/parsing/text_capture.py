"""Plain-text captures of a post: a title line, body lines, then a comment footer.

Format (as saved by a reader or a text-mode scraper): the first non-blank line is the title;
each following non-blank line is one paragraph; the footer starts at a WordPress-style
``N Response(s) to "TITLE"`` line, a ``N comments:`` heading or a ``Post a Comment`` line and
is not body. ``comment_count`` is the footer's number (0 for "No comments:"), None without one.

Tagless text is a capture only when it has that shape. Other text is not a post
(:class:`NotAPostError`): a first line that is not a title (code, data, markup, or longer
than any title), no body line, a body that is mostly code or data lines (TOML, YAML, JSON,
robots.txt, source code), or a short server error message (``Service Unavailable``). A
response that declares itself HTML is never a capture: without tags it is not a post page.
"""

from __future__ import annotations

import codecs
import re
from http import HTTPStatus

from crawler.items import BlogPost
from crawler.parsing.comments import count_from_text
from crawler.parsing.document import declared_encoding, decode_text, sniff_wide_encoding
from crawler.parsing.errors import NotAPostError, UnreadablePageError

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


_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def looks_like_text_capture(body: bytes, content_type: str | None = None) -> bool:
    """Whether ``body`` is to be read as plain text rather than HTML.

    ``text/plain`` says so and an HTML content type says not; otherwise bytes that do not
    start with ``<`` and show no HTML tag in their first 8 KB are text. Whether the text is
    shaped like a post capture is :func:`parse_text_capture`'s judgement.
    """
    media_type = _media_type(content_type)
    if media_type == "text/plain":
        return True
    return media_type not in _HTML_TYPES and _is_tagless(body)


def reject_tagless_html(body: bytes, content_type: str | None) -> None:
    """Raise :class:`NotAPostError` for an HTML response whose bytes hold no markup at all.

    Such a response is a server's plain message (``Service Unavailable``), never a post page;
    parsing it as HTML would only end in a vaguer "no post body found".
    """
    if _media_type(content_type) in _HTML_TYPES and _is_tagless(body):
        raise NotAPostError("HTML response without markup (a plain message), not a post page")


def _is_tagless(body: bytes) -> bool:
    """Whether ``body`` has text, does not start with a tag and has no HTML tag in 8 KB."""
    head = body[:_SNIFF_BYTES]
    wide = sniff_wide_encoding(head)
    if head.startswith(_WIDE_BOMS) or wide:  # UTF-16/32: look at the characters, not the bytes
        encoding = declared_encoding(head) or wide or "utf-16"
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

    Raises :class:`UnreadablePageError` when the text has no line at all, and
    :class:`NotAPostError` when it is not shaped like a capture (see the module docstring).
    """
    lines = [" ".join(line.split()) for line in decode_text(body, content_type).splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise UnreadablePageError("empty text capture")
    title, paragraphs, count = lines[0], [], None
    reject_non_title(title)
    for line in lines[1:]:
        is_footer, count = _footer_count(line, title)
        if is_footer:
            break
        paragraphs.append(line)
    reject_non_body(title, paragraphs)
    return BlogPost(
        url=url,
        title=title,
        body_paragraphs=paragraphs,
        comment_count=count,
        extractor=NAME,
    )


# Lines no prose paragraph or post title starts or ends like: TOML/INI sections, JSON,
# comments and shebangs, docstrings, imports and definitions, assignments, CSV rows, code
# blocks opened at the line end. Matched on whitespace-collapsed lines.
_CODE_LINE = re.compile(
    r"""^(?:
        \[[^\]]*\]$
      | [{}\]]
      | \[\s*(?:$|["'{\[]|-?\d[\d.]*\s*,)
      | \#(?:!|\#|\s|$|include\b)
      | //|/\*|\*/|<!--|-->|\"\"\"|'''
      | (?:def|class|function)\s+\w+\s*[(:]
      | import\s+[\w.]+(?:\s+as\s+\w+)?$
      | from\s+[\w.]+\s+import\s
      | (?:const|let|var)\s+\w+\s*=
      | ["']?[\w.-]+["']?\s*[-+*/|&]?=(?!=)
      | "[^"]*"\s*:\s*(?:$|["{\[\d-]|true\b|false\b|null\b)
      | [^\s,]+(?:,[^\s,]+){2,}$
      | .*(?:[{(\[]|=>|\);)$
    )""",
    re.VERBOSE,
)
# A field with a one-word value (YAML ``runs-on: ubuntu-latest``, robots.txt ``Allow: /``,
# headers). Body lines only: a title may read ``Review: Dune``.
_FIELD_LINE = re.compile(r"^-?\s*[\w.-]+:(?:\s+\S+)?$")
_LETTER = re.compile(r"[^\W\d_]")
# Scripts written without spaces between words (Thai, Myanmar, Khmer, CJK): two letters in a
# row make a word or more.
_UNSPACED_WORDS = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u9fff\uf900-\ufaff]{2}"
)
_MAX_TITLE_CHARS = 300
_MIN_WORDS = 2
_REASON = "text, not a post capture: "


def _shown(line: str, limit: int = 60) -> str:
    """Return ``line`` quoted for a one-line reason, cut at ``limit`` characters."""
    return repr(line if len(line) <= limit else line[: limit - 1] + "…")


def reject_non_title(line: str) -> None:
    """Raise :class:`NotAPostError` when a capture's first line cannot be a post title."""
    if len(line) > _MAX_TITLE_CHARS:
        problem = f"longer than {_MAX_TITLE_CHARS} characters"
    elif not _LETTER.search(line):
        problem = f"{_shown(line)} has no letters"
    elif _CODE_LINE.match(line):
        problem = f"{_shown(line)} looks like code or data"
    else:
        return
    raise NotAPostError(f"{_REASON}first line is not a title ({problem})")


def _is_code_or_data(line: str) -> bool:
    return _CODE_LINE.match(line) is not None or _FIELD_LINE.match(line) is not None


def _is_text(line: str) -> bool:
    """Whether ``line`` holds words: two with letters, or a run in an unspaced script.

    Lists of names, paths and patterns (``README.md``, ``.venv/``) have one token a line.
    """
    words = sum(1 for token in line.split() if _LETTER.search(token))
    return words >= _MIN_WORDS or _UNSPACED_WORDS.search(line) is not None


def reject_non_body(title: str, paragraphs: list[str]) -> None:
    """Raise :class:`NotAPostError` unless ``paragraphs`` is the body text of a post.

    Rejected: no paragraph with words (an empty body, or a list of names or paths); more
    than half of them code or data lines (a capture of a post about code may quote a few); a
    short server error message under a status title.
    """
    if not any(_is_text(line) for line in paragraphs):
        raise NotAPostError(f"{_REASON}no body text after the title line")
    code = sum(1 for line in paragraphs if _is_code_or_data(line))
    if code * 2 > len(paragraphs):
        raise NotAPostError(
            f"{_REASON}{code} of {len(paragraphs)} body lines look like code or data"
        )
    if _is_status_title(title) and _is_short(paragraphs):
        raise NotAPostError(f"{_REASON}a server error message ({_shown(title)})")


# Reason phrases of HTTP errors ("service unavailable"); one-word ones ("gone", "conflict")
# count only beside a status code or the word "error", since a post may be titled so.
_STATUS_WORDS = re.compile(r"[a-z]+|\d+")
_STATUS_PHRASES = frozenset(
    " ".join(_STATUS_WORDS.findall(status.phrase.lower()))
    for status in HTTPStatus
    if 400 <= status.value < 600  # the client and server error classes
)
_ERROR_MARKERS = re.compile(r"^(?:[45]\d\d|error|http)$")
_SHORT_BODY_LINES, _SHORT_BODY_CHARS = 3, 500


def _is_status_title(title: str) -> bool:
    """Whether ``title`` is an HTTP error line: ``Service Unavailable``, ``Error 404``."""
    words = _STATUS_WORDS.findall(title.lower())
    rest = [word for word in words if not _ERROR_MARKERS.match(word)]
    marked = len(rest) < len(words)
    phrase = " ".join(rest)
    if not rest:
        return marked and any(word[0] in "45" for word in words)
    return phrase in _STATUS_PHRASES and (marked or len(rest) > 1)


def _is_short(paragraphs: list[str]) -> bool:
    return (
        len(paragraphs) <= _SHORT_BODY_LINES
        and sum(len(line) for line in paragraphs) <= _SHORT_BODY_CHARS
    )
