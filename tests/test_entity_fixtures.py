"""The hand-written entity cases in fixtures/entities/cases.tsv: garbled names that must be repaired
(``fix``) and near misses that must not change (``keep``). Reports recall and false positives."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Cleaner, Config

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "entities"


def load_cases() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in (FIXTURES / "cases.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, text, expected, note = line.split("\t")
        rows.append((kind, text, text if expected == "=" else expected, note))
    return rows


CASES = load_cases()


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner(Config(stages=("entities",), gazetteers=(str(FIXTURES / "gazetteer.tsv"),)))


def test_fixture_set_is_large_enough() -> None:
    fixes = [c for c in CASES if c[0] == "fix"]
    keeps = [c for c in CASES if c[0] == "keep"]
    assert len(fixes) >= 40 and len(keeps) >= 40
    assert all(text != expected for _, text, expected, _ in fixes)


def measure(cleaner: Cleaner) -> tuple[float, int, list[str]]:
    """Recall on the ``fix`` cases, false positives on the ``keep`` cases, and a report of both."""
    fixed = missed = false_pos = 0
    report = []
    for kind, text, expected, note in CASES:
        result = cleaner.clean(text)
        assert not result.errors, result.errors
        if kind == "fix":
            if result.text == expected:
                fixed += 1
            else:
                missed += 1
                report.append(f"MISSED ({note}): {text!r} -> {result.text!r}")
        elif result.text != text:
            false_pos += 1
            report.append(f"FALSE POSITIVE ({note}): {text!r} -> {result.text!r}")
    recall = fixed / (fixed + missed)
    print(f"\nentities fixtures: recall {recall:.2f} ({fixed}/{fixed + missed}), false positives {false_pos}")
    print("\n".join(report))
    return recall, false_pos, report


def test_recall_and_false_positives(cleaner: Cleaner) -> None:
    recall, false_pos, report = measure(cleaner)
    assert false_pos == 0, report
    assert recall >= 0.9, report


def test_recall_and_false_positives_with_the_bundled_gazetteer_and_full_pipeline() -> None:
    """The same cases through the default pipeline and the bundled data alone (no test gazetteer): a few
    expectations follow the test gazetteer's spellings of people, so the recall floor is lower."""
    recall, false_pos, report = measure(Cleaner())
    assert false_pos == 0, report
    assert recall >= 0.85, report


@pytest.mark.parametrize("kind,text,expected,note", [c for c in CASES if c[0] == "fix"][:60])
def test_every_repair_is_explained(cleaner: Cleaner, kind: str, text: str, expected: str, note: str) -> None:
    result = cleaner.clean(text)
    for e in result.edits:
        assert e.stage == "entities" and e.rule and e.note and 0.8 <= e.confidence <= 1.0
        assert result.text[e.out_start : e.out_end] == e.replacement
        assert text[e.start : e.end] == e.before
    # idempotent: a second pass changes nothing
    assert cleaner.clean(result.text).text == result.text
