"""Where a run writes: the output plan (one file, a mirrored directory, in place, or standard output),
safe paths under an output directory, and a standard output that fails loudly.

Everything that can make an output unwritable is checked before any work (:func:`probe_writable`), so a
run does not clean 10 GB and then find it cannot write the result.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .formats.decoding import InputError


class OutputError(Exception):
    """An output cannot be written (standard output, a report, the output directory): the run stops."""


def safe_output_path(out_dir: Path, rel: str) -> Path:
    """``out_dir / rel``, refusing anything that would land outside ``out_dir``.

    Absolute paths, ``..`` components and symlinks that lead out of the directory are all rejected with
    :class:`InputError`.
    """
    parts = Path(rel).parts
    if not rel or Path(rel).is_absolute() or rel.startswith(("/", "\\")) or ".." in parts:
        raise InputError(f"output path {rel!r} would escape {out_dir}")
    root = out_dir.resolve()
    target = (out_dir / rel).resolve()
    if not target.is_relative_to(root):
        raise InputError(f"output path {rel!r} resolves to {target}, outside {out_dir} (symlink?)")
    return out_dir / rel


def probe_writable(folder: Path, what: str) -> None:
    """Raise :class:`OutputError` now if a file cannot be created in ``folder`` (before any work)."""
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".clean-probe.{os.getpid()}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{what} {folder}: cannot write there: {exc.strerror or exc}") from None
    os.close(fd)
    os.unlink(tmp)


class StdoutSink:
    """Standard output that writes everything or fails: a short write (full disk, unbuffered stream) and
    any other error raise :class:`OutputError`; a broken pipe stays a :class:`BrokenPipeError`."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        try:
            while view:
                n = self.stream.write(view)
                if n is None:  # a non-blocking stream that is full: wait and retry
                    time.sleep(0.01)
                    continue
                if n <= 0:
                    raise OutputError("standard output: cannot write: short write (disk full?)")
                view = view[n:]
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(f"standard output: cannot write: {exc.strerror or exc}") from None
        return len(data)

    def isatty(self) -> bool:
        """Whether the real stream is a terminal (colour and progress ask)."""
        try:
            return bool(self.stream.isatty())
        except (AttributeError, ValueError):
            return False

    def flush(self) -> None:
        try:
            self.stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(f"standard output: cannot write: {exc.strerror or exc}") from None


@dataclass
class OutputPlan:
    """Where each input's output goes: one ``-o`` file, a tree mirrored under an ``-o`` directory, the input
    itself (``--in-place``), or nowhere on disk (standard output, ``--check``).

    Made once before any work (:meth:`make` creates and probes the directory); :meth:`target` refuses a
    second input landing on a target already written this run.
    """

    in_place: bool = False
    check: bool = False
    out_dir: Path | None = None
    out_file: Path | None = None
    used: set[Path] = field(default_factory=set)

    @classmethod
    def make(cls, output: str | None, in_place: bool, check: bool, many: bool) -> OutputPlan:
        """The plan for ``-o output`` (``many``: several inputs or a directory, so ``output`` is a directory)."""
        plan = cls(in_place=in_place, check=check)
        if not output or check:
            return plan
        out = Path(output)
        if many or out.is_dir() or output.endswith(("/", "\\")):
            plan.out_dir = out
            try:
                out.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputError(f"output directory {out}: {exc.strerror or exc}") from None
            probe_writable(out, "-o/--output")
        else:
            plan.out_file = out
            if out.parent.is_dir() or not str(out.parent):
                probe_writable(out.parent if str(out.parent) else Path("."), "-o/--output")
        return plan

    def target(self, path: Path | None, rel: str) -> Path | None:
        """Where the input at ``path`` (``rel`` under its directory argument) is written; None: standard
        output or nowhere. A symlink rewritten in place is written through, not replaced."""
        if self.check:
            return None
        if self.in_place:
            return path.resolve() if path is not None and path.is_symlink() else path
        if self.out_file is not None:
            return self.out_file
        if self.out_dir is not None:
            target = safe_output_path(self.out_dir, rel)
            if target in self.used:
                raise InputError(f"two inputs would both be written to {target}")
            self.used.add(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            return target
        return None
