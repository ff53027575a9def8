"""RL203 deflection: redirects that replace help, and the contexts that cancel them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replylint import Config, Linter
from replylint.models import Applicability, Draft

LINTER = Linter(Config(select=["RL203"]))


def check(text: str, language: str, inbound: str | None = None) -> list[Any]:
    record: dict[str, Any] = {"text": text, "language": language}
    if inbound:
        record["inbound"] = {"text": inbound}
    report = LINTER.check(Draft.model_validate(record))
    assert report.error is None, report.error
    return [f for f in report.findings if f.name == "deflection"]


# (draft, expected kind) — each of these sends the customer away instead of helping.
EN_POSITIVES = [
    ("@sam We're just the social media team, so we can't change bookings.", "not-us"),
    ("@sam Sadly there's nothing we can do about the roadworks.", "not-us"),
    ("@sam Parking charges aren't something we can help with.", "not-us"),
    ("@sam We can't do anything about the signal in that area.", "not-us"),
    ("@sam The car parks operate independently of the hotel.", "not-us"),
    ("@sam We're not the customer service team, please call 0800 555 0101.", "not-us"),
    ("@sam This account can't help with billing, sorry.", "not-us"),
    ("@sam We are unable to assist with refund requests over social media.", "not-us"),
    ("@sam Unfortunately I can't help with that here. Please phone our team.", "not-us"),
    ("@sam This is something for our Payments team, reach them via the app.", "not-us"),
    ("@sam That needs to be handled by our loyalty specialists.", "not-us"),
    ("@sam Happy to look into it! Please submit a ticket on our support portal.", "other-channel"),
    ("@sam Sorry for the hassle. Please open a support request and the team will reply.", "other-channel"),
    ("@sam Please send us an email at care@example.com and we'll take it from there.", "other-channel"),
    ("@sam Drop us an e-mail via help.example.com/contact with the details.", "other-channel"),
    ("@sam Please call our hotline and an agent will check it for you.", "other-channel"),
    ("@sam Give us a call at 1-888-555-0199 so we can take a look.", "other-channel"),
    ("@sam Kindly fill in the form on our website and we will get back to you.", "other-channel"),
    ("@sam For help with your account, please visit our help center.", "other-channel"),
    ("@sam It's best to get in touch with our billing team about this charge.", "other-channel"),
    ("@sam Let's get you in touch with our warranty team, they're the best people to help.", "other-channel"),
    ("@sam Our live chat team will be able to help you with this.", "other-channel"),
    ("@sam We'd recommend contacting our device specialists through the app.", "other-channel"),
    ("@sam For all delivery questions, please visit example.com/delivery.", "other-channel"),
    (
        "@sam Can you share your details here so someone can follow up? example.com/requests/new",
        "other-channel",
    ),
    ("@sam Please head to example.com/contact-us and pick the chat option.", "other-channel"),
    ("@sam Please reach out to the manufacturer, they handle repairs for that model.", "third-party"),
    ("@sam You'll need to contact the seller for a refund on that order.", "third-party"),
    ("@sam Please get in touch with your bank about the declined payment.", "third-party"),
    ("@sam Your line is managed by Telco One, so you would need to contact them directly.", "third-party"),
    ("@sam That app is not developed by us, please check with the developer.", "third-party"),
    ("@sam Due to contractual agreements, please reach out to your carrier for this.", "third-party"),
    ("@sam We'd love to help! Please create a ticket here so we can help one-on-one.", "other-channel"),
    ("@kay That's one for our Orders team! Pop them a message through the app.", "not-us"),
    (
        "@kay Hi! We're unable to discuss account specifics on Twitter. Please call the number on your card.",
        "not-us",
    ),
    ("@kay We can't look into orders here, but our chat team can: example.com/chat", "not-us"),
    ("@kay Hi, this is our marketing account. For support, please tweet @ExampleHelp.", "not-us"),
    ("@jo We don't handle payments on this channel. Call us instead.", "not-us"),
    (
        "@kay Our Care team is best placed to help with billing. You can reach them 24/7 on 1-866-555-0142.",
        "other-channel",
    ),
    ("@kay Sorry to hear that. Please log a support case via the admin console.", "other-channel"),
    ("@kay For warranty claims please visit our warranty page and complete the claim form.", "other-channel"),
    (
        "@kay We hear you. Please send the details to feedback@example.com so the team can review.",
        "other-channel",
    ),
    ("@kay Hi Kay, please refer to our FAQ: example.com/faq", "other-channel"),
    ("@kay Check out our community forum, other users may have solved this.", "other-channel"),
    ("@jo Sorry! Please ring customer services on 0800 123 123, they're open till 8.", "other-channel"),
    ("@jo Best thing to do is open a chat with us on the website.", "other-channel"),
    ("@jo You can log a complaint through our website: example.com/complaints", "other-channel"),
    (
        "@kay This sounds like a hardware fault. You'll want to take it to an authorised repair centre.",
        "third-party",
    ),
    (
        "@kay Refunds for third-party purchases have to go through the retailer you bought from.",
        "third-party",
    ),
    ("@kay We'd suggest reaching out to Apple directly as they handle App Store billing.", "third-party"),
    ("@jo Your router is supplied by your broadband provider so they'll need to replace it.", "third-party"),
    (
        "@al Hello! We aren't able to see card transactions from here; your card provider will have them.",
        "not-us",
    ),
    (
        "@al Billing disputes sit with our Payments specialists, you can reach them at payments.example.com.",
        "other-channel",
    ),
    ("@al Please visit your nearest branch with photo ID to reset your PIN.", "other-channel"),
    ("@al Requests like this are handled through our online portal: example.com/portal", "other-channel"),
    ("@al Sorry about that. The quickest way to sort this is to call 0333 123 4567.", "other-channel"),
    (
        "@al The marketplace seller sets their own delivery times, so it's worth asking them directly.",
        "third-party",
    ),
    ("@al Hi there, you'll need to contact the event organiser for ticket refunds.", "third-party"),
]

EN_TRAPS = [
    ("@nina There's nothing we can't sort today: your refund is on its way. ^MS", None),
    ("@nina Not much we'd change either, glad you loved the stay! ^MS", None),
    # "phone" as a noun: the customer's own number read back, not "phone us"
    ("@nina Hi Nina, we have updated your phone 07700 900123 on the account. ^MS", None),
    # fallback after troubleshooting
    ("@sam Try restarting the router. If that doesn't help, give us a call on 0800 555 0101.", None),
    (
        "@sam Please clear the app cache and sign back in. If the issue persists, email us at care@example.com.",
        None,
    ),
    (
        "@sam Follow the steps in this article: example.com/kb/123. Still stuck? Submit a ticket and we'll dig in.",
        None,
    ),
    (
        "@sam Refunds can take up to 5 days to show. If it hasn't arrived after that, contact us here: example.com/help",
        None,
    ),
    # a DM offer is not a deflection
    ("@sam Sorry about that! Send us a DM with your order number and we'll sort it out.", None),
    # help article given while helping
    ("@sam Here's how to reset your password: example.com/kb/reset-password. Let us know if it works!", None),
    # answer to "how do I contact you?"
    ("@sam You can reach our phone team at 0800 555 0101, 8am to 8pm.", "How do I contact you by phone?"),
    ("@sam Sure, you can submit a ticket at example.com/support.", "Where can I open a support ticket?"),
    # appeal / feature request = the resolution itself
    ("@sam If you believe this was a mistake, you can appeal here: example.com/appeal", None),
    ("@sam That feature isn't available yet, but you can send us feedback with your idea in the app.", None),
    # the agent does it
    ("@sam I'll contact the seller for you and update you here tomorrow.", None),
    ("@sam We'll be happy to open a case for you. Which order is it?", None),
    # an extra option next to a real answer
    ("@sam Your order ships tomorrow: example.com/track/abc. You can also call us if you prefer.", None),
    # plain help with no redirect
    ("@sam Thanks for flagging this! We're looking into the outage now and will post updates here.", None),
    ("@sam The team fixed the bug in version 4.2, please update the app and you're all set.", None),
    ("@kay I checked with the carrier: your parcel is out for delivery and should reach you by 6pm.", None),
    ("@kay We've contacted the seller on your behalf and will update you tomorrow.", None),
    ("@kay Thanks for the feedback, I've passed it to our product team.", None),
    ("@kay The form is now fixed, you can submit it again. Sorry about that!", None),
    ("@kay That's a known bug and our engineers are on it. The fix lands in Tuesday's update.", None),
    ("@kay Try toggling airplane mode, then restart. Still no signal? Give us a shout on 611.", None),
    (
        "@jo Our phone lines are very busy right now, sorry. We're replying to everyone here as fast as we can.",
        None,
    ),
    ("@jo Sure! Our number is 0800 000 000 and we're open 8-8.", "what's your phone number?"),
    ("@jo This text is not from us. Please forward it to spam@example.com and delete it.", None),
    ("@jo We've raised a ticket with our engineers, reference 12345. We'll keep you posted here.", None),
    ("@jo There's a full guide here example.com/kb/wifi, it covers your model.", None),
    (
        "@jo That's most likely a temporary glitch. You can see our FAQ for your console here: example.com/faq/ps",
        None,
    ),
    ("@al You can visit any store to return it, or send it back free with the label in your parcel.", None),
    (
        "@al I'm sorry Al. Claims are processed by our insurance team within 5 days, I've marked yours urgent.",
        None,
    ),
    ("@al Our payments team has fixed the double charge, you'll see the credit tomorrow.", None),
    ("@al The seller has confirmed they shipped it yesterday, so it should be with you soon.", None),
]

FR_POSITIVES = [
    ("@lea Les travaux de voirie ne relèvent pas de notre enseigne.", "not-us"),
    ("@lea Le réseau relève du gestionnaire et non de votre fournisseur.", "not-us"),
    ("@lea Nous ne pouvons malheureusement pas intervenir sur les parkings.", "not-us"),
    ("@lea Sur les horaires des trains, nous n'avons pas la main.", "not-us"),
    ("@lea Ton abonnement passe par ta box : c'est à eux qu'il faut t'adresser.", "not-us"),
    ("@lea Ce compte n'est pas le SAV, merci d'appeler le service client.", "not-us"),
    ("@lea Nous ne sommes pas le service client, désolés.", "not-us"),
    ("@lea Nous ne pouvons pas traiter les réclamations sur les réseaux sociaux.", "not-us"),
    ("@lea Je ne suis pas en mesure de vous aider ici pour ce type de dossier.", "not-us"),
    ("@lea Ce n'est pas de notre ressort, voyez avec le fabricant.", "not-us"),
    ("@lea Votre demande relève de notre service contentieux.", "not-us"),
    ("@lea Seul votre conseiller peut débloquer votre carte.", "not-us"),
    ("@lea Nous ne gérons pas les demandes de remboursement, désolés.", "not-us"),
    ("@lea Rapprochez-vous de votre agence pour ce type de demande.", "other-channel"),
    ("@lea Contactez le service client au 09 69 32 15 15, il saura vous aider.", "other-channel"),
    ("@lea Pour toute demande de remboursement, merci de remplir le formulaire en ligne.", "other-channel"),
    ("@lea Avec plaisir ! Merci d'ouvrir un ticket depuis votre espace client.", "other-channel"),
    ("@lea Envoyez-nous un e-mail à aide@exemple.fr avec votre numéro de commande.", "other-channel"),
    ("@lea Rendez-vous sur notre site, rubrique aide, pour nous écrire.", "other-channel"),
    ("@lea Je vous invite à joindre nos conseillers par téléphone.", "other-channel"),
    ("@lea Désolé pour ce désagrément. Vous pouvez appeler le 3900 pour un suivi.", "other-channel"),
    (
        "@lea Nos équipes du service après-vente sauront vous aider, appelez-les au 01 23 45 67 89.",
        "other-channel",
    ),
    ("@lea Merci de déposer une réclamation via le formulaire de contact.", "other-channel"),
    ("@lea Adressez-vous à l'accueil de votre magasin, ils pourront vous aider.", "other-channel"),
    ("@lea Écrivez-nous par courrier à l'adresse indiquée sur votre facture.", "other-channel"),
    ("@lea Il faudra vous rapprocher du service facturation pour cette question.", "other-channel"),
    ("@lea Je vous invite à contacter directement le vendeur de l'article.", "third-party"),
    ("@lea Il faut voir avec votre banque pour ce prélèvement.", "third-party"),
    ("@lea Contactez votre opérateur, c'est lui qui gère la ligne.", "third-party"),
    ("@lea Cette appli est éditée par une autre société, tournez-vous vers l'éditeur.", "third-party"),
    ("@lea Le colis est géré par le transporteur, merci de le contacter directement.", "third-party"),
    ("@lea Rapprochez-vous du constructeur pour la garantie.", "third-party"),
    ("@lea Nous serions ravis de regarder, mais merci de créer un ticket en ligne.", "other-channel"),
    (
        "@jo Nous ne sommes pas en mesure de traiter votre dossier via Twitter, appelez votre conseiller.",
        "not-us",
    ),
    ("@jo Malheureusement nous n'avons pas accès à votre dossier depuis Twitter.", "not-us"),
    ("@jo Désolé, ce n'est pas possible ici, merci de voir ça avec votre agence.", "not-us"),
    (
        "@jo Bonjour, pour ce type de demande il faut passer par votre espace client, rubrique Contact.",
        "other-channel",
    ),
    (
        "@jo Nous sommes désolés. Pour toute réclamation, merci d'écrire à reclamation@exemple.fr.",
        "other-channel",
    ),
    ("@jo Le mieux est de vous rendre en boutique avec votre facture.", "other-channel"),
    ("@jo Je vous redirige vers notre centre d'aide : exemple.fr/aide", "other-channel"),
    ("@jo Pour ce genre de question, le plus simple est de nous appeler.", "other-channel"),
    ("@jo Nos conseillers en agence sauront mieux vous renseigner.", "other-channel"),
    ("@jo Ici c'est le compte de la marque, pour le SAV il faut écrire à @ExempleSAV.", "other-channel"),
    (
        "@jo La livraison est assurée par un transporteur partenaire, rapprochez-vous d'eux pour le suivi.",
        "third-party",
    ),
    ("@jo Votre carte est gérée par votre banque, c'est elle qui peut faire opposition.", "third-party"),
    ("@jo Bonjour, je vous conseille de voir avec votre opérateur pour la portabilité.", "third-party"),
    ("@al Bonjour, les résiliations se font uniquement par courrier recommandé.", "other-channel"),
    (
        "@al Nous ne pouvons pas modifier votre commande depuis les réseaux sociaux, passez par l'appli.",
        "not-us",
    ),
    ("@al Bonjour, c'est votre gestionnaire de compte qui pourra vous répondre.", "other-channel"),
    ("@al Rendez-vous dans l'une de nos agences avec une pièce d'identité.", "other-channel"),
    ("@al Le remboursement est à demander auprès de la compagnie aérienne.", "third-party"),
]

FR_TRAPS = [
    ("@lea Pas de souci, nous vous renvoyons le colis dès demain. ^JM", None),
    (
        "@lea Videz le cache puis relancez l'appli. Si le problème persiste, contactez-nous au 09 69 32 15 15.",
        None,
    ),
    ("@lea Redémarrez la box 30 secondes. Si rien ne change, appelez le 3900 et on ouvrira un ticket.", None),
    ("@lea Essayez de vous reconnecter. Sinon, vous pouvez remplir le formulaire de contact.", None),
    ("@lea Merci de nous contacter en MP avec votre numéro de dossier, on regarde ça.", None),
    ("@lea Je vais contacter le transporteur pour savoir où est votre colis.", None),
    ("@lea Nous allons ouvrir une réclamation pour vous, je reviens vers vous demain.", None),
    (
        "@lea Vous pouvez nous joindre au 09 69 39 39 00 du lundi au samedi.",
        "Quel est le numéro du service client ?",
    ),
    (
        "@lea Bien sûr : le formulaire de contact est ici exemple.fr/contact",
        "Comment puis-je vous contacter par écrit ?",
    ),
    ("@lea Votre colis est en cours de livraison, il arrivera demain. Bonne journée !", None),
    ("@lea Nous regardons cela tout de suite. Pouvez-vous nous préciser le modèle de votre box ?", None),
    ("@lea Cette fonctionnalité n'est pas encore disponible, votez pour l'idée sur notre forum.", None),
    (
        "@lea Si vous souhaitez contester la décision, vous pouvez faire un recours ici : exemple.fr/recours",
        None,
    ),
    ("@lea Voici comment modifier votre adresse : exemple.fr/aide/adresse. Dites-nous si ça marche !", None),
    (
        "@lea Le remboursement apparaît sous 5 jours. Passé ce délai, si rien n'apparaît, écrivez-nous ici.",
        None,
    ),
    ("@jo Je comprends votre agacement. J'ai relancé le transporteur, je reviens vers vous demain.", None),
    ("@jo Avez-vous essayé de redémarrer la box ? Si le souci persiste, appelez le 3900.", None),
    ("@jo Merci pour votre retour, je transmets à l'équipe produit.", None),
    ("@jo On regarde ça ensemble : pouvez-vous nous envoyer votre numéro de commande en MP ?", None),
    ("@jo Bonsoir, un conseiller va vous rappeler demain matin.", None),
    (
        "@jo Votre commande est partie ce matin, suivi ici : exemple.fr/suivi/1. Vous pouvez aussi nous appeler.",
        None,
    ),
    (
        "@jo Notre service client est joignable au 09 69 32 15 15 du lundi au samedi.",
        "Comment joindre le service client ?",
    ),
    ("@jo Cette option n'est pas encore disponible, partagez votre suggestion sur notre forum.", None),
    ("@jo Si la facture n'apparaît toujours pas demain, envoyez-nous un mail à aide@exemple.fr.", None),
    ("@al Le colis a été remis au transporteur hier, il arrive demain.", None),
    ("@al Nous avons contacté votre agence, elle vous rappelle dans la journée.", None),
    ("@al Le paiement se fait en trois fois sans frais, directement dans votre panier.", None),
    ("@al Je passe le relais à mon collègue qui reviendra vers vous ici même.", None),
]


def _ids(case: tuple[str, str | None]) -> str:
    return case[0][:50]


@pytest.mark.parametrize(("text", "kind"), EN_POSITIVES, ids=[_ids(c) for c in EN_POSITIVES])
def test_english_deflection(text: str, kind: str) -> None:
    found = check(text, "en")
    assert len(found) == 1, text
    assert f"({kind})" in found[0].message
    assert found[0].evidence is not None and f"kind={kind}" in (found[0].evidence.detail or "")


@pytest.mark.parametrize(("text", "inbound"), EN_TRAPS, ids=[_ids(c) for c in EN_TRAPS])
def test_english_not_deflection(text: str, inbound: str | None) -> None:
    assert check(text, "en", inbound) == []


@pytest.mark.parametrize(("text", "kind"), FR_POSITIVES, ids=[_ids(c) for c in FR_POSITIVES])
def test_french_deflection(text: str, kind: str) -> None:
    found = check(text, "fr")
    assert len(found) == 1, text
    assert f"({kind})" in found[0].message


@pytest.mark.parametrize(("text", "inbound"), FR_TRAPS, ids=[_ids(c) for c in FR_TRAPS])
def test_french_not_deflection(text: str, inbound: str | None) -> None:
    assert check(text, "fr", inbound) == []


def test_counts() -> None:
    assert len(EN_POSITIVES) + len(EN_TRAPS) >= 30
    assert len(FR_POSITIVES) + len(FR_TRAPS) >= 30


def test_contact_question_only_cancels_when_asked() -> None:
    text = "@sam You can reach our phone team at 0800 555 0101, 8am to 8pm."
    assert check(text, "en", "How do I contact you by phone?") == []
    assert check(text, "en", "My order never arrived and nobody answers.") != []


def test_not_us_is_strongest_and_not_cancelled_by_fallback() -> None:
    text = (
        "@sam Try restarting it. If that doesn't help, we are not the customer service, call 0800 555 0101."
    )
    found = check(text, "en")
    assert len(found) == 1 and "(not-us)" in found[0].message


def test_finding_points_at_the_phrase_and_offers_a_rewrite_in_the_draft_language() -> None:
    text = "@lea Désolé ! Contactez le service client au 09 69 32 15 15."
    (finding,) = check(text, "fr")
    assert text[finding.start : finding.end].lower().startswith("contactez le service client")
    assert finding.fix is not None and finding.fix.applicability is Applicability.MANUAL
    assert not finding.fix.edits
    assert "ici même" in finding.fix.description
    assert finding.evidence is not None and finding.evidence.source.startswith(
        "fr/deflection.toml:other_channel"
    )
    (english,) = check("@sam Please submit a ticket at example.com/help.", "en")
    assert english.fix is not None and "right here" in english.fix.description


def test_offsets_survive_folding() -> None:
    # accents, typographic apostrophe and a zero-width space before the phrase
    text = "@lea Désolé\u200b pour l’attente. Écrivez-nous par e-mail à aide@exemple.fr."
    (finding,) = check(text, "fr")
    assert finding.excerpt == text[finding.start : finding.end]
    assert finding.excerpt.startswith("Écrivez-nous")


def test_phrases_inside_urls_do_not_count() -> None:
    assert check("@sam Here is the answer: example.com/contact-us/submit-a-ticket/help", "en") == []


def test_anchor_gate_never_hides_a_phrase(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every phrase of a redirect list contains one of the list's anchors ([words]): gating or not,
    the same drafts are flagged."""
    from replylint.rules import deflection

    cases = [(t, "en") for t, _ in EN_POSITIVES + EN_TRAPS] + [(t, "fr") for t, _ in FR_POSITIVES + FR_TRAPS]
    gated = [bool(check(text, language)) for text, language in cases]
    original = deflection._Gate.__init__

    def ungated(self: deflection._Gate, book: Any) -> None:
        original(self, book)
        self.scans = [(name, kind, regex, None) for name, kind, regex, _ in self.scans]

    monkeypatch.setattr(deflection._Gate, "__init__", ungated)
    monkeypatch.setattr(deflection, "_GATES", {})
    assert [bool(check(text, language)) for text, language in cases] == gated


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("@x Please reach out to us via DM so we can help.", "en"),
        ("@x Contact us via direct message and we'll check your account.", "en"),
        ("@x Feel free to send us a message with the details.", "en"),
        ("@x Get in touch with us by DM and our team will look into it.", "en"),
        ("@x Merci de nous contacter en MP, nous allons vérifier.", "fr"),
        ("@x Contactez-nous par message privé avec votre numéro de commande.", "fr"),
        ("@x Vous pouvez nous joindre en message privé pour plus de détails.", "fr"),
    ],
)
def test_dm_offers_are_not_deflection(text: str, language: str) -> None:
    assert check(text, language) == []


def test_phrases_added_through_config_are_matched() -> None:
    """A user phrase in an existing list fires even without one of the list's anchors."""
    config = Config(
        select=["RL203"], phrases={"deflection": {"en": {"other_channel_phone": ["light the bat signal"]}}}
    )
    report = Linter(config).check(
        Draft(text="@sam Please light the bat signal, Robin will help.", language="en")
    )
    assert [f.name for f in report.findings] == ["deflection"]
    assert report.findings[0].evidence is not None
    assert report.findings[0].evidence.pattern == "light the bat signal"


# Replies written from scratch to check unseen wording: (language, flagged?, draft, inbound or None).
FRESH = [
    (
        "en",
        True,
        "@b Hi! Our social media team doesn't have access to your account. Please phone 0800 444 555.",
        None,
    ),
    ("en", True, "@b For anything to do with your mortgage, please speak to your mortgage adviser.", None),
    ("en", True, "@b We'd ask you to raise this via our online complaints form so it can be logged.", None),
    ("en", True, "@b Sorry to hear this. Your best bet is to contact the hotel directly.", None),
    (
        "en",
        True,
        "@b Hi, unfortunately that's outside what we can do on here. Our team on 0345 600 700 can help.",
        None,
    ),
    (
        "en",
        True,
        "@b The delivery was handled by our courier partner, please contact them with your tracking number.",
        None,
    ),
    (
        "en",
        True,
        "@b You can raise a support request at help.example.com and the team will pick it up.",
        None,
    ),
    ("en", True, "@b Please get in touch with your local council about bin collections.", None),
    ("en", True, "@b Hey! That's a question for the Play Store, as they process all in-app purchases.", None),
    ("en", True, "@b Please visit our website and use the live chat, an agent will be able to help.", None),
    ("en", False, "@b Sorry about this! I've credited £10 to your account as a goodwill gesture.", None),
    ("en", False, "@b We've spoken to the courier and they'll redeliver tomorrow between 9 and 12.", None),
    ("en", False, "@b Thanks for the kind words, I'll pass them on to the team!", None),
    (
        "en",
        False,
        "@b That should be fixed now. If it happens again, just reply here and we'll dig in.",
        None,
    ),
    ("en", False, "@b You can pause your membership in the app: Account > Membership > Pause.", None),
    ("en", False, "@b Hmm, that's not right. Can you tell me the error code you're seeing?", None),
    (
        "en",
        False,
        "@b We've opened a complaint on your behalf, ref 55512. I'll update you here by Friday.",
        None,
    ),
    ("en", False, "@b Our customer service team will email you a prepaid label today.", None),
    (
        "en",
        False,
        "@b Sorry, the website is down for maintenance until 6am. Orders placed before then are safe.",
        None,
    ),
    ("en", False, "@b Yes, you can call us on 0800 444 555 any time.", "Is there a number I can call?"),
    (
        "fr",
        True,
        "@b Bonjour, nous ne pouvons pas accéder à votre contrat ici, merci d'appeler le 3000.",
        None,
    ),
    ("fr", True, "@b Il faut vous adresser directement à votre pharmacie pour ce remboursement.", None),
    ("fr", True, "@b Merci de formuler votre demande via notre formulaire en ligne.", None),
    ("fr", True, "@b Pour cela, rapprochez-vous du service relations clients au 09 77 40 50 60.", None),
    ("fr", True, "@b Les litiges sont traités uniquement par courrier au service consommateurs.", None),
    (
        "fr",
        True,
        "@b Votre abonnement est facturé par votre opérateur mobile, c'est lui qui peut le résilier.",
        None,
    ),
    (
        "fr",
        True,
        "@b Vous pouvez contacter nos conseillers depuis votre espace client, rubrique Contact.",
        None,
    ),
    ("fr", True, "@b Ce compte ne traite pas les demandes de remboursement, contactez le SAV.", None),
    ("fr", False, "@b Désolé pour ce retard ! J'ai relancé l'atelier, votre vélo sera prêt vendredi.", None),
    ("fr", False, "@b Nous avons bien reçu votre dossier, il est en cours de traitement.", None),
    ("fr", False, "@b C'est réparé ! Pensez à vider le cache si l'ancienne version s'affiche encore.", None),
    ("fr", False, "@b Je vous rembourse les frais de port tout de suite.", None),
    (
        "fr",
        False,
        "@b Oui, le magasin de Lille est ouvert dimanche de 10h à 18h.",
        "Le magasin de Lille est-il ouvert dimanche ?",
    ),
    ("fr", False, "@b Merci ! On transmet votre idée à l'équipe produit.", None),
    (
        "fr",
        False,
        "@b Si le voyant reste rouge après le redémarrage, appelez-nous au 3900 et on prend le relais.",
        None,
    ),
    ("fr", False, "@b Votre conseiller vous rappellera demain avant midi.", None),
    (
        "en",
        True,
        "@c Hi Cat, we're not set up to handle refunds on social. Please use the refund request page in your account.",
        None,
    ),
    ("en", True, "@c You'll have to take that up with the airline, as they operate the flight.", None),
    (
        "en",
        True,
        "@c Thanks for flagging! Could you report this to our Trust & Safety team using the in-app report button?",
        None,
    ),
    (
        "en",
        True,
        "@c Hi, our Twitter team can't view orders. Best to give customer services a call on 0330 111 222.",
        None,
    ),
    ("en", True, "@c Please write to our head office at the address on our website.", None),
    ("en", True, "@c Sorry to hear that! For insurance claims, please contact your insurer directly.", None),
    ("en", True, "@c Hey, please open a case with our support team at example.com/support/new.", None),
    (
        "en",
        True,
        "@c This one needs to go to our Returns team, you can reach them via returns@example.com.",
        None,
    ),
    ("en", True, "@c Hi Cat, I'd recommend speaking to your GP about that.", None),
    (
        "en",
        True,
        "@c Can you pop your details into our contact form at example.com/contact? Someone will be in touch.",
        None,
    ),
    ("en", False, "@c Hi Cat! Your replacement is on its way, tracking: example.com/track/9981.", None),
    ("en", False, "@c Apologies! We've fixed the typo on the product page, thanks for spotting it.", None),
    ("en", False, "@c We've let the driver know and they'll call you when they're 10 minutes away.", None),
    (
        "en",
        False,
        "@c The promo code works on full-price items only, sorry. Try it on the jacket and it'll apply.",
        None,
    ),
    ("en", False, "@c Sorry for the wait, Cat. Your booking is confirmed for the 14th at 7pm.", None),
    (
        "en",
        False,
        "@c I've asked our returns team to process it today, you'll get an email once it's done.",
        None,
    ),
    (
        "en",
        False,
        "@c If the code still isn't accepted after clearing your basket, give us a shout here and we'll apply it manually.",
        None,
    ),
    ("en", False, "@c Our team is on it! We'll reply to your email within the hour.", None),
    ("en", False, "@c Great news, the update is rolling out today, just restart the app to get it.", None),
    ("en", False, "@c You can call us on 0330 111 222, lines open 8am-8pm.", "What number should I ring?"),
    (
        "fr",
        True,
        "@c Bonjour, nous ne pouvons pas traiter les résiliations par ce biais, merci d'envoyer un courrier.",
        None,
    ),
    ("fr", True, "@c Il faudra voir cela avec le fabricant, la garantie est gérée par lui.", None),
    ("fr", True, "@c Pour toute question sur votre facture, contactez le 3900.", None),
    ("fr", True, "@c Je vous invite à prendre contact avec votre agence bancaire.", None),
    (
        "fr",
        True,
        "@c Merci de vous connecter à votre espace client pour nous écrire via la messagerie.",
        None,
    ),
    (
        "fr",
        True,
        "@c Bonjour, ce n'est pas nous qui gérons les livraisons, voyez avec le transporteur.",
        None,
    ),
    ("fr", True, "@c Vous pouvez signaler ce contenu via le formulaire de signalement.", None),
    (
        "fr",
        True,
        "@c Désolé, ici nous ne pouvons pas accéder à votre compte. Appelez le service client.",
        None,
    ),
    ("fr", False, "@c Merci pour votre patience ! Le remboursement a été effectué ce matin.", None),
    ("fr", False, "@c Nous avons signalé le problème à l'équipe technique, il sera corrigé ce soir.", None),
    (
        "fr",
        False,
        "@c Votre colis est au point relais depuis hier, pensez à le récupérer avant samedi.",
        None,
    ),
    ("fr", False, "@c Je comprends, je vous envoie un bon d'achat de 10 € en compensation.", None),
    ("fr", False, "@c Si malgré la réinitialisation la box ne redémarre pas, contactez-nous au 3900.", None),
    ("fr", False, "@c Oui, vous pouvez nous appeler au 3900 de 8h à 20h.", "Quel numéro appeler ?"),
    ("fr", False, "@c Votre conseiller vous contactera demain pour finaliser le dossier.", None),
    ("fr", False, "@c Nous regardons cela avec le transporteur et revenons vers vous ici.", None),
    (
        "en",
        True,
        "@d Hi Dee, unfortunately we can't amend bookings through social media. Please call reservations on 0344 800 2000.",
        None,
    ),
    (
        "en",
        True,
        "@d Sorry for the trouble! You'll need to log a ticket through the IT self-service portal.",
        None,
    ),
    (
        "en",
        True,
        "@d Hey Dee, the game servers are run by our publishing partner, so please reach out to their support.",
        None,
    ),
    ("en", True, "@d Please fill in the damage report form on our website and we'll review it.", None),
    (
        "en",
        True,
        "@d That needs to be sorted by the branch you bought it from, they hold the paperwork.",
        None,
    ),
    (
        "en",
        True,
        "@d I'm afraid the social team can't see account info. Our phone team can help: 0800 321 321.",
        None,
    ),
    ("en", True, "@d Please email customer.relations@example.com with your booking reference.", None),
    (
        "en",
        True,
        "@d We're sorry. Please head over to our Help Centre and choose 'Contact us' to chat to an adviser.",
        None,
    ),
    ("en", True, "@d Your warranty is with the manufacturer, so they're the ones to contact.", None),
    (
        "en",
        True,
        "@d Happy to help! Please submit a request at example.com/help and we'll look into it.",
        None,
    ),
    ("en", True, "@d For questions about your subscription, visit example.com/account and click Help.", None),
    ("en", True, "@d Hi, please direct your query to our lettings team at lettings@example.com.", None),
    (
        "en",
        False,
        "@d So sorry Dee! I've refunded the delivery fee and the parcel will arrive tomorrow.",
        None,
    ),
    (
        "en",
        False,
        "@d It looks like the payment didn't go through. Could you try once more with the same card?",
        None,
    ),
    (
        "en",
        False,
        "@d We've passed this to our store team and they'll have it ready for collection on Friday.",
        None,
    ),
    ("en", False, "@d Thanks for the heads up! Our engineers have restored service in your area.", None),
    (
        "en",
        False,
        "@d Absolutely, the sale runs until Sunday midnight and applies online and in store.",
        None,
    ),
    (
        "en",
        False,
        "@d Here's the article on setting up two-step login: example.com/help/2fa. Shout if you get stuck!",
        None,
    ),
    (
        "en",
        False,
        "@d Sorry, Dee. If restarting the TV box doesn't fix it, reply here and I'll book an engineer.",
        None,
    ),
    (
        "en",
        False,
        "@d You can email us at hello@example.com, we reply within a day.",
        "Do you have an email address?",
    ),
    (
        "en",
        False,
        "@d We totally get it. I've logged your feedback with the product team so they can review it.",
        None,
    ),
    (
        "en",
        False,
        "@d The delay was caused by a signal failure at Reading; trains are now running normally.",
        None,
    ),
    (
        "fr",
        True,
        "@d Bonjour, nous ne pouvons pas modifier les réservations sur les réseaux sociaux, appelez le 3635.",
        None,
    ),
    ("fr", True, "@d Il faut déposer une demande sur le portail fournisseurs, rubrique Assistance.", None),
    ("fr", True, "@d Pour la garantie, voyez directement avec le constructeur.", None),
    ("fr", True, "@d Désolé ! Écrivez à notre service réclamations à reclamations@exemple.fr.", None),
    ("fr", True, "@d Ce type de demande est traité par votre agence, contactez-la directement.", None),
    ("fr", True, "@d Bonjour, merci de compléter le formulaire de réclamation sur notre site.", None),
    (
        "fr",
        True,
        "@d Nous ne sommes pas habilités à répondre sur ce sujet ici, rapprochez-vous de votre conseiller.",
        None,
    ),
    ("fr", True, "@d Votre box est fournie par votre FAI, c'est à lui de la remplacer.", None),
    (
        "fr",
        False,
        "@d Toutes nos excuses, je viens d'annuler les frais et vous recevrez un e-mail de confirmation.",
        None,
    ),
    ("fr", False, "@d Le magasin a bien reçu votre commande, elle sera prête demain à 10h.", None),
    (
        "fr",
        False,
        "@d Avez-vous essayé de vous déconnecter puis reconnecter ? Dites-nous si ça va mieux.",
        None,
    ),
    ("fr", False, "@d Nous transmettons votre remarque au service concerné, merci !", None),
    (
        "fr",
        False,
        "@d Si le débit reste faible après le redémarrage, écrivez-nous ici et on ouvre un ticket.",
        None,
    ),
    (
        "fr",
        False,
        "@d Oui, le service client est joignable au 3900 jusqu'à 20h.",
        "Jusqu'à quelle heure le service client est joignable ?",
    ),
    ("fr", False, "@d Votre remboursement de 25 € est en route, comptez 3 jours ouvrés.", None),
    (
        "fr",
        False,
        "@d Votre colis a été remis au transporteur hier soir, suivi ici : exemple.fr/suivi/42.",
        None,
    ),
]


@pytest.mark.parametrize(("language", "flagged", "text", "inbound"), FRESH, ids=[c[2][:50] for c in FRESH])
def test_fresh_wording(language: str, flagged: bool, text: str, inbound: str | None) -> None:
    assert bool(check(text, language, inbound)) is flagged


def _assert_gate_matches_lists(language: str, text: str) -> None:
    from replylint.phrases import build_book
    from replylint.rules import deflection

    book = build_book("deflection", language)
    gate = deflection._gate(book)
    union = gate.any_redirect.search(text)
    assert gate.first_redirect(text) == (-1 if union is None else union.start()), text
    for name in gate.redirects:
        expected = list(book[name].finditer(text))
        spans = [(match.start(), match.end()) for match in gate.regexes[name].finditer(text)]
        assert spans == [(hit.start, hit.end) for hit in expected], (name, text)
        phrases = [deflection._phrase(book, text, deflection._Redirect(*span, name)) for span in spans]
        assert phrases == [hit.phrase for hit in expected], (name, text)
        assert not expected or (union is not None and union.start() <= expected[0].start), (name, text)
    for kind in deflection.KINDS:
        # a kind's first redirect: the leftmost hit of its lists, the first list's on a tie
        hits = [
            hit
            for name in gate.redirects
            if deflection._kind(name) == kind
            for hit in book[name].finditer(text)
        ]
        first = min(hits, key=lambda hit: hit.start, default=None)
        expected_first = None if first is None else (first.start, first.end, first.list_name)
        assert gate.first_of_kind(kind, text, 0) == expected_first, (kind, text)
    # the cancelling lists, searched from word starts, match where their own alternation does
    for name in (
        "dm",
        "fallback",
        "weak_fallback",
        "alternative",
        "helping",
        "resolution",
        "contact_question",
    ):
        search = getattr(gate, name)
        for pos, endpos in ((0, len(text)), (1, len(text)), (len(text) // 3, 2 * len(text) // 3)):
            match = book[name].regex.search(text, pos, endpos)
            found = search.search(text, pos, endpos)
            spans = None if found is None else (found[0], found[1].end())
            assert spans == (None if match is None else match.span()), (name, text, pos, endpos)


@pytest.mark.parametrize(
    "text",
    [
        "please call 0800 555 0101 or call your call 0800 555 0101",
        "your call 0800 555 0101, my ring 0800 555 0101, you can call 0800 555 0101",
        "how to report it here, or report it here, flag it to the team",
        "you may phone 0800 555 0101. our hotline, the support channels",
    ],
)
def test_spread_lists_match_like_the_phrase_lists(text: str) -> None:
    """The gate's own spreading of a list (optional leads, lookbehinds moved past the first letter)
    finds the same hits as the list; the union's first match never comes after a list's."""
    _assert_gate_matches_lists("en", text)


def _vocabulary(language: str, extra: set[str]) -> list[str]:
    """The words of every deflection phrase in ``language``, and ``extra``: what random drafts are made of."""
    from replylint.phrases import build_book

    book = build_book("deflection", language)
    phrases = (p for name in book.list_names() for p in book[name].phrases)
    return sorted({w for p in phrases for w in re.findall(r"[a-z']+", p)} | extra)


@pytest.mark.parametrize("language", ["en", "fr"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_spread_lists_match_like_the_phrase_lists_on_any_words(language: str, data: st.DataObject) -> None:
    vocabulary = _vocabulary(language, {"the", "x", "1", "0800 555 0101", "how to", "your", "😡"})
    _assert_gate_matches_lists(
        language, " ".join(data.draw(st.lists(st.sampled_from(vocabulary), max_size=24)))
    )


def _assert_kept_like_the_full_scan(language: str, text: str) -> None:
    """A kind's first redirect, found by one search of its lists, decides as the list of all the
    redirects (the anchor-gated scan of each list) does."""
    from replylint.rules import deflection

    ctx = LINTER._prepare(Draft(text=text, language=language))
    gate = deflection._gate(ctx.book("deflection"))
    masked = deflection._Masked(ctx.folded.text)
    first = gate.first_redirect(masked.text)
    if first < 0:
        return
    scan = deflection._Scan(ctx, gate, masked, first)
    for kind in deflection.KINDS:
        candidates = scan.redirects().get(kind, [])[: deflection._MAX_HITS]
        expected = next((r for r in candidates if not scan.cancels(r, kind)), None)
        assert scan.kept(kind) == expected, (kind, text)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # a phrase that matches over none of its list's anchors: the anchor-gated scan skips it
        ("@d Désolé, nous ne pouvons rien faire pour ce vol.", "fr"),
        ("@d Nous ne pouvons malheureusement rien faire, appelez le 3635.", "fr"),
        ("@d Merci d'appeler le 09 69 32 10 10.", "fr"),
        ("@sam Please call 0800 555 0101. If that doesn't help, call 0800 555 0102 instead.", "en"),
        ("@sam We're not the customer service team, please fill in the form at example.com/contact", "en"),
    ],
)
def test_first_redirect_of_a_kind_decides_like_the_full_scan(text: str, language: str) -> None:
    _assert_kept_like_the_full_scan(language, text)


@pytest.mark.parametrize("language", ["en", "fr"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_first_redirect_of_a_kind_decides_like_the_full_scan_on_any_words(
    language: str, data: st.DataObject
) -> None:
    vocabulary = _vocabulary(language, {"the", "x", "1", "0800 555 0101", "how to", "your", ".", "?", "url"})
    words = data.draw(st.lists(st.sampled_from(vocabulary), max_size=24))
    _assert_kept_like_the_full_scan(language, "@x " + " ".join(words))


def test_a_list_the_language_lacks_never_matches() -> None:
    from replylint.alternation import WordSearch

    assert WordSearch([]).search("@x call us . now ! ") is None


# --- one search in place of the windowed ones (_Scan.quiet) -------------------------------


def _scan_of(language: str, text: str) -> Any:
    from replylint.rules import deflection

    ctx = LINTER._prepare(Draft(text=text, language=language))
    gate = deflection._gate(ctx.book("deflection"))
    masked = deflection._Masked(ctx.folded.text)
    return deflection._Scan(ctx, gate, masked, max(gate.first_redirect(masked.text), 0))


def _assert_quiet_hides_no_window(language: str, text: str, windows: list[tuple[int, int]]) -> None:
    """When the draft is quiet, no search ``cancels`` makes, over any window, finds anything."""
    from replylint.rules import deflection

    scan = _scan_of(language, text)
    if not scan.quiet():
        return
    gate, masked = scan.gate, scan.text
    for start, end in windows:
        for name in deflection._WINDOWED:
            assert getattr(gate, name).search(masked, start, end) is None, (name, masked, start, end)
        assert deflection._PLAIN_URL.search(masked, start, end) is None, (masked, start, end)


@pytest.mark.parametrize("language", ["en", "fr"])
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_a_quiet_draft_holds_no_cancelling_phrase_in_any_window(language: str, data: st.DataObject) -> None:
    """Words glued together and windows that end inside a word (where ``(?!\\w)`` holds) included."""
    vocabulary = _vocabulary(language, {"the", "x", "1", "url", "urls", "formurl", "0800 555 0101", ".", "?"})
    words = data.draw(st.lists(st.sampled_from(vocabulary), max_size=20))
    glue = data.draw(st.lists(st.sampled_from([" ", " ", "", ", ", "-"]), min_size=20))
    text = "@x " + "".join(w + g for w, g in zip(words, glue, strict=False))
    size = len(text)
    bounds = data.draw(st.lists(st.tuples(st.integers(0, size), st.integers(0, size)), max_size=6))
    _assert_quiet_hides_no_window(language, text, [(min(a, b), max(a, b)) for a, b in bounds])


def test_a_quiet_draft_is_judged_as_without_the_shortcut() -> None:
    """``cancels`` answers alike with the shortcut and with every window searched, on every case
    of this file (most of the redirecting ones are quiet)."""
    from replylint.rules import deflection

    cases = [(t, "en") for t, _ in EN_POSITIVES + EN_TRAPS] + [(t, "fr") for t, _ in FR_POSITIVES + FR_TRAPS]
    quiet = 0
    for text, language in cases:
        scan, full = _scan_of(language, text), _scan_of(language, text)
        full._quiet = False  # every window searched
        quiet += scan.quiet()
        for kind in deflection.KINDS:
            for redirect in scan.redirects().get(kind, []):
                assert scan.cancels(redirect, kind) == full.cancels(redirect, kind), (kind, redirect, text)
    assert quiet > len(cases) // 3


def test_cut_short_words_count_in_the_shortcut() -> None:
    """A window ending inside "ensured" holds "ensure" (a phrase of ``helping``): the shortcut must not
    call the draft quiet."""
    text = "@x Please call 0800 555 0101, the team ensured it."
    scan = _scan_of("en", text)
    cut = scan.text.index("ensured") + 6
    assert scan.gate.helping.search(scan.text, 0, cut) is not None
    assert scan.gate.helping.search(scan.text) is None
    assert not scan.quiet()


def test_a_config_phrase_that_looks_ahead_turns_the_shortcut_off() -> None:
    config = Config(select=["RL203"], phrases={"deflection": {"en": {"helping": ["try again(?! later)"]}}})
    linter = Linter(config)
    from replylint.rules import deflection

    ctx = linter._prepare(Draft(text="@x Call 0800 555 0101.", language="en"))
    assert deflection._gate(ctx.book("deflection")).cancelling is None
    assert deflection._gate(LINTER._prepare(Draft(text="@x hi", language="en")).book("deflection")).cancelling
