"""Text views shared by every rule.

Rules match phrases on a *folded* view of the draft: lower case, accents
stripped, typographic apostrophes and dashes made plain, non-breaking and
full-width spaces made plain, zero-width characters removed. Matching there
makes "Désolé", "desole" and "DÉSOLÉ" one phrase, and "e\u200bmail" an email.
Findings must still point into the original text, so the folded view keeps,
for each of its characters, the offset of the original character it came from.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

# Characters whose folded form is not the plain lower-cased base letter.
_SPECIAL: dict[str, str] = {
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "\u2032": "'",
    "`": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2007": " ",
    "\u3000": " ",
    "\t": " ",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\ufeff": "",
    "\u00ad": "",
    "\u0153": "oe",
    "\u0152": "oe",
    "\u00e6": "ae",
    "\u00c6": "ae",
    "\u00df": "ss",
    "\u00b0": "\u00b0",  # keep the degree sign: "n°" is a French abbreviation of numéro
}


class _FoldTable(dict[int, str]):
    """``str.translate`` table that computes and caches the fold of a character on first sight."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = _SPECIAL.get(char)
        if folded is None:
            decomposed = unicodedata.normalize("NFKD", char)
            folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
        if len(folded) != 1:
            _RESIZING.add(char)
        self[code] = folded
        return folded


#: Characters seen so far whose fold is not exactly one character (filled as they are met).
_RESIZING: set[str] = set()
_FOLD = _FoldTable()


_ASCII_BYTES = bytes(range(128))


def outside_ascii(text: str) -> set[str]:
    """The distinct characters of ``text`` outside ASCII: the few a fold looks up in the table.

    Found in C: the UTF-8 sequences of those characters are made of bytes outside ASCII only, so
    deleting the ASCII bytes leaves them whole (``set(text)`` alone costs ~150 instructions a
    character, this ~40). Lone surrogates, which JSON can carry, pass through.
    """
    encoded = text.encode("utf-8", "surrogatepass")
    return set(encoded.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))


#: Up to this length the table folds a text with accents at once: ``_fold_mixed`` has a fixed
#: cost of about as many characters looked up in the table.
_SHORT = 20


def fold_char_map(text: str) -> str:
    """Fold without keeping offsets (for data, phrases, names)."""
    if text.isascii():
        return fold_ascii(text)
    if len(text) <= _SHORT:
        return text.translate(_FOLD)
    return _fold_mixed(text, outside_ascii(text))


def _fold_mixed(text: str, chars: set[str]) -> str:
    """``text.translate(_FOLD)`` for a text whose characters outside ASCII are ``chars``.

    ``str.translate`` looks each character of such a text up in the table (~500 instructions a
    character, ~40,000 for a French reply); here each distinct character outside ASCII is
    replaced by its fold, then the whole is folded as ASCII (``fold_ascii``). That is the table's
    answer when each replacement is ASCII that ``fold_ascii`` keeps (lower case, no tab, no
    backquote) and each character kept folds to itself (the table's folds are lower case, so
    ``lower`` keeps them). Otherwise (rare: a fold outside ASCII, as "Ø" to "ø") the table does it.
    Every character of ``chars`` is looked up, so ``_RESIZING`` knows them afterwards.
    """
    out = text
    for char in chars:
        folded = _FOLD[ord(char)]
        if folded == char:
            continue
        if not folded.isascii() or "\t" in folded or "`" in folded:
            return text.translate(_FOLD)
        out = out.replace(char, folded)
    return fold_ascii(out)


@dataclass(slots=True)  # not frozen: see Hit
class Folded:
    """The folded view of a text, with a map back to original offsets. Read-only by convention
    (a context shares its draft's)."""

    text: str
    original: str
    _starts: tuple[int, ...] | None  # folded index -> original index; None when identical lengths 1:1

    @property
    def keeps_offsets(self) -> bool:
        """Each character folded to exactly one: folded and original offsets are the same."""
        return self._starts is None

    def to_original(self, index: int) -> int:
        """Original offset of folded offset ``index`` (``len(folded)`` maps to ``len(original)``)."""
        if self._starts is None:
            return index
        if index >= len(self._starts):
            return len(self.original)
        return self._starts[index]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span covering folded span ``[start, end)``."""
        if self._starts is None:
            return start, end
        if end <= start:
            pos = self.to_original(start)
            return pos, pos
        last = self.to_original(end - 1)
        # the original character at `last` may have expanded into several folded ones
        return self.to_original(start), last + 1

    def to_folded(self, index: int) -> int:
        """Folded offset of original offset ``index`` (first folded char at or after it)."""
        if self._starts is None:
            return index
        return bisect_right(self._starts, index - 1)


def fold_ascii(text: str) -> str:
    """What the fold table gives for each ASCII character of ``text``: lower case, tab to space,
    backquote to apostrophe (other characters are only lower-cased)."""
    return text.lower().replace("\t", " ").replace("`", "'")


def fold(text: str) -> Folded:
    """Fold ``text`` for matching, keeping the offset map only when lengths change."""
    if text.isascii():
        return Folded(fold_ascii(text), text, None)
    # Only the characters outside ASCII can fold to more or fewer than one.
    chars = outside_ascii(text)
    folded = _fold_mixed(text, chars)
    if _RESIZING.isdisjoint(chars):
        return Folded(folded, text, None)
    starts: list[int] = []
    for i, char in enumerate(text):
        starts.extend([i] * len(_FOLD[ord(char)]))
    return Folded(folded, text, tuple(starts))


# --- pieces of a tweet -------------------------------------------------------------------

MENTION = re.compile(r"(?<![\w@])@\w{1,50}")
LEADING_MENTIONS = re.compile(r"^(?:[\s.]*@\w{1,50})+[\s,:]*")
HASHTAG = re.compile(r"(?<![\w#])#\w+")
_TLDS = (
    "com|org|net|fr|io|co|ly|gl|be|ch|ca|uk|us|de|es|it|info|biz|me|app|help|support|"
    "gov|edu|tv|gg|to|eu|shop|store"
)
URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+"
    r"|(?<![\w@.])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:" + _TLDS + r")\b(?:/[^\s<>\"]*)?",
    re.IGNORECASE,
)
#: What every URL has: a scheme, "www." or a dot before a known top-level domain. ``URL``
#: backtracks over every word of a reply (~8 µs a tweet); this test costs ~1 µs, and it
#: starts with one character class so ``re`` can skip ahead to the candidates.
URL_HINT = re.compile(r"[:wW.](?:(?<=:)//|(?<=[wW])(?i:ww\.)|(?<=\.)(?i:" + _TLDS + r")\b)")


#: A dot after a "w" or before a letter: what the "www." and top-level-domain hints hold. It
#: starts with a literal, which ``re`` finds by a fast search, and fails at once at most dots.
_DOT_HINT = re.compile(r"\.(?:(?<=[wW]\.)|[^\W\d_])")

#: The last white space before ``endpos`` (search with ``endpos``): where a token starts.
_LAST_SPACE = re.compile(r"\s(?=\S*\Z)")
_SPACE = re.compile(r"\s")
_TOKEN_REST = re.compile(r"\S*")


def token_end(text: str, pos: int) -> int:
    """End of the white-space-delimited token that runs on from ``pos``."""
    return _TOKEN_REST.match(text, pos).end()  # type: ignore[union-attr]  # \S* always matches


def urls(text: str) -> Iterator[re.Match[str]]:
    """``URL.finditer(text)``, run only on the tokens that hold a ``URL_HINT``.

    A URL holds no white space and holds a hint, so each one lies in a white-space-delimited
    token with a hint; elsewhere the URL regex only backtracks over words (a reply with a link:
    ~8 µs on the whole text, ~3 µs this way). Property-tested against ``URL.finditer``.
    """
    hint = url_hint(text)
    return iter(()) if hint is None else _urls_from(text, hint)


def url_hint(text: str, pos: int = 0) -> re.Match[str] | None:
    """``URL_HINT.search(text, pos)``, with no regex pass over a text that cannot hold a hint.

    Every hint is "://", "www." (any case: the dot follows a "w" or "W") or a dot before a
    top-level domain (a letter follows the dot), so a reply whose dots all end sentences
    ("… today. ^JM") holds none. The regex stops at every "w" and dot, ~11,000 instructions
    over a reply that holds no hint; the test for those, ~2,000. Property-tested.
    """
    if text.find("://", pos) < 0 and _DOT_HINT.search(text, pos) is None:
        return None
    return URL_HINT.search(text, pos)


def _urls_from(text: str, hint: re.Match[str] | None) -> Iterator[re.Match[str]]:
    done = 0  # the text before this offset has been scanned
    while hint is not None:
        at = hint.start()
        # the token's start: after the last plain space or line break, unless rarer white space follows
        start = max(text.rfind(" ", done, at), text.rfind("\n", done, at), done - 1) + 1
        if _SPACE.search(text, start, at):
            start = _LAST_SPACE.search(text, start, at).end()  # type: ignore[union-attr]  # one was found
        end = token_end(text, at)
        yield from URL.finditer(text, start, end)
        done = end
        hint = url_hint(text, end)


EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})*\.[a-z]{2,24}\b", re.IGNORECASE)

# Sentence ends: ., !, ? (runs), ellipsis, or a line break. Cheap and good enough for tweets.
# The plain form is ``(?:[.!?…]+["')\]]*(?=\s|$)|\n+)``; this one starts with one character
# class, so ``re`` skips ahead to the punctuation instead of trying the pattern at every
# position (~15,000 instructions over a tweet instead of ~50,000). Property-tested equal.
SENTENCE_END = re.compile(r"[.!?\u2026\n](?:(?<=[.!?\u2026])[.!?\u2026]*[\"')\]]*(?=\s|$)|(?<=\n)\n*)")


def leading_mentions_end(text: str) -> int:
    """Offset where the body starts, after the leading ``@handle`` run (X adds these to replies)."""
    match = LEADING_MENTIONS.match(text)
    return match.end() if match else 0


def sentence_spans(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Spans of sentences in ``text[start:]``, trimmed of surrounding white space."""
    spans: list[tuple[int, int]] = []
    pos = start
    for match in SENTENCE_END.finditer(text, start):
        _append_trimmed(text, pos, match.end(), spans)
        pos = match.end()
    _append_trimmed(text, pos, len(text), spans)
    return spans


def _append_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def first_name(full_name: str) -> str:
    """First given name of a full name ("Marie-Hélène Dupont" -> "Marie-Hélène")."""
    parts = full_name.strip().split()
    return parts[0] if parts else ""


def initials(full_name: str) -> str:
    """Upper-case initials ("Julie Martin" -> "JM", "Marie-Hélène" -> "MH")."""
    words = re.split(r"[\s\-]+", full_name.strip())
    return "".join(w[0].upper() for w in words if w)
