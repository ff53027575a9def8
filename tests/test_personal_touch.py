"""Personal touch: missing-customer-name (RL301) and missing-agent-signature (RL302).

Own cases, French and English, with and without context (customer name, agent on file).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replylint import Applicability, Config, Linter
from replylint.config import AgentProfile, BrandProfile
from replylint.context import Context
from replylint.models import Finding
from replylint.names import fold_window, is_first_name, may_fold_to, name_key, names_in, spelt_in
from replylint.rules.missing_agent_signature import carries
from replylint.text import fold, fold_char_map

NAME = Linter(Config(select=["RL301"]))
SIGN = Linter(Config(select=["RL302"]))
BOTH = Linter(Config(select=["RL301", "RL302"]))
ALL = Linter()


def _findings(linter: Linter, code: str, text: str, **context: Any) -> list[Finding]:
    report = linter.check({"text": text, **context})
    assert report.error is None, report.error
    return [f for f in report.findings if f.rule == code]


# --- RL301 missing-customer-name: no name on file ---------------------------------------------

NAME_EN_FIRES = [
    "@jdoe Hi there, your refund is on its way. ^JD",
    "@jdoe Hello friend! The update is rolling out today. ^JD",
    "@jdoe Thanks for reaching out! Please restart the app. ^JD",
    "@jdoe Hey everyone, the outage is fixed now. ^JD",
    "@jdoe Sorry for the wait. Premiere should work after the update. ^JD",
    "@jdoe Hi Team, we passed this along to Support. ^JD",
    "@jdoe We're checking this with our Paris office. ^JD",
    "@jdoe Try logging out of Spotify and back in. Let us know! /SS",
    "@jdoe Good morning! Your order ships from London tomorrow. ^AB",
    "@jdoe Hello, Unfortunately we can't change that setting. ^JD",
    "@jdoe Welcome to Acme! Here's how to set up your account. ^JD",
    "@jdoe Dear customer, your ticket has been closed. ^JD",
    "@jdoe Hi! Which version of Windows are you on? ^JD",
    "@jdoe Thank you, Apple Pay is supported from today. ^JD",
    "@jdoe Your refund went out this morning. Have a great day, Sarah",
    "@jdoe Check the settings under Chrome > Privacy. ~Mike",
    "@sarah_k Hello @sarah_k, thanks for waiting. ^JD",
    "@jdoe Hey there! Mind sending a screenshot? ^JD",
    "@jdoe Thanks so much for the kind words! ^JD",
    "@jdoe Hi all, the servers are back up. ^JD",
]

NAME_EN_QUIET = [
    "@jdoe Hi James, your refund is on its way. ^JD",
    "@jdoe Hey Jo! The update is out now. ^JD",
    "@jdoe Thanks Sarah, we've passed this on. ^JD",
    "@jdoe Sorry about that, Priya. The fix ships Monday. ^JD",
    "@jdoe Hello Mrs Patel, your new card is on its way. ^JD",
    "@x Sarah, your order has shipped. ^JD",
    "@jdoe Good morning Tom! Here's the link you asked for. ^JD",
    "@jdoe Great question, Aisha! You can export from the File menu. ^JD",
    "@mpumi_k Hi Mpumi, try resetting it from the settings. ^JD",
    "@bylli_c Your site loads fine for us, Bylli. Still failing? ^JD",
    "@jdoe Hi, Adam! Try clearing the cache first. ^JD",
    "@jdoe Edgar - sorry for the delay, here's the fix. ^JD",
    "@jdoe We're sorry to hear you want to leave Nancy. Here's how. ^JD",
    "@jdoe Thank you for the feedback, Grace, and we hear you. ^JD",
    "@jdoe Hi Bob. Your card was replaced yesterday. ^JD",
    "@x @acme_help James, the outage is over now. ^JD",
]

NAME_FR_FIRES = [
    "@mdupont Bonjour à vous, votre colis est parti ce matin. ^JU",
    "@mdupont Bonjour, nous regardons cela tout de suite. ^JU",
    "@mdupont Merci pour votre message ! Le SAV vous répond vite. ^JU",
    "@mdupont Bonjour à tous, le service est rétabli. ^JU",
    "@mdupont Désolés pour l'attente. Votre Freebox sera changée. ^JU",
    "@mdupont Bonjour Madame, votre dossier est traité. ^JU",
    "@mdupont Chère cliente, nous avons bien reçu votre demande. ^JU",
    "@mdupont Nous avons transmis à notre agence de Lyon. ^JU",
    "@mdupont Coucou ! Ton code promo arrive par mail. ^JU",
    "@mdupont Salut l'ami, c'est réglé. ^JU",
    "@mdupont Votre commande est en route. Bonne journée, Marc",
    "@mdupont Merci à vous, c'est noté. ^JU",
    "@mdupont Bonsoir, avez-vous essayé de redémarrer la box ? ^JU",
    "@mdupont Hello, la mise à jour corrige ce bug. ^JU",
    "@mdupont Pouvez-vous nous écrire en MP ? Julie du service client",
    "@marie_d Bonjour @marie_d, merci pour votre patience. ^JU",
    "@mdupont Bonjour Monsieur, c'est corrigé. ^JU",
]

NAME_FR_QUIET = [
    "@mdupont Bonjour Marie, votre colis est parti. ^JU",
    "@mdupont Merci Paul ! On regarde ça tout de suite. ^JU",
    "@mdupont Bonsoir Hélène, c'est corrigé. ^JU",
    "@mdupont Bonjour Madame Dupont, votre dossier est traité. ^JU",
    "@mdupont Salut Léa ! Ton colis arrive demain. ^JU",
    "@mdupont Marie, nous avons bien reçu votre demande. ^JU",
    "@mdupont Désolés pour ce retard, Thomas. Le colis part demain. ^JU",
    "@mdupont Coucou Inès, c'est réglé ! ^JU",
    "@mdupont Bonjour M. Martin, votre contrat est résilié. ^JU",
    "@mdupont Merci pour votre patience, Sophie ! ^JU",
    "@mdupont Re-bonjour Karim, la box est réinitialisée. ^JU",
    "@jeanmarc_d Bonjour Jean-Marc, c'est fait. ^JU",
    "@mdupont Chère Camille, merci pour votre fidélité. ^JU",
    "@mdupont Bonjour Nadia. Votre remboursement est en cours. ^JU",
    "@mdupont Merci beaucoup Lucas pour ce retour ! ^JU",
    "@mdupont C'est réglé. Bonne journée M. Durand. ^JU",
]


@pytest.mark.parametrize("text", NAME_EN_FIRES)
def test_name_en_fires_without_context(text: str) -> None:
    assert _findings(NAME, "RL301", text, language="en")


@pytest.mark.parametrize("text", NAME_EN_QUIET)
def test_name_en_quiet_without_context(text: str) -> None:
    assert not _findings(NAME, "RL301", text, language="en")


@pytest.mark.parametrize("text", NAME_FR_FIRES)
def test_name_fr_fires_without_context(text: str) -> None:
    assert _findings(NAME, "RL301", text, language="fr")


@pytest.mark.parametrize("text", NAME_FR_QUIET)
def test_name_fr_quiet_without_context(text: str) -> None:
    assert not _findings(NAME, "RL301", text, language="fr")


def test_unknown_name_gets_manual_advice_in_the_drafts_language() -> None:
    (en,) = _findings(NAME, "RL301", "@jdoe Hi there, done! ^JD", language="en")
    (fr,) = _findings(NAME, "RL301", "@mdupont Bonjour à vous, c'est fait ! ^JU", language="fr")
    assert (
        en.fix is not None
        and en.fix.applicability is Applicability.MANUAL
        and "Hi James" in en.fix.description
    )
    assert (
        fr.fix is not None
        and fr.fix.applicability is Applicability.MANUAL
        and "Bonjour" in fr.fix.description
    )
    assert en.excerpt == "Hi there" and fr.excerpt == "Bonjour à vous"


# --- RL301 with customer.name on file ----------------------------------------------------------

# (text, customer name, language, expected safe-fixed text or None when the rule stays quiet)
NAME_KNOWN = [
    ("@jdoe Your refund is done. ^JD", "James Hill", "en", "@jdoe Hi James, your refund is done. ^JD"),
    (
        "@jdoe Hi there, the refund is done. ^JD",
        "James Hill",
        "en",
        "@jdoe Hi James, the refund is done. ^JD",
    ),
    (
        "@jdoe Hello! Your refund is done. ^JD",
        "James Hill",
        "en",
        "@jdoe Hello James! Your refund is done. ^JD",
    ),
    ("@jdoe I checked: it's done. ^JD", "James Hill", "en", "@jdoe Hi James, I checked: it's done. ^JD"),
    (
        "@james_hill Hello @james_hill, it's done. ^JD",
        "James Hill",
        "en",
        "@james_hill Hello James, it's done. ^JD",
    ),
    ("@jdoe hi JAMES, it's done. ^JD", "James Hill", "en", ""),
    ("@jdoe Thanks for waiting, Mr Hill. It's done. ^JD", "James Hill", "en", ""),
    ("@jdoe James Hill, your refund is done. ^JD", "James Hill", "en", ""),
    ("@jdoe Thanks, james! ^JD", "James Hill", "en", ""),
    (
        "@mdupont Votre colis est parti. ^JU",
        "Marie-Hélène Dubois",
        "fr",
        "@mdupont Bonjour Marie-Hélène, votre colis est parti. ^JU",
    ),
    (
        "@mdupont Bonjour à vous, c'est noté. ^JU",
        "Marie-Hélène Dubois",
        "fr",
        "@mdupont Bonjour Marie-Hélène, c'est noté. ^JU",
    ),
    (
        "@mdupont Bonjour, c'est noté. ^JU",
        "Marie-Hélène Dubois",
        "fr",
        "@mdupont Bonjour Marie-Hélène, c'est noté. ^JU",
    ),
    ("@mdupont C'est noté ! ^JU", "Paul Martin", "fr", "@mdupont Bonjour Paul, c'est noté ! ^JU"),
    (
        "@mh_dubois Bonjour @mh_dubois, c'est noté. ^JU",
        "Marie-Hélène Dubois",
        "fr",
        "@mh_dubois Bonjour Marie-Hélène, c'est noté. ^JU",
    ),
    (
        "@mdupont Bonjour Mme Roux, c'est noté. ^JU",
        "Marie-Hélène Dubois",
        "fr",
        None,
    ),  # another name: not safe
    ("@mdupont Bonjour marie helene, c'est noté. ^JU", "Marie-Hélène Dubois", "fr", ""),
    ("@mdupont Bonjour MARIE-HÉLÈNE ! C'est noté. ^JU", "Marie-Hélène Dubois", "fr", ""),
    ("@mdupont Bonjour Madame Dubois, c'est noté. ^JU", "Marie-Hélène Dubois", "fr", ""),
    ("@mdupont Merci Marie Hélène Dubois ! ^JU", "Marie-Hélène Dubois", "fr", ""),
    ("@mdupont Merci Paul, c'est noté. ^JU", "paul martin", "fr", ""),
]


@pytest.mark.parametrize(("text", "name", "language", "fixed"), NAME_KNOWN)
def test_name_with_customer_name(text: str, name: str, language: str, fixed: str | None) -> None:
    record = {"text": text, "language": language, "customer": {"name": name}}
    found = _findings(NAME, "RL301", **record)
    if fixed == "":
        assert not found
        return
    assert found
    report = NAME.check(record)
    if fixed is None:
        assert report.fixed_text is None
    else:
        assert found[0].fix is not None and found[0].fix.applicability is Applicability.SAFE
        assert report.fixed_text == fixed


def test_wrong_name_is_flagged_and_not_replaced_automatically() -> None:
    (finding,) = _findings(NAME, "RL301", "@jdoe Hi Jamie, it's done. ^JD", customer={"name": "James Hill"})
    assert "Jamie" in finding.message and finding.fix is not None
    assert finding.fix.applicability is Applicability.UNSAFE
    assert NAME.fix(
        {"text": "@jdoe Hi Jamie, it's done.", "customer": {"name": "James Hill"}}, unsafe=True
    ) == ("@jdoe Hi James, it's done.")


def test_template_slot_after_greeting_is_left_to_unfilled_placeholder() -> None:
    record = {"text": "@x Bonjour {prénom}, merci", "language": "fr", "customer": {"name": "Zoé"}}
    assert not _findings(NAME, "RL301", **record)
    assert ALL.check(record).fixed_text == "@x Bonjour Zoé, merci"


# --- RL302 missing-agent-signature: no agent on file -------------------------------------------

SIGN_EN_FIRES = [
    "@jdoe Your refund is on its way. Let us know if anything else comes up!",
    "@jdoe Try this: https://help.example.com/reset",
    "@jdoe We're on it. 1/2",
    "@jdoe Have a look here https://x.co/a #help",
    "@jdoe Glad we could help! 😊",
    "@jdoe Thanks and stay safe",
    "@jdoe Send us a DM",
    "@jdoe The fix is live. Thanks!",
    "@jdoe Please contact the Support Team",
    "@jdoe Reach out to our team at Acme Support",
    "@jdoe We'll follow up shortly @AcmeHelp",
    "@jdoe See you soon, Paris",
    "@jdoe Hope this helps. Will",
    "@jdoe Happy streaming!",
    "@jdoe It works on PC/Mac",
    "@jdoe Thanks so much, Sarah!",
    "@jdoe Please reach out (support team)",
    "@jdoe Done. Best, Acme Support",
]

SIGN_EN_QUIET = [
    "@jdoe Your refund is done. ^JD",
    "@jdoe Restart the app and try again. *SR",
    "@jdoe Here's the guide: https://x.co/a /LP",
    "@jdoe Let us know how it goes! ~Jennifer",
    "@jdoe We're on it. -Mike",
    "@jdoe Keep us posted. - Rene",
    "@jdoe Send us a DM with the details. _Rjay",
    "@jdoe Happy to help. Roopa-HP Social Media Support",
    "@jdoe That's fixed now. Cheers, Sam",
    "@jdoe Hope this helps to clarify. Jason",
    "@jdoe Thanks for your patience. ^JD 2/2",
    "@jdoe Glad it works! -Mike https://x.co/a #support 😊",
    "@jdoe Let us know. Thanks.^Kartika",
    "@jdoe Here is the policy https://x.co/a HRB",
    "@jdoe Take care,\nPriya",
    "@jdoe Good news, it's live. ~Heather B.",
    "@jdoe All sorted now! Jen from the Acme Support Team",
    "@jdoe Done! Sam (Acme Support)",
    "@jdoe Done. Sam | Acme Support",
    "@jdoe Thanks!\n\nJulie\nAcme Support",
]

SIGN_FR_FIRES = [
    "@mdupont Votre colis est reparti ce matin. Bonne journée !",
    "@mdupont Pouvez-vous nous écrire en MP ?",
    "@mdupont Voici la marche à suivre : https://aide.example.fr/box",
    "@mdupont On s'en occupe. 1/2",
    "@mdupont Merci pour votre patience 🙏",
    "@mdupont Contactez le service client",
    "@mdupont À bientôt !",
    "@mdupont Tout est rentré dans l'ordre. Merci Paul !",
    "@mdupont Rendez-vous sur notre site #SAV",
    "@mdupont Nous revenons vers vous rapidement. Cordialement",
    "@mdupont Votre box sera livrée lundi. L'équipe Acme",
    "@mdupont Le technicien passe jeudi, merci de votre compréhension.",
    "@mdupont Écrivez-nous en MP avec votre numéro de commande, merci !",
    "@mdupont Tout est en ordre de notre côté. Bonne soirée à vous !",
    "@mdupont Plus d'infos auprès de notre service client",
]

SIGN_FR_QUIET = [
    "@mdupont Votre colis arrive demain. ^JU",
    "@mdupont C'est noté. Julie du service client",
    "@mdupont C'est réglé de notre côté. Bonne journée, Marc",
    "@mdupont On regarde ça. -Léa",
    "@mdupont Tenez-nous au courant ! ~ Nadia",
    "@mdupont Cordialement,\nJulie",
    "@mdupont Votre ligne est rétablie. Marc, équipe SAV",
    "@mdupont Voici le lien https://aide.example.fr ^KB",
    "@mdupont Merci pour votre patience. Sophie de l'équipe Acme",
    "@mdupont Bonne soirée ! Thomas",
    "@mdupont À bientôt, Inès",
    "@mdupont On s'en occupe. /AM 1/2",
    "@mdupont Le remboursement est fait. Belle journée, Chloé 🙂",
    "@mdupont Votre commande est validée. Merci,\nJulie",
    "@mdupont C'est corrigé. *FB",
    "@mdupont C'est fait. Julie (service client Acme)",
    "@mdupont Merci !\nJulie, conseillère Acme",
    "@mdupont C'est réglé. Bisous, Léa",
]


@pytest.mark.parametrize("text", SIGN_EN_FIRES)
def test_signature_en_fires_without_agent(text: str) -> None:
    assert _findings(SIGN, "RL302", text, language="en")


@pytest.mark.parametrize("text", SIGN_EN_QUIET)
def test_signature_en_quiet_without_agent(text: str) -> None:
    assert not _findings(SIGN, "RL302", text, language="en")


@pytest.mark.parametrize("text", SIGN_FR_FIRES)
def test_signature_fr_fires_without_agent(text: str) -> None:
    assert _findings(SIGN, "RL302", text, language="fr")


@pytest.mark.parametrize("text", SIGN_FR_QUIET)
def test_signature_fr_quiet_without_agent(text: str) -> None:
    assert not _findings(SIGN, "RL302", text, language="fr")


def test_unsigned_reply_gets_manual_advice() -> None:
    (finding,) = _findings(SIGN, "RL302", "@jdoe Done. Let us know!", language="en")
    assert finding.fix is not None and finding.fix.applicability is Applicability.MANUAL
    assert finding.excerpt == "Let us know!"


# --- RL302 with an agent on file ----------------------------------------------------------------

STYLE_INITIALS = Linter(Config(select=["RL302"], brand=BrandProfile(signature_style="^{initials}")))
STYLE_FIRST = Linter(Config(select=["RL302"], brand=BrandProfile(signature_style="-{first_name}")))
PROFILES = Linter(
    Config(
        select=["RL302"],
        brand=BrandProfile(
            signature_style="-{first_name}",
            signature_separator="\n",
            agents=[AgentProfile(name="Julie Martin", signature="^JMA")],
        ),
    )
)

# (linter, text, agent, language, expected safe-fixed text or "" when quiet or None when no safe fix)
SIGN_KNOWN: list[tuple[Linter, str, dict[str, str], str, str | None]] = [
    (STYLE_INITIALS, "@jdoe Keep us posted!", {"name": "Sam Lee"}, "en", "@jdoe Keep us posted! ^SL"),
    (STYLE_INITIALS, "@jdoe Keep us posted! ^SL", {"name": "Sam Lee"}, "en", ""),
    (STYLE_INITIALS, "@jdoe Keep us posted! ^ sl", {"name": "Sam Lee"}, "en", ""),
    (STYLE_INITIALS, "@jdoe Keep us posted! 1/2", {"name": "Sam Lee"}, "en", "@jdoe Keep us posted! ^SL 1/2"),
    (STYLE_INITIALS, "@jdoe See https://x.co/a", {"name": "Sam Lee"}, "en", "@jdoe See https://x.co/a ^SL"),
    (STYLE_INITIALS, "@jdoe Keep us posted! ^AB", {"name": "Sam Lee"}, "en", None),
    (
        STYLE_INITIALS,
        "@jdoe Keep us posted!",
        {"name": "Sam Lee", "signature": "~Sam"},
        "en",
        "@jdoe Keep us posted! ~Sam",
    ),
    (STYLE_INITIALS, "@jdoe Keep us posted! ~Sam", {"name": "Sam Lee", "signature": "~Sam"}, "en", ""),
    (STYLE_INITIALS, "@jdoe Keep us posted!", {"signature": "*SL"}, "en", "@jdoe Keep us posted! *SL"),
    (STYLE_FIRST, "@jdoe Keep us posted!", {"name": "Sam Lee"}, "en", "@jdoe Keep us posted! -Sam"),
    (STYLE_FIRST, "@jdoe Keep us posted! - Sam", {"name": "Sam Lee"}, "en", ""),
    (
        STYLE_INITIALS,
        "@mdupont Votre colis est parti.",
        {"name": "Julie Martin"},
        "fr",
        "@mdupont Votre colis est parti. ^JM",
    ),
    (STYLE_INITIALS, "@mdupont Votre colis est parti. ^JM", {"name": "Julie Martin"}, "fr", ""),
    (STYLE_INITIALS, "@mdupont C'est noté. Julie du service client", {"name": "Julie Martin"}, "fr", None),
    (
        STYLE_FIRST,
        "@mdupont C'est noté !",
        {"name": "Jean-Marc Petit"},
        "fr",
        "@mdupont C'est noté ! -Jean-Marc",
    ),
    (STYLE_FIRST, "@mdupont C'est noté ! -Jean-Marc", {"name": "Jean-Marc Petit"}, "fr", ""),
    (PROFILES, "@mdupont C'est noté !", {"name": "julie martin"}, "fr", "@mdupont C'est noté !\n^JMA"),
    (PROFILES, "@mdupont C'est noté ! ^JMA", {"name": "Julie Martin"}, "fr", ""),
    (PROFILES, "@mdupont C'est noté !", {"name": "Léa Roux"}, "fr", "@mdupont C'est noté !\n-Léa"),
    (
        STYLE_INITIALS,
        "@mdupont Merci pour votre retour 🙏",
        {"name": "Élodie Roux"},
        "fr",
        "@mdupont Merci pour votre retour 🙏 ^ÉR",
    ),
]


@pytest.mark.parametrize(("linter", "text", "agent", "language", "fixed"), SIGN_KNOWN)
def test_signature_with_agent(
    linter: Linter, text: str, agent: dict[str, str], language: str, fixed: str | None
) -> None:
    record = {"text": text, "language": language, "agent": agent}
    found = _findings(linter, "RL302", **record)
    if fixed == "":
        assert not found
        return
    assert found
    report = linter.check(record)
    if fixed is None:
        assert report.fixed_text is None
        assert found[0].fix is not None and found[0].fix.applicability is not Applicability.SAFE
    else:
        assert report.fixed_text == fixed


def test_wrong_signature_is_replaced_on_request() -> None:
    record = {"text": "@jdoe Done! ^AB", "agent": {"name": "Sam Lee"}}
    (finding,) = _findings(STYLE_INITIALS, "RL302", **record)
    assert "^AB" in finding.message and "^SL" in finding.message
    assert STYLE_INITIALS.fix(record, unsafe=True) == "@jdoe Done! ^SL"


# --- both rules on one draft ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "customer", "agent", "fixed"),
    [
        (
            "@marie_d @acme votre colis est parti ce matin.",
            "fr",
            "Marie Dubois",
            "Julie Martin",
            "@marie_d @acme Bonjour Marie, votre colis est parti ce matin. ^JM",
        ),
        (
            "@jhill Your refund was issued today. Let us know if it doesn't show up!",
            "en",
            "James Hill",
            "Sam Lee",
            "@jhill Hi James, your refund was issued today. Let us know if it doesn't show up! ^SL",
        ),
        (
            "@jhill Hi there, try the steps here: https://help.example.com/reset 1/2",
            "en",
            "James Hill",
            "Sam Lee",
            "@jhill Hi James, try the steps here: https://help.example.com/reset ^SL 1/2",
        ),
    ],
)
def test_fixing_both_rules_gives_one_clean_text(
    text: str, language: str, customer: str, agent: str, fixed: str
) -> None:
    record = {"text": text, "language": language, "customer": {"name": customer}, "agent": {"name": agent}}
    report = BOTH.check(record)
    assert {f.rule for f in report.findings} == {"RL301", "RL302"}
    assert all(f.fix and f.fix.applicability is Applicability.SAFE for f in report.findings)
    assert report.fixed_text == fixed
    again = ALL.check({**record, "text": report.fixed_text})
    assert not [f for f in again.findings if f.rule in {"RL301", "RL302"}]


def _long_draft(room: int) -> str:
    """A 280-character draft minus ``room`` characters (over the limit when ``room`` < 0)."""
    head = "@jhill "
    body = "We checked your account and the refund is on its way to you now. " * 5
    return (head + body)[: 280 - room].rstrip() + "."


@pytest.mark.parametrize("room", [0, 3, -20])  # -20: already over the limit
def test_fixes_that_would_be_too_long_are_not_safe(room: int) -> None:
    linter = Linter(Config(select=["RL301", "RL302", "RL002"]))
    record = {"text": _long_draft(room), "customer": {"name": "James Hill"}, "agent": {"name": "Sam Lee"}}
    report = linter.check(record)
    ours = [f for f in report.findings if f.rule in {"RL301", "RL302"}]
    assert {f.rule for f in ours} == {"RL301", "RL302"}
    assert report.fixed_text is None
    for finding in ours:
        assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
        assert "not applied automatically" in finding.fix.description
        assert "over" in finding.fix.description and "280" in finding.fix.description


def test_fixes_that_only_together_are_too_long_are_not_both_safe() -> None:
    # Each fix alone fits (greeting +10, signature +4), both together do not.
    linter = Linter(Config(select=["RL301", "RL302", "RL002"]))
    record = {"text": _long_draft(12), "customer": {"name": "James Hill"}, "agent": {"name": "Sam Lee"}}
    report = linter.check(record)
    ours = {f.rule: f for f in report.findings if f.rule in {"RL301", "RL302"}}
    assert set(ours) == {"RL301", "RL302"}
    demoted = [f for f in ours.values() if f.fix and f.fix.applicability is Applicability.UNSAFE]
    assert len(demoted) == 1 and "over-length" in demoted[0].fix.description  # type: ignore[union-attr]
    assert report.fixed_text is not None and len(report.fixed_text) <= 280
    assert not [f for f in linter.check({**record, "text": report.fixed_text}).findings if f.rule == "RL002"]


# --- both rules, one table: (text, language, RL301 fires, RL302 fires), no context -----------

BOTH_WAYS = [
    ("@x Thanks for waiting Sarah! The fix is out. ^JD", "en", False, False),
    ("@x We've shared this with our team in Austin. ^JD", "en", True, False),
    ("@x Sorry Alexa isn't responding. Try unplugging it. ^JD", "en", True, False),
    ("@x Hi Acme fans, the sale starts now! ^JD", "en", True, False),
    ("@x Hi Dr. Patel, your results are ready. ^JD", "en", False, False),
    ("@x Thanks, Mr. Hill. We've updated the order. ^JD", "en", False, False),
    ("@x We're sorry, Sarah, that this happened. ^JD", "en", False, False),
    ("@x HI JAMES, done. ^JD", "en", False, False),
    ("@x Hey, Priya! Glad it's working.", "en", False, True),
    ("@x Bonjour Anne-Sophie, c'est noté. ^JU", "fr", False, False),
    ("@x Bonne journée Marie !", "fr", False, True),
    ("@x Merci pour votre retour Marie ! Bonne journée. ^JU", "fr", False, False),
    ("@x Nous avons prévenu l'agence de Nancy. ^JU", "fr", True, False),
    ("@x Votre Livebox sera remplacée. ^JU", "fr", True, False),
    ("@x Salut Orange ! ^JU", "fr", True, False),
    ("@x Bonjour Mme Dupont, c'est fait. Cordialement, Julie", "fr", False, False),
    ("@x C'est fait. Cordialement, L'équipe Acme", "fr", True, True),
    ("@x Done. Best, Acme Support", "en", True, True),
    ("@x Done. Best,\nSam", "en", True, False),
    ("@x It's fixed. Thx, Mike", "en", True, False),
    ("@x Restart your phone. Does this help? Jason", "en", True, False),
    ("@x Try it on iOS. OK", "en", True, True),
    ("@x Please allow 1-2 business days -Thanks", "en", True, True),
    ("@x See https://x.co/faq -Help", "en", True, True),
    ("@x Glad to help! — Julie", "en", True, False),
    ("@x On regarde ça. — Julie", "fr", True, False),
    ("@x C'est réglé. Bisous, Léa", "fr", True, False),
    ("@x Merci Karim, bonne soirée ! ^JU", "fr", False, False),
    ("@x Hello Karim 👋 the fix is live ^JD", "en", False, False),
    ("@x Hi Karim 👋", "en", False, True),
    ("@x Thanks @x! We'll look into it. ^JD", "en", True, False),
    ("@x hi there! sending this to the team now ^jd", "en", True, False),
    ("@x We passed this to our Chicago team. Thanks! ^JD", "en", True, False),
    ("@x Happy birthday Emma! 🎉 ^JD", "en", False, False),
    ("@x Congrats Tom! ^JD", "en", False, False),
    ("@x Your Xbox order ships Monday. ^JD", "en", True, False),
    ("@x Check with Apple. ^JD", "en", True, False),
    ("@x Check with Jordan. ^JD", "en", True, False),
    ("@x Your flight to Florence is on time. ^JD", "en", True, False),
    ("@x You're welcome, Ava! ^JD", "en", False, False),
    ("@x Avec plaisir, Chloé ! ^JU", "fr", False, False),
    ("@x De rien Hugo ! ^JU", "fr", False, False),
    ("@x Pas de souci, Emma. ^JU", "fr", False, False),
    ("@x Julie du service client vous rappelle demain.", "fr", True, True),
    ("@x Merci Julie du service client, c'est noté.", "fr", False, True),
]


@pytest.mark.parametrize(("text", "language", "name_fires", "signature_fires"), BOTH_WAYS)
def test_traps_for_both_rules(text: str, language: str, name_fires: bool, signature_fires: bool) -> None:
    report = BOTH.check({"text": text, "language": language})
    rules = {f.rule for f in report.findings}
    assert ("RL301" in rules) is name_fires
    assert ("RL302" in rules) is signature_fires


# --- safe fixes converge, whatever the draft -----------------------------------------------------

FIXER = Linter(Config(select=["RL001", "RL002", "RL301", "RL302"]))
PIECES = st.sampled_from(
    [
        "@marie ",
        "@james_b ",
        "Bonjour ",
        "Hi ",
        "Hi there, ",
        "Bonjour à vous, ",
        "Merci ",
        "Thanks, ",
        "Marie",
        "James",
        "there",
        "votre colis est parti. ",
        "your refund is done. ",
        "https://example.com/a ",
        "#help ",
        "1/2",
        "^JD",
        " -Mike",
        "😀 ",
        "\n",
        "! ",
        ". ",
        ", ",
        "é",
        "Œuvre ",
        "\u200b",
        "{prénom} ",
        "Bonne journée, Marc",
        "Julie du service client",
    ]
)


@settings(max_examples=150, suppress_health_check=list(HealthCheck), deadline=None)
@given(
    st.lists(PIECES, min_size=1, max_size=10).map("".join),
    st.sampled_from(["en", "fr"]),
    st.sampled_from([None, "James Hill", "Marie-Hélène Dubois", "Zoé"]),
    st.sampled_from([None, "Sam Lee", "Julie Martin"]),
)
def test_safe_fixes_converge(text: str, language: str, customer: str | None, agent: str | None) -> None:
    if not text.strip():
        return
    record: dict[str, Any] = {"text": text, "language": language}
    if customer:
        record["customer"] = {"name": customer}
    if agent:
        record["agent"] = {"name": agent}
    report = FIXER.check(record)
    assert report.error is None
    assert all(0 <= f.start <= f.end <= len(text) for f in report.findings)
    if report.fixed_text is not None:
        again = FIXER.check({**record, "text": report.fixed_text})
        assert not [
            f
            for f in again.findings
            if f.rule in {"RL301", "RL302"} and f.fix and f.fix.applicability is Applicability.SAFE
        ]


def test_a_handle_in_the_name_field_is_not_a_name() -> None:
    (finding,) = _findings(NAME, "RL301", "@marie_d Votre colis est parti.", customer={"name": "marie_d"})
    assert finding.fix is not None and finding.fix.applicability is Applicability.MANUAL


# --- name helpers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Marie", True),
        ("Hélène", True),
        ("Jean-Marc", True),
        ("james", True),
        ("Photoshop", False),
        ("Zzyzx", False),
    ],
)
def test_first_name_dictionary(word: str, expected: bool) -> None:
    assert is_first_name(word) is expected


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("bonjour marie helene, merci", "Marie-Hélène", True),
        ("bonjour marie-helene", "Marie Hélène", True),
        ("merci @marie_d", "Marie", False),
        ("bonjour mariette", "Marie", False),
        ("hi jean marc", "Jean-Marc", True),
    ],
)
def test_name_matching_ignores_case_accents_and_hyphens(text: str, name: str, expected: bool) -> None:
    assert names_in(text, name) is expected
    assert name_key("Marie-Hélène") == "marie helene"


# --- name positions beyond the greeting; sign-off shapes (own cases) ----------------------------

# (text, language): the customer is named, by position or capitalisation, not by the handle.
NAME_POSITIONS_QUIET = [
    ("@xy_12 So sorry to hear that Maria. We'll fix it today. ^JD", "en"),
    ("@xy_12 Sorry about this Maria, that's not okay. ^JD", "en"),
    ("@xy_12 Oh no Maria, that's awful! ^JD", "en"),
    ("@xy_12 Aww Sam, thank you! ^JD", "en"),
    ("@xy_12 Thanks for letting us know Priya, we're on it. ^JD", "en"),
    ("@xy_12 No worries Maria! ^JD", "en"),
    ("@xy_12 hi maria, your refund is done. ^JD", "en"),
    ("@xy_12 Hi Will, your refund is done. ^JD", "en"),
    ("@xy_12 Hey June! The app is fixed. ^JD", "en"),
    ("@xy_12 Happy to help Maria 😊 ^JD", "en"),
    ("@dee_codes Cheers for spotting this Dee, it's patched now. ^JD", "en"),
    ("@xy_12 Désolés d'apprendre ça Maria, on s'en occupe. ^JU", "fr"),
    ("@xy_12 Oh non Léa, c'est rageant ! On regarde. ^JU", "fr"),
    ("@xy_12 Avec plaisir Hugo ! ^JU", "fr"),
    ("@xy_12 De rien Maria, bonne soirée. ^JU", "fr"),
    ("@xy_12 bonjour maria, c'est réglé. ^JU", "fr"),
    ("@xy_12 Merci pour ton retour Élodie, on regarde. ^JU", "fr"),
    ("@xy_12 Ah mince Paul, désolés ! ^JU", "fr"),
    ("@xy_12 Merci beaucoup pour ta patience Maria 🙏 ^JU", "fr"),
    ("@xy_12 Salut Max ! C'est réparé. ^JU", "fr"),
]

# (text, language): no one is addressed by name (third persons, answer words, nameless).
NAME_POSITIONS_FIRE = [
    ("@xy_12 Sorry, we've asked Sarah, our manager, to call you. ^JD", "en"),
    ("@xy_12 Please contact Emma, she handles refunds. ^JD", "en"),
    ("@xy_12 Sorry for the wait, we passed this to Amanda. ^JD", "en"),
    ("@xy_12 Yup, we see it too. ^JD", "en"),
    ("@xy_12 Done, your refund is out. ^JD", "en"),
    ("@xy_12 Oh no, that's awful! ^JD", "en"),
    ("@xy_12 hi there, try again now. ^JD", "en"),
    ("@xy_12 Thanks for shopping with us in Austin, see you soon. ^JD", "en"),
    ("@xy_12 Thanks for waiting while Amanda checks your file. ^JD", "en"),
    ("@xy_12 Hi Will is the best way to reach us? ^JD", "en"),
    ("@xy_12 Oui, c'est en cours. ^JU", "fr"),
    ("@xy_12 Parfait, c'est noté. ^JU", "fr"),
    ("@xy_12 Nickel, merci ! ^JU", "fr"),
    ("@xy_12 Oh non, désolés ! ^JU", "fr"),
    ("@xy_12 Désolés, on a prévenu Julien, il vous rappelle. ^JU", "fr"),
    ("@xy_12 bonjour à vous, c'est réglé. ^JU", "fr"),
]


@pytest.mark.parametrize(("text", "language"), NAME_POSITIONS_QUIET)
def test_name_in_other_positions_counts(text: str, language: str) -> None:
    assert not _findings(NAME, "RL301", text, language=language)


@pytest.mark.parametrize(("text", "language"), NAME_POSITIONS_FIRE)
def test_third_persons_and_answer_words_are_not_the_customers_name(text: str, language: str) -> None:
    assert _findings(NAME, "RL301", text, language=language)


# (text, language, brand handle or None, signature expected)
SIGNOFF_SHAPES = [
    ("@xy A new one ships today. Nadia x", "en", None, True),
    ("@xy Speak soon! Anna xx", "en", None, True),
    ("@xy We're on it. -Max", "en", None, True),
    ("@xy Fixed on our side now. -Will", "en", None, True),
    ("@xy All done! - June", "en", None, True),
    ("@xy Your meter is booked in. Thanks, Priya", "en", "@BrightvoltCare", True),
    ("@xy C'est fait. -Max", "fr", None, True),
    ("@xy C'est fait ! Bises, Max", "fr", None, True),
    ("@xy Votre colis est reparti. Chloé x", "fr", None, True),
    ("@xy Your meter is booked in. Thanks, Brightvolt", "en", "@BrightvoltCare", False),
    ("@xy All fixed. Cheers, Brightvolt", "en", "@BrightvoltCare", False),
    ("@xy C'est réglé. Merci, Voltéo", "fr", "@Volteo_FR", False),
    ("@xy Works with Windows -Mac", "en", None, False),
    ("@xy We're on it x", "en", None, False),
    ("@xy Done today. Thank you x", "en", None, False),
    ("@xy C'est réglé, bonne journée x", "fr", None, False),
    ("@xy Ça marche sous Windows -Max", "fr", None, False),
]


@pytest.mark.parametrize(("text", "language", "brand", "signed"), SIGNOFF_SHAPES)
def test_signoff_shapes(text: str, language: str, brand: str | None, signed: bool) -> None:
    context: dict[str, Any] = {"language": language}
    if brand is not None:
        context["brand"] = {"handle": brand}
    assert bool(_findings(SIGN, "RL302", text, **context)) is not signed


# --- questions about a text's fold, answered without folding it (property tests) -------------------

# ASCII and characters whose fold is special: accents, ligatures (œ: two letters), zero-width and
# soft hyphen (nothing), full-width and compatibility forms (ＪＭ, ﬁ, ſ), Kelvin sign, dotted İ,
# typographic apostrophes and dashes, tab and backquote (a space and an apostrophe).
_TRICKY = "aAeEjJmMlLrRiI éÉèœŒ\u200b\u00adＪＭﬁſ\u212aİ’‘–—^-_.@#/\t`'x0,!\n\u00a0"
_texts = st.text(alphabet=_TRICKY, max_size=24)


@settings(max_examples=400, deadline=None)
@given(text=_texts, part=_texts)
def test_may_fold_to_never_misses(text: str, part: str) -> None:
    if part in fold_char_map(text):
        assert may_fold_to(text, part)
    folded = fold_char_map(text)
    for start in range(len(folded)):  # every piece of the fold is found
        assert may_fold_to(text, folded[start : start + 3])


@settings(max_examples=400, deadline=None)
@given(text=_texts, name=st.sampled_from(["Léa", "Marie-Hélène", "JM", "Zoé", "Œlla", "İra", "Ann"]))
def test_spelt_in_is_names_in_on_the_fold(text: str, name: str) -> None:
    for inserted in (text, text[: len(text) // 2] + name + text[len(text) // 2 :], name + text, text + name):
        if spelt_in(inserted, name):
            assert names_in(fold_char_map(inserted), name)


@settings(max_examples=400, deadline=None)
@given(text=_texts, start=st.integers(0, 30), size=st.integers(0, 30))
def test_fold_window_searches_like_the_whole_fold(text: str, start: int, size: int) -> None:
    start = min(start, len(text))
    end = min(len(text), start + size)
    whole = fold(text)
    window, at = fold_window(text, start, end)
    for regex in (r"(?<![a-z])(?:am|lea|e)(?![a-z])", r"(?<!\w)[a-z]{2}", r"(?<![\w@])j"):
        pattern = re.compile(regex)
        expected = pattern.search(whole.text, whole.to_folded(start), whole.to_folded(end))
        found = pattern.search(window, at)
        assert (found is None) is (expected is None)
        if found is not None and expected is not None:
            assert found.group() == expected.group()


@settings(max_examples=300, deadline=None)
@given(text=_texts, signature=st.sampled_from(["^JM", "-Marc", "^Kartika", "JM", "- Léa", "~ ＪＭ", "^J M"]))
def test_carries_answers_as_the_signature_regex_on_the_fold(text: str, signature: str) -> None:
    from replylint.rules.missing_agent_signature import _signature_pattern

    for draft in (f"@x {text}", f"@x {text} {signature}", f"@x {signature}{text}"):
        ctx = BOTH._prepare({"text": draft, "language": "en"})
        assert isinstance(ctx, Context)
        expected = _signature_pattern(signature).regex.search(fold(draft).text) is not None
        if draft.isascii():
            expected = _signature_pattern(signature).regex.search(draft.lower()) is not None
        assert carries(ctx, signature) is expected


def _plain_is_junk(token: str) -> bool:
    """``_is_junk`` as first written: its cheap tests must not change an answer."""
    from replylint.rules.missing_agent_signature import _ALNUM, _COUNTER
    from replylint.text import URL

    if token.isalpha():
        return False
    if token[0] in "@#":
        return True
    if _ALNUM.search(token) is None:
        return True
    if _COUNTER.fullmatch(token):
        return True
    match = URL.match(token)
    return match is not None and _ALNUM.search(token, match.end()) is None


@settings(max_examples=500, deadline=None)
@given(
    token=st.text(
        alphabet=st.sampled_from(list("wW.:/hHtTpPsSxcomfrCOM1209()[]@#_-éÉ🙂^!?,")) | st.characters(),
        min_size=1,
        max_size=16,
    ).filter(lambda t: not any(c.isspace() for c in t))
    | st.sampled_from(
        ["done.", "www..", "1/2", "(3/4)", "example.com", "https://x.co/a", "^JD🙂", "🙂", "a.b."]
    )
)
def test_is_junk_answers_as_the_plain_tests(token: str) -> None:
    from replylint.rules.missing_agent_signature import _is_junk

    assert _is_junk(token) is _plain_is_junk(token)


@pytest.mark.parametrize(
    ("text", "language", "phrase"),
    [
        (
            "@jdoe Your refund is on its way. Priya from the Kundendienst",
            "en",
            "[a-z]+ from the kundendienst",
        ),
        ("@marie Votre colis part demain. Julie des Relations Abonnés", "fr", "[a-z]+ des relations abonnes"),
    ],
)
def test_a_team_sign_off_added_through_config_is_a_signature(text: str, language: str, phrase: str) -> None:
    """The cheap team-word test before the team list knows only the bundled words: with phrases
    added to the list, it must not rule a sign-off out."""
    bundled = Linter(Config(select=["RL302"]))
    extended = Linter(
        Config(select=["RL302"], phrases={"missing-agent-signature": {language: {"team": [phrase]}}})
    )
    assert [f.rule for f in bundled.check({"text": text, "language": language}).findings] == ["RL302"]
    assert extended.check({"text": text, "language": language}).findings == []


@pytest.mark.parametrize(
    ("text", "language", "signed"),
    [
        ("@jdoe Your refund is on its way. Priya from the Billing Support Team.", "en", True),
        ("@jdoe Your refund is on its way. Priya, Acme help desk", "en", True),
        ("@jdoe Our support team will call you today. Have a good one", "en", False),
        ("@jdoe Priya from the support team will call you today", "en", False),
        ("@marie Votre colis part demain. Julie - équipe SAV Acme Mobile", "fr", True),
        ("@marie Votre colis part demain. Léa du service client !", "fr", True),
        ("@marie Le service client vous rappelle demain dans la matinée", "fr", False),
        ("@marie Julie - équipe SAV vous rappelle demain matin", "fr", False),
    ],
)
def test_a_team_sign_off_ends_the_reply(text: str, language: str, signed: bool) -> None:
    """A team named at the end signs the reply; a team named mid-sentence does not."""
    found = Linter(Config(select=["RL302"])).check({"text": text, "language": language}).findings
    assert (found == []) is signed


#: Pieces of team sign-offs: words before, a name, a link word, team words, words after.
_TEAM_PIECES = {
    "en": (
        ["call", "you", "today", "our", "support", "team"],
        [" from the ", ", ", " - ", " of ", " "],
        ["support", "team", "care", "help desk", "helpdesk", "social media", "crew", "service"],
    ),
    "fr": (
        ["vous", "rappelle", "demain", "le", "service", "client"],
        [" du ", " de la ", " - ", ", ", " "],
        ["équipe", "SAV", "service client", "support", "service après-vente", "conseillère", "team"],
    ),
}


@settings(max_examples=400, deadline=None)
@given(data=st.data())
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_team_end_test_never_hides_a_team_sign_off(language: str, data: st.DataObject) -> None:
    """``_team``'s cheap test (the reply ends as a team sign-off does) rules out only replies in
    which the team list finds no sign-off."""
    from dataclasses import replace

    from replylint.rules import missing_agent_signature as mas

    before, links, teams = _TEAM_PIECES[language]
    pick = data.draw
    text = (
        "@x Merci. "
        + " ".join(pick(st.lists(st.sampled_from(before), max_size=4)))
        + (" Julie" if pick(st.booleans()) else " julie")
        + pick(st.sampled_from(links))
        + " ".join(pick(st.lists(st.sampled_from(teams), min_size=1, max_size=2)))
        + "".join(
            " " + w for w in pick(st.lists(st.sampled_from(["Acme", "Mobile", "Paris", *before]), max_size=3))
        )
        + pick(st.sampled_from(["", ".", " !", ")", "\n", ". ^"]))
    )
    linter = Linter(Config(select=["RL302"]))
    ctx = Context(linter._prepare({"text": text, "language": language}).draft, language, linter.resources)
    book = ctx.book(mas.RULE)
    end_at = mas.content_end(ctx)
    found = mas._team(ctx, text, end_at, book)
    data_all = mas._data(book)
    try:  # the same search without the cheap test
        mas._DATA[id(book)] = (book, replace(data_all, team_end=re.compile("")))
        unfiltered = mas._team(ctx, text, end_at, book)
    finally:
        mas._DATA[id(book)] = (book, data_all)
    assert found == unfiltered
