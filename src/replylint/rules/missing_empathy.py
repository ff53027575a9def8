from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import emoji

from replylint.context import Context
from replylint.models import Applicability, Edit, Evidence, Finding, Fix, Severity
from replylint.phrases import Hit, PhraseBook, needles
from replylint.rule import Rule, bad, good
from replylint.text import Folded, fold

#: @handles and links in the customer's message: blanked out before matching, so a handle
#: such as "@BrokenBones" or a path such as "/ios-issues" is not read as a complaint.
#: (Each pattern starts with a literal so the regex engine skips ahead cheaply.)
_MENTION = re.compile(r"@(?<![\w@]@)\w{1,50}")
_LINK = re.compile(r"https?://\S+|www\.\S+")
#: Words of the folded text; English negative contractions stay whole ("can't", "isn't"),
#: French elisions split ("d'erreur" -> "d", "erreur").
_WORD = re.compile(r"[^\W\d_]+(?:'t\b)?")
_WORD_ASCII = re.compile(r"[a-z]+(?:'t\b)?")
#: Characters that may start an emoji of interest (faces, hands, hearts, symbols).
_EMOJI_CANDIDATE = re.compile("[\u2600-\u27bf\U0001f000-\U0001faff]")
#: How many words before a complaint word may negate it ("not a problem", "pas de souci").
_NEGATION_WINDOW = 2
#: (Written to start with one character class, so the regex engine skips ahead cheaply; it
#: matches what ``[.!?\u2026]+(?=\s|$)|\n`` matches.)
_SENTENCE_END = re.compile(r"[.!?\u2026\n](?:(?<=\n)|[.!?\u2026]*(?=\s|$))")
#: Shouted words: four letters or more, all capitals (checked on the original text).
_SHOUT = re.compile(r"[A-Z](?<![\w@/.][A-Z])[A-Z]{3,}(?![\w/.@])")
_SHOUT_MIN = 2
#: Two marks in a row: every shouting run (``lists.intensity``) holds one.
_MARK_PAIRS = ("!!", "??", "?!", "!?")
#: A greeting that opens the body ("Hi Marie,", "Bonjour Marie !", "Hey there -"): one of
#: the language's `words.greetings`, up to three name words (not one of `words.not_names`),
#: then punctuation.
_GREETING = (
    r"(?:{greetings})(?:[ ]+(?!(?:{not_names})\b)[^\W\d_][\w'.-]{{0,30}}){{0,3}}"
    r"[ ]*(?:[,!.:]+|-+|\s-\s)"
)
_GREETINGS: dict[int, tuple[PhraseBook, re.Pattern[str]]] = {}


_NONE: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class _Signal:
    """Why the customer's message reads as a complaint."""

    source: str
    pattern: str
    detail: str

    @property
    def evidence(self) -> Evidence:
        """The finding's evidence: built once per signal, which is cached per customer message
        (findings share it; nothing changes an Evidence in place)."""
        return _evidence(self)


@lru_cache(maxsize=4096)
def _evidence(signal: _Signal) -> Evidence:
    return Evidence(source=signal.source, pattern=signal.pattern, detail=signal.detail)


class MissingEmpathy(Rule):
    """The customer reports a problem and the reply shows no empathy.

    ## What it catches
    A reply to a complaint (something broken, missing, late, charged twice, a locked
    account, an angry or desperate message) that goes straight to business without a word
    for what the customer is going through: no "sorry to hear", "we apologise", "I
    understand how frustrating", "that's not the experience we want", "désolé", "navré",
    "je comprends", "toutes nos excuses", "c'est embêtant".

    The rule needs the customer's message (`inbound.text`) and stays silent without it.
    That message counts as a complaint when it reports a fault, a loss, a block, a wait, a
    charge or a refund, passes judgement ("worst", "ridiculous", "inadmissible"), shouts
    (several words in capitals, `!!!`, `?!?`) or carries an angry or distressed emoji
    (😡 🤬 😤 😠 😢). Negated forms ("no problem", "not bad", "pas de souci") and a
    problem the customer says is solved do not count; plain questions ("how do I change my
    plan?"), requests and praise are not complaints.

    ## Why it matters
    A customer who is stuck or angry first needs to feel heard. A bare procedure in reply
    reads as indifference, in front of everyone following the thread, and the same
    answer opened by one human sentence calms the exchange.

    ## How to fix
    Open with a short acknowledgement in the draft's language, right after the greeting
    (unsafe fix, from the rule's `opener` template): "Sorry to hear about the trouble…",
    "Désolés pour ce désagrément…". Better still, name the customer's actual problem.
    """

    code = "RL204"
    name = "missing-empathy"
    default_severity = Severity.WARNING
    summary = "The customer complains or reports a problem and the reply shows no empathy."
    languages = frozenset({"en", "fr"})
    examples = (
        bad(
            "@sam Please restart the app and try again. ^JD",
            inbound={"text": "@brand the app keeps crashing every time I open it"},
        ),
        bad(
            "@sam Hi Sam, can you send us your order number by DM?",
            inbound={"text": "@brand Ordered two weeks ago and it never arrived. Ridiculous."},
        ),
        bad(
            "@marie Bonjour Marie, pouvez-vous redémarrer la box ?",
            language="fr",
            inbound={"text": "@marque Toujours pas d'internet depuis hier soir, c'est inadmissible"},
        ),
        bad(
            "@marie Envoyez-nous votre numéro de commande en MP.",
            language="fr",
            inbound={"text": "@marque j'ai été débitée deux fois 😡"},
        ),
        good(
            "@sam Sorry to hear that! Please restart the app and try again. ^JD",
            inbound={"text": "@brand the app keeps crashing every time I open it"},
        ),
        good(
            "@sam You can change it under Settings > Plan. ^JD",
            inbound={"text": "@brand how do I change my plan?"},
            note="a question, not a complaint",
        ),
        good(
            "@sam Please restart the app and try again. ^JD",
            note="no inbound message: the rule stays silent",
        ),
        good(
            "@marie Désolée pour ce souci ! Pouvez-vous redémarrer la box ?",
            language="fr",
            inbound={"text": "@marque Toujours pas d'internet depuis hier soir"},
        ),
        good(
            "@marie Merci beaucoup, bonne journée !",
            language="fr",
            inbound={"text": "@marque Pas de souci, tout fonctionne très bien, merci !"},
            note="negated: not a complaint",
        ),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        inbound = ctx.draft.inbound
        if inbound is None or not inbound.text:
            return  # no customer message: nothing to judge
        book = ctx.book(self.name)
        folded = ctx.folded.text
        body = ctx.folded.to_folded(ctx.body_start)
        if _has_empathy_word(book, folded, body):
            return  # cheapest test first: most apologies are one word ("sorry", "désolé")
        signal = _cached_signal(book, inbound.text)
        # the list's word search: the same matches as its regex, 1.2-1.4 µs sooner on a reply
        if signal is None or book["empathy"].word_search.search(folded, body) is not None:
            return
        start, end = _first_sentence(ctx)
        yield self.finding(
            ctx,
            start,
            end,
            f"The customer reports a problem ({signal.detail}) but the reply shows no empathy or apology.",
            fix=_opener_fix(ctx, book),
            evidence=signal.evidence,
        )


def _has_empathy_word(book: PhraseBook, folded: str, body: int) -> bool:
    """A word of ``words.empathy`` among the ``_words`` of the body. Looking for the words as
    substrings is cheapest, and most drafts hold none; only then are they looked for as words:
    one regex pass in C, where splitting the body into words cost ~45k instructions. (On the body
    cut off: a handle longer than 50 characters runs on into it.)"""
    words = book.words.get("empathy", _NONE)
    text = folded[body:]
    if not any(needle in text for needle in _needles(words)):
        return False  # a word of the text is a substring of it
    return _word_search(words).search(text) is not None


@lru_cache(maxsize=64)
def _needles(words: frozenset[str]) -> tuple[str, ...]:
    """``needles(words)``, worked out once per word list."""
    return needles(words)


@lru_cache(maxsize=64)
def _word_search(words: frozenset[str]) -> re.Pattern[str]:
    """A search for any of ``words`` (letters only) as one of ``_words``: a whole run of letters
    that no "'t" joins to the next word."""
    alternation = "|".join(re.escape(w) for w in sorted(words)) or r"(?!x)x"
    return re.compile(rf"(?<![^\W\d_])(?:{alternation})(?![^\W\d_])(?!'t\b)")


def inbound_complaint(ctx: Context) -> _Signal | None:
    """The sign that the customer's message (``inbound``) is a complaint, or ``None``; shared
    with blaming-tone, whose tone markers only count in a reply to a complaint."""
    inbound = ctx.draft.inbound
    if inbound is None or not inbound.text:
        return None
    return _cached_signal(ctx.book(MissingEmpathy.name), inbound.text)


@lru_cache(maxsize=4096)
def _cached_signal(book: PhraseBook, inbound: str) -> _Signal | None:
    """``complaint_signal`` per customer message: a helpdesk re-checks the draft as the agent
    edits it, and several drafts may answer one message, so the same inbound comes back."""
    return complaint_signal(fold(inbound), book)


def complaint_signal(inbound: Folded, book: PhraseBook) -> _Signal | None:
    """The first sign that the customer's message is a complaint, or ``None``."""
    text = _quiet(inbound.text)
    words = _words(text)
    signal = _complaint_word(inbound, text, words, book) or _complaint_phrase(inbound, text, book)
    if signal is None:
        return None
    cues = book.words.get("resolved_cues")
    # the word search: the list's matches, found sooner over a whole message (see ``search_words``)
    if (cues is None or not cues.isdisjoint(words)) and book["resolved"].word_search.search(text):
        return None  # "it's working again now": the problem is gone
    return signal


def _quiet(text: str) -> str:
    """``text`` with @handles and links blanked out (same length, so offsets hold)."""
    if "@" in text:
        text = _MENTION.sub(_blank, text)
    if "http" in text or "www." in text:
        text = _LINK.sub(_blank, text)
    return text


def _words(text: str) -> list[str]:
    return (_WORD_ASCII if text.isascii() else _WORD).findall(text)


def _complaint_word(inbound: Folded, text: str, words: list[str], book: PhraseBook) -> _Signal | None:
    """A complaint word of the ``words.complaint`` set, not negated by a word just before it."""
    complaint = book.words.get("complaint", _NONE)
    if complaint.isdisjoint(words):
        return None
    negators = book.words.get("negators", _NONE)
    skip = book.words.get("skip", _NONE)
    for index, word in enumerate(words):
        if word not in complaint:
            continue
        before = [w for w in words[max(0, index - 3 * _NEGATION_WINDOW) : index] if w not in skip]
        if negators.isdisjoint(before[-_NEGATION_WINDOW:]):
            detail = word
            where = re.search(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", text)
            if where is not None:
                start, end = inbound.span(where.start(), where.end())
                detail = inbound.original[start:end]
            return _Signal(f"{book.source}:words.complaint", word, f'"{detail}"')
    return None


def _complaint_phrase(inbound: Folded, text: str, book: PhraseBook) -> _Signal | None:
    """A complaint phrase, shouting or an angry emoji (negated phrases blanked out first)."""
    original = inbound.original
    marks = "!!" in text or "??" in text or "?!" in text or "!?" in text
    names = ("problem", "intensity") if marks else ("problem",)
    for name in names:
        hit = book[name].search_words(text, _intensity_from(text) if name == "intensity" else 0)
        if hit is not None:
            # Blanking negated phrases out can only remove hits, so it is done only when the
            # first hit overlaps one ("can't wait" is not "can't log in"); the negated phrases
            # are listed only then (matches come in order: none after the hit can overlap it).
            if _overlaps_negated(book, text, hit):
                for n in book["not_a_problem"].finditer(text):
                    text = text[: n.start] + " " * (n.end - n.start) + text[n.end :]
                hit = book[name].search_words(text, hit.start)
                if hit is None:
                    continue
            start, end = inbound.span(hit.start, hit.end)
            return _Signal(f"{book.source}:{name}", hit.phrase, f'"{original[start:end].strip()}"')
    shouted = _SHOUT.findall(_quiet(original)) if _SHOUT.search(original) else []
    if len(shouted) >= _SHOUT_MIN:
        return _Signal(f"{book.source}:shouting", _SHOUT.pattern, f"shouting: {' '.join(shouted[:3])}")
    if not original.isascii():
        wanted = book.words.get("complaint_emoji", _NONE)
        for char in _EMOJI_CANDIDATE.findall(original):
            data = emoji.EMOJI_DATA.get(char)
            if data is not None and data["en"] in wanted:
                return _Signal(f"{book.source}:complaint_emoji", data["en"], f"emoji {char}")
    return None


def _intensity_from(text: str) -> int:
    """Where a search for ``intensity`` may start: at the white space before the first pair of
    marks. Every intensity phrase is a run of marks holding such a pair, at most glued to the
    word before it, so no match starts earlier; and a run glued to a word makes the list
    backtrack over every word of the message (tens of µs), which this skips."""
    first = min((i for i in map(text.find, _MARK_PAIRS) if i >= 0), default=0)
    return max(text.rfind(" ", 0, first), text.rfind("\n", 0, first), text.rfind("\t", 0, first), -1) + 1


def _overlaps_negated(book: PhraseBook, text: str, hit: Hit) -> bool:
    """A match of ``not_a_problem`` overlaps ``hit``."""
    for n in book["not_a_problem"].regex.finditer(text):
        if n.start() >= hit.end:
            return False
        if n.end() > hit.start:
            return True
    return False


def _blank(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


def _first_sentence(ctx: Context) -> tuple[int, int]:
    """The body's first sentence (cheaper than ``ctx.sentences``, which splits the whole draft)."""
    text = ctx.text
    start = ctx.body_start
    end = _SENTENCE_END.search(text, start)
    stop = end.end() if end else len(text)
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    return (start, stop) if stop > start else (0, len(text))


def _opener_fix(ctx: Context, book: PhraseBook) -> Fix:
    opener = book.template("opener")
    at = _after_greeting(ctx, book)
    before = ctx.text[:at].rstrip()
    if before.endswith(",") or before.endswith("-"):
        opener = opener[0].lower() + opener[1:]
    text = ctx.text
    replacement = opener
    end = at
    if at < len(text) and not text[at].isspace():
        replacement += " "
        if opener.rstrip()[-1:] in {".", "!"} and text[at].islower():
            replacement += text[at].upper()  # the draft's first word now starts a sentence
            end = at + 1
    if at > 0 and not text[at - 1].isspace():
        replacement = " " + replacement
    return _opener_edit(opener, at, end, replacement)


@lru_cache(maxsize=4096)
def _opener_edit(opener: str, at: int, end: int, replacement: str) -> Fix:
    """The opener fix, shared by the drafts that get the same edit (the greeting ends at the
    same offset, the same opener goes there): nothing changes a Fix in place."""
    return Fix(
        applicability=Applicability.UNSAFE,
        description=f'Open with a word of empathy: "{opener}"',
        edits=[Edit(start=at, end=end, replacement=replacement)],
    )


def _greeting(book: PhraseBook) -> re.Pattern[str]:
    cached = _GREETINGS.get(id(book))
    if cached is None or cached[0] is not book:

        def alternation(name: str) -> str:
            words = sorted(book.words.get(name, _NONE), key=len, reverse=True)
            return "|".join(re.escape(w) for w in words) or r"(?!x)x"

        pattern = _GREETING.format(greetings=alternation("greetings"), not_names=alternation("not_names"))
        cached = (book, re.compile(pattern))
        _GREETINGS[id(book)] = cached
    return cached[1]


def _after_greeting(ctx: Context, book: PhraseBook) -> int:
    """Original offset where the opener goes: after the @mentions and a leading greeting."""
    start = ctx.body_start
    folded = ctx.folded
    fstart = folded.to_folded(start)
    match = _greeting(book).match(folded.text, fstart)
    if match is None:
        return start
    end = ctx.span(fstart, match.end())[1]
    while end < len(ctx.text) and ctx.text[end] in " \t":
        end += 1
    return end
