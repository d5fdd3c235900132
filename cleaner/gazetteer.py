"""Gazetteers: the names the entities stage repairs towards and every word-level stage protects.

Data lives in ``dictionaries/`` as TSV files with one row per entity and these columns::

    canonical   rewrite          accept            kind    country  weight   source
    Kyiv        Kiev|Kiyev       Kyyiv             place   UA       2900000  geonames:703448

- ``canonical``: the form the house style writes.
- ``rewrite``: ``|``-separated spellings that are rewritten to ``canonical`` *when the style says the
  row's class is rewritten* (see ``style.tsv``); e.g. Russian romanisations of Ukrainian places.
- ``accept``: other correct spellings, recognised (for context and protection) but never rewritten.
- ``kind``: ``place``, ``region``, ``water``, ``country``, ``person``, ``org``, ``unit``.
- ``country``: ISO 3166 alpha-2 (or empty); ``weight``: population or prominence (higher wins ties);
  ``source``: where the row came from (``geonames:ID``, ``curated``...).

For a person, the last word of ``canonical`` (and of each variant) is the surname and the words before
it are given names; both serve as anchors for the document-context logic of the entities stage.

``style.tsv`` rows are ``style  kind  country  action`` with action ``rewrite`` or ``keep`` (``*`` matches
any kind or country; the first matching row wins). A user adds gazetteer files of the same columns via
``Config.gazetteers`` (their rows take precedence) and picks a style with ``Config.style``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .resources import DataError, path, read_tsv

GAZETTEER_FILES = ("places.tsv", "people.tsv", "organisations.tsv")
COLUMNS = ("canonical", "rewrite", "accept", "kind", "country", "weight", "source")


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    canonical: str
    rewrite: tuple[str, ...]
    accept: tuple[str, ...]
    kind: str
    country: str
    weight: float
    source: str  # "file:line (source column)"

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.canonical, *self.rewrite, *self.accept)

    @property
    def surname(self) -> str:
        return self.canonical.split()[-1] if self.kind == "person" else ""

    @property
    def given(self) -> tuple[str, ...]:
        return tuple(self.canonical.split()[:-1]) if self.kind == "person" else ()


@dataclass
class Gazetteer:
    """All entries plus lookup indexes (lower-cased keys)."""

    entries: list[Entry] = field(default_factory=list)
    #: lower-cased name form (one or more words) -> [(entry id, "canonical" | "rewrite" | "accept")]
    index: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    #: every lower-cased word that occurs in any name form (for spelling protection)
    tokens: frozenset[str] = frozenset()
    #: the longest name form, in words
    max_words: int = 1
    #: (kind, country) -> rewrite? under the configured style
    style: str = "kmu2010"

    def lookup(self, phrase: str) -> list[tuple[Entry, str]]:
        return [(self.entries[i], form) for i, form in self.index.get(phrase.lower(), ())]

    def is_name_token(self, word: str) -> bool:
        return word.lower() in self.tokens


def _split(cell: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in cell.split("|") if v.strip())


def read_gazetteer(file: Path, first_id: int = 0) -> list[Entry]:
    """Parse one gazetteer TSV; errors name file and line."""
    entries: list[Entry] = []
    with file.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if len(cells) < 4:
                raise DataError(f"{file}:{lineno}: expected columns {', '.join(COLUMNS)}; got {len(cells)} cells")
            cells += [""] * (len(COLUMNS) - len(cells))
            canonical, rewrite, accept, kind, country, weight, source = cells[: len(COLUMNS)]
            if not canonical.strip():
                raise DataError(f"{file}:{lineno}: empty canonical name")
            try:
                w = float(weight) if weight.strip() else 0.0
            except ValueError:
                raise DataError(f"{file}:{lineno}: weight must be a number, got {weight!r}") from None
            entries.append(
                Entry(first_id + len(entries), canonical.strip(), _split(rewrite), _split(accept), kind.strip(),
                      country.strip().upper(), w, f"{file.name}:{lineno} ({source.strip() or 'unknown'})")
            )
    return entries


@cache
def style_rules(style: str) -> tuple[tuple[str, str, str], ...]:
    """(kind, country, action) rows of ``style.tsv`` for ``style``; unknown style -> DataError."""
    rows = [(k, c, a) for s, k, c, a, *_ in read_tsv(path("style.tsv"), columns=4) if s == style]
    if not rows:
        known = sorted({r[0] for r in read_tsv(path("style.tsv"), columns=4)})
        raise DataError(f"unknown style {style!r}; known styles: {', '.join(known)}")
    return tuple(rows)


def rewrites(entry: Entry, style: str) -> bool:
    """Does ``style`` rewrite this entry's ``rewrite`` variants to its canonical form?"""
    for kind, country, action in style_rules(style):
        if kind in ("*", entry.kind) and country in ("*", entry.country):
            return action == "rewrite"
    return False


@cache
def load(style: str = "kmu2010", extra: tuple[str, ...] = ()) -> Gazetteer:
    """Load the bundled gazetteers plus ``extra`` files (cached per process)."""
    entries: list[Entry] = []
    files = [Path(p) for p in extra] + [path(name) for name in GAZETTEER_FILES]
    for file in files:
        if file.exists() or file in [Path(p) for p in extra]:
            entries += read_gazetteer(file, len(entries))
    index: dict[str, list[tuple[int, str]]] = {}
    tokens: set[str] = set()
    max_words = 1
    for e in entries:
        for form, how in ((e.canonical, "canonical"),) + tuple((v, "rewrite") for v in e.rewrite) + tuple(
            (v, "accept") for v in e.accept
        ):
            key = form.lower()
            index.setdefault(key, []).append((e.id, how))
            words = key.split()
            tokens.update(words)
            max_words = max(max_words, len(words))
    style_rules(style)  # fail early on an unknown style
    return Gazetteer(entries, index, frozenset(tokens), max_words, style)


def for_config(config) -> Gazetteer:
    """The gazetteer a :class:`~cleaner.Config` asks for."""
    return load(config.style, tuple(config.gazetteers))
