"""The shared history store: PostgreSQL through psycopg 3 (``pip install 'replylint[postgres]'``).

Same tables and lookup as ``SqliteStore`` (prefixed ``replylint_``), for teams that run many
hook instances against one database. Tables are created on first use under an advisory lock
(so concurrent first starts do not race).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime
from typing import Any

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

_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS replylint_replies (
        id BIGSERIAL PRIMARY KEY,
        reply_id TEXT,
        brand TEXT NOT NULL,
        customer TEXT,
        sent_at DOUBLE PRECISION NOT NULL,
        exact BIGINT NOT NULL,
        sig BYTEA NOT NULL,
        text TEXT
    )""",
    """CREATE UNIQUE INDEX IF NOT EXISTS replylint_replies_reply_id
        ON replylint_replies (brand, reply_id) WHERE reply_id IS NOT NULL""",
    """CREATE INDEX IF NOT EXISTS replylint_replies_exact
        ON replylint_replies (brand, exact, sent_at, customer, reply_id)""",
    """CREATE TABLE IF NOT EXISTS replylint_bands (
        key BIGINT NOT NULL,
        sent_at BIGINT NOT NULL,
        reply BIGINT NOT NULL,
        PRIMARY KEY (key, sent_at, reply)
    )""",
]
_SCHEMA_LOCK = 0x7265706C796C  # advisory lock id ("replyl")


def _redact(url: str) -> str:
    """The URL without its password, for messages."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}@{host}"


class PostgresStore(HistoryStore):
    """History in a PostgreSQL database. Thread-safe (one connection behind a lock)."""

    def __init__(self, url: str, *, store_text: bool = False, connect_timeout: int = 5) -> None:
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise HistoryError(
                "a postgresql:// history store needs psycopg 3: pip install 'replylint[postgres]'"
            ) from exc
        self._psycopg = psycopg
        self.url = url
        self.location = _redact(url)
        self.store_text = store_text
        self._lock = threading.Lock()
        self._exact_sql = exact_query("%s", "replylint_replies")
        self._near_sql = near_query("%s", "replylint_replies", "replylint_bands", BANDS)
        try:
            self._db: Any = psycopg.connect(url, connect_timeout=connect_timeout, autocommit=False)
        except psycopg.Error as exc:
            raise HistoryError(f"cannot connect to history store {self.location}: {exc}") from exc
        try:
            with self._db.transaction():
                self._db.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                for statement in _SCHEMA:
                    self._db.execute(statement)
        except psycopg.Error as exc:
            self._db.close()
            raise HistoryError(f"history store {self.location}: cannot create tables: {exc}") from exc

    def _error(self, exc: Exception, action: str) -> HistoryError:
        return HistoryError(f"history store {self.location}: cannot {action}: {exc}")

    def record_many(self, replies: Sequence[SentReply]) -> int:
        if not replies:
            return 0
        stored = 0
        with self._lock:
            try:
                with self._db.transaction(), self._db.cursor() as cur:
                    bands: list[tuple[int, int, int]] = []
                    for reply in replies:
                        sent_at = to_epoch(reply.sent_at)
                        fp = reply.fingerprint
                        cur.execute(
                            "INSERT INTO replylint_replies"
                            " (reply_id, brand, customer, sent_at, exact, sig, text)"
                            " VALUES (%s, %s, %s, %s, %s, %s, %s)"
                            " ON CONFLICT (brand, reply_id) WHERE reply_id IS NOT NULL DO NOTHING"
                            " RETURNING id",
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
                        row = cur.fetchone()
                        if row is None:
                            continue
                        stored += 1
                        bands.extend((key, int(sent_at), row[0]) for key in fp.bands(reply.brand))
                    bands.sort()
                    cur.executemany(
                        "INSERT INTO replylint_bands (key, sent_at, reply) VALUES (%s, %s, %s)"
                        " ON CONFLICT DO NOTHING",
                        bands,
                    )
            except self._psycopg.Error as exc:
                raise self._error(exc, "record") from exc
        return stored

    def _candidates(self, exact: Sequence[object], near: Sequence[object]) -> tuple[ExactRow, list[NearRow]]:
        with self._lock:
            try:
                with self._db.transaction():
                    row = self._db.execute(self._exact_sql, exact).fetchone()
                    rows = [
                        (r[0], r[1], r[2], bytes(r[3]))
                        for r in self._db.execute(self._near_sql, near).fetchall()
                    ]
            except self._psycopg.Error as exc:
                raise self._error(exc, "read") from exc
        return (row[0], row[1], None if row[2] is None else int(row[2])), rows

    def purge(self, older_than: datetime) -> int:
        cutoff = to_epoch(older_than)
        with self._lock:
            try:
                with self._db.transaction():
                    self._db.execute("DELETE FROM replylint_bands WHERE sent_at < %s", (cutoff,))
                    cur = self._db.execute("DELETE FROM replylint_replies WHERE sent_at < %s", (cutoff,))
                    return int(cur.rowcount)
            except self._psycopg.Error as exc:
                raise self._error(exc, "purge") from exc

    def stats(self) -> Stats:
        with self._lock:
            try:
                with self._db.transaction():
                    count, brands, oldest, newest, with_text = self._db.execute(
                        "SELECT count(*), count(DISTINCT brand), min(sent_at), max(sent_at), count(text)"
                        " FROM replylint_replies"
                    ).fetchone()
                    size = self._db.execute(
                        "SELECT pg_total_relation_size('replylint_replies')"
                        " + pg_total_relation_size('replylint_bands')"
                    ).fetchone()[0]
            except self._psycopg.Error as exc:
                raise self._error(exc, "read") from exc
        return Stats(
            replies=count,
            brands=brands,
            oldest=None if oldest is None else from_epoch(oldest),
            newest=None if newest is None else from_epoch(newest),
            with_text=with_text,
            size_bytes=int(size),
            location=self.location,
        )

    def close(self) -> None:
        with self._lock:
            self._db.close()
