"""The page's comment thread read with every fast reader, and with none (the generic walk).

The fast readers (served, rendered, classic and first-template serialized threads) must give
exactly what the generic reader gives; the differential tests of each compare the two here.
"""

from __future__ import annotations

from unittest import mock

from lxml.html import HtmlElement

from crawler.parsing import (
    comment_classic,
    comment_early,
    comment_rendered,
    comment_serialized,
    comment_thread,
)


def none_for_each(container: HtmlElement, blocks: list[HtmlElement]) -> comment_early.EarlyBlocks:
    """Stand in for ``comment_early.read_blocks``: every block left to the generic reader."""
    return comment_early.EarlyBlocks([None] * len(blocks), None)


def generic_thread(body: HtmlElement, shown: int | None = None) -> comment_thread.PageThread:
    """Return ``read_thread(body, shown)`` with every serialized fast reader switched off."""
    with (
        mock.patch.object(comment_serialized, "serialized_thread", return_value=None),
        mock.patch.object(comment_serialized, "serialized_terms", return_value=None),
        mock.patch.object(comment_classic, "serialized_list", return_value=None),
        mock.patch.object(comment_rendered, "rendered_thread", return_value=None),
        mock.patch.object(comment_early, "read_blocks", side_effect=none_for_each),
    ):
        return comment_thread.read_thread(body, shown)


def assert_fast_reads_as_generic(root: HtmlElement, shown: int | None = None) -> None:
    """Assert the thread beside ``#body`` reads the same with the fast readers and without."""
    body = root.get_element_by_id("body")
    fast = comment_thread.read_thread(body, shown)
    generic = generic_thread(body, shown)
    assert fast.comments == generic.comments
    assert fast.partial == generic.partial
