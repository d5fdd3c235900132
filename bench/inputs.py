"""Benchmark inputs: the BBC sample when the shared eval data is present, else the repo's fixtures.

Benchmarks may read ../shared (tests never do). Every script uses the same loader so that the numbers
they print are for the same input.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BBC = ROOT.parent / "shared" / "eval" / "news" / "bbc"
FIXTURES = ROOT / "fixtures"


def load_docs() -> tuple[str, list[str]]:
    """Return (name of the source, list of documents). BBC articles sorted by path for determinism."""
    if BBC.is_dir():
        files = sorted(p for p in BBC.glob("*/*.txt"))
        if files:
            return f"BBC sample ({BBC})", [p.read_text(encoding="utf-8") for p in files]
    files = sorted(p for p in FIXTURES.rglob("*.txt") if p.is_file())
    if not files:
        raise SystemExit(f"no input: neither {BBC} nor any .txt under {FIXTURES}")
    return f"fixtures ({FIXTURES})", [p.read_text(encoding="utf-8") for p in files]


def size_mb(docs: list[str]) -> float:
    """Size in MB (10**6 bytes) of the UTF-8 encoding, the unit every benchmark reports."""
    return sum(len(d.encode("utf-8")) for d in docs) / 1e6
