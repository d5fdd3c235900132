"""The grammar stage's match-to-edit policy, against /v2/check responses committed as fixtures."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path

import pytest

from cleaner.core.config import Config
from cleaner.core.edits import apply_edits, drop_overlaps, normalise
from cleaner.language.languagetool import parse_matches
from cleaner.stages.grammar import GrammarStage, Policy, matches_to_edits

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "languagetool"


def load(name: str):
    data = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    text = data["request"]["text"]
    return text, parse_matches(data["response"], text)


def applied(edits, threshold=0.8):
    return [e for e in edits if e.confidence >= threshold]


def run(text, edits, threshold=0.8):
    kept, _ = drop_overlaps(applied(edits, threshold))
    return apply_edits(text, normalise(kept, text))


def test_seed_slips_are_fixed_and_spelling_of_names_ignored():
    text, matches = load("seed-slips")
    policy = Policy()
    edits = matches_to_edits(matches, text, policy)
    assert [(text[e.start : e.end], e.replacement) for e in applied(edits)] == [
        ("settle", "settling"),
        ("faced", "facing"),
    ]
    out = run(text, edits)
    assert "from settling in" in out and "after facing 70,000" in out
    assert "Zelensky" in out and "KAPK" in out  # names are not ours to spell
    assert policy.stats["ignored"] == 2 and policy.stats["applied"] == 2


def test_edit_carries_rule_id_category_and_message():
    text, matches = load("seed-slips")
    edit = applied(matches_to_edits(matches, text, Policy()))[0]
    assert edit.stage == "grammar"
    assert edit.rule == "PREPOSITION_VERB"
    assert "Grammar" in edit.note and "-ing form" in edit.note


def test_correct_lines_get_no_edit():
    text, matches = load("correct-lines")
    edits = matches_to_edits(matches, text, Policy())
    assert applied(edits) == []
    assert run(text, edits) == text
    # the typography hint touches a number range: protected, not even suggested
    assert not any(text[e.start : e.end] == "200-300" for e in edits)


def test_astral_characters_before_matches():
    text, matches = load("astral")
    edits = matches_to_edits(matches, text, Policy())
    out = run(text, edits)
    assert out == text.replace("a honest", "an honest").replace("has went", "has gone").replace("the the", "the")
    assert out.startswith("🇺🇦 Kyiv, 12 May 😀")


def test_overlapping_matches_never_give_these_is():
    text, matches = load("overlap")
    edits = matches_to_edits(matches, text, Policy())
    out = run(text, edits)
    first = out.splitlines()[0]
    assert first == "This are the results of the survey."  # dependent matches: none applied
    assert "These is" not in out
    suggested = {(text[e.start : e.end], e.replacement) for e in edits if e.confidence < 0.8}
    assert {("This", "These"), ("are", "is"), ("This are", "This is")} <= suggested


def test_overlap_fixture_policy_details():
    text, matches = load("overlap")
    policy = Policy()
    edits = matches_to_edits(matches, text, policy)
    out = run(text, edits)
    assert "he go to Kyiv" in out  # several different replacements: suggestion only
    assert ("go", "goes") in {(text[e.start : e.end], e.replacement) for e in edits if e.confidence < 0.8}
    assert "in order to" in out  # redundancy/style: suggestion only
    assert "“We is ready,”" in out  # quoted speech is left as said
    assert not any(text[e.start : e.end] == "is" for e in edits)
    assert "A spokesman declined" in out  # doubled word fixed
    assert not any(e.rule == "EMPTY_REPLACEMENTS_DEMO" for e in edits)
    assert policy.stats["conflicts"] == 1
    assert all(e.confidence < 0.8 for e in edits if e.rule in {"SPOKESMAN", "IN_ORDER_TO_SIMPLE"})


def test_deny_and_allow_rules():
    text, matches = load("overlap")
    denied = matches_to_edits(matches, text, Policy(deny_rules=frozenset({"ENGLISH_WORD_REPEAT_RULE"})))
    assert "A a spokesman" in run(text, denied)
    allowed = matches_to_edits(matches, text, Policy(allow_rules=frozenset({"IN_ORDER_TO_SIMPLE"})))
    assert "met to discuss" in run(text, allowed)


def test_neighbouring_matches_within_gap_conflict():
    text, matches = load("astral")
    # pretend the two fixes in the second paragraph were 2 characters apart
    went, repeat = matches[1], matches[2]
    close = replace(repeat, start=went.end + 2, end=went.end + 9)
    edits = matches_to_edits([went, close], text, Policy())
    assert applied(edits) == []


def test_suggestions_stay_below_a_custom_threshold():
    stage = GrammarStage(Config(min_confidence=0.4))
    assert stage.policy().suggest_confidence < 0.4
    assert GrammarStage(Config(min_confidence=0.0)).policy().suggest_confidence is None


def test_no_server_proposes_nothing_and_warns_once(monkeypatch, caplog):
    monkeypatch.delenv("CLEANER_LANGUAGETOOL_URL", raising=False)
    monkeypatch.setattr("cleaner.stages.grammar.local_server_url", lambda language: None)
    stage = GrammarStage(Config(stages=("grammar",)))
    with caplog.at_level(logging.WARNING, logger="cleaner.stages.grammar"):
        assert stage.propose("This are wrong.") == []
        assert stage.propose("He go home.") == []
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "no LanguageTool server" in warnings[0].getMessage()


def test_local_language_tool_failure_is_a_warning(monkeypatch, caplog):
    from cleaner.language.languagetool import LanguageToolError

    def broken(language):
        raise LanguageToolError("connection", "no Java")

    monkeypatch.delenv("CLEANER_LANGUAGETOOL_URL", raising=False)
    monkeypatch.setattr("cleaner.stages.grammar.local_server_url", broken)
    stage = GrammarStage(Config())
    with caplog.at_level(logging.WARNING, logger="cleaner.stages.grammar"):
        assert stage.propose("Some text.") == []
    assert "no Java" in caplog.text


@pytest.mark.parametrize("opt", [{"local": False}])
def test_local_can_be_switched_off(monkeypatch, opt):
    monkeypatch.delenv("CLEANER_LANGUAGETOOL_URL", raising=False)
    monkeypatch.setattr("cleaner.stages.grammar.local_server_url", lambda language: pytest.fail("called"))
    stage = GrammarStage(Config(options={"grammar": opt}))
    assert stage.propose("Text.") == []


def test_grammar_stage_is_off_by_default():
    assert "grammar" not in Config().stages


def test_only_small_local_fixes_are_applied():
    from cleaner.stages.grammar import is_small

    assert is_small("faced", "facing") and is_small("the the", "the") and is_small("a", "an")
    assert not is_small("the talks that were held", "the talks held")  # a rewrite, not a fix
    assert not is_small("US", "us")  # an acronym is never lower-cased
    text = "The US are ready."
    m = parse_matches(
        {
            "matches": [
                {
                    "offset": 4,
                    "length": 2,
                    "message": "Did you mean 'us'?",
                    "replacements": [{"value": "us"}],
                    "rule": {"id": "US_PRP", "issueType": "grammar", "category": {"id": "GRAMMAR", "name": "Grammar"}},
                }
            ]
        },
        text,
    )
    assert applied(matches_to_edits(m, text, Policy())) == []
