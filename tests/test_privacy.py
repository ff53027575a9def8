"""Privacy rules: RL101 public-personal-data-request and RL102 personal-data-exposed.

Hand-written cases (never corpus text), French and English, positives and traps.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replylint import Config, Linter
from replylint.models import Applicability
from replylint.phrases import PhraseBook, PhraseListData, RuleData
from replylint.rules.public_personal_data_request import _kind_hits, _kinds_of

RL101 = Linter(Config(select=["RL101"]))
RL102 = Linter(Config(select=["RL102"]))
RL102_BRAND = Linter(
    Config.from_mapping(
        {
            "select": ["RL102"],
            "brand": {"public_contacts": ["sav@maboutique.fr", "01 84 88 12 34", "+1 (312) 555-0147"]},
            "rules": {"personal-data-exposed": {"allowed_domains": ["acme-help.com"]}},
        }
    )
)


def _findings(linter: Linter, text: str, language: str, **context: Any) -> list[Any]:
    report = linter.check({"text": text, "language": language, **context})
    assert report.error is None, report.error
    for finding in report.findings:
        assert finding.excerpt == text[finding.start : finding.end]
    return report.findings


# --- RL101 public-personal-data-request -----------------------------------------------------

RL101_EN_FIRES = [
    ("@sam Could you share your email address so we can look into it?", "email"),
    ("@sam Please reply with your order number and we'll check.", "order"),
    ("@sam What's your phone number? We'll call you back.", "phone"),
    ("@sam Can you tell us the email address on your account?", "email"),
    ("@sam Please send us your full name and date of birth.", "name"),
    ("@sam We'll need your account number to check this.", "account"),
    ("@sam Could you post your booking reference here?", "order"),
    ("@sam May I have your tracking number please?", "order"),
    ("@sam Which email address did you sign up with?", "email"),
    ("@sam Please provide the last four digits of your card.", "payment"),
    ("@sam Mind sharing your username so we can find your profile?", "username"),
    ("@sam Let us know your IMEI and we'll check the warranty.", "serial"),
    ("@sam Can you confirm your postal address?", "address"),
    ("@sam Reply here with your ticket number 🙏", "order"),
    ("@sam What is the serial number of your console?", "serial"),
    ("@sam Hi Sam, what's your customer number?", "account"),
    ("@sam Could you give us your passport number?", "id_document"),
    ("@sam Please tell us your password so we can log in and check.", "secret"),
    ("@sam Your order number, please!", "order"),
    ("@sam Drop your e-mail below and we'll reach out.", "email"),
    ("@sam CAN YOU SHARE YOUR EMAIL ADDRESS?", "email"),
    ("@sam Could\u00a0you share your phone\u00a0number?", "phone"),
    ("@sam What\u2019s your order number?", "order"),
    ("@sam Could you share your e\u200bmail address?", "email"),
    ("@sam Could you share your ｅｍａｉｌ address?", "email"),
    ("@sam 😀 Café crème! Could you send your account number?", "account"),
    ("@sam Could you send over the confirmation number for the booking?", "order"),
    ("@sam Could you tell us your mobile number?", "phone"),
    ("@sam Please share your channel URL so we can take a look.", "username"),
    ("@sam Can we get your home address to send a replacement?", "address"),
    ("@sam No need to DM us: what's your order number?", "order"),
    ("@sam Could you share your gamertag and the email on the account?", "username"),
    ("@sam What's the best number to reach you?", "phone"),
    ("@sam Please comment below with your reservation number.", "order"),
    ("@sam We need your date of birth to verify the account.", "birth_date"),
    ("@sam Could you reply with the IMEI of the phone?", "serial"),
    ("@sam Can you send us your emial?", "email"),
    ("@sam What's the last 4 of your card?", "payment"),
    ("@sam Could you tell us what name the reservation is under?", "name"),
    ("@sam Please tell us your tel. number", "phone"),
    ("@sam could u send ur order # pls", "order"),
    ("@sam Kindly provide your SSN.", "account"),
    ("@sam Let us know your Apple ID.", "username"),
    ("@sam Please reply to this tweet with your email address.", "email"),
    ("@sam Could you share the same email you used to order?", "email"),
    # request verbs of informal care replies; coordinated lists; a public request beside a route
    ("@sam Could you pop us your postal address so we can resend it?", "address"),
    ("@sam Chuck us your order number and we'll chase it.", "order"),
    ("@sam Please type your account number below.", "account"),
    ("@sam Send us a photo of the damage, your order number and your phone number.", "phone"),
    ("@sam Could you share your email address (the one you signed up with) and your phone number?", "phone"),
    ("@sam What's your summoner name? Reply here.", "username"),
    ("@sam You can ring our team on 0800 123 456, or just reply below with your case reference.", "order"),
]

RL101_EN_QUIET = [
    "@sam No need to tell us your booking reference here, the desk has it.",
    "@sam There's no need to tell me your card number, we never ask for it.",
    "@sam Please DM us your email address and we'll look into it.",
    "@sam Could you send your order number to us via direct message?",
    "@sam Please don't post your order number here.",
    "@sam Do not share your password with anyone.",
    "@sam Without revealing your email, tell us what happened.",
    "@sam Which device do you use?",
    "@sam Which browser and version are you on?",
    "@sam Could you share a screenshot of the error?",
    "@sam Send us an email at help@example.com with your order number.",
    "@sam Please fill in our contact form with your account details: https://example.com/form",
    "@sam Could you give us a call with your booking reference handy?",
    "@sam Can you tell us the address of the store you visited?",
    "@sam Let us know if your email address has changed recently.",
    "@sam Please check your email for the confirmation link.",
    "@sam What's the name of the app you're using?",
    "@sam What is your order about?",
    "@sam What's your order number? Please send it to us by DM.",
    "@sam Could you tell us which plan your account is on?",
    "@sam We'll never ask for your password or PIN.",
    "@sam Please confirm your email address by clicking the link we sent.",
    "@sam Could you share the version number of the app?",
    "@sam Please send us a DM with your order number and email address.",
    "@sam Feel free to send your phone number and account number to me directly in a private message.",
    "@sam Could you email us your order number?",
    "@sam What phone are you using?",
    "@sam How many items were in your order?",
    "@sam Don't hesitate to follow us so we can DM you about your account number.",
    "@sam Please keep your card details private, even with us.",
    "@sam We'll send the PIN to your phone shortly.",
    "@sam Thanks for sharing your order number, we're on it!",
    "@sam We've sent a code to your email address.",
    "@sam I need help with my password too, funnily enough.",
    "@sam We need a moment to look into your order.",
    "@sam Your card was declined, please try again.",
    "@sam Can you tell us the last time you used the card?",
    "@sam Which email client are you using?",
    "@sam Could you share more details about the error?",
    "@sam Do you have a moment to try the steps again?",
    "@sam Please reach out via our form with your order number: example.com/form",
    "@sam Did you receive an email from us with your booking reference?",
    "@sam Can you confirm you received the confirmation email?",
    "@sam Post a screenshot, hide your email address first.",
    "@sam Make sure your phone number is up to date in Settings.",
    "@sam Your order number is in the confirmation email.",
    "@sam Let us know and we'll email you the return label.",
    "@sam Could you share a screenshot of the error, your email is hidden there anyway.",
    "@sam Type your email address in the search field on our help page.",
    "@sam Pop your phone number in the sign-up box on our homepage.",
    "@sam Please send us a screenshot, and DM us your order number.",
    "@sam Could you tell us your app version and your device model?",
    "@sam Please type your question below and we'll answer.",
    "@sam Pop us a DM with your order number.",
]

RL101_FR_FIRES = [
    ("@julie Merci de nous communiquer votre numéro de commande.", "order"),
    ("@julie Pouvez-vous nous indiquer votre adresse e-mail ?", "email"),
    ("@julie Quel est votre numéro de téléphone ?", "phone"),
    ("@julie Envoyez-nous votre adresse mail et on regarde.", "email"),
    ("@julie Tu peux me donner ton numéro de client ?", "account"),
    ("@julie Pourriez-vous nous transmettre votre numéro de dossier ?", "order"),
    ("@julie Indiquez-nous votre nom et prénom ainsi que votre date de naissance.", "name"),
    ("@julie Quelle est votre adresse postale ?", "address"),
    ("@julie Nous aurions besoin de votre numéro de réservation.", "order"),
    ("@julie Répondez avec votre n° de tél svp.", "phone"),
    ("@julie Donnez-nous les 4 derniers chiffres de votre carte.", "payment"),
    ("@julie Quel est votre identifiant PSN ?", "username"),
    ("@julie Pouvez-vous confirmer votre IBAN ?", "payment"),
    ("@julie C'est quoi ton mail ?", "email"),
    ("@julie Votre numéro de commande svp ?", "order"),
    ("@julie Pouvez-vous nous communiquer le numéro de série de votre box ?", "serial"),
    ("@julie Quel est votre numéro ?", "number"),
    ("@julie Merci de nous préciser votre courriel.", "email"),
    ("@julie Pouvez-vous nous donner votre mot de passe ?", "secret"),
    ("@julie À quel nom est la réservation ?", "name"),
    ("@julie 😊 Désolée pour l'attente ! Pouvez-vous nous indiquer votre numéro de suivi ?", "order"),
    ("@julie POUVEZ-VOUS NOUS DONNER VOTRE NUMÉRO DE TÉLÉPHONE ?", "phone"),
    ("@julie Pouvez\u00a0vous nous indiquer votre adresse\u00a0électronique ?", "email"),
    ("@julie Pouvez-vous nous donner votre code IMEI ?", "serial"),
    ("@julie Il nous faudrait votre numéro de contrat.", "account"),
    ("@julie Pas besoin de MP : indiquez-nous simplement votre numéro de commande ici.", "order"),
    ("@julie Pourriez-vous nous laisser votre numéro de portable ?", "phone"),
    ("@julie Peux-tu m\u2019envoyer ton adresse ?", "address"),
    ("@julie Quel est votre num de tel ?", "phone"),
    ("@julie Merci de nous indiquer votre n° de tél.", "phone"),
    ("@julie Pourriez-vous nous communiquer votre nom complet ?", "name"),
    ("@julie Donne-moi ton e-mail stp.", "email"),
    ("@julie Pouvez-vous nous rappeler votre numéro de carte de fidélité ?", "account"),
    ("@julie Quelle adresse mail avez-vous utilisée ?", "email"),
    ("@julie Nous aurions besoin de votre adresse de livraison complète.", "address"),
    ("@julie Pouvez-vous nous communiquer votre RIB ?", "payment"),
    ("@julie C koi ton num ?", "number"),
    ("@julie Pouvez-vous nous indiquer votre numéro de telephonne ?", "phone"),
    ("@julie Indiquez-nous votre identifiant de connexion.", "username"),
    ("@julie Merci de nous indiquer vos coordonnées.", "phone"),
    ("@julie Quel est votre courriel ?", "email"),
    (
        "@julie Pouvez-vous nous transmettre une photo de l'étiquette, votre numéro de commande et votre adresse mail ?",
        "email",
    ),
    ("@julie Mettez votre numéro de commande en commentaire.", "order"),
    ("@julie Pouvez-vous nous indiquer votre identifiant joueur ?", "username"),
    ("@julie Pouvez-vous nous donner le numéro de votre commande ?", "order"),
    ("@julie Vous pouvez nous appeler au 3900, ou nous indiquer ici votre numéro de contrat.", "account"),
    ("@julie Faites-nous passer votre numéro de suivi svp.", "order"),
]

RL101_FR_QUIET = [
    "@lea Vous avez partagé votre mot de passe avec un proche : le compte a donc été bloqué.",
    "@lea Tu as déjà indiqué ton adresse mail à la création du compte, rien à faire de plus.",
    "@julie Envoyez-nous votre numéro de commande en MP.",
    "@julie Ne partagez pas votre numéro ici, écrivez-nous en privé.",
    "@julie Quel navigateur utilisez-vous ?",
    "@julie Quel appareil utilisez-vous ?",
    "@julie Pouvez-vous nous envoyer votre adresse mail par message privé ?",
    "@julie Sans nous communiquer vos coordonnées ici, pouvez-vous nous décrire le problème ?",
    "@julie Merci de nous transmettre votre numéro de commande via notre formulaire : https://exemple.fr/contact",
    "@julie Pouvez-vous nous appeler au 3900 avec votre numéro client ?",
    "@julie Ne communiquez jamais votre mot de passe.",
    "@julie Nous ne vous demanderons jamais votre code PIN.",
    "@julie Pouvez-vous nous indiquer le modèle de votre téléphone ?",
    "@julie Quelle version de l'application avez-vous ?",
    "@julie Pouvez-vous vérifier que votre adresse mail est correcte ?",
    "@julie Quel est votre numéro de commande ? Envoyez-le nous en MP.",
    "@julie Écrivez-nous par e-mail avec votre numéro de commande.",
    "@julie Indiquez votre adresse dans votre espace client.",
    "@julie Quel est le nom de l'application ?",
    "@julie Gardez votre numéro de carte pour vous, ne le partagez pas.",
    "@julie Pouvez-vous nous dire si votre commande est arrivée ?",
    "@julie Quelle est l'adresse de la boutique ?",
    "@julie Avez-vous reçu un e-mail de confirmation ?",
    "@julie Contactez-nous par téléphone en indiquant votre numéro de client.",
    "@julie N'hésitez pas à nous envoyer votre numéro de commande en message privé.",
    "@julie Pouvez-vous nous envoyer une capture d'écran ?",
    "@julie Dites-nous quelle box vous avez.",
    "@julie Merci de ne pas publier votre adresse ici.",
    "@julie Je vais vous envoyer un lien à votre adresse mail.",
    "@julie Merci d'avoir partagé votre numéro de commande, on s'en occupe.",
    "@julie Nous allons vous communiquer votre numéro de dossier demain.",
    "@julie Nous vous envoyons le code PIN par SMS.",
    "@julie J'ai besoin d'aide avec mon mot de passe moi aussi.",
    "@julie Pouvez-vous nous donner plus de détails ?",
    "@julie Quel forfait avez-vous ?",
    "@julie Pouvez-vous nous envoyer votre email en MP ?",
    "@julie Quelle est la marque de votre téléphone ?",
    "@julie Avez-vous reçu notre e-mail avec votre numéro de dossier ?",
    "@julie Pouvez-vous nous envoyer une capture (en masquant votre numéro de client) ?",
    "@julie Vous trouverez votre numéro de commande dans l'e-mail de confirmation.",
    "@julie Mettez votre adresse mail dans le champ prévu sur notre site.",
    "@julie Pouvez-vous nous envoyer une capture, votre numéro de commande figure dessus ?",
    "@julie Écrivez votre numéro de client dans le formulaire.",
    "@julie Pouvez-vous nous indiquer la version de l'appli et le modèle de votre téléphone ?",
    "@julie Notez bien votre numéro de dossier, il vous sera utile.",
    "@julie Appelez-nous au 3900 avec votre numéro de contrat, ou écrivez-nous en MP.",
]


@pytest.mark.parametrize(("text", "kind"), RL101_EN_FIRES)
def test_rl101_en_fires(text: str, kind: str) -> None:
    found = _findings(RL101, text, "en")
    assert len(found) == 1, text
    assert kind in (found[0].evidence.detail or "")


@pytest.mark.parametrize("text", RL101_EN_QUIET)
def test_rl101_en_quiet(text: str) -> None:
    assert _findings(RL101, text, "en") == []


@pytest.mark.parametrize(("text", "kind"), RL101_FR_FIRES)
def test_rl101_fr_fires(text: str, kind: str) -> None:
    found = _findings(RL101, text, "fr")
    assert len(found) == 1, text
    assert kind in (found[0].evidence.detail or "")


@pytest.mark.parametrize("text", RL101_FR_QUIET)
def test_rl101_fr_quiet(text: str) -> None:
    assert _findings(RL101, text, "fr") == []


def test_rl101_same_span_from_two_head_words_takes_the_kind_first_in_kinds() -> None:
    # "numero" reads the span as an account number, "ligne" as a phone number: which head word
    # is looked at last must not decide (it followed a set's order, so the hash seed)
    data = RuleData(
        lists={
            "kind_account": PhraseListData(phrases=["numero de ligne"]),
            "kind_phone": PhraseListData(phrases=["numero de ligne"]),
        },
        words={"heads_account": ["numero"], "heads_phone": ["ligne"]},
    )
    book = PhraseBook("public-personal-data-request", "fr", data, "test")
    text = "merci de nous indiquer votre numero de ligne."
    # account comes before phone in KINDS
    assert _kind_hits(_kinds_of(book), text, 0) == [(29, 44, "account")]


def test_rl101_kind_does_not_depend_on_the_hash_seed() -> None:
    code = (
        "from replylint import Config, Linter\n"
        "linter = Linter(Config(select=['RL101']))\n"
        "text = '@kevin Bonjour, pouvez-vous nous indiquer en réponse votre numéro de ligne ?'\n"
        "(finding,) = linter.check({'text': text, 'language': 'fr'}).findings\n"
        "print(finding.evidence.detail)\n"
    )
    details = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in range(6)
    }
    assert details == {"kinds: phone"}


@pytest.mark.parametrize(
    ("text", "language"),
    [("@sam What's your order number?", "en"), ("@julie Quel est votre numéro de commande ?", "fr")],
)
def test_rl101_private_channel_is_quiet(text: str, language: str) -> None:
    assert _findings(RL101, text, language) != []
    assert _findings(RL101, text, language, channel="private") == []


def test_rl101_span_covers_the_request_after_emoji_and_accents() -> None:
    text = "@julie 😊 Désolée ! Pourriez-vous nous indiquer votre numéro de suivi ?"
    (finding,) = _findings(RL101, text, "fr")
    assert finding.excerpt == "indiquer votre numéro de suivi"


def test_rl101_message_names_the_kinds() -> None:
    (finding,) = _findings(RL101, "@sam Please reply with your email address and phone number.", "en")
    assert "email address" in finding.message and "phone number" in finding.message


def test_rl101_fix_invites_to_dm_in_the_draft_language() -> None:
    text = "@julie Bonjour, quel est votre numéro de commande ?"
    (finding,) = _findings(RL101, text, "fr")
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    fixed = RL101.fix({"text": text, "language": "fr"}, unsafe=True)
    assert fixed.startswith("@julie Bonjour, pouvez-vous nous envoyer votre numéro de commande")
    assert "message privé" in fixed
    assert _findings(RL101, fixed, "fr") == []


def test_rl101_fix_points_to_email_when_the_brand_cannot_receive_dms() -> None:
    brand = {"follows_customer": False, "open_dms": False}
    (finding,) = _findings(RL101, "@sam What's your email address?", "en", brand=brand)
    assert finding.fix is not None and finding.fix.applicability is Applicability.MANUAL
    assert "contact form" in finding.fix.description


def test_rl101_never_invites_to_send_a_password_privately() -> None:
    (finding,) = _findings(RL101, "@sam Can you tell us your PIN?", "en")
    assert finding.fix is not None and finding.fix.applicability is Applicability.MANUAL


# --- RL102 personal-data-exposed -------------------------------------------------------------

RL102_EN_FIRES = [
    ("@sam We've updated jane.doe@gmail.com on your account.", "jane.doe@gmail.com", {}),
    ("@sam Is JANE.DOE@GMAIL.COM still right?", "JANE.DOE@GMAIL.COM", {}),
    ("@sam We'll call you back at (555) 123-4567 today.", "(555) 123-4567", {}),
    ("@sam We'll call you at 415-555-2671 tomorrow.", "415-555-2671", {}),
    ("@sam Your number +44 7911 123456 is on file.", "+44 7911 123456", {}),
    ("@sam We tried +33 6 12 34 56 78 twice.", "+33 6 12 34 56 78", {}),
    ("@sam The card 4111 1111 1111 1111 was declined.", "4111 1111 1111 1111", {}),
    ("@sam The card 5555-5555-5555-4444 was refunded.", "5555-5555-5555-4444", {}),
    ("@sam Amex 378282246310005 is the one on file.", "378282246310005", {}),
    ("@sam Refund sent to GB82 WEST 1234 5698 7654 32.", "GB82 WEST 1234 5698 7654 32", {}),
    ("@sam Refund sent to DE89370400440532013000 today.", "DE89370400440532013000", {}),
    (
        "@sam The parcel went to 221B Baker Street, London NW1 6XE yesterday.",
        "221B Baker Street, London NW1 6XE",
        {},
    ),
    ("@sam We shipped it to 42 Maple Avenue this morning.", "42 Maple Avenue", {}),
    (
        "@sam Order 112-4839201 has shipped!",
        "112-4839201",
        {"inbound": {"text": "Where is my order 112-4839201??"}},
    ),
    (
        "@sam Account AB7731902C is now unlocked.",
        "AB7731902C",
        {"inbound": {"text": "my account AB7731902C is locked"}},
    ),
    ("@sam 😀 Café! Write to j.smith@outlook.com", "j.smith@outlook.com", {}),
    ("@sam Email ja\u200bne@gmail.com again?", "ja\u200bne@gmail.com", {}),
    ("@sam Call me on 415\u00a0555\u00a02671 please", "415\u00a0555\u00a02671", {}),
    ("@sam Your NIR 2 87 09 75 123 456 86 is wrong.", "2 87 09 75 123 456 86", {}),
    ("@sam Sent to mark_t+shop@yahoo.co.uk.", "mark_t+shop@yahoo.co.uk", {}),
    ("@sam We'll call 555.123.4567 today.", "555.123.4567", {}),
    ("@sam We'll call +1-415-555-2671 today.", "+1-415-555-2671", {}),
    ("@sam IMEI 356938035643809 is now blocked.", "356938035643809", {}),
    ("@sam Ticket #4839201 is open.", "4839201", {"inbound": {"text": "still nothing on ticket #4839201"}}),
]

RL102_EN_QUIET = [
    ("@sam You can reach us at support@example.com anytime.", {}),
    ("@sam Call our toll-free line at 1-800-555-0199 for help.", {}),
    ("@sam Your refund of $120 was sent on 2024-03-02.", {}),
    ("@sam Update to version 12.4.1 and restart.", {}),
    ("@sam See https://example.com/help/123456789012 for details.", {}),
    ("@sam Thanks @user12345678 for the tip!", {}),
    ("@sam The card 4111 1111 1111 1112 is not a valid number anyway.", {}),
    ("@sam GB82 WEST 1234 5698 7654 33 fails its checksum.", {}),
    ("@sam We'll be back at 9:30 on 12/03/2024.", {}),
    ("@sam It took 3 hours on the road.", {}),
    ("@sam Error WS-37368-7 means a temporary ban.", {"inbound": {"text": "I get error WS-37368-7"}}),
    ("@sam Order 112-4839201 has shipped!", {"channel": "private"}),
    ("@sam Write to us at privacy@bigcorp.com.", {}),
    ("@sam Our store at 10 Downing Street opens at 9.", {}),
    ("@sam Reach us on 1 (312) 555-0147 any time.", {}),
    ("@sam Forward it to reportphish@bank.com please.", {}),
    ("@sam It costs 1,299.00 USD.", {}),
    ("@sam Write to care@acme-help.com or desk@acme-help.com.", {}),
    ("@sam We have 12345 users affected.", {}),
    ("@sam Model SM-G973F is supported.", {"inbound": {"text": "my SM-G973F crashes"}}),
    ("@sam Our SIREN is 732 829 320.", {}),
    ("@sam Open 9:00-17:00 Mon-Fri, see #2024update", {}),
    ("@sam Version 10.0.19041.1234 fixes it.", {}),
]

RL102_FR_FIRES = [
    ("@julie Votre ligne (06 12 34 56 78) est active.", "06 12 34 56 78", {}),  # brackets: an aside
    ("@julie Nous vous rappelons au 06 12 34 56 78 demain matin.", "06 12 34 56 78", {}),
    ("@julie Votre numéro 0612345678 est bien noté.", "0612345678", {}),
    ("@julie On vous appelle au 06.12.34.56.78.", "06.12.34.56.78", {}),
    ("@julie Le livreur vous appellera au +33 7 81 23 45 67.", "+33 7 81 23 45 67", {}),
    ("@julie Votre adresse marie.dupont@orange.fr est à jour.", "marie.dupont@orange.fr", {}),
    ("@julie C'est bien MARIE.DUPONT@FREE.FR ?", "MARIE.DUPONT@FREE.FR", {}),
    ("@julie Le colis part au 12 rue de la Paix, 75002 Paris.", "12 rue de la Paix, 75002 Paris", {}),
    ("@julie Livraison au 5 avenue Foch demain.", "5 avenue Foch", {}),
    ("@julie Livré au 3 bis boulevard Saint-Michel.", "3 bis boulevard Saint-Michel", {}),
    ("@julie Remboursement sur FR76 3000 6000 0112 3456 7890 189.", "FR76 3000 6000 0112 3456 7890 189", {}),
    ("@julie Votre carte 4111111111111111 est expirée.", "4111111111111111", {}),
    ("@julie Votre NIR 287097512345686 est enregistré.", "287097512345686", {}),
    ("@julie Votre n° de sécu 2 87 09 75 123 456 86 est validé.", "2 87 09 75 123 456 86", {}),
    (
        "@julie La commande 4839201733 est partie.",
        "4839201733",
        {"inbound": {"text": "Ma commande 4839201733 n'arrive pas"}},
    ),
    (
        "@julie Dossier CX88213907 : remboursement validé.",
        "CX88213907",
        {"inbound": {"text": "dossier CX88213907 toujours pas remboursé"}},
    ),
    ("@julie 😊 Éloïse, on écrit à eloise.b@laposte.net.", "eloise.b@laposte.net", {}),
    ("@julie Joignable au 06\u00a012\u00a034\u00a056\u00a078 ?", "06\u00a012\u00a034\u00a056\u00a078", {}),
    ("@julie Votre fixe 01 42 68 53 00 ne répond pas.", "01 42 68 53 00", {}),
    ("@julie Écrivez à paul.martin@gmail.com en copie.", "paul.martin@gmail.com", {}),
    ("@julie Envoi au 18 place Bellecour, 69002 Lyon.", "18 place Bellecour, 69002 Lyon", {}),
    ("@julie On vous rappelle au 06-12-34-56-78.", "06-12-34-56-78", {}),
    ("@julie Rappel au 0033 6 12 34 56 78.", "0033 6 12 34 56 78", {}),
    ("@julie Rappel au +33 (0)6 12 34 56 78.", "+33 (0)6 12 34 56 78", {}),
    ("@julie Iban : fr7630006000011234567890189.", "fr7630006000011234567890189", {}),
]

RL102_FR_QUIET = [
    ("@julie Écrivez-nous à sav@maboutique.fr.", {}),
    ("@julie Appelez-nous au 01 84 88 12 34.", {}),
    ("@julie Appelez-nous au 09 69 32 10 10.", {}),
    ("@julie Le prix est de 1 299,00 €.", {}),
    ("@julie Mettez à jour en version 12.4.1.", {}),
    ("@julie Rendez-vous le 12/03/2024 à 9h30.", {}),
    ("@julie Notre boutique au 10 rue de Rivoli vous accueille.", {}),
    ("@julie Nous avons 2 cours de yoga ce soir.", {}),
    ("@julie Voir https://exemple.fr/aide/1234567890123.", {}),
    ("@julie Merci @client06123456 !", {}),
    ("@julie Votre carte 4111 1111 1111 1112 ?", {}),
    ("@julie Le numéro vert 0 800 123 456 est gratuit.", {}),
    ("@julie L'erreur 0x80070057 vient de Windows.", {"inbound": {"text": "erreur 0x80070057 au démarrage"}}),
    ("@julie Votre commande 4839201733 est partie.", {"channel": "private"}),
    ("@julie Écrivez à contact@boutique.fr.", {}),
    ("@julie Nous avons 123456 clients.", {}),
    ("@julie Le modèle XPS9310A reste compatible.", {"inbound": {"text": "mon XPS9310A ne démarre plus"}}),
    ("@julie Code promo ETE2024 : -20 %.", {}),
    ("@julie Notre agence au 5 avenue Foch est fermée.", {}),
    ("@julie Le vol AF1234 partira à l'heure.", {"inbound": {"text": "mon vol AF1234 est-il retardé ?"}}),
    ("@julie Nous avons 12 345 678 utilisateurs.", {}),
    ("@julie Le 02/03/2024 à 10:30:00.", {}),
    ("@julie SIRET 552 100 554 00025.", {}),
    ("@julie Votre code promo NOEL0612345678 est actif.", {}),  # a code, glued to letters
    ("@julie Le pack coûte €0612345678, une erreur de saisie ?", {}),  # an amount
]


@pytest.mark.parametrize(("text", "value", "context"), RL102_EN_FIRES)
def test_rl102_en_fires(text: str, value: str, context: dict[str, Any]) -> None:
    found = _findings(RL102_BRAND, text, "en", **context)
    assert [f.excerpt for f in found] == [value]


@pytest.mark.parametrize(("text", "context"), RL102_EN_QUIET)
def test_rl102_en_quiet(text: str, context: dict[str, Any]) -> None:
    assert _findings(RL102_BRAND, text, "en", **context) == []


@pytest.mark.parametrize(("text", "value", "context"), RL102_FR_FIRES)
def test_rl102_fr_fires(text: str, value: str, context: dict[str, Any]) -> None:
    found = _findings(RL102_BRAND, text, "fr", **context)
    assert [f.excerpt for f in found] == [value]


@pytest.mark.parametrize(("text", "context"), RL102_FR_QUIET)
def test_rl102_fr_quiet(text: str, context: dict[str, Any]) -> None:
    assert _findings(RL102_BRAND, text, "fr", **context) == []


@pytest.mark.parametrize(
    ("text", "language", "masked"),
    [
        ("@sam Confirmed: jane.doe@gmail.com", "en", "@sam Confirmed: j***@gmail.com"),
        ("@julie Rappel au 06 12 34 56 78.", "fr", "@julie Rappel au 06 •• •• •• 78."),
        ("@sam Card 4111 1111 1111 1111 declined", "en", "@sam Card 41•• •••• •••• ••11 declined"),
    ],
)
def test_rl102_fix_masks_the_value(text: str, language: str, masked: str) -> None:
    (finding,) = _findings(RL102, text, language)
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    assert RL102.fix({"text": text, "language": language}, unsafe=True) == masked


def test_rl102_brand_contacts_are_allowed_only_when_configured() -> None:
    text = "@julie Léa : 01 84 88 12 34, lea@maboutique.fr."
    assert len(_findings(RL102, text, "fr")) == 2
    assert _findings(RL102_BRAND, text, "fr") == []


# --- robustness -------------------------------------------------------------------------------

PREFIXES = st.text(alphabet="éàçœ😀👍🏽 \u00a0\u200b’«»…ＡＢ", max_size=12)


@settings(max_examples=60, deadline=None)
@given(PREFIXES)
def test_rl101_offsets_hold_after_any_prefix(prefix: str) -> None:
    text = f"@sam {prefix} Could you share your email address?"
    found = _findings(RL101, text, "en")
    assert [f.excerpt for f in found] == ["share your email address"]


@settings(max_examples=60, deadline=None)
@given(PREFIXES)
def test_rl102_offsets_hold_after_any_prefix(prefix: str) -> None:
    text = f"@julie {prefix} Rappel au 06 12 34 56 78 ou à lea.b@gmail.com."
    found = _findings(RL102, text, "fr")
    assert [f.excerpt for f in found] == ["06 12 34 56 78", "lea.b@gmail.com"]


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=300))
def test_privacy_rules_never_crash(text: str) -> None:
    for linter in (RL101, RL102):
        report = linter.check({"text": "@sam " + text, "inbound": {"text": text}})
        assert report.error is None


@pytest.mark.parametrize(
    "text",
    [
        "@sam " + "share your " * 1800,
        "@sam " + "email " * 3000,
        "@sam " + "1 " * 9000,
        "@sam " + "0612345678" * 1900,
        "@sam " + "a@" * 9000,
        "@julie " + "numéro de " * 1900,
        "@sam " + "12 rue " * 2800,
        "@sam " + "06 12 34 56 78 " * 1300,
        "@sam " + "12 Main Street, " * 1200,
    ],
)
def test_privacy_rules_stay_fast_on_hostile_input(text: str) -> None:
    import time

    for linter in (RL101, RL102):
        start = time.perf_counter()
        report = linter.check({"text": text, "inbound": {"text": text}})
        assert report.error is None  # under the input limit: the rules really ran
        assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize(
    ("text", "language", "values"),
    [
        ("@sam Lines 415-555-2671 / 415-555-2672 are yours.", "en", ["415-555-2671", "415-555-2672"]),
        ("@julie Vos lignes 06 12 34 56 78 - 07 12 34 56 78.", "fr", ["06 12 34 56 78", "07 12 34 56 78"]),
    ],
)
def test_rl102_two_phones_in_one_run_of_digits_are_two_findings(
    text: str, language: str, values: list[str]
) -> None:
    assert [f.excerpt for f in _findings(RL102_BRAND, text, language)] == values


# --- speed rewrites of RL102's patterns: same matches as the plain forms -----------------

_PLAIN_FORMS = {
    "_CARD": r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])",
    "_NIR": r"(?<!\d)[12] ?\d{2} ?\d{2} ?(?:\d{2}|2[ab]) ?\d{3} ?\d{3} ?\d{2}(?!\d)",
    "_PHONE_CANDIDATE": r"[+(]?[0-9](?:[ .()/+-]{0,3}[0-9]){7,19}\)?",
    "_FOUR_DIGITS": r"[0-9]{4}",
    "_ADDRESS_GATE": r"[0-9]{1,5}[a-z]?(?:\s?(?:bis|ter))?,?\s[^\W\d_]",
    "_LINK_START": r"https?://|www\.|[@#][^\W\d]|@\d",
}
_PATTERN_TEXT = st.text(alphabet="0123456789 -+().#@/abhtpswrixé٣:", max_size=60)


@settings(max_examples=300, deadline=None)
@given(text=_PATTERN_TEXT, start=st.integers(min_value=0, max_value=60))
def test_rewritten_patterns_match_like_their_plain_forms(text: str, start: int) -> None:
    import re

    from replylint.rules import personal_data_exposed as rl102

    for name, plain in _PLAIN_FORMS.items():
        fast = getattr(rl102, name)
        expected = [m.span() for m in re.compile(plain).finditer(text, start)]
        assert [m.span() for m in fast.finditer(text, start)] == expected, name


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="0123456789 abfrz-٣", max_size=60))
def test_iban_gate_finds_every_iban(text: str) -> None:
    from replylint.rules import personal_data_exposed as rl102

    spans = [m.span() for m in rl102._IBAN.finditer(text)]
    gate = rl102._IBAN_GATE.search(text)
    if gate is None:
        assert spans == []
    else:
        assert spans == [m.span() for m in rl102._IBAN.finditer(text, gate.start() - 2)]


_DIGITS_TEXT = st.text(alphabet="0123456789 -+().#/abtersiz,é٣\n", max_size=60)


@settings(max_examples=400, deadline=None)
@given(text=_DIGITS_TEXT, start=st.integers(min_value=0, max_value=60))
def test_runs_of_digits_answer_like_the_scans(text: str, start: int) -> None:
    """``_Digits`` tells what RL102's scans would find, from the first digit on."""
    from replylint.rules import personal_data_exposed as rl102

    first = rl102._ANY_DIGIT.search(text, start)
    if first is None:
        return
    digits = rl102._Digits(text, first.start())
    assert (digits.most >= 8) == (rl102._DIGIT_RUN.search(text, first.start()) is not None)
    assert (digits.longest >= 4) == (rl102._FOUR_DIGITS.search(text, first.start()) is not None)
    assert digits.address_gates(text) == [
        m.start() for m in rl102._ADDRESS_GATE.finditer(text, first.start())
    ]
    if start > 0:
        return
    # the whole text: the scans that start at its beginning
    long_run = rl102._LONG_RUN.search(text)
    assert digits.long_run(text) == (None if long_run is None else long_run.start())
    gate = rl102._IBAN_GATE.search(text)
    assert digits.iban_gate(text) == (None if gate is None else gate.start())
    # from phone_start on, the same candidates; before it, none with enough digits to be kept
    spans = [m.span() for m in rl102._PHONE_CANDIDATE.finditer(text)]
    kept = [
        m.span()
        for m in rl102._PHONE_CANDIDATE.finditer(text)
        if len(rl102._digits_of(m.group())) >= rl102._PHONE_MIN_DIGITS
    ]
    phone_start = digits.phone_start()
    if phone_start is None:
        assert kept == []
    else:
        after = [m.span() for m in rl102._PHONE_CANDIDATE.finditer(text, phone_start)]
        assert after == [span for span in spans if span[0] >= phone_start]
        assert all(span[0] >= phone_start for span in kept)


@settings(max_examples=300, deadline=None)
@given(text=_PATTERN_TEXT)
def test_digits_of_a_phone_candidate_are_its_digits(text: str) -> None:
    from replylint.rules import personal_data_exposed as rl102

    for match in rl102._PHONE_CANDIDATE.finditer(text):
        assert rl102._digits_of(match.group()) == "".join(c for c in match.group() if c.isdigit())


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="@#htpswww.:/ ab1", max_size=40), body=st.integers(min_value=0, max_value=10))
def test_strip_links_shortcut_blanks_like_the_scan(text: str, body: int) -> None:
    from replylint.rules import personal_data_exposed as rl102

    body = min(body, len(text))
    expected = text if rl102._LINK_START.search(text, body) is None else None
    if expected is not None:
        assert rl102._strip_links(text, body) == (" " * body + text[body:] if body else text)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_rl101_scans_its_lists_with_the_phrase_books_regexes(language: str) -> None:
    """RL101 scans some lists by regex alone (no Hit to build): the book's, config phrases included."""
    from replylint.phrases import build_book
    from replylint.rules import public_personal_data_request as rl101

    book = build_book(rl101.PublicPersonalDataRequest.name, language, {"ask": ["pop (?:it|them) over"]})
    lists = rl101._Kinds(book)
    for name in book.list_names():
        assert lists.pattern(name) is book[name].regex, name
    assert lists.pattern("ask").search("please pop it over") is not None


def test_rl101_required_strings_of_a_list() -> None:
    from replylint.rules.public_personal_data_request import required_strings

    phrases = ["type(?: out| in)?", "put(?: down)?", "not(?:er|ez|e)"]
    assert required_strings(phrases) == ("note", "put", "type")
    assert required_strings(["(?:what|which) is", "what"]) == ("what", "which is")  # spread forms
    assert required_strings(["type", "a"]) is None  # a form too short to be worth searching
    assert required_strings(["(?i)type"]) is None  # the needle's case would not be the text's
    assert required_strings(["[a-z]+ing"]) == ("ing",)
    assert required_strings(["[a-z]+s"]) is None
    assert required_strings([f"word{i}" for i in range(9)]) is None  # too many to search


#: Words of the small trigger lists, near misses and filler
_EN_WORDS = ["include", "includ", "add", "ad", "type", "typ", "put", "what", "whats", "which", "under what"]
_FR_WORDS = ["quel", "quelle", "ajoutez", "joignez", "en precisant", "note", "notez", "tapez", "c'est quoi"]
_NEEDLE_WORDS = st.sampled_from([*_EN_WORDS, *_FR_WORDS, "along with", "paste", "your", "votre", "?", ","])


@pytest.mark.parametrize("language", ["en", "fr"])
@settings(max_examples=300, deadline=None)
@given(words=st.lists(_NEEDLE_WORDS, max_size=8))
def test_rl101_skips_a_list_only_where_it_cannot_match(language: str, words: list[str]) -> None:
    """``_Kinds.absent`` (the trigger scans it skips) never hides a match of the list."""
    from replylint.phrases import build_book
    from replylint.rules import public_personal_data_request as rl101

    book = build_book(rl101.PublicPersonalDataRequest.name, language)
    lists = rl101._Kinds(book)
    text = " ".join(words)
    for name in book.list_names():
        for start, end in ((0, len(text)), (2, len(text) - 3)):
            if lists.absent(name, text, start, end):
                assert book[name].regex.search(text, start, end) is None, name


def test_rl101_endpos_monotone_patterns() -> None:
    """Only patterns whose matches cannot depend on what lies at or past the window's end."""
    from replylint.rules.public_personal_data_request import endpos_monotone

    for pattern in [
        r"(?<!\w)(?:don't|never)(?: (?!hesitate)[a-z']+){0,2} post(?!\w)",
        r"a[^ ]\b",
        r"(?<=x)a(?=[a-z])",
    ]:
        assert endpos_monotone(pattern), pattern
    for pattern in [
        r"post(?! here)",
        r"post$",
        r"post\Z",
        r"(?>post|posting)",
        r"post(?=[^a])",
        r"a(?!\W)",
        r"a++",
    ]:
        assert not endpos_monotone(pattern), pattern


#: Negation words, their near misses, data words and filler, in both languages
_NEGATION_WORDS = st.sampled_from(
    [
        "don't",
        "never",
        "post",
        "posting",
        "share",
        "hesitate",
        "to",
        "your",
        "email",
        "number",
        "without",
        "revealing",
        "hide",
        "keep",
        "it",
        "private",
        "ne",
        "pas",
        "partagez",
        "jamais",
        "sans",
        "publier",
        "votre",
        "masquez",
        "numero",
        "evitez",
        "de",
        "nous",
        "envoyer",
        ",",
        ".",
        "-",
        "x",
        "'",
        "?",
    ]
)


@pytest.mark.parametrize("language", ["en", "fr"])
@settings(max_examples=400, deadline=None)
@given(words=st.lists(_NEGATION_WORDS, max_size=12), cut=st.integers(0, 12))
def test_rl101_one_negation_scan_answers_for_every_item(language: str, words: list[str], cut: int) -> None:
    """``_Kinds.clear_before`` up to the last item is never wrong about an item before it: a
    negation found before an item (ending before a non-word character) is found by the longer scan."""
    from replylint.phrases import build_book
    from replylint.rules import public_personal_data_request as rl101

    book = build_book(rl101.PublicPersonalDataRequest.name, language)
    lists = rl101._Kinds(book)
    text = " ".join(words)
    ends = [
        i
        for i in range(1, len(text) + 1)
        if text[i - 1].isalnum() and (i == len(text) or not text[i].isalnum())
    ]
    for end in ends[cut:]:
        if lists.clear_before("negation", text, 0, end):
            for item_end in ends:
                if item_end <= end:
                    assert book["negation"].regex.search(text, 0, item_end) is None, (text, item_end)


@settings(max_examples=500, deadline=None)
@given(
    text=st.text(
        st.sampled_from([*"0123 ab.-é😡", "１", "⑳", "²", "\u200b", "\u0301", "٣", "½"]), max_size=12
    )
)
def test_rl102_inbound_is_folded_whenever_it_may_hold_four_digits(text: str) -> None:
    """``_may_hold_four_digits`` says ``False`` only when the folded message holds no four digits in a row."""
    from replylint.rules import personal_data_exposed as rl102
    from replylint.text import fold

    if rl102._FOUR_DIGITS.search(fold(text).text) is not None:
        assert rl102._may_hold_four_digits(text), text
