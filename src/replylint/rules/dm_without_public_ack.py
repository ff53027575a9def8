from __future__ import annotations

import re
from collections.abc import Iterator

from replylint.context import Context
from replylint.models import Applicability, Evidence, Finding, Fix, Severity
from replylint.phrases import Hit, PhraseBook
from replylint.rule import Rule, bad, good
from replylint.rules._dm import dm_invitations, invitation_book
from replylint.text import urls

#: Links that only open a private conversation: they are not a public answer.
_PRIVATE_LINK = re.compile(
    r"(?:twitter|x)\.com/messages|m\.me/|messenger\.com|wa\.me/|dm\.me/", re.IGNORECASE
)
#: A thread part after the first ("2/2", "3/4"): the public answer is in the earlier parts.
_LATER_PART = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/])")
_WORD = re.compile(r"\w+")
#: A sentence needs this many words to count as a public answer next to a fallback DM offer.
_ANSWER_WORDS = 4


class DmWithoutPublicAck(Rule):
    """The draft moves to DM without a word in public about the issue.

    ## What it catches
    A public reply that sends the customer to direct messages ("DM us", "envoyez-nous un
    MP"…) and says nothing else about their problem: no acknowledgement, no ownership, no
    apology, no answer. "We're looking into it", "I'll check this for you", "let's sort this
    out", "sorry about this", "je m'en occupe", "nous allons regarder cela ensemble" count;
    so does a public answer (a help link, an earlier part of the thread, a sentence of
    answer before a "DM us if you need anything else"). A bare "DM us" is the anti-pattern.

    ## Why it matters
    Other customers read the public thread. A reply that vanishes into DMs looks like the
    brand hiding the problem; one line of ownership shows it is being handled.

    ## How to fix
    Say in public that the issue is being handled, then invite to DM. The fix is manual and
    gives an example sentence in the draft's language.
    """

    code = "RL202"
    name = "dm-without-public-ack"
    default_severity = Severity.WARNING
    summary = "Moves the conversation to DM without acknowledging the issue in public."
    languages = frozenset({"en", "fr"})
    examples = (
        bad("@james DM us."),
        bad("@james Hi James! Please send us a DM with your account email. ^JD"),
        bad("@marie Bonjour, envoyez-nous un MP. ^JM", language="fr"),
        bad("@marie Écrivez-nous en privé avec votre numéro de commande.", language="fr"),
        good("@james Sorry about this! Please DM us your order number so we can look into it. ^JD"),
        good("@james We're looking into it now. Send us a DM and we'll keep you posted."),
        good("@marie Je m'en occupe : envoyez-nous un MP avec votre numéro de dossier. ^JM", language="fr"),
        good(
            "@marie Désolés pour ce souci. Écrivez-nous en MP, nous allons regarder cela ensemble.",
            language="fr",
        ),
        good("@james Thanks for the update, James!", note="no DM invitation"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.public:
            return
        hits = dm_invitations(ctx)
        if not hits:
            return
        book = ctx.book(self.name)
        folded = ctx.folded.text
        if book["ack"].regex.search(folded) or _public_link(ctx.text) or _later_thread_part(ctx):
            return
        if book["fallback"].regex.search(folded) and _answers_elsewhere(ctx, hits, book):
            return
        hit = hits[0]
        start, end = ctx.span(hit.start, hit.end)
        example = book.templates.get("example")
        description = "Say in public that the issue is being handled before inviting to DM"
        description += f", e.g. “{example}”" if example else "."
        yield self.finding(
            ctx,
            start,
            end,
            "Moves the conversation to DM without telling the public that the issue is being handled.",
            fix=Fix(applicability=Applicability.MANUAL, description=description),
            evidence=Evidence(source=f"{invitation_book(ctx).source}:{hit.list_name}", pattern=hit.phrase),
        )


def _public_link(text: str) -> bool:
    """A link that is not a DM link: the draft points to a public answer (help article, status page)."""
    if "." not in text:
        return False
    return any(not _PRIVATE_LINK.search(m.group()) for m in urls(text))


def _later_thread_part(ctx: Context) -> bool:
    text = ctx.text
    for match in _LATER_PART.finditer(text):
        at_edge = match.start() <= ctx.body_start + 1 or not text[match.end() :].strip()
        part, total = int(match.group(1)), int(match.group(2))
        if at_edge and 1 < part <= total:
            return True
    return False


def _answers_elsewhere(ctx: Context, hits: list[Hit], book: PhraseBook) -> bool:
    """Another sentence says something about the issue (not a greeting or thanks)."""
    invites = [ctx.span(h.start, h.end) for h in hits]
    courtesy = book["courtesy"]
    for start, end in ctx.sentences:
        if any(s < end and start < e for s, e in invites):
            continue
        if len(_WORD.findall(ctx.text, start, end)) < _ANSWER_WORDS:
            continue
        fstart = ctx.folded.to_folded(start)
        opening = courtesy.search(ctx.folded.text, fstart, ctx.folded.to_folded(end))
        if opening is None or opening.start != fstart:
            return True
    return False
