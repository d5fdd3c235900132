"""Large plain-text files: whether one can be cleaned in pieces, and the chunks of pieces for the workers.

A text file above :data:`~.splitting.SPLIT_BYTES` is never read whole: its first bytes decide the
encoding (:func:`inspect`), then it is cut into pieces (:mod:`.splitting` says where) that are sent to
the workers a chunk at a time (:func:`piece_chunks`), each piece named ``FILE:LINE`` as JSONL records are.
Small files are cleaned whole (:func:`cleaner.cli.tasks.clean_file`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..tasks import Piece, PiecesChunk
from .decoding import InputError, choose, is_binary, splittable
from .splitting import SPLIT_BYTES, pieces


@dataclass(frozen=True)
class LargeFile:
    """How a large file is read, decided from its head; ``problem``: why it is copied unchanged instead
    (``binary``: a skip, not a failure)."""

    codec: str
    bom: bytes
    detected: bool
    problem: str | None = None
    binary: bool = False


def inspect(head: bytes, encoding: str | None) -> LargeFile:
    """The codec of a large file from its first bytes (``encoding``: ``--encoding``), or why it cannot be
    cleaned in pieces: undecodable, binary, or an encoding whose line breaks cannot be found in bytes."""
    try:
        codec, bom, detected = choose(head, encoding, final=False)
    except InputError as exc:
        return LargeFile("", b"", False, f"{exc}; left unchanged")
    if is_binary(head) and not encoding:
        return LargeFile(codec, bom, detected, "binary file (NUL bytes): not cleaned, copied unchanged", binary=True)
    if not splittable(codec):
        return LargeFile(codec, bom, detected,
                         f"a {codec} file over {SPLIT_BYTES >> 10} KB cannot be cut into parts; left unchanged")
    return LargeFile(codec, bom, detected)


def piece_chunks(name: str, read: Callable[[int], bytes], head: bytes, file: LargeFile, lenient: bool,
                 keep_result: bool, chunk_bytes: int) -> Iterator[PiecesChunk]:
    """The pieces of the file (``head`` already read, ``read`` the rest) in chunks of about
    ``chunk_bytes``; ``lenient``: the codec was detected, so a few bad bytes are tolerated."""
    nl = "\n".encode(file.codec)
    line = 1
    batch: list[Piece] = []
    size = 0
    for raw, what in pieces(read, file.codec, head[len(file.bom):]):
        batch.append(Piece(f"{name}:{line}", raw, what))
        line += raw.count(nl) if len(nl) == 1 else count_aligned(raw, nl)
        size += len(raw)
        if size >= chunk_bytes:
            yield PiecesChunk(file.codec, lenient, keep_result, batch)
            batch, size = [], 0
    if batch:
        yield PiecesChunk(file.codec, lenient, keep_result, batch)


def count_aligned(raw: bytes, nl: bytes) -> int:
    """Line breaks in ``raw`` for a multi-byte ``nl`` (UTF-16/32): matches on code-unit boundaries only
    (U+0A41 U+4100 holds the bytes of a UTF-16-LE line break, across two characters).

    >>> count_aligned("\\u0a41\\u4100\\n".encode("utf-16-le"), "\\n".encode("utf-16-le"))
    1
    """
    n, pos = 0, raw.find(nl)
    while pos >= 0:
        if pos % len(nl) == 0:
            n += 1
            pos = raw.find(nl, pos + len(nl))
        else:
            pos = raw.find(nl, pos + 1)
    return n
