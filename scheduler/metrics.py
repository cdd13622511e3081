"""Prometheus metrics of the scheduled worker (``blogingest schedule --metrics-port P``).

Every value is read from the database when Prometheus scrapes, so the figures cover every
run the database records, whoever made it (this worker, ``--once`` from cron, a manual
crawl, distributed workers), and survive restarts. The endpoint listens on loopback unless
told otherwise (``--metrics-host``): it is meant for a local Prometheus or an agent.

Exposed (``blogingest_`` prefix):

* ``runs_total{status}``: crawl runs by status (``success``, ``failed``, ``timed_out`` ...).
* ``posts_stored{blog}``: posts stored per blog (rows in ``posts``).
* ``posts_written_total{outcome}``: posts written by runs, by outcome (``new``, ``updated``).
* ``pages_fetched_total``: post pages fetched by runs.
* ``fetch_failures_total``: post pages that failed to fetch (HTTP errors, timeouts ...).
* ``last_success_timestamp_seconds{blog}``: when each blog's last successful run ended.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from prometheus_client import start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector, CollectorRegistry
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from storage.models import Blog, CrawlRun, Post

DEFAULT_HOST = "127.0.0.1"
_COUNTS_BATCH = 1000  # run rows read per round trip when summing their counts


class DatabaseCollector(Collector):
    """Collects the metrics above from ``engine`` at each scrape (read-only)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Any]:
        with Session(self.engine) as session:
            yield self._runs(session)
            yield self._posts(session)
            yield from self._run_counts(session)
            yield self._last_success(session)

    def _runs(self, session: Session) -> CounterMetricFamily:
        family = CounterMetricFamily("blogingest_runs", "Crawl runs by status.", labels=["status"])
        query = select(CrawlRun.status, func.count()).group_by(CrawlRun.status)
        for status, count in session.execute(query):
            family.add_metric([status], count)
        return family

    def _posts(self, session: Session) -> GaugeMetricFamily:
        family = GaugeMetricFamily("blogingest_posts_stored", "Posts stored.", labels=["blog"])
        query = select(Blog.url, func.count(Post.id)).join(Post).group_by(Blog.url)
        for url, count in session.execute(query):
            family.add_metric([url], count)
        return family

    def _run_counts(self, session: Session) -> Iterator[CounterMetricFamily]:
        totals: Counter[str] = Counter()
        # Summed in Python: the counts are a JSON column, read in batches (never all at once).
        for counts in session.scalars(
            select(CrawlRun.counts).execution_options(yield_per=_COUNTS_BATCH)
        ):
            for key in ("new", "updated", "fetched", "failed"):
                value = (counts or {}).get(key)
                if isinstance(value, int):
                    totals[key] += value
        written = CounterMetricFamily(
            "blogingest_posts_written", "Posts written by runs, by outcome.", labels=["outcome"]
        )
        for outcome in ("new", "updated"):
            written.add_metric([outcome], totals[outcome])
        yield written
        yield CounterMetricFamily(
            "blogingest_pages_fetched", "Post pages fetched by runs.", value=totals["fetched"]
        )
        yield CounterMetricFamily(
            "blogingest_fetch_failures", "Post pages that failed to fetch.", value=totals["failed"]
        )

    def _last_success(self, session: Session) -> GaugeMetricFamily:
        family = GaugeMetricFamily(
            "blogingest_last_success_timestamp_seconds",
            "When each blog's last successful run ended (Unix time).",
            labels=["blog"],
        )
        query = (
            select(CrawlRun.blog_url, func.max(CrawlRun.finished_at))
            .where(CrawlRun.status == "success")
            .group_by(CrawlRun.blog_url)
        )
        for url, finished in session.execute(query):
            if finished is not None:
                family.add_metric([url], _utc(finished).timestamp())
        return family


def _utc(moment: datetime | str) -> datetime:
    # SQLite hands back naive datetimes (func.max bypasses the column type); they are UTC.
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class MetricsServer:
    """The HTTP endpoint serving :class:`DatabaseCollector` (started by :func:`serve_metrics`)."""

    def __init__(self, server: Any, thread: Any) -> None:
        self._server = server
        self._thread = thread

    @property
    def port(self) -> int:
        return int(self._server.server_port)

    def close(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def serve_metrics(engine: Engine, port: int, host: str = DEFAULT_HOST) -> MetricsServer:
    """Serve the metrics on ``host:port`` (port 0: any free one) in a daemon thread.

    Raises ``OSError`` when the address cannot be bound (in use, not local).
    """
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DatabaseCollector(engine))
    server, thread = start_http_server(port, addr=host, registry=registry)
    return MetricsServer(server, thread)
