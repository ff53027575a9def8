"""Properties that hold for any text: no crash, spans inside the text, fixes never overlap,
and re-checking the safe-fixed text never reports the same finding at the fixed place."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replylint import Applicability, Linter
from replylint.fixes import compatible_fixes
from replylint.text import fold

LINTER = Linter()

# Text built from pieces that trigger rules, mixed with arbitrary Unicode (emoji, accents,
# zero-width and full-width characters, combining marks).
PIECES = st.sampled_from(
    [
        "@marie ",
        "@james_b ",
        "Bonjour ",
        "Hi ",
        "{{first_name}}",
        "[NOM]",
        "XXX",
        "%NAME%",
        "désolé ",
        "sorry ",
        "DM us ",
        "envoyez-nous un MP ",
        "votre email ",
        "your email address ",
        "06 12 34 56 78 ",
        "jane@example.com ",
        "https://example.com/a ",
        "👨‍👩‍👧 ",
        "🇫🇷 ",
        "\u200b",
        "Ｅｍａｉｌ ",
        "e\u0301 ",
        "! ",
        "?? ",
        "\n",
        "^JD",
        " - Mike",
        "please call our hotline ",
        "we are not the customer service ",
        "ce compte n'est pas le SAV ",
    ]
)
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=25).map("".join)
CONTEXT = st.fixed_dictionaries(
    {},
    optional={
        "language": st.sampled_from(["fr", "en", None]),
        "customer": st.fixed_dictionaries({"name": st.sampled_from(["Marie Dupont", "James", "Zoé Ä"])}),
        "agent": st.fixed_dictionaries({"name": st.sampled_from(["Julie Martin", "Jo"])}),
        "inbound": st.fixed_dictionaries({"text": TEXTS}),
        "brand": st.fixed_dictionaries(
            {"follows_customer": st.sampled_from([True, False, None]), "user_id": st.just("42")}
        ),
        "channel": st.sampled_from(["public", "private"]),
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, context=CONTEXT)
def test_any_text_is_linted_with_sound_spans_and_fixes(text: str, context: dict[str, object]) -> None:
    report = LINTER.check({"text": text, **context})
    if not text.strip():
        assert report.error
        return
    assert report.error is None
    for finding in report.findings:
        assert 0 <= finding.start <= finding.end <= len(text)
        assert finding.excerpt == text[finding.start : finding.end]
        if finding.fix:
            for edit in finding.fix.edits:
                assert 0 <= edit.start <= edit.end <= len(text)
    chosen = compatible_fixes(
        [f for f in report.findings if f.fix and f.fix.applicability is Applicability.SAFE]
    )
    edits = sorted((e.start, e.end) for f in chosen if f.fix for e in f.fix.edits)
    for (_, end_a), (start_b, _) in itertools.pairwise(edits):
        assert end_a <= start_b
    if report.fixed_text is not None:
        again = LINTER.check({"text": report.fixed_text, **context})
        fixed_names = {f.name for f in chosen}
        for finding in again.findings:
            if (
                finding.name in fixed_names
                and finding.fix
                and finding.fix.applicability is Applicability.SAFE
            ):
                # the fixed place must not be reported again with the same safe fix
                assert (finding.name, finding.excerpt) not in {(f.name, f.excerpt) for f in chosen}


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60))
def test_folded_offsets_are_monotonic_and_in_range(text: str) -> None:
    folded = fold(text)
    previous = 0
    for i in range(len(folded.text) + 1):
        original = folded.to_original(i)
        assert previous <= original <= len(text)
        previous = original


SLOTS = ["{{first_name}}", "{prénom}", "[NOM]", "[maj]", "<customer>", "<3", "%NAME%", "__AGENT__", "$NAME"]
SLOT_PIECES = st.sampled_from(
    [
        *SLOTS,
        "XXX",
        "aXXX",
        "/XXXX",
        "{",
        "}",
        "[",
        "]",
        "<",
        ">",
        "%",
        "_",
        "$",
        "X",
        " ",
        "a",
        "é",
        "\n",
        "1",
    ]
)


@given(st.lists(SLOT_PIECES, max_size=14).map("".join))
def test_placeholder_scan_from_slot_starts_finds_what_the_plain_scan_finds(text: str) -> None:
    from replylint.rules.unfilled_placeholder import _SLOT, _slots

    assert [m.span() for m in _slots(text)] == [m.span() for m in _SLOT.finditer(text)]


EMOJI_BITS = ["a", " ", "é", "€", "→", "日本", "©", "®", "1", "#", "\u20e3", "\ufe0f", "\u200d", "™", "‼"]
EMOJI_PIECES = st.sampled_from(
    [*EMOJI_BITS, "🙂", "👍🏽", "👩\u200d💻", "🇫🇷", "1\ufe0f\u20e3", "❤\ufe0f", "☕", "😡", "🏳\ufe0f\u200d🌈"]
)


@given(st.lists(EMOJI_PIECES, max_size=12).map("".join))
def test_emoji_spans_skip_only_chunks_no_emoji_can_be_found_in(chunk: str) -> None:
    import emoji

    from replylint.length import _emoji_spans

    assert _emoji_spans(chunk) == [(e["match_start"], e["match_end"]) for e in emoji.emoji_list(chunk)]


URL_BITS = ["https://", "http://", "www.", "WWW.", "example", ".com", ".COM", ".fr", ".help", "t.co/x"]
URL_AROUND = ["a", " ", ".", ":", "//", "@", "-", "e.g.", "3.5", "acme.store/p?id=1", "\n", "\u00a0", "\t"]
URL_PIECES = st.sampled_from(
    [*URL_BITS, *URL_AROUND, "\u2003", "<", '"', "(", ")", "x.co", "foo.community", "Www.", "/a"]
)


@settings(max_examples=400)
@given(st.lists(URL_PIECES, max_size=20).map("".join))
def test_url_hint_never_hides_a_url(text: str) -> None:
    """``urls`` scans only the tokens holding a hint: it finds exactly what ``URL.finditer`` finds."""
    from replylint.text import URL, urls

    assert [m.span() for m in urls(text)] == [m.span() for m in URL.finditer(text)]


#: Pieces near each of the hint's forms: "w"s before a dot, dots before letters (and the
#: non-ASCII letters that IGNORECASE matches to ASCII ones), dots ending sentences.
HINT_PIECES = st.sampled_from(
    [
        *URL_BITS,
        *URL_AROUND,
        "w",
        "W",
        "ww.",
        "wW",
        ".c",
        ". ",
        "..",
        ":/",
        "\u017fhop",  # "shop", "io", "it" as IGNORECASE reads them
        "\u0131o",
        "\u0130t",
        "\u212a",
        "é",
    ]
)


@settings(max_examples=600)
@given(st.lists(HINT_PIECES, max_size=16).map("".join), st.integers(0, 12))
def test_url_hint_equals_the_regex_search(text: str, pos: int) -> None:
    """``url_hint`` skips the regex only where it could find nothing."""
    from replylint.text import URL_HINT, url_hint

    found, expected = url_hint(text, pos), URL_HINT.search(text, pos)
    assert (found and found.span()) == (expected and expected.span())
