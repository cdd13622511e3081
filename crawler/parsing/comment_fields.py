"""The fields of one comment, read from the elements that make it up.

Every theme family (see :mod:`crawler.parsing.comment_markup`) hands over the same thing: the
element holding the comment (``li.comment``, ``dt``, ``div.comment``, ``li#c123`` ...) and its
*parts*, the elements of that comment alone (never its replies). The readers here search
those parts only, so a thread of n comments costs O(n) however deep it nests.

Evidence, in order:

* id: ``id="c123"`` / ``<a name="c123">`` on the item or its parts, the ``data-comment-id``
  of its reply link, the ``#c123`` of its permalink;
* author: the link in ``cite.user`` / ``.comment-author`` / ``.comment-poster`` (its text and
  http(s) ``href``), else their text, else a byline ``By NAME, at ...`` / ``posted by NAME``,
  with a localized ``said...`` cut off. E-mail addresses are dropped wherever they appear;
* published: the permalink's ``showComment=`` epoch milliseconds (UTC by definition), then a
  ``time[datetime]`` / ``abbr[title]`` / ``data-timestamp`` with an offset, then the creation
  time that pre-2007 comment ids carry in their first 13 digits, accepted only when the
  minutes agree with the time the page shows;
* deleted: ``.deleted-comment`` in the text, or the text is Blogger's removal notice;
* text: the ``.comment-content`` / ``.comment-body`` part, split like a post body.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from lxml.html import HtmlElement

from crawler.parsing.body import body_paragraphs
from crawler.parsing.dates import parse_timestamp
from crawler.parsing.xpath import Elements

_COMMENT_ID = re.compile(r"^c(\d{1,20})$")
_PERMALINK_ID = re.compile(r"#c(\d{1,20})$")
_SHOW_COMMENT = re.compile(r"[?&]showComment=(\d{10,16})\b")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# Elements of a comment's parts that may carry an id (in document order, self included).
_ID_CARRIERS = Elements(
    "descendant-or-self::*[starts-with(@id, 'c') or starts-with(@name, 'c')"
    " or @data-comment-id or contains(@href, '#c')]"
)
_AUTHOR_BOXES = Elements(
    "descendant-or-self::*[self::cite or contains(@class, 'comment-author')"
    " or contains(@class, 'comment-poster') or contains(@class, 'comment-name')]"
)
_LINKS = Elements("descendant-or-self::a[@href]")
_TIME_ATTRIBUTES = Elements(
    "descendant-or-self::*[(self::time and @datetime) or (self::abbr and @title)"
    " or @data-timestamp or @data-datetime or @data-published]"
)
_CONTENT = Elements(
    "descendant-or-self::*[contains(@class, 'comment-content') or contains(@class, 'comment-body')"
    " or contains(@class, 'comment-text')]"
)
_BYLINES = Elements(
    "descendant-or-self::*[contains(@class, 'comment-data') or contains(@class, 'comment-footer')"
    " or contains(@class, 'comment-timestamp') or contains(@class, 'byline')"
    " or contains(@class, 'comment-header') or contains(@class, 'datetime')]"
)
_DELETED_MARKS = Elements("descendant-or-self::*[contains(@class, 'deleted-comment')]")

# "NAME said..." as Blogger's templates print it, in the languages we have seen.
_SAID = re.compile(
    r"\s*(?:said|says|wrote|dijo|disse|a dit|hat gesagt|ha detto|zei|sa|sagde|skrev|sanoi"
    r"|napisał\(a\)|написал\(а\)|berkata|mondta|dedi|說|说|のコメント)\s*(?:\.\.\.|…|:)?\s*$",
    re.IGNORECASE,
)
# "By NAME, at 1:53 PM", "posted by NAME : 10:42 PM", "Posted by NAME at 3:10 AM".
_BYLINE_AUTHOR = re.compile(
    r"^\s*(?:#\s*)?(?:posted by|by|von|par|por|di|door)\s+(?P<name>.+?)"
    r"\s*(?:,\s|\s:\s|\s@\s|\s(?:at|um|à|a las|às|alle|om)\s|$)",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"\b(\d{1,2})[:.h](\d{2})\b")

# Blogger's notices for a removed comment (the "post" forms are the pre-2007 wording).
_REMOVED_NOTICE = re.compile(
    r"^(?:this (?:comment|post) has been removed by (?:the author|a blog administrator"
    r"|an administrator|the blog administrator)\.?)$",
    re.IGNORECASE,
)
# Blogger's epoch of comments, and the first year its comment ids stopped being timestamps.
_FIRST_COMMENT = datetime(1999, 8, 1, tzinfo=UTC)
_LAST_TIMESTAMP_ID = datetime(2007, 1, 1, tzinfo=UTC)
_LATEST_PLAUSIBLE = datetime(2100, 1, 1, tzinfo=UTC)


def _squash(text: str) -> str:
    return " ".join(text.split())


def without_email(text: str | None) -> str | None:
    """Return ``text`` with e-mail addresses (and the brackets around them) cut out, or None."""
    if not text:
        return None
    cleaned = _squash(re.sub(r"[<(\[]?\s*" + _EMAIL.pattern + r"\s*[>)\]]?", " ", text))
    return cleaned or None


def comment_id(item: HtmlElement, parts: Sequence[HtmlElement]) -> str | None:
    """Return the comment's Blogger id, from its own element first, then from its parts."""
    match = _COMMENT_ID.match(item.get("id") or "")
    if match:
        return match.group(1)
    for part in parts:
        for carrier in _ID_CARRIERS(part):
            for name in ("id", "name"):
                match = _COMMENT_ID.match(carrier.get(name) or "")
                if match:
                    return match.group(1)
            reply_to = carrier.get("data-comment-id") or ""
            if reply_to.isdigit():
                return reply_to
            match = _PERMALINK_ID.search(carrier.get("href") or "")
            if match:
                return match.group(1)
    return None


def _profile_url(link: HtmlElement) -> str | None:
    href = (link.get("href") or "").strip()
    if not href.lower().startswith(("http://", "https://")) or _EMAIL.search(href):
        return None
    return href


def _name_from_text(text: str) -> str | None:
    text = _squash(text)
    byline = _BYLINE_AUTHOR.match(text)
    if byline:
        text = byline.group("name")
    return without_email(_SAID.sub("", text))


def author(parts: Sequence[HtmlElement]) -> tuple[str | None, str | None]:
    """Return ``(display name, profile URL)`` as the comment shows them (see module docs)."""
    for part in parts:
        for box in _AUTHOR_BOXES(part):
            for link in _LINKS(box):
                shown = _squash(link.text_content())
                if shown and not (link.get("href") or "").startswith("#"):
                    # A name that is an e-mail address is dropped; the profile link stays.
                    return _name_from_text(shown), _profile_url(link)
            name = _name_from_text(box.text_content())
            if name:
                return name, None
    for part in parts:
        for byline in _BYLINES(part):
            match = _BYLINE_AUTHOR.match(_squash(byline.text_content()))
            if match:
                for link in _LINKS(byline):
                    if _squash(link.text_content()) == _squash(match.group("name")):
                        return without_email(match.group("name")), _profile_url(link)
                return without_email(match.group("name")), None
    return None, None


def _plausible(moment: datetime) -> datetime | None:
    moment = moment.astimezone(UTC)
    return moment if _FIRST_COMMENT <= moment < _LATEST_PLAUSIBLE else None


def _from_epoch_ms(digits: str) -> datetime | None:
    try:
        moment = datetime.fromtimestamp(int(digits[:13]) / 1000, tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None
    return _plausible(moment)


def _shown_minutes(parts: Sequence[HtmlElement]) -> set[str]:
    minutes: set[str] = set()
    for part in parts:
        for byline in _BYLINES(part):
            minutes.update(match.group(2) for match in _CLOCK.finditer(byline.text_content()))
    return minutes


def _from_legacy_id(identifier: str | None, parts: Sequence[HtmlElement]) -> datetime | None:
    """Pre-2007 Blogger ids begin with the creation time in epoch ms (``1099342393048``...).

    Later ids are random, so the decoded time is taken only before 2007 and only when the
    page shows a clock time with the same minutes.
    """
    if identifier is None or len(identifier) != 18:
        return None
    moment = _from_epoch_ms(identifier)
    if moment is None or moment >= _LAST_TIMESTAMP_ID:
        return None
    return moment if f"{moment.minute:02d}" in _shown_minutes(parts) else None


def published(identifier: str | None, parts: Sequence[HtmlElement]) -> datetime | None:
    """Return when the comment was written, in UTC (see the module docstring)."""
    for part in parts:
        for link in _LINKS(part):
            match = _SHOW_COMMENT.search(link.get("href") or "")
            if match:
                moment = _from_epoch_ms(match.group(1))
                if moment is not None:
                    return moment
    for part in parts:
        for element in _TIME_ATTRIBUTES(part):
            for name in ("datetime", "title", "data-timestamp", "data-datetime", "data-published"):
                value = (element.get(name) or "").strip()
                if value.isdigit() and len(value) >= 12:
                    found = _from_epoch_ms(value)
                else:
                    parsed = parse_timestamp(value)
                    found = _plausible(parsed) if parsed is not None else None
                if found is not None:
                    return found
    return _from_legacy_id(identifier, parts)


def content_element(parts: Sequence[HtmlElement]) -> HtmlElement | None:
    """Return the element holding the comment's text, if a part is marked as such."""
    for part in parts:
        found = _CONTENT(part)
        if found:
            return found[0]
    return None


def is_removal_notice(paragraphs: Sequence[str]) -> bool:
    """Whether the text is only Blogger's "This comment has been removed by ..." notice."""
    return len(paragraphs) == 1 and _REMOVED_NOTICE.match(_squash(paragraphs[0])) is not None


def text(parts: Sequence[HtmlElement]) -> tuple[list[str], bool]:
    """Return ``(paragraphs, deleted)``; a deleted comment has no paragraphs.

    Without a marked text element (pre-2006 templates) the parts' own text is taken, less
    the byline paragraphs (author, time, permalink).
    """
    content = content_element(parts)
    if content is not None:
        if _DELETED_MARKS(content):
            return [], True
        paragraphs = body_paragraphs(content)
    else:
        bylines = {_squash(byline.text_content()) for part in parts for byline in _BYLINES(part)}
        paragraphs = [
            paragraph
            for part in parts
            if not _DELETED_MARKS(part)
            for paragraph in body_paragraphs(part)
            if _squash(paragraph) not in bylines
        ]
        if not paragraphs and any(_DELETED_MARKS(part) for part in parts):
            return [], True
    if is_removal_notice(paragraphs):
        return [], True
    return paragraphs, False
