"""Score the parser (+ cleaning) against the real Blogger pages of a corpus directory.

Usage: ``python -m benchmarks.corpus ../shared/corpus [--verbose] [--no-url]``

For every ``NNN.html`` with an ``NNN.expected.json`` it runs
:func:`crawler.extraction.parse_and_clean` on the page's bytes (with the expected
``url`` as fetch URL, or none with ``--no-url``, as ``blogingest parse FILE`` does) and
compares: title (exact), comment count (exact, ``null`` included), ``body_with`` snippets
found and ``body_without`` snippets leaked (after collapsing whitespace), non-post pages
rejected, and as extra columns author, published date (the date as written in the page's
own offset), labels, first and last paragraph. Authors and dates that do not match are
told apart as *missing* (null) or *wrong* (a value, and not the right one: worse than
none); the update time is reported where the page gives one (and flagged when it precedes
the publication). The closing block lists, per field, the pages that missed it. On every page
that shows comments (expected ``comment_count`` > 0), the page's thread: as many comments
parsed as the count shown, each with an author (a name or, where the name was an e-mail
address, the profile link), a time and text or the deleted state (``comments parsed =
shown``); a thread the parser finds partial (a live "Load more") fails it. Pages
whose ``page_kind`` is ``not_as_served`` are scored but totalled apart. Prints figures;
exit 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.extraction import parse_and_clean
from crawler.items import BlogComment, BlogPost
from crawler.parsing import NotAPostError, UnreadablePageError

NON_POST_KINDS = frozenset({"archive", "error", "js_shell"})


def expects_post(expected: dict[str, Any]) -> bool:
    """Whether the page should parse as a post (``not_as_served`` pages with a null title,
    like the classic weekly archive, should be rejected)."""
    return expected["page_kind"] not in NON_POST_KINDS and expected["title"] is not None


def squash(text: str | None) -> str:
    """Collapse whitespace runs to one space (the corpus's comparison rule)."""
    return " ".join((text or "").split())


@dataclass
class PageScore:
    """What one page scored; ``None`` fields were not applicable."""

    page_id: str
    kind: str
    post_expected: bool = True
    rejected: str | None = None
    title_ok: bool | None = None
    count_ok: bool | None = None
    found: int = 0
    wanted: int = 0
    leaked: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extras: dict[str, bool | None] = field(default_factory=dict)
    misses: dict[str, str] = field(default_factory=dict)
    """Author and published when they did not match: ``missing`` (null) or ``wrong``."""
    updated: str | None = None
    """``shown`` when the record has an update time, ``before published`` when it is earlier."""
    thread_ok: bool | None = None
    """The page's whole thread parsed (see the module docstring); None: no comments shown."""
    comments: tuple[int, int] = (0, 0)
    """Complete comments parsed, and comments shown (where comments are shown)."""
    detail: list[str] = field(default_factory=list)


def _published_matches(post: BlogPost, expected: str | None) -> bool | None:
    if expected is None:
        return None
    return post.published is not None and post.published.date().isoformat() == expected[:10]


def is_complete(comment: BlogComment) -> bool:
    """An author (name or profile link), a time, and text or the deleted state."""
    has_author = comment.author is not None or comment.author_url is not None
    has_text = bool(comment.paragraphs) != comment.deleted
    return has_author and comment.published is not None and has_text


def thread_problems(post: BlogPost, shown: int) -> list[str]:
    """Why the parsed thread is not the ``shown`` comments, each complete; [] when it is."""
    problems = []
    if post.comments_partial:
        problems.append("thread partial (the page holds only part of it)")
    if len(post.comments) != shown:
        problems.append(f"comments parsed {len(post.comments)} != shown {shown}")
    incomplete = [comment.id for comment in post.comments if not is_complete(comment)]
    if incomplete:
        problems.append(
            f"{len(incomplete)} comments without author, time or text: {incomplete[:3]}"
        )
    return problems


def score_post(page_id: str, expected: dict[str, Any], post: BlogPost) -> PageScore:
    """Compare one parsed record with its expected.json."""
    score = PageScore(
        page_id=page_id, kind=expected["page_kind"], post_expected=expects_post(expected)
    )
    body = squash(" ".join(post.body_paragraphs))
    score.title_ok = post.title == expected["title"]
    score.count_ok = post.comment_count == expected["comment_count"]
    score.wanted = len(expected["body_with"])
    score.missing = [s for s in expected["body_with"] if squash(s) not in body]
    score.found = score.wanted - len(score.missing)
    score.leaked = [s for s in expected["body_without"] if squash(s) and squash(s) in body]
    paragraphs = [squash(p) for p in post.body_paragraphs]
    score.extras = {
        "author": None if expected.get("author") is None else post.author == expected["author"],
        "published": _published_matches(post, expected.get("published")),
        "labels": post.labels == expected.get("labels", []),
        "first": None
        if expected.get("first_paragraph") is None
        else bool(paragraphs) and paragraphs[0] == squash(expected["first_paragraph"]),
        "last": None
        if expected.get("last_paragraph") is None
        else bool(paragraphs) and paragraphs[-1] == squash(expected["last_paragraph"]),
    }
    for name, got in (("author", post.author), ("published", post.published)):
        if score.extras[name] is False:
            score.misses[name] = "missing" if got is None else "wrong"
    if post.updated is not None:
        late = post.published is not None and post.updated < post.published
        score.updated = "before published" if late else "shown"
    if not score.title_ok:
        score.detail.append(f"title {post.title!r} != {expected['title']!r}")
    if not score.count_ok:
        score.detail.append(f"comments {post.comment_count} != {expected['comment_count']}")
    shown = expected["comment_count"]
    if isinstance(shown, int) and shown > 0:
        problems = thread_problems(post, shown)
        score.thread_ok = not problems
        score.comments = (sum(is_complete(c) for c in post.comments), shown)
        score.detail += problems
    score.detail += [f"missing: {s[:70]}" for s in score.missing]
    score.detail += [f"leaked: {s[:70]}" for s in score.leaked]
    for name, ok in score.extras.items():
        if ok is False:
            got = {
                "author": post.author,
                "published": post.published,
                "labels": post.labels,
                "first": paragraphs[0][:70] if paragraphs else None,
                "last": paragraphs[-1][:70] if paragraphs else None,
            }[name]
            score.detail.append(f"{name}: got {got!r}")
    return score


def score_page(html: Path, expected: dict[str, Any], *, with_url: bool = True) -> PageScore:
    """Parse ``html`` and score it; a rejection scores as rejected.

    ``with_url`` False parses without the fetch URL (``""``), so that rejections, dates and
    the record come from the markup alone.
    """
    page_id = html.name[:3]
    try:
        post = parse_and_clean(expected["url"] if with_url else "", html.read_bytes())
    except (NotAPostError, UnreadablePageError) as error:
        score = PageScore(
            page_id=page_id,
            kind=expected["page_kind"],
            post_expected=expects_post(expected),
            rejected=error.reason,
        )
        if score.post_expected:
            score.detail.append(f"wrongly rejected: {error.reason}")
        return score
    score = score_post(page_id, expected, post)
    if not score.post_expected:
        score.detail.insert(0, f"NOT rejected (parsed as {post.title!r})")
    return score


def _mark(value: bool | None) -> str:
    return "-" if value is None else ("ok" if value else "XX")


def _row(score: PageScore) -> str:
    if score.rejected is not None:
        return f"{score.page_id} {score.kind:<13} rejected: {score.rejected}"
    extras = " ".join(f"{k}={_mark(v)}" for k, v in score.extras.items())
    updated = "yes" if score.updated == "shown" else (score.updated or "-")
    return (
        f"{score.page_id} {score.kind:<13} title={_mark(score.title_ok)}"
        f" comments={_mark(score.count_ok)} thread={_mark(score.thread_ok)}"
        f" with={score.found}/{score.wanted}"
        f" leaks={len(score.leaked)} {extras} updated={updated}"
    )


def _totals(label: str, scores: list[PageScore]) -> list[str]:
    expected_posts = [s for s in scores if s.post_expected]
    posts = [s for s in expected_posts if s.rejected is None]
    non_posts = [s for s in scores if not s.post_expected]
    threads = [s for s in posts if s.thread_ok is not None]

    def count(name: str) -> str:
        values = [s.extras.get(name) for s in posts if s.extras.get(name) is not None]
        return f"{sum(bool(v) for v in values)}/{len(values)}"

    def misses(name: str, kind: str) -> int:
        return sum(s.misses.get(name) == kind for s in posts)

    updated = [s for s in posts if s.updated is not None]

    return [
        f"{label}: pages {len(scores)}",
        f"  titles exact        {sum(bool(s.title_ok) for s in posts)}/{len(expected_posts)}",
        f"  comment counts      {sum(bool(s.count_ok) for s in posts)}/{len(expected_posts)}",
        f"  comments parsed = shown: {sum(bool(s.thread_ok) for s in threads)}/{len(threads)}"
        f" pages ({sum(s.comments[0] for s in threads)}/{sum(s.comments[1] for s in threads)}"
        " complete comments)",
        f"  body_with found     {sum(s.found for s in posts)}/{sum(s.wanted for s in posts)}",
        f"  body_without leaked {sum(len(s.leaked) for s in scores)}",
        f"  non-posts rejected  {sum(s.rejected is not None for s in non_posts)}/{len(non_posts)}",
        f"  wrongly rejected    {len(expected_posts) - len(posts)}",
        f"  authors {count('author')}  published {count('published')}  labels {count('labels')}"
        f"  first {count('first')}  last {count('last')}",
        f"  authors wrong {misses('author', 'wrong')} missing {misses('author', 'missing')}"
        f"  published wrong {misses('published', 'wrong')}"
        f" missing {misses('published', 'missing')}",
        f"  updated shown {len(updated)}/{len(posts)}"
        f"  before published {sum(s.updated == 'before published' for s in updated)}",
    ]


def _misses_by_field(scores: list[PageScore]) -> list[str]:
    """One line per field that some page missed, naming the pages (``kind`` in brackets)."""
    by_field: dict[str, list[str]] = {}
    for score in scores:
        if score.rejected is not None:
            if score.post_expected:
                by_field.setdefault("rejected", []).append(score.page_id)
            continue
        if not score.post_expected:
            by_field.setdefault("not rejected", []).append(score.page_id)
            continue
        if not score.title_ok:
            by_field.setdefault("title", []).append(score.page_id)
        if not score.count_ok:
            by_field.setdefault("comments", []).append(score.page_id)
        if score.missing:
            by_field.setdefault("body_with", []).append(score.page_id)
        if score.leaked:
            by_field.setdefault("leaks", []).append(score.page_id)
        for name, ok in score.extras.items():
            if ok is False:
                kind = score.misses.get(name)
                page = f"{score.page_id}({kind})" if kind else score.page_id
                by_field.setdefault(name, []).append(page)
    lines = ["misses by field:" if by_field else "misses by field: none"]
    lines += [f"  {name:<12} {' '.join(pages)}" for name, pages in by_field.items()]
    return lines


def run(corpus: Path, *, verbose: bool, with_url: bool = True) -> list[str]:
    """Score every page of ``corpus`` and return the report lines."""
    scores: list[PageScore] = []
    for expected_path in sorted(corpus.glob("*.expected.json")):
        html = expected_path.with_name(expected_path.name.replace(".expected.json", ".html"))
        if html.exists():
            expected = json.loads(expected_path.read_text("utf-8"))
            scores.append(score_page(html, expected, with_url=with_url))
    source = "with the fetch URL" if with_url else "without any URL (markup alone)"
    lines = [f"parse_page + clean_post, scored against expected.json, {source}"]
    for score in scores:
        lines.append(_row(score))
        if verbose or score.kind != "not_as_served":
            lines += [f"      {d}" for d in score.detail]
    served = [s for s in scores if s.kind != "not_as_served"]
    apart = [s for s in scores if s.kind == "not_as_served"]
    return [
        *lines,
        "",
        *_totals("as served", served),
        *_totals("not as served", apart),
        *_misses_by_field(scores),
    ]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpus", description=__doc__)
    parser.add_argument("corpus", type=Path, help="directory holding NNN.html + NNN.expected.json")
    parser.add_argument("--verbose", action="store_true", help="details for not_as_served too")
    parser.add_argument(
        "--no-url", action="store_true", help="parse without the fetch URL, as `parse FILE`"
    )
    args = parser.parse_args(argv)
    if not args.corpus.is_dir() or not any(args.corpus.glob("*.expected.json")):
        print(f"benchmarks.corpus: no NNN.expected.json files in {args.corpus}", file=sys.stderr)
        return 2
    print("\n".join(run(args.corpus, verbose=args.verbose, with_url=not args.no_url)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
