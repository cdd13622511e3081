"""Why a page did not become a post."""

from __future__ import annotations


class NotAPostError(Exception):
    """The page is readable but is not a single post (listing, error page, JS shell ...).

    ``reason`` is one line for people and logs, e.g. ``"archive listing (pageType archive)"``.
    The crawl keeps such pages in the rejects table with this reason and their bytes.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnreadablePageError(Exception):
    """The bytes cannot be read as a document at all (empty, binary, undecodable)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
