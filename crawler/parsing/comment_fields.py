"""The fields of one comment, read from the elements that make it up.

Every theme family (see :mod:`crawler.parsing.comment_markup`) hands over the same thing: the
element holding the comment (``li.comment``, ``dt``, ``div.comment``, ``li#c123`` ...) and its
*parts*, the elements of that comment alone (never its replies). The readers here search
those parts only, so a thread of n comments costs O(n) however deep it nests.

Evidence, in order:

* id: ``id="c123"`` / ``<a name="c123">`` on the item or its parts, the ``data-comment-id``
  of its reply link, the ``#c123`` of its permalink;
* author: the link in ``cite.user`` / ``.comment-author`` / ``.comment-poster`` / Plus UI's
  ``.cNm`` (its text and http(s) ``href``), else their text, else a byline ``By NAME, at ...``
  / ``posted by NAME``, with a localized ``said...`` cut off. E-mail addresses are dropped
  wherever they appear;
* published: the permalink's ``showComment=`` epoch milliseconds (UTC by definition), then a
  ``time[datetime]`` / ``abbr[title]`` / ``data-timestamp`` with an offset, then the creation
  time that pre-2007 comment ids carry in their first 13 digits, accepted only when the
  minutes agree with the time the page shows, then a byline whose whole text is an ISO 8601
  time with an offset (``span.datetime``, Plus UI's ``.cTm``);
* deleted: ``.deleted-comment`` in the text, or the text is Blogger's removal notice;
* text: the ``.comment-content`` / ``.comment-body`` / ``.cCn`` part, split like a post body;
  without one, the parts less the author's box, the bylines and the time elements, cut out
  whole: a comment's name and time never become its text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from copy import deepcopy
from datetime import UTC, datetime, timedelta
from itertools import islice

from lxml import etree
from lxml.html import HtmlElement

from crawler.items import BlogComment
from crawler.parsing.body import (
    LEAF_BLOCK_TAGS,
    body_paragraphs,
    collapse_whitespace,
    paragraphs_before,
)
from crawler.parsing.dates import parse_timestamp
from crawler.parsing.xpath import Elements

COMMENT_ID = re.compile(r"^c(\d{1,20})$")
PERMALINK_ID = re.compile(r"#c(\d{1,20})$")
# The first templates (comment_early) named a comment's anchor by its bare id; ten digits at
# least, as every Blogger id has, so that no other number passes.
EARLY_ID = re.compile(r"^(\d{10,20})$")
SHOW_COMMENT = re.compile(r"[?&]showComment=(\d{10,16})\b")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_BRACKETED_EMAIL = re.compile(r"[<(\[]?\s*" + _EMAIL.pattern + r"\s*[>)\]]?")

_AUTHOR_CLASSES = ("comment-author", "comment-poster", "comment-name")
_CONTENT_CLASSES = ("comment-content", "comment-body", "comment-text")
_BYLINE_CLASSES = (
    "comment-data",
    "comment-footer",
    "comment-timestamp",
    "byline",
    "comment-header",
    "comment-meta",
    "datetime",
)
_SKIPPED_CLASSES = ("avatar-image-container", "item-control", "comment-replybox")
# Plus UI's compact comment markup (``li.c > .cAv + .cIn > .cNm, .cCn, .cTm``): whole class
# tokens, since such short names are substrings of unrelated classes.
_COMPACT_AVATAR = "cAv"
_COMPACT_AUTHOR = "cNm"
_COMPACT_TEXT = "cCn"
_COMPACT_TIME = "cTm"
_COMPACT_CLASSES = frozenset({_COMPACT_AVATAR, _COMPACT_AUTHOR, _COMPACT_TEXT, _COMPACT_TIME})
_TIME_ATTRIBUTES = ("data-timestamp", "data-datetime", "data-published")
_TIME_KEYS = frozenset(_TIME_ATTRIBUTES)
_ID_KEYS = frozenset({"id", "name", "data-comment-id"})
DELETED_MARKS = Elements(".//*[contains(@class, 'deleted-comment')]")
HEADER_INSIDE = Elements(
    "(.//cite | .//*[contains(@class, 'comment-author') or contains(@class, 'comment-meta')"
    " or contains(@class, 'comment-header') or contains(@class, 'comment-footer')"
    " or contains(@class, 'comment-timestamp') or contains(@class, 'comment-data')])[1]"
)

# "NAME said..." as Blogger's templates print it (always with its ellipsis or colon, so that
# a name ending in a short word such as "Sa" stays whole), in the languages we have seen.
_SAID = re.compile(
    r"(?:^|\s+)(?:said|says|wrote|dijo|disse|a dit|hat gesagt|ha detto|zei|sa|sagde|skrev|sanoi"
    r"|napisał\(a\)|написал\(а\)|berkata|mondta|dedi|說|说|のコメント)\s*(?:\.\.\.|…|:)\s*$",
    re.IGNORECASE,
)
# Every "said..." ends so; a name that does not is spared the regex's scan.
_SAID_ENDINGS = ("...", "…", ":")
# Blogger's English form, almost every classic comment's name ("Ann said...").
_ENGLISH_SAID = " said..."
# "By NAME, at 1:53 PM", "posted by NAME : 10:42 PM", "posted by NAME: 5:37 PM" (an owner's
# copy of the first templates' byline), "Posted by NAME at 3:10 AM".
_BYLINE_AUTHOR = re.compile(
    r"^\s*(?:#\s*)?(?:posted by|by|von|par|por|di|door)\s+(?P<name>.+?)"
    r"\s*(?:,\s|\s?:\s|\s@\s|\s(?:at|um|à|a las|às|alle|om)\s|$)",
    re.IGNORECASE,
)
# The characters a squashed text that _BYLINE_AUTHOR matches can begin with: "#" and those
# its case-insensitive first letters match (pinned by test_parsing_comment_fast_paths).
_BYLINE_INITIALS = frozenset("#pPbBvVdD")
# "2019-07-26T07:47+00:00" up to "2019-07-26T07:47:58.123456+05:30": longer text is no bare time.
_MIN_SHOWN_TIMESTAMP = 20
_MAX_SHOWN_TIMESTAMP = 40
_CLOCK = re.compile(r"\b(\d{1,2})[:.h](\d{2})\b")

# Blogger's notices for a removed comment where seen without their ``.deleted-comment`` mark:
# English (the "post" forms are the pre-2007 wording) and Brazilian Portuguese (as the
# Blogger API returns it). The mark itself is language-independent and checked first.
_REMOVED_NOTICE = re.compile(
    r"^(?:this (?:comment|post) has been removed by (?:the author|a blog administrator"
    r"|an administrator|the blog administrator)|este comentário foi removido pelo autor)\.?$",
    re.IGNORECASE,
)
# Blogger's epoch of comments, and the first year its comment ids stopped being timestamps.
_FIRST_COMMENT = datetime(1999, 8, 1, tzinfo=UTC)
_LAST_TIMESTAMP_ID = datetime(2007, 1, 1, tzinfo=UTC)
_LATEST_PLAUSIBLE = datetime(2100, 1, 1, tzinfo=UTC)


def shown_text_of(element: HtmlElement) -> str:
    """Return ``element.text_content()``: XPath's ``string()`` of it.

    An element without children (no element, comment or processing instruction: only text)
    is its ``text``, read directly at a tenth of the cost of an XPath evaluation; most
    comment names and links are such. Others are serialized as text (the same string: every
    text node of the subtree, in order), at under half the cost of the XPath evaluation.
    """
    if len(element):
        return etree.tostring(element, method="text", encoding=str, with_tail=False)
    return element.text or ""


def without_email(text: str | None) -> str | None:
    """Return ``text`` with e-mail addresses (and the brackets around them) cut out, or None."""
    if not text:
        return None
    if "@" in text:  # every address has one; text without it is spared the regex's scan
        text = _BRACKETED_EMAIL.sub(" ", text)
    cleaned = collapse_whitespace(text)
    return cleaned or None


def _any_of(names: tuple[str, ...]) -> Callable[[str], object]:
    """Return a test of whether a class attribute holds any of ``names`` as a substring.

    One compiled alternation is a single C-level scan, where ``any(name in ...)`` is a
    Python loop; the test runs on every classed element of every comment.
    """
    return re.compile("|".join(map(re.escape, names))).search


_SKIPPED = _any_of(_SKIPPED_CLASSES)
_AUTHOR = _any_of(_AUTHOR_CLASSES)
_BYLINE = _any_of(_BYLINE_CLASSES)
_CONTENT = _any_of(_CONTENT_CLASSES)


# A class attribute's roles, as bits (0: none, the commonest by far). A "more" class is a
# thread's "Load more" or comment-page control, filed for comment_thread's partial test.
SKIPPED_ROLE, AUTHOR_ROLE, _DELETED_ROLE, _BYLINE_ROLE, TEXT_ROLE = 1, 2, 4, 8, 16
MORE_ROLE = 32
MORE_CLASSES = ("loadmore", "paging-control-container")
"""Substrings of the ``class`` of a thread's "Load more" and comment-page controls."""

LOAD_MORE_HIDERS = frozenset({"hidden", "loaded"})
"""Class tokens that hide Blogger's "Load more": ``hidden`` when the page was served with the
whole thread, ``loaded`` once its script has loaded the rest (a page saved from a browser;
Blogger's own style collapses ``.loadmore.loaded``)."""


def is_more_class(classes: str) -> bool:
    """Whether a ``class`` value holds a :data:`MORE_CLASSES` substring."""
    return MORE_CLASSES[0] in classes or MORE_CLASSES[1] in classes


CLASS_ROLES: dict[str, int] = {}
_MAX_CLASS_ROLES = 4_096
"""Class attributes remembered at most (a template repeats a few dozen; pages are untrusted)."""


def class_roles(classes: str) -> int:
    """Return and remember a ``class``'s roles: skipped, author, deleted, byline, text (bits).

    A thread repeats the same few class attributes on every comment, so each is tested once
    per process rather than by five substring scans per element. Only a class holding
    ``comment``, ``byline``, ``datetime`` or one of Plus UI's compact tokens can be anything
    but skipped.
    """
    compact = _COMPACT_CLASSES.intersection(classes.split())
    roles = 0
    if _SKIPPED(classes) or _COMPACT_AVATAR in compact:
        roles = SKIPPED_ROLE
    elif compact or "comment" in classes or "byline" in classes or "datetime" in classes:
        if _AUTHOR(classes) or _COMPACT_AUTHOR in compact:
            roles |= AUTHOR_ROLE
        if "deleted-comment" in classes:
            roles |= _DELETED_ROLE
        if _BYLINE(classes) or _COMPACT_TIME in compact:
            roles |= _BYLINE_ROLE
        if _CONTENT(classes) or _COMPACT_TEXT in compact:
            roles |= TEXT_ROLE
    if is_more_class(classes):
        roles |= MORE_ROLE
    if len(CLASS_ROLES) >= _MAX_CLASS_ROLES:
        CLASS_ROLES.clear()
    CLASS_ROLES[classes] = roles
    return roles


def _is_plain_text(element: HtmlElement) -> bool:
    """Whether ``element`` holds only text and bare ``<br>`` (most comments' text element).

    Such an element has no descendant with a class or a tag that a header or a deletion
    mark would need, so the searches for those can be skipped.
    """
    return all(child.tag == "br" and not len(child.attrib) and not len(child) for child in element)


# What an attribute other than ``class`` and ``href`` files its element as.
_ID_ATTRIBUTE, _TIME_ATTRIBUTE, _DATETIME_ATTRIBUTE, _TITLE_ATTRIBUTE = 1, 2, 3, 4
_FILED_ATTRIBUTES = {
    **dict.fromkeys(_ID_KEYS, _ID_ATTRIBUTE),
    **dict.fromkeys(_TIME_KEYS, _TIME_ATTRIBUTE),
    "datetime": _DATETIME_ATTRIBUTE,
    "title": _TITLE_ATTRIBUTE,
}


class CommentParts:
    """The elements of one comment's parts that the readers need, found in one walk.

    One ``iter()`` over the parts (a few dozen elements) costs less than the dozen XPath
    queries it replaces; class tests are substring tests, as ``contains(@class, ...)``.
    """

    def __init__(self, parts: Sequence[HtmlElement]) -> None:
        """Walk ``parts`` once, in document order, without entering the text element.

        The text is the reader's: a link or a ``<cite>`` in it is no author, permalink or
        id. Only a ``.deleted-comment`` mark is looked for inside it. Avatars, admin
        controls and reply boxes (skipped classes) are not entered either: nothing a comment
        field needs is there. Every element of the parts' subtrees, entered or not, whose
        class is a "more" class (:func:`is_more_class`) is filed in ``more_controls``.
        """
        self.parts = parts
        self.id_carriers: list[HtmlElement] = []
        self.author_boxes: list[HtmlElement] = []
        self.links: list[HtmlElement] = []
        self.timed: list[HtmlElement] = []
        self.contents: list[HtmlElement] = []
        self.bylines: list[HtmlElement] = []
        self.more_controls: list[HtmlElement] = []
        self.deleted = False
        for part in parts:
            if isinstance(part.tag, str):
                self._walk(part)

    def _walk(self, part: HtmlElement) -> None:  # noqa: C901, PLR0912 - one loop, see below
        # Written as one loop without calls, since its body runs for every element of every
        # comment (a call per element cost as much as the rest): an element's attributes are
        # read once (most have a class and nothing else), and a class's roles are remembered
        # per value (most have none).
        roles_of = CLASS_ROLES.get
        filed_as = _FILED_ATTRIBUTES.get
        id_carriers, author_boxes, links = self.id_carriers, self.author_boxes, self.links
        # lxml's C iterator (elements only, document order) costs a fraction of a Python
        # stack walk; a subtree not to be entered is passed over instead.
        elements = part.iter(etree.Element)
        for element in elements:
            attributes = element.items()
            tag = element.tag
            if tag == "cite":
                author_boxes.append(element)
            if not attributes:
                continue
            classes = None
            identified = timed = False
            for name, value in attributes:
                if name == "class":
                    classes = value
                elif name == "href":
                    if tag == "a":
                        links.append(element)
                    if "#c" in value:
                        id_carriers.append(element)
                else:
                    kind = filed_as(name)
                    if kind == _ID_ATTRIBUTE:
                        identified = True
                    elif kind is not None:
                        timed = timed or (
                            kind == _TIME_ATTRIBUTE
                            or (kind == _DATETIME_ATTRIBUTE and tag == "time")
                            or (kind == _TITLE_ATTRIBUTE and tag == "abbr")
                        )
            if identified:
                id_carriers.append(element)
            if timed:
                self.timed.append(element)
            if not classes:
                continue
            roles = roles_of(classes)
            if roles is None:
                roles = class_roles(classes)
            if not roles:
                continue
            if roles & MORE_ROLE:
                self.more_controls.append(element)
            if roles & SKIPPED_ROLE:
                # Avatars, admin controls, reply boxes: nothing a comment field needs.
                below = self._pass_over(element)
            else:
                if roles & AUTHOR_ROLE and tag != "cite":
                    author_boxes.append(element)
                if roles & _DELETED_ROLE:
                    self.deleted = True
                if roles & _BYLINE_ROLE:
                    self.bylines.append(element)
                if not roles & TEXT_ROLE or self.contents:
                    continue
                below = self._text_element(element)
            if below:
                next(islice(elements, below, below), None)

    def _text_element(self, element: HtmlElement) -> int:
        """File the first text element; return how many elements below it to pass over."""
        if _is_plain_text(element):
            self.contents.append(element)
            return len(element)  # childless <br> elements only
        if HEADER_INSIDE(element):
            return 0  # a wrapper of the whole comment (WordPress-style .comment-body): entered
        self.contents.append(element)
        self.deleted = self.deleted or bool(DELETED_MARKS(element))
        return self._pass_over(element)

    def _pass_over(self, element: HtmlElement) -> int:
        """Return the number of elements below ``element``, filing its "more" controls."""
        if not len(element):
            return 0  # most text elements: nothing below
        below = list(element.iterdescendants(etree.Element))
        for descendant in below:
            classes = descendant.get("class")
            if classes and is_more_class(classes):
                self.more_controls.append(descendant)
        return len(below)


def comment_id(item: HtmlElement, scan: CommentParts) -> str | None:
    """Return the comment's Blogger id, from its own element first, then from its parts."""
    match = COMMENT_ID.match(item.get("id") or "")
    if match:
        return match.group(1)
    for carrier in scan.id_carriers:
        for name in ("id", "name"):
            match = COMMENT_ID.match(carrier.get(name) or "")
            if match:
                return match.group(1)
        reply_to = carrier.get("data-comment-id") or ""
        if reply_to.isdigit():
            return reply_to
        match = PERMALINK_ID.search(carrier.get("href") or "")
        if match:
            return match.group(1)
    for carrier in scan.id_carriers:
        match = EARLY_ID.match(carrier.get("name") or "")
        if match:
            return match.group(1)
    return None


def profile_url(link: HtmlElement) -> str | None:
    return profile_href(link.get("href") or "")


def profile_href(href: str) -> str | None:
    """Return a link's address as the commenter's profile URL: http(s), no e-mail address."""
    href = href.strip()
    if not href.lower().startswith(("http://", "https://")):
        return None
    # Every address holds an "@": a link without one (a profile link: nearly every comment)
    # is spared the regex, whose scan of a long URL's word runs costs several microseconds.
    if "@" in href and _EMAIL.search(href):
        return None
    return href


def linked_author(href: str | None, shown: str | None) -> tuple[str | None, str | None] | None:
    """Return ``(name, profile URL)`` of a term's author link, or None when it names no author.

    ``href`` and ``shown`` are the link's address and text, entities decoded (None: no link).
    A link to a place on the page (``#...``) or with no text is not the author's: the
    serialized readers then take the name from the term's whole text.
    """
    if href is None or shown is None or href[:1] == "#":
        return None
    shown = collapse_whitespace(shown)
    if not shown:
        return None
    return name_from_text(shown), profile_href(href)


def name_from_text(text: str) -> str | None:
    text = collapse_whitespace(text)
    # A name that cannot begin a byline ("By NAME, at ...") is spared the expression.
    byline = _BYLINE_AUTHOR.match(text) if text[:1] in _BYLINE_INITIALS else None
    if byline:
        text = byline.group("name")
    if text.endswith(_ENGLISH_SAID) and not text[-9:-8].isspace():
        # What _SAID.sub removes from such a text (no other word of it ends in "said" after a
        # space, so no match starts further left), without its attempt at every position.
        text = text[: -len(_ENGLISH_SAID)]
    elif text.rstrip().endswith(_SAID_ENDINGS):
        text = _SAID.sub("", text)
    if "@" in text:
        return without_email(text)
    return text or None  # squashed on every path: without_email would only squash it again


def _links(element: HtmlElement) -> list[HtmlElement]:
    """Return the ``<a href>`` elements of ``element``'s subtree (itself included)."""
    if not len(element):
        # No descendants at all (most name boxes of classic templates): only itself can be
        # one, and lxml's tag iterator, which costs more than the test, is not built.
        return [element] if element.tag == "a" and element.get("href") is not None else []
    return [link for link in element.iter("a") if link.get("href") is not None]


def author(scan: CommentParts) -> tuple[str | None, str | None]:
    """Return ``(display name, profile URL)`` as the comment shows them (see module docs)."""
    for box in scan.author_boxes:
        for link in _links(box):
            shown = collapse_whitespace(shown_text_of(link))
            if shown and not (link.get("href") or "").startswith("#"):
                # A name that is an e-mail address is dropped; the profile link stays.
                return name_from_text(shown), profile_url(link)
        name = name_from_text(shown_text_of(box))
        if name:
            return name, None
    for byline in scan.bylines:
        name = byline_name(shown_text_of(byline))
        if name is not None:
            links = ((link.get("href") or "", shown_text_of(link)) for link in _links(byline))
            return named_author(name, links)
    return None, None


def byline_name(shown: str) -> str | None:
    """Return the name a byline showing ``shown`` gives (``posted by NAME: TIME``), or None."""
    match = _BYLINE_AUTHOR.match(collapse_whitespace(shown))
    return match.group("name") if match else None


def named_author(name: str, links: Iterable[tuple[str, str]]) -> tuple[str | None, str | None]:
    """Return ``(name, profile URL)`` for a byline's ``name`` (:func:`byline_name`).

    ``links`` are the byline's links, ``(address, shown text)`` in order; the first showing
    the name is the profile.
    """
    for href, text in links:
        if collapse_whitespace(text) == collapse_whitespace(name):
            return without_email(name), profile_href(href)
    return without_email(name), None


def _plausible(moment: datetime) -> datetime | None:
    moment = moment.astimezone(UTC)
    return moment if _FIRST_COMMENT <= moment < _LATEST_PLAUSIBLE else None


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_FIRST_COMMENT_MS = (_FIRST_COMMENT - _EPOCH) // timedelta(milliseconds=1)
_LATEST_PLAUSIBLE_MS = (_LATEST_PLAUSIBLE - _EPOCH) // timedelta(milliseconds=1)
_LAST_TIMESTAMP_MS = (_LAST_TIMESTAMP_ID - _EPOCH) // timedelta(milliseconds=1)


def from_epoch_ms(digits: str) -> datetime | None:
    """Return the plausible UTC time of the first 13 of ``digits``, epoch milliseconds."""
    try:
        return epoch_ms_time(int(digits[:13]))
    except ValueError:  # str.isdigit() digits int() does not read (superscripts)
        return None


def epoch_ms_time(milliseconds: int) -> datetime | None:
    """Return the UTC time ``milliseconds`` after the epoch; None when no comment was written then.

    Exact (a ``timedelta`` sum): the same instant as ``datetime.fromtimestamp(ms / 1000)``
    gives between Blogger's first comment and 2100, where a double holds every millisecond
    to a tenth of a microsecond, without the float and time zone conversions.
    """
    if _FIRST_COMMENT_MS <= milliseconds < _LATEST_PLAUSIBLE_MS:
        return _EPOCH + timedelta(0, 0, 0, milliseconds)
    return None


def legacy_id_time(identifier: str | None, bylines: Iterable[str]) -> datetime | None:
    """Pre-2007 Blogger ids begin with the creation time in epoch ms (``1099342393048``...).

    Later ids are random, so the decoded time is taken only before 2007 and only when one
    of the comment's ``bylines`` (their shown texts, read lazily) shows a clock time with the
    same minutes.
    """
    if identifier is None or len(identifier) != 18:  # noqa: PLR2004 - 13 + 5 digits
        return None
    try:
        milliseconds = int(identifier[:13])
    except ValueError:  # str.isdigit() digits int() does not read (superscripts)
        return None
    if not _FIRST_COMMENT_MS <= milliseconds < _LAST_TIMESTAMP_MS:
        return None
    # The minute of the UTC time, read before the time is built (most ids fail the check).
    minute = f"{milliseconds // 60_000 % 60:02d}"
    for text in bylines:
        if any(match.group(2) == minute for match in _CLOCK.finditer(text)):
            return epoch_ms_time(milliseconds)
    return None


def published(identifier: str | None, scan: CommentParts) -> datetime | None:
    """Return when the comment was written, in UTC (see the module docstring)."""
    for link in scan.links:
        href = link.get("href") or ""
        # Every permalink holds the literal; a profile link is spared the expression's scan.
        match = SHOW_COMMENT.search(href) if "showComment=" in href else None
        if match:
            moment = from_epoch_ms(match.group(1))
            if moment is not None:
                return moment
    for element in scan.timed:
        for name in ("datetime", "title", *_TIME_ATTRIBUTES):
            value = (element.get(name) or "").strip()
            if value.isdigit() and len(value) >= 12:
                found = from_epoch_ms(value)
            else:
                parsed = parse_timestamp(value)
                found = _plausible(parsed) if parsed is not None else None
            if found is not None:
                return found
    return legacy_id_time(identifier, map(shown_text_of, scan.bylines)) or shown_timestamp(scan)


def shown_timestamp(scan: CommentParts) -> datetime | None:
    """Return the time a byline shows as its whole text in ISO 8601 with an offset.

    Some templates print the comment's time only as text (``<div class='cTm'>2024-05-01T
    09:30:00+05:30</div>``); a date without an offset or in words is no instant, so it is
    not taken.
    """
    return shown_timestamp_of(map(shown_text_of, scan.bylines))


def shown_timestamp_of(texts: Iterable[str]) -> datetime | None:
    """Return :func:`shown_timestamp` of bylines showing ``texts``, in order."""
    for text in texts:
        # The leading digits are tested before the whitespace is collapsed: the first four
        # characters after leading whitespace are the squashed text's first four whenever
        # they are digits (most bylines are words, and are spared the squash).
        if not text.lstrip()[:4].isdigit():
            continue
        shown = collapse_whitespace(text)
        if _MIN_SHOWN_TIMESTAMP <= len(shown) <= _MAX_SHOWN_TIMESTAMP:
            moment = parse_timestamp(shown)
            if moment is not None:
                return _plausible(moment)
    return None


# The first letters the notices can start with: the only characters that _REMOVED_NOTICE's
# case-insensitive first letters (``t``, ``e``) match (pinned by test_parsing_comment_fast_paths).
_NOTICE_INITIALS = frozenset("tTeE")


def is_removal_notice(paragraphs: Sequence[str]) -> bool:
    """Whether the text is only Blogger's "This comment has been removed by ..." notice.

    A text whose first visible character cannot begin a notice (nearly every comment) is
    spared the squash and the expression: the squashed text begins with that character.
    """
    if len(paragraphs) != 1:
        return False
    text = paragraphs[0]
    # lstrip strips what split() splits at, and returns the text itself when nothing leads.
    if text.lstrip()[:1] not in _NOTICE_INITIALS:
        return False
    return _REMOVED_NOTICE.match(collapse_whitespace(text)) is not None


def comment_of_text(
    paragraphs: list[str],
    *,
    id: str | None,  # noqa: A002 (BlogComment's own field name)
    parent: str | None = None,
    author: str | None = None,
    author_url: str | None = None,
    published: datetime | None = None,
    updated: datetime | None = None,
    deleted: bool = False,
) -> BlogComment:
    """Return the comment whose text is ``paragraphs``.

    It is deleted, without text, when the markup says so (``deleted``) or the text is only
    Blogger's removal notice (:func:`is_removal_notice`): the one place every reader (the
    page's, the comments feed's) turns a comment's text into its record.
    """
    deleted = deleted or is_removal_notice(paragraphs)
    return BlogComment(
        id=id,
        parent=parent,
        author=author,
        author_url=author_url,
        published=published,
        updated=updated,
        paragraphs=[] if deleted else paragraphs,
        deleted=deleted,
    )


def content_paragraphs(content: HtmlElement) -> list[str]:
    """Return ``body_paragraphs(content)``; the commonest shapes of comment text directly.

    Without children there is no block, ``<br>`` or boilerplate to split at: the one
    paragraph is the text with its whitespace runs collapsed, as the body splitter does.
    An element that holds only classless leaf blocks (``<dd><p>text</p></dd>``: classic
    templates), with blank text between them, is one paragraph per block, as the body
    writer makes of it.
    """
    if not len(content):
        # The body writer's collapse: most text is collapsed already, found without a split.
        paragraph = collapse_whitespace(content.text or "")
        return [paragraph] if paragraph else []
    lead = content.text
    if lead and not lead.isspace():
        return body_paragraphs(content)
    paragraphs = []
    for child in content:
        tail = child.tail
        if (
            child.tag not in LEAF_BLOCK_TAGS
            or len(child)
            or child.get("class") is not None
            or (tail and not tail.isspace())
        ):
            return body_paragraphs(content)
        if paragraph := collapse_whitespace(child.text or ""):
            paragraphs.append(paragraph)
    return paragraphs


def _without(part: HtmlElement, dropped: set[HtmlElement]) -> HtmlElement:
    """Return ``part``, or a copy of it without the ``dropped`` elements inside it (tails kept)."""
    inside = [element for element in part.iterdescendants() if element in dropped]
    if not inside:
        return part
    position = {element: index for index, element in enumerate(part.iter())}
    copied = list(deepcopy(part).iter())
    for element in inside:
        copied[position[element]].drop_tree()
    return copied[0]


def _written_without(part: HtmlElement, dropped: set[HtmlElement]) -> list[str]:
    """Return ``body_paragraphs(_without(part, dropped))``, without the copy where it can.

    Most comments end with what is dropped (a byline, a time) and what writes no text (an
    admin control): where every dropped element inside ``part`` is in that trailing run, the
    text is what comes before the run (:func:`paragraphs_before`). A trailing node writes no
    text when it is dropped, not an element, or an element of blank text, and its tail is
    blank: its place in the writer's state then changes no paragraph.
    """
    node = part[-1] if len(part) else None
    run: set[HtmlElement] = set()
    end = None
    while node is not None and not (node.tail and not node.tail.isspace()):
        if not (node in dropped or not isinstance(node.tag, str) or _writes_no_text(node)):
            break
        run.add(node)
        end = node
        node = node.getprevious()
    if end is None or not all(_inside_run(element, part, run) for element in dropped):
        return body_paragraphs(_without(part, dropped))
    return paragraphs_before(part, end)


def _writes_no_text(element: HtmlElement) -> bool:
    """Whether ``element``'s text (all of it, skipped tags' included) is blank."""
    text = element.text_content()
    return not text or text.isspace()


def _inside_run(element: HtmlElement, part: HtmlElement, run: set[HtmlElement]) -> bool:
    """Whether ``element`` is outside ``part``, or in it at or below an element of ``run``."""
    node: HtmlElement | None = element
    while node is not None and node is not part:
        if node in run:
            return True
        node = node.getparent()
    return node is None


def _holders(parts: Sequence[HtmlElement], dropped: set[HtmlElement]) -> set[HtmlElement]:
    """Return the parts that hold one of ``dropped`` inside them (not as themselves).

    Each dropped element was found inside a part, so the walk up from it ends at that part:
    a few steps, where testing a part's every descendant costs its whole subtree (most
    dropped elements are parts of their own: a classic template's ``dt`` author box).
    """
    own = set(parts)
    holding: set[HtmlElement] = set()
    for element in dropped:
        if element in own:
            continue
        node = element.getparent()
        while node is not None and node not in own:
            node = node.getparent()
        if node is not None:
            holding.add(node)
    return holding


def _paragraphs_less_bylines(scan: CommentParts) -> list[str]:
    """Return the parts' paragraphs without the author's box, the bylines and the times.

    Those elements are cut whole, so that a name or a time printed on the same line as the
    text never ends up in it. A template whose marked box holds the whole comment (nothing
    would be left) has only the paragraphs that are exactly a byline or a name dropped.
    """
    dropped = {*scan.author_boxes, *scan.bylines, *scan.timed}
    holding = _holders(scan.parts, dropped)
    paragraphs = [
        paragraph
        for part in scan.parts
        if part not in dropped
        for paragraph in (
            _written_without(part, dropped) if part in holding else content_paragraphs(part)
        )
    ]
    if paragraphs or not dropped:
        return paragraphs
    bylines = {
        collapse_whitespace(shown_text_of(box)) for box in (*scan.bylines, *scan.author_boxes)
    }
    return [
        paragraph
        for part in scan.parts
        for paragraph in body_paragraphs(part)
        if collapse_whitespace(paragraph) not in bylines
    ]


def text(scan: CommentParts) -> tuple[list[str], bool]:
    """Return ``(paragraphs, deleted)``; a deleted comment has no paragraphs.

    Without a marked text element (pre-2006 templates, WordPress-style wrappers) the parts'
    own text is taken, less the paragraphs that are a byline or the author's box.
    """
    if scan.deleted:
        return [], True
    if scan.contents:
        paragraphs = content_paragraphs(scan.contents[0])
    else:
        paragraphs = _paragraphs_less_bylines(scan)
    if is_removal_notice(paragraphs):
        return [], True
    return paragraphs, False
