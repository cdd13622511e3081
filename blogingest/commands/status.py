"""``blogingest status``: per blog, what is stored, how its last runs ended, when it runs next.

Reads only: posts (live, and deleted once the schema records deletions), comments held
against the counts Blogger shows, the last successful run, the last failed one with its reason,
a run still going, and the next run time in the scheduler's job store. ``--json`` prints the
same as one JSON document for scripts.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from blogingest.arguments import add_database_option, blog_option, open_command_database

if TYPE_CHECKING:
    from storage.blog_status import BlogStatus, RunMark

NAME = "status"
HELP = "show each blog's posts, last success, last failure and next scheduled run"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--blog", metavar="URL", help="only this blog (any URL of it)")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    add_database_option(parser)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy.orm import Session

    from scheduler.job_times import stored_next_runs
    from scheduler.jobs import job_id_for
    from storage.blog_status import blog_statuses

    blog = blog_option(args.blog)
    database = open_command_database(args.db)
    try:
        with Session(database.engine) as session:
            statuses = blog_statuses(session, blog_url=blog)
        next_runs = stored_next_runs(database.engine)
    finally:
        database.dispose()
    scheduled = {s.blog_url: next_runs.get(job_id_for(s.blog_url), _UNSCHEDULED) for s in statuses}
    if args.json:
        document = [
            {**s.to_json(), "next_run": _next_run_json(scheduled[s.blog_url])} for s in statuses
        ]
        print(json.dumps(document, ensure_ascii=False, indent=2))
    elif not statuses:
        print("no blogs yet: crawl one with `blogingest crawl URL`")
    else:
        now = datetime.now(UTC)
        print("\n\n".join(format_status(s, scheduled[s.blog_url], now) for s in statuses))
    return 0


class _Unscheduled:
    """The blog has no job in the job store."""


_UNSCHEDULED = _Unscheduled()


def _next_run_json(value: datetime | None | _Unscheduled) -> dict[str, Any]:
    if isinstance(value, _Unscheduled):
        return {"scheduled": False, "at": None}
    return {"scheduled": True, "at": value.isoformat() if value else None}


def format_status(
    status: BlogStatus, next_run: datetime | None | _Unscheduled, now: datetime
) -> str:
    """Return the block of lines ``status`` prints for one blog."""
    title = f"  ({status.title})" if status.title else ""
    posts = f"{status.live_posts} live"
    posts += f", {status.deleted_posts} deleted" if status.deleted_posts is not None else ""
    lines = [
        f"{status.blog_url}{title}",
        f"  posts         {posts}",
        f"  comments      {_comments(status)}",
        f"  last success  {_mark(status.last_success, with_error=False)}",
        f"  last failure  {_mark(status.last_failure, with_error=True)}",
    ]
    if status.running is not None:
        lines.append(f"  running       {_mark(status.running, with_error=False)}")
    lines.append(f"  next run      {_next_run(next_run, now)}")
    return "\n".join(lines)


def _comments(status: BlogStatus) -> str:
    gap = status.comments
    text = f"{gap.held} held of {gap.shown} shown"
    return f"{text} ({gap.missing} not held)" if gap.missing else text


def _mark(mark: RunMark | None, *, with_error: bool) -> str:
    if mark is None:
        return "never"
    text = f"{_when(mark.started_at)} (run {mark.run_id}"
    text += f", {mark.status})" if mark.status not in ("success", "running", "failed") else ")"
    if with_error and mark.first_error:
        text += f": {mark.first_error}"
    if mark.first_note:
        text += f"; note: {mark.first_note}"
    return text


def _next_run(value: datetime | None | _Unscheduled, now: datetime) -> str:
    if isinstance(value, _Unscheduled):
        return "not scheduled"
    if value is None:
        return "paused"
    if value <= now:
        return f"{_when(value)} (due now)"
    return f"{_when(value)} (in {_short(value - now)})"


def _short(delta: Any) -> str:
    from crawler.extensions.progress import format_duration

    return format_duration(delta.total_seconds())


def _when(moment: datetime) -> str:
    utc = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%d %H:%M:%S UTC")
