"""Pure job building: ids, triggers, argv, fingerprints, crontab weekdays, backoff."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from scheduler.backoff import backoff_delay, consecutive_failures, next_run_after_failure
from scheduler.config import Backoff, parse_config
from scheduler.cron import crontab_trigger
from scheduler.jobs import JOB_FUNCTION, build_jobs, option_arguments

WEDNESDAY = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _jobs(**blog: Any) -> list[Any]:
    document = {
        "defaults": {"interval": "6h", "jitter": "5m"},
        "worker": {"crawl_command": ["crawl-it"], "kill_grace": "7s"},
        "blog": [{"url": "http://Example.blogspot.co.uk/2024/01/post.html", **blog}],
    }
    return build_jobs(parse_config(document))


def test_the_job_id_is_derived_from_the_blogs_canonical_home() -> None:
    assert _jobs()[0].job_id == "crawl:https://example.blogspot.com/"


def test_the_argv_is_the_crawl_command_with_the_url_as_written_and_options() -> None:
    job = _jobs(options={"max_posts": 500, "since": "2024-01-01"})[0]
    assert job.argv == (
        "crawl-it",
        "http://Example.blogspot.co.uk/2024/01/post.html",
        "--max-posts",
        "500",
        "--since",
        "2024-01-01",
    )


def test_options_become_flags_booleans_bare_and_lists_repeated() -> None:
    assert option_arguments({"full": True, "quiet": False, "label": ("a", "b")}) == [
        "--full",
        "--label",
        "a",
        "--label",
        "b",
    ]


def test_an_interval_blog_gets_an_interval_trigger_with_jitter() -> None:
    trigger = _jobs(interval="90m")[0].trigger.build()
    assert isinstance(trigger, IntervalTrigger)
    assert trigger.interval == timedelta(minutes=90)
    assert trigger.jitter == 300


def test_a_cron_blog_gets_a_utc_cron_trigger_with_jitter() -> None:
    trigger = _jobs(cron="0 */6 * * *")[0].trigger.build()
    assert isinstance(trigger, CronTrigger)
    assert trigger.jitter == 300
    fire = trigger.get_next_fire_time(None, WEDNESDAY)
    assert WEDNESDAY <= fire <= WEDNESDAY + timedelta(minutes=5)


def test_run_kwargs_are_picklable_and_carry_no_database_url() -> None:
    job = _jobs(timeout="30m")[0]
    kwargs = job.run_kwargs()
    assert pickle.loads(pickle.dumps(kwargs)) == kwargs  # noqa: S301 - our own bytes
    assert kwargs == {
        "job_id": "crawl:https://example.blogspot.com/",
        "blog_url": "https://example.blogspot.com/",
        "start_url": "http://Example.blogspot.co.uk/2024/01/post.html",
        "argv": list(job.argv),
        "timeout_s": 1800.0,
        "kill_grace_s": 7.0,
    }
    assert JOB_FUNCTION == "scheduler.runner:run_blog_crawl"


def test_the_fingerprint_is_stable_and_changes_with_the_schedule() -> None:
    assert _jobs()[0].fingerprint() == _jobs()[0].fingerprint()
    assert _jobs()[0].fingerprint() != _jobs(interval="1h")[0].fingerprint()
    assert _jobs()[0].fingerprint() != _jobs(options={"max_posts": 1})[0].fingerprint()
    assert _jobs()[0].job_name().endswith(_jobs()[0].fingerprint())


def test_each_blog_becomes_one_job_in_config_order() -> None:
    document = {
        "defaults": {"interval": "1h"},
        "blog": [{"url": "https://b.blogspot.com/"}, {"url": "https://a.example.org/"}],
    }
    assert [job.home_url for job in build_jobs(parse_config(document))] == [
        "https://b.blogspot.com/",
        "https://a.example.org/",
    ]


@pytest.mark.parametrize(
    ("weekday", "expected_day"),
    [("0", "Sun"), ("7", "Sun"), ("1", "Mon"), ("sat", "Sat"), ("5-7", "Fri"), ("6,0", "Sat")],
)
def test_crontab_weekdays_count_from_sunday_as_cron_does(weekday: str, expected_day: str) -> None:
    trigger = crontab_trigger(f"0 0 * * {weekday}")
    assert trigger.get_next_fire_time(None, WEDNESDAY).strftime("%a") == expected_day


def test_a_crontab_weekday_step_keeps_crons_meaning() -> None:
    fires = []
    moment = WEDNESDAY
    trigger = crontab_trigger("0 0 * * */2")  # cron: Sun, Tue, Thu, Sat
    for _ in range(4):
        moment = trigger.get_next_fire_time(None, moment + timedelta(seconds=1))
        fires.append(moment.strftime("%a"))
    assert fires == ["Thu", "Sat", "Sun", "Tue"]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("0 0 1 * 1", "restrict the day of month or the weekday, not both"),
        ("0 0 * * 8", "weekday '8' is not 0-7"),
        ("0 0 * * 5-2", "runs backwards"),
        ("* * *", "needs 5 fields"),
    ],
)
def test_bad_or_ambiguous_crontab_lines_are_refused(line: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        crontab_trigger(line)


BACKOFF = Backoff(initial=timedelta(minutes=10), max=timedelta(hours=1))


@pytest.mark.parametrize(
    ("failures", "minutes"), [(0, 0), (1, 10), (2, 20), (3, 40), (4, 60), (50, 60), (10**6, 60)]
)
def test_backoff_doubles_per_failure_and_is_capped(failures: int, minutes: int) -> None:
    assert backoff_delay(failures, BACKOFF) == timedelta(minutes=minutes)


def test_consecutive_failures_stop_at_the_last_success_and_skip_interruptions() -> None:
    newest_first = ["failed", "interrupted", "timed_out", "running", "success", "failed"]
    assert consecutive_failures(newest_first) == 2
    assert consecutive_failures(["success", "failed"]) == 0
    assert consecutive_failures([]) == 0


def test_a_failing_blog_runs_at_its_regular_time_plus_the_delay() -> None:
    regular = WEDNESDAY + timedelta(hours=1)
    assert next_run_after_failure(regular, WEDNESDAY, 2, BACKOFF) == regular + timedelta(minutes=20)


def test_a_regular_time_already_past_counts_from_now() -> None:
    past = WEDNESDAY - timedelta(hours=1)
    assert next_run_after_failure(past, WEDNESDAY, 1, BACKOFF) == WEDNESDAY + timedelta(minutes=10)
    assert next_run_after_failure(None, WEDNESDAY, 1, BACKOFF) == WEDNESDAY + timedelta(minutes=10)
