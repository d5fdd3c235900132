"""The ``clean`` command through typer's CliRunner (in process), with the stable ``fixtest`` stage."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
import test_cli_support  # noqa: F401  (registers the fixtest stage)
from test_cli_support import run_clean, write_config
from typer.testing import CliRunner

from cleaner.cli.app import app


@pytest.fixture()
def cfg(tmp_path: Path) -> str:
    return str(write_config(tmp_path))


def invoke(args: list[str], input: bytes | None = None):
    return CliRunner().invoke(app, args, input=input, catch_exceptions=False)


def test_stdin_to_stdout(cfg: str) -> None:
    r = invoke(["--config", cfg], input=b"teh cat &amp; dog\n")
    assert r.exit_code == 0
    assert r.stdout_bytes == b"the cat & dog\n"
    assert r.stderr == ""  # not a terminal: no summary line unless -v
    r = invoke(["--config", cfg, "-v"], input=b"teh cat &amp; dog\n")
    assert "1 file(s), 2 edit(s)" in r.stderr


def test_files_to_stdout_in_order(cfg: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"A teh\n")
    (tmp_path / "b.txt").write_bytes(b"B fine\n")
    r = invoke(["--config", cfg, str(tmp_path / "b.txt"), str(tmp_path / "a.txt")])
    assert r.exit_code == 0
    assert r.stdout_bytes == b"B fine\nA the\n"


def test_output_file(cfg: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"teh\n")
    r = invoke(["--config", cfg, str(tmp_path / "a.txt"), "-o", str(tmp_path / "out.txt")])
    assert r.exit_code == 0 and r.stdout_bytes == b""
    assert (tmp_path / "out.txt").read_bytes() == b"the\n"


def test_output_dir_mirrors_tree_and_glob(cfg: str, tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "sub" / "deep").mkdir(parents=True)
    (src / "top.txt").write_bytes(b"teh top\n")
    (src / "sub" / "deep" / "x.txt").write_bytes(b"teh deep\n")
    (src / "sub" / "notes.md").write_bytes(b"teh md\n")
    out = tmp_path / "out"
    r = invoke(["--config", cfg, str(src), "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    assert (out / "top.txt").read_bytes() == b"the top\n"
    assert (out / "sub" / "deep" / "x.txt").read_bytes() == b"the deep\n"
    assert not (out / "sub" / "notes.md").exists()
    r = invoke(["--config", cfg, str(src), "-o", str(tmp_path / "md"), "--glob", "*.md"])
    assert r.exit_code == 0
    assert (tmp_path / "md" / "sub" / "notes.md").read_bytes() == b"the md\n"
    assert not (tmp_path / "md" / "top.txt").exists()


def test_in_place_keeps_permissions_and_skips_unchanged(cfg: str, tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(b"teh\n")
    b.write_bytes(b"fine\n")
    os.chmod(a, 0o640)
    inode_b = b.stat().st_ino
    r = invoke(["--config", cfg, "--in-place", str(a), str(b)])
    assert r.exit_code == 0 and r.stdout_bytes == b""
    assert a.read_bytes() == b"the\n"
    assert stat.S_IMODE(a.stat().st_mode) == 0o640
    assert b.stat().st_ino == inode_b  # untouched, not rewritten
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_in_place_refuses_stdin(cfg: str) -> None:
    r = invoke(["--config", cfg, "--in-place", "-"], input=b"teh")
    assert r.exit_code == 2
    assert "standard input" in r.stderr


def test_check_exit_codes_and_writes_nothing(cfg: str, tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_bytes(b"teh\n")
    r = invoke(["--config", cfg, "--check", str(a)])
    assert r.exit_code == 1
    assert f"would change: {a}" in r.stdout
    assert a.read_bytes() == b"teh\n"
    a.write_bytes(b"the\n")
    assert invoke(["--config", cfg, "--check", str(a)]).exit_code == 0


def test_diff(cfg: str, tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_bytes(b"one\nteh two\n")
    r = invoke(["--config", cfg, "--diff", str(a)])
    assert r.exit_code == 0
    assert "-teh two\n+the two\n" in r.stdout
    assert r.stdout.startswith(f"--- a/{a}\n+++ b/{a}\n")


def test_explain_lists_edits_and_suggestions(cfg: str) -> None:
    r = invoke(["--config", cfg, "--explain"], input=b"first line\nsay teh colour\n")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert any(line.startswith("<stdin>:2:5") and "teh -> the" in line and "fixtest" in line and "0.95" in line
               for line in lines)
    assert any("<stdin>:2:9" in line and "colour -> color" in line and "suggestion" in line for line in lines)


def test_report_json(cfg: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"teh colour\n")
    (tmp_path / "b.txt").write_bytes(b"clean\n")
    report = tmp_path / "report.json"
    r = invoke(["--config", cfg, "--report", str(report), "-o", str(tmp_path / "out"),
                str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), str(tmp_path / "missing.txt")])
    assert r.exit_code == 2
    data = json.loads(report.read_text())
    docs = {Path(d["name"]).name: d for d in data["documents"]}
    assert set(docs) == {"a.txt", "missing.txt"}
    assert docs["a.txt"]["edits"][0]["replacement"] == "the"
    assert docs["a.txt"]["suggestions"][0]["replacement"] == "color"
    assert docs["missing.txt"]["errors"]
    assert data["totals"]["files"] == 2 and data["totals"]["failed"] == 1 and data["totals"]["edits"] == 1


def test_jsonl_edits_field(cfg: str, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"id": 7, "text": "teh", "n": 1e5}\n')
    r = invoke(["--config", cfg, str(src), "--edits-field", "edits"])
    assert r.exit_code == 0
    line = r.stdout_bytes.decode()
    assert line.startswith('{"id": 7, "text": "the", "n": 1e5, "edits": [')
    rec = json.loads(line)
    assert rec["edits"][0]["before"] == "teh" and rec["edits"][0]["stage"] == "fixtest"


def test_jsonl_flag_on_stdin_and_other_field(cfg: str) -> None:
    r = invoke(["--config", cfg, "--jsonl", "--field", "body"], input=b'{"body":"teh","text":"teh"}\n')
    assert r.exit_code == 0
    assert r.stdout_bytes == b'{"body":"the","text":"teh"}\n'


def test_enable_disable_and_min_confidence(cfg: str) -> None:
    assert invoke(["--config", cfg, "--disable", "fixtest"], input=b"teh").stdout_bytes == b"teh"
    r = invoke(["--no-config", "--disable", "markup", "--disable", "unicode", "--disable", "spacing", "--disable",
                "entities", "--disable", "phrases", "--disable", "spelling", "--enable", "fixtest"], input=b"teh")
    assert r.stdout_bytes == b"the"
    assert invoke(["--config", cfg, "--min-confidence", "0.4"], input=b"colour").stdout_bytes == b"color"


def test_bad_config_and_unknown_stage(tmp_path: Path) -> None:
    bad = tmp_path / "cleaner.toml"
    bad.write_text("min_confidence = 7\n")
    r = invoke(["--config", str(bad)], input=b"x")
    assert r.exit_code == 2
    assert str(bad) in r.stderr and "min_confidence" in r.stderr
    r = invoke(["--no-config", "--enable", "nosuchstage"], input=b"x")
    assert r.exit_code == 2 and "nosuchstage" in r.stderr


def test_discovers_cleaner_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert invoke([], input=b"teh").stdout_bytes == b"the"


def test_version() -> None:
    r = invoke(["--version"])
    assert r.exit_code == 0 and r.stdout.startswith("clean (cleaner) ")


def test_review_page_gets_every_document(cfg: str, tmp_path: Path) -> None:
    """--review next to -o: the page lists the cleaned document, the failed input and the run's totals."""
    (tmp_path / "a.txt").write_bytes(b"teh")
    out = tmp_path / "review.html"
    r = invoke(["--config", cfg, "--review", str(out), "-o", str(tmp_path / "o"), str(tmp_path / "a.txt"),
                str(tmp_path / "nope.txt")])
    assert r.exit_code == 2
    assert (tmp_path / "o" / "a.txt").read_bytes() == b"the"
    html = out.read_text(encoding="utf-8")
    assert "<title>Cleaner review: 1 documents, 1 edits</title>" in html
    assert html.count(f"{tmp_path / 'a.txt'}") >= 1 and "teh" in html
    assert f"{tmp_path / 'nope.txt'}" in html and "no such file or directory" in html
    assert '<div class="card"><b>1</b><span>errors' in html


def test_parquet_round_trip(cfg: str, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table({"id": list(range(5000)), "text": ["teh cat" if i % 2 else None for i in range(5000)],
                      "meta": ["keep"] * 5000})
    src = tmp_path / "in.parquet"
    pq.write_table(table, src, row_group_size=1000)
    out = tmp_path / "out.parquet"
    r = invoke(["--config", cfg, str(src), "-o", str(out), "--edits-field", "edits", "--jobs", "2", "-v"])
    assert r.exit_code == 0, r.stderr
    got = pq.read_table(out)
    assert got.column_names == ["id", "text", "meta", "edits"]
    assert got.column("id").to_pylist() == list(range(5000))
    assert got.column("text").to_pylist() == ["the cat" if i % 2 else None for i in range(5000)]
    assert got.column("meta").to_pylist() == ["keep"] * 5000
    assert json.loads(got.column("edits")[1].as_py())[0]["replacement"] == "the"
    assert got.column("edits")[0].as_py() is None
    assert "5000 record(s)" in r.stderr and "2500 skipped" in r.stderr


def test_parquet_missing_column(cfg: str, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.table({"body": ["x"]}), tmp_path / "in.parquet")
    r = invoke(["--config", cfg, str(tmp_path / "in.parquet"), "-o", str(tmp_path / "o.parquet")])
    assert r.exit_code == 2
    assert "no column 'text'" in r.stderr and "body" in r.stderr


def test_parquet_inputs_that_cannot_be_cleaned(cfg: str, tmp_path: Path) -> None:
    """Not Parquet, a non-string column, no output file: each reported, exit 2, the file copied unchanged
    into an output directory; an existing edits column is replaced, keeping its place."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    src = tmp_path / "in"
    src.mkdir()
    (src / "bad.parquet").write_bytes(b"not parquet at all")
    pq.write_table(pa.table({"text": [1, 2]}), src / "ints.parquet")
    pq.write_table(pa.table({"edits": ["old"], "text": ["teh"]}), src / "ok.parquet")
    r = invoke(["--config", cfg, "--glob", "*.parquet", "--edits-field", "edits", "-o", str(tmp_path / "out"),
                str(src)])
    assert r.exit_code == 2
    assert f"clean: {src / 'bad.parquet'}: " in r.stderr
    assert f"clean: {src / 'ints.parquet'}: column 'text' is int64, not a string column" in r.stderr
    assert (tmp_path / "out" / "bad.parquet").read_bytes() == b"not parquet at all"
    assert (tmp_path / "out" / "ints.parquet").read_bytes() == (src / "ints.parquet").read_bytes()
    got = pq.read_table(tmp_path / "out" / "ok.parquet")
    assert got.column_names == ["edits", "text"] and got.column("text").to_pylist() == ["the"]
    assert json.loads(got.column("edits")[0].as_py())[0]["before"] == "teh"
    r = invoke(["--config", cfg, str(src / "ok.parquet")])
    assert r.exit_code == 2 and "Parquet output needs -o/--output or --in-place" in r.stderr and r.stdout == ""


def test_progress_bar_when_forced(cfg: str, tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"{i}.txt").write_bytes(b"teh\n")
    files = [str(tmp_path / f"{i}.txt") for i in range(3)]
    r = invoke(["--config", cfg, "--progress", "-o", str(tmp_path / "out"), *files])
    assert r.exit_code == 0
    assert "100%" in r.stderr and "3/3 files" in r.stderr and "records" not in r.stderr
    r = invoke(["--config", cfg, "-o", str(tmp_path / "out2"), str(tmp_path / "0.txt")])
    assert "%" not in r.stderr  # not a terminal: no progress


def test_check_names_a_large_file_once(cfg: str, tmp_path: Path) -> None:
    from cleaner.cli.formats.splitting import SPLIT_BYTES

    big = tmp_path / "big.txt"
    big.write_bytes(b"teh paragraph of words\n\n" * (2 * SPLIT_BYTES // 24))
    r = run_clean(["--config", cfg, "--check", str(big)])
    assert r.returncode == 1
    assert r.stdout == f"would change: {big}\n".encode()
    assert big.read_bytes().startswith(b"teh")


def test_follow_symlinks_option_is_listed() -> None:
    r = run_clean(["--help"])
    assert r.returncode == 0 and b"--follow-symlinks" in r.stdout
