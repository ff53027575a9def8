"""The NLP engine behind an interface, one spaCy pipeline per language, loaded lazily.

Most rules work on the folded text with compiled phrase lists (microseconds a
draft); spaCy is kept for what needs real tokenisation, such as cutting a long
reply into sentences without breaking URLs, handles or abbreviations. Building a
pipeline costs up to a few seconds (spaCy's French tables), so it happens on
first use, once per language, under a lock so one ``Linter`` can be shared
between threads. No trained model is downloaded: blank pipelines ship in spaCy.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from replylint.text import sentence_spans

#: A run of non-space characters longer than any word, handle or URL worth tokenising.
_LONG_RUN = re.compile(r"\S{200}")


class NlpEngine(Protocol):
    def sentences(self, texts: Iterable[str], language: str) -> Iterator[list[tuple[int, int]]]:
        """Sentence spans (code-point offsets) of each text, in order."""
        ...


class SpacyEngine:
    """spaCy blank pipeline + sentencizer per language."""

    def __init__(self, batch_size: int = 256) -> None:
        self.batch_size = batch_size
        self._pipelines: dict[str, Any] = {}
        self._lock = threading.Lock()

    def pipeline(self, language: str) -> Any:
        nlp = self._pipelines.get(language)
        if nlp is None:
            with self._lock:
                nlp = self._pipelines.get(language)
                if nlp is None:
                    import spacy

                    nlp = spacy.blank(language)
                    nlp.add_pipe("sentencizer")
                    self._pipelines[language] = nlp
        return nlp

    def sentences(self, texts: Iterable[str], language: str) -> Iterator[list[tuple[int, int]]]:
        texts = list(texts)
        # spaCy's affix splitting is quadratic in the length of a space-free run ("{{{{…",
        # "!?!?…"): such texts, which are not prose anyway, get the regex splitter instead.
        safe = [i for i, t in enumerate(texts) if not _LONG_RUN.search(t)]
        results: dict[int, list[tuple[int, int]]] = {}
        if safe:
            nlp = self.pipeline(language)
            for i, doc in zip(
                safe, nlp.pipe((texts[i] for i in safe), batch_size=self.batch_size), strict=True
            ):
                results[i] = [(s.start_char, s.end_char) for s in doc.sents if s.text.strip()]
        for i, text in enumerate(texts):
            yield results[i] if i in results else sentence_spans(text)
