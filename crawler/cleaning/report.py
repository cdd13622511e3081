"""What a cleaning pass changed, for statistics (the pipeline feeds these to crawler.stats)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class CleaningReport:
    """Counts of changes made while cleaning one post (all counts are paragraphs or fields)."""

    mojibake_repaired: int = 0
    """Fields or paragraphs whose text changed in mojibake repair (lossless or lossy)."""

    paragraphs_deduplicated: int = 0
    """Body paragraphs dropped as repeats of an earlier one."""

    boilerplate_removed: int = 0
    """Body paragraphs dropped as template text."""

    empty_removed: int = 0
    """Body paragraphs dropped because nothing was left after cleaning."""
