"""The engine's contract: selection, bad input, fixes, languages, threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import FrozenInstanceError
from typing import Any

import pytest

import replylint
from replylint import Applicability, Config, ConfigError, Linter, Severity
from replylint.context import Context
from replylint.registry import all_rules, is_selected, lookup

LONG_EN = "@james " + "We are checking the outage and will update you as soon as we know more. " * 4


def test_every_rule_has_a_unique_code_and_name() -> None:
    rules = all_rules()
    assert len({r.code for r in rules}) == len(rules)
    assert len({r.name for r in rules}) == len(rules)
    assert lookup("RL001") is lookup("unfilled-placeholder") is not None


@pytest.mark.parametrize(
    ("select", "ignore", "code", "expected"),
    [
        (["RL"], [], "RL001", True),
        (["RL"], ["RL0"], "RL001", False),
        (["RL"], ["RL0"], "RL101", True),
        (["RL0"], ["RL"], "RL001", True),  # more specific select wins
        (["RL001"], ["RL001"], "RL001", False),  # ignore beats select on a tie
        (["unfilled-placeholder"], ["RL0"], "RL001", True),  # a name is as specific as a code
        (["ALL"], ["over-length"], "RL002", False),
        ([], [], "RL001", False),
    ],
)
def test_selection(select: list[str], ignore: list[str], code: str, expected: bool) -> None:
    rule = lookup(code)
    if rule is None:
        pytest.skip(f"{code} not built yet")
    assert is_selected(rule, select, ignore) is expected


def test_unknown_selector_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="RL999"):
        Linter(Config(select=["RL999"]))


def test_config_rejects_unknown_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "replylint.toml"
    path.write_text('selct = ["RL"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="selct"):
        Config.load(path)


def test_config_from_pyproject_and_severity_override(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "pyproject.toml").write_text(
        '[tool.replylint]\nselect = ["RL001"]\n[tool.replylint.severity]\n"unfilled-placeholder" = "info"\n',
        encoding="utf-8",
    )
    linter = Linter(Config.load(start=tmp_path))
    report = linter.check("@x Hi {{name}}")
    assert [(f.name, f.severity) for f in report.findings] == [("unfilled-placeholder", Severity.INFO)]


@pytest.mark.parametrize(
    ("record", "error"),
    [
        ({"id": "a"}, "text: missing (required)"),
        ({"id": "b", "text": 42}, "text: Input should be a valid string"),
        ({"id": "c", "text": "   "}, "text: empty draft"),
        ({"id": "d", "text": "x" * 30_000}, "over the input limit"),
        ({"id": "e", "text": "hi", "channel": "carrier-pigeon"}, "channel"),
        ({"id": "f", "text": "hi", "created_at": "2026-11-23T10:00:00"}, "created_at"),
        ({"id": "g", "text": "hi", "brand": {"open_dms": "maybe"}}, "brand.open_dms"),
    ],
)
def test_bad_records_get_an_error_report(linter: Linter, record: dict[str, object], error: str) -> None:
    report = linter.check(record)
    assert report.id == record["id"]
    assert report.error is not None and error in report.error
    assert report.findings == []


def test_check_many_keeps_order_and_every_record(linter: Linter) -> None:
    records = [
        {"id": str(i), "text": f"@x Hi {{{{name}}}} {i}"} if i % 3 else {"id": str(i)} for i in range(600)
    ]
    reports = list(linter.check_many(records, batch_size=64))
    assert [r.id for r in reports] == [str(i) for i in range(600)]
    assert all((r.error is not None) == (i % 3 == 0) for i, r in enumerate(reports))


def test_reports_do_not_depend_on_the_batch_size(linter: Linter) -> None:
    long_en = "@sam " + " ".join(["Your refund was approved and will reach your card within five days."] * 6)
    long_fr = "@lea " + " ".join(["Votre remboursement a été validé et arrivera sous cinq jours."] * 6)
    records = [
        {"id": "1", "text": "@x Hi {{name}}, DM us your email address"},
        {"id": "2", "text": long_en, "language": "en"},  # over the limit: spaCy splits it in prepare
        {"id": "3"},
        {"id": "4", "text": long_fr, "language": "fr"},
        {"id": "5", "text": "@marie Bonjour, envoyez-nous votre numéro de commande.", "language": "fr"},
    ] * 7
    expected = [r.model_dump() for r in linter.check_many(records, batch_size=1)]
    for size in (3, 32, 256):
        assert [r.model_dump() for r in linter.check_many(records, batch_size=size)] == expected


def test_numeric_ids_become_strings(linter: Linter) -> None:
    assert linter.check({"id": 1245425308704149506, "text": "hello"}).id == "1245425308704149506"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("@marie Bonjour, nous regardons votre commande et revenons vers vous.", "fr"),
        ("@james Hi, we are looking into your order and will get back to you.", "en"),
        ("@lea Désolé pour l'attente !", "fr"),
        ("@tom Sorry about that!", "en"),
    ],
)
def test_language_detection(linter: Linter, text: str, language: str) -> None:
    assert linter.check(text).language == language


def test_declared_language_wins(linter: Linter) -> None:
    assert linter.check({"text": "@x Merci !", "language": "EN-gb"}).language == "en"


def test_safe_fix_is_applied_and_rechecked(linter: Linter) -> None:
    draft = {
        "text": "@marie Bonjour {{prénom}} !",
        "customer": {"name": "Marie-Hélène Dupont"},
        "language": "fr",
    }
    report = linter.check(draft)
    assert report.fixed_text == "@marie Bonjour Marie-Hélène !"
    assert linter.fix(draft) == "@marie Bonjour Marie-Hélène !"
    assert "unfilled-placeholder" not in [
        f.name for f in linter.check({**draft, "text": report.fixed_text}).findings
    ]


def test_fix_that_would_create_an_error_is_demoted(linter: Linter) -> None:
    text = "@bart Hi {{first_name}}, " + "we are on it and will update you. " * 7
    text = text + "x" * (275 - len(text))  # 5 characters under X's limit
    report = Linter(Config(select=["RL0"])).check(
        {"text": text, "customer": {"name": "Bartholomew-Maximilian"}}
    )
    slot = next(f for f in report.findings if f.name == "unfilled-placeholder")
    assert slot.fix is not None and slot.fix.applicability is Applicability.UNSAFE
    assert "over-length" in slot.fix.description
    assert report.fixed_text is None


def test_unsafe_fixes_only_on_request() -> None:
    linter = Linter(Config(select=["RL002"]))
    assert linter.fix(LONG_EN) == LONG_EN
    thread = linter.fix(LONG_EN, unsafe=True)
    parts = thread.split("\n\n")
    assert len(parts) == 2 and parts[0].endswith("1/2") and parts[1].endswith("2/2")
    assert parts[0].startswith("@james ")
    assert linter.check(thread).findings == []


def test_fix_on_a_bad_record_raises_a_clear_error(linter: Linter) -> None:
    with pytest.raises(ValueError, match="text"):
        linter.fix({"id": "x"})


def test_convenience_check() -> None:
    report = replylint.check("@marie Bonjour {{first_name}}", language="fr", customer={"name": "Marie"})
    assert report.fixed_text == "@marie Bonjour Marie"


def test_linter_is_shared_between_threads(linter: Linter) -> None:
    texts = [f"@u{i} Hi {{{{first_name}}}}, ticket {i}" for i in range(200)]
    expected = [linter.check(t).model_dump() for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda t: linter.check(t).model_dump(), texts))
    assert results == expected


def test_a_crashing_rule_is_reported_on_the_record() -> None:
    from replylint.rule import Rule

    class Boom(Rule):
        code = "RL099"
        name = "boom"
        default_severity = Severity.ERROR
        summary = "always crashes"

        def check(self, ctx):  # type: ignore[no-untyped-def]
            raise RuntimeError("kaput")

    linter = Linter(Config(select=["RL001"]))
    linter.rules = (*linter.rules, Boom())
    reports = list(linter.check_many(["@x hi", "@y hi"]))
    assert all(r.error and "RL099 boom" in r.error and "kaput" in r.error for r in reports)


def _rule(code: str, check: Any, *, in_turn: bool = False) -> Any:
    """A one-off rule around ``check(ctx) -> findings``."""
    from replylint.rule import Rule

    rule = type(
        f"Rule{code}",
        (Rule,),
        {
            "code": code,
            "name": f"test-{code.lower()}",
            "default_severity": Severity.WARNING,
            "summary": "test rule",
            "checked_in_turn": in_turn,
            "check": lambda self, ctx: check(self, ctx),
        },
    )
    return rule()


def test_a_rule_crash_ends_only_its_own_drafts_checks_within_a_batch() -> None:
    ran: list[tuple[str, str]] = []

    def crash_on_b(rule: Any, ctx: Context) -> list[Any]:
        ran.append((rule.code, ctx.text))
        if "b" in ctx.text:
            raise RuntimeError("kaput")
        return [rule.finding(ctx, 0, 1, "first")]

    def after(rule: Any, ctx: Context) -> list[Any]:
        ran.append((rule.code, ctx.text))
        return [rule.finding(ctx, 1, 2, "second")]

    linter = Linter(Config(select=["RL001"]))
    linter.rules = (*linter.rules, _rule("RL097", crash_on_b), _rule("RL098", after))
    reports = list(linter.check_many(["@a hi", "@b hi", "@c hi"]))
    assert [r.error is not None for r in reports] == [False, True, False]
    assert "RL097" in (reports[1].error or "") and "kaput" in (reports[1].error or "")
    assert [[f.rule for f in r.findings] for r in reports] == [["RL097", "RL098"], [], ["RL097", "RL098"]]
    assert ("RL098", "@b hi") not in ran  # the crash ended that draft's checks
    # a draft's rules run in code order, each rule over the batch
    assert ran == [
        ("RL097", "@a hi"),
        ("RL097", "@b hi"),
        ("RL097", "@c hi"),
        ("RL098", "@a hi"),
        ("RL098", "@c hi"),
    ]


def test_a_rule_checked_in_turn_sees_what_the_caller_did_after_the_previous_report() -> None:
    seen: set[str] = set()

    def repeated(rule: Any, ctx: Context) -> list[Any]:
        return [rule.finding(ctx, 0, len(ctx.text), "seen before")] if ctx.text in seen else []

    for in_turn, expected in ((True, [[], ["RL099"], ["RL099"]]), (False, [[], [], []])):
        seen.clear()
        linter = Linter(Config(select=["RL001"]))
        linter.rules = (*linter.rules, _rule("RL099", repeated, in_turn=in_turn))
        found = []
        for report in linter.check_many(["@x same", "@x same", "@x same"]):
            found.append([f.rule for f in report.findings])
            seen.add("@x same")  # the caller records the draft once its report is out
        assert found == expected  # ahead of the reports, the rule saw none of it


def test_a_history_fault_stops_the_batch_at_its_draft_after_the_earlier_reports() -> None:
    from replylint.history.store import HistoryError

    def store_down(rule: Any, ctx: Context) -> list[Any]:
        if "down" in ctx.text:
            raise HistoryError("store unreachable")
        return []

    linter = Linter(Config(select=["RL001"]))
    linter.rules = (*linter.rules, _rule("RL099", store_down))
    reports = linter.check_many(["@x one", "@x two", "@x down", "@x four"])
    assert [next(reports).error for _ in range(2)] == [None, None]  # the drafts before it are reported
    with pytest.raises(HistoryError, match="store unreachable"):
        next(reports)


def test_suppression_comes_with_the_request_and_unused_ones_are_reported(linter: Linter) -> None:
    draft = {
        "text": "@x Hi {{first_name}}",
        "customer": {"name": "Ana"},
        "ignore": [{"rule": "RL001", "reason": "template preview"}, {"rule": "over-length"}],
    }
    report = linter.check(draft)
    assert "unfilled-placeholder" not in [f.name for f in report.findings]
    assert report.fixed_text is None  # a silenced finding's fix is not applied either
    assert [(s.rule, s.reason, s.suppressed) for s in report.suppressions] == [
        ("RL001", "template preview", 1),
        ("over-length", None, 0),
    ]


def _counting_rule(code: str, *, safe: bool, word: str = "zzz") -> type:
    """A rule that flags ``word`` (with a safe fix when ``safe``) and counts its runs."""
    from replylint.models import Edit, Fix
    from replylint.rule import Rule

    class Counting(Rule):
        name = f"counting-{code.lower()}"
        default_severity = Severity.WARNING
        summary = "flags zzz"
        runs = 0

        def check(self, ctx):  # type: ignore[no-untyped-def]
            type(self).runs += 1
            at = ctx.text.find(word)
            if at >= 0:
                fix = Fix(
                    applicability=Applicability.SAFE if safe else Applicability.MANUAL,
                    description=f"drop {word}",
                    edits=[Edit(start=at, end=at + len(word), replacement="")] if safe else [],
                )
                yield self.finding(ctx, at, at + len(word), word, fix=fix)

    Counting.code = code
    return Counting


def test_a_safe_fix_from_a_rule_that_does_not_declare_it_is_a_rule_bug() -> None:
    undeclared = _counting_rule("RL097", safe=True)
    linter = Linter(Config(select=["RL001"]))
    linter.rules = (*linter.rules, undeclared())
    report = linter.check("@x hi zzz")
    assert report.error and "RL097" in report.error and "offers_safe_fixes" in report.error


def test_the_fix_loop_re_checks_only_rules_that_can_add_an_error_or_fix() -> None:
    fixer = _counting_rule("RL096", safe=True)
    fixer.offers_safe_fixes = True
    watcher = _counting_rule("RL094", safe=True, word="yyy")  # can fix, but finds nothing in this draft
    watcher.offers_safe_fixes = True
    advisor = _counting_rule("RL095", safe=False)
    linter = Linter(Config(select=["RL001"]))
    linter.rules = (*linter.rules, fixer(), watcher(), advisor())
    report = linter.check("@x hi {{first_name}} zzz")
    assert report.fixed_text is not None and "zzz" not in report.fixed_text
    assert fixer.runs == 1  # its own fix settles its finding
    assert watcher.runs == 2  # re-checked: a fix elsewhere could give it something to fix
    assert advisor.runs == 1  # advice only: never re-checked
    # the fixed text is a fixpoint: checking it again applies nothing more
    assert linter.check(report.fixed_text).fixed_text is None


def test_the_fix_loop_does_not_re_check_a_rule_that_cannot_fix_this_draft() -> None:
    """A rule whose safe fix needs data the draft lacks (here: a flag on the draft) says so
    through ``may_fix_safely`` and is not re-checked; with the data, it is."""
    fixer = _counting_rule("RL096", safe=True)
    fixer.offers_safe_fixes = True
    needy = _counting_rule("RL094", safe=True, word="yyy")
    needy.offers_safe_fixes = True
    needy.may_fix_safely = lambda self, ctx: ctx.draft.id == "has-data"  # type: ignore[method-assign]
    linter = Linter(Config(select=["RL001"]))
    linter.rules = (*linter.rules, fixer(), needy())
    assert linter.check({"text": "@x hi zzz", "id": "no-data"}).fixed_text == "@x hi "
    assert needy.runs == 1
    assert linter.check({"text": "@x hi zzz", "id": "has-data"}).fixed_text == "@x hi "
    assert needy.runs == 3  # checked, then re-checked after the fix


@pytest.mark.parametrize(
    ("record", "rule", "can"),
    [
        ({"text": "@ann Done.", "customer": {"name": "Ann Lee"}}, "RL301", True),
        ({"text": "@ann Done."}, "RL301", False),
        ({"text": "@ann Done.", "agent": {"name": "Jo", "signature": "^JO"}}, "RL302", True),
        ({"text": "@ann Done."}, "RL302", False),
        ({"text": "@ann DM us.", "brand": {"user_id": "12345"}}, "RL201", True),
        ({"text": "@ann DM us."}, "RL201", False),
    ],
)
def test_rules_say_when_their_safe_fix_lacks_its_data(record: dict[str, Any], rule: str, can: bool) -> None:
    linter = Linter(Config(select=[rule]))
    ctx = linter._prepare({**record, "language": "en"})
    assert isinstance(ctx, Context)
    assert linter.rules[0].may_fix_safely(ctx) is can


def test_fixes_and_evidence_shared_between_findings_cannot_be_changed_in_place() -> None:
    """Rules share one Fix or Evidence between findings (cached per template or edit): changing
    one in place would change every other finding's, so they are frozen."""
    linter = Linter()
    first, second = (
        linter.check({"text": f"@{who} Your refund was issued today.", "language": "en"})
        for who in ("ann", "bob")
    )
    shared = [(a.fix, b.fix) for a, b in zip(first.findings, second.findings, strict=True) if a.fix is b.fix]
    assert shared, "the unsigned-reply advice is one shared Fix"
    fix = shared[0][0]
    assert fix is not None
    with pytest.raises(FrozenInstanceError):
        fix.description = "changed"  # type: ignore[misc]
    evidence = first.findings[0].evidence
    assert evidence is not None
    with pytest.raises(FrozenInstanceError):
        evidence.source = "changed"  # type: ignore[misc]
