"""RL401 duplicate-reply and RL402 late-reply, French and English tables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from replylint import Config, Linter
from replylint.history import open_store, sent_reply
from replylint.models import Draft

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


def iso(delta: timedelta = timedelta(0)) -> str:
    return (T0 + delta).isoformat()


H = timedelta(hours=1)
D = timedelta(days=1)
M = timedelta(minutes=1)

# --- duplicate-reply --------------------------------------------------------------------------

RESTART = "sorry for the trouble! Please restart the app and clear the cache, then try again."
REFUND = "your refund of $45 was issued today, it takes 3-5 business days to show up."
FEEDBACK = "Thanks for the feedback, we've passed it on to the product team, they read every note!"
SOUCI = "désolés pour ce souci ! Redémarrez l'application puis videz le cache, et réessayez."
REMB = "votre remboursement de 45 € a été effectué aujourd'hui, comptez 3 à 5 jours ouvrés."
RETOUR = "Merci pour votre retour, nous l'avons transmis à l'équipe produit, qui lit tout !"

SENT: list[dict[str, Any]] = [
    {"id": "h1", "text": f"@tom Hi Tom, {RESTART} ^AB", "created_at": iso()},
    {"id": "h2", "text": f"@amy Hi Amy, {REFUND} ^CD", "created_at": iso(H)},
    {"id": "h3", "text": f"@ben {FEEDBACK} ^AB", "created_at": iso(-10 * D)},
    {"id": "h4", "text": f"@lea Bonjour Léa, {SOUCI} ^JM", "created_at": iso(), "language": "fr"},
    {"id": "h5", "text": f"@marc Bonjour Marc, {REMB} ^SL", "created_at": iso(H), "language": "fr"},
    {"id": "h6", "text": f"@nina {RETOUR} ^JM", "created_at": iso(-10 * D), "language": "fr"},
]


def history_linter(**options: Any) -> Linter:
    config = Config(select=["RL401"], rules={"duplicate-reply": options} if options else {})
    store = open_store(":memory:")
    for record in SENT:
        store.record(sent_reply(Draft.model_validate(record), config))
    return Linter(config, history=store)


@pytest.fixture(scope="module")
def dup() -> Linter:
    return history_linter()


# (text, expected severity or None, extra draft fields). Near duplicates here are well above
# (true Jaccard ≥ 0.84) or well below the 0.8 threshold: the estimate's error is ±0.055.
DUP_EN: list[tuple[str, str | None, dict[str, Any]]] = [
    (f"@kim Hi Kim, {RESTART} ^AB", "warning", {}),
    (f"@tom Hi Tom, {RESTART} ^XY", "error", {}),
    (f"@kim Hi Kim, {RESTART.replace('then', 'and')} ^AB", "warning", {}),
    (f"@kim Hi Kim, {RESTART} More: https://help.example.com/cache", "warning", {}),
    (f"@sam Hi Sam, {REFUND.replace('$45', '$120')} ^CD", "warning", {}),
    (f"@amy Hi Amy, {REFUND} ^EF", "error", {}),
    (f"@carl {FEEDBACK} ^AB", None, {}),  # last sent 11 days ago
    (f"@kim HI KIM, {RESTART.upper()} ^AB", "warning", {}),
    (f"@sam Hi Sam, {RESTART}", "warning", {}),  # no signature
    (f"@kim Hi Kim {RESTART} ^AB", "warning", {"customer": {"handle": "kim", "name": "Kim Lee"}}),
    ("@kim Hi Kim, your order left the warehouse this morning and arrives Thursday. ^AB", None, {}),
    ("@kim Thanks Kim!", None, {}),
    ("@kim Hi Kim, sorry for the trouble!", None, {}),
    (f"@kim Hi Kim, {RESTART} ^AB", None, {"brand": {"handle": "@OtherBrand"}}),
    (f"@kim Hi Kim, {RESTART} ^AB", None, {"created_at": iso(-H)}),  # before anything was sent
    (f"@tom Hi Tom, {RESTART} ^AB", None, {"id": "h1"}),  # the sent reply itself, re-checked
    (f"@kim Hi Kim, {RESTART} ^AB", None, {"created_at": iso(8 * D)}),  # window is 7 days
]

DUP_FR: list[tuple[str, str | None, dict[str, Any]]] = [
    (f"@chloe Bonjour Chloé, {SOUCI} ^JM", "warning", {}),
    (f"@lea Bonjour Léa, {SOUCI} ^AB", "error", {}),
    (f"@chloe Bonjour Chloé, {SOUCI.replace('puis', 'et')} ^JM", "warning", {}),
    (f"@chloe Bonjour Chloé, {SOUCI}", "warning", {}),  # sans signature
    (f"@chloe BONJOUR CHLOÉ, {SOUCI.upper()} ^JM", "warning", {}),
    (f"@chloe Bonjour Chloe, {SOUCI.replace('é', 'e')} ^JM", "warning", {}),
    (f"@hugo Bonjour Hugo, {REMB.replace('45', '129,90')} ^SL", "warning", {}),
    (f"@marc Bonjour Marc, {REMB} ^XY", "error", {}),
    (f"@chloe Bonjour Chloé, {SOUCI} https://aide.example.fr/cache", "warning", {}),
    (f"@zoe {RETOUR} ^JM", None, {}),  # 11 days ago
    ("@chloe Bonjour Chloé, votre colis est parti ce matin, livraison prévue jeudi. ^JM", None, {}),
    ("@chloe Merci Chloé !", None, {}),
    ("@chloe Bonjour Chloé, désolés pour ce souci !", None, {}),
    (f"@chloe Bonjour Chloé, {SOUCI} ^JM", None, {"brand": {"handle": "AutreMarque"}}),
    (f"@chloe Bonjour Chloé, {SOUCI} ^JM", None, {"created_at": iso(-H)}),
    (f"@lea Bonjour Léa, {SOUCI} ^JM", None, {"id": "h4"}),
    (f"@chloe Bonjour Chloé, {SOUCI} ^JM", None, {"created_at": iso(8 * D)}),
]


def _check_dup(linter: Linter, text: str, expected: str | None, extra: dict[str, Any], language: str) -> None:
    record = {"text": text, "language": language, "created_at": iso(D), **extra}
    report = linter.check(record)
    assert report.error is None, report.error
    found = [f for f in report.findings if f.name == "duplicate-reply"]
    if expected is None:
        assert not found, found[0].message
        return
    assert len(found) == 1, f"should flag: {text!r}"
    finding = found[0]
    assert finding.severity.value == expected, finding.message
    assert "last on 2026-0" in finding.message and "time" in finding.message
    assert finding.fix is not None and finding.fix.applicability.value == "manual"
    assert text[finding.start : finding.end] == finding.excerpt and not finding.excerpt.startswith("@")


@pytest.mark.parametrize(("text", "expected", "extra"), DUP_EN)
def test_duplicate_reply_en(dup: Linter, text: str, expected: str | None, extra: dict[str, Any]) -> None:
    _check_dup(dup, text, expected, extra, "en")


@pytest.mark.parametrize(("text", "expected", "extra"), DUP_FR)
def test_duplicate_reply_fr(dup: Linter, text: str, expected: str | None, extra: dict[str, Any]) -> None:
    _check_dup(dup, text, expected, extra, "fr")


def test_duplicate_reply_options() -> None:
    wide = history_linter(window_days=14)
    _check_dup(wide, f"@carl {FEEDBACK} ^AB", "warning", {}, "en")
    _check_dup(wide, f"@zoe {RETOUR} ^JM", "warning", {}, "fr")
    strict = history_linter(threshold=0.99)
    _check_dup(strict, f"@kim Hi Kim, {RESTART.replace('then', 'and')} ^AB", None, {}, "en")
    _check_dup(strict, f"@kim Hi Kim, {RESTART} ^AB", "warning", {}, "en")
    short = history_linter(min_words=30)
    _check_dup(short, f"@kim Hi Kim, {RESTART} ^AB", None, {}, "en")


def test_duplicate_reply_counts_and_severity_config() -> None:
    config = Config(select=["RL401"], severity={"duplicate-reply": "info"})
    linter = Linter(config, history=open_store(":memory:"))
    for i, who in enumerate(["a1", "b2", "c3", "a1"]):
        linter.record_sent({"text": f"@{who} Hi there, {RESTART}", "created_at": iso(i * H), "id": str(i)})
    report = linter.check({"text": f"@zz Hi there, {RESTART}", "created_at": iso(5 * H)})
    assert report.findings[0].severity.value == "info"
    assert "4 times" in report.findings[0].message and "2 h ago" in report.findings[0].message
    report = linter.check({"text": f"@a1 Hi there, {RESTART}", "created_at": iso(5 * H)})
    assert report.findings[0].severity.value == "warning"  # one level up for the same customer
    assert "2 times" in report.findings[0].message and "others 2 times" in report.findings[0].message


def test_duplicate_reply_needs_a_store() -> None:
    report = Linter(Config(select=["RL401"])).check({"text": f"@kim Hi Kim, {RESTART}", "created_at": iso()})
    assert not report.findings


# --- late-reply --------------------------------------------------------------------------------

# (text, minutes after the customer's message or None for no inbound time, expected severity)
LATE_EN: list[tuple[str, float | None, str | None]] = [
    ("@tom Hi Tom, your refund went out today. ^AB", 180, "warning"),
    ("@tom Hi Tom, your refund went out today. ^AB", 20, "info"),
    ("@tom Hi Tom, your refund went out today. ^AB", 10, None),
    ("@tom Hi Tom, your refund went out today. ^AB", 59, "info"),
    ("@tom Hi Tom, your refund went out today. ^AB", 61, "warning"),
    ("@tom Hi Tom, your refund went out today. ^AB", 2 * 24 * 60, "warning"),
    ("@tom Sorry for the late reply! Your refund went out today. ^AB", 180, "info"),
    ("@tom Apologies for the delay, your refund went out today. ^AB", 120, "info"),
    ("@tom Thanks for your patience, your refund went out today. ^AB", 120, "info"),
    ("@tom Hi Tom, so sorry for the wait. Your refund went out today.", 90, "info"),
    ("@tom So sorry it took us so long, Tom. Your refund went out today.", 300, "info"),
    ("@tom Our apologies for the slow reply: your refund went out today.", 240, "info"),
    ("@tom Sorry we're late to respond! Your refund went out today.", 240, "info"),
    ("@tom Sorry for the late response, your refund went out today.", 30, "info"),
    ("@tom Hi Tom, sorry about the trouble. Your refund went out today.", 180, "warning"),
    ("@tom Hi Tom, sorry for the inconvenience. Your refund went out today.", 180, "warning"),
    ("@tom Sorry for the long wait times this week: your refund went out today.", 200, "info"),
    ("@tom My apologies for the long delay in replying. Your refund went out today.", 200, "info"),
    ("@tom Sorry to keep you waiting! Your refund went out today.", 200, "info"),
    ("@tom Hi Tom, sorry for the confusion. Your refund went out today.", 200, "warning"),
    ("@tom Hi Tom, your refund went out today. ^AB", -5, None),
    ("@tom Hi Tom, your refund went out today. ^AB", None, None),
]

LATE_FR: list[tuple[str, float | None, str | None]] = [
    ("@lea Bonjour Léa, votre remboursement est parti. ^JM", 180, "warning"),
    ("@lea Bonjour Léa, votre remboursement est parti. ^JM", 20, "info"),
    ("@lea Bonjour Léa, votre remboursement est parti. ^JM", 5, None),
    ("@lea Bonjour Léa, votre remboursement est parti. ^JM", 26 * 60, "warning"),
    ("@lea Désolés pour le délai ! Votre remboursement est parti. ^JM", 120, "info"),
    ("@lea Désolé pour le retard de réponse, votre remboursement est parti.", 120, "info"),
    ("@lea Toutes nos excuses pour ce délai : votre remboursement est parti.", 200, "info"),
    ("@lea Merci pour votre patience, votre remboursement est parti.", 200, "info"),
    ("@lea Nous nous excusons pour l'attente. Votre remboursement est parti.", 200, "info"),
    ("@lea Pardon pour la réponse tardive, votre remboursement est parti.", 200, "info"),
    ("@lea Désolée pour cette attente, votre remboursement est parti.", 200, "info"),
    ("@lea Désolés de revenir si tard vers vous : votre remboursement est parti.", 200, "info"),
    ("@lea Excusez-nous pour le retard, votre remboursement est parti.", 200, "info"),
    ("@lea DÉSOLÉS POUR LE DÉLAI, votre remboursement est parti.", 200, "info"),
    ("@lea Desoles pour le delai de reponse, votre remboursement est parti.", 30, "info"),
    ("@lea Bonjour Léa, désolés pour ce souci. Votre remboursement est parti.", 180, "warning"),
    ("@lea Bonjour Léa, désolés pour la gêne occasionnée. Votre remboursement est parti.", 180, "warning"),
    ("@lea Désolés pour les délais en ce moment, votre remboursement est parti.", 200, "info"),
    ("@lea Désolée de vous avoir fait attendre : votre remboursement est parti.", 200, "info"),
    ("@lea Bonjour Léa, désolés pour la confusion. Votre remboursement est parti.", 200, "warning"),
    ("@lea Bonjour Léa, votre remboursement est parti. ^JM", None, None),
]


def _late(text: str, minutes: float | None, language: str, config: Config | None = None) -> Any:
    linter = Linter(config or Config(select=["RL402"]))
    inbound: dict[str, Any] = {"text": "?"}
    if minutes is not None:
        inbound["created_at"] = iso()
    record = {"text": text, "language": language, "inbound": inbound, "created_at": iso(M * (minutes or 0))}
    report = linter.check(record)
    assert report.error is None, report.error
    return [f for f in report.findings if f.name == "late-reply"]


@pytest.mark.parametrize(("text", "minutes", "expected"), LATE_EN)
def test_late_reply_en(text: str, minutes: float | None, expected: str | None) -> None:
    found = _late(text, minutes, "en")
    assert [f.severity.value for f in found] == ([expected] if expected else [])


@pytest.mark.parametrize(("text", "minutes", "expected"), LATE_FR)
def test_late_reply_fr(text: str, minutes: float | None, expected: str | None) -> None:
    found = _late(text, minutes, "fr")
    assert [f.severity.value for f in found] == ([expected] if expected else [])


@pytest.mark.parametrize(
    ("text", "language", "fixed"),
    [
        (
            "@tom Hi Tom, your refund went out today.",
            "en",
            "@tom Sorry for the late reply. Hi Tom, your refund went out today.",
        ),
        (
            "@lea Bonjour Léa, c'est parti.",
            "fr",
            "@lea Désolés pour le délai de réponse. Bonjour Léa, c'est parti.",
        ),
    ],
)
def test_late_reply_fix_inserts_an_apology(text: str, language: str, fixed: str) -> None:
    linter = Linter(Config(select=["RL402"]))
    record = {"text": text, "language": language, "inbound": {"created_at": iso()}, "created_at": iso(3 * H)}
    (finding,) = linter.check(record).findings
    assert finding.fix is not None and finding.fix.applicability.value == "unsafe"
    assert linter.fix(record) == text  # unsafe: not applied by default
    assert linter.fix(record, unsafe=True) == fixed
    assert not [f for f in linter.check({**record, "text": fixed}).findings if f.severity.value != "info"]


def test_late_reply_apology_finding_has_no_fix_and_cites_the_phrase() -> None:
    (finding,) = _late("@tom Sorry for the late reply! It's done.", 180, "en")
    assert finding.fix is None and finding.evidence is not None
    assert finding.evidence.source.endswith("late-reply.toml:apology")


def test_late_reply_thresholds_and_business_hours() -> None:
    custom = Config.from_mapping(
        {"select": ["RL402"], "brand": {"reply_time": {"info_after_minutes": 5, "warning_after_minutes": 30}}}
    )
    assert [f.severity.value for f in _late("@tom Done, Tom.", 10, "en", custom)] == ["info"]
    assert [f.severity.value for f in _late("@tom Done, Tom.", 31, "en", custom)] == ["warning"]
    office = Config.from_mapping(
        {
            "select": ["RL402"],
            "brand": {"reply_time": {"business_hours": "09:00-18:00", "timezone": "Europe/Paris"}},
        }
    )
    linter = Linter(office)

    def severity(inbound: str, sent: str) -> list[str]:
        record = {
            "text": "@lea C'est fait.",
            "language": "fr",
            "inbound": {"created_at": inbound},
            "created_at": sent,
        }
        return [f.severity.value for f in linter.check(record).findings]

    # Friday 17:30 Paris -> Monday 09:10 Paris: 40 business minutes
    assert severity("2026-03-06T17:30:00+01:00", "2026-03-09T09:10:00+01:00") == ["info"]
    # Saturday -> Monday 09:05: 5 business minutes
    assert severity("2026-03-07T10:00:00+01:00", "2026-03-09T09:05:00+01:00") == []
    # Monday 10:00 -> 12:00 (UTC times): two business hours
    assert severity("2026-03-09T09:00:00Z", "2026-03-09T11:00:00Z") == ["warning"]
    # without business hours, the weekend counts
    assert [
        f.severity.value
        for f in Linter(Config(select=["RL402"]))
        .check(
            {
                "text": "@lea C'est fait.",
                "language": "fr",
                "inbound": {"created_at": "2026-03-07T10:00:00+01:00"},
                "created_at": "2026-03-09T09:05:00+01:00",
            }
        )
        .findings
    ] == ["warning"]


def test_late_reply_without_created_at_uses_now() -> None:
    linter = Linter(Config(select=["RL402"]))
    old = (datetime.now(UTC) - timedelta(hours=5)).isoformat()
    report = linter.check({"text": "@tom Done.", "language": "en", "inbound": {"created_at": old}})
    assert [f.severity.value for f in report.findings] == ["warning"]


def test_bad_business_hours_config_fails() -> None:
    from replylint import ConfigError

    with pytest.raises(ConfigError):
        Config.from_mapping({"brand": {"reply_time": {"business_hours": "9h-18h"}}})
