"""Which inputs a run has: command-line arguments expanded into files, and what kind each one is.

Kept apart from the runner so the rules (explicit files always, directories filtered by pattern, symlinks
leading outside a directory skipped unless asked) can be read and tested on their own.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

JSONL_SUFFIXES = (".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet", ".pq")


@dataclass(frozen=True)
class InputFile:
    """One input: ``path`` (None for stdin), ``name`` to show, ``rel`` to place it under an output dir.

    ``error`` makes it a failed input; ``skip`` an input left alone on purpose (a notice, not a failure).
    """

    path: Path | None
    name: str
    rel: str
    error: str | None = None
    skip: str | None = None

    @property
    def is_stdin(self) -> bool:
        return self.path is None and self.error is None


def _matches(rel: str, patterns: list[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(rel if "/" in p else name, p) for p in patterns)


def find_inputs(args: list[str], patterns: list[str], follow_symlinks: bool = False) -> Iterator[InputFile]:
    """Expand command-line arguments into files, in a stable order.

    Files named explicitly are used whatever their name; directories are walked recursively and filtered
    by ``patterns``. Inside a directory, a symlink whose target lies outside the directory is skipped with
    a notice (it could make ``--in-place`` rewrite a file the user did not point at) unless
    ``follow_symlinks``; symlinked directories are only walked with ``follow_symlinks`` (each real
    directory once). A missing path or a directory without matches yields an :class:`InputFile` carrying
    an ``error`` so the caller reports it and goes on.
    """
    for arg in args:
        if arg == "-":
            yield InputFile(None, "<stdin>", "stdin")
            continue
        path = Path(arg)
        if path.is_dir():
            found = False
            for inp in _walk(path, patterns, follow_symlinks):
                found = found or inp.skip is None
                yield inp
            if not found:
                yield InputFile(path, str(path), "", error=f"no files matching {', '.join(patterns)}")
        elif path.is_file():
            yield InputFile(path, str(path), path.name)
        elif path.exists():
            yield InputFile(path, str(path), path.name, error="not a regular file")
        else:
            yield InputFile(path, str(path), path.name, error="no such file or directory")


def _walk(top: Path, patterns: list[str], follow_symlinks: bool) -> Iterator[InputFile]:
    root = top.resolve()
    seen: set[str] = set()
    for dirpath, dirs, files in os.walk(top, followlinks=follow_symlinks):
        if follow_symlinks:  # a symlink loop or two links to one directory: walk it once
            real = os.path.realpath(dirpath)
            if real in seen:
                dirs[:] = []
                continue
            seen.add(real)
        dirs.sort()
        for fname in sorted(files):
            full = Path(dirpath, fname)
            rel = full.relative_to(top).as_posix()
            if not _matches(rel, patterns) or not full.is_file():
                continue
            if not follow_symlinks and full.is_symlink():
                target = full.resolve()
                if not target.is_relative_to(root):
                    yield InputFile(full, str(full), rel, skip=f"symlink to {target}, outside {top}: skipped "
                                    "(--follow-symlinks to clean it)")
                    continue
            yield InputFile(full, str(full), rel)


def kind(inp: InputFile, jsonl: bool = False) -> str:
    """How to process ``inp``: ``error``, ``skip``, ``jsonl`` (``--jsonl`` or by suffix), ``parquet``, or ``text``."""
    if inp.error:
        return "error"
    if inp.skip:
        return "skip"
    name = inp.name.lower()
    if jsonl or name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    return "text"
