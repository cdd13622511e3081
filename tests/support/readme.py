"""The README's consumer section, read by the tests that keep it true."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def consumer_section() -> str:
    """The text of "## Database schema (for consumers)" up to the next ``## `` heading."""
    text = README.read_text(encoding="utf-8")
    start = text.index("## Database schema (for consumers)")
    end = text.index("\n## ", start + 3)
    return text[start:end]


def code_blocks(language: str) -> list[str]:
    """The fenced code blocks of the consumer section in ``language``, in order."""
    return re.findall(rf"```{language}\n(.*?)```", consumer_section(), flags=re.DOTALL)


def column_table(table: str) -> dict[str, str]:
    """Column → documented type of the ``### `table` `` table (one entry per named column)."""
    section = consumer_section()
    start = section.index(f"### `{table}`")
    end = section.index("\n### ", start + 3)
    types: dict[str, str] = {}
    for line in section[start:end].splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        for name in re.findall(r"`([a-z_]+)`", cells[0]):
            types[name] = cells[1]
    return types
