"""The ``replylint`` command.

Exit codes: 0 clean, 1 findings at or above ``--fail-on``, 2 usage or input errors
(input errors win: a run that could not read every record is not "clean").
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from replylint.config import Config, ConfigError
from replylint.engine import Linter
from replylint.history import HistoryError, HistoryStore  # --- history (issue 6)
from replylint.io import CSV_COLUMNS, InputError, Record, csv_rows, read_records, write_fixed
from replylint.models import Report, Severity, schema_document

app = typer.Typer(
    help="Lint drafted brand replies before they are sent.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class InFormat(StrEnum):
    auto = "auto"
    jsonl = "jsonl"
    json = "json"
    csv = "csv"


class FailOn(StrEnum):
    info = "info"
    warning = "warning"
    error = "error"
    never = "never"


def _err(message: str) -> None:
    sys.stderr.write(f"replylint: {message}\n")


def _load_config(path: Path | None, select: str | None, ignore: str | None, language: str | None) -> Config:
    config = Config.load(path)
    updates: dict[str, Any] = {}
    if select:
        updates["select"] = [s.strip() for s in select.split(",") if s.strip()]
    if ignore:
        updates["ignore"] = [*config.ignore, *(s.strip() for s in ignore.split(",") if s.strip())]
    if language:
        updates["default_language"] = language
    return config.model_copy(update=updates) if updates else config


@app.command()
def check(
    path: Annotated[str, typer.Argument(help="JSONL, JSON or CSV file of draft records; - for stdin")],
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f", help="output format")] = (
        OutputFormat.text
    ),
    input_format: Annotated[InFormat, typer.Option("--input-format", help="default: from extension")] = (
        InFormat.auto
    ),
    text_column: Annotated[str, typer.Option(help="CSV column holding the draft text")] = "text",
    id_column: Annotated[str, typer.Option(help="CSV column holding the draft id")] = "id",
    config_path: Annotated[
        Path | None, typer.Option("--config", help="replylint.toml or pyproject.toml")
    ] = None,
    select: Annotated[str | None, typer.Option(help="comma-separated codes, prefixes or names")] = None,
    ignore: Annotated[str | None, typer.Option(help="comma-separated codes, prefixes or names")] = None,
    language: Annotated[str | None, typer.Option(help="language of drafts that do not say (fr, en)")] = None,
    fail_on: Annotated[FailOn, typer.Option(help="lowest severity that makes the exit code 1")] = (
        FailOn.warning
    ),
    fix: Annotated[
        bool, typer.Option("--fix", help="write the fixed drafts (see --output/--in-place)")
    ] = False,
    unsafe_fixes: Annotated[bool, typer.Option(help="with --fix, apply unsafe fixes too")] = False,
    output: Annotated[str | None, typer.Option("--output", "-o", help="with --fix: where to write")] = None,
    in_place: Annotated[bool, typer.Option(help="with --fix: rewrite the input file atomically")] = False,
    color: Annotated[bool | None, typer.Option("--color/--no-color", help="default: on a terminal")] = None,
    progress: Annotated[
        bool | None, typer.Option("--progress/--no-progress", help="default: terminal")
    ] = None,
    history: Annotated[
        str | None,
        typer.Option(
            "--history",
            help="history store (path, sqlite:///…, postgresql://…) for duplicate-reply; "
            ":memory: audits the file itself in created_at order",
        ),
    ] = None,
) -> None:
    """Lint draft records and print one result per record."""
    if fix and not (output or in_place):
        raise typer.BadParameter("--fix needs --output PATH or --in-place", param_hint="--fix")
    if in_place and path == "-":
        raise typer.BadParameter("cannot rewrite stdin in place", param_hint="--in-place")
    try:
        config = _load_config(config_path, select, ignore, language)
        store = _check_history(history)  # --- history (issue 6)
        linter = Linter(config, history=store)
        fmt, records = read_records(path, input_format.value, text_column, id_column)
    except (ConfigError, InputError, HistoryError) as exc:
        _err(str(exc))
        raise typer.Exit(2) from None
    audit = history is not None and history.strip().lower() == ":memory:"

    writer = _Writer(output_format, color)
    bad_input = 0
    worst: Severity | None = None
    kept: list[tuple[Record, str | None]] = []
    try:
        linted = (
            _audit(linter, records, unsafe_fixes and fix)
            if audit
            else _lint(linter, records, unsafe_fixes and fix)
        )
        for record, report in _progress(linted, progress):
            if report.error:
                bad_input += 1
                _err(f"{record.ref}{f' (id {record.id})' if record.id else ''}: {report.error}")
            for finding in report.findings:
                if worst is None or finding.severity.rank > worst.rank:
                    worst = finding.severity
            writer.write(report)
            if fix:
                kept.append((record, report.fixed_text))
    except (InputError, HistoryError) as exc:
        _err(str(exc))
        raise typer.Exit(2) from None
    writer.close()
    if fix:
        target = path if in_place else (output or "-")
        fixed = write_fixed(kept, fmt, target, text_column)
        _err(f"fixed {fixed} of {len(kept)} drafts -> {target}")
    if bad_input:
        raise typer.Exit(2)
    if fail_on is not FailOn.never and worst is not None and worst.rank >= Severity(fail_on.value).rank:
        raise typer.Exit(1)


def _lint(linter: Linter, records: Iterator[Record], unsafe: bool) -> Iterator[tuple[Record, Report]]:
    """Pair each record with its report, in order; unreadable records get an error report."""
    pending: list[Record] = []

    def drafts() -> Iterator[Any]:
        for record in records:
            pending.append(record)
            yield record.data if record.error is None else {"__unreadable__": True}

    for report in linter.check_many(drafts()):
        record = pending.pop(0)
        if record.error is not None:
            report = Report(id=record.id, error=record.error)
        elif report.error and report.id is None:
            report.id = record.id
        if unsafe and report.error is None and record.data is not None:
            fixed = linter.fix(record.data, unsafe=True)
            report.fixed_text = fixed if fixed != record.data.get("text") else None
        yield record, report


# --- history (issue 6) ------------------------------------------------------------------


def _check_history(location: str | None) -> HistoryStore | None:
    """The store ``check --history`` uses: an existing one (a typo must not look clean), or a
    fresh in-memory one for ``:memory:``. ``None``: config ``history`` applies, if any."""
    if location is None:
        return None
    from replylint.history import open_store

    return open_store(location, create=location.strip().lower() == ":memory:")


def _audit(linter: Linter, records: Iterator[Record], unsafe: bool) -> Iterator[tuple[Record, Report]]:
    """``check --history :memory:``: check the drafts in ``created_at`` order (undated ones last,
    in file order), each against the ones before it, recording each after its check; reports
    come back in file order."""
    from replylint.models import Draft

    listed = list(records)

    def when(index: int) -> tuple[int, float, int]:
        data = listed[index].data
        try:
            created = Draft.model_validate(data).created_at if data is not None else None
        except ValueError:
            created = None
        return (created is None, created.timestamp() if created else 0.0, index)

    order = sorted(range(len(listed)), key=when)
    done: dict[int, Report] = {}
    # check_many runs the history's rule (duplicate-reply, checked_in_turn) on each draft when
    # its report is asked for, so a draft recorded here is in the store before the next one
    # is checked against it.
    for index, (record, report) in zip(order, _lint(linter, (listed[i] for i in order), unsafe), strict=True):
        done[index] = report
        if report.error is None and record.data is not None:
            linter.record_sent(record.data)
    for index, record in enumerate(listed):
        yield record, done[index]


history_app = typer.Typer(
    help="The history of sent replies behind duplicate-reply: add, import, purge, stats.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(history_app, name="history")

_HistoryOption = Annotated[
    str | None,
    typer.Option(
        "--history", help="store: path, sqlite:///path or postgresql://… (default: config `history`)"
    ),
]
_ConfigOption = Annotated[Path | None, typer.Option("--config", help="replylint.toml or pyproject.toml")]


def _history_store(
    location: str | None, config_path: Path | None, create: bool
) -> tuple[HistoryStore, Config]:
    from replylint.history import open_store

    try:
        config = Config.load(config_path)
        location = location or config.history
        if not location:
            raise HistoryError("no history store: pass --history PATH|URL or set `history` in config")
        if location.strip().lower() == ":memory:":
            raise HistoryError(":memory: only makes sense with `replylint check --history :memory:`")
        return open_store(location, create=create, store_text=config.history_store_text), config
    except (ConfigError, HistoryError) as exc:
        _err(str(exc))
        raise typer.Exit(2) from None


@history_app.command("add")
def history_add(
    text: Annotated[str, typer.Argument(help="the reply that was sent")],
    brand: Annotated[str | None, typer.Option(help="brand handle (default: config brand.handles[0])")] = None,
    customer: Annotated[str | None, typer.Option(help="customer handle (default: leading @mention)")] = None,
    customer_name: Annotated[str | None, typer.Option(help="customer name, masked before comparing")] = None,
    reply_id: Annotated[
        str | None, typer.Option("--id", help="the reply's id (re-adding it is a no-op)")
    ] = None,
    at: Annotated[
        str | None, typer.Option(help="when it was sent, ISO 8601 with a zone (default: now)")
    ] = None,
    history: _HistoryOption = None,
    config_path: _ConfigOption = None,
) -> None:
    """Record one sent reply."""
    record: dict[str, Any] = {"text": text, "id": reply_id, "created_at": at}
    if brand:
        record["brand"] = {"handle": brand}
    if customer or customer_name:
        record["customer"] = {"handle": customer, "name": customer_name}
    store, config = _history_store(history, config_path, create=True)
    with store:
        try:
            stored = Linter(config.model_copy(update={"select": ["RL4"]}), history=store)
            stored.record_sent(record)
        except (ValueError, HistoryError) as exc:
            _err(str(exc))
            raise typer.Exit(2) from None
    _err(f"recorded 1 reply in {store.location}")


@history_app.command("import")
def history_import(
    path: Annotated[
        str, typer.Argument(help="JSONL, JSON or CSV of sent replies (draft records); - for stdin")
    ],
    input_format: Annotated[InFormat, typer.Option("--input-format", help="default: from extension")] = (
        InFormat.auto
    ),
    text_column: Annotated[str, typer.Option(help="CSV column holding the text")] = "text",
    id_column: Annotated[str, typer.Option(help="CSV column holding the id")] = "id",
    history: _HistoryOption = None,
    config_path: _ConfigOption = None,
) -> None:
    """Record sent replies from a file (records need `created_at`; ids make re-imports no-ops)."""
    from replylint.history import SentReply, sent_reply
    from replylint.models import Draft

    store, config = _history_store(history, config_path, create=True)
    bad = read = stored = 0
    batch: list[SentReply] = []
    with store:
        try:
            _, records = read_records(path, input_format.value, text_column, id_column)
            for record in records:
                read += 1
                problem = record.error
                if problem is None:
                    try:
                        draft = Draft.model_validate(record.data)
                    except ValueError as exc:
                        from pydantic import ValidationError

                        from replylint.engine import describe_validation

                        problem = describe_validation(exc) if isinstance(exc, ValidationError) else str(exc)
                    else:
                        if draft.created_at is None:
                            problem = "created_at: missing (when was the reply sent?)"
                        else:
                            batch.append(sent_reply(draft, config))
                if problem is not None:
                    bad += 1
                    _err(f"{record.ref}{f' (id {record.id})' if record.id else ''}: {problem}")
                if len(batch) >= 1000:
                    stored += store.record_many(batch)
                    batch.clear()
            stored += store.record_many(batch)
        except (InputError, HistoryError) as exc:
            _err(str(exc))
            raise typer.Exit(2) from None
    _err(f"imported {stored} of {read} replies into {store.location} ({read - stored - bad} already there)")
    if bad:
        raise typer.Exit(2)


@history_app.command("purge")
def history_purge(
    older_than: Annotated[
        float | None, typer.Option(help="days to keep (default: config history_retention_days, 90)")
    ] = None,
    history: _HistoryOption = None,
    config_path: _ConfigOption = None,
) -> None:
    """Delete replies older than the retention window."""
    from datetime import timedelta

    from replylint.models import utc_now

    store, config = _history_store(history, config_path, create=False)
    days = older_than if older_than is not None else config.history_retention_days
    if days < 0:
        _err("--older-than must be at least 0 days")
        raise typer.Exit(2)
    with store:
        try:
            deleted = store.purge(utc_now() - timedelta(days=days))
        except HistoryError as exc:
            _err(str(exc))
            raise typer.Exit(2) from None
    _err(f"deleted {deleted} replies older than {days:g} days from {store.location}")


@history_app.command("stats")
def history_stats(
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable")] = False,
    history: _HistoryOption = None,
    config_path: _ConfigOption = None,
) -> None:
    """How many replies the store holds, for how many brands, over what time, and its size."""
    store, _ = _history_store(history, config_path, create=False)
    with store:
        try:
            stats = store.stats()
        except HistoryError as exc:
            _err(str(exc))
            raise typer.Exit(2) from None
    row = {
        "location": stats.location,
        "replies": stats.replies,
        "brands": stats.brands,
        "oldest": stats.oldest.isoformat() if stats.oldest else None,
        "newest": stats.newest.isoformat() if stats.newest else None,
        "with_text": stats.with_text,
        "size_bytes": stats.size_bytes,
    }
    if as_json:
        sys.stdout.write(json.dumps(row, indent=2) + "\n")
        return
    for key, value in row.items():
        sys.stdout.write(f"{key:<11} {value if value is not None else '-'}\n")


# --- end history -------------------------------------------------------------------------


def _progress(
    items: Iterator[tuple[Record, Report]], enabled: bool | None
) -> Iterator[tuple[Record, Report]]:
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield from items
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.completed} drafts"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("lint", total=None)
        for item in items:
            bar.advance(task)
            yield item


class _Writer:
    """Streams reports in the chosen format."""

    def __init__(self, fmt: OutputFormat, color: bool | None) -> None:
        self.fmt = fmt
        self.count = 0
        self.stats = {"drafts": 0, "flagged": 0, "errors": 0, "fixable": 0}
        self.by_severity = {s: 0 for s in Severity}
        if fmt is OutputFormat.csv:
            import csv

            self._csv = csv.DictWriter(sys.stdout, fieldnames=CSV_COLUMNS, lineterminator="\n")
            self._csv.writeheader()
        if fmt is OutputFormat.json:
            sys.stdout.write("[")
        if fmt is OutputFormat.text:
            from rich.console import Console

            self.console = Console(
                force_terminal=color, no_color=color is False, highlight=False, soft_wrap=True
            )

    def write(self, report: Report) -> None:
        self.stats["drafts"] += 1
        if self.fmt is OutputFormat.jsonl:
            sys.stdout.write(report.model_dump_json() + "\n")
        elif self.fmt is OutputFormat.json:
            sys.stdout.write(("," if self.count else "") + "\n" + report.model_dump_json(indent=2))
        elif self.fmt is OutputFormat.csv:
            for row in csv_rows(report):
                self._csv.writerow(row)
        else:
            self._text(report)
        self.count += 1

    def _text(self, report: Report) -> None:
        from rich.markup import escape

        label = report.id if report.id is not None else f"#{self.stats['drafts']}"
        if report.error:
            self.stats["errors"] += 1
            self.console.print(f"[bold]{escape(label)}[/] [red]input error:[/] {escape(report.error)}")
            return
        if not report.findings:
            return
        self.stats["flagged"] += 1
        self.console.print(f"[bold]{escape(label)}[/] [dim]({report.language})[/]")
        colours = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
        for f in report.findings:
            self.by_severity[f.severity] += 1
            colour = colours[f.severity]
            self.console.print(
                f"  [{colour}]{f.severity.value:<7}[/] [bold]{f.rule}[/] {f.name} [dim]{f.start}-{f.end}[/]"
            )
            self.console.print(f"    {escape(f.message)}")
            if f.excerpt:
                excerpt = f.excerpt if len(f.excerpt) <= 80 else f.excerpt[:77] + "…"
                self.console.print(f"    [dim]│[/] {escape(excerpt)}")
            if f.fix:
                if f.fix.applicability.value == "safe":
                    self.stats["fixable"] += 1
                self.console.print(
                    f"    [green]fix ({f.fix.applicability.value}):[/] {escape(f.fix.description)}"
                )
        if report.fixed_text:
            self.console.print(f"    [green]fixed:[/] {escape(report.fixed_text)}")

    def close(self) -> None:
        if self.fmt is OutputFormat.json:
            sys.stdout.write("\n]\n" if self.count else "]\n")
        elif self.fmt is OutputFormat.text:
            total = sum(self.by_severity.values())
            parts = ", ".join(
                f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in self.by_severity.items() if n
            )
            summary = (
                f"{total} finding{'s' if total != 1 else ''}{f' ({parts})' if parts else ''} in "
                f"{self.stats['flagged']} of {self.stats['drafts']} drafts"
            )
            if self.stats["errors"]:
                summary += f"; {self.stats['errors']} input error{'s' if self.stats['errors'] != 1 else ''}"
            if self.stats["fixable"]:
                summary += f"; {self.stats['fixable']} safe fix{'es' if self.stats['fixable'] != 1 else ''}"
                summary += " available (--fix)"
            self.console.print(f"[bold]{summary}[/]")
        sys.stdout.flush()


@app.command("rules")
def list_rules(
    all_rules_: Annotated[bool, typer.Option("--all", help="include rules not selected by config")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable")] = False,
) -> None:
    """List the rules: code, name, severity, languages, summary."""
    from replylint.registry import all_rules, family

    rules = all_rules()
    if as_json:
        rows = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.default_severity.value,
                "family": family(r.code),
                "languages": sorted(r.languages) if r.languages else None,
                "summary": r.summary,
            }
            for r in rules
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    for r in rules:
        langs = ",".join(sorted(r.languages)) if r.languages else "any"
        sys.stdout.write(f"{r.code}  {r.name:<32} {r.default_severity.value:<8} {langs:<6} {r.summary}\n")


@app.command("rule")
def explain_rule(key: Annotated[str, typer.Argument(help="rule code or name")]) -> None:
    """Explain one rule: its documentation and examples."""
    from replylint.docs import render_rule
    from replylint.registry import lookup

    rule = lookup(key)
    if rule is None:
        _err(f"no rule {key!r}; see `replylint rules`")
        raise typer.Exit(2)
    sys.stdout.write(render_rule(rule))


@app.command()
def schema() -> None:
    """Print the JSON Schema of draft records and results."""
    sys.stdout.write(json.dumps(schema_document(), ensure_ascii=False, indent=2) + "\n")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on; off loopback a token is required")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="TCP port")] = 8080,
    workers: Annotated[int, typer.Option(min=1, help="worker processes, each with its own linter")] = 1,
    config_path: Annotated[
        Path | None, typer.Option("--config", help="replylint.toml or pyproject.toml")
    ] = None,
    log_level: Annotated[str, typer.Option(help="debug, info, warning, error")] = "info",
    access_log: Annotated[
        bool, typer.Option("--access-log/--no-access-log", help="one line a request")
    ] = True,
) -> None:
    """Run the pre-send HTTP hook (needs the extra: pip install 'replylint[server]')."""
    try:
        from replylint.server import serve as run_server
    except ImportError as exc:
        if exc.name and exc.name.split(".")[0] in {"fastapi", "starlette", "uvicorn"}:
            _err(f"`serve` needs the server extra: pip install 'replylint[server]' ({exc.name} is missing)")
            raise typer.Exit(2) from None
        raise
    try:
        run_server(host, port, workers, config_path, log_level, access_log)
    except ConfigError as exc:
        _err(str(exc))
        raise typer.Exit(2) from None


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # `replylint check ... | head`
        sys.stderr.close()
        sys.exit(1)
