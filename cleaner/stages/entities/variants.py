"""Known spellings: a form listed in a gazetteer row's ``rewrite`` column becomes the canonical name when the
house style rewrites the row (``Kiev`` -> ``Kyiv``), multi-word forms longest first, case kept; a surname
spelled as in a person's rewrite form becomes the canonical surname when the person is identified."""

from __future__ import annotations

from ...core.edits import Edit
from ...language import entity_index as ei
from ...language.gazetteer import Entry, rewrites
from ...language.text import match_case
from .common import _PLACE_KINDS, _WORD_RE, _previous_word, _Shared, _strip_possessive
from .decision import CYRILLIC_COUNTRIES
from .garbles import _other_ending


def _closest_form(e: Entry, surface: str) -> str:
    """The correct form to write for a multi-word variant: the canonical, or an accepted form that keeps
    more of the variant's own words (``Kiev region`` -> ``Kyiv region``, not ``Kyiv Oblast``: the generic
    word is the writer's choice, only the name is rewritten). A person's variant becomes the canonical name:
    the given name is part of the name, not a generic word (``Andrij Jermak`` -> ``Andriy Yermak``, not the
    accepted ``Andrij Yermak``)."""
    words = surface.lower().split()
    if len(words) < 2 or e.kind == "person":
        return e.canonical
    best, shared = e.canonical, sum(a == b for a, b in zip(words, e.canonical.lower().split(), strict=False))
    for f in e.accept:
        fw = f.lower().split()
        if len(fw) == len(words):
            n = sum(a == b for a, b in zip(words, fw, strict=True))
            if n > shared and n < len(words):
                best, shared = f, n
    return best


class VariantsMixin(_Shared):
    """Variant and surname-variant edits for the stage."""

    def _multi(self, view: str, start: int, head: str) -> tuple[str, int] | None:
        """The longest multi-word form starting at ``start`` whose first word is ``head``."""
        by_second = self.index.first2.get(head, {})
        gap = start + len(head)
        m = _WORD_RE.match(view, gap + 1) if view[gap : gap + 1] == " " else None
        forms = by_second.get(_strip_possessive(m.group()).lower(), []) if m else []
        if head in self.index.lower_second:
            forms = self.index.first[head]
        for form in forms:
            end = start + len(form)
            if view[start:end].lower() == form and (end == len(view) or not view[end].isalnum()):
                return form, end
        return None

    def _exact(self, text, start, end, key, variants) -> None:
        surface = text[start:end]
        hit = self._rewrite_target(key)
        if hit is None:
            return
        e, form = hit
        if self._kept_phrase(text, start, end, key):
            return
        target = _closest_form(e, surface)
        sw, tw = surface.split(" "), target.split(" ")
        if len(sw) == len(tw) > 1:
            repl = " ".join(match_case(s, t) for s, t in zip(sw, tw, strict=True))
        else:
            repl = match_case(surface, target)
        variants.append((start, end, key, repl, e))

    def _variant_edits(self, view: str, variants, in_doc: dict[int, int] | None = None) -> list[Edit]:
        """Rewrite variants of prominent entries everywhere; a variant of a minor place when some mention of
        it in the document has a place cue (``in``, ``near``, ``region``...), or the document names another
        place of the same country, or the place is Ukrainian, Russian or Belarusian (a listed romanisation,
        not part of a longer capitalised name), and no mention says it is a person; then every mention
        gets the same decision."""
        decided: dict[str, str] = {}
        entries = self.index.gazetteer.entries
        countries: dict[str, int] = {}
        for i in in_doc or ():
            e = entries[i]
            if e.kind in _PLACE_KINDS and not e.ambiguous:
                countries[e.country] = countries.get(e.country, 0) + 1
        for start, end, key, _repl, e in variants:
            if key in decided and decided[key]:
                continue
            if self._prominent(e):
                decided[key] = "prominent"
                continue
            cues = self._context(view, start, end)
            kinds = set()
            for c in cues:
                pos, word = c.split(":", 1)
                kinds |= self._cues.get((pos, word), set())
            if "person" in kinds:
                decided[key] = ""
                decided[key + "\0person"] = "x"
            elif kinds & _PLACE_KINDS and not decided.get(key + "\0person"):
                decided[key] = f"cue '{cues[0].split(':', 1)[1] if cues else ''}'"
                for c in cues:
                    pos, word = c.split(":", 1)
                    if self._cues.get((pos, word), set()) & _PLACE_KINDS:
                        decided[key] = f"cue '{word}'"
                        break
            elif "person" not in kinds and e.country and countries.get(e.country, 0) > (e.id in (in_doc or ())):
                decided.setdefault(key, f"other {e.country} places in the document")
            elif e.country in CYRILLIC_COUNTRIES and not self._in_name_sequence(view, start, end):
                decided.setdefault(key, "a listed romanisation")  # the house style's own domain
            else:
                decided.setdefault(key, "")
        edits = []
        for start, end, key, repl, e in variants:
            why = decided.get(key)
            if not why or decided.get(key + "\0person"):
                continue
            if e.kind != "person" and self._after_given_name(view, start):
                continue  # "Alexey Nikolaev": a surname that is also a place's variant spelling
            edits.append(Edit(
                start, end, repl, rule="variant", confidence=0.97 if why == "prominent" else 0.9,
                note=f"variant of {e.canonical} ({e.source}), style {self.config.style}"
                + ("" if why == "prominent" else f", {why}"),
            ))
        return edits

    def _after_given_name(self, view: str, start: int) -> bool:
        """The word before ``start`` is a capitalised non-English word (a given name, as in
        "Alexey Nikolaev") or a title ("Prince Lvov"), so the name here is a person's, whatever places
        it also spells."""
        prev = _previous_word(view, start)
        if len(prev) < 2:
            return False
        if "person" in self._cues.get(("before", prev.lower()), ()):
            return True
        return prev[0].isupper() and prev[1:].islower() and prev.lower() not in self._vocab

    def _surname_edits(self, view, text, spans, full_names) -> list[Edit]:
        """A surname spelled as in a person's rewrite form (``Shmygal``) becomes the canonical surname
        when one of the person's given names precedes it or the document names the person in full;
        otherwise it is only suggested."""
        idx = self.index
        style = self.config.style
        decided: dict[str, tuple[float, str]] = {}
        for start, _end, low in spans:
            e = idx.surname_rewrites[low]
            prev = _previous_word(view, start).lower()
            if prev and prev in idx.given_of.get(e.id, ()):
                decided[low] = max(decided.get(low, (0.0, "")), (0.95, f"given name '{prev}'"))
            elif e.id in full_names:
                decided[low] = max(decided.get(low, (0.0, "")), (0.9, "named in full in the document"))
            else:
                decided.setdefault(low, (0.7, "surname alone"))
        out = []
        for start, end, low in spans:
            e = idx.surname_rewrites[low]
            if not rewrites(e, style):
                continue
            conf, why = decided[low]
            out.append(Edit(
                start, end, match_case(text[start:end], e.canonical.split()[-1]), rule="variant", confidence=conf,
                note=f"surname variant of {e.canonical} ({e.source}), style {style}: {why}",
            ))
        return out

    @staticmethod
    def _prominent(e: Entry) -> bool:
        return e.weight >= ei.FUZZY_MIN_WEIGHT or e.source.split("(", 1)[-1].startswith("curated") or e.kind in (
            "person", "org", "country")

    def _rewrite_target(self, key: str) -> tuple[Entry, str] | None:
        """The entry a rewrite variant ``key`` unambiguously belongs to, if the style rewrites it."""
        cache = self._rewrite_cache
        if key in cache:
            return cache[key]
        items = self.index.forms.get(key, [])
        hit = None
        if items and all(how == "rewrite" for _, how in items):
            canon = {e.canonical for e, _ in items}
            e = items[0][0]
            same_words = len(key.split()) == len(e.canonical.split())
            ok = len(canon) == 1 and same_words and len(key) >= 4 and rewrites(e, self.config.style)
            if ok and e.canonical.lower() != key and not self._other_name(e, key):
                hit = (e, key)
        cache[key] = hit
        return hit

    def _other_name(self, e: Entry, key: str) -> bool:
        """Is the variant also an English word or a person's name (for a minor entry)?"""
        if self._prominent(e):
            return False
        idx = self.index
        if e.kind != "person" and " " not in key and _other_ending(key, e.canonical.lower()):
            return True  # another word on the name's stem (a surname Yartseva, not the town Yartsevo)
        return key in self._vocab or key in idx.given or (key in idx.surnames and e.kind != "person")

    def _kept_phrase(self, text: str, start: int, end: int, key: str) -> bool:
        phrases = self._keep.get(key)
        if not phrases:
            return False
        window_start = max(0, start - 40)
        window = text[window_start : end + 40].lower()
        for p in phrases:
            i = window.find(p)
            while i >= 0:
                if window_start + i <= start and end <= window_start + i + len(p):
                    return True
                i = window.find(p, i + 1)
        return False

    # ------------------------------------------------------------------ garbles
