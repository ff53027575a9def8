from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from replylint.context import Context
from replylint.history import Similar, draft_brand, draft_customer, draft_fingerprint
from replylint.models import Applicability, Evidence, Finding, Fix, Severity, utc_now
from replylint.rule import Rule, bad, good

_RAISED = {
    Severity.INFO: Severity.WARNING,
    Severity.WARNING: Severity.ERROR,
    Severity.ERROR: Severity.ERROR,
}

_PARCEL = "nous sommes désolés pour ce retard. Votre colis part aujourd'hui, suivi par e-mail."
_RESTART = "sorry for the trouble! Please restart the app and clear the cache, then try again."
_SENT = {
    "2026-03-02T09:00:00Z": f"@lea Bonjour Léa, {_PARCEL} ^JM",
    "2026-03-02T10:00:00Z": f"@tom Hi Tom, {_RESTART} ^AB",
    "2026-03-03T08:00:00Z": f"@kim Hi Kim, {_RESTART} ^AB",
}


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")

    threshold: float = Field(
        default=0.8, ge=0.3, le=1.0, description="near-duplicate: estimated Jaccard of words and word pairs"
    )
    window_days: float = Field(default=7, gt=0, description="how far back sent replies count")
    min_words: int = Field(
        default=6, ge=1, description="shorter drafts (after masking) are never duplicates: 'Thanks!'"
    )


class DuplicateReply(Rule):
    """The draft repeats a reply the brand already sent.

    ## What it catches
    A draft whose text is the same as, or nearly the same as, a reply the brand sent within
    the last 7 days, once @handles, names, numbers, URLs and agent signatures are masked: an
    exact repost, or the same canned text sent again. "Nearly" means a Jaccard similarity of
    the two texts' words and word pairs of at least 0.8 (by default), estimated from MinHash
    signatures to about ±0.055. When the same text already went to the *same customer* the finding is
    one level more severe (warning → error). The message says how many times the text was
    sent and when last. Very short drafts (under 6 words after masking, "Thanks!") are left
    alone.

    Needs a history store (`history = "replies.db"` in config, `Linter(history=...)`,
    `replylint check --history`); without one the rule stays silent. Options in
    `[tool.replylint.rules.duplicate-reply]`: `threshold`, `window_days`, `min_words`.

    The examples below are checked against a history in which the brand sent, on 2–3 March
    2026, "Bonjour Léa, nous sommes désolés pour ce retard…" to @lea and "Hi Tom/Kim, sorry
    for the trouble! Please restart the app…" to @tom and @kim.

    ## Why it matters
    Followers and the platform see every public reply on the brand's timeline: the same
    sentence pasted again and again reads as a bot, and X treats repetitive identical
    replies as spam. A customer who gets the very answer they already had is being told
    that nobody read their follow-up.

    ## How to fix
    Rewrite the reply for this customer: answer what they said, use their name, give the
    next step that fits their case. If it really is the same answer, say so ("as in my
    last message, …") and add what is new.
    """

    code = "RL401"
    name = "duplicate-reply"
    default_severity = Severity.WARNING
    summary = "The draft repeats a reply the brand already sent (same or near-same text)."
    Options: ClassVar[type[BaseModel]] = Options
    checked_in_turn = True  # the history may gain a reply between two reports of a batch
    #: What the brand had sent before the examples below (sent time -> text): the examples
    #: run against a history holding these replies.
    example_history: ClassVar[Mapping[str, str]] = _SENT
    examples = (
        bad(
            f"@marc Bonjour Marc, {_PARCEL} ^JM",
            note="same canned text, other customer",
            language="fr",
            created_at="2026-03-04T09:00:00Z",
        ),
        bad(
            f"@tom Hi Tom, {_RESTART} ^CD",
            note="already sent to this customer: error",
            created_at="2026-03-04T09:00:00Z",
        ),
        bad(
            f"@ana Hi Ana, {_RESTART.replace('then', 'and')} ^AB",
            note="one word changed",
            created_at="2026-03-04T09:00:00Z",
        ),
        good(
            "@marc Bonjour Marc, votre colis est parti hier soir : le lien de suivi arrive par e-mail. ^JM",
            language="fr",
            created_at="2026-03-04T09:00:00Z",
        ),
        good(
            f"@ana Hi Ana, {_RESTART} ^AB",
            note="outside the 7-day window",
            created_at="2026-03-20T09:00:00Z",
        ),
        good("@ana Thanks Ana!", note="too short to count", created_at="2026-03-04T09:00:00Z"),
    )

    @property
    def max_severity(self) -> Severity:
        return _RAISED[self.severity]  # a repeat to the same customer is one level worse

    def check(self, ctx: Context) -> Iterator[Finding]:
        store = ctx.resources.history
        if store is None:
            return
        options: Options = self.options  # type: ignore[assignment]
        draft, config = ctx.draft, ctx.config
        fp = draft_fingerprint(draft, config)
        if fp.words < options.min_words:
            return
        at = draft.created_at or utc_now()
        customer = draft_customer(draft, config)
        similar = store.find_similar(
            draft_brand(draft, config),
            fp,
            at - timedelta(days=options.window_days),
            at,
            threshold=options.threshold,
            customer=customer,
            exclude_id=draft.id,
        )
        if not similar:
            return
        start = ctx.body_start
        end = len(ctx.text.rstrip())
        if end <= start:
            start = 0
        severity = _RAISED[self.severity] if similar.same_customer else self.severity
        yield self.finding(
            ctx,
            start,
            end,
            _message(similar, at, options.window_days),
            severity=severity,
            fix=Fix(
                applicability=Applicability.MANUAL,
                description="Personalise or rewrite the reply: answer this customer's message, "
                "and say what is new if the answer really is the same.",
            ),
            evidence=Evidence(
                source="history",
                detail=f"similarity {similar.best:.2f}, "
                f"{similar.count} match{'es' if similar.count != 1 else ''}",
            ),
        )

    @classmethod
    def example_sent(cls) -> list[dict[str, Any]]:
        """The example history as draft records (for the example tests and docs)."""
        return [{"text": text, "created_at": at} for at, text in cls.example_history.items()]


def _ago(at: datetime, then: datetime) -> str:
    seconds = max(0.0, (at - then).total_seconds())
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} h ago"
    return f"{seconds / 86400:.0f} days ago"


def _message(similar: Similar, at: datetime, window: float) -> str:
    last = similar.last_sent
    assert last is not None
    when = f"last on {last:%Y-%m-%d %H:%M} UTC, {_ago(at, last)}"
    kind = "the same text" if similar.exact else "nearly the same text"
    more = "+" if similar.truncated else ""
    times = f"{similar.count}{more} time{'s' if similar.count != 1 else ''}"
    span = f"{window:g} day{'s' if window != 1 else ''}"
    if similar.same_customer:
        n = similar.same_customer
        others = similar.count - n
        also = f", and to others {others}{more} time{'s' if others != 1 else ''}" if others else ""
        return (
            f"This customer already got {kind} {n} time{'s' if n != 1 else ''} in the last {span}"
            f"{also} ({when})."
        )
    return f"The brand already sent {kind} {times} in the last {span} ({when})."
