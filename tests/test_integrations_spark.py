"""PySpark helper on a local[2] session; skipped where pyspark or Java is absent."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.integrations.frames import edits_json

pytest.importorskip("pyspark")
pytest.importorskip("pandas")
pytest.importorskip("pyarrow")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("PySpark needs Java", allow_module_level=True)

from pyspark.sql import SparkSession  # noqa: E402

from cleaner.integrations.spark import clean_spark  # noqa: E402

TEXTS = ["cross -border talks< /p>", "it\u00e2\u20ac\u2122s &amp;amp; fine", None, "plain"]


@pytest.fixture(scope="module")
def spark():
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    # Python workers must be able to import tests/integrations_plugin.py (a custom stage).
    path = os.pathsep.join(p for p in (str(Path(__file__).parent), os.environ.get("PYTHONPATH")) if p)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("cleaner-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.executorEnv.PYTHONPATH", path)
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_clean_spark_jsonl_to_parquet_matches_the_local_cleaner(spark, tmp_path) -> None:
    src = tmp_path / "news.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(TEXTS)), encoding="utf-8")
    sdf = spark.read.json(str(src)).repartition(2)
    clean_spark(sdf, "text", edits_column="edits", errors_column="errors").write.parquet(str(tmp_path / "out"))
    rows = sorted(spark.read.parquet(str(tmp_path / "out")).collect(), key=lambda r: r["id"])
    assert [r["id"] for r in rows] == [0, 1, 2, 3]
    for row, text in zip(rows, TEXTS, strict=True):
        if text is None:
            assert row["text"] is None and row["edits"] is None
            continue
        r = Cleaner().clean(text)
        assert row["text"] == r.text
        assert json.loads(row["edits"]) == json.loads(edits_json(r.edits))
        assert row["errors"] is None


def test_custom_stage_plugin_runs_in_the_python_workers(spark) -> None:
    import integrations_plugin as plugin

    sdf = spark.createDataFrame([(i, t) for i, t in enumerate(plugin.TEXTS)], "id long, text string").repartition(2)
    out = clean_spark(
        sdf, edits_column="edits", errors_column="errors", config=plugin.CONFIG, plugins=("integrations_plugin",)
    )
    rows = sorted(out.collect(), key=lambda r: r["id"])
    plugin.assert_rows_match(rows)
