"""The corpus scorer's comparisons, on a made-up record (no timing, no shared corpus)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from benchmarks import parse_speed
from benchmarks.corpus import main as corpus_main
from benchmarks.corpus import score_post
from benchmarks.parse_speed import main as speed_main
from benchmarks.published_dates import main as dates_main
from crawler.items import BlogPost

EXPECTED = {
    "page_kind": "post",
    "title": "T",
    "comment_count": 2,
    "body_with": ["first   words", "missing words"],
    "body_without": ["Share to Twitter", "Older Post"],
    "author": "A",
    "published": "2020-05-01",
    "labels": ["x"],
    "first_paragraph": "first words here",
    "last_paragraph": "Older Post",
}


def test_score_post_counts_snippets_leaks_and_exact_fields() -> None:
    post = BlogPost(
        url="https://b.blogspot.com/2020/05/t.html",
        title="T",
        body_paragraphs=["first words here", "Older Post"],
        comment_count=2,
        author="A",
        published=datetime(2020, 5, 1, 23, 0, tzinfo=timezone(timedelta(hours=-7))),
        labels=["x"],
    )
    score = score_post("999", EXPECTED, post)
    assert score.title_ok
    assert score.count_ok
    assert (score.found, score.wanted) == (1, 2)
    assert score.leaked == ["Older Post"]
    assert score.extras == {
        "author": True,
        "published": True,
        "labels": True,
        "first": True,
        "last": True,
    }


@pytest.mark.parametrize("entry", [corpus_main, speed_main, dates_main])
def test_the_benchmarks_refuse_a_directory_without_a_corpus(
    entry: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert callable(entry)
    assert entry([str(tmp_path / "nowhere")]) == 2
    assert "nowhere" in capsys.readouterr().err


def test_score_post_tells_a_missing_value_from_a_wrong_one_and_reports_updates() -> None:
    post = BlogPost(
        url="https://b.blogspot.com/2020/05/t.html",
        title="T",
        body_paragraphs=["first words here"],
        comment_count=2,
        author=None,
        published=datetime(2020, 5, 9, tzinfo=UTC),
        updated=datetime(2020, 5, 2, tzinfo=UTC),
        labels=["x"],
    )
    score = score_post("998", EXPECTED, post)
    assert score.misses == {"author": "missing", "published": "wrong"}
    assert score.updated == "before published"


def test_the_speed_benchmark_names_a_page_the_parser_refuses_and_times_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = Path(__file__).parent / "fixtures" / "pages"
    (tmp_path / "post.html").write_bytes((pages / "classic.html").read_bytes())
    (tmp_path / "listing.html").write_bytes((pages / "archive.html").read_bytes())
    assert speed_main([str(tmp_path), "--passes", "1", "--no-trafilatura"]) == 0
    out = capsys.readouterr().out
    assert "not timed: listing.html (the parser refuses it: " in out
    assert "1 post pages" in out
    assert "post.html" in out


def test_the_speed_benchmark_refuses_a_directory_of_refused_pages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = Path(__file__).parent / "fixtures" / "pages"
    (tmp_path / "listing.html").write_bytes((pages / "archive.html").read_bytes())
    assert speed_main([str(tmp_path), "--passes", "1", "--no-trafilatura"]) == 2
    assert "refuses every page" in capsys.readouterr().err


def test_every_timed_call_pays_for_its_own_frees(monkeypatch: pytest.MonkeyPatch) -> None:
    """The allocator is settled inside each contender's timed window, after its work: a
    contender does not pay for the frees the one before it left to the allocator."""
    events: list[str] = []

    def clock() -> float:
        events.append("clock")
        return float(len(events))

    monkeypatch.setattr(parse_speed.time, "process_time", clock)
    monkeypatch.setattr(parse_speed, "settle_allocator", lambda: events.append("settle"))
    contenders = {
        "a": lambda page: events.append("a"),
        "b": lambda page: events.append("b"),
    }
    page = parse_speed.Page("p", "http://x.example/p.html", b"<p>x</p>")
    durations = parse_speed.time_interleaved(contenders, [page], passes=1)
    assert events == ["clock", "a", "settle", "clock", "clock", "b", "settle", "clock"]
    assert durations == {"a": [[3.0]], "b": [[3.0]]}


def test_settling_the_allocator_makes_a_large_request() -> None:
    """A request over glibc's small-bin range (1 KB) is what consolidates its fast bins."""
    assert parse_speed._LARGE_REQUEST > 1024
    parse_speed.settle_allocator()
