"""Ray Data: clean a text column with one warmed-up Cleaner per actor.

    import ray
    from cleaner.integrations.ray import clean_dataset

    ds = ray.data.read_json("news.jsonl")            # or ray.data.read_parquet(...)
    ds = clean_dataset(ds, column="text", edits_column="edits", concurrency=4)
    ds.write_parquet("cleaned/")                      # or ds.write_json(...)

``CleanBatch`` is the callable class for ``Dataset.map_batches`` if you need more control.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ..core.config import Config
from .frames import clean_frame, clean_values, cleaner_for

if TYPE_CHECKING:
    import ray.data


class CleanBatch:
    """Callable class for ``map_batches``: Ray builds it once per actor, so the dictionaries load once per
    actor (``__init__`` warms the Cleaner up), not once per batch. Accepts pandas or numpy-dict batches."""

    def __init__(
        self,
        column: str = "text",
        edits_column: str | None = None,
        errors_column: str | None = None,
        config: Config | None = None,
        plugins: tuple[str, ...] = (),
    ) -> None:
        self.column = column
        self.edits_column = edits_column
        self.errors_column = errors_column
        self.cleaner = cleaner_for(config, plugins)

    def __call__(self, batch: Any) -> Any:
        if isinstance(batch, dict):  # batch_format="numpy": a dict of column -> ndarray
            return self._clean_dict(batch)
        return clean_frame(batch, self.cleaner, self.column, self.edits_column, self.errors_column)

    def _clean_dict(self, batch: dict) -> dict:
        import numpy as np

        if self.column not in batch:
            raise KeyError(f"no column {self.column!r}; columns are {list(batch)}")
        values = [v.item() if isinstance(v, np.generic) else v for v in batch[self.column]]
        texts, edits, errors = clean_values(values, self.cleaner, with_edits=self.edits_column is not None)
        out = dict(batch)
        out[self.column] = np.array(texts, dtype=object)
        if self.edits_column is not None:
            out[self.edits_column] = np.array(edits, dtype=object)
        if self.errors_column is not None:
            out[self.errors_column] = np.array(errors, dtype=object)
        return out


def clean_dataset(
    ds: ray.data.Dataset,
    column: str = "text",
    edits_column: str | None = None,
    *,
    errors_column: str | None = None,
    config: Config | None = None,
    plugins: tuple[str, ...] = (),
    concurrency: int | tuple[int, int] | None = None,
    batch_size: int = 256,
    num_cpus: float = 1,
) -> ray.data.Dataset:
    """Clean ``column`` of ``ds`` with a pool of ``concurrency`` actors (default: one per CPU of this
    machine). ``edits_column`` adds each record's edits as a JSON string; ``errors_column`` the errors
    (None when the record cleaned without one); ``plugins`` are modules each actor imports first (custom
    stages). Lazy, like every Ray Data transform."""
    return ds.map_batches(
        CleanBatch,
        fn_constructor_kwargs={
            "column": column,
            "edits_column": edits_column,
            "errors_column": errors_column,
            "config": config,
            "plugins": tuple(plugins),
        },
        batch_format="pandas",
        batch_size=batch_size,
        concurrency=concurrency or max(1, os.cpu_count() or 1),
        num_cpus=num_cpus,
    )
