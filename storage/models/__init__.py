"""The ORM models, one module per table group; import from here."""

from __future__ import annotations

from storage.models.base import Base
from storage.models.comments import Comment
from storage.models.crawl import CrawlRun, FetchState, RejectedPageRow
from storage.models.posts import Blog, ChangeCounter, Post, PostRevision
from storage.models.scheduling import SchedulerLock

__all__ = [
    "Base",
    "Blog",
    "ChangeCounter",
    "Comment",
    "CrawlRun",
    "FetchState",
    "Post",
    "PostRevision",
    "RejectedPageRow",
    "SchedulerLock",
]
