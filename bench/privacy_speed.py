"""Time the privacy rules (RL101 + RL102) in ``check_many`` on the corpus replies.

Usage: python bench/privacy_speed.py [corpus.jsonl] [--repeat N]

Prints µs per draft for a baseline selection (RL001) and for the baseline plus the
privacy rules; the difference is what the privacy rules add to every draft.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from replylint import Config, Linter

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev.jsonl"


def drafts(corpus: Path) -> list[dict[str, object]]:
    items = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [
        {
            "id": item["id"],
            "text": item["reply"],
            "channel": "public",
            "brand": {"follows_customer": False, "open_dms": False},
            "inbound": {"text": item["inbound"]} if item.get("inbound") else None,
        }
        for item in items
    ]


def per_draft(select: list[str], batch: list[dict[str, object]], rounds: int = 5) -> float:
    linter = Linter(Config(select=select))
    for _ in linter.check_many(batch[:50]):  # warm up: phrase books, caches
        pass
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in linter.check_many(batch):
            pass
        best = min(best, time.perf_counter() - start)
    return best / len(batch) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=5, help="copies of the corpus per round")
    args = parser.parse_args()
    batch = drafts(args.corpus) * args.repeat
    base = per_draft(["RL001"], batch)
    with_privacy = per_draft(["RL001", "RL101", "RL102"], batch)
    rl101 = per_draft(["RL001", "RL101"], batch) - base
    rl102 = per_draft(["RL001", "RL102"], batch) - base
    print(f"{len(batch)} drafts; baseline RL001: {base:.1f} µs/draft")
    print(f"RL101 adds {rl101:.1f} µs/draft, RL102 adds {rl102:.1f} µs/draft")
    print(f"RL101 + RL102 add {with_privacy - base:.1f} µs/draft")


if __name__ == "__main__":
    main()
