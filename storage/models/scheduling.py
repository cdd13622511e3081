"""The scheduler's run locks: no two crawls of one blog at once, across processes and hosts."""

from __future__ import annotations

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class SchedulerLock(Base):
    """A held lock on one scheduled job; see :mod:`scheduler.locks` for the protocol.

    Times are Unix seconds (floats) because lock expiry is compared with ``time.time()`` on
    whichever host looks, and no timezone arithmetic is wanted there.
    """

    __tablename__ = "scheduler_locks"

    job_id: Mapped[str] = mapped_column(String(512), primary_key=True)
    holder: Mapped[str] = mapped_column(String(255))
    run_id: Mapped[int | None]
    child_pid: Mapped[int | None]
    """The crawl subprocess's pid, once started."""
    acquired_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float)
