"""Recognition and removal of Blogger template text that leaked into a post body.

Only whole paragraphs are ever removed, never text inside a paragraph. Two tiers:

* *unmistakable* paragraphs (a ``N Response to "<this post's title>"`` footer, ``Subscribe
  to: Post Comments (Atom)``, ``Email ThisBlogThis!Share to X...``, ``Posted by X at 2:33 PM``,
  a pager line with two or more links, ``Powered by Blogger``) go wherever they are;
* *generic* paragraphs (``Home``, ``Read more``, ``Share this``, ``Tweet``, ``Post a Comment``,
  the post title repeated (head only), ``Labels: ...``, ``No comments:``, ``3 Comments``,
  ``Posted by X`` ...), which a post could legitimately contain, go only from the head or the
  tail of the body, where templates put them (the run of boilerplate at each end is stripped
  until a real paragraph is met).

Patterns cover Blogger's English, German, French, Spanish, Portuguese and Italian strings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from crawler.cleaning.dedupe import has_key, paragraph_key
from crawler.cleaning.joined_body import JOINER, JoinedBody

_TIME = r"\d{1,2}[:.h]\d{2}(?:\s?[ap]\.?\s?m\.?)?"
_POSTED_BY_WORDS = (
    "posted by", "eingestellt von", "publié par", "publicado por", "pubblicato da", "geplaatst door"
)  # fmt: skip
_POSTED_BY = f"(?:{'|'.join(_POSTED_BY_WORDS)})"
_PAGER_LINKS = (
    "newer posts?", "older posts?", "previous posts?", "next posts?", "home(?: page)?",
    "neuere[r]? posts?", "ältere[r]? posts?", "startseite", "articles? plus (?:récents?|anciens?)",
    "accueil", "entradas? (?:más recientes?|antiguas?)", "página (?:principal|inicial)", "inicio",
    "postage(?:m|ns) mais (?:recentes?|antigas?)", "post più (?:recenti?|vecchi?o?)", "home ?page",
)  # fmt: skip
_PAGER_LINK = "|".join(_PAGER_LINKS)
_COMMENT_WORD = (
    r"(?:comments?|kommentare?|commentaires?|comentarios?|comentários?|commenti|commento)"
)

_SUBSCRIBE_WORDS = (
    "subscribe to", "abonnieren", "inscription à", "s'abonner à", "suscribirse a", "assinar",
    "iscriviti a",
)  # fmt: skip
_SUBSCRIBE = f"(?:{'|'.join(_SUBSCRIBE_WORDS)})"
_EMAIL_THIS = "email this"
_UNMISTAKABLE = re.compile(
    "|".join(
        (
            rf"{_SUBSCRIBE}\b.{{0,60}}\(atom\)",
            rf"{_EMAIL_THIS}\s?blogthis!.*",
            rf"{_POSTED_BY}\s.{{1,80}}?\s(?:at|um|à|a las|en|às|alle|om)\s{_TIME}",
            rf"(?:{_PAGER_LINK})(?:\s*[|·•-]?\s*(?:{_PAGER_LINK})){{1,4}}",
        )
    ),
    re.IGNORECASE,
)
# Also unmistakable, apart because it is costly: tried at each of its first 40 positions, it
# made every paragraph cost 7 µs. It is tried only on a paragraph ending like it (_POWERED_END).
_POWERED_BY = re.compile(
    r".{0,40}\b(?:powered by|fourni par|bereitgestellt von|con la tecnología de"
    r"|tecnologia do|fornito da) blogger\.?",
    re.IGNORECASE,
)
_POWERED_END = re.compile(r".*blogger\.?", re.IGNORECASE | re.DOTALL)
_POWERED_END_CHARS = len("blogger.")

_GENERIC = re.compile(
    "|".join(
        (
            r"share(?: this(?: post)?| on \w+| to \w+)?!?|tweet|pin it|email this|blogthis!"
            r"|teilen|partager|compartir|condividi",
            r"(?:read more|continue reading|weiterlesen|mehr lesen|lire la suite|leer más"
            r"|leia mais|continua a leggere)\W*",
            rf"\d+ {_COMMENT_WORD}:?|{_COMMENT_WORD}:?",
            rf"\d+ responses? (?:to|on) .+|\d+ {_COMMENT_WORD} (?:to|on|zu|sur|a|em|para) .+",
            r"no comments:?|keine kommentare:?|aucun commentaire:?|no hay comentarios:?"
            r"|nenhum comentário:?|nessun commento:?",
            r"post a comment|kommentar (?:veröffentlichen|hinzufügen)|(?:publier|enregistrer)"
            r" un commentaire|publicar un comentario|postar um comentário|posta un commento",
            r"(?:labels|tags|tagged in|labels?|etiquetas|libellés|schlagwörter|marcadores"
            r"|etichette)\s?:.*",
            # a byline: short, or longer with no sentence punctuation ("Posted by A, B and
            # C - Chrome Safe Browsing team"), so a real sentence that starts alike stays
            rf"{_POSTED_BY}\s[^!?]{{1,40}}|{_POSTED_BY}\s[^.!?]{{1,120}}",
            rf"{_PAGER_LINK}",
            r"view my complete profile|afficher mon profil complet"
            r"|mein profil vollständig anzeigen|ver todo mi perfil|ver meu perfil completo",
        )
    ),
    re.IGNORECASE,
)

_RESPONSE_FOOTER = re.compile(
    rf"\d+\s+(?:responses?|{_COMMENT_WORD})\s+(?:to|on|zu|sur|a|em|para)\s+(.+)", re.IGNORECASE
)


def _as_is(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """Return ``pattern`` without IGNORECASE: what it matches in ASCII text, lower-cased.

    Matching ignoring case tests each letter through the case tables, and sre's quick
    rejection of an alternative by its first letter only works for a plain letter: the
    head and tail tests cost about twice what the same match of the text lower-cased
    does (25,000 instructions a paragraph on a 357-character one, 12,000 with the
    lowering); the start scan reads the whole body, whose lowering costs what it saves.
    Equal on ASCII text because every letter the expressions spell is lower case (a test
    reads them) and no ASCII letter matches another character ignoring case but its
    upper-case form; text outside ASCII (``ſ`` matches ``s``, ``K`` matches ``k``
    ignoring case) keeps the case-blind expressions.
    """
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


_UNMISTAKABLE_AS_IS = _as_is(_UNMISTAKABLE)
_POWERED_BY_AS_IS = _as_is(_POWERED_BY)
_RESPONSE_FOOTER_AS_IS = _as_is(_RESPONSE_FOOTER)
# Unmistakable or generic, in one expression (each match costs some 2,500 instructions
# before it reads a character).
_BOILERPLATE_AS_IS = re.compile(f"(?:{_UNMISTAKABLE.pattern})|(?:{_GENERIC.pattern})")


def _powered_by(text: str, expression: re.Pattern[str]) -> bool:
    """Whether ``text`` is a powered-by line, tried only where it ends as one does.

    ``expression`` is :data:`_POWERED_BY` or its as-is form; :data:`_POWERED_END` tells the
    ending.
    """
    return bool(_POWERED_END.fullmatch(text[-_POWERED_END_CHARS:]) and expression.fullmatch(text))


def _ascii_template_text(
    paragraph: str, expression: re.Pattern[str], title_key: str | None
) -> bool:
    """Whether the ASCII ``paragraph`` is template text, tested lower-cased.

    It matches ``expression`` (an as-is form), or is a powered-by line or this post's footer.
    """
    lowered = paragraph.lower()
    return expression.fullmatch(lowered) is not None or _also_unmistakable(lowered, title_key)


def is_unmistakable(paragraph: str, title_key: str | None) -> bool:
    """Return True when ``paragraph`` is template text that no post body contains."""
    if paragraph.isascii():
        return _ascii_template_text(paragraph, _UNMISTAKABLE_AS_IS, title_key)
    if _UNMISTAKABLE.fullmatch(paragraph) or _powered_by(paragraph, _POWERED_BY):
        return True
    if title_key:
        footer = _RESPONSE_FOOTER.fullmatch(paragraph)
        return footer is not None and paragraph_key(footer.group(1)) == title_key
    return False


def _also_unmistakable(lowered: str, title_key: str | None) -> bool:
    """Whether the lower-cased ASCII paragraph is a powered-by line or this post's footer.

    (:func:`is_unmistakable` but for :data:`_UNMISTAKABLE`.) A footer starts with a digit,
    a powered-by line ends as :data:`_POWERED_END` accepts: the expressions are tried then.
    """
    if _powered_by(lowered, _POWERED_BY_AS_IS):
        return True
    if title_key and lowered[:1].isdigit():
        # (The key of a lower-cased ASCII text is its own: keys are case-folded.)
        footer = _RESPONSE_FOOTER_AS_IS.fullmatch(lowered)
        return footer is not None and paragraph_key(footer.group(1)) == title_key
    return False


def is_boilerplate(paragraph: str, title_key: str | None) -> bool:
    """Return True when ``paragraph`` is template text when found at the body's head or tail."""
    if paragraph.isascii():
        return _ascii_template_text(paragraph, _BOILERPLATE_AS_IS, title_key)
    return is_unmistakable(paragraph, title_key) or _GENERIC.fullmatch(paragraph) is not None


def strip_boilerplate(
    paragraphs: Sequence[str], *, title: str | None, body: JoinedBody | None = None
) -> tuple[list[str], int]:
    """Return the paragraphs without template text, and how many were removed.

    ``paragraphs`` must already be cleaned text; ``title`` (cleaned) lets the
    ``N Response to "TITLE"`` footer be recognised anywhere, and a paragraph that repeats the
    title (same dedupe key) be dropped from the head. Order is kept. ``body``: the
    paragraphs joined, when made already (for the body's other passes).
    """
    title_key = paragraph_key(title) if title else None
    start, end = 0, len(paragraphs)
    while start < end and (
        is_boilerplate(paragraphs[start], title_key)
        or (title_key is not None and has_key(paragraphs[start], title_key))  # the heading again
    ):
        start += 1
    while end > start and is_boilerplate(paragraphs[end - 1], title_key):
        end -= 1
    middle = paragraphs[start:end]
    if body is not None:
        # The middle's part of the joined body: the paragraphs cut at either end are few.
        head = sum(map(len, paragraphs[:start])) + start
        tail = sum(map(len, paragraphs[end:])) + len(paragraphs) - end
        whole = body.text()
        joined = whole[head : len(whole) - tail] if head or tail else whole
        suspects = _unmistakable_suspects(middle, joined, body)
    else:
        suspects = _unmistakable_suspects(middle, JOINER.join(middle), None)
    if not suspects:  # the commonest body: nothing to test one by one
        return list(middle), len(paragraphs) - len(middle)
    kept = [
        p for i, p in enumerate(middle) if i not in suspects or not is_unmistakable(p, title_key)
    ]
    return kept, len(paragraphs) - len(kept)


# What every unmistakable paragraph starts with, after the newline that joins it to the one
# before: the first part of each _UNMISTAKABLE alternative, or the digit of a response footer
# (_POWERED_BY may start anywhere: its paragraphs are found by their "blogger" instead).
# The first letters of those (a test derives them from the expression), looked at before the
# alternatives are tried one by one: most paragraphs start with another and cost one test.
_UNMISTAKABLE_FIRST = r"[aeghinops\u00e4\d]"


def _by_first_letter(alternatives: Sequence[str]) -> str:
    """Return an alternation of ``alternatives`` (regular expressions) grouped by first letter.

    The same language as ``"|".join(alternatives)``; each alternative must start with a plain
    lower-case letter that no quantifier follows. A text that starts with no group's letter
    then costs one test a group instead of one an alternative (ignoring case, each of those
    goes through the case tables): ``s(?:ubscribe to|'abonner à|...)|a(?:bonnieren|...)``.
    """
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        first, rest = alternative[:1], alternative[1:]
        if not first.isalpha() or first != first.lower() or rest[:1] in ("?", "*", "+", "{"):
            raise ValueError(f"not a plain first letter: {alternative!r}")
        groups.setdefault(first, []).append(rest)
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


_UNMISTAKABLE_START = re.compile(
    rf"{JOINER}(?={_UNMISTAKABLE_FIRST})(?:"
    + _by_first_letter((*_SUBSCRIBE_WORDS, _EMAIL_THIS, *_POSTED_BY_WORDS, *_PAGER_LINKS))
    + r"|\d)",
    re.IGNORECASE,
)


# Average paragraph length below which a body is searched whole for "blogger" before its ends.
_WHOLE_BODY_CHARS = 80


def _lowered(text: str) -> bytes:
    """Return ``text`` as UTF-8 with its ASCII letters lower-cased."""
    return text.encode("utf-8", "surrogatepass").lower()


def _unmistakable_suspects(
    paragraphs: Sequence[str], joined: str, body: JoinedBody | None
) -> set[int] | range:
    """Return the indices of the ``paragraphs`` that :func:`is_unmistakable` may accept.

    ``joined``: the paragraphs joined by :data:`JOINER`; ``body``: a body holding them (its
    Latin-1 bytes, :meth:`JoinedBody.latin1`, are then read), or ``None``. One search of the
    paragraphs joined, each preceded by the joiner, finds those that start as an
    unmistakable paragraph does (a match is placed by counting the joiners before it). The
    powered-by line may start anywhere but ends in "blogger" (any case): the ends of the
    paragraphs are lower-cased together, and only when one says it are they tested one by
    one. Cleaned paragraphs hold no joiner; should one, every paragraph is a suspect.
    """
    joined = JOINER + joined
    starts = [match.start() for match in _UNMISTAKABLE_START.finditer(joined)]
    # Every paragraph's start was scanned (each follows a joiner): without a match none is
    # a suspect, and the joiners need not be counted.
    if starts and joined.count(JOINER) != len(paragraphs):
        return range(len(paragraphs))
    suspects: set[int] = set()
    index = position = 0
    for start in starts:
        index += joined.count(JOINER, position, start)
        position = start
        suspects.add(index)
    # Lower-cased as UTF-8 bytes (ASCII letters only, a byte each): every character that
    # matches a letter of "blogger" ignoring case is ASCII (a test checks every code point),
    # and str.lower looks each character up in the case tables (some 70 instructions). A body
    # of short paragraphs is looked at whole first (a paragraph end that says "blogger" is in
    # it, and most bodies never say it): cutting each end costs some 0.1 us, encoding the
    # body about 1 ns a character. Its Latin-1 bytes do (a text that says it does so there:
    # leaving characters out only brings letters together), and are copied if Latin-1.
    if (
        len(joined) < _WHOLE_BODY_CHARS * len(paragraphs)
        and b"blogger"
        not in (body.latin1() if body is not None else joined.encode("latin-1", "ignore")).lower()
    ):
        return suspects
    ends = [paragraph[-_POWERED_END_CHARS:] for paragraph in paragraphs]
    if b"blogger" in _lowered("\n".join(ends)):
        suspects.update(i for i, end in enumerate(ends) if _POWERED_END.fullmatch(end))
    return suspects
