"""classification.json through ``classify`` and ``Profile``."""

from __future__ import annotations

import json
from typing import Any

import pytest

import news2
from conftest import case_id, golden

CASES = golden("classification.json")


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_classify(case: dict[str, Any]) -> None:
    profile = None if case["profile"] == "default" else case["profile"]
    if "profile_error" in case:
        for attempt in (lambda: news2.Profile(profile), lambda: news2.Profile.from_json(json.dumps(profile))):
            with pytest.raises(news2.ProfileError) as info:
                attempt()
            assert isinstance(info.value, ValueError)
            assert info.value.field == case["profile_error"]["field"]
            assert info.value.kind == case["profile_error"]["kind"]
        return
    assert news2.classify(**case["input"], profile=profile) == case["expected"]
    if profile is not None:
        as_object = news2.Profile.from_dict(profile)
        assert news2.classify(**case["input"], profile=as_object) == case["expected"]
        assert news2.classify(**case["input"], profile=json.dumps(profile)) == case["expected"]


def test_profile_round_trip() -> None:
    custom = next(c["profile"] for c in CASES if c["profile"] != "default" and "profile_error" not in c)
    profile = news2.Profile(custom)
    assert news2.Profile(profile.to_dict()) == profile
    assert news2.Profile() == news2.Profile.default()


def test_profile_shape_errors_name_the_entry() -> None:
    with pytest.raises(news2.ProfileError) as info:
        news2.Profile({"heart_rate": {"warning_above": 100}})
    assert info.value.kind == "invalid_shape" and "heart_rate" in str(info.value)
    with pytest.raises(news2.ProfileError) as info:
        news2.Profile({"pulse": {"warn_above": 100}})
    assert info.value.field == "pulse" and "warn_above" in str(info.value)
    with pytest.raises(news2.ProfileError) as info:
        news2.Profile({"pulse": {"warning_above": "100"}})
    assert info.value.field == "pulse"
    with pytest.raises(news2.ProfileError) as info:
        news2.Profile({"consciousness": {"warning_above": 1}})
    assert (info.value.field, info.value.kind) == ("consciousness", "not_classified")
    with pytest.raises(news2.ProfileError) as info:
        news2.Profile({"pulse": {"warning_above": float("nan")}})
    assert (info.value.field, info.value.kind) == ("pulse", "not_finite")
    with pytest.raises(news2.ProfileError):
        news2.Profile.from_json("{not json")


def test_classify_rejects_impossible_values() -> None:
    with pytest.raises(news2.VitalsError) as info:
        news2.classify(diastolic_bp=400)
    assert (info.value.field, info.value.kind) == ("diastolic_bp", "out_of_range")
