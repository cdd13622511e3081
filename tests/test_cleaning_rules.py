"""Each cleaning rule on hand-written fixtures (tests/fixtures/cleaning/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crawler.cleaning import clean_paragraphs, clean_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cleaning"


def _load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


TEXT_CASES = _load("text_cases.json")
PARAGRAPH_CASES = _load("paragraph_cases.json")
LEGITIMATE = _load("legitimate_circumflex.json")


@pytest.mark.parametrize("case", TEXT_CASES, ids=[c["name"] for c in TEXT_CASES])
def test_clean_text_gives_the_expected_string(case: dict[str, str]) -> None:
    assert clean_text(case["input"]) == case["expected"]


@pytest.mark.parametrize("case", TEXT_CASES, ids=[c["name"] for c in TEXT_CASES])
def test_clean_text_leaves_its_own_output_unchanged(case: dict[str, str]) -> None:
    assert clean_text(case["expected"]) == case["expected"]


@pytest.mark.parametrize("sentence", LEGITIMATE)
def test_a_legitimate_circumflex_in_another_language_never_changes(sentence: str) -> None:
    assert clean_text(sentence) == sentence


@pytest.mark.parametrize("sentence", LEGITIMATE)
def test_a_legitimate_circumflex_survives_next_to_damaged_english(sentence: str) -> None:
    paragraph = f"{sentence} Pakistanâs ISI donât say."
    assert clean_text(paragraph) == f"{sentence} Pakistan’s ISI don’t say."


@pytest.mark.parametrize("case", PARAGRAPH_CASES, ids=[c["name"] for c in PARAGRAPH_CASES])
def test_clean_paragraphs_gives_the_expected_body(case: dict[str, Any]) -> None:
    assert clean_paragraphs(case["input"], title=case["title"]) == case["expected"]


def test_clean_paragraphs_does_not_change_its_input_list() -> None:
    paragraphs = [" a ", "Share this"]
    clean_paragraphs(paragraphs)
    assert paragraphs == [" a ", "Share this"]


def test_surrogate_pairs_are_joined_and_a_lone_surrogate_becomes_a_replacement_character() -> None:
    assert clean_text("a \ud83d\ude00 b \ud800 c") == "a 😀 b \ufffd c"


def test_a_value_that_is_not_text_is_refused_with_a_message_naming_it() -> None:
    with pytest.raises(TypeError, match=r"clean_text expects a str, got int: 5"):
        clean_text(5)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["Âââââ", "Â" + "â" * 12, "xâ" + "â" * 9])
def test_a_long_chain_of_lone_circumflexes_still_cleans_to_a_fixed_point(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once


def test_joiners_next_to_each_other_or_a_space_are_dropped_in_one_pass() -> None:
    text = "Ͱ\u200c\u200c\u200c\u200c\u2000"
    assert clean_text(text) == "Ͱ"
    assert clean_text("می\u200cخواهم") == "می\u200cخواهم"


def test_a_long_run_of_lone_a_circumflex_is_left_alone_in_one_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Decided from neighbours that are themselves "â", such a run settled one "â" per pass:
    # quadratic time, seconds for one paragraph of garbage. Counted in passes, not timed.
    from crawler.cleaning import text as cleaning_text

    passes: list[str] = []
    real_pass = cleaning_text._clean_once

    def counted(value: str) -> tuple[str, bool]:
        passes.append(value)
        return real_pass(value)

    monkeypatch.setattr(cleaning_text, "_clean_once", counted)
    garbage = "Before " + "â" * 2000 + " after"
    assert clean_text(garbage) == garbage
    assert len(passes) == 1
