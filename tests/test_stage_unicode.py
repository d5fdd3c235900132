"""The unicode stage on its own: ftfy on only the lines that need it, edits from the difference."""

from __future__ import annotations

import pytest

from cleaner import Cleaner
from cleaner.stages.unicode import diff_edits

UNICODE = Cleaner(stages=("unicode",))


def clean(text: str, **kw) -> str:
    return (Cleaner(stages=("unicode",), **kw) if kw else UNICODE).clean(text).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Mayorâ€™s office", "The Mayor’s office"),
        ("cafÃ© owner", "café owner"),
        ("â€œnoâ€\x9d", "“no”"),
        ("a control\x01 char", "a control char"),
        ("ﬁne", "fine"),
        ("e\u0301", "é"),
    ],
)
def test_repairs(text: str, expected: str) -> None:
    assert clean(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "“Of course,” he said – it’s £10 or €12.",
        "line one\r\nline two\r\n",
        "tab\tseparated\n",
        "Київ, 北京, İstanbul, São Paulo",
        "&amp; stays for the markup stage",
    ],
)
def test_leaves_correct_text_alone(text: str) -> None:
    assert clean(text) == text


def test_ascii_quotes_on_request() -> None:
    assert clean("“Hi,” he said’", quotes="ascii") == '"Hi," he said\''


@pytest.mark.parametrize("text", ["\ud800 lone", "\x00\x1b[31mred", "\x80\x9f C1", "\ufeffbom"])
def test_odd_input_does_not_crash(text: str) -> None:
    result = UNICODE.clean(text)
    assert not result.errors


def test_edits_only_on_changed_lines_with_rule() -> None:
    text = "clean line\nThe Mayorâ€™s office\nanother clean line"
    result = UNICODE.clean(text)
    assert [(e.before, e.replacement, e.rule) for e in result.edits] == [("â€™", "’", "mojibake")]
    assert result.edits[0].start == text.index("â€™")


def test_diff_edits_are_small() -> None:
    old, new = "x â€œaâ€\x9d y Ã© z", "x “a” y é z"
    edits = diff_edits(old, new, 10)
    assert [(e.start - 10, e.end - 10, e.replacement) for e in edits] == [(2, 5, "“"), (6, 9, "”"), (12, 14, "é")]
