"""Untrusted text must never make a rule's regex explode (catastrophic backtracking).

Each adversarial draft is as long as the input limit allows. The bound is deliberately loose
(seconds, not microseconds): this checks that work stays linear, not how fast it is —
speed lives in bench/.
"""

from __future__ import annotations

import time

import pytest

from replylint import Config, Linter

LIMIT = Config().max_text_length

ADVERSARIAL = {
    "spaces": " " * LIMIT,
    "words": "a " * (LIMIT // 2),
    "at-signs": "@" * LIMIT,
    "handles": "@a " * (LIMIT // 3),
    "braces": "{" * LIMIT,
    "brackets": "[" * (LIMIT - 1) + "]",
    "digits": "1" * LIMIT,
    "spaced-digits": "1 " * (LIMIT // 2),
    "emails": "a@" * (LIMIT // 2),
    "dots": "a." * (LIMIT // 2),
    "accents": "é" * LIMIT,
    "emoji": "👨‍👩‍👧" * (LIMIT // 5),
    "dm": "dm us " * (LIMIT // 6),
    "please": "please send us your " * (LIMIT // 20),
    "merci": "merci de nous envoyer votre " * (LIMIT // 28),
    "bangs": "!?" * (LIMIT // 2),
    "caps": "WE ARE " * (LIMIT // 7),
    "sorry": "sorry " * (LIMIT // 6),
    "signatures": " ^JD -Mike" * (LIMIT // 10),
    "urls": "https://a.co/" * (LIMIT // 13),
    "newlines": "\n" * LIMIT,
}


@pytest.fixture(scope="module")
def all_rules_linter() -> Linter:
    """All rules, warmed up: phrase data compiles on first use (seconds on a busy machine), and
    the time limit is about the adversarial text, not about that."""
    linter = Linter()
    for language in ("en", "fr"):
        linter.check({"text": "@marie Hi", "inbound": {"text": "hi"}, "language": language})
    return linter


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_adversarial_text_is_linted_in_bounded_time(all_rules_linter: Linter, name: str) -> None:
    text = ADVERSARIAL[name][:LIMIT]
    started = time.perf_counter()
    report = all_rules_linter.check({"text": text, "inbound": {"text": text}, "language": "en"})
    elapsed = time.perf_counter() - started
    assert report.error is None or "internal error" not in report.error, report.error
    assert elapsed < 10, f"{name}: {elapsed:.1f}s"
