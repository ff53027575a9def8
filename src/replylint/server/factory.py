"""The ASGI application: ``create_app(config, settings)``.

Each process builds its own :class:`~replylint.Linter` when the application starts
(uvicorn workers are separate processes, so nothing is shared but the history
store), then warms it up during the ASGI startup: spaCy pipelines and phrase lists
for every language. The server only accepts connections once startup is over, so
with several workers a cold worker never takes a request; ``/readyz`` reports the
same state (200 once warm, 503 with ``Retry-After`` otherwise), and a warm-up
failure stops the process instead of serving half-built.

Linting is CPU work, so it runs on a small thread pool with a per-request time
budget: over budget, the answer is 503 with ``Retry-After`` and the policy's
``on_error`` verdict (fail-open ``allow`` or fail-closed ``block``) in the body.

Logs carry request ids, draft ids, rule codes, verdicts and timings, never draft
texts or customer data.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from replylint import __version__
from replylint.config import Config, ConfigError, ServerSettings
from replylint.engine import Linter
from replylint.history.store import HistoryError
from replylint.models import Draft, Report
from replylint.phrases import available_languages
from replylint.registry import family
from replylint.rule import Rule
from replylint.server.schemas import (
    BatchRequest,
    BatchResult,
    CheckResult,
    FixRequest,
    FixResult,
    Health,
    Policy,
    Problem,
    RuleInfo,
    SentResult,
    ValidationProblem,
    Verdict,
)
from replylint.server.security import (
    MIN_SECRET_LENGTH,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    Gate,
    GateSettings,
    MemoryReplayGuard,
    ReplayGuard,
    SqliteReplayGuard,
)

log = logging.getLogger("replylint.server")

T = TypeVar("T")

#: Warm-up drafts, one per language: compile phrase lists and load NLP before serving.
WARM_UP = {"en": "@x Hi Ana, sorry for the wait. We are on it. ^JM", "fr": "@x Bonjour Ana, désolés. ^JM"}


class Crashed(Exception):
    """Linting raised: 500, with the policy's verdict (the message is not kept: it may quote a draft)."""

    def __init__(self, kind: str, verdict: Verdict) -> None:
        super().__init__(kind)
        self.kind = kind
        self.verdict = verdict


class Unavailable(Exception):
    """The draft could not be checked in time (or the service is not ready): 503."""

    def __init__(self, detail: str, verdict: Verdict) -> None:
        super().__init__(detail)
        self.detail = detail
        self.verdict = verdict


def resolve_secrets(settings: ServerSettings) -> tuple[str | None, str | None]:
    """Token and HMAC secret, the environment winning over the config file."""
    token = os.environ.get("REPLYLINT_TOKEN") or (
        settings.token.get_secret_value() if settings.token else None
    )
    secret = os.environ.get("REPLYLINT_HMAC_SECRET") or (
        settings.hmac_secret.get_secret_value() if settings.hmac_secret else None
    )
    for name, value in (("token", token), ("hmac_secret", secret)):
        if value is not None and len(value) < MIN_SECRET_LENGTH:
            raise ConfigError(f"server.{name}: at least {MIN_SECRET_LENGTH} characters required")
    return token, secret


class Service:
    """Per-process state: the linter, its thread pool, readiness."""

    def __init__(
        self, config: Config, settings: ServerSettings, linter_factory: Callable[[Config], Linter]
    ) -> None:
        self.config = config
        self.settings = settings
        self.policy = Policy(settings)
        self.linter_factory = linter_factory
        self.linter: Linter | None = None
        self.executor: ThreadPoolExecutor | None = None
        self.ready = asyncio.Event()
        self.budget = settings.time_budget_ms / 1000
        self.rules: list[RuleInfo] = []

    def start(self) -> None:
        self.linter = self.linter_factory(self.config)
        self.executor = ThreadPoolExecutor(self.settings.threads, thread_name_prefix="replylint-lint")
        self.ready = asyncio.Event()
        self.rules = [_rule_info(r) for r in self.linter.rules]

    async def warm_up(self) -> None:
        linter, started = self.linter, time.perf_counter()
        assert linter is not None and self.executor is not None

        def work() -> None:
            linter.history  # noqa: B018 -- open the history store now: a bad URL stops start-up
            for language in available_languages():
                list(linter.resources.nlp.sentences(["Hello. Bye."], language))
                linter.check({"text": WARM_UP.get(language, "Hello"), "language": language})

        try:
            await asyncio.get_running_loop().run_in_executor(self.executor, work)
        except Exception as exc:
            log.error("warm-up failed: %s", type(exc).__name__)
            raise RuntimeError(f"replylint warm-up failed: {type(exc).__name__}") from None
        self.ready.set()
        log.info(
            "ready: %d rules, warm-up %.0f ms, pid %d",
            len(linter.rules),
            (time.perf_counter() - started) * 1000,
            os.getpid(),
        )

    def stop(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)

    async def run(self, what: str, work: Callable[[Linter], T]) -> T:
        """``work(linter)`` on the pool within the time budget; :class:`Unavailable` otherwise."""
        if not self.ready.is_set() or self.linter is None or self.executor is None:
            raise Unavailable("service warming up", self.policy.on_error)
        linter = self.linter
        future = asyncio.get_running_loop().run_in_executor(self.executor, work, linter)
        try:
            return await asyncio.wait_for(future, self.budget)
        except TimeoutError:
            budget = f"{self.settings.time_budget_ms:g} ms"
            raise Unavailable(f"{what}: time budget of {budget} exceeded", self.policy.on_error) from None
        except HistoryError:  # the store is down or locked: transient, the message may hold a URL
            log.error("history store unavailable")
            raise Unavailable(f"{what}: history store unavailable", self.policy.on_error) from None
        except Exception as exc:
            raise Crashed(type(exc).__name__, self.policy.on_error) from None

    def verdicts(self, reports: Sequence[Report]) -> list[CheckResult]:
        return [self.policy.verdict(r) for r in reports]


def _rule_info(rule: Rule) -> RuleInfo:
    kind = type(rule)
    return RuleInfo(
        code=kind.code,
        name=kind.name,
        severity=rule.severity,
        family=family(kind.code),
        languages=sorted(kind.languages) if kind.languages is not None else None,
        summary=kind.summary,
    )


def _drafts_ids(drafts: Sequence[Draft]) -> str:
    ids = [d.id if d.id is not None else "-" for d in drafts[:20]]
    return ",".join(i[:64] for i in ids) + (",…" if len(drafts) > 20 else "")


def create_app(
    config: Config | None = None,
    settings: ServerSettings | None = None,
    *,
    linter_factory: Callable[[Config], Linter] = Linter,
    replay_guard: ReplayGuard | None = None,
) -> FastAPI:
    """The ASGI application. ``settings`` defaults to ``config.server``.

    Raises :class:`~replylint.ConfigError` on an unusable policy or secret. The linter
    itself is built when the application starts, in the process that serves it.
    """
    config = config or Config()
    settings = settings or config.server
    token, secret = resolve_secrets(settings)
    service = Service(config, settings, linter_factory)
    if replay_guard is None:
        path = os.environ.get("REPLYLINT_REPLAY_CACHE") or settings.replay_cache
        replay_guard = (
            SqliteReplayGuard(path, settings.max_skew_seconds)
            if path
            else MemoryReplayGuard(settings.max_skew_seconds)
        )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service.start()
        try:
            await service.warm_up()
            yield
        finally:
            service.stop()

    app = FastAPI(
        title="replylint pre-send hook",
        version=__version__,
        summary="Lint a drafted brand reply before it is sent: findings, fixes and a verdict.",
        description=(
            "Authentication (when configured): `Authorization: Bearer <token>` on every `/v1/` route; "
            f"optionally signed requests: `{TIMESTAMP_HEADER}` (unix seconds) and "
            f"`{SIGNATURE_HEADER}: sha256=<hex HMAC-SHA256(secret, timestamp + '.' + body)>`."
        ),
        lifespan=lifespan,
        responses={413: {"model": Problem, "description": "request body over max_body_bytes"}},
    )
    app.state.service = service

    problem = {"model": Problem}
    v1_responses: dict[int | str, dict[str, Any]] = {
        401: {"model": Problem, "description": "missing or invalid credentials"},
        403: {"model": Problem, "description": "no token configured and the client is not on loopback"},
    }
    lint_responses: dict[int | str, dict[str, Any]] = {
        **v1_responses,
        422: {"model": ValidationProblem, "description": "malformed JSON or a field in error"},
        500: {"model": Problem, "description": "internal error; `verdict` follows on_error"},
        503: {"model": Problem, "description": "over the time budget or warming up; see Retry-After"},
    }

    @app.exception_handler(Unavailable)
    async def unavailable(request: Request, exc: Unavailable) -> JSONResponse:
        log.warning("%s %s: %s", _rid(request), request.url.path, exc.detail)
        return JSONResponse(
            Problem(detail=exc.detail, verdict=exc.verdict).model_dump(),
            status_code=503,
            headers={"retry-after": str(settings.retry_after_seconds)},
        )

    @app.exception_handler(Crashed)
    async def crashed_lint(request: Request, exc: Crashed) -> JSONResponse:
        log.error("%s %s: internal error %s", _rid(request), request.url.path, exc.kind)
        return JSONResponse(
            Problem(detail="internal error", verdict=exc.verdict).model_dump(), status_code=500
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # Name the field, never echo the input (it is a draft: personal data).
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        fields = sorted({".".join(str(p) for p in e["loc"][1:]) or "body" for e in errors})
        log.info("%s %s: 422 (%s)", _rid(request), request.url.path, ", ".join(fields)[:200])
        return JSONResponse({"detail": errors}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.post("/v1/check", response_model=CheckResult, responses=lint_responses, tags=["lint"])
    async def check(draft: Draft, request: Request) -> CheckResult:
        """Lint one draft record: its report plus the policy's verdict (`allow`, `warn`, `block`)."""
        started = time.perf_counter()
        report = await service.run("check", lambda linter: linter.check(draft))
        result = service.policy.verdict(report)
        log.info(
            "%s check id=%s verdict=%s rules=%s ms=%.1f",
            _rid(request),
            (draft.id or "-")[:64],
            result.verdict.value,
            ",".join(f.rule for f in report.findings) or "-",
            (time.perf_counter() - started) * 1000,
        )
        return result

    @app.post("/v1/check/batch", response_model=BatchResult, responses=lint_responses, tags=["lint"])
    async def check_batch(batch: BatchRequest, request: Request) -> BatchResult | JSONResponse:
        """Lint up to `max_batch` drafts in one call; results in the same order."""
        if len(batch.drafts) > settings.max_batch:
            return JSONResponse(
                {
                    "detail": [
                        {
                            "loc": ["body", "drafts"],
                            "msg": f"at most {settings.max_batch} drafts per batch (max_batch)",
                            "type": "too_long",
                        }
                    ]
                },
                status_code=422,
            )
        started = time.perf_counter()
        reports = await service.run("batch", lambda linter: list(linter.check_many(batch.drafts)))
        results = service.verdicts(reports)
        worst = max((r.verdict for r in results), key=lambda v: v.rank)
        log.info(
            "%s batch n=%d ids=%s verdict=%s ms=%.1f",
            _rid(request),
            len(results),
            _drafts_ids(batch.drafts),
            worst.value,
            (time.perf_counter() - started) * 1000,
        )
        return BatchResult(verdict=worst, results=results)

    @app.post(
        "/v1/fix",
        response_model=FixResult,
        responses=lint_responses,
        tags=["lint"],
    )
    async def fix(body: FixRequest, request: Request) -> FixResult:
        """The draft's text with its safe fixes applied (`"unsafe": true` applies unsafe ones too)."""
        started = time.perf_counter()
        draft = Draft.model_validate(body.model_dump(exclude={"unsafe"}))

        def work(linter: Linter) -> tuple[str | None, str | None]:
            try:
                return linter.fix(draft, unsafe=body.unsafe), None
            except ValueError as exc:  # an unusable draft: the message names the field
                return None, str(exc)

        fixed, problem_text = await service.run("fix", work)
        if fixed is None:
            return FixResult(id=draft.id, text=draft.text, changed=False, error=problem_text or "unusable")
        log.info(
            "%s fix id=%s unsafe=%s changed=%s ms=%.1f",
            _rid(request),
            (draft.id or "-")[:64],
            body.unsafe,
            fixed != draft.text,
            (time.perf_counter() - started) * 1000,
        )
        return FixResult(id=draft.id, text=fixed, changed=fixed != draft.text)

    @app.post(
        "/v1/sent",
        response_model=SentResult,
        responses={
            **lint_responses,
            501: {"model": Problem, "description": "no history store configured (`history` in config)"},
        },
        tags=["history"],
    )
    async def sent(draft: Draft, request: Request) -> SentResult | JSONResponse:
        """Record a reply that was sent, so that `duplicate-reply` sees it in later checks.

        Needs a history store (`history = "replies.db"` or a PostgreSQL URL in config), shared
        by every worker. Only fingerprints are stored unless `history_store_text = true`.
        """
        started = time.perf_counter()

        def work(linter: Linter) -> str | None:
            if linter.history is None:
                return "no history store configured (set `history` in config)"
            try:
                linter.record_sent(draft)
            except ValueError as exc:  # names the field, quotes no text
                return f"invalid: {exc}"
            return None

        problem_text = await service.run("sent", work)
        if problem_text is not None and problem_text.startswith("invalid: "):
            error = {"loc": ["body"], "msg": problem_text.removeprefix("invalid: "), "type": "value_error"}
            return JSONResponse({"detail": [error]}, status_code=422)
        if problem_text is not None:
            return JSONResponse(Problem(detail=problem_text).model_dump(), status_code=501)
        log.info(
            "%s sent id=%s ms=%.1f",
            _rid(request),
            (draft.id or "-")[:64],
            (time.perf_counter() - started) * 1000,
        )
        return SentResult(id=draft.id, recorded=True)

    @app.get("/v1/rules", response_model=list[RuleInfo], responses=v1_responses, tags=["meta"])
    async def rules() -> list[RuleInfo]:
        """The rules this server runs (after `select` / `ignore`), with their configured severity."""
        if service.linter is None:
            raise Unavailable("service starting", service.policy.on_error)
        return service.rules

    @app.get("/healthz", response_model=Health, tags=["meta"])
    async def healthz() -> Health:
        """Liveness: the process answers."""
        return Health(status="ok")

    @app.get("/readyz", response_model=Health, responses={503: problem}, tags=["meta"])
    async def readyz() -> Health | JSONResponse:
        """Readiness: the linter is built and its NLP pipelines and phrase lists are loaded."""
        if not service.ready.is_set():
            return JSONResponse(
                Problem(detail="warming up").model_dump(),
                status_code=503,
                headers={"retry-after": str(settings.retry_after_seconds)},
            )
        return Health(status="ready", rules=len(service.rules), languages=list(available_languages()))

    _add_security_scheme(app)
    gate = GateSettings(
        max_body_bytes=settings.max_body_bytes,
        token=token,
        hmac_secret=secret,
        max_skew_seconds=settings.max_skew_seconds,
        on_error=settings.on_error,
        body_timeout_seconds=settings.body_timeout_seconds,
    )
    app.add_middleware(Gate, settings=gate, replay=replay_guard)
    return app


def _rid(request: Request) -> str:
    return str(getattr(request.state, "request_id", "-"))


def _add_security_scheme(app: FastAPI) -> None:
    """Document bearer authentication on the ``/v1/`` routes in the OpenAPI document."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            schema = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
            )
            schema.setdefault("components", {})["securitySchemes"] = {
                "bearer": {"type": "http", "scheme": "bearer"}
            }
            for path, operations in schema["paths"].items():
                if path.startswith("/v1/"):
                    for operation in operations.values():
                        operation["security"] = [{"bearer": []}]
            app.openapi_schema = jsonable_encoder(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
