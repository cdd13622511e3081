"""Trust, but verify: before a run builds a blog's posts from its feed, a few pages are compared.

The verification is a chain of requests, each carrying the whole state in its meta (so any
process of a distributed crawl may answer any link of it, and nothing is held in memory):

1. The first page of the post feed is read; of its entries that the run would store (new or
   changed posts) and that carry the whole post, the first ``size`` are the *sample*
   (:func:`pick_sample`). Nothing is stored yet.
2. Each sample's page is fetched in turn and its record compared with the record the raw
   entry gives (:func:`compare_page`). A page that gives no record (fetch failed, not a post)
   is no evidence either way (``uncompared``).
3. After the last sample, or at the first mismatch, the first feed page is read again with
   the :class:`Verdict`: ``TRUSTED`` builds posts from the feed, ``FALLBACK`` fetches every
   post's page for this run, and the run records why (:attr:`SampleChain.reason`).

A sample of 0 (``--source feed``) trusts the feed without checking. The cost is one request
per sample plus the first feed page once more.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from crawler.discovery.feed import FeedFormatError
from crawler.extraction import KEPT_PAGE_REJECTIONS, parse_and_clean
from crawler.feed_records import (
    EntryUnusableError,
    PostEntry,
    record_differences,
    record_from_raw_entry,
)

DEFAULT_SAMPLE = 3
"""Sample pages fetched per blog and run (setting ``BLOGINGEST_FEED_VERIFY_SAMPLE``)."""


class Verdict(StrEnum):
    """What the sample decided for one blog's run."""

    TRUSTED = "trusted"
    FALLBACK = "fallback"


@dataclass(frozen=True)
class Sample:
    """One sampled post: its canonical URL, where to fetch its page, and its raw entry."""

    key: str
    url: str
    raw: bytes
    """:attr:`~crawler.feed_records.PostEntry.raw` (the record is rebuilt from it)."""


@dataclass(frozen=True)
class SampleChain:
    """The verification's state, carried from request to request (see the module docstring)."""

    feed_url: str
    """The first feed page, read again once the verdict is in."""
    samples: tuple[Sample, ...]
    position: int = 0
    """Index of the sample whose page is being fetched."""
    compared: int = 0
    uncompared: int = 0
    reason: str | None = None
    """Why the blog falls back to pages (one line); ``None`` while every page agrees."""
    differing: tuple[str, ...] = field(default=())

    @property
    def current(self) -> Sample | None:
        """The sample whose page is to be (or being) fetched; ``None`` when done."""
        if self.reason is not None or self.position >= len(self.samples):
            return None
        return self.samples[self.position]

    @property
    def verdict(self) -> Verdict:
        """``FALLBACK`` once a page disagreed, else ``TRUSTED`` (meaningful when done)."""
        return Verdict.FALLBACK if self.reason is not None else Verdict.TRUSTED

    def answered(self, differences: tuple[str, ...] | None) -> SampleChain:
        """Return the chain after the current sample's page answered.

        ``differences``: ``None`` when the page gave no record, else the fields in which the
        page's record and the feed's disagree.
        """
        sample = self.samples[self.position]
        if differences is None:
            return replace(self, position=self.position + 1, uncompared=self.uncompared + 1)
        moved = replace(self, position=self.position + 1, compared=self.compared + 1)
        if not differences:
            return moved
        reason = (
            f"feed-built {sample.key} differs from its page in {', '.join(differences)}; "
            "this run takes every post from its page"
        )
        return replace(moved, reason=reason, differing=differences)

    def failed(self, status: int | None = None) -> SampleChain:
        """Return the chain after the current sample's page could not be fetched.

        A page that answers 404 or 410 is evidence: the feed lists a post that does not
        exist (a stale or invented entry), so the blog falls back to pages. Any other
        failure (timeout, 5xx after retries) is no evidence either way.
        """
        if status not in (404, 410):
            return self.answered(None)
        sample = self.samples[self.position]
        reason = (
            f"feed-built {sample.key}: its page answers HTTP {status}; "
            "this run takes every post from its page"
        )
        moved = replace(self, position=self.position + 1, compared=self.compared + 1)
        return replace(moved, reason=reason, differing=("page missing",))

    def summary(self) -> str:
        """One line for the run's notes."""
        verdict = "trusted" if self.reason is None else f"not trusted: {self.reason}"
        return (
            f"feed-first verification: {self.compared} of {len(self.samples)} sample pages "
            f"compared ({self.uncompared} gave no record); feed {verdict}"
        )

    def to_meta(self) -> dict[str, Any]:
        """Return plain values for a request's meta (a shared queue pickles them)."""
        return {
            "feed_url": self.feed_url,
            "samples": [(s.key, s.url, s.raw) for s in self.samples],
            "position": self.position,
            "compared": self.compared,
            "uncompared": self.uncompared,
            "reason": self.reason,
            "differing": list(self.differing),
        }

    @classmethod
    def from_meta(cls, data: dict[str, Any]) -> SampleChain:
        """Return the chain :meth:`to_meta` gave ``data`` for."""
        return cls(
            feed_url=data["feed_url"],
            samples=tuple(Sample(key, url, raw) for key, url, raw in data["samples"]),
            position=int(data["position"]),
            compared=int(data["compared"]),
            uncompared=int(data["uncompared"]),
            reason=data["reason"],
            differing=tuple(data["differing"]),
        )


def pick_sample(candidates: Iterable[tuple[str, str, PostEntry]], size: int) -> tuple[Sample, ...]:
    """Return the first ``size`` candidates ``(canonical URL, fetch URL, entry)`` as samples.

    Candidates are the entries, in feed order, that the run would store and that carry the
    whole post.
    """
    picked: list[Sample] = []
    for key, url, entry in candidates:
        if len(picked) >= size:
            break
        picked.append(Sample(key, url, entry.raw))
    return tuple(picked)


def compare_page(
    sample: Sample, url: str, body: bytes, content_type: str | None
) -> tuple[str, ...] | None:
    """Return the fields in which the page's record and the sample's feed record disagree.

    ``None`` when either gives no record (the page is not a post, the raw entry unusable):
    no evidence either way.
    """
    try:
        feed = record_from_raw_entry(sample.raw)
    except (FeedFormatError, EntryUnusableError):
        return None
    try:
        page = parse_and_clean(url, body, content_type=content_type)
    except KEPT_PAGE_REJECTIONS:
        return None
    return record_differences(feed, page)
