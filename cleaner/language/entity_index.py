"""Indexes the entities stage builds on top of :mod:`cleaner.language.gazetteer` (cached once per process).

- ``forms``: every lower-cased name form -> [(entry, how)] (the gazetteer's own index, resolved to entries
  key by key on first lookup);
- ``first``: lower-cased first word of a multi-word form -> its forms, longest first;
- ``given``: lower-cased given name (from any form of a person) -> persons;
- ``surnames``: lower-cased surname (from any form of a person) -> [(person, form's surname)];
- ``single`` (built on first use): lower-cased single word -> [(entry, form)];
- ``vocab``: English words (symspellpy's bundled frequency list; never re-spelled as names);
- ``acronyms``, ``cues``, ``keep``: small data files in dictionaries/.
"""

from __future__ import annotations

from collections.abc import Iterator, KeysView
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, overload

from ..core.resources import path, read_tsv
from . import gazetteer as gz

if TYPE_CHECKING:
    from ..core.config import Config

#: a place at least this populous (weight) is prominent: its listed variants are rewritten without a place cue
FUZZY_MIN_WEIGHT = 100_000

_D = TypeVar("_D")  # what Forms.get returns for a missing key


class Forms:
    """Lower-cased name form -> [(entry, how)]: the gazetteer's index, resolved to entries on first lookup
    of each key (most of the ~50k forms are never looked up in a run). With user gazetteer files, a user's
    rows take precedence over the bundled rows for the same form."""

    __slots__ = ("_index", "_entries", "_user_files", "_resolved")

    def __init__(self, g: gz.Gazetteer, user_files: frozenset[str]) -> None:
        self._index = g.index
        self._entries = g.entries
        self._user_files = user_files
        self._resolved: dict[str, list[tuple[gz.Entry, str]]] = {}

    def _resolve(self, items: list[tuple[int, str]]) -> list[tuple[gz.Entry, str]]:
        entries = self._entries
        resolved = [(entries[i], how) for i, how in items]
        if self._user_files:
            mine = [(e, how) for e, how in resolved if e.source.split(":", 1)[0] in self._user_files]
            resolved = mine or resolved
        return resolved

    @overload
    def get(self, key: str) -> list[tuple[gz.Entry, str]] | None: ...
    @overload
    def get(self, key: str, default: _D) -> list[tuple[gz.Entry, str]] | _D: ...
    def get(self, key: str, default: object = None) -> object:
        hit = self._resolved.get(key)
        if hit is None:
            items = self._index.get(key)
            if items is None:
                return default
            hit = self._resolved[key] = self._resolve(items)
        return hit

    def __getitem__(self, key: str) -> list[tuple[gz.Entry, str]]:
        hit = self.get(key)
        if hit is None:
            raise KeyError(key)
        return hit

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def keys(self) -> KeysView[str]:
        return self._index.keys()

    def items(self) -> Iterator[tuple[str, list[tuple[gz.Entry, str]]]]:
        for key in self._index:
            yield key, self[key]


@dataclass
class EntityIndex:
    gazetteer: gz.Gazetteer
    extra: tuple[str, ...] = ()
    #: name forms resolved to entries (made from ``gazetteer`` and ``extra``)
    forms: Forms = field(init=False)
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
    _single: dict[str, list[tuple[gz.Entry, str]]] | None = None

    def __post_init__(self) -> None:
        self.forms = Forms(self.gazetteer, frozenset(Path(p).name for p in self.extra))

    def lookup(self, phrase: str) -> list[tuple[gz.Entry, str]]:
        return self.forms.get(phrase.lower(), [])

    @property
    def single(self) -> dict[str, list[tuple[gz.Entry, str]]]:
        """Lower-cased single word -> [(entry, form)]: what a one-word garble can be repaired to (every
        one-word form, and every person's surname); built on first use (only global fuzzy matching needs it)."""
        if self._single is None:
            single: dict[str, list[tuple[gz.Entry, str]]] = {}
            forms = self.forms
            assert forms is not None  # set by build()
            for key in self.gazetteer.index:
                if key.isalpha() or len(key.split()) < 2:
                    single.setdefault(key, []).extend((e, key) for e, _how in forms[key])
            for e in self._persons():
                for form in e.forms:
                    words = form.split()
                    if len(words) < 2:
                        continue
                    sur = words[-1].lower()
                    lst = single.setdefault(sur, [])
                    if (e, sur) not in lst:
                        lst.append((e, sur))
            self._single = single
        return self._single

    def _persons(self) -> list[gz.Entry]:
        entries = self.gazetteer.entries
        return [entries[i] for i in self.gazetteer.persons]


@cache
def build(style: str, extra: tuple[str, ...]) -> EntityIndex:
    """The indexes over the gazetteer (see :func:`_build`), with the cyclic garbage collector paused:
    ~100k small acyclic objects, which the collector would only traverse again and again."""
    with gz.no_gc():
        return _build(style, extra)


def _build(style: str, extra: tuple[str, ...]) -> EntityIndex:
    """The indexes over the gazetteer for ``style`` and ``extra`` files (cached per process). Only what
    every document needs is built here: multi-word heads and the person indexes (a few thousand keys);
    name forms resolve to entries on lookup, and the fuzzy structures are built on first use."""
    g = gz.load(style, extra)
    entries = g.entries
    index = g.index
    idx = EntityIndex(g, extra)
    # multi-word forms, in index order: a single word is alphabetic, so only the others need a split
    first = idx.first
    multi = [key for key in index if not key.isalpha() and len(key.split()) > 1]
    for key in multi:
        w0 = key.split(None, 1)[0]
        lst = first.get(w0)
        if lst is None:
            first[w0] = [key]
        else:
            lst.append(key)
    first2 = idx.first2
    for forms in first.values():
        forms.sort(key=len, reverse=True)
        for f in forms:
            w0, w1 = f.split()[:2]
            first2.setdefault(w0, {}).setdefault(w1, []).append(f)
    idx.lower_second = set(g.lower_second)  # found while the gazetteer was read (no row is parsed here)
    persons = idx._persons()
    for e in persons:
        for form in e.forms:
            words = form.split()
            if len(words) < 2:
                continue
            sur = words[-1].lower()
            if (e, sur) not in idx.surnames.setdefault(sur, []):
                idx.surnames[sur].append((e, sur))
            for w in words[:-1]:
                persons_named = idx.given.setdefault(w.lower(), [])
                if e not in persons_named:
                    persons_named.append(e)
        idx.given_of[e.id] = frozenset(w.lower() for f in e.forms for w in f.split()[:-1])
    kept: dict[str, set[int]] = {}
    rewritten: dict[str, set[int]] = {}
    for e in persons:
        for f in (e.canonical, *e.accept):
            kept.setdefault(f.split()[-1].lower(), set()).add(e.id)
        for f in e.rewrite:
            rewritten.setdefault(f.split()[-1].lower(), set()).add(e.id)
    for sur, ids in rewritten.items():
        if len(ids) == 1 and sur not in kept:
            idx.surname_rewrites[sur] = entries[next(iter(ids))]
    return idx


def for_config(config: Config) -> EntityIndex:
    return build(config.style, tuple(config.gazetteers))


@cache
def vocab() -> frozenset[str]:
    """Lower-cased English words: symspellpy's bundled frequency list (the one load the spelling stage
    shares) plus ``entity_words.tsv``."""
    from .vocabulary import unigrams

    words: set[str] = set()
    try:
        words.update(unigrams())
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
