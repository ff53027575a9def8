"""The history store interface, the records it holds and ``open_store``."""

from __future__ import annotations

import abc
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from replylint.history.fingerprint import Fingerprint, similarity

#: Most candidates one lookup reads (the most recent first): bounds the cost of a text
#: the brand has sent thousands of times; counts then read "at least" (``Similar.truncated``).
MAX_CANDIDATES = 200


class HistoryError(RuntimeError):
    """The history store cannot be used (missing, locked, corrupt, unreachable, wrong URL).

    Never swallowed: the CLI exits 2 with this message, the API raises it.
    """


@dataclass(frozen=True, slots=True)
class SentReply:
    """One reply the brand sent, as stored. ``text`` is kept only when ``store_text`` is on."""

    brand: str
    sent_at: datetime
    fingerprint: Fingerprint
    reply_id: str | None = None
    customer: str | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """A stored reply similar to the one looked up."""

    reply_id: str | None
    sent_at: datetime
    customer: str | None
    similarity: float
    exact: bool


@dataclass(frozen=True, slots=True)
class Similar:
    """What ``find_similar`` found: every match, newest first, and a summary."""

    matches: list[Match] = field(default_factory=list)
    customer: str | None = None
    truncated: bool = False

    @property
    def count(self) -> int:
        return len(self.matches)

    @property
    def last_sent(self) -> datetime | None:
        return self.matches[0].sent_at if self.matches else None

    @property
    def same_customer(self) -> int:
        """How many matches went to the customer looked up."""
        if not self.customer:
            return 0
        return sum(1 for m in self.matches if m.customer == self.customer)

    @property
    def exact(self) -> bool:
        return any(m.exact for m in self.matches)

    def __bool__(self) -> bool:
        return bool(self.matches)


@dataclass(frozen=True, slots=True)
class Stats:
    replies: int
    brands: int
    oldest: datetime | None
    newest: datetime | None
    with_text: int
    size_bytes: int | None
    location: str


def customer_key(handle: str | None) -> str | None:
    handle = (handle or "").strip().lstrip("@").lower()
    return handle or None


def to_epoch(moment: datetime) -> float:
    if moment.tzinfo is None:
        raise HistoryError(f"time without a time zone: {moment.isoformat()} (give an offset, e.g. Z)")
    return moment.timestamp()


def from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


Row = tuple[str | None, float, str | None, int, bytes]


def select_matches(
    rows: Iterable[Row],
    fp: Fingerprint,
    threshold: float,
    exclude_id: str | None,
    since: float = float("-inf"),
    until: float = float("inf"),
) -> list[Match]:
    """Keep candidates (reply_id, sent_at, customer, exact, signature) at or above ``threshold``."""
    seen: set[tuple[str | None, float, str | None]] = set()
    matches = []
    for reply_id, sent_at, customer, exact, sig in rows:
        if (exclude_id is not None and reply_id == exclude_id) or not since <= sent_at <= until:
            continue
        key = (reply_id, sent_at, customer)
        if key in seen:
            continue
        seen.add(key)
        same = exact == fp.exact
        score = 1.0 if same else similarity(sig, fp.signature)
        if score >= threshold:
            matches.append(Match(reply_id, from_epoch(sent_at), customer, score, same))
    matches.sort(key=lambda m: m.sent_at, reverse=True)
    return matches


class HistoryStore(abc.ABC):
    """Where sent replies are remembered. Implementations: ``SqliteStore``, ``PostgresStore``.

    Safe to share between threads; several processes may use the same store at once.
    """

    #: Keep the reply text (off by default: replies carry personal data).
    store_text: bool = False
    location: str = ""

    @abc.abstractmethod
    def record_many(self, replies: Sequence[SentReply]) -> int:
        """Store sent replies in one transaction; returns how many were stored."""

    def record(self, reply: SentReply) -> None:
        self.record_many([reply])

    @abc.abstractmethod
    def find_similar(
        self,
        brand: str,
        fp: Fingerprint,
        since: datetime,
        until: datetime | None = None,
        *,
        threshold: float = 0.8,
        customer: str | None = None,
        exclude_id: str | None = None,
    ) -> Similar:
        """Replies of ``brand`` sent in ``[since, until]`` whose text is the same or nearly the
        same as ``fp`` (estimated Jaccard ≥ ``threshold``), newest first."""

    @abc.abstractmethod
    def purge(self, older_than: datetime) -> int:
        """Delete replies sent before ``older_than``; returns how many were deleted."""

    @abc.abstractmethod
    def stats(self) -> Stats: ...

    @abc.abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(location: str, *, create: bool = True, store_text: bool = False) -> HistoryStore:
    """Open a store from a URL or path.

    ``sqlite:///path/to/file.db`` or a bare path: SQLite file (created on first use when
    ``create``; otherwise a missing file is a ``HistoryError``). ``:memory:`` (or
    ``sqlite://``): a private in-memory SQLite store. ``postgresql://user:pw@host/db``
    (or ``postgres://``): PostgreSQL through psycopg 3 (``pip install 'replylint[postgres]'``).
    """
    location = location.strip()
    if not location:
        raise HistoryError("empty history store location")
    lowered = location.lower()
    if lowered.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        from replylint.history.postgres import PostgresStore

        url = "postgresql://" + location.split("://", 1)[1]
        return PostgresStore(url, store_text=store_text)
    from replylint.history.sqlite import SqliteStore

    if lowered in {":memory:", "sqlite://", "sqlite:///:memory:"}:
        return SqliteStore(":memory:", store_text=store_text)
    if lowered.startswith("sqlite:///"):
        # As in SQLAlchemy: sqlite:///relative.db, sqlite:////absolute/path.db
        path = location[len("sqlite:///") :]
        return SqliteStore(path, create=create, store_text=store_text)
    if "://" in location:
        scheme = location.split("://", 1)[0]
        raise HistoryError(
            f"unsupported history store URL scheme {scheme!r} (use sqlite:/// or postgresql://)"
        )
    return SqliteStore(location, create=create, store_text=store_text)
