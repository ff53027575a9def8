"""Memory of what the brand has sent: the history behind ``duplicate-reply``.

``open_store(url_or_path)`` gives a ``HistoryStore``: ``SqliteStore`` (embedded default, one
file, several processes at once) or ``PostgresStore`` (shared by many hook instances).
Stored per sent reply: id, brand, customer handle, time, the hash of the normalised text and a
MinHash signature; the text itself only with ``store_text = true``. See ``fingerprint`` for
the normalisation and the near-duplicate index.
"""

from replylint.history.fingerprint import Fingerprint, brand_key, fingerprint, normalise, similarity
from replylint.history.records import draft_brand, draft_customer, draft_fingerprint, sent_reply
from replylint.history.sqlite import SqliteStore
from replylint.history.store import (
    HistoryError,
    HistoryStore,
    Match,
    SentReply,
    Similar,
    Stats,
    customer_key,
    open_store,
)

__all__ = [
    "Fingerprint",
    "HistoryError",
    "HistoryStore",
    "Match",
    "SentReply",
    "Similar",
    "SqliteStore",
    "Stats",
    "brand_key",
    "customer_key",
    "draft_brand",
    "draft_customer",
    "draft_fingerprint",
    "fingerprint",
    "normalise",
    "open_store",
    "sent_reply",
    "similarity",
]
