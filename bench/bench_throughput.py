"""Throughput and start-up benchmark.

    python bench/bench_throughput.py                 # 100,000 drafts, 3 runs, all rules
    python bench/bench_throughput.py --count 20000 --families

Reports (medians of --runs):
- drafts/s and µs/draft of ``Linter.check_many`` on one core over synthetic unique drafts
  (``bench/drafts.py``), with all rules and with the form rules (RL0) only;
- with --families, the µs/draft each rule family adds on top of RL0;
- import + first check: a fresh interpreter running ``import replylint; replylint.check(...)``.
Results are also written to bench/out/throughput.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from drafts import make_drafts

from replylint import Config, Linter
from replylint.registry import FAMILIES, all_rules


def throughput(select: list[str], drafts: list[dict[str, Any]], runs: int) -> float:
    """Median µs per draft over ``runs`` passes (a warm-up pass first compiles the phrase data)."""
    linter = Linter(Config(select=select))
    for _ in linter.check_many(drafts[:500]):
        pass
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in linter.check_many(drafts):
            pass
        timings.append((time.perf_counter() - start) / len(drafts) * 1e6)
    return statistics.median(timings)


def corpus_drafts(path: str, count: int) -> list[dict[str, Any]]:
    """Real replies as drafts, as ../shared/eval/score.py builds them (follow state known, no name)."""
    items = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    drafts = []
    for i in range(count):
        item = items[i % len(items)]
        drafts.append(
            {
                "id": f"c-{i}",
                "text": item["reply"],
                "brand": {"follows_customer": False, "open_dms": False},
                "inbound": {"text": item["inbound"]} if item.get("inbound") else None,
            }
        )
    return drafts


def startup(runs: int) -> float:
    code = "import replylint; replylint.check('@marie Bonjour {{first_name}}, envoyez-nous votre email', language='fr')"
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--families", action="store_true", help="also measure each family's added cost")
    parser.add_argument("--per-rule", action="store_true", help="also measure each rule's added cost")
    parser.add_argument(
        "--corpus",
        help="use real replies instead of synthetic drafts: a JSONL file with `reply` and `inbound` "
        "(e.g. ../shared/corpus/dev.jsonl), cycled up to --count",
    )
    args = parser.parse_args()

    drafts = corpus_drafts(args.corpus, args.count) if args.corpus else make_drafts(args.count)
    results: dict[str, Any] = {"count": args.count, "runs": args.runs, "drafts": args.corpus or "synthetic"}
    all_us = throughput(["RL"], drafts, args.runs)
    form_us = throughput(["RL0"], drafts, args.runs)
    results["all_rules"] = {"us_per_draft": round(all_us, 1), "drafts_per_s": round(1e6 / all_us)}
    results["form_rules"] = {"us_per_draft": round(form_us, 1), "drafts_per_s": round(1e6 / form_us)}
    if args.families:
        present = {r.code[:3] for r in all_rules()}
        for prefix, name in FAMILIES.items():
            if prefix == "RL0" or prefix not in present:
                continue
            us = throughput(["RL0", prefix], drafts, args.runs)
            results[f"family {prefix} {name}"] = {"added_us_per_draft": round(us - form_us, 1)}
    if args.per_rule:
        for rule in all_rules():
            if rule.code.startswith("RL0"):
                continue
            us = throughput(["RL0", rule.code], drafts, args.runs)
            results[f"rule {rule.code} {rule.name}"] = {"added_us_per_draft": round(us - form_us, 1)}
    results["import_and_first_check_s"] = round(startup(5), 3)

    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "throughput.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for key, value in results.items():
        print(f"{key:36} {value}")


if __name__ == "__main__":
    main()
