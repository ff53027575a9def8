"""The history store interface, the records it holds and ``open_store``."""

from __future__ import annotations

import abc
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from replylint.history.fingerprint import Fingerprint, similarity


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
    """What ``find_similar`` found, newest first.

    ``count`` replies matched (``exact`` of them are the same text after masking), the last one
    sent at ``last_sent``; ``same_customer`` of them went to the customer looked up.
    ``matches`` lists the near (not exact) ones. ``truncated``: there may be more than counted
    (a lookup reads at most ``MAX_EXACT`` exact reposts and ``PER_BAND`` candidates per band).
    """

    count: int = 0
    last_sent: datetime | None = None
    same_customer: int = 0
    exact: int = 0
    best: float = 0.0
    truncated: bool = False
    matches: list[Match] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.count > 0


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


#: Exact reposts counted per lookup (newest first); more reads "1000+ times".
MAX_EXACT = 1000
#: Near-duplicate candidates read per band key (newest first): at most 8 x 16 per lookup.
PER_BAND = 16

ExactRow = tuple[int, float | None, int | None]
NearRow = tuple[str | None, float, str | None, bytes]
_NEVER = "\x01none\x01"  # matches no id or customer (PostgreSQL text cannot hold NUL)


def exact_query(ph: str, replies: str) -> str:
    """Count, last time and same-customer count of exact reposts (covering index scan)."""
    return (
        f"SELECT count(*), max(sent_at), sum(CASE WHEN customer = {ph} THEN 1 ELSE 0 END) FROM"
        f" (SELECT sent_at, customer FROM {replies} WHERE brand = {ph} AND exact = {ph}"
        f" AND sent_at >= {ph} AND sent_at <= {ph} AND (reply_id IS NULL OR reply_id <> {ph})"
        f" ORDER BY sent_at DESC LIMIT {MAX_EXACT}) AS e"
    )


def exact_params(
    brand: str, fp: Fingerprint, start: float, end: float, customer: str | None, exclude: str | None
) -> tuple[object, ...]:
    return (customer or _NEVER, brand, fp.exact, start, end, exclude if exclude is not None else _NEVER)


def near_query(ph: str, replies: str, bands: str, keys: int) -> str:
    """Replies sharing a band with the probe (newest ``PER_BAND`` per band), not exact reposts."""
    union = " UNION ".join(
        f"SELECT reply FROM (SELECT reply FROM {bands} WHERE key = {ph} AND sent_at >= {ph}"
        f" AND sent_at <= {ph} ORDER BY sent_at DESC LIMIT {PER_BAND}) AS b{i}"
        for i in range(keys)
    )
    # CROSS JOIN: SQLite reads the candidates first, then replies by id (left to right).
    return (
        f"SELECT r.reply_id, r.sent_at, r.customer, r.sig FROM ({union}) AS c CROSS JOIN {replies} r"
        f" WHERE r.id = c.reply AND r.brand = {ph} AND r.exact <> {ph}"
    )


def near_params(brand: str, fp: Fingerprint, keys: list[int], start: float, end: float) -> tuple[object, ...]:
    low, high = math.floor(start), min(math.ceil(end), 2**62)
    params: list[object] = []
    for key in keys:
        params += [key, low, high]
    return (*params, brand, fp.exact)


def combine(
    exact: ExactRow,
    near: Iterable[NearRow],
    fp: Fingerprint,
    *,
    threshold: float,
    start: float,
    end: float,
    customer: str | None,
    exclude_id: str | None,
) -> Similar:
    """The lookup's answer from the exact-repost aggregate and the near-duplicate candidates."""
    exact_count, exact_last, exact_same = exact
    matches: list[Match] = []
    candidates = 0
    best = 1.0 if exact_count else 0.0
    for reply_id, sent_at, who, sig in near:
        candidates += 1
        if (exclude_id is not None and reply_id == exclude_id) or not start <= sent_at <= end:
            continue
        score = similarity(sig, fp.signature)
        if score >= threshold:
            matches.append(Match(reply_id, from_epoch(sent_at), who, score, False))
            best = max(best, score)
    matches.sort(key=lambda m: m.sent_at, reverse=True)
    times = ([from_epoch(exact_last)] if exact_last is not None else []) + [m.sent_at for m in matches[:1]]
    last = max(times, default=None)
    same = (exact_same or 0) + sum(1 for m in matches if customer and m.customer == customer)
    return Similar(
        count=exact_count + len(matches),
        last_sent=last,
        same_customer=same,
        exact=exact_count,
        best=best,
        truncated=exact_count >= MAX_EXACT or candidates >= PER_BAND,
        matches=matches,
    )


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
        start = to_epoch(since)
        end = to_epoch(until) if until is not None else float("inf")
        exact, near = self._candidates(
            exact_params(brand, fp, start, end, customer, exclude_id),
            near_params(brand, fp, fp.bands(brand), start, end),
        )
        return combine(
            exact,
            near,
            fp,
            threshold=threshold,
            start=start,
            end=end,
            customer=customer,
            exclude_id=exclude_id,
        )

    @abc.abstractmethod
    def _candidates(self, exact: Sequence[object], near: Sequence[object]) -> tuple[ExactRow, list[NearRow]]:
        """Run the backend's exact-repost aggregate and near-duplicate candidate queries with
        these parameters, in one consistent read; the only part of a lookup that differs."""

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
