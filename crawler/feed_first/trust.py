"""Trust, but verify: one blog's feed-built posts are stored only once sample pages agree.

Per blog and run, :class:`FeedTrust` takes the first ``sample_size`` posts the feed gives as
its *sample*: their pages are fetched and each page's record is compared with the feed-built
one (:func:`crawler.feed_records.record_differences`). Until every sample page has answered,
the posts built from the feed are *held* (not stored), and so is the request for the feed's
next page while a sample page is outstanding, which bounds what is held to about one feed
page past the sample. Then:

* every compared sample agrees: the blog is ``TRUSTED`` for the run; the held posts are
  released, and later ones pass straight through;
* a sample disagrees: the blog falls back to pages (``FALLBACK``) for the run: every held post
  is fetched as a page instead, and so is every later one; :attr:`FeedTrust.reason` says
  which post and which fields differed.

A sample page that gives no record (fetch failed, not a post) is not evidence either way: it
is counted in :attr:`FeedTrust.uncompared`. ``sample_size`` 0 trusts the feed at once
(``--source feed``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from crawler.feed_records import record_differences
from crawler.items import BlogPost


class Verdict(StrEnum):
    """Where one blog's feed-built posts stand in this run."""

    CHECKING = "checking"
    TRUSTED = "trusted"
    FALLBACK = "fallback"


@dataclass(frozen=True)
class Held:
    """A feed-built post waiting for the verdict, with what its page request would need."""

    key: str
    """The post's canonical URL (the sample's key)."""
    url: str
    """The post's fetch URL (on the blog's host)."""
    updated: datetime | None
    """The feed entry's ``updated`` (a page fetched instead keeps the feed's exact time)."""
    item: Any
    """What to emit when trusted (the crawl's :class:`~crawler.crawl_records.CrawledEntry`)."""


@dataclass
class Resolution:
    """What a step of :class:`FeedTrust` lets the route do now."""

    released: list[Held] = field(default_factory=list)
    """Feed-built posts to emit (the verdict is ``TRUSTED``)."""
    to_pages: list[Held] = field(default_factory=list)
    """Held posts whose pages must be fetched instead (the verdict became ``FALLBACK``)."""
    deferred: list[Any] = field(default_factory=list)
    """Requests the route handed over while checking (the feed's next page), to send now."""
    in_hand: list[Any] = field(default_factory=list)
    """Under ``FALLBACK``: the sample pages already fetched (what :meth:`FeedTrust.page_answered`
    was given as ``fetched``), to emit in place of their feed-built posts."""


class FeedTrust:
    """One blog's verification sample and its held posts (see the module docstring)."""

    def __init__(self, sample_size: int) -> None:
        if sample_size < 0:
            raise ValueError(f"sample_size must be >= 0, got {sample_size}")
        self.sample_size = sample_size
        self.verdict = Verdict.TRUSTED if sample_size == 0 else Verdict.CHECKING
        self.reason: str | None = None
        """Why the blog fell back to pages (one line), once it did."""
        self.compared = 0
        self.uncompared = 0
        self._samples: dict[str, BlogPost] = {}
        self._answered: set[str] = set()
        self._held: list[Held] = []
        self._in_hand: dict[str, Any] = {}
        self._deferred: list[Any] = []
        self._feed_listed = False

    @property
    def held(self) -> int:
        """How many feed-built posts wait for the verdict."""
        return len(self._held)

    def wants_sample(self) -> bool:
        """Whether the next feed-built post should be a sample (its page fetched)."""
        return self.verdict is Verdict.CHECKING and len(self._samples) < self.sample_size

    def add_sample(self, key: str, record: BlogPost) -> None:
        """Take the post ``key`` (a canonical URL) as a sample.

        ``record`` is its cleaned feed-built record, compared with the page's when it answers.
        """
        self._samples[key] = record

    def offer(self, held: Held) -> Resolution:
        """Hand over a feed-built post: released now when trusted, else held.

        Callers check :attr:`verdict` first: under ``FALLBACK`` the post's page is fetched.
        """
        if self.verdict is Verdict.TRUSTED:
            return Resolution(released=[held])
        if self.verdict is Verdict.FALLBACK:
            return Resolution(to_pages=[held])
        self._held.append(held)
        return Resolution()

    def defer(self, request: Any) -> Resolution:
        """Hand over the feed's next page request; send it at once unless a sample is out.

        Kept while a sample page is outstanding, so at most one more feed page is held.
        """
        if self.verdict is Verdict.CHECKING and self._outstanding():
            self._deferred.append(request)
            return Resolution()
        return Resolution(deferred=[request])

    def _outstanding(self) -> int:
        return len(self._samples) - len(self._answered)

    def feed_listed(self) -> Resolution:
        """Note that the post feed has no more pages (fewer samples may be all there are)."""
        self._feed_listed = True
        return self._settle()

    def page_answered(self, key: str, page: BlogPost | None, fetched: Any = None) -> Resolution:
        """Take a sample page's answer: ``page`` its cleaned record, ``None`` when it gave none.

        ``fetched`` (the page as the crawl would store it) replaces the sample's feed-built
        post should the blog fall back to pages, so that page is not fetched twice.
        """
        feed = self._samples.get(key)
        if feed is None or key in self._answered:
            return Resolution()
        self._answered.add(key)
        if fetched is not None:
            self._in_hand[key] = fetched
        if page is None:
            self.uncompared += 1
        else:
            self.compared += 1
            differing = record_differences(feed, page)
            if differing and self.verdict is Verdict.CHECKING:
                self.verdict = Verdict.FALLBACK
                self.reason = (
                    f"feed-built {key} differs from its page in {', '.join(differing)}; "
                    "posts come from their pages for this run"
                )
        return self._settle()

    def _fall_back(self, held: list[Held], deferred: list[Any]) -> Resolution:
        """Held posts go to their pages, but for samples whose page is in hand."""
        to_pages = [one for one in held if one.key not in self._in_hand]
        in_hand = [self._in_hand[one.key] for one in held if one.key in self._in_hand]
        self._in_hand.clear()
        return Resolution(to_pages=to_pages, deferred=deferred, in_hand=in_hand)

    def _settle(self) -> Resolution:
        if self.verdict is Verdict.CHECKING:
            if self._outstanding():
                return Resolution()
            if len(self._samples) < self.sample_size and not self._feed_listed:
                # Every sample so far agrees but more are wanted: let the feed page on.
                deferred, self._deferred = self._deferred, []
                return Resolution(deferred=deferred)
            self.verdict = Verdict.TRUSTED
        held, self._held = self._held, []
        deferred, self._deferred = self._deferred, []
        if self.verdict is Verdict.TRUSTED:
            self._in_hand.clear()
            return Resolution(released=held, deferred=deferred)
        return self._fall_back(held, deferred)
