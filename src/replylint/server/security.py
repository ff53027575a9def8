"""Request gate: body size limit, bearer token, HMAC signatures with replay protection.

The gate is plain ASGI middleware in front of the application, so a request is
refused (413, 401, 403) before any JSON is parsed or any route runs. It reads the
body once (counting bytes as they arrive, never more than the limit), checks
authentication, then hands the body on to the application.

Signed requests (optional, as helpdesk webhooks do)::

    X-Replylint-Timestamp: 1763900000            # unix seconds
    X-Replylint-Signature: sha256=<hex HMAC-SHA256(secret, f"{timestamp}.{body}")>

A timestamp further than ``max_skew_seconds`` from now is refused, and so is a
signature already seen within that window (a replayed request). Every secret is
compared with :func:`hmac.compare_digest`.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import json
import logging
import re
import sqlite3
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any, Protocol

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("replylint.server")

TIMESTAMP_HEADER = "x-replylint-timestamp"
SIGNATURE_HEADER = "x-replylint-signature"
SIGNATURE_PREFIX = "sha256="
MIN_SECRET_LENGTH = 16
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def sign(secret: str | bytes, timestamp: int | str, body: bytes) -> str:
    """The signature header value for ``body`` sent at ``timestamp`` (what a client computes)."""
    key = secret.encode() if isinstance(secret, str) else secret
    digest = hmac.new(key, str(timestamp).encode("ascii") + b"." + body, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` (an address or ``localhost``) is a loopback address."""
    if host is None:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class ReplayGuard(Protocol):
    def first_use(self, signature: str, timestamp: int, now: float) -> bool:
        """Record ``signature``; False when it was already used within the window."""
        ...


class MemoryReplayGuard:
    """Seen signatures of this process (enough with one worker)."""

    def __init__(self, window_seconds: int) -> None:
        self.window = window_seconds
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()
        self._next_prune = 0.0

    def first_use(self, signature: str, timestamp: int, now: float) -> bool:
        with self._lock:
            if now >= self._next_prune:
                horizon = now - 2 * self.window
                self._seen = {s: t for s, t in self._seen.items() if t >= horizon}
                self._next_prune = now + self.window / 4
            if signature in self._seen:
                return False
            self._seen[signature] = float(timestamp)
            return True


class SqliteReplayGuard:
    """Seen signatures in a SQLite file, so that several worker processes share them."""

    def __init__(self, path: str, window_seconds: int) -> None:
        self.path = path
        self.window = window_seconds
        self._local = threading.local()
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS seen (signature TEXT PRIMARY KEY, ts REAL NOT NULL)")
        self._next_prune = 0.0

    def _connect(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=5, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        return db

    def first_use(self, signature: str, timestamp: int, now: float) -> bool:
        db = self._connect()
        if now >= self._next_prune:
            self._next_prune = now + self.window / 4
            db.execute("DELETE FROM seen WHERE ts < ?", (now - 2 * self.window,))
        cursor = db.execute(
            "INSERT OR IGNORE INTO seen (signature, ts) VALUES (?, ?)", (signature, float(timestamp))
        )
        return cursor.rowcount == 1


@dataclass(frozen=True)
class GateSettings:
    max_body_bytes: int
    token: str | None
    hmac_secret: str | None
    max_skew_seconds: int
    on_error: str = "allow"
    body_timeout_seconds: float = 10.0
    protected_prefix: str = "/v1/"


class Refused(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class Gate:
    """ASGI middleware: size limit on every request, authentication on ``/v1/`` routes."""

    def __init__(
        self,
        app: ASGIApp,
        settings: GateSettings,
        replay: ReplayGuard,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.app = app
        self.settings = settings
        self.replay = replay
        self.clock = clock
        self._token = settings.token.encode() if settings.token else None
        self._secret = settings.hmac_secret.encode() if settings.hmac_secret else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        given = headers.get("x-request-id", "")
        request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex[:16]
        scope = dict(scope)
        scope["state"] = {**scope.get("state", {}), "request_id": request_id}
        tag = (b"x-request-id", request_id.encode())
        try:
            body = await self._read_body(headers, receive)
            if scope["path"].startswith(self.settings.protected_prefix):
                self._authenticate(scope, headers, body)
        except Refused as refused:
            log.info("%s %s: %d %s", request_id, scope["path"], refused.status, refused.message)
            extra = {**refused.headers, "x-request-id": request_id}
            await _respond(send, refused.status, refused.message, extra)
            return
        if scope["method"] == "POST" and scope["path"].startswith(self.settings.protected_prefix):
            # Bodies are JSON whatever the client declared (curl -d says form-urlencoded).
            scope["headers"] = [(k, v) for k, v in scope["headers"] if k.lower() != b"content-type"]
            scope["headers"].append((b"content-type", b"application/json"))
            where = _not_utf8(body) or _lone_surrogate(body)
            if where is not None:
                await _respond_json(send, 422, {"detail": [where]}, {"x-request-id": request_id})
                return
        delivered = False
        started = False

        async def replay_body() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", ()), tag]}
            await send(message)

        try:
            await self.app(scope, replay_body, watch)
        except Exception as exc:
            # Log the kind only: an exception message or traceback may quote a draft.
            log.error("%s: internal error %s", scope["path"], type(exc).__name__)
            if not started:
                payload = {"detail": "internal error", "verdict": self.settings.on_error}
                await _respond_json(send, 500, payload, {"x-request-id": request_id})

    async def _read_body(self, headers: dict[str, str], receive: Receive) -> bytes:
        limit = self.settings.max_body_bytes
        too_large = Refused(413, f"request body over the limit of {limit} bytes (max_body_bytes)")
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                raise Refused(400, "invalid Content-Length")
            if int(declared) > limit:
                raise too_large
        chunks: list[bytes] = []
        size = 0
        deadline = time.monotonic() + self.settings.body_timeout_seconds
        while True:
            remaining = deadline - time.monotonic()
            try:
                message = await asyncio.wait_for(receive(), max(remaining, 0.001))
            except TimeoutError:
                raise Refused(408, "request body not received in time (body_timeout_seconds)") from None
            if message["type"] == "http.disconnect":
                raise Refused(400, "client disconnected")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise too_large
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    def _authenticate(self, scope: Scope, headers: dict[str, str], body: bytes) -> None:
        if self._token is None:
            client = scope.get("client")
            if not is_loopback(client[0] if client else None):
                raise Refused(
                    403, "no token configured: only loopback clients are served (set REPLYLINT_TOKEN)"
                )
        else:
            scheme, _, given = headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not given:
                raise Refused(401, "missing bearer token", {"www-authenticate": "Bearer"})
            if not hmac.compare_digest(given.strip().encode(), self._token):
                raise Refused(401, "invalid bearer token", {"www-authenticate": "Bearer"})
        if self._secret is not None:
            self._verify_signature(headers, body)

    def _verify_signature(self, headers: dict[str, str], body: bytes) -> None:
        stamp = headers.get(TIMESTAMP_HEADER, "")
        signature = headers.get(SIGNATURE_HEADER, "")
        if not stamp or not signature:
            raise Refused(401, f"missing signature headers ({TIMESTAMP_HEADER}, {SIGNATURE_HEADER})")
        if not stamp.isdigit() or len(stamp) > 12:
            raise Refused(401, "invalid signature timestamp (unix seconds expected)")
        timestamp = int(stamp)
        now = self.clock()
        if abs(now - timestamp) > self.settings.max_skew_seconds:
            raise Refused(401, "signature timestamp outside the allowed window")
        assert self._secret is not None
        expected = sign(self._secret, stamp, body)
        if not hmac.compare_digest(signature.strip().encode(), expected.encode()):
            raise Refused(401, "invalid signature")
        try:
            first = self.replay.first_use(expected, timestamp, now)
        except sqlite3.Error as exc:  # cannot tell a replay from a first use: refuse, retry later
            log.error("replay cache unavailable: %s", type(exc).__name__)
            raise Refused(503, "replay cache unavailable", {"retry-after": "1"}) from None
        if not first:
            raise Refused(401, "signature already used (replayed request)")


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abcdefABCDEF]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _not_utf8(body: bytes) -> dict[str, Any] | None:
    """JSON bodies are UTF-8 (RFC 8259); anything else is malformed JSON: 422, not 400."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return {"loc": ["body", exc.start], "msg": "body is not UTF-8 JSON", "type": "json_invalid"}
    return None


def _lone_surrogate(body: bytes) -> dict[str, Any] | None:
    """A validation error naming the first string holding a lone UTF-16 surrogate (``"\\ud800"``).

    Valid JSON, but no UTF-8 text can carry it back: refused up front with 422.
    """
    if not _SURROGATE_ESCAPE.search(body):
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None  # the application reports the JSON error

    def walk(value: Any, loc: list[str | int]) -> list[str | int] | None:
        if isinstance(value, str):
            return loc if _SURROGATE.search(value) else None
        items: Any = ()
        if isinstance(value, dict):
            items = value.items()
        elif isinstance(value, list):
            items = enumerate(value)
        for key, item in items:
            found = walk(key, loc) if isinstance(key, str) else None
            found = found or walk(item, [*loc, key])
            if found is not None:
                return found
        return None

    loc = walk(data, ["body"])
    if loc is None:
        return None
    return {"loc": loc, "msg": "lone UTF-16 surrogate in string", "type": "string_unicode"}


async def _respond(send: Send, status: int, message: str, extra: dict[str, str]) -> None:
    await _respond_json(send, status, {"detail": message}, extra)


async def _respond_json(send: Send, status: int, payload: dict[str, Any], extra: dict[str, str]) -> None:
    body = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in extra.items()]
    if status in (408, 413):
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
