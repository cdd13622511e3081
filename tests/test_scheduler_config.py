"""Schedule config validation: every bad value is refused with a message naming its key."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from scheduler.config import ConfigError, load_config, parse_config
from scheduler.durations import parse_duration

EXAMPLE = Path(__file__).resolve().parents[1] / "schedule.example.toml"


def _config(**blog: Any) -> dict[str, Any]:
    return {"defaults": {"interval": "6h"}, "blog": [{"url": "https://a.blogspot.com/", **blog}]}


def _error(document: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_config(document)
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30), ("15m", 900), ("6h", 21600), ("1d", 86400), ("1h30m", 5400), ("1.5s", 1.5)],
)
def test_durations_read_units_s_m_h_d_and_combinations(text: str, seconds: float) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["6 hourz", "10", "", "h", "-5m", "5w"])
def test_a_duration_without_a_known_unit_is_refused_quoting_it(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration like 30s, 15m, 6h, 1d"):
        parse_duration(text)


def test_a_minimal_config_fills_in_documented_defaults() -> None:
    config = parse_config(_config())
    blog = config.blogs[0]
    assert blog.interval == timedelta(hours=6)
    assert blog.cron is None
    assert (blog.timeout, blog.jitter, blog.misfire_grace) == (
        timedelta(hours=2),
        timedelta(0),
        timedelta(hours=1),
    )
    assert (blog.backoff.initial, blog.backoff.max) == (timedelta(minutes=10), timedelta(hours=12))
    assert config.worker.shutdown_grace == timedelta(seconds=30)
    assert config.worker.crawl_command == (sys.executable, "-m", "blogingest", "crawl")


def test_a_bad_interval_is_refused_naming_the_blog_by_its_position() -> None:
    document = _config()
    document["blog"].append({"url": "https://b.blogspot.com/", "interval": "6 hourz"})
    message = _error(document)
    assert message == ("blog[2].interval: '6 hourz' is not a duration like 30s, 15m, 6h, 1d")


def test_a_bad_default_is_refused_naming_the_defaults_key() -> None:
    assert _error(
        {
            "defaults": {"interval": "1h", "timeout": "soon"},
            "blog": [{"url": "https://a.blogspot.com/"}],
        }
    ).startswith("defaults.timeout: 'soon'")


@pytest.mark.parametrize(
    ("document", "key"),
    [
        ({"blog": [{"url": "https://a.blogspot.com/", "intervall": "1h"}]}, "blog[1].intervall"),
        (
            {"defaults": {"every": "1h"}, "blog": [{"url": "https://a.blogspot.com/"}]},
            "defaults.every",
        ),
        ({"scheduler": {}, "blog": [{"url": "https://a.blogspot.com/"}]}, "scheduler"),
        (
            {
                "worker": {"grace": "1s"},
                "blog": [{"url": "https://a.blogspot.com/", "interval": "1h"}],
            },
            "worker.grace",
        ),
        (_config(backoff={"start": "1m"}), "blog[1].backoff.start"),
    ],
)
def test_unknown_keys_are_refused_by_name(document: dict[str, Any], key: str) -> None:
    assert _error(document).startswith(f"{key}: unknown key")


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("ftp://a.blogspot.com/", "blog[1].url: 'ftp://a.blogspot.com/' is not an http(s) URL"),
        ("https:///nohost", "blog[1].url: 'https:///nohost' is not an http(s) URL"),
        (42, "blog[1].url: 42 is not a string"),
    ],
)
def test_blog_urls_must_be_http_with_a_host(url: Any, fragment: str) -> None:
    assert _error(_config(url=url)).startswith(fragment)


def test_a_blog_without_a_url_is_refused() -> None:
    assert _error({"defaults": {"interval": "1h"}, "blog": [{}]}).startswith("blog[1].url: missing")


def test_a_blog_without_any_trigger_is_refused() -> None:
    message = _error({"blog": [{"url": "https://a.blogspot.com/"}]})
    assert message == "blog[1]: no interval or cron (set one here or in [defaults])"


def test_interval_and_cron_together_are_refused() -> None:
    assert _error(_config(interval="1h", cron="0 * * * *")) == (
        "blog[1]: set interval or cron, not both"
    )


def test_a_blogs_own_cron_replaces_the_default_interval() -> None:
    blog = parse_config(_config(cron="0 */6 * * *")).blogs[0]
    assert (blog.interval, blog.cron) == (None, "0 */6 * * *")


def test_a_bad_cron_line_is_refused_naming_the_key() -> None:
    assert _error(_config(cron="0 0 * *")).startswith("blog[1].cron: '0 0 * *' is not a valid")


def test_zero_interval_is_refused() -> None:
    assert _error(_config(interval="0s")) == "blog[1].interval: '0s' must be longer than zero"


def test_a_backoff_max_below_its_initial_is_refused() -> None:
    assert _error(_config(backoff={"initial": "1h", "max": "10m"})).startswith(
        "blog[1].backoff.max: must not be shorter"
    )


def test_backoff_keys_merge_over_defaults() -> None:
    document = _config(backoff={"max": "1d"})
    document["defaults"]["backoff"] = {"initial": "1m"}
    backoff = parse_config(document).blogs[0].backoff
    assert (backoff.initial, backoff.max) == (timedelta(minutes=1), timedelta(days=1))


def test_the_same_blog_twice_is_refused() -> None:
    document = _config()
    document["blog"].append({"url": "http://A.blogspot.co.uk/2020/01/x.html"})
    assert _error(document) == (
        "blog[2].url: 'http://A.blogspot.co.uk/2020/01/x.html' is the same blog as blog[1]"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"run_id": 3}, "blog[1].options.run_id: set by the scheduler itself"),
        ({"Max": 3}, "blog[1].options.Max: option names are lower_snake_case"),
        ({"deep": {"x": 1}}, "blog[1].options.deep: {'x': 1} is not a string, number"),
    ],
)
def test_bad_crawl_options_are_refused(options: dict[str, Any], message: str) -> None:
    assert _error(_config(options=options)).startswith(message)


@pytest.mark.parametrize("key", ["misfire_grace", "jitter"])
def test_apscheduler_second_counts_must_be_whole_seconds(key: str) -> None:
    # APScheduler would silently turn 0.5s of jitter into none, and 0.5s of grace into a crash.
    assert _error(_config(**{key: "0.5s"})).startswith(f"blog[1].{key}: 0.5s must be a whole")


@pytest.mark.parametrize("value", ["999999999d", "9" * 30 + "d"])
def test_an_absurdly_long_duration_is_refused_not_overflowed(value: str) -> None:
    assert _error(_config(interval=value)).startswith(f"blog[1].interval: {value!r} is ")


def test_the_scheduler_sets_the_trigger_itself() -> None:
    message = _error(_config(options={"trigger": "x"}))
    assert message.startswith("blog[1].options.trigger: set by the scheduler itself")


def test_a_crawl_command_must_be_a_list_of_strings() -> None:
    document = _config()
    document["worker"] = {"crawl_command": "blogingest crawl"}
    assert _error(document).startswith("worker.crawl_command: 'blogingest crawl' is not")


def test_no_blogs_at_all_is_refused() -> None:
    assert _error({"defaults": {"interval": "1h"}}).startswith("blog: no blogs configured")


def test_a_missing_file_is_one_line_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError, match="cannot read config .*nope.toml.*No such file"):
        load_config(missing)


def test_invalid_toml_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[defaults\ninterval = 1h\n")
    with pytest.raises(ConfigError, match=r"bad\.toml: not valid TOML"):
        load_config(path)


def test_the_example_config_is_valid() -> None:
    config = load_config(EXAMPLE)  # with the default crawl command: options checked
    assert len(config.blogs) >= 2


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_post": 5}, "blog[1].options.max_post: blogingest crawl has no --max-post option"),
        ({"full": "yes"}, "blog[1].options.full: the crawl refuses it (full must be true or"),
        ({"max_posts": "abc"}, "blog[1].options.max_posts: the crawl refuses it (max_posts must"),
        ({"max_posts": 0}, "blog[1].options.max_posts: the crawl refuses it (max_posts must"),
    ],
)
def test_options_the_real_crawl_does_not_take_are_refused_at_start(
    options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(_config(options=options))
    assert str(caught.value).startswith(message)


def test_options_the_real_crawl_takes_pass_the_check() -> None:
    blog = parse_config(_config(options={"max_posts": 500, "full": True})).blogs[0]
    assert blog.crawl is not None
    assert (blog.crawl.max_posts, blog.crawl.full, blog.options) == (500, True, {})


def test_options_of_a_custom_crawl_command_are_not_checked() -> None:
    document = _config(options={"sleep": 2})
    document["worker"] = {"crawl_command": ["my-crawler"]}
    blog = parse_config(document).blogs[0]
    assert (blog.crawl, blog.options) == (None, {"sleep": 2})


@pytest.mark.parametrize("value", [0, -1, "4", True, 1.5])
def test_max_concurrent_must_be_a_whole_number_of_at_least_one(value: Any) -> None:
    document = _config()
    document["worker"] = {"max_concurrent": value}
    assert _error(document) == (f"worker.max_concurrent: {value!r} is not a whole number >= 1")


def test_max_concurrent_defaults_to_four() -> None:
    assert parse_config(_config()).worker.max_concurrent == 4
