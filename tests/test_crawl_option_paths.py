"""One carrier for crawl options: every way in reaches the spider as the same CrawlOptions.

``max_posts`` is followed from the command line, the TOML schedule and the Redis start job
to the spider: one type (``int``), validated once by ``crawler.crawl_options``.
"""

from __future__ import annotations

import json

import pytest

from blogingest.cli import build_parser
from crawler.crawl_options import CrawlOptions, options_from_namespace
from crawler.distributed.start_jobs import StartJob, StartJobError
from crawler.spiders.blogger import BloggerSpider
from scheduler.config import parse_config
from scheduler.distributed import job_from_argv
from scheduler.jobs import build_jobs

BLOG = "https://trace.blogspot.com/"


def _crawl_command_options(argv: list[str]) -> CrawlOptions:
    """What ``blogingest crawl ARGV`` reads (its own parser, its own validation)."""
    args = build_parser().parse_args(["crawl", *argv])
    return options_from_namespace(args)


def test_max_posts_from_the_command_line_reaches_the_spider_as_an_int() -> None:
    options = _crawl_command_options(["trace.blogspot.com", "--max-posts", "7"])
    spider = BloggerSpider(options=options)
    assert spider.options is options
    assert spider.options.max_posts == 7
    as_strings = BloggerSpider(**options.to_spider_arguments())  # scrapy crawl -a
    assert as_strings.options == options


def test_max_posts_from_the_schedule_reaches_the_crawl_and_the_start_job_unchanged() -> None:
    document = {
        "defaults": {"interval": "1h"},
        "blog": [
            {"url": "http://Trace.blogspot.co.uk/2024/", "options": {"max_posts": 7, "full": True}}
        ],
    }
    config = parse_config(document)
    blog = config.blogs[0]
    assert blog.crawl is not None
    assert blog.crawl.max_posts == 7
    argv = list(build_jobs(config)[0].argv)
    command = list(config.worker.crawl_command)
    assert argv[: len(command)] == command
    # The crawl process reads back exactly the options the schedule validated.
    assert _crawl_command_options(argv[len(command) :]) == blog.crawl
    # Distributed: the same argv becomes the start job, which the worker reads back.
    job = job_from_argv(blog.url, argv, run_id=5, trigger="schedule")
    popped = StartJob.from_json(job.to_json())
    assert popped.options.max_posts == 7
    assert (popped.options.full, popped.options.run_id) == (True, 5)
    assert BloggerSpider(options=popped.options).options.max_posts == 7


def test_max_posts_from_a_start_job_reaches_the_spider_as_its_crawl_options() -> None:
    options = _crawl_command_options([BLOG, "--max-posts", "7"])
    job = StartJob.for_blog(options, BLOG)
    assert job.options == options
    assert StartJob.from_json(job.to_json()) == job


@pytest.mark.parametrize(
    ("entry", "named"),
    [
        ({"blog": BLOG, "max_posts": 0}, "max_posts must be at least 1"),
        ({"blog": BLOG, "max_posts": -4}, "max_posts must be at least 1"),
        ({"blog": BLOG, "max_posts": "many"}, "max_posts must be a whole number"),
        ({"blog": BLOG, "run_id": 0}, "run_id must be at least 1"),
        ({"blog": BLOG, "full": "no"}, "full must be true or false"),
        ({"blog": BLOG, "trigger": "x" * 40}, "trigger must be at most"),
        ({"blog": BLOG, "max_post": 3}, "unknown crawl option 'max_post'"),
        ({"blog": "ftp://x"}, "not a blog URL"),
        ({"max_posts": 3}, "'blog'"),
    ],
)
def test_a_start_job_is_validated_by_the_crawls_own_validator(
    entry: dict[str, object], named: str
) -> None:
    with pytest.raises(StartJobError, match=named):
        StartJob.from_json(json.dumps(entry))


def test_a_start_job_for_a_blog_its_options_do_not_name_is_refused() -> None:
    options = _crawl_command_options([BLOG])
    with pytest.raises(ValueError, match="other.blogspot.com"):
        StartJob.for_blog(options, "https://other.blogspot.com/")


def test_the_crawl_commands_own_options_in_a_schedule_are_blogingest_crawls() -> None:
    from scheduler.crawl_flags import COMMAND_OPTIONS

    document = {
        "defaults": {"interval": "1h"},
        "blog": [
            {
                "url": BLOG,
                "options": {"set": ["DOWNLOAD_DELAY=0"], "offline": True, "seeds_dir": "seeds"},
            }
        ],
    }
    config = parse_config(document)
    assert set(config.blogs[0].options) == set(COMMAND_OPTIONS)
    argv = list(build_jobs(config)[0].argv)[len(config.worker.crawl_command) :]
    args = build_parser().parse_args(["crawl", *argv])  # blogingest crawl takes every one
    assert (args.set, args.offline, args.seeds_dir) == (["DOWNLOAD_DELAY=0"], True, "seeds")


def test_a_schedule_turns_comments_off_through_the_crawl_options() -> None:
    document = {
        "defaults": {"interval": "1h"},
        "blog": [{"url": BLOG, "options": {"no_comments": True}}],
    }
    config = parse_config(document)
    blog = config.blogs[0]
    assert blog.crawl is not None
    assert blog.crawl.comments is False
    argv = list(build_jobs(config)[0].argv)[len(config.worker.crawl_command) :]
    assert "--no-comments" in argv
    assert _crawl_command_options(argv) == blog.crawl
    assert BloggerSpider(**blog.crawl.to_spider_arguments()).options.comments is False


def test_a_schedules_per_blog_no_comments_reaches_the_worker_in_its_start_job() -> None:
    document = {
        "defaults": {"interval": "1h"},
        "blog": [
            {"url": BLOG, "options": {"no_comments": True}},
            {"url": "https://other.blogspot.com/"},
        ],
    }
    config = parse_config(document)
    off, on = (
        job_from_argv(blog.url, job.argv, run_id=5, trigger="schedule")
        for blog, job in zip(config.blogs, build_jobs(config), strict=True)
    )
    assert json.loads(off.to_json())["no_comments"] is True  # the schedule's own spelling
    assert StartJob.from_json(off.to_json()).options.comments is False
    assert StartJob.from_json(on.to_json()).options.comments is True
    popped = StartJob.from_json(off.to_json())
    assert BloggerSpider(options=popped.options).options.comments is False


def test_a_start_job_without_the_comments_key_harvests_comments() -> None:
    # A job queued before jobs carried the switch: comments on, as every crawl's default.
    assert StartJob.from_json(json.dumps({"blog": BLOG})).comments is True
    with pytest.raises(StartJobError, match="no_comments must be true or false"):
        StartJob.from_json(json.dumps({"blog": BLOG, "no_comments": "yes"}))
