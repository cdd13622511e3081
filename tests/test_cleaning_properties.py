"""Properties of cleaning that hold for every input, checked with hypothesis."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.cleaning import clean_paragraphs, clean_text
from crawler.cleaning.dedupe import MIN_KEY_CHARS, paragraph_key
from tests.support.damage import damage, english_paragraph, foreign_sentence

_any_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)).filter(lambda c: c != "\x00")
    | st.sampled_from(list('â"’“”—–€™ \u00a0\u200b\u200dÃ©s')),
    max_size=40,
)


@settings(max_examples=300)
@given(english_paragraph())
def test_lossy_repair_undoes_the_seed_damage_on_english_like_text(text: str) -> None:
    assert clean_text(damage(text)) == text


@settings(max_examples=100)
@given(english_paragraph())
def test_clean_english_text_is_left_exactly_as_it_is(text: str) -> None:
    assert clean_text(text) == text


@settings(max_examples=300)
@given(st.lists(foreign_sentence(), min_size=1, max_size=3).map(" ".join))
def test_text_with_legitimate_circumflex_words_is_never_changed(text: str) -> None:
    assert clean_text(text) == text


@settings(max_examples=300)
@given(_any_text)
def test_cleaning_a_string_twice_gives_the_same_as_cleaning_it_once(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once


_template_line = st.sampled_from(
    ["Home", "Share this", "Read more", "Labels: news", "Post a Comment", "3 comments:", "Tweet"]
)


@settings(max_examples=150)
@given(
    st.lists(
        st.one_of(_any_text, _template_line, english_paragraph(), english_paragraph().map(damage))
    ).flatmap(lambda ps: st.lists(st.sampled_from(ps), max_size=12) if ps else st.just(ps))
)
def test_cleaning_paragraphs_twice_gives_the_same_as_cleaning_them_once(
    paragraphs: list[str],
) -> None:
    once = clean_paragraphs(paragraphs)
    assert clean_paragraphs(once) == once


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    remaining = iter(long)
    return all(any(item == candidate for candidate in remaining) for item in short)


@settings(max_examples=100)
@given(st.lists(st.one_of(_any_text, english_paragraph()), max_size=8))
def test_cleaning_never_reorders_paragraphs(paragraphs: list[str]) -> None:
    doubled = paragraphs + paragraphs[::2]
    result = clean_paragraphs(doubled)
    assert _is_subsequence(result, [clean_text(p) for p in doubled])


@settings(max_examples=80)
@given(st.lists(english_paragraph(), unique_by=paragraph_key, max_size=6), st.data())
def test_a_paragraph_with_no_repeat_is_never_dropped(
    paragraphs: list[str], data: st.DataObject
) -> None:
    damaged = [damage(p) if data.draw(st.booleans()) else p for p in paragraphs]
    assert clean_paragraphs(damaged) == paragraphs


@settings(max_examples=100)
@given(st.lists(english_paragraph(), min_size=1, max_size=5, unique_by=paragraph_key), st.data())
def test_repeats_anywhere_in_the_body_are_removed_keeping_the_first(
    paragraphs: list[str], data: st.DataObject
) -> None:
    repeats = data.draw(st.lists(st.sampled_from(paragraphs), max_size=5))
    damaged_repeats = [damage(p).upper() for p in repeats]
    short_repeats = [
        clean_text(damaged)
        for original, damaged in zip(repeats, damaged_repeats, strict=True)
        if len(paragraph_key(original)) < MIN_KEY_CHARS
    ]
    assert clean_paragraphs(paragraphs + damaged_repeats) == paragraphs + short_repeats
