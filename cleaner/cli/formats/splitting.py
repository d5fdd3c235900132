"""Cutting a large plain-text file into documents, so time and memory stay linear in its size.

A text file above :data:`SPLIT_BYTES` is read as a stream and cut, in bytes, into pieces of about
:data:`PIECE_BYTES` that end at a blank line (a paragraph break); text with no blank line near that size
is cut at a line break; a single line longer than :data:`MAX_LINE_BYTES` is passed through unchanged
(with a warning) instead of being held in memory and cleaned. Each piece is cleaned as
a document of its own and the outputs are written one after the other, so an unedited file comes out
byte-identical. Cuts fall on whole code units of the file's encoding (UTF-16/32 included).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

#: Files larger than this are cut into pieces (smaller ones are one document, as before).
SPLIT_BYTES = 256 << 10
#: The size a piece aims for: the last blank line before it ends the piece. 32 KB: the fastest size
#: measured while some stages were still superlinear (docs/reliability.md); any size gives the same
#: bytes for text whose edits do not depend on text further away than a paragraph.
PIECE_BYTES = 32 << 10
#: How far to look for a blank line before cutting at a line break instead.
HORIZON_BYTES = 1 << 20
#: A line longer than this is not cleaned: passed through unchanged, counted as skipped.
MAX_LINE_BYTES = 8 << 20
READ_BYTES = 256 << 10

CLEAN, LONG_FIRST, LONG_REST = "clean", "long", "long-rest"


class Cutter:
    """Where pieces may end, for one encoding: after a blank line, else after a line break."""

    def __init__(self, codec: str) -> None:
        nl = "\n".encode(codec)
        self.unit = len(nl)
        self.nl = nl
        self.blanks = ("\n\n".encode(codec), "\n\r\n".encode(codec))

    def find(self, buf: bytearray, pattern: bytes, start: int, end: int, last: bool) -> int:
        """Aligned position just after ``pattern`` in ``buf[start:end]`` (last or first match), or -1."""
        finder = buf.rfind if last else buf.find
        lo, hi = start, end
        while True:
            pos = finder(pattern, lo, hi)
            if pos < 0:
                return -1
            if pos % self.unit == 0:
                return pos + len(pattern)
            if last:
                hi = pos + len(pattern) - 1
            else:
                lo = pos + 1

    def cut(self, buf: bytearray, eof: bool) -> int:
        """Length of the next piece at the head of ``buf`` (0: a line longer than the horizon).

        In order of preference: the last blank line within ``PIECE_BYTES``; the first one within twice
        that; the last line break within ``PIECE_BYTES``; the first line break within the horizon.
        """
        n = len(buf)
        if eof and n <= PIECE_BYTES:
            return n
        piece = min(n, PIECE_BYTES)
        best = max(self.find(buf, p, 0, piece, last=True) for p in self.blanks)
        if best > 0:
            return best
        found = [e for e in (self.find(buf, p, 0, min(n, 2 * PIECE_BYTES), last=False) for p in self.blanks) if e > 0]
        if found:
            return min(found)
        line = self.find(buf, self.nl, 0, piece, last=True)
        if line > 0:
            return line
        line = self.find(buf, self.nl, 0, min(n, HORIZON_BYTES), last=False)
        if line > 0:
            return line
        return n if eof and n <= HORIZON_BYTES else 0


class _Stream:
    def __init__(self, read: Callable[[int], bytes], head: bytes) -> None:
        self.read = read
        self.buf = bytearray(head)
        self.eof = False

    def more(self) -> bool:
        """Append one block; False at the end of the stream."""
        if not self.eof:
            block = self.read(READ_BYTES)
            if block:
                self.buf += block
                return True
            self.eof = True
        return False


def pieces(read: Callable[[int], bytes], codec: str, head: bytes = b"") -> Iterator[tuple[bytes, str]]:
    """(bytes, kind) pieces of a stream whose concatenation is exactly ``head`` + the rest of the stream.

    ``kind`` is :data:`CLEAN` for a piece to clean, :data:`LONG_FIRST` / :data:`LONG_REST` for the parts of
    an over-long line (pass them through). Memory stays within about ``MAX_LINE_BYTES``.
    """
    cutter = Cutter(codec)
    s = _Stream(read, head)
    buf = s.buf
    while True:
        while len(buf) < HORIZON_BYTES + READ_BYTES and s.more():
            pass
        if not buf:
            return
        size = cutter.cut(buf, s.eof)
        if not size:  # no line break within the horizon: one long line; read on to its end
            scanned = 0
            while True:
                end = cutter.find(buf, cutter.nl, max(0, scanned - cutter.unit), len(buf), last=False)
                if end > 0 or s.eof:
                    size = end if end > 0 else len(buf)
                    break
                if len(buf) > MAX_LINE_BYTES:
                    break
                scanned = len(buf) - len(buf) % cutter.unit
                s.more()
        if 0 < size <= MAX_LINE_BYTES:
            yield bytes(buf[:size]), CLEAN
            del buf[:size]
        else:
            yield from _pass_long_line(s, cutter)


def _pass_long_line(s: _Stream, cutter: Cutter) -> Iterator[tuple[bytes, str]]:
    """Yield the over-long line at the head of the buffer in blocks (to pass through), up to its end."""
    kind = LONG_FIRST
    buf = s.buf
    while True:
        end = cutter.find(buf, cutter.nl, 0, len(buf), last=False)
        if end > 0:
            yield bytes(buf[:end]), kind
            del buf[:end]
            return
        whole = len(buf) - len(buf) % cutter.unit
        if whole:
            yield bytes(buf[:whole]), kind
            kind = LONG_REST
            del buf[:whole]
        if not s.more():
            if buf:
                yield bytes(buf), kind
                del buf[:]
            return
