"""The `markup` stage: stray HTML tags and character entities left in scraped text.

Only things that are clearly HTML are touched: a tag must carry a known HTML element name and
well-formed attributes (``name="value"``), an entity must end in ``;`` and be one HTML knows. So
``a < b``, ``x<3``, ``<email@example.com>``, ``->``, ``<<`` and ``AT&T`` stay as they are.

Block tags (``</p>``, ``<br>``, ``<div>``) become the document's own paragraph separator, or vanish
when a line break is already there; inline tags (``<b>``, ``<span class="x">``) vanish. Entities are
decoded, including double-escaped ones (``&amp;amp;`` -> ``&``, ``&amp;#8217;`` -> ``’``), and
escaped tags (``&lt;p&gt;``) count as tags. Everything is a single linear regex scan per kind.
"""

from __future__ import annotations

import html
import re

from ..core.edits import Edit
from . import Stage, register
from ._settle import settle

BLOCK_TAGS = frozenset(
    "address article aside blockquote body br caption center dd div dl dt figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 head header hr html li main nav ol p pre section table tbody td tfoot th thead "
    "title tr ul".split()
)
INLINE_TAGS = frozenset(
    "a abbr b bdi bdo big cite code data del dfn em font i img ins kbd label mark meta link nobr q s "
    "samp small span strike strong sub sup time tt u var wbr".split()
)
KNOWN_TAGS = BLOCK_TAGS | INLINE_TAGS

_LT = r"(?:<|&(?:amp;)*lt;)"
_GT = r"(?:>|&(?:amp;)*gt;)"
_ATTR_VALUE = r"""(?:"[^"<>\n]{0,500}"|'[^'<>\n]{0,500}'|[^\s"'<>&]{1,200})"""
_ATTR = rf"[ \t]+[A-Za-z_:][\w:.-]{{0,40}}[ \t]*=[ \t]*{_ATTR_VALUE}"
#: ``<name attr="v" ...>``, ``<name/>``, ``</name>``, ``< /name>``, ``</ name >``, and their escaped forms.
TAG_RE = re.compile(
    rf"{_LT}(?:(?P<close>[ \t]{{1,3}}/|/[ \t]{{0,3}})(?P<cname>[A-Za-z][A-Za-z0-9]{{0,9}})[ \t]{{0,3}}"
    rf"|(?P<oname>[A-Za-z][A-Za-z0-9]{{0,9}})(?:{_ATTR}){{0,20}}[ \t]{{0,3}}/?){_GT}"
)
COMMENT_OPEN = "<!--"
COMMENT_CLOSE = "-->"
#: ``&name;``, ``&#233;``, ``&#xE9;``, each optionally double-escaped as ``&amp;...``.
ENTITY_RE = re.compile(r"&((?:amp;)*)(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_HSPACE = " \t"


def decode_entity(body: str) -> str | None:
    """The text an entity body (``amp``, ``#233``) stands for, or None if HTML does not know it.

    >>> decode_entity("#8217"), decode_entity("amp"), decode_entity("bogus")
    ('’', '&', None)
    """
    decoded = html.unescape(f"&{body};")
    if decoded == f"&{body};" or decoded in ("", "\ufffd"):
        return None
    if decoded == "\xa0":  # a non-breaking space entity in plain text is a word space
        return " "
    return decoded


def paragraph_separator(text: str) -> str:
    """The document's own paragraph break: a blank line if it uses them, else a line break."""
    nl = "\r\n" if "\r\n" in text else "\n"
    return nl * 2 if nl * 2 in text else nl


def _tag_spans(text: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, shown name, is_block) of every tag and comment, in order, non-overlapping."""
    spans: list[tuple[int, int, str, bool]] = []
    if "<" in text or "&" in text:
        for m in TAG_RE.finditer(text):
            name = (m.group("cname") or m.group("oname")).lower()
            if name in KNOWN_TAGS:
                spans.append((m.start(), m.end(), m.group(), name in BLOCK_TAGS))
    pos = text.find(COMMENT_OPEN)
    if pos >= 0:
        comments = []
        while pos >= 0:
            end = text.find(COMMENT_CLOSE, pos + 4)
            if end < 0:
                break
            comments.append((pos, end + 3, "<!-- -->", False))
            pos = text.find(COMMENT_OPEN, end + 3)
        spans = _merge_disjoint(spans, comments)
    return spans


def _merge_disjoint(a: list, b: list) -> list:
    """Merge two sorted span lists; a span overlapping an already kept one is dropped."""
    out: list = []
    last_end = -1
    for span in sorted(a + b):
        if span[0] >= last_end:
            out.append(span)
            last_end = span[1]
    return out


def _group_runs(spans: list[tuple[int, int, str, bool]], text: str) -> list[list[tuple[int, int, str, bool]]]:
    """Group tags separated only by spaces/tabs (``</p> <p>``) so a run makes one break, not two."""
    runs: list[list[tuple[int, int, str, bool]]] = []
    for span in spans:
        if runs and text[runs[-1][-1][1] : span[0]].strip(_HSPACE) == "":
            runs[-1].append(span)
        else:
            runs.append([span])
    return runs


def _run_edit(run: list[tuple[int, int, str, bool]], text: str, sep: str) -> Edit:
    start, end = run[0][0], run[-1][1]
    names = " ".join(s[2] for s in run)
    # Widen over spaces/tabs on both sides: the break replaces them.
    s, e = start, end
    while s > 0 and text[s - 1] in _HSPACE:
        s -= 1
    while e < len(text) and text[e] in _HSPACE:
        e += 1
    at_break = s == 0 or e == len(text) or text[s - 1] in "\r\n" or text[e] in "\r\n"
    if at_break:
        return Edit(
            s,
            e,
            "",
            stage="markup",
            rule="block-tag",
            confidence=0.97,
            note=f"removed {names} (line break already there)",
        )
    return Edit(s, e, sep, stage="markup", rule="block-tag", confidence=0.95, note=f"{names} -> paragraph break")


def _inline_edit(span: tuple[int, int, str, bool], text: str) -> Edit:
    """An inline tag vanishes; between two spaces it takes one with it (``a <img src="x"> b`` -> ``a b``)."""
    s, e, shown, _ = span
    if 0 < s and e < len(text) and text[s - 1] == " " and text[e] == " ":
        e += 1
    return Edit(s, e, "", stage="markup", rule="inline-tag", confidence=0.97, note=f"removed {shown}")


def _entity_edits(text: str, taken: list[tuple[int, int, str, bool]]) -> list[Edit]:
    edits: list[Edit] = []
    k = 0
    for m in ENTITY_RE.finditer(text):
        while k < len(taken) and taken[k][1] <= m.start():
            k += 1
        if k < len(taken) and taken[k][0] < m.end():
            continue  # inside a tag that is being removed anyway
        decoded = decode_entity(m.group(2))
        if decoded is None:
            continue
        rule = "double-escaped-entity" if m.group(1) else "entity"
        edits.append(
            Edit(
                m.start(),
                m.end(),
                decoded,
                stage="markup",
                rule=rule,
                confidence=0.97,
                note=f"{m.group()} -> {decoded!r}",
            )
        )
    return edits


def propose_markup(text: str) -> list[Edit]:
    """One round of markup repairs on ``text`` (see the module docstring)."""
    if "<" not in text and "&" not in text:
        return []
    spans = _tag_spans(text)
    edits: list[Edit] = []
    if spans:
        sep = paragraph_separator(text)
        for run in _group_runs(spans, text):
            if any(span[3] for span in run):
                edits.append(_run_edit(run, text, sep))
            else:
                edits += [_inline_edit(span, text) for span in run]
    if "&" in text:
        edits += _entity_edits(text, spans)
    return edits


@register("markup")
class MarkupStage(Stage):
    """Removes stray HTML tags and decodes character entities."""

    def propose(self, text: str) -> list[Edit]:
        return settle(propose_markup, text, self.config.min_confidence)
