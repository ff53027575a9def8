from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from pydantic import BaseModel, ConfigDict, Field
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.fr import nir as std_nir

from replylint.context import Context
from replylint.models import Applicability, Edit, Evidence, Finding, Fix, Severity
from replylint.phrases import PhraseBook
from replylint.rule import Rule, bad, good
from replylint.text import EMAIL, fold_char_map, outside_ascii, token_end

#: Eight digits with at most a few separators between them: no value with fewer is looked for.
#: (``_Digits`` reads this, ``_LONG_RUN``, ``_IBAN_GATE`` and ``_ADDRESS_GATE`` off the runs of
#: digits; the patterns stay as their definitions, property-tested against it.)
_DIGIT_RUN = re.compile(r"[0-9](?:[ .()/+-]{0,3}[0-9]){7}")
# Speed: ``re`` skips ahead to the candidates only when a pattern starts with one character
# (class); one that starts with a look-behind, a repeat or an optional part is tried at every
# position of the text, several times slower (~40,000 instructions over a tweet instead of
# ~10,000). So the patterns below start with one character and look behind it afterwards:
# ``\d(?<![\d-]\d)`` is ``(?<![\d-])\d``, ``[0-9][0-9]{3}`` is ``[0-9]{4}``.
_IBAN = re.compile(r"(?<![a-z0-9])[a-z]{2}\d{2}(?: ?[a-z0-9]{4}){2,7}(?: ?[a-z0-9]{1,4})?(?![a-z0-9])")
#: What every IBAN match holds: two letters and two digits. Letters are everywhere, digits are
#: rare: this finds the first candidate from its digits, and ``_IBAN`` starts two characters before.
_IBAN_GATE = re.compile(r"\d(?<=[a-z]{2}\d)\d")
_CARD = re.compile(r"\d(?<![\d-]\d)(?:[ -]?\d){12,18}(?![\d-])")
#: What every NIR and card match starts with: thirteen digits (or the letter of Corsica's
#: "2a"/"2b" in a NIR), one separator at most between two. Phone numbers have fewer digits:
#: for them both scans are skipped.
_LONG_RUN = re.compile(r"[0-9](?:[ -]?[0-9ab]){12}")
_NIR = re.compile(r"[12](?<!\d[12]) ?\d{2} ?\d{2} ?(?:\d{2}|2[ab]) ?\d{3} ?\d{3} ?\d{2}(?!\d)")
#: Phone formats accepted even when the number is not allocated (fictional 555 numbers…).
_PHONE_SHAPE = re.compile(
    r"^(?:\+\d|\(\d{3}\)\s?\d{3}[-.\s]\d{4}$|\d{3}[-.]\d{3}[-.]\d{4}$|0\d(?:[ .-]\d{2}){4}$)"
)
_BUSINESS_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
        phonenumbers.PhoneNumberType.SHARED_COST,
        phonenumbers.PhoneNumberType.UAN,
        phonenumbers.PhoneNumberType.VOICEMAIL,
    }
)
# Street addresses, matched on the original text (capitals tell a street name from prose).
_CAP = r"[A-Z\u00c0-\u00dd][\w'’-]*"
_FR_ADDRESS = re.compile(
    r"\d{1,4}(?:\s?(?:bis|ter|[A-Ca-c]))?,?\s"
    r"(?:[Rr]ue|[Aa]venue|[Aa]v\.|[Bb]oulevard|[Bb]d|[Pp]lace|[Aa]ll[ée]e|[Ii]mpasse|[Cc]hemin|[Rr]oute"
    r"|[Qq]uai|[Cc]ours|[Ss]quare|[Pp]assage|[Vv]oie|[Rr][ée]sidence|[Ff]aubourg|[Pp]romenade|[Hh]ameau)"
    r"\s(?:(?:de\sla|de\sl['’]|du|des|de|d['’])\s?)?" + _CAP + r"(?:[\s-]" + _CAP + r"){0,3}"
    r"(?:,?\s\d{5}(?:\s" + _CAP + r")?)?"
)
_EN_ADDRESS = re.compile(
    r"\d{1,5}[A-Za-z]?\s(?:" + _CAP + r"\s){1,3}"
    r"(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|Ln\.?|Drive|Dr\.?|Court|Ct\.?"
    r"|Place|Pl\.?|Way|Terrace|Close|Crescent|Parkway|Highway|Square)(?![\w])"
    r"(?:,?\s(?:Apt|Apartment|Suite|Unit|Flat|#)\.?\s?\w{1,5})?"
    r"(?:,?\s"
    + _CAP
    + r"(?:\s"
    + _CAP
    + r")?,?\s(?:[A-Z]{2}\s\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}))?"
)
#: A run of digits long enough to be a phone number, with its "+" or "(" if any
#: (``[+(]?[0-9]`` written to start with one character class, see above).
_PHONE_CANDIDATE = re.compile(r"[+(0-9](?:(?<=[+(])[0-9]|(?<=[0-9]))(?:[ .()/+-]{0,3}[0-9]){7,19}\)?")
#: North American toll-free (1-800…) and French free / shared-cost (08…) numbers, as digits.
_BUSINESS_PREFIX = re.compile(r"1?8(?:00|33|44|55|66|77|88)[0-9]{7}$|(?:0|0033|33)8[0-9]{8}$")
#: French and North American numbers have ten digits: shorter runs are not read as phones.
_PHONE_MIN_DIGITS = 10
#: A run of digits this short holds one phone number at most (two need twenty digits).
_ONE_NUMBER_MAX_DIGITS = 15
_AMOUNT_MARKS = frozenset("$€£¥%")
_FOUR_DIGITS = re.compile(r"[0-9][0-9]{3}")
_ANY_DIGIT = re.compile(r"[0-9]")
#: Where a street address may start: a number, then a word (checked on the original text).
_ADDRESS_GATE = re.compile(r"[0-9][0-9]{0,4}[a-z]?(?:\s?(?:bis|ter))?,?\s[^\W\d_]")
#: Starts of URLs, @mentions and hashtags (digits there are not personal data).
_LINK_START = re.compile(r"[hw@#](?:(?<=h)ttps?://|(?<=w)ww\.|(?<=[@#])[^\W\d]|(?<=@)\d)")
#: What separates the digits of a phone candidate (``_PHONE_CANDIDATE`` holds nothing else).
_SEPARATOR_BYTES = b" .()/+-"
#: The rest of a token of letters, digits and hyphens (``[^\W_]`` is ``str.isalnum``).
_TOKEN_TAIL = re.compile(r"(?:[^\W_]|-)*")
#: A run of digits; the separators that ``_DIGIT_RUN`` and ``_PHONE_CANDIDATE`` allow between two.
_RUN = re.compile(r"[0-9][0-9]*")  # ``[0-9]+``, opening with one class (see above)
_SEPARATORS = " .()/+-"
#: What ``_LONG_RUN`` is made of, as long as it goes.
_LONG_RUN_CHAIN = re.compile(r"[0-9ab](?:[ -]?[0-9ab])*")
#: What follows the digits of an ``_ADDRESS_GATE`` match.
_ADDRESS_TAIL = re.compile(r"[a-z]?(?:\s?(?:bis|ter))?,?\s[^\W\d_]")
_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")
_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}-\d{1,2}-\d{2,4}$")


class _Digits:
    """The runs of digits (0-9) of a text, read once; what each scan for a value needs to know.

    Speed: every value this rule looks for holds digits, and a regex costs ~50 instructions a
    character just to skip to its candidates, more where it tries one: each scan of a tweet
    cost 6,000 to 27,000 instructions, six of them. The runs answer most of those scans
    exactly (property-tested against the patterns in tests/test_privacy.py): a reply holding
    an order number has no phone number, card or street address to parse.
    """

    __slots__ = ("chains", "longest", "most", "runs")

    def __init__(self, text: str, first: int) -> None:
        #: (start, end) of each run of digits from ``first`` on (``first``: the first digit)
        self.runs = runs = [match.span() for match in _RUN.finditer(text, first)]
        #: [start, end, digits] of runs joined by one to three separators ("06 12 34 56 78")
        self.chains: list[list[int]] = []
        #: the digits of the longest run, of the longest chain
        self.longest = self.most = 0
        chain = [-9, -9, 0]
        for start, end in runs:
            if start - chain[1] <= 3 and not text[chain[1] : start].strip(_SEPARATORS):
                chain[1] = end
                chain[2] += end - start
            else:
                chain = [start, end, end - start]
                self.chains.append(chain)
            if end - start > self.longest:
                self.longest = end - start
            if chain[2] > self.most:
                self.most = chain[2]

    def phone_start(self) -> int | None:
        """Where ``_PHONE_CANDIDATE`` can first find a candidate of ten digits or more: a
        candidate is part of a chain, with the "+" or "(" just before it."""
        for start, _, count in self.chains:
            if count >= _PHONE_MIN_DIGITS:
                return max(0, start - 1)
        return None

    def long_run(self, text: str) -> int | None:
        """Where ``_LONG_RUN`` first matches: at the first run of digits that starts thirteen
        characters of ``[0-9ab]`` with one ``[ -]`` at most between two (its only way to match)."""
        checked = -1  # the end of the last chain of such characters counted
        for start, _ in self.runs:
            if start < checked:
                continue  # inside a chain counted from an earlier start: shorter still
            checked = _LONG_RUN_CHAIN.match(text, start).end()  # type: ignore[union-attr]
            # the characters other than separators (``str.translate`` with a table: a dict look-up
            # a character, ~500 instructions each; two ``str.count`` stay in C)
            chain = text[start:checked]
            if checked - start >= 13 and len(chain) - chain.count(" ") - chain.count("-") >= 13:
                return start
        return None

    def iban_gate(self, text: str) -> int | None:
        """Where ``_IBAN_GATE`` first matches: the first run of two digits or more after two
        letters. ``\\d`` there also matches other scripts' digits: when the text holds one, the
        regex (a text with an accent or a "€" but no such digit: the runs, ~2 µs sooner)."""
        if not text.isascii() and any(map(str.isdecimal, outside_ascii(text))):
            gate = _IBAN_GATE.search(text)
            return None if gate is None else gate.start()
        for start, end in self.runs:
            if end - start >= 2 and start >= 2 and text[start - 2] in _LOWER and text[start - 1] in _LOWER:
                return start
        return None

    def address_gates(self, text: str) -> list[int]:
        """The starts of ``_ADDRESS_GATE``'s matches: in a run, the last five digits at most
        (a street number takes them all) where what follows the run fits."""
        return [max(start, end - 5) for start, end in self.runs if _ADDRESS_TAIL.match(text, end)]


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")

    allowed_domains: list[str] = Field(
        default_factory=list,
        description="email domains of the brand itself (the domains of brand.public_contacts count too)",
    )


@dataclass(slots=True)  # not frozen: see phrases.Hit
class _Exposed:
    start: int  # original offsets
    end: int
    kind: str
    detail: str


_LABELS = {
    "email": "an email address",
    "phone": "a phone number",
    "iban": "an IBAN",
    "card": "a payment card number",
    "imei": "a device IMEI",
    "nir": "a French social security number",
    "address": "a postal address",
    "identifier": "an order or account number the customer gave",
}


class PersonalDataExposed(Rule):
    """The reply itself publishes personal data.

    ## What it catches
    Personal data written into a public reply: email addresses, phone numbers (French and
    international formats, `06 12 34 56 78`, `+33 6…`, `(555) 123-4567`), IBANs (checksum
    verified), payment card numbers (Luhn), French social security numbers (NIR, key
    verified), street addresses, and order or account numbers that the customer gave in
    their message and the reply repeats.

    The brand's own public contacts (`brand.public_contacts` in config, and email domains in
    this rule's `allowed_domains` option) are allowed, as are role mailboxes
    (`support@…`, `sav@…`), toll-free and shared-cost numbers, and contacts introduced as the
    brand's ("call us at", "notre magasin au").

    ## Why it matters
    A public reply is read, indexed and screenshotted by anyone. Repeating a customer's
    phone number or order number there publishes it, for good, under the brand's name.

    ## How to fix
    Remove the value or mask it (`j***@gmail.com`, `06 •• •• •• 78`), and move anything the
    customer needs to see into a private message (unsafe fix: masks the value).
    """

    code = "RL102"
    name = "personal-data-exposed"
    default_severity = Severity.ERROR
    summary = "Publishes personal data (email, phone, IBAN, card, address, order number) in the reply."
    Options = Options
    examples = (
        bad("@james We've updated jane.doe@gmail.com on your account."),
        bad("@marie Nous vous rappelons au 06 12 34 56 78 demain matin.", language="fr"),
        bad(
            "@james Order 112-4839201 has shipped!",
            inbound={"text": "Where is my order 112-4839201??"},
            note="the order number comes from the customer's message",
        ),
        bad("@marie Le colis part au 12 rue de la Paix, 75002 Paris.", language="fr"),
        good("@james You can reach us at support@example.com anytime."),
        good("@james Call our toll-free line at 1-800-555-0199 for help.", note="toll-free: a business line"),
        good(
            "@marie Appelez-nous au 09 69 32 10 10.",
            language="fr",
            note="the brand's number, listed in brand.public_contacts in real configs",
        ),
        good("@james Your refund of $120 was sent on 2024-03-02."),
    )

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.public:
            return
        text = ctx.text
        folded = ctx.folded.text
        found: list[_Exposed] = []
        if _email_like(folded):
            found.extend(self._emails(ctx))
        body = ctx.folded.to_folded(ctx.body_start)
        digit = _ANY_DIGIT.search(folded, body)
        if digit is not None:
            # Every value below holds a digit. Speed: when the body's digits all lie in links
            # and @mentions (most real replies with a digit), nothing is left to look for; when
            # not, the runs of digits, read once, tell each scan where it can match.
            plain = _strip_links(folded, body)  # the body with links blanked
            digits = _Digits(plain, digit.start())
            if digits.runs:
                found.extend(_numbers(ctx, plain, digits, found))
        if not found:
            return
        book = ctx.book(self.name)
        contacts = _contact_keys(ctx)
        free_mail = book.words.get("free_mail_domains", frozenset())
        for item in sorted(found, key=lambda x: x.start):
            # the key, only when asked: most configs list no contact, and only an email's domain counts
            key = _key(text[item.start : item.end]) if contacts or item.kind == "email" else ""
            if key in contacts:
                continue  # the brand's own
            personal_mailbox = item.kind == "email" and key.rpartition("@")[2] in free_mail
            if not personal_mailbox and _brand_context(ctx, book, item.start):
                continue
            yield self.finding(
                ctx,
                item.start,
                item.end,
                f"Publishes {_LABELS[item.kind]} in a public reply.",
                fix=_mask_fix(ctx, book, item),
                evidence=_evidence(item.kind, item.detail),
            )

    def _emails(self, ctx: Context) -> Iterator[_Exposed]:
        folded = ctx.folded.text
        options = self.options
        assert isinstance(options, Options)
        allowed = {d.lower().lstrip("@") for d in options.allowed_domains}
        allowed.update(c.lower().rsplit("@", 1)[1] for c in ctx.config.brand.public_contacts if "@" in c)
        roles = ctx.book(self.name).words.get("role_mailboxes", frozenset())
        for match in EMAIL.finditer(folded):
            local, _, domain = match.group().rpartition("@")
            if domain in allowed or any(domain.endswith("." + d) for d in allowed):
                continue
            if _role_mailbox(local, roles):
                continue
            start, end = ctx.span(match.start(), match.end())
            yield _Exposed(start, end, "email", "email address")


def _role_mailbox(local: str, roles: frozenset[str]) -> bool:
    """``support``, ``sav.client``, ``reportphish``, ``helpdesk``: a team's address, not a person's."""
    for part in re.split(r"[._+-]", local):
        if part in roles:
            return True
        if any(len(r) >= 4 and (part.startswith(r) or part.endswith(r)) for r in roles):
            return True
    return False


def _strip_links(text: str, body: int = 0) -> str:
    """``text`` with the leading mentions, URLs, @mentions and hashtags blanked (same length)."""
    # what every match of _LINK_START holds: four str.find cost less than the regex's scan
    linked = (
        text.find("@", body) >= 0
        or text.find("#", body) >= 0
        or text.find("http", body) >= 0
        or text.find("www.", body) >= 0
    )
    match = _LINK_START.search(text, body) if linked else None
    if match is None:
        return " " * body + text[body:] if body else text
    parts = [" " * body]
    pos = body
    while match is not None:
        start = match.start()
        end = token_end(text, start)
        parts.append(text[pos:start])
        parts.append(" " * (end - start))
        pos = end
        match = _LINK_START.search(text, end)
    parts.append(text[pos:])
    return "".join(parts)


def _numbers(ctx: Context, plain: str, digits: _Digits, found: list[_Exposed]) -> Iterator[_Exposed]:
    """Checksummed values, phone numbers, values echoed from the customer's message and street
    addresses, in ``plain`` (the body, links blanked), whose runs of digits are ``digits``."""
    seen = list(found)
    if digits.most >= 8:  # what ``_DIGIT_RUN`` finds: no value below has fewer digits
        seen.extend(_checksummed(ctx, plain, digits, seen))
        seen.extend(_phones(ctx, plain, digits, seen))
    message = ctx.draft.inbound.text if ctx.draft.inbound is not None else None
    # an echoed value holds four digits in a row, so the message must hold them too
    if message and digits.longest >= 4 and _may_hold_four_digits(message):
        inbound = ctx.inbound  # folded only now: most drafts never need it
        if inbound is not None and _FOUR_DIGITS.search(inbound.text) is not None:
            seen.extend(_echoed(ctx, plain, inbound.text, seen))
    gates = digits.address_gates(plain)
    if gates:
        seen.extend(_addresses(ctx, gates, seen))
    yield from seen[len(found) :]


def _may_hold_four_digits(text: str) -> bool:
    """``False`` when ``text`` folded cannot hold four digits in a row, told without folding it.

    Speed: folding a customer's message costs ~3,000 to 15,000 instructions (more with emoji or
    accents), and most messages hold no number. Folding keeps ASCII digits where they are and
    makes none from other ASCII; only a character outside ASCII may fold to digits.
    """
    if _FOUR_DIGITS.search(text) is not None:
        return True  # four ASCII digits in a row, kept as they are (most messages with a number)
    if text.isascii():
        return False
    if sum(map(text.count, "0123456789")) >= 4:
        return True
    return _ANY_DIGIT.search(fold_char_map("".join(outside_ascii(text)))) is not None


def _word_start(text: str, pos: int) -> int:
    return max(text.rfind(" ", 0, pos), text.rfind("\n", 0, pos)) + 1


def _overlaps(found: list[_Exposed], start: int, end: int) -> bool:
    return any(f.start < end and start < f.end for f in found)


def _checksummed(ctx: Context, plain: str, digits: _Digits, found: list[_Exposed]) -> Iterator[_Exposed]:
    """IBANs, French NIRs and card numbers: only values whose check digits verify."""
    seen = list(found)
    run = digits.long_run(plain)
    for regex, kind, valid in _CHECKS:
        pos = 0
        if regex is _IBAN:
            gate = digits.iban_gate(plain)
            if gate is None:
                continue
            pos = gate - 2  # no IBAN starts before its letters and digits
        elif run is None:
            continue  # no run long enough for a NIR or a card number (most phone numbers)
        else:
            pos = run  # nor does a NIR or a card number start before the first run
        for match in regex.finditer(plain, pos):
            value = match.group().replace(" ", "").replace("-", "")
            if not valid(value):
                continue
            start, end = ctx.span(match.start(), match.end())
            if _overlaps(seen, start, end):
                continue
            label = kind
            before = plain[max(0, match.start() - 8) : match.start()].rstrip(" :#")
            if kind == "card" and before.endswith("imei"):
                label = "imei"  # IMEIs carry a Luhn digit too
            item = _Exposed(start, end, label, label)
            seen.append(item)
            yield item


def _is_card(digits: str) -> bool:
    return 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn.is_valid(digits)


def _is_iban(value: str) -> bool:
    return bool(std_iban.is_valid(value.upper()))


def _is_nir(value: str) -> bool:
    return bool(std_nir.is_valid(value.upper()))


#: The checksummed kinds, in the order they claim a span: pattern, kind, check of the value.
_CHECKS: tuple[tuple[re.Pattern[str], str, Callable[[str], bool]], ...] = (
    (_IBAN, "iban", _is_iban),
    (_NIR, "nir", _is_nir),
    (_CARD, "card", _is_card),
)


def _phones(ctx: Context, plain: str, runs: _Digits, found: list[_Exposed]) -> Iterator[_Exposed]:
    """Phone numbers, by ``phonenumbers`` on each run of digits (the whole text would be slow)."""
    seen = list(found)
    start = runs.phone_start()
    if start is None:
        return  # no candidate would have enough digits to be kept (an order number, an amount)
    for candidate in _PHONE_CANDIDATE.finditer(plain, start):
        digits = _digits_of(candidate.group())
        if len(digits) < _PHONE_MIN_DIGITS:
            continue  # an order number or an amount: no phone reading of it would be kept
        if _BUSINESS_PREFIX.match(digits):
            continue  # toll-free and shared-cost lines are businesses' numbers
        region = _region(ctx, candidate.group(), digits)
        if len(digits) <= _ONE_NUMBER_MAX_DIGITS:
            # at most one number: parse it directly (PhoneNumberMatcher costs two to three times more)
            items = [_parsed_phone(ctx, candidate, region)]
        else:
            low = max(0, candidate.start() - 1)
            window = plain[low : candidate.end() + 1]
            matcher = phonenumbers.PhoneNumberMatcher(window, region, leniency=phonenumbers.Leniency.POSSIBLE)
            items = [_phone_item(ctx, m.raw_string, m.number, low + m.start, low + m.end) for m in matcher]
        for item in items:
            if item is not None and not _overlaps(seen, item.start, item.end):
                seen.append(item)
                yield item


def _digits_of(candidate: str) -> str:
    """The digits of a ``_PHONE_CANDIDATE`` match (ASCII): ``bytes.translate`` deletes the
    separators in C, ~2,500 instructions fewer than ``str.translate`` with a dict."""
    return candidate.encode().translate(None, _SEPARATOR_BYTES).decode()


def _region(ctx: Context, raw: str, digits: str) -> str:
    """The region to read a number in: French national numbers start with 0, North American
    ones never do; international ones ("+", "00") read the same anywhere."""
    if raw.startswith("+") or digits.startswith("00"):
        return "FR" if ctx.language == "fr" else "US"
    return "FR" if digits.startswith("0") else "US"


def _parsed_phone(ctx: Context, candidate: re.Match[str], region: str) -> _Exposed | None:
    text, start, end = candidate.string, candidate.start(), candidate.end()
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before.isalpha() or after.isalpha() or before in _AMOUNT_MARKS or after in _AMOUNT_MARKS:
        return None  # part of a code ("REF0612345678") or an amount: PhoneNumberMatcher says no too
    raw = candidate.group()
    if raw.endswith(")") and raw.count("(") + raw.count(")") == 2 and raw.startswith("("):
        raw, start = raw[1:-1], start + 1  # "(06 12 34 56 78)": an aside, not an area code
    elif raw.endswith(")") and "(" not in raw:
        raw = raw[:-1]  # "(call 06 12 34 56 78)": the bracket closes the sentence's aside
    kind = _read_phone(raw, region)
    if kind is None:
        return None
    span = ctx.span(start, start + len(raw))
    return _Exposed(span[0], span[1], "phone", kind)


@lru_cache(maxsize=4096)
def _read_phone(raw: str, region: str) -> str | None:
    """The region of the personal phone number ``raw`` is, or ``None`` when it is not one.

    Cached: phonenumbers is slow (~17 µs a parse) and replies repeat numbers, the brand's
    hotlines above all.
    """
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None  # what PhoneNumberMatcher's POSSIBLE leniency asks
    return _personal_phone(raw, number)


def _phone_item(
    ctx: Context, raw: str, number: phonenumbers.PhoneNumber, start: int, end: int
) -> _Exposed | None:
    kind = _personal_phone(raw, number)
    if kind is None:
        return None
    start, end = ctx.span(start, end)
    return _Exposed(start, end, "phone", kind)


def _personal_phone(raw: str, number: phonenumbers.PhoneNumber) -> str | None:
    """The number's region ("" when unknown) if it reads as a person's phone; ``None`` if not."""
    if sum(map(str.isdigit, raw)) < _PHONE_MIN_DIGITS:
        return None
    valid = phonenumbers.is_valid_number(number)
    if not valid and not _PHONE_SHAPE.match(raw):
        return None
    if valid and phonenumbers.number_type(number) in _BUSINESS_TYPES:
        return None
    return phonenumbers.region_code_for_number(number) or ""


def _echoed(ctx: Context, plain: str, inbound: str, found: list[_Exposed]) -> Iterator[_Exposed]:
    """Order or account numbers from the customer's message that the reply repeats."""
    folded = plain
    book = ctx.book(PersonalDataExposed.name)
    seen = list(found)
    pos = ctx.folded.to_folded(ctx.body_start)
    while (digits := _FOUR_DIGITS.search(folded, pos)) is not None:
        start, end = _token_around(folded, digits.start(), digits.end())
        pos = end
        token = folded[start:end]
        if not _identifier_like(token) or not _word_in(token, inbound):
            continue
        before = folded[max(0, start - 25) : start].rstrip("#: ")
        hit = _last(_pattern(book, "not_identifier").finditer(before))
        if hit is not None and len(before) - hit.end() <= 1:
            continue
        span = ctx.span(start, end)
        if _overlaps(seen, *span):
            continue
        item = _Exposed(span[0], span[1], "identifier", "repeated from the customer's message")
        seen.append(item)
        yield item


def _token_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The run of letters, digits and inner hyphens around ``text[start:end]``."""
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "-"):
        start -= 1
    end = _TOKEN_TAIL.match(text, end).end()  # type: ignore[union-attr]  # a star always matches
    while text[start] == "-":
        start += 1
    while text[end - 1] == "-":
        end -= 1
    return start, end


def _word_in(token: str, text: str) -> bool:
    """``token`` occurs in ``text`` as a whole word (not inside a longer code or a link)."""
    pos = text.find(token)
    while pos >= 0:
        end = pos + len(token)
        before = text[pos - 1] if pos else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before in "-/@") and not (after.isalnum() or after in "-/"):
            return not _in_link(text, pos)
        pos = text.find(token, end)
    return False


def _in_link(text: str, pos: int) -> bool:
    """``pos`` lies in a URL, an @mention or a hashtag (the word around it says so)."""
    return _link_word(text[_word_start(text, pos) : token_end(text, pos)])


def _link_word(word: str) -> bool:
    if word[:1] == "#":
        return not word[1:2].isdigit()  # "#123456" is a number, not a hashtag
    return word[:1] == "@" or "/" in word or "www." in word or "=" in word


def _identifier_like(token: str) -> bool:
    if len(token) < 6:
        return False
    digits = sum(map(str.isdigit, token))
    if _DATE.match(token):
        return False
    if digits >= 6:
        return True
    letters = sum(map(str.isalpha, token))
    return letters > 0 and digits >= 4 and len(token) >= 8


def _addresses(ctx: Context, gates: list[int], found: list[_Exposed]) -> Iterator[_Exposed]:
    """Street addresses starting at the gate positions (folded offsets of "<number> <word>")."""
    text = ctx.text
    seen = list(found)
    for gate in gates:
        start = ctx.folded.to_original(gate)
        if start and (text[start - 1].isalnum() or text[start - 1] in "_.,"):
            continue  # inside a longer number
        for regex in (_FR_ADDRESS, _EN_ADDRESS):
            match = regex.match(text, start)
            if match is None or _overlaps(seen, start, match.end()):
                continue
            item = _Exposed(start, match.end(), "address", "street address")
            seen.append(item)
            yield item
            break


def _email_like(text: str) -> bool:
    """An "@" glued to a word on its left (an email), not an @mention."""
    pos = text.find("@")  # str.find: far cheaper than a regex over the whole text
    while pos >= 0:
        if pos and (text[pos - 1].isalnum() or text[pos - 1] in "._+-"):
            return True
        pos = text.find("@", pos + 1)
    return False


def _brand_context(ctx: Context, book: PhraseBook, start: int) -> bool:
    """The value is introduced as the brand's own ("call us at", "notre boutique au")."""
    folded_start = ctx.folded.to_folded(start)
    window_start = max(0, folded_start - 60)
    last = _last(_pattern(book, "brand_context").finditer(ctx.folded.text, window_start, folded_start))
    if last is None:
        return False
    gap = ctx.folded.text[last.end() : folded_start]
    return len(gap) <= 15 and not _SENTENCE_MARK.search(gap)


def _last(hits: Iterator[re.Match[str]]) -> re.Match[str] | None:
    last = None
    for last in hits:  # noqa: B007
        pass
    return last


_SENTENCE_MARK = re.compile(r"[.!?\n]")


def _pattern(book: PhraseBook, name: str) -> re.Pattern[str]:
    """The regex of the book's list ``name``: where a list matches is all this rule reads."""
    return book[name].regex


def _key(value: str) -> str:
    """Comparison key of a contact: the lower-cased email, or the last nine digits of a number."""
    if "@" in value:
        return value.strip().lower()
    digits = "".join(filter(str.isdigit, value))
    return digits[-9:] if len(digits) >= 6 else value.strip().lower()


def _contact_keys(ctx: Context) -> set[str]:
    return {_key(contact) for contact in ctx.config.brand.public_contacts}


def _mask(value: str) -> str:
    """Keep the first two and last two letters or digits, hide the rest, keep separators."""
    if len(value) >= 4 and value.isalnum():  # most values (order numbers): no separator to keep
        return value[:2] + "•" * (len(value) - 4) + value[-2:]
    chars = list(value)
    for i in [i for i, c in enumerate(chars) if c.isalnum()][2:-2]:
        chars[i] = "•"
    return "".join(chars)


@lru_cache(maxsize=1024)
def _evidence(kind: str, detail: str) -> Evidence:
    """The evidence of a finding: the same few again and again, and an Evidence is frozen (shared)."""
    return Evidence(source=f"{PersonalDataExposed.name}:{kind}", detail=detail)


def _mask_email(value: str) -> str:
    local, _, domain = value.rpartition("@")
    return f"{local[:1]}***@{domain}"


def _mask_fix(ctx: Context, book: PhraseBook, item: _Exposed) -> Fix:
    value = ctx.text[item.start : item.end]
    if item.kind == "email":
        replacement = _mask_email(value)
    elif item.kind == "address":
        replacement = book.templates.get("address_mask", "[address removed]")
    else:
        replacement = _mask(value)
    return Fix(
        applicability=Applicability.UNSAFE,
        description=f"Mask the value as `{replacement}` (or remove it and share it by private message).",
        edits=[Edit(start=item.start, end=item.end, replacement=replacement)],
    )
