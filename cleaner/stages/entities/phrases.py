"""Garbles inside two-word names: an unknown capitalised word next to a word that, with a close spelling of
it, makes a two-word place name of Ukraine, Russia or Belarus (``Sergiyev Posd`` -> ``Sergiyev Posad``,
``KHRESHCHATI YAR`` -> ``Khreshchatyi Yar``). The one-word tiers leave a word inside a capitalised sequence
alone (it may be part of any longer name); here the neighbour, written as the gazetteer writes it, is the
evidence. Only one word may differ, by a small distance, with no derivation of it, and no other name as close.
"""

from __future__ import annotations

from typing import NamedTuple

import regex

from ...language import entity_index as ei
from ...language.gazetteer import Entry
from ...language.similarity import distance
from .common import _PLACE_KINDS, per_owner
from .decision import CYRILLIC_COUNTRIES
from .garbles import _other_ending

#: kinds a two-word garble may name (countries are the spelling stage's: their names are English words)
_KINDS = _PLACE_KINDS - {"country"}
#: length difference allowed between the garbled word and the name's word
_MAX_GAP = 2
_JOINERS_RE = regex.compile(r"[-'’ ]")
_NEXT_RE = regex.compile(r" ([\p{L}][\p{L}\p{M}'’\-]*)")


class PhraseHit(NamedTuple):
    """A two-word name for an unknown word: the entry, its lower-cased form, the name's word the token
    garbles, the distance, and whether the token is the form's first word."""

    entry: Entry
    form: str
    word: str
    dist: float
    first: bool


def max_distance(word: str) -> float:
    """How far a garbled word may be from the name's word: one edit, a little more for long words."""
    return 1.0 if len(word) < 8 else 1.5


class PhraseIndex:
    """Two-word place forms by either word (``first2`` of the entity index, and its reverse, built on first
    use), with the (first letter, length) shapes of the words that pair with a document's words."""

    def __init__(self, idx: ei.EntityIndex) -> None:
        self._idx = idx
        self._by_second: dict[str, list[str]] | None = None
        self._words: set[str] = set()
        self._shapes: dict[str, tuple[tuple[str, int], ...]] = {}
        self._partner_memo: dict[str, list[tuple[str, str, bool]]] = {}

    def by_second(self) -> dict[str, list[str]]:
        """Second word -> first words of the two-word forms."""
        if self._by_second is None:
            out: dict[str, list[str]] = {}
            firsts = set()
            for w0, seconds in self._idx.first2.items():
                for w1, forms in seconds.items():
                    if f"{w0} {w1}" in forms:
                        out.setdefault(w1, []).append(w0)
                        firsts.add(w0)
            self._by_second = out
            self._words = set(firsts | out.keys())
        return self._by_second

    def words(self) -> set[str]:
        """Words of two-word forms (lower case) not yet known to pair with no UA/RU/BY place: a document's
        words are intersected with it in C (a word found to have no such partner is dropped from it)."""
        self.by_second()
        return self._words

    def _partners(self, low: str) -> list[tuple[str, str, bool]]:
        """(partner word, form, partner is the first word) for the two-word forms that have ``low`` and name a
        place of Ukraine, Russia or Belarus (names that reach English through Cyrillic, garbled by MT)."""
        out = self._partner_memo.get(low)
        if out is None:
            out = [(w1, f"{low} {w1}", False) for w1, forms in self._idx.first2.get(low, {}).items()
                   if f"{low} {w1}" in forms]
            out += [(w0, f"{w0} {low}", True) for w0 in self.by_second().get(low, ())]
            forms = self._idx.forms
            out = [p for p in out if any(e.country in CYRILLIC_COUNTRIES and e.kind in _KINDS
                                         for e, _how in forms.get(p[1], ()))]
            if len(self._partner_memo) < 100_000:
                self._partner_memo[low] = out
        return out

    def shapes(self, low: str) -> tuple[tuple[str, int], ...]:
        """(first letter, length) of words that may garble a partner of ``low`` (memoised per word)."""
        hit = self._shapes.get(low)
        if hit is None:
            hit = tuple({(w[:1], len(w) + k) for w, _f, _first in self._partners(low) if len(w) >= 4
                         for k in range(-_MAX_GAP, _MAX_GAP + 1)})
            if not hit:
                self._words.discard(low)  # the next documents skip it in the intersection
            if len(self._shapes) < 100_000:
                self._shapes[low] = hit
        return hit

    def best(self, key: str, prev: str, nxt: str, caps: bool) -> PhraseHit | None:
        """The two-word name that ``key`` (lower case) garbles with ``prev`` before it or ``nxt`` after it
        (lower case, "" when there is no word), or None when none is close or two names are as close."""
        options = []
        if prev:
            options += [(w, f, False) for w, f, first in self._partners(prev) if not first]
        if nxt:
            options += [(w, f, True) for w, f, first in self._partners(nxt) if first]
        forms = self._idx.forms
        ambiguous = self._idx.gazetteer.ambiguous
        scored: list[PhraseHit] = []
        for w, form, first in options:
            if len(w) < 4 or w[:1] != key[:1] or abs(len(w) - len(key)) > _MAX_GAP or form in ambiguous:
                continue
            if w.startswith(key) or key.startswith(w) or _other_ending(key, w):
                continue  # a derivation or another word on the stem, not a garble
            if _JOINERS_RE.sub("", key) == _JOINERS_RE.sub("", w):
                continue  # the writer's hyphenation (Trans-Baikal, Transbaikal): a spelling, not a garble
            d = distance(key, w, caps)
            if d > max_distance(w):
                continue
            entries = [e for e, _how in forms.get(form, ()) if e.kind in _KINDS and not e.ambiguous]
            if entries:
                e = max(entries, key=lambda e: e.weight)
                scored.append(PhraseHit(e, form, w, d, first))
        if not scored:
            return None
        scored.sort(key=lambda h: (h.dist, -h.entry.weight))
        top = scored[0]
        if any(h.entry.canonical != top.entry.canonical and h.dist - top.dist < 0.5 for h in scored[1:]):
            return None  # two names as close: no evidence for either
        return top


def next_word(view: str, end: int) -> tuple[str, int]:
    """The word right after ``end`` (one space between) and its end, or ("", end)."""
    m = _NEXT_RE.match(view, end)
    return (m.group(1), m.end()) if m else ("", end)


def for_index(idx: ei.EntityIndex) -> PhraseIndex:
    """One phrase index per entity index."""
    return per_owner("phrases", idx, lambda: PhraseIndex(idx))
