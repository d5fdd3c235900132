"""Reliability: bad inputs are reported once and passed through, nothing is lost, writes are atomic.

Most tests run the real command in a child process (``run_clean``); the kill test SIGKILLs it mid-run.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_cli_support import BOOT, run_clean, write_config


@pytest.fixture()
def cfg(tmp_path: Path) -> str:
    return str(write_config(tmp_path))


def test_entry_points_start() -> None:
    script = Path(sys.executable).parent / "clean"
    for cmd in ([str(script), "--version"], [sys.executable, "-m", "cleaner", "--version"]):
        if not Path(cmd[0]).exists():
            continue
        r = subprocess.run(cmd, capture_output=True, timeout=60)
        assert r.returncode == 0 and r.stdout.startswith(b"clean (cleaner) ")


def test_stdin_crlf_and_bom_preserved(cfg: str) -> None:
    r = run_clean(["--config", cfg], stdin=b"\xef\xbb\xbfteh one\r\nteh two\r\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"\xef\xbb\xbfthe one\r\nthe two\r\n"


def test_jsonl_bad_lines_pass_through_in_order(cfg: str, tmp_path: Path) -> None:
    lines = [
        b'{"id": 1, "text": "teh one"}\n',
        b"{not json\n",
        b'{"id": 3, "body": "teh"}\n',
        b'{"id": 4, "text": 42}\r\n',
        b"\n",
        b'{"id": 6, "text": "caf\xe9"}\n',  # not UTF-8
        b'{"id": 7, "text": "BOOM teh"}\n',  # the stage raises
        b'{"id": 8, "text": null}\n',
        b'{"id": 9, "text": "teh nine"}\r\n',
        b'["list"]',
    ]
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"".join(lines))
    r = run_clean(["--config", cfg, str(src)])
    assert r.returncode == 2
    out = r.stdout.splitlines(keepends=True)
    assert len(out) == len(lines)
    expected = list(lines)
    expected[0] = b'{"id": 1, "text": "the one"}\n'
    expected[8] = b'{"id": 9, "text": "the nine"}\r\n'
    assert out == expected
    err = r.stderr.decode()
    for where, what in [(2, "invalid JSON"), (3, "no field 'text'"), (4, "is int, not a string"), (6, "not UTF-8"),
                        (7, "boom"), (10, "not a JSON object")]:
        assert sum(f"{src}:{where}:" in line for line in err.splitlines()) == 1, (where, err)
        assert what in err
    assert "9 record(s)" in err and "5 failed" in err and "1 stage error" in err


def test_other_inputs_processed_when_some_fail(cfg: str, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_bytes(b"teh good\n")
    (tmp_path / "bin.txt").write_bytes(b"teh\x00\x01\x02")
    (tmp_path / "boom.txt").write_bytes(b"BOOM teh\n")
    (tmp_path / "empty").mkdir()
    out = tmp_path / "out"
    r = run_clean(["--config", cfg, str(tmp_path / "missing.txt"), str(tmp_path / "empty"), str(tmp_path / "bin.txt"),
                   str(tmp_path / "boom.txt"), str(tmp_path / "good.txt"), "-o", str(out)])
    err = r.stderr.decode()
    assert r.returncode == 2
    assert (out / "good.txt").read_bytes() == b"the good\n"
    assert (out / "boom.txt").read_bytes() == b"BOOM teh\n"  # stage failed: unchanged, not lost
    assert (out / "bin.txt").read_bytes() == b"teh\x00\x01\x02"  # skipped: copied as-is
    assert "missing.txt: no such file" in err and "no files matching *.txt" in err
    assert "binary file (NUL bytes): not cleaned, copied unchanged" in err and "boom" in err
    assert "1 skipped" in err


def test_encodings(cfg: str, tmp_path: Path) -> None:
    text = "teh café naïve à la crème brûlée, déjà vu\r\n"
    (tmp_path / "a.txt").write_bytes(text.encode("cp1252"))
    r = run_clean(["--config", cfg, str(tmp_path / "a.txt")])
    assert r.returncode == 0
    assert r.stdout == text.replace("teh", "the").encode("cp1252")  # the output encoding is the input's
    assert b"decoded as cp1252" in r.stderr
    r = run_clean(["--config", cfg, "--encoding", "utf-8", str(tmp_path / "a.txt")])
    assert r.returncode == 2 and b"not valid utf-8" in r.stderr
    r = run_clean(["--config", cfg, "--encoding", "latin-1", str(tmp_path / "a.txt")])
    assert r.returncode == 0 and r.stdout == text.replace("teh", "the").encode("latin-1")
    assert b"decoded as" not in r.stderr


def test_output_never_escapes_the_output_dir(cfg: str, tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "a.txt").write_bytes(b"teh\n")
    (src / "b.txt").write_bytes(b"teh\n")
    out, outside = tmp_path / "out", tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    (out / "sub").symlink_to(outside, target_is_directory=True)
    r = run_clean(["--config", cfg, str(src), "-o", str(out)])
    assert r.returncode == 2
    assert list(outside.iterdir()) == []
    assert (out / "b.txt").read_bytes() == b"the\n"
    assert b"outside" in r.stderr


def test_report_counts_failures(cfg: str, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"text": "teh"}\n{bad\n')
    report = tmp_path / "r.json"
    r = run_clean(["--config", cfg, str(src), "--report", str(report), "-o", str(tmp_path / "out.jsonl")])
    assert r.returncode == 2
    data = json.loads(report.read_text())
    assert data["totals"]["records"] == 2 and data["totals"]["failed"] == 1
    assert [d["name"] for d in data["documents"]] == [f"{src}:1", f"{src}:2"]
    assert (tmp_path / "out.jsonl").read_bytes() == b'{"text": "the"}\n{bad\n'


# ------------------------------------------------------------------------------------------------ kill test

LINE = "The quick brown fox jumps over the lazy dog, again and again.\n"


def _make_files(folder: Path, n: int, repeat: int) -> dict[Path, tuple[bytes, bytes]]:
    folder.mkdir()
    files = {}
    for i in range(n):
        old = (f"teh file {i}\n" + LINE * repeat).encode()
        p = folder / f"f{i:04d}.txt"
        p.write_bytes(old)
        files[p] = (old, old.replace(b"teh", b"the"))
    return files


def _kill_rounds(tmp_path: Path, n_files: int, repeat: int, rounds: int, seed: int) -> None:
    cfg = write_config(tmp_path)
    files = _make_files(tmp_path / "data", n_files, repeat)
    rng = random.Random(seed)
    for _ in range(rounds):
        proc = subprocess.Popen([sys.executable, "-c", BOOT, "--config", str(cfg), "--in-place", "--jobs", "2",
                                 str(tmp_path / "data")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        time.sleep(rng.uniform(0.2, 1.2))
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)
        for p, (old, new) in files.items():
            assert p.read_bytes() in (old, new), f"{p.name} is neither wholly old nor wholly new"
    r = run_clean(["--config", str(cfg), "--in-place", str(tmp_path / "data")])
    assert r.returncode == 0, r.stderr
    assert all(p.read_bytes() == new for p, (old, new) in files.items())
    leftovers = [p for p in (tmp_path / "data").iterdir() if p.suffix == ".tmp"]
    assert all(p.name.startswith(".") for p in leftovers)  # hidden temp files at worst, never a damaged file


def test_kill_during_in_place_rewrite(tmp_path: Path) -> None:
    _kill_rounds(tmp_path, n_files=200, repeat=200, rounds=3, seed=1)


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("CLEANER_SLOW"), reason="long test: set CLEANER_SLOW=1")
def test_kill_during_in_place_rewrite_long(tmp_path: Path) -> None:
    _kill_rounds(tmp_path, n_files=1000, repeat=300, rounds=25, seed=2)


def test_plain_clean_script_leaves_clean_prose_alone(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "clean"
    if not script.exists():
        pytest.skip("console script not installed")
    text = b"The committee met on Tuesday in London and agreed the budget.\n"
    r = subprocess.run([str(script)], input=text, capture_output=True, cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout == text
    assert b"clean: cleaned 1 file(s)" in r.stderr
