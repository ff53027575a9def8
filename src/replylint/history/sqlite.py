"""The embedded history store: one SQLite file (stdlib ``sqlite3``).

WAL journal (readers never wait for the writer), ``busy_timeout`` (writers from several
processes queue instead of failing), one ``BEGIN IMMEDIATE`` transaction per batch so no
record is lost. Tables:

- ``replies``: one row per sent reply (id, brand, customer, time, exact hash, signature,
  text only with ``store_text``); ``UNIQUE(brand, reply_id)`` makes re-imports idempotent.
- ``bands``: ``(key, sent_at, reply)`` without rowid, 8 LSH band keys per reply (see
  ``fingerprint``), ``sent_at`` in whole seconds.
- index ``replies_exact (brand, exact, sent_at, customer, reply_id)``: exact reposts are
  counted from the index alone, however often a canned text was sent.

A lookup is one index range scan for exact reposts (at most ``MAX_EXACT``) and 8 band range
scans of at most ``PER_BAND`` rows each, newest first, for near duplicates.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from replylint.history.fingerprint import BANDS
from replylint.history.store import (
    ExactRow,
    HistoryError,
    HistoryStore,
    NearRow,
    SentReply,
    Stats,
    exact_query,
    from_epoch,
    near_query,
    to_epoch,
)

FORMAT = "replylint-history-1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS replies (
    id INTEGER PRIMARY KEY,
    reply_id TEXT,
    brand TEXT NOT NULL,
    customer TEXT,
    sent_at REAL NOT NULL,
    exact INTEGER NOT NULL,
    sig BLOB NOT NULL,
    text TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS replies_reply_id ON replies (brand, reply_id) WHERE reply_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS replies_exact ON replies (brand, exact, sent_at, customer, reply_id);
CREATE TABLE IF NOT EXISTS bands (
    key INTEGER NOT NULL,
    sent_at INTEGER NOT NULL,
    reply INTEGER NOT NULL,
    PRIMARY KEY (key, sent_at, reply)
) WITHOUT ROWID;
"""


class SqliteStore(HistoryStore):
    """History in one SQLite file (or ``:memory:``). Thread-safe; multi-process safe."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        store_text: bool = False,
        timeout: float = 5.0,
        cache_mb: int = 16,
    ) -> None:
        self.path = str(path)
        self.memory = self.path == ":memory:"
        self.location = self.path if self.memory else str(Path(self.path).resolve())
        self.store_text = store_text
        self.timeout = timeout
        self.cache_mb = cache_mb
        self._lock = threading.Lock()
        self._exact_sql = exact_query("?", "replies")
        self._near_sql = near_query("?", "replies", "bands", BANDS)
        if not self.memory:
            file = Path(self.path)
            if file.is_dir():
                raise HistoryError(f"history store {self.path} is a directory, not a file")
            if not file.exists():
                if not create:
                    raise HistoryError(
                        f"history store {self.path} does not exist "
                        "(create it with `replylint history import` or `history add`)"
                    )
                if not file.parent.is_dir():
                    raise HistoryError(f"cannot create history store {self.path}: no such directory")
        try:
            self._db = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise self._error(exc, "open") from exc
        try:
            self._setup()
        except sqlite3.Error as exc:
            self._db.close()
            raise self._error(exc, "open") from exc
        except HistoryError:
            self._db.close()
            raise

    # --- setup ---------------------------------------------------------------------------

    def _setup(self) -> None:
        db = self._db
        db.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
        # The band index takes random inserts: a page cache larger than SQLite's 2 MB default
        # keeps its inner pages in memory (fill and record_sent ~20% faster).
        db.execute(f"PRAGMA cache_size = -{int(self.cache_mb) * 1024}")
        # Checkpoint the WAL every ~40 MB instead of 4 MB: the band index's inner pages change
        # on every insert, so fewer checkpoints write (and fsync) them fewer times.
        db.execute("PRAGMA wal_autocheckpoint = 10000")
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables and "meta" not in tables:
            raise HistoryError(f"{self.path} is an SQLite file but not a replylint history store")
        if not self.memory:
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise HistoryError(f"history store {self.path}: cannot switch to WAL mode ({mode})")
            db.execute("PRAGMA synchronous = NORMAL")
        if "meta" not in tables:
            with self._transaction():
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('format', ?)", (FORMAT,))
        row = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        if row is None or row[0] != FORMAT:
            found = row[0] if row else "none"
            raise HistoryError(f"history store {self.path} has format {found!r}, expected {FORMAT!r}")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def _error(self, exc: sqlite3.Error, action: str) -> HistoryError:
        text = str(exc)
        where = f"history store {self.path}"
        if "locked" in text or "busy" in text:
            return HistoryError(
                f"{where} is locked by another process (waited {self.timeout:g} s to {action})"
            )
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            return HistoryError(f"{where} is corrupt or not an SQLite database ({text})")
        if "unable to open" in text or "readonly" in text or "read-only" in text:
            return HistoryError(f"cannot {action} {where}: {text}")
        return HistoryError(f"{where}: cannot {action}: {text}")

    # --- interface -----------------------------------------------------------------------

    def record_many(self, replies: Sequence[SentReply]) -> int:
        if not replies:
            return 0
        stored = 0
        with self._lock:
            try:
                with self._transaction() as db:
                    bands: list[tuple[int, float, int]] = []
                    for reply in replies:
                        sent_at = to_epoch(reply.sent_at)
                        fp = reply.fingerprint
                        cursor = db.execute(
                            "INSERT OR IGNORE INTO replies"
                            " (reply_id, brand, customer, sent_at, exact, sig, text)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (
                                reply.reply_id,
                                reply.brand,
                                reply.customer,
                                sent_at,
                                fp.exact,
                                fp.signature,
                                reply.text if self.store_text else None,
                            ),
                        )
                        if cursor.rowcount != 1:
                            continue  # already recorded (same brand and reply id)
                        stored += 1
                        row_id = cursor.lastrowid
                        assert row_id is not None
                        second = int(sent_at)
                        bands.extend((key, second, row_id) for key in fp.bands(reply.brand))
                    bands.sort()  # B-tree order: fewer pages touched per batch
                    db.executemany(
                        "INSERT OR IGNORE INTO bands (key, sent_at, reply) VALUES (?, ?, ?)", bands
                    )
            except sqlite3.Error as exc:
                raise self._error(exc, "record") from exc
        return stored

    def _candidates(self, exact: Sequence[object], near: Sequence[object]) -> tuple[ExactRow, list[NearRow]]:
        with self._lock:
            try:
                row = self._db.execute(self._exact_sql, exact).fetchone()
                rows = self._db.execute(self._near_sql, near).fetchall()
            except sqlite3.Error as exc:
                raise self._error(exc, "read") from exc
        return row, rows

    def purge(self, older_than: datetime) -> int:
        cutoff = to_epoch(older_than)
        with self._lock:
            try:
                with self._transaction() as db:
                    db.execute("DELETE FROM bands WHERE sent_at < ?", (cutoff,))
                    deleted = db.execute("DELETE FROM replies WHERE sent_at < ?", (cutoff,)).rowcount
            except sqlite3.Error as exc:
                raise self._error(exc, "purge") from exc
            if deleted and not self.memory:
                with contextlib.suppress(sqlite3.Error):  # a reader holds the WAL: later then
                    self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return int(deleted)

    def stats(self) -> Stats:
        with self._lock:
            try:
                count, brands, oldest, newest, with_text = self._db.execute(
                    "SELECT count(*), count(DISTINCT brand), min(sent_at), max(sent_at), count(text)"
                    " FROM replies"
                ).fetchone()
            except sqlite3.Error as exc:
                raise self._error(exc, "read") from exc
        size = None
        if not self.memory:
            size = sum(os.path.getsize(p) for p in (self.path, self.path + "-wal") if os.path.exists(p))
        return Stats(
            replies=count,
            brands=brands,
            oldest=None if oldest is None else from_epoch(oldest),
            newest=None if newest is None else from_epoch(newest),
            with_text=with_text,
            size_bytes=size,
            location=self.location,
        )

    def close(self) -> None:
        with self._lock:
            self._db.close()
