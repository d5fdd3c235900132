"""Parquet inputs: one string column cleaned, every other column (and the schema) kept, batch by batch.

pyarrow is optional (``pip install 'cleaner[parquet]'``), so it is imported only when a Parquet file is
met. A file is read and written one record batch at a time: memory does not grow with the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import IO, Any

from .decoding import InputError

#: Rows per record batch read (and written back).
BATCH_ROWS = 2048
NEEDS_PYARROW = "Parquet needs pyarrow: pip install 'cleaner[parquet]'"


class ParquetTable:
    """An input file's column ``field`` to clean, and how to write the file back with it replaced.

    ``edits_field`` adds (or replaces) a string column holding each row's edits as JSON. Raises
    :class:`ImportError` without pyarrow, :class:`InputError` for a file that is not Parquet or whose
    column is missing or not a string column, :class:`OSError` when it cannot be opened; reading the
    batches and writing may raise any of :attr:`errors`.
    """

    def __init__(self, path: Any, field: str, edits_field: str | None = None) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._pa, self._pq = pa, pq
        #: what reading or writing may raise besides InputError
        self.errors: tuple[type[Exception], ...] = (OSError, pa.ArrowException)
        try:
            self._open(path, field, edits_field)
        except pa.ArrowException as exc:  # not a Parquet file, or a schema pyarrow cannot read: a bad input
            raise InputError(str(exc)) from None

    def _open(self, path: Any, field: str, edits_field: str | None) -> None:
        pa = self._pa
        self.file = self._pq.ParquetFile(path)
        schema = self.file.schema_arrow
        self.index = schema.get_field_index(field)
        if self.index < 0:
            raise InputError(f"no column {field!r} (columns: {', '.join(schema.names)})")
        self.type = schema.field(self.index).type
        if not (pa.types.is_string(self.type) or pa.types.is_large_string(self.type)):
            raise InputError(f"column {field!r} is {self.type}, not a string column")
        self.schema = schema
        self.edits_index = -1
        self.with_edits = bool(edits_field)
        if edits_field:
            self.edits_index = schema.get_field_index(edits_field)
            column = pa.field(edits_field, pa.string())
            self.schema = schema.append(column) if self.edits_index < 0 else schema.set(self.edits_index, column)

    def batches(self) -> Iterator[tuple[Any, list[Any]]]:
        """Each record batch with the values of the column to clean."""
        for batch in self.file.iter_batches(batch_size=BATCH_ROWS):
            yield batch, batch.column(self.index).to_pylist()

    def writer(self, fh: IO[bytes]) -> Any:
        """A ``ParquetWriter`` on ``fh`` for the output schema (a context manager)."""
        return self._pq.ParquetWriter(fh, self.schema)

    def write(self, writer: Any, batch: Any, texts: Sequence[Any],
              edits: Sequence[list[dict[str, Any]] | None]) -> None:
        """Write ``batch`` back with the cleaned ``texts`` and, if asked, each row's ``edits`` (None: a row
        that was not cleaned, a null in the edits column)."""
        pa = self._pa
        arrays = list(batch.columns)
        arrays[self.index] = pa.array(texts, type=self.type)
        if self.with_edits:
            column = pa.array([json.dumps(e, ensure_ascii=False) if e is not None else None for e in edits],
                              pa.string())
            if self.edits_index < 0:
                arrays.append(column)
            else:
                arrays[self.edits_index] = column
        writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=self.schema))
