"""Parse and clean in one call, for the ``parse`` command, the benchmarks and seed tests.

The cleaning stage (:mod:`crawler.cleaning`) is imported lazily and is optional: where it is
not installed the record comes back parsed but uncleaned, and :data:`CLEANING_AVAILABLE`
says so, so that callers can report it rather than fail.
"""

from __future__ import annotations

from collections.abc import Callable

from crawler.items import BlogPost
from crawler.parsing import parse_page

_clean: Callable[[BlogPost], BlogPost] | None
try:
    from crawler.cleaning import clean_post as _clean
except ImportError:  # the cleaning stage is built separately; parsing works without it
    _clean = None

CLEANING_AVAILABLE = _clean is not None
"""Whether :func:`parse_and_clean` really cleans."""


def parse_and_clean(url: str, body: bytes, *, content_type: str | None = None) -> BlogPost:
    """Return ``clean_post(parse_page(url, body))`` (uncleaned if cleaning is unavailable).

    Raises what :func:`crawler.parsing.parse_page` raises.
    """
    post = parse_page(url, body, content_type=content_type)
    return _clean(post) if _clean is not None else post
