"""After a forced stop (a second Ctrl-C or SIGTERM), keep the batch in hand and close the runs.

Scrapy answers a second signal by stopping the reactor at once: no pipeline's
``close_spider``, no ``spider_closed``. The posts waiting in the store pipeline's batch would
be lost and this process's runs left ``running``. :func:`keep_after_forced_stop` is called by
the command once the reactor has returned: it writes the batch in hand to the database (one
try) or else spools it, and closes this process's runs ``interrupted``. After a normal close
it does nothing. A write already running in a thread when the reactor stopped finishes on
its own (its thread is joined at exit) but is not counted.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from crawler.extensions.run_record import RunLedger
from crawler.parsing import PARSER_VERSION
from crawler.pipelines.store import StorePostPipeline
from storage.batch import write_batch
from storage.database import DatabaseUnavailableError

logger = logging.getLogger(__name__)


def keep_after_forced_stop(crawler: Any) -> None:
    """Write or spool the unwritten batch and close the runs, if the crawl did not close."""
    ledger = RunLedger.for_crawler(crawler)
    if ledger.closed:
        return
    pipeline = StorePostPipeline.of_crawler(crawler)
    batch = pipeline.pending if pipeline is not None else None
    if pipeline is not None and batch is not None and batch.size:
        try:
            result = pipeline.database.transaction(
                lambda session: write_batch(session, batch, parser_version=PARSER_VERSION)
            )
        except (SQLAlchemyError, DatabaseUnavailableError) as error:
            path = pipeline.spool(batch)
            ledger.storage_failed = True
            logger.error(
                "forced stop: %d unwritten records saved to %s (%s)",
                batch.size,
                path,
                str(error).splitlines()[0],
            )
        else:
            pipeline._account(result)  # noqa: SLF001 - the same counting as a normal write
            logger.warning("forced stop: the %d records in hand were written", batch.size)
    if ledger.sink is None:  # distributed runs are closed by the run accounts
        ledger.finish("shutdown")
