"""Dask helper on a local (threaded and process) scheduler; skipped where dask is absent."""

from __future__ import annotations

import json

import pytest

from cleaner import Cleaner
from cleaner.integrations.frames import edits_json

dd = pytest.importorskip("dask.dataframe")
pd = pytest.importorskip("pandas")

from cleaner.integrations.dask import clean_dask  # noqa: E402

TEXTS = ["cross -border talks< /p>", "it\u00e2\u20ac\u2122s &amp;amp; fine", "plain", "x  y."]


@pytest.mark.parametrize("scheduler", ["threads", "processes"])
def test_clean_dask_matches_the_local_cleaner(tmp_path, scheduler: str) -> None:
    src = tmp_path / "news.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(TEXTS)), encoding="utf-8")
    ddf = dd.read_json(str(src), lines=True).repartition(npartitions=2)
    out = clean_dask(ddf, "text", edits_column="edits").compute(scheduler=scheduler).sort_values("id")
    assert out["id"].tolist() == [0, 1, 2, 3]
    results = [Cleaner().clean(t) for t in TEXTS]
    assert out["text"].tolist() == [r.text for r in results]
    assert [json.loads(e) for e in out["edits"]] == [json.loads(edits_json(r.edits)) for r in results]


def test_clean_dask_keeps_missing_values() -> None:
    ddf = dd.from_pandas(pd.DataFrame({"text": ["a", None]}), npartitions=1)
    out = clean_dask(ddf, errors_column="errors").compute(scheduler="threads")
    assert out["text"][0] == Cleaner().clean("a").text
    assert pd.isna(out["text"][1])
    assert list(out.columns) == ["text", "errors"]


@pytest.mark.parametrize("scheduler", ["threads", "processes"])
def test_custom_stage_plugin_runs_in_the_workers(scheduler: str) -> None:
    import integrations_plugin as plugin

    pdf = pd.DataFrame({"id": range(len(plugin.TEXTS)), "text": plugin.TEXTS})
    ddf = dd.from_pandas(pdf, npartitions=2)
    out = clean_dask(
        ddf, edits_column="edits", errors_column="errors", config=plugin.CONFIG, plugins=("integrations_plugin",)
    )
    out = out.compute(scheduler=scheduler).sort_values("id")
    assert len(out) == len(plugin.TEXTS)
    for row, (text, edits, has_error) in zip(out.itertuples(), plugin.EXPECTED, strict=True):
        if text is None:
            assert pd.isna(row.text) and pd.isna(row.edits)
            continue
        assert row.text == text
        assert plugin.edit_tuples(row.edits) == edits
        assert (not pd.isna(row.errors)) == has_error
