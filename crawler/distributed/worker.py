"""The worker extension: takes start jobs when idle, keeps the spider open, counts and closes runs.

Enabled by ``BLOGINGEST_DISTRIBUTED`` (set with ``REDIS_URL``). On ``spider_idle`` it closes
the runs that are due (:mod:`crawler.distributed.run_accounts`), pops at most one start job and
schedules its requests, then raises ``DontCloseSpider``: a worker lives until SIGTERM/SIGINT
(Scrapy's own graceful shutdown: in-flight requests finish, the store pipeline flushes).
It also keeps every run's ``pending`` counter in step with ``request_scheduled`` /
``request_dropped`` and counts each worker's handled responses.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis.connection import get_redis_from_settings
from twisted.internet.task import LoopingCall

from crawler.distributed.config import WORKER_RESPONSES_KEY, worker_id
from crawler.distributed.run_accounts import RunAccounts
from crawler.distributed.start_jobs import StartJobError, pop_start_job
from crawler.extensions.run_record import RunLedger
from storage.models import CrawlRun

logger = logging.getLogger(__name__)


class DistributedWorker:
    """Start-job consumer and run accountant of one worker process."""

    def __init__(self, crawler: Any, server: Any) -> None:
        self.crawler = crawler
        self.server = server
        self.accounts = RunAccounts(server)
        self.worker = worker_id()
        settings = crawler.settings
        self.settle = settings.getfloat("BLOGINGEST_RUN_SETTLE_SECONDS", 10.0)
        self.stall = settings.getfloat("BLOGINGEST_RUN_STALL_SECONDS", 600.0)
        self.poll_interval = settings.getfloat("BLOGINGEST_IDLE_POLL_SECONDS", 1.0)
        self.poll: LoopingCall | None = None
        RunLedger.for_crawler(crawler).sink = self.accounts

    @classmethod
    def from_crawler(cls, crawler: Any) -> DistributedWorker:
        if not crawler.settings.getbool("BLOGINGEST_DISTRIBUTED"):
            # No message: Scrapy logs a NotConfigured reason as a WARNING, and single-process
            # crawls (the default) are not a condition to warn about.
            raise NotConfigured
        worker = cls(crawler, get_redis_from_settings(crawler.settings))
        crawler.signals.connect(worker.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(worker.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(worker.request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(worker.response_received, signal=signals.response_received)
        crawler.signals.connect(worker.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(worker.spider_closed, signal=signals.spider_closed)
        return worker

    def spider_opened(self, spider: Any) -> None:
        # Scrapy looks at its scheduler on its own only every 5 s when idle; other workers fill
        # the shared queue meanwhile, so wake the engine more often.
        self.poll = LoopingCall(self.wake_engine)
        self.poll.start(self.poll_interval, now=False)

    def spider_closed(self, spider: Any) -> None:
        if self.poll is not None and self.poll.running:
            self.poll.stop()

    def wake_engine(self) -> None:
        """Ask the engine to look at the shared queue now (private Scrapy API, checked)."""
        slot = getattr(self.crawler.engine, "_slot", None)
        nextcall = getattr(slot, "nextcall", None)
        if nextcall is not None:
            nextcall.schedule()

    def request_scheduled(self, request: Any, spider: Any) -> None:
        run_id = request.meta.get("run_id")
        if run_id is not None:
            self.accounts.scheduled(run_id)

    def request_dropped(self, request: Any, spider: Any) -> None:
        # The run-scoped dupefilter refused it: it will never be handled.
        run_id = request.meta.get("run_id")
        if run_id is not None:
            self.accounts.done(run_id)

    def response_received(self, response: Any, request: Any, spider: Any) -> None:
        self.server.hincrby(WORKER_RESPONSES_KEY, self.worker, 1)

    def spider_idle(self, spider: Any) -> None:
        """Close due runs, open one waiting blog run; never let the spider close."""
        database = RunLedger.for_crawler(self.crawler).database
        self.accounts.finish_due(database.transaction, settle=self.settle, stall=self.stall)
        try:
            job = pop_start_job(self.server)
        except StartJobError as error:
            logger.error("%s", error)
            job = None
        if job is not None:
            for request in spider.blog_job_requests(job):
                self.crawler.engine.crawl(request)
        elif spider.options.blogs and self._own_runs_closed(spider):
            return  # a crawl started with blogs ends once their runs are closed
        raise DontCloseSpider

    def _own_runs_closed(self, spider: Any) -> bool:
        """Whether every run this process opened is closed; if so, copy their statuses."""
        active = set(self.accounts.active_runs())
        opened: dict[str, int] = spider.opened_runs
        if not opened or active & set(opened.values()):
            return False
        ledger = RunLedger.for_crawler(self.crawler)
        statuses = ledger.database.transaction(
            lambda session: {
                run_id: run.status
                for run_id in opened.values()
                if (run := session.get(CrawlRun, run_id)) is not None
            }
        )
        for start_url, run_id in opened.items():
            ledger.add_blog(start_url).status = statuses.get(run_id)
        return True
