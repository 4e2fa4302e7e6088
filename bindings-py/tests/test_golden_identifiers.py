"""cpf.json and cns.json through the identifier API."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pytest

import news2
from conftest import case_id, golden

CPF = golden("cpf.json")
CNS = golden("cns.json")


def _check_error(error: news2.IdentifierError, expected: dict[str, Any], identifier: str) -> None:
    assert isinstance(error, ValueError)
    assert error.identifier == identifier
    assert error.kind == expected["kind"]
    for key in ("position", "expected", "found", "remainder"):
        if key in expected:
            assert getattr(error, key) == expected[key], key


@pytest.mark.parametrize("case", CPF, ids=case_id)
def test_cpf(case: dict[str, Any]) -> None:
    text = case["input"]
    assert news2.validate_cpf(text) is case["valid"]
    if case["valid"]:
        cpf = news2.Cpf(text)
        assert cpf == news2.Cpf.parse(text)
        assert cpf.digits == case["digits"]
        assert str(cpf) == case["formatted"]
        assert news2.format_cpf(text) == case["formatted"]
        assert cpf.fiscal_region == case["region"]
        assert case["digits"] not in repr(cpf)
    else:
        with pytest.raises(news2.IdentifierError) as info:
            news2.Cpf(text)
        _check_error(info.value, case["error"], "cpf")
        with pytest.raises(news2.IdentifierError):
            news2.format_cpf(text)


@pytest.mark.parametrize("case", CNS, ids=case_id)
def test_cns(case: dict[str, Any]) -> None:
    text = case["input"]
    assert news2.validate_cns(text) is case["valid"]
    if case["valid"]:
        cns = news2.Cns(text)
        assert cns.digits == case["digits"]
        assert str(cns) == case["formatted"]
        assert news2.format_cns(text) == case["formatted"]
        assert cns.kind == case["kind"]
    else:
        with pytest.raises(news2.IdentifierError) as info:
            news2.Cns.parse(text)
        _check_error(info.value, case["error"], "cns")


@pytest.mark.parametrize(
    "wrap",
    [list, lambda v: np.array(v, dtype=object), np.array, pa.array, lambda v: __import__("pandas").Series(v), lambda v: __import__("polars").Series(v)],
    ids=["list", "numpy-object", "numpy-str", "pyarrow", "pandas", "polars"],
)
def test_batches_agree_with_golden(wrap: Any) -> None:
    for cases, batch in ((CPF, news2.validate_cpf_batch), (CNS, news2.validate_cns_batch)):
        got = batch(wrap([c["input"] for c in cases]))
        assert isinstance(got, np.ndarray) and got.dtype == np.bool_
        assert got.tolist() == [c["valid"] for c in cases]


def test_batch_missing_is_never_valid() -> None:
    valid = next(c["input"] for c in CPF if c["valid"])
    got = news2.validate_cpf_batch([valid, None, float("nan"), valid])
    assert got.tolist() == [True, False, False, True]


def test_batch_refuses_numbers() -> None:
    with pytest.raises(TypeError, match="text"):
        news2.validate_cpf_batch(np.array([52998224725, 11144477735]))
