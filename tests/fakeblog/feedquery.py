"""GData feed query parameters as Blogger honours them, and the selection they make.

Rules (see docs/blogger-reference.md §2.2): ``start-index`` is 1-based; ``max-results`` is
honoured only up to the blog's ``feed_cap`` (default size ``feed_default_size``);
``updated-min``/``updated-max`` are ignored unless ``orderby=updated``; ``published-min``/
``published-max`` always apply. Minimums are inclusive, maximums exclusive. Without
``orderby`` the order is newest ``published`` first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

from tests.fakeblog.spec import BlogSpec

T = TypeVar("T")


class BadQueryError(ValueError):
    """A query parameter the fake cannot honour; the message names the bad value."""


@dataclass(frozen=True)
class FeedQuery:
    """A parsed feed query; ``alt`` is ``atom``, ``json`` or ``rss``."""

    start_index: int
    max_results: int
    orderby: str
    alt: str
    updated_min: datetime | None = None
    updated_max: datetime | None = None
    published_min: datetime | None = None
    published_max: datetime | None = None


def _int_param(query: dict[str, str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    if not raw.strip().isdigit() or int(raw) < 1:
        raise BadQueryError(f"{name} must be a positive integer, got {raw!r}")
    return int(raw)


def parse_time(name: str, raw: str) -> datetime:
    """Parse an RFC 3339 query value; a ``+`` decoded to a space is put back; naive = UTC."""
    text = raw.strip().replace(" ", "+")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadQueryError(f"{name} is not an RFC 3339 time: {raw!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _time_param(query: dict[str, str], name: str) -> datetime | None:
    raw = query.get(name)
    return None if raw is None else parse_time(name, raw)


def parse_feed_query(query: dict[str, str], spec: BlogSpec) -> FeedQuery:
    """Parse feed parameters; raises ``BadQueryError`` naming a bad value."""
    alt = query.get("alt", "atom")
    if alt not in ("atom", "json", "rss"):
        raise BadQueryError(f"alt={alt!r} is not served by the fake blog (atom, json, rss)")
    orderby = query.get("orderby", "published")
    if orderby not in ("published", "updated"):
        raise BadQueryError(f"orderby must be published or updated, got {orderby!r}")
    asked = _int_param(query, "max-results", spec.feed_default_size)
    by_updated = orderby == "updated"
    return FeedQuery(
        start_index=_int_param(query, "start-index", 1),
        max_results=min(asked, spec.feed_cap),
        orderby=orderby,
        alt=alt,
        # Blogger silently ignores updated-min/max unless the feed is ordered by updated.
        updated_min=_time_param(query, "updated-min") if by_updated else None,
        updated_max=_time_param(query, "updated-max") if by_updated else None,
        published_min=_time_param(query, "published-min"),
        published_max=_time_param(query, "published-max"),
    )


def _within(moment: datetime, low: datetime | None, high: datetime | None) -> bool:
    return (low is None or moment >= low) and (high is None or moment < high)


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a selection: its entries and the totals the feed reports."""

    entries: list[T]
    total: int
    has_next: bool


def select(
    items: Sequence[T],
    fq: FeedQuery,
    published: Callable[[T], datetime],
    updated: Callable[[T], datetime],
    presorted: bool = False,
) -> Page[T]:
    """Filter, order and cut ``items`` as the query says.

    ``presorted`` promises ``items`` are already newest first by the query's ``orderby``
    key, which spares a sort per feed page (5,000-post feeds are paged hundreds of times).
    """
    bounded = any((fq.published_min, fq.published_max, fq.updated_min, fq.updated_max))
    chosen = (
        [
            item
            for item in items
            if _within(published(item), fq.published_min, fq.published_max)
            and _within(updated(item), fq.updated_min, fq.updated_max)
        ]
        if bounded
        else items
    )
    if not presorted:
        key = updated if fq.orderby == "updated" else published
        chosen = sorted(chosen, key=key, reverse=True)
    start = fq.start_index - 1
    end = start + fq.max_results
    return Page(list(chosen[start:end]), len(chosen), end < len(chosen))
