"""History store benchmark (duplicate-reply at scale).

    python bench/bench_history.py                       # 1,000,000 replies in SQLite
    python bench/bench_history.py --count 100000 --keep /tmp/h.db

1. Fill: ``--count`` sent replies into a fresh SQLite store in batches (``record_many``,
   50,000 per transaction): 50 brands, 90 days, texts drawn (Zipf-like: a few canned replies
   sent very often) from 20,000 distinct texts built from FR and EN sentence fragments, with
   names, @handles, numbers and URLs varying per reply. Fingerprints of the distinct texts are
   computed once (they do not depend on the masked parts); the fill time is the store's.
2. Lookup: ``find_similar`` over a 7-day window for ``--lookups`` drafts: half repeat a stored
   text (some with one word changed), half are new. p50/p99 of the lookup alone, and of
   fingerprint + lookup (what duplicate-reply costs per draft).
3. ``Linter.record_sent``: ``--inserts`` calls, one transaction each (as a helpdesk hook sends
   them), on the full store: inserts/s, fingerprinting and draft validation included.
4. Size on disk (database + WAL after a checkpoint), per million replies.
Results also land in bench/out/history.json.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from replylint import Config, Linter
from replylint.history import SentReply, SqliteStore, fingerprint
from replylint.models import Draft

print = functools.partial(print, flush=True)  # progress shows when piped

EN = [
    "Hi {name}, sorry for the trouble!",
    "Thanks for reaching out.",
    "Please restart the app and clear the cache, then try again.",
    "Your order {num} left our warehouse this morning.",
    "Could you send us a DM with your order number?",
    "We're looking into this with the team right now.",
    "Your refund of {num} EUR was issued today.",
    "It can take 3 to 5 business days to show up on your statement.",
    "Here is a guide that should help: {url}",
    "Let us know if that works for you!",
    "We've passed your feedback on to the product team.",
    "The outage is fixed, everything should be back to normal.",
    "Can you tell us which version of the app you are using?",
    "We'll follow up as soon as we hear back.",
    "Have a great day!",
    "That's not the experience we want for you.",
    "Your new card is on its way and should arrive within a week.",
    "You can change this in Settings > Account > Privacy.",
]
FR = [
    "Bonjour {name}, désolés pour ce souci !",
    "Merci pour votre message.",
    "Redémarrez l'application puis videz le cache, et réessayez.",
    "Votre commande {num} est partie ce matin de notre entrepôt.",
    "Pouvez-vous nous écrire en MP avec votre numéro de commande ?",
    "Nous regardons cela avec l'équipe technique.",
    "Votre remboursement de {num} € a été effectué aujourd'hui.",
    "Comptez 3 à 5 jours ouvrés pour le voir sur votre relevé.",
    "Voici un guide qui devrait vous aider : {url}",
    "Dites-nous si cela fonctionne !",
    "Nous avons transmis votre suggestion à l'équipe produit.",
    "La panne est résolue, tout devrait être revenu à la normale.",
    "Quelle version de l'application utilisez-vous ?",
    "Nous revenons vers vous dès que possible.",
    "Bonne journée !",
    "Ce n'est pas l'expérience que nous voulons vous offrir.",
    "Votre nouvelle carte est en route, elle arrive sous une semaine.",
    "Vous pouvez modifier cela dans Réglages > Compte > Confidentialité.",
]
NAMES = ["Tom", "Kim", "Léa", "Marc", "Amy", "Hugo", "Chloé", "Sam", "Nina", "Paul", "Zoé", "Ravi"]
EXTRA = ["today", "again", "quickly", "soon", "aujourd'hui", "encore", "vite", "bientôt", "please", "merci"]


def make_texts(n: int, rng: random.Random) -> list[str]:
    """``n`` distinct reply templates: 2-4 fragments of one language plus a distinguishing word."""
    texts: set[str] = set()
    while len(texts) < n:
        frags = EN if rng.random() < 0.5 else FR
        parts = rng.sample(frags, rng.randint(2, 4))
        parts.insert(
            rng.randint(0, len(parts)), " ".join(rng.choices(EXTRA, k=2)) + f" ({len(texts) % 997:x}z)"
        )
        texts.add(" ".join(parts))
    return sorted(texts)


def fill_text(template: str, rng: random.Random) -> tuple[str, str, str]:
    name = rng.choice(NAMES)
    handle = f"{name.lower()}{rng.randint(1, 99999)}"
    text = template.format(
        name=name, num=rng.randint(10, 99999), url=f"https://help.example.com/{rng.randint(1, 10**6)}"
    )
    return f"@{handle} {text} ^{rng.choice('ABCDEFGH')}{rng.choice('JKLMNP')}", handle, name


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--distinct", type=int, default=20_000)
    parser.add_argument("--lookups", type=int, default=5_000)
    parser.add_argument("--inserts", type=int, default=5_000)
    parser.add_argument("--keep", help="store path to keep (default: a temporary file, deleted)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    workdir = tempfile.TemporaryDirectory()
    path = args.keep or os.path.join(workdir.name, "history.db")
    if os.path.exists(path):
        sys.exit(f"{path} exists; remove it first")

    texts = make_texts(args.distinct, rng)
    prints = [fingerprint(t.format(name="X", num=1, url="https://x")) for t in texts]
    weights = [1 / (i + 1) ** 0.8 for i in range(len(texts))]  # Zipf-like: canned replies dominate
    brands = [f"brand{i}" for i in range(50)]
    end = datetime(2026, 6, 1, tzinfo=UTC)
    span = 90 * 86400

    # The fill is set-up, not a measured path: a big page cache and no fsync make it I/O-light.
    # The store is reopened with default settings for the measurements below.
    store = SqliteStore(path, cache_mb=256)
    store._db.execute("PRAGMA synchronous = OFF")
    t0 = time.perf_counter()
    batch = 50_000
    picks = rng.choices(range(len(texts)), weights=weights, k=args.count)
    for start in range(0, args.count, batch):
        rows = [
            SentReply(
                brand=rng.choice(brands),
                sent_at=end - timedelta(seconds=rng.random() * span),
                fingerprint=prints[i],
                reply_id=str(start + k),
                customer=f"c{rng.randint(1, 200_000)}",
            )
            for k, i in enumerate(picks[start : start + batch])
        ]
        store.record_many(rows)
    fill_s = time.perf_counter() - t0
    print(
        f"fill: {args.count:,} replies in {fill_s:.1f} s ({args.count / fill_s:,.0f} replies/s in batches of {batch:,})"
    )
    store.close()
    store = SqliteStore(path)  # default settings, as a helpdesk hook opens it

    # Lookups: half repeat a stored text (a third of those with one word changed), half are new.
    probes = []
    for n in range(args.lookups):
        if n % 2 == 0:
            text, handle, name = fill_text(texts[rng.choices(range(len(texts)), weights=weights)[0]], rng)
            if n % 3 == 0:
                text = text.replace(" the ", " our ", 1).replace(" le ", " ce ", 1)
        else:
            text, handle, name = fill_text(
                " ".join(rng.sample(EN + FR, 3)) + f" {n} fresh words {rng.random()}", rng
            )
        probes.append((text, name, rng.choice(brands), handle))
    lookup_ms, lookup_cpu_ms, total_ms, hits = [], [], [], 0
    since, until = end - timedelta(days=7), end
    for text, name, brand, handle in probes:
        a = time.perf_counter()
        fp = fingerprint(text, [name])
        b, cpu = time.perf_counter(), time.thread_time()
        found = store.find_similar(brand, fp, since, until, customer=handle)
        c, cpu = time.perf_counter(), time.thread_time() - cpu
        lookup_ms.append((c - b) * 1000)
        lookup_cpu_ms.append(cpu * 1000)
        total_ms.append((c - a) * 1000)
        hits += bool(found)
    print(
        f"lookup (find_similar, 7-day window, {args.lookups:,} drafts, {hits / len(probes):.0%} found similar): "
        f"p50 {percentile(lookup_ms, 0.5):.3f} ms, p99 {percentile(lookup_ms, 0.99):.3f} ms, max {max(lookup_ms):.3f} ms "
        f"(CPU time: p50 {percentile(lookup_cpu_ms, 0.5):.3f} ms, p99 {percentile(lookup_cpu_ms, 0.99):.3f} ms); "
        f"fingerprint + lookup p50 {percentile(total_ms, 0.5):.3f} ms, p99 {percentile(total_ms, 0.99):.3f} ms"
    )

    linter = Linter(Config(select=["RL401"], brand={"handles": ["@brand0"]}), history=store)
    drafts = []
    for n in range(args.inserts):
        text, handle, name = fill_text(texts[rng.randrange(len(texts))], rng)
        drafts.append(
            {
                "id": f"new{n}",
                "text": text,
                "customer": {"handle": handle, "name": name},
                "created_at": (end + timedelta(seconds=n)).isoformat(),
            }
        )
    a, cpu = time.perf_counter(), time.process_time()
    for d in drafts:
        linter.record_sent(d)
    insert_s, insert_cpu = time.perf_counter() - a, time.process_time() - cpu
    print(
        f"record_sent: {args.inserts:,} calls, one transaction each: {args.inserts / insert_s:,.0f} inserts/s "
        f"({insert_s / args.inserts * 1e6:.0f} µs each, {insert_cpu / args.inserts * 1e6:.0f} µs CPU)"
    )

    # The same drafts' fingerprints stored in small batches (one transaction per 50), as a
    # hook that groups its writes would: what the store sustains without per-reply commits.
    from replylint.history import sent_reply

    rows = [sent_reply(Draft.model_validate({**d, "id": "b" + d["id"]}), linter.config) for d in drafts]
    a = time.perf_counter()
    for start in range(0, len(rows), 50):
        store.record_many(rows[start : start + 50])
    batched_s = time.perf_counter() - a
    print(f"record_many, batches of 50: {len(rows) / batched_s:,.0f} inserts/s (fingerprints precomputed)")

    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    stats = store.stats()
    store.close()
    size = stats.size_bytes or 0
    per_million = size / stats.replies * 1_000_000
    print(
        f"size: {size / 1e6:,.0f} MB for {stats.replies:,} replies = {per_million / 1e6:,.0f} MB per million "
        f"({size / stats.replies:.0f} bytes/reply)"
    )

    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    result: dict[str, Any] = {
        "count": args.count,
        "fill_seconds": round(fill_s, 1),
        "lookup_ms": {
            "p50": percentile(lookup_ms, 0.5),
            "p99": percentile(lookup_ms, 0.99),
            "max": max(lookup_ms),
        },
        "lookup_cpu_ms": {"p50": percentile(lookup_cpu_ms, 0.5), "p99": percentile(lookup_cpu_ms, 0.99)},
        "fingerprint_and_lookup_ms": {"p50": percentile(total_ms, 0.5), "p99": percentile(total_ms, 0.99)},
        "found_similar": hits / len(probes),
        "record_sent_per_s": args.inserts / insert_s,
        "record_sent_cpu_us": insert_cpu / args.inserts * 1e6,
        "record_many_50_per_s": len(rows) / batched_s,
        "load_average": os.getloadavg(),
        "bytes": size,
        "mb_per_million": per_million / 1e6,
    }
    (out / "history.json").write_text(json.dumps(result, indent=2))
    workdir.cleanup()


if __name__ == "__main__":
    main()
