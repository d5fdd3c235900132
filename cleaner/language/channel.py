"""The spelling stage's error model: how likely is it that someone who meant ``word`` typed ``typed``?

Costs are in log10 units (how much less likely that typo is than typing the word right), combined with the
candidate's log frequency in a noisy-channel score. Two kinds of error are costed:

- slips of the fingers, in code: a letter left out, added, swapped with its neighbour, a keyboard neighbour
  hit, a doubled letter undoubled (and the reverse), one vowel for another;
- slips of knowledge, as data (``dictionaries/spelling_confusions.tsv``, Brill & Moore style
  substring-to-substring edits): ``-ance``/``-ence``, ``ph``/``f``, ``ie``/``ei``, silent letters, soft and hard c...
  each one step with its own cost, so an error of one confusion costs one edit however many
  letters they span.

:func:`sound_key` is a coarse phonetic key (consonant skeleton with one spelling per sound) used to find
candidates more than two plain edits away (``beurocracy`` and ``bureaucracy`` share a key).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

from ..core.resources import DICTIONARIES, read_tsv

_VOWELS = frozenset("aeiouy")
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_SOUNDALIKE = {frozenset(p) for p in ("ck", "cs", "sz", "iy", "gj", "fv", "mn", "td", "bp", "qk", "xz")}

# Costs in log10 units: how much less likely a typo of that kind is than typing the word right.
INSERT = 2.0
DELETE = 1.5
DOUBLE = 1.2  # a letter doubled or undoubled (occured, untill)
SUBSTITUTE = 2.6
VOWEL = 1.3  # one vowel for another (seperate, definately)
KEY = 1.7  # keyboard neighbour
SOUNDALIKE = 1.9
TRANSPOSE = 1.1  # two neighbours swapped (recieve, teh): a slip of timing, as common as a dropped letter
FIRST_LETTER = 0.8  # extra for changing the first letter
#: extra for swapping the first two letters of a longer word: the first letter is still typed, one stroke late
#: (a short string with its first letters swapped is as likely an abbreviation: img, mgr)
FIRST_SWAP = 0.3


def _adjacent_keys() -> set[frozenset[str]]:
    pos = {ch: (r, c) for r, row in enumerate(_KEYBOARD_ROWS) for c, ch in enumerate(row)}
    pairs = set()
    for a, (ra, ca) in pos.items():
        for b, (rb, cb) in pos.items():
            if a != b and abs(ra - rb) <= 1 and -1 <= (cb - ca) + (0 if ra == rb else (0.5 if rb > ra else -0.5)) <= 1:
                pairs.add(frozenset((a, b)))
    return pairs


_ADJACENT = _adjacent_keys()


@cache
def confusions() -> tuple[tuple[str, str, float, str], ...]:
    """``(intended, typed, cost, anchor)`` rows of ``dictionaries/spelling_confusions.tsv`` (cheapest per pair).
    ``anchor`` is ``^`` or ``$`` for a row that applies only at the start or the end of the word (a silent
    final e is often left out; an e in mid-word is an ordinary dropped letter), else empty."""
    best: dict[tuple[str, str, str], float] = {}
    file = Path(DICTIONARIES) / "spelling_confusions.tsv"
    if file.exists():
        for row in read_tsv(file, columns=3):
            a, b = row[0].strip(), row[1].strip()
            anchor = "^" if a.startswith("^") else "$" if a.endswith("$") else ""
            key = (a.strip("^$"), b.strip("^$"), anchor)
            best[key] = min(best.get(key, 99.0), float(row[2]))
    return tuple((a, b, c, anchor) for (a, b, anchor), c in best.items())


def _sub_cost(a: str, b: str) -> float:
    if a in _VOWELS and b in _VOWELS:
        return VOWEL
    pair = frozenset((a, b))
    if pair in _SOUNDALIKE:
        return SOUNDALIKE
    if pair in _ADJACENT:
        return KEY
    return SUBSTITUTE


def _ends(s: str, part: str) -> list[int]:
    """Every position ``i`` with ``s[:i].endswith(part)`` (all positions for an empty ``part``)."""
    if not part:
        return list(range(len(s) + 1))
    out, k = [], s.find(part)
    while k >= 0:
        out.append(k + len(part))
        k = s.find(part, k + 1)
    return out


def _moves(typed: str, word: str) -> dict[tuple[int, int], list[tuple[int, int, float]]]:
    """(i, j) -> [(i0, j0, cost)]: confusion steps taking ``word[i0:i]`` to ``typed[j0:j]``."""
    out: dict[tuple[int, int], list[tuple[int, int, float]]] = {}
    n, m = len(word), len(typed)
    for a, b, cost, anchor in confusions():
        if a not in word or (b and b not in typed):
            continue
        for i in _ends(word, a):
            if (anchor == "^" and i != len(a)) or (anchor == "$" and i != n):
                continue
            for j in _ends(typed, b):
                if (anchor == "^" and j != len(b)) or (anchor == "$" and j != m):
                    continue
                out.setdefault((i, j), []).append((i - len(a), j - len(b), cost))
    return out


@lru_cache(maxsize=131072)
def typo_cost(typed: str, word: str) -> float:
    """Weighted optimal-string-alignment distance from the intended ``word`` to what was ``typed``, with the
    confusion table's multi-letter steps."""
    n, m = len(word), len(typed)
    moves = _moves(typed, word)
    d = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        d[i][0] = d[i - 1][0] + (DOUBLE if i > 1 and word[i - 1] == word[i - 2] else DELETE)
    for j in range(1, m + 1):
        d[0][j] = d[0][j - 1] + (DOUBLE if j > 1 and typed[j - 1] == typed[j - 2] else INSERT)
    for i in range(0, n + 1):
        wi = word[i - 1] if i else ""
        for j in range(0, m + 1):
            if i and j:
                tj = typed[j - 1]
                if wi == tj:
                    best = d[i - 1][j - 1]
                else:
                    best = d[i - 1][j - 1] + _sub_cost(wi, tj)
                # the intended letter was left out (one of a doubled pair is cheap)
                dele = DOUBLE if (i > 1 and word[i - 2] == wi) or (i < n and word[i] == wi) else DELETE
                best = min(best, d[i - 1][j] + dele)
                # an extra letter was typed (a repeat of its neighbour is cheap)
                if (j > 1 and typed[j - 2] == tj) or (j < m and typed[j] == tj):
                    ins = DOUBLE
                elif (j > 1 and frozenset((typed[j - 2], tj)) in _ADJACENT) or (
                    j < m and frozenset((typed[j], tj)) in _ADJACENT
                ):
                    ins = KEY
                else:
                    ins = INSERT
                best = min(best, d[i][j - 1] + ins)
                if i > 1 and j > 1 and wi == typed[j - 2] and word[i - 2] == tj:
                    best = min(best, d[i - 2][j - 2] + TRANSPOSE)
            elif i or j:
                best = d[i][j]
            else:
                continue
            for i0, j0, cost in moves.get((i, j), ()):
                if (i0, j0) != (i, j):
                    best = min(best, d[i0][j0] + cost)
            d[i][j] = best
    cost = d[n][m]
    if typed[:1] != word[:1]:
        swapped = n > 4 and m > 4 and typed[0] == word[1] and typed[1] == word[0]
        cost += FIRST_SWAP if swapped else FIRST_LETTER
    return cost


#: one spelling per sound, longest and context-bound spellings first (one left-to-right pass)
_KEY_MAP = {"kn": "n", "gn": "n", "pn": "n", "ps": "s", "wr": "r", "wh": "w", "ph": "f", "gh": "", "ck": "k",
            "sch": "sk", "tch": "ch", "dg": "j", "sc": "s", "c": "k", "q": "k", "x": "ks", "z": "s", "ti": "sh",
            "si": "sh", "g": "j", "mb": "m", "ce": "se", "ci": "si", "cy": "sy"}
_KEY_RE = re.compile(r"^(?:kn|gn|pn|ps|wr|wh)|sch|tch|dg(?=[eiy])|sc(?=[eiy])|ph|gh|ck|mb$|t(?:i)(?=[aoe])"
                     r"|s(?:i)(?=[aoe])|c(?=[eiy])|g(?=[eiy])|[cqxz]")
_DROP = re.compile(r"[aeiouyhw]+")
_REPEAT = re.compile(r"(.)\1+")


def _key_part(m: re.Match) -> str:
    part = m.group()
    if part == "c":
        return "s" if m.end() < len(m.string) and m.string[m.end()] in "eiy" else "k"
    if part == "g":
        return "j"
    return _KEY_MAP[part]


@lru_cache(maxsize=131072)
def sound_key(word: str) -> str:
    """A coarse phonetic key: one spelling per consonant sound, vowels and h/w/y dropped after the first letter,
    repeats collapsed (``bureaucracy``, ``beurocracy`` -> ``brkrs``)."""
    w = _KEY_RE.sub(_key_part, word.lower())
    if not w:
        return ""
    head = "a" if w[0] in _VOWELS else w[0]
    return _REPEAT.sub(r"\1", head + _DROP.sub("", w[1:]))


#: letter-to-sound rewrites for :func:`vowel_key`, tried in order at each position (first match wins); the
#: vowel classes are rough (one letter per vowel sound family), enough to tell "seize" (ee sound) from "size"
_VOWEL_KEY_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r) for p, r in (
        (r"^(?:kn|gn|pn)", "n"), (r"^ps", "s"), (r"^wr", "r"), (r"^wh", "w"), (r"^x", "s"),
        (r"ourse", "ors"),  # course, source
        (r"(?:ss|[tsc])i(?=[aou])", "sh"),  # -tion, -sion, -cial
        (r"tch", "ch"), (r"dg(?=[eiy])", "j"), (r"sch", "sk"), (r"ph", "f"), (r"igh", "i"), (r"gh", ""),
        (r"cc(?=[eiy])", "ks"), (r"ck", "k"), (r"qu", "kw"), (r"q", "k"), (r"x", "ks"),
        (r"c(?=[eiy])", "s"), (r"c", "k"),
        (r"g(?=[eiy])", "j"), (r"z", "s"), (r"mb$", "m"),
        (r"(?<=[a-z]{3})(?:[aeio]l|le)$", "l"),  # unstressed -al/-el/-le: practical, article
        (r"e?ure$", "ur"),  # -ure/-eur: nature, amateur
        (r"(?<=[a-z]{2})(?:[oa]u?r|re|er)$", "er"),  # unstressed -or/-our/-ar/-re: favour, center
        (r"ous$", "us"),
        (r"ey$", "i"), (r"ye$", "i"), (r"y(?=[aeiou])", "Y"),
        (r"e(?=s?$)|(?<![dt])e(?=d$)", ""),  # silent final e (also before -s, -d; not in -ded, -ted)
        (r"ee|ea|ie|ei|ey", "e"), (r"ai|ay", "a"), (r"oa|oe|ow$", "o"), (r"oo|ue|ew|eu", "u"), (r"ou", "u"),
        (r"au|aw", "o"), (r"y", "i"),
    )
)
_VOWEL_KEY_RE = re.compile("|".join(f"(?P<r{k}>{p.pattern})" for k, (p, _) in enumerate(_VOWEL_KEY_RULES)))


def _vowel_key_part(m: re.Match) -> str:
    return _VOWEL_KEY_RULES[int(m.lastgroup[1:])][1]  # type: ignore[index]


@lru_cache(maxsize=131072)
def vowel_key(word: str) -> str:
    """A rough pronunciation that keeps the vowels (one letter per vowel sound family, silent letters and the
    silent final e dropped, one spelling per consonant sound, repeats collapsed): words that sound the same get
    the same key (``sieze``, ``seize`` -> ``ses``; ``size`` -> ``sis``), which the consonant-only
    :func:`sound_key` cannot tell apart."""
    return _REPEAT.sub(r"\1", _VOWEL_KEY_RE.sub(_vowel_key_part, word.lower())).lower()


def slip(typed: str, word: str) -> str | None:
    """The kind of finger slip that turns ``word`` into ``typed``, or None if it takes more than one or another
    kind: ``"dropped"`` (a letter left out), ``"doubled"`` (a letter typed twice, or a double typed once),
    ``"added"`` (an extra letter next to a keyboard neighbour), ``"swapped"`` (two neighbours transposed),
    ``"key"`` (a keyboard neighbour hit instead). These are the shapes typing produces; a token one vowel or one
    arbitrary letter away from a word is as often a foreign word, a name or a transliteration.

    >>> slip("teh", "the"), slip("goverment", "government"), slip("Pokrovsk", "Poltava")
    ('swapped', 'dropped', None)
    """
    n, m = len(typed), len(word)
    if n == m:
        diffs = [i for i in range(n) if typed[i] != word[i]]
        if len(diffs) == 1:
            i = diffs[0]
            return "key" if frozenset((typed[i], word[i])) in _ADJACENT else None
        if len(diffs) == 2 and diffs[1] == diffs[0] + 1:
            i = diffs[0]
            return "swapped" if typed[i] == word[i + 1] and typed[i + 1] == word[i] else None
        return None
    if abs(n - m) != 1:
        return None
    longer, shorter = (typed, word) if n > m else (word, typed)
    i = 0
    while i < len(shorter) and longer[i] == shorter[i]:
        i += 1
    if longer[:i] + longer[i + 1 :] != shorter:
        return None
    ch = longer[i]
    doubled = (i > 0 and longer[i - 1] == ch) or (i + 1 < len(longer) and longer[i + 1] == ch)
    if doubled:
        return "doubled"
    if n < m:
        return "dropped"
    near = [longer[k] for k in (i - 1, i + 1) if 0 <= k < len(longer)]
    return "added" if any(frozenset((ch, c)) in _ADJACENT for c in near) else None
