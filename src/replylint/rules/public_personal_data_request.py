from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from replylint.alternation import WordSearch, spread
from replylint.context import Context
from replylint.models import Applicability, Edit, Evidence, Finding, Fix, Severity
from replylint.phrases import Hit, PhraseBook, needles
from replylint.rule import Rule, bad, good
from replylint.text import SENTENCE_END

#: Kinds of personal data, in the order their patterns are tried at one position
#: (so "adresse mail" is an email before it is an address). Each is a list
#: ``kind_<kind>`` in the rule's data files and a ``kind_<kind>`` display template.
KINDS: tuple[str, ...] = (
    "email",
    "secret",
    "payment",
    "id_document",
    "serial",
    "username",
    "order",
    "account",
    "phone",
    "address",
    "birth_date",
    "name",
    "number",
)
#: Rank of each kind in ``KINDS``: when head words of different kinds find the same span
#: ("numéro de ligne": "numéro" reads it as an account number, "ligne" as a phone number),
#: the kind first in ``KINDS`` wins, as it would within one head's patterns.
_KIND_RANK: dict[str, int] = {kind: rank for rank, kind in enumerate(KINDS)}

#: What the finding's message calls each kind (messages are in English, like every rule's).
KIND_LABELS: dict[str, str] = {
    "email": "an email address",
    "secret": "a password, PIN or security code",
    "payment": "card or bank details",
    "id_document": "an ID document number",
    "serial": "a device serial number or IMEI",
    "username": "a username or channel URL",
    "order": "an order, booking or ticket number",
    "account": "an account or customer number",
    "phone": "a phone number",
    "address": "a postal address",
    "birth_date": "a date of birth",
    "name": "a full name",
    "number": "a personal number",
}

#: Most words allowed between a request verb and the data ("share a screenshot and your URL").
MAX_GAP_WORDS = 6
#: Most words allowed between a question word and the data ("what is your email?").
MAX_QUESTION_GAP_WORDS = 2
#: How far before the data a request verb is looked for (six short words and the verb),
#: and a question word (two words and "what's").
_TRIGGER_WINDOW = 72
_QUESTION_WINDOW = 32
_CLAUSE_END = re.compile(r"[.;!?]")
#: Most words of one non-data item in a list the request governs ("a photo of the box, your…").
MAX_ITEM_WORDS = 5
#: A bracketed aside, left out when reading a list ("your player ID (in Settings) and…").
_ASIDE = re.compile(r"\([^()]*\)")
_URL_HINT = re.compile(r"https?://|www\.")


class _Kinds:
    """The lists of one phrase book, compiled for this rule's matching.

    Each head word maps to the kinds whose patterns contain it (``[words] heads_<kind>``).
    For one head, the ``kind_*`` patterns are grouped by the characters they can start with,
    so a match attempt at a word only tries the patterns that can start there (speed).
    """

    def __init__(self, book: PhraseBook) -> None:
        self.book = book
        self._by_start: dict[tuple[str, ...], dict[str, re.Pattern[str] | None]] = {}
        self._firsts: dict[str, frozenset[str] | None] = {}
        kinds_of_word: dict[str, list[str]] = {}
        for kind in KINDS:
            for word in book.words.get(f"heads_{kind}", frozenset()):
                kinds_of_word.setdefault(word, []).append(kind)
        self.kinds_of_word = {word: tuple(kinds) for word, kinds in kinds_of_word.items()}
        #: Words as ``str.split`` leaves them in a draft, with punctuation, -> bare head word.
        self.variants = {
            f"{prefix}{word}{suffix}": word
            for word in self.kinds_of_word
            for suffix in _SUFFIXES
            for prefix in ("", "(", '"')
        }
        self.variant_set = frozenset(self.variants)
        self._lists: tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]] | None = None
        self._patterns: dict[str, re.Pattern[str]] = {}
        self._word_searches: dict[str, WordSearch] = {}
        self._needles: dict[str, tuple[str, ...] | None] = {}
        self._monotone: dict[str, bool] = {}

    def pattern(self, name: str) -> re.Pattern[str]:
        """The regex of the list ``name``, for the checks that only need where it matches.

        Kept at hand: going through the book costs ~500 instructions more, a dozen times a request.
        """
        regex = self._patterns.get(name)
        if regex is None:
            regex = self._patterns[name] = self.book[name].regex
        return regex

    def word_search(self, name: str) -> WordSearch:
        """The list ``name``'s word search: the regex's matches (property-tested), found sooner
        in a sentence when the list's phrases start with common letters and its regex is then
        tried at every position (negation: 2.4-2.7 µs -> 1.3-1.4 over a request's sentence;
        before_blocker: 1.7-2.1 -> 1.2-1.4 over its window). Lists whose phrases start with
        rarer letters are searched faster by their regex, which skips ahead to them. Kept at
        hand, like ``pattern``."""
        search = self._word_searches.get(name)
        if search is None:
            search = self._word_searches[name] = self.book[name].word_search
        return search

    def absent(self, name: str, text: str, start: int, end: int) -> bool:
        """No match of the list ``name`` can lie in ``text[start:end]``: none of the strings one
        of which every match holds (``required_strings``) occurs there. ``False`` when unsure.

        Speed: a window scan of a small trigger list ("include", "type", "what"…) costs ~9,000
        instructions, searching its few words in the window a few thousand (``str`` searches;
        one alternation of them costs more), and most windows hold none of them.
        """
        if name in self._needles:
            required = self._needles[name]
        else:
            required = self._needles[name] = required_strings(self.book[name].phrases)
        return required is not None and not any(map(text[start:end].__contains__, required))

    def clear_before(self, name: str, text: str, start: int, end: int) -> bool:
        """No match of the list ``name`` in ``text[start:end']`` for any ``end' <= end`` at which a
        data item ends: ``False`` when there is one or when unsure.

        Speed: the negation scan before each item of a sentence ("your email address and phone
        number") reads nearly the same window again (~30,000 instructions each); one scan up to
        the last item answers for all of them when it finds nothing, which is the common case.
        Exact when the list's regex is ``endpos_monotone`` (items end before a non-word character).
        """
        monotone = self._monotone.get(name)
        if monotone is None:
            monotone = self._monotone[name] = endpos_monotone(self.pattern(name).pattern)
        return monotone and self.word_search(name).search(text, start, end) is None

    def lists(self) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
        """Regexes reading coordinated items (built on first use: only drafts with a
        data item the request does not reach directly need them).

        ``chain``: the whole gap from one item to the next ("), and the ", " & l'").
        ``tail``: a separator and determiners ending a gap (", your ", " et votre ").
        ``separator``: where the items of a gap split.
        """
        if self._lists is None:
            coord = "|".join(self.book["coordination"].phrases) or "(?!x)x"
            det = "|".join(self.book["determiner"].phrases) or "(?!x)x"
            joint = rf"(?:,\s*(?:(?:{coord})\s+)?|(?<!\w)(?:{coord})\s+)(?:(?:{det})(?:\s+|(?<=')))*"
            self._lists = (
                re.compile(rf"\s*{joint}"),
                re.compile(rf"{joint}$"),
                re.compile(rf",|(?<!\w)(?:{coord})(?!\w)"),
            )
        return self._lists

    def starts(self, kinds: tuple[str, ...]) -> dict[str, re.Pattern[str] | None]:
        """First character -> ``regex(kinds, first)``, filled as characters are met (one
        lookup per word start instead of hashing ``kinds`` again each time)."""
        table = self._by_start.get(kinds)
        if table is None:
            table = self._by_start[kinds] = {}
        return table

    def regex(self, kinds: tuple[str, ...], first: str) -> re.Pattern[str] | None:
        """One alternation of the patterns of ``kinds`` that can start with ``first``."""
        table = self.starts(kinds)
        if first in table:
            return table[first]
        branches = []
        for kind in kinds:
            phrases = [p for p in self.book[f"kind_{kind}"].phrases if self._can_start(p, first)]
            if phrases:
                branches.append(f"(?P<{kind}>{'|'.join(f'(?:{p})' for p in phrases)})")
        regex = re.compile(rf"(?<!\w)(?:{'|'.join(branches)})(?!\w)") if branches else None
        table[first] = regex
        return regex

    def _can_start(self, phrase: str, first: str) -> bool:
        if phrase not in self._firsts:
            self._firsts[phrase] = first_chars(phrase)
        chars = self._firsts[phrase]
        return chars is None or first in chars


_COMPILED: dict[int, _Kinds] = {}
_SUFFIXES = ("", "?", ".", ",", "!", ":", ";", ")", '"', "…", "?)", ".)")
#: How far before a head word a data pattern may start ("the last four digits of your card").
_LOOK_BACK_CHARS = 48
_LOOK_BACK_WORDS = 4


def _kinds_of(book: PhraseBook) -> _Kinds:
    kinds = _COMPILED.get(id(book))
    if kinds is None or kinds.book is not book:
        kinds = _Kinds(book)
        _COMPILED[id(book)] = kinds
    return kinds


@dataclass(slots=True)  # not frozen: see phrases.Hit
class _Request:
    start: int  # folded offsets
    end: int
    kinds: tuple[str, ...]
    trigger: Hit
    in_message: bool


class PublicPersonalDataRequest(Rule):
    """The reply asks the customer to post personal data in public.

    ## What it catches
    A public reply that asks for personal data in the open: email address, phone number,
    postal address, full name, date of birth, account / customer number, order / booking /
    ticket number, card or bank details, password / PIN / security code, ID document number,
    device serial number or IMEI, username or channel URL. Any wording counts: imperatives
    ("reply with your order number", "envoyez-nous votre adresse mail"), polite forms
    ("could you share", "merci de nous communiquer", "pouvez-vous nous indiquer"), informal
    verbs ("pop us your email", "faites-nous passer votre numéro"), verbs such as "type",
    "put", "mettez" when the sentence places the data here ("type it below", "en
    commentaire"), needs ("we'll need your account number") and questions ("what's your
    email?", "quel est votre numéro ?"). Every data item of a list the request governs counts
    ("send us a photo, your order number and your phone number", "votre e-mail (celui du
    compte) et votre numéro"), player IDs and file references ("référence de votre
    dossier") included. A request placed explicitly in the thread ("reply here with",
    "indiquez-nous ici") is caught even when the sentence first offers a phone line.

    It stays quiet when the same sentence sends the data privately (DM, MP, message privé,
    email, web form, phone call, a link), when the data goes into a page of the product ("pop
    your email in the box on the product page"), when the reply tells the customer *not* to share it
    ("without revealing your email", "ne partagez pas votre numéro ici"), when the channel
    is private, and when what is asked is not personal ("which device do you use?",
    "quel navigateur ?").

    ## Why it matters
    Everything in a public reply thread is readable by anyone, indexed and screenshotted.
    A customer who answers such a request publishes their contact details or account
    identifiers for fraudsters and harassers; the brand asked them to.

    ## How to fix
    Ask for the data privately: invite the customer to send it by DM (unsafe fix, in the
    draft's language). When the brand cannot receive DMs from this customer (it does not
    follow them and its DMs are closed) the advice points to email or the contact form
    instead. Passwords, PINs and security codes should never be asked for, even privately.
    """

    code = "RL101"
    name = "public-personal-data-request"
    default_severity = Severity.ERROR
    summary = "Asks the customer to post personal data (email, phone, order number…) publicly."
    languages = frozenset({"en", "fr"})
    examples = (
        bad("@james Sorry about that! Could you share your email address so we can check?"),
        bad("@james What's your order number? We'll look into it."),
        bad("@marie Merci de nous communiquer votre numéro de commande.", language="fr"),
        bad("@marie Bonjour, quel est votre numéro de téléphone ?", language="fr"),
        bad(
            "@james Send us a photo of the box, your order number and your phone number.",
            note="every item of the list counts",
        ),
        good("@james Could you DM us your email address? We'll check right away."),
        good("@james Without posting your account number, tell us what happened."),
        good("@james Which device do you use?"),
        good("@marie Envoyez-nous votre adresse mail en MP, on regarde ça.", language="fr"),
        good("@marie Ne partagez pas votre numéro ici, écrivez-nous en privé.", language="fr"),
        good(
            "@marie Quel est votre numéro de client ?",
            language="fr",
            channel="private",
            note="the channel is private",
        ),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.public:
            return
        folded = ctx.folded
        text = folded.text
        book = ctx.book(self.name)
        lists = _kinds_of(book)
        hits = _kind_hits(lists, text, 0)
        if not hits:
            return
        body = folded.to_folded(ctx.body_start)
        hits = [hit for hit in hits if hit[0] >= body]
        ends = [m.end() for m in SENTENCE_END.finditer(text, body)]
        by_sentence: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
        for hit in hits:
            by_sentence.setdefault(_sentence(ends, body, len(text), hit[0]), []).append(hit)
        draft_private: bool | None = None
        for (fs, fe), sentence_hits in by_sentence.items():
            request = _request(lists, text, fs, fe, sentence_hits)
            if request is None:
                continue
            # "call us on 0800…, or reply here with your account number": a route named before
            # a request placed in this thread ("here", "below", "en réponse") does not send the data
            routes_from = fs
            if request.start > fs and lists.pattern("public_marker").search(text, request.start, fe):
                routes_from = request.start
            if _sent_privately(lists, text, routes_from, fe):
                continue
            if request.in_message:
                if draft_private is None:
                    draft_private = _sent_privately(lists, text, body, len(text))
                if draft_private:
                    continue
            if fe < len(text):
                ns, ne = _sentence(ends, body, len(text), fe)
                if _sent_privately(lists, text, ns, ne) and lists.pattern("refers_back").search(text, ns, ne):
                    continue
            start, end = _trimmed(ctx, fs, fe)
            yield self._finding(ctx, book, request, start, end)

    def _finding(self, ctx: Context, book: PhraseBook, request: _Request, start: int, end: int) -> Finding:
        span_start, span_end = ctx.span(request.start, request.end)
        labels = [KIND_LABELS[k] for k in request.kinds]
        what = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
        return self.finding(
            ctx,
            span_start,
            span_end,
            f"Asks the customer for {what} in a public reply.",
            fix=_fix(ctx, book, request.kinds, start, end, span_start),
            evidence=_evidence(book.source, request.trigger.list_name, request.trigger.phrase, request.kinds),
        )


def _kind_hits(compiled: _Kinds, text: str, body: int) -> list[tuple[int, int, str]]:
    """Data kinds in ``text[body:]`` as (start, end, kind), in folded offsets.

    Speed: kind patterns are only tried around the head words of the data file, found by a
    set lookup on the draft's words; most drafts stop at that lookup.
    """
    raw = compiled.variant_set.intersection(text.replace("'", " ").split())
    if not raw:
        return []
    present = {compiled.variants[w] for w in raw}
    found: dict[tuple[int, int], str] = {}
    size = len(text)
    for word in present:
        kinds = compiled.kinds_of_word[word]
        # the word's occurrences that end a word (str.find: cheaper than a regex for one word)
        pos = text.find(word, body)
        while pos >= 0:
            end = pos + len(word)
            if end < size and (text[end].isalnum() or text[end] == "_"):  # ``(?!\w)``
                pos = text.find(word, pos + 1)
                continue
            start, pos = pos, text.find(word, end)
            if start and text[start - 1].isalnum():
                continue  # the end of a longer word
            match = _match_covering(compiled, kinds, text, max(body, start - _LOOK_BACK_CHARS), start, end)
            if match is not None:
                span, kind = (match.start(), match.end()), match.lastgroup or ""
                other = found.get(span)
                # the same span from another head word: the kind first in KINDS, whatever the
                # order the head words were looked at (a set's order varies with the hash seed)
                if other is None or _KIND_RANK.get(kind, len(KINDS)) < _KIND_RANK.get(other, len(KINDS)):
                    found[span] = kind
    if len(found) == 1:  # most drafts with data: nothing to sort or nest
        (((start, end), kind),) = found.items()
        return [(start, end, kind)]
    spans = sorted(found.items(), key=lambda item: (item[0][0], -item[0][1]))
    kept: list[tuple[int, int, str]] = []
    for (start, end), kind in spans:
        if kept and end <= kept[-1][1]:
            continue  # inside a longer match ("number" within "card number")
        kept.append((start, end, kind))
    return kept


def _match_covering(
    compiled: _Kinds, kinds: tuple[str, ...], text: str, low: int, pos: int, end: int
) -> re.Match[str] | None:
    """A kind match that starts at one of the few word starts before the head and covers it."""
    start = pos
    table = compiled.starts(kinds)
    for _ in range(_LOOK_BACK_WORDS):
        first = text[start]
        regex = table[first] if first in table else compiled.regex(kinds, first)
        if regex is not None:
            match = regex.match(text, start)
            if match is not None and match.end() >= end:
                return match
        if start <= low:
            break
        space = text.rfind(" ", low, start - 1)
        start = low if space < 0 else space + 1
        while start < pos and not text[start].isalnum():
            start += 1
    return None


def first_chars(fragment: str) -> frozenset[str] | None:
    """Characters a match of the regex ``fragment`` can start with; ``None`` when unsure.

    Reads the pattern with the standard library's regex parser; anything it does not
    understand (or a parser change) gives ``None``, which only costs speed, never a match.
    """
    try:
        from re import _parser  # type: ignore[attr-defined]

        return _first(list(_parser.parse(fragment)))
    except Exception:  # pragma: no cover - depends on the Python version
        return None


def _first(items: list[Any]) -> frozenset[str] | None:
    from re import _constants as sre  # type: ignore[attr-defined]

    for index, (op, av) in enumerate(items):
        rest = items[index + 1 :]
        if op is sre.LITERAL:
            return frozenset(chr(av))
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero width
        if op is sre.IN:
            chars: set[str] = set()
            for kind, value in av:
                if kind is sre.LITERAL:
                    chars.add(chr(value))
                elif kind is sre.RANGE and value[1] - value[0] < 128:
                    chars.update(chr(c) for c in range(value[0], value[1] + 1))
                else:
                    return None
            return frozenset(chars)
        if op is sre.BRANCH:
            return _union(_first(list(alternative) + rest) for alternative in av[1])
        if op is sre.SUBPATTERN:
            return _first(list(av[3]) + rest)
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            repeated = _first(list(av[2]) + rest)
            return repeated if av[0] > 0 else _union([repeated, _first(rest)])
        return None
    return None  # the pattern can match the empty string here: anything may follow


def endpos_monotone(pattern: str) -> bool:
    """Whether a match of ``pattern`` within ``text[:end]`` is also one within ``text[:later]``
    for every ``later > end``, when ``text[end]`` is not a word character; ``False`` when unsure.

    The matched characters are the same in both windows; what could tell them apart is a test of
    what lies at or past ``end``: ``$``, a lookahead that can read a non-word character (the one
    at ``end``), an atomic group or possessive repeat (which may commit to a longer match and
    fail). ``\\b`` and lookbehinds read only before ``end`` or give the same answer there.
    """
    try:
        from re import _parser  # type: ignore[attr-defined]

        return _monotone_items(list(_parser.parse(pattern)))
    except Exception:  # pragma: no cover - depends on the Python version
        return False


def _monotone_items(items: list[Any]) -> bool:
    from re import _constants as sre  # type: ignore[attr-defined]

    for op, av in items:
        nested = _nested(op, av)
        if nested is not None:
            if not all(_monotone_items(inner) for inner in nested):
                return False
        elif op in (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY, sre.GROUPREF):
            continue
        elif op is sre.AT:
            if av in (sre.AT_END, sre.AT_END_LINE, sre.AT_END_STRING):
                return False
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            direction, content = av
            if not (_monotone_items(list(content)) if direction < 0 else _word_only(list(content))):
                return False
        else:
            return False
    return True


def _word_only(items: list[Any]) -> bool:
    """Every character ``items`` can match is a word character (``\\w``), and they test nothing
    else: such a lookahead cannot read past a non-word character."""
    from re import _constants as sre  # type: ignore[attr-defined]

    words = (sre.CATEGORY_WORD, sre.CATEGORY_UNI_WORD, sre.CATEGORY_DIGIT, sre.CATEGORY_UNI_DIGIT)
    for op, av in items:
        nested = _nested(op, av)
        if nested is not None:
            if not all(_word_only(inner) for inner in nested):
                return False
        elif op is sre.LITERAL:
            if not _word_char(chr(av)):
                return False
        elif op is sre.IN:
            for kind, value in av:
                if kind is sre.LITERAL:
                    word = _word_char(chr(value))
                elif kind is sre.RANGE:
                    low, high = value
                    word = high - low < 512 and all(_word_char(chr(c)) for c in range(low, high + 1))
                else:
                    word = kind is sre.CATEGORY and value in words
                if not word:
                    return False
        else:
            return False
    return True


def _nested(op: Any, av: Any) -> list[list[Any]] | None:
    """The item lists a grouping item holds (a group's, each branch's, a repeat's body), which
    both walks above look into alike; ``None`` for any other item."""
    from re import _constants as sre  # type: ignore[attr-defined]

    if op is sre.SUBPATTERN:
        return [list(av[3])]
    if op is sre.BRANCH:
        return [list(branch) for branch in av[1]]
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        return [list(av[2])]
    return None


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


#: Most strings ``required_strings`` returns: past that, searching them costs about what the
#: list's regex does.
_MAX_NEEDLES = 8
#: Shortest string kept: a shorter one ("a", "en") is in nearly every draft.
_MIN_NEEDLE = 3


def required_strings(phrases: Iterable[str]) -> tuple[str, ...] | None:
    """Strings one of which every match of a list of ``phrases`` contains; ``None`` when some
    form has no long enough literal part or there would be too many to be worth searching.

    Each form (``spread``) yields its longest run of literal characters matched one after the
    other, outside any group, repeat or alternative: every match of the form holds it as is.
    """
    literals: list[str] = []
    for phrase in phrases:
        for form in spread(phrase):
            literal = _longest_literal(form)
            if literal is None or len(literal) < _MIN_NEEDLE:
                return None
            literals.append(literal)
    # a literal holding another is found whenever that one is: only the shorter is searched
    kept = needles(literals)
    return kept if 0 < len(kept) <= _MAX_NEEDLES else None


def _longest_literal(fragment: str) -> str | None:
    """The longest run of top-level literal characters of the regex ``fragment``."""
    try:
        from re import _constants as sre  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(fragment)
    except Exception:  # pragma: no cover - depends on the Python version
        return None
    if parsed.state.flags & (re.IGNORECASE | re.LOCALE):
        return None  # the literal's case would not be the text's
    best = run = ""
    for op, av in parsed.data:
        if op is sre.LITERAL:
            run += chr(av)
            if len(run) > len(best):
                best = run
        else:
            run = ""
    return best or None


def _union(parts: Iterable[frozenset[str] | None]) -> frozenset[str] | None:
    chars: set[str] = set()
    for part in parts:
        if part is None:
            return None
        chars |= part
    return frozenset(chars)


def _sentence(ends: list[int], body: int, size: int, pos: int) -> tuple[int, int]:
    """Folded span of the sentence holding ``pos`` (sentence ends as ``ctx.sentences`` finds them)."""
    index = bisect_right(ends, pos)
    start = ends[index - 1] if index else body
    end = ends[index] if index < len(ends) else size
    return start, end


def _trimmed(ctx: Context, fs: int, fe: int) -> tuple[int, int]:
    start, end = ctx.span(fs, fe)
    text = ctx.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _request(lists: _Kinds, text: str, fs: int, fe: int, hits: list[tuple[int, int, str]]) -> _Request | None:
    """The request of one sentence: a trigger and the data kinds it asks for, or ``None``."""
    book = lists.book
    asked: list[str] = []
    first: Hit | None = None
    start = end = -1
    in_message = True
    last: tuple[int, _Trigger] | None = None  # end of the last asked item, its trigger
    clear: bool | None = None  # no negation before any item (one scan up to the last item's end)
    for ks, ke, kind in hits:
        # "your email and your phone number": the same request as the item before
        same = last[1] if last is not None and _coordinated(lists, text, last[0], ks, ke, fe) else None
        if same is not None and not in_message:
            # Speed: which trigger governs the item changes nothing then (the request has its
            # first trigger and is not one to put in a message): the trigger scans are skipped
            trigger: _Trigger | None = same
        else:
            trigger = (
                _trigger_for(lists, text, fs, fe, ks, ke, _triggers(lists, text, fs, fe, ks, ke)) or same
            )
        if trigger is None:
            after = book["after_request"].search(text, ke, min(fe, ke + 40))
            if after is None or after.start - ke > 3:
                continue
            trigger = (ks, after.end, after.list_name, Hit(ks, after.end, after.phrase, after.list_name))
        if _acted_on(lists, text, ke, fe):
            continue
        if clear is None:
            clear = lists.clear_before("negation", text, fs, hits[-1][1])
        if not clear and lists.word_search("negation").search(text, fs, ke) is not None:
            continue
        last = (ke, trigger)
        hit_start, hit_end, list_name, hit = trigger
        if first is None:
            # the trigger was found in this item's window: the same search names its phrase
            first = hit or book[list_name].search(text, hit_start, ks)
            start = min(hit_start, ks)
        end = max(end, ke, hit_end)
        in_message = in_message and list_name == "ask_in_message"
        if kind not in asked:
            asked.append(kind)
    if first is None:
        return None
    return _Request(start, end, tuple(asked), first, in_message)


#: A trigger: where it matches, its list, and the ``Hit`` when already built (else built from those).
_Trigger = tuple[int, int, str, Hit | None]


def _triggers(
    lists: _Kinds, text: str, fs: int, fe: int, ks: int, ke: int
) -> list[tuple[int, int, str, int]]:
    """Where the trigger lists match before the data hit ``[ks, ke)``: (start, end, list, most
    words between)."""
    low = max(fs, ks - _TRIGGER_WINDOW)
    near = max(fs, ks - _QUESTION_WINDOW)
    triggers = [
        (m.start(), m.end(), "ask", MAX_GAP_WORDS) for m in lists.pattern("ask").finditer(text, low, ks)
    ]
    # the lists of a few words are scanned only when one of their words is in the window
    if not lists.absent("ask_in_message", text, low, ks):
        triggers += [
            (m.start(), m.end(), "ask_in_message", MAX_GAP_WORDS)
            for m in lists.pattern("ask_in_message").finditer(text, low, ks)
        ]
    if not lists.absent("ask_public", text, low, ks):
        triggers += [
            (m.start(), m.end(), "ask_public", MAX_GAP_WORDS)
            for m in lists.pattern("ask_public").finditer(text, low, ks)
        ]
    # With no "?" after the data, _trigger_for keeps a question word only at the sentence
    # start, so the scan is skipped when its window starts later (a gain within the bench's noise)
    if (near == fs or text.find("?", ke, fe) >= 0) and not lists.absent("question", text, near, ks):
        questions = lists.pattern("question").finditer(text, near, ks)
        triggers += [(m.start(), m.end(), "question", MAX_QUESTION_GAP_WORDS) for m in questions]
    return triggers


def _trigger_for(
    lists: _Kinds,
    text: str,
    fs: int,
    fe: int,
    ks: int,
    ke: int,
    triggers: list[tuple[int, int, str, int]],
) -> _Trigger | None:
    """The closest trigger before the data hit ``[ks, ke)`` that governs it."""
    best: _Trigger | None = None
    for hit_start, hit_end, list_name, max_gap in triggers:
        if hit_end > ks:
            continue
        gap = text[hit_end:ks]
        if len(gap.split()) > max_gap or _CLAUSE_END.search(gap):
            listed = None if list_name == "question" else _listed(lists, text, gap, ke, fe, max_gap)
            if listed is None:
                continue
            gap = listed
        elif "," in gap and _starts_clause(lists, text, ke, fe):
            continue  # "share a screenshot, your email is hidden": a new clause
        if lists.pattern("gap_blocker").search(gap) or _done_by_brand(lists, text, fs, hit_start):
            continue
        if list_name == "ask_public" and lists.pattern("public_marker").search(text, hit_end, fe) is None:
            continue
        if list_name == "question" and hit_start != fs and "?" not in text[ke:fe]:
            continue
        if best is None or hit_start > best[0]:
            best = (hit_start, hit_end, list_name, None)
    return best


def _listed(lists: _Kinds, text: str, gap: str, ke: int, fe: int, max_gap: int) -> str | None:
    """The gap without its asides when the data ends a list the request governs: "send us a
    photo of the box, your order number" (the first item within ``max_gap`` words of the verb,
    the others short); ``None`` otherwise."""
    _, tail, separator = lists.lists()
    gap = _without_asides(gap)
    joint = tail.search(gap)
    if joint is None or _CLAUSE_END.search(gap):
        return None
    items = separator.split(gap[: joint.start()])
    if len(items[0].split()) > max_gap or any(len(item.split()) > MAX_ITEM_WORDS for item in items[1:]):
        return None
    return None if _starts_clause(lists, text, ke, fe) else gap


def _coordinated(lists: _Kinds, text: str, previous_end: int, ks: int, ke: int, fe: int) -> bool:
    """The data is joined to the item asked just before ("your email and your phone number",
    "la référence (6 lettres) et l'adresse mail")."""
    chain = lists.lists()[0]
    gap = _without_asides(text[previous_end:ks])
    return chain.fullmatch(gap) is not None and not _starts_clause(lists, text, ke, fe)


def _without_asides(gap: str) -> str:
    """``gap`` with its bracketed asides blanked; most gaps hold none, and a regex call costs
    ~2,000 instructions however short the text."""
    return _ASIDE.sub(" ", gap) if "(" in gap else gap


def _starts_clause(lists: _Kinds, text: str, ke: int, fe: int) -> bool:
    """A verb right after the item: a new clause begins ("…, your order number is on it")."""
    hit = lists.pattern("starts_clause").search(text, ke, min(fe, ke + 12))
    return hit is not None and hit.start() - ke <= 1


def _done_by_brand(lists: _Kinds, text: str, fs: int, start: int) -> bool:
    """Words right before the verb make the brand its subject, or the action past
    ("we'll send the PIN", "thanks for sharing", "nous allons vous envoyer")."""
    spans = list(lists.word_search("before_blocker").finditer(text, max(fs, start - 30), start))
    return bool(spans) and start - spans[-1][1] <= 1


def _acted_on(lists: _Kinds, text: str, ke: int, fe: int) -> bool:
    """The words right after the data describe an action in the product, not sharing it."""
    hit = lists.pattern("after_blocker").search(text, ke, min(fe, ke + 40))
    return hit is not None and hit.start() - ke <= 2


def _sent_privately(lists: _Kinds, text: str, start: int, end: int) -> bool:
    """``text[start:end]`` names a private route (DM, email, form, call, link)."""
    # what every _URL_HINT match holds: two str.find cost ~4,000 instructions, the regex ~6,000
    if text.find("www.", start, end) >= 0 or (
        text.find("://", start, end) >= 0 and _URL_HINT.search(text, start, end) is not None
    ):
        return True
    ruled_out: list[tuple[int, int]] | None = None  # only looked for once a route is named
    # the list's word search: its regex, whose phrases open with lookbehinds and optional words,
    # is tried at every position of the sentence (~460 instructions a character)
    for hit_start, _ in lists.book["private"].word_search.finditer(text, start, end):
        if ruled_out is None:
            ruled_out = [h.span() for h in lists.pattern("not_private").finditer(text, start, end)]
        if not any(s <= hit_start < e for s, e in ruled_out):
            return True
    return False


def _fix(
    ctx: Context, book: PhraseBook, kinds: tuple[str, ...], start: int, end: int, request_start: int
) -> Fix:
    never_secret, no_dm, replacement = _advice(book, kinds)
    if never_secret is not None:
        return never_secret
    brand = ctx.draft.brand
    if brand is not None and brand.follows_customer is False and brand.open_dms is False:
        return no_dm
    start, replacement = _keep_greeting(ctx.text, start, request_start, replacement)
    return Fix(
        applicability=Applicability.UNSAFE,
        description="Ask for it by private message instead.",
        edits=[Edit(start=start, end=end, replacement=replacement)],
    )


@lru_cache(maxsize=512)
def _advice(book: PhraseBook, kinds: tuple[str, ...]) -> tuple[Fix | None, Fix, str]:
    """What the fix says when ``kinds`` are asked, in the book's language: the manual fix when a
    secret is (``None`` if not), the manual fix when the customer cannot DM the brand, and the
    sentence asking for them by DM. Built once per kinds: a Fix is frozen, findings share it."""
    names = [book.template(f"kind_{k}") for k in kinds]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {book.template('and')} " + names[-1]
    never_secret = None
    if "secret" in kinds:
        never_secret = Fix(
            applicability=Applicability.MANUAL,
            description="Never ask for passwords, PINs or security codes, even privately; point to the "
            f"secure reset flow instead. For example: “{book.template('dm_never_secret', kinds=joined)}”",
        )
    no_dm = Fix(
        applicability=Applicability.MANUAL,
        description="The customer cannot DM the brand: ask for it by email or the contact form. "
        f"For example: “{book.template('private', kinds=joined)}”",
    )
    return never_secret, no_dm, book.template("dm", kinds=joined)


@lru_cache(maxsize=1024)
def _evidence(source: str, list_name: str, phrase: str, kinds: tuple[str, ...]) -> Evidence:
    """A finding's evidence: the same few triggers and kinds come back again and again, and an
    Evidence is frozen, so findings share it."""
    return Evidence(source=f"{source}:{list_name}", pattern=phrase, detail="kinds: " + ", ".join(kinds))


def _keep_greeting(text: str, start: int, request_start: int, replacement: str) -> tuple[int, str]:
    """Keep a short lead-in such as "Hi Sam, " or "Bonjour, " before the rewritten sentence."""
    comma = text.rfind(", ", start, request_start)
    if comma < 0 or len(text[start:comma].split()) > 4:
        return start, replacement
    return comma + 2, replacement[:1].lower() + replacement[1:]
