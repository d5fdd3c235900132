"""A garbled name in a region's slot: ``the KYPCK region``, ``the Kurks region``, ``Zaporizka oblast``.

Written directly before ``region`` or ``oblast``, an unknown capitalised word names a first-level region. The
regions of Ukraine, Russia and Belarus are a short list (about 200 rows), so a garble too far from any city for
the whole-gazetteer tier (two edits in a short word, where several cities are as near) can still be
recognised: it is repaired when exactly one region's name is within reach of the word as written or of its
Cyrillic reading (``P`` read as ``Р`` = r), with the same first letter, and no other region is as near or one
edit nearer. Within reach: one plain edit, or :data:`MAX_EDITS` for a word in capitals (the capitals themselves
are part of such a garble). The word must be no word of English or another language (wordfreq). Uniqueness is
the evidence; a tie leaves the word alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...language.gazetteer import Entry
from ...language.homoglyphs import cyrillic_images, cyrillic_reading
from ...language.similarity import osa
from .common import of_kind, per_owner
from .decision import CYRILLIC_COUNTRIES

#: the words that make the slot (the next word after the garble, lower-cased)
SLOT_WORDS = frozenset({"region", "oblast"})
#: at most this many plain edits between the word (or its reading) and the region's name
MAX_EDITS = 2
#: a token English text uses this often (wordfreq Zipf) is a word, not a garble
TOKEN_MAX_ZIPF = 1.5
#: a name shorter than this is too easy to reach
MIN_LETTERS = 4
#: confidence of a repair (a unique region within reach, in a region's slot)
CONFIDENCE = 0.82

_SUFFIX = re.compile(r"\s+(?:oblast|region|krai|kray|voblast|voblasts|republic)$", re.IGNORECASE)
_SLOT = re.compile(r"[ \u00a0]+(\w+)")


class RegionSlots:
    """Region names (the word before ``region``/``oblast``) of Ukraine, Russia and Belarus."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self._names: dict[str, str] = {}  # lower-cased name as written -> the house-style name
        for e in entries:
            if e.country not in CYRILLIC_COUNTRIES or e.ambiguous:
                continue
            target = _SUFFIX.sub("", e.canonical)
            for form in e.forms:
                name = _SUFFIX.sub("", form)
                if name != form or form == e.canonical:
                    if name.isalpha() and len(name) >= MIN_LETTERS:
                        self._names.setdefault(name.lower(), target)
        self._memo: dict[tuple[str, str], str | None] = {}

    def lookup(self, key: str, surface: str) -> str | None:
        """The one region name (house style) within reach of the lower-cased token ``key`` (``surface`` as
        written, for the Cyrillic reading of capitals), or None."""
        memo_key = (key, surface if surface.isupper() else "")
        if memo_key in self._memo:
            return self._memo[memo_key]
        reach = MAX_EDITS if surface.isupper() else 1
        queries = [key]
        if surface.isupper() and cyrillic_images().issuperset(surface):
            queries.append(cyrillic_reading(surface))
        best: dict[str, int] = {}  # target -> edits
        for name, target in self._names.items():
            if abs(len(name) - len(key)) > reach or not any(q[:1] == name[:1] for q in queries):
                continue
            d = min(osa(q, name) for q in queries)
            if d <= reach and d < best.get(target, reach + 1):
                best[target] = d
        hit = None
        if best:
            ranked = sorted(best.items(), key=lambda kv: kv[1])
            (target, d), rest = ranked[0], ranked[1:]
            if d > 0 and not any(other <= d + 1 for _, other in rest):
                from ...language.vocabulary import zipf  # (only for the rare token near a region)

                hit = target if zipf(key) < TOKEN_MAX_ZIPF else None
        if len(self._memo) < 100_000:
            self._memo[memo_key] = hit
        return hit


def mentions_slot(text: str) -> bool:
    """Could ``text`` write ``region`` or ``oblast`` (any case)? Else no word of it stands in a slot. Plain
    substring tests: a case-insensitive regex search costs ~50 µs a news article, these ~2 µs."""
    return any(part in text for part in ("egion", "EGION", "blast", "BLAST"))


def in_slot(view: str, end: int) -> bool:
    """Is the word ending at ``end`` followed by ``region`` or ``oblast``?"""
    m = _SLOT.match(view, end, end + 20)
    return m is not None and m.group(1).lower() in SLOT_WORDS


def for_entries(entries: Sequence[Entry], kinds: Sequence[str]) -> RegionSlots:
    """One index per gazetteer."""
    return per_owner("regions", entries, lambda: RegionSlots(of_kind("region", entries, kinds)))
