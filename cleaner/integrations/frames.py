"""Cleaning a column of texts: the one loop the Ray, Dask and Spark helpers share.

Nothing is lost: a value that is not a string (None, NaN) passes through untouched, and a record whose
cleaning raises keeps its original text; the error is logged and, if asked, written to an errors column.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..core.config import Config
from ..core.pipeline import Cleaner

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

_CLEANERS: dict[Config, Cleaner] = {}


def cleaner_for(config: Config | None = None, plugins: Iterable[str] = ()) -> Cleaner:
    """One warmed-up Cleaner per process and config, so a worker loads dictionaries once, not per batch.

    ``plugins`` are modules imported first, in the worker: a custom stage registered by a module the
    driver imported does not exist in a fresh worker process until its module is imported there.
    """
    for module in plugins:
        importlib.import_module(module)
    config = config or Config()
    try:
        return _CLEANERS[config]
    except KeyError:
        c = _CLEANERS[config] = Cleaner(config).warm_up()
        return c
    except TypeError:  # an unhashable option value: no caching, still correct
        return Cleaner(config).warm_up()


def edits_json(edits: Iterable) -> str:
    """The applied edits as a JSON list (offsets into the original text), one string per record."""
    return json.dumps([e.to_dict() for e in edits], ensure_ascii=False)


def clean_values(
    values: Iterable[Any], cleaner: Cleaner, with_edits: bool = False
) -> tuple[list[Any], list[str | None] | None, list[str | None]]:
    """Clean each string of ``values``; return (texts, edits as JSON or None, errors or None per record)."""
    texts: list[Any] = []
    edits: list[str | None] | None = [] if with_edits else None
    errors: list[str | None] = []
    for value in values:
        if not isinstance(value, str):
            texts.append(value)
            errors.append(None)
            if edits is not None:
                edits.append(None)
            continue
        try:
            result = cleaner.clean(value)
        except Exception as exc:  # pass the record through, never drop it
            log.warning("cleaner failed on a record, passed through unchanged: %s: %s", type(exc).__name__, exc)
            texts.append(value)
            errors.append(f"{type(exc).__name__}: {exc}")
            if edits is not None:
                edits.append("[]")
            continue
        texts.append(result.text)
        errors.append("; ".join(result.errors) or None)
        if edits is not None:
            edits.append(edits_json(result.edits))
    return texts, edits, errors


def clean_frame(
    df: pd.DataFrame,
    cleaner: Cleaner,
    column: str = "text",
    edits_column: str | None = None,
    errors_column: str | None = None,
) -> pd.DataFrame:
    """Return a copy of ``df`` with ``column`` cleaned and, if named, edits/errors columns added."""
    if column not in df.columns:
        raise KeyError(f"no column {column!r}; columns are {list(df.columns)}")
    texts, edits, errors = clean_values(df[column].tolist(), cleaner, with_edits=edits_column is not None)
    out = df.copy()
    out[column] = texts
    if edits_column is not None:
        out[edits_column] = edits
    if errors_column is not None:
        out[errors_column] = errors
    return out
