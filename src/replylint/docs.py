"""Render each rule's documentation page from the rule itself.

``python -m replylint.docs docs/rules`` rewrites ``docs/rules/*.md``; a test fails
when a committed page is out of date, so the docs cannot drift from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

from replylint.registry import all_rules, family
from replylint.rule import Rule


def render_rule(rule: type[Rule]) -> str:
    langs = ", ".join(sorted(rule.languages)) if rule.languages else "any"
    lines = [
        f"# {rule.name} ({rule.code})",
        "",
        f"*{rule.summary}*",
        "",
        f"- Family: {family(rule.code)}",
        f"- Default severity: {rule.default_severity.value}",
        f"- Languages: {langs}",
        "",
        rule.doc(),
        "",
        "## Examples",
        "",
    ]
    for example in rule.examples:
        verdict = "Flagged" if example.fires else "Not flagged"
        context = {k: v for k, v in example.context.items()}
        lines.append(f"- **{verdict}**: `{example.text}`")
        if context:
            lines.append(f"  - with {context}")
        if example.note:
            lines.append(f"  - {example.note}")
    return "\n".join(lines).rstrip() + "\n"


def render_index() -> str:
    lines = [
        "# Rules",
        "",
        "| code | name | severity | languages | what it catches |",
        "|---|---|---|---|---|",
    ]
    for rule in all_rules():
        langs = ", ".join(sorted(rule.languages)) if rule.languages else "any"
        summary = rule.summary.replace("|", "\\|")
        link = f"[{rule.name}]({rule.name}.md)"
        lines.append(f"| {rule.code} | {link} | {rule.default_severity.value} | {langs} | {summary} |")
    return "\n".join(lines) + "\n"


def pages() -> dict[str, str]:
    out = {f"{rule.name}.md": render_rule(rule) for rule in all_rules()}
    out["README.md"] = render_index()
    return out


def main(argv: list[str] | None = None) -> int:
    target = Path((argv or sys.argv[1:] or ["docs/rules"])[0])
    target.mkdir(parents=True, exist_ok=True)
    for name, content in pages().items():
        (target / name).write_text(content, encoding="utf-8")
    print(f"wrote {len(pages())} pages to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
