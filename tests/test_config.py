"""Configuration is checked up front: every bad setting gives one message and exit 2 before any input is
read; ``disable_rules`` / ``--disable`` take stages, ``STAGE.RULE`` and rule names and refuse unknown ones;
a config discovered above the project cannot send text to a server. Run through the installed ``clean``
console script, in a child process, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import Cleaner, Config, ConfigError
from cleaner.core.config import check_rule_name, discover, in_project, load_file, project_root, without_network
from cleaner.core.resources import MissingDataError

BIN = Path(sys.executable).with_name("clean")
COMMAND = [str(BIN)] if BIN.exists() else [sys.executable, "-m", "cleaner"]


def clean(args: list[str], cwd: Path, stdin: bytes | None = b"Kiev said\n", env: dict | None = None,
          timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([*COMMAND, *args], input=stdin, capture_output=True, cwd=cwd, timeout=timeout,
                          env={**os.environ, **(env or {})})


def stops_before_reading(args: list[str], cwd: Path, env: dict | None = None) -> str:
    """Run with a standard input that never ends: only a run that stops before reading it can exit. Returns
    standard error, after checking the exit code (2), that it is one line, and that nothing was written."""
    proc = subprocess.Popen([*COMMAND, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=cwd, env={**os.environ, **(env or {})})
    try:
        code = proc.wait(timeout=60)  # standard input stays open: a run that reads it never gets here
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdin.close()
    out, err = proc.stdout.read(), proc.stderr.read().decode()
    proc.stdout.close()
    proc.stderr.close()
    assert code == 2, err
    assert out == b""
    assert len(err.strip().splitlines()) == 1, err
    return err


@pytest.mark.parametrize(
    "toml,words",
    [
        ('style = "bogus"\n', ["style", "bogus", "kmu2010"]),
        ('gazetteers = ["nope.tsv"]\n', ["gazetteer", "nope.tsv"]),
        ('min_confidence = "high"\n', ["min_confidence", "high"]),
        ("min_confidence = 7\n", ["min_confidence"]),
        ('stages = "markup"\n', ["stages", "list"]),
        ("[entities]\nglobal_fuzy = true\n", ["unknown option 'global_fuzy'", "entities"]),
        ('[grammar]\nlocal = "yes"\n', ["grammar.local", "true or false"]),
        ("[markup]\nstrict = true\n", ["strict", "takes no options"]),
        ('[grammar]\ntimeout = "x"\n', ["grammar.timeout", "number"]),
        ('disable_rules = ["bogus"]\n', ["bogus", "STAGE.RULE"]),
        ('disable_rules = ["entities.bogus"]\n', ["entities.bogus", "variant"]),
        ('disable_rules = ["nostage.rule"]\n', ["nostage"]),
        ('extra_words = ["missing.txt"]\n', ["extra_words", "missing.txt"]),
        ("colour = 1\n", ["unknown key", "colour"]),
        ('languagetool_url = "localhost:8081"\n', ["languagetool_url", "http://"]),
    ],
)
def test_bad_config_file_stops_before_any_input(tmp_path: Path, toml: str, words: list[str]) -> None:
    (tmp_path / "cleaner.toml").write_text(toml, encoding="utf-8")
    err = stops_before_reading([], tmp_path)
    assert err.startswith("clean: config: ")
    for word in words:
        assert word in err


def test_broken_pyproject_is_an_error_not_ignored(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.cleaner\nstyle = 'none'\n", encoding="utf-8")
    err = stops_before_reading([], tmp_path)
    assert "pyproject.toml" in err and "--no-config" in err
    assert clean(["--no-config"], tmp_path).returncode == 0  # the way out the message names


@pytest.mark.parametrize("args", [["--disable", "bogus"], ["--disable", "entities.bogus"], ["--enable", "bogus"],
                                  ["--min-confidence", "2"]])
def test_bad_options_stop_before_any_input(tmp_path: Path, args: list[str]) -> None:
    err = stops_before_reading(["--no-config", *args], tmp_path)
    assert "bogus" in err or "min_confidence" in err


def test_missing_bundled_data_is_loud(tmp_path: Path) -> None:
    env = {"CLEANER_DICTIONARIES": str(tmp_path / "nowhere")}
    err = stops_before_reading([], tmp_path, env)
    assert "data files are missing" in err and "CLEANER_DICTIONARIES" in err
    err = stops_before_reading(["--no-config", "-q"], tmp_path, env)  # the typer path says the same
    assert "data files are missing" in err


def test_library_raises_instead_of_passing_text_through(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import cleaner.core.resources as resources

    monkeypatch.setattr(resources, "DICTIONARIES", tmp_path)
    with pytest.raises(MissingDataError, match="data files are missing"):
        Cleaner()
    with pytest.raises(MissingDataError):
        resources.read_tsv(tmp_path / "style.tsv")


@pytest.mark.parametrize("how", [
    ['disable_rules = ["entities.variant"]\n'], ['disable_rules = ["entities"]\n'], ['disable_rules = ["variant"]\n'],
    ["", "--disable", "entities.variant"], ["", "--disable", "variant"], ["", "--disable", "entities"],
])
def test_disable_by_stage_rule_and_bare_rule(tmp_path: Path, how: list[str]) -> None:
    (tmp_path / "cleaner.toml").write_text(how[0], encoding="utf-8")
    r = clean(["-q", *how[1:]], tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"Kiev said\n"


def test_default_still_rewrites(tmp_path: Path) -> None:
    r = clean(["-q"], tmp_path)
    assert r.returncode == 0 and r.stdout == b"Kyiv said\n"


def test_disable_rules_in_the_library() -> None:
    assert Cleaner(disable_rules=frozenset({"entities.variant"})).clean("Kiev said").text == "Kiev said"
    assert Cleaner(disable_rules=frozenset({"entities"})).clean("Kiev said").text == "Kiev said"
    assert Cleaner().clean("Kiev said").text == "Kyiv said"


@pytest.mark.parametrize("name", ["entities", "entities.variant", "variant", "unicode.fix_c1_controls", "mojibake",
                                  "grammar.EN_A_VS_AN", "phrases.incursion-noun", "incursion-noun",
                                  "spacing.trailing-space"])
def test_rule_names_accepted(name: str) -> None:
    check_rule_name(name)


@pytest.mark.parametrize("name", ["bogus", "entities.bogus", "nostage.variant", "entities.", "EN_A_VS_AN",
                                  "phrases.bogus", "grammar."])
def test_rule_names_refused(name: str) -> None:
    with pytest.raises(ConfigError):
        check_rule_name(name)


def test_option_schema_in_the_library() -> None:
    with pytest.raises(ConfigError, match="global_fuzy"):
        Config(options={"entities": {"global_fuzy": True}})
    with pytest.raises(ConfigError, match="a list of strings"):
        Config(options={"grammar": {"allow_rules": "EN_A_VS_AN"}})
    assert Config(options={"grammar": {"allow_rules": ["X"], "timeout": 5}}).options["grammar"]["timeout"] == 5
    with pytest.raises(ConfigError, match="style"):
        Cleaner(style="bogus")


def test_relative_files_resolve_against_the_config(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "cleaner.toml").write_text('extra_words = ["words.txt"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="words.txt"):
        load_file(tmp_path / "sub" / "cleaner.toml").check()
    (tmp_path / "sub" / "words.txt").write_text("zyzzyva\n", encoding="utf-8")
    assert load_file(tmp_path / "sub" / "cleaner.toml").check().extra_words == (str(tmp_path / "sub" / "words.txt"),)


# ------------------------------------------------------------------------------- security: discovery


def test_project_root_and_in_project(tmp_path: Path) -> None:
    project = tmp_path / "work" / "project"
    (project / "docs").mkdir(parents=True)
    (project / ".git").mkdir()
    assert project_root(project / "docs") == project
    assert in_project(project / "cleaner.toml", project / "docs")
    assert in_project(project / "docs" / "cleaner.toml", project / "docs")
    assert not in_project(tmp_path / "work" / "cleaner.toml", project / "docs")
    assert not in_project(tmp_path / "cleaner.toml", project / "docs")
    # a repository's root wins over a sub-package's pyproject.toml (one project with several packages)
    (project / "docs" / "pyproject.toml").write_text("[project]\nname = 'docs'\n", encoding="utf-8")
    assert project_root(project / "docs") == project
    # a Python project outside version control
    plain = tmp_path / "plain"
    (plain / "src").mkdir(parents=True)
    (plain / "pyproject.toml").write_text("[tool.cleaner]\n", encoding="utf-8")
    assert project_root(plain / "src") == plain and in_project(plain / "pyproject.toml", plain / "src")
    # outside any project only the current folder counts
    loose = tmp_path / "loose"
    loose.mkdir()
    assert project_root(loose) == loose.resolve()
    assert in_project(loose / "cleaner.toml", loose) and not in_project(tmp_path / "cleaner.toml", loose)


def test_without_network() -> None:
    cfg = Config(stages=("markup", "grammar"), languagetool_url="http://example.invalid")
    safe, dropped = without_network(cfg)
    assert "grammar" not in safe.stages and safe.languagetool_url is None and len(dropped) == 2
    assert without_network(Config()) == (Config(), [])


NETWORK_TOML = 'stages = ["markup", "grammar"]\nlanguagetool_url = "{url}"\n[grammar]\nlocal = false\n'


@pytest.fixture
def standin():
    import importlib.util

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("grammar_standin", root / "scripts" / "grammar_standin.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("grammar_standin", module)
    spec.loader.exec_module(module)
    srv = module.StandIn().start()
    yield srv
    srv.stop()


def test_parent_config_cannot_send_text_to_a_server(tmp_path: Path, standin) -> None:
    (tmp_path / "cleaner.toml").write_text(NETWORK_TOML.format(url=standin.url), encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / ".git").mkdir()
    assert discover(project) == tmp_path / "cleaner.toml"
    r = clean([], project, stdin=b"He have a cat.\n")
    assert r.returncode == 0, r.stderr
    assert standin.requests == []
    assert "outside this project" in r.stderr.decode() and "grammar" in r.stderr.decode()
    # the same file in the project is trusted
    (project / "cleaner.toml").write_text(NETWORK_TOML.format(url=standin.url), encoding="utf-8")
    r = clean(["-q"], project, stdin=b"He have a cat.\n")
    assert r.returncode == 0 and r.stderr == b""
    assert len(standin.requests) == 1


def test_parent_config_is_used_when_asked_for(tmp_path: Path, standin) -> None:
    (tmp_path / "cleaner.toml").write_text(NETWORK_TOML.format(url=standin.url), encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / ".git").mkdir()
    r = clean(["-q", "--config", str(tmp_path / "cleaner.toml")], project, stdin=b"He have a cat.\n")
    assert r.returncode == 0 and len(standin.requests) == 1
    # --grammar turns the stage on; the parent's server is still not used: the URL must come from the user
    r = clean(["-q", "--grammar"], project, stdin=b"He have a cat.\n", env={"CLEANER_LANGUAGETOOL_URL": ""})
    assert len(standin.requests) == 1
    r = clean(["-q", "--grammar"], project, stdin=b"He have a cat.\n",
              env={"CLEANER_LANGUAGETOOL_URL": standin.url})
    assert r.returncode == 0 and len(standin.requests) == 2


# ------------------------------------------------------------------------------- the registry's rule lists


def _literal_rules() -> dict[str, set[str]]:
    """Rule names written as literals in the stage modules: ``Edit(..., rule="x")`` or the fifth positional
    argument of ``Edit(...)``, and ``rule = "x" if ... else "y"``."""
    import ast

    from cleaner.core.registry import BUILTIN

    found: dict[str, set[str]] = {}
    for stage, module in ((s.name, s.module) for s in BUILTIN):
        base = Path(__file__).resolve().parent.parent / Path(*module.split("."))
        files = [base.with_suffix(".py")] if base.with_suffix(".py").is_file() else sorted(base.rglob("*.py"))
        for file in files:
            for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
                values: list[ast.AST] = []
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Edit":
                    values += [k.value for k in node.keywords if k.arg == "rule"]
                    values += node.args[4:5]
                elif isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["rule"]:
                    values.append(node.value)
                for value in values:
                    for leaf in ast.walk(value):
                        if isinstance(leaf, ast.Constant) and isinstance(leaf.value, str):
                            found.setdefault(stage, set()).add(leaf.value)
    return found


def test_every_literal_rule_name_is_declared() -> None:
    from cleaner.core.config import rule_known

    literal = _literal_rules()
    assert literal.get("spacing") and literal.get("markup")  # the scan finds them
    for stage, names in literal.items():
        unknown = sorted(n for n in names if not rule_known(stage, n))
        assert not unknown, f"add {unknown} to {stage!r} in cleaner/rules.py STAGES (the one rule catalogue)"
