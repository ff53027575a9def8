from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from replylint.context import Context
from replylint.models import Applicability, Evidence, Finding, Fix, Severity
from replylint.phrases import PhraseBook, available_languages, language_data
from replylint.rule import Rule, bad, good
from replylint.rules import _cues
from replylint.rules.missing_empathy import inbound_complaint
from replylint.text import fold_char_map, urls

#: Runs of three or more "!" / "?" ("!!!", "???", "?!?").
_PUNCT_RUN = re.compile(r"[!?]{3,}")
#: Cheap hint of a shouting run: three capitalised words in a row (checked before the token walk).
#: The first ``{2,}`` is written out as ``X X+`` so the pattern starts with one character class
#: and the regex engine skips ahead to the capitals (~40 % fewer instructions on replies).
_SHOUT_HINT = re.compile(r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ]+\W{1,3}[A-ZÀ-ÖØ-Þ]{2,}\W{1,3}[A-ZÀ-ÖØ-Þ]{2}")
#: Tokens of the shouting walk: links, handles and hashtags are skipped as wholes.
_TOKEN = re.compile(r"(?:https?://|www\.)\S+|[@#]\w+|\w+(?:['’-]\w+)*")
_SKIN_TONE = re.compile(r"_(?:light|medium-light|medium|medium-dark|dark)_skin_tone")
#: Shouting: this many capitalised words (acronyms aside), with a function word or one more word.
_SHOUT_WORDS = 3

_MANUAL = Fix(
    applicability=Applicability.MANUAL,
    description="Rewrite without lecturing or mocking: own the problem and say what happens next.",
)


class BlamingTone(Rule):
    """The draft lectures, blames or mocks the customer.

    ## What it catches
    Lecturing or blaming: "as stated on our website", "as mentioned", "you should have",
    "as I already said", "this is stated and agreed to during checkout", "vous auriez dû",
    "comme indiqué", "il suffisait de", "il faut lire", "comme déjà dit". In a reply to a
    complaint (an `inbound` message that missing-empathy reads as one), also the tone markers
    that read as contempt: shouting
    in capitals (three or more capitalised words, acronyms, handles and links aside), runs
    of "!!!" or "???", sarcasm markers ("lol", "mdr", "/s", "bien sûr…") and laughing or
    eye-roll emoji (🙄 😂 🤣 😏 🤦).

    ## Why it matters
    A customer who complains in public wants the problem solved, not a lesson. Being
    right about the terms and conditions wins the argument and loses the customer, in
    front of everyone who reads the thread.

    ## How to fix
    Rewrite by hand: drop the reproach, restate the useful information neutrally ("the
    renewal can be turned off in your account settings"), own the next step.
    """

    code = "RL205"
    name = "blaming-tone"
    default_severity = Severity.WARNING
    summary = "Lectures or blames the customer, shouts, or mocks a complaint."
    languages = frozenset({"en", "fr"})
    examples = (
        bad("@james As stated on our website, refunds take 10 days."),
        bad("@james You should have read the terms before ordering."),
        bad("@marie Comme indiqué dans nos CGV, le délai est de 10 jours.", language="fr"),
        bad("@marie Il suffisait de lire la fiche produit.", language="fr"),
        bad(
            "@james WE DO NOT OFFER REFUNDS on sale items.",
            inbound={"text": "@acme I want my money back, this is a scam"},
        ),
        bad("@marie Vraiment ??? 🙄", language="fr", inbound={"text": "@acme toujours pas livré"}),
        good("@james Refunds take up to 10 days; I've checked and yours is on its way. ^JD"),
        good("@marie Le délai de remboursement est de 10 jours, le vôtre est en route.", language="fr"),
        good(
            "@james Thanks!!! So glad you like it 😂",
            note="no customer message: tone markers are only checked in a reply",
        ),
        good(
            "@james Thanks!!! So glad you like it 😂",
            inbound={"text": "@acme the new flavour is amazing, ordered three boxes"},
            note="not a complaint: tone markers are only checked in a reply to one",
        ),
        good(
            "@marie Votre colis part via UPS depuis notre entrepôt.",
            language="fr",
            inbound={"text": "@acme où est mon colis ?"},
        ),
    )

    def check(self, ctx: Context) -> list[Finding]:
        # A list, not a generator: most drafts have no lecture cue and no tone hint, and leave here
        # after a few set and substring tests.
        book = ctx.book(self.name)
        findings = self._lectures(ctx, book) if _cues.may_match(ctx, book, "lecture") else []
        text, folded = ctx.text, ctx.folded.text
        punctuation = "!!" in folded or "??" in folded or "?!" in folded
        sarcasm = _cues.may_match(ctx, book, "sarcasm")
        shouting = _SHOUT_HINT.search(text, ctx.body_start) is not None
        mocking = _mocking_emoji(text, book)
        # The customer's message is read last: several phrase lists over it, once per message
        # (missing-empathy skips it on a draft that apologises).
        if (punctuation or sarcasm or shouting or mocking) and inbound_complaint(ctx) is not None:
            findings.extend(self._tone(ctx, book, punctuation, sarcasm, shouting, mocking))
        return findings

    def _lectures(self, ctx: Context, book: PhraseBook) -> list[Finding]:
        """Lecturing phrases, found by the list's ``word_search`` (its matches; over a reply with a
        cue word, "could", "first", "time": common words, a third of its regex's cost); the list
        names the phrase of each."""
        folded, lecture = ctx.folded.text, book["lecture"]
        findings = []
        for at, _ in lecture.word_search.finditer(folded):
            hit = lecture.search(folded, at)  # the same match: the list matches alike there
            if hit is None:  # never: see above
                continue
            start, end = ctx.span(hit.start, hit.end)
            excerpt = ctx.text[start:end]
            message = f"Lectures the customer (`{excerpt}`): give the information without reproach."
            evidence = Evidence(source=f"{book.source}:{hit.list_name}", pattern=hit.phrase)
            findings.append(self.finding(ctx, start, end, message, fix=_MANUAL, evidence=evidence))
        return findings

    def _tone(
        self, ctx: Context, book: PhraseBook, punctuation: bool, sarcasm: bool, shouting: bool, mocking: bool
    ) -> Iterator[Finding]:
        """Tone markers, only in a reply to a complaint ("Thanks!!! 😂" to a happy customer is
        warmth, not contempt); ``check`` takes each marker's cheap hint first."""
        text, folded = ctx.text, ctx.folded.text
        links = _Links(folded)
        if punctuation:
            for match in _PUNCT_RUN.finditer(folded):
                if links.inside(match.start()):
                    continue
                start, end = ctx.span(match.start(), match.end())
                yield self.finding(
                    ctx,
                    start,
                    end,
                    f"`{match.group()}` reads as exasperation in a reply to a customer.",
                    fix=_MANUAL,
                    evidence=Evidence(source="blaming-tone:punctuation", pattern=match.group()),
                )
        hits = book["sarcasm"].finditer(folded) if sarcasm else ()
        for hit in hits:
            if links.inside(hit.start):
                continue
            start, end = ctx.span(hit.start, hit.end)
            yield self.finding(
                ctx,
                start,
                end,
                f"`{text[start:end]}` reads as sarcasm or laughing at the customer.",
                fix=_MANUAL,
                evidence=Evidence(source=f"{book.source}:{hit.list_name}", pattern=hit.phrase),
            )
        if shouting:
            run = _shouting(ctx, book)
            if run is not None:
                start, end = run
                yield self.finding(
                    ctx,
                    start,
                    end,
                    "Capitals read as shouting at the customer.",
                    fix=_MANUAL,
                    evidence=Evidence(source="blaming-tone:capitals", pattern=text[start:end]),
                )
        if mocking:
            yield from self._emoji(ctx, book.words["mocking_emoji"])

    def _emoji(self, ctx: Context, names: frozenset[str]) -> Iterator[Finding]:
        import emoji

        for item in emoji.emoji_list(ctx.text):
            found = item["emoji"]
            data = emoji.EMOJI_DATA.get(found)
            name = _SKIN_TONE.sub("", data["en"]) if data else ""
            if name in names:
                yield self.finding(
                    ctx,
                    item["match_start"],
                    item["match_end"],
                    f"{found} reads as mocking the customer in a reply to their message.",
                    fix=_MANUAL,
                    evidence=Evidence(source="blaming-tone:emoji", pattern=name),
                )


class _Links:
    """Link spans of a text, found only when first asked (most drafts never ask)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._spans: list[tuple[int, int]] | None = None

    def inside(self, index: int) -> bool:
        if self._spans is None:
            self._spans = [m.span() for m in urls(self._text)]
        return any(s <= index < e for s, e in self._spans)


@cache
def _stopwords() -> frozenset[str]:
    """Function words of every language: a capitalised run holding one is a sentence, not a name."""
    words: set[str] = set()
    for language in available_languages():
        words.update(fold_char_map(w) for w in language_data(language).stopwords)
    return frozenset(words)


def _shouting(ctx: Context, book: PhraseBook) -> tuple[int, int] | None:
    """Span of the first run of capitalised words that reads as shouting."""
    acronyms = book.words.get("acronyms", frozenset())
    courtesy = book.words.get("caps_courtesy", frozenset())
    stopwords = _stopwords()
    run = _Run()
    for match in _TOKEN.finditer(ctx.text, ctx.body_start):
        token = match.group()
        breaks = token[0] in "@#" or "/" in token or token[:4].lower() == "www."
        if breaks or (not token.isupper() and any(c.islower() for c in token)):
            if run.shouting():
                return run.start, run.end
            run = _Run()
            continue
        if not token.isupper():
            continue  # digits only: neither breaks nor counts
        key = fold_char_map(token)
        if run.start < 0:
            run.start = match.start()
        run.end = match.end()
        run.function_word = run.function_word or key in stopwords
        run.polite = run.polite or key in courtesy
        word = sum(c.isalpha() for c in token) >= 2 and not any(c.isdigit() for c in token)
        if word and key not in acronyms:
            run.words += 1
    return (run.start, run.end) if run.shouting() else None


class _Run:
    """A run of capitalised words being read."""

    __slots__ = ("end", "function_word", "polite", "start", "words")

    def __init__(self) -> None:
        self.start = self.end = -1
        self.words = 0
        self.function_word = False
        self.polite = False

    def shouting(self) -> bool:
        """Enough real words (with a function word, or one more word), and not an apology or thanks."""
        enough = self.words >= _SHOUT_WORDS and (self.function_word or self.words > _SHOUT_WORDS)
        return enough and not self.polite


def _mocking_emoji(text: str, book: PhraseBook) -> bool:
    """The text may hold an emoji of ``words.mocking_emoji``: it holds a first character of one."""
    if text.isascii():
        return False
    return not _emoji_firsts(book.words.get("mocking_emoji", frozenset())).isdisjoint(text)


@cache
def _emoji_firsts(names: frozenset[str]) -> frozenset[str]:
    """First characters of the emoji named in ``names`` (a prefilter). A set test on the text's
    characters takes half the time of a regex character class of these (astral) characters."""
    import emoji

    return frozenset(
        found[0] for found, data in emoji.EMOJI_DATA.items() if _SKIN_TONE.sub("", data["en"]) in names
    )
