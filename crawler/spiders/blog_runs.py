"""How the spider accounts a blog's run: in this process (:class:`LocalRuns`) or shared.

One crawl process keeps its runs in the :class:`RunLedger` alone. In distributed mode
(``BLOGINGEST_DISTRIBUTED``, issue 7) any worker may continue any blog, so a run is opened
as a ``crawl_runs`` row before its home request, and each post decision, each fetch of the
``max_posts`` budget and each handled request is also accounted in the run's shared (Redis)
record (:class:`SharedRuns`). The spider and its routes only talk to the
:class:`BlogRunAccounting` protocol; which one a crawl uses is chosen once, in
:meth:`BloggerSpider.assemble <crawler.spiders.blogger.BloggerSpider.assemble>`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from crawler.distributed.start_jobs import StartJob
from crawler.extensions.run_record import RunLedger
from crawler.spiders.blog_plan import BlogTarget
from crawler.spiders.blog_targets import BlogTargets
from crawler.spiders.distributed_plan import blog_plan
from crawler.urls import blog_home_url, canonical_url
from storage import runs

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BlogOpening:
    """A blog run that may start: what its home request carries besides the blog."""

    meta: dict[str, Any] = field(default_factory=dict)
    refetch: bool = False
    """Whether the home request skips the dupe filter (every shared run refetches it)."""


class BlogRunAccounting(Protocol):
    """What the spider asks of a blog's run, whichever process keeps it."""

    shared_frontier: bool
    """Whether requests go to a shared queue whose run-scoped seen-set dedupes them."""

    def open_blog(self, job: StartJob) -> BlogOpening | None:
        """Register the blog's run; ``None`` when it must not start (reason logged)."""
        ...

    def meta_of(self, target: BlogTarget) -> dict[str, Any]:
        """Return the meta every request of ``target`` carries."""
        ...

    def first_sighting(self, target: BlogTarget, url: str) -> bool:
        """Whether ``url`` is decided here first in the blog's run."""
        ...

    def take_fetch(self, target: BlogTarget) -> bool:
        """Spend one of the run's ``max_posts`` fetches; ``False`` when none is left."""
        ...

    def handled(self, meta: dict[str, Any]) -> None:
        """Count the request with this meta as handled (its callback or errback is done)."""
        ...


class LocalRuns:
    """The runs of a single crawl process: the :class:`RunLedger` keeps them all.

    ``decide()`` dedupes posts and keeps the ``max_posts`` budget per target, so there is
    nothing more to account here.
    """

    shared_frontier = False

    def __init__(self, ledger: RunLedger) -> None:
        self.ledger = ledger

    def open_blog(self, job: StartJob) -> BlogOpening:
        self.ledger.add_blog(job.blog)
        return BlogOpening()

    def meta_of(self, target: BlogTarget) -> dict[str, Any]:
        return {"blog_start": target.start_url}

    def first_sighting(self, target: BlogTarget, url: str) -> bool:
        return True

    def take_fetch(self, target: BlogTarget) -> bool:
        return True

    def handled(self, meta: dict[str, Any]) -> None:
        return None


class SharedRuns:
    """Distributed runs: a ``crawl_runs`` row per blog run and its shared Redis accounts.

    The accounts are the worker extension's (``RunLedger.sink``, installed before the crawl
    starts). Everything a callback needs travels in ``request.meta`` (``blog_start``,
    ``run_id``, ``blog_plan``), so any worker can continue the blog (reactor thread only).
    """

    shared_frontier = True

    def __init__(self, ledger: RunLedger, targets: BlogTargets) -> None:
        self.ledger = ledger
        self.targets = targets

    def open_blog(self, job: StartJob) -> BlogOpening | None:
        """Open a distributed blog run.

        Creates the run's ``crawl_runs`` row (committed) unless the job names one still
        running. One run per blog at a time: while another run of the blog is active the job
        is refused (logged; a run row the job named is closed ``interrupted`` saying why), and
        a crawl started with the blog waits for that run.
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
            self.targets.note_run(job.blog, holder, opened=False)  # a crawl of it waits
            return None
        assert run_id is not None
        self.targets.note_run(job.blog, run_id, opened=True)
        self.ledger.add_blog(job.blog)
        return BlogOpening(meta={"run_id": run_id, "job": job.options}, refetch=True)

    def _job_run(self, job: StartJob, home: str) -> int:
        """Return the job's run if still running, else a new run row (committed)."""

        def run_for(session: Session) -> int:
            if job.run_id is not None and runs.run_status(session, job.run_id) == "running":
                return job.run_id
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
            runs.finish_run_if_running(
                session, run_id, status="interrupted", errors=[reason], exit_code=1
            )

        self.ledger.database.transaction(refuse)

    def meta_of(self, target: BlogTarget) -> dict[str, Any]:
        """Return the blog, its run and its plan: what lets any worker continue the blog."""
        if target.run_id is None:  # not a target of a shared run (never made in this mode)
            return {"blog_start": target.start_url}
        return {
            "blog_start": target.start_url,
            "run_id": target.run_id,
            "blog_plan": blog_plan(target),
        }

    def first_sighting(self, target: BlogTarget, url: str) -> bool:
        """Record ``url`` in the run's shared set; ``False`` when a worker decided it already.

        ``decide()`` dedupes within one worker; across workers the run's shared set does, so
        each post is counted ``found`` once per run and budgets are not spent twice.
        """
        accounts = self.ledger.sink
        if target.run_id is None or accounts is None:
            return True
        return bool(accounts.first_sighting(target.run_id, canonical_url(url)))

    def take_fetch(self, target: BlogTarget) -> bool:
        """Spend one fetch of the run's budget; ``False`` when none is left.

        The budget is shared by all the run's workers (``decide()`` keeps each one's own).
        """
        accounts = self.ledger.sink
        if target.run_id is None or accounts is None or target.max_posts is None:
            return True
        return bool(accounts.take_fetch(target.run_id) <= target.max_posts)

    def handled(self, meta: dict[str, Any]) -> None:
        accounts = self.ledger.sink
        if accounts is not None:
            accounts.left(meta)
