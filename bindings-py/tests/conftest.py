"""Shared helpers: the golden files and the input/output vocabulary of the README."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

TESTDATA = Path(__file__).resolve().parents[2] / "testdata"

#: Error precedence inside one observation set (testdata/README.md).
FIELD_ORDER = (
    "respiration_rate",
    "spo2_scale",
    "spo2",
    "on_oxygen",
    "systolic_bp",
    "pulse",
    "consciousness",
    "temperature",
)
#: The six vitals every complete call needs (on_oxygen and spo2_scale have defaults).
VITALS = ("respiration_rate", "spo2", "systolic_bp", "pulse", "consciousness", "temperature")
#: The seven NEWS2 parameters, in chart order.
PARAMETERS = ("respiration_rate", "spo2", "on_oxygen", "systolic_bp", "pulse", "consciousness", "temperature")


def golden(name: str) -> list[dict[str, Any]]:
    """The cases of one golden file."""
    cases = json.loads((TESTDATA / name).read_text(encoding="utf-8"))["cases"]
    assert cases, f"{name} has no cases"
    return cases


def case_id(case: dict[str, Any]) -> str:
    """A readable pytest id for a case."""
    return str(case.get("name", case.get("input")))


def complete_arguments(inputs: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments for ``score``: an absent vital is passed as ``None``, which the
    README defines as the same thing; absent ``on_oxygen``/``spo2_scale`` stay absent."""
    args = {k: inputs.get(k) for k in VITALS}
    for k in ("on_oxygen", "spo2_scale"):
        if k in inputs:
            args[k] = inputs[k]
    return args


@pytest.fixture(scope="session")
def news2_cases() -> list[dict[str, Any]]:
    return golden("news2.json")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """A skipped test is a failure here: every test must run on CI (a skip would pass silently)."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped, and skips count as failures in this suite: {report.longrepr}"
