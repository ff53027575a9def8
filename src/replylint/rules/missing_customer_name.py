from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from replylint.context import Context
from replylint.models import Applicability, Edit, Evidence, Finding, Fix, Severity
from replylint.names import (
    alternation,
    fold_word,
    in_handles,
    is_first_name,
    name_key,
    names_in,
    spelt_in,
    stopwords,
    word_at,
)
from replylint.phrases import PhraseBook
from replylint.rule import Rule, bad, good
from replylint.rules.missing_agent_signature import (
    SIGNOFF_REACH,
    content_end,
    customer_handles,
    customer_name,
    find_signoff,
    fits,
)
from replylint.text import first_name, fold_char_map

RULE = "missing-customer-name"

_GAP = re.compile(r"[ \t]{0,3},?[ \t]{0,3}")
# Template slots (see unfilled-placeholder): "Bonjour {prénom}", "Hi [NAME]", "Hi XXX".
_SLOT = re.compile(r"\{|\[|<[^\W\d]|%[A-Za-z_]|\$[A-Z]|__[A-Za-z]|X{3}")
# ". " after a word of 1-4 letters, before a capital: "M. Martin", "Dr. Patel" (literal "." first,
# so the regex engine skips ahead fast; the short word is checked against the titles in Python).
# The space and the capital are tested before the four look-behinds: most dots fail there.
_DOT_CAPITAL = re.compile(
    r"\.(?= [A-ZÀ-ÖØ-Þ])(?:(?<=[\s,(]\w\.)|(?<=[\s,(]\w\w\.)|(?<=[\s,(]\w\w\w\.)|(?<=[\s,(]\w\w\w\w\.)) "
)
_MENTION_AT = re.compile(r"@\w{1,50}")
_TITLE_TAIL = re.compile(r"\.?[ \t]+(?P<name>[^\W\d_][\w'’-]{1,24})")


_NO_NAME = Evidence(source=f"{RULE}:no-name")
_KNOWN_NAME = Evidence(source=f"{RULE}:customer.name")


@dataclass(frozen=True, slots=True)
class _Data:
    """A language's phrase data for this rule, compiled for the hot path."""

    greeting: re.Pattern[str]  # matched at a position
    nameless: re.Pattern[str]
    before: re.Pattern[str]  # a greeting, thanks or interjection ending a window: "Hi ", "Merci, "
    opener: re.Pattern[str]  # thanks, an apology, an interjection, then no comma: "Sorry to hear …"
    titles: frozenset[str]
    not_names: frozenset[str]
    not_before_name: frozenset[str]
    demonstratives: frozenset[str]  # in not_before_name, but a name can follow them after an opener
    interjections: frozenset[str]  # one or two words: "oh no", "aww"
    initials: frozenset[str] | None  # first letters of the greetings (None: any)

    def may_greet(self, text: str, at: int) -> bool:
        """Cheap test: can a greeting start at ``at`` (its first letter)?"""
        return self.initials is None or (at < len(text) and fold_word(text[at]) in self.initials)


_DATA: dict[int, tuple[PhraseBook, _Data]] = {}


def _data(book: PhraseBook) -> _Data:
    entry = _DATA.get(id(book))
    if entry is None or entry[0] is not book:
        before = "|".join(
            f"(?P<{name}>{'|'.join(f'(?:{p})' for p in book[name].phrases) or '(?!x)x'})"
            for name in ("greeting", "thanks")
        )
        interjections = book.words.get("interjections", frozenset())
        data = _Data(
            greeting=alternation(book["greeting"].phrases),
            nameless=alternation(book["nameless"].phrases),
            before=re.compile(rf"(?<!\w)(?:{before})[ \t]{{0,3}},?[ \t]{{0,3}}$"),
            # an opener with no clause break after it, up to the window's end
            opener=alternation(
                book["thanks"].phrases + tuple(re.escape(w) for w in sorted(interjections)),
                suffix=r"(?!\w)[^,;:()]*$",
            ),
            titles=book.words.get("titles", frozenset()),
            not_names=book.words.get("not_names", frozenset()),
            not_before_name=book.words.get("not_before_name", frozenset()),
            demonstratives=book.words.get("demonstratives", frozenset()),
            interjections=interjections,
            initials=_initials(book["greeting"].phrases),
        )
        if len(_DATA) > 64:  # linters built and dropped over time (config reloads): stay bounded
            _DATA.clear()
        entry = _DATA[id(book)] = (book, data)  # the book is kept alive, so its id stays its own
    return entry[1]


def _initials(phrases: tuple[str, ...]) -> frozenset[str] | None:
    """First letters of phrases that start with a plain letter; ``None`` if one does not."""
    if not phrases or not all(p[:1].isalpha() for p in phrases):
        return None
    return frozenset(p[0] for p in phrases)


class Greeting(NamedTuple):
    """A greeting or thanks and what follows it (original offsets; a named tuple: cheap to build)."""

    start: int
    end: int  # end of the greeting words
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
    "Bonjour Marie", "Merci Paul !", "Oh no Anna,", "Thanks for waiting, Sarah.", a name
    closing thanks or an apology ("Sorry to hear that Anna.", « Merci pour ton retour Inès, »),
    a name before the sign-off ("Happy to help Maria ^JD"), or a name right after the
    @mentions ("@x Sarah, …"). Names typed in lower case after a greeting ("hi maria,") and
    given names that are also words, right after a greeting or thanks ("Hi Will,",
    « Merci Max ! »), count too. Nameless greetings ("Hi there", "Bonjour à vous", "Hello
    friend") do not count, nor capitalised words that are not names (products, brands,
    places, "Team", "Support"), nor a third person ("Sorry, I've asked Sarah, our manager,
    …"), nor the agent's own sign-off.

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
    offers_safe_fixes = True
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
        good("@anna_p So sorry to hear that Anna, a new card is on its way. ^JD"),
        good("@ines_r Oh non Inès, désolés ! Un colis part demain. ^JU", language="fr"),
        bad("@james_h Sorry, we've asked Sarah, our manager, to call you. ^JD", note="a third person"),
    )

    def may_fix_safely(self, ctx: Context) -> bool:
        return customer_name(ctx) is not None  # the greeting fix needs the name on file

    def check(self, ctx: Context) -> list[Finding]:
        # A list, not a generator: most drafts return at once, and a generator costs more to run.
        known = customer_name(ctx)
        book = ctx.book(RULE)
        if known is not None:
            if _uses_name(ctx, known, book) or _slot_after_greeting(ctx, book):
                return []
            return [self._missing_known(ctx, known, book)]
        if _addressed(ctx, book):
            return []
        start, end = _first_word(ctx)
        greeting = _opening_greeting(ctx, book) if _data(book).may_greet(ctx.text, start) else None
        if greeting is not None:
            if greeting.addressee is None and _lower_case_name(ctx, greeting.end, book):
                return []  # "hi maria, …": a name typed in lower case
            start, end = greeting.start, greeting.addressee[1] if greeting.addressee else greeting.end
        return [
            self.finding(
                ctx,
                start,
                end,
                "The reply does not greet the customer by name.",
                fix=book.manual_fix("advice"),
                evidence=_NO_NAME,
            )
        ]

    def _missing_known(self, ctx: Context, known: str, book: PhraseBook) -> Finding:
        name = first_name(known) or known.strip()
        text = ctx.text
        greeting = _opening_greeting(ctx, book)
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
            template = book.template("greeting", first_name=name)
            edit = _insert_greeting(ctx, template)
            message = f"The reply does not greet the customer by name ({known})."
            description = f"Start the reply with `{template.strip()}`."
            span = _first_word(ctx)
        fix = fits(ctx, Fix(applicability=applicability, description=description, edits=[edit]))
        return self.finding(ctx, span[0], span[1], message, fix=fix, evidence=_KNOWN_NAME)


# --- name known ----------------------------------------------------------------------------


def _uses_name(ctx: Context, known: str, book: PhraseBook) -> bool:
    """Whether the body uses the customer's first name, full name, or title + surname."""
    body = ctx.text[ctx.body_start :]
    if body.isascii():
        return _names_used(body.lower(), known, book)  # ``fold_word(body)``
    # A body with accents is folded only when the first name is not there as written on file. (To
    # rule out each name the fold could hold costs more than the fold, which other rules share.)
    if spelt_in(body, first_name(known)):
        return True
    return _names_used(_folded_from(ctx, ctx.body_start), known, book)


def _names_used(folded: str, known: str, book: PhraseBook) -> bool:
    """``_uses_name`` on the folded body. (What each name looked for starts with: its first word,
    or for the title and surname, the surname.)"""
    pos = 0
    if names_in(folded, first_name(known), pos) or names_in(folded, known, pos):
        return True  # the first name first: the usual case
    parts = name_key(known).split()
    if len(parts) < 2 or not names_in(folded, parts[-1], pos):
        return False  # cheap test first: the surname is not there at all
    titles = _data(book).titles
    # "Madame Dubois", "Mr. Hill"
    return any(names_in(folded, f"{title} {parts[-1]}", pos) for title in titles)


def _folded_from(ctx: Context, start: int) -> str:
    """``fold_word(ctx.text[start:])`` for a text with accents (the fold goes character by character)."""
    folded = ctx.folded
    return folded.text[folded.to_folded(start) :]


def _insert_greeting(ctx: Context, greeting: str) -> Edit:
    """Insert ``greeting`` after the @mentions, lower-casing the next word when it is a plain word."""
    text = ctx.text
    at = ctx.body_start
    word = word_at(text, at)
    if word is not None:
        token = word.group()
        key = fold_word(token).replace("’", "'")
        words = stopwords(ctx.language)
        elided = "'" in key and key.split("'")[0] + "'" in words  # "C'est", "J'ai"
        plain = (key in words or elided) and key not in {"i", "i'm", "i'll", "i've", "i'd"}
        if plain and token[:1].isupper() and not token.isupper():
            return Edit(start=at, end=at + 1, replacement=greeting + token[0].lower())
    if at > 0 and not text[at - 1].isspace():
        greeting = " " + greeting
    return Edit(start=at, end=at, replacement=greeting)


# --- name unknown ---------------------------------------------------------------------------

# Capitalised words: where a name can be. Sentence-initial ones are dropped by context.
# The capital first (a character class lets the regex engine skip ahead fast), then what precedes it.
_CAP = re.compile(r"[A-ZÀ-ÖØ-Þ](?<![\w@#/.'’-].)(?<![.!?…\n] .)(?<![.!?…\n]  .)(?<!\n.)[\w'’-]{1,24}")
_CLOSES = re.compile(
    r"(?:[ \t]+(?:Jr|Sr|[A-Z])\.?)?(?:[ \t]*(?:[.!?,;:)…]|$)|[ \t]+(?:and|et|&)\b|[ \t]+[-–—][ \t])"
)
_CAMEL = re.compile(r"(?<=.)[A-Z](?=[a-z])")
_SENTENCE_END_AFTER = re.compile(r"[ \u00a0\u202f]?[.!?]")
_NEXT_WORD = re.compile(r" ([^\W\d_]{2,20})")
_LEAD_CHARS = " \t¡¿\"'“«"
_SENTENCE_ENDS = frozenset(".!?\n…")
# "Hannah, we…", "Edgar - sorry…", "Marie : …" — a name opening the body.
_LEADING_NAME_END = re.compile(r"[ \t]*[,!:]|[ \t]+[-–—][ \t]")
_LOWER_NAME_END = re.compile(r"[ \t]*[,!.]")
_SIGNOFF_STARTS = frozenset("^*/~_-–—") | frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_OPENER_REACH = 48


def _addressed(ctx: Context, book: PhraseBook) -> bool:
    """Whether the body addresses someone by a personal name (outside the agent's sign-off).

    Name first: each capitalised word that is not a function word or a known non-name is
    judged by what surrounds it — a greeting or thanks before it ("Hi Mpumi", "Merci Paul"),
    a comma before and a clause end after it ("…, Lauren."), the start of the body
    ("Hannah, we…"), or a lower-case word before and a sentence end after it ("…account
    Nancy.").
    """
    text = ctx.text
    body = ctx.body_start
    lead = body
    while lead < len(text) and text[lead] in _LEAD_CHARS:
        lead += 1
    stop = stopwords(ctx.language)
    not_names = _data(book).not_names
    for match in _CAP.finditer(text, body):
        start, end = match.span()
        before = ""
        if start != lead:
            prev = start
            while prev > body and text[prev - 1] in " \t\xa0":
                prev -= 1
            before = text[prev - 1] if prev > body else ""
            if before in _SENTENCE_ENDS:
                continue  # a sentence starts: "Check", "Glad", "Happy"…
        word = match.group()
        key = word.lower() if word.isascii() else fold_char_map(word)
        if word.isupper() and len(word) <= 4:
            continue
        if key in stop or (key in not_names and not in_handles(word, customer_handles(ctx))):
            # "Will", "Hope", "Paris", "Team" — unless the customer's handle says it is their name,
            # or a given name that is also a word closes a greeting or thanks ("Hi Will,", "Merci Max !")
            if start == lead or not _greeted_word(ctx, word, start, end, book):
                continue
            named = True
        elif start == lead:
            named = _LEADING_NAME_END.match(text, end) is not None and _personal(ctx, word, book)
        else:
            named = _named_in_context(ctx, word, start, end, before, book)
        if named and _outside_signoff(ctx, start):
            return True
    # "Bonjour M. Martin": the scan above took "Martin" for a sentence start. A literal ". "
    # prefix keeps this scan fast; the word before the dot is checked in Python.
    titles = _data(book).titles
    for match in _DOT_CAPITAL.finditer(text, body):
        dot = match.start()
        low = max(body, dot - 6)
        title_start = max(text.rfind(" ", low, dot), text.rfind("\n", low, dot), low - 1) + 1
        if dot - title_start > 4 or fold_word(text[title_start:dot]) not in titles:
            continue
        window = text[max(body, title_start - 32) : title_start]
        if _greeting_before(ctx, book, window) is not None and _outside_signoff(ctx, dot):
            return True
    return _slot_after_greeting(ctx, book)


def _named_in_context(
    ctx: Context,
    word: str,
    start: int,
    end: int,
    before: str,
    book: PhraseBook,
) -> bool:
    """Whether a capitalised word inside a sentence is used to address someone.

    Cheap tests first: most such words are products or places after an article or a
    preposition ("with Premiere", "in Austin"), which no greeting can precede.
    """
    text = ctx.text
    data = _data(book)
    window = text[max(ctx.body_start, start - 32) : start]
    if before == ",":
        personal = _personal(ctx, word, book)
        if personal and _CLOSES.match(text, end):
            return True  # "…, Lauren." "…, Faith, and" "Hi, Adam!"
        greeting = _greeting_before(ctx, book, window)
        if greeting is None or _followed_by_non_name(text, end, data):
            return False
        # "Hello, Unfortunately, …" is no name; "Thanks, Mpumi!" is.
        return personal or _SENTENCE_END_AFTER.match(text, end) is not None
    if not (before.isalpha() or before in "'’"):
        return False
    prev, prev_start = _prev_word(window)
    prev_word = fold_word(prev)
    pointer = prev_word in data.demonstratives  # "that", "ça": see the opener test below
    if prev_word in data.not_before_name and not pointer:
        return False  # "with Premiere", "in Austin", "votre Freebox"
    if prev_word in data.titles:
        # "Bonjour Madame Dubois", "Thanks, Mr Hill"
        return _greeting_before(ctx, book, window[:prev_start]) is not None
    greeting = _greeting_before(ctx, book, window)
    if greeting is not None:
        if _followed_by_non_name(text, end, data):
            return False  # "Hi Acme fans", "Bonjour Freebox users"
        # Any capitalised word is a name right after "Hi" ("Hi Mpumi"); after thanks or
        # apologies only a real name, or a word that ends the sentence ("Sorry Lightroom
        # keeps crashing" is no name, "Merci Mpumi !" is).
        if _personal(ctx, word, book):
            return True
        if _CAMEL.search(word):
            return False  # "hello GoDaddy", "Dear TeamYouTube": brands
        # Another capitalised word counts after "Hi" when it closes the clause ("Hi Mpumi,"),
        # not when the sentence runs on ("hi Mojang I cant…", "Dear Banks & Credit Card…").
        return _CLOSES.match(text, end) is not None and (
            greeting == "greeting" or _SENTENCE_END_AFTER.match(text, end) is not None
        )
    if not prev.islower():
        return False
    ends = _SENTENCE_END_AFTER.match(text, end) is not None or (
        not text[end + 1 : end + 2].islower() and _ends_words(ctx, end)  # "Anna keeps" runs on
    )
    if ends and not pointer:
        return _personal(ctx, word, book)  # "…delete your account Nancy.", "Happy to help Hugo 🙂"
    # "Sorry to hear that Anna,", "Thanks for flagging Sam, …", "Merci pour ton retour Inès," —
    # a name closing the phrase that thanks, apologises or exclaims.
    if (ends or text.startswith(",", end)) and _personal(ctx, word, book):
        return _opened(ctx, book, start)
    return False


def _ends_words(ctx: Context, end: int) -> bool:
    """Whether the reply's words (before an emoji, the sign-off or the end) stop at ``end``."""
    text = ctx.text
    pos = end
    while pos < len(text) and text[pos] in " \t\xa0":
        pos += 1
    if pos >= content_end(ctx):
        return True
    char = text[pos]
    if not char.isascii() and not char.isalnum():
        return True  # an emoji: "Thanks Anna 🙏 …"
    if pos - end > 3 or char not in _SIGNOFF_STARTS:
        return False  # cheap test first: no sign-off mark or name follows
    found = find_signoff(ctx)
    return found is not None and found.start == pos


def _opened(ctx: Context, book: PhraseBook, start: int) -> bool:
    """Whether thanks, an apology or an interjection opens the phrase ending at ``start``, with
    no comma between ("Sorry to hear that …", not "Sorry, I've asked …")."""
    text = ctx.text
    low = max(ctx.body_start, start - _OPENER_REACH)
    if low > ctx.body_start and text[low - 1].isalnum():
        low = text.find(" ", low, start) + 1 or start  # not from inside a word
    segment = text[low:start]
    cut = max(segment.rfind("."), segment.rfind("!"), segment.rfind("?"), segment.rfind("\n"))
    return _data(book).opener.search(fold_word(segment[cut + 1 :])) is not None


def _greeted_word(ctx: Context, word: str, start: int, end: int, book: PhraseBook) -> bool:
    """A given name that is also a word ("Will", "June", "Max"), right after a greeting or thanks
    and closing the clause: "Hi Will,", "Thanks June!"."""
    if not is_first_name(word) or _CLOSES.match(ctx.text, end) is None:
        return False
    window = ctx.text[max(ctx.body_start, start - 32) : start]
    return _greeting_before(ctx, book, window) is not None


def _lower_case_name(ctx: Context, at: int, book: PhraseBook) -> bool:
    """A given name in lower case right after the opening greeting: "hi maria,", "bonjour léa !"."""
    text = ctx.text
    gap = _GAP.match(text, at)
    word = word_at(text, gap.end() if gap else at)
    if word is None:
        return False
    token = word.group()
    if not token.islower() or _LOWER_NAME_END.match(text, word.end()) is None:
        return False
    key = fold_word(token)
    return key not in stopwords(ctx.language) and key not in _data(book).not_names and is_first_name(token)


def _prev_word(window: str) -> tuple[str, int]:
    """The word ending ``window`` (before spaces and an abbreviation dot) and where it starts."""
    stripped = window.rstrip(" \t")
    if stripped.endswith("."):
        stripped = stripped[:-1]
    start = max(stripped.rfind(" "), stripped.rfind("\t"), stripped.rfind("\n"), stripped.rfind(","))
    word = stripped[start + 1 :]
    return (word, start + 1) if word.isalpha() else ("", len(window))


def _followed_by_non_name(text: str, end: int, data: _Data) -> bool:
    following = _NEXT_WORD.match(text, end)
    return following is not None and fold_word(following.group(1)) in data.not_names


def _greeting_before(ctx: Context, book: PhraseBook, window: str) -> str | None:
    """What ends the window, if a greeting, thanks or an interjection does ("greeting", "thanks",
    "interjection"): "Hi ", "Merci, ", "Oh no "."""
    data = _data(book)
    tail = fold_word(window[-26:])
    match = data.before.search(tail)
    if match is not None:
        return match.lastgroup
    # Interjections are words, not patterns: a set lookup, cheaper than a longer regex.
    words = tail.rstrip(" \t,").rsplit(" ", 2)
    if words[-1] in data.interjections:
        return "interjection"
    if (len(words) == 3 or len(tail) < 26) and " ".join(words[-2:]) in data.interjections:
        return "interjection"
    return None


def _outside_signoff(ctx: Context, pos: int) -> bool:
    """Whether ``pos`` is outside the agent's sign-off (which sits in the last words of the reply)."""
    if pos < content_end(ctx) - SIGNOFF_REACH:
        return True  # cheap test first: far from the end, no sign-off can hold it
    found = find_signoff(ctx)
    return found is None or not (found.start <= pos < found.end)


def _maybe_slot(text: str) -> bool:
    return (
        "{" in text
        or "[" in text
        or "<" in text
        or "%" in text
        or "$" in text
        or "XXX" in text
        or ("__" in text)
    )


def _slot_after_greeting(ctx: Context, book: PhraseBook) -> bool:
    """A template slot right after a greeting ("Bonjour {prénom}"): the name will go there."""
    text = ctx.text
    if not _maybe_slot(text):
        return False  # cheap test first
    for match in _SLOT.finditer(text, ctx.body_start):
        window = text[max(ctx.body_start, match.start() - 32) : match.start()]
        if _greeting_before(ctx, book, window) is not None:
            return True
    return False


def _name_like(ctx: Context, word: str, book: PhraseBook) -> bool:
    key = fold_word(word)
    return (
        len(word) >= 2
        and word[0].isupper()
        and key not in stopwords(ctx.language)
        and key not in _data(book).not_names
        and not (word.isupper() and len(word) <= 4)  # DM, FAQ, USA
    )


def _personal(ctx: Context, word: str, book: PhraseBook) -> bool:
    """A personal name: part of the customer's handle ("Faith" for @faithbrinkley), or a
    capitalised first name that is not a known non-name ("Hope", "Paris")."""
    if _name_like(ctx, word, book) and is_first_name(word):
        return True  # the dictionary first: the handles are then folded only for the other words
    return (
        len(word) >= 3
        and word[0].isupper()
        and in_handles(word, customer_handles(ctx))
        and fold_word(word) not in stopwords(ctx.language)
    )


# --- the opening greeting (where a fix puts the name) ---------------------------------------


def _opening_greeting(ctx: Context, book: PhraseBook) -> Greeting | None:
    """A greeting (not thanks) opening the body, and what follows it."""
    text = ctx.text
    at = ctx.body_start
    while at < len(text) and text[at] in _LEAD_CHARS:
        at += 1
    data = _data(book)
    head = text[at : at + 48]
    if head.isascii():  # the usual case: offsets in the lower-cased head are the draft's
        view, shift = head.lower(), at
        hit = data.greeting.match(view)
        if hit is None:
            return None
        start, end = hit.start() + shift, hit.end() + shift
    else:
        folded = ctx.folded
        view, shift = folded.text, 0
        hit = data.greeting.match(view, folded.to_folded(at))
        if hit is None:
            return None
        start, end = ctx.span(hit.start(), hit.end())
    gap = _GAP.match(text, end)
    after = gap.end() if gap else end
    titles = data.titles
    word = word_at(text, after)
    if shift:
        nameless = data.nameless.match(view, after - shift)
        n_end = nameless.end() + shift if nameless else 0
    else:
        nameless = data.nameless.match(view, ctx.folded.to_folded(after))
        n_end = ctx.span(nameless.start(), nameless.end())[1] if nameless else 0
    if nameless is not None and (word is None or fold_word(word.group()) not in titles):
        return Greeting(start, end, (after, n_end), False)
    if _SLOT.match(text, after):
        return Greeting(start, end, (after, after), True, slot=True)
    mention = _MENTION_AT.match(text, after)
    if mention is not None:  # "Hello @marie_d": the handle is not a name
        return Greeting(start, end, mention.span(), False)
    if word is None:
        return Greeting(start, end, None, False)
    token = word.group()
    if fold_word(token) in titles:
        tail = _TITLE_TAIL.match(text, word.end())
        if tail and _name_like(ctx, tail.group("name"), book):
            return Greeting(start, end, (after, tail.end("name")), True)
        return Greeting(start, end, (after, word.end()), False)
    if _name_like(ctx, token, book) and "," not in text[end:after]:
        return Greeting(start, end, (after, word.end()), True)
    return Greeting(start, end, None, False)


_TOKEN = re.compile(r"\s*(\S*)")


def _first_word(ctx: Context) -> tuple[int, int]:
    match = _TOKEN.match(ctx.text, ctx.body_start)
    return match.span(1) if match else (ctx.body_start, ctx.body_start)
