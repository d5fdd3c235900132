"""PySpark: clean a text column with ``DataFrame.mapInPandas``.

    from cleaner.integrations.spark import clean_spark

    sdf = spark.read.json("news.jsonl")
    clean_spark(sdf, "text", edits_column="edits").write.parquet("cleaned/")

``clean_batches`` builds (or reuses) one Cleaner per partition iterator; Spark reuses its Python
workers (``spark.python.worker.reuse``, on by default), so the per-process cache in
``frames.cleaner_for`` means dictionaries load once per worker, not once per partition.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from ..core.config import Config
from .frames import clean_frame, cleaner_for

if TYPE_CHECKING:
    import pandas as pd
    import pyspark.sql


def clean_batches(
    batches: Iterator[pd.DataFrame],
    column: str = "text",
    edits_column: str | None = None,
    errors_column: str | None = None,
    config: Config | None = None,
    plugins: tuple[str, ...] = (),
) -> Iterator[pd.DataFrame]:
    """The function for ``mapInPandas``: clean each pandas batch of one partition."""
    cleaner = cleaner_for(config, plugins)
    for df in batches:
        yield clean_frame(df, cleaner, column, edits_column, errors_column)


def clean_spark(
    sdf: pyspark.sql.DataFrame,
    column: str = "text",
    edits_column: str | None = None,
    *,
    errors_column: str | None = None,
    config: Config | None = None,
    plugins: tuple[str, ...] = (),
) -> pyspark.sql.DataFrame:
    """Lazily clean ``column`` of ``sdf``; the schema gains nullable string ``edits_column``/``errors_column``;
    ``plugins`` are modules each Python worker imports first (custom stages)."""
    from pyspark.sql.types import StringType, StructField, StructType

    fields = list(sdf.schema.fields)
    for extra in (edits_column, errors_column):
        if extra is not None and extra not in sdf.columns:
            fields.append(StructField(extra, StringType(), True))
    fn = partial(
        clean_batches,
        column=column,
        edits_column=edits_column,
        errors_column=errors_column,
        config=config,
        plugins=tuple(plugins),
    )
    return sdf.mapInPandas(fn, schema=StructType(fields))
