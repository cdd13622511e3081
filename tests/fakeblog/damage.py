"""Body damage real blogs carry in their stored text, the same in the page and the feed.

Damage is part of the post as written (old imports, editors), not a serving fault: it
changes the post's blocks, so its page and every feed entry that carries content show the
same damaged body, and a correct parse-and-clean of either gives the same record. It does
not bump ``updated`` (the post was always like this); apply it before serving.
"""

from __future__ import annotations

from enum import Enum

from tests.fakeblog.model import FakeBlog
from tests.fakeblog.posts import FakePost
from tests.fakeblog.prose import Block

_STRAIGHT = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})  # noqa: RUF001


class Damage(Enum):
    """Kinds of body damage."""

    LOSSY_MOJIBAKE = "lossy-mojibake"
    """Every text block read as the seed post was: typographic punctuation left as ``â``."""

    REPEATED_PARAGRAPHS = "repeated-paragraphs"
    """The first text block written twice more: right after itself and at the end."""


def _lossy(text: str) -> str:
    """UTF-8 read as cp1252 (undefined bytes lost), quotes straightened, non-Latin-1 dropped.

    The seed post's damage (tests/support/damage.py), which crawler/cleaning repairs.
    """
    misread = text.encode("utf-8").decode("cp1252", errors="ignore").translate(_STRAIGHT)
    return "".join(char for char in misread if ord(char) < 0x100)


def damaged_blocks(blocks: list[Block], kind: Damage) -> list[Block]:
    """Return ``blocks`` with ``kind`` of damage (a new list; ``blocks`` is not changed)."""
    if kind is Damage.LOSSY_MOJIBAKE:
        return [block if block.kind == "img" else Block(block.kind, _lossy(block.text))
                for block in blocks]  # fmt: skip
    first = next((i for i, block in enumerate(blocks) if block.kind == "p"), None)
    if first is None:
        return list(blocks)
    repeat = Block("p", blocks[first].text)
    return [*blocks[: first + 1], repeat, *blocks[first + 1 :], repeat]


def damage_post(blog: FakeBlog, post_id: str, kind: Damage) -> FakePost:
    """Give the post ``kind`` of damage in its page and its feed entries alike."""
    with blog.lock:
        post = blog.post(post_id)
        post._blocks = damaged_blocks(post.blocks, kind)
        blog.generation += 1
        return post
