"""blaming-tone (RL205): lecturing, blaming, shouting and mocking a customer."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replylint import Applicability, Config, Linter, Severity
from replylint.context import Context
from replylint.models import Draft
from replylint.rules import _cues

RL205 = Linter(Config(select=["RL205"]))

COMPLAINT_EN = {"text": "@acme my order is three weeks late and nobody answers, this is ridiculous"}
COMPLAINT_FR = {"text": "@acme colis toujours pas arrivé, personne ne répond, c'est honteux"}


def _found(text: str, language: str, inbound: dict[str, Any] | None = None) -> list[Any]:
    record: dict[str, Any] = {"text": text, "language": language}
    if inbound is not None:
        record["inbound"] = inbound
    report = RL205.check(record)
    assert report.error is None, report.error
    return [f for f in report.findings if f.name == "blaming-tone"]


# Lecturing is flagged with or without the customer's message.
LECTURE_EN = [
    "@sam It's up to the account holder to monitor their data usage in the app.",
    "@sam Please check your address more carefully next time.",
    "@sam Next time, make sure you pick express shipping at checkout.",
    "@sam In future, please read the size guide before ordering.",
    "@sam Make sure to check the timetable page next time you travel.",
    "@sam Late fees are covered in our terms, which you accepted.",
    "@sam As our FAQ clearly states, gift cards can't be exchanged for cash.",
    "@sam As per the notices on the platform, the lift was out of service.",
    "@sam Reselling tickets isn't permitted under our terms of use.",
    "@sam The delivery fee was shown before you confirmed the order.",
    "@sam We emailed you twice reminding you that the plan was ending.",
    "@sam As stated on our website, delivery takes 10 working days.",
    "@sam As mentioned, the promo ended yesterday.",
    "@sam You should have read the terms before subscribing.",
    "@sam As I already said, we can't refund digital purchases.",
    "@sam The renewal is stated and agreed to during checkout.",
    "@sam As we explained in our last reply, the account is under review.",
    "@sam Like I said, the store closes at 8.",
    "@sam This is clearly stated in the product description.",
    "@sam You agreed to the terms when you signed up.",
    "@sam Per our terms, you are only allowed one free trial.",
    "@sam If you had read the email, you would know the date changed.",
    "@sam You forgot to apply the code at checkout.",
    "@sam For the third time, we do not ship to PO boxes.",
    "@sam According to the information previously provided, the ticket is closed.",
    "@sam You could have checked the size guide first.",
    "@sam It's your responsibility to keep your password safe.",
    "@sam We've already told you that the warranty has expired.",
    "@sam That was your mistake, not ours.",
    "@sam Therefore, you are required to keep a backup code.",
    "@sam It's not that hard to find the cancel button.",
    "@sam Did you even read the email we sent?",
    "@sam As per my previous tweet, the outage is over.",
]

NOT_LECTURE_EN = [
    "@sam It's up to you to choose which plan suits you best, both include calls.",
    "@sam Could you check again next time it happens and send us a screenshot?",
    "@sam Our terms are here if you'd like to have a look: acme.com/terms",
    "@sam Next time you're in store, ask for Priya, she'll sort the exchange.",
    "@sam We'll send you an email reminding you a day before the renewal.",
    "@sam Delivery takes 10 working days; yours left the warehouse today.",
    "@sam You should have received an email with the tracking link.",
    "@sam If you forgot your password, you can reset it here: https://acme.com/reset",
    "@sam Our policy allows returns within 30 days, so you're covered.",
    "@sam Per our policy, you will get a full refund within 5 days.",
    "@sam What does your error message say exactly?",
    "@sam Once again, we're really sorry for the wait.",
    "@sam I just read your message and I'm checking it now.",
    "@sam Could you check it again after restarting the app?",
    "@sam As a thank you, here is a 10% code.",
    "@sam Obviously we want to fix this for you as soon as possible.",
    "@sam You would have been contacted by now if there was an issue.",
    "@sam This is the second time this has happened to you, we're so sorry.",
]

LECTURE_FR = [
    "@lea Il fallait nous signaler votre déménagement avant la date de prélèvement.",
    "@lea Il aurait fallu conserver le ticket de caisse.",
    "@lea Il appartient au titulaire de la carte de vérifier ses plafonds.",
    "@lea Comme le précise notre FAQ, les bons d'achat ne sont pas remboursables.",
    "@lea La revente de billets est interdite par le règlement du salon.",
    "@lea Ce sont les conditions que vous avez acceptées lors de l'inscription.",
    "@lea Nous vous avions pourtant prévenue par SMS la veille.",
    "@lea La prochaine fois, pensez à vérifier l'adresse avant de valider.",
    "@lea À l'avenir, merci de bien lire le descriptif du séjour.",
    "@lea Je t'avais prévenu que la promo finissait dimanche.",
    "@lea Comme indiqué sur notre site, la livraison prend 10 jours.",
    "@lea Vous auriez dû lire les conditions avant de commander.",
    "@lea Il suffisait de cocher la case lors de la commande.",
    "@lea Il faut lire la fiche produit, tout y est.",
    "@lea Comme déjà dit, nous ne remboursons pas les bons d'achat.",
    "@lea Comme je vous l'ai déjà dit, le magasin ferme à 19h.",
    "@lea C'est pourtant indiqué dans nos CGV.",
    "@lea Vous avez accepté les conditions générales lors de l'inscription.",
    "@lea Tu aurais dû garder ton ticket de caisse.",
    "@lea Pour la troisième fois, nous ne livrons pas le dimanche.",
    "@lea Selon nos CGV, vous devez signaler un colis abîmé sous 48h.",
    "@lea Si vous aviez lu le mail, vous sauriez que la date a changé.",
    "@lea Vous avez oublié de valider votre panier.",
    "@lea Il vous appartenait de vérifier l'adresse de livraison.",
    "@lea C'est de votre faute si le code a expiré.",
    "@lea Je le répète : la garantie ne couvre pas la casse.",
    "@lea Comme précisé précédemment, le dossier est clos.",
    "@lea Vous n'avez pas lu notre message d'hier.",
    "@lea Relisez bien nos conditions de vente.",
    "@lea Ce n'est pourtant pas compliqué de trouver le bouton.",
    "@lea Je vous l'ai déjà expliqué hier.",
    "@lea Avez-vous seulement lu notre réponse ?",
]

NOT_LECTURE_FR = [
    "@lea Il faudra compter deux jours pour la livraison, je vous envoie le suivi.",
    "@lea Comme vous, nous trouvons ce délai trop long : je relance le transporteur.",
    "@lea La prochaine fois que vous passez en boutique, demandez Karim.",
    "@lea Nous vous avons envoyé le code par SMS à l'instant.",
    "@lea Il appartient à notre service technique de fixer le rendez-vous, je m'en charge.",
    "@lea La livraison prend 10 jours ; votre colis est parti ce matin.",
    "@lea Vous auriez la gentillesse de nous donner votre numéro de commande en MP ?",
    "@lea Il faut compter 48h pour le remboursement, c'est en cours.",
    "@lea Vous pourriez recevoir un email de confirmation d'ici ce soir.",
    "@lea Selon nos CGV, vous avez droit à un remboursement complet.",
    "@lea Comme convenu, je vous rappelle demain matin.",
    "@lea Je comprends, c'est frustrant : je vérifie tout de suite.",
    "@lea Merci de lire ceci avec attention : votre remboursement est validé.",
    "@lea Évidemment, nous allons vous rembourser.",
    "@lea Vous étiez censé recevoir le colis hier, je relance le transporteur.",
    "@lea Votre mot de passe a bien été réinitialisé.",
    "@lea Nous vous avons déjà envoyé le bon de retour par mail.",
]


@pytest.mark.parametrize("text", LECTURE_EN)
def test_lecturing_en(text: str) -> None:
    found = _found(text, "en")
    assert found, text
    assert found[0].severity is Severity.WARNING
    assert found[0].fix is not None and found[0].fix.applicability is Applicability.MANUAL
    assert found[0].evidence is not None and found[0].evidence.source == "en/blaming-tone.toml:lecture"


@pytest.mark.parametrize("text", LECTURE_FR)
def test_lecturing_fr(text: str) -> None:
    found = _found(text, "fr")
    assert found, text
    assert found[0].evidence is not None and found[0].evidence.source == "fr/blaming-tone.toml:lecture"


@pytest.mark.parametrize("text", NOT_LECTURE_EN)
def test_not_lecturing_en(text: str) -> None:
    assert _found(text, "en", COMPLAINT_EN) == []


@pytest.mark.parametrize("text", NOT_LECTURE_FR)
def test_not_lecturing_fr(text: str) -> None:
    assert _found(text, "fr", COMPLAINT_FR) == []


# Tone markers count in a reply to the customer's message only.
TONE_EN = [
    ("@sam WE DO NOT REFUND opened items.", "capitals"),
    ("@sam Please READ THE EMAIL WE SENT you.", "capitals"),
    ("@sam Have you tried restarting it???", "punctuation"),
    ("@sam We told you twice!!!", "punctuation"),
    ("@sam Really?! Come on?!?", "punctuation"),
    ("@sam lol that's not how it works", "sarcasm"),
    ("@sam Sure, the app is broken /s", "sarcasm"),
    ("@sam Yeah right, three weeks late.", "sarcasm"),
    ("@sam Haha, good luck with that.", "sarcasm"),
    ("@sam Have you tried turning it on? 🙄", "emoji"),
    ("@sam That's a new one 😂", "emoji"),
    ("@sam Three weeks, you say 🤣", "emoji"),
    ("@sam Oh, you want a refund 😏", "emoji"),
    ("@sam Not again 🤦🏽\u200d♂️", "emoji"),
]

TONE_FR = [
    ("@lea NOUS NE REMBOURSONS PAS les articles ouverts.", "capitals"),
    ("@lea Merci de LIRE LE MAIL QUE nous avons envoyé.", "capitals"),
    ("@lea Vous avez essayé de redémarrer ???", "punctuation"),
    ("@lea On vous l'a dit deux fois !!!", "punctuation"),
    ("@lea Sérieusement ?!?", "punctuation"),
    ("@lea mdr ce n'est pas comme ça que ça marche", "sarcasm"),
    ("@lea Bien sûr… le colis s'est envolé.", "sarcasm"),
    ("@lea Mais oui bien sûr, trois semaines.", "sarcasm"),
    ("@lea ptdr non", "sarcasm"),
    ("@lea Vous avez essayé de l'allumer ? 🙄", "emoji"),
    ("@lea Elle est bonne celle-là 😂", "emoji"),
    ("@lea Trois semaines, vraiment 🤣", "emoji"),
    ("@lea Ah, un remboursement 😏", "emoji"),
    ("@lea Encore vous 🤦", "emoji"),
]

CALM_EN = [
    "@sam Your order ships via UPS from our NYC warehouse today.",
    "@sam Check the FAQ at https://acme.com/HELP/FAQ/ORDERS-RETURNS-INFO for the return label.",
    "@sam Thanks @ACME_SUPPORT_TEAM for the quick handover!",
    "@sam The TV, PC and USB-C cable are all covered by the warranty.",
    "@sam We're sorry! Let's fix this today.",
    "@sam Is it on iOS or Android? Which version?",
    "@sam Great news: it's back online 🎉",
    "@sam We fixed it 👍 Sorry for the wait.",
    "@sam Is that RED DEAD REDEMPTION or GTA? Both should work.",
    "@sam Hello!! We're on it.",
    "@sam THANK YOU SO MUCH for your patience.",
    "@sam Did you try restarting the router? That usually clears it.",
]

CALM_FR = [
    "@lea Votre colis part via UPS depuis notre entrepôt de Lyon.",
    "@lea Consultez la FAQ SAV CGV sur notre site si besoin, je reste disponible.",
    "@lea Le TGV et le RER B sont perturbés ce matin, désolés.",
    "@lea Bien sûr, je vérifie votre commande tout de suite.",
    "@lea Nous sommes désolés ! Regardons cela ensemble.",
    "@lea Votre débit est-il en 4G ou en 5G ? Sur quel appareil ?",
    "@lea C'est réparé 🎉",
    "@lea Merci pour votre patience 🙏",
    "@lea Bonjour !! Nous regardons cela.",
    "@lea La SNCF et la RATP communiquent les horaires sur leurs sites.",
    "@lea NOUS SOMMES VRAIMENT DÉSOLÉS pour ce retard.",
    "@lea Avez-vous essayé de redémarrer la box ?",
]


@pytest.mark.parametrize(("text", "kind"), TONE_EN)
def test_tone_markers_en_in_a_reply(text: str, kind: str) -> None:
    found = _found(text, "en", COMPLAINT_EN)
    assert found, text
    assert any(kind in (f.evidence.source if f.evidence else "") for f in found), [f.evidence for f in found]
    for f in found:
        assert f.excerpt == text[f.start : f.end]


@pytest.mark.parametrize(("text", "kind"), TONE_FR)
def test_tone_markers_fr_in_a_reply(text: str, kind: str) -> None:
    found = _found(text, "fr", COMPLAINT_FR)
    assert found, text
    assert any(kind in (f.evidence.source if f.evidence else "") for f in found), [f.evidence for f in found]


@pytest.mark.parametrize(
    ("text", "language"), [(t, "en") for t, _ in TONE_EN] + [(t, "fr") for t, _ in TONE_FR]
)
def test_tone_markers_need_the_customer_message(text: str, language: str) -> None:
    assert _found(text, language) == []
    assert _found(text, language, {"text": "   "}) == []


HAPPY_EN = [
    "@acme the new flavour is amazing, ordered three boxes",
    "@acme just wanted to say the driver was lovely today",
    "@acme what time does the Leeds store open on Sunday?",
]
HAPPY_FR = [
    "@acme la nouvelle gamme est géniale, j'en ai pris trois",
    "@acme merci au livreur, super sympa ce matin",
    "@acme vous ouvrez à quelle heure dimanche à Lille ?",
]


@pytest.mark.parametrize(
    ("text", "language", "inbound"),
    [(t, "en", i) for t, _ in TONE_EN for i in HAPPY_EN[:1]]
    + [("@sam Thanks!!! 😂 You made our day", "en", i) for i in HAPPY_EN]
    + [(t, "fr", i) for t, _ in TONE_FR for i in HAPPY_FR[:1]]
    + [("@lea Merci !!! 😂 Vous nous faites plaisir", "fr", i) for i in HAPPY_FR],
)
def test_tone_markers_need_a_complaint(text: str, language: str, inbound: str) -> None:
    """Exclamations, laughter and capitals answer a happy customer or a question warmly: they
    read as contempt only in a reply to a complaint (missing-empathy's complaint test)."""
    assert _found(text, language, {"text": inbound}) == []


@pytest.mark.parametrize("text", CALM_EN)
def test_calm_reply_en(text: str) -> None:
    assert _found(text, "en", COMPLAINT_EN) == []


@pytest.mark.parametrize("text", CALM_FR)
def test_calm_reply_fr(text: str) -> None:
    assert _found(text, "fr", COMPLAINT_FR) == []


def test_a_reply_without_tone_hints_does_not_read_the_customer_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The complaint test (several phrase lists over the customer's message) runs only when the
    draft has a hint of a tone marker: most drafts have none."""
    import replylint.rules.blaming_tone as blaming_tone

    def unexpected(ctx: Context) -> None:
        raise AssertionError("the customer's message was read")

    monkeypatch.setattr(blaming_tone, "inbound_complaint", unexpected)
    assert _found("@sam Your parcel arrives tomorrow, sorry for the wait.", "en", COMPLAINT_EN) == []
    assert _found("@lea Désolée, votre colis arrive demain.", "fr", COMPLAINT_FR) == []


def test_shouting_span_covers_the_run() -> None:
    text = "@sam Sorry, but WE DO NOT SHIP ABROAD at the moment."
    found = _found(text, "en", COMPLAINT_EN)
    assert [f.excerpt for f in found] == ["WE DO NOT SHIP ABROAD"]


def test_lecture_offsets_survive_folding() -> None:
    text = "@lea Bonjour Léa ! COMME INDIQUÉ sur notre site…"
    found = _found(text, "fr")
    assert found[0].excerpt == "COMME INDIQUÉ"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_lectures_are_the_lecture_list_matches(language: str) -> None:
    """The rule finds lectures with a faster search than the list's own: the same spans and phrases."""
    checked = 0
    for text, lang in _all_texts():
        if lang != language:
            continue
        ctx = Context(Draft(text=text, language=language), language, RL205.resources)
        lecture = ctx.book("blaming-tone")["lecture"]
        expected = [(*ctx.span(h.start, h.end), h.phrase) for h in lecture.finditer(ctx.folded.text)]
        found = [
            (f.start, f.end, f.evidence.pattern)
            for f in _found(text, language)
            if f.evidence is not None and f.evidence.source.endswith(":lecture")
        ]
        assert found == expected, text
        checked += bool(expected)
    assert checked >= 8


def test_user_phrases_extend_the_lecture_list() -> None:
    config = Config(select=["RL205"], phrases={"blaming-tone": {"en": {"lecture": ["read the manual"]}}})
    report = Linter(config).check({"text": "@sam Read the manual.", "language": "en"})
    assert [f.name for f in report.findings] == ["blaming-tone"]


def _all_texts() -> list[tuple[str, str]]:
    import test_dm  # a sibling test module (tests/ is on sys.path under pytest)

    texts = [(t, "en") for t in LECTURE_EN + NOT_LECTURE_EN + CALM_EN] + [(t, "en") for t, _ in TONE_EN]
    texts += [(t, "fr") for t in LECTURE_FR + NOT_LECTURE_FR + CALM_FR] + [(t, "fr") for t, _ in TONE_FR]
    for name, language in [("INVITES", "en"), ("NOT_INVITES", "en"), ("BARE", "en"), ("ACKNOWLEDGED", "en")]:
        for lang in (language, "fr"):
            texts += [(t, lang) for t in getattr(test_dm, f"{name}_{lang.upper()}")]
    return texts


@pytest.mark.parametrize(
    ("rule", "list_name"),
    [("blaming-tone", "lecture"), ("blaming-tone", "sarcasm"), ("dm-invitation", "invite")],
)
def test_cue_prefilter_never_hides_a_match(rule: str, list_name: str) -> None:
    """Where a list matches, its cue words are present: the prefilter only skips certain misses."""
    checked = 0
    for text, language in _all_texts():
        ctx = Context(Draft(text=text, language=language), language, RL205.resources)
        book = ctx.book(rule)
        assert book.words.get(f"cues_{list_name}"), f"{rule}/{language} has no cues for {list_name}"
        if book[list_name].search(ctx.folded.text):
            checked += 1
            assert _cues.may_match(ctx, book, list_name), (rule, list_name, text)
    assert checked >= 8


@pytest.mark.parametrize("language", ["en", "fr"])
def test_cue_test_equals_the_word_set(language: str) -> None:
    """``may_match`` answers what the set of the draft's words answers (tokens, and the tokens
    with edge punctuation stripped), white space of every kind included."""
    texts = [t for t, lang in _all_texts() if lang == language]
    texts += ["(dm) us", "…/s", "« mp », svp", "!!", "-direct-", "x/dm us", "... lol!!", "DMs,"]
    texts += ["dm\u00a0us", "lol\u2028ok", "mp\u3000svp", "a\x85dms", "dm\tus", "\u200bdm us"]
    for text in texts:
        ctx = Context(Draft(text=text, language=language), language, RL205.resources)
        for rule, list_name in [
            ("blaming-tone", "lecture"),
            ("blaming-tone", "sarcasm"),
            ("dm-invitation", "invite"),
        ]:
            book = ctx.book(rule)
            tokens = ctx.folded.text.split()
            edged = [t.strip(_cues._EDGE) for t in tokens if not (t[0].isalnum() and t[-1].isalnum())]
            expected = not book.words[f"cues_{list_name}"].isdisjoint([*tokens, *edged])
            assert _cues.may_match(ctx, book, list_name) is expected, (text, list_name)


@given(st.text(alphabet=st.sampled_from(list("ABÉZa .!-'1")), max_size=30))
@settings(max_examples=400, deadline=None)
def test_shout_hint_matches_the_plain_pattern(text: str) -> None:
    """``_SHOUT_HINT`` is written for speed; it finds what the plain pattern finds."""
    from replylint.rules.blaming_tone import _SHOUT_HINT

    plain = re.compile(r"[A-ZÀ-ÖØ-Þ]{2,}\W{1,3}[A-ZÀ-ÖØ-Þ]{2,}\W{1,3}[A-ZÀ-ÖØ-Þ]{2}")
    ours, theirs = _SHOUT_HINT.search(text), plain.search(text)
    assert (ours and ours.span()) == (theirs and theirs.span())
