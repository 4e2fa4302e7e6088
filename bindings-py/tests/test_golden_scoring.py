"""news2.json through ``score``, ``score_partial`` and ``score_batch``."""

from __future__ import annotations

from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import news2
from conftest import PARAMETERS, case_id, complete_arguments, golden

CASES = golden("news2.json")
COMPLETE = [c for c in CASES if not c.get("partial")]
PARTIAL = [c for c in CASES if c.get("partial")]


@pytest.mark.parametrize("case", COMPLETE, ids=case_id)
def test_score(case: dict[str, Any]) -> None:
    args = complete_arguments(case["input"])
    if "error" in case:
        with pytest.raises(news2.VitalsError) as info:
            news2.score(**args)
        assert (info.value.field, info.value.kind) == (case["error"]["field"], case["error"]["kind"])
        assert isinstance(info.value, ValueError)
        assert case["error"]["field"] in str(info.value)
        return
    result = news2.score(**args)
    got = result.to_dict()
    expected = case["expected"]
    assert {k: got[k] for k in expected} == expected
    assert result.total == expected["total"] and result.risk == expected["risk"]
    assert result.parameters == expected["parameters"]
    assert result.red == expected["red"]
    assert result.monitoring == expected["monitoring"]
    assert result.complete is True


@pytest.mark.parametrize("case", PARTIAL, ids=case_id)
def test_score_partial(case: dict[str, Any]) -> None:
    if "error" in case:
        with pytest.raises(news2.VitalsError) as info:
            news2.score_partial(**case["input"])
        assert (info.value.field, info.value.kind) == (case["error"]["field"], case["error"]["kind"])
        return
    result = news2.score_partial(**case["input"])
    got = result.to_dict()
    expected = case["expected"]
    assert {k: got[k] for k in expected} == expected
    assert result.missing == expected["missing"]
    assert result.complete == expected["complete"]


def _columns(cases: list[dict[str, Any]], names: list[str]) -> dict[str, list[Any]]:
    return {k: [c["input"].get(k) for c in cases] for k in names}


def _groups() -> list[tuple[list[str], list[dict[str, Any]]]]:
    """Complete cases grouped by which of spo2_scale/on_oxygen they give.

    The README defines a null or absent ``spo2_scale``/``on_oxygen`` as the default; in a
    batch a null *inside* a column is missing, so a case that leaves one out goes in a
    batch without that column.
    """
    groups: dict[tuple[bool, bool], list[dict[str, Any]]] = {}
    for c in COMPLETE:
        key = (c["input"].get("spo2_scale") is not None, c["input"].get("on_oxygen") is not None)
        groups.setdefault(key, []).append(c)
    out = []
    for (scale, oxygen), cases in groups.items():
        names = ["respiration_rate", "spo2", "systolic_bp", "pulse", "consciousness", "temperature"]
        names += ["spo2_scale"] * scale + ["on_oxygen"] * oxygen
        out.append((names, cases))
    return out


def _as_rows(frame: Any) -> list[dict[str, Any]]:
    if isinstance(frame, pd.DataFrame):
        return [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in frame.astype(object).to_dict("records")]
    if isinstance(frame, pl.DataFrame):
        return frame.to_dicts()
    return frame.to_pylist()


@pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow", "dict"])
def test_score_batch(kind: str) -> None:
    checked = 0
    for names, cases in _groups():
        columns = _columns(cases, names)
        data: Any = {
            "pandas": lambda: pd.DataFrame(columns),
            "polars": lambda: pl.DataFrame(columns, strict=False),
            "pyarrow": lambda: pa.table(columns),
            "dict": lambda: columns,
        }[kind]()
        result = news2.score_batch(data)
        expected_type = {"pandas": pd.DataFrame, "polars": pl.DataFrame, "pyarrow": pa.Table, "dict": pa.Table}[kind]
        assert isinstance(result, expected_type)
        for case, row in zip(cases, _as_rows(result)):
            if "error" in case:
                assert row["total"] is None and row["risk"] is None, case["name"]
                assert all(row[f"{p}_score"] is None for p in PARAMETERS), case["name"]
                assert row["error"].startswith(case["error"]["field"]), (case["name"], row["error"])
                with pytest.raises(news2.VitalsError) as info:
                    news2.score(**complete_arguments(case["input"]))
                assert row["error"] == str(info.value), case["name"]
            else:
                expected = case["expected"]
                assert row["error"] is None, (case["name"], row["error"])
                assert row["total"] == expected["total"], case["name"]
                assert row["risk"] == expected["risk"], case["name"]
                assert {p: row[f"{p}_score"] for p in PARAMETERS} == expected["parameters"], case["name"]
            checked += 1
    assert checked == len(COMPLETE)
