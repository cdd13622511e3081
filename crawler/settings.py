"""Scrapy settings for blogingest: polite by default, overridable from the environment.

Politeness: robots.txt obeyed, AutoThrottle on, two requests at a time per host, a truthful
User-Agent naming a contact (``BLOGINGEST_CONTACT``), retries with Retry-After honoured, a
size cap on downloads. Tests and benchmarks may relax these for loopback; defaults stay polite.
Every ``BLOGINGEST_*``/``DATABASE_URL``/``SEEDS_DIR`` value below can be set in the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

from scrapy.settings import default_settings as _scrapy_defaults

from crawler.distributed.config import distributed_settings


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    try:
        return float(value) if value else default
    except ValueError:
        return default


BOT_NAME = "blogingest"
SPIDER_MODULES = ["crawler.spiders"]
# Our `crawl` replaces Scrapy's so that a bad -a argument is one line and exit 2.
COMMANDS_MODULE = "crawler.commands"
NEWSPIDER_MODULE = "crawler.spiders"

# --- who we are ----------------------------------------------------------------------------
BLOGINGEST_CONTACT = os.environ.get(
    "BLOGINGEST_CONTACT", "https://github.com/blogingest/blogingest#contact"
)
USER_AGENT = f"blogingest/0.1 (+{BLOGINGEST_CONTACT})"

# --- politeness ----------------------------------------------------------------------------
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = _env_bool("BLOGINGEST_AUTOTHROTTLE", True)
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_DELAY = _env_float("BLOGINGEST_DOWNLOAD_DELAY", 0.5)
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Each response yields at most a page item: a few item workers suffice, and Scrapy creates this
# many asyncio tasks per response (100 by default made task creation a top cost).
CONCURRENT_ITEMS = 8
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # no listening port in a crawler that runs unattended

# --- limits and faults ---------------------------------------------------------------------
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024  # the largest Blogger pages seen are a few MB
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [408, 429, 500, 502, 503, 504, 522, 524]
RETRY_AFTER_MAX_SECONDS = 120.0  # a Retry-After longer than this is not waited for
REDIRECT_MAX_TIMES = 5  # a redirect loop ends here and is recorded as a failure
# A request that failed after its retries is recorded as one line (run errors or rejects):
# Scrapy's own ERROR line for it would only repeat that.
RETRY_GIVE_UP_LOG_LEVEL = "INFO"
# Per blog and run (crawler.middlewares.budget): BUDGET + PER_POST x the posts the feed
# announces; a blog that needs more fails its run naming the budget, never crawls forever.
BLOGINGEST_REQUEST_BUDGET = 1000
BLOGINGEST_REQUEST_BUDGET_PER_POST = 4
BLOGINGEST_SITEMAP_MAX_CHILDREN = 1000  # child sitemaps read per blog and run
BLOGINGEST_DELETION_CHECKS = 200  # stored posts missing from a complete feed checked per run

# --- storage -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or None
STORE_BATCH_SIZE = 200  # posts per database transaction
PARSE_WORKERS = int(os.environ.get("BLOGINGEST_PARSE_WORKERS") or 0)  # >0: parse in processes
STORE_BATCH_SECONDS = 2.0  # a partial batch is written after this long
STORE_RETRY_PAUSE_SECONDS = 2.0  # at close, a failed write is retried after 2, 4, 6 s, then spooled
# Feed-first (docs/feeds.md): where post records come from (auto|feed|pages), and how many
# feed-built posts' pages each run fetches to verify the feed.
BLOGINGEST_SOURCE = os.environ.get("BLOGINGEST_SOURCE") or "auto"
BLOGINGEST_FEED_VERIFY_SAMPLE = int(os.environ.get("BLOGINGEST_FEED_VERIFY_SAMPLE") or 3)
BLOGINGEST_DATA_DIR = os.environ.get("BLOGINGEST_DATA_DIR") or "data"  # spool files land here
BLOGINGEST_RUN_ID = 0  # 0: open a new run record per blog
# A run whose lease (renewed every quarter of it) passed is dead: see storage.run_liveness.
BLOGINGEST_RUN_LEASE_SECONDS = _env_float("BLOGINGEST_RUN_LEASE_SECONDS", 120.0)
BLOGINGEST_TRIGGER = "manual"
BLOGINGEST_DRY_RUN = False  # `crawl --list`: discovery only, post requests listed, nothing stored

# --- offline seeds -------------------------------------------------------------------------
SEEDS_DIR = os.environ.get("SEEDS_DIR") or str(Path(__file__).resolve().parent.parent / "seeds")
SEEDS_OFFLINE = False  # the `seeds` spider turns this on: every request is answered from SEEDS_DIR

# --- progress ------------------------------------------------------------------------------
PROGRESS_INTERVAL = _env_float("BLOGINGEST_PROGRESS_INTERVAL", 5.0)  # seconds between lines
PROGRESS_TO_STDERR = False  # `blogingest crawl` prints progress lines on stderr

# --- components ----------------------------------------------------------------------------
STATS_CLASS = "crawler.extensions.stats.CrawlStats"  # Scrapy's, without a per-access shim
DOWNLOADER_MIDDLEWARES = {
    # Distributed mode: rebuild the request's blog from its meta before the offsite filter.
    "crawler.distributed.plan_loader.BlogPlanLoader": 40,
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    # Scrapy's, but an unfetchable robots.txt is one line, not a traceback.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.QuietRobotsTxtMiddleware": 100,
    "crawler.middlewares.offsite.BlogOffsiteMiddleware": 50,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.retry.RetryAfterMiddleware": 550,
    "crawler.middlewares.conditional.ConditionalGetMiddleware": 560,
    # Last before the network: answers every request from SEEDS_DIR when SEEDS_OFFLINE is on,
    # after robots.txt, offsite, redirect and retry handling have seen the request.
    "crawler.middlewares.seeds.SeedsDirectoryMiddleware": 950,
}
SPIDER_MIDDLEWARES = {
    # Off (NotConfigured) unless BLOGINGEST_DRY_RUN: lists post requests instead of making them.
    "crawler.middlewares.dry_run.DryRunMiddleware": 900,
    "crawler.middlewares.budget.RequestBudgetMiddleware": 600,
}
ITEM_PIPELINES = {
    "crawler.pipelines.parse.ParsePagePipeline": 100,
    "crawler.pipelines.clean.CleanPostPipeline": 200,
    "crawler.pipelines.validate.ValidatePostPipeline": 300,
    "crawler.pipelines.store.StorePostPipeline": 400,
    # Last: what feed exports (-o/-O/FEEDS) get is the post record `blogingest parse` prints.
    "crawler.pipelines.feed_record.FeedRecordPipeline": 900,
}
# Scrapy's own extensions but its remote control, left out rather than only off: a Python
# shell over HTTP has no place in an unattended crawler, and Scrapy imports every listed
# component, None or not, so the off switch alone still cost each crawl's start-up the import
# of it and aiohttp (about 0.1 s).
EXTENSIONS_BASE = {
    path: order
    for path, order in _scrapy_defaults.EXTENSIONS_BASE.items()
    if path != "scrapy.extensions.remote_control.RemoteControl"
}
EXTENSIONS = {
    "crawler.extensions.run_record.RunRecordExtension": 500,
    "crawler.extensions.progress.ProgressExtension": 510,
    # Off (NotConfigured) unless REDIS_URL is set: takes start jobs, keeps the worker alive.
    "crawler.distributed.extension.DistributedWorkerEntry": 520,
}

# --- distributed (scale-out) ---------------------------------------------------------------
# REDIS_URL in the environment puts this process on the shared scrapy-redis frontier: its
# scheduler and a run-scoped dupefilter, a persistent queue, and the worker extension.
# See docs/scaling.md.
globals().update(distributed_settings(os.environ.get("REDIS_URL")))

LOG_LEVEL = os.environ.get("BLOGINGEST_LOG_LEVEL", "INFO")
FEED_EXPORT_ENCODING = "utf-8"
# CSV feeds write list fields as JSON arrays (see crawler.pipelines.csv_feed).
FEED_EXPORTERS = {"csv": "crawler.pipelines.csv_feed.JsonListCsvItemExporter"}
