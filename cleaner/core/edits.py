"""Edits and the offset map.

Stages never rewrite text: they propose :class:`Edit` objects against the text they were given. The
pipeline applies them with :func:`apply_edits` and composes an :class:`OffsetMap`, so every change and
any span of the output can be traced back to the original input.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable
from typing import NamedTuple


class Edit(NamedTuple):
    """One proposed change: replace ``text[start:end]`` with ``replacement``.

    Offsets are into the text the stage saw. After the pipeline has applied an edit, the copy kept in
    :attr:`Result.edits` has ``start``/``end`` in the ORIGINAL input, ``before`` holding the input text
    there, and ``out_start``/``out_end`` locating the replacement in the final output.

    A NamedTuple rather than a dataclass: the pipeline creates and re-locates millions of these on
    edit-dense input, and ``_replace`` is several times cheaper than ``dataclasses.replace``.
    """

    start: int
    end: int
    replacement: str
    stage: str = ""
    rule: str = ""
    confidence: float = 1.0
    note: str = ""
    before: str = ""
    out_start: int = -1
    out_end: int = -1

    def to_dict(self) -> dict:
        return self._asdict()

    @property
    def key(self) -> str:
        """``stage.rule``: the name used by ``disable_rules`` and reports."""
        return f"{self.stage}.{self.rule}"


class OverlapError(ValueError):
    """Two edits of one stage claim the same text."""


def normalise(edits: Iterable[Edit], text: str) -> list[Edit]:
    """Sort edits, drop no-ops, and reject overlaps (a stage bug, never silently resolved)."""
    out: list[Edit] = []
    last_end = -1
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if not 0 <= e.start <= e.end <= len(text):
            raise ValueError(f"edit out of range: {e}")
        if text[e.start : e.end] == e.replacement:
            continue
        if e.start < last_end or (e.start == last_end and out and out[-1].start == out[-1].end == e.start):
            raise OverlapError(f"overlapping edits: {out[-1]} and {e}")
        out.append(e)
        last_end = e.end
    return out


def drop_overlaps(edits: Iterable[Edit]) -> tuple[list[Edit], list[Edit]]:
    """Keep the most confident of overlapping edits (ties: the earlier one); return (kept, dropped).
    Copies of a kept edit (same span and replacement) are neither kept twice nor returned as dropped.

    Two edits overlap when they share text, or are insertions at the same point. Kept spans are held
    sorted, so each check looks only at its neighbours: O(n log n), not O(n^2) (a stage may propose
    tens of thousands of edits on adversarial input).
    """
    edits = sorted(edits, key=lambda e: (e.start, e.end))
    if _disjoint(edits):  # the usual case: nothing to resolve
        return edits, []
    ranked = sorted(edits, key=lambda e: (-e.confidence, e.start, e.end))
    kept: list[Edit] = []
    dropped: list[Edit] = []
    taken: list[tuple[int, int]] = []  # sorted (start, end) of kept edits
    same: set[tuple[int, int, str]] = set()  # (start, end, replacement) of kept edits
    for e in ranked:
        if (e.start, e.end, e.replacement) in same:
            continue  # the same change proposed twice is kept once, and is no rival of itself
        if _overlaps_taken(taken, e.start, e.end):
            dropped.append(e)
            continue
        insort(taken, (e.start, e.end))
        same.add((e.start, e.end, e.replacement))
        kept.append(e)
    kept.sort(key=lambda e: (e.start, e.end))
    return kept, dropped


def _disjoint(ordered: list[Edit]) -> bool:
    """True if edits sorted by (start, end) neither share text nor insert at the same point."""
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b.start < a.end or (b.start == b.end == a.start == a.end):
            return False
    return True


def _overlaps_taken(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    def clash(s: int, t: int) -> bool:
        return (s < end and start < t) or (s == t == start == end)

    i = bisect_left(taken, (start, -1))
    j = i - 1
    while j >= 0 and taken[j][1] >= start:  # earlier spans reaching ``start``
        if clash(*taken[j]):
            return True
        j -= 1
    while i < len(taken) and (taken[i][0] < end or taken[i][0] == start):  # spans starting inside
        if clash(*taken[i]):
            return True
        i += 1
    return False


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply sorted, non-overlapping edits (see :func:`normalise`).

    >>> apply_edits("teh cat", [Edit(0, 3, "the")])
    'the cat'
    """
    parts: list[str] = []
    pos = 0
    for e in edits:
        parts.append(text[pos : e.start])
        parts.append(e.replacement)
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts)


def shift_positions(edits: list[Edit]) -> Callable[[int, str], int]:
    """Where a position of a text lands after applying ``edits`` (sorted, non-overlapping, see
    :func:`normalise`) to it. ``side`` says how a position touching an edit moves: ``"left"`` is the start of
    something (text inserted at it goes before it), ``"right"`` the end of something (an insertion there goes
    after it). A position strictly inside a replaced span moves to that replacement's start (``left``) or
    end (``right``). The pipeline uses it to keep each applied edit's ``out_start``/``out_end`` exact when
    a later edit lands next to it (an offset map merges touching regions, so it cannot tell them apart)."""
    starts = [e.start for e in edits]
    ends = [e.end for e in edits]
    lengths = [len(e.replacement) for e in edits]
    growth = [0]
    for e, n in zip(edits, lengths, strict=True):
        growth.append(growth[-1] + n - (e.end - e.start))
    count = len(edits)

    def move(pos: int, side: str) -> int:
        i = bisect_left(ends, pos)  # edits[:i] end before pos
        while i < count and ends[i] == pos and (starts[i] < pos or side == "left"):
            i += 1  # ends at pos: before it (an insertion at pos only for a start)
        if i < count and starts[i] < pos:  # strictly inside a replaced span
            start = starts[i] + growth[i]
            return start if side == "left" else start + lengths[i]
        return pos + growth[i]

    return move


def move_span(move: Callable[[int, str], int], start: int, end: int) -> tuple[int, int]:
    """A span moved by :func:`shift_positions`; an empty one stays empty (an insertion at it goes after)."""
    if start == end:
        pos = move(start, "right")
        return pos, pos
    return move(start, "left"), move(end, "right")


class OffsetMap:
    """Piecewise map between output and input offsets.

    Kept as sorted, disjoint changed regions ``(in_start, in_end, out_start, out_end)``; outside them
    the map is a plain shift. A position strictly inside a changed region maps to the region's start
    (``side="left"``) or end (``side="right"``).
    """

    __slots__ = ("regions", "_out_starts", "_in_starts")

    def __init__(self, regions: list[tuple[int, int, int, int]] | None = None) -> None:
        self.regions = regions or []
        self._out_starts = [r[2] for r in self.regions]
        self._in_starts = [r[0] for r in self.regions]

    def __reduce__(self) -> tuple:
        # rebuilt from its regions: ~10x faster than pickling the slots (Cleaner.pipe ships Results back)
        return (OffsetMap, (self.regions,))

    def to_output(self, pos: int, side: str = "left") -> int:
        """Map an offset in the input to the output (the inverse view of :meth:`to_input`)."""
        i = bisect_right(self._in_starts, pos) - 1
        if i < 0:
            return pos
        i0, i1, o0, o1 = self.regions[i]
        if pos == i0 == i1:
            return o0 if side == "left" else o1
        if pos >= i1:
            return o1 + (pos - i1)
        if pos == i0:
            return o0
        return o0 if side == "left" else o1

    def to_input(self, pos: int, side: str = "left") -> int:
        """Map an offset in the output to the input."""
        i = bisect_right(self._out_starts, pos) - 1
        if i < 0:
            return pos
        i0, i1, o0, o1 = self.regions[i]
        if pos == o0 == o1:
            return i0 if side == "left" else i1
        if pos >= o1:
            return i1 + (pos - o1)
        if pos == o0:
            return i0
        return i0 if side == "left" else i1

    def to_input_span(self, start: int, end: int) -> tuple[int, int]:
        """Map an output span to the smallest input span that produced it."""
        return self.to_input(start, "left"), self.to_input(end, "right")

    def compose(self, edits: list[Edit]) -> tuple[OffsetMap, list[Edit]]:
        """Return the map after also applying ``edits`` (in current-output offsets), and the edits
        re-expressed against the original input (``start``/``end``) and the new output
        (``out_start``/``out_end``)."""
        located: list[Edit] = []
        delta = 0
        for e in edits:
            i0, i1 = self.to_input_span(e.start, e.end)
            o0 = e.start + delta
            delta += len(e.replacement) - (e.end - e.start)
            located.append(e._replace(start=i0, end=i1, out_start=o0, out_end=o0 + len(e.replacement)))
        # Sweep old regions and new edits (both in current-output coordinates) into clusters; touching
        # intervals merge, so regions stay disjoint and never touch.
        items = [(r[2], r[3], 0) for r in self.regions]
        items += [(e.start, e.end, len(e.replacement) - (e.end - e.start)) for e in edits]
        items.sort(key=lambda x: (x[0], x[1]))
        regions: list[tuple[int, int, int, int]] = []
        shift = 0  # output growth from new edits before the current cluster
        k = 0
        while k < len(items):
            cs, ce, grow = items[k]
            j = k + 1
            while j < len(items) and items[j][0] <= ce:
                ce = max(ce, items[j][1])
                grow += items[j][2]
                j += 1
            regions.append((self.to_input(cs, "left"), self.to_input(ce, "right"), cs + shift, ce + shift + grow))
            shift += grow
            k = j
        return OffsetMap(regions), located
