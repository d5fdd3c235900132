"""Candidates from the whole gazetteer for an unknown token: every one-word form of every place (canonical,
rewrite and accepted spellings, e.g. the generated transliteration variants) and every person's surname, in
one list that rapidfuzz searches in C (an optimal-string-alignment distance with a cutoff), then re-ranked
by the weighted name distance (:func:`cleaner.language.similarity.distance`, transliteration confusions).

Built lazily, on the first document that has an unknown token worth looking up; a token's candidates do not
depend on the document, so they are memoised per process (bounded).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from functools import partial
from itertools import accumulate
from operator import add
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import numpy as np

from ...language import entity_index as ei
from ...language.gazetteer import Entry
from ...language.homoglyphs import cyrillic_images, cyrillic_reading, cyrillic_readings
from ...language.similarity import distance
from .common import _PLACE_KINDS, per_owner

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
#: searches answered without numpy before the numpy index is built: a short run (one document at the
#: command line) looks up a word or two, and importing numpy and building the index would cost more (~0.1 s)
#: than scanning the joined forms for the few bigrams they need (both give the same candidates)
PLAIN_SEARCHES = 8


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
        self._ok: frozenset[int] = frozenset()
        self._memo: dict[tuple[str, str], tuple[Hit, ...]] = {}
        self._postings: dict[str, np.ndarray] | None = None
        self._lengths: np.ndarray | None = None
        #: the numpy-free search (:meth:`_near_plain`): the joined forms, where each form starts in it,
        #: the forms' lengths, the forms that have a bigram (memoised per bigram), searches made
        self._joined = ""
        self._starts: list[int] = []
        self._plain_lengths: list[int] = []
        self._plain_postings: dict[str, list[int]] = {}
        self._plain_searches = 0

    def _build(self) -> list[str]:
        """The one-word forms: index order, then surnames (the postings come later, see :meth:`_index`)."""
        g = self._idx.gazetteer
        kinds = g.kinds or [e.kind for e in g.entries]  # (a Gazetteer made by hand may lack them)
        ok = self._ok = frozenset(i for i, kind in enumerate(kinds) if kind in _GLOBAL_KINDS)
        ambiguous = g.ambiguous
        keys = [key for key, items in g.index.items()  # _fuzzy_form inline: ~100k keys
                if len(key) >= 4 and (key.isalpha() or key.replace("-", "").replace("'", "").isalpha())
                and key not in ambiguous
                and (items[0][0] in ok if len(items) == 1 else any(i in ok for i, _how in items))]
        known = set(keys)
        keys += [sur for sur in self._idx.surnames if len(sur) >= 5 and sur not in known]
        self._keys = keys
        return keys

    def _index(self) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """The bigram postings and the forms' lengths. Vectorised: the forms are one padded string
        (``^form$^form$...``) whose code points numpy pairs up, so the ~57k forms cost no Python loop over
        their letters (a per-form loop took ~0.3 s, most of a short document's run)."""
        if self._postings is None or self._lengths is None:
            import numpy as np

            keys = self._keys if self._keys is not None else self._build()
            lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
            self._lengths = lengths.astype(np.int16)
            self._postings = self._bigram_postings(keys, lengths) if keys else {}
        return self._postings, self._lengths

    @staticmethod
    def _bigram_postings(keys: list[str], lengths: np.ndarray) -> dict[str, np.ndarray]:
        """Padded bigram -> ascending numbers of the ``keys`` that have it (numpy int32 arrays); ``lengths``
        are the keys' lengths (a numpy int64 array)."""
        import numpy as np

        # code points of "^k0$^k1$...": a bigram starts at every position but a "$" (the end of a form)
        cp = np.frombuffer(("^" + "$^".join(keys) + "$").encode("utf-32-le"), dtype=np.uint32)
        seen = np.zeros(int(cp.max()) + 1, dtype=bool)
        seen[cp] = True
        alphabet = np.flatnonzero(seen)  # the letters in use, numbered densely (np.unique would sort 500k)
        code = (np.cumsum(seen) - 1)[cp]
        width = len(alphabet)
        starts = cp[:-1] != ord("$")
        owner = np.repeat(np.arange(len(keys), dtype=np.int32), lengths + 2)[:-1][starts]
        gram = (code[:-1] * width + code[1:])[starts]
        gram = gram.astype(np.uint16 if width * width <= 1 << 16 else np.int64)
        order = np.argsort(gram, kind="stable")  # a radix sort for 16 bits; forms stay in order per bigram
        gram, owner = gram[order], owner[order]
        new = np.concatenate(([True], gram[1:] != gram[:-1]))
        keep = new | np.concatenate(([True], owner[1:] != owner[:-1]))  # each (bigram, form) once
        gram, owner, new = gram[keep], owner[keep], new[keep]
        first = np.flatnonzero(new)
        bounds = [*first.tolist(), len(gram)]
        chars = [chr(c) for c in alphabet.tolist()]
        postings = {chars[gc // width] + chars[gc % width]: owner[bounds[n] : bounds[n + 1]]
                    for n, gc in enumerate(gram[first].tolist())}
        return postings

    @staticmethod
    def _fuzzy_form(key: str, ambiguous: frozenset[str]) -> bool:
        """A form the index offers: one word (letters, hyphens, apostrophes) of four letters or more, not
        ambiguous."""
        return len(key) >= 4 and (key.isalpha() or key.replace("-", "").replace("'", "").isalpha()) \
            and key not in ambiguous

    def owners(self, form: str) -> list[Entry]:
        """The entries an indexed ``form`` stands for: the places that have it as a form, then the persons
        with it as surname (worked out on lookup, memoised: a run looks up a few forms of the ~57k)."""
        if self._keys is None:
            self._build()
        ids = self._owners.get(form)
        if ids is None:
            g = self._idx.gazetteer
            ids = []
            items = g.index.get(form) if self._fuzzy_form(form, g.ambiguous) else None
            if items:
                ids = [i for i, _how in items if i in self._ok]
            if len(form) >= 5:
                ids += [e.id for e, _ in self._idx.surnames.get(form, ()) if e.id not in ids]
            self._owners[form] = ids
        entries = self._idx.gazetteer.entries
        return [entries[i] for i in ids]

    def _near(self, q: str) -> list[str]:
        """Forms within ``max_edits`` plain edits (OSA) of ``q``: a q-gram filter (an edit destroys at most
        three of the padded bigrams, so a near form shares most of them), then rapidfuzz on the few left, in
        the forms' order (so ties rank the same whichever way the filter ran)."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        keys = self._keys if self._keys is not None else self._build()
        k = max_edits(len(q))
        if self._postings is None and self._plain_searches < PLAIN_SEARCHES:
            self._plain_searches += 1
            ids = self._near_plain(q, keys)
        else:
            ids = self._near_numpy(q, keys)
        if not ids:
            return []
        pool = [keys[i] for i in ids]
        return [form for form, _s, _i in process.extract(q, pool, scorer=OSA.distance, score_cutoff=k, limit=LIMIT)]

    def _near_numpy(self, q: str, keys: list[str]) -> list[int]:
        """Numbers (ascending) of the forms that pass the bigram and length filter, from the postings."""
        import numpy as np

        postings, lengths = self._index()
        n = len(q)
        k = max_edits(n)
        lists = [lst for gram in set(_bigrams(q)) if (lst := postings.get(gram)) is not None]
        if not lists:
            return []
        counts = np.bincount(np.concatenate(lists), minlength=len(keys))
        ok = np.nonzero((counts >= max((n + 1) - 3 * k, 1)) & (np.abs(lengths - n) <= k))[0]
        return ok.tolist()

    def _near_plain(self, q: str, keys: list[str]) -> list[int]:
        """The same as :meth:`_near_numpy` without numpy: each bigram's forms are found by splitting the
        joined forms at it (C loops throughout: split, accumulate, bisect), memoised per bigram."""
        if not self._starts:
            self._joined = "^" + "$^".join(keys) + "$"
            self._plain_lengths = list(map(len, keys))
            self._starts = list(accumulate((n + 2 for n in self._plain_lengths), initial=0))[:-1]
        n = len(q)
        k = max_edits(n)
        counts: Counter[int] = Counter()
        for gram in set(_bigrams(q)):
            ids = self._plain_postings.get(gram)
            if ids is None:
                parts = self._joined.split(gram)
                # where each occurrence starts: the text before it plus the earlier occurrences
                at = map(add, accumulate(map(len, parts[:-1])), range(0, 2 * (len(parts) - 1), 2))
                owners = map(partial(bisect_right, self._starts), at)
                ids = self._plain_postings[gram] = list(dict.fromkeys(owners))  # form number + 1
            counts.update(ids)
        need = max((n + 1) - 3 * k, 1)
        lengths = self._plain_lengths
        return sorted(i - 1 for i, c in counts.items() if c >= need and abs(lengths[i - 1] - n) <= k)

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


def for_index(idx: ei.EntityIndex) -> GlobalCandidates:
    """One candidate index per entity index."""
    return per_owner("candidates", idx, lambda: GlobalCandidates(idx))
