"""Configuration: ``[tool.replylint]`` in ``pyproject.toml`` or a ``replylint.toml``.

Example::

    [tool.replylint]
    select = ["RL"]                      # codes, prefixes or names
    ignore = ["missing-agent-signature"]
    default_language = "fr"

    [tool.replylint.severity]
    deflection = "error"

    [tool.replylint.brand]
    handles = ["@Acme_SAV"]
    public_contacts = ["sav@acme.fr", "09 69 32 10 10"]
    signature_style = "^{initials}"
    agents = [{ name = "Julie Martin", signature = "^JM" }]

    [tool.replylint.platforms.linkedin]
    max_length = 1250

    [tool.replylint.phrases.deflection.fr]
    other_channel = ["passez en boutique"]

    [tool.replylint.rules.over-length]   # per-rule options, validated by the rule
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from replylint.length import DEFAULT_LIMITS
from replylint.models import Severity


class ConfigError(ValueError):
    """The configuration is unusable; the message names the file and the key."""


class AgentProfile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    signature: str | None = None
    handle: str | None = None


class ReplyTime(BaseModel):
    model_config = ConfigDict(extra="forbid")

    info_after_minutes: float = 15
    warning_after_minutes: float = 60
    timezone: str = "UTC"
    # --- late-reply (issue 6): count only business time when set, e.g. "09:00-18:00"
    business_hours: str | None = Field(default=None, pattern=r"^\d{1,2}:\d{2}-\d{1,2}:\d{2}$")
    business_days: list[int] = Field(
        default_factory=lambda: [1, 2, 3, 4, 5], description="ISO weekdays (1 = Monday) of business_hours"
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/Paris)") from exc
        return value

    # --- end late-reply


class BrandProfile(BaseModel):
    """What the brand is: its handles, agents, signature style, public contacts, reply targets."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    handles: list[str] = Field(default_factory=list)
    user_id: str | None = None
    public_contacts: list[str] = Field(
        default_factory=list, description="the brand's own public emails/phones: never 'exposed' data"
    )
    signature_style: str = Field(
        default="^{initials}", description="how agents sign: {initials}, {first_name}, {name}"
    )
    signature_separator: str = " "
    agents: list[AgentProfile] = Field(default_factory=list)
    reply_time: ReplyTime = Field(default_factory=ReplyTime)


class PlatformProfile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_length: int | None = None


class VerdictRule(BaseModel):
    """Findings that trigger a verdict: by severity, or by rule (code, code prefix or name)."""

    model_config = ConfigDict(extra="forbid")

    severities: list[Severity] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list, description="rule codes, code prefixes or names")


class ServerSettings(BaseModel):
    """``[tool.replylint.server]``: the HTTP pre-send hook (``replylint serve``).

    Secrets may also come from the environment (``REPLYLINT_TOKEN``,
    ``REPLYLINT_HMAC_SECRET``), which wins over the file.
    """

    model_config = ConfigDict(extra="forbid")

    block_on: VerdictRule = Field(default_factory=lambda: VerdictRule(severities=[Severity.ERROR]))
    warn_on: VerdictRule = Field(default_factory=lambda: VerdictRule(severities=[Severity.WARNING]))
    on_error: Literal["allow", "block"] = Field(
        default="allow", description="verdict when a draft cannot be checked (fail-open or fail-closed)"
    )
    max_body_bytes: int = Field(default=65_536, ge=1024, description="larger request bodies get 413")
    body_timeout_seconds: float = Field(default=10, gt=0, description="slower request bodies get 408")
    max_batch: int = Field(default=100, ge=1, le=10_000, description="drafts per /v1/check/batch call")
    time_budget_ms: float = Field(default=2000, gt=0, description="per request; over it: 503 + Retry-After")
    retry_after_seconds: int = Field(default=1, ge=0)
    threads: int = Field(default=4, ge=1, le=64, description="lint worker threads per process")
    token: SecretStr | None = Field(default=None, description="bearer token (env REPLYLINT_TOKEN wins)")
    hmac_secret: SecretStr | None = Field(
        default=None, description="HMAC-SHA256 key for signed requests (env REPLYLINT_HMAC_SECRET wins)"
    )
    max_skew_seconds: int = Field(default=300, ge=1, le=3600, description="signed timestamp max age")
    replay_cache: str | None = Field(
        default=None, description="SQLite file of seen signatures, shared by workers (default: in memory)"
    )


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    select: list[str] = Field(default_factory=lambda: ["RL"])
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict, description="rule code or name -> severity")
    default_language: str = "en"
    max_text_length: int = Field(default=20_000, description="longer drafts are refused as input errors")
    brand: BrandProfile = Field(default_factory=BrandProfile)
    platforms: dict[str, PlatformProfile] = Field(default_factory=dict)
    phrases: dict[str, dict[str, dict[str, list[str]]]] = Field(
        default_factory=dict, description="rule name -> language -> list name -> extra phrases"
    )
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict, description="per-rule options")
    history: str | None = Field(default=None, description="history store URL or path")
    # --- history (issue 6)
    history_store_text: bool = Field(
        default=False, description="keep the full text of sent replies in the history (personal data)"
    )
    history_retention_days: float = Field(
        default=90, gt=0, description="`replylint history purge` deletes replies older than this"
    )
    # --- end history
    server: ServerSettings = Field(default_factory=ServerSettings)

    def limits(self) -> dict[str, int]:
        limits = dict(DEFAULT_LIMITS)
        for name, profile in self.platforms.items():
            if profile.max_length is not None:
                limits[name.lower()] = profile.max_length
        return limits

    @classmethod
    def load(cls, path: str | Path | None = None, start: str | Path | None = None) -> Config:
        """Read ``path``, or discover ``replylint.toml`` / ``pyproject.toml`` upwards from ``start``."""
        if path is None:
            found = discover(Path(start) if start else Path.cwd())
            if found is None:
                return cls()
            path = found
        path = Path(path)
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"{path}: no such config file") from exc
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read config: {exc}") from exc
        section = raw.get("tool", {}).get("replylint", {}) if path.name == "pyproject.toml" else raw
        return cls.from_mapping(section, origin=str(path))

    @classmethod
    def from_mapping(cls, data: dict[str, Any], origin: str = "config") -> Config:
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
            )
            raise ConfigError(f"{origin}: {problems}") from exc


def discover(start: Path) -> Path | None:
    """The nearest ``replylint.toml``, or ``pyproject.toml`` with a ``[tool.replylint]`` table."""
    for folder in [start, *start.resolve().parents]:
        own = folder / "replylint.toml"
        if own.is_file():
            return own
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if "replylint" in data.get("tool", {}):
                return pyproject
    return None
