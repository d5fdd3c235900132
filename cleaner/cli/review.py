"""The HTML review report: one self-contained page to check what a cleaning run changed.

A run may cover 100k documents, so :class:`ReviewCollector` keeps counts for every document but detail
(rendered text, examples) only for a capped number, and says how much it left out. The page is built
with Jinja2 with autoescaping on: document text is hostile input and must never become markup.

    collector = ReviewCollector()
    for name, text in documents:
        collector.add(name, cleaner.clean(text))
    collector.write("review.html", {"documents": n, "edits": e, "errors": 0, "seconds": s, "bytes": b})
"""

from __future__ import annotations

import os
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from .. import __version__
from ..core.atomic import atomic_write
from ..core.config import STAGE_ORDER
from ..core.decisions import CONTEXT_CHARS, load_files
from ..core.edits import Edit
from ..core.pipeline import Result

#: Stage colours (strong; the template derives light tints by adding alpha).
STAGE_COLOURS: dict[str, str] = {
    "markup": "#8e44ad",
    "unicode": "#00897b",
    "spacing": "#6d4c41",
    "entities": "#c62828",
    "phrases": "#ef6c00",
    "spelling": "#1565c0",
    "grammar": "#2e7d32",
}
_EXTRA_COLOURS = ("#ad1457", "#283593", "#558b2f", "#4e342e", "#00838f", "#9e9d24", "#5d4037", "#37474f")
HISTOGRAM_BINS = 10
#: examples of one and the same repair per rule, so a rule's examples show its variety
SAME_REPAIR_EXAMPLES = 3
#: Stand-ins that make invisible changes (spaces, line breaks, zero-width characters) visible.
_VISIBLE = {"\n": "↵", "\r": "␍", "\t": "⇥", "\u00a0": "⍽", " ": "·"}


def visible(s: str, limit: int = 0) -> str:
    """Show ``s`` so that whitespace-only or invisible changes can be seen (``"  "`` -> ``"··"``).

    Ordinary single spaces between visible characters stay spaces; everything else that would not be
    seen is replaced by a symbol. ``limit`` truncates long strings with an ellipsis.
    """
    if limit and len(s) > limit:
        s = s[: limit - 1] + "…"
    if not s:
        return s
    out = []
    n = len(s)
    for i, ch in enumerate(s):
        if ch == " ":
            lone = 0 < i < n - 1 and s[i - 1] not in " \u00a0\t\n" and s[i + 1] not in " \u00a0\t\n"
            out.append(" " if lone else "·")
        elif ch in _VISIBLE:
            out.append(_VISIBLE[ch])
        elif unicodedata.category(ch) in ("Cf", "Cc", "Zs", "Zl", "Zp"):
            out.append(f"⟨U+{ord(ch):04X}⟩")
        else:
            out.append(ch)
    return "".join(out)


def _conflict(a0: int, a1: int, b0: int, b1: int) -> bool:
    """Do two spans of the original claim the same text? (Insertions conflict only strictly inside.)"""
    if max(a0, b0) < min(a1, b1):
        return True
    return (a0 == a1 and b0 < a0 < b1) or (b0 == b1 and a0 < b0 < a1)


def _bin(confidence: float) -> int:
    return min(HISTOGRAM_BINS - 1, max(0, int(confidence * HISTOGRAM_BINS)))


def _title(edits: list[Edit], suggested: bool = False) -> str:
    lines = []
    for e in edits:
        head = f"{'suggestion (not applied) · ' if suggested else ''}{e.key} · confidence {e.confidence:.2f}"
        change = f"{visible(e.before, 80)} → {visible(e.replacement, 80)}"
        lines.append(f"{head}\n{change}" + (f"\n{e.note}" if e.note else ""))
    return "\n\n".join(lines)


@dataclass
class _Example:
    document: str
    ref: str  # anchor of the mark in a shown document, or ""
    left: str
    before: str
    after: str
    right: str
    confidence: float
    note: str


@dataclass
class _Document:
    name: str
    anchor: str
    edits: int
    suggestions: int
    segments: list[dict[str, Any]]
    other_suggestions: list[dict[str, Any]]
    errors: list[str]
    truncated_chars: int = 0
    truncated_marks: int = 0


@dataclass
class _Repair:
    count: int = 0
    ref: str = ""
    stage: str = ""


@dataclass
class ReviewCollector:
    """Collects results for the review page. ``add`` is cheap: counters for every document, rendered
    detail only for the first ``max_documents`` documents with edits, suggestions or errors."""

    max_documents: int = 200
    max_examples_per_rule: int = 20
    max_repairs: int = 100
    max_errors: int = 200
    max_document_chars: int = 100_000
    #: characters of document text on the page in all; past this, documents are counted, not shown
    max_total_chars: int = 2_000_000
    context_chars: int = 40
    #: distinct (rule, before, after) repairs tracked; beyond this new ones are counted as "other"
    max_distinct_repairs: int = 100_000
    #: edits not made because of the keep list or a decision, listed (the rest are counted)
    max_rejected: int = 200
    #: decisions files of the run (``Config.decisions``): the page starts from them and exports them too
    decision_files: tuple[str, ...] = ()

    documents: int = 0
    changed_documents: int = 0
    edits: int = 0
    suggestions: int = 0
    stage_failures: int = 0
    errors_total: int = 0
    by_stage: Counter = field(default_factory=Counter)
    suggestions_by_stage: Counter = field(default_factory=Counter)
    by_rule: Counter = field(default_factory=Counter)
    suggestions_by_rule: Counter = field(default_factory=Counter)
    rule_stage: dict[str, str] = field(default_factory=dict)
    confidence_applied: list[int] = field(default_factory=lambda: [0] * HISTOGRAM_BINS)
    confidence_suggested: list[int] = field(default_factory=lambda: [0] * HISTOGRAM_BINS)
    repairs: dict[tuple[str, str, str], _Repair] = field(default_factory=dict)
    repairs_untracked: int = 0
    examples: dict[str, list[_Example]] = field(default_factory=dict)
    docs: list[_Document] = field(default_factory=list)
    docs_left_out: int = 0
    shown_chars: int = 0
    #: documents with no edits, suggestions or errors (counted, never rendered)
    quiet_documents: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    rejected_total: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)

    # -- collecting ---------------------------------------------------------------------------------

    def add(self, name: str, result: Result) -> None:
        """Count one document's edits; keep its rendered text while under ``max_documents``."""
        self.documents += 1
        if result.changed:
            self.changed_documents += 1
        refs: dict[int, str] = {}
        if result.edits or result.suggestions or result.errors:
            if len(self.docs) < self.max_documents and self.shown_chars < self.max_total_chars:
                refs = self._keep_document(name, result)
            else:
                self.docs_left_out += 1
        else:
            self.quiet_documents += 1
        for i, e in enumerate(result.edits):
            self._count_edit(name, result.original, e, refs.get(i, ""))
        for e in result.suggestions:
            self.suggestions += 1
            self.suggestions_by_stage[e.stage] += 1
            self.suggestions_by_rule[e.key] += 1
            self.rule_stage.setdefault(e.key, e.stage)
            self.confidence_suggested[_bin(e.confidence)] += 1
        for message in result.errors:
            self.stage_failures += 1
            self._record_error(name, f"stage failed (text passed through): {message}")
        for e in result.rejected:
            self.rejected_total += 1
            if len(self.rejected) < self.max_rejected:
                self.rejected.append({"document": name, "key": e.key, "before": visible(e.before, 80),
                                      "after": visible(e.replacement, 80), "note": e.note})

    def add_error(self, name: str, message: str) -> None:
        """Record a document that could not be cleaned at all (it was passed through unchanged)."""
        self._record_error(name, message)

    def _record_error(self, name: str, message: str) -> None:
        self.errors_total += 1
        if len(self.errors) < self.max_errors:
            self.errors.append((name, message))

    def _count_edit(self, name: str, original: str, e: Edit, ref: str) -> None:
        key = e.key
        self.edits += 1
        self.by_stage[e.stage] += 1
        self.by_rule[key] += 1
        self.rule_stage.setdefault(key, e.stage)
        self.confidence_applied[_bin(e.confidence)] += 1
        repair_key = (key, e.before[:200], e.replacement[:200])
        repair = self.repairs.get(repair_key)
        if repair is None:
            if len(self.repairs) >= self.max_distinct_repairs:
                self.repairs_untracked += 1
                repair = None
            else:
                repair = self.repairs[repair_key] = _Repair(stage=e.stage)
        if repair is not None:
            repair.count += 1
            if not repair.ref and ref:
                repair.ref = ref
        examples = self.examples.setdefault(key, [])
        if len(examples) < self.max_examples_per_rule and (repair is None or repair.count <= SAME_REPAIR_EXAMPLES):
            c = self.context_chars
            left = original[max(0, e.start - c) : e.start]
            right = original[e.end : e.end + c]
            examples.append(
                _Example(
                    document=name,
                    ref=ref,
                    left=("…" if e.start > c else "") + " ".join(left.split("\n")),
                    before=visible(e.before, 200),
                    after=visible(e.replacement, 200),
                    right=" ".join(right.split("\n")) + ("…" if e.end + c < len(original) else ""),
                    confidence=e.confidence,
                    note=e.note,
                )
            )

    def _keep_document(self, name: str, result: Result) -> dict[int, str]:
        """Render one document into segments; return edit index -> anchor of the mark showing it."""
        anchor = f"d{len(self.docs) + 1}"
        self.shown_chars += min(len(result.original), self.max_document_chars)
        segments, others, refs, cut_chars, cut_marks = _segments(
            result.original, result.text, result.edits, result.suggestions, self.max_document_chars, anchor, name
        )
        self.docs.append(
            _Document(
                name=name,
                anchor=anchor,
                edits=len(result.edits),
                suggestions=len(result.suggestions),
                segments=segments,
                other_suggestions=others,
                errors=list(result.errors),
                truncated_chars=cut_chars,
                truncated_marks=cut_marks,
            )
        )
        return refs

    # -- writing ------------------------------------------------------------------------------------

    def render(self, stats: dict[str, Any] | None = None) -> str:
        """The report as an HTML string."""
        return _environment().get_template("review.html.j2").render(**self._context(dict(stats or {})))

    def write(self, path: str | os.PathLike[str], stats: dict[str, Any] | None = None) -> Path:
        """Write the report all-or-nothing (:func:`cleaner.core.atomic.atomic_write`): a failed render or
        write leaves the previous page in place."""
        target = Path(path)
        html = self.render(stats)
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, html.encode("utf-8", errors="backslashreplace"))  # lone surrogates: escaped
        return target

    def _context(self, stats: dict[str, Any]) -> dict[str, Any]:
        stage_names = [s for s in STAGE_ORDER if s in self.by_stage or s in self.suggestions_by_stage]
        stage_names += sorted(s for s in {*self.by_stage, *self.suggestions_by_stage} if s not in stage_names)
        extra = iter(_EXTRA_COLOURS * (1 + len(stage_names) // len(_EXTRA_COLOURS)))
        stages = []
        top_stage = max([*self.by_stage.values(), 1])
        for i, name in enumerate(stage_names):
            stages.append(
                {
                    "name": name or "(none)",
                    "cls": f"s{i}",
                    "colour": STAGE_COLOURS.get(name) or next(extra),
                    "edits": self.by_stage[name],
                    "suggestions": self.suggestions_by_stage[name],
                    "pct": round(100 * self.by_stage[name] / top_stage, 1),
                }
            )
        stage_cls = {name: f"s{i}" for i, name in enumerate(stage_names)}
        rule_keys = sorted(
            {*self.by_rule, *self.suggestions_by_rule},
            key=lambda k: (-self.by_rule[k], -self.suggestions_by_rule[k], k),
        )
        rule_id = {k: f"r{i}" for i, k in enumerate(rule_keys)}
        top_rule = max([self.by_rule[k] + self.suggestions_by_rule[k] for k in rule_keys] + [1])
        rules = [
            {
                "key": k,
                "id": rule_id[k],
                "cls": stage_cls[self.rule_stage[k]],
                "stage": self.rule_stage[k],
                "edits": self.by_rule[k],
                "suggestions": self.suggestions_by_rule[k],
                "pct": round(100 * self.by_rule[k] / top_rule, 1),
                "spct": round(100 * self.suggestions_by_rule[k] / top_rule, 1),
                "examples": self.examples.get(k, []),
                "examples_left_out": self.by_rule[k] - len(self.examples.get(k, [])),
            }
            for k in rule_keys
        ]
        ranked = sorted(self.repairs.items(), key=lambda kv: (-kv[1].count, kv[0]))
        repairs = [
            {
                "key": key,
                "rid": rule_id[key],
                "cls": stage_cls[rep.stage],
                "before": visible(before, 60),
                "after": visible(after, 60),
                "count": rep.count,
                "ref": rep.ref,
                "d": {"rule": key, "before": before, "after": after},
            }
            for (key, before, after), rep in ranked[: self.max_repairs]
        ]
        seconds = float(stats.get("seconds") or 0.0)
        documents = int(stats.get("documents", self.documents))
        nbytes = int(stats.get("bytes") or 0)
        summary = {
            "documents": documents,
            "changed": self.changed_documents,
            "edits": int(stats.get("edits", self.edits)),
            "suggestions": self.suggestions,
            "errors": int(stats.get("errors", self.errors_total)),
            "stage_failures": self.stage_failures,
            "seconds": seconds,
            "bytes": nbytes,
            "docs_per_second": documents / seconds if seconds > 0 else None,
            "mb_per_second": nbytes / 1e6 / seconds if seconds > 0 and nbytes else None,
        }
        return {
            "version": __version__,
            "summary": summary,
            "stages": stages,
            "stage_cls": stage_cls,
            "rules": rules,
            "rule_id": rule_id,
            "repairs": repairs,
            "repairs_left_out": max(0, len(ranked) - self.max_repairs),
            "repairs_untracked": self.repairs_untracked,
            "histogram": _histogram(self.confidence_applied, self.confidence_suggested),
            "docs": self.docs,
            "docs_left_out": self.docs_left_out,
            "quiet_documents": self.quiet_documents,
            "max_documents": self.max_documents,
            "max_total_chars": self.max_total_chars,
            "max_examples": self.max_examples_per_rule,
            "errors": self.errors,
            "errors_left_out": self.errors_total - len(self.errors),
            "rejected": self.rejected,
            "rejected_total": self.rejected_total,
            "decisions_in": [d.to_dict() for d in load_files(tuple(self.decision_files))],
        }


def _segments(
    original: str, text: str, edits: list[Edit], suggestions: list[Edit], limit: int, anchor: str, name: str = ""
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[int, str], int, int]:
    """Split the original text into plain stretches and marks (edits, inline suggestions).

    Edits of later stages may land inside the input span of an earlier one; such overlapping edits are
    merged into one mark showing the original span and the final text it became. Suggestions that
    overlap an edit or each other are returned separately (``others``) to be listed under the text.
    """
    order = sorted(range(len(edits)), key=lambda i: (edits[i].start, edits[i].end))
    clusters: list[list[Any]] = []  # [start, end, [edit indices]]
    for i in order:
        e = edits[i]
        if clusters and _conflict(clusters[-1][0], clusters[-1][1], e.start, e.end):
            clusters[-1][1] = max(clusters[-1][1], e.end)
            clusters[-1][2].append(i)
        else:
            clusters.append([e.start, e.end, [i]])
    starts = [c[0] for c in clusters]
    inline_sugg: list[Edit] = []
    cut_marks = 0
    others: list[dict[str, Any]] = []
    for s in sorted(suggestions, key=lambda e: (e.start, e.end)):
        if s.end > limit:
            cut_marks += 1
            continue
        j = bisect_right(starts, s.end) - 1
        hit = False
        while j >= 0 and not hit:
            c = clusters[j]
            hit = _conflict(c[0], c[1], s.start, s.end)
            if c[1] < s.start:
                break
            j -= 1
        if hit or (inline_sugg and _conflict(inline_sugg[-1].start, inline_sugg[-1].end, s.start, s.end)):
            others.append(_suggestion_view(s, original, name))
        else:
            inline_sugg.append(s)
    marks: list[tuple[int, int, int, dict[str, Any]]] = []
    refs: dict[int, str] = {}
    for start, end, members in clusters:
        if end > limit:  # beyond the part of a long document that is shown
            cut_marks += 1
            continue
        group = [edits[i] for i in members]
        mark_id = f"{anchor}m{len(marks) + 1}"
        for i in members:
            refs[i] = mark_id
        if len(group) == 1:
            before, after = group[0].before, group[0].replacement
        else:
            before = original[start:end]
            outs = [(e.out_start, e.out_end) for e in group if 0 <= e.out_start <= e.out_end <= len(text)]
            after = (
                text[min(o[0] for o in outs) : max(o[1] for o in outs)]
                if outs
                else "".join(e.replacement for e in group)
            )
        marks.append(
            (
                start,
                end,
                0,
                {
                    "kind": "edit" if len(group) == 1 else "multi",
                    "start": start,
                    "end": end,
                    "id": mark_id,
                    "stages": list(dict.fromkeys(e.stage for e in group)),
                    "rule_keys": list(dict.fromkeys(e.key for e in group)),
                    "confidence": max(e.confidence for e in group),
                    "before": visible(before),
                    "after": visible(after),
                    "title": _title(group),
                    "d": [_decidable(e, original, name) for e in group],
                },
            )
        )
    for s in inline_sugg:
        view = _suggestion_view(s, original, name)
        view.update(kind="suggestion", start=s.start, end=s.end)
        marks.append((s.start, s.end, 1, view))
    marks.sort(key=lambda m: (m[0], m[1], m[2]))
    segments: list[dict[str, Any]] = []
    pos = 0
    for start, end, _, view in marks:
        if start > pos:
            segments.append({"kind": "text", "text": original[pos:start]})
        segments.append(view)
        pos = max(pos, end)
    stop = min(len(original), max(limit, pos))
    if stop > pos:
        segments.append({"kind": "text", "text": original[pos:stop]})
    return segments, others, refs, len(original) - stop, cut_marks


def _decidable(e: Edit, original: str, name: str) -> dict[str, Any]:
    """What the page needs to record a decision about ``e`` (see :class:`cleaner.core.decisions.Decision`)."""
    return {"rule": e.key, "before": e.before, "after": e.replacement, "document": name, "start": e.start,
            "end": e.end, "left": original[max(0, e.start - CONTEXT_CHARS) : e.start],
            "right": original[e.end : e.end + CONTEXT_CHARS]}


def _suggestion_view(s: Edit, original: str = "", name: str = "") -> dict[str, Any]:
    return {
        "d": [_decidable(s, original, name)],
        "stages": [s.stage],
        "rule_keys": [s.key],
        "confidence": s.confidence,
        "before": s.before,
        "before_visible": visible(s.before, 200),
        "after": visible(s.replacement, 200),
        "title": _title([s], suggested=True),
        "note": s.note,
    }


def _histogram(applied: list[int], suggested: list[int]) -> dict[str, Any]:
    """Bar geometry for the confidence histogram (SVG units), applied stacked on suggested."""
    width, height, pad = 420, 140, 20
    top = max([a + s for a, s in zip(applied, suggested, strict=True)] + [1])
    bar = (width - 2 * pad) / HISTOGRAM_BINS
    bars = []
    for i, (a, s) in enumerate(zip(applied, suggested, strict=True)):
        ha = (height - 2 * pad) * a / top
        hs = (height - 2 * pad) * s / top
        base = height - pad
        bars.append(
            {
                "x": round(pad + i * bar + 1, 1),
                "w": round(bar - 2, 1),
                "ya": round(base - ha, 1),
                "ha": round(ha, 1),
                "ys": round(base - ha - hs, 1),
                "hs": round(hs, 1),
                "applied": a,
                "suggested": s,
                "label": f"{i / HISTOGRAM_BINS:.1f}–{(i + 1) / HISTOGRAM_BINS:.1f}",
            }
        )
    return {"width": width, "height": height, "pad": pad, "bars": bars, "top": top}


def _rate(x: float) -> str:
    """Three significant figures or so: 12,345 / 123 / 12.3 / 0.42."""
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}" if x >= 10 else f"{x:.2f}"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("cleaner", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = lambda n: f"{n:,}"
    env.filters["rate"] = _rate
    return env
