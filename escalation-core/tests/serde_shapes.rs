//! The documented JSON and TOML shapes: policies round-trip, events and commands keep their
//! exact field names, and invalid input is refused with the rule it breaks.

mod common;

use common::*;
use escalation_core::{Command, Escalation, EscalationState, Event, PolicySet, TimerToken};
use news2_core::ClinicalRisk;
use serde_json::{Value, json};

#[test]
fn both_ready_made_sets_round_trip_through_json_and_toml() {
    for (name, set) in [
        ("demo", PolicySet::demo()),
        ("production", PolicySet::production()),
    ] {
        let json = serde_json::to_string_pretty(&set).unwrap();
        assert_eq!(
            serde_json::from_str::<PolicySet>(&json).unwrap(),
            set,
            "{name} json"
        );
        let toml = toml::to_string(&set).unwrap();
        assert_eq!(
            toml::from_str::<PolicySet>(&toml).unwrap(),
            set,
            "{name} toml:\n{toml}"
        );
    }
}

#[test]
fn policy_json_has_the_documented_shape() {
    let value = serde_json::to_value(PolicySet::demo()).unwrap();
    assert_eq!(value["low"], Value::Null);
    assert_eq!(
        value["low-medium"]["steps"][0],
        json!({"target": {"role": "nurse", "recipients": []}, "timeout_seconds": 30, "ack_roles": []})
    );
    assert_eq!(value["high"]["repeats"], 1);
    assert_eq!(value["high"]["ack_timeout_seconds"], Value::Null);
    assert_eq!(value["high"]["exhausted_notify"], Value::Null);
    let production = serde_json::to_value(PolicySet::production()).unwrap();
    assert_eq!(production["medium"]["ack_timeout_seconds"], 1800);
    assert_eq!(
        production["high"]["exhausted_notify"]["role"],
        "critical_care_outreach"
    );
}

#[test]
fn invalid_policies_are_refused_with_the_rule_they_break() {
    let cases = [
        (r#"{"high": {"steps": []}}"#, "escalation chain is empty"),
        (
            r#"{"high": {"steps": [{"target": {"role": "nurse"}, "timeout_seconds": 604801}]}}"#,
            "step 0: timeout must be whole seconds from 1s to 604800s",
        ),
        (
            r#"{"high": {"steps": [{"target": {"role": "nurse"}, "timeout_seconds": 5}], "repeats": 0}}"#,
            "repeats is 0; expected 1 to 100",
        ),
        (
            r#"{"high": {"steps": [{"target": {"role": "nurse", "recipients": ["a", "a"]}, "timeout_seconds": 5}]}}"#,
            "recipient a is named twice",
        ),
        (
            r#"{"high": {"steps": [{"target": {"role": "Nurse"}, "timeout_seconds": 5}]}}"#,
            "role label has 'N' at position 0",
        ),
        (
            r#"{"high": {"steps": [{"target": {"role": "nurse"}, "timeout_seconds": 5, "timeout": 9}]}}"#,
            "unknown field `timeout`",
        ),
        (r#"{"critical": null}"#, "unknown field `critical`"),
    ];
    for (json, expected) in cases {
        let err = serde_json::from_str::<PolicySet>(json)
            .unwrap_err()
            .to_string();
        assert!(err.contains(expected), "{json}: {err}");
    }
}

/// The flow the crate docs show, event by event.
fn documented_flow() -> Vec<Event> {
    let (mut escalation, mut log) = open_demo(ClinicalRisk::Medium);
    let mut run = |command: Command, seconds: i64| {
        log.extend(escalation.execute(&command, at(seconds)).unwrap());
    };
    run(
        Command::Alert {
            risk: ClinicalRisk::High,
        },
        10,
    );
    run(Command::Acknowledge { by: doctor() }, 12);
    run(
        Command::Snooze {
            by: doctor(),
            duration_seconds: 600,
        },
        13,
    );
    log.extend(escalation.handle_timeout(at(614)));
    log
}

#[test]
fn events_serialise_to_the_documented_json() {
    let log = documented_flow();
    let lines: Vec<Value> = log
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect();
    assert_eq!(lines[0]["type"], "triggered");
    assert_eq!(lines[0]["patient_id"], 42);
    assert_eq!(
        lines[0]["policies"],
        serde_json::to_value(PolicySet::demo()).unwrap()
    );
    let expected = [
        json!({"escalation_id": 1, "sequence": 2, "at": "2025-01-01T08:00:00Z", "type": "step_notified",
               "step": 0, "pass": 0, "generation": 0, "target": {"role": "nurse", "recipients": []},
               "due_at": "2025-01-01T08:00:00Z", "deadline": "2025-01-01T08:00:30Z", "late_by_ms": 0}),
        json!({"escalation_id": 1, "sequence": 3, "at": "2025-01-01T08:00:10Z", "type": "alert_joined",
               "risk": "high", "alert_count": 2}),
        json!({"escalation_id": 1, "sequence": 4, "at": "2025-01-01T08:00:10Z", "type": "band_raised",
               "from": "medium", "to": "high", "step": 0, "pass": 0}),
        json!({"escalation_id": 1, "sequence": 5, "at": "2025-01-01T08:00:10Z", "type": "step_notified",
               "step": 0, "pass": 0, "generation": 1, "target": {"role": "on_call_doctor", "recipients": []},
               "due_at": "2025-01-01T08:00:10Z", "deadline": "2025-01-01T08:00:25Z", "late_by_ms": 0}),
        json!({"escalation_id": 1, "sequence": 6, "at": "2025-01-01T08:00:12Z", "type": "acknowledged",
               "by": {"staff_id": "dr-ana", "role": "on_call_doctor"}, "step": 0, "pass": 0,
               "generation": 2, "retrigger_at": null}),
        json!({"escalation_id": 1, "sequence": 7, "at": "2025-01-01T08:00:13Z", "type": "snoozed",
               "by": {"staff_id": "dr-ana", "role": "on_call_doctor"},
               "until": "2025-01-01T08:10:13Z", "generation": 3}),
        json!({"escalation_id": 1, "sequence": 8, "at": "2025-01-01T08:10:14Z", "type": "retriggered",
               "reason": "snooze_expired", "due_at": "2025-01-01T08:10:13Z", "late_by_ms": 1000}),
    ];
    for (line, want) in lines[1..].iter().zip(&expected) {
        assert_eq!(line, want);
    }
    // Every event reads back to itself, and the read-back stream replays.
    let back: Vec<Event> = lines
        .into_iter()
        .map(|v| serde_json::from_value(v).unwrap())
        .collect();
    assert_eq!(back, log);
    assert!(Escalation::replay(&back).is_ok());
}

#[test]
fn the_remaining_event_types_have_the_documented_json() {
    let (mut escalation, _) = open_demo(ClinicalRisk::High);
    let declined = escalation
        .execute(&Command::Decline { by: doctor() }, at(1))
        .unwrap();
    assert_eq!(
        serde_json::to_value(&declined[0]).unwrap(),
        json!({"escalation_id": 1, "sequence": 3, "at": "2025-01-01T08:00:01Z", "type": "declined",
               "by": {"staff_id": "dr-ana", "role": "on_call_doctor"}, "step": 0, "pass": 0,
               "all_declined": true})
    );
    let unanswered = escalation.handle_timeout(at(16));
    assert_eq!(
        serde_json::to_value(&unanswered[0]).unwrap(),
        json!({"escalation_id": 1, "sequence": 5, "at": "2025-01-01T08:00:16Z", "type": "unanswered",
               "due_at": "2025-01-01T08:00:16Z", "late_by_ms": 0, "notify": null})
    );
    let risk = escalation
        .execute(
            &Command::UpdateRisk {
                risk: ClinicalRisk::LowMedium,
            },
            at(17),
        )
        .unwrap();
    assert_eq!(
        serde_json::to_value(&risk[0]).unwrap()["risk"],
        "low-medium"
    );
    let resolved = escalation
        .execute(&Command::Resolve { by: nurse() }, at(18))
        .unwrap();
    assert_eq!(
        serde_json::to_value(&resolved[0]).unwrap(),
        json!({"escalation_id": 1, "sequence": 7, "at": "2025-01-01T08:00:18Z", "type": "resolved",
               "by": {"staff_id": "nurse-17", "role": "nurse"}})
    );
}

#[test]
fn commands_tokens_and_states_have_the_documented_json() {
    let command = Command::Snooze {
        by: nurse(),
        duration_seconds: 600,
    };
    assert_eq!(
        serde_json::to_value(&command).unwrap(),
        json!({"type": "snooze", "by": {"staff_id": "nurse-17", "role": "nurse"}, "duration_seconds": 600})
    );
    let token: TimerToken =
        serde_json::from_value(json!({"escalation_id": 7, "step": 1, "generation": 0})).unwrap();
    assert_eq!(token.step, 1);
    let labels: Vec<_> = [
        EscalationState::Notifying,
        EscalationState::Acknowledged,
        EscalationState::Resolved,
        EscalationState::Unanswered,
    ]
    .iter()
    .map(|s| serde_json::to_value(s).unwrap())
    .collect();
    assert_eq!(
        labels,
        [
            json!("notifying"),
            json!("acknowledged"),
            json!("resolved"),
            json!("unanswered")
        ]
    );
}

#[test]
fn an_escalation_snapshot_round_trips_and_refuses_inconsistent_state() {
    let (mut escalation, _) = open_demo(ClinicalRisk::Medium);
    escalation.handle_timeout(at(31));
    escalation
        .execute(&Command::Acknowledge { by: senior() }, at(32))
        .unwrap();
    let value = serde_json::to_value(&escalation).unwrap();
    assert_eq!(value["state"], "acknowledged");
    assert_eq!(value["step"], 1);
    assert_eq!(value["acknowledgement"]["by"]["role"], "senior_clinician");
    assert_eq!(
        serde_json::from_value::<Escalation>(value.clone()).unwrap(),
        escalation
    );

    let mut broken = value.clone();
    broken["step"] = json!(7);
    let err = serde_json::from_value::<Escalation>(broken)
        .unwrap_err()
        .to_string();
    assert!(err.contains("step or pass outside the chain"), "{err}");
    let mut broken = value;
    broken["state"] = json!("resolved");
    assert!(serde_json::from_value::<Escalation>(broken).is_err());
}
