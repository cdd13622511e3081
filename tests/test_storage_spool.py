"""Spool files keep each reject's kind, and files written before kinds existed still load."""

from __future__ import annotations

import json
from pathlib import Path

from crawler.items import RejectedPage, RejectKind
from storage.batch import Batch
from storage.spool import read_spool, write_spool


def test_a_spooled_reject_keeps_its_kind_whatever_its_reason_says(tmp_path: Path) -> None:
    reject = RejectedPage.of(RejectKind.NOT_A_POST, "HTTP-like wording", url="https://x/b.html")
    batch = Batch(rejects={3: [reject]}, size=1)
    path = write_spool(tmp_path, batch)
    (line,) = [json.loads(text) for text in path.read_text().splitlines()]
    assert line["reject_kind"] == "not_a_post"
    assert read_spool(path).rejects == {3: [reject]}


def test_a_reject_spooled_before_kinds_existed_gets_the_kind_its_reason_names(
    tmp_path: Path,
) -> None:
    reasons = {
        "HTTP 404": RejectKind.FETCH_FAILED,
        "not a post: archive listing": RejectKind.NOT_A_POST,
        "unreadable: not HTML": RejectKind.UNREADABLE,
        "invalid post: neither title nor body text": RejectKind.INVALID,
        "unstorable post: no URL": RejectKind.UNSTORABLE,
        "another blog's page: Blogger blog id 1, the crawled blog is 2": RejectKind.OFF_BLOG,
    }
    path = tmp_path / "crawl-old.jsonl"
    lines = [
        {
            "kind": "rejected",
            "run_id": None,
            "url": f"https://x.blogspot.com/{n}.html",
            "reason": reason,
            "status": None,
            "content_type": None,
            "body_base64": "",
        }
        for n, reason in enumerate(reasons)
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    pages = read_spool(path).rejects[None]
    assert {page.reason: page.kind for page in pages} == reasons
