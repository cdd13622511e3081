"""Post metadata around the body: title, author, labels, language, blog name.

Each field is read from Blogger's own markup first, then schema.org microdata, then JSON-LD,
then OpenGraph. Among several matches (sidebars repeat titles, bylines and label lists) the
one nearest to the chosen body wins (:mod:`crawler.parsing.proximity`). Every function
returns None (or ``[]``) when the page does not show the field.
"""

from __future__ import annotations

import re
import unicodedata

from lxml.html import HtmlElement

from crawler.parsing.around import (
    Candidate,
    RingElement,
    answer_in_first_ring,
    candidate_of,
    remembered_class_test,
    search_candidates,
)
from crawler.parsing.head import HeadFacts
from crawler.parsing.jsonld import JsonLdPost
from crawler.parsing.proximity import POST_LEVELS, BodyNeighbourhood
from crawler.parsing.xpath import Elements, Strings, class_token, class_tokens


def has_class(name: str) -> str:
    """Return an XPath predicate true when ``@class`` holds the token ``name``.

    Distinctive hyphenated names (``post-title``) are matched as substrings, which costs a
    fraction of the exact token test and cannot be confused in practice; short generic
    names (``fn``, ``title``) get the exact test.
    """
    if "-" in name or len(name) > 6:
        return f"contains(@class, '{name}')"
    return class_token(name)


def squash(text: str | None) -> str | None:
    """Collapse whitespace runs in ``text`` to single spaces; None for None or blank."""
    if text is None:
        return None
    text = " ".join(text.split())
    return text or None


_TITLE_HEADINGS = Elements(
    "(.//h1|.//h2|.//h3|.//h4)["
    + " or ".join(
        [has_class(n) for n in ("post-title", "entry-title", "pTtl")]
        + ["@itemprop='name'", "@itemprop='headline'"]
    )
    + "]"
)
_TITLE_TAGS = frozenset({"h1", "h2", "h3", "h4"})


def _is_title_heading(element: RingElement) -> bool:
    """Whether an element is what :data:`_TITLE_HEADINGS` selects (the first-ring walk's test)."""
    if element.tag not in _TITLE_TAGS:
        return False
    if element.itemprop in ("name", "headline"):
        return True
    classes = element.classes
    return classes is not None and (
        "post-title" in classes or "entry-title" in classes or "pTtl" in class_tokens(classes)
    )


answer_in_first_ring(_TITLE_HEADINGS, _is_title_heading)

# Weaker title evidence: a heading classed just "title", or a plain <h1>. It counts only this
# close to the body (same article box); further out it is the blog's name or a widget title.
_NEAR_HEADINGS = Elements(".//h1 | (.//h2|.//h3)[" + has_class("title") + "]")
_NEAR_HEADING_REACH = 4
_BLOG_NAME_CLASSES = ("blog-title", "sidebar-title", "widget-title", "header-title")
_HEADER_NAME = Elements("id('header')//h1 | id('Header1')//h1")


def _is_blog_name(element: HtmlElement) -> bool:
    classes = f" {element.get('class') or ''} "
    return any(f" {name} " in classes for name in _BLOG_NAME_CLASSES)


def post_title(near: BodyNeighbourhood, ld: JsonLdPost | None, head: HeadFacts) -> str | None:
    """Return the post's own heading (the nearest title heading before the body).

    Falls back to a plain ``<h1>`` near the body, then JSON-LD ``headline``, then
    ``og:title``. Never the ``<title>`` element, which carries the blog name as well.
    """
    # The weak headings (near the body only) are searched only when no strong one will do:
    # their rings run through what follows the body, a whole comment thread on a busy post.
    for query, reach in ((_TITLE_HEADINGS, None), (_NEAR_HEADINGS, _NEAR_HEADING_REACH)):
        found = near.search(query, whole_page=reach is None)
        headings = [h for h in found if not _is_blog_name(h) and squash(h.text_content())]
        heading = near.nearest(headings, prefer_before=True)
        if heading is not None and (reach is None or near.distance(heading) <= reach):
            return squash(heading.text_content())
    if ld is not None and ld.headline:
        return ld.headline
    return squash(head.og_title)


def blog_title(root: HtmlElement, head: HeadFacts) -> str | None:
    """Return the blog's name: ``og:site_name``, the posts feed link's title, the header's ``<h1>``.

    The first two are written by Blogger from the blog's settings; the header widget's
    heading is the template's (it may be an image's caption, or missing).
    """
    if name := squash(head.og_site_name) or squash(head.feed_blog_name):
        return name
    for element in _HEADER_NAME(root):
        if name := squash(element.text_content()):
            return name
    return None


# Author evidence: _author_rank orders it: Blogger's author markup, microdata, name-only
# classes; JSON-LD comes next, then rel=author links and "by NAME" bylines.
def is_author_evidence(element: HtmlElement) -> bool:
    """Whether ``element`` is author evidence (among :mod:`crawler.parsing.around`'s candidates).

    What ``descendant-or-self::*`` with this predicate selects (pinned by
    test_parsing_xpath_forms.py): a class holding ``post-author``, ``entry-author-link``,
    ``by-author``, the token ``fn``, ``post-footer``, ``publish-info``, ``byline`` or ``pNm``;
    an ``itemprop=name`` inside an ``itemprop=author``; an ``a[rel=author]`` whose class does
    not hold ``profile``.
    """
    return is_author_candidate(candidate_of(element))


def is_author_candidate(candidate: Candidate) -> bool:
    """:func:`is_author_evidence` of a candidate, from the attributes the walk read."""
    classes = candidate.classes
    if classes is not None and _is_author_class(classes):
        return True
    if candidate.tag == "a" and candidate.rel == "author" and "profile" not in (classes or ""):
        return True
    return candidate.itemprop == "name" and any(
        box.get("itemprop") == "author" for box in candidate.element.iterancestors()
    )


_AUTHOR_CLASS_NAMES = ("post-author", "entry-author-link", "by-author")
_BYLINE_CLASS_NAMES = ("post-footer", "publish-info", "byline", "pNm")
# Every name above in one search of the class (a test per name cost each candidate beside the
# body a generator and seven substring calls).
_AUTHOR_CLASS = re.compile("|".join(_AUTHOR_CLASS_NAMES + _BYLINE_CLASS_NAMES)).search
# Plus UI writes the name only into an attribute: <bdi class='nm' data-text='NAME'></bdi>.
_DATA_TEXT = Strings("descendant-or-self::*/@data-text")
_NAME_INSIDE = Elements(".//*[" + has_class("fn") + " or @itemprop='name']")
_NAME_RANKS = {"post-author": 0, "entry-author-link": 2, "by-author": 2, "fn": 2, "pNm": 2}
_BYLINE_CLASSES = frozenset({"post-footer", "publish-info", "byline"})
_LINK_RANK, _BYLINE_RANK, _NOT_EVIDENCE = 4, 5, 99


@remembered_class_test
def _is_author_class(classes: str) -> bool:
    return _AUTHOR_CLASS(classes) is not None or ("fn" in classes and "fn" in class_tokens(classes))


def _author_rank(candidate: Candidate) -> int:
    """Rank a candidate the evidence test accepted (the test matches class substrings)."""
    rank = _class_rank(candidate.classes or "")
    if rank is not None:
        return rank
    if candidate.itemprop == "name":
        return 1
    if candidate.rel == "author":
        return _LINK_RANK
    return _BYLINE_RANK if _is_byline_class(candidate.classes or "") else _NOT_EVIDENCE


@remembered_class_test
def _class_rank(classes: str) -> int | None:
    """Return the best rank of the name classes among the tokens of ``classes``, or None."""
    tokens = classes.split()
    ranks = [rank for token, rank in _NAME_RANKS.items() if token in tokens]
    return min(ranks) if ranks else None


@remembered_class_test
def _is_byline_class(classes: str) -> bool:
    return bool(_BYLINE_CLASSES.intersection(classes.split()))


# Bylines that name the author right after a verb or a label ("Vystavil Jan", "Автор: Иван",
# "Gönderen Ali", "Bejegyezte: Anna", "Người đăng: Lan"), as Blogger localises "Posted by".
_NAME_FOLLOWS = (
    "опубликовал[аи]?|опубликовано|опубліковано|публикувано от|автор|lähettänyt|yayınlayan"
    "|gönderen|vystavil[a]?|vložil[a]?|uverejnil[a]?|bejegyezte|người đăng|postat de"
    "|objavio|objavila|objavil[a]?|paskelbė|publicēja|postitas|publicat per|פורסם על ידי"
    "|постовао|постовала|poslal[a]?|julkaissut|na-post ni|ارسال[\u200c ]شده توسط|توسط"
)
# "by NAME" in a byline line: the word "by" in the blog's language, or a label with a colon.
_BY_NAME = re.compile(
    r"(?:(?:^|\s)(?:by|von|par|por|door|oleh|przez|da|av|af|bởi|από|بواسطة|ידי)(?:\s*:)?\s+"
    rf"|(?:^|\s)(?:{_NAME_FOLLOWS})\s*:?\s+"
    r"|(?:張貼者|张贴者|發佈者|发布者|发帖者|投稿者|作者|게시자|글쓴이|โพสต์โดย)\s*[:：]?\s*)(.+)$",
    re.IGNORECASE,
)
_BYLINE_PREFIX = re.compile(
    r"^(?:(?:posted|written|published|eingestellt|geschrieben|veröffentlicht|publié|publicado|"
    r"pubblicato|geplaatst|gepost|diposting|dikirim|dodane|opublikowane|wysłany|postado|postat|"
    r"lähetti|posté|upplagd|postet|udgivet|skrevet|đăng|diposkan|dicatat|indsendt|publicada|"
    r"lagt inn|sent inn)?\s*(?:by|von|par|por|door|oleh|przez|bởi|(?<=\w\s)(?:da|av|af))\b\s*:?\s*"
    rf"|(?:{_NAME_FOLLOWS})\s*:?\s*"
    r"|(?:(?:\S+\s+)?(?:από|بواسطة|על ידי)|مرسلة بواسطة)\s+"
    r"|(?:張貼者|张贴者|發佈者|发布者|发帖者|投稿者|作者|게시자|글쓴이|โพสต์โดย)\s*[:：]?\s*)",
    re.IGNORECASE,
)
# What follows the name in a byline: the time ("at 9:37 AM", "於 上午9:37", "時刻: 9:37"),
# or a separator before the date or the comment link ("| Wednesday, June 15, 2005 | ...").
# The suffixes that hold a digit are tried only on a byline with a digit (most are a bare name).
_TIMED_SUFFIXES = (
    r"\s+(?:at|um|à|às|a las|alle|om|pada|o|on|le|el|am|il|op|в|о|v|klo|kl\.|la|lúc|di|zaman:?"
    r"|a les|kell|dátum:?|στις|في|ב-?|เวลา|saat|à\(s\)|u|у|plkst\.?|sa|در|en)"
    r"\s+\S*\d.*$",
    r"\s+\d{1,2}[:.]\d{2}\b.*$",
    r"\s+(?:on|at|am|le|el|il|op|den|em|w)\s+[^|]*\b(?:1[89]|20)\d\d\b.*$",
)
_MARKED_SUFFIXES = (r"\s*(?:於|于|時刻|시간|在)\s*[:：]?.*$", r"\s*[|·•@]\s.*$|\s+[|·•]$")
_BYLINE_SUFFIX = re.compile("|".join(_TIMED_SUFFIXES + _MARKED_SUFFIXES), re.IGNORECASE)
_MARKED_SUFFIX = re.compile("|".join(_MARKED_SUFFIXES), re.IGNORECASE)
_DIGIT = re.compile(r"\d")


def author_name(text: str | None) -> str | None:
    """Strip a byline down to the name.

    ``Posted by X at 1:02 PM``, ``Eingestellt von X``, ``posted by X | Wednesday, June 15,
    2005 | 9:37 AM``, ``張貼者： X 於 上午9:37`` all give ``X``.
    """
    text = squash(text)
    if text is None:
        return None
    text = _BYLINE_PREFIX.sub("", text, count=1)
    suffix = _BYLINE_SUFFIX if _DIGIT.search(text) else _MARKED_SUFFIX
    # What is left is part of the squashed byline: single spaces, none at its ends once stripped.
    name = suffix.sub("", text).strip(" -–—|·:,")
    return name if _names_someone(name) else None


def _names_someone(name: str) -> bool:
    """Whether ``name`` has a letter, a combining mark or a pictograph (an emoji name).

    What is left of "Posted by ..." or "posted by 12:30 |" (punctuation, digits, spaces,
    operators) is no one's name.
    """
    return any(unicodedata.category(char) in _NAME_CATEGORIES for char in name)


_NAME_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "So"})


def byline_person(name: str) -> str:
    """Drop the role or team an in-body byline gives after the names.

    "Nathan Parker, Varun Khaneja and Kiran C Nair - Chrome Safe Browsing team" names a
    team after a dash; "Dave Smith, Developer Advocate for IoT" gives a role after a comma.
    """
    if " - " in name:
        return _without_full_stop(name.split(" - ", 1)[0].strip())
    return _without_full_stop(name.split(",", 1)[0].strip())


# Words whose own full stop a name may end with ("John Roe Jr.", "Acme Inc.").
_ABBREVIATED_ENDINGS = frozenset({"jr", "sr", "inc", "ltd", "co", "corp", "bros", "st"})


def _without_full_stop(name: str) -> str:
    """Drop the sentence's full stop a byline line ends with ("Posted by Jane Doe.").

    Kept where it belongs to the name: an initial ("Jane D.") or an abbreviation ("Jr.").
    """
    words = name[:-1].split() if name.endswith(".") else []
    if not words or len(words[-1]) <= 1 or words[-1].lower() in _ABBREVIATED_ENDINGS:
        return name
    return name[:-1].rstrip()


# An in-body byline: a short line that starts with a "posted by" phrase, among the first lines
# or as the last (a sign-off).
_BODY_BYLINE = re.compile(
    r"^(?:posted|written|published|eingestellt|geschrieben|veröffentlicht|publié|posté|"
    r"publicado|pubblicato|geplaatst|gepost|diposting|diposkan|postado|postat)\s+"
    r"(?:by|von|par|por|da|door|oleh|de)\b",
    re.IGNORECASE,
)
_BODY_BYLINE_LENGTH = 160
_BYLINE_HEAD_REACH = 3


def body_byline_author(paragraphs: list[str]) -> str | None:
    """Return the author an in-body byline names, or None.

    Corporate and custom templates open the body with "Posted by NAME, ROLE", or the author
    signs off with it; such a line among the first :data:`_BYLINE_HEAD_REACH` paragraphs, or
    the last paragraph, is the post's byline when nothing outside the body names the author.
    A "posted by" line elsewhere in the body is the post's text (a quotation, a list).
    """
    for paragraph in (*paragraphs[:_BYLINE_HEAD_REACH], *paragraphs[-1:]):
        if len(paragraph) <= _BODY_BYLINE_LENGTH and _BODY_BYLINE.match(paragraph):
            name = author_name(paragraph)
            return byline_person(name) if name else None
    return None


def _name_of(element: HtmlElement, rank: int) -> str | None:
    if rank == 0:
        # A byline box ("de <span class=fn>Camille</span>"): its name element is exact.
        inner = _NAME_INSIDE(element)
        if inner:
            element = inner[0]
    if rank == _BYLINE_RANK:
        match = _BY_NAME.search(" ".join(element.text_content().split()))
        return author_name(match.group(1)) if match else None
    if element.tag == "meta":
        return author_name(element.get("content"))
    text = element.text_content()
    if not text.strip():
        text = next(iter(_DATA_TEXT(element)), "")
    return author_name(text)


def post_author(near: BodyNeighbourhood, ld: JsonLdPost | None) -> str | None:
    """Return the author's display name, from the byline nearest the body.

    Order: Blogger's author markup (``.post-author``, microdata, ``.fn``), JSON-LD
    ``author.name``, an ``a[rel=author]`` that is not a profile-widget link, then "by NAME"
    in a footer/byline line. Only the post's own box is searched, not the sidebar.
    """
    ranked: dict[int, list[HtmlElement]] = {}
    for candidate in search_candidates(near, is_author_candidate, POST_LEVELS):
        ranked.setdefault(_author_rank(candidate), []).append(candidate.element)
    for rank in sorted(ranked.keys() - {_NOT_EVIDENCE}):
        if rank >= _LINK_RANK and ld is not None and ld.author:
            return ld.author
        for element in near.ranked(ranked[rank]):
            if name := _name_of(element, rank):
                return name
    return ld.author if ld is not None else None


def is_label_evidence(element: HtmlElement) -> bool:
    """Whether ``element`` is a label box (``.post-labels``, ``.label-info``) or ``a[rel=tag]``.

    Among :mod:`crawler.parsing.around`'s candidates: what ``descendant-or-self::*`` with
    this predicate selects (pinned by test_parsing_xpath_forms.py). A box wins over loose
    tag links.
    """
    return is_label_candidate(candidate_of(element))


def is_label_candidate(candidate: Candidate) -> bool:
    """:func:`is_label_evidence` of a candidate, from the attributes the walk read."""
    classes = candidate.classes
    if classes is not None and ("post-labels" in classes or "label-info" in classes):
        return True
    return candidate.tag == "a" and candidate.rel == "tag"


_LABEL_LINKS = Elements(".//a")


def post_labels(near: BodyNeighbourhood) -> list[str]:
    """Return the post's labels in page order without duplicates (``[]`` if none shown)."""
    evidence = search_candidates(near, is_label_candidate, POST_LEVELS)
    boxes = [c.element for c in evidence if c.tag != "a" or c.rel != "tag"]
    container = near.nearest(box for box in boxes if _LABEL_LINKS(box))
    if container is not None:
        links = _LABEL_LINKS(container)
    else:
        link = near.nearest(c.element for c in evidence if c.rel == "tag")
        parent = link.getparent() if link is not None else None
        links = [] if parent is None else [a for a in _LABEL_LINKS(parent) if a.get("rel") == "tag"]
    labels: list[str] = []
    for link in links:
        label = squash(link.text_content())
        if label and label not in labels:
            labels.append(label)
    return labels


_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{1,8})*$")
_SCRIPT_LENGTH = 4
_ALPHA_REGION_LENGTH, _NUMERIC_REGION_LENGTH = 2, 3


def language_tag(value: str | None) -> str | None:
    """Return ``value`` as a BCP 47 tag (``en_GB`` → ``en-GB``, ``zh_hant_tw`` → ``zh-Hant-TW``).

    Language subtag lower case, a four-letter script title case, a two-letter or three-digit
    region upper case. A value that is not shaped like a tag is returned squashed but as
    written; None for None or blank.
    """
    tag = squash(value)
    if tag is None or not _LANGUAGE_TAG.match(tag):
        return tag
    first, *rest = tag.replace("_", "-").split("-")
    parts = [first.lower()]
    for index, part in enumerate(rest):
        if index == 0 and len(part) == _SCRIPT_LENGTH and part.isalpha():
            parts.append(part.title())
        elif (len(part) == _ALPHA_REGION_LENGTH and part.isalpha()) or (
            len(part) == _NUMERIC_REGION_LENGTH and part.isdigit()
        ):
            parts.append(part.upper())
        else:
            parts.append(part.lower())
    return "-".join(parts)


def page_language(
    root: HtmlElement, head: HeadFacts, ld: JsonLdPost | None, locale: str | None = None
) -> str | None:
    """Return the language the page declares, as a BCP 47 tag, or None.

    Order: ``<html lang>`` / ``xml:lang``, ``meta http-equiv=content-language``, JSON-LD
    ``inLanguage``, then the blog's ``locale`` from Blogger's data context (``'locale':
    'de'``), which most Blogger templates write without declaring a language elsewhere.
    """
    declared = ld.language if ld is not None else None
    for value in (root.get("lang"), root.get("xml:lang"), head.content_language, declared, locale):
        if tag := language_tag(value):
            return tag
    return None
