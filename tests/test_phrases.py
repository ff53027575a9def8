"""Every bundled phrase list, compiled with first-character dispatch, matches exactly what the
plain alternation of its phrases matches (see replylint.alternation)."""

from __future__ import annotations

import re
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replylint.alternation import bounded_alternation
from replylint.phrases import DATA_PACKAGE, available_languages, build_book

BOOKS = [
    (entry.name.removesuffix(".toml"), language)
    for language in available_languages()
    for entry in resources.files(DATA_PACKAGE).joinpath(language).iterdir()
    if entry.name.endswith(".toml") and entry.name != "language.toml"
]


def _plain(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in phrases) + r")(?!\w)")


@pytest.mark.parametrize(("rule", "language"), BOOKS, ids=lambda v: str(v))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_compiled_lists_match_like_plain_alternations(rule: str, language: str, data: st.DataObject) -> None:
    book = build_book(rule, language)
    for name in book.list_names():
        phrases = book[name].phrases
        if not phrases:
            continue
        vocabulary = sorted({w for p in phrases for w in re.findall(r"[a-z']+", p)} | {"the", "x", "1"})
        words = data.draw(st.lists(st.sampled_from(vocabulary), max_size=18))
        text = " ".join(words)
        expected = [(m.start(), m.end()) for m in _plain(phrases).finditer(text)]
        assert [(h.start, h.end) for h in book[name].finditer(text)] == expected, (rule, language, name, text)


@pytest.mark.parametrize(("rule", "language"), BOOKS, ids=lambda v: str(v))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_word_searches_find_what_the_lists_find(rule: str, language: str, data: st.DataObject) -> None:
    """A list's ``word_search`` (a ``WordSearch`` of its ``letter_forms``) gives the list's matches
    (blaming-tone finds its lectures so, public-personal-data-request its private routes,
    missing-empathy the complaint phrases of a message with ``search_words``): on
    ASCII and other text, with words glued to punctuation, over the text or a window of it."""
    book = build_book(rule, language)
    for name in book.list_names():
        phrases = book[name].phrases
        if not phrases:
            continue
        vocabulary = sorted({w for p in phrases for w in re.findall(r"[a-z']+", p)} | {"the", "x", "1", "é"})
        words = data.draw(st.lists(st.sampled_from(vocabulary), max_size=18))
        separators = data.draw(st.lists(st.sampled_from([" ", " ", ", ", ".", "?! ", "\x1c"]), min_size=18))
        text = "".join(w + s for w, s in zip(words, separators, strict=False))
        search = book[name].word_search
        expected = [(m.start(), m.end()) for m in _plain(phrases).finditer(text)]
        assert list(search.finditer(text)) == expected, (rule, language, name, text)
        # in a window, as public-personal-data-request searches a sentence
        pos, endpos = sorted(data.draw(st.lists(st.integers(0, len(text)), min_size=2, max_size=2)))
        expected = [(m.start(), m.end()) for m in _plain(phrases).finditer(text, pos, endpos)]
        assert list(search.finditer(text, pos, endpos)) == expected, (rule, language, name, text, pos, endpos)
        # ``search_words`` gives ``search``'s hit: its span and the phrase it names
        for window in [(0, None), (pos, endpos)]:
            ours, theirs = book[name].search_words(text, *window), book[name].search(text, *window)
            assert (ours and (ours.start, ours.end, ours.phrase, ours.list_name)) == (
                theirs and (theirs.start, theirs.end, theirs.phrase, theirs.list_name)
            ), (rule, language, name, text, window)


# --- the skip-ahead layout (bound checked after the first character) ----------------------

_RARE_FIRST = ["dm us", "dm me", "jot it", "kindly", "query", "x-ray", "quel", "j'ai vu", "zut"]
_COMMON_FIRST = ["email", "address", "order number", "ticket", "our team", "notre équipe"]


def test_rare_first_characters_use_the_skip_ahead_layout() -> None:
    assert bounded_alternation(_RARE_FIRST).startswith("(?:")  # re can skip to d, j, k, q, x, z
    assert bounded_alternation(_COMMON_FIRST).startswith(r"(?<!\w)")  # e, a, o, t: not worth it


@pytest.mark.parametrize("forms", [_RARE_FIRST, _COMMON_FIRST], ids=["skip-ahead", "bound-first"])
@settings(max_examples=200, deadline=None)
@given(
    pieces=st.lists(
        st.sampled_from([*_RARE_FIRST, *_COMMON_FIRST, "a", "xd", "'", "-", "_", "é", " ", ".", "1", "dmus"]),
        max_size=14,
    ),
    pos=st.integers(min_value=0, max_value=6),
)
def test_bounded_alternation_matches_like_the_plain_bounded_one(
    forms: list[str], pieces: list[str], pos: int
) -> None:
    """Glued pieces put phrases inside words, after digits, underscores and at the edges; a
    start position inside the text checks that the bound still looks behind it. Without
    ``end_bound`` the forms match at word starts, whatever follows ("dmus" holds "dm us" cut
    short), and ``WordSearch`` finds the same first match."""
    from replylint.alternation import WordSearch

    text = "".join(pieces)
    plain = re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{f})" for f in forms) + r")(?!\w)")
    compiled = re.compile(bounded_alternation(forms))
    assert [m.span() for m in compiled.finditer(text, pos)] == [m.span() for m in plain.finditer(text, pos)]
    starts = re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{f})" for f in forms) + r")")
    compiled = re.compile(bounded_alternation(forms, end_bound=False))
    assert [m.span() for m in compiled.finditer(text, pos)] == [m.span() for m in starts.finditer(text, pos)]
    expected = starts.search(text, pos)
    found = WordSearch(forms, end_bound=False).search(text, pos)
    assert (found and (found[0], found[1].end())) == (expected and expected.span())
