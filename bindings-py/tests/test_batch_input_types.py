"""``score_batch`` reads the column types data frames really hold, with the same result."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import news2

BASE: dict[str, list[Any]] = {
    "respiration_rate": [18, 30, None, 12.5],
    "spo2": [96, 90, 97, 95],
    "systolic_bp": [120, 95, 120, 111],
    "pulse": [70, 135, 80, 91],
    "consciousness": ["A", "V", "alrt", None],
    "temperature": [37.0, 39.5, 37.0, 36.05],
    "on_oxygen": [False, True, None, False],
}
FRAME = pd.DataFrame(BASE)
VARIANTS = {
    "pandas category": lambda: FRAME.assign(consciousness=FRAME.consciousness.astype("category")),
    "pandas string[pyarrow]": lambda: FRAME.assign(consciousness=FRAME.consciousness.astype("string[pyarrow]")),
    "pandas Int64/Float64": lambda: FRAME.assign(
        pulse=FRAME.pulse.astype("Int64"), respiration_rate=FRAME.respiration_rate.astype("Float64")
    ),
    "pandas boolean": lambda: FRAME.assign(on_oxygen=FRAME.on_oxygen.astype("boolean")),
    "polars categorical": lambda: pl.from_pandas(FRAME).with_columns(pl.col("consciousness").cast(pl.Categorical)),
    "polars enum": lambda: pl.from_pandas(FRAME).with_columns(pl.col("consciousness").cast(pl.Enum(["A", "V", "alrt"]))),
    "polars int32/float32": lambda: pl.from_pandas(FRAME).with_columns(
        pl.col("pulse").cast(pl.Int32), pl.col("temperature").cast(pl.Float32)
    ),
    "pyarrow large_string": lambda: pa.table(BASE).set_column(4, "consciousness", pa.array(BASE["consciousness"], pa.large_string())),
    "pyarrow dictionary": lambda: pa.table(BASE).set_column(4, "consciousness", pa.array(BASE["consciousness"]).dictionary_encode()),
    "pyarrow float32": lambda: pa.table(BASE).set_column(5, "temperature", pa.array(BASE["temperature"], pa.float32())),
}


def _rows(out: Any) -> list[dict[str, Any]]:
    if isinstance(out, pd.DataFrame):
        return [{k: (None if pd.isna(v) else v) for k, v in r.items()} for r in out.astype(object).to_dict("records")]
    if isinstance(out, pl.DataFrame):
        return out.to_dicts()
    return out.to_pylist()


@pytest.mark.parametrize("name", list(VARIANTS))
def test_same_result_for_every_column_type(name: str) -> None:
    assert _rows(news2.score_batch(VARIANTS[name]())) == _rows(news2.score_batch(BASE))


def test_float32_cells_round_as_written() -> None:
    """A float32 36.05 is 36.04999923… in binary (which would round to 36.0 and score 1);
    it is scored as written, 36.05 → 36.1, like the float 36.05 in ``score``."""
    vitals = {"respiration_rate": 16, "spo2": 97, "systolic_bp": 120, "pulse": 70, "consciousness": "A"}
    expected = news2.score(**vitals, temperature=36.05).parameters["temperature"]
    batch = {**{k: [v] for k, v in vitals.items()}, "temperature": pa.array([36.05], pa.float32())}
    assert news2.score_batch(batch).to_pylist()[0]["temperature_score"] == expected


@pytest.mark.parametrize("text_type", [pa.string(), pa.large_string(), pa.string_view()], ids=str)
def test_a_null_text_is_missing_whatever_its_slot_holds(text_type: pa.DataType) -> None:
    """Chart letters are read from Arrow's offsets or views directly; a null row is missing
    even where its slot holds a letter (row 1 holds "U")."""
    texts = ["A", "U", "v", "alert", "é", "x"]
    data = "".join(texts).encode()
    offsets = np.cumsum([0] + [len(t.encode()) for t in texts]).astype(np.int32)
    validity = pa.array([True, False, True, True, True, True]).buffers()[1]
    held = pa.Array.from_buffers(
        pa.string(), len(texts), [validity, pa.py_buffer(offsets.tobytes()), pa.py_buffer(data)]
    ).cast(text_type)
    vitals = {"respiration_rate": [16.0] * 6, "spo2": [97.0] * 6, "systolic_bp": [120.0] * 6, "pulse": [70.0] * 6}
    vitals["temperature"] = [37.0] * 6
    out = news2.score_batch(pa.table({**vitals, "consciousness": held}))
    plain = pa.array(["A", None, "v", "alert", "é", "x"], text_type)
    assert out.to_pylist() == news2.score_batch(pa.table({**vitals, "consciousness": plain})).to_pylist()
    assert [r["consciousness_score"] for r in out.to_pylist()] == [0, None, 3, 0, None, None]
    assert "consciousness" in out.column("error")[1].as_py()


@pytest.mark.parametrize("step", [1, 3])
def test_numpy_bool_flags_read_as_given(step: int) -> None:
    """numpy ``bool`` columns (packed by the package, not pyarrow) give what a list of the
    same flags gives: a length that is not a multiple of 8, and a strided view."""
    rng = np.random.default_rng(7)
    n = 1003
    flags = rng.random(n * step) < 0.4
    on_oxygen = flags[::step]
    vitals = {
        "respiration_rate": np.full(n, 18.0),
        "spo2": rng.integers(85, 100, n).astype(float),
        "systolic_bp": np.full(n, 120.0),
        "pulse": np.full(n, 70.0),
        "consciousness": np.array(["A"] * n, dtype=object),
        "temperature": np.full(n, 37.0),
    }
    expected = news2.score_batch(pa.table({**vitals, "on_oxygen": pa.array(on_oxygen.tolist())})).to_pylist()
    assert news2.score_batch({**vitals, "on_oxygen": on_oxygen}).to_pylist() == expected
    frame = pd.DataFrame({**vitals, "on_oxygen": on_oxygen})
    assert frame["on_oxygen"].dtype == np.dtype(bool)
    assert _rows(news2.score_batch(frame)) == _rows(pa.Table.from_pylist(expected))
    assert sum(r["on_oxygen_score"] == 2 for r in expected) == int(on_oxygen.sum()) > 0
