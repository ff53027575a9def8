"""Everything a rule may ask about one draft, computed once and only when asked."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from replylint.length import Measure, measure
from replylint.models import Draft
from replylint.phrases import PhraseBook
from replylint.text import Folded, fold, leading_mentions_end, sentence_spans

if TYPE_CHECKING:
    from replylint.config import Config
    from replylint.engine import Resources


_T = TypeVar("_T")


class cached_property(Generic[_T]):  # a drop-in for functools.cached_property
    """``functools.cached_property`` without its lock.

    On Python 3.11 the standard one takes a lock shared by every instance on each first access
    (~1 µs, and contended between server threads); a context belongs to one draft checked by
    one thread, so the lock buys nothing here (Python 3.12 dropped it for the same reason).
    """

    def __init__(self, func: Callable[[Any], _T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> _T:
        if instance is None:
            return self  # type: ignore[return-value]  # class access, as functools does
        value = instance.__dict__[self.name] = self.func(instance)
        return value


class Context:
    """One draft as the rules see it.

    ``text`` is the text being checked: the draft's, or during the fix loop's re-checks the
    draft with fixes applied (``draft.text`` stays the original then, so rules read ``text``).
    ``folded`` is the matching view (see ``replylint.text``). Properties are cached: a rule
    that never asks for sentences costs nothing for them.
    """

    def __init__(self, draft: Draft, language: str, resources: Resources, text: str | None = None) -> None:
        self.draft = draft
        self.text = draft.text if text is None else text
        self.language = language
        self.resources = resources
        self._books = resources.books(language)
        self._nlp_sentences: dict[str, list[tuple[int, int]]] = {}
        #: Per-draft scratch space for rules (e.g. a measurement made in ``prepare`` reused in ``check``).
        self.memo: dict[str, Any] = {}

    @property
    def config(self) -> Config:
        return self.resources.config

    @property
    def public(self) -> bool:
        return self.draft.channel == "public"

    @cached_property
    def folded(self) -> Folded:
        return fold(self.text)

    @cached_property
    def measure(self) -> Measure | None:
        """The whole draft's length on its platform (``None``: no known limit). over-length
        reports it; the rules whose fixes add text check that the result still fits."""
        return measure(self.text, self.draft.platform, self.resources.limits)

    @cached_property
    def body_start(self) -> int:
        """Where the reply's own words start, after the leading @mentions X puts on replies."""
        return leading_mentions_end(self.text)

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """Cheap sentence spans of the body (regex on punctuation and line breaks)."""
        return sentence_spans(self.text, self.body_start)

    def nlp_sentences(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans of ``text`` from the NLP engine (spaCy): slower, token-aware.

        ``Rule.prepare`` may have computed them for a whole batch already (see ``prefetch``).
        """
        spans = self._nlp_sentences.get(text)
        if spans is None:
            spans = next(iter(self.resources.nlp.sentences([text], self.language)))
            self._nlp_sentences[text] = spans
        return spans

    @staticmethod
    def prefetch_sentences(requests: list[tuple[Context, str]]) -> None:
        """Run the NLP engine once per language over many (context, text) pairs."""
        by_language: dict[str, list[tuple[Context, str]]] = {}
        for ctx, text in requests:
            by_language.setdefault(ctx.language, []).append((ctx, text))
        for language, pairs in by_language.items():
            nlp = pairs[0][0].resources.nlp
            results = nlp.sentences((text for _, text in pairs), language)
            for (ctx, text), spans in zip(pairs, results, strict=True):
                ctx._nlp_sentences[text] = spans

    @cached_property
    def inbound(self) -> Folded | None:
        """The customer's message, folded; ``None`` when the helpdesk did not send it."""
        inbound = self.draft.inbound
        return fold(inbound.text) if inbound and inbound.text else None

    def book(self, rule: str) -> PhraseBook:
        """Phrase data of ``rule`` in the draft's language (bundled + config)."""
        book = self._books.get(rule)
        return book if book is not None else self.resources.book(rule, self.language)

    def span(self, folded_start: int, folded_end: int) -> tuple[int, int]:
        """Original offsets of a span of ``folded``."""
        return self.folded.span(folded_start, folded_end)
