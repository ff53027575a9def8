"""Cheap prefilters for phrase lists, declared in the data next to the phrases.

A rule's data file may give, for a list ``L``, ``[words] cues_L = [...]``: words (folded) of
which every match of ``L`` contains at least one. When none of them is a word of the draft,
the list's alternation cannot match and is skipped: one set test instead of a regex pass
over the draft. A draft's words are its white-space separated tokens, each also taken with
surrounding punctuation stripped ("DMs," gives "dms,", and "dms"); they are computed once
per draft and shared by every list. Phrases a user adds through config may lack the cues,
so the prefilter is off for a list the config extends.
"""

from __future__ import annotations

from collections.abc import Iterator

from replylint.context import Context
from replylint.phrases import Hit, PhraseBook

_MEMO = "_cues.words"
_EDGE = ".,;:!?()[]{}<>\"'*_~/\\|-…"


def words(ctx: Context) -> frozenset[str]:
    """The folded draft's words (tokens, with and without their edge punctuation)."""
    found: frozenset[str] | None = ctx.memo.get(_MEMO)
    if found is None:
        tokens = ctx.folded.text.split()
        found = frozenset(
            [*tokens, *(t.strip(_EDGE) for t in tokens if not (t[0].isalnum() and t[-1].isalnum()))]
        )
        ctx.memo[_MEMO] = found
    return found


def may_match(ctx: Context, book: PhraseBook, list_name: str) -> bool:
    """False only when the list certainly has no match in the draft."""
    cues = book.words.get(f"cues_{list_name}")
    if not cues or list_name in ctx.config.phrases.get(book.rule, {}).get(book.language, {}):
        return True
    return not cues.isdisjoint(words(ctx))


def finditer(ctx: Context, book: PhraseBook, list_name: str) -> Iterator[Hit]:
    """``book[list_name].finditer`` on the folded draft, behind the list's cue prefilter."""
    if may_match(ctx, book, list_name):
        yield from book[list_name].finditer(ctx.folded.text)


def search(ctx: Context, book: PhraseBook, list_name: str) -> Hit | None:
    return next(finditer(ctx, book, list_name), None)
