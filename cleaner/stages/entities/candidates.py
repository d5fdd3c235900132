"""Candidates from the whole gazetteer for an unknown token: every one-word form of every place (canonical,
rewrite and accepted spellings, e.g. the generated transliteration variants) and every person's surname, in
one list that rapidfuzz searches in C (an optimal-string-alignment distance with a cutoff), then re-ranked
by the weighted name distance (:func:`cleaner.similarity.distance`, transliteration confusions).

Built lazily, on the first document that has an unknown token worth looking up; a token's candidates do not
depend on the document, so they are memoised per process (bounded).
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from ... import entity_index as ei
from ... import gazetteer as gz
from ...gazetteer import Entry
from ...homoglyphs import cyrillic_images, cyrillic_reading, cyrillic_readings
from ...similarity import distance
from .common import _PLACE_KINDS

#: kinds of entries the whole gazetteer offers as candidates: not countries (their names are English words
#: that the spelling stage knows; a misspelt country is a typo, not a garbled transliteration)
_GLOBAL_KINDS = _PLACE_KINDS - {"country"}
#: a Latin capital read as a Cyrillic letter costs this much on top of the distance of the reading
READING_COST = 0.25
#: letters with diacritics read as plain letters cost this much (Polish, German forms: Wołczańsk)
DIACRITIC_COST = 0.1
#: a reading through shape resemblances (N for И) costs this much
SHAPE_COST = 0.35
#: a foreign spelling written the English way costs this much (Michailowka -> mikhailovka)
ANGLICISED_COST = 0.2
#: candidates kept per token (after the rapidfuzz cutoff, before re-ranking)
LIMIT = 12
_MEMO_MAX = 50_000


_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})


def fold(word: str) -> str:
    """``word`` with its letters' diacritics dropped (NFKD, and the letters NFKD keeps such as ł)."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word.translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


#: German, Polish, Czech and scientific spellings of Slavic sounds, written the English way (in this order)
_ANGLICISE = (
    ("szcz", "shch"), ("tsch", "ch"), ("sch", "sh"), ("tch", "ch"), ("cz", "ch"), ("sz", "sh"), ("rz", "zh"),
    ("ż", "zh"), ("ž", "zh"), ("š", "sh"), ("č", "ch"), ("x", "kh"), ("w", "v"), ("ou", "u"), ("j", "y"),
)


_CH_RE = re.compile(r"(?<![st])ch")
_C_RE = re.compile(r"c(?!h)")


def anglicised(word: str) -> list[str]:
    """``word`` (lower case) with German/Polish/Czech/French spellings of Slavic sounds written as English
    romanisations write them (``Owrutschow`` -> ``ovruchov``), and a second time with ``ch`` read as
    ``kh`` (German and Polish ``Chmelnik``); diacritics dropped. Empty when nothing changes."""
    out = []
    for kh in (False, True):
        w = _CH_RE.sub("kh", word) if kh else word
        for a, b in _ANGLICISE:
            w = w.replace(a, b)
        w = _C_RE.sub("ts", w)  # Polish and ISO 9 c (Nowotroickoje)
        if w.endswith("z") and not w.endswith("tz"):
            w = w[:-1] + "ts"  # German final z (Trostjanez)
        w = fold(w)
        if w != word and w not in out:
            out.append(w)
    return out


def _bigrams(word: str) -> list[str]:
    padded = f"^{word}$"
    return [padded[i : i + 2] for i in range(len(padded) - 1)]


class Hit(NamedTuple):
    """One candidate entry for a token: the form compared with, its weighted distance, and whether the
    token was read through Cyrillic look-alikes to reach it."""

    entry: Entry
    form: str
    dist: float
    reading: bool


def max_edits(n: int) -> int:
    """How many plain edits (OSA) a garble of a name of ``n`` letters may be from it: short names are too
    easy to reach."""
    return 1 if n <= 5 else 2 if n <= 8 else 3


class GlobalCandidates:
    """The whole-gazetteer candidate index (see the module docstring)."""

    def __init__(self, idx: ei.EntityIndex) -> None:
        self._idx = idx
        self._keys: list[str] | None = None
        self._owners: dict[str, list[int]] = {}
        self._memo: dict[tuple[str, str], tuple[Hit, ...]] = {}

    def _build(self) -> list[str]:
        import numpy as np

        g = self._idx.gazetteer
        entries = g.entries
        kind_of = entries.kind if isinstance(entries, gz.LazyEntries) else (lambda i: entries[i].kind)
        ambiguous = g.ambiguous
        owners: dict[str, list[int]] = {}
        for key, items in g.index.items():
            if len(key) < 4 or " " in key or key in ambiguous or not key.replace("-", "").replace("'", "").isalpha():
                continue
            ids = [i for i, _how in items if kind_of(i) in _GLOBAL_KINDS]
            if ids:
                owners[key] = ids
        for sur, items in self._idx.surnames.items():
            if len(sur) >= 5:
                lst = owners.setdefault(sur, [])
                lst += [e.id for e, _ in items if e.id not in lst]
        self._owners = owners
        keys = self._keys = list(owners)
        postings: dict[str, list[int]] = {}
        for n, key in enumerate(keys):
            for gram in set(_bigrams(key)):
                lst = postings.get(gram)
                if lst is None:
                    postings[gram] = [n]
                else:
                    lst.append(n)
        self._postings = {gram: np.array(lst, dtype=np.int32) for gram, lst in postings.items()}
        self._lengths = np.array([len(k) for k in keys], dtype=np.int16)
        return keys

    def owners(self, form: str) -> list[Entry]:
        if self._keys is None:
            self._build()
        entries = self._idx.gazetteer.entries
        return [entries[i] for i in self._owners.get(form, ())]

    def _near(self, q: str) -> list[str]:
        """Forms within ``max_edits`` plain edits (OSA) of ``q``: a q-gram filter (an edit destroys at most
        three of the padded bigrams, so a near form shares most of them), then rapidfuzz on the few left."""
        import numpy as np
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        keys = self._keys if self._keys is not None else self._build()
        n = len(q)
        k = max_edits(n)
        need = (n + 1) - 3 * k
        lists = [lst for gram in set(_bigrams(q)) if (lst := self._postings.get(gram)) is not None]
        if not lists:
            return []
        counts = np.bincount(np.concatenate(lists), minlength=len(keys))
        ok = np.nonzero((counts >= max(need, 1)) & (np.abs(self._lengths - n) <= k))[0]
        if not len(ok):
            return []
        pool = [keys[i] for i in ok.tolist()]
        return [form for form, _s, _i in process.extract(q, pool, scorer=OSA.distance, score_cutoff=k, limit=LIMIT)]

    def lookup(self, key: str, surface: str) -> tuple[Hit, ...]:
        """Entries within a few edits of ``key`` (lower case), best first (one hit per entry); for an all-caps
        ``surface`` also of its Cyrillic reading (``P`` read as ``Р`` = r)."""
        caps = surface.isupper() and len(surface) >= 4
        memo_key = (key, surface if caps else "")
        hit = self._memo.get(memo_key)
        if hit is not None:
            return hit
        if self._keys is None:
            self._build()
        queries = [(key, False)]
        reading = ""
        plain = fold(key)
        if plain != key:
            queries.append((plain, False))
        english = [q for q in anglicised(key) if q != plain]
        queries += [(q, False) for q in english]
        if caps and cyrillic_images().issuperset(surface):
            reading = cyrillic_reading(surface)
            if reading != key:
                queries.append((reading, True))
            queries += [(r, True) for r in cyrillic_readings(surface) if r not in (key, reading)]
        best: dict[int, Hit] = {}
        for q, via_reading in queries:
            for form in self._near(q):
                if form == key:
                    continue
                extra = (READING_COST if q == reading else SHAPE_COST) if via_reading else (
                    DIACRITIC_COST if q == plain != key else 0.0)
                if q in english:
                    extra = ANGLICISED_COST
                d = distance(q, form) + extra
                if not via_reading and caps:
                    d = min(d, distance(key, form, True))
                for e in self.owners(form):
                    old = best.get(e.id)
                    if old is None or d < old.dist:
                        best[e.id] = Hit(e, form, d, via_reading)
        hit = tuple(sorted(best.values(), key=lambda h: (h.dist, -h.entry.weight)))
        if len(self._memo) < _MEMO_MAX:
            self._memo[memo_key] = hit
        return hit


_BY_INDEX: dict[int, GlobalCandidates] = {}


def for_index(idx: ei.EntityIndex) -> GlobalCandidates:
    """One candidate index per entity index (those are cached per process, so their ids are stable)."""
    hit = _BY_INDEX.get(id(idx))
    if hit is None:
        hit = _BY_INDEX[id(idx)] = GlobalCandidates(idx)
    return hit
