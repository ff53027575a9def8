from __future__ import annotations

import re
import weakref
from bisect import bisect_right
from collections.abc import Iterator
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import NamedTuple

from replylint.alternation import WordSearch, bounded_alternation, letter_forms, spread
from replylint.context import Context
from replylint.models import Applicability, Evidence, Finding, Fix, Severity
from replylint.phrases import PhraseBook, build_book
from replylint.rule import Rule, bad, good
from replylint.text import fold, token_end, url_hint

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
#: The cancelling lists searched in windows of the draft, in the order of ``_Gate``'s attributes
#: named after them (see ``_Gate.cancelling``).
_WINDOWED = ("dm", "fallback", "weak_fallback", "alternative", "helping", "resolution")


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
        # One search for every redirect list first: most drafts (83 % of the bench's) stop here.
        first = gate.first_redirect(text)  # the union's leftmost match: no list matches before it
        if first < 0:
            return
        scan = _Scan(ctx, gate, masked, first)
        # Kinds are visited strongest first, so the first redirect kept is the finding's.
        kinds: list[str] = []
        best: _Redirect | None = None
        for kind in KINDS:
            redirect = scan.kept(kind)
            if redirect is not None:
                kinds.append(kind)
                best = best or redirect
        if best is None:
            return
        start, end = ctx.span(masked.to_folded(best.start), masked.to_folded(best.end))
        message, fix, evidence = _report(book, best.list_name, _phrase(book, text, best), tuple(kinds))
        yield self.finding(ctx, start, end, message, fix=fix, evidence=evidence)


class _Redirect(NamedTuple):
    """A match of a redirect list, in masked offsets (the phrase is named only for the finding)."""

    start: int
    end: int
    list_name: str


_NO_REDIRECTS: list[_Redirect] = []
_START = attrgetter("start")
_FIRST = itemgetter(0)


def _phrase(book: PhraseBook, text: str, redirect: _Redirect) -> str:
    """The phrase of ``redirect``'s list that matched: the list matches alike where the gate's
    regex did, and names its phrase (a search that starts there finds this match first)."""
    hit = book[redirect.list_name].search(text, redirect.start)
    return redirect.list_name if hit is None else hit.phrase  # never None: see above


@lru_cache(maxsize=1024)  # bounded: list, phrase and kinds found come from the data (or config)
def _report(
    book: PhraseBook, list_name: str, phrase: str, kinds: tuple[str, ...]
) -> tuple[str, Fix, Evidence]:
    """Message, fix and evidence of a finding, shared by the findings that give the same
    (nothing changes a Fix or an Evidence in place)."""
    kind = kinds[0].replace("_", "-")
    example = book.templates.get(kinds[0], "")
    advice = "Own the issue here; keep other channels as a fallback."
    if example:
        wording = book.templates.get("advice", advice + " For example: “{example}”")
        advice = wording.format(example=example)
    return (
        f"Deflection ({kind}): the draft sends the customer elsewhere instead of handling it here.",
        Fix(applicability=Applicability.MANUAL, description=advice),
        Evidence(
            source=f"{book.source}:{list_name}",
            pattern=phrase,
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
#: The rest of a word, as ``_WORD_KEY`` reads words.
_WORD_RUN = re.compile(r"[\w']*")


def _kind(list_name: str) -> str:
    """``other_channel_phone`` -> ``other_channel``."""
    for kind in KINDS:
        if list_name.startswith(kind):
            return kind
    return list_name


class _Gate:
    """The redirect lists of one phrase book (named after a kind), the anchors gating each, and
    the lists that may cancel a redirect.

    Anchors come from ``[words] <list>``: compared on their first 6 letters, shorter ones as whole
    words. A list without anchors, or with phrases added through config, is always scanned.
    """

    def __init__(self, book: PhraseBook) -> None:
        # no reference to the book itself: a gate is dropped with its book
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
        self.keys: frozenset[str] = frozenset().union(*self.anchors.values())
        #: per kind, the anchors of all its lists; ``None`` when one of them is always scanned
        self.kind_keys: dict[str, frozenset[str] | None] = {}
        for name in self.redirects:
            kind, anchors = _kind(name), self.anchors.get(name)
            known = self.kind_keys.get(kind, frozenset())
            self.kind_keys[kind] = None if anchors is None or known is None else known | anchors
        phrases = {name: book[name].phrases for name in self.redirects}
        forms = {name: [form for p in phrases[name] for form in letter_forms(p)] for name in self.redirects}
        #: the alternation scanned for each list: the list's own, or the one of its forms spread by
        #: ``letter_forms`` where that differs (the same matches, faster)
        self.regexes: dict[str, re.Pattern[str]] = {}
        for name in self.redirects:
            if forms[name] != [form for p in phrases[name] for form in spread(p)]:
                self.regexes[name] = re.compile(bounded_alternation(forms[name]))
            else:
                self.regexes[name] = book[name].regex
        #: what ``find`` scans, in the order of ``redirects``: (list, kind, regex, anchors), with
        #: no anchors for a list that is always scanned
        self.scans = [
            (name, _kind(name), self.regexes[name], self.anchors.get(name)) for name in self.redirects
        ]
        # One alternation of every redirect phrase: when it finds nothing, no list can match (a
        # superset test; compiling per combination of lists thrashed).
        self._union = WordSearch(
            [form for name in self.redirects for p in phrases[name] for form in letter_forms(p, True)]
        )
        self.any_redirect = self._union.regex
        # Per kind, the forms of its lists in one alternation, in the order of ``redirects``, each
        # closing a group named after its list (its tag): the leftmost match is the kind's first
        # redirect, and its last group names the list (the first that matches there).
        self._tags: dict[str, str] = {}
        self._kinds: dict[str, WordSearch] = {}
        for kind in KINDS:
            tagged = []
            for name in self.redirects:
                if _kind(name) == kind:
                    for form in forms[name]:
                        tag = f"_list{len(self._tags)}"  # a name no phrase uses
                        self._tags[tag] = name
                        tagged.append(f"{form}(?P<{tag}>)")
            if tagged:
                self._kinds[kind] = WordSearch(tagged)
        # The lists that may cancel a redirect: only whether (and where) they match is asked.
        self.agent_action = book["agent_action"].regex
        windowed = {name: [form for p in book[name].phrases for form in spread(p)] for name in _WINDOWED}
        self.dm, self.fallback, self.weak_fallback, self.alternative, self.helping, self.resolution = (
            WordSearch(windowed[name]) for name in _WINDOWED
        )
        self.contact_question = WordSearch(
            [form for p in book["contact_question"].phrases for form in spread(p)]
        )
        # The lists of _WINDOWED are searched in windows of the draft, up to ten times on a draft
        # that redirects (agent_action's phrases end at the redirect with "$", and
        # contact_question reads the customer's message: neither is among them). A window's end
        # may cut a word short, where ``(?!\w)`` then holds: their phrases as word starts,
        # searched in the whole draft, find something whenever one of those searches would. A
        # form that looks past its end (a phrase added through config may) voids that: then the
        # book has no such search.
        cancelling = [form for forms in windowed.values() for form in forms]
        self.cancelling: WordSearch | None = (
            None if any(_LOOKS_AHEAD.search(form) for form in cancelling) else WordSearch(cancelling, False)
        )

    def first_redirect(self, text: str) -> int:
        """``any_redirect.search(text).start()``, or -1 when it finds nothing."""
        found = self._union.search(text)
        return -1 if found is None else found[0]

    def first_of_kind(self, kind: str, text: str, pos: int) -> _Redirect | None:
        """The first redirect of ``kind`` from ``pos`` on: the leftmost match of the kind's lists,
        of the first list (in the order of ``redirects``) that matches there."""
        search = self._kinds.get(kind)
        found = None if search is None else search.search(text, pos)
        if found is None:
            return None
        start, match = found
        return _Redirect(start, match.end(), self._tags[match.lastgroup or ""])

    def scanned(self, redirect: _Redirect, text: str) -> bool:
        """Whether ``find`` scans the list of ``redirect``: it always does, or one of the list's
        anchors is the key of a word the match runs over (a key of the text). A match may run
        over none (a phrase should hold one, see [words]): then only ``find`` can tell."""
        anchors = self.anchors.get(redirect.list_name)
        if anchors is None:
            return True
        # from the last space, so that an elided word is read whole ("d'appeler"), to the end of
        # the last word, so that its key is not cut short
        begin = text.rfind(" ", 0, redirect.start) + 1
        stop = _WORD_RUN.match(text, redirect.end).end()  # type: ignore[union-attr]  # always matches
        return not anchors.isdisjoint(_WORD_KEY.findall(text, begin, stop))

    def text_keys(self, text: str) -> frozenset[str]:
        """The anchors that are keys of words of ``text``."""
        return self.keys.intersection(_WORD_KEY.findall(text))

    def find(self, text: str, first: int, body: int, found: frozenset[str]) -> dict[str, list[_Redirect]]:
        """Every redirect of ``text`` that starts in the body (at ``body`` or after), by kind, each
        kind's in text order (in the order of ``redirects`` when two start together).

        Each list is scanned from ``first``, the union's leftmost match (a match that starts in
        the @mentions may hide an overlapping one after it), and only when the text holds one
        of its anchors (``found``: ``text_keys``).
        """
        by_kind: dict[str, list[_Redirect]] = {}
        for name, kind, regex, anchors in self.scans:
            if anchors is not None and anchors.isdisjoint(found):
                continue
            for match in regex.finditer(text, first):
                if match.start() >= body:
                    by_kind.setdefault(kind, []).append(_Redirect(match.start(), match.end(), name))
        for redirects in by_kind.values():
            redirects.sort(key=_START)  # stable: lists keep their order on a tie
        return by_kind


#: Gates per phrase book, by the book's id: a weak-keyed dictionary's look-up built a weak
#: reference each draft. An entry is dropped with its book (books live as long as their linter),
#: so an id is not reused while its entry stands.
_GATES: dict[int, _Gate] = {}


def _gate(book: PhraseBook) -> _Gate:
    gate = _GATES.get(id(book))
    if gate is None:
        gate = _GATES[id(book)] = _Gate(book)
        weakref.finalize(book, _GATES.pop, id(book), None)
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
        hint = url_hint(folded)
        while hint is not None:
            start = max(folded.rfind(" ", pos, hint.start()), folded.rfind("\n", pos, hint.start())) + 1
            start = max(start, pos)
            end = token_end(folded, hint.start())
            while end > start and folded[end - 1] in ".,;:!?)\"'":
                end -= 1
            if end <= hint.start():
                hint = url_hint(folded, hint.end())
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
            hint = url_hint(folded, end)
        if parts:
            parts.append(folded[pos:])
            self.text = "".join(parts)
        else:
            self.text = folded

    @property
    def keeps_offsets(self) -> bool:
        """No URL was masked: the text and its offsets are the folded text's."""
        return not self._shifts

    def to_folded(self, index: int) -> int:
        i = bisect_right(self._masked_ends, index) - 1
        return index + self._shifts[i] if i >= 0 else index

    def to_masked(self, index: int) -> int:
        i = bisect_right(self._folded_ends, index) - 1
        if i < 0:
            return min(index, self._masked_ends[0]) if self._masked_ends else index
        return max(index - self._shifts[i], self._masked_ends[i])


class _Scan:
    """The redirects of one draft and the context that may cancel them, computed lazily."""

    def __init__(self, ctx: Context, gate: _Gate, masked: _Masked, first: int) -> None:
        self.ctx = ctx
        self.gate = gate
        self.masked = masked
        self.text = masked.text
        self.first = first
        self.body = masked.to_masked(ctx.folded.to_folded(ctx.body_start))
        self._redirects: dict[str, list[_Redirect]] | None = None
        self._keys: frozenset[str] | None = None
        self._bounds: list[tuple[int, int]] | None = None
        self._asked: bool | None = None
        self._resolution: bool | None = None
        self._helps: list[bool] | None = None
        self._quiet: bool | None = None

    def kept(self, kind: str) -> _Redirect | None:
        """The first redirect of ``kind`` that no context cancels, among the first _MAX_HITS.

        The kind's first redirect mostly decides: it takes one search of the kind's lists
        together. Only when a context cancels it (or it starts before the body, or ``find``
        might not scan its list) are all the redirects listed, a scan of each list.
        """
        anchors = self.gate.kind_keys.get(kind)
        if anchors is not None and anchors.isdisjoint(self.keys()):
            # no anchor of the kind's lists is a key of the draft: ``scanned`` would turn down
            # its first match (whose words are the draft's) and ``find`` skip all its lists
            return None
        leading = self.gate.first_of_kind(kind, self.text, self.first)
        if leading is None:
            return None
        if (
            leading.start >= self.body
            and self.gate.scanned(leading, self.text)
            and not self.cancels(leading, kind)
        ):
            return leading  # the first of the kind's redirects, and it is kept
        for redirect in self.redirects().get(kind, _NO_REDIRECTS)[:_MAX_HITS]:
            if not self.cancels(redirect, kind):
                return redirect
        return None

    def redirects(self) -> dict[str, list[_Redirect]]:
        """Every redirect of the draft that starts in the body, by kind (see ``_Gate.find``)."""
        if self._redirects is None:
            self._redirects = self.gate.find(self.text, self.first, self.body, self.keys())
        return self._redirects

    def keys(self) -> frozenset[str]:
        """The anchors of redirect lists that are keys of the draft's words."""
        if self._keys is None:
            self._keys = self.gate.text_keys(self.text)
        return self._keys

    def bounds(self) -> list[tuple[int, int]]:
        """The sentences, in masked offsets."""
        if self._bounds is None:
            ctx, masked = self.ctx, self.masked
            if masked.keeps_offsets and ctx.folded.keeps_offsets:
                bounds = ctx.sentences  # nothing to map (no URL masked, every character folds to one)
            else:
                fold, mask = ctx.folded.to_folded, masked.to_masked
                bounds = [(mask(fold(s)), mask(fold(e))) for s, e in ctx.sentences]
            self._bounds = bounds or [(0, len(self.text))]
        return self._bounds

    def cancels(self, redirect: _Redirect, kind: str) -> bool:
        gate, text = self.gate, self.text
        hit_start, hit_end = redirect.start, redirect.end
        if _agent_does_it(gate, text, hit_start):
            return True
        if kind not in _CANCELLABLE:
            return False
        if self.quiet():
            return self.asked_how_to_reach_us()  # what the searches below look for is nowhere
        if gate.dm.search(text, hit_start, hit_end + _DM_REACH) is not None:
            return True  # "contact us via DM": a DM offer, not a deflection
        if self.asked_how_to_reach_us():
            return True
        if kind == "other_channel" and self.resolution_path():
            return True
        index = self.sentence_of(hit_start)
        start, end = self.bounds()[index]
        # context is read within the sentence, and at most _CONTEXT characters around the hit
        start = max(start, hit_start - _CONTEXT)
        end = min(max(end, hit_end), hit_end + _CONTEXT)
        if gate.fallback.search(text, start, end) is not None:
            return True
        if redirect.list_name.endswith(_SOFT) and (
            self.helps_elsewhere(index) or gate.helping.search(text, start, hit_start) is not None
        ):
            return True  # a pointer to the help site or forum next to real help is a reference
        lead = self.lead_in(index)
        if lead is not None and gate.fallback.search(text, *lead) is not None:
            return True
        weak = (
            gate.weak_fallback.search(text, start, hit_start)
            or gate.weak_fallback.search(text, hit_end, end)
            or gate.alternative.search(text, start, hit_start)
            or (gate.weak_fallback.search(text, *lead) if lead is not None else None)
        )
        if weak is None:
            return False
        # a generic "if you need anything" / "you can also" is a fallback only when the draft helps too
        return (
            self.helps_elsewhere(index)
            or gate.helping.search(text, start, hit_start) is not None
            or _PLAIN_URL.search(text, start, hit_start) is not None
        )

    def sentence_of(self, pos: int) -> int:
        return max(bisect_right(self.bounds(), pos, key=_FIRST) - 1, 0)

    def lead_in(self, index: int) -> tuple[int, int] | None:
        """The previous sentence when it leads in: "If the steps don't help:", "More questions?"."""
        if index == 0:
            return None
        start, end = self.bounds()[index - 1]
        text = self.text
        if text.startswith("if", start) or text.count(" ", start, end) < 4:
            return max(start, end - _CONTEXT), end
        if text[end - 1] in "?:":
            return max(start, end - 32), end
        return None

    def asked_how_to_reach_us(self) -> bool:
        """The customer's message asks how to contact the brand: the contact details are the answer."""
        if self._asked is None:
            inbound = self.ctx.draft.inbound
            text = inbound.text if inbound is not None else None
            self._asked = bool(text) and _asks_how_to_reach_us(self.gate, text)
        return self._asked

    def quiet(self) -> bool:
        """No window of the draft holds a phrase of the lists that cancel a redirect, nor a link
        (``_Gate.cancelling``): one search instead of up to ten on a draft that redirects."""
        if self._quiet is None:
            search, text = self.gate.cancelling, self.text
            self._quiet = (
                search is not None and search.search(text) is None and _PLAIN_URL_START.search(text) is None
            )
        return self._quiet

    def resolution_path(self) -> bool:
        """The link is the resolution itself: an appeal, a dispute, a feature request or idea."""
        if self._resolution is None:
            self._resolution = self.gate.resolution.search(self.text) is not None
        return self._resolution

    def helps_elsewhere(self, index: int) -> bool:
        """Another sentence, itself no redirect, gives steps, an answer or a link."""
        if self._helps is None:
            helping, text = self.gate.helping, self.text
            redirecting = {
                self.sentence_of(r.start) for redirects in self.redirects().values() for r in redirects
            }
            self._helps = [
                i not in redirecting
                and (helping.search(text, s, e) is not None or _PLAIN_URL.search(text, s, e) is not None)
                for i, (s, e) in enumerate(self.bounds())
            ]
        return any(h for i, h in enumerate(self._helps) if i != index)


_PLAIN_URL = re.compile(r"(?<![a-z])url\b")
#: Where ``_PLAIN_URL`` could match in a window: the word start, whatever follows.
_PLAIN_URL_START = re.compile(r"(?<![a-z])url")
#: What in a regex tests the text after its match: a lookahead, ``\b``, ``\B``, ``\Z``, ``$``
#: (over-cautious: an escaped backslash before a "b" counts too).
_LOOKS_AHEAD = re.compile(r"\(\?[=!]|\\[bBZ]|\$")


def _agent_does_it(gate: _Gate, text: str, hit_start: int) -> bool:
    """ "we'll open a case", "I can contact the seller for you": the agent acts, nobody is sent away."""
    window = max(hit_start - 48, 0)
    for match in gate.agent_action.finditer(text, window, hit_start):  # noqa: SIM110 -- no generator here
        if match.end() >= hit_start - 1:
            return True
    return False


@lru_cache(maxsize=4096)
def _asks_how_to_reach_us(gate: _Gate, inbound: str) -> bool:
    """Per customer message, like missing-empathy's complaint signal: a helpdesk re-checks the
    draft as the agent edits it, and several drafts answer one message."""
    return gate.contact_question.search(fold(inbound).text) is not None
