"""Loading data from dictionaries/ once per process.

The data ships inside the package as ``cleaner.dictionaries`` (pyproject.toml maps the top-level
``dictionaries/`` folder there, for regular and editable installs alike) and is found through the import
system, wherever the package is installed. Every loader is wrapped in :func:`functools.cache`, so a stage may call it on
each use; a forked or spawned worker loads what it needs on first use. Nothing here touches the network.
"""

from __future__ import annotations

import csv
import os
import re
from functools import cache
from pathlib import Path

#: Environment variable naming another data folder (tests, custom builds).
ENV = "CLEANER_DICTIONARIES"
#: Files every installation has; their absence means a broken install, not a configuration choice.
CORE_FILES = ("style.tsv", "places.tsv", "people.tsv", "phrases.toml")


class DataError(ValueError):
    """A data file is malformed; the message names the file and line."""


class MissingDataError(DataError):
    """Bundled data is missing (a broken install or a wrong CLEANER_DICTIONARIES). Never swallowed: cleaning
    without the data would pass text through unchanged and look like success."""


def _locate() -> Path:
    """CLEANER_DICTIONARIES, else the installed ``cleaner.dictionaries`` package, else a checkout's folder."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    # What ``importlib.resources.files("cleaner.dictionaries")`` returns for a package on disk, without
    # importing importlib.resources (6 ms of every start-up).
    from importlib.util import find_spec

    try:
        spec = find_spec("cleaner.dictionaries")
    except ModuleNotFoundError:
        spec = None
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parents[2] / "dictionaries"  # a source tree that is not installed


#: Where the data lives (see :func:`_locate`).
DICTIONARIES = _locate()


def check_installed() -> None:
    """Raise :class:`MissingDataError` unless the bundled data is there; cheap (a few ``stat`` calls)."""
    missing = [name for name in CORE_FILES if not (DICTIONARIES / name).is_file()]
    if missing:
        where = f"set by {ENV}" if os.environ.get(ENV) else "where the installed package keeps them"
        raise MissingDataError(
            f"cleaner's data files are missing: no {', '.join(missing)} in {DICTIONARIES} ({where}); "
            f"reinstall cleaner, or set {ENV} to a dictionaries/ folder"
        )


def path(name: str) -> Path:
    """A bundled data file by name."""
    return DICTIONARIES / name


def read_tsv(file: str | Path, columns: int | None = None) -> list[list[str]]:
    """Rows of a TSV data file; ``#`` lines and blank lines are comments. Errors name file:line."""
    file = Path(file)
    rows: list[list[str]] = []
    try:
        with file.open(encoding="utf-8", newline="") as fh:
            for lineno, line in enumerate(fh, 1):
                line = line.rstrip("\r\n")
                if not line.strip() or line.startswith("#"):
                    continue
                row = line.split("\t")
                if columns is not None and len(row) < columns:
                    raise DataError(f"{file}:{lineno}: expected {columns} tab-separated columns, got {len(row)}")
                rows.append(row)
    except UnicodeDecodeError as exc:
        raise DataError(f"{file}: not UTF-8 ({exc})") from None
    except FileNotFoundError:
        if file.parent == DICTIONARIES:
            check_installed()
            raise MissingDataError(f"{file}: bundled data file missing (reinstall cleaner)") from None
        raise DataError(f"{file}: file not found") from None
    return rows


#: a comment line of a word list (searched in the text after a line break: a literal-led pattern is fast), and
#: white space other than a line break (trailing blanks, or two entries on one line)
_COMMENT_LINE = re.compile(r"\n#[^\n]*")
_BLANK = re.compile(r"[^\S\n]")


@cache
def word_list(name: str) -> tuple[str, ...]:
    """The entries of a one-entry-per-line list in dictionaries/ (``name`` relative to it, such as
    ``english/clause_words.txt``), in file order, read once per process. ``#`` lines and blank lines are
    comments; an entry is one token (``pre``, ``&``): white space inside one, or a missing or non-UTF-8 file,
    is a :class:`DataError` naming the file (and line), never an empty list that would quietly switch a rule off."""
    return _read_list(name)


@cache
def word_set(name: str) -> frozenset[str]:
    """:func:`word_list` as a lower-cased set, for membership tests (the list itself is not kept as well)."""
    return frozenset(map(str.lower, _read_list(name)))


def _read_list(name: str) -> tuple[str, ...]:
    file = path(name)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{file}: not UTF-8 ({exc})") from None
    except FileNotFoundError:
        check_installed()
        raise MissingDataError(f"{file}: bundled data file missing (reinstall cleaner)") from None
    body = _COMMENT_LINE.sub("\n", "\n" + text)  # line n of the file is body line n: a comment keeps its break
    if _BLANK.search(body):  # rare: an entry with white space inside is an error, trailing blanks are not
        for lineno, line in enumerate(body.split("\n")):
            if len(line.split()) > 1:
                raise DataError(f"{file}:{lineno}: expected one entry a line, got {line.strip()!r}")
    return tuple(body.split())


def csv_rows(file: Path) -> list[dict[str, str]]:
    with file.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))
