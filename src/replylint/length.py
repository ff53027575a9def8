"""How long a reply is, counted the way each network counts it.

X (Twitter) counts *weighted* characters (twitter-text's published v3 config):
code points in a few Latin/punctuation ranges weigh 1, everything else 2; every
URL weighs 23 whatever its length (t.co wraps it); an emoji sequence (skin tone,
ZWJ family, flag) weighs 2 as a whole. The limit is 280. Other networks count
code points; their limits come from config with the defaults below.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from replylint.text import urls

# twitter-text v3 config: {"maxWeightedTweetLength": 280, "scale": 100, "defaultWeight": 200,
# "transformedURLLength": 23, "emojiParsingEnabled": true, "ranges": [...] weight 100}
TWITTER_MAX_WEIGHTED = 280
TWITTER_URL_WEIGHT = 23
_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))

#: Default limits per platform, in the platform's own unit. Override with
#: ``[tool.replylint.platforms.<name>] max_length = N``.
DEFAULT_LIMITS: dict[str, int] = {
    "twitter": TWITTER_MAX_WEIGHTED,
    "bluesky": 300,
    "threads": 500,
    "mastodon": 500,
    "instagram": 2200,
    "facebook": 8000,
    "linkedin": 1250,
    "tiktok": 150,
    "youtube": 10000,
}


#: Characters outside the light ranges: each weighs 2 instead of 1.
_HEAVY = re.compile("[^" + "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in _LIGHT_RANGES) + "]")


@dataclass(frozen=True, slots=True)
class Measure:
    length: int
    limit: int

    @property
    def over(self) -> int:
        return max(0, self.length - self.limit)


def weighted_length(text: str) -> int:
    """X's weighted length of ``text`` (NFC-normalised first, as X does)."""
    text = unicodedata.normalize("NFC", text)
    total = 0
    pos = 0
    for match in urls(text):
        total += _plain_weight(text[pos : match.start()]) + TWITTER_URL_WEIGHT
        pos = match.end()
    return total + _plain_weight(text[pos:])


def _plain_weight(chunk: str) -> int:
    if chunk.isascii():
        return len(chunk)  # every ASCII character is light: no scan for heavy ones
    heavy = _HEAVY.findall(chunk)
    if not heavy:
        return len(chunk)  # the common case: one C-level scan
    total = len(chunk) + len(heavy)
    for start, end in _emoji_spans(chunk):
        # an emoji sequence weighs 2 as a whole, whatever its code points weighed alone
        total += 2 - (end - start) - len(_HEAVY.findall(chunk, start, end))
    return total


def _emoji_spans(chunk: str) -> list[tuple[int, int]]:
    import emoji  # imported on first non-ASCII text only: its tables cost ~30 ms to load

    if _emoji_chars().isdisjoint(chunk):
        return []  # "€", "→", CJK: heavy, but no emoji is made of them (emoji_list costs ~100 µs)
    return [(e["match_start"], e["match_end"]) for e in emoji.emoji_list(chunk)]


@cache
def _emoji_chars() -> frozenset[str]:
    """The non-ASCII characters emoji are made of (every emoji has one). A set, not a regex
    class: ``re`` tests a class of astral characters one range at a time."""
    import emoji

    return frozenset(c for key in emoji.EMOJI_DATA for c in key if not c.isascii())


def measure(text: str, platform: str, limits: dict[str, int]) -> Measure | None:
    """Length and limit of ``text`` on ``platform``; ``None`` when the platform has no known limit."""
    limit = limits.get(platform)
    if limit is None:
        return None
    length = weighted_length(text) if platform == "twitter" else len(text)
    return Measure(length, limit)
