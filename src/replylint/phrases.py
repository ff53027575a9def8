"""Phrase data: what each rule looks for, per language, as data files.

A rule's phrases live in ``rules/<lang>/<rule-name>.toml`` inside the package, so
a new French phrase or a third language is a data change, not a code change::

    # rules/en/deflection.toml
    [lists.not_us]
    about = "the account says it is not the customer service"
    phrases = ["we(?: are|'re) not (?:the )?customer service", "this account can'?t help"]

    [templates]
    ownership = "I'm on it: let's sort this out together here."

Phrases are regular-expression fragments matched on the *folded* text (see
``replylint.text``): write them in lower case; accents and typographic
apostrophes are folded on load, so "désolé" also matches "desole" and "DÉSOLÉ".
Each list compiles to one alternation bounded by word edges. Keep fragments
linear (no nested quantifiers): drafts come from untrusted input.

Users add phrases through config (``[tool.replylint.phrases.<rule>.<lang>]``);
the data models forbid unknown keys so a typo fails loudly.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

from replylint.alternation import WordSearch, bounded_alternation, letter_forms, spread
from replylint.models import Applicability, Fix
from replylint.text import fold_char_map

DATA_PACKAGE = "replylint.rules"


class PhraseListData(BaseModel):
    model_config = ConfigDict(extra="forbid")

    about: str = ""
    phrases: list[str] = Field(default_factory=list)


class RuleData(BaseModel):
    """The content of one ``rules/<lang>/<rule>.toml`` file."""

    model_config = ConfigDict(extra="forbid")

    lists: dict[str, PhraseListData] = Field(default_factory=dict)
    templates: dict[str, str] = Field(default_factory=dict)
    words: dict[str, list[str]] = Field(default_factory=dict)


class LanguageData(BaseModel):
    """``rules/<lang>/language.toml``: what identifies the language."""

    model_config = ConfigDict(extra="forbid")

    name: str
    stopwords: list[str]
    markers: str = Field(default="", description="characters typical of the language")


@dataclass(slots=True)
class Hit:
    """A phrase match, in folded offsets, with the phrase that produced it (the evidence).

    Read-only by convention, not frozen: a frozen dataclass sets each field through
    ``object.__setattr__``, which made building one 4x dearer (0.50 against 0.13 µs, compiled),
    and the per-draft value objects (this, ``Folded``, the privacy rules' items) are built
    several times a draft. Nothing hashes them.
    """

    start: int
    end: int
    phrase: str
    list_name: str


_PHRASE_MEMO_SIZE = 4096


def needles(strings: Iterable[str]) -> tuple[str, ...]:
    """The strings none of the others is a substring of, sorted: a text holds one of ``strings``
    exactly when it holds one of these, so a prefilter of substring tests looks for them only."""
    distinct = set(strings)
    return tuple(sorted(s for s in distinct if not any(o != s and o in s for o in distinct)))


_ESCAPE_OR_TEXT = re.compile(r"\\.|[^\\]+", re.DOTALL)


def fold_pattern(fragment: str) -> str:
    """Fold the literal parts of a regex fragment, leaving escapes such as ``\\S`` untouched."""
    return _ESCAPE_OR_TEXT.sub(
        lambda m: m.group() if m.group().startswith("\\") else fold_char_map(m.group()), fragment
    )


class PhraseList:
    """One compiled list: a single alternation over folded text, word-bounded."""

    __slots__ = ("_each", "_forms", "_phrase_of", "_regex", "_word_search", "name", "phrases", "source")

    def __init__(self, name: str, phrases: Sequence[str], source: str) -> None:
        self.name = name
        self.source = source
        self.phrases = tuple(dict.fromkeys(fold_pattern(p) for p in phrases if p.strip()))
        for phrase in self.phrases:
            if phrase != phrase.strip():
                # the list is word-bounded: white space at an edge makes the phrase (almost) never match
                raise ValueError(f"{source}: phrase {phrase!r} in list {name!r} has white space at an edge")
            try:
                re.compile(phrase)
            except re.error as exc:
                raise ValueError(f"{source}: bad phrase {phrase!r} in list {name!r}: {exc}") from exc
        # Each phrase may spread into several equivalent forms; the evidence names the phrase.
        self._forms = [(form, phrase) for phrase in self.phrases for form in spread(phrase)]
        self._regex = re.compile(bounded_alternation([form for form, _ in self._forms]))
        self._each: tuple[tuple[re.Pattern[str], str], ...] | None = None
        #: matched text -> phrase: the same words match again and again ("sorry", "dm us")
        self._phrase_of: dict[str, str] = {}
        self._word_search: WordSearch | None = None

    def __bool__(self) -> bool:
        return bool(self.phrases)

    @property
    def regex(self) -> re.Pattern[str]:
        """The list's compiled alternation, for checks that only need where it matches: a
        ``Hit`` also names the phrase that matched, and building one costs more than many
        window scans (~4,000 instructions)."""
        return self._regex

    @property
    def word_search(self) -> WordSearch:
        """The list as a ``WordSearch`` of its ``letter_forms``: the same matches as ``regex``
        (property-tested for every bundled list), found faster where the list's phrases start
        with common letters, a lookbehind or an optional word ("(?:please )?call", "(?<!\\d)pm"):
        ``regex`` then tries them at every position, the search skips ahead to word starts.
        Built on first use."""
        if self._word_search is None:
            self._word_search = WordSearch([form for phrase in self.phrases for form in letter_forms(phrase)])
        return self._word_search

    def finditer(self, folded: str, pos: int = 0, endpos: int | None = None) -> Iterator[Hit]:
        end = len(folded) if endpos is None else endpos
        for match in self._regex.finditer(folded, pos, end):
            yield Hit(match.start(), match.end(), self._which(match.group()), self.name)

    def search(self, folded: str, pos: int = 0, endpos: int | None = None) -> Hit | None:
        """The first hit, or ``None`` (one regex call: rules search windows many times a draft)."""
        match = self._regex.search(folded, pos, len(folded) if endpos is None else endpos)
        if match is None:
            return None
        return Hit(match.start(), match.end(), self._which(match.group()), self.name)

    def search_words(self, folded: str, pos: int = 0, endpos: int | None = None) -> Hit | None:
        """``search``'s hit, found through ``word_search``: sooner over a whole message (a
        complaint list over a customer's message: 10-16 µs by the regex, 9 by the word search),
        later over a short window (two regex calls instead of one)."""
        found = self.word_search.search(folded, pos, len(folded) if endpos is None else endpos)
        if found is None:
            return None
        start, match = found
        end = match.end()
        return Hit(start, end, self._which(folded[start:end]), self.name)

    def _which(self, matched: str) -> str:
        """The phrase that matched (only computed on a hit, so the hot path stays one regex)."""
        phrase = self._phrase_of.get(matched)
        if phrase is not None:
            return phrase
        if self._each is None:
            self._each = tuple((re.compile(form), phrase) for form, phrase in self._forms)
        phrase = next((phrase for regex, phrase in self._each if regex.fullmatch(matched)), matched)
        if len(self._phrase_of) < _PHRASE_MEMO_SIZE:  # bounded: matched texts come from drafts
            self._phrase_of[matched] = phrase
        return phrase


class PhraseBook:
    """The compiled phrase data of one rule in one language."""

    def __init__(
        self, rule: str, language: str, data: RuleData, source: str, extended: frozenset[str] = frozenset()
    ) -> None:
        self.rule = rule
        self.language = language
        self.source = source
        #: lists the config adds phrases to (data derived from the bundled phrases may not hold for them)
        self.extended = extended
        self.templates = data.templates
        self._manual_fixes: dict[str, Fix] = {}
        self.words = {k: frozenset(fold_char_map(w) for w in v) for k, v in data.words.items()}
        self._lists = {
            name: PhraseList(name, entry.phrases, f"{source}:{name}") for name, entry in data.lists.items()
        }

    def __getitem__(self, name: str) -> PhraseList:
        try:
            return self._lists[name]
        except KeyError:
            # An empty list, so a language that lacks a list simply never matches it.
            empty = PhraseList(name, (), f"{self.source}:{name}")
            self._lists[name] = empty
            return empty

    def list_names(self) -> list[str]:
        return list(self._lists)

    def template(self, name: str, **values: str) -> str:
        template = self.templates.get(name)
        if template is None:
            raise KeyError(f"{self.source}: no template {name!r}")
        return template.format(**values)

    def manual_fix(self, template: str) -> Fix:
        """A manual fix whose advice is ``[templates] <template>``; built once per book and shared
        (frequent findings reuse it; nothing mutates a Fix in place)."""
        fix = self._manual_fixes.get(template)
        if fix is None:
            fix = Fix(applicability=Applicability.MANUAL, description=self.template(template))
            self._manual_fixes[template] = fix
        return fix


def available_languages() -> tuple[str, ...]:
    """Languages with a ``language.toml`` under ``rules/``."""
    return _available_languages()


@cache
def _available_languages() -> tuple[str, ...]:
    root = resources.files(DATA_PACKAGE)
    return tuple(
        sorted(
            entry.name
            for entry in root.iterdir()
            if entry.is_dir() and entry.joinpath("language.toml").is_file()
        )
    )


@cache
def language_data(language: str) -> LanguageData:
    raw = _read_toml(f"{language}/language.toml")
    if raw is None:
        raise ValueError(f"unknown language {language!r}")
    return LanguageData.model_validate(raw)


@cache
def _bundled(rule: str, language: str) -> RuleData:
    raw = _read_toml(f"{language}/{rule}.toml")
    return RuleData.model_validate(raw or {})


def _read_toml(relative: str) -> dict[str, object] | None:
    path = resources.files(DATA_PACKAGE).joinpath(relative)
    if not path.is_file():
        return None
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"rules/{relative}: {exc}") from exc


def build_book(rule: str, language: str, extra: Mapping[str, Sequence[str]] | None = None) -> PhraseBook:
    """Bundled data for ``rule`` in ``language``, plus phrases the user added per list."""
    data = _bundled(rule, language)
    if extra:
        lists = dict(data.lists)
        for name, phrases in extra.items():
            base = lists.get(name, PhraseListData())
            lists[name] = PhraseListData(about=base.about, phrases=[*base.phrases, *phrases])
        data = data.model_copy(update={"lists": lists})
    return PhraseBook(rule, language, data, f"{language}/{rule}.toml", frozenset(extra or ()))
