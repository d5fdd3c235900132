"""The ``entities`` stage: repairs names of people and places against the gazetteers.

Mechanisms (all general; the names come from ``dictionaries/``):

- ``variant``: a spelling listed in a gazetteer row's ``rewrite`` column is rewritten to the canonical
  name when the house style says so (``Kiev`` -> ``Kyiv``, ``Kiev's`` -> ``Kyiv's``); multi-word forms,
  longest match first; case kept.
- ``lookalike``: Cyrillic/Greek look-alike letters inside a Latin word are put back to Latin
  (``dictionaries/confusables.tsv``); an all-Cyrillic token inside Latin text that romanises to a
  gazetteer name becomes that name (``transliteration``).
- ``garble``: an unknown capitalised or all-caps token (not English, not a known name, not an acronym)
  is compared, with a weighted edit distance (:mod:`cleaner.similarity`), to the names the document
  already contains, to the persons whose given name precedes it, and (strictly) to prominent names of
  the whole gazetteer. A repair needs enough similarity, evidence (mentions in the document, a given
  name, a cue word) and a margin over the runner-up; otherwise it is a suggestion (confidence < 0.8).
  One garble gets one decision in a document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from .. import entity_index as ei
from ..edits import Edit
from ..gazetteer import Entry, rewrites
from ..homoglyphs import NONLATIN_RE, cyrillic_reading, fold_lookalikes, is_mixed_script, transliterations
from ..similarity import distance
from ..text import PROTECTED_KINDS, match_case, tokenize
from . import Stage, register

# A capitalised word (possessive and hyphenated parts included), not glued to digits or other letters.
_CAP_RE = regex.compile(
    r"(?<![\p{L}\p{M}\p{N}_@#/\\'’\-])\p{Lu}[\p{L}\p{M}]*(?:['’\-][\p{L}][\p{L}\p{M}]*)*(?![\p{N}_@])"
)
_NONLATIN_WORD_RE = regex.compile(r"[\p{L}\p{M}]*[\p{Cyrillic}\p{Greek}][\p{L}\p{M}]*")
_PREV_WORD_RE = regex.compile(r"([\p{L}]+)[.,]?\s+$")
_NEXT_WORD_RE = regex.compile(r"^[,]?\s+([\p{L}]+)")
_VOWELS = frozenset("aeiouy")
_PLACE_KINDS = frozenset({"place", "region", "country", "water"})


@dataclass
class _Candidate:
    """All occurrences of one unknown token (lower-cased, possessive stripped) in a document."""

    key: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, surface)
    anchors: set[str] = field(default_factory=set)  # lower-cased preceding given names
    cues: list[str] = field(default_factory=list)  # "before:at", "after:said"
    caps: bool = False


@dataclass
class _Choice:
    entry: Entry
    form: str  # lower-cased form or surname compared with
    dist: float
    sim: float
    tier: str  # "anchor" | "document" | "global"


def _strip_possessive(word: str) -> str:
    if len(word) > 3 and word[-2] in "'’" and word[-1] in "sS":
        return word[:-2]
    if len(word) > 3 and word[-1] in "'’" and word[-2] in "sS":
        return word[:-1]
    return word


def _entry_kinds(e: Entry) -> str:
    return "place" if e.kind in _PLACE_KINDS else e.kind


@register("entities")
class EntitiesStage(Stage):
    """See the module docstring. Options: ``global_fuzzy`` (default True)."""

    def __init__(self, config) -> None:
        super().__init__(config)
        self._index: ei.EntityIndex | None = None

    # ------------------------------------------------------------------ resources

    @property
    def index(self) -> ei.EntityIndex:
        if self._index is None:
            self._index = ei.for_config(self.config)
            self._vocab = ei.vocab()
            self._acronyms = ei.acronyms()
            self._cues = ei.cues()
            self._keep = ei.keep_phrases()
            self._name_tokens = self._index.gazetteer.tokens
            self._rewrite_cache: dict[str, tuple[Entry, str] | None] = {}
        return self._index

    # ------------------------------------------------------------------ main

    def propose(self, text: str) -> list[Edit]:
        idx = self.index
        edits: list[Edit] = []
        view = text
        folded: dict[int, Edit] = {}
        if NONLATIN_RE.search(text):
            view, folded, translit_edits = self._scripts(text)
            edits += translit_edits
        forms = idx.forms
        first = idx.first
        vocab = self._vocab
        name_tokens = self._name_tokens
        acronyms = self._acronyms
        in_doc: dict[int, int] = {}
        doc_case: dict[int, bool] = {}  # entry id -> seen written not all-caps
        unknown: dict[str, _Candidate] = {}
        surname_hits: list[tuple[int, int, str]] = []
        skip_to = -1
        prev_end = -1
        prev_word = ""
        for m in _CAP_RE.finditer(view):
            start, end = m.span()
            if start < skip_to:
                continue
            word = m.group()
            name = _strip_possessive(word)
            nend = start + len(name)
            low = name.lower()
            adjacent_prev = prev_word if start - prev_end == 1 and view[prev_end] == " " else ""
            prev_end, prev_word = end, low
            # multi-word forms, longest first
            if low in first or ("-" in low and low.split("-", 1)[0] in first):
                hit = self._multi(view, start, first.get(low) or first[low.split("-", 1)[0]])
                if hit:
                    form, fend = hit
                    self._exact(text, start, fend, form, forms[form], in_doc, doc_case, edits)
                    skip_to = fend
                    continue
            items = forms.get(low)
            if items is not None:
                self._exact(text, start, nend, low, items, in_doc, doc_case, edits)
                continue
            if low in name_tokens:
                if low in idx.surnames:
                    surname_hits.append((start, nend, low))
                continue
            if low in vocab or len(name) < 4:
                if "-" in low:
                    head = low.split("-", 1)[0]
                    items = forms.get(head)
                    if items is not None:
                        self._exact(text, start, start + len(head), head, items, in_doc, doc_case, edits)
                continue
            if name.isupper() and name.upper() in acronyms:
                continue
            cand = unknown.get(low)
            if cand is None:
                cand = unknown[low] = _Candidate(low)
            cand.spans.append((start, nend, text[start:nend]))
            if adjacent_prev:
                cand.anchors.add(adjacent_prev)
        for start, end, low in surname_hits:
            for e, _how in idx.surnames[low]:
                in_doc[e.id] = in_doc.get(e.id, 0) + 1
        if unknown:
            edits += self._garbles(view, text, unknown, in_doc, doc_case)
        # look-alike folds not already covered by a name edit
        if folded:
            covered = [(e.start, e.end) for e in edits]
            for e in folded.values():
                if not any(s <= e.start and e.end <= t for s, t in covered):
                    edits.append(e)
        if edits:
            edits = self._unprotected(text, edits)
        return edits

    # ------------------------------------------------------------------ scripts

    def _scripts(self, text: str) -> tuple[str, dict[int, Edit], list[Edit]]:
        """Fold look-alike letters in mixed-script words (same length, so offsets hold); romanise
        all-Cyrillic words inside Latin text when that gives a gazetteer name."""
        idx = self.index
        parts: list[str] = []
        pos = 0
        folded: dict[int, Edit] = {}
        translit: list[Edit] = []
        latin_letters = len(regex.findall(r"\p{Latin}", text[:2000]))
        for m in _NONLATIN_WORD_RE.finditer(text):
            word = m.group()
            if is_mixed_script(word):
                fixed = fold_lookalikes(word)
                if NONLATIN_RE.search(fixed):
                    continue
                known = fixed.lower() in self._vocab or fixed.lower() in self._name_tokens
                parts.append(text[pos : m.start()])
                parts.append(fixed)
                pos = m.end()
                folded[m.start()] = Edit(
                    m.start(), m.end(), fixed, rule="lookalike", confidence=0.95 if known else 0.85,
                    note=f"Cyrillic/Greek look-alike letters put back to Latin ({'known word' if known else 'unknown word'})",
                )
            elif latin_letters > 200 and len(word) >= 3:
                for cand in transliterations(word):
                    items = idx.forms.get(cand)
                    if items:
                        e, how = items[0]
                        target = e.canonical if rewrites(e, self.config.style) or how != "rewrite" else cand
                        if word.isupper():
                            target = target.upper()
                        translit.append(Edit(
                            m.start(), m.end(), target, rule="transliteration", confidence=0.9,
                            note=f"Cyrillic {word} romanised as {cand}: {e.canonical} ({e.source})",
                        ))
                        break
        parts.append(text[pos:])
        return "".join(parts), folded, translit

    # ------------------------------------------------------------------ exact forms

    @staticmethod
    def _multi(view: str, start: int, forms: list[str]) -> tuple[str, int] | None:
        for form in forms:
            end = start + len(form)
            if view[start:end].lower() == form and (end == len(view) or not view[end].isalnum()):
                return form, end
        return None

    def _exact(self, text, start, end, key, items, in_doc, doc_case, edits) -> None:
        surface = text[start:end]
        not_caps = not surface.isupper()
        for e, _how in items:
            in_doc[e.id] = in_doc.get(e.id, 0) + 1
            if not_caps:
                doc_case[e.id] = True
        hit = self._rewrite_target(key)
        if hit is None:
            return
        e, form = hit
        if self._kept_phrase(text, start, end, key):
            return
        target = e.canonical
        if " " in target and " " in surface:
            repl = " ".join(match_case(s, t) for s, t in zip(surface.split(" "), target.split(" "))) if len(
                surface.split(" ")) == len(target.split(" ")) else (target.upper() if surface.isupper() else target)
        else:
            repl = match_case(surface, target)
        edits.append(Edit(
            start, end, repl, rule="variant", confidence=0.97,
            note=f"variant of {e.canonical} ({e.source}), style {self.config.style}",
        ))

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
            if len(canon) == 1 and rewrites(e, self.config.style) and e.canonical.lower() != key:
                hit = (e, key)
        cache[key] = hit
        return hit

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

    def _context(self, view: str, start: int, end: int) -> list[str]:
        out = []
        m = _PREV_WORD_RE.search(view[max(0, start - 30) : start])
        if m:
            out.append("before:" + m.group(1).lower())
        after = view[end : end + 30]
        if after[:2] in ("'s", "’s"):
            after = after[2:]
        m = _NEXT_WORD_RE.search(after)
        if m:
            out.append("after:" + m.group(1).lower())
        return out

    def _cue_for(self, cand: _Candidate, kind: str) -> str:
        for c in cand.cues:
            pos, word = c.split(":", 1)
            kinds = self._cues.get((pos, word))
            if kinds and (kind in kinds or (kind == "place" and kinds & _PLACE_KINDS)):
                return word
        return ""

    def _garbles(self, view, text, unknown: dict[str, _Candidate], in_doc, doc_case) -> list[Edit]:
        idx = self.index
        entries = idx.gazetteer.entries
        style = self.config.style
        use_global = self.options.get("global_fuzzy", True)
        edits: list[Edit] = []
        doc_entries = [entries[i] for i in in_doc]
        for cand in unknown.values():
            surface0 = cand.spans[0][2]
            cand.caps = surface0.isupper() and len(surface0) >= 4
            if cand.caps:
                if not (set(cand.key) & _VOWELS):
                    continue
                # all-caps is a garble only inside mixed-case text
                s0 = cand.spans[0][0]
                line = text[text.rfind("\n", 0, s0) + 1 : text.find("\n", s0) if "\n" in text[s0:] else len(text)]
                if sum(ch.islower() for ch in line) < 10:
                    continue
            for s, t, _ in cand.spans:
                cand.cues += self._context(view, s, t)
            choice, runner, evidence = self._choose(cand, doc_entries, in_doc, use_global)
            if choice is None:
                continue
            conf = self._confidence(cand, choice, runner, in_doc, evidence)
            if conf <= 0:
                continue
            e = choice.entry
            target = self._target(e, choice, style)
            if not target or target.lower() == cand.key:
                continue
            count = in_doc.get(e.id, 0)
            note = (
                f"garble of {e.canonical} ({e.source}): {choice.tier}"
                + (f", in document {count}x" if count else "")
                + f", distance {choice.dist:.1f}/{len(choice.form)}"
                + (f", {evidence}" if evidence else "")
                + (f", runner-up {runner.entry.canonical} {runner.dist:.1f}" if runner else "")
            )
            for s, t, surface in cand.spans:
                if cand.caps and doc_case.get(e.id):
                    repl = target  # the capitals are part of the garble: write the name as the document does
                else:
                    repl = match_case(surface, target)
                edits.append(Edit(s, t, repl, rule="garble", confidence=round(conf, 3), note=note))
        return edits

    def _target(self, e: Entry, choice: _Choice, style: str) -> str:
        if e.kind == "person":
            words = e.canonical.split()
            if not rewrites(e, style):
                return choice.form.capitalize()
            return words[-1]
        if " " in e.canonical:
            return ""
        if not rewrites(e, style):
            for f in e.forms:
                if f.lower() == choice.form:
                    return f
        return e.canonical

    def _forms_of(self, e: Entry) -> set[str]:
        if e.kind == "person":
            return {f.split()[-1].lower() for f in e.forms}
        return {f.lower() for f in e.forms if " " not in f}

    def _choose(self, cand: _Candidate, doc_entries, in_doc, use_global):
        idx = self.index
        key = cand.key
        caps = cand.caps
        reading = cyrillic_reading(cand.spans[0][2]) if caps else ""
        tiers: list[tuple[str, list[Entry]]] = []
        anchored = []
        for a in cand.anchors:
            anchored += idx.given.get(a, [])
        if anchored:
            tiers.append(("anchor", anchored))
        if doc_entries:
            tiers.append(("document", doc_entries))
        if use_global and not caps and len(key) >= 6:
            near = idx.near(key)
            if near:
                g = []
                for w in near:
                    for e, _f in idx.single.get(w, []):
                        if ei._prominent(e):
                            g.append(e)
                tiers.append(("global", g))
        for tier, pool in tiers:
            scored: dict[int, _Choice] = {}
            for e in pool:
                for form in self._forms_of(e):
                    if abs(len(form) - len(key)) > 3 or form[0] != key[0] and tier != "anchor":
                        continue
                    d = distance(key, form, caps)
                    if reading:
                        d = min(d, distance(reading, form) + 0.25)
                    sim = 1.0 - d / max(len(form), len(key))
                    best = scored.get(e.id)
                    if best is None or d < best.dist:
                        scored[e.id] = _Choice(e, form, d, sim, tier)
            if not scored:
                continue
            ranked = sorted(scored.values(), key=lambda c: (c.dist, -in_doc.get(c.entry.id, 0), -c.entry.weight))
            best = ranked[0]
            if not self._plausible(cand, best):
                continue
            runner = next((c for c in ranked[1:] if c.entry.canonical != best.entry.canonical), None)
            evidence = []
            if tier == "anchor":
                evidence.append("given name " + "/".join(sorted(cand.anchors)))
            cue = self._cue_for(cand, _entry_kinds(best.entry))
            if cue:
                evidence.append(f"cue '{cue}'")
            return best, runner, ", ".join(evidence)
        return None, None, ""

    def _plausible(self, cand: _Candidate, c: _Choice) -> bool:
        n = len(cand.key)
        if c.tier == "anchor":
            return c.dist <= 2.0 and c.sim >= 0.65
        if c.tier == "document":
            if cand.caps:
                return c.dist <= 2.0 and c.sim >= 0.6
            return c.dist <= 1.0 and c.sim >= 0.8 and n >= 5
        return c.dist <= 1.0 and c.sim >= 0.8 and n >= 6

    def _confidence(self, cand: _Candidate, c: _Choice, runner: _Choice | None, in_doc, evidence: str) -> float:
        count = in_doc.get(c.entry.id, 0)
        cue = "cue" in evidence
        if c.tier == "anchor":
            conf = 0.9 + 0.08 * min(1.0, (c.sim - 0.65) / 0.35)
        elif c.tier == "document":
            if cand.caps:
                conf = 0.72 + 0.05 * (count >= 2) + 0.05 * (count >= 4) + 0.06 * cue + 0.04 * (c.sim >= 0.7)
            else:
                conf = 0.82 + 0.04 * (count >= 2) + 0.06 * cue + 0.04 * (c.dist <= 0.7)
        else:
            conf = 0.7 + 0.12 * cue + 0.03 * (c.dist <= 0.7)
        if runner is not None and runner.dist - c.dist < 0.5:
            conf = min(conf, 0.6)
        return min(conf, 0.98)

    # ------------------------------------------------------------------ protection

    @staticmethod
    def _unprotected(text: str, edits: list[Edit]) -> list[Edit]:
        lo = min(e.start for e in edits)
        hi = max(e.end for e in edits)
        a = max(0, text.rfind(" ", 0, max(0, lo - 200)))
        b = text.find(" ", hi + 200)
        b = len(text) if b < 0 else b
        spans = [(a + t.start, a + t.end) for t in tokenize(text[a:b]) if t.kind in PROTECTED_KINDS]
        if not spans:
            return edits
        return [e for e in edits if not any(s < e.end and e.start < t for s, t in spans)]
