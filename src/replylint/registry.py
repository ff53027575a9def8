"""The table of rule codes, rule discovery and selection.

Codes are stable and grouped in families by prefix; the families below are the
one table a new rule's code must fit. Rules themselves are *discovered*: every
module of ``replylint.rules`` and every ``replylint.rules`` entry point is
scanned for ``Rule`` subclasses, so no dispatch list has to be edited.

Selection follows ruff: ``select`` and ``ignore`` take codes, code prefixes or
rule names; the most specific entry wins, and ``ignore`` beats ``select`` on a tie.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from functools import cache
from importlib.metadata import entry_points

from replylint.rule import Rule

#: Code families. A rule's code is ``RL`` + its family digit + two digits.
FAMILIES: dict[str, str] = {
    "RL0": "form",
    "RL1": "privacy",
    "RL2": "conversation",
    "RL3": "personal touch",
    "RL4": "history",
}

#: Renamed or renumbered rules: old code or name -> current code. Kept forever.
REDIRECTS: dict[str, str] = {}

ENTRY_POINT_GROUP = "replylint.rules"


@cache
def all_rules() -> tuple[type[Rule], ...]:
    """Every known rule class, sorted by code. Raises on duplicate codes or names."""
    import replylint.rules as package

    found: dict[str, type[Rule]] = {}
    modules = [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
    ]
    candidates: list[type[Rule]] = []
    for module in modules:
        candidates.extend(_rule_classes(vars(module).values(), module.__name__))
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        loaded = entry.load()  # a Rule subclass, or a module of them
        if isinstance(loaded, type):
            candidates.extend(_rule_classes([loaded], loaded.__module__))
        else:
            candidates.extend(_rule_classes(vars(loaded).values(), loaded.__name__))
    names: dict[str, str] = {}
    for rule in candidates:
        if rule.code in found and found[rule.code] is not rule:
            raise ValueError(f"duplicate rule code {rule.code}: {found[rule.code].name} and {rule.name}")
        if rule.name in names and names[rule.name] != rule.code:
            raise ValueError(f"duplicate rule name {rule.name}: {names[rule.name]} and {rule.code}")
        found[rule.code] = rule
        names[rule.name] = rule.code
    return tuple(sorted(found.values(), key=lambda r: r.code))


def _rule_classes(objects: Iterable[object], module: str) -> list[type[Rule]]:
    """Concrete rule classes defined in ``module`` (not ones it merely imports)."""
    return [
        obj
        for obj in objects
        if isinstance(obj, type)
        and issubclass(obj, Rule)
        and obj.__module__ == module
        and "code" in vars(obj)
    ]


def family(code: str) -> str:
    return FAMILIES.get(code[:3], "other")


def lookup(key: str) -> type[Rule] | None:
    """A rule by code or name (case-insensitive), following redirects."""
    wanted = REDIRECTS.get(key, key).lower()
    for rule in all_rules():
        if wanted in (rule.code.lower(), rule.name):
            return rule
    return None


def _specificity(selector: str, rule: type[Rule]) -> int:
    """How precisely ``selector`` names ``rule``: -1 no match; a name counts as a full code."""
    selector = REDIRECTS.get(selector, selector)
    if selector.lower() == rule.name:
        return len(rule.code)
    if selector.upper() == "ALL":
        return 0
    if rule.code.upper().startswith(selector.upper()):
        return len(selector)
    return -1


def matches(selector: str, rule: type[Rule]) -> bool:
    """Whether a code, code prefix or name designates ``rule``."""
    return _specificity(selector, rule) >= 0


def is_selected(rule: type[Rule], select: Iterable[str], ignore: Iterable[str]) -> bool:
    best_select = max((_specificity(s, rule) for s in select), default=-1)
    best_ignore = max((_specificity(s, rule) for s in ignore), default=-1)
    return best_select >= 0 and best_select > best_ignore


def unknown_selectors(selectors: Iterable[str]) -> list[str]:
    """Selectors that match no rule: reported, as ruff does, rather than silently ignored."""
    rules = all_rules()
    return [s for s in selectors if not any(_specificity(s, r) >= 0 for r in rules)]
