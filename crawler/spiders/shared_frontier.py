"""The spider's shared-frontier side: what lets any worker continue any blog (issue 7).

In distributed mode (``REDIS_URL``) a blog's requests are handled by whichever worker pops
them. Everything a callback needs travels in ``request.meta`` (``blog_start``, ``run_id``,
``blog_plan``) and the rest is reloaded from the database: :meth:`SharedFrontier._target_of`
rebuilds a :class:`BlogTarget` the first time a worker meets a blog in a run. Outside that
mode the meta has no run and the spider's own per-blog state is used as before.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from scrapy.http import Request

from crawler.distributed.start_jobs import StartJob
from crawler.extensions.run_record import RunLedger
from crawler.parsing import PARSER_VERSION
from crawler.spiders.blog_plan import BlogTarget
from crawler.spiders.distributed_plan import blog_plan, target_from_plan
from crawler.urls import blog_home_url, canonical_url
from storage import crawl_state, runs
from storage.models import CrawlRun
from storage.records import KnownPost

if TYPE_CHECKING:
    from scrapy.http import Response
    from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)


class SharedFrontier:
    """Mixin of :class:`~crawler.spiders.blogger.BloggerSpider` (reactor thread only)."""

    crawler: Any
    targets: dict[str, BlogTarget]
    target_runs: dict[str, int]
    """The run each cached target belongs to (a new run rebuilds it)."""
    plans: dict[str, dict[str, Any]]
    opened_runs: dict[str, int]
    """The runs this process opened, by start URL."""

    if TYPE_CHECKING:

        def parse_home(self, response: Response) -> Iterator[Any]: ...

        def home_failed(self, failure: Any) -> Iterator[Any]: ...

    @property
    def ledger(self) -> RunLedger:
        return RunLedger.for_crawler(self.crawler)

    @property
    def distributed(self) -> bool:
        """Whether requests go to the shared scrapy-redis queue (``REDIS_URL`` set)."""
        return bool(self.crawler.settings.getbool("BLOGINGEST_DISTRIBUTED"))

    def blog_job_requests(self, job: StartJob) -> Iterator[Request]:
        """Open a distributed blog run and yield its home request.

        Creates the run's ``crawl_runs`` row (committed) unless the job names one still
        running; everything later callbacks need travels in ``meta``, so any worker can
        continue the blog. One run per blog at a time: while another run of the blog is
        active the job is refused (logged; a run row the job named is closed
        ``interrupted`` saying why), and a crawl started with the blog waits for that run.
        """
        home = blog_home_url(job.blog)
        accounts = self.ledger.sink
        if accounts is None:
            raise RuntimeError("distributed run without the worker extension's run accounts")
        holder = accounts.holder_of(home)
        run_id = None if holder is not None else self._job_run(job, home)
        if run_id is not None:
            holder = accounts.open(run_id, home)
            if holder is not None:  # another worker opened the blog between look and open
                self._refuse_run(run_id, holder)
        if holder is not None:
            logger.warning(
                "refused start job blog=%s: run %d of this blog is still open", home, holder
            )
            if job.run_id is not None and job.run_id != holder:
                self._refuse_run(job.run_id, holder)
            self.opened_runs.setdefault(job.blog, holder)  # a crawl of it waits for that run
            return
        assert run_id is not None
        self.opened_runs[job.blog] = run_id
        self.ledger.add_blog(job.blog)
        yield Request(
            job.blog,
            callback=self.parse_home,
            errback=self.home_failed,
            dont_filter=True,  # every run refetches the home page
            meta={
                "blog_start": job.blog,
                "allow_offsite": True,
                "run_id": run_id,
                "job": job.options,
            },
            priority=30,
        )

    def _job_run(self, job: StartJob, home: str) -> int:
        """Return the job's run if still running, else a new run row (committed)."""

        def run_for(session: Session) -> int:
            named = session.get(CrawlRun, job.run_id) if job.run_id is not None else None
            if named is not None and named.status == "running":
                return named.id
            if job.run_id is not None:
                logger.warning(
                    "start job of run %s: that run is closed; opening a new one", job.run_id
                )
            return runs.start_run(session, blog_url=home, trigger=job.trigger)

        run_id: int = self.ledger.database.transaction(run_for)
        return run_id

    def _refuse_run(self, run_id: int, holder: int) -> None:
        """Close run row ``run_id``, which must not start while run ``holder`` is open."""
        reason = f"not started: run {holder} of this blog is still open"

        def refuse(session: Session) -> None:
            run = session.get(CrawlRun, run_id)
            if run is not None and run.status == "running":
                runs.finish_run(session, run_id, status="interrupted", errors=[reason], exit_code=1)

        self.ledger.database.transaction(refuse)

    def _known_posts(self, blog_url: str, *, full: bool) -> dict[str, KnownPost]:
        if full:
            return {}
        return self.ledger.database.transaction(
            lambda session: crawl_state.known_posts(session, blog_url)
        )

    def _load_recrawl_state(self, target: BlogTarget, *, full: bool) -> None:
        """Load what an incremental crawl compares against besides the known posts.

        The HTTP validators of known posts (conditional GET), and the pages the current parser
        already rejected as not a post (skipped while unchanged). A full crawl loads neither
        of the latter: it refetches everything.
        """
        known = target.known
        if known:
            target.validators = self.ledger.database.transaction(
                lambda session: crawl_state.fetch_validators(
                    session, [url for link in known if (url := target.fetch_url(link))]
                )
            )
        if not full:
            hosts = [target.netloc, *sorted(target.hosts)]
            target.rejected = self.ledger.database.transaction(
                lambda session: crawl_state.rejected_non_posts(session, hosts, PARSER_VERSION)
            )

    def _meta(self, target: BlogTarget) -> dict[str, Any]:
        """Return the meta every request of ``target`` carries (distributed: its run and plan)."""
        meta: dict[str, Any] = {"blog_start": target.start_url}
        run_id = self.target_runs.get(target.start_url)
        if run_id is not None:
            full = self.plans.get(target.start_url, {}).get("full", False)
            meta["run_id"] = run_id
            meta["blog_plan"] = blog_plan(target, run_id=run_id, full=full)
        return meta

    def _target_of(self, meta: dict[str, Any]) -> BlogTarget:
        """Return a request's blog target, rebuilt from its plan when this worker lacks it."""
        start_url = meta["blog_start"]
        plan = meta.get("blog_plan")
        target = self.targets.get(start_url)
        if plan is None or (
            target is not None and self.target_runs.get(start_url) == plan["run_id"]
        ):
            if target is None:
                raise KeyError(f"no crawl state for blog {start_url}")
            return target
        target = target_from_plan(plan)
        target.known = self._known_posts(target.blog_url, full=plan["full"])
        self._load_recrawl_state(target, full=plan["full"])
        self.targets[start_url] = target
        self.target_runs[start_url] = plan["run_id"]
        self.plans[start_url] = {"full": plan["full"]}
        self.ledger.adopt(start_url, target.url_on_blog("/"), plan["run_id"])
        return target

    def first_sighting_in_run(self, target: BlogTarget, url: str) -> bool:
        """Whether ``url`` is decided here first in its run (always true outside one).

        ``decide()`` dedupes within one worker; across workers the run's shared set does, so
        each post is counted ``found`` once per run and budgets are not spent twice.
        """
        run_id = self.target_runs.get(target.start_url)
        accounts = self.ledger.sink
        if run_id is None or accounts is None:
            return True
        return bool(accounts.first_sighting(run_id, canonical_url(url)))

    def take_run_fetch_budget(self, target: BlogTarget) -> bool:
        """Spend one of the run's ``max_posts`` fetches; ``False`` when none is left.

        Always true outside a distributed run or without a budget (``decide()`` keeps the
        per-process budget; this one is shared by all workers of the run).
        """
        run_id = self.target_runs.get(target.start_url)
        accounts = self.ledger.sink
        if run_id is None or accounts is None or target.max_posts is None:
            return True
        return bool(accounts.take_fetch(run_id) <= target.max_posts)

    def request_handled(self, meta: dict[str, Any]) -> None:
        """Count a request as handled (callback/errback done) in its distributed run."""
        accounts = self.ledger.sink
        if accounts is not None:
            accounts.left(meta)
