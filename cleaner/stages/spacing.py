"""The `spacing` stage: whitespace damage around hyphens and punctuation.

Rules (each an edit ``rule``):

- ``hyphen-space-before`` ``cross -border`` -> ``cross-border``, ``commander -in -chief``;
- ``hyphen-space-after`` ``pro- Russian`` -> ``pro-Russian`` (but ``pre- and post-war`` stays);
- ``space-before-punct`` ``word ,`` -> ``word,``;
- ``sentence-space`` ``infrastructure.Ukraine`` -> ``infrastructure. Ukraine``: applied when an English
  word, a capitalised word or a number meets a Title-case word (``website.He``, ``Brown.But``, ``2001.The``),
  which in prose is a lost space; other shapes (``iPhone.The``, ``Booking.Com``) are only suggested;
- ``collapse-spaces`` runs of three or more spaces between words become one; ``trailing-space`` before a
  newline goes.

A broken hyphen is rejoined with confidence when the compound is plausible (a word-list element, a
number, an acronym, two known words; see :func:`_join_is_sure`) and no sign of a dash that lost a space
is present (a clause word, a plural before it; a first word the document writes open, :func:`_written_open`).
Otherwise it is only suggested.
Real dashes (`` - ``), ranges (``200-300``, ``5 - 3``), negatives
(``-5``), indentation, tabs and paragraph breaks are never touched.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import cache

from ..core.edits import Edit
from ..core.resources import word_set
from . import Stage, register
from ._settle import settle

SURE = 0.9
UNSURE = 0.6

# Every pattern starts on a rare literal or small character set, so the scan runs in C at memory speed;
# the few hits are checked in Python. (A pattern starting with a lookbehind or ``\w+`` is ~20x slower.)
#: `` -word``: a hyphen glued to the next word, with a space before it.
HYPHEN_BEFORE_RE = re.compile(r" -(?=[^\W_])")
#: ``-  word``: a hyphen followed by spaces and a word.
HYPHEN_AFTER_RE = re.compile(r"-(?= +[^\W_])")
_WORD_AT = re.compile(r"[^\W_]+")
_LETTERS_AT = re.compile(r"[^\W\d_]+")
#: Words after ``pre-`` that make it a suspended hyphen (``pre- and post-war``), not a broken one.
SUSPENDED_NEXT = word_set("english/suspended_hyphen_next.txt")
#: `` ,`` / `` .`` before a space or the end: only comma and full stop (``nám !``, ``Note :`` are a style).
SPACE_BEFORE_PUNCT_RE = re.compile(r" [,.](?=\s|$)")
#: `` ?`` / `` !`` / `` :`` (``Why ?``, ``Note : the``): a space before a mark that English writes closed up
_SPACE_BEFORE_MARK_RE = re.compile(r" [?!:]")
#: a line with these is code or markup, where ``a ? b : c`` and `` :`` are syntax
_CODE_MARKS = ("{", "}", "==", "=>", "&&", "||", "()", "://")
SENTENCE_END_RE = re.compile(r"[.!?](?=[A-Z][a-z]|[AI][ '’])")
#: the same, one pattern per mark: a pattern led by one literal character is searched ~6x faster than a class
_SENTENCE_END_BY_MARK = tuple(
    (mark, re.compile(re.escape(mark) + r"(?=[A-Z][a-z]|[AI][ '’])")) for mark in ".!?"
)
SPACE_RUN_RE = re.compile(r"   +")
TRAILING_RE = re.compile(r"[ \t]+(?=\r?\n)")
_ENTITY_TAIL_RE = re.compile(r"&#?\w+$")
_NOT_PROSE = ("/", "@", "://", "www", "\\", "(", "=", "_")
_NOT_PROSE_HYPHEN = ("/", "@", "www", "\\", "=", "_", "<", ">", "|")


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


#: Words that start a clause or phrase rather than end a compound: after an asymmetric hyphen they mark a
#: dash that lost a space (``businesses -are to continue``), unless lists or the document say otherwise.
_CLAUSE_WORDS = word_set("english/clause_words.txt")


#: Words that follow a separator dash rather than end a compound: after a number or a name with a space on one
#: side only (``8- for``, ``Kyiv- to``) the hyphen is a dash that lost a space
_SEPARATOR_NEXT = word_set("english/separator_next.txt")


@dataclass(frozen=True, slots=True)
class _Join:
    """The words either side of a broken hyphen and what follows the second one."""

    left: str
    right: str
    after: str  # up to two characters after ``right``


def _plural_noun(word: str) -> bool:
    """``cases``, ``businesses``: a plural rarely begins a compound, but often ends a clause before a dash."""
    w = word.lower()
    return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ous", "ics", "ws"))


def _acronym(word: str) -> bool:
    """``UK``, ``EV``, ``DO``: capitals are a name, not the clause word they spell."""
    return len(word) > 1 and word.isupper()


def _known_word(word: str) -> bool:
    """In the English vocabulary (lower-cased): ``ls`` and ``gcc`` are not, so ``ls -la`` is no compound."""
    return _english_word(word.lower())


def _join_is_sure(j: _Join, prefixes: frozenset[str], firsts: frozenset[str], seconds: frozenset[str]) -> str | None:
    """Is ``left -right`` / ``left- right`` surely a hyphenated compound that lost its hyphen's tightness?
    ``"list"``, ``"number"`` or ``"shape"`` says why it is; ``None`` that it may be a dash.

    A word-list element (``cross``, ``anti``, ``-based``) or a chain (``head -to-head``) decides at once. Then
    shapes that are compounds whatever the words: numbers (``3 -1``, ``16 -inch``, ``0.3- 0.5``), a single
    letter or an acronym (``T -shirt``, ``UK -based``), two capitalised words (``Kilroy -Silk``). Otherwise two
    known words join unless the hyphen reads as a dash that lost a space: a clause word either side
    (``businesses -are``, ``and -crucially``), a plural before it (``cases -thought``), a name before a past
    form (``Sydney- nullified``), or a short lower-case right side (``ls -la``: an option, not a word).
    """
    left, right = j.left, j.right
    ll, rl = left.lower(), right.lower()
    if ll in prefixes or ll in firsts or rl in seconds or (j.after[:1] == "-" and j.after[1:].isalnum()):
        return "list"
    if rl in _SEPARATOR_NEXT and (left[-1].isdigit() or left[0].isupper()):
        return None  # "8- for", "Kyiv- to": a number or name, then a dash before a common word
    if left[0].isupper() and right.isupper() and right.isalpha() and len(right) > 1 and not left.isupper():
        return None  # "Ukraine- DW", "Reuters -AP": a name and an acronym (a source) either side of a dash
    if left.isdigit() or right.isdigit() or (left[-1].isdigit() and right.isalpha()):
        return "number"
    if (ll in _CLAUSE_WORDS and not _acronym(left)) or (rl in _CLAUSE_WORDS and not _acronym(right)):
        return None
    if right.islower() and len(right) <= 2:
        return None
    if (len(left) == 1 and left.isupper()) or (left.isupper() and left.isalpha() and len(left) <= 4):
        return "shape"
    if left[0].isupper() and right[0].isupper():
        return "shape" if left.isalpha() and right.isalpha() else None
    if not right.islower() or not _known_word(right):
        return None
    if _plural_noun(left):
        return None
    if left[0].isupper() and rl.endswith("ed"):
        return None  # a name before a past form: Sydney- nullified (but Blair -era)
    return "shape" if left[0].isupper() or _known_word(left) else None


#: times the document must write a word open before another word to count as its usage
WRITTEN_OPEN = 2


_OPEN_WORD_RE = re.compile(r"(?<![\w-])([a-z]{4,}) (?=[a-z])")


def _open_words(text: str) -> Counter[str]:
    """How often each lower-case word of four letters or more is written before another word, after one space."""
    return Counter(_OPEN_WORD_RE.findall(text))


def _written_open(left: str, open_words: Counter[str], attested: frozenset[str]) -> bool:
    """Does the document write ``left`` as a separate modifier (``online stores``, ``online purchases``) at least
    ``WRITTEN_OPEN`` times and never in a hyphenated compound? Then a hyphen after it with a space on one side
    (``online -shopping``) has no compound behind it. Short and clause words (``on``, ``the``) say nothing."""
    if len(left) < 4 or left in _CLAUSE_WORDS or open_words[left] < WRITTEN_OPEN:
        return False
    return not any(c.startswith(f"{left}-") for c in attested)


def _spaced_hyphens(text: str) -> tuple[bool, bool]:
    """(`` -`` in text, ``- `` in text), found by hopping from hyphen to hyphen: a one-character search runs at
    memchr speed, a two-character one stops at every space. Text with many hyphens falls back to the searches."""
    before = after = False
    i = text.find("-")
    for _ in range(_HYPHEN_HOPS):
        if i < 0:
            return before, after
        before = before or (i > 0 and text[i - 1] == " ")
        after = after or text[i + 1 : i + 2] == " "
        if before and after:
            return True, True
        i = text.find("-", i + 1)
    return before or " -" in text, after or "- " in text


_HYPHEN_HOPS = 64


def hyphen_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    attested: frozenset[str] | None = None
    spaced_before, spaced_after = _spaced_hyphens(text)
    if not spaced_before and not spaced_after:
        return edits
    prefixes, firsts, seconds = hyphen_lists()
    by_shape: set[int] = set()  # ids of edits made sure by the words' shape alone, not a list or the document

    open_words: Counter[str] | None = None  # counted once, when a join of two plain words needs them

    def add(edit: Edit, j: _Join, item_head: bool = False) -> None:
        nonlocal attested, open_words
        sure = _join_is_sure(j, prefixes, firsts, seconds)
        if sure == "shape" and item_head:
            sure = None  # "Aircraft: fighter- decent": a list item's head, then a dash before its comment
        if sure == "shape" and j.left.islower() and j.right.islower():
            attested = _attested_compounds(text) if attested is None else attested
            open_words = _open_words(text) if open_words is None else open_words
            if _written_open(j.left, open_words, attested):
                sure = None  # "online stores ... online -shopping": the document writes the word open
        if sure is None:
            attested = _attested_compounds(text) if attested is None else attested
            sure = "document" if f"{j.left.lower()}-{j.right.lower()}" in attested else None
        edit = edit._replace(confidence=SURE if sure else UNSURE)
        if sure == "shape":
            by_shape.add(id(edit))
        edits.append(edit)

    if spaced_before:
        for m in HYPHEN_BEFORE_RE.finditer(text):
            hy = m.start() + 1
            sp = m.start()
            while sp > 0 and text[sp - 1] == " ":
                sp -= 1
            left = _word_before(text, sp)
            rm = _WORD_AT.match(text, hy + 1)
            if not left or not rm:
                continue
            right = rm.group()
            after = text[rm.end() : rm.end() + 2]
            if after[:1] == "_" or (right[0].isdigit() and not left.isdigit()) or not _prose_around(text, sp, rm.end()):
                continue  # a negative number (of -5), a code token
            edit = Edit(sp, hy, "", "spacing", "hyphen-space-before", UNSURE, f"{left} -{right} -> {left}-{right}")
            add(edit, _Join(left, right, after))
    if spaced_after:
        for m in HYPHEN_AFTER_RE.finditer(text):
            hy = m.start()
            left = _word_before(text, hy)
            if not left:
                continue
            sp_end = hy + 1
            while text[sp_end] == " ":
                sp_end += 1
            rm = _WORD_AT.match(text, sp_end)
            if rm is None:  # the pattern's look-ahead saw a word there
                continue
            right = rm.group()
            after = text[rm.end() : rm.end() + 2]
            chain = after[:1] == "-" and after[1:].isalnum()
            suspended = right.lower() in SUSPENDED_NEXT and not chain  # pre- and post-war
            if suspended or after[:1] == "_" or not _prose_around(text, hy, rm.end()):
                continue
            if right[0].isdigit() and not left.isdigit():
                continue  # "Jan- 5", "chapter- 3": no compound
            if left.isdigit() and text[hy - len(left) - 1 : hy - len(left)] == "-":
                continue  # "-5- 3": part of a run of numbers
            if left.isdigit() and right.isdigit() and _model_code(text, hy - len(left)):
                continue  # "B 100- 6 OHM": a model's number, then a dash before its specification
            edit = Edit(
                hy + 1, sp_end, "", "spacing", "hyphen-space-after", UNSURE, f"{left}- {right} -> {left}-{right}"
            )
            add(edit, _Join(left, right, after), _after_colon(text, hy - len(left)))
    return _dash_partners(text, edits, by_shape)


def _after_colon(text: str, start: int) -> bool:
    """Is the word at ``start`` the first of a list item after a colon (``Aircraft: fighter- decent``)?"""
    i = start
    while i > 0 and text[i - 1] == " ":
        i -= 1
    return 0 < i < start and text[i - 1] == ":"


def _model_code(text: str, start: int) -> bool:
    """Is the number at ``start`` part of a model name, after a code of one to three capitals (``B 100``,
    ``SU 27``)? A score or range follows a word or a name (``Argentina 21-19``), not a bare code."""
    if text[start - 1 : start] != " ":
        return False
    code = _word_before(text, start - 1)
    if not (1 <= len(code) <= 3 and code.isalpha() and code.isupper()):
        return False
    before = start - 1 - len(code)
    return before == 0 or not text[before - 1].isalnum()


#: How far apart the two halves of a parenthetical dash pair may be, within one sentence.
DASH_PAIR_SPAN = 80
#: the spaces an opener may remove are counted in the look-up window up to this many (more is no dash pair)
_LONGEST_GAP = 64
_SENTENCE_STOP = re.compile(r"[.!?;:\n]")


def _dash_partners(text: str, edits: list[Edit], by_shape: set[int]) -> list[Edit]:
    """A hyphen joined only by its shape is left as a suggestion when it closes or opens a dash pair whose
    other half is a dash (``the reports -which few read- came``: ``read- came`` is a dash too)."""
    dashes = sorted((e for e in edits if e.confidence < SURE), key=lambda e: e.start)
    if not dashes or not by_shape:
        return edits
    starts = [d.start for d in dashes]
    out = []
    for e in edits:
        if id(e) in by_shape:
            # only the dashes within the pair span can be partners: a bisected window keeps this linear
            lo = bisect_left(starts, e.start - DASH_PAIR_SPAN - _LONGEST_GAP)
            hi = bisect_right(starts, e.end + DASH_PAIR_SPAN + 1)
            if any(_same_clause(text, e, d) for d in dashes[lo:hi] if d.rule != e.rule):
                e = e._replace(confidence=UNSURE, note=e.note + "; the other half of a dash pair is a dash")
        out.append(e)
    return out


def _same_clause(text: str, a: Edit, b: Edit) -> bool:
    """``a`` and ``b`` are close, opener before closer, with no sentence stop between them."""
    first, second = (a, b) if a.start < b.start else (b, a)
    if first.rule != "hyphen-space-before" or second.start - first.end > DASH_PAIR_SPAN:
        return False
    return _SENTENCE_STOP.search(text, first.end, second.start) is None


def _prose_around(text: str, start: int, end: int) -> bool:
    """Neither chunk around a broken hyphen is a URL, path, email, option list or code."""
    s = start
    while s > 0 and not text[s - 1].isspace() and start - s <= 60:
        s -= 1
    e = end
    while e < len(text) and not text[e].isspace() and e - end <= 60:
        e += 1
    chunk = text[s:e]
    return not any(mark in chunk for mark in _NOT_PROSE_HYPHEN)


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
    if _spaced(text, "?") or _spaced(text, "!") or _spaced(text, ":"):
        edits.extend(_space_before_mark(text))
    for m in _sentence_ends(text):
        p = m.start()
        left = _word_before(text, p)
        if len(left) < 2 or not (left.isalpha() or left.isdigit()):
            continue
        rm = _LETTERS_AT.match(text, p + 1)
        if rm is None or not _prose_chunk(text, p - len(left), rm.end()):
            continue
        right = rm.group()
        edits.append(
            Edit(
                p + 1,
                p + 1,
                " ",
                stage="spacing",
                rule="sentence-space",
                confidence=SURE if _sentence_break_is_sure(left, right) else 0.75,
                note=f"{left}{text[p]}{rm.group()} -> {left}{text[p]} {rm.group()}",
            )
        )
    return edits


def _spaced(text: str, mark: str) -> bool:
    """Is ``mark`` anywhere right after a space? Hopping from mark to mark (a one-character search runs at memchr
    speed) is several times faster on prose than searching for the pair, which stops at every space."""
    i = text.find(mark, 1)
    while i > 0 and text[i - 1] != " ":
        i = text.find(mark, i + 1)
    return i > 0


def _space_before_mark(text: str) -> list[Edit]:
    """``Why ?`` -> ``Why?``, ``wonderful !`` -> ``wonderful!``, ``Note : the`` -> ``Note: the``. Left alone: a
    document that spaces these marks as a rule (French typography: ``Pourquoi ?`` twice or more and at least as
    often as not, or guillemets), times and scores (``10 : 30``), emoticons (``:)``, ``:D``: the mark must be
    followed by a space or the end), URLs and code lines (``a ? b : c``), and a mark at the start of a line."""
    if "«" in text or "»" in text:
        return []
    hits = []
    for m in _SPACE_BEFORE_MARK_RE.finditer(text):
        mark_at = m.start() + 1
        mark = text[mark_at]
        end = mark_at + 1
        while mark != ":" and end < len(text) and text[end] in "?!":
            end += 1
        if end < len(text) and not text[end].isspace() and (mark == ":" or text[end] not in "\"'”’),.;"):
            continue  # an emoticon (:D, :)), a ratio, a URL scheme
        s = m.start()
        while s > 0 and text[s - 1] == " ":
            s -= 1
        if s == 0 or not (text[s - 1].isalnum() or text[s - 1] in "\"'”’)"):
            continue  # a line that starts with the mark, or a mark after another mark
        if mark == ":" and text[s - 1].isdigit() and text[end + 1 : end + 2].isdigit():
            continue  # 10 : 30, a score
        if not _word_before(text, s).isascii():
            return []  # "nám !": another language's typography, the document's style
        lo, hi = max(0, s - 200), min(len(text), end + 200)  # a bounded window: linear on a line with no breaks
        line_start = text.rfind("\n", lo, s) + 1 or lo
        line_end = text.find("\n", end, hi)
        line = text[line_start : line_end if line_end >= 0 else hi]
        if any(c in line for c in _CODE_MARKS) or (" ? " in line and " : " in line):
            continue
        hits.append((s, mark_at, mark))
    closed = sum(text.count(c + " ") + text.endswith(c) for c in "?!:") - len(hits)
    if len(hits) >= 2 and len(hits) >= closed:
        return []  # the document spaces these marks as a rule (French typography)
    return [Edit(s, at, "", stage="spacing", rule="space-before-mark", confidence=SURE, note=f"space before {mark!r}")
            for s, at, mark in hits]


#: Title-case words that follow a dot inside names of sites, files and code (``Booking.Com``, ``Kasparov.Ru``).
_DOT_SUFFIXES = word_set("english/dot_suffixes.txt")
#: Words that begin sentences far more often than they continue a brand or a dotted name (``Yandex.Direct``).
_SENTENCE_STARTERS = word_set("english/sentence_starters.txt")


def _sentence_break_is_sure(left: str, right: str) -> bool:
    """``website.He``, ``1995.The``, ``Takenaka.But``, ``Tuesday.Relations``, ``one.A``: a full stop between
    a word or number and a Title-case word is a lost space. After a name, initial or acronym the next word
    must be one that starts sentences (``Dm.Bykov``, ``Yandex.Direct``, ``VPN.Anti`` stay); a domain or
    file suffix (``Booking.Com``) and a mixed-case word (``iPhone.The``) are only suggested."""
    if right in ("A", "I"):
        return left.islower() and _english_word(left)  # one.A new, recovery.I'm
    if len(right) < 2 or not right[1:].islower() or right.lower() in _DOT_SUFFIXES:
        return False
    if left.isdigit() or (left.islower() and _english_word(left)):
        return True
    if not (left[1:].islower() or left.isupper()):
        return False
    if right.lower() in _SENTENCE_STARTERS:
        return len(left) >= 3 or left.isupper()
    return len(left) >= 5 and left[1:].islower() and _english_word(left.lower())


def _sentence_ends(text: str) -> list[re.Match]:
    """:data:`SENTENCE_END_RE`'s matches, in text order, found by the faster one-mark patterns."""
    found = [m for mark, pattern in _SENTENCE_END_BY_MARK if mark in text for m in pattern.finditer(text)]
    if len(found) > 1:
        found.sort(key=re.Match.start)
    return found


def _english_word(word: str) -> bool:
    """A word of the English lexicon (the spelling stage's, loaded once): a lost space is only certain in
    English prose; other languages' spacing conventions are left alone."""
    from ..language.vocabulary import foreign_words, unigrams

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
    if " \n" in text or "\t\n" in text or ("\r" in text and (" \r\n" in text or "\t\r\n" in text)):
        for t in TRAILING_RE.finditer(text):
            edits.append(
                Edit(
                    t.start(),
                    t.end(),
                    "",
                    stage="spacing",
                    rule="trailing-space",
                    confidence=0.95,
                    note="trailing whitespace",
                )
            )
    return edits


def propose_spacing(text: str) -> list[Edit]:
    """One round of spacing repairs on ``text``.

    >>> from cleaner.core.edits import apply_edits
    >>> apply_edits("cross -border raids on infrastructure.Ukraine said", propose_spacing(
    ...     "cross -border raids on infrastructure.Ukraine said"))
    'cross-border raids on infrastructure. Ukraine said'
    """
    return hyphen_edits(text) + punctuation_edits(text) + whitespace_edits(text)


@register("spacing")
class SpacingStage(Stage):
    """Repairs spaces around hyphens and punctuation, collapses space runs, trims line ends."""

    def propose(self, text: str) -> list[Edit]:
        return settle(propose_spacing, text, self.config.min_confidence)
