"""Patterns, small records and helpers shared by the modules of the entities stage."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress
from typing import TYPE_CHECKING, Any, TypeVar

import regex

from ...language.gazetteer import Entry

if TYPE_CHECKING:
    from ...core.config import Config
    from ...language.entity_index import EntityIndex
    from .candidates import GlobalCandidates
    from .countries import CountrySlips
    from .phrases import PhraseIndex
    from .regions import RegionSlots

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


class _Shared:
    """What the stage's mixins use of each other and of the stage class, declared for the type checker
    only (nothing at run time: the stage class and the other mixins provide them)."""

    if TYPE_CHECKING:
        config: Config
        _cues: dict[tuple[str, str], set[str]]
        _vocab: frozenset[str]
        _keep: dict[str, list[str]]
        _record: list[Any] | None
        _possible: dict[tuple[str, str], bool]
        _entry_letters: dict[int, tuple[Entry, str, tuple[str, ...]]]
        _letters_cache: dict[int, tuple[str, ...]]
        _forms_cache: dict[int, tuple[str, ...]]
        _rewrite_cache: dict[str, tuple[Entry, str] | None]

        @property
        def index(self) -> EntityIndex: ...

        @property
        def global_index(self) -> GlobalCandidates: ...

        @property
        def phrase_index(self) -> PhraseIndex: ...

        @property
        def country_slips(self) -> CountrySlips: ...

        @property
        def region_slots(self) -> RegionSlots: ...

        def _context(self, view: str, start: int, end: int, depth: int = 0) -> list[str]: ...

        def _cue_for(self, cand: _Candidate, kind: str) -> str: ...

        def _person_cue(self, view: str, cand: _Candidate) -> bool: ...

        def _place_cue(self, view: str, cand: _Candidate) -> bool: ...

        def _after_given_name(self, view: str, start: int) -> bool: ...

        def _in_name_sequence(self, view: str, start: int, end: int) -> bool: ...


_SENTENCE_END_RE = regex.compile(r"[.!?](?:\s|$)")


def _sentence(view: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence (within its line, at most 300 characters either way) around a span."""
    lo = max(0, start - 300)
    a = max(view.rfind("\n", lo, start), view.rfind(". ", lo, start), view.rfind("? ", lo, start),
            view.rfind("! ", lo, start))
    a = lo if a < 0 else a + 1
    m = _SENTENCE_END_RE.search(view, end, end + 300)
    b = m.end() if m else min(len(view), end + 300)
    nl = view.find("\n", end, b)
    return a, (b if nl < 0 else nl)


_T = TypeVar("_T")
_PER_OWNER: dict[tuple[str, int], Any] = {}


def per_owner(name: str, owner: object, build: Callable[[], _T]) -> _T:
    """One ``name`` structure per ``owner`` (an entity index or a gazetteer's entry list: both are cached per
    process, so their ids are stable), built on first use and shared by every stage of the process."""
    key = (name, id(owner))
    hit = _PER_OWNER.get(key)
    if hit is None:
        hit = _PER_OWNER[key] = build()
    return hit


def of_kind(kind: str, entries: Sequence[Entry], kinds: Sequence[str]) -> list[Entry]:
    """The entries of one ``kind`` (``kinds`` is the gazetteer's column of kinds; C loops over 18k rows)."""
    return [entries[i] for i in compress(range(len(kinds)), map(kind.__eq__, kinds))]
