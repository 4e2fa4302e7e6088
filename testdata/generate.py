#!/usr/bin/env python3
"""Write the golden test-case files in this directory.

An independent implementation of the Royal College of Physicians NEWS2 chart
(2017) and of the rules in README.md, in plain Python (standard library only).
It never reads the code under test.

    python3 testdata/generate.py          # (re)write the five JSON files
    python3 testdata/generate.py --check  # exit 1 if a committed file differs

Output is deterministic: no randomness, no clock, fixed ordering.

Many expected values below are written twice: once by hand from the chart
(the `score`/`total`/`risk` given next to a case) and once by the scoring
functions; the generator refuses to write anything if the two disagree.
"""

import argparse
import json
import math
import sys
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent

# --------------------------------------------------------------------------
# Rules (README.md)
# --------------------------------------------------------------------------

# Validation / error-precedence order for one observation set.
FIELD_ORDER = [
    "respiration_rate",
    "spo2_scale",
    "spo2",
    "on_oxygen",
    "systolic_bp",
    "pulse",
    "consciousness",
    "temperature",
]
# Scored parameters, in field order.
PARAMETERS = [
    "respiration_rate",
    "spo2",
    "on_oxygen",
    "systolic_bp",
    "pulse",
    "consciousness",
    "temperature",
]
# Vitals: parameters that must be present in a complete call (on_oxygen
# defaults to air, spo2_scale to Scale 1).
VITALS = ["respiration_rate", "spo2", "systolic_bp", "pulse", "consciousness", "temperature"]

ONE = Decimal("1")
TENTH = Decimal("0.1")

# field: (low, high, resolution), all inclusive, on the rounded value.
BOUNDS = {
    "respiration_rate": (Decimal(0), Decimal(80), ONE),
    "spo2": (Decimal(0), Decimal(100), ONE),
    "systolic_bp": (Decimal(0), Decimal(300), ONE),
    "diastolic_bp": (Decimal(0), Decimal(250), ONE),
    "pulse": (Decimal(0), Decimal(300), ONE),
    "temperature": (Decimal("25.0"), Decimal("45.0"), TENTH),
}
FAHRENHEIT = (Decimal("77.0"), Decimal("113.0"))

CONSCIOUSNESS = {
    "a": "A",
    "c": "C",
    "v": "V",
    "p": "P",
    "u": "U",
    "alert": "A",
    "confusion": "C",
    "new confusion": "C",
    "confused": "C",
    "voice": "V",
    "pain": "P",
    "unresponsive": "U",
}

# Only these characters are ever used as surrounding whitespace in the cases,
# so that every language's "trim" agrees.
TRIM = " \t\n\r"


class Invalid(Exception):
    def __init__(self, field, kind):
        super().__init__(f"{field}: {kind}")
        self.field = field
        self.kind = kind


def round_half_away(x, resolution):
    """Round on the shortest decimal representation, half away from zero."""
    assert isinstance(x, (int, float)) and not isinstance(x, bool), x
    return Decimal(repr(x)).quantize(resolution, rounding=ROUND_HALF_UP)


def check_number(field, x):
    """Return the rounded Decimal value of a numeric vital, or raise Invalid."""
    assert isinstance(x, (int, float)) and not isinstance(x, bool), (field, x)
    if isinstance(x, float) and not math.isfinite(x):
        raise Invalid(field, "not_finite")
    if x < 0:
        raise Invalid(field, "out_of_range")
    low, high, resolution = BOUNDS[field]
    v = round_half_away(x, resolution)
    if low <= v <= high:
        return v
    if field == "temperature" and FAHRENHEIT[0] <= v <= FAHRENHEIT[1]:
        raise Invalid(field, "looks_like_fahrenheit")
    raise Invalid(field, "out_of_range")


def parse_consciousness(s):
    assert isinstance(s, str), s
    level = CONSCIOUSNESS.get(s.strip(TRIM).lower())
    if level is None:
        raise Invalid("consciousness", "invalid_consciousness")
    return level


def validate(inp, partial):
    """Validate an observation set in field order.

    Returns {field: value} with numbers rounded (Decimal), consciousness as
    a letter, scale as 1/2, on_oxygen as bool, and None for missing vitals
    (partial calls only). Raises Invalid for the first bad field.
    """
    out = {}
    for field in FIELD_ORDER:
        x = inp.get(field)
        if field == "spo2_scale":
            if x is None:
                out[field] = 1
            elif x in (1, 2) and not isinstance(x, bool):
                out[field] = x
            else:
                raise Invalid(field, "invalid_scale")
        elif field == "on_oxygen":
            if x is None:
                out[field] = False
            else:
                assert isinstance(x, bool), x
                out[field] = x
        elif x is None:
            if partial:
                out[field] = None
            else:
                raise Invalid(field, "missing")
        elif field == "consciousness":
            out[field] = parse_consciousness(x)
        else:
            out[field] = check_number(field, x)
    return out


# --------------------------------------------------------------------------
# The NEWS2 chart (RCP 2017), on rounded values.
# --------------------------------------------------------------------------


def score_rr(v):
    if v <= 8:
        return 3
    if v <= 11:
        return 1
    if v <= 20:
        return 0
    if v <= 24:
        return 2
    return 3


def score_spo2(v, scale, on_oxygen):
    if scale == 1:
        if v <= 91:
            return 3
        if v <= 93:
            return 2
        if v <= 95:
            return 1
        return 0
    # Scale 2
    if v <= 83:
        return 3
    if v <= 85:
        return 2
    if v <= 87:
        return 1
    if v <= 92 or not on_oxygen:
        return 0
    if v <= 94:
        return 1
    if v <= 96:
        return 2
    return 3


def score_oxygen(on_oxygen):
    return 2 if on_oxygen else 0


def score_sbp(v):
    if v <= 90:
        return 3
    if v <= 100:
        return 2
    if v <= 110:
        return 1
    if v <= 219:
        return 0
    return 3


def score_pulse(v):
    if v <= 40:
        return 3
    if v <= 50:
        return 1
    if v <= 90:
        return 0
    if v <= 110:
        return 1
    if v <= 130:
        return 2
    return 3


def score_consciousness(level):
    return 0 if level == "A" else 3


def score_temperature(v):
    if v <= Decimal("35.0"):
        return 3
    if v <= Decimal("36.0"):
        return 1
    if v <= Decimal("38.0"):
        return 0
    if v <= Decimal("39.0"):
        return 1
    return 2


def score_parameters(val):
    def maybe(f, x):
        return None if x is None else f(x)

    return {
        "respiration_rate": maybe(score_rr, val["respiration_rate"]),
        "spo2": maybe(lambda v: score_spo2(v, val["spo2_scale"], val["on_oxygen"]), val["spo2"]),
        "on_oxygen": score_oxygen(val["on_oxygen"]),
        "systolic_bp": maybe(score_sbp, val["systolic_bp"]),
        "pulse": maybe(score_pulse, val["pulse"]),
        "consciousness": maybe(score_consciousness, val["consciousness"]),
        "temperature": maybe(score_temperature, val["temperature"]),
    }


def clinical_risk(total, params):
    """Chart 3, in order."""
    if total >= 7:
        return "high"
    if total >= 5:
        return "medium"
    if any(s == 3 for s in params.values()):
        return "low-medium"
    return "low"


def chart4(total, risk):
    if risk == "high":
        return "continuous", "emergency"
    if risk == "medium":
        return "hourly", "urgent"
    if risk == "low-medium":
        return "hourly", "urgent_ward_based"
    if total == 0:
        return "twelve_hourly", "routine"
    return "four_to_six_hourly", "ward_based"


def news2(inp, partial=False):
    """Return ("expected", {...}) or ("error", {...}) for one case input."""
    try:
        val = validate(inp, partial)
    except Invalid as e:
        return "error", {"field": e.field, "kind": e.kind}
    params = score_parameters(val)
    total = sum(s for s in params.values() if s is not None)
    if partial:
        missing = [p for p in PARAMETERS if params[p] is None]
        return "expected", {
            "parameters": params,
            "total": total,
            "missing": missing,
            "complete": not missing,
        }
    risk = clinical_risk(total, params)
    monitoring, response = chart4(total, risk)
    return "expected", {
        "parameters": params,
        "total": total,
        "risk": risk,
        "red": [p for p in PARAMETERS if params[p] == 3],
        "scale": val["spo2_scale"],
        "monitoring": monitoring,
        "response": response,
    }


# --------------------------------------------------------------------------
# news2.json
# --------------------------------------------------------------------------

NORMAL = {
    "respiration_rate": 16,
    "spo2": 97,
    "spo2_scale": 1,
    "on_oxygen": False,
    "systolic_bp": 120,
    "pulse": 70,
    "consciousness": "A",
    "temperature": 37.0,
}


def obs(**changes):
    """A fully normal observation set with some fields changed.

    A change to the sentinel ABSENT removes the key entirely.
    """
    d = dict(NORMAL)
    for k, v in changes.items():
        assert k in d, k
        if v is ABSENT:
            del d[k]
        else:
            d[k] = v
    return d


ABSENT = object()


def news2_cases():
    cases = []

    def add(name, inp, partial=False, score=None, total=None, risk=None, error=None):
        """Add a case; the hand-written score/total/risk/error are asserted."""
        what, body = news2(inp, partial)
        if error is not None:
            assert what == "error" and body == {"field": error[0], "kind": error[1]}, (name, body)
        else:
            assert what == "expected", (name, body)
            if score is not None:
                field, s = score
                assert body["parameters"][field] == s, (name, body["parameters"])
            if total is not None:
                assert body["total"] == total, (name, body["total"])
            if risk is not None:
                assert body["risk"] == risk, (name, body["risk"])
        case = {"name": name}
        if partial:
            case["partial"] = True
        case["input"] = inp
        case[what] = body
        cases.append(case)

    # --- band edges, both sides, and the plausibility bounds -------------
    add("all normal", obs(), total=0, risk="low")

    for v, s in [(0, 3), (8, 3), (9, 1), (11, 1), (12, 0), (20, 0), (21, 2), (24, 2), (25, 3), (80, 3)]:
        add(f"respiration_rate {v} scores {s}", obs(respiration_rate=v), score=("respiration_rate", s))

    scale1 = [(0, 3), (91, 3), (92, 2), (93, 2), (94, 1), (95, 1), (96, 0), (100, 0)]
    for v, s in scale1:
        add(f"spo2 scale 1 on air {v} scores {s}", obs(spo2=v), score=("spo2", s))
    for v, s in scale1[1:-1]:
        add(f"spo2 scale 1 on oxygen {v} scores {s} (+2 for oxygen)",
            obs(spo2=v, on_oxygen=True), score=("spo2", s), total=s + 2)

    scale2_air = [(0, 3), (83, 3), (84, 2), (85, 2), (86, 1), (87, 1), (88, 0), (92, 0),
                  (93, 0), (97, 0), (100, 0)]
    for v, s in scale2_air:
        add(f"spo2 scale 2 on air {v} scores {s}", obs(spo2=v, spo2_scale=2),
            score=("spo2", s), total=s)
    scale2_oxygen = [(0, 3), (83, 3), (84, 2), (85, 2), (86, 1), (87, 1), (88, 0), (92, 0),
                     (93, 1), (94, 1), (95, 2), (96, 2), (97, 3), (100, 3)]
    for v, s in scale2_oxygen:
        add(f"spo2 scale 2 on oxygen {v} scores {s} (+2 for oxygen)",
            obs(spo2=v, spo2_scale=2, on_oxygen=True), score=("spo2", s), total=s + 2)

    for v, s in [(0, 3), (90, 3), (91, 2), (100, 2), (101, 1), (110, 1), (111, 0), (219, 0),
                 (220, 3), (300, 3)]:
        add(f"systolic_bp {v} scores {s}", obs(systolic_bp=v), score=("systolic_bp", s))

    for v, s in [(0, 3), (40, 3), (41, 1), (50, 1), (51, 0), (90, 0), (91, 1), (110, 1),
                 (111, 2), (130, 2), (131, 3), (300, 3)]:
        add(f"pulse {v} scores {s}", obs(pulse=v), score=("pulse", s))

    for v, s in [(25.0, 3), (35.0, 3), (35.1, 1), (36.0, 1), (36.1, 0), (38.0, 0), (38.1, 1),
                 (39.0, 1), (39.1, 2), (45.0, 2)]:
        add(f"temperature {v} scores {s}", obs(temperature=v), score=("temperature", s))

    # --- consciousness ---------------------------------------------------
    for c, s in [("A", 0), ("C", 3), ("V", 3), ("P", 3), ("U", 3)]:
        add(f"consciousness {c!r} scores {s}", obs(consciousness=c), score=("consciousness", s))
    for c, s in [("alert", 0), ("confusion", 3), ("new confusion", 3), ("confused", 3),
                 ("voice", 3), ("pain", 3), ("unresponsive", 3)]:
        add(f"consciousness word {c!r} scores {s}", obs(consciousness=c), score=("consciousness", s))
    for c, s in [("a", 0), ("v", 3), ("Alert", 0), ("ALERT", 0), ("New Confusion", 3),
                 ("pAiN", 3)]:
        add(f"consciousness mixed case {c!r} scores {s}", obs(consciousness=c),
            score=("consciousness", s))
    for c, s in [(" A", 0), ("  v  ", 3), ("\talert\n", 0), ("\n\tUnresponsive \r\n", 3)]:
        add(f"consciousness with surrounding whitespace {c!r} scores {s}", obs(consciousness=c),
            score=("consciousness", s))

    # --- Chart 3 clinical risk and Chart 4 response ----------------------
    add("chart 4: total 0 is low, twelve-hourly, routine", obs(), total=0, risk="low")
    add("chart 4: total 1 is low, 4-6 hourly, ward-based", obs(pulse=95), total=1, risk="low")
    add("chart 4: total 2 from oxygen alone is low", obs(on_oxygen=True), total=2, risk="low")
    add("chart 4: total 3 without a 3 is low", obs(respiration_rate=22, pulse=95), total=3, risk="low")
    add("chart 4: total 4 without a 3 is low", obs(respiration_rate=22, systolic_bp=95), total=4,
        risk="low")
    add("chart 4: single 3 with total 3 is low-medium, hourly, urgent ward-based",
        obs(consciousness="V"), total=3, risk="low-medium")
    add("chart 4: single 3 with total 4 is low-medium",
        obs(systolic_bp=85, temperature=35.5), total=4, risk="low-medium")
    add("chart 4: single 3 (spo2 scale 2 on oxygen) with oxygen 2 is total 5, medium",
        obs(spo2=97, spo2_scale=2, on_oxygen=True), total=5, risk="medium")
    add("chart 4: single 3 with total 5 is medium, not low-medium",
        obs(respiration_rate=26, spo2=93), total=5, risk="medium")
    add("chart 4: single 3 with total 6 is medium",
        obs(pulse=35, respiration_rate=10, systolic_bp=95), total=6, risk="medium")
    add("chart 4: total 5 without a 3 is medium, hourly, urgent",
        obs(respiration_rate=22, systolic_bp=95, temperature=38.5), total=5, risk="medium")
    add("chart 4: total 6 without a 3 is medium",
        obs(respiration_rate=22, systolic_bp=95, pulse=120), total=6, risk="medium")
    add("chart 4: two 3s with total 6 is medium",
        obs(consciousness="P", temperature=34.0), total=6, risk="medium")
    add("chart 4: total 7 without a 3 is high, continuous, emergency",
        obs(respiration_rate=22, systolic_bp=95, pulse=120, temperature=38.5), total=7, risk="high")
    add("chart 4: total 7 with a single 3 is high",
        obs(consciousness="V", respiration_rate=22, pulse=120), total=7, risk="high")
    add("chart 4: total 8 is high",
        obs(respiration_rate=30, spo2=90, on_oxygen=True), total=8, risk="high")
    add("chart 4: maximum total 20, every parameter red except oxygen",
        obs(respiration_rate=5, spo2=80, on_oxygen=True, systolic_bp=80, pulse=140,
            consciousness="U", temperature=34.5), total=20, risk="high")

    # --- rounding ---------------------------------------------------------
    for v, s in [(36.05, 0), (35.05, 1), (38.05, 1), (39.05, 2), (35.04, 3), (36.04, 1),
                 (38.04, 0), (35.95, 1), (24.95, 3), (45.04, 2)]:
        add(f"rounding: temperature {v} scores {s}", obs(temperature=v), score=("temperature", s))
    for v, s in [(8.5, 1), (8.49, 3), (20.5, 2), (20.49, 0), (24.49, 2), (24.5, 3),
                 (18.5, 0), (80.4, 3)]:
        add(f"rounding: respiration_rate {v} scores {s}", obs(respiration_rate=v),
            score=("respiration_rate", s))
    for v, s in [(95.5, 0), (95.49, 1), (91.5, 2), (100.4, 0)]:
        add(f"rounding: spo2 scale 1 {v} scores {s}", obs(spo2=v), score=("spo2", s))
    add("rounding: spo2 scale 2 on oxygen 92.5 rounds to 93, scores 1",
        obs(spo2=92.5, spo2_scale=2, on_oxygen=True), score=("spo2", 1))
    add("rounding: spo2 scale 2 on oxygen 92.49 rounds to 92, scores 0",
        obs(spo2=92.49, spo2_scale=2, on_oxygen=True), score=("spo2", 0))
    for v, s in [(90.5, 1), (90.49, 0), (40.5, 1), (130.5, 3)]:
        add(f"rounding: pulse {v} scores {s}", obs(pulse=v), score=("pulse", s))
    for v, s in [(110.5, 0), (110.49, 1), (219.5, 3), (219.49, 0), (90.5, 2)]:
        add(f"rounding: systolic_bp {v} scores {s}", obs(systolic_bp=v), score=("systolic_bp", s))
    for f, v in [("respiration_rate", 0.4), ("spo2", 0.4), ("systolic_bp", 0.4), ("pulse", 0.4)]:
        add(f"rounding: {f} {v} rounds to 0 and is accepted", obs(**{f: v}), score=(f, 3))

    # --- integer-valued floats -------------------------------------------
    add("integer temperature 37 is the same as 37.0", obs(temperature=37), score=("temperature", 0))
    add("integer temperature 35 scores 3", obs(temperature=35), score=("temperature", 3))
    add("float respiration_rate 18.0", obs(respiration_rate=18.0), score=("respiration_rate", 0))
    add("float spo2 96.0", obs(spo2=96.0), score=("spo2", 0))
    add("float systolic_bp 220.0", obs(systolic_bp=220.0), score=("systolic_bp", 3))
    add("float pulse 131.0", obs(pulse=131.0), score=("pulse", 3))

    # --- defaults for spo2_scale and on_oxygen ---------------------------
    add("spo2_scale absent means scale 1", obs(spo2=93, spo2_scale=ABSENT), score=("spo2", 2))
    add("spo2_scale null means scale 1", obs(spo2=93, spo2_scale=None), score=("spo2", 2))
    add("on_oxygen absent means air", obs(on_oxygen=ABSENT), score=("on_oxygen", 0))
    add("on_oxygen null means air", obs(on_oxygen=None), score=("on_oxygen", 0))
    add("on_oxygen absent on scale 2 at 97 is air, scores 0",
        obs(spo2=97, spo2_scale=2, on_oxygen=ABSENT), score=("spo2", 0), total=0)
    add("spo2_scale absent on oxygen at 97 is scale 1",
        obs(spo2=97, spo2_scale=ABSENT, on_oxygen=True), score=("spo2", 0), total=2)

    # --- errors: out_of_range on both sides of every field ----------------
    for f, vs in [
        ("respiration_rate", [81, 80.5, -1, -0.4]),
        ("spo2", [101, 100.5, -1, -0.4]),
        ("systolic_bp", [301, 300.5, -1, -0.4]),
        ("pulse", [301, 300.5, -1, -0.4]),
        ("temperature", [24.9, 24.94, 45.1, 45.05, 50, 76.94, 113.05, 113.1, 0, -0.4]),
    ]:
        for v in vs:
            add(f"error: {f} {v} is out_of_range", obs(**{f: v}), error=(f, "out_of_range"))
    for v in [77.0, 77, 76.95, 98.6, 100.4, 113.0, 113.04]:
        add(f"error: temperature {v} looks_like_fahrenheit", obs(temperature=v),
            error=("temperature", "looks_like_fahrenheit"))
    for c in ["X", "", " ", "alertt", "AV", "new  confusion", "drowsy", "a."]:
        add(f"error: consciousness {c!r} is invalid_consciousness", obs(consciousness=c),
            error=("consciousness", "invalid_consciousness"))
    for v in [3, 0]:
        add(f"error: spo2_scale {v} is invalid_scale", obs(spo2_scale=v),
            error=("spo2_scale", "invalid_scale"))
    for f in VITALS:
        add(f"error: {f} null is missing", obs(**{f: None}), error=(f, "missing"))
    add("error: temperature key absent is missing", obs(temperature=ABSENT),
        error=("temperature", "missing"))

    # --- error precedence --------------------------------------------------
    add("precedence: respiration_rate out_of_range before temperature fahrenheit",
        obs(respiration_rate=81, temperature=98.6), error=("respiration_rate", "out_of_range"))
    add("precedence: spo2_scale invalid before spo2 out_of_range",
        obs(spo2_scale=3, spo2=101), error=("spo2_scale", "invalid_scale"))
    add("precedence: respiration_rate missing before spo2_scale invalid",
        obs(respiration_rate=None, spo2_scale=0), error=("respiration_rate", "missing"))
    add("precedence: spo2_scale invalid before spo2 missing",
        obs(spo2_scale=3, spo2=None), error=("spo2_scale", "invalid_scale"))
    add("precedence: spo2 missing before systolic_bp out_of_range",
        obs(spo2=None, systolic_bp=301), error=("spo2", "missing"))
    add("precedence: systolic_bp negative before pulse out_of_range",
        obs(systolic_bp=-1, pulse=301), error=("systolic_bp", "out_of_range"))
    add("precedence: pulse missing before consciousness invalid",
        obs(pulse=None, consciousness="X"), error=("pulse", "missing"))
    add("precedence: consciousness invalid before temperature fahrenheit",
        obs(consciousness="", temperature=98.6), error=("consciousness", "invalid_consciousness"))
    add("precedence: consciousness missing before temperature missing",
        obs(consciousness=None, temperature=None), error=("consciousness", "missing"))
    add("precedence: spo2 out_of_range before temperature missing",
        obs(spo2=100.5, temperature=None), error=("spo2", "out_of_range"))
    add("precedence: all vitals null reports respiration_rate",
        {f: None for f in VITALS}, error=("respiration_rate", "missing"))
    add("precedence: empty input reports respiration_rate missing", {},
        error=("respiration_rate", "missing"))

    # --- partial scoring ---------------------------------------------------
    add("partial: nothing missing is complete", obs(), partial=True, total=0)
    add("partial: spo2 missing next to a red respiration_rate",
        obs(respiration_rate=8, spo2=None), partial=True, total=3)
    add("partial: temperature missing", obs(temperature=None, pulse=95), partial=True, total=1)
    add("partial: consciousness missing is not scored as alert",
        obs(consciousness=None), partial=True, total=0)
    add("partial: several missing, partial total of the rest",
        obs(spo2=None, pulse=None, temperature=None, respiration_rate=22, systolic_bp=85),
        partial=True, total=5)
    add("partial: spo2 missing on oxygen still scores oxygen",
        obs(spo2=None, on_oxygen=True, spo2_scale=2), partial=True, total=2)
    add("partial: all vitals missing, on air",
        {"respiration_rate": None, "spo2": None, "spo2_scale": 1, "on_oxygen": False,
         "systolic_bp": None, "pulse": None, "consciousness": None, "temperature": None},
        partial=True, total=0)
    add("partial: all vitals missing, on oxygen",
        {"respiration_rate": None, "spo2": None, "on_oxygen": True, "systolic_bp": None,
         "pulse": None, "consciousness": None, "temperature": None},
        partial=True, total=2)
    add("partial: empty input", {}, partial=True, total=0)
    add("partial: missing key absent rather than null", obs(systolic_bp=ABSENT, pulse=131),
        partial=True, total=3)
    add("partial: every present value red", obs(respiration_rate=30, spo2=None,
        systolic_bp=300, pulse=None, consciousness="u", temperature=35.0), partial=True, total=12)
    add("partial: error still reported for a bad present value",
        obs(temperature=98.6, spo2=None), partial=True,
        error=("temperature", "looks_like_fahrenheit"))
    add("partial: null skipped, next bad field reported",
        obs(respiration_rate=None, spo2=101), partial=True, error=("spo2", "out_of_range"))
    add("partial: invalid scale still reported",
        obs(spo2_scale=0, spo2=None), partial=True, error=("spo2_scale", "invalid_scale"))
    add("partial: invalid consciousness still reported",
        obs(consciousness="X", pulse=None), partial=True,
        error=("consciousness", "invalid_consciousness"))
    return cases


# --------------------------------------------------------------------------
# classification.json
# --------------------------------------------------------------------------

THRESHOLD_ORDER = ["critical_below", "warning_below", "warning_above", "critical_above"]
CLASSIFIED = ["respiration_rate", "spo2", "systolic_bp", "diastolic_bp", "pulse", "temperature"]

DEFAULT_PROFILE = {
    "respiration_rate": {"critical_below": 9, "warning_below": 12, "warning_above": 20,
                         "critical_above": 24},
    "spo2": {"critical_below": 92, "warning_below": 96},
    "systolic_bp": {"critical_below": 91, "warning_below": 111, "critical_above": 219},
    "diastolic_bp": {"critical_below": 40, "warning_below": 60, "warning_above": 90,
                     "critical_above": 120},
    "pulse": {"critical_below": 41, "warning_below": 51, "warning_above": 90,
              "critical_above": 130},
    "temperature": {"critical_below": 35.1, "warning_below": 36.1, "warning_above": 38.0},
}

BEDSIDE_PROFILE = {
    "pulse": {"critical_below": 40, "warning_below": 60, "warning_above": 100,
              "critical_above": 120},
    "spo2": {"critical_below": 90, "warning_below": 95},
    "systolic_bp": {"warning_above": 140, "critical_above": 180},
    "temperature": {"warning_below": 36.0, "warning_above": 38.5},
}


def profile_error(profile):
    for vital in CLASSIFIED:
        entry = profile.get(vital)
        if entry is None:
            continue
        present = [Decimal(repr(entry[k])) for k in THRESHOLD_ORDER if k in entry]
        if any(a > b for a, b in zip(present, present[1:])):
            return {"field": vital, "kind": "unordered_thresholds"}
    return None


def classify(profile, inp):
    resolved = dict(DEFAULT_PROFILE)
    if profile != "default":
        assert profile_error(profile) is None
        resolved.update(profile)  # whole entries replace the default entries
    out = {}
    for vital, x in inp.items():
        if vital == "consciousness":
            level = parse_consciousness(x)
            out[vital] = {"status": "normal" if level == "A" else "critical", "direction": None}
            continue
        v = check_number(vital, x)
        t = {k: Decimal(repr(val)) for k, val in resolved[vital].items()}
        if "critical_below" in t and v < t["critical_below"]:
            r = ("critical", "low")
        elif "warning_below" in t and v < t["warning_below"]:
            r = ("warning", "low")
        elif "critical_above" in t and v > t["critical_above"]:
            r = ("critical", "high")
        elif "warning_above" in t and v > t["warning_above"]:
            r = ("warning", "high")
        else:
            r = ("normal", None)
        out[vital] = {"status": r[0], "direction": r[1]}
    return out


def classification_cases():
    cases = []

    def add(name, profile, inp, hand):
        """hand: {vital: "normal" | "warning/low" | ...}, asserted against classify()."""
        expected = classify(profile, inp)
        assert list(expected) == list(inp)
        for vital, h in hand.items():
            st, _, d = h.partition("/")
            assert expected[vital] == {"status": st, "direction": d or None}, (name, vital, expected)
        assert set(hand) == set(inp), name
        cases.append({"name": name, "profile": profile, "input": inp, "expected": expected})

    def edges(profile, pname, vital, table):
        for v, h in table:
            add(f"{pname}: {vital} {v} is {h}", profile, {vital: v}, {vital: h})

    N, WL, WH, CL, CH = "normal", "warning/low", "warning/high", "critical/low", "critical/high"

    # Default profile, every threshold edge.
    edges("default", "default", "respiration_rate",
          [(0, CL), (8, CL), (9, WL), (11, WL), (12, N), (20, N), (21, WH), (24, WH), (25, CH),
           (80, CH)])
    edges("default", "default", "spo2",
          [(0, CL), (91, CL), (92, WL), (95, WL), (96, N), (100, N)])
    edges("default", "default", "systolic_bp",
          [(0, CL), (90, CL), (91, WL), (110, WL), (111, N), (219, N), (220, CH), (300, CH)])
    edges("default", "default", "diastolic_bp",
          [(0, CL), (39, CL), (40, WL), (59, WL), (60, N), (90, N), (91, WH), (120, WH),
           (121, CH), (250, CH)])
    edges("default", "default", "pulse",
          [(0, CL), (40, CL), (41, WL), (50, WL), (51, N), (90, N), (91, WH), (130, WH),
           (131, CH), (300, CH)])
    edges("default", "default", "temperature",
          [(25.0, CL), (35.0, CL), (35.1, WL), (36.0, WL), (36.1, N), (38.0, N), (38.1, WH),
           (39.1, WH), (45.0, WH)])
    for c, h in [("A", N), ("C", "critical"), ("V", "critical"), ("P", "critical"),
                 ("U", "critical"), ("alert", N), (" a ", N), ("New Confusion", "critical"),
                 ("confused", "critical"), ("unresponsive", "critical")]:
        add(f"default: consciousness {c!r} is {h}", "default", {"consciousness": c},
            {"consciousness": h})

    # Rounding before comparison.
    edges("default", "default rounding", "temperature",
          [(38.05, WH), (38.04, N), (36.05, N), (36.04, WL), (35.05, WL), (35.04, CL)])
    edges("default", "default rounding", "respiration_rate", [(20.5, WH), (20.49, N), (8.5, WL)])
    edges("default", "default rounding", "spo2", [(95.5, N), (91.5, WL), (91.49, CL)])
    edges("default", "default rounding", "diastolic_bp", [(90.5, WH), (39.5, WL)])
    edges("default", "default rounding", "systolic_bp", [(219.5, CH), (110.5, N)])
    edges("default", "default rounding", "pulse", [(90.5, WH), (40.5, WL)])
    add("default: integer temperature 38 is normal", "default", {"temperature": 38}, {"temperature": N})

    # Several vitals at once.
    add("default: a full set of vitals", "default",
        {"respiration_rate": 22, "spo2": 91, "systolic_bp": 150, "diastolic_bp": 95,
         "pulse": 135, "temperature": 36.5, "consciousness": "V"},
        {"respiration_rate": WH, "spo2": CL, "systolic_bp": N, "diastolic_bp": WH,
         "pulse": CH, "temperature": N, "consciousness": "critical"})
    add("default: all normal", "default",
        {"respiration_rate": 16, "spo2": 98, "systolic_bp": 120, "diastolic_bp": 80,
         "pulse": 70, "temperature": 37.0, "consciousness": "A"},
        {"respiration_rate": N, "spo2": N, "systolic_bp": N, "diastolic_bp": N, "pulse": N,
         "temperature": N, "consciousness": N})

    # Bedside-monitor-like custom profile.
    B = BEDSIDE_PROFILE
    edges(B, "bedside", "pulse",
          [(0, CL), (39, CL), (40, WL), (59, WL), (60, N), (100, N), (101, WH), (120, WH),
           (121, CH), (300, CH), (39.5, WL), (39.49, CL), (100.5, WH), (120.49, WH), (120.5, CH)])
    edges(B, "bedside", "spo2", [(0, CL), (89, CL), (90, WL), (94, WL), (95, N), (100, N),
                                 (89.5, WL), (94.5, N)])
    edges(B, "bedside", "systolic_bp",
          [(140, N), (141, WH), (180, WH), (181, CH), (300, CH), (140.5, WH), (180.49, WH),
           (85, N), (0, N)])
    edges(B, "bedside", "temperature",
          [(25.0, WL), (35.9, WL), (36.0, N), (38.5, N), (38.6, WH), (45.0, WH), (35.95, N),
           (35.94, WL), (38.55, WH), (38.54, N)])
    # Vitals the bedside profile omits fall back to the default entries.
    edges(B, "bedside falls back to default", "respiration_rate",
          [(8, CL), (9, WL), (12, N), (20, N), (21, WH), (25, CH)])
    edges(B, "bedside falls back to default", "diastolic_bp",
          [(39, CL), (40, WL), (60, N), (91, WH), (121, CH)])
    add("bedside: consciousness 'A' is normal", B, {"consciousness": "A"}, {"consciousness": N})
    add("bedside: consciousness 'P' is critical", B, {"consciousness": "P"},
        {"consciousness": "critical"})
    add("bedside: a full set of vitals", B,
        {"respiration_rate": 18, "spo2": 93, "systolic_bp": 185, "diastolic_bp": 100,
         "pulse": 110, "temperature": 38.7, "consciousness": "alert"},
        {"respiration_rate": N, "spo2": WL, "systolic_bp": CH, "diastolic_bp": WH,
         "pulse": WH, "temperature": WH, "consciousness": N})

    # A profile with only one vital: everything else is default.
    P = {"temperature": {"critical_below": 35.0, "warning_below": 36.0, "warning_above": 38.0,
                         "critical_above": 39.0}}
    edges(P, "temperature-only profile", "temperature",
          [(34.9, CL), (35.0, WL), (35.9, WL), (36.0, N), (38.0, N), (38.05, WH), (39.0, WH),
           (39.05, CH), (39.1, CH)])
    add("temperature-only profile: pulse uses default", P,
        {"pulse": 131, "spo2": 95, "systolic_bp": 90},
        {"pulse": CH, "spo2": WL, "systolic_bp": CL})

    # Equal adjacent thresholds are allowed (non-decreasing).
    E = {"pulse": {"critical_below": 50, "warning_below": 50, "warning_above": 100,
                   "critical_above": 100}}
    edges(E, "equal thresholds", "pulse", [(49, CL), (50, N), (100, N), (101, CH)])
    # An empty entry has no thresholds at all.
    Z = {"spo2": {}}
    edges(Z, "empty spo2 entry", "spo2", [(0, N), (100, N)])

    # Invalid profiles.
    for name, prof, field in [
        ("pulse critical_below above warning_below",
         {"pulse": {"critical_below": 60, "warning_below": 40, "warning_above": 100,
                    "critical_above": 120}}, "pulse"),
        ("spo2 critical_below above warning_below",
         {"spo2": {"critical_below": 95, "warning_below": 90}}, "spo2"),
        ("temperature warning_above above critical_above",
         {"temperature": {"warning_above": 38.5, "critical_above": 38.4}}, "temperature"),
        ("systolic_bp warning_below above warning_above",
         {"systolic_bp": {"warning_below": 150, "warning_above": 140}}, "systolic_bp"),
        ("respiration_rate critical_below above critical_above, middle absent",
         {"respiration_rate": {"critical_below": 30, "critical_above": 25}}, "respiration_rate"),
        ("diastolic_bp critical_above below warning_below",
         {"diastolic_bp": {"critical_below": 40, "warning_below": 60, "critical_above": 50}},
         "diastolic_bp"),
        ("temperature warning_below above warning_above by 0.1",
         {"temperature": {"warning_below": 36.1, "warning_above": 36.0}}, "temperature"),
        ("bedside profile with pulse reversed",
         {**BEDSIDE_PROFILE, "pulse": {"critical_below": 40, "warning_below": 60,
                                       "warning_above": 120, "critical_above": 100}}, "pulse"),
    ]:
        err = profile_error(prof)
        assert err == {"field": field, "kind": "unordered_thresholds"}, (name, err)
        cases.append({"name": f"invalid profile: {name}", "profile": prof, "profile_error": err})
    return cases


# --------------------------------------------------------------------------
# assembly.json
# --------------------------------------------------------------------------


def parse_time(s):
    t = datetime.fromisoformat(s.replace("Z", "+00:00"))
    assert t.tzinfo is not None, s
    return t


def assemble(now, max_age, readings):
    now_t = parse_time(now)
    chosen = {}
    for r in readings:  # later entries win ties, so compare with >=
        at = parse_time(r["at"])
        if at > now_t:
            continue
        p = r["parameter"]
        assert p in PARAMETERS, p
        if p not in chosen or at >= chosen[p][0]:
            chosen[p] = (at, r["value"])
    out = {}
    for p in PARAMETERS:
        if p not in chosen:
            out[p] = {"status": "missing"}
            continue
        at, value = chosen[p]
        age = (now_t - at).total_seconds()
        assert age == int(age) and age >= 0
        age = int(age)
        out[p] = {"status": "fresh" if age <= max_age else "stale", "value": value,
                  "age_seconds": age}
    return out


def assembly_cases():
    cases = []
    NOW = "2024-05-14T12:00:00Z"

    def add(name, readings, hand, now=NOW, max_age=3600):
        """hand: {parameter: (status, value, age)} for non-missing parameters."""
        expected = assemble(now, max_age, readings)
        for p in PARAMETERS:
            if p in hand:
                st, v, age = hand[p]
                assert expected[p] == {"status": st, "value": v, "age_seconds": age}, (name, p)
            else:
                assert expected[p] == {"status": "missing"}, (name, p)
        cases.append({"name": name, "now": now, "max_age_seconds": max_age,
                      "readings": readings, "expected": expected})

    def r(p, v, at):
        return {"parameter": p, "value": v, "at": at}

    full = [
        r("respiration_rate", 18, "2024-05-14T11:50:00Z"),
        r("spo2", 96, "2024-05-14T11:50:00Z"),
        r("on_oxygen", False, "2024-05-14T11:45:00Z"),
        r("systolic_bp", 128, "2024-05-14T11:30:00Z"),
        r("pulse", 82, "2024-05-14T11:55:00Z"),
        r("consciousness", "A", "2024-05-14T11:00:00Z"),
        r("temperature", 37.2, "2024-05-14T11:40:00Z"),
    ]
    full_hand = {
        "respiration_rate": ("fresh", 18, 600),
        "spo2": ("fresh", 96, 600),
        "on_oxygen": ("fresh", False, 900),
        "systolic_bp": ("fresh", 128, 1800),
        "pulse": ("fresh", 82, 300),
        "consciousness": ("fresh", "A", 3600),
        "temperature": ("fresh", 37.2, 1200),
    }
    add("all fresh (consciousness exactly max_age old)", full, full_hand)

    stale = [x if x["parameter"] != "temperature" else r("temperature", 37.2, "2024-05-14T10:00:00Z")
             for x in full]
    add("one stale: temperature two hours old", stale,
        {**full_hand, "temperature": ("stale", 37.2, 7200)})

    missing = [x for x in full if x["parameter"] != "pulse"]
    add("one missing: no pulse reading", missing,
        {k: v for k, v in full_hand.items() if k != "pulse"})

    add("no readings: everything missing", [], {})

    add("tie on timestamp: the later reading in the list wins",
        [r("pulse", 80, "2024-05-14T11:50:00Z"), r("pulse", 88, "2024-05-14T11:50:00Z"),
         r("on_oxygen", True, "2024-05-14T11:40:00Z"), r("on_oxygen", False, "2024-05-14T11:40:00Z")],
        {"pulse": ("fresh", 88, 600), "on_oxygen": ("fresh", False, 1200)})

    add("reading after now is ignored",
        [r("spo2", 95, "2024-05-14T11:58:00Z"), r("spo2", 88, "2024-05-14T12:00:01Z"),
         r("pulse", 120, "2024-05-14T12:05:00Z")],
        {"spo2": ("fresh", 95, 120)})

    add("reading exactly at now is used with age 0",
        [r("respiration_rate", 14, "2024-05-14T11:00:00Z"),
         r("respiration_rate", 24, "2024-05-14T12:00:00Z")],
        {"respiration_rate": ("fresh", 24, 0)})

    add("age exactly max_age is fresh, max_age + 1 s is stale",
        [r("systolic_bp", 110, "2024-05-14T11:00:00Z"), r("pulse", 95, "2024-05-14T10:59:59Z")],
        {"systolic_bp": ("fresh", 110, 3600), "pulse": ("stale", 95, 3601)})

    add("several readings per parameter, out of order: the latest by time is used",
        [r("temperature", 38.4, "2024-05-14T11:30:00Z"), r("temperature", 37.9, "2024-05-14T09:00:00Z"),
         r("temperature", 39.0, "2024-05-14T11:45:00Z"), r("temperature", 36.8, "2024-05-14T10:00:00Z"),
         r("pulse", 100, "2024-05-14T11:59:00Z"), r("pulse", 60, "2024-05-14T11:00:00Z")],
        {"temperature": ("fresh", 39.0, 900), "pulse": ("fresh", 100, 60)})

    add("latest reading stale even though the list has older ones",
        [r("spo2", 97, "2024-05-14T08:00:00Z"), r("spo2", 94, "2024-05-14T10:00:00Z")],
        {"spo2": ("stale", 94, 7200)})

    add("consciousness as a letter and on_oxygen true",
        [r("consciousness", "A", "2024-05-14T11:00:00Z"), r("consciousness", "V", "2024-05-14T11:55:00Z"),
         r("on_oxygen", False, "2024-05-14T10:30:00Z"), r("on_oxygen", True, "2024-05-14T11:20:00Z")],
        {"consciousness": ("fresh", "V", 300), "on_oxygen": ("fresh", True, 2400)})

    add("all stale with a short max_age", full,
        {k: ("stale", v, a) for k, (_, v, a) in full_hand.items()}, max_age=60)

    add("max_age 0: only a reading at now is fresh",
        [r("pulse", 72, "2024-05-14T12:00:00Z"), r("respiration_rate", 16, "2024-05-14T11:59:59Z")],
        {"pulse": ("fresh", 72, 0), "respiration_rate": ("stale", 16, 1)}, max_age=0)

    add("timestamps with a UTC offset are compared as instants",
        [r("pulse", 76, "2024-05-14T13:30:00+02:00"), r("pulse", 90, "2024-05-14T11:20:00Z"),
         r("temperature", 37.5, "2024-05-14T08:00:00-04:00")],
        {"pulse": ("fresh", 76, 1800), "temperature": ("fresh", 37.5, 0)},
        now="2024-05-14T12:00:00Z")

    add("now with an offset",
        [r("systolic_bp", 135, "2024-05-14T12:00:00Z")],
        {"systolic_bp": ("fresh", 135, 1800)},
        now="2024-05-14T13:30:00+01:00")

    add("a long max_age keeps day-old readings fresh",
        [r("consciousness", "C", "2024-05-13T12:00:00Z"), r("temperature", 36.0, "2024-05-13T11:59:59Z")],
        {"consciousness": ("fresh", "C", 86400), "temperature": ("stale", 36.0, 86401)},
        max_age=86400)
    return cases


# --------------------------------------------------------------------------
# cpf.json
# --------------------------------------------------------------------------

DIGITS = "0123456789"  # ASCII only: str.isdigit() would accept other scripts


def cpf_check_digit(digits):
    n = len(digits)  # 9 or 10
    s = sum(int(d) * (n + 1 - i) for i, d in enumerate(digits))
    r = s % 11
    return 0 if r < 2 else 11 - r


def cpf_complete(base9):
    d1 = cpf_check_digit(base9)
    d2 = cpf_check_digit(base9 + str(d1))
    return base9 + str(d1) + str(d2)


def cpf_format(d):
    return f"{d[0:3]}.{d[3:6]}.{d[6:9]}-{d[9:11]}"


def cpf_validate(raw):
    s = raw.strip(TRIM)
    if s == "":
        return {"kind": "empty"}
    for i, ch in enumerate(s):
        if ch not in DIGITS and ch not in ".-":
            return {"kind": "invalid_character", "position": i}
    digits = "".join(ch for ch in s if ch in DIGITS)
    if "." in s or "-" in s:
        for i in range(min(len(s), 14)):
            want = "." if i in (3, 7) else "-" if i == 11 else "digit"
            ok = s[i] in DIGITS if want == "digit" else s[i] == want
            if not ok:
                return {"kind": "invalid_character", "position": i}
        if len(s) != 14:
            return {"kind": "wrong_length", "found": len(digits)}
    elif len(digits) != 11:
        return {"kind": "wrong_length", "found": len(digits)}
    if len(set(digits)) == 1:
        return {"kind": "repeated_digits"}
    for pos in (9, 10):
        expected = cpf_check_digit(digits[:pos])
        found = int(digits[pos])
        if expected != found:
            return {"kind": "check_digit", "position": pos, "expected": expected, "found": found}
    return None


def cpf_case(raw, hand=None):
    err = cpf_validate(raw)
    if err is None:
        d = "".join(ch for ch in raw if ch in DIGITS)
        case = {"input": raw, "valid": True, "digits": d, "formatted": cpf_format(d),
                "region": int(d[8])}
        assert hand in (None, "valid"), (raw, hand)
    else:
        case = {"input": raw, "valid": False, "error": err}
        if hand is not None:
            assert err == hand, (raw, err, hand)
    return case


def base_sequence(length, start, step):
    """A deterministic walk over `length`-digit bases (no randomness)."""
    mod = 10 ** length
    x = start
    while True:
        yield f"{x % mod:0{length}d}"
        x += step


def cpf_cases():
    cases = []
    seen = set()

    def add(raw, hand=None):
        assert raw not in seen, raw
        seen.add(raw)
        cases.append(cpf_case(raw, hand))

    # Well-known valid numbers, checked by hand.
    for known in ["52998224725", "11144477735", "12345678909"]:
        assert cpf_complete(known[:9]) == known, known

    # Valid bases: the known ones, one for every region 0-9, and ones whose
    # check digits hit the r == 0 and r == 1 branches.
    bases = ["529982247", "111444777", "123456789"]
    want_region = set(range(10)) - {int(b[8]) for b in bases}
    want_r = {("d1", 0), ("d1", 1), ("d2", 0), ("d2", 1)}
    for b in base_sequence(9, 314159265, 7919 * 10007):
        if not want_region and not want_r:
            break
        if len(set(b)) == 1:
            continue
        s1 = sum(int(d) * (10 - i) for i, d in enumerate(b)) % 11
        d1 = 0 if s1 < 2 else 11 - s1
        s2 = sum(int(d) * (11 - i) for i, d in enumerate(b + str(d1))) % 11
        take = False
        if int(b[8]) in want_region:
            want_region.discard(int(b[8]))
            take = True
        for key in (("d1", s1), ("d2", s2)):
            if key in want_r:
                want_r.discard(key)
                take = True
        if take:
            bases.append(b)

    for b in bases:
        d = cpf_complete(b)
        add(d, "valid")
        add(cpf_format(d), "valid")
    add("  529.982.247-25  ", "valid")
    add("\t52998224725\n", "valid")
    add(" 111.444.777-35\r\n", "valid")

    # empty
    for raw in ["", " ", "   ", "\t\n ", "\r\n"]:
        add(raw, {"kind": "empty"})

    # wrong_length
    for raw, n in [("5299822472", 10), ("529982247250", 12), ("1", 1), ("123456789012345", 15),
                   ("529.982.247-2", 10), ("529.982.247-", 9), ("529.982.24", 8),
                   ("529.982", 6), ("529.", 3), ("529.982.247-255", 12),
                   ("529.982.247-25.", 11), ("529.982.247-25-", 11), (" 5299822472 ", 10)]:
        add(raw, {"kind": "wrong_length", "found": n})

    # invalid_character
    for raw, pos in [
        ("abc", 0),
        ("5299822472a", 10),
        ("52998224725x", 11),
        ("529.982.247-2X", 13),
        ("\uff11\uff12\uff13", 0),                     # fullwidth digits
        ("529982247\uff125", 9),                        # a fullwidth digit inside
        ("\u0665\u0662\u0669\u0669\u0668\u0662\u0662\u0664\u0667\u0662\u0665", 0),  # Arabic-Indic
        ("529982247\u00b2\u2075", 9),                   # superscript digits
        ("529 982 247 25", 3),                          # inner space
        ("529.982.247 25", 11),
        (" 52998224a725 ", 8),                          # position is in the trimmed input
        ("529/982/247-25", 3),
        ("+52998224725", 0),
        ("529982247-25", 3),                            # not an accepted shape
        ("5299.82.247-25", 3),                          # wrong separator position
        ("529-982-247-25", 3),
        ("529.982.247.25", 11),
        ("529.982-247-25", 7),
        ("529..982.247-25", 4),
        (".529.982.247-25", 0),
        ("-", 0),
        ("...", 0),
        ("52998224725-", 3),
        ("529.982.24725", 11),
    ]:
        add(raw, {"kind": "invalid_character", "position": pos})

    # repeated_digits, all ten
    for d in DIGITS:
        add(d * 11, {"kind": "repeated_digits"})
    add("111.111.111-11", {"kind": "repeated_digits"})
    add(" 000.000.000-00 ", {"kind": "repeated_digits"})

    # check_digit
    add("529.982.247-35", {"kind": "check_digit", "position": 9, "expected": 2, "found": 3})
    add("52998224726", {"kind": "check_digit", "position": 10, "expected": 5, "found": 6})
    add("52998224736", {"kind": "check_digit", "position": 9, "expected": 2, "found": 3})
    add("11111111100", {"kind": "check_digit", "position": 9, "expected": 1, "found": 0})
    add("11111111110", {"kind": "check_digit", "position": 10, "expected": 1, "found": 0})
    add("123.456.789-10", {"kind": "check_digit", "position": 9, "expected": 0, "found": 1})
    add("123.456.789-00", {"kind": "check_digit", "position": 10, "expected": 9, "found": 0})
    add("11144477734", {"kind": "check_digit", "position": 10, "expected": 5, "found": 4})
    # Every other base, with each check digit off by one.
    for b in bases[3:]:
        d = cpf_complete(b)
        bad9 = d[:9] + str((int(d[9]) + 1) % 10) + d[10]
        bad10 = d[:10] + str((int(d[10]) + 1) % 10)
        add(bad9, {"kind": "check_digit", "position": 9, "expected": int(d[9]),
                   "found": (int(d[9]) + 1) % 10})
        add(cpf_format(bad10), {"kind": "check_digit", "position": 10, "expected": int(d[10]),
                                "found": (int(d[10]) + 1) % 10})
    return cases


# --------------------------------------------------------------------------
# cns.json
# --------------------------------------------------------------------------


def cns_sum(d):
    return sum(int(ch) * (15 - i) for i, ch in enumerate(d))


def cns_complete(base14):
    """The last digit making the weighted sum divisible by 11, or None (it would be 10)."""
    last = (-cns_sum(base14)) % 11  # weight of the last digit is 1
    return None if last == 10 else base14 + str(last)


def cns_format(d):
    return f"{d[0:3]} {d[3:7]} {d[7:11]} {d[11:15]}"


def cns_validate(raw):
    s = raw.strip(TRIM)
    if s == "":
        return {"kind": "empty"}
    for i, ch in enumerate(s):
        if ch not in DIGITS and ch != " ":
            return {"kind": "invalid_character", "position": i}
    digits = "".join(ch for ch in s if ch in DIGITS)
    if " " in s:
        for i in range(min(len(s), 18)):
            ok = s[i] == " " if i in (3, 8, 13) else s[i] in DIGITS
            if not ok:
                return {"kind": "invalid_character", "position": i}
        if len(s) != 18:
            return {"kind": "wrong_length", "found": len(digits)}
    elif len(digits) != 15:
        return {"kind": "wrong_length", "found": len(digits)}
    if digits[0] not in "12789":
        return {"kind": "invalid_first_digit", "found": int(digits[0])}
    rem = cns_sum(digits) % 11
    if rem != 0:
        return {"kind": "checksum", "remainder": rem}
    return None


def cns_case(raw, hand=None):
    err = cns_validate(raw)
    if err is None:
        d = "".join(ch for ch in raw if ch in DIGITS)
        assert hand in (None, "valid"), (raw, hand)
        return {"input": raw, "valid": True, "digits": d, "formatted": cns_format(d),
                "kind": "definitive" if d[0] in "12" else "provisional"}
    if hand is not None:
        assert err == hand, (raw, err, hand)
    return {"input": raw, "valid": False, "error": err}


def cns_cases():
    cases = []
    seen = set()

    def add(raw, hand=None):
        assert raw not in seen, raw
        seen.add(raw)
        cases.append(cns_case(raw, hand))

    # Hand-checked: 7*15 + 5*1 = 110 = 10*11; 1*15 + 7*1 = 22 = 2*11.
    assert cns_complete("70000000000000") == "700000000000005"
    assert cns_complete("10000000000000") == "100000000000007"

    valid = ["700000000000005", "100000000000007"]
    seq = base_sequence(13, 2718281828459, 1000003 * 97)
    for first in "1278912789":
        while True:
            full = cns_complete(first + next(seq))
            if full is not None:
                break
        valid.append(full)
    # A base whose needed digit would be 10 is skipped: make sure one exists.
    assert any(cns_complete(f"1{i:013d}") is None for i in range(20))

    for d in valid:
        add(d, "valid")
    for d in valid[2:7]:
        add(cns_format(d), "valid")
    add("  " + valid[2] + " ", "valid")
    add("\t" + cns_format(valid[5]) + "\n", "valid")
    add(" " + cns_format(valid[7]) + "  ", "valid")

    v = valid[2]
    sp = cns_format(v)
    # empty
    for raw in ["", "  ", "\t\n"]:
        add(raw, {"kind": "empty"})
    # invalid_character
    for raw, pos in [
        (v[:5] + "a" + v[6:], 5),
        (v[:14] + "X", 14),
        (v[:3] + "-" + v[3:7] + "-" + v[7:11] + "-" + v[11:], 3),
        (v[:3] + "." + v[3:], 3),
        (sp[:3] + "\t" + sp[4:], 3),
        (sp[:8] + "\u00a0" + sp[9:], 8),                # no-break space inside
        ("\uff11" + v[1:], 0),                           # fullwidth digit
        ("\u0661" + v[1:], 0),                           # Arabic-Indic digit
        (v[:3] + " " + v[3:], 8),                        # one space only
        (v[:4] + " " + v[4:8] + " " + v[8:12] + " " + v[12:], 3),   # spaces shifted
        (v[:3] + "  " + v[3:7] + " " + v[7:11] + " " + v[11:], 4),  # double space
        (v[:3] + " " + v[3:7] + v[7:11] + " " + v[11:], 8),         # middle space missing
        (v[:3] + " " + v[3:7] + " " + v[7:11] + " " + v[11:14] + " " + v[14], 17),
    ]:
        add(raw, {"kind": "invalid_character", "position": pos})
    # wrong_length
    for raw, n in [(v[:14], 14), (v + "0", 16), ("1", 1), (v + v, 30),
                   (sp[:-1], 14), (sp + "5", 16), (sp[:8], 7), (sp[:4], 3)]:
        add(raw, {"kind": "wrong_length", "found": n})
    # invalid_first_digit (checked before the checksum, so valid sums too)
    for first in "03456":
        full = None
        for b in (f"{i:013d}" for i in range(100, 200)):
            full = cns_complete(first + b)
            if full is not None:
                break
        add(full, {"kind": "invalid_first_digit", "found": int(first)})
    add("0" + v[1:], {"kind": "invalid_first_digit", "found": 0})
    add(cns_format("5" + v[1:]), {"kind": "invalid_first_digit", "found": 5})
    # checksum: one changed digit in each generated valid number, chosen so
    # that the remainders 1..10 all occur (the first change, in position
    # order from the last digit back, that gives the wanted remainder).
    for want, d in enumerate(valid[2:], start=1):
        bad = next(d[:i] + x + d[i + 1:] for i in range(14, -1, -1) for x in DIGITS
                   if x != d[i] and cns_sum(d[:i] + x + d[i + 1:]) % 11 == want)
        if bad[0] not in "12789":
            raise AssertionError(bad)
        add(bad, {"kind": "checksum", "remainder": want})
    add(cns_format(valid[0][:14] + "0"), {"kind": "checksum", "remainder": 6})  # 105 % 11
    add("100000000000000", {"kind": "checksum", "remainder": 4})                # 15 % 11
    add("900000000000001", {"kind": "checksum", "remainder": 4})                # 136 % 11
    # swapping two adjacent digits changes the sum by their difference
    sw = v[:5] + v[6] + v[5] + v[7:]
    if sw != v:
        add(sw)
    return cases


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def render(cases):
    names = [c["name"] for c in cases if "name" in c]
    assert len(names) == len(set(names)), "duplicate case names"
    lines = [json.dumps(c, ensure_ascii=True, allow_nan=False) for c in cases]
    return '{"cases": [\n' + ",\n".join("  " + line for line in lines) + "\n]}\n"


FILES = {
    "news2.json": news2_cases,
    "classification.json": classification_cases,
    "assembly.json": assembly_cases,
    "cpf.json": cpf_cases,
    "cns.json": cns_cases,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 if a committed file differs from what would be written")
    args = ap.parse_args()

    bad = []
    for name, make in FILES.items():
        content = render(make()).encode("utf-8")
        path = HERE / name
        if args.check:
            try:
                current = path.read_bytes()
            except FileNotFoundError:
                current = None
            if current != content:
                why = "missing" if current is None else "differs from the generator's output"
                print(f"{path}: {why}", file=sys.stderr)
                bad.append(name)
        else:
            path.write_bytes(content)
    if bad:
        print("run `python3 testdata/generate.py` to regenerate", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
