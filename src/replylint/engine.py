"""The linter: build once, check many drafts, share between threads.

``Linter(config)`` selects and instantiates the rules once; phrase lists are
compiled on first use per (rule, language) and cached; spaCy pipelines load on
first use per language. ``check`` never raises on bad input: an unusable record
gives a report with ``error`` set, so a batch never loses or reorders records.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from itertools import islice
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from replylint.config import Config, ConfigError
from replylint.context import Context
from replylint.fixes import compatible_fixes, fixes_text
from replylint.history.store import HistoryError  # --- history (issue 6)
from replylint.lang import detect
from replylint.models import (
    Applicability,
    Draft,
    Finding,
    Fix,
    Report,
    Severity,
    Suppression,
    SuppressionUse,
)
from replylint.nlp import NlpEngine, SpacyEngine
from replylint.phrases import PhraseBook, available_languages, build_book
from replylint.registry import all_rules, is_selected, matches, unknown_selectors
from replylint.rule import Rule

if TYPE_CHECKING:  # --- history (issue 6)
    from replylint.history import HistoryStore

#: Passes of "apply compatible fixes, re-check" before giving up (ruff uses a similar cap).
MAX_FIX_PASSES = 4
#: Drafts prepared together (NLP work batched). Small on purpose: every draft of a batch stays
#: alive until the batch is done, and with 256 of them the garbage collector ran 30 times more
#: often and walked the batch each time (4 %, 11 µs a draft, on all rules; measured with
#: bench/bench_throughput.py); 32 still batches the few drafts that need spaCy.
BATCH_SIZE = 32

DraftLike = Draft | Mapping[str, Any] | str


class Resources:
    """Per-linter shared state: config, compiled phrase books, NLP engine. Thread-safe."""

    def __init__(self, config: Config, nlp: NlpEngine, history: HistoryStore | None = None) -> None:
        self.config = config
        self.nlp = nlp
        self.limits = config.limits()
        self.languages = available_languages()
        #: language -> rule -> compiled phrase book (see ``books``)
        self._books: dict[str, dict[str, PhraseBook]] = {}
        self._lock = threading.Lock()
        self._history = history  # --- history (issue 6)

    # --- history (issue 6) ----------------------------------------------------------------
    @property
    def history(self) -> HistoryStore | None:
        """The history store (``Linter(history=…)`` or config ``history``, opened on first use).

        ``None`` when there is none: history rules stay silent. Opening errors raise
        ``HistoryError`` (never a silent skip).
        """
        if self._history is None and self.config.history:
            with self._lock:
                if self._history is None:
                    from replylint.history import open_store

                    self._history = open_store(
                        self.config.history, create=True, store_text=self.config.history_store_text
                    )
        return self._history

    # --- end history ------------------------------------------------------------------------

    def book(self, rule: str, language: str) -> PhraseBook:
        book = self.books(language).get(rule)
        if book is None:
            with self._lock:
                books = self._books[language]
                book = books.get(rule)
                if book is None:
                    extra = self.config.phrases.get(rule, {}).get(language)
                    book = books[rule] = build_book(rule, language, extra)
        return book

    def books(self, language: str) -> dict[str, PhraseBook]:
        """The books of ``language`` compiled so far, by rule: a context keeps this dictionary,
        so that a rule's look-up is one ``dict.get`` (rules ask for their book on every draft)."""
        books = self._books.get(language)
        if books is None:
            books = self._books.setdefault(language, {})
        return books


class Linter:
    """Checks drafts against the selected rules.

    >>> linter = Linter()
    >>> report = linter.check({"text": "@marie Bonjour {{first_name}} !"})
    >>> [f.name for f in report.findings][:1]
    ['unfilled-placeholder']
    """

    def __init__(
        self,
        config: Config | None = None,
        *,
        nlp: NlpEngine | None = None,
        history: HistoryStore | None = None,
    ) -> None:
        self.config = config or Config()
        unknown = unknown_selectors([*self.config.select, *self.config.ignore, *self.config.severity])
        if unknown:
            raise ConfigError(f"unknown rule code, prefix or name: {', '.join(unknown)}")
        self.resources = Resources(self.config, nlp or SpacyEngine(), history)
        self.rules = tuple(self._build(rule) for rule in self._selected())

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The selected rules, in code order."""
        return self._rules

    @rules.setter
    def rules(self, rules: Sequence[Rule]) -> None:
        self._rules = tuple(rules)
        #: the rules with batch work of their own (``Rule.prepare`` overridden)
        self._preparing = tuple(r for r in self._rules if type(r).prepare is not Rule.prepare)
        #: the rules ``check_many`` runs over a whole batch ahead of its reports, and the ones it
        #: runs on each draft when its report is asked for (``Rule.checked_in_turn``)
        self._ahead = tuple(r for r in self._rules if not r.checked_in_turn)
        self._in_turn = tuple(r for r in self._rules if r.checked_in_turn)
        #: language -> the selected rules that apply to it, in order (filled on first use)
        self._rules_for: dict[str | None, tuple[Rule, ...]] = {}
        #: what the fix loop asks of the rules on every fixed draft, worked out once
        self._error_rules = tuple(r for r in self._rules if r.max_severity is Severity.ERROR)
        self._safe_fixers = tuple(r for r in self._rules if r.offers_safe_fixes)

    def _selected(self) -> list[type[Rule]]:
        return [r for r in all_rules() if is_selected(r, self.config.select, self.config.ignore)]

    def _build(self, rule: type[Rule]) -> Rule:
        severity = self.config.severity.get(rule.code) or self.config.severity.get(rule.name)
        options = self.config.rules.get(rule.name) or self.config.rules.get(rule.code) or {}
        try:
            return rule(severity=severity, options=options)
        except ValidationError as exc:
            raise ConfigError(f"rules.{rule.name}: {exc.errors()[0]['msg']}") from exc

    # --- public API ---------------------------------------------------------------------

    def check(self, draft: DraftLike) -> Report:
        """Lint one draft (a ``Draft``, a draft record mapping, or bare text)."""
        return next(self.check_many([draft]))

    def check_many(self, drafts: Iterable[DraftLike], batch_size: int = BATCH_SIZE) -> Iterator[Report]:
        """Lint drafts in order, streaming; NLP work is batched per language."""
        iterator = iter(drafts)
        while batch := list(islice(iterator, batch_size)):
            prepared = [self._prepare(item) for item in batch]
            contexts = [item for item in prepared if isinstance(item, Context)]
            for rule in self._preparing:
                rule.prepare([ctx for ctx in contexts if rule.applies_to(ctx.language)])
            checked = iter(self._check_batch(contexts))
            for item in prepared:
                yield item if isinstance(item, Report) else self._report(item, next(checked))

    def fix(self, draft: DraftLike, unsafe: bool = False) -> str:
        """The draft's text with its fixes applied (safe ones; unsafe ones too on request)."""
        prepared = self._prepare(draft)
        if isinstance(prepared, Report):
            raise ValueError(prepared.error)
        threshold = Applicability.UNSAFE if unsafe else Applicability.SAFE
        findings = self._run(prepared)
        fixed = self._fix_loop(prepared, findings, threshold)
        return prepared.text if fixed is None else fixed

    # --- history (issue 6) ----------------------------------------------------------------
    @property
    def history(self) -> HistoryStore | None:
        return self.resources.history

    def record_sent(self, draft: DraftLike) -> None:
        """Remember a reply that was sent (at its ``created_at``, or now) in the history store.

        Raises ``HistoryError`` when there is no store or it cannot be written, and
        ``ValueError`` when the record is not a usable draft.
        """
        from replylint.history import sent_reply

        store = self.resources.history
        if store is None:
            raise HistoryError("no history store: pass Linter(history=...) or set `history` in config")
        try:  # validation only: the language does not matter to the history
            record = (
                draft
                if isinstance(draft, Draft)
                else Draft.model_validate({"text": draft} if isinstance(draft, str) else draft)
            )
        except ValidationError as exc:
            raise ValueError(describe_validation(exc)) from exc
        store.record(sent_reply(record, self.config))

    # --- internals ----------------------------------------------------------------------

    def _prepare(self, item: DraftLike) -> Context | Report:
        """A context for a usable draft; an error report (never an exception) for the rest."""
        try:
            if isinstance(item, str):
                draft = Draft(text=item)
            elif isinstance(item, Draft):
                draft = item
            else:
                draft = Draft.model_validate(item)
        except ValidationError as exc:
            raw_id = item.get("id") if isinstance(item, Mapping) else None
            return Report(id=None if raw_id is None else str(raw_id), error=describe_validation(exc))
        problem = self._text_problem(draft.text)
        if problem:
            return Report(id=draft.id, language=draft.language, error=problem)
        language = draft.language or detect(draft.text, self.config.default_language)
        return Context(draft, language, self.resources)

    def _text_problem(self, text: str) -> str | None:
        if not text.strip():
            return "text: empty draft"
        limit = self.config.max_text_length
        if len(text) > limit:
            return f"text: {len(text)} characters, over the input limit of {limit} (max_text_length)"
        return None

    def _check_batch(self, contexts: Sequence[Context]) -> list[_Checked]:
        """Run the rules that may run ahead over a whole batch, rule by rule.

        Rule after rule rather than draft after draft: a rule's code and its compiled patterns
        then stay in the CPU caches across the batch, where, draft after draft, each of a dozen
        rules evicted the others' (on the bench drafts each family took 13-29 % less time, all
        rules 23 %: bench/bench_throughput.py, builds alternated). A draft's rules still run in
        code order; a rule that fails on a draft ends that draft's checks, as it would one by one.
        """
        checked = [_Checked(len(ctx.draft.ignore)) for ctx in contexts]
        languages = {ctx.language for ctx in contexts}
        applicable = {language: frozenset(self._applicable(language)) for language in languages}
        for rule in self._ahead:
            for ctx, state in zip(contexts, checked, strict=True):
                if state.failure is None and rule in applicable[ctx.language]:
                    try:
                        self._check_one(rule, ctx, state.findings, state.uses)
                    except (RuleCrash, HistoryError) as exc:
                        state.failure = exc
        return checked

    def _report(self, ctx: Context, checked: _Checked) -> Report:
        """The draft's report, from its batch's checks: the rules checked in turn run now, then
        the fix loop."""
        findings, uses = checked.findings, checked.uses
        try:
            if checked.failure is not None:
                raise checked.failure
            for rule in self._in_turn:
                if rule.applies_to(ctx.language):
                    self._check_one(rule, ctx, findings, uses)
            _sort(findings)
            fixed = self._fix_loop(ctx, findings, Applicability.SAFE)
        except RuleCrash as crash:
            return Report(id=ctx.draft.id, language=ctx.language, error=str(crash))
        suppressions = [
            SuppressionUse(rule=s.rule, reason=s.reason, suppressed=n)
            for s, n in zip(ctx.draft.ignore, uses, strict=True)
        ]
        return Report(
            id=ctx.draft.id,
            language=ctx.language,
            fixed_text=fixed,
            findings=findings,
            suppressions=suppressions,
        )

    def _run(self, ctx: Context, rules: Sequence[Rule] | None = None) -> list[Finding]:
        """Run every applicable rule (or only ``rules``) on one draft; findings of rules the
        draft suppresses are dropped."""
        findings: list[Finding] = []
        if rules is None:
            rules = self._applicable(ctx.language)
        else:
            rules = [rule for rule in rules if rule.applies_to(ctx.language)]
        for rule in rules:
            self._check_one(rule, ctx, findings, None)
        _sort(findings)
        return findings

    @staticmethod
    def _check_one(rule: Rule, ctx: Context, findings: list[Finding], uses: list[int] | None) -> None:
        """Add ``rule``'s findings on ``ctx`` to ``findings``, unless the draft suppresses the rule:
        then count them in ``uses``. A rule's exception becomes a ``RuleCrash``."""
        ignore = ctx.draft.ignore
        try:
            if not ignore:  # most drafts silence nothing: no list of the rule's own to count
                findings.extend(rule.check(ctx))
                return
            found = list(rule.check(ctx))
        except HistoryError:  # --- history (issue 6): a store fault is not a rule bug
            raise
        except Exception as exc:  # a rule bug must not lose the record
            raise RuleCrash(f"internal error in {rule.code} {rule.name}: {exc!r}") from exc
        silenced_by = _silencer(ignore, rule)
        if silenced_by is None:
            findings.extend(found)
        elif uses is not None:
            uses[silenced_by] += len(found)

    def _applicable(self, language: str | None) -> tuple[Rule, ...]:
        rules = self._rules_for.get(language)
        if rules is None:  # a benign race between threads computes the same tuple twice
            rules = self._rules_for[language] = tuple(r for r in self.rules if r.applies_to(language))
        return rules

    def _recheck(self, ctx: Context, text: str, rules: Sequence[Rule]) -> list[Finding]:
        # the same draft with another text: a copy of the draft cost ~3.5 µs a re-check
        return self._run(Context(ctx.draft, ctx.language, self.resources, text), rules=rules)

    def _fix_loop(self, ctx: Context, findings: list[Finding], threshold: Applicability) -> str | None:
        """Apply compatible fixes at or above ``threshold``, re-check, repeat.

        A fix whose result adds an error the draft did not have (e.g. pushes it over the
        length limit) is left out, and on the first pass its applicability drops to
        ``unsafe`` with the reason in its description.
        """
        applied = _APPLIED_AT[threshold]
        fixable = [f for f in findings if f.fix is not None and f.fix.applicability in applied]
        if not fixable:
            return None  # the usual case: nothing to apply
        text = ctx.text
        had_errors = {f.name for f in findings if f.severity is Severity.ERROR}
        # Only two things are read off a re-check: new errors, and fixes for the next pass. So
        # it runs the rules that could add an error, and the rules that can fix (a fix elsewhere
        # may give them something to fix) unless their own fix was just applied: a rule's fix
        # settles its finding (property-tested). Advisory rules (most conversation rules) and,
        # on a draft that only gets a greeting and a signature, the personal-touch rules
        # themselves are not run again.
        could_add_error = {r for r in self._error_rules if r.name not in had_errors}
        if threshold is Applicability.SAFE:  # a rule without safe fixes could not apply one
            may_fix = {r for r in self._safe_fixers if r.may_fix_safely(ctx)}
        else:
            may_fix = set(self.rules)

        def recheck(applied: list[Finding], fixed: str) -> list[Finding]:
            settled = {f.rule for f in applied}
            rules = [
                r for r in self.rules if r in could_add_error or (r in may_fix and r.code not in settled)
            ]
            return self._recheck(ctx, fixed, rules)

        changed = False
        for pass_number in range(MAX_FIX_PASSES):
            chosen = compatible_fixes(fixable)
            if not chosen:
                break
            candidate = fixes_text(text, chosen)
            rechecked = recheck(chosen, candidate)
            if _new_errors(had_errors, rechecked):
                # Keep fixes one by one, in order, while the text stays free of new errors: two
                # fixes that each fit may not fit together (greeting + signature near the limit).
                # The last accepted trial is the pass's result: no need to re-check it again.
                kept: list[Finding] = []
                for finding in chosen:
                    trial_text = fixes_text(text, [*kept, finding])
                    trial = recheck([*kept, finding], trial_text)
                    introduced = _new_errors(had_errors, trial)
                    if not introduced:
                        kept.append(finding)
                        candidate, rechecked = trial_text, trial
                    elif pass_number == 0 and finding.fix is not None:
                        finding.fix = _demoted(finding.fix, introduced)
                if not kept:
                    break
            if candidate == text:
                break
            text, changed = candidate, True
            fixable = [f for f in rechecked if f.fix is not None and f.fix.applicability in applied]
        return text if changed else None


#: The applicabilities a fix loop at each threshold applies (safe: safe only; unsafe: both).
_APPLIED_AT: dict[Applicability, frozenset[Applicability]] = {
    threshold: frozenset(a for a in Applicability if a.rank >= threshold.rank) for threshold in Applicability
}


class _Checked:
    """One draft's checks so far: its findings (unsorted), what each of its suppressions
    silenced, and the exception that ended its checks, if one did."""

    __slots__ = ("failure", "findings", "uses")

    def __init__(self, suppressions: int) -> None:
        self.findings: list[Finding] = []
        self.uses = [0] * suppressions
        self.failure: RuleCrash | HistoryError | None = None


def _sort(findings: list[Finding]) -> None:
    """Findings in text order (then by rule): the order of the report."""
    if len(findings) > 1:
        findings.sort(key=lambda f: (f.start, f.end, f.rule))


def _silencer(ignore: Sequence[Suppression], rule: Rule) -> int | None:
    """Index of the draft's first suppression that silences ``rule``, if any."""
    return next((i for i, s in enumerate(ignore) if matches(s.rule, type(rule))), None)


class RuleCrash(RuntimeError):
    """A rule raised: reported on the record instead of stopping the batch."""


def _new_errors(had: set[str], findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR and f.name not in had]


def _demoted(fix: Fix, introduced: list[Finding]) -> Fix:
    why = "; ".join(f"{f.name}: {f.message}" for f in introduced)
    return replace(
        fix,
        applicability=Applicability.UNSAFE if fix.applicability is Applicability.SAFE else fix.applicability,
        description=f"{fix.description} (not applied automatically: it would cause {why})",
    )


def describe_validation(exc: ValidationError) -> str:
    """One line naming each field in error, e.g. ``text: field required``."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "record"
        message = "missing (required)" if err["type"] == "missing" else err["msg"]
        parts.append(f"{where}: {message}")
    return "; ".join(parts)


_DEFAULT: Linter | None = None
_DEFAULT_LOCK = threading.Lock()


def check(text: str, **fields: Any) -> Report:
    """Lint one reply with the default configuration::

    replylint.check("@marie Envoyez-nous votre email", language="fr",
                    customer={"name": "Marie"})
    """
    global _DEFAULT
    if _DEFAULT is None:
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                _DEFAULT = Linter()
    return _DEFAULT.check({"text": text, **fields})
