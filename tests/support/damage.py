"""The seed's lossy mojibake as a function, and hypothesis strategies for English-like text.

``damage(text)`` reproduces what happened to the seed post: UTF-8 bytes decoded as cp1252
(undefined bytes lost), curly quotes straightened, every character outside Latin-1 dropped.
``english_paragraph()`` draws clean paragraphs with the typographic punctuation that this
damage destroys: contractions, possessives, double quotes with nested single quotes, em
dashes, en dash ranges and ellipses, plus accented words that survive as Latin-1 mojibake.
"""

from __future__ import annotations

from hypothesis import strategies as st

_STRAIGHT = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def damage(text: str) -> str:
    """Return ``text`` damaged as the seed was (UTF-8 -> cp1252 -> straight -> Latin-1)."""
    misread = text.encode("utf-8").decode("cp1252", errors="ignore").translate(_STRAIGHT)
    return "".join(char for char in misread if ord(char) < 0x100)


WORDS = [
    "the",
    "a",
    "report",
    "group",
    "country",
    "region",
    "alliance",
    "trust",
    "people",
    "time",
    "idea",
    "court",
    "city",
    "season",
    "music",
    "recipe",
    "garden",
    "winter",
    "market",
    "read",
    "more",
    "home",
    "share",
    "comment",
    "post",
    "older",
    "newer",
    "weeks",
    "years",
    "game",
    "river",
    "light",
    "story",
]
VERBS = [
    "said",
    "is",
    "was",
    "reached",
    "shared",
    "remained",
    "described",
    "grew",
    "left",
    "wrote",
    "knew",
]
NAMES = ["Pakistan", "Taliban", "Maria", "John", "Delhi", "Europe", "Ahmed", "Google", "Anna"]
PLURALS = ["players", "NSAs", "parents", "farmers", "teachers", "readers"]
CONTRACTIONS = [
    "don’t",
    "it’s",
    "I’m",
    "we’re",
    "they’ve",
    "I’ll",
    "she’d",
    "can’t",
    "isn’t",
    "won’t",
    "you’re",
    "didn’t",
    "that’s",
    "It's",
]
ACCENTED = ["café", "naïve", "résumé", "Zürich", "São", "façade", "crème"]

_word = st.sampled_from(WORDS)
_phrase = st.lists(_word, min_size=1, max_size=5).map(" ".join)


@st.composite
def _clause(draw: st.DrawFn, *, plural_possessive: bool = True) -> str:
    """A run of words with at most one decorated token (contraction, possessive, accent).

    A plural possessive (``players’ union``) inside a quote that holds a nested quote is
    ambiguous once damaged (``playersâ`` may close the quote), so quotes can exclude it.
    """
    head = draw(_phrase)
    kind = draw(st.integers(0, 5 if plural_possessive else 4))
    if kind == 4:
        return head
    if kind == 0:
        return f"{draw(st.sampled_from(CONTRACTIONS))} {head}"
    if kind == 1:
        return f"{draw(st.sampled_from(NAMES))}’s {head}"
    if kind == 5:
        return f"the {draw(st.sampled_from(PLURALS))}’ {head}"  # plural possessive: word follows
    if kind == 3:
        return f"{head} {draw(st.sampled_from(ACCENTED))}"
    return head


@st.composite
def _quoted(draw: st.DrawFn) -> str:
    """A double-quoted clause, optionally with a nested single-quoted word, punct inside."""
    nested = draw(st.booleans())
    inner = draw(_clause(plural_possessive=not nested))
    if nested:
        inner = f"{inner} ‘{draw(_word)}’ {draw(_word)}"
    form = draw(st.integers(0, 3))
    if form == 0:
        return f"“{inner.capitalize()},” {draw(st.sampled_from(VERBS))} {draw(_phrase)}"
    if form == 1:
        mark = draw(st.sampled_from("?!"))
        return f"“{inner.capitalize()}{mark}” {draw(st.sampled_from(VERBS))} {draw(_phrase)}"
    if form == 2:
        return f"the word (“{inner}”) {draw(_phrase)}"
    return f"a “{inner}”"


@st.composite
def _dashed(draw: st.DrawFn) -> str:
    """A clause joined to another by an em dash, spaced or closed up, or a year range."""
    left, right = draw(_clause()), draw(_phrase)
    form = draw(st.integers(0, 2))
    if form == 0:
        return f"{left} — {right}"
    if form == 1:
        return f"{left}—{right}"
    start = draw(st.integers(1900, 2020))
    return f"{left} {start}–{start + draw(st.integers(1, 9))}"


@st.composite
def english_sentence(draw: st.DrawFn) -> str:
    """One sentence: a capitalised first word, clauses and decorations, ending punctuation."""
    parts = draw(st.lists(st.one_of(_clause(), _quoted(), _dashed()), min_size=1, max_size=3))
    body = ", ".join(parts)
    end = draw(st.sampled_from([".", ".", "?", "!", "…"]))
    return f"{draw(st.sampled_from(NAMES))} {draw(st.sampled_from(VERBS))} {body}{end}"


@st.composite
def english_paragraph(draw: st.DrawFn) -> str:
    """A clean paragraph of one to four sentences, single-spaced, typographic punctuation.

    It may open with an attribution dash (``— Anna said ...``) or end on a dash (``and so—``).
    """
    text = " ".join(draw(st.lists(english_sentence(), min_size=1, max_size=4)))
    edge = draw(st.integers(0, 5))
    if edge == 0:
        return f"— {text}"
    if edge == 1:
        return f"{text[:-1]}—"
    return text


CIRCUMFLEX_WORDS = [
    "château",
    "âge",
    "âme",
    "âne",
    "grâce",
    "pâte",
    "appât",
    "dégât",
    "théâtre",
    "câmara",
    "âmbito",
    "âncora",
    "ânimo",
    "lâmpada",
    "România",
    "Brâncuși",
    "când",
    "cât",
    "râs",
    "mâine",
    "pâine",
    "tâm",
    "lâm",
    "âm",
    "âu",
    "thâm",
    "ngâm",
    "trâm",
    "Tâm",
    "Âge",
]
OTHER_WORDS = ["le", "la", "de", "o", "e", "și", "và", "un", "em", "nhạc", "très", "à", "é"]
PUNCTUATION = [",", ".", ";", ":", "!", "?", " —", " –", "…", ")"]


@st.composite
def foreign_sentence(draw: st.DrawFn) -> str:
    """A fr/pt/ro/vi-like sentence with legitimate ``â`` words, quotes and punctuation."""
    words = draw(st.lists(st.sampled_from(CIRCUMFLEX_WORDS + OTHER_WORDS), min_size=1, max_size=8))
    pieces: list[str] = []
    for word in words:
        form = draw(st.integers(0, 7))
        if form == 0:
            word = f"“{word}”"
        elif form == 1:
            word = f"„{word}”"
        elif form == 2:
            word = f"« {word} »"
        elif form == 3:
            word = f"({word}"
        elif form == 4:
            word = f"l’{word}"
        pieces.append(word + draw(st.sampled_from(["", "", "", *PUNCTUATION])))
    return " ".join(pieces)
