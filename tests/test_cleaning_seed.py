"""The seed capture's body, cleaned, is exactly the expected body of the seed."""

from __future__ import annotations

import json
from pathlib import Path

from crawler.cleaning import clean_paragraphs, clean_post
from crawler.items import BlogPost
from tests.support.crawl import shared_path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EXPECTED_BODY = [
    "NEW DELHI: Pakistan’s ISI is sponsoring and putting together an alliance of smaller jihadi"
    " groups in Afghanistan, distinct from the Taliban and the ISKP, according to a new report."
    " These new jehadists are distinguished by their even more extreme ideology and apparently"
    " undermine the Taliban.",
    "A new report in Foreign Policy says the Islamic Invitation Alliance (IIA) has been funded by"
    " the ISI and was created in 2020, and has been on the radar of US intelligence for over a"
    " year. At the time, the idea was to ensure the Taliban’s victory. But now, this alliance is"
    " apparently being used to undermine the Taliban.",
    "The intensification of internal factional fights within the Taliban may be coming to a head"
    " in the coming weeks as per assessment shared by the group of national security czars who"
    " were in Delhi this week for the NSAs’ dialogue. Most of the discussions were behind closed"
    " doors but the group reached some key understandings on the evolving situation in"
    " Afghanistan. In fact, the seriousness of the situation is believed to be much more grave"
    " than is being publicly reported or acknowledged.",
    "The anxiety levels in the region are rising, with the participating countries unanimously"
    " describing the past 20 years as a “failure”. Despite many of the participants remaining"
    " engaged with the Taliban, there is little trust in the regime at present. “There was a"
    " consensus that the Taliban would have to gain internal legitimacy first before external"
    " recognition,” said a participant. It's unlikely that would happen peacefully. There is an"
    " expectation of a power struggle between the Doha group led by Mullah Baradar and the more"
    " extreme Haqqani group — one perceived to be close to the US and the other considered to be"
    " close to Pakistan.",
    "The top concerns shared by the NSAs were first, refugee flows from Afghanistan, which could"
    " export the Taliban ideologies into their countries as well as rampant proliferation of"
    " weapons left behind after the US withdrawal.",
]


def _seed_lines() -> list[str]:
    return (SEEDS / "seed-post.txt").read_text(encoding="utf-8").split("\n")


def test_the_seed_body_lines_clean_to_exactly_the_expected_body() -> None:
    lines = _seed_lines()
    assert clean_paragraphs(lines[1:-2], title=lines[0]) == EXPECTED_BODY


def test_the_seed_body_with_its_comment_footer_still_cleans_to_the_expected_body() -> None:
    lines = _seed_lines()
    assert lines[-2].startswith("0 Response to")
    assert clean_paragraphs(lines[1:], title=lines[0]) == EXPECTED_BODY


def test_the_expected_body_written_here_matches_the_shared_seed_expectation() -> None:
    shared = shared_path("seed/seed-post.expected.json")
    if shared.exists():  # the shared reference is not shipped with the repository
        assert json.loads(shared.read_text(encoding="utf-8"))["body_paragraphs"] == EXPECTED_BODY


def test_cleaning_the_seed_post_twice_changes_nothing_more() -> None:
    lines = _seed_lines()
    post = BlogPost(url="https://example.blogspot.com/2021/11/x.html", title=lines[0])
    post.body_paragraphs = lines[1:]
    once = clean_post(post)
    assert once.body_paragraphs == EXPECTED_BODY
    assert clean_post(once) == once
    assert post.body_paragraphs == lines[1:]
