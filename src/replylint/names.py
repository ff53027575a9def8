"""Personal names: is this word a first name, does this text name that person?

Shared by ``missing-customer-name`` and ``missing-agent-signature``.

* ``is_first_name`` looks a word up in the first-name dictionary that ships with
  ``gender-guesser`` (``nam_dict.txt``, ~45,000 given names from Europe and beyond,
  French ones included). The file is read once, on first use, into a set of folded
  names (~70 ms); lookups are then a set membership test.
* ``name_pattern`` builds a regex that finds a known name in folded text whatever its
  case, accents and hyphen/space spelling ("Marie-Hélène" = "marie helene"), and never
  inside an ``@handle`` or a longer word.
* ``handle_words`` folds @handles so a capitalised word that is part of the customer's
  handle ("Bylli" in ``@BylliCrayone``) can be recognised as their name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources

from replylint.text import fold_ascii, fold_char_map, outside_ascii

_NAME_DATA = ("gender_guesser", "data/nam_dict.txt")
# Name column of nam_dict.txt: after the 3-character gender field, up to column 30.
_NAME_COLUMNS = slice(3, 29)
_SEPARATORS = re.compile(r"[\s\-_.'’]+")


def fold_word(text: str) -> str:
    """``fold_char_map`` with a fast path for ASCII (plain lower case): for words and short windows."""
    return text.lower() if text.isascii() else fold_char_map(text)


# --- questions about a text's fold, answered without folding it ---------------------------------
#
# Folding a whole draft with accents costs more than the rest of these rules' work on it, and their
# questions are narrow: does the name, the signature, a team word occur? A fold goes character by
# character, so its pieces can be reasoned about without making it.


def may_fold_to(text: str, part: str) -> bool:
    """Whether ``fold_char_map(text)`` may contain ``part``: a ``False`` is certain.

    An occurrence of ``part`` in the fold is made of the folds of the text's characters. When no
    character outside ASCII folds to nothing or to a character of ``part``, those are ASCII
    characters next to each other, so ``fold_ascii(text)`` holds ``part`` too.
    """
    if part in fold_ascii(text):
        return True
    for char in outside_ascii(text):  # the few characters with accents, emoji…
        folded = fold_char_map(char)
        if not folded or not set(part).isdisjoint(folded):
            return True
    return False


def fold_window(text: str, start: int, end: int) -> tuple[str, int]:
    """``fold_char_map(text[start:end])`` with, in front, the fold of the character a look-behind
    at ``start`` sees in the whole text's fold; and where the window starts in that string.

    A regex searched there from that offset finds what it finds between the folded offsets of
    ``start`` and ``end`` of the whole text's fold (with one-character look-behinds and
    ``end`` as ``endpos``).
    """
    head = start
    while head > 0:  # back over characters that fold to nothing (zero-width spaces)
        head -= 1
        if text[head].isascii() or fold_char_map(text[head]):
            break
    window = text[head:end]
    if window.isascii():
        return fold_ascii(window), start - head
    return fold_char_map(window), len(fold_char_map(text[head:start]))


@cache
def first_names() -> frozenset[str]:
    """Folded given names from gender-guesser's dictionary (read once)."""
    text = resources.files(_NAME_DATA[0]).joinpath(_NAME_DATA[1]).read_text(encoding="utf-8")
    raw_names = {line[_NAME_COLUMNS].strip() for line in text.splitlines() if line and line[0] not in "#="}
    names: set[str] = set()
    for raw in raw_names:
        # "Jun+Wei" is "Jun-Wei", "Jun Wei" or "Junwei" (Asian names)
        variants = [raw.replace("+", ""), *raw.split("+")] if "+" in raw else [raw]
        for variant in variants:
            folded = fold_word(variant)
            if len(folded) >= 2:
                names.add(folded)
    return frozenset(names)


def is_first_name(word: str) -> bool:
    """Whether ``word`` (any case; hyphenated parts each) is a known given name."""
    key = fold_word(word)
    if key.isalpha():  # one part (no separator is a letter): the usual case, without the split
        return key in first_names()
    parts = [p for p in _SEPARATORS.split(key) if p]
    if not parts:
        return False
    names = first_names()
    return all(p in names for p in parts)


@lru_cache(maxsize=4096)  # bounded: customer and agent names, words of the last sign-offs
def name_key(name: str) -> str:
    """Folded name with separators made single spaces ("Marie-Hélène" -> "marie helene")."""
    return " ".join(p for p in _SEPARATORS.split(fold_char_map(name)) if p)


@lru_cache(maxsize=4096)  # bounded: one entry per customer name seen recently
def name_pattern(name: str) -> re.Pattern[str] | None:
    """Regex finding ``name`` in folded text: any hyphen/space spelling, not in a handle or word."""
    parts = [re.escape(p) for p in name_key(name).split()]
    if not parts:
        return None
    return re.compile(r"(?<![\w@#/.])" + r"[\s\-_.]{0,2}".join(parts) + r"(?![\w@])")


def names_in(folded: str, name: str, pos: int = 0) -> bool:
    """Whether folded text (from ``pos``) contains ``name`` (see ``name_pattern``)."""
    finder = _finder(name)
    if finder is None:
        return False
    first, pattern = finder
    # Cheap test first: a match starts with the name's first word, and most texts lack it. The
    # regex, which opens with a look-behind, is then run from there, not tried at every offset.
    at = folded.find(first, pos)
    return at >= 0 and pattern.search(folded, at) is not None


@lru_cache(maxsize=4096)  # bounded: one entry per customer name seen recently
def _finder(name: str) -> tuple[str, re.Pattern[str]] | None:
    """The first word of ``name_key(name)`` and ``name_pattern(name)``."""
    pattern = name_pattern(name)
    return None if pattern is None else (name_key(name).split()[0], pattern)


def spelt_in(text: str, name: str) -> bool:
    """Whether ``text`` holds ``name`` exactly as written, where ``names_in`` would find it in the
    text's fold: a ``True`` is certain, and costs no fold.

    The occurrence's neighbours must be ASCII characters (or the text's edges): each folds to one
    character, so the fold holds the name's fold between theirs, and the pattern, whose
    look-arounds see one character, matches there as it matches in that short string.
    """
    finder = _finder(name)
    if finder is None or not name:
        return False
    pattern = finder[1]
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        before = text[at - 1] if at else ""
        after = text[end : end + 1]
        if (before + after).isascii():
            probe = fold_ascii(before) + fold_char_map(name) + fold_ascii(after)
            match = pattern.match(probe, len(before))
            if match is not None and match.end() == len(probe) - len(after):
                return True
        at = text.find(name, at + 1)
    return False


_NOT_LETTERS = re.compile(r"[\W\d_]+")


def handle_words(handles: Iterable[str | None]) -> tuple[str, ...]:
    """Folded handles without ``@``, digits and underscores, for substring tests."""
    out: list[str] = []
    for handle in handles:
        if handle:
            key = _handle_key(handle)
            if len(key) >= 3 and key not in out:
                out.append(key)
    return tuple(out)


@lru_cache(maxsize=4096)
def _handle_key(handle: str) -> str:
    return _NOT_LETTERS.sub("", fold_char_map(handle))


def in_handles(word: str, handles: tuple[str, ...]) -> bool:
    """Whether a word of 3+ letters is part of one of the (folded) handles: "Bylli" in "byllicrayone"."""
    key = fold_word(word)
    return len(key) >= 3 and key.isalpha() and any(key in h for h in handles)


@cache
def stopwords(language: str) -> frozenset[str]:
    """Folded function words of ``language`` (from its ``language.toml``): never names."""
    from replylint.phrases import language_data

    try:
        words = language_data(language).stopwords
    except ValueError:
        return frozenset()
    return frozenset(fold_char_map(w) for w in words)


_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def word_at(text: str, pos: int) -> re.Match[str] | None:
    """The word (letters, inner hyphens/apostrophes) starting exactly at ``pos``."""
    return _WORD.match(text, pos)


@cache
def alternation(
    phrases: tuple[str, ...], prefix: str = r"(?<!\w)", suffix: str = r"(?!\w)"
) -> re.Pattern[str]:
    """One compiled regex over folded phrase fragments (``PhraseList.phrases``), with custom edges.

    Rules use it where ``PhraseList.finditer`` would do more than needed: anchored matches
    (``match`` at a position, ``$`` at a window's end) in the hot path, without building hits.
    """
    body = "|".join(f"(?:{p})" for p in phrases) or r"(?!x)x"
    return re.compile(f"{prefix}(?:{body}){suffix}")
