"""A ``--db`` holding a NUL or another control character: one line naming ``--db``, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from blogingest.cli import main

COMMANDS = [["db", "upgrade"], ["db", "current"], ["runs"], ["export", "--format", "jsonl"]]


@pytest.mark.parametrize(
    "template",
    [
        "sqlite:///{dir}/a%00b.db",
        "sqlite:///{dir}/a%0Ab.db",
        "sqlite:///{dir}/x.db?mode=ro%00",
        "sqlite:///{dir}/tab\tin.db",
        "postgresql+psycopg://user:s3cret%00x@127.0.0.1:1/db",
        "postgresql+psycopg://user@127.0.0.1:1/d%00b",
    ],
)
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_database_url_with_a_control_character_is_one_line_exit_2(
    template: str, command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = template.format(dir=tmp_path)
    assert main([*command, "--db", url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "--db: not a database URL" in err
    assert "NUL or control character" in err
    assert "s3cret" not in err
    assert list(tmp_path.iterdir()) == []  # nothing created under a cut-short name
