"""Shared by the CLI tests: a tiny, stable stage and a way to run the real command with it.

The real stages are being written in parallel, so these tests use ``fixtest``, which (1) replaces
``teh`` with ``the`` (confident), (2) decodes ``&amp;`` (confident), (3) suggests ``colour`` -> ``color``
(low confidence, never applied), and (4) raises on ``BOOM`` (to exercise the error paths).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from cleaner.core.edits import Edit
from cleaner.stages import Stage, register

HERE = Path(__file__).resolve().parent
CONFIG_TOML = 'stages = ["fixtest"]\n'
_RULES = [
    (re.compile(r"\bteh\b"), "the", 0.95),
    (re.compile("&amp;"), "&", 1.0),
    (re.compile(r"\bcolour\b"), "color", 0.5),
]


@register("fixtest")
class FixTestStage(Stage):
    def propose(self, text: str) -> list[Edit]:
        if "BOOM" in text:
            raise RuntimeError("boom")
        return [Edit(m.start(), m.end(), rep, rule="test", confidence=conf, note=f"{m.group()} -> {rep}")
                for pattern, rep, conf in _RULES for m in pattern.finditer(text)]


BOOT = (f"import sys; sys.path.insert(0, {str(HERE)!r}); import test_cli_support; "
        "from cleaner.cli.app import main; main()")


def write_config(folder: Path) -> Path:
    path = folder / "cleaner.toml"
    path.write_text(CONFIG_TOML, encoding="utf-8")
    return path


def run_clean(args: list[str], stdin: bytes | None = None, cwd: Path | None = None,
              timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the real command in a child process with the ``fixtest`` stage available."""
    return subprocess.run([sys.executable, "-c", BOOT, *args], input=stdin, capture_output=True, cwd=cwd,
                          timeout=timeout)
