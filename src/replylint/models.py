"""The wire contract: draft records in, reports out.

Every entry point (Python API, CLI, HTTP hook) speaks these models, so they are
the one place where a field is named or a default is chosen. Unknown keys in a
draft are ignored (helpdesks send more than we need); booleans may be ``None``
for "unknown". Offsets are Python code-point offsets into ``Draft.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, WithJsonSchema, field_validator

SCHEMA_VERSION = "1"


class Severity(StrEnum):
    """How bad a finding is. Ordered: ``info < warning < error``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def lowered(self) -> Severity:
        """One level down (error -> warning -> info), e.g. when a draft already apologises."""
        return {Severity.ERROR: Severity.WARNING}.get(self, Severity.INFO)


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Applicability(StrEnum):
    """How far a fix can be trusted. Ordered: ``manual < unsafe < safe``.

    ``safe`` fixes are applied automatically, ``unsafe`` ones on request
    (they may change meaning), ``manual`` ones are advice shown to the agent.
    """

    MANUAL = "manual"
    UNSAFE = "unsafe"
    SAFE = "safe"

    @property
    def rank(self) -> int:
        return _APPLICABILITY_RANK[self]


_APPLICABILITY_RANK = {Applicability.MANUAL: 0, Applicability.UNSAFE: 1, Applicability.SAFE: 2}


class _Input(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)


class Customer(_Input):
    handle: str | None = None
    name: str | None = None
    follows_brand: bool | None = None


class Brand(_Input):
    handle: str | None = None
    user_id: str | None = None
    follows_customer: bool | None = None
    open_dms: bool | None = None


class Agent(_Input):
    name: str | None = None
    signature: str | None = None


class Inbound(_Input):
    text: str | None = None
    created_at: AwareDatetime | None = None


class Suppression(_Input):
    """Silence a rule for one draft, with the reason (suppression never lives in the text)."""

    rule: str = Field(description="rule code, code prefix or name")
    reason: str | None = None


class Draft(_Input):
    """One drafted reply and what the helpdesk knows around it. Only ``text`` is required."""

    id: str | None = None
    text: str
    language: str | None = Field(default=None, description="fr, en; null = detect")
    # null is accepted and means the default (the validators below): the schema says so
    channel: Annotated[
        Literal["public", "private"],
        WithJsonSchema(
            {"anyOf": [{"enum": ["public", "private"], "type": "string"}, {"type": "null"}]},
            mode="validation",
        ),
    ] = Field(default="public", description="null = public")
    platform: Annotated[
        str, WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "null"}]}, mode="validation")
    ] = Field(default="twitter", description="twitter (also x), linkedin…; null = twitter")
    customer: Customer | None = None
    brand: Brand | None = None
    agent: Agent | None = None
    inbound: Inbound | None = None
    created_at: AwareDatetime | None = None
    ignore: list[Suppression] = Field(default_factory=list, description="rules silenced for this draft")

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, value: Any) -> Any:
        # Exports often carry numeric ids; the contract keeps ids as strings.
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        return value

    @field_validator("language", mode="before")
    @classmethod
    def _language_code(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().lower().replace("_", "-").split("-")[0]
            return value or None
        return value

    @field_validator("platform", mode="before")
    @classmethod
    def _platform_name(cls, value: Any) -> Any:
        if value is None:
            return "twitter"
        if isinstance(value, str):
            value = value.strip().lower()
            return "twitter" if value in {"x", "x.com", "twitter.com"} else value
        return value

    @field_validator("channel", mode="before")
    @classmethod
    def _channel_name(cls, value: Any) -> Any:
        if value is None:
            return "public"
        return value.strip().lower() if isinstance(value, str) else value


# Findings and fixes are built by the rules, many per second, from values the code itself
# computed: plain slots dataclasses, which pydantic validates, serialises and describes in the
# JSON Schema like models when they are read or written at the boundary (a validated model
# cost ~20k instructions a finding; a dataclass ~5k).


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement`` (an insertion when start == end)."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    # Frozen, like Edit and Evidence: rules share one fix between findings (a manual fix per
    # template, per opener edit…), so changing one in place would change them all; derive a
    # changed copy with dataclasses.replace. (A comment: docstrings land in the JSON Schema.)

    applicability: Applicability
    description: str
    edits: list[Edit] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a finding fired: which data entry or check matched (Presidio-style)."""

    source: Annotated[str, Field(description="rule data entry or check, e.g. 'en/deflection.toml:not_us'")]
    pattern: str | None = None
    detail: str | None = None


@dataclass(slots=True)
class Finding:
    # ``Rule.finding`` passes the fields by position (cheaper): keep their order in step with it.
    rule: Annotated[str, Field(description="stable code, e.g. RL101")]
    name: Annotated[str, Field(description="stable kebab-case name, e.g. public-personal-data-request")]
    severity: Severity
    message: str
    start: int
    end: int
    excerpt: str = ""
    fix: Fix | None = None
    evidence: Evidence | None = None


class SuppressionUse(BaseModel):
    """What a draft's suppression silenced; ``suppressed == 0`` flags an unused one."""

    rule: str
    reason: str | None = None
    suppressed: int = 0


class Report(BaseModel):
    """The result for one draft. ``error`` is set (and findings empty) when the record was unusable."""

    id: str | None = None
    language: str | None = None
    error: str | None = None
    fixed_text: str | None = None
    findings: list[Finding] = Field(default_factory=list)
    suppressions: list[SuppressionUse] = Field(
        default_factory=list, description="one entry per suppression the draft carried"
    )

    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=None)


def schema_document() -> dict[str, Any]:
    """JSON Schema of the wire contract (draft record in, report out)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "replylint wire contract",
        "version": SCHEMA_VERSION,
        "draft": Draft.model_json_schema(),
        "report": Report.model_json_schema(),
    }


def utc_now() -> datetime:
    from datetime import UTC

    return datetime.now(UTC)
