"""The command line's idioms and exit codes: help, version, -v/-q anywhere, "did you mean",
one-line refusals, and reading commands that create nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from blogingest.cli import build_parser, main, suggest_command

ROOT = Path(__file__).resolve().parents[1]


def _blogingest(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "blogingest", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_version_names_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit) as ended:
        main(["--version"])
    assert ended.value.code == 0
    assert capsys.readouterr().out.strip() == f"blogingest {version('blogingest')}"


def test_bare_blogingest_prints_the_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: blogingest")
    for command in ("crawl", "status", "runs", "schedule"):
        assert f"    {command} " in err


@pytest.mark.parametrize("command", ["crawl", "db", "runs", "status", "schedule", "export"])
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main([command, "--help"])
    assert ended.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: blogingest {command}")


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [("crwal", "'crawl'"), ("stauts", "'status'"), ("run", "'runs'"), ("shedule", "'schedule'")],
)
def test_a_mistyped_command_gets_did_you_mean(
    typed: str, suggested: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["-v", typed, "x"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert f"unknown command {typed!r}; did you mean {suggested}" in err[0]


def test_an_unlike_word_gets_the_list_of_commands() -> None:
    line = suggest_command(build_parser(), "zzzzzz")
    assert "commands: crawl, db," in line


def test_verbosity_adds_up_before_and_after_the_command() -> None:
    parser = build_parser()
    from blogingest.cli import _total

    args = parser.parse_args(["-v", "db", "-v", "upgrade", "-v"])
    assert _total(args, "verbose") == 3
    args = parser.parse_args(["runs", "-q"])
    assert (_total(args, "verbose"), _total(args, "quiet")) == (0, 1)


def test_alembic_plugin_lines_are_silenced_with_v(tmp_path: Path) -> None:
    result = _blogingest(
        "db", "upgrade", "-v", "--db", f"sqlite:///{tmp_path / 'a.db'}", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "alembic.runtime.plugins" not in result.stderr
    assert "Running upgrade" in result.stderr  # -v still shows what the migration did


def test_db_current_on_a_missing_file_creates_nothing(tmp_path: Path) -> None:
    result = _blogingest("db", "current", "--db", "sqlite:///missing.db", cwd=tmp_path)
    assert result.returncode == 1
    assert "does not exist" in result.stdout
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [["runs"], ["status"], ["db", "current"], ["export"], ["crawl", "https://x.blogspot.com/"]],
)
def test_a_command_on_a_missing_database_leaves_no_data_dir(
    tmp_path: Path, args: list[str]
) -> None:
    env = {"BLOGINGEST_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": ""}
    result = _blogingest(*args, cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data").exists()


def test_a_non_utf8_schedule_file_is_one_line_naming_it(tmp_path: Path) -> None:
    config = tmp_path / "latin1.toml"
    config.write_bytes('[[blog]]\nurl = "https://café.blogspot.com/"\n'.encode("latin-1"))
    result = _blogingest("schedule", "--config", str(config), "--list", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(config) in lines[0]
    assert "UTF-8" in lines[0]


def test_sigint_exits_130(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from blogingest.commands import runs

    def interrupted(_args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(runs, "run", interrupted)
    assert main(["runs"]) == 130
    assert capsys.readouterr().err.strip() == "blogingest runs: interrupted"
