"""assembly.json through ``assemble``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

import news2
from conftest import PARAMETERS, case_id, golden

CASES = golden("assembly.json")


def _time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _records(case: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"parameter": r["parameter"], "value": r["value"], "time": _time(r["at"])} for r in case["readings"]]


def _check(case: dict[str, Any], observation: news2.ObservationSet) -> None:
    for p in PARAMETERS:
        expected = case["expected"][p]
        status = observation.status(p)
        assert status.freshness == expected["status"], p
        if expected["status"] == "missing":
            assert status.value is None and status.age is None and status.time is None
        else:
            assert status.value == expected["value"], p
            assert type(status.value) is type(expected["value"]) or isinstance(expected["value"], (int, float)), p
            assert status.age == dt.timedelta(seconds=expected["age_seconds"]), p
    missing = [p for p in PARAMETERS if case["expected"][p]["status"] == "missing"]
    stale = [p for p in PARAMETERS if case["expected"][p]["status"] == "stale"]
    assert observation.missing == missing and observation.stale == stale
    assert observation.complete is (not missing and not stale)
    if observation.complete:
        assert observation.score().total == observation.score_partial().total
    else:
        with pytest.raises(news2.IncompleteSetError) as info:
            observation.score()
        assert info.value.missing == missing and info.value.stale == stale
        assert sorted(observation.score_partial().missing) == sorted(missing + stale)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_assemble(case: dict[str, Any]) -> None:
    now = _time(case["now"])
    max_age = dt.timedelta(seconds=case["max_age_seconds"])
    (observation,) = news2.assemble(_records(case), now=now, max_age=max_age)
    assert observation.patient is None and observation.now == now and observation.max_age == max_age
    _check(case, observation)


def test_assemble_long_frame_with_patients() -> None:
    """The golden cases as patients of long-format frames, scored at every case's time."""
    by_max_age: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    for i, case in enumerate(CASES):
        by_max_age.setdefault(case["max_age_seconds"], []).append((i, case))
    checked = 0
    for seconds, cases in by_max_age.items():
        rows = [{"patient": f"p{i}", **r} for i, case in cases for r in _records(case)]
        frame = pd.DataFrame(rows, columns=["patient", "parameter", "value", "time"])
        nows = sorted({_time(c["now"]) for _, c in cases})
        sets = news2.assemble(frame, now=nows, max_age=dt.timedelta(seconds=seconds))
        found = {(s.patient, s.now): s for s in sets}
        for i, case in cases:
            if case["readings"]:
                _check(case, found[(f"p{i}", _time(case["now"]))])
                checked += 1
    assert checked == sum(1 for c in CASES if c["readings"])


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        news2.assemble(
            [{"parameter": "pulse", "value": 80, "time": dt.datetime(2024, 1, 1, 12)}],
            now=dt.datetime(2024, 1, 1, 13, tzinfo=dt.timezone.utc),
            max_age=dt.timedelta(hours=1),
        )


def test_bad_reading_names_it() -> None:
    utc = dt.timezone.utc
    with pytest.raises(news2.VitalsError) as info:
        news2.assemble(
            [
                {"parameter": "pulse", "value": 80, "time": dt.datetime(2024, 1, 1, 12, tzinfo=utc)},
                {"parameter": "spo2", "value": 977, "time": dt.datetime(2024, 1, 1, 12, tzinfo=utc)},
            ],
            now=dt.datetime(2024, 1, 1, 13, tzinfo=utc),
            max_age=dt.timedelta(hours=1),
        )
    assert (info.value.field, info.value.kind) == ("spo2", "out_of_range")
    assert "reading 1" in str(info.value) and "977" in str(info.value)
