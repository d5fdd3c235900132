"""Files for the ``clean`` command: finding inputs, decoding bytes, safe output paths, atomic writes.

Everything here works on bytes so that nothing is translated behind the user's back: line endings
(CRLF stays CRLF), a byte-order mark (kept on write) and undecodable input (reported, never guessed
silently) are all handled explicitly.
"""

from __future__ import annotations

import fnmatch
import os
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .decoding import Decoded, InputError, decode, is_binary

__all__ = ["Decoded", "InputError", "InputFile", "OutputError", "atomic_output", "atomic_write", "decode",
           "find_inputs", "is_binary", "safe_output_path"]


class OutputError(Exception):
    """An output cannot be written (standard output, a report, the output directory): the run stops."""


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


# ---------------------------------------------------------------------------------------------- outputs


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


#: When this process started: a temp file of ours older than that is a leftover of an earlier run.
RUN_START = time.time()
#: Our temp names: ``.NAME.PID.RANDOM.tmp`` (PID: the writer, so a leftover of a dead run is recognised);
#: ``.NAME.RANDOM.tmp`` is the older form (no PID), removed when more than an hour older than this run.
_TEMP = re.compile(r"^\.(?P<name>.+?)\.(?:(?P<pid>\d+)\.)?[a-z0-9_]{8}\.tmp$")
_LEGACY_AGE = 3600.0
_stale: dict[str, dict[str, list[str]]] = {}


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: alive, someone else's
        return True
    return True


def _scan_stale(folder: str) -> dict[str, list[str]]:
    """NAME -> leftover temp files in ``folder`` (listed once per run and directory)."""
    found: dict[str, list[str]] = {}
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        m = _TEMP.match(entry.name)
        if not m:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            mtime = entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        pid = m.group("pid")
        if pid is not None:
            stale = mtime < RUN_START and int(pid) != os.getpid() and not _pid_alive(int(pid))
        else:
            stale = mtime < RUN_START - _LEGACY_AGE
        if stale:
            found.setdefault(m.group("name"), []).append(entry.path)
    return found


def remove_stale_temps(path: Path) -> int:
    """Remove temp files a killed earlier run left for ``path`` (ours only: see :data:`_TEMP`)."""
    folder = os.path.abspath(path.parent if str(path.parent) else ".")
    if folder not in _stale:
        _stale[folder] = _scan_stale(folder)
    removed = 0
    for leftover in _stale[folder].pop(path.name, []):
        try:
            os.unlink(leftover)
            removed += 1
        except OSError:
            pass
    return removed


class AtomicFile:
    """A file written all-or-nothing: a temp file next to ``path``, renamed over it by :meth:`commit`.

    An existing file keeps its permission bits. :meth:`abort` (or a crash) leaves the old file untouched;
    after a kill the temp file stays, hidden, until the next run writing there removes it.
    ``durable`` (default: when replacing an existing file) also fsyncs the data and the directory, so
    even a power cut leaves the old or the new file; a new file needs no fsync to protect old data.
    """

    def __init__(self, path: Path | str, durable: bool | None = None) -> None:
        self.path = Path(path)
        self.folder = self.path.parent if str(self.path.parent) else Path(".")
        try:
            self.mode: int | None = os.stat(self.path).st_mode & 0o7777
        except FileNotFoundError:
            self.mode = None
        self.durable = self.mode is not None if durable is None else durable
        remove_stale_temps(self.path)
        fd, self.tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{self.path.name}.{os.getpid()}.", suffix=".tmp")
        self.fh: BinaryIO = os.fdopen(fd, "wb")
        self.done = False

    def commit(self) -> None:
        if self.done:
            return
        try:
            self.fh.flush()
            if self.durable:
                os.fsync(self.fh.fileno())
            self.fh.close()
            if self.mode is not None:
                os.chmod(self.tmp, self.mode)
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(self.tmp, 0o666 & ~umask)
            os.replace(self.tmp, self.path)
        except BaseException:
            self.abort()
            raise
        self.done = True
        if self.durable:
            _fsync_dir(self.folder)

    def abort(self) -> None:
        if self.done:
            return
        self.done = True
        try:
            self.fh.close()
        except OSError:
            pass
        try:
            os.unlink(self.tmp)
        except FileNotFoundError:
            pass


@contextmanager
def atomic_output(path: Path, durable: bool | None = None) -> Iterator[BinaryIO]:
    """Write ``path`` all-or-nothing (see :class:`AtomicFile`): committed when the block ends normally."""
    out = AtomicFile(path, durable)
    try:
        yield out.fh
    except BaseException:
        out.abort()
        raise
    out.commit()


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


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (see :func:`atomic_output`)."""
    with atomic_output(path) as fh:
        fh.write(data)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
