"""Property tests (hypothesis) for the pipeline's contracts, on any input.

Example budgets are bounded so the module runs in seconds: each test states its ``max_examples``
(about 1,400 generated inputs in all). The text-level stages are checked on their own (strict) and the
default pipeline as a whole.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner

TEXT_STAGES = Cleaner(stages=("markup", "unicode", "spacing"))
DEFAULT = Cleaner()

# Pieces that exercise every rule of the text stages, and their interactions, when glued at random.
PIECES = [
    "<",
    ">",
    "/",
    "p",
    "b",
    "br",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "&",
    ";",
    "amp",
    "lt",
    "gt",
    "#",
    "60",
    "nbsp",
    "&amp;",
    "&lt;",
    "&gt;",
    "&#8217;",
    "< /p>",
    "</ p>",
    "<br >",
    '<p class="x">',
    "<b>",
    "</b>",
    "<!--",
    "-->",
    "-",
    " -",
    "- ",
    "cross",
    "border",
    "pro",
    "Russian",
    "in",
    "chief",
    "and",
    ".",
    ",",
    "!",
    "?",
    "U.S.",
    "3.5",
    "200-300",
    "Ukraine",
    "infrastructure",
    "â€™",
    "Ã©",
    "Ã",
    "\x9d",
    "\x00",
    "\x1a",
    "\u0301",
    "ﬁ",
    "ｂ",
    "＜",
    "＞",
    "\ud800",
    "’",
    "“",
    "é",
    "Київ",
    "北京",
    "x<3",
    "a < b",
    "->",
    "<<",
    "http://x.com/a.B",
    "e.g.",
]
piece_text = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=200)
mixed_text = st.one_of(piece_text, any_text)

SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}


def check_result_contract(original: str, cleaner: Cleaner) -> None:
    result = cleaner.clean(original)
    assert result.original == original
    assert not result.errors, result.errors
    for e in result.edits:
        assert 0 <= e.start <= e.end <= len(original)
        assert e.before == original[e.start : e.end]
        assert 0 <= e.out_start <= e.out_end <= len(result.text)
    # Applying the edits' (start, end) -> replacement to the original gives the output, whenever the
    # edits do not overlap in the original (later stages may rewrite an earlier stage's output).
    spans = sorted(result.edits, key=lambda e: (e.start, e.end))
    disjoint = all(
        a.end <= b.start and not (a.start == a.end == b.start) for a, b in zip(spans, spans[1:], strict=False)
    )
    if disjoint:
        rebuilt, pos = [], 0
        for e in spans:
            rebuilt += [original[pos : e.start], e.replacement]
            pos = e.end
        rebuilt.append(original[pos:])
        assert "".join(rebuilt) == result.text
    # Unchanged stretches map back to the same characters of the input.
    regions = result.offset_map.regions
    prev_out = prev_in = 0
    for i0, i1, o0, o1 in [*regions, (len(original), len(original), len(result.text), len(result.text))]:
        assert o0 - prev_out == i0 - prev_in
        for k in range(prev_out, o0):
            # At a stretch's first character "left" means "before the change that ends here" (so a span
            # keeps a deletion just before it); "right" is the character itself.
            assert result.to_input(k, "right") == prev_in + (k - prev_out)
            if k > prev_out:
                assert result.to_input(k, "left") == prev_in + (k - prev_out)
        assert result.text[prev_out:o0] == original[prev_in:i0]
        prev_out, prev_in = o1, i1


@settings(max_examples=400, **SETTINGS)
@given(mixed_text)
def test_text_stages_contract(text: str) -> None:
    check_result_contract(text, TEXT_STAGES)


@settings(max_examples=400, **SETTINGS)
@given(mixed_text)
def test_text_stages_idempotent(text: str) -> None:
    once = TEXT_STAGES.clean(text).text
    assert TEXT_STAGES.clean(once).text == once


@settings(max_examples=200, **SETTINGS)
@given(mixed_text)
def test_default_pipeline_contract(text: str) -> None:
    check_result_contract(text, DEFAULT)


@settings(max_examples=200, **SETTINGS)
@given(mixed_text)
def test_default_pipeline_idempotent(text: str) -> None:
    once = DEFAULT.clean(text).text
    assert DEFAULT.clean(once).text == once


@settings(max_examples=200, **SETTINGS)
@given(st.text(st.characters(codec=None, exclude_categories=()), min_size=1, max_size=2000))
def test_no_exception_on_long_odd_text(text: str) -> None:
    result = DEFAULT.clean(text * 3)
    assert not result.errors, result.errors


def _seconds_per_mb(text: str) -> float:
    t0 = time.perf_counter()
    result = TEXT_STAGES.clean(text)
    elapsed = time.perf_counter() - t0
    assert not result.errors
    return elapsed / max(len(text) / 1e6, 0.25)  # inputs under 250k chars get the budget of 250k


def _doubling_ratio(text: str) -> float:
    """CPU time on the text twice over divided by CPU time on the text (best of three each, the text first
    grown until one run takes 50 ms): ~2 when linear, ~4 when quadratic. A ratio of CPU times, unlike
    wall-clock seconds per MB, does not fail on a busy machine."""

    def best(t: str) -> float:
        times = []
        for _ in range(3):
            t0 = time.process_time()
            result = TEXT_STAGES.clean(t)
            times.append(time.process_time() - t0)
            assert not result.errors
        return min(times)

    base = best(text)
    while base < 0.05 and len(text) < 2_000_000:
        text += text
        base = best(text)
    return best(text + text) / max(base, 1e-3)


@pytest.mark.parametrize(
    "text",
    [
        "<" * 100_000,
        "-" * 50_000,
        "&amp;" + "amp;" * 50_000,
        "<p " * 30_000,
        "<!--" * 25_000,
        "a ." * 30_000,
        "â€" * 30_000,
        '<a href="' * 20_000,
        "x.Y" * 30_000,
    ],
    ids=lambda t: repr(t[:8]),
)
def test_adversarial_inputs_are_linear(text: str) -> None:
    """No catastrophic backtracking on inputs built to provoke it: doubling the input at most ~doubles the time,
    and the absolute cost stays far from the seconds per MB that backtracking costs."""
    assert _seconds_per_mb(text) < 20.0
    assert _doubling_ratio(text) < 3.0


@pytest.mark.parametrize(
    "text",
    ["&lt;p " * 20_000, " -a" * 30_000, "a- " * 30_000, "a wide -ranging review- said the reports -which " * 5_000],
    ids=lambda t: repr(t[:8]),
)
def test_inputs_with_an_edit_every_few_characters_stay_linear(text: str) -> None:
    """Tens of thousands of edits: bounded by the pipeline's per-edit bookkeeping (~20 us), not quadratic."""
    assert _seconds_per_mb(text) < 15.0
