"""A custom stage for the distributed-engine tests: importable by worker processes (tests/ on PYTHONPATH),
so those tests see real edits whatever state the bundled stages are in."""

from __future__ import annotations

from cleaner.core.config import Config
from cleaner.core.edits import Edit
from cleaner.stages import Stage, register

NAME = "integrations_plugin_colour"


@register(NAME)
class ColourStage(Stage):
    """'colour' -> 'color', and raises on 'boom' (a stage bug the pipeline must contain)."""

    def propose(self, text: str) -> list[Edit]:
        if "boom" in text:
            raise ValueError("boom")
        out, i = [], text.find("colour")
        while i >= 0:
            out.append(Edit(i, i + 6, "color", rule="us", note="colour -> color"))
            i = text.find("colour", i + 1)
        return out


CONFIG = Config(stages=(NAME,))
TEXTS = ["a colour, a colour", "boom colour", None, "plain"]
#: (text, edits as (start, end, before, replacement), has error) expected for TEXTS
EXPECTED = [
    ("a color, a color", [(2, 8, "colour", "color"), (12, 18, "colour", "color")], False),
    ("boom colour", [], True),
    (None, None, False),
    ("plain", [], False),
]


def edit_tuples(edits_json: str) -> list[tuple[int, int, str, str]]:
    import json

    return [(e["start"], e["end"], e["before"], e["replacement"]) for e in json.loads(edits_json)]


def assert_rows_match(rows: list) -> None:
    """Rows (dicts or Spark ``Row``s, sorted by id) hold EXPECTED's text, edits and error flag."""
    assert len(rows) == len(TEXTS)
    for row, (text, edits, has_error) in zip(rows, EXPECTED, strict=True):
        assert row["text"] == text
        if edits is None:
            assert row["edits"] is None
        else:
            assert edit_tuples(row["edits"]) == edits
            assert (row["errors"] is not None) == has_error
