"""Building a crawl process: the start-up every crawl command goes through.

What a command builds before the first request (imported modules, settings, components, the
spider) lives until the process exits. Python's cyclic collector would walk all of it while
it is built (the imports alone set off full collections), at each full collection of the
crawl, and twice more at exit, a cost that grows with nothing the crawl does. Under
``benchmarks.feed_first`` (a 2,000-post feed-first crawl, 3.8 s of CPU) the collections during
the imports were about 0.1 s and the later ones over what they built about 0.25 s. So the
collector is paused while the crawl is built and what was built is then frozen
(``gc.freeze()``: never walked again, never freed by the collector, which is right for what
lives until exit); what the crawl allocates afterwards is collected as before.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def crawl_start_up() -> Iterator[None]:
    """Build the crawl process inside this block; start it after the block.

    The collector is paused inside; when the block ends normally, everything it built is
    frozen. On an error nothing is frozen. Either way the collector is resumed as it was.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if enabled:
            gc.enable()
