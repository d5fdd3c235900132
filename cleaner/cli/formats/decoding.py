"""Bytes -> text and back, so that what is not edited is written back byte for byte.

The rule (docs/reliability.md): the output encoding is the input encoding, byte order and BOM included.
An input is decoded as

1. the forced ``--encoding``, else
2. the encoding its BOM names (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE; UTF-32 is checked before UTF-16), else
3. BOM-less UTF-16/UTF-32 when the NUL bytes fall in the pattern of ASCII text in one of them, else
4. UTF-8, also when a few bytes are not valid UTF-8 (fewer bad bytes than valid multi-byte characters, or
   at most one per 10,000 bytes): those bytes are kept as they are (``surrogateescape``, hidden from the
   stages as private-use characters) and written back unchanged, and the user is told, else
5. charset detection (a legacy single-byte file), reported.

A decoding that does not give back the same bytes when encoded again is refused (:class:`InputError`),
so an input is never rewritten in a form it did not have.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

#: How much of a file is sniffed for NUL bytes to call it binary, or for the UTF-16/32 pattern.
BINARY_SNIFF = 8192
#: BOMs, longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
#: Codecs whose state may span a line break: a text in them is never cut into pieces.
STATEFUL = ("iso2022", "utf-7", "utf_7", "hz")
#: Undecodable bytes (``\udc80``-``\udcff`` after surrogateescape) are shown to the stages as these
#: private-use characters (U+F780-U+F7FF, as in the "UTF-8b" convention), which no stage edits.
_PUA_BASE = 0xF700
_HIDE = {0xDC00 + b: _PUA_BASE + b for b in range(0x80, 0x100)}
_SHOW = {v: k for k, v in _HIDE.items()}
_ESCAPED = re.compile("[\udc80-\udcff]")
_STAND_INS = re.compile("[\uf780-\uf7ff]")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


class InputError(Exception):
    """An input cannot be used; the message names it (file, line or record)."""


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, and how to write it back: ``encoding`` (a codec name), ``bom``."""

    text: str
    encoding: str
    bom: bytes = b""
    detected: bool = False
    #: bytes that were not valid UTF-8, kept as they are (``surrogateescape``)
    bad_bytes: int = 0
    first_bad: int = -1
    #: the bad bytes are shown to the stages as private-use stand-ins (see :func:`decode_text`)
    hidden: bool = False

    def encode(self, text: str) -> bytes:
        """Bytes to write for ``text``: the input's encoding and BOM; kept bad bytes are restored.

        Raises :class:`UnicodeEncodeError` when ``text`` has a character the encoding cannot hold.
        """
        return self.bom + encode_text(text, self.encoding, self.hidden)

    @property
    def notice(self) -> str | None:
        """What to tell the user about this input (None for plain UTF-8)."""
        parts = []
        if self.detected:
            parts.append(f"decoded as {self.encoding} (detected; written back as {self.encoding}, "
                         "--encoding forces one)")
        if self.bad_bytes:
            parts.append(bad_bytes_notice(self.bad_bytes, self.first_bad))
        return "; ".join(parts) or None


def bad_bytes_notice(count: int, first: int) -> str:
    """The message for bytes that are not valid UTF-8 in an otherwise UTF-8 input."""
    return f"{count} byte(s) not valid UTF-8 (first at byte {first}), kept as they are"


def splittable(codec: str) -> bool:
    """Can a text in ``codec`` be cut at a line break (in bytes) and each part decoded on its own?"""
    if any(codec.startswith(s) for s in STATEFUL):
        return False
    try:
        nl = "\n".encode(codec)
    except (LookupError, UnicodeEncodeError):
        return False
    return nl == b"\n" or codec in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")


def is_utf8(codec: str) -> bool:
    return codecs.lookup(codec).name == "utf-8"


def decode_text(data: bytes, codec: str, lenient: bool = True) -> tuple[str, int, int, bool]:
    """``data`` decoded with ``codec`` -> (text, bad bytes kept, offset of the first, stand-ins used).

    UTF-8 keeps bad bytes (as private-use stand-ins, unless the text already has such characters: then
    as the escapes themselves) unless not ``lenient`` (a forced ``--encoding utf-8``); any other codec is
    strict (:class:`UnicodeDecodeError`).
    """
    if not lenient or not is_utf8(codec):
        return data.decode(codec), 0, -1, False
    try:
        return data.decode("utf-8"), 0, -1, False
    except UnicodeDecodeError as exc:
        first = exc.start
    text = data.decode("utf-8", errors="surrogateescape")
    bad = len(_ESCAPED.findall(text))
    if _STAND_INS.search(text):
        return text, bad, first, False
    return text.translate(_HIDE), bad, first, True


def encode_text(text: str, codec: str, hidden: bool = False) -> bytes:
    """Inverse of :func:`decode_text` (kept bad bytes come back as they were)."""
    if is_utf8(codec):
        if hidden:
            text = text.translate(_SHOW)
        return text.encode("utf-8", errors="surrogateescape")
    return text.encode(codec)


def is_binary(data: bytes) -> bool:
    """NUL bytes near the start mean binary (UTF-16/32 text, with or without a BOM, is text)."""
    if data.startswith(tuple(bom for bom, _ in BOMS)):
        return False
    return b"\x00" in data[:BINARY_SNIFF] and sniff_wide(data) is None


def sniff_wide(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` or ``utf-32-le``/``-be`` for BOM-less text in one of them, else None.

    Mostly-ASCII text in these encodings has NUL bytes in fixed places (every other byte, or three of
    every four); the head must then also decode without error.
    """
    head = data[:BINARY_SNIFF]
    if b"\x00" not in head:
        return None
    head4 = head[: len(head) - len(head) % 4]
    if len(head4) >= 8:
        units = len(head4) // 4
        for codec, zero_cols, text_col in (("utf-32-le", (2, 3), 0), ("utf-32-be", (0, 1), 3)):
            if all(head4[c::4].count(0) == units for c in zero_cols) and head4[text_col::4].count(0) < units / 10:
                if _decodes(head4, codec):
                    return codec
    head2 = head[: len(head) - len(head) % 2]
    pairs = len(head2) // 2
    if pairs >= 4:
        even, odd = head2[0::2].count(0), head2[1::2].count(0)
        for codec, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
            if zeros >= 0.3 * pairs and other == 0 and _decodes(head2, codec):
                return codec
    return None


def _decodes(head: bytes, codec: str) -> bool:
    """``head`` decodes as ``codec`` into text: no errors, and no control characters but whitespace."""
    try:
        text = codecs.getincrementaldecoder(codec)().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return not _CONTROLS.search(text)


def choose(data: bytes, encoding: str | None = None, final: bool = True) -> tuple[str, bytes, bool]:
    """(codec, BOM, detected) for ``data``; ``final=False`` when ``data`` is only the head of a stream."""
    if encoding:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}") from None
        if name in ("utf-8", "utf-8-sig"):
            return "utf-8", codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b"", False
        if name in ("utf-16", "utf-32"):  # the generic names: BOM, else the NUL pattern, else little-endian
            for bom, codec in BOMS:
                if codec.startswith(name) and data.startswith(bom):
                    return codec, bom, False
            sniffed = sniff_wide(data)
            return (sniffed if sniffed and sniffed.startswith(name) else f"{name}-le"), b"", False
        return name, b"", False
    for bom, codec in BOMS:
        if data.startswith(bom):
            return codec, bom, False
    wide = sniff_wide(data)
    if wide:
        return wide, b"", False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=final)
        return "utf-8", b"", False
    except UnicodeDecodeError:
        pass
    if mostly_utf8(data):
        return "utf-8", b"", False
    return _detect(data), b"", True


def mostly_utf8(data: bytes) -> bool:
    """Valid UTF-8 but for a few bytes: fewer bad bytes than multi-byte characters, or <= 1 in 10,000."""
    text = data.decode("utf-8", errors="surrogateescape")
    bad = len(_ESCAPED.findall(text))
    multi = len(text) - len(text.encode("ascii", errors="ignore")) - bad
    return bad <= max(multi, len(data) // 10_000)


def _detect(data: bytes) -> str:
    from charset_normalizer import from_bytes  # only for the rare non-UTF-8 input

    matches = list(from_bytes(data))
    best = matches[0] if matches else None
    # On short texts several single-byte code pages tie; news in a legacy encoding is mostly Windows-1252.
    for m in matches:
        if m.encoding == "cp1252" and best is not None and m.chaos <= best.chaos + 0.01:
            best = m
    if best is None or best.encoding is None:
        raise InputError("not UTF-8 and no encoding detected; use --encoding")
    return codecs.lookup(best.encoding).name


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode a whole input (see the module docstring). Raises :class:`InputError` with the reason."""
    codec, bom, detected = choose(data, encoding)
    body = data[len(bom):]
    try:
        text, bad, first, hidden = decode_text(body, codec, lenient=not encoding)
    except UnicodeDecodeError as exc:
        where = f"byte {exc.start + len(bom)}"
        if detected:
            raise InputError(f"not UTF-8; detected {codec} does not decode it either ({where}); "
                             "use --encoding") from None
        raise InputError(f"not valid {encoding or codec}: {where}: {exc.reason}") from None
    decoded = Decoded(text, codec, bom, detected, bad, first + len(bom) if bad else -1, hidden)
    if bad or not is_utf8(codec):
        check_round_trip(body, text, codec, hidden)
    return decoded


def check_round_trip(body: bytes, text: str, codec: str, hidden: bool = False) -> None:
    """Refuse a decoding that would not write the same bytes back (:class:`InputError`)."""
    try:
        again = encode_text(text, codec, hidden)
    except UnicodeEncodeError as exc:
        raise InputError(f"{codec} cannot write this input back unchanged (character {exc.start}); "
                         "refused, use --encoding") from None
    if again != body:
        at = next((i for i, (a, b) in enumerate(zip(again, body, strict=False)) if a != b), min(len(again), len(body)))
        raise InputError(f"{codec} does not give the same bytes back (byte {at}); refused, use --encoding")


def encode_error(exc: UnicodeEncodeError, codec: str) -> str:
    """Message for a cleaned text that the input's encoding cannot hold."""
    ch = exc.object[exc.start] if isinstance(exc.object, str) and exc.start < len(exc.object) else "?"
    return f"the cleaned text has U+{ord(ch):04X} which {codec} cannot hold; left unchanged"
