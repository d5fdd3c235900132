"""The command line people expect: rule selection like ruff's, ``--statistics``, the rule list in ``--help``,
readable ``--explain`` and diffs, colour only on a terminal, ``--check`` messages, refusing to glue a
directory's files together, the summary line, and the progress bar.

Through the real entry point (typer's CliRunner in process, or a child process for what depends on the
process: imports, pipes), with the real stages unless a test needs the stable ``fixtest`` stage.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import test_cli_support  # noqa: F401  (registers the fixtest stage)
from test_cli_support import run_clean, write_config
from typer.testing import CliRunner

from cleaner import Cleaner
from cleaner.cli.app import app
from cleaner.cli.progress import NoProgress, RichProgress, open_progress, totals, wanted
from cleaner.cli.reporting import EMPTY, visible
from cleaner.cli.runner import Runner, RunOptions
from cleaner.core.config import DEFAULT_STAGES, STAGE_ORDER, Config, ConfigError, from_mapping
from cleaner.core.edits import Edit
from cleaner.core.rules import STAGES, is_open, stage_rules, styles
from cleaner.core.selection import SelectionError, apply_selection
from cleaner.stages import Stage, register

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def invoke(args: list[str], input: bytes | None = None, env: dict | None = None):
    return CliRunner().invoke(app, args, input=input, catch_exceptions=False, env=env)


# ------------------------------------------------------------------------------------------ the rule catalogue

#: Texts that make rules fire which the fixtures do not exercise (the fixtures come first).
EXTRA_TEXTS = [
    "The goverment said on Tuesday that the meeting was over.",
    "He said thatthe army would withdraw from the city.",
    "The city was shelled.The mayor said so.",
    "The pro- Russian forces attacked.",
    "The \ufb01rst report came in.",
    "Kyiv and \u041ayiv and Kharkiv.",
    "Officials in \u0425\u0430\u0440\u043a\u0456\u0432 said the city was calm.",
    "Officials in Kharkiv  \nsaid so.",
    "Cafe\u0301 owners met.",
    "A\x07bell rang.",
    "The choir sang Shched\u0440\u0438\u043a at the concert.",
    "Officials said the word \u0441\u043f\u0430\u0441\u0438\u0431\u043e was heard in the street.",
]


def _fixture_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures").rglob("*.txt"))]
    assert len(texts) >= 10, "the fixtures moved: point this test at them"
    return texts + EXTRA_TEXTS


def test_every_rule_a_stage_emits_is_in_the_catalogue() -> None:
    """A stage that gains or renames a rule must list it in cleaner/rules.py (for --help, --select, stats)."""
    cleaner = Cleaner(min_confidence=0.0)  # suggestions too: every rule that can speak
    seen: set[str] = set()
    for text in _fixture_texts():
        result = cleaner.clean(text)
        seen |= {e.key for e in result.edits + result.suggestions}
    missing = sorted(k for k in seen if k.split(".")[0] not in STAGES
                     or not is_open(k.split(".")[0]) and k.split(".", 1)[1] not in stage_rules(k.split(".")[0]))
    assert not missing, f"rules emitted but not listed in cleaner/rules.py STAGES: {missing}"
    for stage in DEFAULT_STAGES:  # the texts reach every default stage, so this test can fail
        assert any(k.startswith(stage + ".") for k in seen), stage


def test_every_bundled_stage_is_in_the_catalogue() -> None:
    assert list(STAGES) == [s for s in STAGE_ORDER if s in STAGES]  # listed in pipeline order
    assert set(STAGE_ORDER) <= set(STAGES), "a new stage needs its entry (summary and rules) in cleaner/rules.py"


def _stage_source(stage: str) -> str:
    folder = ROOT / "cleaner" / "stages"
    files = [folder / f"{stage}.py", *sorted((folder / stage).glob("*.py"))]
    return "".join(f.read_text(encoding="utf-8") for f in files if f.is_file())


@pytest.mark.parametrize("stage", [s for s, info in STAGES.items() if not info.open and not info.rules_from])
def test_every_listed_rule_exists(stage: str) -> None:
    """The stage modules are the truth: a listed rule that no stage can emit is a stale entry."""
    if stage == "unicode":  # rule names are ftfy's fixer names (see stages/unicode.py:_rule)
        import ftfy.fixes

        for rule in stage_rules(stage):
            assert rule in ("mojibake", "ftfy", "NFC") or hasattr(ftfy.fixes, rule), rule
        return
    source = _stage_source(stage)
    assert source, stage
    for rule in stage_rules(stage):
        assert f'"{rule}"' in source, f"{stage}.{rule} is listed but not in the stage's code"


def test_data_driven_rules_come_from_the_rules_file(tmp_path: Path) -> None:
    assert "incursion-noun" in stage_rules("phrases")
    own = tmp_path / "mine.toml"
    own.write_text('[[rule]]\nname = "my-rule"\npattern = "x"\nreplace = "y"\nreason = "because"\n', encoding="utf-8")
    options = Config(options={"phrases": {"rules": str(own)}}).stage_options("phrases")
    assert stage_rules("phrases", options) == {"my-rule": "because"}


def test_help_lists_stages_rules_and_choices() -> None:
    r = invoke(["--help"])
    assert r.exit_code == 0
    out = r.stdout
    for stage in STAGES:
        assert re.search(rf"^\s+{stage}( \*)?: ", out, re.M), stage
        for rule, text in stage_rules(stage).items():
            assert re.search(rf"^\s+{re.escape(rule)}\s+{re.escape(text[:30])}", out, re.M), rule
    assert "grammar *:" in out  # off by default
    assert re.search(r"--quotes:\s+keep\s+.*\n\s+ascii\s", out)
    assert set(styles()) >= {"kmu2010", "none"}
    for style in styles():
        assert re.search(rf"^\s+{re.escape(style)}\s+\S", out, re.M), style


# ------------------------------------------------------------------------------------------ selection


def test_select_stage_or_rule_maps_onto_stages_and_disable_rules() -> None:
    cfg = apply_selection(Config(), ["spelling"], None)
    assert cfg.stages == ("spelling",) and cfg.disable_rules == frozenset()
    cfg = apply_selection(Config(), ["spelling.typo,markup"], None)
    assert cfg.stages == ("markup", "spelling") and cfg.disable_rules == {"spelling.split", "spelling.repeated-word"}
    cfg = apply_selection(Config(), None, ["entities", "spacing.trailing-space"])
    assert "entities" not in cfg.stages and "spelling" in cfg.stages
    assert cfg.disable_rules == {"spacing.trailing-space"}


def test_more_specific_name_wins_and_ignore_wins_ties() -> None:
    cfg = apply_selection(Config(), ["spelling.typo"], ["spelling"])
    assert cfg.stages == ("spelling",) and cfg.disable_rules == {"spelling.split", "spelling.repeated-word"}
    cfg = apply_selection(Config(), ["spelling"], ["spelling.typo"])
    assert cfg.stages == ("spelling",) and cfg.disable_rules == {"spelling.typo"}
    cfg = apply_selection(Config(), ["spelling"], ["spelling"])
    assert cfg.stages == ()


def test_select_replaces_earlier_choices_ignore_adds() -> None:
    base = Config(stages=("markup", "spelling"), disable_rules=frozenset({"markup.entity", "spelling.split"}))
    cfg = apply_selection(base, ["spacing"], None)
    assert cfg.stages == ("spacing",) and cfg.disable_rules == frozenset()
    cfg = apply_selection(base, None, ["markup.inline-tag"])
    assert cfg.stages == ("markup", "spelling")
    assert cfg.disable_rules == {"markup.entity", "markup.inline-tag", "spelling.split"}


def test_unknown_names_are_errors_naming_the_known_ones() -> None:
    with pytest.raises(SelectionError, match=r"--select: unknown stage 'nope'; known stages: markup, unicode"):
        apply_selection(Config(), ["nope"], None)
    with pytest.raises(SelectionError, match=r"--ignore: unknown rule 'spelling.tyop'; .*spelling.typo"):
        apply_selection(Config(), None, ["spelling.tyop"])
    with pytest.raises(SelectionError, match="phrases.incursion-noun"):
        apply_selection(Config(), ["phrases.no-such-rule"], None)
    assert apply_selection(Config(), ["phrases.credit-via"], None).stages == ("phrases",)


def test_open_stage_rules_can_be_ignored_not_selected_one_by_one() -> None:
    cfg = apply_selection(Config(), ["grammar"], ["grammar.EN_A_VS_AN"])
    assert cfg.stages == ("grammar",) and cfg.disable_rules == {"grammar.EN_A_VS_AN"}
    with pytest.raises(SelectionError, match="select 'grammar'"):
        apply_selection(Config(), ["grammar.EN_A_VS_AN"], None)


def test_select_and_ignore_in_config_files(tmp_path: Path) -> None:
    cfg = from_mapping({"select": ["markup", "spelling"], "ignore": ["spelling.split"]}, "cleaner.toml")
    assert cfg.stages == ("markup", "spelling") and cfg.disable_rules == {"spelling.split"}
    with pytest.raises(ConfigError, match=r"cleaner.toml: select: unknown stage 'markdown'"):
        from_mapping({"select": ["markdown"]}, "cleaner.toml")
    with pytest.raises(ConfigError, match="expected stage or stage.rule names"):
        from_mapping({"ignore": [3]}, "cleaner.toml")


def test_select_and_ignore_on_the_command_line(tmp_path: Path) -> None:
    text = b"a cat wtih a dog &amp; co\n"
    r = invoke(["--no-config", "--select", "markup"], input=text)
    assert r.exit_code == 0 and r.stdout_bytes == b"a cat wtih a dog & co\n"
    r = invoke(["--no-config", "--ignore", "markup.entity", "--ignore", "spelling"], input=text)
    assert r.exit_code == 0 and r.stdout_bytes == text
    r = invoke(["--no-config", "--select", "spelling.tyop"], input=text)
    assert r.exit_code == 2 and r.stdout_bytes == b""
    assert "clean: --select: unknown rule 'spelling.tyop'" in r.stderr and "spelling.typo" in r.stderr
    # the command line's --select replaces the config file's selection, as in ruff
    (tmp_path / "cleaner.toml").write_text('select = ["markup"]\n', encoding="utf-8")
    conf = str(tmp_path / "cleaner.toml")
    assert invoke(["--config", conf], input=text).stdout_bytes == b"a cat wtih a dog & co\n"
    assert invoke(["--config", conf, "--select", "spelling"], input=text).stdout_bytes == b"a cat with a dog &amp; co\n"
    assert invoke(["--config", conf, "--ignore", "markup"], input=text).stdout_bytes == text


def test_style_option_checked_against_style_tsv() -> None:
    r = invoke(["--no-config", "--select", "entities", "--style", "none"], input=b"Kiev said\n")
    assert r.exit_code == 0 and r.stdout_bytes == b"Kiev said\n"
    assert invoke(["--no-config", "--select", "entities"], input=b"Kiev said\n").stdout_bytes == b"Kyiv said\n"
    r = invoke(["--no-config", "--style", "bogus"], input=b"x")
    assert r.exit_code == 2 and "known styles: kmu2010" in r.stderr


# ------------------------------------------------------------------------------------------ --statistics


def test_statistics_counts_per_rule(tmp_path: Path) -> None:
    cfg = str(write_config(tmp_path))
    (tmp_path / "a.txt").write_bytes(b"teh teh colour &amp;\n")
    (tmp_path / "b.txt").write_bytes(b"teh\n")
    r = invoke(["--config", cfg, "--statistics", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["count", "suggested", "rule", "description"]
    assert [line.split()[:3] for line in lines[1:]] == [["4", "1", "fixtest.test"]]  # 3x teh + &amp;, colour
    assert "teh" not in r.stdout  # the statistics instead of the text


def test_statistics_with_real_stages_and_descriptions(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(b"The goverment met.<br>Then &amp; now teh end.\n")
    r = invoke(["--no-config", "--statistics", str(tmp_path / "in"), "-o", str(out)])
    assert r.exit_code == 0
    rows = {line.split()[2]: line for line in r.stdout.splitlines()[1:]}
    assert {"markup.entity", "markup.block-tag", "spelling.typo"} <= set(rows)
    assert re.match(r"\s*2\s+0\s+spelling\.typo\s+a misspelt word corrected", rows["spelling.typo"])
    assert (out / "a.txt").read_bytes().startswith(b"The government met.")  # -o still written


# ------------------------------------------------------------------------------------------ readable output


def test_visible_whitespace() -> None:
    assert visible("a b") == "a b"  # one space between words stays a space
    assert visible(" ") == "␠" and visible("a  b") == "a␠␠b" and visible(" x") == "␠x"
    assert visible("\n") == "↵" and visible("\t") == "⇥" and visible("\u00a0") == "⍽"
    assert visible("a\u200bb") == "a⟨U+200B⟩b"
    assert visible("") == EMPTY == "∅"
    assert visible("x" * 100, width=10) == "x" * 9 + "…"


def test_explain_rows_in_text_order_with_whitespace_shown() -> None:
    text = b"cross -border <b>raid</b>   and more .\nKiev said.\n"
    r = invoke(["--no-config", "--explain"], input=text)
    assert r.exit_code == 0
    rows = [line.split()[0] for line in r.stdout.splitlines()]
    where = [tuple(int(n) for n in row.split(":")[1:]) for row in rows]
    assert where == sorted(where) and len(where) >= 5
    assert "␠ -> ∅" in r.stdout  # the space before the hyphen, not a blank
    assert "␠␠␠ -> ␠" in r.stdout
    assert "<b> -> ∅" in r.stdout
    assert "\x1b[" not in r.stdout  # not a terminal: no colour


def test_colour_only_when_asked_or_on_a_terminal(tmp_path: Path) -> None:
    cfg = str(write_config(tmp_path))
    a = tmp_path / "a.txt"
    a.write_bytes(b"one\nteh two\n")
    r = invoke(["--config", cfg, "--diff", "--color", str(a)])
    assert "\x1b[31m-teh two\x1b[0m\n\x1b[32m+the two\x1b[0m\n" in r.stdout
    assert ANSI.sub("", r.stdout) == invoke(["--config", cfg, "--diff", str(a)]).stdout
    r = invoke(["--config", cfg, "--explain", "--color", str(a)], input=None)
    assert "\x1b[31mteh\x1b[0m -> \x1b[32mthe\x1b[0m" in r.stdout
    assert "\x1b[" not in invoke(["--config", cfg, "--explain", str(a)]).stdout
    assert "\x1b[" in invoke(["--config", cfg, "--explain", str(a)], env={"FORCE_COLOR": "1"}).stdout
    env = {"FORCE_COLOR": "", "NO_COLOR": "1"}
    assert "\x1b[" not in invoke(["--config", cfg, "--diff", str(a)], env=env).stdout


def test_colour_on_a_terminal_unless_no_color(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    assert _run(b"teh\n", RunOptions(diff=True, progress=False), stdout_tty=True)[0].count(b"\x1b[") > 2
    monkeypatch.setenv("NO_COLOR", "1")
    assert b"\x1b[" not in _run(b"teh\n", RunOptions(diff=True, progress=False), stdout_tty=True)[0]


def test_explain_colours_keep_the_columns_aligned(tmp_path: Path) -> None:
    cfg = str(write_config(tmp_path))
    text = b"teh colour and &amp;\n"
    plain = invoke(["--config", cfg, "--explain"], input=text).stdout
    coloured = invoke(["--config", cfg, "--explain", "--color"], input=text).stdout
    assert ANSI.sub("", coloured) == plain
    assert "(suggestion)" in plain and "\x1b[33m(suggestion)\x1b[0m" in coloured


@register("duptest")
class _DuplicateStage(Stage):
    """Proposes one change twice, as a stage may: the pipeline applies one copy and sets the other aside."""

    def propose(self, text: str) -> list[Edit]:
        return [Edit(0, 3, "the", rule="dup", confidence=0.9, note="twice")] * 2 if text.startswith("teh") else []


def test_a_change_proposed_twice_is_listed_and_counted_once() -> None:
    r = invoke(["--no-config", "--select", "duptest", "--explain"], input=b"teh end\n")
    assert r.stdout.count("teh -> the") == 1 and "suggestion" not in r.stdout
    r = invoke(["--no-config", "--select", "duptest", "--statistics"], input=b"teh end\n")
    assert r.stdout.splitlines()[1].split()[:3] == ["1", "0", "duptest.dup"]


def test_check_says_nothing_would_change() -> None:
    r = run_clean(["--no-config", "--check", "-"], stdin=b"ok\n")
    assert r.returncode == 0 and r.stdout == b""
    assert r.stderr.decode().strip() == "clean: nothing would change (1 file(s) checked)"
    r = run_clean(["--no-config", "--check", "-"], stdin=b"teh &amp;\n")
    assert r.returncode == 1
    assert b"would change: <stdin>" in r.stdout and b"1 of 1 file(s) would change" in r.stderr
    assert run_clean(["--no-config", "--check", "-q", "-"], stdin=b"ok\n").stderr == b""


def test_directory_to_stdout_is_refused(tmp_path: Path) -> None:
    cfg = str(write_config(tmp_path))
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_bytes(b"teh a")
    (src / "b.txt").write_bytes(b"teh b")
    r = invoke(["--config", cfg, str(src)])
    assert r.exit_code == 2 and r.stdout_bytes == b""
    assert f"{src} is a directory" in r.stderr and "-o DIR" in r.stderr
    for extra in (["--check"], ["--diff"], ["--explain"], ["--statistics"], ["-o", str(tmp_path / "out")]):
        r = invoke(["--config", cfg, str(src), *extra])
        assert r.exit_code in (0, 1), (extra, r.stderr)
    assert (tmp_path / "out" / "a.txt").read_bytes() == b"the a"
    r = invoke(["--config", cfg, str(src), "--report", str(tmp_path / "r.json")])  # the report is the output
    assert r.exit_code == 0 and r.stdout_bytes == b""
    assert json.loads((tmp_path / "r.json").read_text())["totals"]["edits"] == 2


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _TerminalBytes(io.BytesIO):
    def isatty(self) -> bool:
        return True


def _run(stdin: bytes, opts: RunOptions, stderr_tty: bool = False, stdout_tty: bool = False,
         cfg: Config | None = None) -> tuple[bytes, str, int]:
    out = _TerminalBytes() if stdout_tty else io.BytesIO()
    err = _Terminal() if stderr_tty else io.StringIO()
    code = Runner(Cleaner(cfg or Config(stages=("fixtest",))), opts, stdout=out, stderr=err,
                  stdin=io.BytesIO(stdin)).run()
    return out.getvalue(), err.getvalue(), code


def test_summary_line_only_on_a_terminal_or_with_verbose() -> None:
    assert _run(b"teh\n", RunOptions(progress=False))[1] == ""
    assert "clean: cleaned 1 file(s), 1 edit(s)" in _run(b"teh\n", RunOptions(progress=False), stderr_tty=True)[1]
    assert "clean: cleaned 1 file(s)" in _run(b"teh\n", RunOptions(progress=False, verbose=True))[1]
    assert _run(b"teh\n", RunOptions(progress=False, quiet=True), stderr_tty=True)[1] == ""


# ------------------------------------------------------------------------------------------ progress


def test_progress_wanted_only_on_a_terminal_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    tty, pipe = _Terminal(), io.StringIO()
    assert wanted(None, False, tty, stdout_busy=False)
    assert not wanted(None, False, pipe, stdout_busy=False)
    assert not wanted(None, True, tty, stdout_busy=False)  # -q
    assert wanted(True, False, pipe, stdout_busy=True) and not wanted(False, False, tty, stdout_busy=False)
    monkeypatch.setattr(sys, "stdout", _Terminal())
    assert not wanted(None, False, tty, stdout_busy=True)  # text going to the same terminal
    assert wanted(None, False, tty, stdout_busy=False)
    monkeypatch.setenv("CI", "true")
    assert not wanted(None, False, tty, stdout_busy=False)
    monkeypatch.delenv("CI")
    monkeypatch.setenv("TERM", "dumb")
    assert not wanted(None, False, tty, stdout_busy=False)


def test_progress_totals_are_bytes_when_known(tmp_path: Path) -> None:
    from cleaner.cli.inputs import find_inputs

    (tmp_path / "a.txt").write_bytes(b"x" * 10)
    (tmp_path / "b.jsonl").write_bytes(b'{"text": "y"}\n' * 3)
    inputs = list(find_inputs([str(tmp_path / "a.txt"), str(tmp_path / "b.jsonl")], ["*.txt"]))
    assert totals(inputs) == (10 + 14 * 3, 2)
    assert totals(list(find_inputs(["-"], ["*.txt"])))[0] is None  # stdin: no total
    assert isinstance(open_progress(False, io.StringIO(), inputs), NoProgress)
    bar = open_progress(True, io.StringIO(), inputs, force=True)
    assert isinstance(bar, RichProgress)
    bar.close()


def test_progress_bar_on_a_terminal_with_percentage_and_eta(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    src = tmp_path / "big.jsonl"
    src.write_bytes(b"".join(b'{"text": "teh %d"}\n' % i for i in range(3000)))
    opts = RunOptions(paths=[str(src)], output=str(tmp_path / "out.jsonl"), jobs=1)
    _, err, code = _run(b"", opts, stderr_tty=True)
    assert code == 0
    plain = ANSI.sub("", err)
    assert "100%" in plain and "eta" in plain and "3,000 records" in plain
    assert f"{src.stat().st_size / 1000:.1f}/{src.stat().st_size / 1000:.1f} kB" in plain
    assert "clean: cleaned 1 file(s), 3000 record(s)" in plain  # the summary after the bar
    _, err, _ = _run(b"", opts)  # not a terminal: nothing but nothing
    assert err == ""


def test_messages_appear_above_the_bar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"text": "teh"}\nnot json\n')
    _, err, code = _run(b"", RunOptions(paths=[str(src)], output=str(tmp_path / "o.jsonl"), progress=True, jobs=1))
    assert code == 2
    assert re.search(rf"clean: {re.escape(str(src))}:2: .*invalid JSON", ANSI.sub("", err))


# ------------------------------------------------------------------------------------------ start-up


def test_plain_run_imports_neither_typer_nor_rich() -> None:
    code = ("import atexit, sys\n"
            "atexit.register(lambda: sys.stderr.write(repr(sorted(m for m in sys.modules "
            "if m.split('.')[0] in ('typer', 'rich', 'click')))))\n"
            "sys.argv = ['clean']\nfrom cleaner.cli.app import main\nmain()\n")
    r = subprocess.run([sys.executable, "-c", code], input=b"Kiev said\n", capture_output=True, timeout=120,
                       cwd=ROOT / "fixtures")
    assert r.returncode == 0 and r.stdout == b"Kyiv said\n"
    assert r.stderr.decode().strip() == "[]"


def test_report_totals_unchanged_by_statistics(tmp_path: Path) -> None:
    cfg = str(write_config(tmp_path))
    (tmp_path / "a.txt").write_bytes(b"teh\n")
    report = tmp_path / "r.json"
    r = invoke(["--config", cfg, "--statistics", "--report", str(report), str(tmp_path / "a.txt")])
    assert r.exit_code == 0
    assert json.loads(report.read_text())["totals"]["edits"] == 1
