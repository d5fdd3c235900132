"""Dask DataFrame: clean a text column partition by partition.

    import dask.dataframe as dd
    from cleaner.integrations.dask import clean_dask

    ddf = dd.read_json("news-*.jsonl", lines=True, blocksize="64MB")
    clean_dask(ddf, "text", edits_column="edits").to_parquet("cleaned/")

Each worker process builds one Cleaner per config and keeps it (``frames.cleaner_for``), so
dictionaries load once per process, not once per partition.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..core.config import Config
from .frames import clean_frame, cleaner_for

if TYPE_CHECKING:
    import dask.dataframe
    import pandas as pd


def clean_partition(
    df: pd.DataFrame,
    column: str = "text",
    edits_column: str | None = None,
    errors_column: str | None = None,
    config: Config | None = None,
    plugins: tuple[str, ...] = (),
) -> pd.DataFrame:
    """The function for ``map_partitions``: clean one pandas partition with this process's Cleaner."""
    return clean_frame(df, cleaner_for(config, plugins), column, edits_column, errors_column)


def clean_dask(
    ddf: dask.dataframe.DataFrame,
    column: str = "text",
    edits_column: str | None = None,
    *,
    errors_column: str | None = None,
    config: Config | None = None,
    plugins: tuple[str, ...] = (),
) -> dask.dataframe.DataFrame:
    """Lazily clean ``column`` of ``ddf``; ``edits_column``/``errors_column`` add JSON edits / errors;
    ``plugins`` are modules each worker imports first (custom stages)."""
    kwargs: dict[str, Any] = {
        "column": column,
        "edits_column": edits_column,
        "errors_column": errors_column,
        "config": config,
        "plugins": tuple(plugins),
    }
    meta = clean_partition(ddf._meta_nonempty, **kwargs).iloc[:0]
    return ddf.map_partitions(clean_partition, **kwargs, meta=meta)
