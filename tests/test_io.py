"""Unit tests for decoding, paths, atomic writes and JSONL splicing."""

from __future__ import annotations

import codecs
import json
import os
import stat
from pathlib import Path

import pytest

from cleaner.cli.formats.decoding import InputError, decode, is_binary
from cleaner.cli.formats.jsonl import RecordError, field_spans, parse_record, rewrite
from cleaner.cli.inputs import find_inputs
from cleaner.cli.outputs import safe_output_path
from cleaner.core.atomic import atomic_output, atomic_write


def test_decode_utf8_bom_and_utf16() -> None:
    d = decode("héllo\r\n".encode())
    assert (d.text, d.bom, d.detected) == ("héllo\r\n", b"", False)
    d = decode(codecs.BOM_UTF8 + b"hi")
    assert d.text == "hi" and d.encode("yo") == codecs.BOM_UTF8 + b"yo"
    raw = codecs.BOM_UTF16_LE + "Kyiv\n".encode("utf-16-le")
    d = decode(raw)
    assert d.text == "Kyiv\n" and d.encode(d.text) == raw
    assert not is_binary(raw)


def test_decode_detects_cp1252_and_reports_it() -> None:
    raw = "café naïve à la crème brûlée, déjà vu — “quoted”".encode("cp1252")
    d = decode(raw)
    assert d.text == raw.decode("cp1252")
    assert d.detected and "cp1252" in d.notice
    assert d.encode(d.text) == raw  # written back in the input's encoding


def test_decode_forced_encoding() -> None:
    assert decode(b"caf\xe9", "latin-1").text == "café"
    with pytest.raises(InputError, match="not valid utf-8"):
        decode(b"caf\xe9", "utf-8")
    with pytest.raises(InputError, match="unknown encoding"):
        decode(b"x", "no-such-codec")


def test_binary_sniff() -> None:
    assert is_binary(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert not is_binary(b"plain text")


def test_safe_output_path(tmp_path: Path) -> None:
    assert safe_output_path(tmp_path, "a/b.txt") == tmp_path / "a" / "b.txt"
    for bad in ("../x.txt", "a/../../x.txt", "/etc/passwd", ""):
        with pytest.raises(InputError):
            safe_output_path(tmp_path, bad)
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (tmp_path / "link").symlink_to(outside, target_is_directory=True)
    with pytest.raises(InputError, match="outside"):
        safe_output_path(tmp_path, "link/x.txt")


def test_atomic_write_keeps_mode_and_cleans_up_on_error(tmp_path: Path) -> None:
    f = tmp_path / "f.txt"
    f.write_bytes(b"old")
    os.chmod(f, 0o600)
    atomic_write(f, b"new")
    assert f.read_bytes() == b"new" and stat.S_IMODE(f.stat().st_mode) == 0o600
    with pytest.raises(RuntimeError):
        with atomic_output(f) as fh:
            fh.write(b"partial")
            raise RuntimeError("stop")
    assert f.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_find_inputs(tmp_path: Path) -> None:
    (tmp_path / "d" / "b").mkdir(parents=True)
    for rel in ("d/z.txt", "d/a.txt", "d/b/c.txt", "d/b/skip.md"):
        (tmp_path / rel).write_text("x")
    args = [str(tmp_path / "d"), str(tmp_path / "missing.txt"), str(tmp_path / "d" / "b" / "skip.md")]
    found = list(find_inputs(args, ["*.txt"]))
    assert [f.rel for f in found] == ["a.txt", "z.txt", "b/c.txt", "missing.txt", "skip.md"]
    assert found[3].error == "no such file or directory"
    (tmp_path / "empty").mkdir()
    [empty] = find_inputs([str(tmp_path / "empty")], ["*.txt"])
    assert "no files matching" in empty.error


def test_jsonl_rewrite_keeps_other_bytes() -> None:
    line = '{"id": 1, "n": 1e5, "text": "teh", "x": {"a": [1, 2.50]}}'
    assert rewrite(line, "text", "the") == '{"id": 1, "n": 1e5, "text": "the", "x": {"a": [1, 2.50]}}'
    compact = '{"text":"caf\\u00e9 teh","z":true}'
    assert rewrite(compact, "text", "café the") == '{"text":"caf\\u00e9 the","z":true}'
    assert rewrite('{"text": "é"}', "text", "è") == '{"text": "è"}'
    out = rewrite(compact, "text", None, ("edits", [{"a": 1}]))
    assert out == '{"text":"caf\\u00e9 teh","z":true,"edits":[{"a": 1}]}'
    assert json.loads(out)["edits"] == [{"a": 1}]
    assert rewrite('{"text": "a", "edits": 5}', "text", "b", ("edits", [])) == '{"text": "b", "edits": []}'
    assert rewrite('{ }', "text", None, ("e", 1)) == '{ "e":1}'


def test_jsonl_duplicate_keys_follow_json_loads() -> None:
    line = '{"text": "first", "text": "last"}'
    assert parse_record(line, "text")[1] == "last"
    assert rewrite(line, "text", "new") == '{"text": "first", "text": "new"}'
    spans, close = field_spans(line)
    assert line[close] == "}"


@pytest.mark.parametrize(("line", "reason"), [
    ("{bad", "invalid JSON"), ("[1, 2]", "not a JSON object"), ('{"id": 1}', "no field 'text'"),
    ('{"text": 5}', "is int, not a string"),
])
def test_jsonl_record_errors(line: str, reason: str) -> None:
    with pytest.raises(RecordError, match=reason):
        parse_record(line, "text")
    assert parse_record('{"text": null}', "text")[1] is None


# ------------------------------------------------------------------------- encodings: bytes come back as they were

TEXT = "The Kyiv mayor said “hello” to café owners.\r\n"


@pytest.mark.parametrize("raw", [
    TEXT.encode("utf-16-le"), TEXT.encode("utf-16-be"), codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), codecs.BOM_UTF32_BE + TEXT.encode("utf-32-be"),
    TEXT.encode("utf-32-le"), codecs.BOM_UTF8 + TEXT.encode(),
], ids=["utf16le-nobom", "utf16be-nobom", "utf16be-bom", "utf32le-bom", "utf32be-bom", "utf32le-nobom", "utf8-bom"])
def test_decode_keeps_encoding_byte_order_and_bom(raw: bytes) -> None:
    assert not is_binary(raw)
    d = decode(raw)
    assert d.text == TEXT and d.bad_bytes == 0
    assert d.encode(d.text) == raw
    assert d.encode(d.text.replace("mayor", "Mayor")) == raw.replace("mayor".encode(d.encoding),
                                                                        "Mayor".encode(d.encoding))


def test_decode_utf8_with_a_stray_byte_stays_utf8() -> None:
    raw = "Zelenskyy said “café” and ".encode() + b"caf\xe9 " + "naïve.\n".encode()
    d = decode(raw)
    assert d.encoding == "utf-8" and not d.detected
    assert (d.bad_bytes, d.first_bad) == (1, raw.index(b"\xe9 "))
    assert "1 byte(s) not valid UTF-8" in d.notice
    assert "\udce9" not in d.text and "\uf7e9" in d.text  # a private-use stand-in: no stage edits it
    assert d.encode(d.text) == raw
    assert d.encode(d.text.replace("said", "says")) == raw.replace(b"said", b"says")
    # mostly ASCII with one stray byte in a long text: still UTF-8, not a guessed code page
    long = b"plain words " * 2000 + b"caf\xe9\n"
    d = decode(long)
    assert d.encoding == "utf-8" and d.bad_bytes == 1 and d.encode(d.text) == long


def test_decode_forced_generic_utf16_and_round_trip_refusal() -> None:
    raw = TEXT.encode("utf-16-le")
    d = decode(raw, "utf-16")
    assert d.encoding == "utf-16-le" and d.encode(d.text) == raw
    d = decode(codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16")
    assert d.encoding == "utf-16-be" and d.bom == codecs.BOM_UTF16_BE
    with pytest.raises(InputError, match="same bytes back"):
        decode(b"+AGE-", "utf-7")  # decodes to "a", which utf-7 writes as "a"


def test_binary_is_not_mistaken_for_utf16() -> None:
    assert is_binary(b"teh\x00\x01\x02")
    assert is_binary(b"\x00\x00\x00\x01" * 100)


def test_pieces_join_byte_identical(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import random

    from cleaner.cli.formats import splitting

    for name, value in (("PIECE_BYTES", 100), ("HORIZON_BYTES", 400), ("MAX_LINE_BYTES", 1000), ("READ_BYTES", 64)):
        monkeypatch.setattr(splitting, name, value)
    rng = random.Random(7)
    for _ in range(500):
        codec = rng.choice(["utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "cp1252"])
        parts = [rng.choice(["\n\n", "\r\n\r\n", "\n", "x" * rng.randint(500, 2500), "word é " * rng.randint(1, 20)])
                 for _ in range(rng.randint(0, 30))]
        data = "".join(parts).encode(codec)
        stream = io.BytesIO(data)
        head = stream.read(rng.randint(0, 300) // 4 * 4)
        out = list(splitting.pieces(stream.read, codec, head))
        assert b"".join(p for p, _ in out) == data
        unit = len("\n".encode(codec))
        for piece, kind in out:
            assert len(piece) % unit == 0
            if kind == splitting.CLEAN:
                assert len(piece) <= 1000
                piece.decode(codec)
        assert all(p.endswith("\n".encode(codec)) for p, k in out[:-1] if k == splitting.CLEAN)  # whole lines
    text = ("para one\n\n" * 30).encode()  # 300 bytes of paragraphs: cut at the last blank line before 100
    assert [len(p) for p, _ in splitting.pieces(io.BytesIO(text).read, "utf-8")] == [100, 100, 100]


# ------------------------------------------------------------------------- outputs that fail loudly


class _Trickle:
    """A stream that writes at most 3 bytes per call, then (after ``limit`` bytes) nothing: a full disk."""

    def __init__(self, limit: int) -> None:
        self.data = bytearray()
        self.limit = limit

    def write(self, b: bytes) -> int:
        n = min(3, len(b), self.limit - len(self.data))
        self.data += bytes(b[:n])
        return n

    def flush(self) -> None:
        pass


def test_stdout_sink_finishes_short_writes_and_fails_when_stuck() -> None:
    from cleaner.cli.outputs import OutputError, StdoutSink

    ok = _Trickle(100)
    StdoutSink(ok).write(b"0123456789")
    assert bytes(ok.data) == b"0123456789"
    with pytest.raises(OutputError, match="standard output: cannot write: short write"):
        StdoutSink(_Trickle(5)).write(b"0123456789")


def test_stale_temp_files_of_dead_runs_are_removed(tmp_path: Path) -> None:
    import subprocess
    import sys

    from cleaner.core.atomic import RUN_START

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    old = RUN_START - 10
    names = {
        f".f.txt.{dead.pid}.abcdefgh.tmp": False,  # ours, writer dead: removed
        f".f.txt.{os.getpid()}.abcdefgh.tmp": True,  # a live writer (this process): kept
        ".f.txt.zyxwvuts.tmp": True,  # the older form, but not an hour old: kept
        f".g.txt.{dead.pid}.abcdefgh.tmp": True,  # another file's: removed only when g.txt is written
        ".f.txt.backup": True,  # not our pattern
    }
    for name in names:
        (tmp_path / name).write_bytes(b"x")
        os.utime(tmp_path / name, (old, old))
    atomic_write(tmp_path / "f.txt", b"new")
    left = {p.name for p in tmp_path.iterdir()}
    assert left == {"f.txt", *(n for n, keep in names.items() if keep)}


def test_find_inputs_skips_symlinks_leading_outside(tmp_path: Path) -> None:
    tree, outside = tmp_path / "tree", tmp_path / "outside"
    (tree / "sub").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.txt").write_text("x")
    (tree / "a.txt").write_text("x")
    (tree / "sub" / "in.txt").symlink_to(tree / "a.txt")
    (tree / "out.txt").symlink_to(outside / "secret.txt")
    (tree / "outdir").symlink_to(outside, target_is_directory=True)
    (tree / "loop").symlink_to(tree, target_is_directory=True)
    found = list(find_inputs([str(tree)], ["*.txt"]))
    assert [(f.rel, f.skip is not None) for f in found] == [("a.txt", False), ("out.txt", True), ("sub/in.txt", False)]
    assert "outside" in found[1].skip and "--follow-symlinks" in found[1].skip
    followed = list(find_inputs([str(tree)], ["*.txt"], follow_symlinks=True))
    assert sorted(f.rel for f in followed) == ["a.txt", "out.txt", "outdir/secret.txt", "sub/in.txt"]
    assert all(f.skip is None for f in followed)


def test_jsonl_rewrite_escapes_lone_surrogates() -> None:
    out = rewrite('{"text": "é \\ud800"}', "text", "è \ud800")
    assert out == '{"text": "è \\ud800"}'
    out.encode("utf-8")
    assert json.loads(out)["text"] == "è \ud800"


def test_cleaned_text_the_encoding_cannot_hold_leaves_the_document() -> None:
    from cleaner.cli.tasks import FAILED, clean_file
    from cleaner.core.pipeline import Result

    class Dash:
        def clean(self, text: str) -> Result:
            return Result(text, text.replace(" - ", " \u2014 "))

    data = "caf\xe9 - ok\n".encode("latin-1")
    o = clean_file(Dash(), "a.txt", None, data, "latin-1", False)
    assert o.status == FAILED and o.out == data and not o.rewritten and o.edits == 0
    assert o.message == "the cleaned text has U+2014 which iso8859-1 cannot hold; left unchanged"


def test_pieces_are_named_by_their_first_line_in_utf16(monkeypatch: pytest.MonkeyPatch) -> None:
    """Piece names count real line breaks only: U+0A41 U+4100 holds the bytes of a UTF-16-LE break."""
    import io

    from cleaner.cli.formats import splitting
    from cleaner.cli.formats.text import inspect, piece_chunks

    monkeypatch.setattr(splitting, "PIECE_BYTES", 100)
    text = "".join(f"\u0a41\u4100 line {i}\n" + ("\n" if i % 3 == 0 else "") for i in range(200))
    data = text.encode("utf-16-le")
    assert data.count("\n".encode("utf-16-le")) > text.count("\n")  # a naive count would be wrong
    large = inspect(data[:64], "utf-16-le")
    assert large.problem is None and large.codec == "utf-16-le"
    stream = io.BytesIO(data)
    head = stream.read(64)
    chunks = list(piece_chunks("f", stream.read, head, large, False, False, chunk_bytes=300))
    assert len(chunks) > 3 and all(c.codec == "utf-16-le" and not c.lenient for c in chunks)
    line = 1
    for piece in (p for c in chunks for p in c.pieces):
        assert piece.name == f"f:{line}"
        line += piece.raw.decode("utf-16-le").count("\n")
    assert b"".join(p.raw for c in chunks for p in c.pieces) == data
