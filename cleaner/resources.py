"""Loading data from dictionaries/ once per process.

Every loader is wrapped in :func:`functools.cache`, so a stage may call it on each use; a forked or
spawned worker loads what it needs on first use. Nothing here touches the network.
"""

from __future__ import annotations

import csv
import os
from functools import cache
from pathlib import Path

#: Where the bundled data lives; CLEANER_DICTIONARIES points elsewhere (tests, custom builds).
DICTIONARIES = Path(os.environ.get("CLEANER_DICTIONARIES", Path(__file__).resolve().parent.parent / "dictionaries"))


class DataError(ValueError):
    """A data file is malformed; the message names the file and line."""


def path(name: str) -> Path:
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
    return rows


@cache
def word_set(name: str) -> frozenset[str]:
    """A one-word-per-line list from dictionaries/ (first TSV column), lower-cased."""
    return frozenset(row[0].strip().lower() for row in read_tsv(path(name)) if row and row[0].strip())


def csv_rows(file: Path) -> list[dict[str, str]]:
    with file.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))
