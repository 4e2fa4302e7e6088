"""Scale-out: the same dataset scored by PySpark (local mode, ``mapInArrow``) and by Dask
(``map_partitions``) gives exactly the single-process result.

The data is small (a few thousand rows over a few partitions): the point is that the
wheel works unchanged inside Spark's Python workers and Dask's tasks, not speed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import news2

ROWS = 4_000


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    pulse = rng.uniform(30, 160, ROWS).round()
    pulse[rng.random(ROWS) < 0.02] = np.nan
    temperature = rng.uniform(34, 41, ROWS).round(1)
    temperature[rng.random(ROWS) < 0.01] = 98.6
    return pd.DataFrame(
        {
            "id": np.arange(ROWS),
            "respiration_rate": rng.uniform(5, 35, ROWS).round(),
            "spo2": rng.uniform(85, 100, ROWS).round(),
            "on_oxygen": rng.random(ROWS) < 0.3,
            "systolic_bp": rng.uniform(80, 230, ROWS).round(),
            "pulse": pulse,
            "consciousness": rng.choice(["A", "alert", "V", "P", "U", "C", "X"], ROWS),
            "temperature": temperature,
        }
    )


@pytest.fixture(scope="module")
def single_process(frame: pd.DataFrame) -> pd.DataFrame:
    result = news2.score_batch(frame)
    assert result["error"].notna().any() and result["error"].isna().any()
    return result


def _comparable(result: pd.DataFrame) -> pd.DataFrame:
    """Plain object columns, so frames from different engines compare cell by cell."""
    out = result.reset_index(drop=True).astype(object)
    return out.where(out.notna(), None)


def test_dask_map_partitions(frame: pd.DataFrame, single_process: pd.DataFrame) -> None:
    import dask
    import dask.dataframe as dd

    ddf = dd.from_pandas(frame, npartitions=4)
    meta = news2.score_batch(ddf._meta)
    with dask.config.set(scheduler="threads"):
        result = ddf.map_partitions(news2.score_batch, meta=meta).compute()
    assert list(result.index) == list(frame.index)
    pd.testing.assert_frame_equal(_comparable(result), _comparable(single_process))


SPARK_SCHEMA = (
    "id long, total int, risk string, respiration_rate_score int, spo2_score int, on_oxygen_score int, "
    "systolic_bp_score int, pulse_score int, consciousness_score int, temperature_score int, error string"
)


def test_spark_map_in_arrow(frame: pd.DataFrame, single_process: pd.DataFrame) -> None:
    from pyspark.sql import SparkSession

    def score_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        """Runs in Spark's Python workers (defined here so cloudpickle ships it by value)."""
        import pyarrow as pa

        import news2

        for batch in batches:
            scored = news2.score_batch(batch)
            text = [pa.types.is_dictionary(c.type) or pa.types.is_string(c.type) for c in scored.columns]
            columns = [c.cast(pa.string() if t else pa.int32()) for c, t in zip(scored.columns, text)]
            yield pa.RecordBatch.from_arrays([batch.column("id"), *columns], names=["id", *scored.schema.names])

    os.environ.setdefault("PYSPARK_PYTHON", __import__("sys").executable)
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("news2-test")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        # A short job: the client compiler and the serial collector start the JVM faster.
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .getOrCreate()
    )
    try:
        # Arrow in and out (Spark 4), so the comparison does not go through Spark's pandas layer.
        sdf = spark.createDataFrame(pa.Table.from_pandas(frame, preserve_index=False)).repartition(3)
        result = sdf.mapInArrow(score_partition, SPARK_SCHEMA).toArrow()
    finally:
        spark.stop()
    result = result.sort_by("id")
    assert result.column("id").to_pylist() == list(frame["id"])
    expected = _comparable(single_process)
    for column in expected.columns:
        assert result.column(column).to_pylist() == list(expected[column]), column
