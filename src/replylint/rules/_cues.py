"""Cheap prefilters for phrase lists, declared in the data next to the phrases.

A rule's data file may give, for a list ``L``, ``[words] cues_L = [...]``: words (folded) of
which every match of ``L`` contains at least one. When none of them is a word of the draft,
the list's alternation cannot match and is skipped. A draft's words are its white-space
separated tokens, each also taken with surrounding punctuation stripped ("DMs," gives
"dms,", and "dms"). They are found once per draft, in C (``str.split``, ``str.strip``), and
shared by every list: then each list is one ``isdisjoint`` test. (Per list, a regex search for a cue
token, or substring tests for the cues first, cost more in time: the lecture cues alone are 79
substrings, and the search's big alternation ran at a low rate on the CPU.) Phrases a user adds
through config may lack the cues, so the prefilter is off for a list the config extends.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import repeat

from replylint.context import Context
from replylint.phrases import Hit, PhraseBook

#: Punctuation stripped from the edges of a token.
_EDGE = ".,;:!?()[]{}<>\"'*_~/\\|-…"
_WORDS = "_cues.words"


def may_match(ctx: Context, book: PhraseBook, list_name: str) -> bool:
    """False only when the list certainly has no match in the draft."""
    cues = book.words.get(f"cues_{list_name}")
    # the book knows the lists its config extends: cheaper than asking the config
    if not cues or list_name in book.extended:
        return True
    return not cues.isdisjoint(words(ctx))


def words(ctx: Context) -> list[str]:
    """The draft's words: its folded tokens, then each stripped of edge punctuation (most are
    twice in the list: a set of them cost ~1 µs more to build than the few tests that read it
    save, and a ``frozenset``'s ``isdisjoint`` answers the same for a list)."""
    found: list[str] | None = ctx.memo.get(_WORDS)
    if found is None:
        tokens = ctx.folded.text.split()
        found = ctx.memo[_WORDS] = [*tokens, *map(str.strip, tokens, repeat(_EDGE))]
    return found


def finditer(ctx: Context, book: PhraseBook, list_name: str) -> Iterator[Hit]:
    """``book[list_name].finditer`` on the folded draft, behind the list's cue prefilter."""
    if may_match(ctx, book, list_name):
        yield from book[list_name].finditer(ctx.folded.text)


def search(ctx: Context, book: PhraseBook, list_name: str) -> Hit | None:
    return next(finditer(ctx, book, list_name), None)
