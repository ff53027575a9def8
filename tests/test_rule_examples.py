"""Every rule's own examples are tests, and every rule must have them (proselint's rule)."""

from __future__ import annotations

from pathlib import Path

import pytest

from replylint import Config, Linter
from replylint.docs import pages
from replylint.registry import FAMILIES, all_rules

RULES = all_rules()
EXAMPLES = [(rule, ex) for rule in RULES for ex in rule.examples]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_is_documented_with_examples(rule) -> None:  # type: ignore[no-untyped-def]
    assert any(e.fires for e in rule.examples), f"{rule.name} has no example it flags"
    assert any(not e.fires for e in rule.examples), f"{rule.name} has no example it leaves alone"
    doc = rule.doc()
    for heading in ("## What it catches", "## Why it matters", "## How to fix"):
        assert heading in doc, f"{rule.name} docstring lacks {heading!r}"
    assert rule.code[:3] in FAMILIES and len(rule.code) == 5 and rule.code[3:].isdigit()
    assert rule.name == rule.name.lower() and " " not in rule.name and rule.summary


@pytest.mark.parametrize(("rule", "example"), EXAMPLES, ids=lambda v: getattr(v, "name", None) or v.text[:40])
def test_rule_example(rule, example) -> None:  # type: ignore[no-untyped-def]
    linter = Linter(Config(select=[rule.code]), history=_example_history(rule))
    report = linter.check(example.draft())
    assert report.error is None, report.error
    fired = [f for f in report.findings if f.name == rule.name]
    if example.fires:
        assert fired, f"{rule.name} should flag: {example.text!r} ({example.note})"
        for f in fired:
            assert 0 <= f.start <= f.end <= len(example.text)
            assert f.excerpt == example.text[f.start : f.end]
    else:
        assert not fired, f"{rule.name} should not flag: {example.text!r}: {[f.message for f in fired]}"


def _example_history(rule):  # type: ignore[no-untyped-def]
    """History rules (RL4xx) run their examples against the replies they say were sent."""
    sent = getattr(rule, "example_sent", None)
    if sent is None:
        return None
    from replylint.history import open_store, sent_reply
    from replylint.models import Draft

    store = open_store(":memory:")
    for record in sent():
        store.record(sent_reply(Draft.model_validate(record), Config()))
    return store


def test_docs_are_up_to_date() -> None:
    folder = Path(__file__).resolve().parents[1] / "docs" / "rules"
    for name, content in pages().items():
        page = folder / name
        assert page.exists() and page.read_text(encoding="utf-8") == content, (
            f"docs/rules/{name} is stale: run `python -m replylint.docs docs/rules`"
        )
