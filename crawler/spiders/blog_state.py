"""What storage knows about a blog that its crawl compares against (per-blog crawl state).

An incremental crawl loads, once per target: the blog's known posts (to skip unchanged ones),
their HTTP validators (conditional GET) and the pages the current parser already rejected as
not a post (skipped while unchanged). A full crawl loads none of them except the validators
of known posts, of which it has none: it refetches everything.
"""

from __future__ import annotations

from crawler.parsing import PARSER_VERSION
from crawler.spiders.blog_plan import BlogTarget
from storage import crawl_state
from storage.database import Database
from storage.values import KnownPost


class StoredBlogState:
    """Reads a blog's stored crawl state into its :class:`BlogTarget` (one transaction each)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def known_posts(self, blog_url: str, *, full: bool) -> dict[str, KnownPost]:
        """Return the blog's stored posts by canonical URL (none for a full crawl)."""
        if full:
            return {}
        return self.database.transaction(lambda session: crawl_state.known_posts(session, blog_url))

    def load(self, target: BlogTarget) -> None:
        """Fill ``target``'s known posts, validators and rejected pages (as its ``full`` says)."""
        target.known = self.known_posts(target.blog_url, full=target.full)
        self.load_recrawl_state(target)

    def load_recrawl_state(self, target: BlogTarget) -> None:
        """Load what an incremental crawl compares against besides the known posts.

        The HTTP validators of known posts (conditional GET), and the pages the current parser
        already rejected as not a post (skipped while unchanged). A full crawl loads neither
        of the latter: it refetches everything.
        """
        known = target.known
        if known:
            target.validators = self.database.transaction(
                lambda session: crawl_state.fetch_validators(
                    session, [url for link in known if (url := target.fetch_url(link))]
                )
            )
        if not target.full:
            hosts = [target.netloc, *sorted(target.hosts)]
            target.rejected = self.database.transaction(
                lambda session: crawl_state.rejected_non_posts(session, hosts, PARSER_VERSION)
            )
