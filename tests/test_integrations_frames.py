"""The column-cleaning loop shared by the Ray, Dask and Spark helpers (in-process, no cluster)."""

from __future__ import annotations

import json

import pytest

from cleaner import Cleaner
from cleaner.core.config import Config
from cleaner.core.edits import Edit
from cleaner.integrations.frames import clean_frame, clean_values, cleaner_for, edits_json
from cleaner.stages import Stage, register

pd = pytest.importorskip("pandas")


@register("test_frames_colour")
class _Colour(Stage):
    """Rewrites every 'colour' to 'color' so the tests see real edits whatever the real stages do."""

    def propose(self, text: str) -> list[Edit]:
        out, i = [], text.find("colour")
        while i >= 0:
            out.append(Edit(i, i + 6, "color", rule="us", note="colour -> color"))
            i = text.find("colour", i + 1)
        return out


@register("test_frames_boom")
class _Boom(Stage):
    def propose(self, text: str) -> list[Edit]:
        if "boom" in text:
            raise ValueError("boom")
        return []


COLOUR = Config(stages=("test_frames_colour",))


def test_clean_frame_cleans_column_and_adds_edits_as_json() -> None:
    df = pd.DataFrame({"id": [1, 2], "text": ["a colour and a colour", "plain"]})
    out = clean_frame(df, Cleaner(COLOUR), "text", edits_column="edits")
    assert out["text"].tolist() == ["a color and a color", "plain"]
    assert out["id"].tolist() == [1, 2]
    edits = json.loads(out["edits"][0])
    assert [(e["start"], e["end"], e["before"], e["replacement"]) for e in edits] == [
        (2, 8, "colour", "color"),
        (15, 21, "colour", "color"),
    ]
    assert edits[0]["stage"] == "test_frames_colour"
    assert json.loads(out["edits"][1]) == []
    assert df["text"][0] == "a colour and a colour", "the input frame must not be modified"


def test_non_strings_pass_through_untouched() -> None:
    texts, edits, errors = clean_values(["colour", None, 3.5], Cleaner(COLOUR), with_edits=True)
    assert texts == ["color", None, 3.5]
    assert edits[1] is None and edits[2] is None
    assert errors == [None, None, None]


def test_failing_stage_is_reported_and_text_kept() -> None:
    cfg = Config(stages=("test_frames_boom", "test_frames_colour"))
    df = pd.DataFrame({"text": ["boom colour", "colour"]})
    out = clean_frame(df, Cleaner(cfg), errors_column="errors")
    assert out["text"].tolist() == ["boom color", "color"]
    assert "ValueError: boom" in out["errors"][0]
    assert pd.isna(out["errors"][1])


def test_a_cleaner_that_raises_passes_the_record_through(monkeypatch: pytest.MonkeyPatch) -> None:
    c = Cleaner(COLOUR)

    def explode(text: str):
        raise RuntimeError("bug")

    monkeypatch.setattr(c, "clean", explode)
    texts, edits, errors = clean_values(["colour"], c, with_edits=True)
    assert texts == ["colour"]
    assert edits == ["[]"]
    assert errors == ["RuntimeError: bug"]


def test_missing_column_names_the_columns() -> None:
    with pytest.raises(KeyError, match="body"):
        clean_frame(pd.DataFrame({"body": ["x"]}), Cleaner(COLOUR), "text")


def test_cleaner_for_is_cached_per_config() -> None:
    assert cleaner_for(COLOUR) is cleaner_for(Config(stages=("test_frames_colour",)))
    assert cleaner_for(COLOUR) is not cleaner_for(Config())


def test_edits_json_round_trips() -> None:
    r = Cleaner(COLOUR).clean("colour")
    assert json.loads(edits_json(r.edits))[0]["note"] == "colour -> color"
