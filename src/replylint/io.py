"""Reading draft records from files and writing results.

Every input record yields exactly one ``Record`` — a usable mapping, or an
error naming where it was (``line 3``, ``item 2``, ``row 5``) — so the CLI can
give every record an output and never drop or reorder one.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from replylint.models import Report

InputFormat = Literal["auto", "jsonl", "json", "csv"]


class InputError(ValueError):
    """The whole input is unusable (unreadable file, invalid JSON document)."""


@dataclass
class Record:
    ref: str  # where the record is: "line 3", "item 2", "row 5"
    data: dict[str, Any] | None = None
    error: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)  # as read, to write fixed drafts back

    @property
    def id(self) -> str | None:
        value = (self.data or self.raw).get("id")
        return None if value in (None, "") else str(value)


def detect_format(path: str, head: bytes) -> InputFormat:
    suffix = Path(path).suffix.lower()
    if suffix in {".jsonl", ".ndjson"}:
        return "jsonl"
    if suffix == ".json":
        return "json"
    if suffix in {".csv", ".tsv"}:
        return "csv"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"["):
        return "json"
    if stripped.startswith(b"{"):
        return "jsonl"
    return "csv"


def open_input(path: str) -> IO[bytes]:
    if path == "-":
        import sys

        return sys.stdin.buffer
    try:
        return open(path, "rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc.strerror or exc}") from exc


def read_records(
    path: str,
    input_format: InputFormat = "auto",
    text_column: str = "text",
    id_column: str = "id",
) -> tuple[InputFormat, Iterator[Record]]:
    """The detected format and a stream of records from ``path`` (``-`` = stdin)."""
    stream = open_input(path)
    peek = getattr(stream, "peek", None)  # files and stdin are buffered: look without consuming
    head: bytes = peek(2048)[:2048] if peek else b""
    fmt: InputFormat = detect_format(path, head) if input_format == "auto" else input_format
    if fmt == "jsonl":
        return fmt, _jsonl(stream)
    if fmt == "json":
        return fmt, _json(stream, path)
    return fmt, _csv(stream, path, text_column, id_column)


def _jsonl(stream: IO[bytes]) -> Iterator[Record]:
    for number, raw_line in enumerate(stream, start=1):
        ref = f"line {number}"
        try:
            line = raw_line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Record(ref, error=f"not valid UTF-8 (byte {exc.start})")
            continue
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Record(ref, error=f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        yield _record(ref, value)


def _json(stream: IO[bytes], path: str) -> Iterator[Record]:
    try:
        document = json.loads(stream.read().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid UTF-8 (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from exc
    items = document if isinstance(document, list) else [document]
    for number, value in enumerate(items, start=1):
        yield _record(f"item {number}", value)


def _record(ref: str, value: Any) -> Record:
    if not isinstance(value, dict):
        return Record(ref, error=f"expected a JSON object, got {type(value).__name__}")
    return Record(ref, data=value, raw=value)


def _csv(stream: IO[bytes], path: str, text_column: str, id_column: str) -> Iterator[Record]:
    try:
        text = stream.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid UTF-8 (byte {exc.start})") from exc
    dialect: type[csv.Dialect] = csv.excel_tab if path.endswith(".tsv") else csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    if reader.fieldnames is None:
        return
    if text_column not in reader.fieldnames:
        raise InputError(
            f"{path}: no column {text_column!r} (columns: {', '.join(reader.fieldnames)}); use --text-column"
        )
    for number, row in enumerate(reader, start=2):  # row 1 is the header
        raw = {k: v for k, v in row.items() if k is not None}
        if None in row:
            yield Record(f"row {number}", error="more fields than header columns", raw=raw)
            continue
        yield Record(f"row {number}", data=_nest(raw, text_column, id_column), raw=raw)


#: CSV columns that name a nested draft field with an underscore instead of a dot.
_FLAT_PREFIXES = ("customer", "brand", "agent", "inbound")


def _nest(row: dict[str, str], text_column: str, id_column: str) -> dict[str, Any]:
    """Map CSV columns onto the draft record: ``customer.name`` or ``customer_name`` -> nested."""
    record: dict[str, Any] = {}
    for column, value in row.items():
        if value == "" or value is None:
            continue
        if column == text_column:
            key = "text"
        elif column == id_column:
            key = "id"
        else:
            key = column.strip()
        head, sep, tail = key.partition(".")
        if not sep:
            for prefix in _FLAT_PREFIXES:
                if key.startswith(prefix + "_"):
                    head, sep, tail = prefix, ".", key[len(prefix) + 1 :]
                    break
        if sep and head in _FLAT_PREFIXES:
            record.setdefault(head, {})[tail] = _scalar(value)
        else:
            record[key] = value
    return record


def _scalar(value: str) -> Any:
    lowered = value.strip().lower()
    if lowered in {"true", "yes", "1"}:
        return True
    if lowered in {"false", "no", "0"}:
        return False
    if lowered in {"null", "none", "unknown"}:
        return None
    return value


# --- writing ----------------------------------------------------------------------------

CSV_COLUMNS = [
    "id",
    "language",
    "error",
    "rule",
    "name",
    "severity",
    "start",
    "end",
    "message",
    "excerpt",
    "fix_applicability",
    "fix_description",
]


def csv_rows(report: Report) -> Iterator[dict[str, Any]]:
    """One row per finding; a draft with none (or an error) still gets one row."""
    base = {"id": report.id, "language": report.language, "error": report.error}
    if not report.findings:
        yield base
    for f in report.findings:
        yield {
            **base,
            "rule": f.rule,
            "name": f.name,
            "severity": f.severity.value,
            "start": f.start,
            "end": f.end,
            "message": f.message,
            "excerpt": f.excerpt,
            "fix_applicability": f.fix.applicability.value if f.fix else None,
            "fix_description": f.fix.description if f.fix else None,
        }


def write_fixed(
    records: Iterable[tuple[Record, str | None]],
    fmt: InputFormat,
    target: str,
    text_column: str = "text",
) -> int:
    """Write every record back, with its text fixed where a fix applied; atomically. Returns #fixed."""
    fixed = 0
    rows: list[dict[str, Any]] = []
    for record, new_text in records:
        row = dict(record.raw)
        if new_text is not None and record.error is None:
            row[text_column if fmt == "csv" else "text"] = new_text
            fixed += 1
        rows.append(row)
    if fmt == "csv":
        buffer = io.StringIO(newline="")
        columns = list(dict.fromkeys(k for row in rows for k in row))
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        payload = buffer.getvalue()
    elif fmt == "json":
        payload = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    else:
        payload = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    atomic_write(target, payload)
    return fixed


def atomic_write(target: str, payload: str) -> None:
    """Write via a temporary file in the same folder and rename: never a half-written file."""
    if target == "-":
        import sys

        sys.stdout.write(payload)
        return
    folder = os.path.dirname(os.path.abspath(target))
    fd, tmp = tempfile.mkstemp(prefix=".replylint-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(payload)
        if os.path.exists(target):
            os.chmod(tmp, os.stat(target).st_mode & 0o777)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
