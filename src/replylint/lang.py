"""Language detection for drafts that do not say their language.

Drafts are short and the choice is between the languages bundled under
``rules/`` (fr, en), so counting each language's stop words (from its
``language.toml``) beats a general-purpose detector: it is ~1 µs, needs no
model, and a tie falls back to the configured default.
"""

from __future__ import annotations

import re
from functools import cache

from replylint.phrases import available_languages, language_data
from replylint.text import fold_char_map

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@cache
def _profiles() -> tuple[tuple[str, frozenset[str], str], ...]:
    profiles = []
    for lang in available_languages():
        data = language_data(lang)
        profiles.append((lang, frozenset(fold_char_map(w) for w in data.stopwords), data.markers))
    return tuple(profiles)


def detect(text: str, default: str = "en") -> str:
    """The most likely bundled language of ``text``; ``default`` when nothing decides."""
    lowered = text.lower()  # @handles and URLs rarely hold stop words: not worth stripping
    words = _WORD.findall(fold_char_map(lowered))
    best, best_score = default, 0.0
    for lang, stopwords, markers in _profiles():
        score = float(sum(1 for w in words if w in stopwords))
        for word in words:
            if "'" in word and word.split("'")[0] + "'" in stopwords:
                score += 1  # elisions: l'adresse, d'un, j'ai
        if markers:
            score += 0.5 * sum(1 for c in lowered if c in markers)
        if score > best_score:
            best, best_score = lang, score
    return best
