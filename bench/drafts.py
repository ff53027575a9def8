"""Synthetic but realistic drafts for benchmarks: French and English, every draft unique.

Built from templates with random names, numbers and order ids so that no cache sees the same
text twice (real traffic is like that). Deterministic for a given seed.
"""

from __future__ import annotations

import random
from typing import Any

FIRST = ["Marie", "James", "Léa", "Tom", "Chloé", "Sarah", "Hugo", "Nina", "Paul", "Inès", "Dan", "Zoé"]
AGENTS = [("Julie Martin", "^JM"), ("Mia Smith", "^MS"), ("Marc", "-Marc"), ("Kartika", "^Kartika")]

EN = [
    "Hi {name}, so sorry to hear your order {order} hasn't arrived. I've checked with the carrier: it's out for delivery today. {sig}",
    "Hi {name}, thanks for flagging this. Could you DM us your order number so we can take a look? {sig}",
    "Sorry for the trouble! Please call our hotline on 0800 123 4567 and the team will help.",
    "Hi there, we're not the customer service team. Please fill in the form at https://help.example.com/contact",
    "Hi {name}, can you reply with your email address and phone number so we can check your account?",
    "Thanks {name}! Glad it's sorted. Have a great day {sig}",
    "Hi {name}, I understand how frustrating this is. Try restarting the app and clearing the cache, then let us know. {sig}",
    "As stated on our website, refunds take 5 to 7 days. {sig}",
    "Hey {name}, we've looked into ticket {order} and the refund of £{amount} was issued this morning. {sig}",
    "DM us",
]
FR = [
    "Bonjour {name}, désolée pour ce retard. Votre colis {order} arrive demain, je reste disponible. {sig}",
    "Bonjour, merci de nous communiquer votre adresse mail et votre numéro de commande.",
    "Envoyez-nous un MP avec votre numéro de client, on regarde ça ensemble. {sig}",
    "Bonjour {name}, ce compte n'est pas le SAV : merci d'appeler le 09 69 32 10 10.",
    "Merci {name} pour votre retour ! Bonne journée {sig}",
    "Bonjour {name}, je comprends votre agacement. Pouvez-vous redémarrer la box et nous dire si ça va mieux ? {sig}",
    "Comme indiqué sur notre site, le remboursement prend 5 jours.",
    "Bonjour {name}, le remboursement de {amount} € pour la commande {order} a bien été effectué. {sig}",
]
INBOUND_EN = [
    "my order {order} never arrived 😡",
    "how do I change my plan?",
    "charged twice!!! ridiculous",
    "app keeps crashing",
]
INBOUND_FR = [
    "toujours pas reçu ma commande {order}",
    "comment changer d'offre ?",
    "ma box ne marche plus",
    "débité deux fois !!",
]


def make_drafts(count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    drafts = []
    for i in range(count):
        french = rng.random() < 0.4
        name = rng.choice(FIRST)
        agent, sig = rng.choice(AGENTS)
        values = {
            "name": name,
            "sig": sig,
            "order": f"{rng.randint(10**7, 10**8 - 1)}",
            "amount": rng.randint(5, 300),
        }
        handle = f"@{name.lower()}_{rng.randint(1, 9999)}"
        text = f"{handle} " + rng.choice(FR if french else EN).format(**values)
        inbound = rng.choice(INBOUND_FR if french else INBOUND_EN).format(**values)
        drafts.append(
            {
                "id": f"b-{i}",
                "text": text,
                "language": None if i % 5 else ("fr" if french else "en"),
                "customer": {
                    "handle": handle,
                    "name": f"{name} {rng.choice(['Martin', 'Smith', 'Roux'])}" if i % 2 else None,
                },
                "brand": {
                    "handle": "@Acme",
                    "follows_customer": rng.choice([True, False, None]),
                    "open_dms": False,
                },
                "agent": {"name": agent, "signature": sig} if i % 3 == 0 else None,
                "inbound": {"text": f"@Acme {inbound}"},
            }
        )
    return drafts
