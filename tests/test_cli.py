"""The CLI end to end, through a subprocess, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "replylint", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd or ROOT,
        timeout=120,
    )


def jsonl(proc: subprocess.CompletedProcess[bytes]) -> list[dict[str, object]]:
    return [json.loads(line) for line in proc.stdout.decode().splitlines() if line.strip()]


MIXED = b"\n".join(
    [
        b'{"id": "ok", "text": "@x Hi {{first_name}}, on it.", "customer": {"name": "Ana"}}',
        b'{"id": "broken", "text": ',
        b'{"id": "notext"}',
        b"",
        b'{"id": "latin1", "text": "caf\xe9"}',
        b'["not", "an", "object"]',
        b'{"id": "clean", "text": "@x Hi Ana, on it."}',
    ]
)


def test_bad_records_are_reported_and_none_is_lost() -> None:
    proc = run("check", "--format", "jsonl", "--select", "RL0", "-", stdin=MIXED)
    results = jsonl(proc)
    assert proc.returncode == 2
    assert len(results) == 6  # blank line is not a record
    assert [r["id"] for r in results] == ["ok", None, "notext", None, None, "clean"]
    assert results[0]["fixed_text"] == "@x Hi Ana, on it." and results[0]["error"] is None
    errors = {i: r["error"] for i, r in enumerate(results) if r["error"]}
    assert "invalid JSON" in str(errors[1])
    assert "text: missing" in str(errors[2])
    assert "UTF-8" in str(errors[3])
    assert "JSON object" in str(errors[4])
    stderr = proc.stderr.decode()
    assert "line 2:" in stderr and "line 3 (id notext): text: missing" in stderr and "line 5:" in stderr
    assert "Traceback" not in stderr


def test_exit_codes_follow_fail_on(tmp_path: Path) -> None:
    drafts = tmp_path / "d.jsonl"
    drafts.write_text('{"id": "1", "text": "@x Hi {{first_name}}"}\n', encoding="utf-8")
    assert run("check", str(drafts), "--select", "RL0").returncode == 1
    assert run("check", str(drafts), "--select", "RL0", "--fail-on", "never").returncode == 0
    clean = tmp_path / "c.jsonl"
    clean.write_text('{"id": "1", "text": "@x Hi Ana"}\n', encoding="utf-8")
    assert run("check", str(clean), "--select", "RL0").returncode == 0


def test_text_output_groups_findings_and_summarises(tmp_path: Path) -> None:
    drafts = tmp_path / "d.jsonl"
    drafts.write_text(
        '{"id": "d-1", "text": "@x Hi {{first_name}}", "customer": {"name": "Ana"}}\n{"id": "d-2", "text": "ok"}\n',
        encoding="utf-8",
    )
    out = run("check", str(drafts), "--select", "RL0", "--no-color").stdout.decode()
    assert "d-1 (en)" in out and "RL001 unfilled-placeholder" in out and "fix (safe)" in out
    assert "{{first_name}}" in out
    assert "1 finding (1 error) in 1 of 2 drafts; 1 safe fix available (--fix)" in out
    assert "\x1b[" not in out


def test_json_array_and_csv_inputs(tmp_path: Path) -> None:
    array = tmp_path / "d.json"
    array.write_text(
        json.dumps([{"id": "a", "text": "@x Hi XXX"}, {"id": "b", "text": "fine"}]), encoding="utf-8"
    )
    proc = run("check", str(array), "--format", "json", "--select", "RL0")
    results = json.loads(proc.stdout)
    assert [r["id"] for r in results] == ["a", "b"] and results[0]["findings"][0]["rule"] == "RL001"

    table = tmp_path / "d.csv"
    table.write_text(
        'ticket,body,customer_name,brand.open_dms\nT1,"@x Bonjour {prénom}, merci",Zoé,false\nT2,,,\n',
        encoding="utf-8",
    )
    proc = run("check", str(table), "--text-column", "body", "--id-column", "ticket", "--format", "jsonl")
    results = jsonl(proc)
    assert [r["id"] for r in results] == ["T1", "T2"]
    assert results[0]["fixed_text"] == "@x Bonjour Zoé, merci"
    assert "text" in str(results[1]["error"]) and proc.returncode == 2

    proc = run("check", str(table), "--text-column", "nope")
    assert proc.returncode == 2 and b"no column 'nope'" in proc.stderr


def test_csv_output_has_a_row_per_finding(tmp_path: Path) -> None:
    drafts = tmp_path / "d.jsonl"
    drafts.write_text(
        '{"id": "1", "text": "@x {{a_b}} and XXX"}\n{"id": "2", "text": "fine"}\n', encoding="utf-8"
    )
    lines = run("check", str(drafts), "--format", "csv", "--select", "RL0").stdout.decode().splitlines()
    assert lines[0].startswith("id,language,error,rule,name")
    assert len(lines) == 1 + 2 + 1


def test_fix_writes_output_and_in_place(tmp_path: Path) -> None:
    drafts = tmp_path / "d.jsonl"
    original = (
        '{"id": "1", "text": "@x Hi {{first_name}}", "customer": {"name": "Ana"}, "extra": 1}\n{"id": "2"}\n'
    )
    drafts.write_text(original, encoding="utf-8")
    out = tmp_path / "fixed.jsonl"
    proc = run("check", str(drafts), "--fix", "--output", str(out), "--select", "RL0", "--format", "jsonl")
    assert proc.returncode == 2  # record 2 has no text
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["text"] == "@x Hi Ana" and rows[0]["extra"] == 1 and rows[1] == {"id": "2"}
    assert drafts.read_text(encoding="utf-8") == original

    run("check", str(drafts), "--fix", "--in-place", "--select", "RL0")
    assert json.loads(drafts.read_text(encoding="utf-8").splitlines()[0])["text"] == "@x Hi Ana"
    assert not list(tmp_path.glob(".replylint-*"))  # no temporary file left behind


def test_fix_requires_a_target() -> None:
    proc = run("check", "-", "--fix", stdin=b'{"text": "x"}\n')
    assert proc.returncode == 2 and b"--output" in proc.stderr


def test_missing_file_and_bad_config_exit_2(tmp_path: Path) -> None:
    proc = run("check", str(tmp_path / "nope.jsonl"))
    assert proc.returncode == 2 and b"cannot open" in proc.stderr and b"Traceback" not in proc.stderr
    config = tmp_path / "replylint.toml"
    config.write_text("select = 3\n", encoding="utf-8")
    proc = run("check", "--config", str(config), "-", stdin=b'{"text": "x"}\n')
    assert proc.returncode == 2 and b"select" in proc.stderr and b"Traceback" not in proc.stderr


def test_invalid_json_document_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "d.json"
    broken.write_text('[{"text": "a"},', encoding="utf-8")
    proc = run("check", str(broken))
    assert proc.returncode == 2 and b"invalid JSON" in proc.stderr


@pytest.mark.parametrize("key", ["RL001", "unfilled-placeholder"])
def test_rule_explains_itself(key: str) -> None:
    proc = run("rule", key)
    out = proc.stdout.decode()
    assert proc.returncode == 0 and "# unfilled-placeholder (RL001)" in out and "## How to fix" in out


def test_rules_list_and_unknown_rule() -> None:
    listing = run("rules").stdout.decode()
    assert "RL001" in listing and "over-length" in listing
    rows = json.loads(run("rules", "--json").stdout)
    assert {"code", "name", "severity", "summary"} <= set(rows[0])
    proc = run("rule", "RL999")
    assert proc.returncode == 2 and b"no rule" in proc.stderr


def test_schema_describes_both_records() -> None:
    schema = json.loads(run("schema").stdout)
    assert "text" in schema["draft"]["required"]
    assert "findings" in schema["report"]["properties"]


def test_schema_says_null_channel_and_platform_mean_the_defaults() -> None:
    draft = json.loads(run("schema").stdout)["draft"]["properties"]
    for field, default in (("channel", "public"), ("platform", "twitter")):
        assert {"type": "null"} in draft[field]["anyOf"], field
        assert draft[field]["default"] == default
    proc = run(
        "check",
        "-",
        "--format",
        "jsonl",
        stdin=b'{"id": "n", "text": "@marie Merci !", "channel": null, "platform": null}\n',
    )
    assert proc.returncode in (0, 1) and json.loads(proc.stdout)["error"] is None


def test_examples_file_runs() -> None:
    proc = run("check", "examples/drafts.jsonl", "--format", "jsonl")
    results = jsonl(proc)
    assert len(results) == len((ROOT / "examples" / "drafts.jsonl").read_text(encoding="utf-8").splitlines())
    assert all(r["error"] is None for r in results)
