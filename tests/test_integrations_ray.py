"""Ray Data helper against a local Ray (skipped where the ``ray`` extra is not installed)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.integrations.frames import edits_json

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")
pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")

from cleaner.integrations.ray import CleanBatch, clean_dataset  # noqa: E402

RECORDS = [
    {"id": 0, "text": "Officials said the cross -border talks would resume.< /p>"},
    {"id": 1, "text": "The minister\u00e2\u20ac\u2122s office declined to comment &amp;amp; left."},
    {"id": 2, "text": None},
    {"id": 3, "text": "Plain text stays plain."},
]


def expected(text: str | None) -> tuple[str | None, str | None]:
    if text is None:
        return None, None
    r = Cleaner().clean(text)
    return r.text, edits_json(r.edits)


@pytest.fixture(scope="module")
def local_ray():
    # Actors must be able to import tests/integrations_plugin.py (a custom stage).
    path = os.pathsep.join(p for p in (str(Path(__file__).parent), os.environ.get("PYTHONPATH")) if p)
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        runtime_env={"env_vars": {"PYTHONPATH": path}},
    )
    yield
    ray.shutdown()


def test_jsonl_in_parquet_out_matches_the_local_cleaner(local_ray, tmp_path) -> None:
    src = tmp_path / "news.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    ds = ray.data.read_json(str(src))
    ds = clean_dataset(ds, column="text", edits_column="edits", concurrency=1, batch_size=2)
    ds.write_parquet(str(tmp_path / "out"))

    out = pd.read_parquet(tmp_path / "out").sort_values("id").reset_index(drop=True)
    assert out["id"].tolist() == [0, 1, 2, 3], "no record may be lost"
    for row, rec in zip(out.itertuples(), RECORDS, strict=True):
        want_text, want_edits = expected(rec["text"])
        if want_text is None:
            assert pd.isna(row.text) and pd.isna(row.edits)
        else:
            assert row.text == want_text
            assert json.loads(row.edits) == json.loads(want_edits)


def test_parquet_round_trip_keeps_other_columns(local_ray, tmp_path) -> None:
    pd.DataFrame({"text": ["a < /p>b", "c"], "lang": ["en", "en"]}).to_parquet(tmp_path / "in.parquet")
    ds = clean_dataset(ray.data.read_parquet(str(tmp_path / "in.parquet")), concurrency=1)
    rows = sorted(ds.take_all(), key=lambda r: r["text"])
    assert [r["lang"] for r in rows] == ["en", "en"]
    assert sorted(r["text"] for r in rows) == sorted(Cleaner().clean(t).text for t in ["a < /p>b", "c"])
    assert "edits" not in rows[0]


def test_clean_batch_accepts_numpy_dict_batches() -> None:
    batch = {"id": np.array([0, 1]), "text": np.array(["x < /p>", "y"], dtype=object)}
    out = CleanBatch(edits_column="edits")(batch)
    assert out["id"].tolist() == [0, 1]
    assert out["text"].tolist() == [Cleaner().clean(t).text for t in ["x < /p>", "y"]]
    assert [json.loads(e) for e in out["edits"]] == [json.loads(expected(t)[1]) for t in ["x < /p>", "y"]]


def test_custom_stage_plugin_runs_in_the_actors(local_ray) -> None:
    import integrations_plugin as plugin

    ds = ray.data.from_items([{"id": i, "text": t} for i, t in enumerate(plugin.TEXTS)])
    ds = clean_dataset(
        ds,
        edits_column="edits",
        errors_column="errors",
        config=plugin.CONFIG,
        plugins=("integrations_plugin",),
        concurrency=1,
        batch_size=2,
    )
    rows = sorted(ds.take_all(), key=lambda r: r["id"])
    plugin.assert_rows_match(rows)
