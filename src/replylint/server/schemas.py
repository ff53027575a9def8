"""Request and response bodies of the HTTP service, and the verdict policy."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from replylint.config import ConfigError, ServerSettings
from replylint.models import Draft, Report, Severity
from replylint.registry import all_rules, matches, unknown_selectors


class Verdict(StrEnum):
    """What the helpdesk should do with the draft. Ordered: ``allow < warn < block``."""

    ALLOW = "allow"
    WARN = "warn"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        return {Verdict.ALLOW: 0, Verdict.WARN: 1, Verdict.BLOCK: 2}[self]


class CheckResult(Report):
    """The draft's report plus the verdict of the server's policy."""

    verdict: Verdict
    reasons: list[str] = Field(
        default_factory=list, description="rule codes behind the verdict; 'error' when the draft was unusable"
    )


class BatchRequest(BaseModel):
    drafts: list[Draft] = Field(min_length=1, description="draft records, at most max_batch")


class BatchResult(BaseModel):
    verdict: Verdict = Field(description="the worst verdict of the batch")
    results: list[CheckResult]


class FixRequest(Draft):
    """A draft record, plus whether unsafe fixes (which may change the meaning) are wanted."""

    unsafe: bool = False


class FixResult(BaseModel):
    id: str | None = None
    text: str = Field(description="the draft's text with its fixes applied (unchanged on error)")
    changed: bool
    error: str | None = Field(default=None, description="set when the draft was unusable (e.g. empty)")


class SentResult(BaseModel):
    id: str | None = None
    recorded: bool


class RuleInfo(BaseModel):
    code: str
    name: str
    severity: Severity
    family: str
    languages: list[str] | None
    summary: str


class Problem(BaseModel):
    """An error response. ``verdict`` is set when the policy decides for a draft that was not checked."""

    detail: str
    verdict: Verdict | None = None


class FieldError(BaseModel):
    loc: list[str | int] = Field(description="where: 'body', then the field path")
    msg: str
    type: str


class ValidationProblem(BaseModel):
    """422: the body is not JSON, or a field is missing or invalid (the input is never echoed)."""

    detail: list[FieldError]


class Health(BaseModel):
    status: str
    rules: int | None = None
    languages: list[str] | None = None


class Policy:
    """Turns a report into a verdict, following ``[tool.replylint.server]``."""

    def __init__(self, settings: ServerSettings) -> None:
        unknown = unknown_selectors([*settings.block_on.rules, *settings.warn_on.rules])
        if unknown:
            raise ConfigError(f"server: unknown rule code, prefix or name: {', '.join(unknown)}")
        self.on_error = Verdict(settings.on_error)
        self._severities = {
            Verdict.BLOCK: frozenset(settings.block_on.severities),
            Verdict.WARN: frozenset(settings.warn_on.severities),
        }
        self._rules = {
            verdict: frozenset(r.code for r in all_rules() if any(matches(sel, r) for sel in selectors.rules))
            for verdict, selectors in ((Verdict.BLOCK, settings.block_on), (Verdict.WARN, settings.warn_on))
        }

    def verdict(self, report: Report) -> CheckResult:
        if report.error is not None:
            return CheckResult(**dict(report), verdict=self.on_error, reasons=["error"])
        for verdict in (Verdict.BLOCK, Verdict.WARN):
            severities, rules = self._severities[verdict], self._rules[verdict]
            reasons = [f.rule for f in report.findings if f.severity in severities or f.rule in rules]
            if reasons:
                return CheckResult(**dict(report), verdict=verdict, reasons=list(dict.fromkeys(reasons)))
        return CheckResult(**dict(report), verdict=Verdict.ALLOW)
