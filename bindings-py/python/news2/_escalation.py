"""``replay``: a historical alert stream against a candidate escalation policy."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from . import _news2
from ._records import records

_ALERT_KEYS = ("patient", "time", "risk")
_RESPONSE_KEYS = ("patient", "time", "action", "staff_id", "role", "duration")


def replay(
    alerts: Any,
    policies: _news2.PolicySet,
    *,
    responses: Any = None,
    until: _dt.datetime | None = None,
    include_policies: bool = False,
) -> list[dict[str, Any]]:
    """Replays historical alerts (and, optionally, the staff responses) on a fresh
    ``EscalationBoard`` running ``policies``, and returns every event it produces.

    ``alerts`` has ``patient`` (int), ``time`` (timezone-aware datetime) and ``risk``
    (``"low"``, ``"low-medium"``, ``"medium"`` or ``"high"``) per row; ``responses`` has
    ``patient``, ``time``, ``action`` (``acknowledge``, ``decline``, ``snooze`` or
    ``resolve``), ``staff_id``, ``role`` and, for a snooze, ``duration`` (a timedelta). Each
    may be a pandas or polars DataFrame, a pyarrow Table, a dict of columns or an iterable of
    mappings. A response goes to the patient's open escalation at that time.

    Inputs are applied in time order (at one instant, alerts before responses, each in input
    order); before each, the board fires every step deadline that has fallen due; at the end
    it advances to ``until`` (default: the last input's time). No real time passes.

    Returns the core's events as dicts (``escalation_id``, ``sequence``, ``at``, ``type``
    and the type's fields; times as datetimes), each with the escalation's ``patient_id``,
    in the order they happened. The policy copy carried by ``triggered`` events is left out
    unless ``include_policies``. An input the core refuses (a response for a patient with no
    open escalation, a role the step does not accept, an alert whose risk has no chain)
    becomes a ``{"type": "rejected", "at", "patient_id", "action", "error"}`` record, not an
    exception, since under a candidate policy such refusals are part of the answer.
    ``pandas.json_normalize(events)`` gives a frame (``target.role`` for the role paged).
    """
    return _news2._replay(
        records(alerts, _ALERT_KEYS),
        policies,
        responses=None if responses is None else records(responses, _RESPONSE_KEYS),
        until=until,
        include_policies=include_policies,
    )
