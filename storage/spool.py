"""Spool files: what a crawl could not write to its database, kept as JSON lines for later.

The store stage writes one when the database stays unusable until the crawl closes;
``blogingest db load-spool FILE`` reads it back into the database. One JSON object a line:

- ``{"kind": "post", "run_id": N|null, "post": {...BlogPost.to_json_dict()...},
  "raw_page": {"url", "status", "content_type", "body_base64"}|null, "thread": false}``
  (``thread`` only when the post's page thread is not stored: its blog's comments are off)
- ``{"kind": "rejected", "run_id": N|null, "url", "reason", "reject_kind", "status",
  "content_type", "body_base64"}`` (``reject_kind``: a :class:`~crawler.items.RejectKind`
  value; files written before it existed lack it, and their reason's wording tells it)
- ``{"kind": "comment_counts", "counts": {canonical post URL: count|null}}``
- ``{"kind": "comments", "listing": {...PostComments.to_json_dict()...}}``: comments from a
  comments feed (a post's page thread travels inside its post)
- ``{"kind": "seen", "urls": [post URL, ...]}``
- ``{"kind": "post_gone", "url", "blog_url", "status", "checked_at": ISO 8601}``

Raw bytes travel base64-encoded, so a spooled post keeps its page for a later re-parse and a
spooled reject keeps the bytes that were rejected.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.items import BlogPost, FetchedPage, PostComments, PostGone, RejectedPage, RejectKind
from storage.batch import Batch


class SpoolError(ValueError):
    """A spool file that cannot be read; the message names the file and the line."""


def write_spool(directory: Path, batch: Batch) -> Path:
    """Write ``batch`` to a new ``crawl-<UTC time>-<pid>.jsonl`` in ``directory``; return it.

    Raises ``OSError`` (``ValueError`` for text the encoder refuses) when the file cannot be
    written whole; a partial file is removed (so a later ``load-spool`` never takes half a
    batch for all of it).
    """
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = directory / f"crawl-{stamp}-{os.getpid()}.jsonl"
    out = path.open("x", encoding="utf-8")  # never over another crawl's file
    try:
        with out:
            for line in _lines(batch):
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
    except (OSError, ValueError):
        path.unlink(missing_ok=True)
        raise
    return path


def fallback_spool_dirs() -> list[Path]:
    """Where spool files go when the data dir's spool folder is unusable, before the temp dir.

    The user's state directory (``$XDG_STATE_HOME``, else ``~/.local/state``) under
    ``blogingest/spool``. The last resort, a new private folder in the system's temporary
    directory, is made by :func:`spool_anywhere` only when needed.
    """
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return [Path(state) / "blogingest" / "spool"]


@dataclass
class SpoolAttempt:
    """Where a batch was spooled (``path``; ``None``: nowhere) and why earlier places failed."""

    path: Path | None = None
    failures: list[str] = field(default_factory=list)
    """One line per directory that could not take the file: ``DIR: error``."""


def spool_anywhere(directories: Sequence[Path], batch: Batch) -> SpoolAttempt:
    """Write ``batch`` to the first of ``directories`` that takes it (see :func:`write_spool`).

    When none does, a new private folder in the temporary directory is tried last (made
    with ``mkdtemp``: a shared ``/tmp`` name could be another user's folder or symlink).
    """
    attempt = SpoolAttempt()
    for directory in directories:
        try:
            attempt.path = write_spool(directory, batch)
        except (OSError, ValueError) as error:
            attempt.failures.append(f"{directory}: {_reason(error)}")
            continue
        return attempt
    try:
        attempt.path = write_spool(Path(tempfile.mkdtemp(prefix="blogingest-spool-")), batch)
    except (OSError, ValueError) as error:
        where = Path(tempfile.gettempdir()) / "blogingest-spool-*"
        attempt.failures.append(f"{where}: {_reason(error)}")
    return attempt


def describe_lost(batch: Batch) -> str:
    """Say what ``batch`` holds, for a loss: ``45 posts, 2 rejected pages, 3 comment counts``.

    Feed comments, when the batch holds any, are named too (``, 120 comments``).
    """
    posts = sum(len(items) for items in batch.posts.values())
    rejects = sum(len(items) for items in batch.rejects.values())
    text = f"{posts} posts, {rejects} rejected pages, {len(batch.counts)} comment counts"
    comments = sum(len(listing.comments) for listing in batch.comments)
    text = f"{text}, {comments} comments" if comments else text
    return f"{text}, {len(batch.gone)} deleted posts" if batch.gone else text


def _reason(error: Exception) -> str:
    return (error.strerror if isinstance(error, OSError) else None) or str(error)


def _lines(batch: Batch) -> Iterator[dict[str, Any]]:
    for run_id, items in batch.posts.items():
        for post in items:
            raw = post.raw_page
            line = {
                "kind": "post",
                "run_id": run_id,
                "post": post.to_json_dict(),
                "raw_page": None if raw is None else _page_json(raw.url, raw.body, raw),
            }
            yield line | ({"thread": False} if post.url in batch.no_threads else {})
    for run_id, pages in batch.rejects.items():
        for page in pages:
            yield {
                "kind": "rejected",
                "run_id": run_id,
                "reason": page.reason,
                "reject_kind": page.kind.value,
            } | _page_json(page.url, page.body, page)
    if batch.counts:
        yield {"kind": "comment_counts", "counts": dict(batch.counts)}
    for listing in batch.comments:
        yield {"kind": "comments", "listing": listing.to_json_dict()}
    if batch.seen:
        yield {"kind": "seen", "urls": sorted(batch.seen)}
    for gone in batch.gone:
        yield {
            "kind": "post_gone",
            "url": gone.url,
            "blog_url": gone.blog_url,
            "status": gone.status,
            "checked_at": gone.checked_at.isoformat(),
        }


def _page_json(url: str, body: bytes, page: FetchedPage | RejectedPage) -> dict[str, Any]:
    return {
        "url": url,
        "status": page.status,
        "content_type": page.content_type,
        "body_base64": base64.b64encode(body).decode("ascii"),
    }


def read_spool(path: Path) -> Batch:
    """Read a spool file written by :func:`write_spool` back into a :class:`Batch`.

    Raises :class:`SpoolError` naming the file (and the line) when it cannot be read or a
    line is not a spool record.
    """
    records = Batch()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SpoolError(f"cannot read spool file {str(path)!r}: {error}") from None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            _add(records, json.loads(line))
        except (ValueError, KeyError, TypeError, binascii.Error) as error:
            message = f"{path}:{number}: not a spool record ({type(error).__name__}: {error})"
            raise SpoolError(message) from None
    return records


def _add(records: Batch, line: dict[str, Any]) -> None:
    kind = line["kind"]
    if kind == "post":
        post = BlogPost.from_json_dict(line["post"])
        raw = line.get("raw_page")
        if raw is not None:
            post.raw_page = FetchedPage(
                url=raw["url"],
                body=base64.b64decode(raw["body_base64"], validate=True),
                status=raw["status"] if raw["status"] is not None else 200,
                content_type=raw["content_type"],
            )
        records.posts.setdefault(line["run_id"], []).append(post)
        if line.get("thread") is False:
            records.no_threads.add(post.url)
        records.size += 1
    elif kind == "rejected":
        reason = str(line["reason"])
        named = line.get("reject_kind")
        # A spooled reject is restored field by field (it is not a new rejection, and its
        # status may be missing while bytes are kept), so not through RejectedPage.of.
        page = RejectedPage(
            url=line["url"],
            reason=reason,
            kind=RejectKind(named) if named is not None else _kind_of_older_reason(reason),
            body=base64.b64decode(line["body_base64"], validate=True),
            status=line["status"],
            content_type=line["content_type"],
        )
        records.rejects.setdefault(line["run_id"], []).append(page)
        records.size += 1
    elif kind == "comment_counts":
        records.counts.update(line["counts"])
        records.size += len(line["counts"])
    elif kind == "comments":
        records.comments.append(PostComments.from_json_dict(line["listing"]))
        records.size += 1
    elif kind == "seen":
        records.seen.update(str(url) for url in line["urls"])
    elif kind == "post_gone":
        checked_at = datetime.fromisoformat(line["checked_at"])
        if checked_at.utcoffset() is None:
            raise ValueError(f"checked_at {line['checked_at']!r} has no timezone")
        records.gone.append(
            PostGone(
                url=str(line["url"]),
                blog_url=str(line["blog_url"]),
                status=int(line["status"]),
                checked_at=checked_at,
            )
        )
        records.size += 1
    else:
        raise ValueError(f"unknown kind {kind!r}")


# How each kind's reasons began before the kind was recorded (the words are fixed in old files).
_OLDER_REASON_KINDS = (
    ("not a post", RejectKind.NOT_A_POST),
    ("unreadable:", RejectKind.UNREADABLE),
    ("invalid post:", RejectKind.INVALID),
    ("unstorable post:", RejectKind.UNSTORABLE),
    ("another blog's page:", RejectKind.OFF_BLOG),
    ("not on a crawled blog:", RejectKind.OFF_BLOG),
    ("Blogger blog id ", RejectKind.OFF_BLOG),
    ("Blogger post ", RejectKind.OFF_BLOG),
)


def _kind_of_older_reason(reason: str) -> RejectKind:
    """Return the kind of a reject spooled before kinds were written (the migration's rule)."""
    for start, kind in _OLDER_REASON_KINDS:
        if reason.startswith(start):
            return kind
    return RejectKind.FETCH_FAILED
