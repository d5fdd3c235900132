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

import re
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .. import entity_index as ei
from ..edits import Edit
from ..gazetteer import Entry, rewrites
from ..homoglyphs import NONLATIN_RE, confusions, cyrillic_reading, fold_lookalikes, is_mixed_script, transliterations
from ..similarity import distance
from ..text import PROTECTED_KINDS, match_case, tokenize
from . import Stage, register

# A capitalised word (possessive and hyphenated parts included), not glued to digits or other letters.
_CAP_RE = regex.compile(
    r"(?<![\p{L}\p{M}\p{N}_@#/\\'’\-])\p{Lu}[\p{L}\p{M}]*(?:['’\-][\p{L}][\p{L}\p{M}]*)*(?![\p{N}_@])"
)
# The same for text whose letters are all ASCII (see _cap_re): a class-led ``re`` pattern, which skips
# ahead to the next capital letter in C, about 2.5x faster than _CAP_RE on news text.
_CAP_ASCII_RE = re.compile(r"[A-Z](?<![A-Za-z0-9_@#/\\'’\-][A-Z])[A-Za-z]*(?:['’\-][A-Za-z][A-Za-z]*)*(?![0-9_@])")
# Characters outside ASCII that are no letter, mark or digit (currency, quotes, dashes, spaces): text with
# no other non-ASCII character reads the same to _CAP_ASCII_RE as to _CAP_RE.
_NOT_PLAIN_RE = re.compile("[^\x00-\x7f\xa0£€¢¥‘’“”–—…•°\u2009\u200a\u202f]")
_NONLATIN_WORD_RE = regex.compile(r"[\p{L}\p{M}]*[\p{Cyrillic}\p{Greek}][\p{L}\p{M}]*")
_LOWER_RE = regex.compile(r"\p{Ll}")
_WORD_RE = regex.compile(r"[\p{L}\p{M}]+(?:['’\-][\p{L}\p{M}]+)*")
_PREV_WORD_RE = regex.compile(r"([\p{L}]+)[.,]?\s+$")
_NEXT_WORD_RE = regex.compile(r"^[,]?\s+([\p{L}]+)")
#: the capitalised name before this one in a list: "X, " / "X and " / "X, and " / "X or " right before it
_LIST_PREV_RE = regex.compile(
    r"(?<![\p{L}\p{M}'’\-])(\p{Lu}[\p{L}\p{M}'’\-]*)(?:,\s+(?:and\s+|or\s+)?|\s+(?:and|or)\s+)\Z"
)
_VOWELS = frozenset("aeiouy")
# Greek and Cyrillic blocks, as a plain ``re`` class (several times faster than \p{Script} here)
_FAST_NONLATIN = re.compile("[\u0370-\u03ff\u0400-\u052f\u1f00-\u1fff]")
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


def _cap_re(text: str):
    """The capitalised-word pattern for ``text``: the fast ASCII one when it finds the same words."""
    if text.isascii() or _NOT_PLAIN_RE.search(text) is None:
        return _CAP_ASCII_RE
    return _CAP_RE


@lru_cache(maxsize=4096)
def _near_shapes(letter: str, n: int) -> tuple[tuple[str, int], ...]:
    """(letter, length) pairs within 3 letters of a name's length: a garble of it is about that long."""
    return tuple((letter, n + k) for k in range(-3, 4))


def _strip_possessive(word: str) -> str:
    if len(word) > 3 and word[-2] in "'’" and word[-1] in "sS":
        return word[:-2]
    if len(word) > 3 and word[-1] in "'’" and word[-2] in "sS":
        return word[:-1]
    return word


def _previous_word(view: str, start: int) -> str:
    """The word just before ``start`` if only one space separates them (a given name or title)."""
    if start < 2 or view[start - 1] != " " or not view[start - 2].isalpha():
        return ""
    j = max(view.rfind(" ", max(0, start - 40), start - 1), view.rfind("\n", max(0, start - 40), start - 1))
    word = view[j + 1 : start - 1]
    return word if word.isalpha() else ""


def _entry_kinds(e: Entry) -> str:
    return "place" if e.kind in _PLACE_KINDS else e.kind


# word classes (bit flags) for capitalised words
_SKIP, _FIRST, _FORM, _HEAD, _SURNAME, _UNKNOWN = 0, 1, 2, 4, 8, 16


@register("entities")
class EntitiesStage(Stage):
    """See the module docstring. Options: ``global_fuzzy`` (default False: suggestions from the whole gazetteer)."""

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
            self._skip: set[str] = set()
            self._forms_cache: dict[int, tuple[str, ...]] = {}
            self._letters_cache: dict[int, tuple[str, ...]] = {}
            self._classes: dict[str, tuple[int, str]] = {}
            self._first_rewrite_cache: dict[str, bool] = {}
        return self._index

    # ------------------------------------------------------------------ main

    def propose(self, text: str) -> list[Edit]:
        nonlatin = not text.isascii() and _FAST_NONLATIN.search(text) is not None
        cap_re = _cap_re(text)
        toks = cap_re.findall(text)
        if not nonlatin and not toks:
            return []  # no capitalised word and no Cyrillic/Greek letter: nothing to look up (no index needed)
        idx = self.index
        edits: list[Edit] = []
        view = text
        folded: dict[int, Edit] = {}
        if nonlatin:
            view, folded, translit_edits = self._scripts(text)
            edits += translit_edits
            cap_re = _cap_re(view)
            toks = cap_re.findall(view)
        forms = idx.forms
        first = idx.first
        in_doc: dict[int, int] = {}
        doc_case: dict[int, bool] = {}  # entry id -> seen written not all-caps
        unknown: dict[str, _Candidate] = {}
        variants: list = []
        skip = self._skip
        classify = self._classify
        want: list[str] = []  # words whose positions matter
        firsts: list[str] = []
        unknown_words: list[str] = []
        # (first letter, length) of the document's names, each widened by 3 letters either way
        shapes: set[tuple[str, int]] = set()
        distinct = set(toks)
        for w in distinct - skip:
            kind, low = classify(w)
            if kind == _SKIP:
                if len(skip) < 100_000:  # a bounded memo: memory stays flat on endless streams
                    skip.add(w)
                continue
            if kind & _FORM:
                n = toks.count(w)
                for e, _how in forms[low]:
                    in_doc[e.id] = in_doc.get(e.id, 0) + n
                    if not w.isupper():
                        doc_case[e.id] = True
                if self._rewrite_target(low) is not None:
                    want.append(w)
            if kind & _SURNAME:
                n = toks.count(w)
                for e, _how in idx.surnames[low]:
                    in_doc[e.id] = in_doc.get(e.id, 0) + n
                if low in idx.surname_rewrites:
                    want.append(w)
            if kind & _HEAD:
                want.append(w)
            if kind & _FIRST:
                firsts.append(w)
            if kind & (_FORM | _SURNAME | _FIRST):
                shapes.update(_near_shapes(low[:1], len(low)))
            if kind & _UNKNOWN:
                unknown_words.append(w)
        lows: set[str] | None = None  # the document's capitalised words lower-cased, built once if needed
        if unknown_words:
            # a garble is compared with names of the document sharing its first letter and about its
            # length (within 3 letters), or with the surname of a person whose given name precedes it
            lows = set(map(str.lower, distinct))
            has_given = not idx.given.keys().isdisjoint(lows)  # iterates the smaller of the two
            for w in unknown_words:
                low = classify(w)[1]
                n = len(low)
                if has_given or (low[:1], n) in shapes:
                    want.append(w)
                elif w.isupper() and (cyrillic_reading(w)[:1], n) in shapes:
                    want.append(w)
        if firsts and (want or any(self._first_rewrites(classify(w)[1]) for w in firsts)):
            if lows is None:
                lows = set(map(str.lower, distinct))
            lows = lows | {t[:-2] for t in lows if t[-2:] in ("'s", "’s")}
            first2, lower_second = idx.first2, idx.lower_second
            for w in firsts:
                head = classify(w)[1]
                head = head if head in first2 else head.split("-", 1)[0]
                if head in lower_second or not lows.isdisjoint(first2.get(head, ())):
                    want.append(w)
        skip_to = -1
        full_names: set[int] = set()
        surname_spans: list[tuple[int, int, str]] = []
        for start, word in self._occurrences(view, want, cap_re) if want else ():
            if start < skip_to:
                continue
            kind, low = classify(word)
            nend = start + len(low)
            if kind & _FIRST:
                head = low if low in first else low.split("-", 1)[0]
                hit = self._multi(view, start, head)
                if hit:
                    form, fend = hit
                    for e, _how in forms[form]:
                        in_doc[e.id] = in_doc.get(e.id, 0) + 1
                        full_names.add(e.id)
                        if not text[start:fend].isupper():
                            doc_case[e.id] = True
                    self._exact(text, start, fend, form, variants)
                    skip_to = fend
                    continue
            if kind & _SURNAME and low in idx.surname_rewrites:
                surname_spans.append((start, nend, low))
            if kind & _FORM:
                self._exact(text, start, nend, low, variants)
            elif kind & _HEAD:
                head = low.split("-", 1)[0]
                self._exact(text, start, start + len(head), head, variants)
            elif kind & _UNKNOWN:
                cand = unknown.get(low)
                if cand is None:
                    cand = unknown[low] = _Candidate(low)
                cand.spans.append((start, nend, text[start:nend]))
        if surname_spans:
            edits += self._surname_edits(view, text, surname_spans, full_names)
        if variants:
            edits += self._variant_edits(view, variants)
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

    def _classify(self, word: str) -> tuple[int, str]:
        """What a capitalised word can be (bit flags) and its lower-cased name (possessive stripped);
        memoised per process, since the same words recur in every document."""
        hit = self._classes.get(word)
        if hit is not None:
            return hit
        name = _strip_possessive(word)
        low = name.lower()
        idx = self.index
        kind = 0
        if len(name) >= 2:
            if low in idx.first or ("-" in low and low.split("-", 1)[0] in idx.first):
                kind |= _FIRST
            if low in idx.forms:
                kind |= _FORM
            elif "-" in low and low.split("-", 1)[0] in idx.forms:
                kind |= _HEAD
            if low in idx.surnames:
                kind |= _SURNAME
            if (
                not kind
                and len(name) >= 4
                and low not in self._vocab
                and low not in self._name_tokens
                and not (name.isupper() and name in self._acronyms)
            ):
                kind |= _UNKNOWN
        if kind & _HEAD and not self._rewrite_target(low.split("-", 1)[0]):
            kind &= ~_HEAD
        if len(self._classes) < 100_000:  # bounded, like the skip memo
            self._classes[word] = (kind, low)
        return kind, low

    def _first_rewrites(self, low: str) -> bool:
        """Does some multi-word form starting with ``low`` (or its head) rewrite? Memoised, like _classify."""
        hit = self._first_rewrite_cache.get(low)
        if hit is None:
            head = low if low in self.index.first else low.split("-", 1)[0]
            hit = any(self._rewrite_target(f) for f in self.index.first.get(head, ()))
            if len(self._first_rewrite_cache) < 100_000:
                self._first_rewrite_cache[low] = hit
        return hit

    def _occurrences(self, view: str, words: list[str], cap_re) -> list[tuple[int, str]]:
        """(start, word) of each occurrence of ``words`` as a whole capitalised token, in text order
        (``findall`` plus ``str.find`` is several times faster than ``finditer`` over all words)."""
        out: list[tuple[int, str]] = []
        match = cap_re.match
        for w in words:
            i = view.find(w)
            while i >= 0:
                m = match(view, i)
                if m is not None and m.end() - i == len(w):
                    out.append((i, w))
                i = view.find(w, i + len(w))
        out.sort()
        return out

    # ------------------------------------------------------------------ scripts

    def _scripts(self, text: str) -> tuple[str, dict[int, Edit], list[Edit]]:
        """Fold look-alike letters in mixed-script words (same length, so offsets hold); romanise
        all-Cyrillic words inside Latin text when that gives a gazetteer name."""
        idx = self.index
        parts: list[str] = []
        pos = 0
        folded: dict[int, Edit] = {}
        translit: list[Edit] = []
        latin_letters = len(regex.findall(r"\p{Latin}", text))
        other_letters = len(regex.findall(r"[\p{Cyrillic}\p{Greek}]", text))
        for m in _NONLATIN_WORD_RE.finditer(text):
            word = m.group()
            if is_mixed_script(word):
                fixed = fold_lookalikes(word)
                if NONLATIN_RE.search(fixed):
                    continue
                name = fixed.lower() in self._name_tokens
                known = name or fixed.lower() in self._vocab
                parts.append(text[pos : m.start()])
                parts.append(fixed)
                pos = m.end()
                # An all-caps word that is no name may be a stylised brand ("SENSЕ"): only suggested.
                confidence = 0.95 if known else 0.85
                if word.isupper() and not name:
                    confidence = 0.7
                folded[m.start()] = Edit(
                    m.start(), m.end(), fixed, rule="lookalike", confidence=confidence,
                    note="Cyrillic/Greek look-alike letters put back to Latin"
                    + (" (a known word)" if known else " (an unknown word)"),
                )
            elif latin_letters > 3 * other_letters and len(word) >= 3:
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
        target = e.canonical
        sw, tw = surface.split(" "), target.split(" ")
        if len(sw) == len(tw) > 1:
            repl = " ".join(match_case(s, t) for s, t in zip(sw, tw, strict=True))
        else:
            repl = match_case(surface, target)
        variants.append((start, end, key, repl, e))

    def _variant_edits(self, view: str, variants) -> list[Edit]:
        """Rewrite variants of prominent entries everywhere; a variant of a minor place only when some
        mention of it in the document has a place cue (``in``, ``near``, ``region``...) and none says
        it is a person; then every mention gets the same decision."""
        decided: dict[str, str] = {}
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

    def _context(self, view: str, start: int, end: int, depth: int = 0) -> list[str]:
        out = []
        m = _PREV_WORD_RE.search(view[max(0, start - 30) : start])
        if m:
            out.append("before:" + m.group(1).lower())
        # a name in a list ("near Lysychansk and Severodonetsk", "of Izium, Kupiansk and Sloviansk") shares
        # the cue that stands before the first name of the list
        lm = _LIST_PREV_RE.search(view, max(0, start - 60), start) if depth < 4 else None
        if lm is not None:
            out += [c for c in self._context(view, lm.start(1), lm.end(1), depth + 1) if c.startswith("before:")]
        after = view[end : end + 30]
        if after[:2] in ("'s", "’s"):
            after = after[2:]
        m = _NEXT_WORD_RE.search(after)
        if m:
            out.append("after:" + m.group(1).lower())
        return out

    def _person_cue(self, view: str, cand: _Candidate) -> bool:
        for s, t, _ in cand.spans:
            for c in self._context(view, s, t):
                pos, word = c.split(":", 1)
                if "person" in self._cues.get((pos, word), ()):
                    return True
        return False

    def _place_cue(self, view: str, cand: _Candidate) -> bool:
        for s, t, _ in cand.spans:
            for c in self._context(view, s, t):
                pos, word = c.split(":", 1)
                if self._cues.get((pos, word), set()) & _PLACE_KINDS:
                    return True
        return False

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
        use_global = self.options.get("global_fuzzy", False)
        edits: list[Edit] = []
        doc_letters: dict[str, list[Entry]] = {}
        for i in in_doc:
            e = entries[i]
            for letter in self._letters_of(e):
                doc_letters.setdefault(letter, []).append(e)
        given = idx.given
        for cand in unknown.values():
            for s, _t, _surface in cand.spans:
                prev = _previous_word(view, s).lower()
                if prev in given:
                    cand.anchors.add(prev)
            doc_entries = doc_letters.get(cand.key[:1], [])
            if cand.spans[0][2].isupper():
                reading = cyrillic_reading(cand.spans[0][2])[:1]
                if reading != cand.key[:1]:
                    doc_entries = doc_entries + doc_letters.get(reading, [])
            if not doc_entries and not cand.anchors:
                continue
            surface0 = cand.spans[0][2]
            cand.caps = surface0.isupper() and len(surface0) >= 4
            if cand.caps:
                if not (set(cand.key) & _VOWELS):
                    continue
                # all-caps is a garble only inside mixed-case text
                s0 = cand.spans[0][0]
                eol = text.find("\n", s0, s0 + 300)
                line = text[max(text.rfind("\n", max(0, s0 - 300), s0) + 1, s0 - 300) : eol if eol >= 0 else s0 + 300]
                if len(_LOWER_RE.findall(line)) < 10:
                    continue
            choice, runner, evidence = self._choose(view, cand, doc_entries, in_doc, doc_case, use_global)
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

    def _letters_of(self, e: Entry) -> tuple[str, ...]:
        """The distinct first letters of :meth:`_forms_of`; memoised, since a document's names are looked
        up by first letter in every document that mentions them."""
        hit = self._letters_cache.get(e.id)
        if hit is None:
            hit = self._letters_cache[e.id] = tuple(dict.fromkeys(f[:1] for f in self._forms_of(e)))
        return hit

    def _forms_of(self, e: Entry) -> tuple[str, ...]:
        """Lower-cased one-word forms a garble of ``e`` is compared with (surnames for persons)."""
        hit = self._forms_cache.get(e.id)
        if hit is None:
            if e.kind == "person":
                hit = tuple({f.split()[-1].lower() for f in e.forms})
            else:
                hit = tuple({f.lower() for f in e.forms if " " not in f})
            hit = tuple(sorted(f for f in hit if len(f) >= 4))  # short forms are too easy to reach
            if getattr(e, "ambiguous", False):  # also a common word: an exact match only, never a fuzzy target
                hit = ()
            self._forms_cache[e.id] = hit
        return hit

    def _choose(self, view: str, cand: _Candidate, doc_entries, in_doc, doc_case, use_global):
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
            max_gap = 2 if tier == "document" and not caps else 3
            scored: dict[int, _Choice] = {}
            for e in pool:
                forms = self._forms_of(e)
                name = (e.canonical.split()[-1] if e.kind == "person" else e.canonical).lower()
                if name.startswith(key) or key.startswith(name):
                    continue  # a derivation of the name (Pokrovsky, Bakhmutka, Kramatorske) or a truncation
                for form in forms:
                    if form.startswith(key) or key.startswith(form):
                        continue  # the same for a variant spelling; the entry's other forms still compete
                    if abs(len(form) - len(key)) > max_gap:
                        continue
                    if form[0] != key[0] and not (reading and reading[0] == form[0]):
                        if tier != "anchor" or confusions().sub.get((key[0], form[0]), 1.0) > 0.5:
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
            if not self._plausible(cand, best, doc_case):
                continue
            if tier != "anchor" and best.entry.kind != "person" and (
                any(a in idx.given for a in cand.anchors)
                or (self._person_cue(view, cand) and not self._place_cue(view, cand))
            ):
                continue  # a given name or "said" marks a person: never repaired into a place
            runner = next((c for c in ranked[1:] if c.entry.canonical != best.entry.canonical), None)
            evidence = []
            if tier == "anchor":
                evidence.append("given name " + "/".join(sorted(cand.anchors)))
            for s, t, _ in cand.spans:
                cand.cues += self._context(view, s, t)
            cue = self._cue_for(cand, _entry_kinds(best.entry))
            if cue:
                evidence.append(f"cue '{cue}'")
            return best, runner, ", ".join(evidence)
        return None, None, ""

    def _plausible(self, cand: _Candidate, c: _Choice, doc_case) -> bool:
        n = len(cand.key)
        if c.tier == "anchor":
            return c.dist <= 2.0 and c.sim >= 0.65
        if c.tier == "document":
            if cand.caps:  # an all-caps garble of a name the document writes in lower case
                return c.dist <= 2.0 and c.sim >= 0.6 and bool(doc_case.get(c.entry.id))
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
        else:  # the whole gazetteer: never applied on its own, reported when a cue agrees
            conf = 0.7 if cue else 0.0
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
