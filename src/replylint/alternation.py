r"""Compile a list of regex fragments into one fast alternation with the same matches.

In a plain alternation ``a|b|c…`` Python's ``re`` tries every alternative at every word
start: for fifty phrases over a customer message that is tens of microseconds. Here the
fragments are first *spread* (leading groups expanded: "(?:we|i) understand" ->
"we understand", "i understand") and then grouped under their first characters (a shallow
trie), so at each position the engine only looks at one small group. Alternatives keep
their relative order inside each group, so the leftmost-first match is the same as the
plain alternation's (property-tested in tests/test_phrases.py).

``bounded_alternation`` wraps that in the word bounds phrase lists use. ``re`` skips ahead to
the next candidate position in C when a pattern opens with a literal or a set of literals,
but a pattern that opens with the bound ``(?<!\w)`` is tried at every position. So when the
phrases' first characters are rare enough, each group checks the bound just after its first
character instead: ``c(?<!\wc)…`` matches exactly where ``(?<!\w)c…`` does, and lets ``re``
skip every position whose character starts no phrase.

When they are common, ``WordSearch`` skips ahead instead to the non-word characters a phrase
must follow, and ``letter_forms`` spreads the optional leads and lookbehinds that ``spread``
leaves (a form that opens with one is tried at every word start).
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Iterator

_MAX_SPREAD = 64
_TRIE_DEPTH = 3
_PLAIN_FIRST = re.compile(r"[\w '\-]")


#: Roughly how often each character occurs in English and French customer-care tweets (share
#: of all characters; letters are about three quarters of a tweet, spaces most of the rest).
_CHAR_SHARE = dict(
    zip(
        "etaosrinhcpluwmgdybfvkjxqz ",
        [
            0.095,
            0.068,
            0.058,
            0.058,
            0.06,
            0.05,
            0.05,
            0.05,
            0.025,
            0.03,
            0.027,
            0.035,
            0.035,
            0.012,
            0.022,
            0.014,
            0.03,
            0.01,
            0.011,
            0.011,
            0.011,
            0.005,
            0.004,
            0.002,
            0.005,
            0.001,
            0.16,
        ],
        strict=True,
    )
)
#: Above this share of candidate positions, checking the bound first is cheaper (measured on
#: the bundled lists over real replies: from about a third of positions on, the skip-ahead no
#: longer pays for entering the pattern at the candidates inside words).
_SKIP_AHEAD_MAX_SHARE = 0.3


def dispatch_alternation(forms: list[str]) -> str:
    """One non-capturing alternation of ``forms`` with first-character dispatch."""
    return _trie(forms, _TRIE_DEPTH)


def bounded_alternation(forms: list[str], end_bound: bool = True) -> str:
    r"""``(?<!\w)(?:forms)(?!\w)`` with first-character dispatch: the forms matched as whole words
    (without ``end_bound``, as word starts: ``(?<!\w)(?:forms)``)."""
    if not forms:
        return r"(?!x)x"
    end = r"(?!\w)" if end_bound else ""
    firsts = {form[:1] for form in forms}
    plain = all(_plain_first(form) for form in forms)
    if plain and sum(_CHAR_SHARE.get(char, 0.01) for char in firsts) <= _SKIP_AHEAD_MAX_SHARE:
        groups: dict[str, list[str]] = {}
        for form in forms:
            groups.setdefault(form[0], []).append(form[1:])
        parts = []
        for first, rests in groups.items():
            char = re.escape(first)
            inner = _trie(rests, _TRIE_DEPTH - 1) if len(rests) > 1 else f"(?:{rests[0]})"
            parts.append(rf"{char}(?<!\w{char}){inner}")
        return "(?:" + "|".join(parts) + ")" + end
    return rf"(?<!\w){_trie(forms, _TRIE_DEPTH)}{end}"


def _plain_first(form: str) -> bool:
    """The form opens with a plain character that no quantifier follows."""
    return bool(_PLAIN_FIRST.fullmatch(form[:1])) and form[1:2] not in {"?", "*", "+", "{"}


def _trie(forms: list[str], depth: int) -> str:
    """One alternation of ``forms``, grouped under their first plain characters."""
    groups: dict[str, list[str]] = {}
    order: list[str | tuple[str]] = []  # a first character (group) or a form kept as is
    for form in forms:
        first = form[:1]
        if depth and _plain_first(form):
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


def optional_lead(pattern: str) -> tuple[str, str] | None:
    """(inside, rest) of a leading greedy ``(?:…)?`` group. ``(?:a|b)?c`` matches like
    ``(?:a|b|)c`` (the same leftmost-first order), which ``spread`` splits into ``ac``, ``bc``, ``c``;
    ``spread`` itself leaves such a group alone."""
    if not pattern.startswith("(?:"):
        return None
    for i, char, depth in _scan(pattern):
        if char == ")" and depth == 1:
            if pattern[i + 1 : i + 2] != "?" or pattern[i + 2 : i + 3] in {"?", "+"}:
                return None
            return pattern[3:i], pattern[i + 2 :]
    return None


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


#: A lookbehind of plain characters leading a phrase ("(?<!how to )report …").
_LEAD_LOOKBEHIND = re.compile(r"\(\?<!([\w '-]*)\)")
#: A form that ``dispatch_alternation`` files under its first character.
_LETTER_LEAD = re.compile(r"[\w '-](?![?*+{])")


def letter_forms(phrase: str, superset: bool = False) -> list[str]:
    """Forms whose alternation matches exactly like ``phrase`` (or, with ``superset``, at least
    where it does), each starting with a letter where possible.

    ``dispatch_alternation`` files forms under their first letters, so at a word start only the
    forms of that word's letters are tried. ``spread`` leaves alone a phrase that starts with an
    optional group or a lookbehind ("(?:please |you can )?(?:call|ring) …"), and such a form is
    tried at every word start (the eight of deflection's English lists cost more than its 480
    other forms together). Here an optional lead ``(?:a|b)?c`` is spread as ``ac``, ``bc``, ``c`` (the same
    matches, in the same order), and a lookbehind of plain characters moves past the first
    letter: ``(?<!how to )report`` as ``r(?<!how to r)eport``; with ``superset`` (the union) it
    is dropped, which lets the form be filed under more of its letters and only makes the union
    match a little more often (its leftmost match still comes at or before any list's).
    """
    forms = []
    for form in spread(phrase):
        behind = []
        while (lookbehind := _LEAD_LOOKBEHIND.match(form)) is not None:
            behind.append(lookbehind.group(1))
            form = form[lookbehind.end() :]
        lead = optional_lead(form)
        if lead is not None:
            expanded = letter_forms(f"(?:{lead[0]}|){lead[1]}", superset)
        elif behind:
            expanded = letter_forms(form, superset)
        else:
            forms.append(form)
            continue
        for rest in expanded:
            if not behind or superset:
                forms.append(rest)
            elif _LETTER_LEAD.match(rest):
                forms.append(rest[0] + "".join(f"(?<!{words}{rest[0]})" for words in behind) + rest[1:])
            else:
                forms.append("".join(f"(?<!{words})" for words in behind) + rest)
    return forms


class WordSearch:
    r"""``bounded_alternation(forms)``, searched faster for its leftmost match.

    A match at ``pos`` is tried first; after it, the forms are searched after one non-word
    character: where ``(?<!\w)`` is tried at every position, that pattern starts with a
    character class, so ``re`` skips ahead to the white space and punctuation; with
    ``re.ASCII`` (the same matches on ASCII text when no form uses \s or \S) each class
    test is a table look-up. About a third fewer instructions than ``regex.search``.

    With ``end_bound=False`` the forms are matched as word starts (no ``(?!\w)`` after them).
    """

    __slots__ = ("_after", "_after_ascii", "_end", "_forms", "_regex")

    def __init__(self, forms: list[str], end_bound: bool = True) -> None:
        # Compiled on first use: a gate holds a dozen searches in three forms each, and a linter
        # that only ever sees ASCII text (or a short-lived one: the CLI on one draft) never needs
        # some of them (compiling them all up front added ~1.4 s to the first check).
        self._forms = forms
        self._end = r"(?!\w)" if end_bound else ""
        self._regex: re.Pattern[str] | None = None
        self._after: re.Pattern[str] | None = None
        self._after_ascii: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        if self._regex is None:
            self._regex = re.compile(bounded_alternation(self._forms, bool(self._end)))
        return self._regex

    def _after_word(self, ascii_text: bool) -> re.Pattern[str]:
        """The forms after one non-word character (``re.ASCII`` for ASCII text when it may)."""
        if not self._forms:  # a list the language lacks: never matches (an empty alternation would)
            return self.regex
        if ascii_text:
            if self._after_ascii is None:
                after = r"\W" + dispatch_alternation(self._forms) + self._end
                plain = "\\s" not in after and "\\S" not in after
                self._after_ascii = re.compile(after, re.ASCII) if plain else self._after_word(False)
            return self._after_ascii
        if self._after is None:
            self._after = re.compile(r"\W" + dispatch_alternation(self._forms) + self._end)
        return self._after

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> tuple[int, re.Match[str]] | None:
        """``regex.search(text, pos, endpos)`` as (start, match), or ``None``: the match may
        start one character early (the non-word character before it); its end and groups are
        those of ``regex``'s match."""
        match = self.regex.match(text, pos, endpos)
        if match is not None:
            return pos, match
        match = self._after_word(text.isascii()).search(text, pos, endpos)
        return None if match is None else (match.start() + 1, match)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[tuple[int, int]]:
        """The spans of ``regex.finditer(text, pos, endpos)``: each search starts where the
        previous match ended. (After an empty match, which a phrase should never give, ``re`` may
        still find a longer one at the same place; this search moves on one character.)"""
        while (found := self.search(text, pos, endpos)) is not None:
            start, match = found
            pos = match.end()
            yield start, pos
            if pos == start:
                pos += 1
