"""What a rule is.

A rule is one module under ``replylint/rules/``: a class whose docstring is its
documentation page (headings ``## What it catches``, ``## Why it matters``,
``## How to fix``), its metadata (code, name, severity, languages), its
examples (run as tests, rendered into ``docs/rules/``) and its ``check``.
The engine finds rules by scanning that package and the ``replylint.rules``
entry-point group, so adding a rule touches no dispatch table.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict

from replylint.models import Applicability, Draft, Evidence, Finding, Fix, Severity

if TYPE_CHECKING:
    from replylint.context import Context


@dataclass(frozen=True)
class Example:
    """A draft the rule must flag (``fires=True``) or must leave alone."""

    text: str
    fires: bool
    note: str = ""
    context: Mapping[str, Any] = field(default_factory=dict)

    def draft(self) -> Draft:
        return Draft.model_validate({"text": self.text, **self.context})


def bad(text: str, note: str = "", **context: Any) -> Example:
    """An example the rule flags. ``context`` holds other draft fields (language, customer…)."""
    return Example(text, True, note, context)


def good(text: str, note: str = "", **context: Any) -> Example:
    """An example the rule leaves alone."""
    return Example(text, False, note, context)


class NoOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Rule:
    """Base class. Subclasses set the class attributes and implement ``check``."""

    code: ClassVar[str]
    name: ClassVar[str]
    default_severity: ClassVar[Severity]
    summary: ClassVar[str]
    #: Languages the rule understands; ``None`` = language independent.
    languages: ClassVar[frozenset[str] | None] = None
    examples: ClassVar[Sequence[Example]] = ()
    #: Whether the rule's fixes can be safe (applied automatically). The fix loop re-checks a
    #: fixed draft with these rules, since a fix elsewhere may give them something to fix.
    offers_safe_fixes: ClassVar[bool] = False
    #: Whether the rule reads state its caller may change between two reports: duplicate-reply
    #: reads the history, into which ``check --history :memory:`` records each draft once its
    #: report is out. ``check_many`` checks a batch with the other rules before its first report;
    #: such a rule runs on each draft when its report is asked for.
    checked_in_turn: ClassVar[bool] = False
    #: Per-rule options from ``[tool.replylint.rules.<name>]``, validated (unknown keys fail).
    Options: ClassVar[type[BaseModel]] = NoOptions

    def __init__(self, severity: Severity | None = None, options: Mapping[str, Any] | None = None) -> None:
        self.severity = severity or self.default_severity
        self.options = self.Options.model_validate(dict(options or {}))

    def check(self, ctx: Context) -> Iterable[Finding]:
        raise NotImplementedError

    def prepare(self, contexts: Sequence[Context]) -> None:
        """Batch work for a chunk of drafts before ``check`` runs on each (e.g. one ``nlp.pipe``).

        ``check_many`` calls it once per chunk with the contexts the rule applies to.
        """

    def may_fix_safely(self, ctx: Context) -> bool:
        """Whether the rule could offer a safe fix on this draft at all. The fix loop re-checks a
        fixed draft with the rules that could; a rule whose safe fix needs data the draft lacks
        (the customer's name, the agent's signature, the brand's user id) could only find
        manual fixes there, which are never applied, so it is not run again. Only asked of the
        rules that declare ``offers_safe_fixes``."""
        return self.offers_safe_fixes

    @property
    def max_severity(self) -> Severity:
        """The most severe finding this rule can report. The fix loop re-checks a fixed draft
        only with the rules that could add an error, so a rule that raises a finding above its
        own severity must say so here."""
        return self.severity

    def applies_to(self, language: str | None) -> bool:
        return self.languages is None or language in self.languages

    def finding(
        self,
        ctx: Context,
        start: int,
        end: int,
        message: str,
        *,
        fix: Fix | None = None,
        evidence: Evidence | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        """Build a finding on ``ctx.text[start:end]`` (original offsets)."""
        if fix is not None and fix.applicability is Applicability.SAFE and not self.offers_safe_fixes:
            raise TypeError(f"{self.code} returned a safe fix but does not declare offers_safe_fixes")
        # positional: with keywords, building the dataclass costs twice as much (a dict of them
        # is made for its ``__init__``), and a draft may get several findings
        return Finding(
            self.code,
            self.name,
            severity or self.severity,
            message,
            start,
            end,
            ctx.text[start:end],
            fix,
            evidence,
        )

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")
