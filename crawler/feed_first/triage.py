"""One post-feed page's entries: which give their post, and why the others need the page.

The route reads a feed page two ways from one parse
(:func:`crawler.feed_records.read_indexed_entries`): as an index (URLs, times, paging, what
:func:`crawler.discovery.feed.parse_feed` gives) and for records (the entries).
:func:`plan_entries` keys the second by canonical post URL so the route can look each index
entry up; an entry is judged once, when its verdict is first needed (its content parsed once,
handed on to the builder).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from crawler.feed_records import FeedEntries, ParsedEntry, PostEntry, judge_entry
from crawler.urls import canonical_url


@dataclass(frozen=True)
class EntryPlan:
    """What to do with one entry: build the post from it, or fetch its page.

    The entry is judged (its content parsed, once) when a plan is first asked for its verdict:
    an entry whose post the run does not fetch (unchanged, on an incremental run; every run
    reads the whole feed) is never parsed. :attr:`parsed` is what the builder takes.
    """

    entry: PostEntry

    @cached_property
    def parsed(self) -> ParsedEntry:
        """The entry judged: its content parsed once and the verdict on it."""
        return judge_entry(self.entry)

    @property
    def reason(self) -> str | None:
        """``None``: the entry gives the post; else one of :data:`crawler.feed_records.REASONS`."""
        return self.parsed.verdict.reason

    @property
    def from_feed(self) -> bool:
        """Whether the post is built from the entry."""
        return self.parsed.verdict.usable


def plan_entries(read: FeedEntries) -> dict[str, EntryPlan]:
    """Return each entry's plan by the canonical URL of its ``alternate`` link.

    Entries without a usable link are left out (the index has no URL for them either). When
    two entries name the same post, the first (the feed's order) is kept. Nothing is judged
    yet (see :class:`EntryPlan`).
    """
    plans: dict[str, EntryPlan] = {}
    for entry in read.entries:
        try:
            key = canonical_url(entry.alternate_url or "")
        except ValueError:
            continue
        if key in plans:
            continue
        plans[key] = EntryPlan(entry)
    return plans
