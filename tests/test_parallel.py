"""--jobs N gives byte-identical output to --jobs 1, in input order, with bounded work in flight."""

from __future__ import annotations

import os
from pathlib import Path

import test_cli_support  # noqa: F401  (registers the fixtest stage)
from test_cli_support import run_clean, write_config

from cleaner import Cleaner, Config
from cleaner.core.parallel import OrderedPool, chunked


def _upper_chunk(cleaner: Cleaner, chunk: list[str]) -> list[str]:
    return [cleaner.clean(t).text for t in chunk]


def test_ordered_pool_keeps_order_and_bounds_inflight() -> None:
    cleaner = Cleaner(Config(stages=("fixtest",)))
    produced = 0

    def chunks():
        nonlocal produced
        for i in range(60):
            produced += 1
            yield [f"teh {i}"] * 3

    out = []
    with OrderedPool(cleaner, jobs=2, inflight=4) as pool:
        for res in pool.map(_upper_chunk, chunks()):
            out.append(res)
            assert produced - len(out) <= 4  # never more than `inflight` chunks read ahead
    assert out == [[f"the {i}"] * 3 for i in range(60)]


def _pid_chunk(cleaner: Cleaner, chunk: list[str]) -> int:
    return os.getpid()


def test_single_chunk_runs_in_process() -> None:
    """A small input never pays for starting workers; a longer one is spread over them (the first chunk
    runs here, before the workers start, so they inherit what it loaded)."""
    with OrderedPool(Cleaner(Config(stages=("fixtest",))), jobs=2) as pool:
        assert list(pool.map(_upper_chunk, [["teh"]])) == [["the"]]
        assert list(pool.map(_pid_chunk, [["x"]])) == [os.getpid()]
        pids = list(pool.map(_pid_chunk, [["x"]] * 8))
        assert pids[0] == os.getpid() and os.getpid() not in pids[1:]


def test_chunked() -> None:
    assert list(chunked(range(7), 3, 10**9, lambda x: 1)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(chunked(["aa", "bb", "c"], 10, 4, len)) == [["aa", "bb"], ["c"]]


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_thousand_files_jobs2_equals_jobs1(tmp_path: Path) -> None:
    cfg = str(write_config(tmp_path))
    src = tmp_path / "src"
    for i in range(1000):
        d = src / f"d{i % 7}"
        d.mkdir(parents=True, exist_ok=True)
        body = f"teh file {i} &amp; more\r\n" if i % 3 else f"clean file {i}\n"
        (d / f"f{i:04d}.txt").write_bytes(body.encode() * (1 + i % 5))
    (src / "d0" / "bad.txt").write_bytes(b"BOOM teh\n")
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        r = run_clean(["--config", cfg, "--jobs", jobs, str(src), "-o", str(out)])
        assert r.returncode == 2  # bad.txt's stage error
        stdout = run_clean(["--config", cfg, "--jobs", jobs, str(src), "-q"]).stdout
        runs[jobs] = (_tree(out), stdout)
    assert len(runs["1"][0]) == 1001
    assert runs["1"] == runs["2"]
    assert runs["1"][0]["d1/f0001.txt"] == b"the file 1 & more\r\n" * 2


def test_jsonl_jobs2_equals_jobs1(tmp_path: Path) -> None:
    cfg = str(write_config(tmp_path))
    src = tmp_path / "big.jsonl"
    with src.open("wb") as fh:
        for i in range(20000):
            fh.write(b'{"id": %d, "text": "teh record %d"}\n' % (i, i) if i % 101 else b"{broken\n")
    outs = [run_clean(["--config", cfg, "--jobs", j, str(src), "-q"]) for j in ("1", "2")]
    assert outs[0].stdout == outs[1].stdout
    lines = outs[1].stdout.splitlines()
    assert len(lines) == 20000
    assert lines[1] == b'{"id": 1, "text": "the record 1"}' and lines[101] == b"{broken"
