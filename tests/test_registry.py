"""The stage registry: typed options (unknown keys and wrong types refused, the instance reaches the stage),
custom stages placed in the pipeline, and config checks that import no stage module."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Literal

import pytest

from cleaner import Cleaner, Config, ConfigError, Edit, load_file
from cleaner.core.options import GrammarOptions, NoOptions, PhrasesOptions, doc, option
from cleaner.core.registry import BUILTIN, Stage, register
from cleaner.core.registry import registry as stage_names

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class TagOptions:
    """Options of the test stages below."""

    tag: str = option("X", "the text inserted at the start")
    confidence: float = option(0.9, "the confidence of the edit")
    words: tuple[str, ...] = option((), "words the stage records")
    mode: Literal["one", "two"] = option("one", "a choice")
    limit: int | None = option(None, "an optional number")


#: what each test stage saw: its options, and the text it was given
SEEN: dict[str, list[object]] = {}


def _tagger(name: str, **place: object) -> type[Stage[TagOptions]]:
    """A stage ``name`` that inserts its ``tag`` once at the start (edits named ``tag``) and records its
    options and input."""

    @register(name, TagOptions, rules=("tag",), **place)
    class _Tagger(Stage[TagOptions]):
        def propose(self, text: str) -> list[Edit]:
            SEEN.setdefault(name, []).extend([self.options, text])
            tag = f"[{self.options.tag}]"
            if tag in text:
                return []
            return [Edit(0, 0, tag, rule="tag", confidence=self.options.confidence)]

    return _Tagger


_tagger("reg_after_entities", after="entities")
_tagger("reg_before_spelling", before="spelling")
_tagger("reg_order_45", order=45)
_tagger("reg_last_a")
_tagger("reg_last_b")


def test_custom_stages_run_at_their_place_wherever_the_config_lists_them() -> None:
    listed = ("reg_last_b", "reg_before_spelling", "reg_last_a", "reg_after_entities", "spelling", "reg_order_45",
              "entities", "phrases", "scripts", "markup")
    cfg = Config(stages=listed)
    assert cfg.stages == ("markup", "scripts", "reg_order_45", "entities", "reg_after_entities", "phrases",
                          "reg_before_spelling", "spelling", "reg_last_b", "reg_last_a")
    assert [s.name for s in Cleaner(cfg).stages] == list(cfg.stages)
    # unplaced custom stages keep the order the config lists them in, after every placed stage
    assert Config(stages=("reg_last_a", "reg_last_b", "markup")).stages == ("markup", "reg_last_a", "reg_last_b")
    names = stage_names()
    assert names.index("entities") < names.index("reg_after_entities") < names.index("phrases")


def test_order_decides_what_a_stage_sees() -> None:
    """Run after entities, a stage sees the repaired name; each tags the text in turn, in pipeline order."""
    SEEN.clear()
    cfg = Config(stages=("reg_after_entities", "entities", "reg_order_45"),
                 options={"reg_after_entities": {"tag": "A"}, "reg_order_45": {"tag": "B"}})
    result = Cleaner(cfg).clean("Kiev said")
    assert result.text == "[A][B]Kyiv said"
    assert SEEN["reg_order_45"][1] == "Kiev said"  # before entities
    assert SEEN["reg_after_entities"][1] == "[B]Kyiv said"  # after entities
    assert sorted(e.stage for e in result.edits) == ["entities", "reg_after_entities", "reg_order_45"]


def test_the_stage_gets_its_options_instance() -> None:
    SEEN.clear()
    table = {"tag": "T", "confidence": 1, "words": ["a", "b"], "mode": "two", "limit": 3}
    Cleaner(stages=("reg_last_a",), options={"reg_last_a": table}).clean("x")
    assert SEEN["reg_last_a"][0] == TagOptions(tag="T", confidence=1.0, words=("a", "b"), mode="two", limit=3)
    assert isinstance(SEEN["reg_last_a"][0].confidence, float)
    SEEN.clear()
    Cleaner(stages=("reg_last_a",)).clean("x")
    assert SEEN["reg_last_a"][0] == TagOptions()  # no table: the defaults


def test_bundled_stages_get_their_options_instance() -> None:
    options = {"grammar": {"timeout": 5, "allow_rules": ["X"]}}
    cleaner = Cleaner(stages=("markup", "phrases", "grammar"), options=options)
    markup, phrases, grammar = cleaner.stages
    assert markup.options == NoOptions()
    assert phrases.options == PhrasesOptions(rules=None)
    assert grammar.options == GrammarOptions(timeout=5.0, allow_rules=("X",))
    assert grammar.policy().allow_rules == frozenset({"X"})
    assert cleaner.config.options["grammar"] == {"timeout": 5, "allow_rules": ["X"]}  # the table is kept as written


@pytest.mark.parametrize("stage,table,words", [
    ("reg_last_a", {"tga": "x"}, ["unknown option 'tga'", "'reg_last_a'",
                                  "known: confidence, limit, mode, tag, words"]),
    ("markup", {"strict": True}, ["unknown option 'strict'", "'markup'", "takes no options"]),
    ("grammar", {"timout": 5}, ["unknown option 'timout'", "'grammar'", "timeout"]),
    ("reg_last_a", {"tag": 3}, ["reg_last_a.tag", "a string"]),
    ("reg_last_a", {"confidence": True}, ["reg_last_a.confidence", "a number"]),
    ("reg_last_a", {"words": "a"}, ["reg_last_a.words", "a list of strings"]),
    ("reg_last_a", {"words": ["a", 1]}, ["reg_last_a.words", "a list of strings"]),
    ("reg_last_a", {"mode": "three"}, ["reg_last_a.mode", "one of 'one', 'two'"]),
    ("reg_last_a", {"limit": 2.5}, ["reg_last_a.limit", "an integer"]),
    ("phrases", {"rules": ["a.toml"]}, ["phrases.rules", "a string"]),
])
def test_unknown_or_mistyped_options_are_errors(stage: str, table: dict, words: list[str]) -> None:
    with pytest.raises(ConfigError) as exc:
        Config(options={stage: table})
    for word in words:
        assert word in str(exc.value)


@pytest.mark.parametrize("name", [f.name for f in fields(GrammarOptions)])
def test_every_grammar_option_is_type_checked(name: str) -> None:
    default = getattr(GrammarOptions(), name)
    wrong = 1 if isinstance(default, str) else "x"
    with pytest.raises(ConfigError, match=rf"option grammar\.{name} must be"):
        Config(options={"grammar": {name: wrong}})


def test_options_from_a_config_file(tmp_path: Path) -> None:
    (tmp_path / "cleaner.toml").write_text(
        '[grammar]\ntimeout = 5\ndeny_rules = ["A"]\n\n[reg_last_a]\ntag = "file"\n', encoding="utf-8")
    cfg = load_file(tmp_path / "cleaner.toml")
    assert cfg.stage_options("grammar") == GrammarOptions(timeout=5.0, deny_rules=("A",))
    assert cfg.stage_options("reg_last_a").tag == "file"
    (tmp_path / "cleaner.toml").write_text('[reg_last_a]\ntag = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"cleaner.toml: option reg_last_a.tag must be a string"):
        load_file(tmp_path / "cleaner.toml")


def test_rule_names_of_custom_stages() -> None:
    Config(disable_rules=frozenset({"reg_last_a.tag"}))
    with pytest.raises(ConfigError, match="reg_last_a rules: tag"):
        Config(disable_rules=frozenset({"reg_last_a.bogus"}))
    assert Cleaner(stages=("reg_last_a",), disable_rules=frozenset({"reg_last_a.tag"})).clean("x").text == "x"


def test_a_stage_without_declared_rules_accepts_any_rule_name() -> None:
    @register("reg_open")
    class _Open(Stage):
        def propose(self, text: str) -> list[Edit]:
            return []

    Config(disable_rules=frozenset({"reg_open.anything"}))
    with pytest.raises(ConfigError, match="takes no options"):
        Config(options={"reg_open": {"x": 1}})


@dataclass
class _Mutable:
    x: int = 1


@dataclass(frozen=True)
class _NoDefault:
    x: int


@dataclass(frozen=True)
class _Untyped:
    x: frozenset[str] = option(frozenset(), "a set")


@pytest.mark.parametrize("kwargs,error", [
    ({"options": _Mutable}, "frozen dataclass"),
    ({"options": dict}, "frozen dataclass"),
    ({"options": _NoDefault}, "needs a default"),
    ({"options": _Untyped}, "not supported"),
    ({"after": "entities", "order": 3}, "at most one"),
    ({"after": "nostage"}, "unknown stage 'nostage'"),
])
def test_bad_declarations_fail_when_registered(kwargs: dict, error: str) -> None:
    with pytest.raises((TypeError, ValueError), match=error):
        @register("reg_bad", **kwargs)
        class _Bad(Stage):
            pass
    assert "reg_bad" not in stage_names()


def test_a_bundled_stage_is_declared_in_one_place() -> None:
    with pytest.raises(TypeError, match="BUILTIN"):
        @register("grammar", GrammarOptions)
        class _Grammar(Stage):
            pass


def test_every_bundled_option_is_typed_and_described() -> None:
    for spec in BUILTIN:
        Config(options={spec.name: {}})  # an empty table is fine for every stage
        for f in fields(spec.options):
            assert len(doc(spec.options, f.name)) > 10, f"{spec.name}.{f.name} needs a description"


def test_grammar_docs_list_every_option_with_its_default() -> None:
    text = (ROOT / "docs" / "grammar.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(\[grammar\]\n.*?)```", text, re.S)
    assert block
    documented = tomllib.loads(block.group(1))["grammar"]
    assert set(documented) == {f.name for f in fields(GrammarOptions)}
    defaults = GrammarOptions()
    for key, value in documented.items():
        if not isinstance(value, list):  # the lists show examples; the default is empty
            assert getattr(defaults, key) == value, key


def test_checking_a_config_imports_no_stage_module() -> None:
    code = ("import sys\nfrom cleaner import Config\n"
            "Config(stages=('markup', 'grammar'), options={'grammar': {'timeout': 5}}, "
            "disable_rules=frozenset({'spelling.typo', 'phrases'}))\n"
            "print(sorted(m for m in sys.modules if m.startswith('cleaner.stages')))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_the_documented_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "docs" / "stages.md").read_text(encoding="utf-8")
    code = "\n".join(re.findall(r"```python\n(.*?)```", text, re.S))
    exec(compile(code, "docs/stages.md", "exec", dont_inherit=True), {"__name__": "docs_stages_example"})
    assert capsys.readouterr().out.splitlines() == [
        "unknown option 'wrod' for stage 'shout'; known: confidence, word",
        "option shout.confidence must be a number, got 'high'",
    ]
    assert stage_names().index("shout") == stage_names().index("entities") + 1
