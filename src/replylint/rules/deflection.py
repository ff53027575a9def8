from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import cache
from itertools import islice
from weakref import WeakKeyDictionary

from replylint.alternation import bounded_alternation, dispatch_alternation, optional_lead, spread
from replylint.context import Context
from replylint.models import Applicability, Evidence, Finding, Fix, Severity
from replylint.phrases import Hit, PhraseBook, PhraseList, build_book
from replylint.rule import Rule, bad, good
from replylint.text import URL_HINT, token_end

#: Redirect kinds, strongest first (the finding reports the strongest one in the draft).
KINDS = ("not_us", "third_party", "other_channel")
#: Kinds a fallback, an alternative, a contact question or a resolution path can cancel.
_CANCELLABLE = frozenset({"third_party", "other_channel"})
#: Hits of one kind looked at per draft, and context read around a hit (bounds the work on long input).
_MAX_HITS = 12
_CONTEXT = 300
#: How far after a redirect a DM mention makes it a DM offer ("reach out to us via DM").
_DM_REACH = 24
#: Redirect lists whose hits are only references (help site, FAQ, forum) when the draft helps too.
_SOFT = "_site"


class Deflection(Rule):
    """The draft sends the customer somewhere else instead of handling the issue here.

    ## What it catches
    Replies that hand the problem off rather than take it on, in three kinds:

    - `not-us` (the strongest): the account says the issue is not its job here — "we are
      not the customer service", "this account can't help with that", "we cannot assist with
      billing over social media", "ce compte n'est pas le SAV", "ceci relève de notre service
      client".
    - `other-channel`: "please submit a ticket", "send us an email at…", "call our hotline",
      "fill in the form", "visit our help site", "get in touch with our billing team",
      "contactez le service client au 09…", "remplissez le formulaire".
    - `third-party`: "reach out to the manufacturer", "contact the seller", "you'll need to
      contact your carrier", "rapprochez-vous de votre agence / de votre banque".

    Polite wording does not change it: "happy to look into it, please submit a ticket" still
    sends the customer away.

    The rule works sentence by sentence and leaves a redirect alone when its context shows
    the draft is helping: contact offered as a fallback after troubleshooting ("if that
    doesn't work, give us a call", "si le problème persiste, contactez-nous"), an extra
    option next to an answer ("you can also call us"), a reply to a customer who asked how
    to reach the brand (`inbound.text`), or a link that is the resolution itself (an appeal,
    a feature-request form). A DM offer is not a deflection (other rules look at DMs).

    ## Why it matters
    Customers write to a brand's account because they want the brand to act. Being sent to
    a form, a phone line or another company in public reads as "not my problem", and
    everyone following the thread sees it.

    ## How to fix
    Own the issue in the reply: acknowledge it, take the first step here, and keep any other
    channel as a fallback. The finding suggests a rewrite in the draft's language (manual
    fix). Phrases live in `rules/<lang>/deflection.toml`.
    """

    code = "RL203"
    name = "deflection"
    default_severity = Severity.WARNING
    summary = "Sends the customer to another channel, team or company instead of helping here."
    languages = frozenset({"en", "fr"})
    examples = (
        bad("@james Sorry about that! Please submit a support ticket and we will help: example.com/help"),
        bad("@james We are not the customer service, please call 0800 123 456."),
        bad("@james You'll need to contact the seller about this refund."),
        bad("@marie Ce compte n'est pas le SAV, merci de contacter le service client.", language="fr"),
        bad("@marie Rapprochez-vous de votre agence pour ce type de demande.", language="fr"),
        good(
            "@james Try restarting the app first. If that doesn't help, give us a call at 0800 123 456.",
            note="contact offered as a fallback after troubleshooting",
        ),
        good("@james Send us a DM with your order number and we'll sort it out.", note="a DM offer"),
        good(
            "@marie Videz le cache puis relancez l'appli. "
            "Si le problème persiste, contactez-nous au 09 69 32 15 15.",
            language="fr",
        ),
        good(
            "@james You can reach us by phone at 0800 123 456, 24/7.",
            inbound={"text": "How do I contact you by phone?"},
            note="answers how to reach the brand",
        ),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        book = ctx.book(self.name)
        masked = _Masked(ctx.folded.text)
        text = masked.text
        gate = _gate(book)
        # One scan for every redirect list first: most drafts (83 % of the bench's) stop here,
        # before the word keys are computed (they cost about as much as this scan).
        first = gate.first_redirect(text)  # the union's leftmost match: no list matches before it
        if first < 0:
            return
        found = gate.keys.intersection(_WORD_KEY.findall(text))
        lists = gate.always + [name for name in gate.names if not gate.anchors[name].isdisjoint(found)]
        hits = [hit for name in lists for hit in gate.finditer(book, name, text, first)]
        if hits:
            body = masked.to_masked(ctx.folded.to_folded(ctx.body_start))
            hits = [hit for hit in hits if hit.start >= body]
        if not hits:
            return
        scan = _Scan(ctx, book, masked, hits)
        kept: list[Hit] = []
        for kind in KINDS:  # the first kept hit of each kind is enough; a bounded number is looked at
            candidates = sorted((h for h in hits if _kind(h.list_name) == kind), key=lambda h: h.start)
            kept.extend(islice((h for h in candidates[:_MAX_HITS] if not scan.cancels(h)), 1))
        if not kept:
            return
        best = min(kept, key=lambda h: (KINDS.index(_kind(h.list_name)), h.start))
        kinds = sorted({_kind(h.list_name) for h in kept}, key=KINDS.index)
        kind = _kind(best.list_name).replace("_", "-")
        start, end = ctx.span(masked.to_folded(best.start), masked.to_folded(best.end))
        example = book.templates.get(_kind(best.list_name), "")
        advice = "Own the issue here; keep other channels as a fallback."
        if example:
            wording = book.templates.get("advice", advice + " For example: “{example}”")
            advice = wording.format(example=example)
        yield self.finding(
            ctx,
            start,
            end,
            f"Deflection ({kind}): the draft sends the customer elsewhere instead of handling it here.",
            fix=Fix(applicability=Applicability.MANUAL, description=advice),
            evidence=Evidence(
                source=f"{book.source}:{best.list_name}",
                pattern=best.phrase,
                detail=f"kind={kind}; kinds found: {', '.join(k.replace('_', '-') for k in kinds)}",
            ),
        )


#: Words in a URL that make it a contact or ticket form rather than an article. Matched on the
#: folded text, so case-sensitively: IGNORECASE cost ~10 µs on a reply with a link. The one folded
#: character IGNORECASE let match a letter here is the dotless ``ı`` (for ``i``), hence ``[iı]``.
_FORM_URL = re.compile(
    r"requests?/new|contact|t[i\u0131]cket|subm[i\u0131]t|/request|getsupport|/support\.html|get-help"
)

#: The first 6 characters of each word (the whole word when shorter): what anchors are compared to.
#: Apostrophes count as letters ("can't") except after a French elision ("d'appeler" -> "appele").
_KEY_SIZE = 6
_WORD_KEY = re.compile(r"(?<![\w'])(?:(?:qu|[a-z])'(?=\w))?([\w']{1,6})")


@cache  # list names come from the phrase data, a few dozen: ~18,000 instructions a draft (bench)
def _kind(list_name: str) -> str:
    """``other_channel_phone`` -> ``other_channel``."""
    for kind in KINDS:
        if list_name.startswith(kind):
            return kind
    return list_name


class _Gate:
    """The redirect lists of one phrase book (named after a kind) and the anchors gating each.

    Anchors come from ``[words] <list>``: compared on their first 6 letters, shorter ones as whole
    words. A list without anchors, or with phrases added through config, is always scanned.
    """

    def __init__(self, book: PhraseBook) -> None:
        # no reference to the book itself: gates are cached weakly by book
        self.anchors: dict[str, frozenset[str]] = {}
        self.always: list[str] = []
        bundled = build_book(book.rule, book.language)
        for name in book.list_names():
            if _kind(name) not in KINDS or not book[name]:
                continue
            words = book.words.get(name)
            # phrases added through config may lack the list's anchors: such a list is always scanned
            if words and book[name].phrases == bundled[name].phrases:
                self.anchors[name] = frozenset(word[:_KEY_SIZE] for word in words)
            else:
                self.always.append(name)
        self.names = list(self.anchors)
        self.redirects = [*self.always, *self.names]
        self._phrases = {name: book[name].phrases for name in self.redirects}
        self.keys: frozenset[str] = frozenset().union(*self.anchors.values())
        self._any: re.Pattern[str] | None = None
        self._after_space: tuple[re.Pattern[str], re.Pattern[str] | None] | None = None
        #: lists that ``_letter_forms`` spreads further than ``PhraseList`` does, compiled that way
        self._spread: dict[str, re.Pattern[str]] = {}
        for name in self.redirects:
            forms = [form for p in self._phrases[name] for form in _letter_forms(p)]
            if forms != [form for p in self._phrases[name] for form in spread(p)]:
                self._spread[name] = re.compile(bounded_alternation(forms))

    def finditer(self, book: PhraseBook, name: str, text: str, pos: int) -> Iterator[Hit]:
        """``book[name].finditer(text, pos)``, with the list spread by ``_letter_forms`` when that
        differs: the same matches, faster; the list names the phrase of each (a search at the hit)."""
        regex = self._spread.get(name)
        if regex is None:
            return book[name].finditer(text, pos)  # not wrapped in a generator of its own
        return _spread_hits(book[name], regex, text, pos)

    @property
    def any_redirect(self) -> re.Pattern[str]:
        """One alternation of every redirect phrase, compiled once: when it finds nothing, no
        gated list can match (a superset test; compiling per combination of lists thrashed)."""
        if self._any is None:
            forms = [
                form
                for name in self.redirects
                for p in self._phrases[name]
                for form in _letter_forms(p, True)
            ]
            self._any = re.compile(bounded_alternation(forms))
            # The same forms after one non-word character: where the union's lookbehind is tried
            # at every position, this pattern starts with a character class, so ``re`` skips ahead
            # to the white space and punctuation; with ``re.ASCII`` (the same matches on ASCII
            # text when no form uses \s or \S) each class test is a table look-up.
            after = r"\W" + dispatch_alternation(forms) + r"(?!\w)"
            plain = "\\s" not in after and "\\S" not in after
            self._after_space = (re.compile(after), re.compile(after, re.ASCII) if plain else None)
        return self._any

    def first_redirect(self, text: str) -> int:
        """``any_redirect.search(text).start()``, or -1 when it finds nothing: a match at 0, else
        one after a non-word character (on the bench drafts ~25 % fewer instructions for the scan)."""
        if self.any_redirect.match(text) is not None:
            return 0
        assert self._after_space is not None  # compiled with the union
        unicode, ascii_ = self._after_space
        match = (ascii_ if ascii_ is not None and text.isascii() else unicode).search(text)
        return -1 if match is None else match.start() + 1


def _spread_hits(phrases: PhraseList, regex: re.Pattern[str], text: str, pos: int) -> Iterator[Hit]:
    """The hits of ``phrases`` from the matches of its spread alternation ``regex``."""
    for match in regex.finditer(text, pos):
        hit = phrases.search(text, match.start())
        if hit is not None:  # always: both match alike, so the list's first match is this one
            yield hit


#: A lookbehind of plain characters leading a phrase ("(?<!how to )report …").
_LEAD_LOOKBEHIND = re.compile(r"\(\?<!([\w '-]*)\)")
#: A form that ``dispatch_alternation`` files under its first character.
_LETTER_LEAD = re.compile(r"[\w '-](?![?*+{])")


def _letter_forms(phrase: str, superset: bool = False) -> list[str]:
    """Forms whose alternation matches exactly like ``phrase`` (or, with ``superset``, at least
    where it does), each starting with a letter where possible.

    ``dispatch_alternation`` files forms under their first letters, so at a word start only the
    forms of that word's letters are tried. ``spread`` leaves alone a phrase that starts with an
    optional group or a lookbehind ("(?:please |you can )?(?:call|ring) …"), and such a form is
    tried at every word start: the eight of the English lists cost more than the 480 others
    together. Here an optional lead ``(?:a|b)?c`` is spread as ``ac``, ``bc``, ``c`` (the same
    matches, in the same order), and a lookbehind of plain characters moves past the first
    letter: ``(?<!how to )report`` as ``r(?<!how to r)eport``; with ``superset`` (the union) it
    is dropped, which lets the form be filed under more of its letters and only makes the union
    match a little more often (its leftmost match still comes at or before any list's).
    """
    forms = []
    for form in spread(phrase):
        behind = []
        while (lookbehind := _LEAD_LOOKBEHIND.match(form)) is not None:
            behind.append(lookbehind.group(1))
            form = form[lookbehind.end() :]
        lead = optional_lead(form)
        if lead is not None:
            expanded = _letter_forms(f"(?:{lead[0]}|){lead[1]}", superset)
        elif behind:
            expanded = _letter_forms(form, superset)
        else:
            forms.append(form)
            continue
        for rest in expanded:
            if not behind or superset:
                forms.append(rest)
            elif _LETTER_LEAD.match(rest):
                forms.append(rest[0] + "".join(f"(?<!{words}{rest[0]})" for words in behind) + rest[1:])
            else:
                forms.append("".join(f"(?<!{words})" for words in behind) + rest)
    return forms


#: Gates per phrase book, dropped with the book (books live as long as their linter).
_GATES: WeakKeyDictionary[PhraseBook, _Gate] = WeakKeyDictionary()


def _gate(book: PhraseBook) -> _Gate:
    gate = _GATES.get(book)
    if gate is None:
        gate = _GATES[book] = _Gate(book)
    return gate


class _Masked:
    """The folded text with each URL replaced by ``url``, ``formurl`` (a contact form) or ``emailaddr``.

    Phrases then never match inside a URL, context phrases see across it ("if trying <url>
    doesn't help"), and long links cost nothing to scan. Offsets map both ways.
    """

    __slots__ = ("_folded_ends", "_masked_ends", "_shifts", "text")

    def __init__(self, folded: str) -> None:
        self._masked_ends: list[int] = []
        self._folded_ends: list[int] = []
        self._shifts: list[int] = []
        parts: list[str] = []
        pos = 0
        length = 0
        shift = 0
        # Search on from the end of each URL rather than visit every hint inside it. A hint cannot
        # start in the punctuation stripped off a URL's end (":" needs "//", "." a top-level
        # domain), so these are the hints, at or after the previous URL, that finditer would give.
        hint = URL_HINT.search(folded)
        while hint is not None:
            start = max(folded.rfind(" ", pos, hint.start()), folded.rfind("\n", pos, hint.start())) + 1
            start = max(start, pos)
            end = token_end(folded, hint.start())
            while end > start and folded[end - 1] in ".,;:!?)\"'":
                end -= 1
            if end <= hint.start():
                hint = URL_HINT.search(folded, hint.end())
                continue
            if "@" in folded[start + 1 : end]:
                word = "emailaddr"
            elif _FORM_URL.search(folded, start, end):
                word = "formurl"
            else:
                word = "url"
            parts.append(folded[pos:start])
            parts.append(word)
            length += start - pos + len(word)
            shift += (end - start) - len(word)
            self._masked_ends.append(length)
            self._folded_ends.append(end)
            self._shifts.append(shift)
            pos = end
            hint = URL_HINT.search(folded, end)
        if parts:
            parts.append(folded[pos:])
            self.text = "".join(parts)
        else:
            self.text = folded

    def to_folded(self, index: int) -> int:
        i = bisect_right(self._masked_ends, index) - 1
        return index + self._shifts[i] if i >= 0 else index

    def to_masked(self, index: int) -> int:
        i = bisect_right(self._folded_ends, index) - 1
        if i < 0:
            return min(index, self._masked_ends[0]) if self._masked_ends else index
        return max(index - self._shifts[i], self._masked_ends[i])


class _Scan:
    """Context of one draft that may cancel a redirect, computed lazily."""

    def __init__(self, ctx: Context, book: PhraseBook, masked: _Masked, hits: list[Hit]) -> None:
        self.ctx = ctx
        self.book = book
        self.text = text = masked.text
        fold = ctx.folded.to_folded
        bounds = [(masked.to_masked(fold(s)), masked.to_masked(fold(e))) for s, e in ctx.sentences]
        self.bounds = bounds or [(0, len(text))]
        self.starts = [s for s, _ in self.bounds]
        #: sentences holding a redirect (every redirect phrase of the draft is in ``hits``)
        self.redirecting = {self.sentence_of(hit) for hit in hits}
        self._asked: bool | None = None
        self._resolution: bool | None = None
        self._helps: list[bool] | None = None

    def cancels(self, hit: Hit) -> bool:
        book, text = self.book, self.text
        if _agent_does_it(book, text, hit):
            return True
        if _kind(hit.list_name) not in _CANCELLABLE:
            return False
        if book["dm"].search(text, hit.start, min(hit.end + _DM_REACH, len(text))):
            return True  # "contact us via DM": a DM offer, not a deflection
        if self.asked_how_to_reach_us():
            return True
        if _kind(hit.list_name) == "other_channel" and self.resolution_path():
            return True
        index = self.sentence_of(hit)
        start, end = self.bounds[index]
        # context is read within the sentence, and at most _CONTEXT characters around the hit
        start = max(start, hit.start - _CONTEXT)
        end = min(max(end, hit.end), hit.end + _CONTEXT)
        if book["fallback"].search(text, start, end):
            return True
        if hit.list_name.endswith(_SOFT) and (
            self.helps_elsewhere(index) or book["helping"].search(text, start, hit.start) is not None
        ):
            return True  # a pointer to the help site or forum next to real help is a reference
        lead = self.lead_in(index)
        if lead is not None and book["fallback"].search(text, *lead):
            return True
        weak = (
            book["weak_fallback"].search(text, start, hit.start)
            or book["weak_fallback"].search(text, hit.end, end)
            or book["alternative"].search(text, start, hit.start)
            or (book["weak_fallback"].search(text, *lead) if lead is not None else None)
        )
        if weak is None:
            return False
        # a generic "if you need anything" / "you can also" is a fallback only when the draft helps too
        return (
            self.helps_elsewhere(index)
            or book["helping"].search(text, start, hit.start) is not None
            or _PLAIN_URL.search(text, start, hit.start) is not None
        )

    def sentence_of(self, hit: Hit) -> int:
        return max(bisect_right(self.starts, hit.start) - 1, 0)

    def lead_in(self, index: int) -> tuple[int, int] | None:
        """The previous sentence when it leads in: "If the steps don't help:", "More questions?"."""
        if index == 0:
            return None
        start, end = self.bounds[index - 1]
        text = self.text
        if text.startswith("if", start) or text.count(" ", start, end) < 4:
            return max(start, end - _CONTEXT), end
        if text[end - 1] in "?:":
            return max(start, end - 32), end
        return None

    def asked_how_to_reach_us(self) -> bool:
        """The customer's message asks how to contact the brand: the contact details are the answer."""
        if self._asked is None:
            inbound = self.ctx.inbound
            question = self.book["contact_question"]
            self._asked = inbound is not None and question.search(inbound.text) is not None
        return self._asked

    def resolution_path(self) -> bool:
        """The link is the resolution itself: an appeal, a dispute, a feature request or idea."""
        if self._resolution is None:
            self._resolution = self.book["resolution"].search(self.text) is not None
        return self._resolution

    def helps_elsewhere(self, index: int) -> bool:
        """Another sentence, itself no redirect, gives steps, an answer or a link."""
        if self._helps is None:
            helping, text = self.book["helping"], self.text
            self._helps = [
                i not in self.redirecting
                and (helping.search(text, s, e) is not None or _PLAIN_URL.search(text, s, e) is not None)
                for i, (s, e) in enumerate(self.bounds)
            ]
        return any(h for i, h in enumerate(self._helps) if i != index)


_PLAIN_URL = re.compile(r"(?<![a-z])url\b")


def _agent_does_it(book: PhraseBook, text: str, hit: Hit) -> bool:
    """ "we'll open a case", "I can contact the seller for you": the agent acts, nobody is sent away."""
    window = max(hit.start - 48, 0)
    return any(m.end >= hit.start - 1 for m in book["agent_action"].finditer(text, window, hit.start))
