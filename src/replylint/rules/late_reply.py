from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from replylint.config import ReplyTime
from replylint.context import Context
from replylint.models import Applicability, Edit, Evidence, Finding, Fix, Severity, utc_now
from replylint.rule import Rule, bad, good

#: Business-time sums stop after this many days (a reply that late is late whatever the hours).
_MAX_DAYS = 60

_IN = "2026-03-02T09:00:00Z"  # a Monday


class LateReply(Rule):
    """The reply comes long after the customer's message.

    ## What it catches
    A draft whose time (`created_at`, or now) is far after the customer's message
    (`inbound.created_at`): past 15 minutes it is an info, past 60 minutes a warning
    (`[tool.replylint.brand.reply_time]` `info_after_minutes`, `warning_after_minutes`).
    With `business_hours = "09:00-18:00"` (and `business_days`, `timezone`) only time inside
    business hours counts, so a message sent at night is not late at 9:05.

    When the draft already apologises for the delay ("sorry for the late reply", "désolés
    pour le délai", "merci pour votre patience") the finding drops one level (a warning
    becomes an info): the delay is still a fact to track, but the reply handles it.

    Times must carry a time zone (`2026-03-02T09:00:00Z`, `…+01:00`): a time without one
    makes the record an input error, since it could be hours off. Without
    `inbound.created_at` the rule stays silent.

    ## Why it matters
    Customers who complain on a social network expect an answer within the hour; the best
    teams answer within 15 minutes. An answer that comes hours later without a word about
    the wait reads as indifference, in public.

    ## How to fix
    Send it now, and acknowledge the wait at the start of the reply (unsafe fix: inserts
    "Sorry for the late reply." / "Désolés pour le délai de réponse."; check it reads well).
    """

    code = "RL402"
    name = "late-reply"
    default_severity = Severity.WARNING
    summary = "Sent long after the customer's message (info after 15 min, warning after 1 h)."
    languages = frozenset({"en", "fr"})
    examples = (
        bad(
            "@tom Hi Tom, your refund went out today. ^AB",
            note="3 hours after the message",
            inbound={"text": "Where is my refund?", "created_at": _IN},
            created_at="2026-03-02T12:00:00Z",
        ),
        bad(
            "@lea Bonjour Léa, votre remboursement est parti aujourd'hui. ^JM",
            note="2 heures après le message",
            language="fr",
            inbound={"text": "Où est mon remboursement ?", "created_at": _IN},
            created_at="2026-03-02T11:00:00+01:00",
        ),
        bad(
            "@tom Sorry for the late reply! Your refund went out today. ^AB",
            note="apologises: the finding stays, as info",
            inbound={"text": "Where is my refund?", "created_at": _IN},
            created_at="2026-03-02T12:00:00Z",
        ),
        good(
            "@tom Hi Tom, your refund went out today. ^AB",
            note="10 minutes",
            inbound={"text": "Where is my refund?", "created_at": _IN},
            created_at="2026-03-02T09:10:00Z",
        ),
        good(
            "@lea Bonjour Léa, votre remboursement est parti aujourd'hui. ^JM",
            note="pas d'heure pour le message du client",
            language="fr",
            inbound={"text": "Où est mon remboursement ?"},
            created_at="2026-03-02T12:00:00Z",
        ),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        inbound = ctx.draft.inbound
        if inbound is None or inbound.created_at is None:
            return
        sent = ctx.draft.created_at or utc_now()
        target = ctx.config.brand.reply_time
        minutes = waiting_minutes(inbound.created_at, sent, target)
        if minutes < target.info_after_minutes:
            return
        severity = self.severity if minutes >= target.warning_after_minutes else Severity.INFO
        book = ctx.book(self.name)
        folded = ctx.folded.text
        apology = book["apology"].search(folded)
        if apology is not None:
            severity = severity.lowered()
        start, end = _anchor(ctx)
        waited = describe_minutes(minutes)
        hours = " of business time" if target.business_hours else ""
        goal = target.warning_after_minutes if severity is not Severity.INFO else target.info_after_minutes
        message = (
            f"Reply {waited}{hours} after the customer's message (target: under {describe_minutes(goal)})"
        )
        if apology is not None:
            message += "; the draft acknowledges the delay."
            yield self.finding(
                ctx,
                start,
                end,
                message,
                severity=severity,
                evidence=Evidence(source=f"{book.source}:{apology.list_name}", pattern=apology.phrase),
            )
            return
        template = book.templates.get("apology", "")
        at = ctx.body_start
        fix = (
            Fix(
                applicability=Applicability.UNSAFE,
                description=f"Acknowledge the wait: insert “{template}”",
                edits=[Edit(start=at, end=at, replacement=template + " ")],
            )
            if template
            else Fix(applicability=Applicability.MANUAL, description="Acknowledge the wait.")
        )
        yield self.finding(
            ctx,
            start,
            end,
            message + ".",
            severity=severity,
            fix=fix,
            evidence=Evidence(source="late-reply:delay", detail=f"{minutes:.0f} min"),
        )


def _anchor(ctx: Context) -> tuple[int, int]:
    """The first sentence of the body (where the acknowledgement belongs)."""
    sentences = ctx.sentences
    if sentences:
        return sentences[0]
    return 0, len(ctx.text)


def describe_minutes(minutes: float) -> str:
    minutes = round(minutes)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        hours, rest = divmod(minutes, 60)
        return f"{hours} h {rest:02d}" if rest else f"{hours} h"
    return f"{minutes / 1440:.1f} days"


@cache
def _hours(spec: str) -> tuple[time, time]:
    opening, closing = spec.split("-")
    h1, m1 = (int(x) for x in opening.split(":"))
    h2, m2 = (int(x) for x in closing.split(":"))
    return time(min(h1, 23), min(m1, 59)), time(min(h2, 23), min(m2, 59))


def waiting_minutes(received: datetime, sent: datetime, target: ReplyTime) -> float:
    """Minutes between the customer's message and the reply, counting only business time
    when ``target.business_hours`` is set (in ``target.timezone``). Negative -> 0."""
    if sent <= received:
        return 0.0
    if not target.business_hours:
        return (sent - received).total_seconds() / 60
    zone = ZoneInfo(target.timezone)
    opening, closing = _hours(target.business_hours)
    start, end = received.astimezone(zone), sent.astimezone(zone)
    if (end - start).days > _MAX_DAYS:
        return (end - start).total_seconds() / 60
    days = set(target.business_days)
    total = 0.0
    day = start.date()
    while day <= end.date():
        if day.isoweekday() in days:
            open_at = datetime.combine(day, opening, zone)
            close_at = datetime.combine(day, closing, zone)
            lo, hi = max(open_at, start), min(close_at, end)
            if hi > lo:
                total += (hi - lo).total_seconds()
        day += timedelta(days=1)
    return total / 60
