"""Units of work for the ``clean`` command: one text file, one JSONL line, one Parquet value.

Each takes a :class:`~cleaner.Cleaner` and returns an :class:`Outcome`; none of them raises for bad
input or a failing cleaner: the document passes through unchanged and the outcome says why. They run the
same in the main process and in pool workers (chunk functions at the bottom), which is what makes the
output of ``--jobs N`` byte-identical to ``--jobs 1``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass
class Outcome:
    """What happened to one document. ``out`` is what to write (the input itself when not cleaned)."""

    name: str
    status: str = OK
    message: str | None = None
    out: Any = None
    changed: bool = False
    edits: int = 0
    suggestions: int = 0
    stage_errors: list[str] = field(default_factory=list)
    result: Result | None = None
    notice: str | None = None
    size: int = 0
    #: ``out`` differs from the input bytes (so an in-place run must rewrite the file)
    rewritten: bool = False


def _clean(cleaner: Cleaner, text: str, outcome: Outcome, keep_result: bool) -> Result | None:
    """Clean ``text`` and record the counts in ``outcome``; if cleaning raises, mark ``outcome`` failed and
    return None (the caller passes its input through unchanged: a cleaner bug must not lose it)."""
    try:
        result = cleaner.clean(text)
    except Exception as exc:
        outcome.status, outcome.message = FAILED, f"cleaning failed ({type(exc).__name__}: {exc}); left unchanged"
        return None
    outcome.changed = result.changed
    outcome.edits = len(result.edits)
    outcome.suggestions = len(result.suggestions)
    outcome.stage_errors = list(result.errors)
    if keep_result:
        outcome.result = result
    return result


def clean_file(cleaner: Cleaner, name: str, path: str | None, data: bytes | None, encoding: str | None,
               keep_result: bool) -> Outcome:
    """Read (unless ``data`` is given), decode, clean and re-encode one text file.

    ``out`` is the bytes to write: the input itself when it was skipped, failed or not changed (so
    nothing is lost wherever it goes), None only when it could not be read.
    """
    outcome = Outcome(name)
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            outcome.status, outcome.message = FAILED, f"cannot read: {exc.strerror or exc}"
            return outcome
    outcome.size = len(data)
    outcome.out = data
    if is_binary(data) and not encoding:
        outcome.status, outcome.message = SKIPPED, "binary file (NUL bytes): not cleaned, copied unchanged"
        return outcome
    try:
        decoded = decode(data, encoding)
    except InputError as exc:
        outcome.status, outcome.message = FAILED, f"{exc}; left unchanged"
        return outcome
    outcome.notice = decoded.notice
    result = _clean(cleaner, decoded.text, outcome, keep_result)
    if result is None or not result.changed:
        return outcome
    try:
        outcome.out = decoded.encode(result.text)
    except UnicodeEncodeError as exc:
        _unchanged(outcome, encode_error(exc, decoded.encoding))
        return outcome
    outcome.rewritten = outcome.out != data
    return outcome


def _unchanged(outcome: Outcome, message: str) -> None:
    """Mark ``outcome`` failed: its input is written as it was (``out`` left as the input)."""
    outcome.status, outcome.message = FAILED, message
    outcome.changed, outcome.edits, outcome.suggestions, outcome.result = False, 0, 0, None


def clean_piece(cleaner: Cleaner, name: str, raw: bytes, kind: str, codec: str, keep_result: bool,
                lenient: bool = True) -> Outcome:
    """Clean one piece of a large text file (see :mod:`.formats.splitting`); ``out`` is its bytes to write."""
    outcome = Outcome(name, out=raw, size=len(raw))
    if kind != CLEAN:  # an over-long line, passed through: counted (and reported) once, at its first part
        if kind == LONG_FIRST:
            outcome.status = SKIPPED
            outcome.message = (f"a line longer than {MAX_LINE_BYTES >> 20} MB: not cleaned, passed through "
                               "unchanged")
        return outcome
    try:
        text, bad, first, hidden = decode_text(raw, codec, lenient)
    except UnicodeDecodeError as exc:
        outcome.status, outcome.message = FAILED, f"not valid {codec} (byte {exc.start} of this part); left unchanged"
        return outcome
    if bad:
        outcome.notice = bad_bytes_notice(bad, first) + " (byte offsets within this part)"
    if (bad or not is_utf8(codec)) and encode_text(text, codec, hidden) != raw:
        outcome.status, outcome.message = FAILED, f"{codec} does not give the same bytes back; left unchanged"
        return outcome
    result = _clean(cleaner, text, outcome, keep_result)
    if result is None or not result.changed:
        return outcome
    try:
        outcome.out = encode_text(result.text, codec, hidden)
    except UnicodeEncodeError as exc:
        _unchanged(outcome, encode_error(exc, codec))
        return outcome
    outcome.rewritten = outcome.out != raw
    return outcome


def clean_line(cleaner: Cleaner, name: str, raw: bytes, field_name: str, edits_field: str | None,
               keep_result: bool) -> Outcome:
    """Clean ``field_name`` of one JSONL line (``raw`` includes its line ending, which is kept)."""
    outcome = Outcome(name, out=raw, size=len(raw))
    body = raw.rstrip(b"\r\n")
    eol = raw[len(body):]
    bom = b""
    if body.startswith(b"\xef\xbb\xbf"):
        bom, body = body[:3], body[3:]
    if not body.strip():
        outcome.status = BLANK
        return outcome
    if len(body) > MAX_LINE_BYTES:
        outcome.status = SKIPPED
        outcome.message = (f"record of {len(body) / 1e6:.0f} MB, over the {MAX_LINE_BYTES >> 20} MB limit: "
                           "line left unchanged")
        return outcome
    try:
        line = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        outcome.status, outcome.message = FAILED, f"not UTF-8 (byte {exc.start}); line left unchanged"
        return outcome
    try:
        _, value = parse_record(line, field_name)
    except RecordError as exc:
        outcome.status, outcome.message = FAILED, f"{exc}; line left unchanged"
        return outcome
    if value is None:
        outcome.status = SKIPPED
        return outcome
    result = _clean(cleaner, value, outcome, keep_result)
    if result is None:
        return outcome
    extra = (edits_field, [e.to_dict() for e in result.edits]) if edits_field else None
    if result.changed or extra:
        try:
            new = rewrite(line, field_name, result.text if result.changed else None, extra)
            outcome.out = bom + new.encode("utf-8") + eol
        except (UnicodeEncodeError, ValueError) as exc:
            _unchanged(outcome, f"cannot write the record back ({type(exc).__name__}: {exc}); line left unchanged")
    return outcome


def clean_value(cleaner: Cleaner, name: str, value: Any, keep_result: bool) -> Outcome:
    """Clean one Parquet cell; ``out`` is the new value (nulls are skipped, non-strings fail)."""
    outcome = Outcome(name, out=value)
    if value is None:
        outcome.status = SKIPPED
        return outcome
    if not isinstance(value, str):
        outcome.status, outcome.message = FAILED, f"value is {type(value).__name__}, not a string"
        return outcome
    outcome.size = len(value)
    result = _clean(cleaner, value, outcome, keep_result)
    if result is None:
        return outcome
    outcome.out = result.text
    return outcome


# ------------------------------------------------------------------------- chunk functions (pool workers)


def files_chunk(cleaner: Cleaner, chunk: tuple) -> list[Outcome]:
    """``chunk`` = (encoding, keep_result, [(name, path, data), ...])."""
    encoding, keep, items = chunk
    return [clean_file(cleaner, name, path, data, encoding, keep) for name, path, data in items]


def lines_chunk(cleaner: Cleaner, chunk: tuple) -> list[Outcome]:
    """``chunk`` = (file name, first line number, field, edits field, keep_result, [raw line, ...])."""
    name, first, field_name, edits_field, keep, lines = chunk
    return [clean_line(cleaner, f"{name}:{first + i}", raw, field_name, edits_field, keep)
            for i, raw in enumerate(lines)]


def pieces_chunk(cleaner: Cleaner, chunk: tuple) -> list[Outcome]:
    """``chunk`` = (codec, lenient, keep_result, [(name, raw, kind), ...]) pieces of one large text file."""
    codec, lenient, keep, items = chunk
    return [clean_piece(cleaner, name, raw, kind, codec, keep, lenient) for name, raw, kind in items]


def values_chunk(cleaner: Cleaner, chunk: tuple) -> tuple[Any, list[Outcome]]:
    """``chunk`` = (tag, file name, first row, keep_result, [value, ...]); the tag comes back unchanged."""
    tag, name, first, keep, values = chunk
    return tag, [clean_value(cleaner, f"{name}:row {first + i}", v, keep) for i, v in enumerate(values)]
