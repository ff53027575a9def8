"""The history store: fingerprints, store semantics (SQLite and PostgreSQL), faults,
concurrency, engine integration and the CLI."""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from replylint import Config, Linter
from replylint.history import (
    HistoryError,
    HistoryStore,
    SentReply,
    SqliteStore,
    fingerprint,
    normalise,
    open_store,
    similarity,
)

ROOT = Path(__file__).resolve().parents[1]
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CANNED = "Hi {name}, sorry for the trouble! Please restart the app and clear the cache, then try again."
CANNED_FR = (
    "Bonjour {name}, désolés pour ce souci ! Redémarrez l'application puis videz le cache, et réessayez."
)


def sent(
    text: str,
    at: datetime,
    brand: str = "acme",
    customer: str | None = "tom",
    rid: str | None = None,
    name: str | None = None,
) -> SentReply:
    return SentReply(brand, at, fingerprint(text, [name]), rid, customer, text)


# --- fingerprints ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "@tom Hi Tom, your order 12345 ships today: https://t.co/abc ^AB",
            "@kim Hi Kim, your order 99 ships today: https://t.co/zz ^CD",
        ),
        (
            "@lea Bonjour Léa, votre commande n°4521 part demain ! ^JM",
            "@marc Bonjour Marc, votre commande n°77 part demain ! ^SL",
        ),
        ("Write to help@acme.com and we'll fix it.", "Write to sav@acme.fr and we'll fix it."),
        ("Merci Chloé pour votre patience, c'est réglé.", "Merci Hugo pour votre patience, c'est réglé."),
        ("DÉSOLÉS pour ce retard", "désolés pour ce retard"),
    ],
)
def test_masked_variants_normalise_to_the_same_text(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)
    assert fingerprint(a).exact == fingerprint(b).exact


def test_names_from_the_record_are_masked() -> None:
    assert "_name_" in normalise("Great news Priya, it is fixed.", ["Priya Patel"])
    assert "priya" in normalise("Great news Priya, it is fixed.")


def test_different_replies_are_not_similar() -> None:
    a = fingerprint("Hi Tom, sorry for the trouble! Please restart the app and clear the cache.")
    b = fingerprint("Hi Tom, your refund was issued this morning and should arrive within five days.")
    assert similarity(a.signature, b.signature) < 0.4


def test_one_changed_word_stays_near() -> None:
    a = fingerprint(CANNED.format(name="Tom"))
    b = fingerprint(CANNED.format(name="Tom").replace("then", "and"))
    assert a.exact != b.exact
    assert similarity(a.signature, b.signature) >= 0.7


# --- stores --------------------------------------------------------------------------------------

PG_URL = os.environ.get("REPLYLINT_TEST_POSTGRES_URL")


def _postgres_or_skip() -> str:
    """The test server's URL; skip outside CI when there is none, fail in CI (CI=true)."""
    in_ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    if not PG_URL:
        reason = (
            'REPLYLINT_TEST_POSTGRES_URL is not set: run `eval "$(.ci/postgres.sh)"` for the PostgreSQL tests'
        )
    else:
        try:
            import psycopg

            with psycopg.connect(PG_URL, connect_timeout=3) as conn:
                conn.execute("DROP TABLE IF EXISTS replylint_replies, replylint_bands")
            return PG_URL
        except Exception as exc:
            reason = f"PostgreSQL at {PG_URL} is unreachable: {exc}"
    if in_ci:
        pytest.fail(f"CI requires the PostgreSQL history tests: {reason}")
    pytest.skip(reason)


@pytest.fixture(params=["sqlite-file", "memory", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HistoryStore]:
    if request.param == "sqlite-file":
        s: HistoryStore = open_store(str(tmp_path / "history.db"))
    elif request.param == "memory":
        s = open_store(":memory:")
    else:
        s = open_store(_postgres_or_skip())
    yield s
    s.close()


def test_exact_and_near_duplicates_are_found(store: HistoryStore) -> None:
    store.record(sent(CANNED.format(name="Tom"), T0, customer="tom", rid="1", name="Tom"))
    store.record(
        sent(CANNED.format(name="Kim"), T0 + timedelta(hours=1), customer="kim", rid="2", name="Kim")
    )
    store.record(sent("Your refund left this morning, it takes five working days to arrive.", T0, rid="3"))
    probe = fingerprint(CANNED.format(name="Zoe"), ["Zoe"])
    found = store.find_similar("acme", probe, T0 - timedelta(days=1), T0 + timedelta(days=1), customer="kim")
    assert (found.count, found.exact, found.same_customer) == (2, 2, 1)
    assert found.last_sent == T0 + timedelta(hours=1)
    near = fingerprint(CANNED.format(name="Zoe").replace("then", "and"), ["Zoe"])
    found = store.find_similar(
        "acme", near, T0 - timedelta(days=1), T0 + timedelta(days=1), customer="tom", threshold=0.7
    )
    assert (found.count, found.exact, found.same_customer) == (2, 0, 1)
    assert [m.reply_id for m in found.matches] == ["2", "1"] and 0.7 <= found.best < 1


def test_window_brand_and_threshold(store: HistoryStore) -> None:
    store.record(sent(CANNED.format(name="Tom"), T0, rid="1", name="Tom"))
    probe = fingerprint(CANNED.format(name="Tom"), ["Tom"])
    assert not store.find_similar("acme", probe, T0 + timedelta(seconds=1), T0 + timedelta(days=7))
    assert not store.find_similar("acme", probe, T0 - timedelta(days=7), T0 - timedelta(seconds=1))
    assert not store.find_similar("other", probe, T0 - timedelta(days=7), T0 + timedelta(days=7))
    other = fingerprint("Thanks for your message! We will look into it and come back to you soon.")
    assert not store.find_similar("acme", other, T0 - timedelta(days=7), T0 + timedelta(days=7))
    assert store.find_similar("acme", probe, T0, T0)  # bounds are inclusive
    assert not store.find_similar("acme", probe, T0, T0, exclude_id="1")


def test_same_id_is_recorded_once(store: HistoryStore) -> None:
    reply = sent(CANNED.format(name="Tom"), T0, rid="42")
    assert store.record_many([reply, reply]) == 1
    assert store.record_many([reply]) == 0
    assert store.stats().replies == 1
    assert (
        store.record_many(
            [sent("no id here at all, just text", T0), sent("no id here at all, just text", T0)]
        )
        == 2
    )


def test_purge_and_stats(store: HistoryStore) -> None:
    for day in range(10):
        store.record(
            sent(
                f"Reply number {day} about a different subject each day {'x' * day}",
                T0 + timedelta(days=day),
                rid=str(day),
            )
        )
    stats = store.stats()
    assert (stats.replies, stats.brands, stats.oldest, stats.newest) == (10, 1, T0, T0 + timedelta(days=9))
    assert store.purge(T0 + timedelta(days=4)) == 4
    assert store.stats().replies == 6
    probe = fingerprint("Reply number 1 about a different subject each day x")
    found = store.find_similar("acme", probe, T0 - timedelta(days=30), T0 + timedelta(days=30), threshold=0.3)
    assert sorted(m.reply_id for m in found.matches) == ["4", "5", "6", "7", "8", "9"]


def test_text_is_not_stored_by_default(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    with open_store(str(path)) as store:
        store.record(sent("@tom Hi Tom, call us on 0612345678", T0, rid="1"))
        assert store.stats().with_text == 0
    raw = path.read_bytes() + (
        path.with_name("h.db-wal").read_bytes() if path.with_name("h.db-wal").exists() else b""
    )
    assert b"0612345678" not in raw and b"Hi Tom" not in raw
    with open_store(str(path), store_text=True) as store:
        store.record(sent("@kim Hi Kim, this one is kept", T0, rid="2"))
        assert store.stats().with_text == 1


def test_postgres_store_text_flag() -> None:
    url = _postgres_or_skip()
    with open_store(url) as store:
        store.record(sent("@tom Hi Tom, call us on 0612345678", T0, rid="1"))
        assert store.stats().with_text == 0
        assert "replylint@" in store.location and ":replylint@" not in store.location  # no password


@pytest.mark.parametrize(
    ("location", "kind"),
    [(":memory:", SqliteStore), ("sqlite://", SqliteStore), ("sqlite:///:memory:", SqliteStore)],
)
def test_open_store_urls(location: str, kind: type) -> None:
    with open_store(location) as store:
        assert isinstance(store, kind)


def test_open_store_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    open_store("sqlite:///rel.db").close()
    open_store(f"sqlite:///{tmp_path}/abs.db").close()
    open_store("bare.db").close()
    assert {p.name for p in tmp_path.glob("*.db")} == {"rel.db", "abs.db", "bare.db"}


@pytest.mark.parametrize("location", ["mysql://x/y", "", "   "])
def test_bad_locations(location: str) -> None:
    with pytest.raises(HistoryError):
        open_store(location)


def test_missing_store_is_an_error_unless_created(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="does not exist"):
        open_store(str(tmp_path / "missing.db"), create=False)
    with pytest.raises(HistoryError, match="no such directory"):
        open_store(str(tmp_path / "nodir" / "h.db"))
    with pytest.raises(HistoryError, match="directory"):
        open_store(str(tmp_path))


def test_corrupt_and_foreign_files(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(HistoryError, match="corrupt"):
        open_store(str(garbage))
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE notes (x)")
    with pytest.raises(HistoryError, match="not a replylint history store"):
        open_store(str(foreign))


def test_locked_store(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    open_store(str(path)).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store = SqliteStore(path, timeout=0.2)
        with pytest.raises(HistoryError, match="locked"):
            store.record(sent(CANNED.format(name="Tom"), T0))
        probe = fingerprint(CANNED.format(name="Tom"))
        assert not store.find_similar("acme", probe, T0 - timedelta(days=1), T0)  # WAL: readers go on
        store.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def _writer(path: str, worker: int, count: int) -> None:
    with open_store(path) as store:
        for i in range(count):
            store.record(
                sent(f"worker {worker} reply {i} text", T0 + timedelta(seconds=i), rid=f"{worker}-{i}")
            )


def test_several_processes_write_one_file_without_losing_records(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.db")
    workers, each = 4, 150
    context = multiprocessing.get_context("spawn")
    procs = [context.Process(target=_writer, args=(path, w, each)) for w in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    with open_store(path) as store:
        assert store.stats().replies == workers * each
        db = sqlite3.connect(path)
        assert db.execute("SELECT count(*) FROM bands").fetchone()[0] == workers * each * 8
        db.close()


# --- engine --------------------------------------------------------------------------------------


def draft(text: str, at: datetime, rid: str | None = None, **fields: object) -> dict[str, object]:
    return {"text": text, "created_at": at.isoformat(), "id": rid, **fields}


def test_linter_records_and_flags() -> None:
    linter = Linter(Config(select=["RL401"]), history=open_store(":memory:"))
    linter.record_sent(draft("@tom " + CANNED.format(name="Tom"), T0, "1"))
    report = linter.check(draft("@kim " + CANNED.format(name="Kim"), T0 + timedelta(hours=2), "2"))
    assert [f.name for f in report.findings] == ["duplicate-reply"]
    assert "1 time" in report.findings[0].message
    again = linter.check(draft("@tom " + CANNED.format(name="Tom"), T0 + timedelta(hours=3), "3"))
    assert again.findings[0].severity.value == "error"


def test_no_store_means_silence_and_record_sent_refuses() -> None:
    linter = Linter(Config(select=["RL401"]))
    assert linter.history is None
    assert not linter.check(draft("@kim " + CANNED.format(name="Kim"), T0)).findings
    with pytest.raises(HistoryError):
        linter.record_sent(draft("@kim hello", T0))


def test_config_history_opens_lazily_and_creates(tmp_path: Path) -> None:
    path = tmp_path / "replies.db"
    linter = Linter(Config(select=["RL401"], history=str(path)))
    assert not path.exists()
    linter.record_sent(draft("@tom " + CANNED.format(name="Tom"), T0, "1"))
    assert path.exists()
    assert (
        Linter(Config(select=["RL401"], history=str(path)))
        .check(draft("@kim " + CANNED.format(name="Kim"), T0 + timedelta(days=1)))
        .findings
    )


def test_store_fault_raises_instead_of_skipping(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 1000)
    linter = Linter(Config(select=["RL401"], history=str(bad)))
    with pytest.raises(HistoryError, match="corrupt"):
        linter.check(draft("@kim " + CANNED.format(name="Kim"), T0))


def test_naive_timestamps_are_record_errors() -> None:
    linter = Linter(Config(select=["RL4"]), history=open_store(":memory:"))
    report = linter.check({"text": "@tom Hi Tom", "created_at": "2026-03-02T09:00:00"})
    assert report.error and "created_at" in report.error and "timezone" in report.error
    report = linter.check({"text": "@tom Hi", "inbound": {"created_at": "2026-03-02 09:00"}})
    assert report.error and "inbound.created_at" in report.error
    with pytest.raises(ValueError):
        linter.record_sent({"text": "@tom Hi Tom", "created_at": "2026-03-02T09:00:00"})


# --- CLI -----------------------------------------------------------------------------------------


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "replylint", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


BACKLOG = [
    # file order is not time order: the audit sorts by created_at
    draft("@kim " + CANNED.format(name="Kim") + " ^AB", T0 + timedelta(hours=5), "c"),
    draft("@tom " + CANNED.format(name="Tom") + " ^AB", T0, "a"),
    draft("@tom " + CANNED.format(name="Tom") + " ^CD", T0 + timedelta(hours=1), "b"),
    draft("@zoe Hi Zoe, your parcel left this morning and tracking is on its way by email.", T0, "d"),
    draft("@lea " + CANNED_FR.format(name="Léa"), T0, "e", language="fr"),
    draft("@hugo " + CANNED_FR.format(name="Hugo"), T0 + timedelta(days=8), "f", language="fr"),
]


def test_cli_audit_memory(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "backlog.jsonl", BACKLOG)
    proc = run("check", str(path), "--history", ":memory:", "--select", "RL401", "--format", "jsonl")
    assert proc.returncode == 1, proc.stderr
    reports = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["id"] for r in reports] == ["c", "a", "b", "d", "e", "f"]  # file order kept
    flagged = {r["id"]: r["findings"][0] for r in reports if r["findings"]}
    assert set(flagged) == {"b", "c"}  # a is first; f is 8 days after e (window 7 days)
    assert flagged["b"]["severity"] == "error"  # same customer
    assert "2 times" in flagged["c"]["message"]
    assert not list(tmp_path.glob("*.db"))


def test_cli_history_commands(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    backlog = write_jsonl(tmp_path / "sent.jsonl", BACKLOG[1:4])
    proc = run("history", "import", str(backlog), "--history", str(db))
    assert proc.returncode == 0 and "imported 3 of 3" in proc.stderr, proc.stderr
    proc = run("history", "import", str(backlog), "--history", f"sqlite:///{db}")
    assert proc.returncode == 0 and "imported 0 of 3" in proc.stderr
    proc = run(
        "history",
        "add",
        "A reply sent just now to someone about something",
        "--history",
        str(db),
        "--id",
        "z",
    )
    assert proc.returncode == 0, proc.stderr
    proc = run("history", "stats", "--history", str(db), "--json")
    stats = json.loads(proc.stdout)
    assert stats["replies"] == 4 and stats["with_text"] == 0 and stats["size_bytes"] > 0
    checked = write_jsonl(tmp_path / "drafts.jsonl", [BACKLOG[0]])
    proc = run("check", str(checked), "--history", str(db), "--select", "RL401", "--format", "jsonl")
    assert proc.returncode == 1 and "duplicate-reply" in proc.stdout
    proc = run("history", "purge", "--history", str(db), "--older-than", "30")
    assert proc.returncode == 0 and "deleted 3 replies" in proc.stderr
    proc = run("history", "stats", "--history", str(db), "--json")
    assert json.loads(proc.stdout)["replies"] == 1


def test_cli_history_errors_exit_2(tmp_path: Path) -> None:
    drafts = write_jsonl(tmp_path / "d.jsonl", [BACKLOG[0]])
    proc = run("check", str(drafts), "--history", str(tmp_path / "typo.db"))
    assert proc.returncode == 2 and "does not exist" in proc.stderr
    (tmp_path / "bad.db").write_bytes(b"garbage" * 500)
    proc = run("check", str(drafts), "--history", str(tmp_path / "bad.db"))
    assert proc.returncode == 2 and "corrupt" in proc.stderr
    proc = run("history", "stats", "--history", str(tmp_path / "bad.db"))
    assert proc.returncode == 2 and "corrupt" in proc.stderr
    proc = run("history", "stats", cwd=tmp_path)
    assert proc.returncode == 2 and "no history store" in proc.stderr
    (tmp_path / "replylint.toml").write_text(f'history = "{tmp_path / "bad.db"}"\n')
    proc = run("check", str(drafts), "--select", "RL401", cwd=tmp_path)
    assert proc.returncode == 2 and "corrupt" in proc.stderr
    undated = write_jsonl(tmp_path / "undated.jsonl", [{"text": "hello there", "id": "u"}])
    proc = run("history", "import", str(undated), "--history", str(tmp_path / "new.db"))
    assert proc.returncode == 2 and "created_at" in proc.stderr
