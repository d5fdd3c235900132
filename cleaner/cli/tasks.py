"""Units of work for the ``clean`` command: one text file, one JSONL line, one Parquet value.

Each takes a :class:`~cleaner.Cleaner` and returns an :class:`Outcome`; none of them raises for bad
input or a failing cleaner: the document passes through unchanged and the outcome says why. They run the
same in the main process and in pool workers, which is what makes the output of ``--jobs N``
byte-identical to ``--jobs 1``. What goes to a worker is a chunk (:data:`Chunk`, bottom of the module):
a small frozen dataclass that names its fields, so the runner and the worker cannot disagree on the order
of a tuple; :func:`clean_chunk` is the one function the pool maps.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .formats.decoding import (
    InputError,
    bad_bytes_notice,
    decode,
    decode_text,
    encode_error,
    encode_text,
    is_binary,
    is_utf8,
)
from .formats.jsonl import RecordError, parse_record, rewrite
from .formats.splitting import CLEAN, LONG_FIRST, MAX_LINE_BYTES

if TYPE_CHECKING:
    from ..core.pipeline import Cleaner, Result

OK, SKIPPED, FAILED = "ok", "skipped", "failed"
#: an empty JSONL line: passed through, not a record
BLANK = "blank"


@dataclass(frozen=True)
class Outcome:
    """What happened to one document. ``out`` is what to write (the input itself when not cleaned).

    Built once by the task (in a worker or here) and only read by the runner; frozen so that stays so.
    Not slotted: a plain instance pickles back from a worker as fast as a tuple."""

    name: str
    status: str = OK
    message: str | None = None
    out: Any = None
    changed: bool = False
    edits: int = 0
    suggestions: int = 0
    stage_errors: tuple[str, ...] = ()
    result: Result | None = None
    notice: str | None = None
    size: int = 0
    #: ``out`` differs from the input bytes (so an in-place run must rewrite the file)
    rewritten: bool = False


def _clean(cleaner: Cleaner, text: str) -> tuple[Result | None, str]:
    """Clean ``text``: the result, or None and why if cleaning raised (the caller passes its input through
    unchanged: a cleaner bug must not lose it)."""
    try:
        return cleaner.clean(text), ""
    except Exception as exc:
        return None, f"cleaning failed ({type(exc).__name__}: {exc}); left unchanged"


def _cleaned(name: str, result: Result, keep_result: bool, out: Any, size: int, notice: str | None = None,
             rewritten: bool = False) -> Outcome:
    """The outcome of a document that was cleaned (``out``: what to write)."""
    return Outcome(name, OK, None, out, result.changed, len(result.edits), len(result.suggestions),
                   tuple(result.errors), result if keep_result else None, notice, size, rewritten)


def _unchanged(name: str, message: str, result: Result, out: Any, size: int, notice: str | None = None) -> Outcome:
    """A document cleaned but whose result cannot be written: failed, its input (``out``) written as it was."""
    return Outcome(name, FAILED, message, out, stage_errors=tuple(result.errors), notice=notice, size=size)


def clean_file(cleaner: Cleaner, name: str, path: str | None, data: bytes | None, encoding: str | None,
               keep_result: bool) -> Outcome:
    """Read (unless ``data`` is given), decode, clean and re-encode one text file.

    ``out`` is the bytes to write: the input itself when it was skipped, failed or not changed (so
    nothing is lost wherever it goes), None only when it could not be read.
    """
    if data is None:
        try:
            data = Path(path or "").read_bytes()
        except OSError as exc:
            return Outcome(name, FAILED, f"cannot read: {exc.strerror or exc}")
    size = len(data)
    if is_binary(data) and not encoding:
        return Outcome(name, SKIPPED, "binary file (NUL bytes): not cleaned, copied unchanged", data, size=size)
    try:
        decoded = decode(data, encoding)
    except InputError as exc:
        return Outcome(name, FAILED, f"{exc}; left unchanged", data, size=size)
    result, failure = _clean(cleaner, decoded.text)
    if result is None:
        return Outcome(name, FAILED, failure, data, notice=decoded.notice, size=size)
    if not result.changed:
        return _cleaned(name, result, keep_result, data, size, decoded.notice)
    try:
        out = decoded.encode(result.text)
    except UnicodeEncodeError as exc:
        return _unchanged(name, encode_error(exc, decoded.encoding), result, data, size, decoded.notice)
    return _cleaned(name, result, keep_result, out, size, decoded.notice, out != data)


def clean_piece(cleaner: Cleaner, name: str, raw: bytes, kind: str, codec: str, keep_result: bool,
                lenient: bool = True) -> Outcome:
    """Clean one piece of a large text file (see :mod:`.formats.splitting`); ``out`` is its bytes to write."""
    size = len(raw)
    if kind != CLEAN:  # an over-long line, passed through: counted (and reported) once, at its first part
        if kind == LONG_FIRST:
            return Outcome(name, SKIPPED, f"a line longer than {MAX_LINE_BYTES >> 20} MB: not cleaned, passed "
                           "through unchanged", raw, size=size)
        return Outcome(name, out=raw, size=size)
    try:
        text, bad, first, hidden = decode_text(raw, codec, lenient)
    except UnicodeDecodeError as exc:
        return Outcome(name, FAILED, f"not valid {codec} (byte {exc.start} of this part); left unchanged", raw,
                       size=size)
    notice = bad_bytes_notice(bad, first) + " (byte offsets within this part)" if bad else None
    if (bad or not is_utf8(codec)) and encode_text(text, codec, hidden) != raw:
        return Outcome(name, FAILED, f"{codec} does not give the same bytes back; left unchanged", raw,
                       notice=notice, size=size)
    result, failure = _clean(cleaner, text)
    if result is None:
        return Outcome(name, FAILED, failure, raw, notice=notice, size=size)
    if not result.changed:
        return _cleaned(name, result, keep_result, raw, size, notice)
    try:
        out = encode_text(result.text, codec, hidden)
    except UnicodeEncodeError as exc:
        return _unchanged(name, encode_error(exc, codec), result, raw, size, notice)
    return _cleaned(name, result, keep_result, out, size, notice, out != raw)


def clean_line(cleaner: Cleaner, name: str, raw: bytes, field_name: str, edits_field: str | None,
               keep_result: bool) -> Outcome:
    """Clean ``field_name`` of one JSONL line (``raw`` includes its line ending, which is kept)."""
    size = len(raw)
    body = raw.rstrip(b"\r\n")
    eol = raw[len(body):]
    bom = b""
    if body.startswith(b"\xef\xbb\xbf"):
        bom, body = body[:3], body[3:]
    if not body.strip():
        return Outcome(name, BLANK, None, raw, size=size)
    if len(body) > MAX_LINE_BYTES:
        return Outcome(name, SKIPPED, f"record of {len(body) / 1e6:.0f} MB, over the {MAX_LINE_BYTES >> 20} MB "
                       "limit: line left unchanged", raw, size=size)
    try:
        line = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Outcome(name, FAILED, f"not UTF-8 (byte {exc.start}); line left unchanged", raw, size=size)
    try:
        _, value = parse_record(line, field_name)
    except RecordError as exc:
        return Outcome(name, FAILED, f"{exc}; line left unchanged", raw, size=size)
    if value is None:
        return Outcome(name, SKIPPED, None, raw, size=size)
    result, failure = _clean(cleaner, value)
    if result is None:
        return Outcome(name, FAILED, failure, raw, size=size)
    out = raw
    extra = (edits_field, [e.to_dict() for e in result.edits]) if edits_field else None
    if result.changed or extra:
        try:
            new = rewrite(line, field_name, result.text if result.changed else None, extra)
            out = bom + new.encode("utf-8") + eol
        except (UnicodeEncodeError, ValueError) as exc:
            return _unchanged(name, f"cannot write the record back ({type(exc).__name__}: {exc}); line left "
                              "unchanged", result, raw, size)
    return _cleaned(name, result, keep_result, out, size)


def clean_value(cleaner: Cleaner, name: str, value: Any, keep_result: bool) -> Outcome:
    """Clean one Parquet cell; ``out`` is the new value (nulls are skipped, non-strings fail)."""
    if value is None:
        return Outcome(name, SKIPPED, out=value)
    if not isinstance(value, str):
        return Outcome(name, FAILED, f"value is {type(value).__name__}, not a string", out=value)
    result, failure = _clean(cleaner, value)
    if result is None:
        return Outcome(name, FAILED, failure, value, size=len(value))
    return _cleaned(name, result, keep_result, result.text, len(value))


# ------------------------------------------------------------------------- chunks (what a pool worker gets)


@dataclass(frozen=True, slots=True)
class FileItem:
    """One small text file: read by the worker from ``path``, or its bytes in ``data`` (standard input)."""

    name: str
    path: str | None
    data: bytes | None = None

    def size(self) -> int:
        """Bytes to clean (for cutting chunks of about the same size)."""
        if self.data is not None:
            return len(self.data)
        try:
            return Path(self.path or "").stat().st_size
        except OSError:
            return 0


@dataclass(frozen=True, slots=True)
class FilesChunk:
    """Small text files, each cleaned whole."""

    encoding: str | None
    keep_result: bool
    files: list[FileItem]

    def clean(self, cleaner: Cleaner) -> list[Outcome]:
        return [clean_file(cleaner, f.name, f.path, f.data, self.encoding, self.keep_result) for f in self.files]


@dataclass(frozen=True, slots=True)
class Piece:
    """One piece of a large text file (see :mod:`.formats.splitting`), named ``FILE:LINE``."""

    name: str
    raw: bytes
    kind: str


@dataclass(frozen=True, slots=True)
class PiecesChunk:
    """Consecutive pieces of one large text file in ``codec`` (``lenient``: the codec was detected)."""

    codec: str
    lenient: bool
    keep_result: bool
    pieces: list[Piece]

    def clean(self, cleaner: Cleaner) -> list[Outcome]:
        return [clean_piece(cleaner, p.name, p.raw, p.kind, self.codec, self.keep_result, self.lenient)
                for p in self.pieces]


@dataclass(frozen=True, slots=True)
class LinesChunk:
    """Consecutive lines of one JSONL file, the first being line ``first`` (records are named ``FILE:LINE``)."""

    file: str
    first: int
    field: str
    edits_field: str | None
    keep_result: bool
    lines: list[bytes]

    def clean(self, cleaner: Cleaner) -> list[Outcome]:
        return [clean_line(cleaner, f"{self.file}:{self.first + i}", raw, self.field, self.edits_field,
                           self.keep_result) for i, raw in enumerate(self.lines)]


@dataclass(frozen=True, slots=True)
class ValuesChunk:
    """Consecutive cells of one Parquet column, the first in row ``first`` (named ``FILE:row N``)."""

    file: str
    first: int
    keep_result: bool
    values: list[Any]

    def clean(self, cleaner: Cleaner) -> list[Outcome]:
        return [clean_value(cleaner, f"{self.file}:row {self.first + i}", v, self.keep_result)
                for i, v in enumerate(self.values)]


Chunk = FilesChunk | PiecesChunk | LinesChunk | ValuesChunk


def clean_chunk(cleaner: Cleaner, chunk: Chunk) -> list[Outcome]:
    """What a pool worker runs: clean every document of ``chunk``, in order."""
    return chunk.clean(cleaner)
