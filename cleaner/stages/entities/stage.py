"""The stage class: scans a document's capitalised words once, sorts them into known forms, variants and
unknown tokens, and hands them to :mod:`.variants` and :mod:`.garbles`; folds look-alike letters and
romanises Cyrillic words first (:meth:`EntitiesStage._scripts`)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import regex

from ...core.edits import Edit
from ...language import entity_index as ei
from ...language.gazetteer import Entry, rewrites
from ...language.homoglyphs import NONLATIN_RE, cyrillic_reading, fold_lookalikes, is_mixed_script, transliterations
from ...language.text import PROTECTED_KINDS, tokenize
from .. import Stage, register
from . import candidates, countries, phrases, regions
from .candidates import GlobalCandidates
from .common import (
    _CAP_ASCII_RE,
    _CAP_RE,
    _FAST_NONLATIN,
    _FIRST,
    _FORM,
    _HEAD,
    _NONLATIN_WORD_RE,
    _NOT_PLAIN_RE,
    _SKIP,
    _SURNAME,
    _UNKNOWN,
    _Candidate,
    _cap_re,
    _near_shapes,
    _strip_possessive,
)
from .contested import ContestedMixin, shared_forms
from .context import ContextMixin
from .garbles import GarblesMixin
from .variants import VariantsMixin

#: above this many wanted words, one regex pass finds their positions instead of one ``str.find`` per word
_FIND_MAX_WORDS = 24
#: whole-gazetteer look-ups only when a document has at most this many unknown capitalised words, plus one
#: per this many characters
_GLOBAL_MIN, _GLOBAL_CHARS = 40, 200


@dataclass
class _Scan:
    """What one pass over a document's capitalised words found."""

    distinct: set[str] = field(default_factory=set)
    in_doc: dict[int, int] = field(default_factory=dict)  # entry id -> mentions
    doc_case: dict[int, bool] = field(default_factory=dict)  # entry id -> seen written not all-caps
    want: list[str] = field(default_factory=list)  # words whose positions matter
    firsts: list[str] = field(default_factory=list)
    unknown_words: list[str] = field(default_factory=list)
    #: (first letter, length) of the document's names, each widened by 3 letters either way
    shapes: set[tuple[str, int]] = field(default_factory=set)
    lows: set[str] | None = None  # the document's capitalised words lower-cased, built once if needed
    unknown: dict[str, _Candidate] = field(default_factory=dict)
    variants: list = field(default_factory=list)
    full_names: set[int] = field(default_factory=set)
    surname_spans: list[tuple[int, int, str]] = field(default_factory=list)
    size: int = 0  # the document's length
    use_global: bool = True  # whole-gazetteer look-ups allowed (see _want_unknown)
    has_given: bool = True  # some known given name occurs (an unknown word may be anchored by it)
    #: (first letter, length) of words that would garble a two-word name with a word of the document
    phrase_shapes: set[tuple[str, int]] = field(default_factory=set)
    #: words that are forms shared by a Ukrainian place and a smaller Russian one (:mod:`.contested`)
    contested: list[str] = field(default_factory=list)
    slots: bool = False  # the document writes 'region' or 'oblast' (:mod:`.regions`)


def _one_per_span(edits: list[Edit]) -> list[Edit]:
    """Each span once (the most confident proposal), and no proposal overlapping a more confident one: the
    stage never lists the same change twice (once applied, once as a suggestion)."""
    ranked = sorted(edits, key=lambda e: (-e.confidence, e.start, e.end))
    kept: list[Edit] = []
    for e in ranked:
        if not any(k.start < e.end and e.start < k.end or (k.start == e.start == e.end == k.end) for k in kept):
            kept.append(e)
    kept.sort(key=lambda e: (e.start, e.end))
    return kept


@register("entities")
class EntitiesStage(VariantsMixin, GarblesMixin, ContestedMixin, ContextMixin, Stage):
    """See the package docstring."""

    def __init__(self, config) -> None:
        super().__init__(config)
        self._index: ei.EntityIndex | None = None
        #: when a list, the global tier appends (candidate, entry, features) to it (for fitting the model)
        self._record: list | None = None

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
            self._words: dict[str, tuple] = {}
            #: entry id -> (entry, country, first letters of its forms), for the names a document mentions
            self._entry_letters: dict[int, tuple] = {}
            self._unknown_shapes: dict[str, tuple] = {}
            self._first_rewrite_cache: dict[str, bool] = {}
            self._possible: dict[tuple[str, str], bool] = {}
        return self._index

    @property
    def global_index(self) -> GlobalCandidates:
        """The whole-gazetteer candidate index (built on first use, shared per process)."""
        return candidates.for_index(self.index)

    @property
    def country_slips(self) -> countries.CountrySlips:
        """Country names for typo repairs (shared per process)."""
        g = self.index.gazetteer
        return countries.for_entries(g.entries, g.kinds)

    @property
    def region_slots(self) -> regions.RegionSlots:
        """Region names for garbles written before ``region``/``oblast`` (shared per process)."""
        g = self.index.gazetteer
        return regions.for_entries(g.entries, g.kinds)

    @property
    def phrase_index(self) -> phrases.PhraseIndex:
        """Two-word place names by either word (shared per process)."""
        return phrases.for_index(self.index)

    # ------------------------------------------------------------------ main

    def propose(self, text: str) -> list[Edit]:
        cap_re: re.Pattern[str] | regex.Pattern[str]
        if text.isascii():
            nonlatin, cap_re = False, _CAP_ASCII_RE
        else:  # one scan for the usual case: no character beyond punctuation (so no Cyrillic or Greek either)
            m = _NOT_PLAIN_RE.search(text)
            nonlatin = m is not None and _FAST_NONLATIN.search(text, m.start()) is not None
            cap_re = _CAP_ASCII_RE if m is None else _CAP_RE
        toks = cap_re.findall(text)
        if not nonlatin and not toks:
            return []  # no capitalised word and no Cyrillic/Greek letter: nothing to look up (no index needed)
        self.index  # noqa: B018 - loads the resources
        edits: list[Edit] = []
        view = text
        folded: dict[int, Edit] = {}
        if nonlatin:
            view, folded, translit_edits = self._scripts(text)
            edits += translit_edits
            cap_re = _cap_re(view)
            toks = cap_re.findall(view)
        scan = _Scan(size=len(text), slots=regions.mentions_slot(view))
        self._sort_words(toks, scan)
        self._want_unknown(scan)
        self._want_firsts(scan)
        if scan.want:
            self._collect(text, view, cap_re, scan)
        if scan.contested:
            edits += self._contested_edits(view, text, scan.contested, cap_re)
        if scan.surname_spans:
            edits += self._surname_edits(view, text, scan.surname_spans, scan.full_names)
        if scan.variants:
            edits += self._variant_edits(view, scan.variants, scan.in_doc)
        if scan.unknown:
            edits += self._garbles(
                view, text, scan.unknown, scan.in_doc, scan.doc_case, scan.use_global, scan.has_given,
                scan.phrase_shapes,
            )
        # look-alike folds not already covered by a name edit
        if folded:
            covered = [(e.start, e.end) for e in edits]
            for e in folded.values():
                if not any(s <= e.start and e.end <= t for s, t in covered):
                    edits.append(e)
        if edits:
            edits = _one_per_span(self._unprotected(text, edits))
        return edits

    def _sort_words(self, toks: list[str], scan: _Scan) -> None:
        """Sort the document's distinct capitalised words into classes and count the known names' mentions;
        what a word contributes is memoised per word (:meth:`_word_info`), since the same words recur in
        every document."""
        skip = self._skip
        info_of = self._words
        in_doc, doc_case = scan.in_doc, scan.doc_case
        want, firsts, unknown_words, shapes = scan.want, scan.firsts, scan.unknown_words, scan.shapes
        counts = None
        scan.distinct = set(toks)
        for w in scan.distinct - skip:
            info = info_of.get(w)
            if info is None:
                info = self._word_info(w)
                if info is None:
                    if len(skip) < 100_000:  # a bounded memo: memory stays flat on endless streams
                        skip.add(w)
                    continue
            kind, ids, cased, n_want, near, contested = info
            if contested:
                scan.contested.append(w)
            if ids:
                if counts is None:
                    counts = Counter(toks)
                n = counts[w]
                for i in ids:
                    in_doc[i] = in_doc.get(i, 0) + n
                if cased:
                    for i in cased:
                        doc_case[i] = True
            if n_want:
                want += [w] * n_want
            if near:
                shapes.update(near)
                if kind & _FIRST:
                    firsts.append(w)
            if kind & _UNKNOWN:
                unknown_words.append(w)

    def _word_info(self, w: str) -> tuple | None:
        """What a capitalised word contributes to a document's scan (None for a word of no interest): its
        class bits, the entry ids its mentions count for (forms, then surnames), those counted as written
        not all-caps, how many times it is wanted (a rewriting form, a rewriting surname, a rewriting head),
        and the (letter, length) shapes near it."""
        kind, low = self._classify(w)
        if kind == _SKIP:
            return None
        idx = self.index
        ids: list[int] = []
        cased: list[int] = []
        n_want = 0
        if kind & _FORM:
            for e, _how in idx.forms[low]:
                ids.append(e.id)
                if not w.isupper():
                    cased.append(e.id)
            if self._rewrite_target(low) is not None:
                n_want += 1
        if kind & _SURNAME:
            ids += [e.id for e, _how in idx.surnames[low]]
            if low in idx.surname_rewrites:
                n_want += 1
        if kind & _HEAD:
            n_want += 1
        near = _near_shapes(low[:1], len(low)) if kind & (_FORM | _SURNAME | _FIRST) else ()
        info = (kind, tuple(ids), tuple(cased), n_want, near, low in shared_forms())
        if len(self._words) < 100_000:
            self._words[w] = info
        return info

    def _want_unknown(self, scan: _Scan) -> None:
        """Unknown words worth locating: those near a name of the document (same first letter, about the same
        length), any word when a given name occurs, and words with a candidate in the whole gazetteer."""
        if not scan.unknown_words:
            return
        idx = self.index
        scan.lows = set(map(str.lower, scan.distinct))
        has_given = scan.has_given = not idx.given.keys().isdisjoint(scan.lows)  # the smaller of the two
        # English prose has few unknown capitalised words; a text full of them (a list, a table, another
        # language) gets no whole-gazetteer look-ups, which also bounds their cost per character
        use_global = self._record is not None or len(scan.unknown_words) <= _GLOBAL_MIN + scan.size // _GLOBAL_CHARS
        scan.use_global = use_global
        phrase_shapes = scan.phrase_shapes
        if use_global:
            pidx = self.phrase_index
            for low in scan.lows & pidx.words():
                phrase_shapes.update(pidx.shapes(low))
        want = scan.want
        if has_given:
            want += scan.unknown_words
            return
        shapes = scan.shapes
        shape_of = self._unknown_shapes
        for w in scan.unknown_words:
            sh = shape_of.get(w)
            if sh is None:
                low = self._classify(w)[1]
                n = len(low)
                sh = ((low[:1], n), (cyrillic_reading(w)[:1], n) if w.isupper() else None, low)
                if len(shape_of) < 100_000:
                    shape_of[w] = sh
            if sh[0] in shapes or (sh[1] is not None and sh[1] in shapes) or sh[0] in phrase_shapes:
                want.append(w)
            elif use_global and (self._record is not None or self._global_possible(sh[2], w) or (
                    scan.slots and self.region_slots.lookup(sh[2], w) is not None)):
                want.append(w)

    def _want_firsts(self, scan: _Scan) -> None:
        """First words of multi-word names worth locating: their second word occurs, or a form rewrites."""
        firsts = scan.firsts
        classify = self._classify
        if not firsts or not (scan.want or any(self._first_rewrites(classify(w)[1]) for w in firsts)):
            return
        idx = self.index
        lows = scan.lows if scan.lows is not None else set(map(str.lower, scan.distinct))
        possessives = None  # the document's words written with 's, without it (built when first needed)
        first2, lower_second = idx.first2, idx.lower_second
        for w in firsts:
            head = classify(w)[1]
            head = head if head in first2 else head.split("-", 1)[0]
            if head in lower_second:
                scan.want.append(w)
                continue
            seconds = first2.get(head, ())
            if not seconds:
                continue
            if lows.isdisjoint(seconds):
                if possessives is None:
                    possessives = {t[:-2] for t in lows if t[-2:] in ("'s", "’s")}
                if possessives.isdisjoint(seconds):
                    continue
            scan.want.append(w)

    def _collect(self, text: str, view: str, cap_re, scan: _Scan) -> None:
        """Walk the wanted words' occurrences in text order: multi-word names, variants, surnames, and the
        spans of unknown words."""
        idx = self.index
        classify = self._classify
        forms, first = idx.forms, idx.first
        in_doc, doc_case, unknown, variants = scan.in_doc, scan.doc_case, scan.unknown, scan.variants
        skip_to = -1
        meta: dict[str, tuple[int, str, int]] = {}
        for w in scan.want:
            if w not in meta:
                # the name's length without a possessive (lower() may change the length: İ)
                meta[w] = (*classify(w), len(_strip_possessive(w)))
        for start, word in self._occurrences(view, scan.want, cap_re):
            if start < skip_to:
                continue
            kind, low, n = meta[word]
            nend = start + n
            if kind == _UNKNOWN:  # the most frequent case first
                cand = unknown.get(low)
                if cand is None:
                    cand = unknown[low] = _Candidate(low)
                cand.spans.append((start, nend, text[start:nend]))
                continue
            if kind & _FIRST:
                head = low if low in first else low.split("-", 1)[0]
                hit = self._multi(view, start, head)
                if hit:
                    form, fend = hit
                    for e, _how in forms[form]:
                        in_doc[e.id] = in_doc.get(e.id, 0) + 1
                        scan.full_names.add(e.id)
                        if not text[start:fend].isupper():
                            doc_case[e.id] = True
                    self._exact(text, start, fend, form, variants)
                    skip_to = fend
                    continue
            if kind & _SURNAME and low in idx.surname_rewrites:
                scan.surname_spans.append((start, nend, low))
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
            if kind & _HEAD and not self._rewrite_target(low.split("-", 1)[0]):
                kind &= ~_HEAD
            # a hyphenated word counts by itself: its head being a name (Ulan-, Mohyliv-) does not make it one
            own = kind & ~_FIRST if "-" in low and low not in idx.first else kind
            if (
                not own
                and len(name) >= 4
                and low not in self._vocab
                and low not in self._name_tokens
                and not (name.isupper() and name in self._acronyms)
            ):
                kind |= _UNKNOWN
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

    @staticmethod
    def _occurrences(view: str, words: list[str], cap_re) -> list[tuple[int, str]]:
        """(start, word) of each occurrence of ``words`` as a whole capitalised token, in text order. For a
        few words ``str.find`` per word (several times faster than ``finditer`` over all words on news
        text); for many, one ``finditer`` pass with a set, so the cost stays linear in the document."""
        out: list[tuple[int, str]] = []
        if len(words) > _FIND_MAX_WORDS:
            wanted = set(words)
            return [(m.start(), w) for m in cap_re.finditer(view) if (w := m.group()) in wanted]
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

    # ------------------------------------------------------------------ protection

    @staticmethod
    def _unprotected(text: str, edits: list[Edit]) -> list[Edit]:
        """Drop edits inside protected tokens (URLs, emails, numbers with units...), tokenizing only a window
        around each group of nearby edits."""
        out: list[Edit] = []
        group: list[Edit] = []
        for e in sorted(edits, key=lambda e: e.start):
            if group and e.start - max(g.end for g in group) > 400:
                out += _unprotected_group(text, group)
                group = []
            group.append(e)
        out += _unprotected_group(text, group)
        return out


def _unprotected_group(text: str, edits: list[Edit]) -> list[Edit]:
    lo = min(e.start for e in edits)
    hi = max(e.end for e in edits)
    a = max(0, text.rfind(" ", 0, max(0, lo - 200)))
    b = text.find(" ", hi + 200)
    b = len(text) if b < 0 else b
    spans = [(a + t.start, a + t.end) for t in tokenize(text[a:b]) if t.kind in PROTECTED_KINDS]
    if not spans:
        return edits
    return [e for e in edits if not any(s < e.end and e.start < t for s, t in spans)]
