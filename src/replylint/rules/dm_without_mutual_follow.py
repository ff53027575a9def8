from __future__ import annotations

from collections.abc import Iterator

from replylint.context import Context
from replylint.models import Applicability, Edit, Evidence, Finding, Fix, Severity
from replylint.rule import Rule, bad, good
from replylint.rules._dm import dm_invitations, invitation_book

DM_LINK = "https://twitter.com/messages/compose?recipient_id={user_id}"
#: Shared by the findings without a deep link (nothing changes a Fix in place).
_MANUAL = Fix(
    applicability=Applicability.MANUAL,
    description="Follow the customer first or open the brand's DMs, then invite them to DM.",
)


class DmWithoutMutualFollow(Rule):
    """The draft asks the customer for a DM they cannot send.

    ## What it catches
    A public reply that invites the customer to a direct message ("DM us", "send us a
    private message", "inbox us", "let's continue via DM", "envoyez-nous un MP",
    "écrivez-nous en privé", "on se retrouve en DM"…) while, on X, the customer cannot
    write to the brand: the brand does not follow them (`brand.follows_customer`) and does
    not accept messages from everyone (`brand.open_dms`). With both false it is an error;
    when either is unknown (null) and neither is true, an info finding asks to check it.
    Not an invitation: "we've sent you a DM", "don't DM us your password", "as discussed in
    DM", an email or phone request. Private-channel replies are left alone.

    ## Why it matters
    "DM us" to someone who cannot DM you is a dead end in front of everyone: the customer
    tries, fails, and comes back angrier, in public.

    ## How to fix
    When the brand's X user id is known (`brand.user_id` in the draft or
    `[tool.replylint.brand] user_id`), the DM deep link
    `https://twitter.com/messages/compose?recipient_id=<id>` is added after the invitation
    (safe fix; the engine drops it if it would break the length limit). Otherwise: follow the
    customer first, or open the brand's DMs to everyone, then send the invitation.
    """

    code = "RL201"
    name = "dm-without-mutual-follow"
    default_severity = Severity.ERROR
    offers_safe_fixes = True
    summary = "Invites the customer to DM while they cannot message the brand (no follow, closed DMs)."
    languages = frozenset({"en", "fr"})
    examples = (
        bad(
            "@james Please send us a DM with your order number. ^JD",
            brand={"follows_customer": False, "open_dms": False},
        ),
        bad(
            "@marie Envoyez-nous un MP avec votre numéro de commande. ^JM",
            language="fr",
            brand={"follows_customer": False, "open_dms": False, "user_id": "12345"},
            note="the DM deep link is added",
        ),
        bad("@james DM us and we'll take a look!", note="follow state unknown: info, asking to check"),
        bad(
            "@marie Écrivez-nous en privé, on regarde ça ensemble.",
            language="fr",
            brand={"follows_customer": None, "open_dms": False},
        ),
        good(
            "@james Please send us a DM with your order number. ^JD",
            brand={"follows_customer": True, "open_dms": False},
            note="the brand follows the customer",
        ),
        good(
            "@marie Envoyez-nous un MP, nous regardons cela.",
            language="fr",
            brand={"follows_customer": False, "open_dms": True},
            note="DMs open to everyone",
        ),
        good(
            "@james We've sent you a DM with the details.",
            brand={"follows_customer": False, "open_dms": False},
            note="already sent: not an invitation",
        ),
        good(
            "@marie Nous vous avons répondu en MP.",
            language="fr",
            brand={"follows_customer": False, "open_dms": False},
        ),
        good(
            "Send us your order number here and we'll check.",
            channel="private",
            brand={"follows_customer": False, "open_dms": False},
        ),
    )

    def may_fix_safely(self, ctx: Context) -> bool:
        return _user_id(ctx) is not None and ctx.draft.platform == "twitter"  # the DM deep link

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.public:
            return
        brand = ctx.draft.brand
        follows = brand.follows_customer if brand else None
        open_dms = brand.open_dms if brand else None
        if follows or open_dms:
            return
        hits = dm_invitations(ctx)
        if not hits:
            return
        hit = hits[0]
        start, end = ctx.span(hit.start, hit.end)
        source = f"{invitation_book(ctx).source}:{hit.list_name}"
        handles = ctx.config.brand.handles
        handle = (brand.handle if brand else None) or (handles[0] if handles else "the brand")
        if follows is False and open_dms is False:
            severity = self.severity
            message = (
                f"Invites the customer to DM, but {handle} does not follow them and its DMs are closed: "
                "they cannot send that message."
            )
        else:
            severity = Severity.INFO
            message = (
                f"Invites the customer to DM: check that {handle} follows them or accepts DMs from "
                "everyone, otherwise they cannot send it."
            )
        yield self.finding(
            ctx,
            start,
            end,
            message,
            fix=_fix(ctx, end),
            evidence=Evidence(source=source, pattern=hit.phrase),
            severity=severity,
        )


def _user_id(ctx: Context) -> str | None:
    brand = ctx.draft.brand
    for candidate in (brand.user_id if brand else None, ctx.config.brand.user_id):
        if candidate and candidate.strip().isdigit():
            return candidate.strip()
    return None


def _fix(ctx: Context, hit_end: int) -> Fix:
    user_id = _user_id(ctx)
    if user_id is None or ctx.draft.platform != "twitter" or "messages/compose" in ctx.text:
        return _MANUAL
    link = DM_LINK.format(user_id=user_id)
    # after the sentence holding the invitation, so the link sits next to it
    at = next((e for s, e in ctx.sentences if s <= hit_end <= e), len(ctx.text))
    return Fix(
        applicability=Applicability.SAFE,
        description=f"Add the DM deep link {link} so the customer can write even without a follow.",
        edits=[Edit(start=at, end=at, replacement=f" {link}")],
    )
