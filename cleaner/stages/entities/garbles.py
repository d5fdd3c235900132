"""Garbles: an unknown capitalised or all-caps token repaired to a gazetteer name. Tiers: the surnames of
persons whose given name precedes the token (``anchor``), the names the document already contains
(``document``), and the whole gazetteer (``global``, :mod:`.candidates` and :mod:`.decision`)."""

from __future__ import annotations

import regex

from ...core.edits import Edit
from ...core.resources import word_set
from ...language.gazetteer import Entry, rewrites
from ...language.homoglyphs import confusions, cyrillic_reading
from ...language.similarity import distance
from ...language.text import match_case
from . import decision, phrases, regions
from .candidates import Hit, fold
from .common import _LOWER_RE, _VOWELS, _Candidate, _Choice, _entry_kinds, _previous_word, _sentence, _Shared
from .countries import CONFIDENCE as COUNTRY_CONFIDENCE

#: letters that no romanisation of Ukrainian or Russian (nor the German, Polish, French forms) writes
_NOT_ROMANISED = frozenset("áíúůřýťďĺľŕőűãõñåøğşıțșăâ")
_NEXT_CAP_RE = regex.compile(r" (\p{Lu}[\p{L}\p{M}]*)")
#: the same letters in either case: a sentence that has them names things in another language (Czech,
#: Spanish, Turkish...), whose place names are not garbled romanisations
_FOREIGN_LETTER_RE = regex.compile(
    "[" + "".join(sorted(_NOT_ROMANISED | {c.upper() for c in _NOT_ROMANISED if not c.upper().isascii()})) + "]"
)
_OPEN_QUOTES = frozenset("\"“«„'‘")
#: a closing quotation mark right after a word (a comma or full stop may come first: "Viasna,")
_CLOSE_QUOTE_RE = regex.compile(r"[,.;:!?]?[\"”»“'’]")
#: third-person pronouns of a person: a sentence that starts with the token and has one of them is about
#: a person ("X had a speech in her voice"), whom a place name does not fit
_PERSON_PRONOUN_RE = regex.compile(r"\b(?:he|she|his|her|him|himself|herself)\b", regex.IGNORECASE)


#: endings of Slavic names and of words formed on them, longest first: a name and a word with the same stem
#: and another ending are different words (an adjective, a surname, a feminine form), not a garble
_ENDINGS = tuple(sorted((
    "a", "o", "e", "y", "i", "ia", "iia", "iya", "ya", "ka", "ovka", "evka", "yevka", "ivka", "ovo", "evo", "ino",
    "ove", "eve", "ine", "yne", "ova", "eva", "yeva", "ina", "yna", "sky", "ski", "skiy", "skyi", "skii", "skyy",
    "ska", "ske", "skoye", "skoe", "skaya", "enko", "ov", "ev", "in", "iv", "yi", "iy",
    "aya", "oye", "oe", "oy",  # Russian adjective endings: another gender is another word (Zolotaya, Zolotoye)
), key=len, reverse=True))
#: (garble ending, name ending) pairs that are one name in two romanisations (Russian -ovo, Ukrainian -ove)
_SAME_NAME_ENDINGS = frozenset({
    ("ovo", "ove"), ("evo", "eve"), ("ino", "yne"), ("ino", "ine"), ("skoye", "ske"), ("skoe", "ske"),
    ("skiy", "skyi"), ("sky", "skyi"), ("ski", "skyi"), ("skii", "skyi"), ("skyy", "skyi"), ("iy", "yi"),
    ("ya", "ia"), ("iya", "iia"), ("ia", "iia"), ("evka", "ivka"), ("ovka", "ivka"), ("yevka", "ivka"),
    ("o", "e"), ("ov", "iv"), ("ev", "iv"), ("a", "ia"), ("y", "yi"), ("i", "yi"), ("oye", "e"), ("oe", "e"),
    ("aya", "a"), ("skaya", "ska"),
})


def _splits(word: str) -> list[tuple[str, str]]:
    """(stem, ending) for the word as it is and for every listed ending it has (stems of 3+ letters)."""
    return [(word, "")] + [(word[: -len(e)], e) for e in _ENDINGS if word.endswith(e) and len(word) - len(e) >= 3]


def _other_ending(key: str, form: str) -> bool:
    """Same stem, another ending, and not a pair of romanisations of one ending (any split of each)."""
    form_splits = _splits(form)
    for ks, ke in _splits(key):
        for fs, fe in form_splits:
            if ke != fe and (ke, fe) not in _SAME_NAME_ENDINGS and ks == fs:
                return True
    return False


def _static_ok(key: str, h) -> bool:
    """The guards on a candidate that do not depend on the document: not the name with its own diacritics
    (İstanbul), no derivation or truncation (of a hyphenated name's part either), no plural or demonym
    (Udmurts), no other word on the name's stem (Slobozhansky, Gordeeva, Alexeyenko), hyphenated parts that
    match (Severo-Kurilsk, Jong-il)."""
    e = h.entry
    if fold(key) == h.form:
        return False
    name = (e.canonical.split()[-1] if e.kind == "person" else e.canonical).lower()
    if name.startswith(key) or key.startswith(name) or h.form.startswith(key) or key.startswith(h.form):
        return False
    if key.endswith("s") and h.form.startswith(key[:-1]):
        return False
    parts = zip(key.split("-"), h.form.split("-"), strict=False) if "-" in key else ()
    if any(x != y and (x.startswith(y) or y.startswith(x)) for x, y in parts):
        return False  # a hyphenated name with a part shortened or extended (Yamal-Nenets): its own name
    if e.kind != "person" and _other_ending(key, h.form):
        return False
    return GarblesMixin._parts_match(key, h.form)


def _one_part_garbled(key: str, h: Hit, caps: bool) -> bool:
    """A hyphenated name of Ukraine, Russia or Belarus written as the gazetteer writes it but for one part
    of 3+ letters, a slip away (``Ivane-Frankivsk``, ``ULAN-JDE``): the parts as written are the evidence,
    as the neighbour is for a two-word name (:mod:`.phrases`)."""
    a, b = key.split("-"), h.form.split("-")
    if len(a) != len(b) or len(a) < 2 or h.entry.country not in decision.CYRILLIC_COUNTRIES:
        return False
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(diff) != 1:
        return False
    x, y = diff[0]
    if x.startswith(y) or y.startswith(x) or _other_ending(x, y):
        return False  # the part shortened, extended or with another ending: a name of its own (Yamal-Nenets)
    return len(y) >= 3 and distance(x, y, caps) <= phrases.max_distance(y)


def _function_word(word: str) -> bool:
    """``The``, ``In``, ``Of``: a capitalised function word (a sentence's first word) starts no name."""
    return word.lower() in word_set("english/function_words.txt")


def _quoted(view: str, start: int, end: int) -> bool:
    """Is the word at ``start:end`` alone between quotation marks (``"Viasna"``, ``“Viasna,”``)?"""
    return start > 0 and view[start - 1] in _OPEN_QUOTES and _CLOSE_QUOTE_RE.match(view, end) is not None


#: a short quoted title after its opening mark: up to four more words, then the closing mark with no sentence
#: punctuation before it ("Zolotaya nit" -- the title of a work, not a sentence of quoted speech)
_TITLE_REST_RE = regex.compile(r"(?:[ ][\p{L}\p{M}'’\-]+){0,4}[\"”»“’]")


def _opens_title(view: str, start: int, end: int) -> bool:
    """Does the word at ``start:end`` open a short quoted title (``"Zolotaya nit"``)? A transliterated title
    of a book, film or group is written as its language writes it, not garbled."""
    return start > 0 and view[start - 1] in _OPEN_QUOTES and _TITLE_REST_RE.match(view, end) is not None


def _foreign_sentence(view: str, start: int, end: int) -> bool:
    """Does the sentence around the word have letters that no romanisation of Ukrainian or Russian uses?"""
    a, b = _sentence(view, start, end)
    return _FOREIGN_LETTER_RE.search(view, a, b) is not None


def _person_sentence(view: str, start: int, end: int) -> bool:
    """Does the word start its sentence, which then speaks of a person (he, she, his, her...)?"""
    a, b = _sentence(view, start, end)
    if view[a:start].strip(" \t\"“'‘«(") != "":
        return False
    return _PERSON_PRONOUN_RE.search(view, end, b) is not None


class GarblesMixin(_Shared):
    """Garble decisions for the stage."""

    def _garbles(
        self, view, text, unknown: dict[str, _Candidate], in_doc, doc_case, use_global=True, has_given=True,
        phrase_shapes: set[tuple[str, int]] | frozenset[tuple[str, int]] = frozenset(),
    ) -> list[Edit]:
        idx = self.index
        entries = idx.gazetteer.entries
        style = self.config.style
        edits: list[Edit] = []
        doc_letters: dict[str, list[Entry]] = {}
        countries: dict[str, int] = {}
        of_id = self._entry_letters
        for i in in_doc:
            hit = of_id.get(i)
            if hit is None:
                e = entries[i]
                hit = of_id[i] = (e, e.country, self._letters_of(e))
            e, country, letters = hit
            countries[country] = countries.get(country, 0) + 1
            for letter in letters:
                doc_letters.setdefault(letter, []).append(e)
        given = idx.given
        possible = self._possible
        slots = regions.mentions_slot(view)
        for cand in unknown.values():
            surface0 = cand.spans[0][2]
            if (cand.key[:1], len(cand.key)) in phrase_shapes:  # a word of the document pairs with its shape
                found = self._phrase_edits(view, text, cand)
                if found:
                    edits += found
                    continue
            if has_given:
                for s, _t, _surface in cand.spans:
                    if s >= 2 and view[s - 1] == " " and view[s - 2].isalpha():  # else no previous word
                        prev = _previous_word(view, s).lower()
                        if prev in given:
                            cand.anchors.add(prev)
            elif cand.key[:1] not in doc_letters and not (
                surface0.isupper() and cyrillic_reading(surface0)[:1] in doc_letters
            ) and not (
                use_global and (self._record is not None or self._global_possible(cand.key, surface0)
                                or slots and any(regions.in_slot(view, t) for _s, t, _w in cand.spans))
            ):
                continue  # no tier can take it (the caps reading's letter is covered by the global tier)
            cand.caps = surface0.isupper() and len(surface0) >= 4
            if cand.caps and not self._caps_garble(text, cand):
                continue
            doc_entries = doc_letters.get(cand.key[:1], [])
            if cand.caps:
                reading = cyrillic_reading(surface0)[:1]
                if reading != cand.key[:1]:
                    doc_entries = doc_entries + doc_letters.get(reading, [])
            choice = runner = None
            evidence = ""
            if not use_global and not cand.anchors:
                continue  # a text full of unknown words: only given names anchor repairs (bounded cost)
            if doc_entries or cand.anchors:
                choice, runner, evidence = self._choose(view, cand, doc_entries, in_doc, doc_case)
            conf = self._confidence(cand, choice, runner, in_doc, evidence) if choice is not None else 0.0
            if slots and use_global and conf < regions.CONFIDENCE:  # a region's slot beats a weak document match
                found = self._region_slot_edits(view, cand)
                if found:
                    edits += found
                    continue
            if choice is None and use_global:
                if self._record is None and not possible.get((cand.key, surface0), True):
                    continue  # the usual case, memoised: no document could make the global tier pass
                choice, conf, evidence = self._country_typo(view, cand)
                if choice is None:
                    choice, runner, conf, evidence = self._global(view, cand, in_doc, countries)
            if choice is None or conf <= 0:
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
                if cand.caps and (doc_case.get(e.id) or choice.tier == "global"):
                    repl = target  # the capitals are part of the garble: write the name as the document does
                else:
                    repl = match_case(surface, target)
                edits.append(Edit(s, t, repl, rule="garble", confidence=round(conf, 3), note=note))
        return edits

    def _phrase_edits(self, view: str, text: str, cand: _Candidate) -> list[Edit]:
        """Each mention of ``cand`` that garbles one word of a two-word place name with the word next to it
        (:mod:`.phrases`) becomes the name: the form it garbles, or the house style's form for a variant."""
        from .variants import _closest_form  # (variants imports this module)

        out: list[Edit] = []
        pidx = self.phrase_index
        words = pidx.words()
        style = self.config.style
        for s, t, surface in cand.spans:
            written_prev = _previous_word(view, s)
            nxt, nend = phrases.next_word(view, t)
            prev, nxt = written_prev.lower(), nxt.lower()
            if prev not in words and nxt not in words:
                continue  # the usual case: no neighbour is a word of a two-word name
            caps = surface.isupper() and len(surface) >= 4
            if caps and not self._caps_garble(text, _Candidate(cand.key, [(s, t, surface)])):
                continue
            hit = pidx.best(cand.key, prev, nxt, caps)
            if hit is None:
                continue
            e = hit.entry
            start, end = (s, nend) if hit.first else (s - len(written_prev) - 1, t)
            written = view[start:end]
            how = next((how for o, how in self.index.forms.get(hit.form, ()) if o.id == e.id), "canonical")
            if how == "rewrite" and rewrites(e, style):
                target = _closest_form(e, hit.form)  # the house style, keeping the writer's generic word
            else:
                target = next((f for f in e.forms if f.lower() == hit.form), e.canonical)
            if target == written:
                continue
            other = written.split(" ")[1 if hit.first else 0]  # (the neighbour as written)
            conf = 0.9 if hit.dist <= 1.0 else 0.85
            note = (f"garble of {e.canonical} ({e.source}): two-word name, '{other}' as written, "
                    f"distance {hit.dist:.1f}/{len(hit.word)}")
            out.append(Edit(start, end, target, rule="garble", confidence=conf, note=note))
        return out

    @staticmethod
    def _caps_garble(text: str, cand: _Candidate) -> bool:
        """An all-caps token is a garble candidate only inside mixed-case text, and with a vowel."""
        if not (set(cand.key) & _VOWELS):
            return False
        s0 = cand.spans[0][0]
        eol = text.find("\n", s0, s0 + 300)
        line = text[max(text.rfind("\n", max(0, s0 - 300), s0) + 1, s0 - 300) : eol if eol >= 0 else s0 + 300]
        return len(_LOWER_RE.findall(line)) >= 10

    def _global_possible(self, key: str, surface: str) -> bool:
        """Could the whole-gazetteer tier repair or suggest this token in some document? The model's
        probability with the most favourable document evidence (a cue, other names of the country, several
        mentions); memoised per token, so most unknown words of a stream cost one dict lookup."""
        memo = self._possible
        hit = memo.get((key, surface))
        if hit is None:
            hit = False
            if self._record is None and self.country_slips.lookup(key) is not None:
                hit = True
            elif len(key) >= 4:
                m = decision.model()
                static = [h for h in self.global_index.lookup(key, surface) if _static_ok(key, h)]
                hit = any(_one_part_garbled(key, h, surface.isupper()) for h in static[:1])
                for i, h in enumerate([] if hit else static[:3]):
                    # removing hits in a document only raises the margin of a later hit up to here
                    runner = next((o.dist for o in static[i + 1 :] if o.entry.canonical != h.entry.canonical), None)
                    x = decision.features(
                        dist=h.dist, form_len=len(h.form), runner_dist=runner, weight=h.entry.weight,
                        person=h.entry.kind == "person", canonical=h.entry.canonical, country=4, cue=True,
                        anticue=False, token=surface, reading=h.reading, same_first=h.form[:1] == key[:1],
                        slavic=h.entry.country in decision.CYRILLIC_COUNTRIES, profile=4,
                    )
                    if m.best_case(x) >= m.suggest:
                        hit = True
                        break
            if len(memo) < 100_000:
                memo[(key, surface)] = hit
        return hit

    def _stands_alone(self, view: str, cand: _Candidate) -> bool:
        """No mention is inside a longer name, after a given name, quoted or in a sentence of another language:
        the word can be a name of its own (the country-typo and region-slot rules ask this)."""
        return not any(
            self._in_name_sequence(view, s, t) or self._after_given_name(view, s) or _quoted(view, s, t)
            or _foreign_sentence(view, s, t) for s, t, _ in cand.spans
        )

    def _country_typo(self, view: str, cand: _Candidate) -> tuple[_Choice | None, float, str]:
        """A typed slip of a country's name (:mod:`.countries`): (choice, confidence, evidence) or Nones. Not
        inside a longer name, after a given name, in quotes or in a sentence of another language."""
        hit = self.country_slips.lookup(cand.key) if self._record is None else None
        if hit is None or not self._stands_alone(view, cand):
            return None, 0.0, ""
        e, how = hit
        form = e.canonical.lower()
        d = distance(cand.key, form)
        choice = _Choice(e, form, d, 1.0 - d / max(len(form), len(cand.key)), "country typo")
        return choice, COUNTRY_CONFIDENCE, f"a typing slip of a country's name ({how})"

    def _region_slot_edits(self, view: str, cand: _Candidate) -> list[Edit]:
        """A garble written before ``region``/``oblast`` that only one region's name is near (:mod:`.regions`):
        every mention repaired, unless one is inside a longer name, after a given name, quoted or in a
        sentence of another language."""
        if self._record is not None or not any(regions.in_slot(view, t) for _s, t, _w in cand.spans):
            return []
        target = self.region_slots.lookup(cand.key, cand.spans[0][2])
        if target is None or not self._stands_alone(view, cand):
            return []
        note = f"garble of the {target} region: the only region's name near it, written before 'region'/'oblast'"
        return [
            Edit(s, t, target if cand.caps else match_case(surface, target), rule="garble",
                 confidence=regions.CONFIDENCE, note=note)
            for s, t, surface in cand.spans
        ]

    def _global(self, view: str, cand: _Candidate, in_doc, countries: dict[str, int]):
        """The whole-gazetteer tier: the nearest entries (:mod:`.candidates`), one probability from the fitted
        model (:mod:`.decision`); (choice, runner-up, confidence, evidence) or Nones."""
        none = None, None, 0.0, ""
        surface = cand.spans[0][2]
        if self._record is None and not self._global_possible(cand.key, surface):
            return none  # no document could make it pass (most unknown words stop here)
        if not cand.caps and any(ch.isupper() for part in surface.split("-") for ch in part[1:]):
            return none  # capitals inside the word (KaZaa, McAfee; not Ivano-Frankivsk): a brand or a Mc name
        if cand.caps and len(cand.key) < 5:
            return none  # a short all-caps word is an acronym far more often than a garbled name
        if not _NOT_ROMANISED.isdisjoint(cand.key):
            return none  # letters no romanisation of Ukrainian or Russian uses (Czech á, ř): a foreign name
        if any(self._in_name_sequence(view, s, t) for s, t, _ in cand.spans):
            return none  # part of a longer capitalised name (Sri X, Luisa X, X Ivanovna)
        if any(_quoted(view, s, t) or _opens_title(view, s, t) for s, t, _ in cand.spans):
            return none  # a word quoted on its own or opening a quoted title names a group, a work or a brand
        if any(_foreign_sentence(view, s, t) for s, t, _ in cand.spans):
            return none  # among words with letters no romanisation uses (Czech, Spanish...): a foreign name
        if self._record is not None:  # fitting: every token with a candidate is recorded
            if len(cand.key) < 4 or not self.global_index.lookup(cand.key, surface):
                return none
        pool = [h for h in self.global_index.lookup(cand.key, cand.spans[0][2]) if self._global_ok(view, cand, h)]
        if not pool:
            return none
        best = pool[0]
        runner = next((h for h in pool[1:] if h.entry.canonical != best.entry.canonical), None)
        e = best.entry
        if self._record is None and _one_part_garbled(cand.key, best, cand.caps) and (
                runner is None or runner.dist - best.dist >= 0.5):
            sim = 1.0 - best.dist / max(len(best.form), len(cand.key))
            runner_choice = _Choice(runner.entry, runner.form, runner.dist, 0.0, "global") if runner else None
            return _Choice(e, best.form, best.dist, sim, "global"), runner_choice, 0.9, "hyphenated, one part garbled"
        x = self._features(view, cand, best, runner, in_doc, countries)
        if self._record is not None:
            self._record.append((cand, e, x))
        m = decision.model()
        p = m.probability(x)
        if p < m.suggest:
            return none
        cue = self._cue_for(cand, _entry_kinds(e))
        # a far garble (over a quarter of the name's letters) with nothing around it that points to a name
        # of the region, no cue and no other Ukrainian, Russian or Belarusian name in the document, is too
        # often a brand or another language's word ("the sofa Odelle"): suggested, never applied
        lone = not cue and best.dist > 0.25 * len(best.form) and not any(
            countries.get(c, 0) for c in decision.CYRILLIC_COUNTRIES)
        if p >= m.repair and not lone:
            conf = 0.8 + 0.18 * (p - m.repair) / max(1e-9, 1.0 - m.repair)
        else:
            conf = 0.6 + 0.19 * (min(p, m.repair) - m.suggest) / max(1e-9, m.repair - m.suggest)
        sim = 1.0 - best.dist / max(len(best.form), len(cand.key))
        choice = _Choice(e, best.form, best.dist, sim, "global")
        runner_choice = _Choice(runner.entry, runner.form, runner.dist, 0.0, "global") if runner else None
        evidence = f"p {p:.2f}" + (" (Cyrillic reading)" if best.reading else "") + (f", cue '{cue}'" if cue else "")
        return choice, runner_choice, conf, evidence

    def _in_name_sequence(self, view: str, start: int, end: int) -> bool:
        """Is the word at ``start:end`` next to another capitalised word (one space apart), other than a cue
        such as ``Oblast``? Then it is part of a multi-word name, which a one-word garble is not."""
        prev = _previous_word(view, start)
        if prev[:1].isupper() and not self._cues.get(("before", prev.lower())) and not _function_word(prev):
            return True
        after = view[end : end + 40]
        if after[:2] in ("'s", "’s"):
            return False
        m = _NEXT_CAP_RE.match(after)
        return m is not None and not self._cues.get(("after", m.group(1).lower()))

    def _global_ok(self, view: str, cand: _Candidate, h) -> bool:
        """Guards before the model: no derivation of the name; a person only as the surname of one of its
        given names or alone, never after another given name; a place never after a given name."""
        key, e = cand.key, h.entry
        if not _static_ok(key, h):
            return False
        if e.kind == "person":
            if cand.anchors and not (cand.anchors & self.index.given_of.get(e.id, frozenset())):
                return False
            if not cand.anchors and any(self._after_given_name(view, s) for s, _t, _ in cand.spans):
                return False
            return True
        return not cand.anchors and not any(self._after_given_name(view, s) for s, _t, _ in cand.spans)

    @staticmethod
    def _parts_match(key: str, form: str) -> bool:
        """A hyphenated name whose parts differ by a whole part (``Jong-il`` against ``Jong-un``) is another
        name, not a garble: each differing part must stay close."""
        a, b = key.split("-"), form.split("-")
        if len(a) != len(b) or len(a) == 1:
            return len(a) == len(b)
        return all(x == y or distance(x, y) <= 0.5 * max(len(x), len(y)) - 0.01 for x, y in zip(a, b, strict=True))

    def _features(self, view: str, cand: _Candidate, best, runner, in_doc, countries) -> tuple[float, ...]:
        e = best.entry
        if not cand.cues:
            for s, t, _ in cand.spans:
                cand.cues += self._context(view, s, t)
        kind = _entry_kinds(e)
        cue = bool(self._cue_for(cand, kind))
        anticue = (kind == "place" and not cue and (
            self._person_cue(view, cand) or any(_person_sentence(view, s, t) for s, t, _ in cand.spans)
        )) or (kind == "person" and self._place_cue(view, cand))
        return decision.features(
            dist=best.dist, form_len=len(best.form), runner_dist=runner.dist if runner else None,
            weight=e.weight, person=e.kind == "person", canonical=e.canonical,
            country=countries.get(e.country, 0) if e.country else 0, cue=cue, anticue=anticue,
            token=cand.spans[0][2], reading=best.reading, same_first=best.form[:1] == cand.key[:1],
            slavic=e.country in decision.CYRILLIC_COUNTRIES,
            profile=sum(countries.get(c, 0) for c in decision.CYRILLIC_COUNTRIES),
        )

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

    def _choose(self, view: str, cand: _Candidate, doc_entries, in_doc, doc_case):
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
                    if e.kind == "person" and not self._parts_match(key, form):
                        continue  # Jong-il is not a garble of Jong-un: another person
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
