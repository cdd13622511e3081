"""Which letters around a damaged ``â`` spell an English contraction, possessive or elision.

Lossy mojibake turns ``’`` into a lone ``â`` glued inside a word (``donât``, ``Pakistanâs``).
A legitimate ``â`` also sits inside words (``château``, ``tâm``, ``râs``, ``appât``), so a
glued ``â`` is read as an apostrophe only when the letters around it form an English
contraction from a closed list, or a possessive ``-’s`` on a stem of two letters or more.
A word-initial ``â`` is an apostrophe before the few English words that drop their first
letters (``’em``, ``’til``, ``’cause``); no French, Portuguese, Romanian or Vietnamese word
starts with ``â`` and goes on like them.
"""

from __future__ import annotations

# Stems before "’t": only these, so the French "appât" or "donnât" never matches.
_NOT_STEMS = frozenset(
    {
        "don",
        "doesn",
        "didn",
        "isn",
        "aren",
        "wasn",
        "weren",
        "hasn",
        "haven",
        "hadn",
        "can",
        "couldn",
        "wouldn",
        "shouldn",
        "mustn",
        "mightn",
        "needn",
        "won",
        "ain",
        "daren",
        "shan",
        "oughtn",
        "mayn",
    }
)
_PRONOUN_STEMS = {
    "m": frozenset({"i"}),
    "d": frozenset(
        {
            "i",
            "you",
            "he",
            "she",
            "we",
            "they",
            "it",
            "that",
            "who",
            "there",
            "what",
            "where",
            "how",
        }
    ),
    "ll": frozenset(
        {
            "i",
            "you",
            "he",
            "she",
            "we",
            "they",
            "it",
            "that",
            "there",
            "who",
            "what",
            "this",
            "where",
            "how",
        }
    ),
    "re": frozenset({"you", "we", "they", "who", "what", "there", "where", "here", "how", "why"}),
    "ve": frozenset(
        {
            "i",
            "you",
            "we",
            "they",
            "could",
            "would",
            "should",
            "might",
            "must",
            "who",
            "what",
            "may",
        }
    ),
}
# Words with an apostrophe that fits none of the patterns above.
_WHOLE_WORDS = frozenset({("o", "clock"), ("y", "all"), ("ma", "am")})

# Words written with a leading apostrophe for dropped letters (them, until, because, it is,
# it was). Not "’n’": its "ân" is also Vietnamese (``ân tình``); see lossy_quotes.
_LEADING_ELISIONS = frozenset({"em", "til", "cause", "tis", "twas"})

# Two letters keeps one-consonant words such as Romanian "râs" out of the possessive rule.
_MIN_POSSESSIVE_STEM = 2


CONTRACTION_SUFFIXES = frozenset(
    {"s", "t", *_PRONOUN_STEMS, *(suffix for _, suffix in _WHOLE_WORDS)}
)
"""Every suffix (lower case) for which :func:`is_contraction` may be True: the rest never is."""


def is_contraction(stem: str, suffix: str) -> bool:
    """Return True when ``stem + "’" + suffix`` is an English contraction or possessive.

    ``stem`` and ``suffix`` are the whole letter runs on either side of the ``â``.
    """
    low_stem, low_suffix = stem.lower(), suffix.lower()
    if low_suffix == "s":
        return len(stem) >= _MIN_POSSESSIVE_STEM
    if low_suffix == "t":
        return low_stem in _NOT_STEMS
    stems = _PRONOUN_STEMS.get(low_suffix)
    if stems is not None:
        # A one-letter stem is only the pronoun "I", capitalised ("tâm" must stay).
        return low_stem in stems and (len(stem) > 1 or stem == "I")
    return (low_stem, low_suffix) in _WHOLE_WORDS


def is_leading_elision(word: str) -> bool:
    """Return True when ``"’" + word`` is an English elision (``’em``, ``’til``, ``’cause``).

    ``word`` is the whole letter run after the ``â``.
    """
    return word.lower() in _LEADING_ELISIONS
