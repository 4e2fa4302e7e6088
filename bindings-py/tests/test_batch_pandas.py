"""pandas in, pandas out: the extension reads object text columns itself and builds the
output frame from numpy arrays; every path must give what the pyarrow path gives."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import news2
from news2 import _news2

VITALS: dict[str, list[Any]] = {
    "respiration_rate": [18.0, 30.0, None, 12.5, 16.0, 20.0],
    "spo2": [96.0, 90.0, 97.0, 95.0, 98.0, 94.0],
    "systolic_bp": [120.0, 95.0, 120.0, 111.0, 130.0, 100.0],
    "pulse": [70.0, 135.0, 80.0, 91.0, 60.0, 88.0],
    "temperature": [37.0, 39.5, 37.0, 36.05, 36.5, 38.2],
    "on_oxygen": [False, True, None, False, True, False],
}
LEVELS: list[Any] = ["A", "V", "alrt", None, "Confused", "  p "]


def _frame(consciousness: Any, **columns: Any) -> pd.DataFrame:
    return pd.DataFrame({**VITALS, "consciousness": consciousness, **columns})


def _rows(out: Any) -> list[dict[str, Any]]:
    if isinstance(out, pd.DataFrame):
        return [{k: (None if pd.isna(v) else v) for k, v in r.items()} for r in out.astype(object).to_dict("records")]
    return list(out.to_pylist())


def _reference(levels: list[Any]) -> list[dict[str, Any]]:
    """The same rows through pyarrow, with the text column typed by hand."""
    table = pa.table({**VITALS, "consciousness": pa.array(levels, pa.string())})
    return _rows(news2.score_batch(table))


def test_object_text_with_none_and_nan_is_read_as_missing() -> None:
    levels = ["A", "V", "alrt", np.nan, "Confused", None]
    frame = _frame(np.array(levels, dtype=object))
    assert _rows(news2.score_batch(frame)) == _reference(["A", "V", "alrt", None, "Confused", None])


def test_object_text_built_at_run_time_and_numpy_str() -> None:
    """Equal texts held by distinct objects, and numpy's str subclass, read as text."""
    levels = ["".join(["A"]), np.str_("V"), "al" + "rt", None, "Conf" + "used", "  p "]
    assert _rows(news2.score_batch(_frame(np.array(levels, dtype=object)))) == _reference(
        ["A", "V", "alrt", None, "Confused", "  p "]
    )


def test_many_distinct_texts_keep_their_error_messages() -> None:
    """More distinct spellings than the extension remembers by address."""
    n = 60
    levels = [f"level {i}" if i % 3 else "A" for i in range(n)]
    vitals = {k: [v[0] if v[0] is not None else False for _ in range(n)] for k, v in VITALS.items()}
    frame = pd.DataFrame({**vitals, "consciousness": np.array(levels, dtype=object)})
    table = pa.table({**vitals, "consciousness": pa.array(levels)})
    out = news2.score_batch(frame)
    assert _rows(out) == _rows(news2.score_batch(table))
    assert "level 1" in out["error"][1]


def test_more_distinct_texts_than_narrow_dictionary_keys_hold() -> None:
    """Past 127 distinct spellings the column is read again with wide keys: every row
    keeps its own text, whichever key width read it."""
    levels = [None if i % 50 == 7 else f"level {i}" for i in range(300)] + ["A", "v"]
    narrow = _news2._object_text_arrow(np.array(levels[:100] + ["A"], dtype=object))
    wide = _news2._object_text_arrow(np.array(levels, dtype=object))
    assert narrow is not None and wide is not None
    assert str(narrow.type.index_type) == "int8" and str(wide.type.index_type) == "int32"
    assert narrow.to_pylist() == levels[:100] + ["A"]
    assert wide.to_pylist() == levels
    vitals = {k: [v[i % len(v)] for i in range(len(levels))] for k, v in VITALS.items()}
    frame = pd.DataFrame({**vitals, "consciousness": np.array(levels, dtype=object)})
    table = pa.table({**vitals, "consciousness": pa.array(levels, pa.string())})
    out = news2.score_batch(frame)
    assert _rows(out) == _rows(news2.score_batch(table))
    assert "level 299" in out["error"][299] and out["total"][300] is not pd.NA


def test_non_contiguous_object_column() -> None:
    levels = np.array(["A", "x", "V", "x", "alrt", "x", None, "x", "C", "x", "U", "x"], dtype=object)[::2]
    assert not levels.flags.c_contiguous
    data = {**{k: np.array(v, dtype=float if k != "on_oxygen" else object) for k, v in VITALS.items()}}
    data["on_oxygen"] = np.array([False, True, False, False, True, False])
    out = news2.score_batch({**data, "consciousness": levels})
    expected = news2.score_batch({**data, "consciousness": pa.array(list(levels), pa.string())})
    assert out.to_pylist() == expected.to_pylist()


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (["A", 1, "V", None, "P", "U"], "column 'consciousness' cannot be read as one type"),
        (["A", b"V", "V", None, "P", "U"], 'column "consciousness" holds Binary: expected text'),
        ([1, 2, 3, 4, 5, 6], 'column "consciousness" holds Int64: expected text'),
    ],
)
def test_object_column_with_other_values_is_refused_as_before(cells: list[Any], message: str) -> None:
    """Anything but text, None and NaN is left to pyarrow, and refused as it always was."""
    with pytest.raises(TypeError, match=message):
        news2.score_batch(_frame(np.array(cells, dtype=object)))


def test_pandas_na_in_an_object_column_is_missing() -> None:
    """pd.NA is left to pyarrow, which reads it as null, as before."""
    cells = np.array(["A", "V", "alrt", pd.NA, "Confused", "  p "], dtype=object)
    assert _rows(news2.score_batch(_frame(cells))) == _reference(["A", "V", "alrt", None, "Confused", "  p "])


def test_only_plain_text_objects_are_read_by_the_extension() -> None:
    assert _news2._object_text_arrow(np.array(["A", 1], dtype=object)) is None
    assert _news2._object_text_arrow(np.array(["A", "\ud800"], dtype=object)) is None
    assert _news2._object_text_arrow(np.array(["A", None, float("nan"), "A"], dtype=object)).to_pylist() == [
        "A",
        None,
        None,
        "A",
    ]


@pytest.mark.parametrize(
    "column",
    [
        pytest.param(lambda v: pd.Categorical(v), id="category"),
        pytest.param(lambda v: pd.Categorical(v, categories=["U", "alrt", "A", "V", "Confused", "  p "]), id="category unused"),
        pytest.param(lambda v: pd.array(v, dtype="string"), id="string"),
        pytest.param(lambda v: pd.array(v, dtype="string[pyarrow]"), id="string[pyarrow]"),
        pytest.param(lambda v: pd.array(v, dtype=pd.StringDtype("pyarrow", na_value=np.nan)), id="str (pandas 3)"),
        pytest.param(lambda v: pd.array(v, dtype=pd.ArrowDtype(pa.string())), id="ArrowDtype string"),
        pytest.param(lambda v: pd.array(v, dtype=pd.ArrowDtype(pa.dictionary(pa.int16(), pa.string()))), id="ArrowDtype dictionary"),
    ],
)
def test_text_column_types(column: Any) -> None:
    assert _rows(news2.score_batch(_frame(column(LEVELS)))) == _reference(LEVELS)


@pytest.mark.parametrize(
    "convert",
    [
        pytest.param(lambda s: s.astype("Float64"), id="Float64"),
        pytest.param(lambda s: s.round().astype("Int64"), id="Int64"),
        pytest.param(lambda s: s.astype(pd.ArrowDtype(pa.float64())), id="ArrowDtype float64"),
        pytest.param(lambda s: s.astype("float32"), id="float32"),
    ],
)
def test_nullable_number_columns(convert: Any) -> None:
    base = _frame(np.array(LEVELS, dtype=object))
    frame = base.assign(respiration_rate=convert(base.respiration_rate), pulse=convert(base.pulse))
    expected = base.assign(
        respiration_rate=frame.respiration_rate.to_numpy(dtype=float, na_value=np.nan),
        pulse=frame.pulse.to_numpy(dtype=float, na_value=np.nan),
    )
    assert _rows(news2.score_batch(frame)) == _rows(news2.score_batch(expected))


@pytest.mark.parametrize(
    "on_oxygen",
    [
        pytest.param(lambda v: pd.array(v, dtype="boolean"), id="boolean"),
        pytest.param(lambda v: pd.array(v, dtype=pd.ArrowDtype(pa.bool_())), id="ArrowDtype bool"),
    ],
)
def test_nullable_flag_columns(on_oxygen: Any) -> None:
    frame = _frame(np.array(LEVELS, dtype=object), on_oxygen=on_oxygen(VITALS["on_oxygen"]))
    assert _rows(news2.score_batch(frame)) == _reference(LEVELS)


def test_output_columns_types_and_duplicate_index() -> None:
    frame = _frame(np.array(LEVELS, dtype=object))
    frame.index = pd.Index(["a", "a", "b", "b", "c", "c"])
    out = news2.score_batch(frame)
    assert list(out.index) == list(frame.index)
    assert list(out.columns) == news2.score_batch(pa.Table.from_pandas(frame, preserve_index=False)).schema.names
    assert all(str(out[c].dtype) == "UInt8" for c in out.columns if c not in ("risk", "error"))
    assert out["risk"].dtype == pd.CategoricalDtype(["low", "low-medium", "medium", "high"], ordered=True)
    assert out["error"].dtype == object
    assert out["error"].iloc[0] is None
    assert out["risk"].isna().tolist() == out["error"].notna().tolist()


def test_output_columns_do_not_share_their_masks() -> None:
    out = news2.score_batch(_frame(np.array(LEVELS, dtype=object)))
    assert pd.isna(out["total"].iloc[2]) and pd.isna(out["pulse_score"].iloc[2])
    out.loc[out.index[2], "total"] = 5
    assert out["total"].iloc[2] == 5
    assert pd.isna(out["pulse_score"].iloc[2])


def test_empty_frame() -> None:
    frame = _frame(np.array(LEVELS, dtype=object)).iloc[:0]
    out = news2.score_batch(frame)
    assert len(out) == 0
    assert str(out["total"].dtype) == "UInt8" and out["error"].dtype == object


def test_error_column_under_pandas_string_inference_is_what_pyarrow_gives() -> None:
    # pandas 3 reads text as its ``str`` dtype; pandas 2.x does so under this option.
    with pd.option_context("future.infer_string", True):
        out = news2.score_batch(_frame(LEVELS))
        via_arrow = pa.table({"error": pa.array([None, "x"], pa.string())}).to_pandas()
        assert out["error"].dtype == via_arrow["error"].dtype
        expected = news2.score_batch(pa.Table.from_pandas(_frame(LEVELS)))["error"].to_pylist()
        assert [None if pd.isna(e) else e for e in out["error"]] == expected
        assert sum(pd.isna(e) for e in out["error"]) == expected.count(None) > 0
