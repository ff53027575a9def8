from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from replylint.context import Context
from replylint.length import Measure, measure, weighted_length
from replylint.models import Applicability, Edit, Evidence, Finding, Fix, Severity
from replylint.rule import Rule, bad, good

#: A draft may already be a thread: parts separated by a blank line, each ending with a
#: counter such as ``1/3`` (this is what the fix produces). Each part is measured alone.
_PART_BREAK = re.compile(r"\n\s*\n")
MAX_THREAD_PARTS = 10
_COUNTER = re.compile(r"\(?\b(\d{1,2})/(\d{1,2})\)?\s*$")


class OverLength(Rule):
    """The reply is longer than the network allows.

    ## What it catches
    A draft (or one part of a thread) over the platform's limit. On X it is counted as X
    counts: 280 weighted characters, where a URL weighs 23 whatever its length, an emoji
    (even a family or a flag) weighs 2, and letters outside the Latin ranges (CJK…) weigh 2.
    Other platforms count characters against limits from config (defaults: Bluesky 300,
    Threads and Mastodon 500, Instagram 2,200, Facebook 8,000, LinkedIn 1,250).

    ## Why it matters
    An over-long reply is refused or cut by the network at the worst moment, or gets
    truncated by the helpdesk tool without the agent noticing.

    ## How to fix
    Shorten it, or split it into a numbered thread at sentence boundaries: parts separated
    by a blank line, each ending with `1/2`, `2/2` (unsafe fix: check the cut reads well).
    """

    code = "RL002"
    name = "over-length"
    default_severity = Severity.ERROR
    summary = "Longer than the platform allows (X: 280 weighted characters)."
    examples = (
        bad("@james " + "We are looking into the outage and will update you as soon as we know more. " * 4),
        bad("@marie " + "😀" * 141, language="fr", note="emoji weigh 2 each on X"),
        bad("@marie " + "Nous regardons votre dossier. " * 10, platform="bluesky", language="fr"),
        good(
            "@james Here is the fix: https://example.com/" + "a" * 300 + " ^JD",
            note="a URL weighs 23 whatever its length",
        ),
        good("@james " + "word " * 100, platform="facebook"),
        good(
            "@marie Part one of our answer, with details. 1/2\n\n@marie Part two, the rest. 2/2",
            language="fr",
            note="a thread is measured part by part",
        ),
    )

    def prepare(self, contexts: Sequence[Context]) -> None:
        """Split every over-long draft of the batch into sentences in one ``nlp.pipe`` call."""
        over = []
        for ctx in contexts:
            size = ctx.measure
            if size is not None and size.over and _threadable(size) and len(_parts(ctx.text)) == 1:
                over.append((ctx, ctx.text[ctx.body_start :]))
        if over:
            Context.prefetch_sentences(over)

    def check(self, ctx: Context) -> Iterator[Finding]:
        platform = ctx.draft.platform
        for start, end in _parts(ctx.text):
            part = ctx.text[start:end]
            whole = start == 0 and end == len(ctx.text)
            size = ctx.measure if whole else measure(part, platform, ctx.resources.limits)
            if size is None or size.over == 0:
                continue
            cut = start + _cut_point(part, size.limit, platform)
            unit = "weighted characters" if platform == "twitter" else "characters"
            yield self.finding(
                ctx,
                cut,
                end,
                f"{size.length}/{size.limit} {unit} on {platform} ({size.over} over the limit).",
                fix=_thread_fix(ctx, size),
                evidence=Evidence(source="over-length:measure", detail=f"{platform} limit {size.limit}"),
            )


def _parts(text: str) -> list[tuple[int, int]]:
    """Spans of thread parts; the whole text unless every part ends with a counter."""
    spans, pos = [], 0
    for brk in _PART_BREAK.finditer(text):
        spans.append((pos, brk.start()))
        pos = brk.end()
    spans.append((pos, len(text)))
    if len(spans) > 1 and all(_COUNTER.search(text[s:e]) for s, e in spans):
        return spans
    return [(0, len(text))]


def _length(text: str, platform: str) -> int:
    return weighted_length(text) if platform == "twitter" else len(text)


def _cut_point(text: str, limit: int, platform: str) -> int:
    """Largest prefix length that fits the limit (binary search: length is monotonic)."""
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if _length(text[:mid], platform) <= limit:
            low = mid
        else:
            high = mid - 1
    return low


def _threadable(size: Measure) -> bool:
    """A draft worth a thread: at most MAX_THREAD_PARTS parts; longer ones must be shortened."""
    return size.length <= MAX_THREAD_PARTS * size.limit


def _thread_fix(ctx: Context, size: Measure) -> Fix:
    parts = split_thread(ctx, size.limit) if _threadable(size) else None
    if parts is None:
        return Fix(applicability=Applicability.MANUAL, description="Shorten the reply.")
    return Fix(
        applicability=Applicability.UNSAFE,
        description=f"Split into a thread of {len(parts)} numbered parts at sentence boundaries.",
        edits=[Edit(start=0, end=len(ctx.text), replacement="\n\n".join(parts))],
    )


def split_thread(ctx: Context, limit: int) -> list[str] | None:
    """Pack sentences into numbered parts that each fit; ``None`` if a word alone does not."""
    platform = ctx.draft.platform
    mentions = ctx.text[: ctx.body_start]
    body = ctx.text[ctx.body_start :]
    pieces = [body[s:e] for s, e in ctx.nlp_sentences(body)]
    room = limit - len(" 99/99")
    units: list[str] = []
    for piece in pieces:
        if _length(piece, platform) <= room - len(mentions):
            units.append(piece)
        else:  # a sentence longer than a part: cut it between words
            units.extend(_pack(piece.split(), room - len(mentions), platform, " "))
    if any(_length(u, platform) > room for u in units):
        return None
    parts = _pack(units, room - len(mentions), platform, " ")
    total = len(parts)
    return [f"{mentions if i == 0 else ''}{p} {i + 1}/{total}" for i, p in enumerate(parts)]


def _pack(units: list[str], room: int, platform: str, joiner: str) -> list[str]:
    parts: list[str] = []
    current = ""
    for unit in units:
        candidate = f"{current}{joiner}{unit}" if current else unit
        if current and _length(candidate, platform) > room:
            parts.append(current)
            current = unit
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts
