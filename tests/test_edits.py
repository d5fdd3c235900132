"""The edit model: overlap handling and the offset map composed across several stages."""

from __future__ import annotations

import pytest

from cleaner import Cleaner
from cleaner.core.edits import Edit, OffsetMap, OverlapError, apply_edits, drop_overlaps, normalise


def run(text: str, stages: list[list[Edit]]) -> tuple[str, OffsetMap, list[Edit]]:
    """Apply several stages' edits the way the pipeline does."""
    omap, located = OffsetMap(), []
    for edits in stages:
        edits = normalise(edits, text)
        omap, loc = omap.compose(edits)
        located += loc
        text = apply_edits(text, edits)
    return text, omap, located


def test_compose_three_stages() -> None:
    original = "aa BB cc DD ee"
    out, omap, located = run(
        original,
        [
            [Edit(3, 5, "bbbb")],  # aa bbbb cc DD ee
            [Edit(11, 13, "d")],  # aa bbbb cc d ee
            [Edit(0, 3, ""), Edit(13, 15, "EE!")],  # bbbb cc d EE!
        ],
    )
    assert out == "bbbb cc d EE!"
    # Unchanged characters map back exactly.
    assert out[5:7] == "cc" and omap.to_input(5) == original.index("cc")
    assert out[8] == "d" and omap.to_input_span(8, 9) == (9, 11)
    # Edits re-expressed against the original input.
    assert [(e.start, e.end) for e in located] == [(3, 5), (9, 11), (0, 3), (12, 14)]
    assert [original[e.start : e.end] for e in located] == ["BB", "DD", "aa ", "ee"]
    # Output -> input -> output round trip outside changes.
    for k in range(len(out) + 1):
        i = omap.to_input(k, "right")
        assert 0 <= i <= len(original)


def test_edit_inside_earlier_edit_maps_to_whole_region() -> None:
    out, omap, located = run("hello world", [[Edit(0, 5, "HELLO")], [Edit(1, 3, "xx")]])
    assert out == "HxxLO world"
    assert (located[1].start, located[1].end) == (0, 5)
    assert omap.to_input_span(0, 5) == (0, 5)
    assert omap.to_input(6) == 6


def test_insertions_and_deletions_shift() -> None:
    out, omap, _ = run("ab.Cd e", [[Edit(3, 3, " ")], [Edit(0, 1, "")]])
    assert out == "b. Cd e"
    assert omap.to_input(3, "right") == 3  # "C"
    assert omap.to_input(6) == 6  # "e"
    assert omap.to_output(6) == 6


def test_normalise_rejects_overlaps_and_drops_noops() -> None:
    assert normalise([Edit(0, 1, "a")], "a") == []
    with pytest.raises(OverlapError):
        normalise([Edit(0, 2, "x"), Edit(1, 3, "y")], "abcd")
    with pytest.raises(OverlapError):
        normalise([Edit(1, 1, "x"), Edit(1, 1, "y")], "abcd")


def test_drop_overlaps_keeps_most_confident() -> None:
    a, b, c = Edit(0, 3, "x", confidence=0.9), Edit(2, 5, "y", confidence=0.95), Edit(5, 6, "z", confidence=0.5)
    d, e = Edit(6, 6, "i", confidence=0.9), Edit(6, 6, "j", confidence=0.8)
    kept, dropped = drop_overlaps([a, b, c, d, e])
    assert kept == [b, c, d] and dropped == [a, e]


def test_drop_overlaps_many_is_fast() -> None:
    edits = [Edit(i, i + 2, "x", confidence=0.9 if i % 2 else 0.95) for i in range(0, 100_000, 1)]
    kept, dropped = drop_overlaps(edits)
    assert len(kept) + len(dropped) == len(edits)
    assert all(x.end <= y.start for x, y in zip(kept, kept[1:], strict=False))


def test_pipeline_edits_locate_in_input_and_output() -> None:
    original = "Tom &amp; Jerry said , cross -border.< /p>\n"
    result = Cleaner(stages=("markup", "unicode", "spacing")).clean(original)
    assert result.text == "Tom & Jerry said, cross-border.\n"
    for e in result.edits:
        assert original[e.start : e.end] == e.before
        assert result.text[e.out_start : e.out_end] == e.replacement
    assert result.to_input_span(result.text.index("Jerry"), result.text.index("Jerry") + 5) == (
        original.index("Jerry"),
        original.index("Jerry") + 5,
    )


# ------------------------------------------------------------------ output spans, duplicates, suggestions

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cleaner.core.config import Config  # noqa: E402
from cleaner.core.edits import move_span, shift_positions  # noqa: E402
from cleaner.stages import Stage, register  # noqa: E402


def test_adjacent_edits_keep_their_own_output_spans() -> None:
    result = Cleaner().clean("Kiev&#8217;s mayor")
    assert result.text == "Kyiv’s mayor"
    assert [(e.start, e.end, e.out_start, e.out_end, e.replacement) for e in result.edits] == [
        (0, 4, 0, 4, "Kyiv"),
        (4, 11, 4, 5, "’"),
    ]
    assert result.suggestions == []


def test_shift_positions_at_edit_boundaries() -> None:
    # "abcdef": replace "cd" with "XYZ", insert "!" at 1, delete "f"
    edits = [Edit(1, 1, "!"), Edit(2, 4, "XYZ"), Edit(5, 6, "")]
    assert apply_edits("abcdef", edits) == "a!bXYZe"
    move = shift_positions(edits)
    assert move(0, "left") == 0
    assert move(1, "left") == 2 and move(1, "right") == 1  # the insertion goes before a start, after an end
    assert move(2, "left") == 3 and move(2, "right") == 3
    assert move(3, "left") == 3 and move(3, "right") == 6  # inside "cd": the replacement's start or end
    assert move(4, "left") == 6 and move(4, "right") == 6
    assert move(6, "left") == 7 and move(6, "right") == 7
    assert move_span(move, 1, 1) == (1, 1)  # an empty span stays empty
    assert move_span(move, 0, 2) == (0, 3)  # "ab" is now "a!b"


def _proposer(name: str, rules: list[tuple[str, str, float]], twice: bool = False) -> None:
    """Register a test stage that proposes ``pattern -> replacement`` at a confidence (each twice if asked)."""
    import re

    compiled = [(re.compile(p), r, c) for p, r, c in rules]

    @register(name)
    class _Proposer(Stage):
        def propose(self, text: str) -> list[Edit]:
            out = [Edit(m.start(), m.end(), rep, rule="t", confidence=conf)
                   for pat, rep, conf in compiled for m in pat.finditer(text)]
            return out + out if twice else out


_proposer("t_twice", [("Kiev", "Kyiv", 0.97)], twice=True)
_proposer("t_unsure", [("Kiev", "Kyiv", 0.5)])
_proposer("t_sure", [("Kiev", "Kyiv", 0.95)])
_proposer("t_unsure_wider", [("Kiev's", "Kyiv's", 0.5), ("mayor", "Mayor", 0.5)])
# For the property below: replacements, deletions, insertions, edits next to each other and chains (x -> yy -> z)
_proposer("t_first", [("x", "yy", 1.0), ("d", "", 1.0), ("ab", "AB", 0.9), ("ab", "aB", 0.5)], twice=True)
_proposer("t_second", [("yy", "z", 1.0), ("(?<!!)(?=q)", "!", 1.0), ("AB", "AB.", 0.6), (" +$", "", 1.0)])
_proposer("t_third", [("zq", "Zq", 0.9), ("B!", "B !", 0.95), ("e", "E", 0.4)])


def test_an_edit_proposed_twice_is_applied_once_and_not_suggested() -> None:
    result = Cleaner(stages=("t_twice",)).clean("Kiev and Kiev")
    assert result.text == "Kyiv and Kyiv" and len(result.edits) == 2 and result.suggestions == []


def test_an_applied_edit_is_no_suggestion_whichever_stage_proposed_it() -> None:
    cleaner = Cleaner(Config(stages=("t_unsure", "t_sure")))
    assert cleaner.config.stages == ("t_unsure", "t_sure")
    result = cleaner.clean("Kiev said")
    assert result.text == "Kyiv said" and [e.stage for e in result.edits] == ["t_sure"]
    assert result.suggestions == []
    assert len(Cleaner(stages=("t_unsure",)).clean("Kiev said").suggestions) == 1  # alone it is one


def test_a_suggestion_the_output_already_carries_is_dropped() -> None:
    result = Cleaner(stages=("t_unsure_wider", "t_sure")).clean("Kiev's mayor")
    assert result.text == "Kyiv's mayor"
    assert [(s.before, s.replacement) for s in result.suggestions] == [("mayor", "Mayor")]


def _overlaps(a: Edit, b: Edit) -> bool:
    """Input spans share text; an insertion counts as inside a span it touches (a later edit there may have
    rewritten it). Two edits that merely touch are apart: each must find its replacement in the output."""
    if a.start == a.end or b.start == b.end:
        return b.start <= a.start <= b.end or a.start <= b.start <= a.end
    return a.start < b.end and b.start < a.end


def check_output_spans(original: str, cleaner: Cleaner) -> None:
    """Edits in input order; each edit no other edit overlaps has its replacement at out_start:out_end, and
    those are in output order too; no applied edit is listed again as a suggestion. (An edit a later stage
    rewrote has the later edit's span; the input span of an edit inside several touching earlier ones covers
    them all, as the offset map does.)"""
    result = cleaner.clean(original)
    edits = result.edits
    assert edits == sorted(edits, key=lambda e: (e.start, e.end))
    alone = []
    for e in edits:
        assert 0 <= e.out_start <= e.out_end <= len(result.text)
        assert original[e.start : e.end] == e.before
        if not any(_overlaps(e, other) for other in edits if other is not e):
            assert result.text[e.out_start : e.out_end] == e.replacement, (e, result.text)
            alone.append(e)
    assert all(a.out_end <= b.out_start for a, b in zip(alone, alone[1:], strict=False))
    applied = {(e.start, e.end, e.replacement) for e in edits}
    assert not [s for s in result.suggestions if (s.start, s.end, s.replacement) in applied]
    for s in result.suggestions:
        o0, o1 = result.offset_map.to_output(s.start, "left"), result.offset_map.to_output(s.end, "right")
        assert result.text[o0:o1] != s.replacement


SYNTHETIC = Cleaner(stages=("t_first", "t_second", "t_third"))
PIECES = ["Kiev", "&#8217;", "s", " ", "&amp;", "Kharkov", "said ,", "cross -border", "teh", ".The", "<b>", "\n",
          "Ã©", "mayor", "  ", "Kursk", "Odessa"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="xdqabyz! e", max_size=40))
def test_output_spans_with_adjacent_and_chained_edits(text: str) -> None:
    check_output_spans(text, SYNTHETIC)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=25).map("".join))
def test_output_spans_default_pipeline(text: str) -> None:
    check_output_spans(text, DEFAULT)


DEFAULT = Cleaner()
