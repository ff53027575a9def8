"""The cue-word prefilter (replylint.rules._cues): its one regex search answers exactly what
the set of the draft's words answers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from replylint.rules._cues import _EDGE, _has_cue

_PIECES = ["dm", "dms", "mp", "lol", "/s", "t&c", "re-read", "…", "é", "x", "-", ".", "(", "'", '"', "/"]
_SPACES = [" ", "\n", "\t", "\xa0", "\u2028", "\x1c", "\x85", "\u3000"]


def _word_set_says(cues: frozenset[str], text: str) -> bool:
    """The definition: a cue is a token of the text, or a token with its edge punctuation stripped."""
    tokens = text.split()
    return not cues.isdisjoint([*tokens, *(t.strip(_EDGE) for t in tokens)])


_CUES = st.frozensets(st.one_of(st.sampled_from([*_PIECES, "", "a b"]), st.text(max_size=4)), max_size=6)
_PIECE = st.one_of(st.sampled_from(_PIECES + _SPACES), st.text(max_size=3))
_TEXTS = st.lists(_PIECE, max_size=16).map("".join)


@given(cues=_CUES, text=_TEXTS)
@settings(max_examples=3000, deadline=None)
def test_cue_test_equals_the_word_set(cues: frozenset[str], text: str) -> None:
    assert _has_cue(cues, text) is _word_set_says(cues, text), (cues, text)
