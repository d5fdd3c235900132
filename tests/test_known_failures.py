"""Known failures (ftfy's ``known-failures.json`` habit): cases the cleaner gets wrong today, each with the
reason. They are strict expected failures, so a change that fixes one is noticed and the case moves to a
golden fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner import Cleaner

CASES = json.loads((Path(__file__).resolve().parent.parent / "fixtures" / "known-failures.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


def test_every_case_says_why() -> None:
    assert CASES
    for case in CASES:
        assert {"label", "input", "expected", "why"} <= set(case), case
        assert case["why"].strip()


@pytest.mark.xfail(strict=True, reason="a known failure: see its 'why' in fixtures/known-failures.json")
@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_known_failure(case: dict, cleaner: Cleaner) -> None:
    assert cleaner.clean(case["input"]).text == case["expected"]
