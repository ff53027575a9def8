"""Applying fixes: a fix is a list of edits on the original text.

Fixes are applied together when their edits do not overlap; two insertions at
the same point also conflict (their order would be a guess), and the engine's
next pass picks the loser up again against the new text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from replylint.models import Edit, Finding, Fix


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (offsets into ``text``)."""
    out = text
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[: edit.start] + edit.replacement + out[edit.end :]
    return out


def _overlap(a: Edit, b: Edit) -> bool:
    if a.start == a.end == b.start == b.end:
        return True  # two insertions at one point
    return a.start < b.end and b.start < a.end


def conflict(a: Fix, b: Fix) -> bool:
    return any(_overlap(x, y) for x in a.edits for y in b.edits)


def compatible_fixes(findings: Sequence[Finding]) -> list[Finding]:
    """Findings whose fixes can be applied together, first come first served (by position)."""
    chosen: list[Finding] = []
    for finding in sorted(findings, key=lambda f: min(e.start for e in f.fix.edits) if f.fix else 0):
        if finding.fix is None or not finding.fix.edits:
            continue
        if all(not conflict(finding.fix, other.fix) for other in chosen if other.fix):
            chosen.append(finding)
    return chosen


def fixes_text(text: str, findings: Sequence[Finding]) -> str:
    return apply_edits(text, [edit for f in findings if f.fix for edit in f.fix.edits])
