"""One benchmark run over the same 1,000,000 rows, printing ratios against baselines.

    python bench/bench.py [--rows N] [--apply-rows N] [--repeat N]

- ``score_batch`` (pyarrow, pandas with object text and with pandas 3's ``str`` text, dict and, if
  installed, polars input) against a vectorised numpy reference of the
  chart (``np.select``, with the missing/plausibility mask a careful analyst would add)
  and against pandas row-wise ``apply`` of a plain-Python scorer. The apply baseline runs
  on a sample (``--apply-rows``) and is scaled to the full row count, as a million Python
  calls would take minutes; the script says so in its output.
- one scalar ``score()`` call.
- ``validate_cpf_batch`` against a pure-Python validator and, if it is installed,
  validate-docbr.

The baselines are written here from the RCP chart and the CPF rule, independently of the
package; the script checks that they agree with the package on the benchmark data before
timing anything, so the ratios compare equal work. The data is random, generated here
(a fixed seed, so runs are comparable); nothing is written to disk.
"""

from __future__ import annotations

import argparse
import platform
import time
import timeit
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

import news2

LEVELS = np.array(["A", "C", "V", "P", "U"], dtype=object)


def best_of(repeat: int, fn: Callable[[], Any]) -> float:
    """The fastest of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def vitals(rows: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Plausible observations at the chart's resolution (so every baseline rounds alike),
    with 1% gaps."""
    data = {
        "respiration_rate": rng.integers(4, 36, rows).astype(float),
        "spo2": rng.integers(80, 101, rows).astype(float),
        "systolic_bp": rng.integers(70, 240, rows).astype(float),
        "pulse": rng.integers(30, 160, rows).astype(float),
        "temperature": np.round(rng.uniform(33.5, 41.0, rows), 1),
        "on_oxygen": rng.random(rows) < 0.3,
        "consciousness": rng.choice(LEVELS, rows, p=[0.9, 0.025, 0.025, 0.025, 0.025]),
    }
    gaps = rng.random(rows) < 0.01
    data["pulse"][gaps] = np.nan
    return data


def numpy_reference(d: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Chart 1 and 3 in numpy (Scale 1), with a mask for gaps and impossible values."""
    rr, spo2, sbp, pulse = (np.round(d[k]) for k in ("respiration_rate", "spo2", "systolic_bp", "pulse"))
    temp = np.round(d["temperature"], 1)
    oxygen = d["on_oxygen"]
    alert = d["consciousness"] == "A"
    valid = (
        (rr >= 0) & (rr <= 80) & (spo2 >= 0) & (spo2 <= 100) & (sbp >= 0) & (sbp <= 300)
        & (pulse >= 0) & (pulse <= 300) & (temp >= 25) & (temp <= 45)
    )  # NaN compares False, so gaps are invalid too
    scores = [
        np.select([rr <= 8, rr <= 11, rr <= 20, rr <= 24], [3, 1, 0, 2], 3),
        np.select([spo2 <= 91, spo2 <= 93, spo2 <= 95], [3, 2, 1], 0),
        np.where(oxygen, 2, 0),
        np.select([sbp <= 90, sbp <= 100, sbp <= 110, sbp <= 219], [3, 2, 1, 0], 3),
        np.select([pulse <= 40, pulse <= 50, pulse <= 90, pulse <= 110, pulse <= 130], [3, 1, 0, 1, 2], 3),
        np.where(alert, 0, 3),
        np.select([temp <= 35.0, temp <= 36.0, temp <= 38.0, temp <= 39.0], [3, 1, 0, 1], 2),
    ]
    total = np.sum(scores, axis=0)
    red = np.max(scores, axis=0) == 3
    risk = np.select([total >= 7, total >= 5, red], [3, 2, 1], 0)
    return np.where(valid, total, -1), np.where(valid, risk, -1)


def python_scorer(row: pd.Series) -> int | None:
    """A plain-Python NEWS2 total for one row (Scale 1), as a row-wise apply would call."""
    rr, spo2, sbp, pulse, temp = row.respiration_rate, row.spo2, row.systolic_bp, row.pulse, row.temperature
    if any(v != v for v in (rr, spo2, sbp, pulse, temp)):
        return None
    score = 3 if rr <= 8 else 1 if rr <= 11 else 0 if rr <= 20 else 2 if rr <= 24 else 3
    score += 3 if spo2 <= 91 else 2 if spo2 <= 93 else 1 if spo2 <= 95 else 0
    score += 2 if row.on_oxygen else 0
    score += 3 if sbp <= 90 else 2 if sbp <= 100 else 1 if sbp <= 110 else 0 if sbp <= 219 else 3
    score += 3 if pulse <= 40 else 1 if pulse <= 50 else 0 if pulse <= 90 else 1 if pulse <= 110 else 2 if pulse <= 130 else 3
    score += 0 if row.consciousness == "A" else 3
    score += 3 if temp <= 35.0 else 1 if temp <= 36.0 else 0 if temp <= 38.0 else 1 if temp <= 39.0 else 2
    return score


def cpf_is_valid(text: str) -> bool:
    """A pure-Python CPF validator (bare or masked), the usual check-digit rule."""
    t = text.strip()
    if len(t) == 14:
        if t[3] != "." or t[7] != "." or t[11] != "-":
            return False
        t = t[:3] + t[4:7] + t[8:11] + t[12:]
    if len(t) != 11 or not t.isascii() or not t.isdigit() or t == t[0] * 11:
        return False
    digits = [int(c) for c in t]
    for n in (9, 10):
        r = sum(d * (n + 1 - i) for i, d in enumerate(digits[:n])) % 11
        if digits[n] != (0 if r < 2 else 11 - r):
            return False
    return True


def cpfs(rows: int, rng: np.random.Generator) -> list[str]:
    """Valid CPFs, half masked, with a fifth made invalid by one changed digit."""
    base = rng.integers(0, 10, (rows, 9))
    out = []
    for i, b in enumerate(base):
        d = list(b)
        for n in (9, 10):
            r = sum(x * (n + 1 - j) for j, x in enumerate(d)) % 11
            d.append(0 if r < 2 else 11 - r)
        if i % 5 == 0:
            d[10] = (d[10] + 1) % 10
        s = "".join(map(str, d))
        out.append(f"{s[:3]}.{s[3:6]}.{s[6:9]}-{s[9:]}" if i % 2 else s)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--apply-rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows, repeat = args.rows, args.repeat
    rng = np.random.default_rng(20240514)
    print(f"news2 benchmark: {rows:,} rows, best of {repeat}; {platform.python_version()}, {platform.machine()}")

    data = vitals(rows, rng)
    table = pa.table(data)
    frame = pd.DataFrame(data)

    # The baselines must do the package's work: check they agree before timing.
    ref_total, _ = numpy_reference(data)
    ours = news2.score_batch(table)
    our_total = ours.column("total").to_numpy(zero_copy_only=False)
    our_total = np.where(np.isnan(our_total.astype(float)), -1, our_total)
    assert np.array_equal(ref_total, our_total.astype(int)), "numpy reference disagrees with score_batch"
    sample = frame.sample(n=min(args.apply_rows, rows), random_state=1)
    applied = sample.apply(python_scorer, axis=1)
    expected = news2.score_batch(sample)["total"]
    assert [None if pd.isna(v) else int(v) for v in applied] == [None if pd.isna(v) else int(v) for v in expected]

    inputs: dict[str, Any] = {"pyarrow": table, "pandas": frame, "dict": data}
    try:
        import polars as pl
    except ImportError:
        print("polars                     not installed: its input kind is skipped")
    else:
        inputs["polars"] = pl.from_pandas(frame)
    times = {kind: best_of(repeat, lambda d=d: news2.score_batch(d)) for kind, d in inputs.items()}
    # As pandas 3 has it: text of the Arrow-backed ``str`` dtype in and out.
    with pd.option_context("future.infer_string", True):
        str_frame = frame.astype({"consciousness": pd.StringDtype("pyarrow", na_value=np.nan)})
        times["pandas str"] = best_of(repeat, lambda: news2.score_batch(str_frame))
    t_arrow, t_pandas = times["pyarrow"], times["pandas"]
    t_numpy = best_of(repeat, lambda: numpy_reference(data))
    t_apply_sample = best_of(1, lambda: sample.apply(python_scorer, axis=1))
    t_apply = t_apply_sample * rows / len(sample)

    print(f"numpy np.select reference  {t_numpy * 1e3:9.1f} ms")
    for kind, t in times.items():
        print(
            f"score_batch ({kind + ')':12s} {t * 1e3:9.1f} ms   {rows / t / 1e6:6.1f} M rows/s"
            f"   -> {t_numpy / t:6.1f}x numpy (target >= 10x)"
        )
    print(
        f"pandas row-wise apply      {t_apply:9.1f} s    (measured on {len(sample):,} rows, scaled x{rows / len(sample):.0f})"
        f" -> score_batch(pandas) is {t_apply / t_pandas:7.0f}x (target >= 300x)"
    )

    calls = 200_000
    call = "score(respiration_rate=18, spo2=96, systolic_bp=120, pulse=80, consciousness='A', temperature=37.2)"
    t_scalar = min(timeit.repeat(call, globals={"score": news2.score}, number=calls, repeat=repeat)) / calls
    t_dict = min(timeit.repeat(call.replace("score(", "dict("), number=calls, repeat=repeat)) / calls
    print(
        f"score() one call           {t_scalar * 1e9:9.0f} ns   (target <= 1000 ns; for scale, dict() with the"
        f" same six keywords takes {t_dict * 1e9:.0f} ns here)"
    )

    ids = cpfs(rows, rng)
    ids_arrow = pa.array(ids)
    assert news2.validate_cpf_batch(ids).tolist() == [cpf_is_valid(t) for t in ids[:rows]]
    t_cpf_list = best_of(repeat, lambda: news2.validate_cpf_batch(ids))
    t_cpf_arrow = best_of(repeat, lambda: news2.validate_cpf_batch(ids_arrow))
    t_cpf_python = best_of(1, lambda: [cpf_is_valid(t) for t in ids])
    print(f"validate_cpf_batch (list)  {t_cpf_list * 1e3:9.1f} ms")
    print(f"validate_cpf_batch (arrow) {t_cpf_arrow * 1e3:9.1f} ms")
    print(
        f"pure-Python validator      {t_cpf_python * 1e3:9.1f} ms   -> list input {t_cpf_python / t_cpf_list:5.1f}x,"
        f" arrow input {t_cpf_python / t_cpf_arrow:5.1f}x (target >= 20x)"
    )
    try:
        from validate_docbr import CPF
    except ImportError:
        print("validate-docbr             not installed: skipped")
    else:
        docbr = CPF()
        t_docbr = best_of(1, lambda: [docbr.validate(t) for t in ids])
        print(f"validate-docbr             {t_docbr * 1e3:9.1f} ms   -> list input {t_docbr / t_cpf_list:5.1f}x")


if __name__ == "__main__":
    main()
