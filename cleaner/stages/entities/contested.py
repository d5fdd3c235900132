"""Names shared by a Ukrainian place (as its Russian-era or another scheme's spelling) and a smaller place of
Russia or Belarus (``dictionaries/places_shared.tsv``, built by ``scripts/build_places.py``): ``Volchansk`` is
Vovchansk in Kharkiv region under its Russian name and a town of 10,000 in Sverdlovsk region. The gazetteer
cannot rewrite them; the document's country profile decides:

- rewritten to the Ukrainian place when the document names Ukrainian places, regions or Ukraine, or calls
  something Ukrainian (two such mentions at least, besides the name itself), more often than places of
  Russia or Belarus, and no sentence with the name points to Russia or Belarus (``Russia's``, ``in Russia``,
  ``a Russian town``, a place of those countries that is no Ukrainian place's name too);
- suggested when the evidence is weaker (one Ukrainian mention, or as many Russian ones);
- left alone otherwise, and always after a given name or a title (``Sergei Makarov``).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import regex

from ...core.edits import Edit
from ...core.resources import path, read_tsv
from ...language.gazetteer import Entry, rewrites
from ...language.text import match_case
from .common import _sentence, _Shared, _strip_possessive

#: words that call something Ukrainian (the country and its places count through the gazetteer)
UKRAINIAN_WORDS = frozenset({"ukrainian", "ukrainians", "ukraine's", "ukraine’s"})
#: a phrase in the sentence that places the name in Russia or Belarus
_RUSSIAN_CUE_RE = regex.compile(
    r"\b(?:Russia['’]s|Belarus['’]s|in (?:Russia|Belarus)\b|(?:Russian|Belarusian) (?:town|city|village|"
    r"region|oblast|republic|settlement|district|province|territory)|Russian Federation)",
)
#: confidence of a repair and of a suggestion
REPAIR, SUGGEST = 0.85, 0.6
#: Ukrainian mentions (besides the name) a repair needs
MIN_EVIDENCE = 2


@cache
def shared_forms() -> dict[str, tuple[str, str, str]]:
    """Lower-cased form -> (canonical, country, source) of the Ukrainian place it may stand for."""
    return {row[0].lower(): (row[1], row[2], row[4]) for row in read_tsv(path("places_shared.tsv"), columns=5)}


class ContestedMixin(_Shared):
    """Repairs of shared Russian-era forms by the document's country profile."""

    def _contested_target(self, low: str) -> Entry | None:
        """The Ukrainian place a shared form may stand for (the largest row with that canonical and source)."""
        hit = shared_forms().get(low)
        if hit is None:
            return None
        canonical, country, source = hit
        found = [e for e, how in self.index.forms.get(canonical.lower(), ())
                 if how == "canonical" and e.country == country and e.kind == "place"]
        exact = [e for e in found if source in e.source]
        pool = exact or found
        return max(pool, key=lambda e: e.weight) if pool else None

    def _profile(self, words: set[str], skip: str) -> tuple[int, set[int]]:
        """(Ukrainian mentions, ids of Russian or Belarusian places no Ukrainian name shares) in the document's
        capitalised words, without the shared form ``skip`` itself."""
        entries = self.index.gazetteer.entries
        ua = 0
        ru: set[int] = set()
        for w in words:
            low = w.lower()
            if low == skip:
                continue
            if low in UKRAINIAN_WORDS:
                ua += 1
                continue
            info = self._words.get(w)
            if not info or not info[1]:
                continue
            countries = {entries[i].country for i in info[1] if entries[i].kind != "person"}
            if "UA" in countries:
                ua += 1
            elif countries & {"RU", "BY"}:
                ru.update(i for i in info[1] if entries[i].kind in ("place", "region"))
        return ua, ru

    def _contested_edits(self, view: str, text: str, words: list[str], cap_re) -> list[Edit]:
        """Edits (repairs or suggestions) for the document's shared forms ``words`` (see the module docstring)."""
        out: list[Edit] = []
        distinct = set(cap_re.findall(view))
        by_word: dict[str, list[int]] = {}
        for start, w in self._occurrences(view, words, cap_re):
            by_word.setdefault(w, []).append(start)
        for w, starts in by_word.items():
            name = _strip_possessive(w)
            low = name.lower()
            e = self._contested_target(low)
            if e is None or not rewrites(e, self.config.style):
                continue
            if any(self._after_given_name(view, s) for s in starts):
                continue
            ua, ru = self._profile(distinct, low)
            near_ru = False
            n = len(name)
            for s in starts:
                a, b = _sentence(view, s, s + n)
                if _RUSSIAN_CUE_RE.search(view, a, b):
                    near_ru = True
                    break
                sentence_words = set(cap_re.findall(view, a, b))
                if self._profile(sentence_words, low)[1]:
                    near_ru = True
                    break
            if near_ru or ua == 0:
                continue
            conf = REPAIR if ua >= MIN_EVIDENCE and ua > len(ru) else SUGGEST
            note = (f"Russian-era spelling of {e.canonical} ({e.source}), also the name of a smaller place in "
                    f"Russia or Belarus: the document names Ukraine {ua}x"
                    + (f", Russia or Belarus {len(ru)}x" if ru else ""))
            for s in starts:
                surface = text[s : s + n]
                out.append(Edit(s, s + n, match_case(surface, e.canonical), rule="variant",
                                confidence=conf, note=note))
        return out

    if TYPE_CHECKING:  # provided by the stage class
        _words: dict[str, tuple]

        @staticmethod
        def _occurrences(view: str, words: list[str], cap_re) -> list[tuple[int, str]]: ...
