"""The phrases stage: every rule's worked example and keep-list, plus the mechanisms on their own."""

from __future__ import annotations

import pytest

from cleaner import Cleaner
from cleaner.core.resources import DataError
from cleaner.stages.phrases import load_rules, verb_info

RULES = load_rules()


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    # min_confidence 0: low-confidence rules are tested on what they propose, not on the threshold
    return Cleaner(stages=("phrases",), min_confidence=0.0)


def run(c: Cleaner, text: str) -> str:
    return c.clean(text).text


@pytest.mark.parametrize("rule", [r for r in RULES if r.example], ids=lambda r: r.name)
def test_rule_example(cleaner, rule):
    before, after = rule.example.split(" => ")
    assert run(cleaner, before) == after


@pytest.mark.parametrize("rule,text", [(r, k) for r in RULES for k in r.keep], ids=lambda x: getattr(x, "name", x))
def test_rule_keeps(cleaner, rule, text):
    assert run(cleaner, text) == text


def test_every_rule_documented():
    for r in RULES:
        assert r.reason, r.name
        assert r.example, r.name


def test_incursion_needs_military_context(cleaner):
    assert run(cleaner, "Thanks for the encouragement in Kursk.") == "Thanks for the encouragement in Kursk."
    assert "incursion" in run(cleaner, "Soldiers held ground after the encouragement in Kursk.")


def test_case_is_kept(cleaner):
    out = run(cleaner, "Encouragements by Ukrainian troops continued.")
    assert out.startswith("Incursions")


def test_credit_lines(cleaner):
    assert run(cleaner, "Photo: AFP through Getty Images") == "Photo: AFP via Getty Images"
    assert run(cleaner, "Anadolu Agency through Reuters") == "Anadolu Agency via Reuters"
    prose = "The documents were obtained through Reuters reporters in Kyiv."
    assert run(cleaner, prose) == prose


@pytest.mark.parametrize(
    "before,after",
    [
        ("stopped forces from settle in the east", "stopped forces from settling in the east"),
        ("after launched the attack", "after launching the attack"),
        ("before captured 20 villages", "before capturing 20 villages"),
    ],
)
def test_gerund(cleaner, before, after):
    assert run(cleaner, before) == after


@pytest.mark.parametrize(
    "text",
    [
        "after all the talk",
        "from home",
        "before dawn",
        "after renewed fighting",
        "after sustained shelling",
        "from left to right",
        "after attack the",
        "after being told",
        "From Settle in Yorkshire",
    ],
)
def test_gerund_leaves_non_verbs(cleaner, text):
    assert run(cleaner, text) == text


def test_verb_info():
    assert verb_info("settle") == ("base", "settling")
    assert verb_info("faced") == ("past", "facing")
    assert verb_info("attack") is None  # also a noun
    assert verb_info("taking") is None


def test_adverb(cleaner):
    assert run(cleaner, "They said Russia haste rushed troops.") == "They said Russia hastily rushed troops."
    assert run(cleaner, "In their haste rushed decisions were made.") == "In their haste rushed decisions were made."


def test_edits_are_explained(cleaner):
    r = cleaner.clean("Forces fired cruise rockets at the front.")
    (e,) = r.edits
    assert e.stage == "phrases" and e.rule == "missile-not-rocket" and e.confidence >= 0.8
    assert "rocket" in e.note and e.replacement == "missiles"


def test_low_confidence_rule_is_a_suggestion():
    c = Cleaner(stages=("phrases",))
    text = "Drones and missiles hit overnight; arrivals in the port district were reported."
    r = c.clean(text)
    assert r.text == text
    assert [s.replacement for s in r.suggestions] == ["strikes"]


def test_bad_rules_file(tmp_path):
    bad = tmp_path / "rules.toml"
    bad.write_text('[[rule]]\nname = "x"\npattern = "("\nreplace = "y"\n', encoding="utf-8")
    with pytest.raises(DataError, match="bad pattern"):
        load_rules(str(bad))
    bad.write_text('[[rule]]\nname = "x"\npattern = "a"\nreplace = "b"\nrequire = ["@nope"]\n', encoding="utf-8")
    with pytest.raises(DataError, match="unknown context set"):
        load_rules(str(bad))


def test_custom_rules_file(tmp_path):
    f = tmp_path / "rules.toml"
    f.write_text('[[rule]]\nname = "x"\npattern = "\\\\bfoo\\\\b"\nreplace = "bar"\nreason = "r"\n', encoding="utf-8")
    c = Cleaner(stages=("phrases",), options={"phrases": {"rules": str(f)}})
    assert c.clean("a foo b").text == "a bar b"


# --------------------------------------------------------------------------- precomputed verb forms


def test_verb_forms_table_matches_lemminflect() -> None:
    """dictionaries/verb_forms.tsv (scripts/build_verb_forms.py) answers exactly as lemminflect does."""
    pytest.importorskip("lemminflect")
    import random

    from lemminflect import Lemmatizer

    from cleaner.stages.phrases import lemminflect_verb_info, verb_forms

    table = verb_forms()
    assert table is not None and len(table) > 5000
    assert table["faced"] == ("past", "facing") and table["settle"] == ("base", "settling")
    known = sorted(w for w in Lemmatizer()._getLemmaDict() if w.isascii() and w.isalpha() and w.islower())
    sample = random.Random(5).sample(known, 3000) + sorted(table)[::10] + ["zzqx", "running", "at", "renewed"]
    for word in sample:
        assert table.get(word) == lemminflect_verb_info(word), word


def test_verb_info_needs_no_lemminflect_for_lower_case_words() -> None:
    import subprocess
    import sys

    code = ("import sys; from cleaner.stages.phrases import verb_info; "
            "assert verb_info('faced') == ('past', 'facing') and verb_info('table') is None; "
            "assert 'lemminflect' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_trigger_scan_finds_exactly_the_trigger_literals() -> None:
    """A rule whose triggers share a leading text is scanned with one pattern; it must answer exactly as
    testing each trigger literal does."""
    from cleaner.stages.phrases import _triggered, load_rules

    texts = ["photo through getty images", "went to sea", "mines -cleared", "mine clearing", "minesweeper",
             "through the door", "he came to see", "a missile blow", "nothing at all", " to surface"]
    for rule in load_rules():
        if not rule.trigger:
            continue
        for text in texts:
            assert _triggered(rule, text) == any(t in text for t in rule.trigger), (rule.name, text)
    assert any(rule.trigger_re is not None for rule in load_rules())
