"""Reliability: bad inputs are reported once and passed through, nothing is lost, writes are atomic.

Most tests run the real command in a child process (``run_clean``); the kill test SIGKILLs it mid-run.
"""

from __future__ import annotations

import codecs
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

from cleaner.cli.formats.splitting import SPLIT_BYTES


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
    r = run_clean(["--config", cfg, "-v", str(src)])
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
                   str(tmp_path / "boom.txt"), str(tmp_path / "good.txt"), "-o", str(out), "-v"])
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
    leftovers = [p.name for p in (tmp_path / "data").iterdir() if p.suffix == ".tmp"]
    assert leftovers == []  # the killed runs' temp files were removed by the last run


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
    assert r.stderr == b""  # the summary line only with -v or on a terminal


# ------------------------------------------------------------------------------------------------ encodings


def test_in_place_keeps_encoding_byte_order_bom_and_stray_bytes(cfg: str, tmp_path: Path) -> None:
    text = "teh café “quoted”\r\nline two\r\n"
    files = {
        "stray.txt": "teh “café” and ".encode() + b"caf\xe9 teh\n",  # UTF-8 with one bad byte
        "le.txt": text.encode("utf-16-le"),  # no BOM
        "be.txt": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        "u32.txt": codecs.BOM_UTF32_LE + text.encode("utf-32-le"),
        "cp.txt": "teh café naïve à la crème brûlée, déjà vu\n".encode("cp1252"),
    }
    for name, raw in files.items():
        (tmp_path / name).write_bytes(raw)
    r = run_clean(["--config", cfg, "-i", *(str(tmp_path / n) for n in files)])
    assert r.returncode == 0, r.stderr
    for name, raw in files.items():
        got = (tmp_path / name).read_bytes()
        enc = {"le.txt": "utf-16-le", "be.txt": "utf-16-be", "u32.txt": "utf-32-le"}.get(name, "latin-1")
        assert got == raw.replace("teh".encode(enc), "the".encode(enc)), name
    err = r.stderr.decode()
    assert "stray.txt: 1 byte(s) not valid UTF-8 (first at byte 23), kept as they are" in err
    assert "cp.txt: decoded as cp1252" in err


def test_undecodable_or_non_round_trip_encoding_leaves_the_file(cfg: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"teh &amp; \xe9t\xe9\n")
    r = run_clean(["--config", cfg, "--encoding", "ascii", "-i", str(tmp_path / "a.txt")])
    assert r.returncode == 2 and b"not valid ascii" in r.stderr
    assert (tmp_path / "a.txt").read_bytes() == b"teh &amp; \xe9t\xe9\n"
    (tmp_path / "b.txt").write_bytes(b"teh +AGE-\n")  # UTF-7 for "a": would be written back as "a"
    r = run_clean(["--config", cfg, "--encoding", "utf-7", "-i", str(tmp_path / "b.txt")])
    assert r.returncode == 2
    assert f"{tmp_path / 'b.txt'}: utf-7 does not give the same bytes back".encode() in r.stderr
    assert (tmp_path / "b.txt").read_bytes() == b"teh +AGE-\n"


# ------------------------------------------------------------------------------------------------ exit codes


def test_unwritable_outputs_fail_up_front_with_one_message(cfg: str, tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_bytes(b"teh\n")
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    out = tmp_path / "out.txt"
    cases = [
        (["-o", str(out), "--report", str(blocker / "r.json")], "--report"),
        (["-o", str(out), "--review", str(tmp_path)], "--review"),
        (["-o", str(out), "--review", str(blocker / "r.html")], "--review"),
        ([str(src), "-o", str(blocker / "dir") + "/"], "output directory"),
    ]
    for extra, what in cases:
        r = run_clean(["--config", cfg, str(src), *extra])
        err = r.stderr.decode()
        assert r.returncode == 2, (extra, err)
        assert err.count("\n") == 1 and err.startswith("clean: ") and what in err, err
        assert "Traceback" not in err
        assert not out.exists()  # nothing was processed


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_full_disk_on_stdout_exits_2(cfg: str, tmp_path: Path, unbuffered: str) -> None:
    src = tmp_path / "big.txt"
    src.write_bytes(b"teh line\n" * 20000)
    env = {**os.environ, "PYTHONUNBUFFERED": unbuffered} if unbuffered else None
    with open("/dev/full", "wb") as full:
        r = subprocess.run([sys.executable, "-c", BOOT, "--config", cfg, str(src)], stdout=full,
                           stderr=subprocess.PIPE, timeout=120, env=env)
    err = r.stderr.decode()
    assert r.returncode == 2, err
    assert "clean: standard output: cannot write: No space left on device" in err
    assert err.count("\n") == 1 and "Exception ignored" not in err


def test_broken_pipe_is_quiet(cfg: str, tmp_path: Path) -> None:
    src = tmp_path / "big.txt"
    src.write_bytes(b"teh line\n" * 200000)
    proc = subprocess.Popen([sys.executable, "-c", BOOT, "--config", cfg, str(src)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 141
    assert b"Traceback" not in err and b"Exception" not in err


def test_lone_surrogate_in_jsonl_with_report_and_output(cfg: str, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"text": "teh \\ud800 x"}\n{"text": "teh \xc3\xa9 \\udc80"}\n')
    report, out = tmp_path / "r.json", tmp_path / "out.jsonl"
    r = run_clean(["--config", cfg, str(src), "--report", str(report), "-o", str(out), "--review",
                   str(tmp_path / "r.html")])
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == b'{"text": "the \\ud800 x"}\n{"text": "the \xc3\xa9 \\udc80"}\n'
    assert json.loads(report.read_text())["totals"]["edits"] == 2


def test_failing_run_leaves_no_half_written_report(cfg: str, tmp_path: Path) -> None:
    """An output error stops the run: the report is not written (an old one stays), exit 2."""
    from cleaner import Cleaner, Config
    from cleaner.cli.runner import Runner, RunOptions

    src = tmp_path / "a.txt"
    src.write_bytes(b"teh\n")
    report = tmp_path / "r.json"
    report.write_text("old")

    class Full:
        def write(self, b: bytes) -> int:
            raise OSError(28, "No space left on device")

        def flush(self) -> None:
            pass

    import io

    err = io.StringIO()
    code = Runner(Cleaner(Config(stages=["fixtest"])), RunOptions(paths=[str(src)], report=str(report), jobs=1),
                  stdout=Full(), stderr=err).main()
    assert code == 2 and err.getvalue() == "clean: standard output: cannot write: No space left on device\n"
    assert report.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_binary_input_is_copied_and_said(cfg: str, tmp_path: Path) -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00teh\x00"
    r = run_clean(["--config", cfg], stdin=data)
    assert r.returncode == 0 and r.stdout == data
    assert b"<stdin>: binary file (NUL bytes): not cleaned, copied unchanged" in r.stderr
    (tmp_path / "b.txt").write_bytes(data)
    r = run_clean(["--config", cfg, str(tmp_path / "b.txt"), "-o", str(tmp_path / "o.txt")])
    assert r.returncode == 0 and (tmp_path / "o.txt").read_bytes() == data
    assert b"binary file (NUL bytes): not cleaned, copied unchanged" in r.stderr


# ------------------------------------------------------------------------------------------------ large files


def test_large_text_file_is_cut_into_pieces_and_joined_byte_identically(cfg: str, tmp_path: Path) -> None:
    rng = random.Random(3)
    paras = [" ".join(rng.choice(["teh", "word", "café", "x"]) for _ in range(rng.randint(5, 80)))
             for _ in range(3000)]
    text = "\r\n\r\n".join(paras) + "\r\n"
    assert len(text.encode()) > 2 * SPLIT_BYTES  # utf-16: twice that
    for name, enc in (("big.txt", "utf-8"), ("big16.txt", "utf-16")):
        (tmp_path / name).write_bytes(text.encode(enc))
        r = run_clean(["--config", cfg, "-v", "--jobs", "2", str(tmp_path / name), "-o", str(tmp_path / f"{name}.out"),
                       "--report", str(tmp_path / "r.json")])
        assert r.returncode == 0, r.stderr
        assert (tmp_path / f"{name}.out").read_bytes() == text.replace("teh", "the").encode(enc)
        assert b"cleaned 1 file(s)" in r.stderr and b"in 1 changed" in r.stderr
        names = [d["name"] for d in json.loads((tmp_path / "r.json").read_text())["documents"]]
        assert len(names) > 4 and names[0] == f"{tmp_path / name}:1"
    stdin = text.encode()
    r = run_clean(["--config", cfg, "-q"], stdin=stdin)
    assert r.stdout == text.replace("teh", "the").encode()


def test_over_long_line_passes_through_unchanged(cfg: str, tmp_path: Path) -> None:
    from cleaner.cli.formats.splitting import MAX_LINE_BYTES

    raw = b"teh\n\n" + b"teh " * (MAX_LINE_BYTES // 4 + 1000) + b"\nteh\n"
    (tmp_path / "long.txt").write_bytes(raw)
    r = run_clean(["--config", cfg, "-v", "-i", str(tmp_path / "long.txt")])
    assert r.returncode == 0, r.stderr
    got = (tmp_path / "long.txt").read_bytes()
    assert got == b"the\n\n" + raw[5:-4] + b"the\n"
    err = r.stderr.decode()
    assert "long.txt:3: a line longer than 8 MB: not cleaned, passed through unchanged" in err
    assert "1 skipped" in err


# ------------------------------------------------------------------------------------------------ workers, temp files


def _children(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(entry.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for i in range(200):
        (data / f"f{i:03d}.txt").write_text("The Kiev mayor met officials in Kharkov on Tuesday.\n" * 1000)
    proc = subprocess.Popen([sys.executable, "-c", BOOT, "--jobs", "2", "-i", str(data)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
            time.sleep(0.05)
            workers = _children(proc.pid)
        assert len(workers) >= 2, "the pool never started"
        proc.kill()  # SIGKILL to the main process only
        proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.05)
        assert not any(_alive(w) for w in workers), "workers outlived their parent"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_next_run_removes_temp_files_a_killed_run_left(cfg: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"teh\n")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    leftover = tmp_path / f".a.txt.{dead.pid}.k3j4h5g6.tmp"
    other = tmp_path / ".a.txt.notours"
    for p in (leftover, other):
        p.write_bytes(b"half")
        os.utime(p, (time.time() - 5, time.time() - 5))
    r = run_clean(["--config", cfg, "-i", str(tmp_path / "a.txt")])
    assert r.returncode == 0, r.stderr
    assert not leftover.exists() and other.exists()
    assert (tmp_path / "a.txt").read_bytes() == b"the\n"


# ------------------------------------------------------------------------------------------------ symlinks


def test_symlinks_leading_outside_the_tree_are_skipped(cfg: str, tmp_path: Path) -> None:
    tree, outside = tmp_path / "tree", tmp_path / "outside"
    tree.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"teh secret\n")
    (tree / "a.txt").write_bytes(b"teh\n")
    (tree / "link.txt").symlink_to(outside / "secret.txt")
    r = run_clean(["--config", cfg, "-v", "-i", str(tree)])
    assert r.returncode == 0, r.stderr
    assert (outside / "secret.txt").read_bytes() == b"teh secret\n"
    assert (tree / "a.txt").read_bytes() == b"the\n"
    assert f"link.txt: symlink to {outside / 'secret.txt'}, outside {tree}: skipped".encode() in r.stderr
    assert b"1 skipped" in r.stderr
    r = run_clean(["--config", cfg, "-i", "--follow-symlinks", str(tree)])
    assert r.returncode == 0, r.stderr
    assert (outside / "secret.txt").read_bytes() == b"the secret\n"
    assert (tree / "link.txt").is_symlink()  # written through the link, not replacing it


def test_internal_error_is_one_line_exit_2_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from cleaner import Cleaner, Config
    from cleaner.cli.reporting import JsonReport
    from cleaner.cli.runner import Runner, RunOptions

    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"text": "teh"}\n' * 3)
    out, report = tmp_path / "out.jsonl", tmp_path / "r.json"

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(JsonReport, "add", boom)  # a bug in the accounting of the first record
    err = io.StringIO()
    code = Runner(Cleaner(Config(stages=["fixtest"])), RunOptions(paths=[str(src)], output=str(out), jobs=1,
                                                                     report=str(report)), stderr=err).main()
    assert code == 2
    assert err.getvalue() == f"clean: internal error while processing {src}:1: RuntimeError: bug\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]  # no output, no report, no temp file
