"""JSON Lines records: replace one string field without re-serialising the rest.

Only the cleaned field's value is rewritten (spliced into the original line), so every other field keeps
its exact bytes: key order, number formatting (``1e5`` stays ``1e5``), escapes and spacing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from json.decoder import JSONDecodeError
from typing import Any

#: The stdlib's JSON string scanner (the C one when built), which typeshed does not declare.
scanstring: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]

_DECODER = json.JSONDecoder()
_WS = " \t\n\r"
_SURROGATE = re.compile("[\ud800-\udfff]")


def _dumps(value: Any, ascii_only: bool) -> str:
    """JSON for ``value``; a lone surrogate (legal in JSON as ``\\ud800``, not encodable as UTF-8) stays
    an escape, so the line can always be written back as UTF-8."""
    out = json.dumps(value, ensure_ascii=ascii_only)
    if not ascii_only and _SURROGATE.search(out):
        out = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)
    return out


class RecordError(ValueError):
    """A line is not a usable record (bad JSON, not an object, missing or non-string field)."""


def _skip_ws(s: str, i: int) -> int:
    n = len(s)
    while i < n and s[i] in _WS:
        i += 1
    return i


def field_spans(line: str) -> tuple[dict[str, tuple[int, int]], int]:
    """Spans of each top-level value of a JSON object line, and the index of its closing brace.

    Duplicate keys keep the last occurrence (as :func:`json.loads` does).
    """
    i = _skip_ws(line, 0)
    if line[i : i + 1] != "{":
        raise JSONDecodeError("Expecting '{'", line, i)
    spans: dict[str, tuple[int, int]] = {}
    i = _skip_ws(line, i + 1)
    if line[i : i + 1] == "}":
        return spans, i
    while True:
        if line[i : i + 1] != '"':
            raise JSONDecodeError("Expecting property name enclosed in double quotes", line, i)
        key, i = scanstring(line, i + 1, True)
        i = _skip_ws(line, i)
        if line[i : i + 1] != ":":
            raise JSONDecodeError("Expecting ':' delimiter", line, i)
        i = _skip_ws(line, i + 1)
        _, end = _DECODER.raw_decode(line, i)
        spans[key] = (i, end)
        i = _skip_ws(line, end)
        c = line[i : i + 1]
        if c == ",":
            i = _skip_ws(line, i + 1)
        elif c == "}":
            return spans, i
        else:
            raise JSONDecodeError("Expecting ',' delimiter", line, i)


def parse_record(line: str, field: str) -> tuple[dict[str, Any], str | None]:
    """The record and its ``field`` value (None when the value is JSON null).

    Raises :class:`RecordError` with a short reason for anything else.
    """
    try:
        record = json.loads(line)
    except JSONDecodeError as exc:
        raise RecordError(f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise RecordError("invalid JSON: nested too deeply") from None
    if not isinstance(record, dict):
        raise RecordError(f"not a JSON object but {type(record).__name__}")
    if field not in record:
        raise RecordError(f"no field {field!r}")
    value = record[field]
    if value is not None and not isinstance(value, str):
        raise RecordError(f"field {field!r} is {type(value).__name__}, not a string")
    return record, value


def rewrite(line: str, field: str, new_value: str | None = None, extra: tuple[str, Any] | None = None) -> str:
    """``line`` with ``field`` set to ``new_value`` (if given) and ``extra`` = (name, value) set or appended.

    The new JSON is written in the line's own style: ASCII-only lines stay ASCII-only (``\\u`` escapes),
    and the separators after keys follow the line.
    """
    spans, close = field_spans(line)
    ascii_only = line.isascii()
    changes: list[tuple[int, int, str]] = []
    if new_value is not None:
        s, e = spans[field]
        changes.append((s, e, _dumps(new_value, ascii_only)))
    if extra is not None:
        name, value = extra
        encoded = _dumps(value, ascii_only)
        if name in spans:
            s, e = spans[name]
            changes.append((s, e, encoded))
        else:
            colon = ": " if '": ' in line else ":"
            comma = ", " if colon == ": " else ","
            lead = comma if spans else ""
            changes.append((close, close, f"{lead}{_dumps(name, ascii_only)}{colon}{encoded}"))
    out = line
    for s, e, text in sorted(changes, reverse=True):
        out = out[:s] + text + out[e:]
    return out
