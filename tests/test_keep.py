"""The keep list (strings no stage may change) and user phrase rule files added to the bundled ones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cleaner import Cleaner, Config, ConfigError, Edit
from cleaner.cli.app import app
from cleaner.core.config import load_file
from cleaner.core.decisions import keep_pattern
from cleaner.core.resources import DataError
from cleaner.stages import Stage, register
from cleaner.stages.phrases import all_rules, load_rules


@register("keep_test")
class KeepTestStage(Stage):
    """Kiev -> Kyiv, pesel -> peel, USA -> U.S.A., and a space inserted before every ``!``."""

    def propose(self, text: str) -> list[Edit]:
        out = [Edit(m.start(), m.end(), rep.upper() if m.group().isupper() else rep, rule=rule, confidence=0.95)
               for pattern, rep, rule in ((r"\bKiev\b", "Kyiv", "variant"), (r"\bpesel\b", "peel", "typo"),
                                          (r"\bUSA\b", "U.S.A.", "dots"))
               for m in re.finditer(pattern, text, re.IGNORECASE)]
        return out + [Edit(m.start(), m.start(), " ", rule="space") for m in re.finditer("(?<! )!", text)]


def clean(text: str, **config) -> str:
    return Cleaner(Config(stages=("keep_test",), **config)).clean(text).text


def test_kept_strings_are_never_changed_in_any_case_by_default() -> None:
    text = "The Kiev Post, the KIEV POST and Kiev. My pesel, PESEL!"
    assert clean(text) == "The Kyiv Post, the KYIV POST and Kyiv. My peel, PEEL !"
    result = Cleaner(Config(stages=("keep_test",), keep=("Kiev Post", "pesel"))).clean(text)
    assert result.text == "The Kiev Post, the KIEV POST and Kyiv. My pesel, PESEL !"
    assert [e.before for e in result.rejected] == ["Kiev", "KIEV", "pesel", "PESEL"]
    assert all(e.note.startswith("kept (keep list)") for e in result.rejected)


def test_case_sensitive_keep() -> None:
    text = "The Kiev Post and the KIEV POST; pesel and PESEL."
    got = clean(text, keep=("Kiev Post", "PESEL"), keep_case_sensitive=True)
    assert got == "The Kiev Post and the KYIV POST; peel and PESEL."


def test_kept_strings_match_whole_words_and_insertions_at_their_edges_pass() -> None:
    assert clean("USA and US!", keep=("US",)) == "U.S.A. and US !"
    assert clean("Wow!", keep=("Wow",)) == "Wow !"  # inserted after the kept word, not inside it
    assert clean("Wow!", keep=("Wow!",)) == "Wow!"  # inside: dropped


def test_keep_pattern() -> None:
    assert keep_pattern([]) is None
    p = keep_pattern(["a.b", "Kiev Post", "Kiev", "(c)"])
    found = [m.group() for m in p.finditer("Kiev Posts, kiev post, a.b, xa.bx, x(c)x")]
    assert found == ["Kiev", "kiev post", "a.b", "(c)"]  # word edges only where the kept text has them


def test_keep_in_a_config_file_and_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "cleaner.toml").write_text('stages = ["keep_test"]\nkeep = ["Kiev"]\n', encoding="utf-8")
    assert load_file(tmp_path / "cleaner.toml").keep == ("Kiev",)
    r = CliRunner().invoke(app, ["--config", str(tmp_path / "cleaner.toml"), "-q", "--keep", "pesel"],
                           input=b"Kiev pesel USA", catch_exceptions=False)
    assert r.exit_code == 0 and r.stdout == "Kiev pesel U.S.A."
    with pytest.raises(ConfigError, match="keep must be a list"):
        Config(keep="Kiev")
    with pytest.raises(ConfigError, match="keep must be a list"):
        Config(keep=("",))
    (tmp_path / "bad.toml").write_text('keep_case_sensitive = "yes"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.toml: keep_case_sensitive must be true or false"):
        load_file(tmp_path / "bad.toml")


# -- user phrase rules --------------------------------------------------------------------------------

USER_RULES = """
[context]
sport = ["match", "goal*", "team"]

[[rule]]
name = "user-pitch"
trigger = ["playground"]
pattern = '\\bplayground\\b'
replace = { playground = "pitch" }
require = ["@sport"]
confidence = 0.95
reason = "MT renders the football pitch as a playground"

[[rule]]
name = "user-frontline"
trigger = ["fire line"]
pattern = '\\bfire line\\b'
replace = { "fire line" = "front line" }
require = ["@military"]
confidence = 0.95
reason = "uses the bundled @military context set"
"""


def test_user_rules_are_added_to_the_bundled_ones(tmp_path: Path) -> None:
    user = tmp_path / "my_rules.toml"
    user.write_text(USER_RULES, encoding="utf-8")
    bundled = load_rules()
    rules = all_rules(None, (str(user),))
    assert rules[: len(bundled)] == bundled
    assert [r.name for r in rules[len(bundled) :]] == ["user-pitch", "user-frontline"]
    cleaner = Cleaner(Config(phrase_rules=(str(user),)))
    text = "The team left the playground after the match. Troops held the fire line near the border."
    result = cleaner.clean(text)
    assert result.text == "The team left the pitch after the match. Troops held the front line near the border."
    assert {e.key for e in result.edits} == {"phrases.user-pitch", "phrases.user-frontline"}
    # the bundled rules still run with a user file
    bundled_example = next(r for r in bundled if r.example and r.kind == "regex").example
    before, after = bundled_example.split(" => ")
    assert cleaner.clean(before).text == Cleaner().clean(before).text


def test_user_rules_from_a_config_file(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "mine.toml").write_text(USER_RULES, encoding="utf-8")
    (tmp_path / "cleaner.toml").write_text('phrase_rules = ["rules/mine.toml"]\n', encoding="utf-8")
    cfg = load_file(tmp_path / "cleaner.toml")
    assert cfg.phrase_rules == (str(tmp_path / "rules" / "mine.toml"),)
    assert Cleaner(cfg).clean("Our team won the match on the playground.").text.endswith("on the pitch.")


def test_user_rules_may_not_take_a_bundled_name(tmp_path: Path) -> None:
    name = load_rules()[0].name
    clash = tmp_path / "clash.toml"
    clash.write_text(f'[[rule]]\nname = "{name}"\npattern = "x"\nreplace = "y"\n', encoding="utf-8")
    with pytest.raises(DataError, match="already defined"):
        all_rules(None, (str(clash),))


def test_bad_user_rule_files_stop_the_command_before_any_input(tmp_path: Path) -> None:
    for content, message in (("[[rule]]\nname = 'x'\n", "needs pattern and replace"), (None, "cannot read")):
        path = tmp_path / "rules.toml"
        path.unlink(missing_ok=True)
        if content is not None:
            path.write_text(content, encoding="utf-8")
        (tmp_path / "cleaner.toml").write_text('phrase_rules = ["rules.toml"]\n', encoding="utf-8")
        r = CliRunner().invoke(app, ["--config", str(tmp_path / "cleaner.toml")], input=b"text",
                               catch_exceptions=False)
        assert r.exit_code == 2 and message in r.stderr and "rules.toml" in r.stderr and r.stdout == ""


@given(st.lists(st.integers(0, 60), max_size=12), st.integers(0, 62), st.integers(0, 4))
def test_touching_a_kept_span_matches_the_plain_definition(cuts: list[int], start: int, length: int) -> None:
    from cleaner.core.decisions import _touches_kept

    points = sorted(set(cuts))
    kept = [(a, b) for a, b in zip(points[::2], points[1::2], strict=False) if a < b]  # sorted, disjoint
    end = start + length
    plain = any((s < end and start < t) or (start == end and s < start < t) for s, t in kept)
    assert _touches_kept(kept, [s for s, _ in kept], start, end) == plain


def test_kept_words_survive_the_default_pipeline_on_the_seeds() -> None:
    seeds = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "seeds").glob("*.txt"))
    keep = ("Kiev", "through")  # both are edited in the seeds without a keep list
    word = re.compile(r"(?<!\w)(?:kiev|through)(?!\w)", re.IGNORECASE)
    plain, kept = Cleaner(), Cleaner(Config(keep=keep))
    rejected = 0
    for seed in seeds:
        text = seed.read_text(encoding="utf-8")
        assert len(word.findall(plain.clean(text).text)) < len(word.findall(text)) or not word.search(text)
        result = kept.clean(text)
        assert word.findall(result.text) == word.findall(text)
        assert not [e for e in result.edits if word.search(e.before)]
        rejected += len(result.rejected)
    assert rejected >= 2
