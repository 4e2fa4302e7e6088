"""The interpreter lock is released while a batch is scored.

Two threads each score a large pyarrow table. If the lock were held for the whole call,
the second thread could not even enter its call until the first returned, and the two
execution windows would not overlap; released, both calls run at once. The assertion is
on the overlap of the two windows, not on a speed-up.
"""

from __future__ import annotations

import threading
import time

import numpy as np
import pyarrow as pa

import news2

ROWS = 1_500_000


def _table(seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    return pa.table(
        {
            "respiration_rate": rng.uniform(5, 35, ROWS).round(),
            "spo2": rng.uniform(85, 100, ROWS).round(),
            "systolic_bp": rng.uniform(80, 220, ROWS).round(),
            "pulse": rng.uniform(35, 150, ROWS).round(),
            "consciousness": pa.array(rng.choice(["A", "C", "V", "P", "U"], ROWS)).dictionary_encode(),
            "temperature": rng.uniform(34, 41, ROWS).round(1),
            "on_oxygen": rng.random(ROWS) < 0.3,
        }
    )


def test_two_threads_score_at_once() -> None:
    tables = [_table(1), _table(2)]
    news2.score_batch(tables[0].slice(0, 1000))  # warm up outside the timed windows
    barrier = threading.Barrier(2)
    windows: list[tuple[float, float]] = [(0.0, 0.0), (0.0, 0.0)]
    results: list[pa.Table | None] = [None, None]

    def work(i: int) -> None:
        barrier.wait()
        start = time.perf_counter()
        results[i] = news2.score_batch(tables[i])
        windows[i] = (start, time.perf_counter())

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    (a0, a1), (b0, b1) = windows
    overlap = min(a1, b1) - max(a0, b0)
    shorter = min(a1 - a0, b1 - b0)
    assert overlap > 0.5 * shorter, f"windows {windows} overlap by {overlap:.4f}s of {shorter:.4f}s"
    for table, result in zip(tables, results):
        assert result is not None and result.num_rows == table.num_rows
        assert result.column("error").null_count == ROWS
