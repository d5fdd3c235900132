"""The English word lists in dictionaries/english/ and their one loader (cleaner.core.resources.word_list/word_set):
every list the code names is there, documented and used; a missing or malformed list is a DataError naming the
file, never an empty list that would quietly switch a rule off."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cleaner.core import resources
from cleaner.core.resources import DataError, MissingDataError, word_list, word_set

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = sorted((ROOT / "dictionaries" / "english").glob("*.txt"))
#: ``word_list("...")`` / ``word_set("...")`` calls with a literal name, anywhere in the package
_LOADED = re.compile(r"""\bword_(?:list|set)\(\s*["']([^"']+)["']""")


def _named_in_code() -> set[str]:
    return {m.group(1) for py in (ROOT / "cleaner").rglob("*.py") for m in _LOADED.finditer(py.read_text("utf-8"))}


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An installed-looking data folder (the core files exist) with an empty english/; loader caches cleared."""
    for name in resources.CORE_FILES:
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "english").mkdir()
    monkeypatch.setattr(resources, "DICTIONARIES", tmp_path)
    word_list.cache_clear()
    word_set.cache_clear()
    yield tmp_path
    word_list.cache_clear()  # later tests load the real files again
    word_set.cache_clear()


def test_there_are_english_lists() -> None:
    assert len(ENGLISH) >= 10


@pytest.mark.parametrize("file", ENGLISH, ids=lambda p: p.name)
def test_each_english_list_loads_and_says_who_uses_it(file: Path) -> None:
    name = f"english/{file.name}"
    entries = word_list(name)
    assert entries, name
    assert len(set(entries)) == len(entries), f"{name}: duplicate entries"
    assert all(e == e.lower() for e in entries), f"{name}: entries are lower case"
    assert word_set(name) == frozenset(entries)
    header = file.read_text("utf-8").split("\n", 1)[0]
    assert header.startswith("# "), f"{name}: the first line says what the list is"
    assert "Used by" in file.read_text("utf-8"), f"{name}: the header says which stage uses it"
    assert name in _named_in_code(), f"{name} is loaded by no code"


def test_every_list_the_code_names_is_a_bundled_file() -> None:
    named = _named_in_code()
    assert {f"english/{f.name}" for f in ENGLISH} <= named
    for name in named:
        assert (ROOT / "dictionaries" / name).is_file(), name
        assert word_list(name), name


def test_the_lists_hold_what_their_stages_rely_on() -> None:
    """A few entries each rule depends on (the files are data, but these are the documented examples)."""
    assert {"of", "the", "he"} <= word_set("english/function_words.txt")  # ofthe, hesaid split
    assert "ment" in word_list("english/derivation_suffixes.txt")  # managment is no derivation of manage
    assert "re" in word_list("english/derivation_prefixes.txt")
    assert {"and", "&"} <= word_set("english/suspended_hyphen_next.txt")  # pre- and post-war
    assert "com" in word_set("english/dot_suffixes.txt") and "but" in word_set("english/sentence_starters.txt")


def test_comments_blank_lines_and_line_endings(data_dir: Path) -> None:
    (data_dir / "english" / "x.txt").write_bytes(b"# what\n# who\n\nfoo\r\n  Bar  \n# later comment\n\nbaz\n")
    assert word_list("english/x.txt") == ("foo", "Bar", "baz")  # file order, as written
    assert word_set("english/x.txt") == {"foo", "bar", "baz"}


def test_a_missing_list_is_a_data_error_naming_the_file(data_dir: Path) -> None:
    with pytest.raises(MissingDataError, match=re.escape(str(data_dir / "english" / "gone.txt"))) as info:
        word_set("english/gone.txt")
    assert isinstance(info.value, DataError)


def test_a_missing_data_folder_says_so(data_dir: Path) -> None:
    (data_dir / "style.tsv").unlink()
    with pytest.raises(MissingDataError, match="data files are missing"):
        word_list("english/gone.txt")


@pytest.mark.parametrize(("content", "where"), [
    (b"# two entries on one line\none\ntwo words\n", ":3: expected one entry a line, got 'two words'"),
    (b"one\ntab\tseparated\n", ":2: expected one entry a line"),
    (b"caf\xe9\n", ": not UTF-8"),
])
def test_a_malformed_list_is_a_data_error_naming_file_and_line(data_dir: Path, content: bytes, where: str) -> None:
    (data_dir / "english" / "bad.txt").write_bytes(content)
    with pytest.raises(DataError, match=re.escape(str(data_dir / "english" / "bad.txt") + where)):
        word_list("english/bad.txt")


def test_the_command_names_a_missing_list(tmp_path: Path) -> None:
    """Through the real entry point: a data folder that lacks one list fails loudly, naming the file."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "dictionaries", data, ignore=shutil.ignore_patterns("__pycache__", "sources"))
    (data / "english" / "clause_words.txt").unlink()
    env = {"CLEANER_DICTIONARIES": str(data), "PATH": ""}
    r = subprocess.run([sys.executable, "-m", "cleaner", "--no-config"], input=b"Kiev said\n", capture_output=True,
                       env=env, cwd=tmp_path, check=False)
    assert r.returncode != 0
    assert "clause_words.txt" in r.stderr.decode() and "missing" in r.stderr.decode()
