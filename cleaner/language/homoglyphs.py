"""Look-alike letters and transliteration confusions, from ``dictionaries/confusables.tsv``.

Three uses, all data-driven:

- :func:`fold_lookalikes` puts Cyrillic/Greek look-alike letters inside a Latin word back to Latin
  (``Кursk`` with a Cyrillic К -> ``Kursk``);
- :func:`transliterations` romanises an all-Cyrillic token (``Курск`` -> ``kursk``) for exact lookup;
- :func:`cyrillic_reading` reads Latin capitals that look like Cyrillic letters as the sound of those
  letters (a garble such as Latin ``P`` standing for Cyrillic ``Р`` = ``r``), and
  :data:`Confusions.read_as` gives the per-letter substitution cost the similarity measure uses.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import cache

import regex

from ..core.resources import path, read_tsv

NONLATIN_RE = regex.compile(r"[\p{Cyrillic}\p{Greek}]")
LATIN_RE = regex.compile(r"\p{Latin}")


@dataclass
class Confusions:
    #: non-Latin letter -> Latin look-alike
    lookalike: dict[str, str] = field(default_factory=dict)
    #: Cyrillic letter (lower) -> romanisations, house style first
    translit: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: (a, b) lower-case Latin letters -> substitution cost (both orders)
    sub: dict[tuple[str, str], float] = field(default_factory=dict)
    #: (latin, sound) -> cost: a Latin letter read as the Cyrillic letter it resembles (lower case)
    read_as: dict[tuple[str, str], float] = field(default_factory=dict)
    #: Cyrillic capital -> Latin capital it resembles in shape only (a looser reading of all-caps garbles)
    shape: dict[str, str] = field(default_factory=dict)
    #: Latin capital -> the Cyrillic capitals it may stand for in shape (several: N for И, Й, П)
    shapes_of: dict[str, list[str]] = field(default_factory=dict)
    #: letter -> insertion/deletion cost
    indel: dict[str, float] = field(default_factory=dict)
    params: dict[str, float] = field(default_factory=dict)


@cache
def confusions() -> Confusions:
    c = Confusions()
    cyr_costs: dict[str, float] = {}
    for row in read_tsv(path("confusables.tsv"), columns=2):
        row += [""] * (5 - len(row))
        kind, a, b, cost = row[0], row[1], row[2], row[3]
        value = float(cost) if cost.strip() else None
        if kind == "lookalike":
            c.lookalike[a] = b
        elif kind == "translit":
            c.translit[a] = tuple(b.split("|")) if b else ("",)
            if value is not None:
                cyr_costs[a] = value
        elif kind == "confusable" and value is not None:
            c.sub[(a, b)] = c.sub[(b, a)] = value
        elif kind == "indel" and value is not None:
            c.indel[a] = value
        elif kind == "shape":
            c.shape.setdefault(a, b)
            c.shapes_of.setdefault(b, []).append(a)
        elif kind == "param" and value is not None:
            c.params[a] = value
    # Latin letter -> Cyrillic look-alike -> that letter's sound (only single-letter sounds here)
    for cyr, latin in c.lookalike.items():
        low = cyr.lower()
        if low in cyr_costs and NONLATIN_RE.match(cyr):
            sound = c.translit.get(low, ("",))[0]
            if len(sound) == 1 and sound != latin.lower():
                c.read_as[(latin.lower(), sound)] = cyr_costs[low]
    return c


def fold_lookalikes(word: str) -> str:
    """Replace Cyrillic/Greek look-alike letters by the Latin letters they look like.

    >>> fold_lookalikes("K\u0443iv")  # a Cyrillic u in a Latin word
    'Kyiv'
    """
    table = confusions().lookalike
    return "".join(table.get(ch, ch) for ch in word)


def is_mixed_script(word: str) -> bool:
    """Does ``word`` mix Latin letters with Cyrillic or Greek ones (look-alike damage or an MT slip)?

    >>> is_mixed_script("K\u0443iv"), is_mixed_script("Kyiv"), is_mixed_script("\u041a\u0438\u0457\u0432")
    (True, False, False)
    """
    return bool(NONLATIN_RE.search(word)) and bool(LATIN_RE.search(word))


def transliterations(word: str, limit: int = 16) -> list[str]:
    """Lower-case romanisations of an all-Cyrillic ``word`` (house style first; at most ``limit``)."""
    table = confusions().translit
    options: list[tuple[str, ...]] = []
    for ch in word.lower():
        if ch in table:
            options.append(table[ch])
        elif ch in "'’-":
            options.append(("",) if ch != "-" else ("-",))
        else:
            return []
    return _spellings(options, limit)


def cyrillic_reading(word: str, shapes: bool = False) -> str:
    """Read every Latin letter of ``word`` that looks like a Cyrillic letter as that letter's sound
    (lower case): a capitalised garble written with Latin look-alikes of Cyrillic letters. With ``shapes``
    also the Latin capitals that resemble a Cyrillic one only in shape (``N`` for a mirrored ``И``).

    >>> cyrillic_reading("KYPCK")  # КУРСК typed with Latin look-alikes
    'kursk'
    """
    c = confusions()
    inverse = _latin_to_cyrillic(shapes)
    out = []
    for ch in word:
        cyr = inverse.get(ch)
        if cyr is not None:
            out.append(c.translit.get(cyr.lower(), (ch.lower(),))[0])
        else:
            out.append(ch.lower())
    return "".join(out)


@cache
def cyrillic_images() -> frozenset[str]:
    """Latin capitals that look like a Ukrainian or Russian Cyrillic capital (as homoglyphs or in shape): a
    word with any other letter (S, G, L...) is not Cyrillic written with Latin look-alikes."""
    c = confusions()
    return frozenset(
        [latin for latin, cyr in _latin_to_cyrillic().items() if cyr.lower() in c.translit] + list(c.shapes_of)
    )


def cyrillic_readings(word: str, limit: int = 24) -> list[str]:
    """Every reading of an all-caps ``word`` whose Latin capitals stand for Cyrillic letters they look like,
    homoglyphs first and then shape resemblances (``N`` for ``И``, ``Й`` or ``П``; ``B`` for ``В``, ``Б``
    or a silent ``Ь``): the plain reading first, at most ``limit``."""
    c = confusions()
    inverse = _latin_to_cyrillic()
    options: list[list[str]] = []
    for ch in word:
        sounds: list[str] = []
        for cyr in ([inverse[ch]] if ch in inverse else []) + c.shapes_of.get(ch, []):
            sound = c.translit.get(cyr.lower(), (None,))[0]
            if sound is not None and sound not in sounds:
                sounds.append(sound)
        options.append(sounds or [ch.lower()])
    return _fewest_changes(options, limit)


def _fewest_changes(options: list[list[str]], limit: int) -> list[str]:
    """Spellings picking one option per position, those with the fewest positions off their first option
    first (a reading that needs one shape resemblance before one that needs three), at most ``limit``."""
    alts = [(i, j) for i, opts in enumerate(options) for j in range(1, len(opts))]
    out: list[str] = []
    for k in range(len(alts) + 1):
        for combo in itertools.combinations(alts, k):
            picks = dict(combo)
            if len(picks) < k:
                continue  # two options for one position
            out.append("".join(opts[picks.get(i, 0)] for i, opts in enumerate(options)))
            if len(out) >= limit:
                return out
    return out


def _spellings(options: list, limit: int) -> list[str]:
    """The first ``limit`` strings made by picking one option per position, in the options' order."""
    return ["".join(combo) for combo in itertools.islice(itertools.product(*options), limit)]


@cache
def _latin_to_cyrillic(shapes: bool = False) -> dict[str, str]:
    c = confusions()
    out = {latin: cyr for cyr, latin in c.lookalike.items() if regex.match(r"\p{Cyrillic}", cyr)}
    if shapes:
        for cyr, latin in c.shape.items():
            if latin not in out or out[latin].lower() not in c.translit:  # Ј has no Ukrainian/Russian sound
                out[latin] = cyr
    return out
