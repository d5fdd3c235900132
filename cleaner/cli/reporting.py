"""What the ``clean`` command tells the user: explain tables, diffs, statistics, the JSON report, messages.

The progress bar is in :mod:`cleaner.cli.progress`."""

from __future__ import annotations

import json
import sys
from bisect import bisect_right
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..core.edits import Edit
    from ..core.pipeline import Result


#: Stand-ins that make whitespace and invisible characters visible in ``--explain`` (see :func:`visible`).
VISIBLE = {" ": "␠", "\n": "↵", "\r": "␍", "\t": "⇥", "\u00a0": "⍽"}
#: What an empty side of a change (a pure insertion or deletion) is shown as.
EMPTY = "∅"
_BLANK_NEIGHBOURS = " \u00a0\t\n\r"


def visible(s: str, width: int = 40) -> str:
    """``s`` as ``--explain`` shows it: a single space between two visible characters stays a space, every
    other space is ``␠``, line breaks ``↵``, tabs ``⇥``, no-break spaces ``⍽``, other invisible characters
    ``⟨U+200B⟩``; the empty string is ``∅``; longer than ``width``: cut with ``…``."""
    if not s:
        return EMPTY
    if len(s) > 4 * width:
        s = s[: 4 * width]
    out = []
    n = len(s)
    for i, ch in enumerate(s):
        if ch == " ":
            lone = 0 < i < n - 1 and s[i - 1] not in _BLANK_NEIGHBOURS and s[i + 1] not in _BLANK_NEIGHBOURS
            out.append(" " if lone else VISIBLE[ch])
        elif ch in VISIBLE:
            out.append(VISIBLE[ch])
        elif not ch.isprintable():
            out.append(f"⟨U+{ord(ch):04X}⟩")
        else:
            out.append(ch)
    shown = "".join(out)
    return shown if len(shown) <= width else shown[: width - 1] + "…"


#: ANSI styles used on a terminal.
RED, GREEN, YELLOW, CYAN, BOLD, DIM, RESET = (f"\033[{c}m" for c in ("31", "32", "33", "36", "1", "2", "0"))


def use_color(flag: bool | None, stream: Any) -> bool:
    """Colour output? ``--color``/``--no-color`` decide; otherwise only on a terminal, and never when
    ``NO_COLOR`` is set (https://no-color.org) or ``TERM=dumb``; ``FORCE_COLOR`` turns it on."""
    import os

    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _paint(style: str, s: str, color: bool) -> str:
    return f"{style}{s}{RESET}" if color and s else s


class LineIndex:
    """Offset -> (line, column), both 1-based, for one text."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        pos = text.find("\n")
        while pos != -1:
            self.starts.append(pos + 1)
            pos = text.find("\n", pos + 1)

    def locate(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1


def explain_rows(name: str, result: Result, color: bool = False) -> list[tuple[str, ...]]:
    """One row per applied edit and per suggestion, in text order: ``name:line:col``, ``before -> after``,
    stage, rule, confidence, note. With ``color``, the change cell holds ANSI styles (see format_table)."""
    index = LineIndex(result.original)
    marked = [(e, False) for e in result.edits] + [(e, True) for e in result.suggestions]
    marked.sort(key=lambda m: (m[0].start, m[0].end, m[1]))
    rows: list[tuple[str, ...]] = []
    for e, suggestion in marked:
        line, col = index.locate(e.start)
        before = visible(e.before or result.original[e.start : e.end])
        after = visible(e.replacement)
        change = f"{before} -> {after}"
        if color:
            change = _Styled(change, _paint(RED, before, True) + " -> "
                             + _paint(YELLOW if suggestion else GREEN, after, True))
        note = ("(suggestion) " if suggestion else "") + e.note
        rows.append((f"{name}:{line}:{col}", change, e.stage, e.rule, f"{e.confidence:.2f}",
                     _Styled(note, _paint(YELLOW, "(suggestion)", True) + " " + e.note) if color and suggestion
                     else note))
    return rows


class _Styled(str):
    """A table cell whose text is the plain one (for widths) and ``styled`` what is written."""

    styled: str

    def __new__(cls, plain: str, styled: str) -> _Styled:
        obj = super().__new__(cls, plain)
        obj.styled = styled
        return obj


def format_table(rows: list[tuple[str, ...]]) -> str:
    """Aligned columns, one line per row; the last column (the note) is not padded. Widths count the plain
    text of a cell (a styled cell carries its ANSI form in ``styled``)."""
    if not rows:
        return ""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for r in rows:
        cells = [getattr(c, "styled", c) + " " * (w - len(c)) for c, w in zip(r, widths, strict=False)]
        lines.append("  ".join([*cells, getattr(r[-1], "styled", r[-1])]).rstrip() + "\n")
    return "".join(lines)


def unified_diff(name: str, before: str, after: str, color: bool = False) -> str:
    """A ``diff -u`` of one document (empty when unchanged); with ``color``, ANSI-styled like git's."""
    if before == after:
        return ""
    import difflib

    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"a/{name}", tofile=f"b/{name}")
    out = []
    for i, line in enumerate(lines):
        body = line[:-1] if line.endswith("\n") else line
        if color:
            style = (BOLD if i < 2 else CYAN if body.startswith("@@") else RED if body.startswith("-")
                     else GREEN if body.startswith("+") else "")
            body = _paint(style, body, True) if style else body
        out.append(body + "\n")
        if not line.endswith("\n"):
            out.append(_paint(DIM, "\\ No newline at end of file", color) + "\n")
    return "".join(out)


class RuleStats:
    """Edits and suggestions per ``stage.rule`` over a run, for ``--statistics`` (like ruff's)."""

    def __init__(self) -> None:
        from collections import Counter

        self.edits: Counter[str] = Counter()
        self.suggestions: Counter[str] = Counter()

    def add(self, result: Result) -> None:
        self.edits.update(e.key for e in result.edits)
        self.suggestions.update(e.key for e in result.suggestions)

    def rows(self) -> list[tuple[str, ...]]:
        """``count, suggested, rule, description``, most frequent first (ties: by name)."""
        from ..core.rules import describe

        keys = sorted(set(self.edits) | set(self.suggestions),
                      key=lambda k: (-self.edits[k], -self.suggestions[k], k))
        return [(str(self.edits[k]), str(self.suggestions[k]), k, describe(k)) for k in keys]

    def table(self) -> str:
        """The table (empty when the run made no edits and no suggestions)."""
        rows = self.rows()
        if not rows:
            return ""
        head = ("count", "suggested", "rule", "description")
        widths = [max(len(r[i]) for r in [head, *rows]) for i in range(3)]
        lines = []
        for r in [head, *rows]:
            cells = [r[0].rjust(widths[0]), r[1].rjust(widths[1]), r[2].ljust(widths[2]), r[3]]
            lines.append("  ".join(cells).rstrip() + "\n")
        return "".join(lines)


def _edit_dict(e: Edit) -> dict[str, Any]:
    return e.to_dict()


class JsonReport:
    """Streams ``{"documents": [...], "totals": {...}}`` to a file, so memory does not grow with the input.

    Only documents with edits, suggestions or errors are listed; ``totals`` counts all of them.
    """

    def __init__(self, path: str) -> None:
        import io

        from ..core.atomic import AtomicFile

        self._file = AtomicFile(path)  # all-or-nothing: a failed run leaves no half-written report
        # backslashreplace: a lone surrogate becomes its JSON escape (\\udc80), so the file stays valid JSON
        self.fh = io.TextIOWrapper(self._file.fh, encoding="utf-8", errors="backslashreplace", newline="\n")
        self.fh.write('{"documents": [\n')
        self.first = True

    def add(self, name: str, result: Result | None, errors: list[str]) -> None:
        if result is None and not errors:
            return
        if result is not None and not (result.edits or result.suggestions or result.errors or errors):
            return
        doc = {
            "name": name,
            "changed": bool(result and result.changed),
            "edits": [_edit_dict(e) for e in result.edits] if result else [],
            "suggestions": [_edit_dict(e) for e in result.suggestions] if result else [],
            "errors": list(errors) + (list(result.errors) if result else []),
        }
        self.fh.write(("" if self.first else ",\n") + json.dumps(doc, ensure_ascii=False))
        self.first = False

    def close(self, totals: dict[str, Any]) -> None:
        self.fh.write('\n],\n"totals": ' + json.dumps(totals) + "}\n")
        self.fh.flush()
        self.fh.detach()
        self._file.commit()

    def abort(self) -> None:
        """Drop the report (the run failed): the previous file, if any, is left as it was."""
        self._file.abort()


class Messages:
    """Problems on stderr, one line each, at most ``limit`` per input file (then a count of the rest)."""

    def __init__(self, stream: IO[str] | None = None, limit: int = 20, quiet: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.limit = limit
        self.quiet = quiet
        self.per_file: dict[str, int] = {}

    def say(self, file: str, where: str, message: str) -> None:
        n = self.per_file.get(file, 0) + 1
        self.per_file[file] = n
        if n <= self.limit:
            self.stream.write(f"clean: {where}: {message}\n")

    def finish_file(self, file: str) -> None:
        n = self.per_file.pop(file, 0)
        if n > self.limit:
            self.stream.write(f"clean: {file}: {n - self.limit} more problem(s) not shown\n")
