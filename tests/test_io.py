"""Unit tests for decoding, paths, atomic writes and JSONL splicing."""

from __future__ import annotations

import codecs
import json
import os
import stat
from pathlib import Path

import pytest

from cleaner.io import InputError, atomic_output, atomic_write, decode, find_inputs, is_binary, safe_output_path
from cleaner.jsonl import RecordError, field_spans, parse_record, rewrite


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
