"""``assemble``: observation sets from timestamped readings in long format."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

from . import _news2
from ._records import records

_KEYS = ("patient", "time", "parameter", "value")


def assemble(
    readings: Any,
    *,
    now: _dt.datetime | Sequence[_dt.datetime],
    max_age: _dt.timedelta,
    spo2_scale: int = 1,
) -> list[_news2.ObservationSet]:
    """Builds observation sets from single readings taken at different times.

    ``readings`` is long format: one reading per row, with ``time`` (a timezone-aware
    datetime), ``parameter`` (``respiration_rate``, ``spo2``, ``on_oxygen``,
    ``systolic_bp``, ``pulse``, ``consciousness`` or ``temperature``), ``value`` and
    optionally ``patient``. It may be a pandas or polars DataFrame, a pyarrow Table, a
    dict of columns or an iterable of mappings. Values are checked like ``score`` checks
    them (``on_oxygen`` is a bool, ``consciousness`` a level such as ``"A"``); a bad
    reading raises ``VitalsError`` naming it. A reading without a value is an error, not
    a gap.

    For each patient (in order of first appearance) and each time in ``now`` (one
    datetime or a sequence), the set holds the latest reading of each parameter at or
    before that time; a reading older than ``max_age`` is stale: reported, never scored.
    Returns a list of ``ObservationSet``; ``pandas.DataFrame([s.to_dict() for s in
    sets])`` tabulates them.
    """
    return _news2._assemble(records(readings, _KEYS), now=now, max_age=max_age, spo2_scale=spo2_scale)
