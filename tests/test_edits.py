"""The edit model: overlap handling and the offset map composed across several stages."""

from __future__ import annotations

import pytest

from cleaner import Cleaner
from cleaner.edits import Edit, OffsetMap, OverlapError, apply_edits, drop_overlaps, normalise


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
