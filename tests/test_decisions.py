"""Review decisions: the file format, re-applying them in the pipeline, and ``clean --decisions``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import Cleaner, Config, ConfigError, Edit
from cleaner.cli.app import app
from cleaner.core.decisions import Decision, dumps, load, parse, save
from cleaner.stages import Stage, register

#: (pattern, replacement, rule, confidence): a confident typo fix, a suggestion, a name variant, and two
#: overlapping proposals for one word (a confident wrong one and an unsure right one)
_RULES = [
    (r"\bteh\b", "the", "typo", 0.95),
    (r"\bcolour\b", "color", "us", 0.5),
    (r"\bKiev\b", "Kyiv", "variant", 0.97),
    (r"\bregon\b", "region", "typo", 0.99),
    (r"\bregon\b", "PESEL", "acronym", 0.6),
]


@register("decide_test")
class DecideTestStage(Stage):
    def propose(self, text: str) -> list[Edit]:
        return [Edit(m.start(), m.end(), rep, rule=rule, confidence=conf, note=f"{m.group()} -> {rep}")
                for pattern, rep, rule, conf in _RULES for m in re.finditer(pattern, text)]


TEXT = "Teh Kiev Post: teh colour of the regon card.\nIn Kiev, teh colour is red."


def cleaner(*decisions: Decision, tmp_path: Path, **config) -> Cleaner:
    file = save(tmp_path / "decisions.json", decisions)
    return Cleaner(Config(stages=("decide_test",), decisions=(str(file),), **config))


def test_without_decisions() -> None:
    result = Cleaner(Config(stages=("decide_test",))).clean(TEXT)
    assert result.text == "Teh Kyiv Post: the colour of the region card.\nIn Kyiv, the colour is red."
    assert result.rejected == [] and "rejected" not in result.to_dict()


def test_file_round_trip(tmp_path: Path) -> None:
    ds = [Decision("reject", "spelling.typo", "regon", "region"),
          Decision("accept", "phrases.x", "a", "b", "occurrence", "left ", " right", "doc.txt", 5, 6)]
    path = save(tmp_path / "d.json", ds)
    assert load(path) == ds
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "cleaner-decisions" and data["version"] == 1
    assert data["decisions"][0] == {"action": "reject", "rule": "spelling.typo", "before": "regon", "after": "region",
                                    "scope": "everywhere"}
    assert parse(data["decisions"]) == ds  # a bare list is read too
    assert json.loads(dumps([]))["decisions"] == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not a readable JSON"),
        ('{"decisions": [{"action": "ignore", "rule": "a.b", "before": "x", "after": "y"}]}', "action must be"),
        ('{"decisions": [{"action": "reject", "rule": "a.b", "before": "x"}]}', "needs 'after'"),
        ('{"decisions": [{"action": "reject", "rule": "ab", "before": "x", "after": "y"}]}', "stage.rule"),
        ('{"decisions": [{"action": "reject", "rule": "a.b", "before": "x", "after": "y", "scope": "doc"}]}',
         "scope must be"),
        ('{"version": 9, "decisions": []}', "newer"),
        ('{"format": "other", "decisions": []}', "not a decisions file"),
        ('{"decisions": {}}', "expected"),
    ],
)
def test_bad_files_are_named(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load(path)
    assert "bad.json" in str(info.value)
    with pytest.raises(ConfigError, match="not found"):
        load(tmp_path / "missing.json")


def test_reject_everywhere(tmp_path: Path) -> None:
    result = cleaner(Decision("reject", "decide_test.variant", "Kiev", "Kyiv"), tmp_path=tmp_path).clean(TEXT)
    assert result.text == "Teh Kiev Post: the colour of the region card.\nIn Kiev, the colour is red."
    assert [(e.before, e.replacement, e.start) for e in result.rejected] == [("Kiev", "Kyiv", 4), ("Kiev", "Kyiv", 48)]
    assert all(e.note.startswith("rejected in review: ") for e in result.rejected)
    assert result.to_dict()["rejected"][0]["rule"] == "variant"


def test_reject_one_occurrence_found_by_its_context(tmp_path: Path) -> None:
    probe = Cleaner(Config(stages=("decide_test",))).clean(TEXT)
    second_kiev = [e for e in probe.edits if e.before == "Kiev"][1]
    decision = Decision.for_edit("reject", second_kiev, TEXT, document="a.txt")
    assert decision.left == TEXT[8:48] and decision.document == "a.txt" and decision.start == 48
    # The same text later in a longer document: found by its context, not its offset.
    moved = "A new first line.\n" + TEXT
    result = cleaner(decision, tmp_path=tmp_path).clean(moved)
    assert result.text == ("A new first line.\nTeh Kyiv Post: the colour of the region card.\n"
                           "In Kiev, the colour is red.")
    assert len(result.rejected) == 1


def test_accept_a_suggestion_everywhere_and_one_occurrence(tmp_path: Path) -> None:
    result = cleaner(Decision("accept", "decide_test.us", "colour", "color"), tmp_path=tmp_path).clean(TEXT)
    assert result.text.count("color ") == 2
    accepted = [e for e in result.edits if e.rule == "us"]
    assert len(accepted) == 2 and accepted[0].confidence == 0.5 and accepted[0].note.startswith("accepted in review")
    first = Cleaner(Config(stages=("decide_test",))).clean(TEXT).suggestions[0]
    assert first.before == "colour"
    one = cleaner(Decision.for_edit("accept", first, TEXT), tmp_path=tmp_path).clean(TEXT)
    assert one.text.count("color ") == 1 and one.text.count("colour") == 1


def test_an_accepted_suggestion_wins_an_overlap(tmp_path: Path) -> None:
    result = cleaner(Decision("accept", "decide_test.acronym", "regon", "PESEL"), tmp_path=tmp_path).clean(TEXT)
    assert "the PESEL card" in result.text
    assert [e.replacement for e in result.suggestions if e.before == "regon"] == ["region"]


def test_one_occurrence_overrides_everywhere_and_later_decisions_win(tmp_path: Path) -> None:
    probe = Cleaner(Config(stages=("decide_test",))).clean(TEXT)
    first_kiev = [e for e in probe.edits if e.before == "Kiev"][0]
    result = cleaner(Decision("reject", "decide_test.variant", "Kiev", "Kyiv"),
                     Decision.for_edit("accept", first_kiev, TEXT), tmp_path=tmp_path).clean(TEXT)
    assert result.text.startswith("Teh Kyiv Post") and "In Kiev," in result.text
    later = cleaner(Decision("reject", "decide_test.variant", "Kiev", "Kyiv"),
                    Decision("accept", "decide_test.variant", "Kiev", "Kyiv"), tmp_path=tmp_path).clean(TEXT)
    assert later.text.count("Kyiv") == 2


def test_rejecting_every_edit_gives_back_the_input(tmp_path: Path) -> None:
    probe = Cleaner(Config(stages=("decide_test",))).clean(TEXT)
    decisions = [Decision.for_edit("reject", e, TEXT) for e in probe.edits]
    result = cleaner(*decisions, tmp_path=tmp_path).clean(TEXT)
    assert result.text == TEXT and not result.edits
    assert len(result.rejected) == len(probe.edits)


def test_the_issue_example_with_the_default_pipeline(tmp_path: Path) -> None:
    text = "The Kiev Post reported that teh regon number was wrong."
    plain = Cleaner().clean(text).text
    assert "Kyiv Post" in plain and "region" in plain  # what an editor would reject
    file = save(tmp_path / "d.json", [Decision("reject", "spelling.typo", "regon", "region")])
    result = Cleaner(Config(decisions=(str(file),), keep=("Kiev Post",))).clean(text)
    assert result.text == "The Kiev Post reported that the regon number was wrong."


def test_a_bad_decisions_file_raises_from_the_first_clean(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        Cleaner(Config(stages=("decide_test",), decisions=(str(tmp_path / "nope.json"),))).clean("teh")


def test_config_file_paths_are_relative_to_it(tmp_path: Path) -> None:
    from cleaner.core.config import load_file

    sub = tmp_path / "project"
    sub.mkdir()
    save(sub / "decisions.json", [Decision("reject", "decide_test.typo", "teh", "the")])
    (sub / "cleaner.toml").write_text('stages = ["decide_test"]\ndecisions = "decisions.json"\n', encoding="utf-8")
    cfg = load_file(sub / "cleaner.toml")
    assert cfg.decisions == (str(sub / "decisions.json"),)
    assert "teh colour" in Cleaner(cfg).clean(TEXT).text


def _invoke(args: list[str], text: str):
    return CliRunner().invoke(app, args, input=text.encode(), catch_exceptions=False)


def test_cli_decisions_option(tmp_path: Path) -> None:
    (tmp_path / "cleaner.toml").write_text('stages = ["decide_test"]\n', encoding="utf-8")
    first = save(tmp_path / "one.json", [Decision("reject", "decide_test.variant", "Kiev", "Kyiv")])
    second = save(tmp_path / "two.json", [Decision("accept", "decide_test.us", "colour", "color")])
    base = ["--config", str(tmp_path / "cleaner.toml"), "-q"]
    r = _invoke([*base, "--decisions", str(first), "--decisions", str(second)], TEXT)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "Teh Kiev Post: the color of the region card.\nIn Kiev, the color is red."
    bad = _invoke([*base, "--decisions", str(tmp_path / "missing.json")], TEXT)
    assert bad.exit_code == 2 and "missing.json: decisions file not found" in bad.stderr and bad.stdout == ""
