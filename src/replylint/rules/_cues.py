"""Cheap prefilters for phrase lists, declared in the data next to the phrases.

A rule's data file may give, for a list ``L``, ``[words] cues_L = [...]``: words (folded) of
which every match of ``L`` contains at least one. When none of them is a word of the draft,
the list's alternation cannot match and is skipped. A draft's words are its white-space
separated tokens, each also taken with surrounding punctuation stripped ("DMs," gives
"dms,", and "dms"). That test is a few substring tests, then only when one finds something a
regex search, in C (``_has_cue``): splitting the draft into tokens and stripping them in
Python cost several times more, even shared by every list. Phrases a user adds through
config may lack the cues, so the prefilter is off for a list the config extends.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from replylint.alternation import dispatch_alternation
from replylint.context import Context
from replylint.phrases import Hit, PhraseBook, needles

#: Punctuation stripped from the edges of a token.
_EDGE = ".,;:!?()[]{}<>\"'*_~/\\|-…"


def may_match(ctx: Context, book: PhraseBook, list_name: str) -> bool:
    """False only when the list certainly has no match in the draft."""
    cues = book.words.get(f"cues_{list_name}")
    # the book knows the lists its config extends: cheaper than asking the config
    if not cues or list_name in book.extended:
        return True
    return _has_cue(cues, ctx.folded.text)


def _has_cue(cues: frozenset[str], text: str) -> bool:
    """A word of ``text`` is one of ``cues``. A cue word is first a substring of the text: a
    substring test costs some 150 instructions in C and rules most drafts out, the word search
    some 20k (at each token, ``re`` tries the cue alternation)."""
    substrings, search = _cue_test(cues)
    for needle in substrings:
        if needle in text:
            # the leading space lets every token, the first one too, open on white space
            return search.search(" " + text) is not None
    return False


@lru_cache(maxsize=64)
def _cue_test(cues: frozenset[str]) -> tuple[tuple[str, ...], re.Pattern[str]]:
    r"""The needles of ``cues`` (``phrases.needles``), and a search for a token that is one of
    ``cues``, or is one with edge punctuation around it, in a text that starts with white space
    (tokens as ``str.split`` cuts them: ``\s`` is the same white space)."""
    edge = "[" + re.escape(_EDGE) + "]"
    words = [c for c in cues if c.split() == [c]]  # a token holds no white space ("" is below)
    # a cue with no edge punctuation at its ends is also what a token strips to; one with some
    # only matches as the whole token (stripping would take it off)
    plain = sorted(c for c in words if c[0] not in _EDGE and c[-1] not in _EDGE)
    edged = sorted(c for c in words if c[0] in _EDGE or c[-1] in _EDGE)
    branches = []
    if plain:
        branches.append(f"{edge}*{dispatch_alternation([re.escape(c) for c in plain])}{edge}*")
    if edged:
        branches.append(dispatch_alternation([re.escape(c) for c in edged]))
    if "" in cues:
        branches.append(f"{edge}+")  # a token of punctuation only strips to ""
    search = r"\s(?:" + "|".join(branches) + r")(?!\S)" if branches else r"(?!x)x"
    return needles(cues), re.compile(search)


def finditer(ctx: Context, book: PhraseBook, list_name: str) -> Iterator[Hit]:
    """``book[list_name].finditer`` on the folded draft, behind the list's cue prefilter."""
    if may_match(ctx, book, list_name):
        yield from book[list_name].finditer(ctx.folded.text)


def search(ctx: Context, book: PhraseBook, list_name: str) -> Hit | None:
    return next(finditer(ctx, book, list_name), None)
