"""Output snapshot for speed work: a change that only makes rules faster must not change a report.

    python bench/snapshot.py > /tmp/before.jsonl     # on the commit you start from
    python bench/snapshot.py > /tmp/after.jsonl      # after the change
    cmp /tmp/before.jsonl /tmp/after.jsonl           # or diff, to read what moved

It writes one JSON line per (draft set, draft, mode) with the whole report (findings, fixes,
evidence, fixed text) and, in mode ``unsafe``, the text with unsafe fixes applied too. The drafts:
the synthetic bench drafts (``drafts.py``), the bundled examples, and every labelled reply found
(``../shared/corpus/dev.jsonl`` and ``eval/heldout*.jsonl``) twice: as ``score.py`` submits them
(no name, no agent, follow state false) and with a customer name, an agent and a brand user id
on file, so that the safe fixes of every rule run. The last line is a digest of all the others.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from drafts import make_drafts

from replylint import Linter

ROOT = Path(__file__).resolve().parent.parent
LABELLED = [ROOT.parent / "shared" / "corpus" / "dev.jsonl", *sorted((ROOT / "eval").glob("heldout*.jsonl"))]


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _as_submitted(item: dict[str, Any]) -> dict[str, Any]:
    """As ../shared/eval/score.py builds a draft record."""
    return {
        "id": item["id"],
        "text": item["reply"],
        "customer": {"handle": f"@{item['customer_handle']}" if item.get("customer_handle") else None},
        "brand": {"follows_customer": False, "open_dms": False},
        "inbound": {"text": item["inbound"]} if item.get("inbound") else None,
    }


def _with_context(item: dict[str, Any]) -> dict[str, Any]:
    """The same reply with what a helpdesk knows: the safe fixes can then apply."""
    handle = item.get("customer_handle") or "customer"
    return {
        **_as_submitted(item),
        "customer": {"handle": f"@{handle}", "name": "Marie-Hélène Dupont"},
        "brand": {"handle": "@Acme", "user_id": "123", "follows_customer": False, "open_dms": False},
        "agent": {"name": "Julie Martin"},
    }


def draft_sets(count: int) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    yield "synthetic", make_drafts(count)
    yield "examples", _jsonl(ROOT / "examples" / "drafts.jsonl")
    for path in LABELLED:
        if path.is_file():
            items = _jsonl(path)
            yield f"{path.stem}", [_as_submitted(item) for item in items]
            yield f"{path.stem}+context", [_with_context(item) for item in items]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=4000, help="synthetic drafts")
    args = parser.parse_args()
    linter = Linter()
    digest = hashlib.sha256()
    out = sys.stdout
    for name, records in draft_sets(args.count):
        for record, report in zip(records, linter.check_many(records), strict=True):
            line = json.dumps(
                {"set": name, "mode": "check", **report.model_dump(mode="json")}, ensure_ascii=False
            )
            out.write(line + "\n")
            digest.update(line.encode())
            if report.error is None:
                fixed = linter.fix(record, unsafe=True)
                line = json.dumps(
                    {"set": name, "mode": "unsafe", "id": report.id, "text": fixed}, ensure_ascii=False
                )
                out.write(line + "\n")
                digest.update(line.encode())
    out.write(json.dumps({"digest": digest.hexdigest()}) + "\n")


if __name__ == "__main__":
    main()
