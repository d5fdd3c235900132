"""Golden cases: every ``fixtures/golden/<case>/input.txt`` cleaned by the default ``Cleaner()`` must give
``expected.txt``, through exactly the edits in ``edits.json``.

Cases named ``negative-*`` are correct text: their expected output is their input and they have no edits.
After reviewing a deliberate change, regenerate with ``pytest tests/test_golden.py --update-golden``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner import Cleaner

GOLDEN = Path(__file__).resolve().parent.parent / "fixtures" / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "input.txt").is_file()) if GOLDEN.is_dir() else []
EDIT_FIELDS = ("start", "end", "before", "replacement", "stage", "rule")


def read(path: Path) -> str:
    # newline="" keeps CRLF cases byte-exact
    with path.open(encoding="utf-8", newline="") as fh:
        return fh.read()


def write(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def edits_record(result) -> list[dict]:
    rows = [{k: getattr(e, k) for k in EDIT_FIELDS} for e in result.edits]
    return sorted(rows, key=lambda r: (r["start"], r["end"], r["stage"], r["rule"]))


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


def test_there_are_golden_cases() -> None:
    assert {"seed-bbc-kursk", "seed-reuters-kursk"} <= set(CASES)
    assert any(c.startswith("negative-") for c in CASES)


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, cleaner: Cleaner, update_golden: bool) -> None:
    folder = GOLDEN / case
    text = read(folder / "input.txt")
    result = cleaner.clean(text)
    assert not result.errors, result.errors
    record = edits_record(result)
    if update_golden:
        write(folder / "expected.txt", result.text)
        write(folder / "edits.json", json.dumps(record, indent=1, ensure_ascii=False) + "\n")
        return
    if case.startswith("negative-"):
        assert result.text == text, "a negative case must come out unchanged"
    assert result.text == read(folder / "expected.txt")
    assert record == json.loads(read(folder / "edits.json"))
