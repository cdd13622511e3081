import argparse
from pathlib import Path

import pytest

from blogingest.arguments import blog_option, open_command_database, positive_int
from blogingest.errors import EXIT_USAGE, CommandError, UsageError


@pytest.mark.parametrize("text", ["0", "-4", "ten", "1.5"])
def test_positive_int_refuses_what_is_not_a_count(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match=repr(text)):
        positive_int(text)


def test_positive_int_accepts_counts() -> None:
    assert positive_int("12") == 12


def test_blog_option_names_the_option_it_refuses() -> None:
    with pytest.raises(UsageError, match="--blog: 'ftp://x'") as raised:
        blog_option("ftp://x")
    assert raised.value.exit_code == EXIT_USAGE
    assert blog_option("http://x.blogspot.de/2020/01/p.html") == "https://x.blogspot.com/"
    assert blog_option(None) is None


def test_blog_option_takes_a_bare_host_as_crawl_does() -> None:
    assert blog_option("x.blogspot.co.uk") == "https://x.blogspot.com/"
    with pytest.raises(UsageError, match="--blog: 'not a host'"):
        blog_option("not a host")


def test_a_bad_database_url_is_a_usage_error_naming_db() -> None:
    with pytest.raises(UsageError, match="--db"):
        open_command_database("nosuchdialect://x")


def test_a_missing_sqlite_file_is_reported_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "absent.db"
    with pytest.raises(CommandError) as raised:
        open_command_database(f"sqlite:///{missing}")
    assert not isinstance(raised.value, UsageError)
    assert not missing.exists()


def test_scrapy_setting_overrides_apply_over_the_project_settings() -> None:
    from blogingest.arguments import project_scrapy_settings

    settings = project_scrapy_settings(["AUTOTHROTTLE_ENABLED=0", " DOWNLOAD_DELAY =0.5"])
    assert settings.getbool("AUTOTHROTTLE_ENABLED") is False
    assert settings.getfloat("DOWNLOAD_DELAY") == 0.5
    assert settings.getbool("ROBOTSTXT_OBEY") is True  # the project's polite default stays


def test_a_malformed_scrapy_setting_override_is_named() -> None:
    from blogingest.arguments import project_scrapy_settings

    with pytest.raises(UsageError, match="'BAD'"):
        project_scrapy_settings(["BAD"])


def test_user_overrides_win_over_the_mode_settings() -> None:
    from blogingest.arguments import project_scrapy_settings

    mode = {"BLOGINGEST_RUN_SETTLE_SECONDS": 10.0, "SCHEDULER_PERSIST": True}
    settings = project_scrapy_settings(["BLOGINGEST_RUN_SETTLE_SECONDS=1"], mode=mode)
    assert settings.getfloat("BLOGINGEST_RUN_SETTLE_SECONDS") == 1.0
    assert settings.getbool("SCHEDULER_PERSIST") is True


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("CONCURRENT_REQUESTS=abc", "--set CONCURRENT_REQUESTS: 'abc' is not a number"),
        ("AUTOTHROTTLE_ENABLED=maybe", "--set AUTOTHROTTLE_ENABLED: 'maybe' is not a boolean"),
    ],
)
def test_a_setting_value_of_the_wrong_type_is_refused_naming_it(
    override: str, message: str
) -> None:
    from blogingest.arguments import project_scrapy_settings

    with pytest.raises(UsageError, match=message):
        project_scrapy_settings([override])


def test_numbers_and_booleans_of_the_right_kind_pass() -> None:
    from blogingest.arguments import project_scrapy_settings

    settings = project_scrapy_settings(
        ["DOWNLOAD_TIMEOUT=2.5", "AUTOTHROTTLE_ENABLED=0", "CONCURRENT_REQUESTS=4", "NEW_NAME=x"]
    )
    assert settings.getfloat("DOWNLOAD_TIMEOUT") == 2.5
    assert settings.getbool("AUTOTHROTTLE_ENABLED") is False


def _database_options(parser: argparse.ArgumentParser, path: str) -> list[tuple[str, str | None]]:
    """Every ``--db`` action under ``parser`` (sub-commands included), with its help text."""
    found: list[tuple[str, str | None]] = []
    for action in parser._actions:
        if "--db" in action.option_strings:
            found.append((path, action.help))
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _database_options(sub, f"{path} {name}")
    return found


def test_every_command_defines_db_the_one_way_with_one_help_text() -> None:
    from blogingest.arguments import DATABASE_HELP
    from blogingest.cli import build_parser

    found = _database_options(build_parser(), "blogingest")
    commands = {path.split()[1] for path, _ in found}
    assert {"crawl", "worker", "export", "schedule", "reparse", "runs", "status", "db"} <= commands
    assert {help_text for _, help_text in found} == {DATABASE_HELP}
