"""Folding keeps offsets right; X's weighted length counts as X does."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replylint.length import weighted_length
from replylint.phrases import PhraseList, fold_pattern
from replylint.text import (
    _FOLD,
    SENTENCE_END,
    fold,
    fold_char_map,
    leading_mentions_end,
    outside_ascii,
    sentence_spans,
)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("Désolé pour l’attente", "desole pour l'attente"),
        ("👨‍👩‍👧 DÉSOLÉ pour l’attente", "desole pour l'attente"),
        ("🇫🇷 Votre e\u200bmail ?", "votre email"),
        ("Ｅｍａｉｌ please", "email please"),
        ("n°\u00a0de tél.", "n° de tel."),
        ("Cœur fidèle: envoyez l'adresse", "envoyez l'adresse"),
        ("👍🏽 plain ascii tail", "plain ascii tail"),
    ],
)
def test_folded_spans_map_back_to_the_original(text: str, needle: str) -> None:
    folded = fold(text)
    start = folded.text.index(needle)
    o_start, o_end = folded.span(start, start + len(needle))
    assert fold(text[o_start:o_end]).text == needle


def test_fold_is_identity_mapped_for_ascii() -> None:
    folded = fold("Hello THERE")
    assert folded.text == "hello there"
    assert folded.span(6, 11) == (6, 11)


def test_to_folded_round_trip_with_deleted_characters() -> None:
    text = "a\u200bb\u200bc désolé"
    folded = fold(text)
    assert folded.text == "abc desole"
    index = text.index("désolé")
    assert folded.text[folded.to_folded(index) :] == "desole"


def test_phrase_list_folds_literals_but_not_escapes() -> None:
    assert fold_pattern(r"désolé\S+") == r"desole\S+"
    hits = list(
        PhraseList("x", ["désolé(?:e|s)?", r"e-?mail"], "test").finditer(fold("DÉSOLÉE, E-MAIL").text)
    )
    assert [(h.start, h.end, h.phrase) for h in hits] == [(0, 7, "desole(?:e|s)?"), (9, 15, "e-?mail")]


def test_phrase_list_respects_word_edges() -> None:
    phrases = PhraseList("x", ["mp"], "test")
    assert phrases.search("envoyez un mp") is not None
    assert phrases.search("un mpg ou un amp") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello", 5),
        ("https://example.com/" + "a" * 200, 23),
        ("see www.example.com/path now", 4 + 23 + 4),
        ("😀", 2),
        ("👨‍👩‍👧‍👦", 2),  # ZWJ family: one emoji
        ("👍🏽", 2),  # skin tone: one emoji
        ("🇫🇷", 2),  # flag
        ("日本語", 6),  # CJK weighs 2
        ("café", 4),  # Latin-1 weighs 1
        ("e\u0301", 1),  # NFC first: e + combining acute = é
    ],
)
def test_weighted_length(text: str, expected: int) -> None:
    assert weighted_length(text) == expected


def test_leading_mentions_and_sentences() -> None:
    text = "@marie @Acme_SAV Bonjour Marie ! Nous regardons.\nÀ bientôt"
    start = leading_mentions_end(text)
    assert text[start:].startswith("Bonjour")
    spans = sentence_spans(text, start)
    assert [text[s:e] for s, e in spans] == ["Bonjour Marie !", "Nous regardons.", "À bientôt"]


def _fold_by_table(text: str) -> tuple[str, tuple[int, ...]]:
    """The reference fold: every character through the table, one by one, with its offsets."""
    pieces = [_FOLD[ord(char)] for char in text]
    starts = tuple(i for i, piece in enumerate(pieces) for _ in piece)
    return "".join(pieces), starts


def _check_against_table(text: str) -> None:
    folded = fold(text)
    expected, starts = _fold_by_table(text)
    assert folded.text == expected
    assert [folded.to_original(i) for i in range(len(expected))] == list(starts)
    # fold_char_map: the table at once for a short text, its own way for a longer one
    assert fold_char_map(text) == expected
    assert fold_char_map(text * 8) == expected * 8


def test_fold_matches_the_table_for_every_character() -> None:
    """fold() folds ASCII stretches with str.lower and only the other runs with the table:
    each code point of the blocks replies use (Latin, punctuation, symbols, CJK punctuation,
    full-width forms, emoji), between ASCII letters, then all of them in one run."""
    blocks = [range(0x80, 0x3100), range(0xFE00, 0x10000), range(0x1F000, 0x1FB00), range(0xE0000, 0xE0080)]
    for code in (c for block in blocks for c in block if not 0xD800 <= c <= 0xDFFF):
        _check_against_table(f"A{chr(code)}b")
    _check_against_table("".join(chr(c) for c in range(0x80, 0x3000)) + "\tX`Y")


@given(
    st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("\t`Aé’…œß\u200b\u1fefİΣ"), max_size=60)
)
@settings(max_examples=400, deadline=None)
def test_fold_matches_the_table(text: str) -> None:
    _check_against_table(text)


@given(st.text(alphabet=st.characters(codec="utf-8") | st.characters(categories=["Cs"]), max_size=40))
@settings(max_examples=300, deadline=None)
def test_outside_ascii_is_the_set_of_the_other_characters(text: str) -> None:
    assert outside_ascii(text) == {char for char in text if not char.isascii()}


#: ``text.SENTENCE_END`` in its plain form; the shared pattern is written for speed.
_PLAIN_SENTENCE_END = re.compile(r"(?:[.!?\u2026]+[\"')\]]*(?=\s|$)|\n+)")


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="ab .!?\u2026\n\"')]\t", max_size=40), start=st.integers(min_value=0, max_value=40)
)
def test_sentence_end_finds_what_the_plain_pattern_finds(text: str, start: int) -> None:
    expected = [m.span() for m in _PLAIN_SENTENCE_END.finditer(text, start)]
    assert [m.span() for m in SENTENCE_END.finditer(text, start)] == expected
