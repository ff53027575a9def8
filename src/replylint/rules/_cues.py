"""Cheap prefilters for phrase lists, declared in the data next to the phrases.

A rule's data file may give, for a list ``L``, ``[words] cues_L = [...]``: words (folded) of
which every match of ``L`` contains at least one. When none of them is a word of the draft,
the list's alternation cannot match and is skipped: one set test instead of a regex pass
over the draft. A draft's words are its white-space separated tokens, each also taken with
surrounding punctuation stripped ("DMs," gives "dms,", and "dms"); the tokens and the
stripped tokens are computed once per draft (in ``ctx.memo``) and shared by every list.
Phrases a user adds through config may lack the cues, so the prefilter is off for a list the
config extends.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import repeat

from replylint.context import Context
from replylint.phrases import Hit, PhraseBook

_TOKENS = "_cues.tokens"
_STRIPPED = "_cues.stripped"
_EDGE = ".,;:!?()[]{}<>\"'*_~/\\|-…"


def _tokens(ctx: Context) -> list[str]:
    tokens: list[str] | None = ctx.memo.get(_TOKENS)
    if tokens is None:
        tokens = ctx.memo[_TOKENS] = ctx.folded.text.split()
    return tokens


def _stripped(ctx: Context) -> list[str]:
    """Every token without its edge punctuation. Stripping them all runs in C: cheaper than
    picking in Python the few to strip (a token with letters or digits at both edges strips
    to itself)."""
    stripped: list[str] | None = ctx.memo.get(_STRIPPED)
    if stripped is None:
        stripped = ctx.memo[_STRIPPED] = list(map(str.strip, _tokens(ctx), repeat(_EDGE)))
    return stripped


def may_match(ctx: Context, book: PhraseBook, list_name: str) -> bool:
    """False only when the list certainly has no match in the draft."""
    cues = book.words.get(f"cues_{list_name}")
    # the book knows the lists its config extends: cheaper than asking the config
    if not cues or list_name in book.extended:
        return True
    # One test on the tokens, then one on the stripped tokens, without building the set of
    # both: most cue words found are plain tokens.
    return not (cues.isdisjoint(_tokens(ctx)) and cues.isdisjoint(_stripped(ctx)))


def finditer(ctx: Context, book: PhraseBook, list_name: str) -> Iterator[Hit]:
    """``book[list_name].finditer`` on the folded draft, behind the list's cue prefilter."""
    if may_match(ctx, book, list_name):
        yield from book[list_name].finditer(ctx.folded.text)


def search(ctx: Context, book: PhraseBook, list_name: str) -> Hit | None:
    return next(finditer(ctx, book, list_name), None)
