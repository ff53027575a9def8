"""Throughput and start-up benchmark.

    python bench/bench_throughput.py                 # 100,000 drafts, 3 runs, all rules
    python bench/bench_throughput.py --count 20000 --families

Reports (medians of --runs):
- drafts/s and µs/draft of ``Linter.check_many`` on one core over synthetic unique drafts
  (``bench/drafts.py``), with all rules and with the form rules (RL0) only;
- with --families (--per-rule), the µs/draft each rule family (rule) adds on top of RL0: the
  median over passes of the difference within a pass; with --fastest, each selection's fastest
  time on each chunk of drafts, summed, less RL0's. Within a pass the selections take turns on
  each chunk of --chunk drafts, so that a busy spell of the machine (here, a few seconds long)
  hits them alike, and --fastest only needs each chunk to have run once in a quiet moment;
- with --marginal, what each family costs within all rules (all rules minus all rules but that
  family): what a user of the default configuration saves by ignoring it. It is higher than
  the cost on top of RL0, since a fixed draft is re-checked with every rule that could add an
  error (RL1's, RL201) whatever family's fix was applied;
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

#: Drafts timed at a time (a multiple of the engine's batch of 32): the selections take turns on
#: each chunk, in every pass.
CHUNK = 2048


def throughput(select: list[str], drafts: list[dict[str, Any]], runs: int) -> float:
    """Median µs per draft over ``runs`` passes (a warm-up pass first compiles the phrase data)."""
    return statistics.median(passes({"only": select}, drafts, runs).per_pass("only"))


class Timings:
    """Seconds each selection took on each chunk of the drafts in each pass: ``[pass][chunk]``."""

    def __init__(self, names: list[str], count: int) -> None:
        self.count = count
        self.seconds: dict[str, list[list[float]]] = {name: [] for name in names}

    def per_pass(self, name: str) -> list[float]:
        """µs per draft of each pass."""
        return [sum(chunks) / self.count * 1e6 for chunks in self.seconds[name]]

    def fastest(self, name: str) -> float:
        """µs per draft with each chunk at its fastest pass (a busy machine only adds time)."""
        return float(sum(map(min, zip(*self.seconds[name], strict=True)))) / self.count * 1e6

    def added(self, name: str, base: str, fastest: bool = False) -> float:
        """Median over passes of what ``name`` costs more than ``base`` in the same pass; with
        ``fastest``, the fastest time of ``name`` less the fastest of ``base``."""
        if fastest:
            return self.fastest(name) - self.fastest(base)
        pairs = zip(self.per_pass(name), self.per_pass(base), strict=True)
        return float(statistics.median(t - b for t, b in pairs))


def passes(
    selections: dict[str, list[str]], drafts: list[dict[str, Any]], runs: int, chunk: int = CHUNK
) -> Timings:
    """The timings of each selection over ``runs`` passes (see ``passes_with``)."""
    configs = {name: Config(select=select) for name, select in selections.items()}
    return passes_with(configs, drafts, runs, chunk)


def passes_with(
    configs: dict[str, Config], drafts: list[dict[str, Any]], runs: int, chunk: int = CHUNK
) -> Timings:
    """``passes`` for linters of any configuration: in each pass, the linters take turns on each
    ``chunk`` of drafts."""
    linters = {name: Linter(config) for name, config in configs.items()}
    for linter in linters.values():
        for _ in linter.check_many(drafts[:500]):
            pass
    parts = [drafts[i : i + chunk] for i in range(0, len(drafts), chunk)]
    timings = Timings(list(configs), len(drafts))
    for _ in range(runs):
        for name in linters:
            timings.seconds[name].append([])
        for part in parts:
            for name, linter in linters.items():
                start = time.perf_counter()
                for _ in linter.check_many(part):
                    pass
                timings.seconds[name][-1].append(time.perf_counter() - start)
    return timings


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
        "--marginal", action="store_true", help="also measure each family's cost within all rules"
    )
    parser.add_argument(
        "--fastest",
        action="store_true",
        help="added costs from each selection's fastest time on each chunk of drafts (a busy machine "
        "only adds time: with many --runs, the steadier figure) instead of the median difference",
    )
    parser.add_argument(
        "--chunk",
        type=int,
        default=CHUNK,
        help=f"drafts on which the selections take turns (default {CHUNK}; --count: whole passes)",
    )
    parser.add_argument(
        "--corpus",
        help="use real replies instead of synthetic drafts: a JSONL file with `reply` and `inbound` "
        "(e.g. ../shared/corpus/dev.jsonl), cycled up to --count",
    )
    args = parser.parse_args()

    drafts = corpus_drafts(args.corpus, args.count) if args.corpus else make_drafts(args.count)
    results: dict[str, Any] = {"count": args.count, "runs": args.runs, "drafts": args.corpus or "synthetic"}
    results["added"] = (
        f"fastest of each chunk of {args.chunk}"
        if args.fastest
        else "median of the differences within a pass"
    )
    all_us = throughput(["RL"], drafts, args.runs)
    form_us = throughput(["RL0"], drafts, args.runs)
    results["all_rules"] = {"us_per_draft": round(all_us, 1), "drafts_per_s": round(1e6 / all_us)}
    results["form_rules"] = {"us_per_draft": round(form_us, 1), "drafts_per_s": round(1e6 / form_us)}
    selections: dict[str, list[str]] = {}
    if args.families:
        present = {r.code[:3] for r in all_rules()}
        for prefix, name in FAMILIES.items():
            if prefix != "RL0" and prefix in present:
                selections[f"family {prefix} {name}"] = ["RL0", prefix]
    if args.per_rule:
        for rule in all_rules():
            if not rule.code.startswith("RL0"):
                selections[f"rule {rule.code} {rule.name}"] = ["RL0", rule.code]
    if selections:
        timings = passes({"RL0": ["RL0"], **selections}, drafts, args.runs, args.chunk)
        for key in selections:
            results[key] = {"added_us_per_draft": round(timings.added(key, "RL0", args.fastest), 1)}
    if args.marginal:
        families = sorted({r.code[:3] for r in all_rules()} - {"RL0"})
        configs = {"all": Config(), **{f"without {f}": Config(ignore=[f]) for f in families}}
        timings = passes_with(configs, drafts, args.runs, args.chunk)
        for family in families:
            key = f"family {family} {FAMILIES[family]} within all rules"
            added_us = timings.added("all", f"without {family}", args.fastest)
            results[key] = {"added_us_per_draft": round(added_us, 1)}
    results["import_and_first_check_s"] = round(startup(5), 3)

    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "throughput.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for key, value in results.items():
        print(f"{key:36} {value}")


if __name__ == "__main__":
    main()
