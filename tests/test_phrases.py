"""Every bundled phrase list, compiled with first-character dispatch, matches exactly what the
plain alternation of its phrases matches (see replylint.alternation)."""

from __future__ import annotations

import re
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
