"""What the ``clean`` command tells the user: explain tables, diffs, the JSON report, progress, messages."""

from __future__ import annotations

import json
import sys
import time
from bisect import bisect_right
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .edits import Edit
    from .pipeline import Result


def _show(s: str, width: int = 40) -> str:
    s = s.encode("unicode_escape").decode("ascii") if any(c in s for c in "\n\r\t") else s
    shown = repr(s)[1:-1] if any(not c.isprintable() for c in s) else s
    return shown if len(shown) <= width else shown[: width - 1] + "…"


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


def explain_rows(name: str, result: Result) -> list[tuple[str, ...]]:
    """One row per applied edit, then one per suggestion: location, before -> after, stage, rule, conf, note."""
    index = LineIndex(result.original)
    rows = []
    for kind, edits in (("", result.edits), ("suggestion", result.suggestions)):
        for e in edits:
            line, col = index.locate(e.start)
            before = e.before or result.original[e.start : e.end]
            rows.append((f"{name}:{line}:{col}", f"{_show(before)!s} -> {_show(e.replacement)}", e.stage, e.rule,
                         f"{e.confidence:.2f}", ("(suggestion) " if kind else "") + e.note))
    return rows


def format_table(rows: list[tuple[str, ...]], out: IO[str]) -> None:
    """Aligned columns; the last column (the note) is not padded."""
    if not rows:
        return
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for r in rows:
        cells = [c.ljust(w) for c, w in zip(r, widths, strict=False)] + [r[-1]]
        out.write("  ".join(cells).rstrip() + "\n")


def unified_diff(name: str, before: str, after: str) -> str:
    """A ``diff -u`` of one document (empty when unchanged)."""
    if before == after:
        return ""
    import difflib

    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"a/{name}", tofile=f"b/{name}")
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _edit_dict(e: Edit) -> dict[str, Any]:
    return e.to_dict()


class JsonReport:
    """Streams ``{"documents": [...], "totals": {...}}`` to a file, so memory does not grow with the input.

    Only documents with edits, suggestions or errors are listed; ``totals`` counts all of them.
    """

    def __init__(self, path: str) -> None:
        import io

        from .io import AtomicFile

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


class Progress:
    """A one-line progress display on a terminal (docs/s and MB/s); silent when disabled."""

    def __init__(self, enabled: bool, stream: IO[str] | None = None, every: float = 0.2) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.every = every
        self.start = time.perf_counter()
        self.last = 0.0
        self.docs = 0
        self.bytes = 0
        self.shown = False

    def update(self, docs: int, nbytes: int) -> None:
        self.docs += docs
        self.bytes += nbytes
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.last >= self.every:
            self.last = now
            secs = max(now - self.start, 1e-9)
            self.stream.write(f"\r{self.docs:,} docs  {self.docs / secs:,.0f} docs/s  "
                              f"{self.bytes / secs / 1e6:.2f} MB/s  {secs:.0f}s ")
            self.stream.flush()
            self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
