"""Files for the ``clean`` command: finding inputs, decoding bytes, safe output paths, atomic writes.

Everything here works on bytes so that nothing is translated behind the user's back: line endings
(CRLF stays CRLF), a byte-order mark (kept on write) and undecodable input (reported, never guessed
silently) are all handled explicitly.
"""

from __future__ import annotations

import codecs
import fnmatch
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

#: How much of a file is sniffed for NUL bytes to call it binary.
BINARY_SNIFF = 8192
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class InputError(Exception):
    """An input cannot be used; the message names it (file, line or record)."""


@dataclass(frozen=True)
class InputFile:
    """One input: ``path`` (None for stdin), ``name`` to show, ``rel`` to place it under an output dir."""

    path: Path | None
    name: str
    rel: str
    error: str | None = None

    @property
    def is_stdin(self) -> bool:
        return self.path is None and self.error is None


def _matches(rel: str, patterns: list[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(rel if "/" in p else name, p) for p in patterns)


def find_inputs(args: list[str], patterns: list[str]) -> Iterator[InputFile]:
    """Expand command-line arguments into files, in a stable order.

    Files named explicitly are used whatever their name; directories are walked recursively (symlinked
    directories are not followed) and filtered by ``patterns``. A missing path or a directory without
    matches yields an :class:`InputFile` carrying an ``error`` so the caller reports it and goes on.
    """
    for arg in args:
        if arg == "-":
            yield InputFile(None, "<stdin>", "stdin")
            continue
        path = Path(arg)
        if path.is_dir():
            found = False
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for fname in sorted(files):
                    full = Path(root, fname)
                    rel = full.relative_to(path).as_posix()
                    if _matches(rel, patterns) and full.is_file():
                        found = True
                        yield InputFile(full, str(full), rel)
            if not found:
                yield InputFile(path, str(path), "", error=f"no files matching {', '.join(patterns)}")
        elif path.is_file():
            yield InputFile(path, str(path), path.name)
        elif path.exists():
            yield InputFile(path, str(path), path.name, error="not a regular file")
        else:
            yield InputFile(path, str(path), path.name, error="no such file or directory")


# ---------------------------------------------------------------------------------------------- decoding


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, and how to write it back (``bom`` and ``encoding`` of the output)."""

    text: str
    encoding: str
    bom: bytes = b""
    detected: bool = False

    def encode(self, text: str) -> bytes:
        """Bytes to write for ``text``: UTF-8 unless the input was UTF-16, with the input's BOM kept."""
        if self.encoding.startswith("utf-16"):
            codec = "utf-16-le" if self.bom == codecs.BOM_UTF16_LE else "utf-16-be"
            return self.bom + text.encode(codec, errors="surrogatepass")
        return self.bom + text.encode("utf-8", errors="surrogatepass")

    @property
    def notice(self) -> str | None:
        """What to tell the user about a non-UTF-8 input (None for plain UTF-8)."""
        if self.detected:
            return f"decoded as {self.encoding} (detected; written as UTF-8, use --encoding to force)"
        return None


def is_binary(data: bytes) -> bool:
    """NUL bytes near the start mean binary (UTF-16 with a BOM is text, not binary)."""
    return not data.startswith(_UTF16_BOMS) and b"\x00" in data[:BINARY_SNIFF]


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode ``data``: a forced ``encoding``, else BOM, else UTF-8, else charset detection.

    Raises :class:`InputError` when the bytes cannot be decoded.
    """
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}") from None
        bom = codecs.BOM_UTF8 if encoding.lower().replace("_", "-") in ("utf-8", "utf8") and data.startswith(
            codecs.BOM_UTF8) else b""
        try:
            return Decoded(data[len(bom):].decode(encoding), encoding, bom)
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid {encoding}: byte {exc.start}: {exc.reason}") from None
    if data.startswith(codecs.BOM_UTF8):
        try:
            return Decoded(data[3:].decode("utf-8"), "utf-8", codecs.BOM_UTF8)
        except UnicodeDecodeError as exc:
            raise InputError(f"UTF-8 BOM but not valid UTF-8 at byte {exc.start + 3}") from None
    for bom in _UTF16_BOMS:
        if data.startswith(bom):
            codec = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
            try:
                return Decoded(data[2:].decode(codec), codec, bom)
            except UnicodeDecodeError as exc:
                raise InputError(f"UTF-16 BOM but not valid UTF-16 at byte {exc.start + 2}") from None
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    return _detect(data, first_bad)


def _detect(data: bytes, first_bad: int) -> Decoded:
    from charset_normalizer import from_bytes  # only for the rare non-UTF-8 input

    matches = list(from_bytes(data))
    best = matches[0] if matches else None
    # On short texts several single-byte code pages tie; news in a legacy encoding is mostly Windows-1252.
    for m in matches:
        if m.encoding == "cp1252" and best is not None and m.chaos <= best.chaos + 0.01:
            best = m
    if best is None or best.encoding is None:
        raise InputError(f"not UTF-8 (bad byte at offset {first_bad}) and no encoding detected; use --encoding")
    name = codecs.lookup(best.encoding).name
    try:
        return Decoded(data.decode(name), name, detected=True)
    except UnicodeDecodeError:
        raise InputError(f"not UTF-8 (bad byte at offset {first_bad}); detected {name} does not decode it either; "
                         "use --encoding") from None


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


@contextmanager
def atomic_output(path: Path, durable: bool | None = None) -> Iterator[BinaryIO]:
    """Write ``path`` all-or-nothing: a temp file in the same directory, fsync, then rename over.

    An existing file keeps its permission bits. If the block raises (or the process dies), the old file
    is untouched and the temp file is removed (or, after a kill, left as a hidden ``.*.tmp`` file).
    ``durable`` (default: when replacing an existing file) also fsyncs the data and the directory, so
    even a power cut leaves the old or the new file; a new file needs no fsync to protect old data.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    if durable is None:
        durable = mode is not None
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    if durable:
        _fsync_dir(folder)


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
