"""``score_batch`` equals row-by-row ``score`` on 100,000 random rows, for every input kind.

The rows mix plausible values (with decimal ties such as 36.05), gaps (NaN and None),
impossible values (negative, huge, infinite, °F temperatures), invalid consciousness
texts and scales, and nulls in the ``on_oxygen`` and ``spo2_scale`` columns. The data is
generated here at test time; the seed is printed so a failure can be replayed
(``NEWS2_SEED=<seed> pytest``).
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import news2
from conftest import FIELD_ORDER, PARAMETERS

ROWS = 100_000
LEVELS = ["A", "a", "alert", " Alert ", "C", "confused", "New Confusion", "v", "voice", "P", "pain", "U", "unresponsive", "X", "", "alertt", None]


def _numbers(rng: np.random.Generator, low: float, high: float, decimals: int) -> np.ndarray:
    """Plausible values with some ties, gaps and impossible values mixed in."""
    x = np.round(rng.uniform(low, high, ROWS), decimals)
    ties = rng.random(ROWS) < 0.05
    x[ties] = np.round(np.round(x[ties], decimals) + 0.5 * 10.0**-decimals, decimals + 1)
    special = rng.random(ROWS)
    x[special < 0.03] = np.nan
    x[(special >= 0.03) & (special < 0.04)] = -rng.uniform(0.01, 50, ((special >= 0.03) & (special < 0.04)).sum())
    x[(special >= 0.04) & (special < 0.045)] = rng.uniform(400, 1e6, ((special >= 0.04) & (special < 0.045)).sum())
    x[(special >= 0.045) & (special < 0.047)] = np.inf
    return x


@pytest.fixture(scope="module")
def rows() -> dict[str, Any]:
    seed = int(os.environ.get("NEWS2_SEED", np.random.SeedSequence().entropy % 2**32))
    print(f"NEWS2_SEED={seed}")
    rng = np.random.default_rng(seed)
    temperature = _numbers(rng, 33.0, 41.0, 2)
    fahrenheit = rng.random(ROWS) < 0.01
    temperature[fahrenheit] = rng.uniform(95, 105, fahrenheit.sum())
    on_oxygen = rng.choice(np.array([True, False, None], dtype=object), ROWS, p=[0.3, 0.67, 0.03])
    spo2_scale = rng.choice(np.array([1, 2, None, 3, 1.5, 0], dtype=object), ROWS, p=[0.75, 0.2, 0.02, 0.01, 0.01, 0.01])
    return {
        "respiration_rate": _numbers(rng, 4, 40, 1),
        "spo2": _numbers(rng, 80, 100, 1),
        "spo2_scale": [None if v is None else float(v) for v in spo2_scale],
        "on_oxygen": list(on_oxygen),
        "systolic_bp": _numbers(rng, 70, 240, 1),
        "pulse": _numbers(rng, 30, 160, 1),
        "consciousness": list(rng.choice(np.array(LEVELS, dtype=object), ROWS)),
        "temperature": temperature,
    }


def _value(x: Any) -> Any:
    """A batch cell as a scalar argument: NaN and None are both a gap."""
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


def _expected_row(row: dict[str, Any]) -> tuple[Any, ...]:
    """What one row must give, from ``score`` and the README's error precedence.

    In a batch a null ``on_oxygen``/``spo2_scale`` cell is missing, while the scalar API
    reads ``None`` as the default; so the row is scored with the default in its place,
    and the missing field wins if it comes first in the README's field order.
    """
    args = {k: _value(v) for k, v in row.items()}
    null_fields = [f for f in ("spo2_scale", "on_oxygen") if args[f] is None]
    for f in null_fields:
        args[f] = {"spo2_scale": 1, "on_oxygen": False}[f]
    try:
        result = news2.score(**args)
        error_field, message = None, None
    except news2.VitalsError as e:
        error_field, message = e.field, str(e)
    for f in null_fields:
        if error_field is None or FIELD_ORDER.index(f) < FIELD_ORDER.index(error_field):
            error_field, message = f, ("missing", f)
    if error_field is not None:
        return (None, None, None, message)
    return (result.total, result.risk, tuple(result.parameters[p] for p in PARAMETERS), None)


@pytest.fixture(scope="module")
def expected(rows: dict[str, Any]) -> list[tuple[Any, ...]]:
    names = list(rows)
    return [_expected_row(dict(zip(names, values))) for values in zip(*rows.values())]


def _got(frame: Any) -> list[tuple[Any, ...]]:
    names = ["total", "risk", *[f"{p}_score" for p in PARAMETERS], "error"]
    if isinstance(frame, pd.DataFrame):
        columns = [[None if pd.isna(v) else v for v in frame[n].astype(object)] for n in names]
    elif isinstance(frame, pl.DataFrame):
        columns = [frame[n].to_list() for n in names]
    else:
        columns = [frame.column(n).to_pylist() for n in names]
    out = []
    for total, risk, *rest in zip(*columns):
        scores, error = rest[:-1], rest[-1]
        out.append((total, risk, None if total is None else tuple(scores), error))
        if total is None:
            assert all(s is None for s in scores) and risk is None
    return out


def _inputs(rows: dict[str, Any]) -> dict[str, Any]:
    float_rows = {k: v for k, v in rows.items() if isinstance(v, np.ndarray)}
    return {
        "pandas": pd.DataFrame(rows),
        "polars": pl.DataFrame(
            {
                **{k: pl.Series(k, v) for k, v in float_rows.items()},
                "spo2_scale": pl.Series("spo2_scale", rows["spo2_scale"], dtype=pl.Float64),
                "on_oxygen": pl.Series("on_oxygen", rows["on_oxygen"], dtype=pl.Boolean),
                "consciousness": pl.Series("consciousness", rows["consciousness"], dtype=pl.String),
            }
        ),
        "pyarrow": pa.table({k: pa.array(v, from_pandas=k in float_rows) for k, v in rows.items()}),
        "dict": {k: (list(v) if k == "respiration_rate" else v) for k, v in rows.items()},
    }


@pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow", "dict"])
def test_batch_equals_row_by_row(rows: dict[str, Any], expected: list[tuple[Any, ...]], kind: str) -> None:
    result = news2.score_batch(_inputs(rows)[kind])
    assert len(result) == ROWS
    got = _got(result)
    mismatches = []
    for i, (g, e) in enumerate(zip(got, expected)):
        if isinstance(e[3], tuple):  # a null on_oxygen/spo2_scale cell: the batch calls it missing
            _, field = e[3]
            ok = g[0] is None and g[3] is not None and g[3].startswith(f"{field} is missing")
        else:
            ok = g == e
        if not ok:
            mismatches.append((i, {k: v[i] for k, v in rows.items()}, g, e))
    assert not mismatches, f"{len(mismatches)} rows differ, first: {mismatches[:3]}"
    kinds = {e[3] is None for e in expected}
    assert kinds == {True, False}, "the data must hold both scored and refused rows"


def test_pandas_output_keeps_the_index_and_nullable_types(rows: dict[str, Any]) -> None:
    frame = pd.DataFrame({k: (v[:50] if isinstance(v, np.ndarray) else v[:50]) for k, v in rows.items()})
    frame.index = pd.RangeIndex(1000, 1050)
    result = news2.score_batch(frame)
    assert list(result.index) == list(frame.index)
    assert str(result["total"].dtype) == "UInt8"
    assert isinstance(result["risk"].dtype, pd.CategoricalDtype) and result["risk"].cat.ordered


def test_record_batch_in_record_batch_out(rows: dict[str, Any]) -> None:
    table = _inputs(rows)["pyarrow"].slice(0, 100)
    batch = table.combine_chunks().to_batches()[0]
    result = news2.score_batch(batch)
    assert isinstance(result, pa.RecordBatch)
    assert result.to_pylist() == news2.score_batch(table).to_pylist()


def test_keywords_fill_absent_columns() -> None:
    data = {"respiration_rate": [16], "spo2": [95], "systolic_bp": [120], "pulse": [70], "consciousness": ["A"], "temperature": [37.0]}
    on_air_scale2 = news2.score_batch(data, spo2_scale=2).to_pylist()[0]
    assert on_air_scale2["spo2_score"] == news2.score(**{k: v[0] for k, v in data.items()}, spo2_scale=2).parameters["spo2"]
    on_oxygen = news2.score_batch(data, on_oxygen=True).to_pylist()[0]
    assert on_oxygen["on_oxygen_score"] == news2.score(**{k: v[0] for k, v in data.items()}, on_oxygen=True).parameters["on_oxygen"]


def test_empty_input() -> None:
    empty = {k: [] for k in ("respiration_rate", "spo2", "systolic_bp", "pulse", "temperature")}
    result = news2.score_batch(pd.DataFrame({**empty, "consciousness": pd.Series([], dtype=object)}))
    assert len(result) == 0 and "total" in result.columns


def test_threads_do_not_change_results(rows: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of 200,000 rows or more are split over threads; the result is the same."""
    table = _inputs(rows)["pyarrow"]
    big = pa.concat_tables([table, table, table]).combine_chunks()
    batch = big.to_batches()[0]
    monkeypatch.setenv("NEWS2_NUM_THREADS", "1")
    one = news2.score_batch(batch)
    monkeypatch.setenv("NEWS2_NUM_THREADS", "8")
    many = news2.score_batch(batch)
    assert isinstance(many, pa.RecordBatch) and many.num_rows == 3 * ROWS
    assert one.equals(many)
    assert many.column("risk").dictionary.to_pylist() == ["low", "low-medium", "medium", "high"]
    assert news2.score_batch(big).equals(pa.Table.from_batches([one]))
