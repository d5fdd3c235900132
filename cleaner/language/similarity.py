"""A weighted edit distance for names: cheap substitutions for letters that are confused by sight or
sound (``dictionaries/confusables.tsv``), cheap insertions of letters romanisations add or drop, cheap
doubling, transpositions; optionally Latin capitals read as the Cyrillic letters they resemble.

Names are short, and this runs only for rare candidate tokens against a handful of candidate names,
so a plain dynamic programme is fast enough.
"""

from __future__ import annotations

from functools import lru_cache

from .homoglyphs import confusions


@lru_cache(maxsize=65536)
def distance(a: str, b: str, cyrillic_caps: bool = False) -> float:
    """Weighted optimal-string-alignment distance between ``a`` (the garble) and ``b`` (a name form),
    compared case-insensitively. With ``cyrillic_caps`` a letter of ``a`` may also stand for the sound
    of the Cyrillic letter it looks like (``P`` for ``Р`` = r) at that row's cost.

    A transposition costs less than two substitutions, and Latin capitals read as Cyrillic sounds are near:

    >>> distance("Pokrvosk", "Pokrovsk") < distance("Pokrmask", "Pokrovsk")
    True
    >>> distance("KYPCK", "Kursk", cyrillic_caps=True) < distance("KYPCK", "Kursk")
    True
    """
    c = confusions()
    sub, indel, read_as = c.sub, c.indel, c.read_as
    double = c.params.get("double", 0.4)
    transpose = c.params.get("transpose", 0.7)
    a, b = a.lower(), b.lower()
    n, m = len(a), len(b)

    def ins_del(s: str, i: int) -> float:
        ch = s[i]
        if (i > 0 and s[i - 1] == ch) or (i + 1 < len(s) and s[i + 1] == ch):
            return min(double, indel.get(ch, 1.0))
        return indel.get(ch, 1.0)

    prev2: list[float] = []
    prev = [0.0] * (m + 1)
    for j in range(1, m + 1):
        prev[j] = prev[j - 1] + ins_del(b, j - 1)
    for i in range(1, n + 1):
        cur = [prev[0] + ins_del(a, i - 1)] + [0.0] * m
        ai = a[i - 1]
        for j in range(1, m + 1):
            bj = b[j - 1]
            if ai == bj:
                cost = 0.0
            else:
                cost = sub.get((ai, bj), 1.0)
                if cyrillic_caps:
                    cost = min(cost, read_as.get((ai, bj), 1.0))
            best = min(prev[j] + ins_del(a, i - 1), cur[j - 1] + ins_del(b, j - 1), prev[j - 1] + cost)
            if i > 1 and j > 1 and ai == b[j - 2] and a[i - 2] == bj and ai != bj:
                best = min(best, prev2[j - 2] + transpose)
            cur[j] = best
        prev2, prev = prev, cur
    return prev[m]


def similarity(a: str, b: str, cyrillic_caps: bool = False) -> float:
    """``1 - distance / longer length``, in [0, 1]."""
    longest = max(len(a), len(b), 1)
    return max(0.0, 1.0 - distance(a, b, cyrillic_caps) / longest)


def osa(a: str, b: str) -> int:
    """Unit-cost optimal string alignment distance (insertions, deletions, substitutions and adjacent
    transpositions each count 1), case-sensitive: how many plain edits apart two words are. The spelling
    stage's edit count; :func:`distance` is the weighted form for names.

    >>> osa("teh", "the"), osa("goverment", "government"), osa("Kyiv", "kyiv")
    (1, 1, 1)
    """
    n, m = len(a), len(b)
    prev2: list[int] = []
    prev = list(range(m + 1))
    for i in range(1, n + 1):
        cur = [i] + [0] * m
        for j in range(1, m + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[m]
