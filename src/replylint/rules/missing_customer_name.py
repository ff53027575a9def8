from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from replylint.context import Context
from replylint.length import measure
from replylint.models import Applicability, Edit, Evidence, Finding, Fix, Severity
from replylint.names import in_handles, is_first_name, name_key, names_in, stopwords, word_at
from replylint.phrases import Hit, PhraseBook
from replylint.rule import Rule, bad, good
from replylint.rules.missing_agent_signature import Signoff, customer_words, find_signoff
from replylint.text import first_name, fold_char_map

RULE = "missing-customer-name"

_GAP = re.compile(r"[ \t]{0,3},?[ \t]{0,3}")
# ", Lauren." / ", Faith, and" / ", Manny Jr!" / ", Edgar -": a name closing a clause.
_VOCATIVE = re.compile(
    r",[ \t]*(?P<name>[^\W\d_][\w'’-]{1,24})(?:[ \t]+(?:Jr|Sr|[A-Z])\.?)?"
    r"(?=[ \t]*(?:[.!?,;:)…]|$)|[ \t]+(?:and|et|&)\b|[ \t]+[-–—][ \t])"
)
# "Edgar - sorry for…", "Hannah, we are…", "Marie : …" at the start of the body.
_LEADING = re.compile(r"[¡¿\"'“«]?[ \t]*(?P<name>[^\W\d_][\w'’-]{1,24})(?=[ \t]*[,!:]|[ \t]+[-–—][ \t])")
# "… delete your account Nancy." : a first name ending a sentence, after a lower-case word.
_FINAL = re.compile(r"\b[a-z]{2,20} (?P<name>[^\W\d_][\w'’-]{1,24})(?=[.!?])")
# Template slots (see unfilled-placeholder): "Bonjour {prénom}", "Hi [NAME]", "Hi XXX".
_SLOT = re.compile(r"\{|\[|<[^\W\d]|%[A-Za-z_]|\$[A-Z]|__[A-Za-z]|X{3}")
_TITLE_TAIL = re.compile(r"\.?[ \t]+(?P<name>[^\W\d_][\w'’-]{1,24})")


@dataclass(frozen=True, slots=True)
class Greeting:
    """A greeting or thanks and what follows it (original offsets)."""

    start: int
    end: int  # end of the greeting words
    hit: Hit
    list_name: str
    addressee: tuple[int, int] | None  # span of the name or nameless addressee after it
    named: bool
    slot: bool = False  # a template slot ("{prénom}") where the name goes: unfilled-placeholder's job


class MissingCustomerName(Rule):
    """The reply does not address the customer by name.

    ## What it catches
    A reply that never uses the customer's name. When the draft gives `customer.name`, the
    reply must use the first name or the full name (case, accents and hyphen/space spelling
    ignored: "Marie-Hélène" = "marie helene"); the @handle alone does not count. Without a
    name on file, the reply must greet the customer by a personal name: "Hi James,",
    "Bonjour Marie", "Merci Paul !", "Thanks for waiting, Sarah.", or a name right after the
    @mentions ("@x Sarah, …"). Nameless greetings ("Hi there", "Bonjour à vous", "Hello
    friend") do not count, nor capitalised words that are not names (products, brands,
    places, "Team", "Support"), nor the agent's own sign-off.

    ## Why it matters
    Using the customer's name is the cheapest way to show the reply was written for them,
    not pasted from a macro; the handle is not a name.

    ## How to fix
    When the name is known, a greeting with the first name is inserted right after the
    leading @mentions ("@marie Bonjour Marie, …"), or the name is put into the existing
    nameless greeting ("Hi there" → "Hi James") — a safe fix, not applied when the reply
    would then be too long. Otherwise greet the customer by the name on their profile.
    """

    code = "RL301"
    name = RULE
    default_severity = Severity.WARNING
    summary = 'The reply does not greet the customer by name (« Bonjour Marie », "Hi James").'
    languages = frozenset({"en", "fr"})
    examples = (
        bad("@james_h Hi there, your refund was issued today. ^JD"),
        bad("@marie_d Bonjour à vous, votre colis arrive demain. ^JU", language="fr"),
        bad(
            "@marie_d Votre colis arrive demain. ^JU",
            language="fr",
            customer={"name": "Marie-Hélène Dubois"},
            note="name known: « Bonjour Marie-Hélène, » is inserted",
        ),
        bad("@james_h Hi there, your refund was issued. ^JD", customer={"name": "James Hill"}),
        bad("@acme_fan Thanks for the feedback! We passed it on to the Premiere team. ^JD"),
        good("@james_h Hi James, your refund was issued today. ^JD"),
        good("@marie_d Merci Marie ! Votre colis arrive demain. ^JU", language="fr"),
        good("@sarah_k Thanks for waiting, Sarah. The fix is live now. ^JD"),
        good(
            "@mh_dubois Bonjour marie helene, c'est réglé. ^JU",
            language="fr",
            customer={"name": "Marie-Hélène Dubois"},
        ),
        good("@james_h @acme James, the outage is over now. ^JD"),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        handles, known = customer_words(ctx)
        book = ctx.book(RULE)
        if known is not None:
            if _uses_name(ctx, known, book) or any(g.slot for g in _greetings(ctx, book, handles)):
                return
            yield self._missing_known(ctx, known, book)
            return
        if _addressed(ctx, handles, book):
            return
        start, end = _first_word(ctx)
        greeting = _opening_greeting(ctx, book, handles)
        if greeting is not None:
            start, end = greeting.start, greeting.addressee[1] if greeting.addressee else greeting.end
        yield self.finding(
            ctx,
            start,
            end,
            "The reply does not greet the customer by name.",
            fix=Fix(applicability=Applicability.MANUAL, description=book.template("advice")),
            evidence=Evidence(source=f"{RULE}:no-name"),
        )

    def _missing_known(self, ctx: Context, known: str, book: PhraseBook) -> Finding:
        name = first_name(known) or known.strip()
        text = ctx.text
        greeting = _opening_greeting(ctx, book, ())
        applicability = Applicability.SAFE
        if greeting is not None and greeting.addressee is not None:
            a_start, a_end = greeting.addressee
            if greeting.named:
                applicability = Applicability.UNSAFE  # another name: a nickname, or a mistake?
                message = f"The reply greets `{text[a_start:a_end]}`, but the customer is {known}."
                description = f"Greet the customer as `{name}`."
            else:
                message = (
                    f"The greeting `{text[greeting.start : a_end]}` does not name the customer ({known})."
                )
                description = f"Put the customer's name in the greeting: `{name}`."
            edit = Edit(start=a_start, end=a_end, replacement=name)
            span = (greeting.start, a_end)
        elif greeting is not None:
            message = (
                f"The greeting `{text[greeting.start : greeting.end]}` does not name the customer ({known})."
            )
            description = f"Put the customer's name in the greeting: `{name}`."
            edit = Edit(start=greeting.end, end=greeting.end, replacement=f" {name}")
            span = (greeting.start, greeting.end)
        else:
            edit = _insert_greeting(ctx, book.template("greeting", first_name=name))
            message = f"The reply does not greet the customer by name ({known})."
            description = f"Start the reply with `{book.template('greeting', first_name=name).strip()}`."
            span = _first_word(ctx)
        fix = Fix(applicability=applicability, description=description, edits=[edit])
        new_text = text[: edit.start] + edit.replacement + text[edit.end :]
        size = measure(new_text, ctx.draft.platform, ctx.resources.limits)
        if size is not None and size.over and applicability is Applicability.SAFE:
            fix = fix.model_copy(
                update={
                    "applicability": Applicability.UNSAFE,
                    "description": f"{description} (not applied automatically: the reply would be "
                    f"{size.length}/{size.limit} characters on {ctx.draft.platform}, over the limit)",
                }
            )
        return self.finding(
            ctx, span[0], span[1], message, fix=fix, evidence=Evidence(source=f"{RULE}:customer.name")
        )


# --- name known ----------------------------------------------------------------------------


def _uses_name(ctx: Context, known: str, book: PhraseBook) -> bool:
    """Whether the body uses the customer's first name, full name, or title + surname."""
    folded = ctx.folded.text
    pos = ctx.folded.to_folded(ctx.body_start)
    if names_in(folded, known, pos) or names_in(folded, first_name(known), pos):
        return True
    parts = name_key(known).split()
    if len(parts) < 2:
        return False
    titles = book.words.get("titles", frozenset())
    # "Madame Dubois", "Mr. Hill"
    return any(names_in(folded, f"{title} {parts[-1]}", pos) for title in titles)


def _insert_greeting(ctx: Context, greeting: str) -> Edit:
    """Insert ``greeting`` after the @mentions, lower-casing the next word when it is a plain word."""
    text = ctx.text
    at = ctx.body_start
    word = word_at(text, at)
    if word is not None:
        token = word.group()
        key = fold_char_map(token)
        plain = key in stopwords(ctx.language) and key not in {"i", "i'm", "i'll", "i've", "i'd"}
        if plain and token[:1].isupper() and not token.isupper():
            return Edit(start=at, end=at + 1, replacement=greeting + token[0].lower())
    if at > 0 and not text[at - 1].isspace():
        greeting = " " + greeting
    return Edit(start=at, end=at, replacement=greeting)


# --- name unknown ---------------------------------------------------------------------------


def _addressed(ctx: Context, handles: tuple[str, ...], book: PhraseBook) -> bool:
    """Whether the body addresses someone by a personal name (outside the agent's sign-off)."""
    signoff: list[Signoff | None] = []

    def outside_signoff(pos: int) -> bool:
        if not signoff:
            signoff.append(find_signoff(ctx))
        found = signoff[0]
        return found is None or not (found.start <= pos < found.end)

    for greeting in _greetings(ctx, book, handles):
        if greeting.named and greeting.addressee and outside_signoff(greeting.addressee[0]):
            return True
    text = ctx.text
    lead = _LEADING.match(text, ctx.body_start)
    if lead and _personal(ctx, lead.group("name"), handles, book) and outside_signoff(lead.start("name")):
        return True
    for pattern in (_VOCATIVE, _FINAL):
        for match in pattern.finditer(text, ctx.body_start):
            if _personal(ctx, match.group("name"), handles, book) and outside_signoff(match.start("name")):
                return True
    return False


def _name_like(ctx: Context, word: str, book: PhraseBook) -> bool:
    key = fold_char_map(word)
    return (
        len(word) >= 2
        and word[0].isupper()
        and key not in stopwords(ctx.language)
        and key not in book.words.get("not_names", ())
        and not (word.isupper() and len(word) <= 4)  # DM, FAQ, USA
    )


def _personal(ctx: Context, word: str, handles: tuple[str, ...], book: PhraseBook) -> bool:
    """A personal name: part of the customer's handle ("Faith" for @faithbrinkley), or a
    capitalised first name that is not a known non-name ("Hope", "Paris")."""
    if len(word) >= 3 and word[0].isupper() and in_handles(word, handles):
        return fold_char_map(word) not in stopwords(ctx.language)
    return _name_like(ctx, word, book) and is_first_name(word)


def _greetings(ctx: Context, book: PhraseBook, handles: tuple[str, ...]) -> Iterator[Greeting]:
    folded = ctx.folded.text
    pos = ctx.folded.to_folded(ctx.body_start)
    for list_name in ("greeting", "thanks"):
        for hit in book[list_name].finditer(folded, pos):
            greeting = _read_greeting(ctx, book, hit, handles)
            if greeting is not None:
                yield greeting


def _read_greeting(ctx: Context, book: PhraseBook, hit: Hit, handles: tuple[str, ...]) -> Greeting | None:
    """What follows a greeting: a name, a nameless addressee ("there", "à vous"), or nothing."""
    text = ctx.text
    start, end = ctx.span(hit.start, hit.end)
    gap = _GAP.match(text, end)
    after = gap.end() if gap else end
    fafter = ctx.folded.to_folded(after)
    nameless = book["nameless"].search(ctx.folded.text, fafter, fafter + 40)
    if nameless is not None and nameless.start == fafter:
        _, n_end = ctx.span(nameless.start, nameless.end)
        word = word_at(text, after)
        if word is None or fold_char_map(word.group()) not in book.words.get("titles", ()):
            return Greeting(start, end, hit, hit.list_name, (after, n_end), False)
    if _SLOT.match(text, after):
        return Greeting(start, end, hit, hit.list_name, (after, after), True, slot=True)
    word = word_at(text, after)
    if word is None:
        return Greeting(start, end, hit, hit.list_name, None, False)
    token = word.group()
    if fold_char_map(token) in book.words.get("titles", ()):
        tail = _TITLE_TAIL.match(text, word.end())
        if tail and _name_like(ctx, tail.group("name"), book):
            return Greeting(start, end, hit, hit.list_name, (after, tail.end("name")), True)
        return Greeting(start, end, hit, hit.list_name, (after, word.end()), False)
    if _personal(ctx, token, handles, book):
        return Greeting(start, end, hit, hit.list_name, (after, word.end()), True)
    if not _name_like(ctx, token, book):
        return Greeting(start, end, hit, hit.list_name, None, False)
    # Any other capitalised word is a name right after "Hi" ("Hi Mpumi"), but not after a
    # comma ("Hello, Unfortunately, …") nor after thanks or apologies ("Sorry Lightroom keeps
    # crashing"), unless it closes the clause ("Thanks, Mpumi!").
    closes = re.match(r"[ \t]*[.!?]", text[word.end() : word.end() + 2])
    if closes or (hit.list_name == "greeting" and "," not in text[end:after]):
        return Greeting(start, end, hit, hit.list_name, (after, word.end()), True)
    return None


def _opening_greeting(ctx: Context, book: PhraseBook, handles: tuple[str, ...]) -> Greeting | None:
    """A greeting (not thanks) opening the body: the one a fix can put the name into."""
    folded = ctx.folded.text
    pos = ctx.folded.to_folded(ctx.body_start)
    hit = book["greeting"].search(folded, pos, pos + 40)
    if hit is None or folded[pos : hit.start].strip(" ¡!.,\"'") != "":
        return None
    return _read_greeting(ctx, book, hit, handles)


def _first_word(ctx: Context) -> tuple[int, int]:
    text = ctx.text
    start = ctx.body_start
    while start < len(text) and text[start].isspace():
        start += 1
    end = start
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end
