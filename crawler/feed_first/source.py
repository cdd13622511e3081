"""``--source auto|feed|pages``: where a crawl takes post records from."""

from __future__ import annotations

from enum import StrEnum


class Source(StrEnum):
    """Where post records come from.

    * ``auto`` (default): from the post feed where an entry carries the whole post, the
      verification sample's pages agreeing; from the page otherwise.
    * ``feed``: the same, without the verification sample (the feed is trusted).
    * ``pages``: every post from its page, as before feed-first (the feed is an index only).
    """

    AUTO = "auto"
    FEED = "feed"
    PAGES = "pages"


SOURCES = tuple(source.value for source in Source)
"""The accepted spellings, for option help and validation."""


def parse_source(value: str | Source | None) -> Source:
    """Return the :class:`Source` ``value`` names (``None``: ``auto``).

    Raises ``ValueError`` with one line naming the bad value and the accepted ones.
    """
    if value is None:
        return Source.AUTO
    if isinstance(value, Source):
        return value
    try:
        return Source(str(value).strip().lower())
    except ValueError:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}, got {value!r}") from None
