"""Per-family cost in CPU instructions (valgrind/callgrind): a deterministic companion to
bench_throughput.py.

    python bench/bench_instructions.py                       # synthetic drafts, RL0 + each family
    python bench/bench_instructions.py --corpus ../shared/corpus/dev.jsonl --families RL1

Wall-clock timings on this shared machine swing by 10-40 % from run to run (bimodal even with
the garbage collector off), which hides a 5 µs change. Instruction counts do not move: the same
code on the same drafts gives the same count, so a change's effect is measurable in one run.
For each selection, the linter is warmed up on 600 drafts (phrase data compiled, caches
filled), then the instructions of ``check_many`` over ``--count`` more drafts are counted as
the difference between two runs of the same warm-up, with and without those drafts. Output:
instructions per draft, the family's added instructions, and that as µs at the instruction
rate measured for RL0 alone by ``--us-rl0`` (the RL0 µs/draft from bench_throughput.py).
Needs valgrind (Debian package ``valgrind``); takes about a minute per selection.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

_WARM_UP = 600
_COLLECTED = re.compile(r"Collected : (\d+)")

_CHILD = """
import sys
sys.path.insert(0, {bench!r})
from bench_throughput import corpus_drafts
from drafts import make_drafts
from replylint import Config, Linter
count, corpus, select = {count}, {corpus!r}, {select!r}
total = {warm_up} + count
drafts = corpus_drafts(corpus, total) if corpus else make_drafts(total)
linter = Linter(Config(select=select))
for _ in linter.check_many(drafts[:{warm_up}]):
    pass
for _ in linter.check_many(drafts[{warm_up}:]):
    pass
"""


def instructions(select: list[str], count: int, corpus: str | None) -> int:
    """Instructions executed by the child script (warm-up + ``count`` drafts)."""
    code = _CHILD.format(
        bench=str(Path(__file__).parent), count=count, corpus=corpus, select=select, warm_up=_WARM_UP
    )
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        # a fixed hash seed: set and dict orders (and so the work) then repeat from run to run;
        # with a random one the same code on the same drafts varied by up to ~12k instructions
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    match = _COLLECTED.search(run.stderr)
    if match is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{run.stderr[-2000:]}")
    return int(match.group(1))


def per_draft(select: list[str], count: int, corpus: str | None) -> float:
    return (instructions(select, count, corpus) - instructions(select, 0, corpus)) / count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=1000, help="drafts counted after the warm-up")
    parser.add_argument("--families", default="RL1,RL2,RL3", help="comma-separated family prefixes")
    parser.add_argument("--corpus", help="real replies (JSONL with `reply`, `inbound`) instead of synthetic")
    parser.add_argument("--us-rl0", type=float, help="RL0 µs/draft measured by bench_throughput.py")
    args = parser.parse_args()

    base = per_draft(["RL0"], args.count, args.corpus)
    rate = base / args.us_rl0 if args.us_rl0 else None  # instructions per µs
    results: dict[str, object] = {"drafts": args.corpus or "synthetic", "count": args.count}
    results["RL0 instructions/draft"] = round(base)
    for family in args.families.split(","):
        added = per_draft(["RL0", family], args.count, args.corpus) - base
        entry: dict[str, object] = {
            "added_instructions": round(added),
            "ratio_to_RL0": round(added / base, 3),
        }
        if rate:
            entry["added_us_at_RL0_rate"] = round(added / rate, 1)
        results[f"family {family}"] = entry
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    name = "instructions-corpus.json" if args.corpus else "instructions.json"
    (out / name).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for key, value in results.items():
        print(f"{key:28} {value}")


if __name__ == "__main__":
    main()
