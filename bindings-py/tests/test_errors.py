"""Every kind of bad input: the exception, its ``field`` and ``kind``, and a message that
names the field, the value and what was expected (bounds from testdata/README.md)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import news2
from conftest import VITALS

NORMAL: dict[str, Any] = {
    "respiration_rate": 16,
    "spo2": 97,
    "systolic_bp": 120,
    "pulse": 70,
    "consciousness": "A",
    "temperature": 37.0,
}

#: Accepted ranges, from the README's plausibility table.
BOUNDS = {
    "respiration_rate": ("0", "80"),
    "spo2": ("0", "100"),
    "systolic_bp": ("0", "300"),
    "pulse": ("0", "300"),
    "temperature": ("25.0", "45.0"),
}


def _raises(**changes: Any) -> news2.VitalsError:
    with pytest.raises(news2.VitalsError) as info:
        news2.score(**{**NORMAL, **changes})
    assert isinstance(info.value, ValueError)
    return info.value


@pytest.mark.parametrize("field", list(BOUNDS))
@pytest.mark.parametrize("where", ["above", "below"])
def test_out_of_range(field: str, where: str) -> None:
    low, high = BOUNDS[field]
    value = float(high) + 1000 if where == "above" else -1
    if field == "temperature" and where == "above":
        value = 150.0  # above the Fahrenheit band too
    e = _raises(**{field: value})
    assert (e.field, e.kind) == (field, "out_of_range")
    message = str(e)
    assert message.startswith(field)
    assert f"{value:g}" in message
    assert low in message and high in message


@pytest.mark.parametrize("value", [98.6, 77.0, 113.0])
def test_fahrenheit(value: float) -> None:
    e = _raises(temperature=value)
    assert (e.field, e.kind) == ("temperature", "looks_like_fahrenheit")
    assert f"{value:g}" in str(e) and "Celsius" in str(e)


@pytest.mark.parametrize("field", list(BOUNDS))
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_not_finite(field: str, value: float) -> None:
    e = _raises(**{field: value})
    assert (e.field, e.kind) == (field, "not_finite")
    assert field in str(e) and str(value).lower().lstrip("-") in str(e).lower()


@pytest.mark.parametrize("text", ["X", "", "alertt", "a.", "🙂"])
def test_invalid_consciousness(text: str) -> None:
    e = _raises(consciousness=text)
    assert (e.field, e.kind) == ("consciousness", "invalid_consciousness")
    assert repr(text)[1:-1] in str(e) and "A, C, V, P or U" in str(e)


@pytest.mark.parametrize("scale", [0, 3, 1.5, -1])
def test_invalid_scale(scale: float) -> None:
    e = _raises(spo2_scale=scale)
    assert (e.field, e.kind) == ("spo2_scale", "invalid_scale")
    assert f"{scale:g}" in str(e) and "1 or 2" in str(e)


@pytest.mark.parametrize("field", VITALS)
def test_missing(field: str) -> None:
    e = _raises(**{field: None})
    assert (e.field, e.kind) == (field, "missing")
    assert field in str(e) and "missing" in str(e)


def test_precedence_is_chart_order() -> None:
    e = _raises(respiration_rate=None, temperature=98.6, spo2=101)
    assert e.field == "respiration_rate"
    e = _raises(spo2=101, temperature=98.6)
    assert e.field == "spo2"


def test_missing_keyword_is_a_type_error() -> None:
    args = dict(NORMAL)
    del args["pulse"]
    with pytest.raises(TypeError, match="pulse"):
        news2.score(**args)


@pytest.mark.parametrize(
    ("field", "value"),
    [("pulse", "72"), ("pulse", True), ("temperature", [37.0]), ("consciousness", 0), ("on_oxygen", 1), ("on_oxygen", "yes"), ("spo2_scale", "2"), ("spo2_scale", True)],
)
def test_wrong_types_are_type_errors_naming_the_field(field: str, value: Any) -> None:
    with pytest.raises(TypeError) as info:
        news2.score(**{**NORMAL, field: value})
    assert str(info.value).startswith(field) and repr(value) in str(info.value)


def test_numpy_scalars_are_numbers() -> None:
    plain = news2.score(**NORMAL)
    as_numpy = news2.score(
        respiration_rate=np.int64(16),
        spo2=np.float64(97),
        systolic_bp=np.int32(120),
        pulse=np.uint16(70),
        consciousness=np.str_("A"),
        temperature=np.float32(37.0),
        on_oxygen=np.bool_(False),
    )
    assert plain == as_numpy


def test_float32_rounds_on_its_decimal_text() -> None:
    """float32(38.05) is 38.04999923… in binary; as written it is 38.05 → 38.1 (scores 1)."""
    assert news2.score(**{**NORMAL, "temperature": np.float32(38.05)}).parameters["temperature"] == 1
    assert news2.score(**{**NORMAL, "temperature": 38.05}).parameters["temperature"] == 1


def test_partial_checks_present_values() -> None:
    with pytest.raises(news2.VitalsError) as info:
        news2.score_partial(pulse=400)
    assert (info.value.field, info.value.kind) == ("pulse", "out_of_range")


def test_batch_keywords_are_checked() -> None:
    data = {k: [v] for k, v in NORMAL.items()}
    with pytest.raises(news2.VitalsError) as info:
        news2.score_batch(data, spo2_scale=3)
    assert info.value.field == "spo2_scale"
    with pytest.raises(TypeError, match="on_oxygen"):
        news2.score_batch(data, on_oxygen="yes")
    with pytest.raises(ValueError, match="both"):
        news2.score_batch({**data, "on_oxygen": [True]}, on_oxygen=True)


def test_batch_column_errors() -> None:
    data = {k: [v] for k, v in NORMAL.items()}
    del data["pulse"]
    with pytest.raises(ValueError, match="pulse"):
        news2.score_batch(data)
    with pytest.raises(TypeError, match="pulse"):
        news2.score_batch({**data, "pulse": ["72"]})
    with pytest.raises(TypeError, match="on_oxygen"):
        news2.score_batch({**data, "pulse": [72], "on_oxygen": [1]})
    with pytest.raises(TypeError, match="consciousness"):
        news2.score_batch({**data, "pulse": [72], "consciousness": [0]})
