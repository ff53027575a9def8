"""Time the privacy rules (RL101 + RL102) in ``check_many`` on the corpus replies.

Usage: python bench/privacy_speed.py [corpus.jsonl] [--repeat N] [--rounds N]

Prints CPU µs per draft (process time) for a baseline selection (RL001) and for the
baseline plus the privacy rules, alternating rounds and keeping the best of each; the
difference is what the privacy rules add to every draft. It also reports the cost on
top of a linter that already folds the text (every phrase-based rule needs the fold).

On a shared, loaded machine wall and CPU times swing by ±30 %; instruction counts do
not. To count them (valgrind), run one selection at two batch sizes and subtract::

    valgrind --tool=callgrind python bench/privacy_speed.py --count RL001 1
    valgrind --tool=callgrind python bench/privacy_speed.py --count RL001 4
    (same with RL001,RL101,RL102); added instructions per draft =
    ((both@4 - both@1) - (base@4 - base@1)) / (3 x corpus size)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from replylint import Config, Linter
from replylint.context import Context
from replylint.models import Finding, Severity
from replylint.rule import Rule

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


class FoldProbe(Rule):
    """Bench helper: folds the draft like every phrase-based rule does, finds nothing."""

    code = "RL000"
    name = "fold-probe"
    default_severity = Severity.INFO
    summary = "bench only"

    def check(self, ctx: Context) -> list[Finding]:
        _ = ctx.folded
        return []


def timings(
    selections: dict[str, list[str]], batch: list[dict[str, object]], rounds: int
) -> dict[str, float]:
    """Best CPU µs per draft of each selection; rounds alternate between selections so that
    load changes on a shared machine hit all of them alike."""
    linters = {}
    for name, select in selections.items():
        linter = Linter(Config(select=[code for code in select if code != "fold"]))
        if "fold" in select:  # the folded view is shared: any phrase rule pays for it
            linter.rules = (FoldProbe(), *linter.rules)
        linters[name] = linter
    for linter in linters.values():  # warm up: phrase books, compiled patterns, caches
        for _ in linter.check_many(batch):
            pass
    best = dict.fromkeys(linters, float("inf"))
    for _ in range(rounds):
        for name, linter in linters.items():
            start = time.process_time()
            for _ in linter.check_many(batch):
                pass
            best[name] = min(best[name], time.process_time() - start)
    return {name: seconds / len(batch) * 1e6 for name, seconds in best.items()}


def count(select: str, copies: int) -> None:
    """Lint ``copies`` copies of the corpus once with ``select`` (for instruction counting)."""
    linter = Linter(Config(select=select.split(",")))
    for _ in linter.check_many(drafts(DEFAULT_CORPUS) * copies):
        pass


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--count":
        count(sys.argv[2], int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=5, help="copies of the corpus per round")
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds per selection (best kept)")
    args = parser.parse_args()
    batch = drafts(args.corpus) * args.repeat
    t = timings(
        {
            "base": ["RL001"],
            "rl101": ["RL001", "RL101"],
            "rl102": ["RL001", "RL102"],
            "both": ["RL001", "RL101", "RL102"],
            "base+fold": ["RL001", "fold"],
            "both+fold": ["RL001", "fold", "RL101", "RL102"],
        },
        batch,
        args.rounds,
    )
    print(f"{len(batch)} drafts; baseline RL001: {t['base']:.1f} µs/draft (CPU time)")
    print(
        f"RL101 adds {t['rl101'] - t['base']:.1f} µs/draft; RL102 adds {t['rl102'] - t['base']:.1f} µs/draft"
    )
    print(f"RL101 + RL102 add {t['both'] - t['base']:.1f} µs/draft (folding the text included)")
    print(
        f"RL101 + RL102 add {t['both+fold'] - t['base+fold']:.1f} µs/draft to a linter that already "
        f"folds the text (folding alone: {t['base+fold'] - t['base']:.1f} µs/draft)"
    )


if __name__ == "__main__":
    main()
