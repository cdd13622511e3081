"""The worker extension: takes start jobs when idle, keeps the spider open, counts and closes runs.

Enabled by ``BLOGINGEST_DISTRIBUTED`` (set with ``REDIS_URL``). On ``spider_idle`` it settles
runs whose accounting was lost here, closes the runs that are due
(:mod:`crawler.distributed.run_accounts`), pops at most one start job and schedules its
requests, then raises ``DontCloseSpider``: a worker lives until SIGTERM/SIGINT (Scrapy's own
graceful shutdown: in-flight requests finish, the store pipeline flushes). It keeps every
run's pending requests in step with ``request_scheduled`` / ``request_dropped``
(:mod:`crawler.distributed.accounting`), counts each worker's handled responses, and every
quarter lease renews the database leases of the runs Redis holds and closes the dead ones
(:mod:`crawler.distributed.run_leases`). A Redis outage is one error line, not one per poll.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from redis.exceptions import RedisError
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis.connection import get_redis_from_settings
from sqlalchemy.exc import SQLAlchemyError
from twisted.internet import threads
from twisted.internet.task import LoopingCall

from crawler.distributed.accounting import RunAccounting
from crawler.distributed.config import WORKER_RESPONSES_KEY, worker_id
from crawler.distributed.run_accounts import RunAccounts
from crawler.distributed.run_leases import keep_runs_alive
from crawler.distributed.start_jobs import StartJobError, pop_start_job
from crawler.extensions.run_record import RunLedger
from storage import run_liveness, runs
from storage.database import DatabaseUnavailableError

logger = logging.getLogger(__name__)


class DistributedWorker:
    """Start-job consumer and run accountant of one worker process."""

    def __init__(self, crawler: Any, server: Any) -> None:
        self.crawler = crawler
        self.server = server
        self.accounts = RunAccounts(server)
        self.accounting = RunAccounting(self.accounts)
        self.worker = worker_id()
        settings = crawler.settings
        self.settle = settings.getfloat("BLOGINGEST_RUN_SETTLE_SECONDS", 10.0)
        self.stall = settings.getfloat("BLOGINGEST_RUN_STALL_SECONDS", 600.0)
        self.poll_interval = settings.getfloat("BLOGINGEST_IDLE_POLL_SECONDS", 1.0)
        self.lease = run_liveness.lease_seconds(
            settings.getfloat("BLOGINGEST_RUN_LEASE_SECONDS", 0) or None
        )
        self.poll: LoopingCall | None = None
        self.lease_keeper: LoopingCall | None = None
        self.redis_down = False
        RunLedger.for_crawler(crawler).sink = self.accounting

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
        self.lease_keeper = LoopingCall(self.keep_leases)
        self.lease_keeper.start(self.lease / 4, now=True)

    def spider_closed(self, spider: Any) -> None:
        for loop in (self.poll, self.lease_keeper):
            if loop is not None and loop.running:
                loop.stop()

    def keep_leases(self) -> Any:
        """Renew the leases of the runs Redis holds, close dead runs (in a thread)."""
        database = RunLedger.for_crawler(self.crawler).database

        def keep() -> None:
            try:
                keep_runs_alive(self.server, database.transaction, lease=self.lease)
            except (RedisError, SQLAlchemyError, DatabaseUnavailableError) as error:
                logger.warning("could not renew run leases: %s", str(error).splitlines()[0])

        return threads.deferToThread(keep)

    def wake_engine(self) -> None:
        """Ask the engine to look at the shared queue now (private Scrapy API, checked)."""
        slot = getattr(self.crawler.engine, "_slot", None)
        nextcall = getattr(slot, "nextcall", None)
        if nextcall is not None:
            nextcall.schedule()

    def request_scheduled(self, request: Any, spider: Any) -> None:
        self.accounting.entered(request)

    def request_dropped(self, request: Any, spider: Any) -> None:
        # The run-scoped dupefilter refused it: it will never be handled.
        self.accounting.left(request.meta)

    def response_received(self, response: Any, request: Any, spider: Any) -> None:
        # A tally of how work spreads; an outage is reported by the idle check.
        with contextlib.suppress(RedisError):
            self.server.hincrby(WORKER_RESPONSES_KEY, self.worker, 1)

    def spider_idle(self, spider: Any) -> None:
        """Close due runs, open one waiting blog run; never let the spider close.

        A crawl started with blogs closes once their runs are closed. While Redis is
        unreachable the worker stays up (one error line per outage) and tries again.
        """
        try:
            if self._idle_duties(spider):
                return
        except RedisError as error:
            self._redis_failed(error)
            raise DontCloseSpider from None
        if self.redis_down:
            logger.warning("Redis answers again")
            self.redis_down = False
        raise DontCloseSpider

    def _idle_duties(self, spider: Any) -> bool:
        """Do one idle check's work; return whether the spider may close."""
        database = RunLedger.for_crawler(self.crawler).database
        self.accounting.settle_lost(database.transaction)
        self.accounting.finish_due(database.transaction, settle=self.settle, stall=self.stall)
        try:
            job = pop_start_job(self.server)
        except StartJobError as error:
            logger.error("%s", error)
            job = None
        if job is not None:
            for request in spider.blog_job_requests(job):
                self.crawler.engine.crawl(request)
            return False
        return bool(spider.options.blogs) and self._own_runs_closed(spider)

    def _redis_failed(self, error: RedisError) -> None:
        if not self.redis_down:  # one line per outage, not one per idle poll
            logger.error("Redis unreachable: %s", str(error).splitlines()[0])
        self.redis_down = True

    def _own_runs_closed(self, spider: Any) -> bool:
        """Whether every run this process opened is closed; if so, copy their statuses."""
        opened: dict[str, int] = spider.targets.opened_runs()
        if not opened or set(self.accounts.active_runs()) & set(opened.values()):
            return False
        if self.accounting.lost.keys() & set(opened.values()):
            return False  # not closed yet: settle_lost closes it at the next idle check
        ledger = RunLedger.for_crawler(self.crawler)
        statuses = ledger.database.transaction(
            lambda session: runs.run_statuses(session, opened.values())
        )
        for start_url, run_id in opened.items():
            ledger.add_blog(start_url).status = statuses.get(run_id)
        return True
