"""DM invitations, shared by dm-without-mutual-follow (RL201) and dm-without-public-ack (RL202).

The phrases live in one data file per language, ``rules/<lang>/dm-invitation.toml``
(lists ``invite`` and ``not_invite``), so both rules read the same list. The hits are
computed once per draft and kept in ``ctx.memo``.
"""

from __future__ import annotations

from replylint.context import Context
from replylint.phrases import Hit, PhraseBook
from replylint.rules import _cues

BOOK = "dm-invitation"
_MEMO = "dm-invitation"


def invitation_book(ctx: Context) -> PhraseBook:
    return ctx.book(BOOK)


def dm_invitations(ctx: Context) -> list[Hit]:
    """Invitations to write to the brand in DM, in folded offsets (empty when there is none)."""
    hits: list[Hit] | None = ctx.memo.get(_MEMO)
    if hits is None:
        hits = _find(ctx)
        ctx.memo[_MEMO] = hits
    return hits


def _find(ctx: Context) -> list[Hit]:
    book = invitation_book(ctx)
    found = list(_cues.finditer(ctx, book, "invite"))
    if not found:
        return []
    blocked = [m.span() for m in book["not_invite"].regex.finditer(ctx.folded.text)]
    if blocked:
        found = [h for h in found if not any(s < h.end and h.start < e for s, e in blocked)]
    return found
