"""The ``REDIS_URL`` switch: scrapy-redis scheduler + run-scoped dupefilter + worker extensions.

:func:`distributed_settings` is called by ``crawler.settings`` at import time; with no
``REDIS_URL`` it returns nothing and the crawl stays a single process. Redis key names live
here so the scheduler, the workers and the docs agree on them.
"""

from __future__ import annotations

import os
import socket
from typing import Any

# Run-accounting times: the environment sets them, a -s setting overrides (docs/scaling.md).
_TIMING_DEFAULTS = {
    # Seconds a run may show no progress before an idle worker closes it as interrupted
    # (its worker died with requests in flight); the next run refetches what is missing.
    "BLOGINGEST_RUN_STALL_SECONDS": 600.0,
    # A run whose pending count reached zero is closed when nothing changed in it for this
    # long: every worker's last store batch (written within STORE_BATCH_SECONDS, 2 s, plus
    # the write) must be in the database and counted before the run closes, or the next run
    # could refetch posts that were about to land. Keep it well above that.
    "BLOGINGEST_RUN_SETTLE_SECONDS": 10.0,
    "BLOGINGEST_IDLE_POLL_SECONDS": 1.0,
}

KEY_PREFIX = "blogingest"
START_JOBS_KEY = f"{KEY_PREFIX}:start_jobs"
"""List of JSON start jobs (LPUSH by the scheduler, RPOP by exactly one worker each)."""
QUEUE_KEY = f"{KEY_PREFIX}:requests"
"""scrapy-redis priority queue (a sorted set) of serialized requests shared by all workers."""
DUPEFILTER_KEY = f"{KEY_PREFIX}:seen"
"""scrapy-redis seen-set of requests without a run; runs use :func:`seen_key`."""
ACTIVE_RUNS_KEY = f"{KEY_PREFIX}:active_runs"
"""Set of crawl-run ids with work in Redis (see :mod:`crawler.distributed.run_accounts`)."""
WORKER_RESPONSES_KEY = f"{KEY_PREFIX}:worker_responses"
"""Hash worker id → responses handled: how the work is spread."""
TOKEN_META = "run_token"  # noqa: S105 - a meta key, not a secret
"""Meta key of a request's pending token (copied by retries and redirects, on purpose); the
spider reads it here, so a single-process crawl never imports the Redis accounting."""


def run_key(run_id: int) -> str:
    """Return the key of the hash holding run ``run_id``'s pending counter, counts and errors."""
    return f"{KEY_PREFIX}:run:{run_id}"


def blog_claim_key(blog_url: str) -> str:
    """Return the key naming the open run of the blog whose canonical home is ``blog_url``.

    Set atomically when a worker opens a run and deleted when the run closes: one run per
    blog at a time, however the blog was queued.
    """
    return f"{KEY_PREFIX}:blog:{blog_url}"


def seen_key(run_id: int) -> str:
    """Return the key of run ``run_id``'s seen-set (request fingerprints, deleted at close)."""
    return f"{DUPEFILTER_KEY}:{run_id}"


def worker_id() -> str:
    """Return the name of this worker: ``BLOGINGEST_WORKER_ID`` or ``host:pid``."""
    return os.environ.get("BLOGINGEST_WORKER_ID") or f"{socket.gethostname()}:{os.getpid()}"


def distributed_settings(redis_url: str | None) -> dict[str, Any]:
    """Scrapy settings that put this crawl on the shared frontier at ``redis_url``.

    Empty when ``redis_url`` is ``None`` or blank. ``SCHEDULER_PERSIST`` keeps the queue and
    seen-set when a worker stops, so a killed worker never flushes the others' work.
    """
    if not redis_url or not redis_url.strip():
        return {}
    return {
        "REDIS_URL": redis_url.strip(),
        # scrapy-redis's scheduler, riding out Redis outages (one log line, runs marked lost).
        "SCHEDULER": "crawler.distributed.shared_queue.SharedQueueScheduler",
        "DUPEFILTER_CLASS": "crawler.distributed.dupefilter.RunScopedDupeFilter",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": QUEUE_KEY,
        "SCHEDULER_DUPEFILTER_KEY": DUPEFILTER_KEY,
        "BLOGINGEST_DISTRIBUTED": True,
        **{name: timing_from_env(name) for name in _TIMING_DEFAULTS},
    }


def timing_from_env(name: str) -> float:
    """Return run-accounting time ``name`` from the environment, else its default.

    A value that is not a positive number is refused with a one-line ``ValueError``: a
    zero or negative stall or settle time would close every run at once.
    """
    default = _TIMING_DEFAULTS[name]
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a number of seconds") from None
    if not value > 0:
        raise ValueError(f"{name}={raw!r} must be a positive number of seconds")
    return value
