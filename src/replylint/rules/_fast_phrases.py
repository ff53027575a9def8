"""A faster compiled form of a phrase list, with exactly the same hits.

``PhraseList`` joins phrases into one alternation, and at each word start the regex engine
tries the alternatives one by one: for a list of fifty phrases over a whole customer
message that is tens of microseconds. ``FastList`` matches exactly the same text but
dispatches on the first character: leading groups are spread out ("(?:we|i) understand" ->
"we understand", "i understand") and the phrases are grouped under their first character,
so at each position the engine looks at one small group. (A candidate for ``PhraseList``
itself; kept here so no shared code changes.)
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from replylint.phrases import Hit, PhraseList

_FAST: dict[int, FastList] = {}
_MAX_SPREAD = 64
_TRIE_DEPTH = 3
_PLAIN_FIRST = re.compile(r"[\w '\-]")


class FastList:
    """A ``PhraseList`` compiled with first-character dispatch; same hits, same evidence."""

    __slots__ = ("_each", "_regex", "name", "phrase_list", "source")

    def __init__(self, phrase_list: PhraseList) -> None:
        self.phrase_list = phrase_list
        self.name = phrase_list.name
        self.source = phrase_list.source
        forms = [(form, phrase) for phrase in phrase_list.phrases for form in spread(phrase)]
        body = _trie([form for form, _ in forms], _TRIE_DEPTH) if forms else r"(?!x)x"
        self._regex = re.compile(rf"(?<!\w)(?:{body})(?!\w)")
        self._each: tuple[tuple[re.Pattern[str], str], ...] = tuple(
            (re.compile(form), phrase) for form, phrase in forms
        )

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[Hit]:
        end = len(text) if endpos is None else endpos
        for match in self._regex.finditer(text, pos, end):
            yield Hit(match.start(), match.end(), self._which(match.group()), self.name)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> Hit | None:
        return next(self.finditer(text, pos, endpos), None)

    def _which(self, matched: str) -> str:
        for regex, phrase in self._each:
            if regex.fullmatch(matched):
                return phrase
        return matched


def _trie(forms: list[str], depth: int) -> str:
    """One alternation of ``forms``, grouped under their first plain characters."""
    groups: dict[str, list[str]] = {}
    order: list[str | tuple[str]] = []  # a first character (group) or a form kept as is
    for form in forms:
        first = form[:1]
        if depth and _PLAIN_FIRST.fullmatch(first) and form[1:2] not in {"?", "*", "+", "{"}:
            if first not in groups:
                groups[first] = []
                order.append(first)
            groups[first].append(form[1:])
        else:
            order.append((form,))
    parts = []
    for item in order:
        if isinstance(item, tuple):
            parts.append(f"(?:{item[0]})")
        else:
            rests = groups[item]
            inner = _trie(rests, depth - 1) if len(rests) > 1 else f"(?:{rests[0]})"
            parts.append(re.escape(item) + inner)
    return "(?:" + "|".join(parts) + ")"


def fast(phrase_list: PhraseList) -> FastList:
    """The first-character-dispatch form of a compiled phrase list (cached)."""
    cached = _FAST.get(id(phrase_list))
    if cached is None or cached.phrase_list is not phrase_list:
        cached = FastList(phrase_list)
        _FAST[id(phrase_list)] = cached
    return cached


def spread(phrase: str) -> list[str]:
    """Equivalent phrases without top-level ``|`` or a leading non-repeated ``(?:…)`` group."""
    forms = [phrase]
    for _ in range(6):
        out: list[str] = []
        for form in forms:
            tops = _split_alternatives(form)
            lead = _leading_group(form) if len(tops) == 1 else None
            if len(tops) > 1:
                out.extend(tops)
            elif lead is not None:
                inner, rest = lead
                out.extend(alternative + rest for alternative in _split_alternatives(inner))
            else:
                out.append(form)
        if out == forms:
            break
        forms = out
        if len(forms) > _MAX_SPREAD:
            return [phrase]
    return forms


def _scan(pattern: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth before it) for the structural characters of a regex."""
    depth = 0
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            close = pattern.find("]", i + 2)
            i = len(pattern) if close < 0 else close + 1
            continue
        yield i, char, depth
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        i += 1


def _split_alternatives(pattern: str) -> list[str]:
    cuts = [i for i, char, depth in _scan(pattern) if char == "|" and depth == 0]
    bounds = [-1, *cuts, len(pattern)]
    return [pattern[a + 1 : b] for a, b in itertools.pairwise(bounds)]


def _leading_group(pattern: str) -> tuple[str, str] | None:
    """(inside, rest) of a leading ``(?:…)`` group that no quantifier follows."""
    if not pattern.startswith("(?:"):
        return None
    for i, char, depth in _scan(pattern):
        if char == ")" and depth == 1:
            rest = pattern[i + 1 :]
            if rest[:1] in {"?", "*", "+", "{"}:
                return None
            return pattern[3:i], rest
    return None
