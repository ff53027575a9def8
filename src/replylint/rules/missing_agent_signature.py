from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

from replylint.context import Context
from replylint.length import weighted_length
from replylint.models import Applicability, Edit, Evidence, Finding, Fix, Severity
from replylint.names import (
    alternation,
    fold_window,
    fold_word,
    handle_words,
    in_handles,
    is_first_name,
    may_fold_to,
    name_key,
    names_in,
    stopwords,
    word_at,
)
from replylint.phrases import PhraseBook
from replylint.rule import Rule, bad, good
from replylint.text import URL, first_name, fold_char_map, initials

RULE = "missing-agent-signature"
NAMES_RULE = "missing-customer-name"  # its data holds the capitalised words that are not names

# A signature behind a mark: ^JD, *SR, /LP, ~ Olivia, -Mike, - Rene, _Rjay, ~Heather B.
_MARKED = re.compile(
    # the mark first (a character class lets the regex engine skip ahead fast), then what precedes it
    r"(?P<mark>[\^*/~_\-–—])(?<![^\s.!?,;:)\]\"'…].)[ \t]?"
    r"(?P<sig>[^\W\d_]{1,25}(?:[-'][^\W\d_]{1,15})?(?:[ \t][^\W\d_]\.?)?)[.!]?$"
)
_COUNTER = re.compile(r"[(\[]?\d{1,2}/\d{1,2}[)\]]?[.:]?")
_AFTER_NAME = re.compile(r"[ \t]*[.!)]?[ \t]*")
_CLOSING_TAIL = re.compile(
    r"(?P<sep>[ \t]*[,!.:;–—-]?[ \t]*\n?[ \t]*)"
    r"(?P<name>[^\W\d_][\w'’-]{0,24}(?:[ \t][^\W\d_][\w'’-]{0,24}\.?)?)[ \t]*(?P<end>[.!]?)[ \t]*$"
)
_MENTION = re.compile(r"@\w+")
_NOT_A_NAME = re.compile(r"[@_\d/:#]")
_ALNUM = re.compile(r"[^\W_]")
_SENTENCE_BREAK = ".!?…:)]"
_WINDOW = 70
#: How far before the end of the words a sign-off can start (the longest: a name, a link word and
#: a team of a few words, "Roopa-HP Social Media Support", or closing words and a name).
SIGNOFF_REACH = _WINDOW + 30


_NO_SIGNOFF = Evidence(source=f"{RULE}:no-signoff")
_MARKED_SOURCE = f"{RULE}:marked"


class Signoff(NamedTuple):
    """An agent sign-off found at the end of a draft (original offsets).

    A named tuple: as immutable as a frozen dataclass, and built in a third of the time (one
    is built for most drafts)."""

    start: int
    end: int
    kind: str  # marked | team | closing | thanks | initials | name
    signed: str  # the name or initials as written
    source: str  # the evidence's source and pattern: the Evidence is only built when reported
    pattern: str

    @property
    def evidence(self) -> Evidence:
        return Evidence(source=self.source, pattern=self.pattern)


def _is_junk(token: str) -> bool:
    """Trailing tokens that are not words of the reply: URLs, hashtags, @mentions, emoji, counters."""
    if token.isalpha():
        return False  # the usual case: a word
    if token[0] in "@#":
        return True
    # emoji and marks only (a letter or digit at an edge, as in "^JD" or "done.", answers without
    # the regex: ``str.isalnum`` is the regex's ``[^\W_]``)
    if not token[-1].isalnum() and not token[0].isalnum() and _ALNUM.search(token) is None:
        return True
    if token[0] in "([0123456789" and _COUNTER.fullmatch(token):
        return True
    if "/" not in token and token.find(".", 0, -1) < 0:
        return False  # a URL holds a "/" or a dot before its last character: "done." is a word
    match = URL.match(token)
    return match is not None and _ALNUM.search(token, match.end()) is None


def _token_start(text: str, end: int) -> int:
    return max(text.rfind(" ", 0, end), text.rfind("\n", 0, end), text.rfind("\xa0", 0, end)) + 1


def _skip_space(text: str, end: int) -> int:
    """``end`` moved back over white space (``rstrip`` strips what ``str.isspace`` calls space)."""
    return len(text[:end].rstrip())


def text_end(text: str) -> int:
    """Where the reply's words end: trailing URLs, hashtags, @mentions, emoji and ``1/2`` counters removed."""
    end = _skip_space(text, len(text))
    while end > 0:
        start = _token_start(text, end)
        if not _is_junk(text[start:end]):
            break
        end = _skip_space(text, start)
    # emoji glued to the last word ("^JD🙂")
    while end > 0 and not text[end - 1].isascii() and not text[end - 1].isalnum():
        end -= 1
    return end


def content_end(ctx: Context) -> int:
    """Where the draft's words end (``text_end``), computed once per draft."""
    store = ctx.memo
    end: int | None = store.get("_personal_content_end")
    if end is None:
        end = store["_personal_content_end"] = text_end(ctx.text)
    return end


def insertion_point(text: str) -> int:
    """Where a signature goes: the end of the text, before a trailing thread counter."""
    end = _skip_space(text, len(text))
    start = _token_start(text, end)
    if start < end and _COUNTER.fullmatch(text[start:end]):
        return _skip_space(text, start)
    return end


def _breaks_before(text: str, start: int) -> bool:
    """Whether a sentence or a line ends right before ``start`` (so a lone word there stands apart)."""
    pos = start
    while pos > 0 and text[pos - 1] in " \t\xa0":
        pos -= 1
    if pos == 0 or text[pos - 1] == "\n" or text[pos - 1] in _SENTENCE_BREAK:
        return True
    prev_start = _token_start(text, pos)
    return _is_junk(text[prev_start:pos])


@dataclass(frozen=True, slots=True)
class _Data:
    """A language's phrase data for this rule, compiled once for the hot path (not per draft:
    ``alternation`` is cached, but its key, a tuple of every phrase, is hashed on each call)."""

    closing: re.Pattern[str]
    thanks: re.Pattern[str]
    team: re.Pattern[str]
    # ``team_end`` ending the text: ``_team``'s cheap test, one regex over the last characters
    team_end: re.Pattern[str]
    kisses: frozenset[str]
    not_initials: frozenset[str]


_DATA: dict[int, tuple[PhraseBook, _Data]] = {}


def _data(book: PhraseBook) -> _Data:
    entry = _DATA.get(id(book))
    if entry is None or entry[0] is not book:
        team_end = "|".join(book["team_end"].phrases) or "(?!x)x"
        data = _Data(
            closing=alternation(book["closing"].phrases),
            thanks=alternation(book["thanks"].phrases),
            team=alternation(book["team"].phrases),
            # then what ``_AFTER_NAME`` lets follow a team sign-off
            team_end=re.compile(rf"(?<![a-z])(?:{team_end})[ \t]*[.!)]?[ \t]*\Z")
            if "team" not in book.extended
            else re.compile(""),  # phrases added through config may end on other words: no cheap test
            kisses=book.words.get("kisses", frozenset()),
            not_initials=book.words.get("not_initials", frozenset()),
        )
        if len(_DATA) > 64:  # linters built and dropped over time (config reloads): stay bounded
            _DATA.clear()
        entry = _DATA[id(book)] = (book, data)  # the book is kept alive, so its id stays its own
    return entry[1]


def _not_names(ctx: Context) -> frozenset[str]:
    return ctx.book(NAMES_RULE).words.get("not_names", frozenset())


def customer_name(ctx: Context) -> str | None:
    """The customer's name on file, if any (a handle put in the name field does not count)."""
    customer = ctx.draft.customer
    if customer is not None and customer.name and customer.name.strip():
        name = customer.name.strip()
        if not _NOT_A_NAME.search(name):
            return name
    return None


def customer_handles(ctx: Context) -> tuple[str, ...]:
    """Folded handles of the customer (leading @mentions but the brand's, ``customer.handle``)."""
    store = ctx.memo
    handles: tuple[str, ...] | None = store.get("_personal_handles")
    if handles is None:
        handles = store["_personal_handles"] = _customer_handles(ctx)
    return handles


def _customer_handles(ctx: Context) -> tuple[str, ...]:
    handles: list[str | None] = _MENTION.findall(ctx.text, 0, ctx.body_start) if ctx.body_start else []
    if ctx.draft.customer is not None:
        handles.append(ctx.draft.customer.handle)
    words = handle_words(handles)
    if not words:
        return ()
    brand = _brand_handles(ctx)
    return tuple([w for w in words if w not in brand])


def _brand_handles(ctx: Context) -> tuple[str, ...]:
    """Folded handles of the brand, from the config and the draft."""
    brand = ctx.draft.brand
    return _brand_words(tuple(ctx.config.brand.handles), brand.handle if brand is not None else None)


@lru_cache(maxsize=256)  # bounded: the brand's handles change with the config, rarely per draft
def _brand_words(config_handles: tuple[str, ...], draft_handle: str | None) -> tuple[str, ...]:
    """Folded handles of the brand (config and draft): never the customer's."""
    return handle_words([*config_handles, draft_handle] if draft_handle else config_handles)


def _is_customer(ctx: Context, word: str, before: int) -> bool:
    """Whether ``word`` names the customer: their known name, their handle, or used earlier on."""
    handles, name = customer_handles(ctx), customer_name(ctx)
    key = name_key(word)
    if name is not None and key and key in {name_key(name), name_key(first_name(name))}:
        return True
    if in_handles(word, handles):
        return True
    earlier = fold_word(ctx.text[:before])
    return bool(key) and names_in(earlier, key)


def _common_word_name(word: str) -> bool:
    """A capitalised given name that is also a word or a product ("Max", "Will", "June")."""
    return word[:1].isupper() and not word.isupper() and is_first_name(word)


def _is_brand(ctx: Context, word: str) -> bool:
    """Whether ``word`` is the brand's name, as its handle spells it ("Voltavo" for @VoltavoEnergy)."""
    if is_first_name(word):
        return False  # an agent's name, even inside the handle ("Sam" in @SamsBakes)
    return in_handles(word, _brand_handles(ctx))


def _name_like(ctx: Context, word: str) -> bool:
    """A capitalised word that is neither a function word nor a known non-name."""
    key = fold_word(word).replace("’", "'")
    words = stopwords(ctx.language)
    return (
        word[:1].isupper()
        and key not in words
        and key not in _not_names(ctx)
        and not ("'" in key and key.split("'")[0] + "'" in words)  # "L'équipe"
        and not (len(word) > 1 and word.isupper() and key in _data(ctx.book(RULE)).not_initials)
    )


def find_signoff(ctx: Context) -> Signoff | None:
    """The agent sign-off at the end of the draft, if any (no agent needs to be known)."""
    store = ctx.memo  # RL301 asks too
    if "_personal_signoff" in store:
        found: Signoff | None = store["_personal_signoff"]
        return found
    found = store["_personal_signoff"] = _find_signoff(ctx)
    return found


def _find_signoff(ctx: Context) -> Signoff | None:
    text = ctx.text
    end = content_end(ctx)
    if end <= ctx.body_start:
        return None
    book = ctx.book(RULE)
    start = _token_start(text, end)
    if text[end - 1] in "xXoO" and end - start <= 4 and fold_word(text[start:end]) in _data(book).kisses:
        end = _skip_space(text, start)  # "… Nadia x": the kiss follows the name
        if end <= ctx.body_start:
            return None
    return (
        _marked(ctx, text, end, book)
        or _bare(ctx, text, end, book)
        or _after_phrase(ctx, text, end, book)
        or _team(ctx, text, end, book)
    )


def _marked(ctx: Context, text: str, end: int, book: PhraseBook) -> Signoff | None:
    match = _MARKED.search(text, max(ctx.body_start, end - 40), end)
    if match is None:
        return None
    mark, sig = match.group("mark", "sig")
    if mark in "-–—/":
        if not sig[0].isupper():
            return None
        first = sig.split()[0]
        key = fold_word(first)
        word = key in _not_names(ctx) or (not sig.isupper() and key in stopwords(ctx.language))
        if word and not (is_first_name(first) and _breaks_before(text, match.start())):
            return None  # "… for Windows -Mac", "… 2 days -Thanks"; but "… on it. -Max" signs
    spaced = match.end("mark") < match.start("sig")
    if mark in "-–—" and spaced and not (sig.isupper() or is_first_name(sig.split()[0])):
        return None  # "… for Windows - Office" is not a signature; "- Rene" is
    return Signoff(
        match.start(),
        match.end(),
        "marked",
        sig,
        _MARKED_SOURCE,
        match.group().strip(),
    )


def _bare(ctx: Context, text: str, end: int, book: PhraseBook) -> Signoff | None:
    """A lone trailing first name ("… Hope this helps. Jason") or initials ("… HRB")."""
    start = _token_start(text, end)
    if not text[start].isupper():
        return None
    token = text[start:end]
    core = token.rstrip(".")
    word = word_at(core, 0)
    if word is None or word.end() != len(core) or not core[0].isupper():
        return None
    if not _breaks_before(text, start) or not _name_like(ctx, core):
        return None
    if core.isupper() and 2 <= len(core) <= 4:
        kind = "initials"
    elif not core.isupper() and is_first_name(core) and not _is_customer(ctx, core, start):
        kind = "name"
    else:
        return None
    return Signoff(start, end, kind, core, f"{RULE}:{kind}", token)


def _after_phrase(ctx: Context, text: str, end: int, book: PhraseBook) -> Signoff | None:
    """A name after closing words: "Bonne journée, Marc", "Cheers, Sam", "Thanks,\\nJulie"."""
    if not text[_token_start(text, end)].isupper():
        return None  # the reply does not end with a name
    folded = ctx.folded
    fend = folded.to_folded(end)
    fstart = max(0, fend - _WINDOW)
    data = _data(book)
    for list_name, phrases in (("closing", data.closing), ("thanks", data.thanks)):
        last = None
        for hit in phrases.finditer(folded.text, fstart, fend):
            last = hit
        if last is None:
            continue
        _, phrase_end = ctx.span(last.start(), last.end())
        tail = _CLOSING_TAIL.match(text, phrase_end, end)
        if tail is None:
            continue
        name = tail.group("name")
        first = name.split()[0]
        separated = bool(tail.group("sep").strip(" \t"))
        if not _name_like(ctx, first) and (
            list_name == "thanks" or not separated or not _common_word_name(first)
        ):
            continue  # not a name; but "Bises, Max" signs: a given name that is also a word
        if _is_customer(ctx, first, phrase_end) or _is_brand(ctx, first):
            continue  # "Thanks, Sam" to the customer; "Thanks, Voltavo" for the brand
        if any(fold_word(w.rstrip(".")) in _not_names(ctx) for w in name.split()[1:]):
            continue  # "Best, Acme Support": a team, not a person
        if " " in name and not is_first_name(first):
            continue  # "thanks. Go Sox": two words, the first no given name
        exclaims = tail.group("end") == "!" or text[end:].lstrip().startswith("!")
        if exclaims and (list_name == "thanks" or not separated):
            continue  # "Merci Paul !", "Bonne journée Marie !" speak to the customer
        if list_name == "thanks" and not separated:
            continue  # "Thanks Sam" thanks someone; "Thanks,\nSam" signs
        phrase_start, _ = ctx.span(last.start(), last.end())
        return Signoff(
            phrase_start,
            end,
            list_name,
            name,
            f"{book.source}:{list_name}",
            last.group(),
        )
    return None


def _team(ctx: Context, text: str, end: int, book: PhraseBook) -> Signoff | None:
    """A name and the team it signs for: "Julie du service client", "Roopa-HP Social Media Support"."""
    data = _data(book)
    # Cheap test first: the reply does not end the way a team sign-off does (a team word, at most
    # the few words the language lets follow it, then punctuation). Most replies that name a team
    # name it mid-sentence ("…our support team will call you."), where the team list's pass over
    # the last 70 characters (~40,000 instructions) finds no sign-off. Only the last 40 characters
    # are folded for the test (its look-behind sees one character: ``fold_window`` gives it).
    tail, at = fold_window(text, max(0, end - 40), end)
    if data.team_end.search(tail, at) is None:
        return None
    folded = ctx.folded
    fend = folded.to_folded(end)
    fstart = max(0, fend - _WINDOW)
    for hit in data.team.finditer(folded.text, fstart, fend):
        start, stop = ctx.span(hit.start(), hit.end())
        if not _AFTER_NAME.fullmatch(text, stop, end):
            continue
        word = word_at(text, start)
        if word is None or not _name_like(ctx, word.group().split("-")[0]):
            continue
        return Signoff(start, end, "team", word.group(), f"{book.source}:team", hit.group())
    return None


# --- the agent on file -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgentSignature:
    name: str | None
    signature: str


def expected_signature(ctx: Context) -> AgentSignature | None:
    """The signature the draft's agent should use: theirs, or the brand style applied to their name."""
    agent = ctx.draft.agent
    if agent is None:
        return None
    brand = ctx.config.brand
    name = agent.name.strip() if agent.name and agent.name.strip() else None
    signature = agent.signature.strip() if agent.signature and agent.signature.strip() else None
    if signature is None and name is not None:
        key = name_key(name)
        for profile in brand.agents:
            if name_key(profile.name) == key and profile.signature:
                signature = profile.signature.strip()
                break
    if signature is None and name is not None:
        try:
            signature = brand.signature_style.format(
                initials=initials(name), first_name=first_name(name), name=name
            )
        except (KeyError, IndexError, ValueError):
            signature = f"^{initials(name)}"
    if not signature:
        return None
    return AgentSignature(name, signature)


def carries(ctx: Context, signature: str) -> bool:
    """Whether the draft carries ``signature`` (case, accents and a space after the mark ignored)."""
    text = ctx.text
    pattern = _signature_pattern(signature)
    if text.isascii():
        return pattern.regex.search(text.lower()) is not None
    # A draft with accents is folded only when the answer needs it: most often the signature is
    # there in plain ASCII ("^JM"), or the text cannot hold it at all.
    if pattern.spelt is not None:
        for match in pattern.spelt.finditer(text):
            start, end = match.span()
            if text[start - 1 : start].isascii() and text[end : end + 1].isascii():
                return True  # ASCII neighbours fold to one character each, as in the fold
    if not may_fold_to(text, pattern.literal):
        return False
    return pattern.regex.search(ctx.folded.text) is not None


class _SignaturePattern(NamedTuple):
    regex: re.Pattern[str]  # on the folded text
    # the same on the text itself, case ignored, for ASCII signatures; its matches between ASCII
    # neighbours (or the text's edges) are the regex's matches in the fold
    spelt: re.Pattern[str] | None
    literal: str  # what every match of ``regex`` holds: the fold lacks it, no match


@lru_cache(maxsize=1024)  # bounded: one entry per agent signature seen recently
def _signature_pattern(signature: str) -> _SignaturePattern:
    """The regexes ``carries`` looks for: compiled once per signature, not escaped again per draft."""
    folded_sig = fold_char_map(signature).strip()
    head, rest = folded_sig[:1], folded_sig[1:].lstrip()
    body = re.escape(folded_sig) if head.isalnum() else re.escape(head) + r"\s?" + re.escape(rest)
    left = r"(?<![\w])" if head.isalnum() else ""
    source = left + body + r"(?!\w)"
    spelt = re.compile(source, re.ASCII | re.IGNORECASE) if folded_sig.isascii() else None
    literal = folded_sig if head.isalnum() else rest or head
    return _SignaturePattern(re.compile(source), spelt, literal)


class MissingAgentSignature(Rule):
    """The reply is not signed by the agent who wrote it.

    ## What it catches
    A reply without an agent sign-off at its end. When the draft says who the agent is
    (`agent.name`, `agent.signature`, or an entry of `[tool.replylint.brand] agents`), the
    reply must carry that agent's signature in the brand's style (`agent.signature`, else
    `brand.signature_style` such as `^{initials}` or `-{first_name}`). Without an agent on
    file, any usual sign-off counts: `^JD`, `*SR`, `/LP`, `~Jennifer`, `-Mike`, `- Rene`,
    `_Rjay`, `Roopa-HP Social Media Support`, `Julie du service client`,
    `Bonne journée, Marc`, `Cheers, Sam`, or a bare first name or initials after the last
    sentence, with or without a kiss (`Nadia x`). A given name that is also a word counts
    after a mark that follows a sentence end (`… on it. -Max`) or after closing words and a
    comma (`Bises, Max`). The brand's own name, as its handle spells it, is no agent
    (`Thanks, Voltavo` from @VoltavoEnergy). Trailing links, hashtags, @mentions, emoji
    and thread counters (`1/2`) are skipped before looking; they are never a signature.

    ## Why it matters
    A signed reply tells the customer a person read them and is accountable for the answer;
    it also lets the next agent in the thread know who to ask.

    ## How to fix
    When the agent is known, their signature is appended with the brand's separator (safe
    fix; not applied when the reply would then be too long). A signature in another style
    or by someone else is replaced on request (unsafe fix). Without an agent on file, sign
    the reply by hand.
    """

    code = "RL302"
    name = RULE
    default_severity = Severity.WARNING
    offers_safe_fixes = True
    summary = "The reply carries no agent sign-off (^JD, -Julie, « Julie du service client »…)."
    languages = frozenset({"en", "fr"})
    examples = (
        bad("@james Your refund was issued today. Let us know if it doesn't show up!"),
        bad("@marie Votre colis est reparti ce matin. Bonne journée !", language="fr"),
        bad(
            "@james We're on it. https://example.com/status 1/2",
            note="a link and a thread counter are not a signature",
        ),
        bad(
            "@marie Nous avons relancé le transporteur. ^AB",
            language="fr",
            agent={"name": "Julie Martin"},
            note="signed by someone else: the agent on file is Julie Martin (^JM)",
        ),
        bad("@james Try restarting the router. Keep us posted!", agent={"name": "Sam Lee"}),
        good("@james Your refund was issued today. ^JD"),
        good("@james Restart the app and try again. ~ Olivia"),
        good("@marie Votre colis arrive demain. Julie du service client", language="fr"),
        good("@marie C'est réglé de notre côté. Bonne journée, Marc", language="fr"),
        good("@james Glad it works now! -Mike https://example.com #support"),
        good("@james Try restarting the router. ^SL", agent={"name": "Sam Lee"}),
        good("@james A new one ships today. Nadia x"),
        good("@marie On regarde ça de près. -Max", language="fr"),
        bad(
            "@james Your meter is booked in. Thanks, Voltavo",
            brand={"handle": "@VoltavoEnergy"},
            note="the brand's name is no agent",
        ),
    )

    def may_fix_safely(self, ctx: Context) -> bool:
        return expected_signature(ctx) is not None  # the signature fix needs the agent on file

    def check(self, ctx: Context) -> list[Finding]:
        # A list, not a generator: most drafts return at once, and a generator costs more to run.
        expected = expected_signature(ctx)
        if expected is None:
            return [self._missing(ctx, None)] if find_signoff(ctx) is None else []
        if carries(ctx, expected.signature):
            return []
        signoff = find_signoff(ctx)
        if signoff is None:
            return [self._missing(ctx, expected)]
        finding = self.finding(
            ctx,
            signoff.start,
            signoff.end,
            f"Signed `{ctx.text[signoff.start : signoff.end]}`, but the agent on file signs "
            f"`{expected.signature}`.",
            fix=Fix(
                applicability=Applicability.UNSAFE,
                description=f"Replace the sign-off with `{expected.signature}`.",
                edits=[Edit(start=signoff.start, end=signoff.end, replacement=expected.signature)],
            ),
            evidence=signoff.evidence,
        )
        return [finding]

    def _missing(self, ctx: Context, expected: AgentSignature | None) -> Finding:
        text = ctx.text
        end = content_end(ctx)
        start = _last_sentence_start(text, ctx.body_start, end)
        if expected is None:
            return self.finding(
                ctx,
                start,
                end,
                "The reply is not signed: add the agent's first name or initials.",
                fix=ctx.book(RULE).manual_fix("advice"),
                evidence=_NO_SIGNOFF,
            )
        at = insertion_point(text)
        addition = f"{ctx.config.brand.signature_separator if at else ''}{expected.signature}"
        if at < len(text) and not text[at].isspace():
            addition += " "  # a draft that is only a thread counter: "^SL 1/2", not "^SL1/2"
        fix = Fix(
            applicability=Applicability.SAFE,
            description=f"Append the agent's signature `{expected.signature}`.",
            edits=[Edit(start=at, end=at, replacement=addition)],
        )
        fix = fits(ctx, fix)
        who = f" ({expected.name})" if expected.name else ""
        return self.finding(
            ctx,
            start,
            end,
            f"The reply is not signed: the agent on file{who} signs `{expected.signature}`.",
            fix=fix,
            evidence=_agent_evidence(expected.signature),
        )


@lru_cache(maxsize=1024)  # bounded: one per agent signature seen recently; nothing mutates evidence
def _agent_evidence(signature: str) -> Evidence:
    return Evidence(source=f"{RULE}:agent", detail=signature)


def _last_sentence_start(text: str, body: int, end: int) -> int:
    """Start of the last sentence before ``end`` (cheap: after the last ". ", "! ", "? " or line break)."""
    last = end - 1
    cut = max(text.rfind(". ", body, last), text.rfind("! ", body, last), text.rfind("? ", body, last))
    cut = cut + 2 if cut >= 0 else body
    line = text.rfind("\n", body, end - 1)
    start = max(cut, line + 1)
    while start < end and text[start].isspace():
        start += 1
    return min(start, end)


def fits(ctx: Context, fix: Fix) -> Fix:
    """Demote a safe fix whose result would be over the platform's limit, saying so.

    The draft is measured once; a fix's edits (insertions next to spaces, never inside a URL)
    change its length by the weight of what they add minus what they remove.
    """
    if fix.applicability is not Applicability.SAFE:
        return fix
    size = ctx.measure
    if size is None:
        return fix
    weigh = weighted_length if ctx.draft.platform == "twitter" else len
    length = size.length + sum(
        # an insertion removes nothing: weighing the empty text still costs a pass of ``weigh``
        weigh(edit.replacement) - (weigh(ctx.text[edit.start : edit.end]) if edit.end > edit.start else 0)
        for edit in fix.edits
    )
    if length <= size.limit:
        return fix
    return replace(
        fix,
        applicability=Applicability.UNSAFE,
        description=f"{fix.description} (not applied automatically: the reply would be "
        f"{length}/{size.limit} characters on {ctx.draft.platform}, over the limit)",
    )
