"""Repair of lossy mojibake: typographic punctuation reduced to a lone ``â``.

The damage: UTF-8 read as cp1252, curly quotes straightened, characters outside Latin-1
dropped. ``’ ‘ “ ”`` (E2 80 99/98/9C/9D) each leave a lone ``â``; ``— –`` (E2 80 94/93) leave
``â"``; ``…`` leaves ``â¦``, ``•``/``™`` leave ``â¢`` and ``€`` leaves ``â¬``.

Decision procedure, per paragraph (see docs/cleaning.md):

1. ``â"`` is a dash: en dash between digits, em dash otherwise. A lone ``â`` between digits
   is an en dash; one with spaces (or the paragraph edge) on both sides is an em dash.
2. ``â`` with letters on both sides is an apostrophe when a capital follows (``OâBrien``,
   ``dâAlembert``: no language writes ``â`` + capital inside a word) or when the letters
   form a known contraction or a possessive (:mod:`crawler.cleaning.contractions`);
   otherwise it is a legitimate letter (``château``) and never changes. ``ânâ`` as a word
   of its own is ``’n’``.
3. Remaining ``â`` are quote candidates (except a word-initial ``â`` before ``em``, ``til``,
   ``cause``, ``tis``, ``twas``, which is ``’``): *opening* after a space or opening bracket and
   before a letter or digit, *closing* after a letter, digit or closing punctuation and
   before a space, punctuation or the end. Candidates are paired left to right with a stack
   (outer pair ``“ ”``, nested pair ``‘ ’``). An unpaired closing candidate is ``’`` when a
   space follows (``NSAsâ dialogue``) and ``”`` otherwise; an unpaired opening candidate
   before a capital letter is ``“``; one before a lower-case letter stays ``â`` because
   ``âge``, ``âm`` and ``âncora`` are words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.cleaning.contractions import (
    CONTRACTION_SUFFIXES,
    is_contraction,
    is_leading_elision,
)
from crawler.cleaning.mojibake import CONTINUATION

_GLYPH = re.compile('â[¦¢¬"]')
# "â€" followed by something that cannot be a third byte: the third byte was lost (for ”
# it is 0x9D, undefined in cp1252). ftfy would guess a dagger ("â€ " as E2 80 A0), so the
# remnant is reduced to the lone "â" that the quote pairing resolves from context.
_EURO_REMNANT = re.compile("â€(?![" + re.escape(CONTINUATION) + "])")
_OPENERS = frozenset("([{/-—–")
_CLOSERS = frozenset(".,!?;:…)]}")
_DECADE = re.compile(r"\d\d[sS]\b")
# "rock ’n’ roll": "n" between two damaged apostrophes, as a word of its own. Never a
# legitimate word: Vietnamese "ân" is not followed by another "â".
_N_ELISION = re.compile(r"(?<!\S)ânâ(?!\S)")
# Three or more lone "â" in a row: no word and no punctuation sequence reads out of them, and
# deciding them from their neighbours (each other) would settle one per cleaning pass, in
# time quadratic in the run. They are left as they are.
_UNREADABLE_RUN = re.compile("â{3,}")


@dataclass(slots=True)
class _Quote:
    start: int
    end: int
    opening: bool
    strong: bool  # an opening before a capital; a closing at punctuation or the end
    after_s: bool  # a closing right after "s": may be a plural possessive
    given: bool = False  # a real “ already in the text: pairs, never replaced


def repair_remnants(text: str) -> str:
    """Return ``text`` with two-character remnants (``â¦ â¬ â¢ â"``, ``â€`` + lost byte) repaired.

    Runs before ftfy, which would misread ``â¦`` + space as ``⦠``, and before
    :func:`repair_lossy`, so that a lone ``â`` next to a remnant sees real punctuation.
    """
    if "â" not in text:
        return text
    return _GLYPH.sub(_glyph, _EURO_REMNANT.sub("â", text))


def repair_lossy(text: str) -> str:
    """Return ``text`` with lone-``â`` damage replaced by the punctuation it stood for.

    Text without ``â`` is returned as is; a legitimate ``â`` inside a word never changes.
    Call :func:`repair_remnants` first.
    """
    if "â" not in text:
        return text
    text = _N_ELISION.sub("’n’", text)
    unreadable = {i for run in _UNREADABLE_RUN.finditer(text) for i in range(*run.span())}
    fixed: dict[int, tuple[int, str]] = {}
    quotes: list[_Quote] = []
    for match in _LONE.finditer(text):
        start = match.start()
        if start in unreadable:
            continue
        if match.group() == "“":
            quotes.append(_Quote(start, start + 1, True, strong=True, after_s=False, given=True))
            continue
        before = text[start - 1] if start > 0 else ""
        after = text[start + 1] if start + 1 < len(text) else ""
        decision = _decide_lone(text, start, before, after)
        if isinstance(decision, str):
            fixed[start] = (start + 1, decision)
        elif decision is not None:
            quotes.append(decision)
    for quote, replacement in _pair_quotes(quotes):
        if not quote.given:
            fixed[quote.start] = (quote.end, replacement)
    return _apply(text, fixed)


# Letters (str.isalpha) other than "â": ASCII, Latin-1, Latin Extended-A and -B, Latin
# Extended Additional (Vietnamese). Only some letters: what stands next to a legitimate "â"
# (a test checks that each is a letter).
_SOME_LETTERS = "a-zA-Z\u00c0-\u00d6\u00d8-\u00e1\u00e3-\u00f6\u00f8-\u024f\u1e00-\u1eff"


# An "â" that keeps_every_circumflex must look at closely: one without one of those letters
# before it, or without an ASCII lower-case letter after it, or whose letters after it may
# spell a contraction suffix (ignoring case: "ſ" and the Kelvin sign match too, and the run
# is taken as ending at any character outside those letters). Every other "â" is a letter
# that both repairs keep (see keeps_every_circumflex), as the regular-expression engine
# finds without a Python step per "â": a French or Vietnamese body holds hundreds.
# The suffixes are tried only after an ASCII lower-case letter (the alternative before fails
# on any other), which matches a suffix's first letter ignoring case exactly when it is that
# letter: so each suffix is led by its first letter, case-sensitive, which the engine tests
# before trying the rest ignoring case (a case-insensitive alternation tries every suffix in
# full at each "â" of "château" or "théâtre").
def _led_by_first_letter(suffixes: frozenset[str]) -> str:
    """Return an alternation of ``suffixes``: first letters as is, the rest ignoring case."""
    groups: dict[str, list[str]] = {}
    for suffix in sorted(suffixes):
        groups.setdefault(suffix[0], []).append(suffix[1:])
    return "|".join(
        first + (f"(?i:{'|'.join(rests)})" if any(rests) else "") for first, rests in groups.items()
    )


_CLOSER_LOOK = re.compile(
    f"â(?:(?<![{_SOME_LETTERS}]â)|(?![a-z])"
    f"|(?=(?:{_led_by_first_letter(CONTRACTION_SUFFIXES)})(?![{_SOME_LETTERS}])))"
)


# What repair_lossy decides: each "â" but those _CLOSER_LOOK passes (letters that both repairs
# keep, so that a French or Vietnamese paragraph with a damaged word costs no Python step per
# "château"), and each real opening “, which takes part in pairing when ftfy repaired only that
# side of a pair. A real closing ” does not: it would pair with a legitimate word such as
# “O âmbito da lei”.
_LONE = re.compile("“|" + _CLOSER_LOOK.pattern)


def unsure_circumflex(text: str, start: int = 0) -> int:
    """Return where the first ``â`` of ``text`` from ``start`` that needs a closer look is, or -1.

    Every other ``â`` is a letter both repairs keep (see :func:`keeps_every_circumflex`, which
    is True when there is none). The test reads the characters on either side of each ``â``
    only as far as letters run: on texts joined by a character that is no letter (a space),
    each ``â`` is answered as in its own text.
    """
    match = _CLOSER_LOOK.search(text, start)
    return -1 if match is None else match.start()


def keeps_every_circumflex(text: str) -> bool:
    """Whether every ``â`` of ``text`` is a letter, which both repairs above leave as it is.

    Each ``â`` must have a letter other than ``â`` on both sides, the one after it not a
    capital, and the letters around it must spell no contraction: the letter case of
    :func:`_decide_lone`. No remnant starts at such an ``â`` (a letter follows it), and it
    is neither a quote candidate, nor part of ``ânâ`` or of a run. True for text without
    ``â``. A French, Portuguese or Romanian body is mostly such text.
    """
    if _CLOSER_LOOK.search(text) is None:
        return True  # the commonest: "â" only inside words such as "château" or "tâm"
    return each_circumflex_kept(text)


def each_circumflex_kept(text: str) -> bool:
    """Return :func:`keeps_every_circumflex` of ``text``, testing each ``â`` in turn."""
    start = text.find("â")
    while start >= 0:
        if start == 0 or start + 1 == len(text):
            return False
        before, after = text[start - 1], text[start + 1]
        if (
            not (before.isalpha() and after.isalpha())
            or "â" in (before, after)
            or after.isupper()
            or is_contraction(_stem(text, start), _suffix(text, start + 1))
        ):
            return False
        start = text.find("â", start + 1)
    return True


def _glyph(match: re.Match[str]) -> str:
    """Return what a two-character remnant stood for: ``… € • ™`` or a dash."""
    text, start, end = match.string, match.start(), match.end()
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    second = text[start + 1]
    if second == "¦":
        return "…"
    if second == "¬":
        return "€"
    if second == "¢":
        return "™" if before.isalpha() else "•"
    return "–" if before.isdigit() and after.isdigit() else "—"


def _decide_lone(text: str, start: int, before: str, after: str) -> str | _Quote | None:
    """Decide a lone ``â`` from its neighbours: a replacement, a quote candidate, or None."""
    if before.isalpha() and after.isalpha():
        if after.isupper():
            return "’"  # O’Brien, d’Alembert: no language writes "â" + capital inside a word
        return "’" if is_contraction(_stem(text, start), _suffix(text, start + 1)) else None
    if before.isdigit() and after.isdigit():
        return "–"
    if before.isdigit() and after in ("s", "S") and not _suffix(text, start + 1)[1:]:
        return "’"  # 1990’s
    spaced_before, spaced_after = before in ("", " "), after in ("", " ")
    if spaced_before and spaced_after:
        return "—" if before or after else None
    if after.isalnum() and (spaced_before or before in _OPENERS):
        if after.isdigit() and _DECADE.match(text, start + 1):
            return "’"  # ’90s
        if is_leading_elision(_suffix(text, start + 1)):
            return "’"  # ’em, ’til, ’cause
        return _Quote(start, start + 1, opening=True, strong=after.isupper(), after_s=False)
    if (before.isalnum() or before in _CLOSERS) and not after.isalnum():
        strong = before in _CLOSERS or after != " "
        return _Quote(start, start + 1, opening=False, strong=strong, after_s=before in "sS")
    return None


def _pair_quotes(quotes: list[_Quote]) -> list[tuple[_Quote, str]]:
    """Pair opening and closing candidates; return the replacement for each resolved one."""
    apostrophes = _possessive_apostrophes(quotes)
    resolved: list[tuple[_Quote, str]] = []
    stack: list[_Quote] = []
    for index, quote in enumerate(quotes):
        if quote.opening:
            stack.append(quote)
        elif index in apostrophes:
            resolved.append((quote, "’"))
        elif not stack:
            resolved.append((quote, "”" if quote.strong else "’"))
        else:
            depth = len(stack) - 1
            resolved.append((stack.pop(), "‘" if depth % 2 else "“"))
            resolved.append((quote, "’" if depth % 2 else "”"))
    for depth, quote in enumerate(stack):
        if quote.strong:
            resolved.append((quote, "‘" if depth % 2 else "“"))
    return resolved


def _is_possessive(quote: _Quote) -> bool:
    """Return True for a closing candidate that may be a plural possessive (``playersâ union``)."""
    return quote.after_s and not quote.strong


def _possessive_apostrophes(quotes: list[_Quote]) -> set[int]:
    """Return the indices of possible possessives that no opening needs as its closing quote.

    Scanning right to left, each opening takes a definite closing quote to its right if one
    is free, and otherwise the nearest possible possessive to its right, which thereby
    becomes a closing quote. Possessives nobody took are apostrophes
    (``âThe playersâ union is strong,â he said``).
    """
    free_closings = 0
    spare: list[int] = []
    taken: set[int] = set()
    for index in range(len(quotes) - 1, -1, -1):
        quote = quotes[index]
        if quote.opening:
            if free_closings:
                free_closings -= 1
            elif spare:
                taken.add(spare.pop())
        elif _is_possessive(quote):
            spare.append(index)
        else:
            free_closings += 1
    return {i for i, q in enumerate(quotes) if _is_possessive(q) and i not in taken}


def _stem(text: str, end: int) -> str:
    """Return the run of letters ending just before ``end`` (another ``â`` ends the run)."""
    start = end
    while start > 0 and text[start - 1].isalpha() and text[start - 1] != "â":
        start -= 1
    return text[start:end]


def _suffix(text: str, start: int) -> str:
    """Return the run of letters starting at ``start`` (another ``â`` ends the run)."""
    end = start
    while end < len(text) and text[end].isalpha() and text[end] != "â":
        end += 1
    return text[start:end]


def _apply(text: str, fixed: dict[int, tuple[int, str]]) -> str:
    """Rebuild ``text`` with each ``start -> (end, replacement)`` span substituted."""
    if not fixed:
        return text
    parts: list[str] = []
    position = 0
    for start in sorted(fixed):
        end, replacement = fixed[start]
        parts.append(text[position:start])
        parts.append(replacement)
        position = end
    parts.append(text[position:])
    return "".join(parts)
