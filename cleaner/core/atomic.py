"""Files written all-or-nothing: the one atomic writer of the package.

Outputs, ``--in-place`` rewrites, the JSON report, the review page and decisions files all go through
:class:`AtomicFile`, so a crash, a full disk or Ctrl-C never leaves a half-written file where a good one
was, and the temp files a killed run leaves behind are recognised (by name and PID) and removed later.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

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
