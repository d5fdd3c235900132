"""Indexes the entities stage builds on top of :mod:`cleaner.gazetteer` (cached once per process).

- ``forms``: every lower-cased name form -> [(entry, how)] (the gazetteer's own index, resolved);
- ``first``: lower-cased first word of a multi-word form -> its forms, longest first;
- ``given``: lower-cased given name (from any form of a person) -> persons;
- ``surnames``: lower-cased surname (from any form of a person) -> [(person, form's surname)];
- ``fuzzy``: lower-cased single-word forms (and surnames) of prominent entries, bucketed by their
  deletion neighbourhood (SymSpell-style), so candidates within one edit are a few dict lookups;
- ``vocab``: English words (symspellpy's bundled frequency list; never re-spelled as names);
- ``acronyms``, ``cues``, ``keep``: small data files in dictionaries/.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from . import gazetteer as gz
from .resources import path, read_tsv

#: entries at least this prominent (weight) join the global fuzzy index; persons and organisations always do
FUZZY_MIN_WEIGHT = 100_000


@dataclass
class EntityIndex:
    gazetteer: gz.Gazetteer
    extra: tuple[str, ...] = ()
    forms: dict[str, list[tuple[gz.Entry, str]]] = field(default_factory=dict)
    first: dict[str, list[str]] = field(default_factory=dict)
    #: first word -> second word -> multi-word forms (both lower-cased), longest first
    first2: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    #: first words of forms whose second word is written in lower case (``Rostov on Don``)
    lower_second: set[str] = field(default_factory=set)
    given: dict[str, list[gz.Entry]] = field(default_factory=dict)
    surnames: dict[str, list[tuple[gz.Entry, str]]] = field(default_factory=dict)
    #: surname of a person's rewrite form only (``shmygal`` -> Denys Shmyhal), unambiguous
    surname_rewrites: dict[str, gz.Entry] = field(default_factory=dict)
    #: person -> lower-cased given names of all its forms
    given_of: dict[int, frozenset[str]] = field(default_factory=dict)
    #: lower-cased single word -> [(entry, form)]: what a one-word garble can be repaired to
    single: dict[str, list[tuple[gz.Entry, str]]] = field(default_factory=dict)
    _deletes: dict[str, set[str]] | None = None

    def lookup(self, phrase: str) -> list[tuple[gz.Entry, str]]:
        return self.forms.get(phrase.lower(), [])

    def deletes(self) -> dict[str, set[str]]:
        """Deletion-neighbourhood index over prominent single-word forms (built on first use)."""
        if self._deletes is None:
            idx: dict[str, set[str]] = {}
            for word, items in self.single.items():
                if len(word) < 5 or not any(_prominent(e) for e, _ in items):
                    continue
                for key in _deletes1(word):
                    idx.setdefault(key, set()).add(word)
            self._deletes = idx
        return self._deletes

    def near(self, word: str) -> set[str]:
        """Prominent single-word forms within about one edit of ``word`` (lower case)."""
        idx = self.deletes()
        out: set[str] = set()
        for key in _deletes1(word.lower()):
            out |= idx.get(key, set())
        return out


def _prominent(e: gz.Entry) -> bool:
    return e.kind in ("person", "org", "country") or e.weight >= FUZZY_MIN_WEIGHT


def _deletes1(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


@cache
def build(style: str, extra: tuple[str, ...]) -> EntityIndex:
    g = gz.load(style, extra)
    idx = EntityIndex(g, extra)
    user_files = {Path(p).name for p in extra}
    for key, items in g.index.items():
        resolved = [(g.entries[i], how) for i, how in items]
        if user_files:  # a user's gazetteer rows take precedence over the bundled rows for the same form
            mine = [(e, how) for e, how in resolved if e.source.split(":", 1)[0] in user_files]
            resolved = mine or resolved
            items = [(e.id, how) for e, how in resolved]
        idx.forms[key] = resolved
        words = key.split()
        if len(words) > 1:
            idx.first.setdefault(words[0], []).append(key)
        else:
            idx.single.setdefault(key, []).extend((g.entries[i], key) for i, _ in items)
    for forms in idx.first.values():
        forms.sort(key=len, reverse=True)
        for f in forms:
            w0, w1 = f.split()[:2]
            idx.first2.setdefault(w0, {}).setdefault(w1, []).append(f)
    for e in g.entries:
        for form in e.forms:
            words = form.split()
            if len(words) > 1 and not words[1][:1].isupper():
                idx.lower_second.add(words[0].lower())
        if e.kind != "person":
            continue
        for form in e.forms:
            words = form.split()
            if len(words) < 2:
                continue
            sur = words[-1].lower()
            if (e, sur) not in idx.surnames.setdefault(sur, []):
                idx.surnames[sur].append((e, sur))
            idx.single.setdefault(sur, [])
            if (e, sur) not in idx.single[sur]:
                idx.single[sur].append((e, sur))
            for w in words[:-1]:
                lst = idx.given.setdefault(w.lower(), [])
                if e not in lst:
                    lst.append(e)
        idx.given_of[e.id] = frozenset(w.lower() for f in e.forms for w in f.split()[:-1])
    kept: dict[str, set[int]] = {}
    rewritten: dict[str, set[int]] = {}
    for e in g.entries:
        if e.kind != "person":
            continue
        for f in (e.canonical, *e.accept):
            kept.setdefault(f.split()[-1].lower(), set()).add(e.id)
        for f in e.rewrite:
            rewritten.setdefault(f.split()[-1].lower(), set()).add(e.id)
    for sur, ids in rewritten.items():
        if len(ids) == 1 and sur not in kept:
            idx.surname_rewrites[sur] = g.entries[next(iter(ids))]
    return idx


def for_config(config) -> EntityIndex:
    return build(config.style, tuple(config.gazetteers))


@cache
def vocab() -> frozenset[str]:
    """Lower-cased English words: symspellpy's bundled frequency list plus ``entity_words.tsv``."""
    words: set[str] = set()
    try:
        import symspellpy

        freq = Path(symspellpy.__file__).parent / "frequency_dictionary_en_82_765.txt"
        with freq.open(encoding="utf-8") as fh:
            words.update(line.split(" ", 1)[0] for line in fh)
    except (ImportError, OSError):  # still safe: fewer unknown words means fewer repairs, not more
        pass
    words.update(_column("entity_words.tsv"))
    return frozenset(words)


@cache
def acronyms() -> frozenset[str]:
    """Upper-case tokens that are never garbled names (NATO, BBC...)."""
    return frozenset(w.upper() for w in _column("entity_acronyms.tsv"))


@cache
def cues() -> dict[tuple[str, str], set[str]]:
    """(position, lower-cased word) -> kinds it points to; position is ``before`` or ``after`` the name."""
    out: dict[tuple[str, str], set[str]] = {}
    for row in read_tsv(path("entity_cues.tsv"), columns=3):
        word, pos, kinds = row[0].strip().lower(), row[1].strip(), row[2].strip()
        out.setdefault((pos, word), set()).update(k.strip() for k in kinds.split(","))
    return out


@cache
def keep_phrases() -> dict[str, list[str]]:
    """Lower-cased variant -> phrases in which it is never rewritten (``chicken kiev``)."""
    out: dict[str, list[str]] = {}
    for row in read_tsv(path("entity_keep.tsv"), columns=2):
        out.setdefault(row[0].strip().lower(), []).append(row[1].strip().lower())
    return out


def _column(name: str) -> list[str]:
    p = path(name)
    if not p.exists():
        return []
    return [row[0].strip() for row in read_tsv(p) if row and row[0].strip()]
