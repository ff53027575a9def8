"""DM hand-off rules: dm-without-mutual-follow (RL201) and dm-without-public-ack (RL202)."""

from __future__ import annotations

from typing import Any

import pytest

from replylint import Applicability, Config, Linter, Severity
from replylint.config import BrandProfile

CLOSED = {"follows_customer": False, "open_dms": False, "handle": "@acme"}

RL201 = Linter(Config(select=["RL201"]))
RL202 = Linter(Config(select=["RL202"]))


def _rl201(text: str, language: str, **fields: Any) -> list[Any]:
    fields.setdefault("brand", CLOSED)
    report = RL201.check({"text": text, "language": language, **fields})
    assert report.error is None, report.error
    return [f for f in report.findings if f.name == "dm-without-mutual-follow"]


def _rl202(text: str, language: str, **fields: Any) -> list[Any]:
    report = RL202.check({"text": text, "language": language, **fields})
    assert report.error is None, report.error
    return [f for f in report.findings if f.name == "dm-without-public-ack"]


# --- what counts as a DM invitation (RL201 with follow and DMs closed) --------------------

INVITES_EN = [
    "@sam DM us your order number and we'll take a look.",
    "@sam Please send us a DM with the email on your account.",
    "@sam Could you shoot us a quick PM with more details?",
    "@sam Inbox us and we'll get this sorted.",
    "@sam Feel free to message us privately so we can check your account.",
    "@sam Slide into our DMs with your booking reference!",
    "@sam Follow and DM us, we'll help right away.",
    "@sam Please reach out via DM so our team can help.",
    "@sam Let's continue this conversation in DM.",
    "@sam We're just a DM away if the issue comes back.",
    "@sam Send a DM our way with your tracking number.",
    "@sam Drop us a direct message and we'll check the charge.",
    "@sam Can you send us a private message with your address?",
    "@sam Our DMs are open: tell us what happened.",
    "@sam Let's take this to DMs so we can look at your account.",
    "@sam Kindly DM me the serial number.",
    "@sam Get in touch with us privately and we'll sort it.",
    "@sam Let us know through direct message if it happens again.",
    "@sam We're happy to help over DM.",
    "@sam Hey! 😊 DM us the details 👉",
    "@sam Please DM for details.",
    "@sam SEND US A DM with your order ID.",
    "@sam Would you mind sending us a DM? We'll look at the invoice.",
]

NOT_INVITES_EN = [
    "@sam We've sent you a DM with the next steps.",
    "@sam We just replied to your DM, take a look when you can.",
    "@sam I'll follow up with you via DM shortly.",
    "@sam Please don't DM us your password, we will never ask for it.",
    "@sam No need to send us a DM, we can sort it out right here.",
    "@sam As discussed in DM, your refund is on its way.",
    "@sam Please email us at help@acme.com with your order number.",
    "@sam Give us a call on 0800 123 456 and we'll help.",
    "@sam Our store is open until 9 pm if you want to drop by.",
    "@sam Thanks for your DM with the screenshots, we're on it.",
    "@sam You can set your account to private in Settings.",
    "@sam Check your inbox for our confirmation email.",
    "@sam We'll send a DM once the engineer has an update.",
    "@sam Tell us more here and we'll point you in the right direction.",
    "@sam Our team will reach out to you via DM within the hour.",
]

INVITES_FR = [
    "@lea Envoyez-nous un MP avec votre numéro de commande.",
    "@lea Envoyez nous un DM, on regarde ça.",
    "@lea Écrivez-nous en privé et nous vérifions votre dossier.",
    "@lea On se retrouve en DM pour la suite !",
    "@lea Pouvez-vous nous contacter par MP ?",
    "@lea Merci de nous transmettre vos coordonnées par message privé.",
    "@lea N'hésitez pas à nous écrire en MP.",
    "@lea Laissez-nous un message privé, nous revenons vers vous.",
    "@lea DM-nous ton numéro de commande 😉",
    "@lea Envoie-moi un petit MP avec ta référence.",
    "@lea Nous vous invitons à nous écrire via message privé.",
    "@lea Continuons en privé si vous le voulez bien.",
    "@lea Nos MP sont ouverts, racontez-nous tout.",
    "@lea Rejoignez-nous en DM pour qu'on regarde ensemble.",
    "@lea Suivez-nous et envoyez-nous un MP.",
    "@lea Nous sommes à un MP de vous si besoin.",
    "@lea Passez en MP, on s'en occupe.",
    "@lea Pourriez-vous nous envoyer une capture par MP ?",
    "@lea Nous vous attendons en message privé.",
    "@lea Vous pouvez nous écrire dans nos DM à tout moment.",
    "@lea ENVOYEZ-NOUS UN MESSAGE PRIVÉ avec la référence.",
    "@lea Écris-nous en DM, on t'aide.",
    "@lea Pourriez-vous nous envoyer votre numéro de commande en privé ?",
    "@lea Un petit MP et on s'occupe de tout !",
]

NOT_INVITES_FR = [
    "@lea Nous vous avons envoyé un MP.",
    "@lea Je vous ai répondu en MP, à tout de suite.",
    "@lea Ne nous envoyez jamais votre mot de passe par MP.",
    "@lea Inutile de nous écrire en MP, on règle ça ici.",
    "@lea Comme convenu en MP, le remboursement est lancé.",
    "@lea Vous pouvez passer votre compte en privé dans les paramètres.",
    "@lea Écrivez-nous à sav@acme.fr avec votre numéro de commande.",
    "@lea Appelez le 09 69 32 10 10, nous sommes là pour vous.",
    "@lea Votre MP a bien été changé ?",
    "@lea Nous vous recontactons par message privé dès que possible.",
    "@lea Merci pour votre message privé, nous regardons cela.",
    "@lea Sans passer par les MP : votre colis arrive demain.",
    "@lea Nous vous écrivons en privé dans la journée.",
    "@lea Dites-nous en plus ici, nous allons vous aider.",
    "@lea Nous avons bien reçu votre MP avec la photo.",
]


@pytest.mark.parametrize("text", INVITES_EN)
def test_invitation_en_is_an_error_when_the_customer_cannot_dm(text: str) -> None:
    found = _rl201(text, "en")
    assert len(found) == 1, text
    assert found[0].severity is Severity.ERROR
    assert "@acme" in found[0].message


@pytest.mark.parametrize("text", INVITES_FR)
def test_invitation_fr_is_an_error_when_the_customer_cannot_dm(text: str) -> None:
    found = _rl201(text, "fr")
    assert len(found) == 1, text
    assert found[0].severity is Severity.ERROR


@pytest.mark.parametrize("text", NOT_INVITES_EN)
def test_not_an_invitation_en(text: str) -> None:
    assert _rl201(text, "en") == []


@pytest.mark.parametrize("text", NOT_INVITES_FR)
def test_not_an_invitation_fr(text: str) -> None:
    assert _rl201(text, "fr") == []


# --- follow state, channel, fix -----------------------------------------------------------


@pytest.mark.parametrize(
    ("brand", "expected"),
    [
        ({"follows_customer": False, "open_dms": False}, Severity.ERROR),
        ({"follows_customer": None, "open_dms": False}, Severity.INFO),
        ({"follows_customer": False, "open_dms": None}, Severity.INFO),
        ({"follows_customer": None, "open_dms": None}, Severity.INFO),
        (None, Severity.INFO),
        ({"follows_customer": True, "open_dms": False}, None),
        ({"follows_customer": False, "open_dms": True}, None),
        ({"follows_customer": True, "open_dms": None}, None),
        ({"follows_customer": None, "open_dms": True}, None),
    ],
)
@pytest.mark.parametrize(
    ("text", "language"),
    [("@sam Send us a DM with your order number.", "en"), ("@lea Envoyez-nous un MP.", "fr")],
)
def test_severity_follows_the_brand_state(
    brand: dict[str, Any] | None, expected: Severity | None, text: str, language: str
) -> None:
    found = _rl201(text, language, brand=brand)
    if expected is None:
        assert found == []
    else:
        assert [f.severity for f in found] == [expected]
        if expected is Severity.INFO:
            assert "check" in found[0].message.lower()


@pytest.mark.parametrize(
    ("text", "language"),
    [("Send us a DM with your order number.", "en"), ("Envoyez-nous un MP.", "fr")],
)
def test_private_channel_is_left_alone(text: str, language: str) -> None:
    assert _rl201(text, language, channel="private") == []
    assert _rl202(text, language, channel="private") == []


def test_fix_adds_the_dm_deep_link_from_the_draft() -> None:
    text = "@sam Send us a DM with your order number. ^JD"
    found = _rl201(text, "en", brand={**CLOSED, "user_id": "783214"})
    fix = found[0].fix
    assert fix is not None and fix.applicability is Applicability.SAFE
    link = "https://twitter.com/messages/compose?recipient_id=783214"
    assert [e.replacement for e in fix.edits] == [f" {link}"]
    report = RL201.check({"text": text, "language": "en", "brand": {**CLOSED, "user_id": "783214"}})
    assert report.fixed_text == f"@sam Send us a DM with your order number. {link} ^JD"


def test_fix_takes_the_user_id_from_config() -> None:
    linter = Linter(Config(select=["RL201"], brand=BrandProfile(user_id="42")))
    report = linter.check({"text": "@lea Envoyez-nous un MP.", "language": "fr", "brand": CLOSED})
    fix = report.findings[0].fix
    assert fix is not None and fix.applicability is Applicability.SAFE
    assert "recipient_id=42" in fix.edits[0].replacement


@pytest.mark.parametrize(
    "fields",
    [
        {"brand": CLOSED},
        {"brand": {**CLOSED, "user_id": "not-a-number"}},
        {"brand": {**CLOSED, "user_id": "42"}, "platform": "instagram"},
    ],
)
def test_fix_is_manual_without_a_usable_user_id(fields: dict[str, Any]) -> None:
    found = _rl201("@sam DM us please.", "en", **fields)
    fix = found[0].fix
    assert fix is not None and fix.applicability is Applicability.MANUAL and not fix.edits
    assert "follow" in fix.description.lower()


def test_deep_link_fix_is_demoted_when_it_breaks_the_length_limit() -> None:
    text = "@sam " + "We hear you and we are checking this right now. " * 5 + "DM us your order number."
    linter = Linter(Config(select=["RL201", "RL002"]))
    report = linter.check({"text": text, "language": "en", "brand": {**CLOSED, "user_id": "783214"}})
    assert [f.name for f in report.findings] == ["dm-without-mutual-follow"]
    fix = report.findings[0].fix
    assert fix is not None and fix.applicability is Applicability.UNSAFE
    assert "over-length" in fix.description
    assert report.fixed_text is None


def test_finding_points_at_the_invitation_with_evidence() -> None:
    text = "@lea Bonjour Léa, écrivez-nous en privé."
    found = _rl201(text, "fr")
    assert text[found[0].start : found[0].end].lower().startswith("écrivez-nous")
    assert found[0].evidence is not None and found[0].evidence.source == "fr/dm-invitation.toml:invite"


def test_one_finding_per_draft_even_with_several_invitations() -> None:
    assert len(_rl201("@sam DM us! Or send us a PM, whichever you prefer.", "en")) == 1


# --- RL202: public acknowledgement ---------------------------------------------------------

BARE_EN = [
    "@sam DM us.",
    "@sam Please send us a DM.",
    "@sam Hi there! Send us a DM with your account email. ^JD",
    "@sam Hello Sam, please DM us your order number.",
    "@sam Thanks for reaching out! Inbox us.",
    "@sam Hey, slide into our DMs 👋",
    "@sam Can you DM us your booking reference?",
    "@sam Let's take this to DM.",
    "@sam Please reach out via DM with your details. Thanks!",
    "@sam Follow and DM us your address.",
    "@sam Good morning! Shoot us a PM.",
    "@sam Message us privately with your phone number please.",
    "@sam Hi! Drop us a DM. Have a great day!",
    "@sam Send a DM our way with the screenshot.",
    "@sam Hi Jo, thanks for the tweet. DM us.",
    "@sam DM us if you have any questions.",
    "@sam Hey! Can you DM us? We'd like to get more info.",
]

ACKNOWLEDGED_EN = [
    "@sam We'll refund the delivery charge, just DM us the order number.",
    "@sam DM us the booking and we'll rebook you on the next train.",
    "@sam Happy days! Pop us a DM with the size and we'll send a replacement out.",
    "@sam Send us a DM with the details and we'll pass it on to the store manager.",
    "@sam Drop us a DM with your order and it's sorted.",
    "@sam DM us and I'll talk you through the new tariff.",
    "@sam Sorry about the delay! DM us your order number.",
    "@sam We're looking into it; send us a DM with your email so we can follow up.",
    "@sam I'll check this for you, please DM me your booking reference.",
    "@sam Let's sort this out: DM us the tracking number.",
    "@sam We apologise for the trouble. Please send us a DM.",
    "@sam That's not the experience we want you to have. DM us.",
    "@sam Here's how to reset it: https://help.acme.com/reset DM us if that doesn't help.",
    "@sam 2/2 Send us a DM if the app still crashes.",
    "@sam The outage is fixed now and service should be back to normal. DM us if anything else comes up.",
    "@sam DM us your order number so we can take a look.",
    "@sam Happy to help! DM us your account email.",
    "@sam We're on it. DM us for updates.",
    "@sam I understand how frustrating this is. Please DM me.",
    "@sam Thanks for flagging this! Send us a DM with a screenshot.",
    "@sam Oh no, that's no fun at all. Slide into our DMs.",
    "@sam Send us a DM and we'll take it from there.",
    "@sam Thanks, have a great day!",
]

BARE_FR = [
    "@lea Écrivez-nous en MP, on vous envoie un message privé ensuite.",
    "@lea Envoyez-nous un MP.",
    "@lea Bonjour, écrivez-nous en privé. ^JM",
    "@lea Bonjour Léa, envoyez-nous un DM avec votre numéro de commande.",
    "@lea Merci pour votre message ! Contactez-nous par MP.",
    "@lea DM-nous ton adresse mail.",
    "@lea On se retrouve en DM ?",
    "@lea Bonsoir, pouvez-vous nous écrire en MP ? Bonne soirée !",
    "@lea Passez en MP svp.",
    "@lea Laissez-nous un message privé avec votre référence.",
    "@lea Coucou ! Envoie-nous un MP 😊",
    "@lea Suivez-nous et envoyez-nous un MP.",
    "@lea Merci de nous écrire en message privé.",
    "@lea Bonjour, continuons en privé.",
    "@lea Vous pouvez nous transmettre votre numéro de dossier par MP.",
    "@lea Hello ! Écris-nous en DM.",
    "@lea Écrivez-nous en MP si vous avez une question.",
    "@lea C'est noté, envoyez-nous un MP et nous reviendrons vers vous.",
]

ACKNOWLEDGED_FR = [
    "@lea Envoie-nous un MP, on t'aide à changer la date.",
    "@lea Écrivez-nous en MP avec la référence, on vous rembourse la différence.",
    "@lea Envoyez-nous votre adresse en MP et on renvoie le colis dès demain.",
    "@lea Un petit MP avec la taille et c'est parti pour l'échange !",
    "@lea Contactez-nous en privé, nous remplaçons l'article sans frais.",
    "@lea Désolés pour ce retard ! Envoyez-nous un MP.",
    "@lea Je m'en occupe, envoyez-moi un MP avec votre référence.",
    "@lea Nous allons regarder cela ensemble : écrivez-nous en privé.",
    "@lea Navré pour la gêne. Contactez-nous par MP.",
    "@lea Voici la marche à suivre : https://aide.acme.fr/reinit Si cela ne fonctionne pas, écrivez-nous en MP.",
    "@lea Nous comprenons votre frustration, envoyez-nous un DM.",
    "@lea Envoyez-nous un MP pour que nous puissions vérifier votre commande.",
    "@lea 2/2 Écrivez-nous en MP si le souci persiste.",
    "@lea Votre colis a été expédié hier et arrivera jeudi. Si vous avez une autre question, écrivez-nous en MP.",
    "@lea Toutes nos excuses. Écrivez-nous en MP.",
    "@lea Nous sommes là pour vous aider : envoyez-nous un MP.",
    "@lea Merci de nous l'avoir signalé ! Envoyez-nous un MP.",
    "@lea On regarde ça ! Envoie-nous un MP.",
    "@lea Merci, bonne journée !",
    "@lea C'est pris en charge : envoyez-nous un MP avec votre numéro.",
    "@lea Vérifions cela ensemble, écrivez-nous en privé.",
    "@lea Oh non ! Écrivez-nous en MP.",
]


@pytest.mark.parametrize("text", BARE_EN)
def test_bare_dm_request_en(text: str) -> None:
    found = _rl202(text, "en")
    assert len(found) == 1, text
    assert found[0].severity is Severity.WARNING
    fix = found[0].fix
    assert fix is not None and fix.applicability is Applicability.MANUAL
    assert "looking into it" in fix.description


@pytest.mark.parametrize("text", BARE_FR)
def test_bare_dm_request_fr(text: str) -> None:
    found = _rl202(text, "fr")
    assert len(found) == 1, text
    fix = found[0].fix
    assert fix is not None and "nous regardons cela" in fix.description


@pytest.mark.parametrize("text", ACKNOWLEDGED_EN)
def test_acknowledged_dm_request_en(text: str) -> None:
    assert _rl202(text, "en") == []


@pytest.mark.parametrize("text", ACKNOWLEDGED_FR)
def test_acknowledged_dm_request_fr(text: str) -> None:
    assert _rl202(text, "fr") == []


def test_public_ack_does_not_depend_on_the_follow_state() -> None:
    for brand in (CLOSED, {"follows_customer": True, "open_dms": True}, None):
        assert len(_rl202("@sam DM us.", "en", brand=brand)) == 1


def test_dm_link_alone_is_not_a_public_answer() -> None:
    text = "@sam DM us: https://twitter.com/messages/compose?recipient_id=42"
    assert len(_rl202(text, "en")) == 1


def test_user_phrases_extend_the_shared_invitation_list() -> None:
    config = Config(
        select=["RL201", "RL202"], phrases={"dm-invitation": {"en": {"invite": ["ping us on the chat"]}}}
    )
    report = Linter(config).check({"text": "@sam Ping us on the chat.", "language": "en", "brand": CLOSED})
    assert sorted(f.name for f in report.findings) == ["dm-without-mutual-follow", "dm-without-public-ack"]
