"""Escalation simulation: policy sets, the board with explicit timestamps, and replay.

Expectations come from escalation-core's documented demo set: for low-medium and medium
risk, nurse 30 s → senior clinician 20 s → on-call doctor 15 s, unanswered at 65 s; for
high risk, on-call doctor 15 s → critical care outreach 15 s; anyone may acknowledge; no
acknowledgement timeout; low risk has no chain.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pandas as pd
import pytest

import news2

T0 = dt.datetime(2025, 1, 1, 8, 0, tzinfo=dt.timezone.utc)


def s(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def notified_roles(events: list[dict[str, Any]]) -> list[str]:
    return [e["target"]["role"] for e in events if e["type"] == "step_notified"]


def test_board_walks_the_demo_chain() -> None:
    board = news2.EscalationBoard(news2.PolicySet.demo())
    eid, events = board.alert(42, "medium", T0)
    assert [e["type"] for e in events] == ["triggered", "step_notified"]
    assert notified_roles(events) == ["nurse"]
    assert all(e["escalation_id"] == eid and e["at"] == T0 for e in events)
    assert board.next_deadline() == s(30)
    assert board.open_for(42) == eid and board.state(eid) == "notifying" and len(board) == 1

    assert board.advance_to(s(29)) == []
    assert notified_roles(board.advance_to(s(30))) == ["senior_clinician"]
    acked = board.acknowledge(eid, staff_id="nurse-17", role="nurse", at=s(35))
    assert [e["type"] for e in acked] == ["acknowledged"]
    assert acked[0]["by"] == {"staff_id": "nurse-17", "role": "nurse"}
    assert board.state(eid) == "acknowledged" and board.next_deadline() is None
    with pytest.raises(news2.EscalationError, match="already acknowledged"):
        board.acknowledge(eid, staff_id="dr-ana", role="on_call_doctor", at=s(36))
    resolved = board.resolve(eid, staff_id="nurse-17", role="nurse", at=s(40))
    assert [e["type"] for e in resolved] == ["resolved"]
    assert len(board) == 0 and board.open_for(42) is None and board.state(eid) is None


def test_unanswered_after_the_whole_chain() -> None:
    board = news2.EscalationBoard(news2.PolicySet.demo())
    eid, _ = board.alert(7, "low-medium", T0)
    events = board.advance_to(s(3600))
    assert notified_roles(events) == ["senior_clinician", "on_call_doctor"]
    assert events[-1]["type"] == "unanswered" and events[-1]["due_at"] == s(65)
    assert events[-1]["late_by_ms"] == (3600 - 65) * 1000
    assert board.state(eid) == "unanswered"


def test_replay_counts_roles_and_acknowledgement_times() -> None:
    alerts = pd.DataFrame(
        {
            "patient": [1, 2, 3, 4],
            "time": [T0, T0, s(5), s(8)],
            "risk": ["medium", "low-medium", "high", "low"],
        }
    )
    responses = [
        {"patient": 1, "time": s(10), "action": "acknowledge", "staff_id": "nurse-1", "role": "nurse"},
        {"patient": 3, "time": s(25), "action": "acknowledge", "staff_id": "out-1", "role": "critical_care_outreach"},
        {"patient": 9, "time": s(30), "action": "resolve", "staff_id": "nurse-1", "role": "nurse"},
    ]
    events = news2.replay(alerts, news2.PolicySet.demo(), responses=responses, until=s(600))
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)

    by_patient: dict[int, list[dict[str, Any]]] = {}
    for e in events:
        by_patient.setdefault(e["patient_id"], []).append(e)
    assert notified_roles(by_patient[1]) == ["nurse"]
    assert notified_roles(by_patient[2]) == ["nurse", "senior_clinician", "on_call_doctor"]
    assert by_patient[2][-1]["type"] == "unanswered"
    assert notified_roles(by_patient[3]) == ["on_call_doctor", "critical_care_outreach"]
    # low risk has no chain, and patient 9 never alerted: both refused, neither raises
    assert [(e["action"], e["type"]) for e in by_patient[4]] == [("alert", "rejected")]
    assert [(e["action"], e["type"]) for e in by_patient[9]] == [("resolve", "rejected")]
    assert "no open escalation" in by_patient[9][0]["error"]
    assert all("policies" not in e for e in events)

    reached = Counter(r for p in (1, 2, 3) for r in set(notified_roles(by_patient[p])))
    assert reached == {"nurse": 2, "senior_clinician": 1, "on_call_doctor": 2, "critical_care_outreach": 1}
    frame = pd.json_normalize(events)
    triggered = frame[frame["type"] == "triggered"].set_index("escalation_id")["at"]
    acked = frame[frame["type"] == "acknowledged"].set_index("escalation_id")["at"]
    latency = (acked - triggered.reindex(acked.index)).dt.total_seconds().to_dict()
    assert sorted(latency.values()) == [10.0, 20.0]


def test_replay_equals_driving_the_board_by_hand() -> None:
    alerts = [{"patient": 1, "time": T0, "risk": "medium"}, {"patient": 1, "time": s(40), "risk": "high"}]
    replayed = news2.replay(alerts, news2.PolicySet.demo(), until=s(100), include_policies=True)
    board = news2.EscalationBoard(news2.PolicySet.demo())
    by_hand = board.alert(1, "medium", T0)[1] + board.advance_to(s(40)) + board.alert(1, "high", s(40))[1]
    by_hand += board.advance_to(s(100))
    assert replayed == [{**e, "patient_id": 1} for e in by_hand]
    assert "band_raised" in [e["type"] for e in by_hand]


def test_policy_sets_round_trip_and_validate() -> None:
    for ready in (news2.PolicySet.demo(), news2.PolicySet.production()):
        assert news2.PolicySet(ready.to_dict()) == ready
        assert news2.PolicySet.from_json(ready.to_json()) == ready
    bad = {"high": {"steps": [{"target": {"role": "nurse"}, "timeout_seconds": 0}]}}
    with pytest.raises(news2.EscalationError, match="timeout") as info:
        news2.PolicySet(bad)
    assert isinstance(info.value, ValueError)
    with pytest.raises(news2.EscalationError):
        news2.PolicySet.from_json('{"urgent": null}')


def test_inputs_are_checked() -> None:
    board = news2.EscalationBoard(news2.PolicySet.demo())
    with pytest.raises(ValueError, match="naive"):
        board.alert(1, "medium", dt.datetime(2025, 1, 1, 8))
    with pytest.raises(ValueError, match="risk"):
        board.alert(1, "severe", T0)
    eid, _ = board.alert(1, "medium", T0)
    board.acknowledge(eid, staff_id="n", role="nurse", at=s(1))
    with pytest.raises(ValueError, match="whole"):
        board.snooze(eid, staff_id="n", role="nurse", duration=dt.timedelta(seconds=1.5), at=s(2))
    snoozed = board.snooze(eid, staff_id="n", role="nurse", duration=dt.timedelta(minutes=10), at=s(2))
    assert snoozed[0]["until"] == s(602)
    with pytest.raises(news2.EscalationError, match="no open escalation"):
        board.resolve(999, staff_id="n", role="nurse", at=s(3))
