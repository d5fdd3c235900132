"""What a run adds up to: the counts, the summary lines on stderr and the exit code.

One place for the exit-code contract (``clean --help`` and docs/cli.md describe it), so scripts that
depend on it can find every rule in a few lines.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

EXIT_OK, EXIT_CHANGED, EXIT_ERROR = 0, 1, 2
#: 128 + SIGPIPE, as a shell reports a program killed by a broken pipe
EXIT_BROKEN_PIPE = 141
#: 128 + SIGINT: Ctrl-C
EXIT_INTERRUPTED = 130
EXIT_CODES = {EXIT_OK: "success", EXIT_CHANGED: "--check: something would change",
              EXIT_ERROR: "some input failed, an output could not be written, or an internal error"}


@dataclass
class Totals:
    """Counts over a run (files and records, edits, failures); the JSON report's ``totals``."""

    files: int = 0
    records: int = 0
    edits: int = 0
    suggestions: int = 0
    changed: int = 0
    skipped: int = 0
    failed: int = 0
    stage_errors: int = 0
    bytes: int = 0

    def as_dict(self, seconds: float) -> dict[str, Any]:
        return {**asdict(self), "seconds": round(seconds, 3)}

    def exit_code(self, check: bool) -> int:
        """2 if anything failed (even with ``--check``: a failure must not read as "nothing to change"),
        else 1 if ``--check`` found something to change, else 0."""
        if self.failed or self.stage_errors:
            return EXIT_ERROR
        if check and self.changed:
            return EXIT_CHANGED
        return EXIT_OK

    def summary(self, seconds: float, check: bool) -> str:
        """The one line after a run (on a terminal, or with ``--verbose``)."""
        parts = [f"{self.files} file(s)"]
        if self.records:
            parts.append(f"{self.records} record(s)")
        parts.append(f"{self.edits} edit(s) in {self.changed} changed")
        if self.suggestions:
            parts.append(f"{self.suggestions} suggestion(s)")
        parts += [f"{self.skipped} skipped", f"{self.failed} failed"]
        if self.stage_errors:
            parts.append(f"{self.stage_errors} stage error(s)")
        verb = "checked" if check else "cleaned"
        return f"clean: {verb} " + ", ".join(parts) + f" in {seconds:.2f} s"

    def check_summary(self) -> str:
        """``--check``'s one line: what would change, or that nothing would (silence looks like a failure)."""
        docs = f"{self.records} record(s)" if self.records else f"{self.files} file(s)"
        if self.changed:
            return f"clean: {self.changed} of {docs} would change ({self.edits} edit(s))"
        return f"clean: nothing would change ({docs} checked)"
