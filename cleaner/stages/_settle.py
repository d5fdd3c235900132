"""Run a text-level fixer to a fixpoint, so a stage is idempotent on its own.

Some repairs uncover more work: decoding ``&#38;amp;`` yields ``&amp;``, removing a tag can join
``<<b>p>`` into ``<p>``. Rather than teach every rule about its neighbours, a stage proposes edits,
applies them, and proposes again on the result (rare: only when the first round changed something).
The rounds are composed with the same :class:`~cleaner.core.edits.OffsetMap` the pipeline uses, so the
edits handed back are still against the stage's input.
"""

from __future__ import annotations

from collections.abc import Callable

from ..core.edits import Edit, OffsetMap, apply_edits, drop_overlaps, normalise

Proposer = Callable[[str], list[Edit]]


def clean_round(propose: Proposer, text: str, min_confidence: float = 0.0) -> list[Edit]:
    """One round: the proposer's confident edits, overlaps resolved as the pipeline would, sorted."""
    kept, _ = drop_overlaps(e for e in propose(text) if e.confidence >= min_confidence)
    return normalise(kept, text)


def settle(propose: Proposer, text: str, min_confidence: float = 0.8, max_rounds: int = 4) -> list[Edit]:
    """Edits against ``text`` equivalent to applying ``propose`` until it proposes nothing more.

    Only edits at or above ``min_confidence`` take part in the rounds (they are the ones the pipeline
    will apply); the first round's less confident edits are passed through untouched as suggestions.

    When one round is enough (the usual case) its edits are returned unchanged; otherwise the changed
    regions of all rounds become one edit each, carrying the stage/rule/confidence of the first edit
    that touched the region (the lowest confidence among them, so a merge never raises confidence).
    """
    proposed = propose(text)
    unsure = [e for e in proposed if e.confidence < min_confidence]
    first = clean_round(lambda _: [e for e in proposed if e.confidence >= min_confidence], text)
    if not first:
        return unsure
    current = apply_edits(text, first)
    more = clean_round(propose, current, min_confidence)
    if not more:  # the usual case: one round was enough, no offset map needed
        return first + unsure
    omap, _ = OffsetMap().compose(first)
    for _ in range(max_rounds - 1):
        omap, _ = omap.compose(more)
        current = apply_edits(current, more)
        more = clean_round(propose, current, min_confidence)
        if not more:
            break
    merged: list[Edit] = []
    k = 0  # sweep: regions and first-round edits are both sorted
    for i0, i1, o0, o1 in omap.regions:
        while k < len(first) and first[k].end < i0:
            k += 1
        touching = []
        j = k
        while j < len(first) and first[j].start <= i1:
            if first[j].end >= i0:
                touching.append(first[j])
            j += 1
        touching = touching or first[k : k + 1] or first[-1:]
        base = touching[0]
        conf = min(e.confidence for e in touching)
        note = base.note if len(touching) == 1 else f"{base.note} (and follow-up repairs)".strip()
        merged.append(base._replace(start=i0, end=i1, replacement=current[o0:o1], confidence=conf, note=note))
    return [e for e in merged if text[e.start : e.end] != e.replacement] + unsure
