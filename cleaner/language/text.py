"""The one tokenizer every word-level stage shares.

``tokenize(text)`` splits text into :class:`Token` objects of a few kinds. Kinds other than ``word``
are *protected*: URLs, emails, numbers with units (``86m``, ``£10bn``, ``200-300``), hashtags and
mentions, tags, and anything with digits or inner dots is never spell-corrected or re-spelled as a name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

_PATTERNS = [
    ("url", r"(?:https?://|ftp://|www\.)[^\s<>\"'()\[\]{}]+[^\s<>\"'()\[\]{}.,;:!?]"),
    ("email", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    ("domain", r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|gov|int|mil|io|co|uk|ua|ru|de|fr|eu|info|biz|by|pl|ly|me|tv)"
               r"\b(?:/\S*)?"),
    ("tag", r"<[^<>\n]{0,200}>"),
    ("hashtag", r"[#@][\p{L}\p{N}_]+"),
    # numbers, with currency, separators, ranges and unit/suffix letters: 86m, £10bn, 200-300, 3.5%, 1990s
    ("number", r"[£$€¥₴₽]?\p{N}+(?:[.,:/]\p{N}+)*(?:\s?%|[\p{L}]+)?(?:[-–]\p{N}+(?:[.,]\p{N}+)*(?:%|\p{L}+)?)?"),
    # abbreviations with dots (U.S., e.g.) are words
    ("abbrev", r"(?:\p{L}\.){2,}"),
    # identifiers: letters mixed with digits (MH17, F-16), dotted names (Node.js); never corrected
    ("code", r"\p{L}[\p{L}\p{N}_]*\p{N}[\p{L}\p{N}_-]*|\p{L}[\p{L}\p{N}_]*(?:\.[\p{L}\p{N}_]+)+"
             r"|\p{L}+-\p{N}[\p{L}\p{N}-]*"),
    # words: letters with inner apostrophes or hyphens
    ("word", r"\p{L}[\p{L}\p{M}]*(?:['’\-][\p{L}][\p{L}\p{M}]*)*"),
    ("space", r"\s+"),
    ("punct", r"[^\s\p{L}\p{N}]"),
    ("other", r"."),
]
_TOKEN_RE = regex.compile("|".join(f"(?P<{name}>{pat})" for name, pat in _PATTERNS), regex.V1)

PROTECTED_KINDS = frozenset({"url", "email", "domain", "tag", "hashtag", "number", "code", "abbrev"})


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    start: int
    end: int
    text: str

    @property
    def protected(self) -> bool:
        return self.kind in PROTECTED_KINDS


def tokenize(text: str) -> Iterator[Token]:
    """Every character of ``text`` belongs to exactly one token, in order."""
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup or "other"
        yield Token(kind, m.start(), m.end(), m.group())


def words(text: str) -> Iterator[Token]:
    """Only the ``word`` tokens."""
    return (t for t in tokenize(text) if t.kind == "word")


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans no word-level stage may change (URLs, emails, numbers with units, tags, hashtags)."""
    return [(t.start, t.end) for t in tokenize(text) if t.kind in PROTECTED_KINDS]


def match_case(template: str, word: str) -> str:
    """Give ``word`` the case pattern of ``template`` (``KIEV``->``KYIV``, ``kiev``->``kyiv``,
    ``Kiev``->``Kyiv``); mixed patterns keep ``word`` as it is.

    >>> match_case("KIEV", "kyiv"), match_case("Kiev", "kyiv"), match_case("kiev", "Kyiv")
    ('KYIV', 'Kyiv', 'kyiv')
    """
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template.islower():
        return word.lower()
    if template[:1].isupper() and template[1:].islower():
        return word[:1].upper() + word[1:]
    return word
