"""The `spacing` stage: whitespace damage around hyphens and punctuation.

Rules (each an edit ``rule``):

- ``hyphen-space-before`` ``cross -border`` -> ``cross-border``, ``commander -in -chief``;
- ``hyphen-space-after`` ``pro- Russian`` -> ``pro-Russian`` (but ``pre- and post-war`` stays);
- ``space-before-punct`` ``word ,`` -> ``word,``;
- ``sentence-space`` ``infrastructure.Ukraine`` -> ``infrastructure. Ukraine``: applied when a lower-case
  word meets a capitalised one (``website.He``), which in prose is a lost space; other shapes
  (``iPhone.The``, ``e.g.The``) are only suggested;
- ``collapse-spaces`` runs of three or more spaces between words become one; ``trailing-space`` before a
  newline goes.

A broken hyphen is rejoined with confidence only when the compound is plausible: a bound prefix
(``anti``, ``pro``, from dictionaries/hyphen_prefixes.txt), a known first or second element
(hyphen_first.txt, hyphen_second.txt), or the same compound written intact elsewhere in the document.
Otherwise it is only suggested. Real dashes (`` - ``), ranges (``200-300``, ``5 - 3``), negatives
(``-5``), indentation, tabs and paragraph breaks are never touched.
"""

from __future__ import annotations

import re
from functools import cache

import regex

from ..edits import Edit
from ..resources import word_set
from . import Stage, register
from ._settle import settle

SURE = 0.9
UNSURE = 0.6

# Every pattern starts on a rare literal or small character set, so the scan runs in C at memory speed;
# the few hits are checked in Python. (A pattern starting with a lookbehind or ``\w+`` is ~20x slower.)
#: `` -word``: a hyphen glued to the next word, with a space before it.
HYPHEN_BEFORE_RE = re.compile(r" -(?=[^\W\d_])")
#: ``-  word``: a hyphen followed by spaces and a word.
HYPHEN_AFTER_RE = re.compile(r"-(?= +[^\W\d_])")
_WORD_AT = re.compile(r"[^\W_]+")
_LETTERS_AT = re.compile(r"[^\W\d_]+")
#: Words after ``pre-`` that make it a suspended hyphen (``pre- and post-war``), not a broken one.
SUSPENDED_NEXT = frozenset({"and", "or", "nor", "to", "through", "versus", "vs", "but", "as", "&"})
#: `` ,`` / `` .`` before a space or the end: only comma and full stop (``nám !``, ``Note :`` are a style).
SPACE_BEFORE_PUNCT_RE = re.compile(r" [,.](?=\s|$)")
SENTENCE_END_RE = re.compile(r"[.!?](?=[A-Z][a-z])")
SPACE_RUN_RE = re.compile(r"   +")
TRAILING_RE = regex.compile(r"[ \t]+(?=\r?\n)")
_ENTITY_TAIL_RE = re.compile(r"&#?\w+$")
_NOT_PROSE = ("/", "@", "://", "www", "\\", "(", "=", "_")


@cache
def hyphen_lists() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(bound prefixes, free first elements, second elements) from dictionaries/."""
    return word_set("hyphen_prefixes.txt"), word_set("hyphen_first.txt"), word_set("hyphen_second.txt")


_COMPOUND_RE = re.compile(r"(?<![\w-])[a-z0-9]+(?:-[a-z]+)+")


def _attested_compounds(text: str) -> frozenset[str]:
    """Lower-case hyphenated compounds written intact in the document (``cross-border``, ``in-chief``).
    Lower-case only: a double-barrelled name is too easily a dash between two names."""
    found: set[str] = set()
    for m in _COMPOUND_RE.finditer(text):
        parts = m.group().split("-")
        found.update(f"{a}-{b}" for a, b in zip(parts, parts[1:], strict=False))
    return frozenset(found)


def _word_before(text: str, end: int) -> str:
    """The run of letters/digits ending at ``end`` (at most 40: longer is no word), unless after ``_``."""
    s = end
    while s > 0 and (text[s - 1].isalnum()):
        s -= 1
        if end - s > 40:
            return ""
    if s > 0 and text[s - 1] == "_":
        return ""
    return text[s:end]


def hyphen_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    attested: frozenset[str] | None = None
    if " -" in text:
        prefixes, firsts, seconds = hyphen_lists()
        for m in HYPHEN_BEFORE_RE.finditer(text):
            hy = m.start() + 1
            sp = m.start()
            while sp > 0 and text[sp - 1] == " ":
                sp -= 1
            left = _word_before(text, sp)
            rm = _LETTERS_AT.match(text, hy + 1)
            right = rm.group() if rm else ""
            if not left or not right or (rm.end() < len(text) and (text[rm.end()].isdigit() or text[rm.end()] == "_")):
                continue
            sure = left.lower() in prefixes or left.lower() in firsts or right.lower() in seconds
            if not sure:
                attested = _attested_compounds(text) if attested is None else attested
                sure = f"{left}-{right}" in attested
            edits.append(
                Edit(
                    sp,
                    hy,
                    "",
                    stage="spacing",
                    rule="hyphen-space-before",
                    confidence=SURE if sure else UNSURE,
                    note=f"{left} -{right} -> {left}-{right}",
                )
            )
    if "- " in text:
        prefixes, firsts, seconds = hyphen_lists()
        for m in HYPHEN_AFTER_RE.finditer(text):
            hy = m.start()
            left = _word_before(text, hy)
            if not left:
                continue
            sp_end = hy + 1
            while text[sp_end] == " ":
                sp_end += 1
            rm = _LETTERS_AT.match(text, sp_end)
            right = rm.group()
            if right.lower() in SUSPENDED_NEXT or (rm.end() < len(text) and text[rm.end()] in "_0123456789"):
                continue
            sure = left.lower() in prefixes or right.lower() in seconds
            if not sure:
                attested = _attested_compounds(text) if attested is None else attested
                sure = f"{left}-{right}" in attested
            edits.append(
                Edit(
                    hy + 1,
                    sp_end,
                    "",
                    stage="spacing",
                    rule="hyphen-space-after",
                    confidence=SURE if sure else UNSURE,
                    note=f"{left}- {right} -> {left}-{right}",
                )
            )
    return edits


def punctuation_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    if " ," in text or " ." in text:
        for m in SPACE_BEFORE_PUNCT_RE.finditer(text):
            s = m.start()
            while s > 0 and text[s - 1] == " ":
                s -= 1
            if s == 0 or text[s - 1] in "\r\n\t":
                continue  # indentation, or a line that starts with punctuation
            if _ENTITY_TAIL_RE.search(text, max(0, s - 40), s):
                continue  # "&amp ;" must not become an entity
            edits.append(
                Edit(
                    s,
                    m.start() + 1,
                    "",
                    stage="spacing",
                    rule="space-before-punct",
                    confidence=SURE,
                    note=f"space before {text[m.start() + 1]!r}",
                )
            )
    for m in SENTENCE_END_RE.finditer(text):
        p = m.start()
        left = _word_before(text, p)
        if len(left) < 2 or not left[-2:].islower() or not left.isalpha():
            continue
        rm = _LETTERS_AT.match(text, p + 1)
        if rm is None or not _prose_chunk(text, p - len(left), rm.end()):
            continue
        right = rm.group()
        sure = (
            left.islower()
            and len(right) >= 2
            and right[0].isupper()
            and right[1:].islower()
            and _english_word(left)
        )
        edits.append(
            Edit(
                p + 1,
                p + 1,
                " ",
                stage="spacing",
                rule="sentence-space",
                confidence=SURE if sure else 0.75,
                note=f"{left}{text[p]}{rm.group()} -> {left}{text[p]} {rm.group()}",
            )
        )
    return edits


def _english_word(word: str) -> bool:
    """A word of the English lexicon (the spelling stage's, loaded once): a lost space is only certain in
    English prose; other languages' spacing conventions are left alone."""
    from ..vocabulary import foreign_words, unigrams

    return word in unigrams() and word not in foreign_words()


def _prose_chunk(text: str, start: int, end: int) -> bool:
    """The whitespace-delimited chunk around a match looks like prose, not a URL, path, email or code."""
    s = start
    while s > 0 and not text[s - 1].isspace():
        s -= 1
        if start - s > 60:
            return False  # a long unbroken chunk is not prose (and must not make the scan quadratic)
    e = end
    while e < len(text) and not text[e].isspace():
        e += 1
        if e - end > 60:
            return False
    chunk = text[s:e]
    if any(mark in chunk for mark in _NOT_PROSE):
        return False
    inner = chunk.rstrip(".,;:!?\"'”’)")
    return inner.count(".") + inner.count("!") + inner.count("?") == 1


def whitespace_edits(text: str) -> list[Edit]:
    """Runs of 3+ spaces between two words become one (two spaces may be a typing style, and ftfy's
    own cases keep them); spaces and tabs at the end of a line go."""
    edits: list[Edit] = []
    if "   " in text:
        for m in SPACE_RUN_RE.finditer(text):
            s, e = m.start(), m.end()
            if s > 0 and e < len(text) and text[s - 1].isalnum() and text[e].isalnum():
                edits.append(
                    Edit(
                        s, e, " ", stage="spacing", rule="collapse-spaces", confidence=0.95, note=f"{e - s} spaces -> 1"
                    )
                )
    if " \n" in text or "\t\n" in text or " \r\n" in text or "\t\r\n" in text:
        for m in TRAILING_RE.finditer(text):
            edits.append(
                Edit(
                    m.start(),
                    m.end(),
                    "",
                    stage="spacing",
                    rule="trailing-space",
                    confidence=0.95,
                    note="trailing whitespace",
                )
            )
    return edits


def propose_spacing(text: str) -> list[Edit]:
    """One round of spacing repairs on ``text``."""
    return hyphen_edits(text) + punctuation_edits(text) + whitespace_edits(text)


@register("spacing")
class SpacingStage(Stage):
    """Repairs spaces around hyphens and punctuation, collapses space runs, trims line ends."""

    def propose(self, text: str) -> list[Edit]:
        return settle(propose_spacing, text, self.config.min_confidence)
