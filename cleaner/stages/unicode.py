"""The `unicode` stage: mojibake, control characters, surrogates and normalisation, via ftfy.

ftfy is the yardstick for speed, so it is never run over the whole text. ftfy works line by line and
can only change a line holding a character outside plain printable ASCII; and a line whose only such
characters are common typographic ones (``’ “ ” – — £ €``), each standing alone between ASCII, cannot
be mojibake (which always spans two or more non-ASCII characters). One regex scan finds the lines
that could need ftfy; only those are fixed, and edits are made from the difference.

The ftfy config is conservative: typographic quotes are kept unless ``Config.quotes == "ascii"``, line
breaks are kept (CRLF stays CRLF), and HTML entities are left to the `markup` stage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import cache
from typing import TYPE_CHECKING, Any

from ..core.edits import Edit
from . import Stage, register

if TYPE_CHECKING:
    import ftfy

#: Non-ASCII characters that, standing alone between ASCII, ftfy never changes (with quotes kept).
SAFE_ALONE = frozenset("’‘“”–—…£€°•·é")
SAFE_ALONE_ASCII_QUOTES = SAFE_ALONE - frozenset("’‘“”")
#: Anything outside printable ASCII, tab and line breaks: the only places ftfy can act. A one-character
#: class, so the scan runs at memory speed on mostly-ASCII text.
NOT_PLAIN_RE = re.compile(r"[^\t\n\r\x20-\x7e]")


def _isolated_safe(text: str, i: int, safe: frozenset[str]) -> bool:
    """A safe typographic character with ASCII on both sides: nothing for ftfy to do there."""
    return text[i] in safe and (i == 0 or text[i - 1] < "\x80") and (i + 1 == len(text) or text[i + 1] < "\x80")


@cache
def _ftfy_config(uncurl: bool) -> ftfy.TextFixerConfig:
    import ftfy  # imported on first need: plain-ASCII input never pays for it

    return ftfy.TextFixerConfig(
        unescape_html=False,
        fix_line_breaks=False,
        uncurl_quotes=uncurl,
        normalization="NFC",
        explain=True,
    )


def _rule(explanation: Sequence[tuple[str, str]] | None) -> tuple[str, str]:
    """A short rule name, and a note listing ftfy's steps, from its explanation of what it did to a line."""
    steps = explanation or []
    names = list(dict.fromkeys(f"{kind} {name}" if kind in ("encode", "decode") else name for kind, name in steps))
    if any(kind in ("encode", "decode") for kind, _ in steps):
        rule = "mojibake"
    else:
        rule = steps[0][1] if steps else "ftfy"
    return rule, "ftfy: " + ", ".join(names or ["fix_text"])


#: Fullwidth forms of markup characters. ftfy's width fix would turn them into ``< > & ;``, uncovering
#: "markup" after the markup stage has run; they are shielded (private-use stand-ins) and put back.
_SHIELD = {"＜": "\ue000", "＞": "\ue001", "＆": "\ue002", "；": "\ue003"}
_UNSHIELD = {v: k for k, v in _SHIELD.items()}
_SHIELD_TABLE = str.maketrans(_SHIELD)
_UNSHIELD_TABLE = str.maketrans(_UNSHIELD)


def fix_line(line: str, uncurl: bool) -> tuple[str, str, str]:
    """``line`` as ftfy fixes it, repeated until stable (ftfy is not always idempotent in one go).
    Fullwidth markup characters stay as they are, so a second pipeline run finds no new tags."""
    shield = any(c in line for c in _SHIELD) and not any(c in line for c in _UNSHIELD)
    if shield:
        line = line.translate(_SHIELD_TABLE)
    import ftfy

    cfg = _ftfy_config(uncurl)
    fixed, explanation = ftfy.fix_and_explain(line, config=cfg)
    rule, note = _rule(explanation)
    for _ in range(3):
        again = ftfy.fix_text(fixed, config=cfg)
        if again == fixed:
            break
        fixed = again
    if shield:
        line, fixed = line.translate(_UNSHIELD_TABLE), fixed.translate(_UNSHIELD_TABLE)
    return fixed, rule, note


#: a changed stretch longer than this is diffed word by word first
CHAR_DIFF_SPAN = 40


def diff_edits(old: str, new: str, offset: int, **meta: Any) -> list[Edit]:
    """Small edits turning ``old`` into ``new`` (offsets shifted by ``offset``): the changed middle after
    trimming the common prefix and suffix, split by a word-level diff when it spans more than a few words
    (a character-level diff costs the product of the lengths)."""
    p, s = _affixes(old, new)
    a, b = old[p : len(old) - s], new[p : len(new) - s]
    if len(a) <= CHAR_DIFF_SPAN and len(b) <= CHAR_DIFF_SPAN:
        return _char_diff(a, b, offset + p, meta)
    a_tok, b_tok = re.findall(r"\s+|\S+", a), re.findall(r"\s+|\S+", b)
    a_pos = [0]
    for t in a_tok:
        a_pos.append(a_pos[-1] + len(t))
    edits: list[Edit] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a_tok, b_tok, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and i2 - i1 == j2 - j1:  # token for token: one edit per changed token
            edits += [
                e
                for k in range(i2 - i1)
                for e in _trimmed(a_tok[i1 + k], b_tok[j1 + k], offset + p + a_pos[i1 + k], meta)
            ]
            continue
        seg_a, seg_b = "".join(a_tok[i1:i2]), "".join(b_tok[j1:j2])
        edits += _char_diff(seg_a, seg_b, offset + p + a_pos[i1], meta)
    return edits


def _char_diff(a: str, b: str, start: int, meta: dict) -> list[Edit]:
    """Character-level edits for a short changed segment; one trimmed edit for a long one."""
    if len(a) > 300 or len(b) > 300:
        return _trimmed(a, b, start, meta)
    return [
        Edit(start + i1, start + i2, b[j1:j2], **meta)
        for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        if op != "equal"
    ]


def _affixes(a: str, b: str) -> tuple[int, int]:
    """Lengths of the common prefix and of the common suffix (not overlapping it) of ``a`` and ``b``."""
    p = 0
    n = min(len(a), len(b))
    while p < n and a[p] == b[p]:
        p += 1
    s = 0
    while s < n - p and a[len(a) - 1 - s] == b[len(b) - 1 - s]:
        s += 1
    return p, s


def _trimmed(a: str, b: str, start: int, meta: dict) -> list[Edit]:
    if a == b:
        return []
    p, s = _affixes(a, b)
    return [Edit(start + p, start + len(a) - s, b[p : len(b) - s], **meta)]


@register("unicode")
class UnicodeStage(Stage):
    """Fixes mojibake, control characters, surrogates, ligatures and normalisation (ftfy), line by line."""

    def propose(self, text: str) -> list[Edit]:
        uncurl = self.config.quotes == "ascii"
        safe = SAFE_ALONE_ASCII_QUOTES if uncurl else SAFE_ALONE
        edits: list[Edit] = []
        search = NOT_PLAIN_RE.search
        pos = 0
        while (m := search(text, pos)) is not None:
            i = m.start()
            if _isolated_safe(text, i, safe):
                pos = i + 1
                continue
            start = text.rfind("\n", 0, i) + 1
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            if end > start and text[end - 1] == "\r":
                end -= 1
            line = text[start:end]
            fixed, rule, note = fix_line(line, uncurl)
            if fixed != line:
                meta = {"stage": "unicode", "rule": rule, "confidence": 0.95, "note": note}
                edits += diff_edits(line, fixed, start, **meta)
            pos = max(end, i + 1)
        return edits
