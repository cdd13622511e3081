"""Deterministic English-ish prose for fake posts: titles, paragraphs, comments.

Everything here is a pure function of a ``random.Random`` the caller seeds, so a post's text
can be regenerated lazily from its own seed. Paragraph text is plain Unicode (no markup, no
entities); the themes escape it. Some paragraphs carry curly quotes, an em dash or an ``&``
on purpose, because real Blogger bodies do and parsers get them wrong.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

_WORD_TEXT = (
    "the a of and to in that it with as for was on are be this by from at or have an they "
    "which one you had not but what all were when we there can said each she do how their "
    "if will up other about out many then them these so some her would make like him into "
    "time has look two more write go see number no way could people my than first water "
    "been call who oil its now find long down day did get come made may part garden "
    "kettle morning river bread window harbour lantern quiet winter summer market station "
    "letter bicycle recipe mountain meadow village teacher library notebook weather "
    "journey evening chapter orchard ferry cottage pepper honey lemon saffron thunder "
    "pebble hedge meadowlark compass ledger sketch violin chorus canal bridge tower "
    "orchard furnace postcard suitcase workshop kitchen"
)
_WORDS = tuple(_WORD_TEXT.split())
_TITLE_TEXT = (
    "notes on the garden a winter walk along river lessons from an old kitchen why I "
    "still bake bread small joys of ferry rides what the library taught me letters home "
    "making lemon marmalade first frost in village a week at harbour fixing my bicycle "
    "sketchbook pages thunder over mountain weekend market finds quiet evening reading "
    "list tuning violin recipe for honey cake journey by night train"
)
_TITLE_WORDS = tuple(_TITLE_TEXT.split())
_NAMES = (
    "Ada Hartley",
    "Bruno Castell",
    "Clara Voss",
    "Dmitri Okafor",
    "Elena Marsh",
    "Farid Lindqvist",
    "Greta Nakamura",
    "Hugo Brennan",
    "Ines Kowalski",
    "Jonas Whitfield",
)
_LABEL_POOL = (
    "Garden",
    "Recipes",
    "Travel",
    "Books",
    "Cycling",
    "Food & Drink",
    "Music",
    "Weather",
    "Family",
    "Notes",
    "Workshop",
    "Photography",
    "Village Life",
    "Letters",
)
# Flourishes that exercise text handling: curly quotes, em dash, ampersand, an accented word.
_FLOURISHES = (
    "“I never planned it,” she said — and meant it.",
    "It’s the kind of thing you only notice in March.",
    "Salt & pepper, nothing more.",
    "We called it the café by the bridge.",
    "Nobody — not even the ferryman — knew the time.",
    "R&D, as my uncle liked to call his shed.",
)


@dataclass(frozen=True)
class Block:
    """One block of a post body.

    ``kind`` is ``"p"`` (paragraph), ``"h"`` (sub-heading), ``"li"`` (list item; consecutive
    items form one list) or ``"img"`` (an image-only block whose ``text`` is the image URL).
    Every block except ``img`` is one expected paragraph.
    """

    kind: str
    text: str


def sentence(rng: random.Random) -> str:
    """Return one sentence of 6-18 words, capitalised and ending in a full stop."""
    words = rng.choices(_WORDS, k=rng.randint(6, 18))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random) -> str:
    """Return a paragraph of 2-6 sentences; about one in four carries a flourish."""
    parts = [sentence(rng) for _ in range(rng.randint(2, 6))]
    if rng.random() < 0.25:
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(_FLOURISHES))
    return " ".join(parts)


def title(rng: random.Random) -> str:
    """Return a post title of 3-7 words, capitalised, sometimes with a curly apostrophe."""
    words = rng.choices(_TITLE_WORDS, k=rng.randint(3, 7))
    text = " ".join(words)
    text = text[0].upper() + text[1:]
    if rng.random() < 0.1:
        text += ": a reader’s question"
    return text


def body_blocks(rng: random.Random, image_host: str) -> list[Block]:
    """Return 3-12 paragraph-like blocks, sometimes with a heading, a list and an image."""
    count = rng.randint(3, 12)
    blocks = [Block("p", paragraph(rng)) for _ in range(count)]
    if count >= 5 and rng.random() < 0.5:
        heading = title(rng).rstrip(".")
        blocks.insert(rng.randint(2, count - 1), Block("h", heading))
    if count >= 4 and rng.random() < 0.4:
        at = rng.randint(1, count - 1)
        for offset in range(rng.randint(2, 4)):
            blocks.insert(at + offset, Block("li", sentence(rng)))
    if rng.random() < 0.5:
        image = f"https://{image_host}/img/b/R29vZ2xl/AVvX{rng.getrandbits(40):x}/s640/photo.jpg"
        blocks.insert(rng.randint(1, len(blocks)), Block("img", image))
    return blocks


def author_names(rng: random.Random, count: int) -> list[str]:
    """Return ``count`` distinct display names."""
    return rng.sample(_NAMES, k=min(count, len(_NAMES)))


def label_pool(rng: random.Random, count: int) -> list[str]:
    """Return ``count`` distinct labels (some with spaces or ``&``) for one blog."""
    return rng.sample(_LABEL_POOL, k=min(count, len(_LABEL_POOL)))


def comment_text(rng: random.Random) -> str:
    """Return a short comment body (1-3 sentences)."""
    return " ".join(sentence(rng) for _ in range(rng.randint(1, 3)))


def commenter(rng: random.Random) -> str:
    """Return a commenter's display name (Blogger shows ``Anonymous`` for some)."""
    return "Anonymous" if rng.random() < 0.2 else rng.choice(_NAMES)


def slugify(text: str, max_len: int = 40) -> str:
    """Return a Blogger-like slug: lower-case ASCII words joined by ``-``, cut at a word."""
    cleaned = "".join(ch if ch.isascii() and ch.isalnum() else " " for ch in text.lower())
    slug = ""
    for word in cleaned.split():
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_len:
            break
        slug = candidate
    return slug or "post"
