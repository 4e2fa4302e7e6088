//! Commands against every state: what they do, and the typed errors that change nothing.

mod common;

use std::time::Duration;

use common::*;
use escalation_core::{
    Command, CommandError, EscalationId, EscalationPolicy, EscalationState, EventKind, PolicySet,
    RetriggerReason, Role, StaffId, Step, Target, TimerOutcome,
};
use news2_core::ClinicalRisk;

fn step(role: Role, seconds: u64) -> Step {
    Step::new(Target::of_role(role), Duration::from_secs(seconds)).unwrap()
}

/// nurse (two named recipients, only nurses may acknowledge) 60 s → doctor 30 s, twice, with
/// a 300 s acknowledgement timeout.
fn strict_set() -> PolicySet {
    let ward = Target::new(
        Role::Nurse,
        vec![
            StaffId::new("nurse-17").unwrap(),
            StaffId::new("nurse-22").unwrap(),
        ],
    )
    .unwrap();
    let nurse_step = Step::new(ward, Duration::from_secs(60))
        .unwrap()
        .with_ack_roles(vec![Role::Nurse])
        .unwrap();
    let policy = EscalationPolicy::new(vec![nurse_step, step(Role::OnCallDoctor, 30)])
        .unwrap()
        .with_repeats(2)
        .unwrap()
        .with_ack_timeout(Duration::from_secs(300))
        .unwrap();
    PolicySet::new(ClinicalRisk::LowMedium, policy)
}

#[test]
fn errors_leave_the_escalation_unchanged() {
    let (mut escalation, _) = open_with(strict_set(), ClinicalRisk::Medium);
    let before = escalation.clone();
    let refused = [
        (Command::Acknowledge { by: doctor() }, "role"),
        (Command::Decline { by: doctor() }, "recipient"),
        (
            Command::Snooze {
                by: nurse(),
                duration_seconds: 60,
            },
            "snooze",
        ),
    ];
    for (command, why) in refused {
        assert!(escalation.execute(&command, at(1)).is_err(), "{why}");
        assert_eq!(escalation, before, "{why}");
    }
}

#[test]
fn a_step_may_restrict_who_acknowledges_it() {
    let (mut escalation, _) = open_with(strict_set(), ClinicalRisk::Medium);
    let err = escalation
        .execute(&Command::Acknowledge { by: doctor() }, at(1))
        .unwrap_err();
    assert_eq!(
        err,
        CommandError::RoleNotAllowed {
            id: EscalationId::new(1),
            step: 0,
            role: Role::OnCallDoctor,
            allowed: vec![Role::Nurse],
        }
    );
    assert_eq!(
        err.to_string(),
        "role on_call_doctor may not acknowledge step 0 of escalation 1; allowed: nurse"
    );
    // The doctor's own step has no restriction.
    escalation.handle_timeout(at(60));
    escalation
        .execute(&Command::Acknowledge { by: doctor() }, at(61))
        .unwrap();
}

#[test]
fn acknowledging_or_resolving_a_resolved_escalation_is_refused() {
    let (mut escalation, _) = open_demo(ClinicalRisk::Medium);
    escalation
        .execute(&Command::Resolve { by: nurse() }, at(5))
        .unwrap();
    assert_eq!(escalation.state(), EscalationState::Resolved);
    assert_eq!(escalation.resolution().unwrap().at, at(5));
    let resolved = Err(CommandError::Resolved {
        id: EscalationId::new(1),
    });
    assert_eq!(
        escalation.execute(&Command::Resolve { by: nurse() }, at(6)),
        resolved
    );
    assert_eq!(
        escalation.execute(&Command::Acknowledge { by: nurse() }, at(6)),
        resolved
    );
    assert_eq!(
        escalation.execute(
            &Command::Alert {
                risk: ClinicalRisk::High
            },
            at(6)
        ),
        resolved
    );
    assert!(escalation.handle_timeout(at(1000)).is_empty());
}

#[test]
fn declines_by_every_named_recipient_escalate_at_once() {
    let (mut escalation, _) = open_with(strict_set(), ClinicalRisk::Medium);
    let first = escalation
        .execute(&Command::Decline { by: nurse() }, at(5))
        .unwrap();
    assert!(matches!(
        first[0].kind,
        EventKind::Declined {
            all_declined: false,
            ..
        }
    ));
    assert_eq!(escalation.declined_count(), 1);

    let again = escalation.execute(&Command::Decline { by: nurse() }, at(6));
    assert!(matches!(
        again,
        Err(CommandError::AlreadyDeclined { step: 0, .. })
    ));
    let stranger = who("nurse-99", Role::Nurse);
    let err = escalation.execute(&Command::Decline { by: stranger }, at(6));
    assert!(matches!(err, Err(CommandError::NotARecipient { .. })));

    let other = who("nurse-22", Role::Nurse);
    let events = escalation
        .execute(&Command::Decline { by: other }, at(7))
        .unwrap();
    assert_eq!(names(&events), ["declined", "step_notified"]);
    assert_eq!(notified(&events), [(7, 1, "on_call_doctor".into(), 0)]);
    // The doctor's deadline runs from the decline, not from the nurse step's deadline.
    assert_eq!(escalation.next_deadline().unwrap().at, at(37));
}

#[test]
fn a_role_only_step_escalates_on_one_decline_from_that_role() {
    let (mut escalation, _) = open_demo(ClinicalRisk::Medium);
    let err = escalation.execute(&Command::Decline { by: doctor() }, at(1));
    assert!(matches!(err, Err(CommandError::NotARecipient { .. })));
    let events = escalation
        .execute(&Command::Decline { by: nurse() }, at(2))
        .unwrap();
    assert_eq!(notified(&events), [(2, 1, "senior_clinician".into(), 0)]);
}

#[test]
fn declining_the_last_step_leaves_it_unanswered_at_once() {
    let (mut escalation, _) = open_demo(ClinicalRisk::High);
    escalation.handle_timeout(at(15));
    let outreach = who("cco-1", Role::CriticalCareOutreach);
    let events = escalation
        .execute(&Command::Decline { by: outreach }, at(16))
        .unwrap();
    assert_eq!(names(&events), ["declined", "unanswered"]);
    assert_eq!(escalation.state(), EscalationState::Unanswered);
    let err = escalation.execute(&Command::Decline { by: doctor() }, at(17));
    assert!(matches!(
        err,
        Err(CommandError::NotNotifying {
            state: EscalationState::Unanswered,
            ..
        })
    ));
}

#[test]
fn acknowledgement_timeout_retriggers_from_the_first_step() {
    let (mut escalation, _) = open_with(strict_set(), ClinicalRisk::Medium);
    escalation.handle_timeout(at(60)); // doctor
    escalation
        .execute(&Command::Acknowledge { by: doctor() }, at(70))
        .unwrap();
    assert_eq!(escalation.next_deadline().unwrap().at, at(370));
    assert!(escalation.handle_timeout(at(369)).is_empty());

    let events = escalation.handle_timeout(at(371));
    assert_eq!(names(&events), ["retriggered", "step_notified"]);
    assert!(matches!(
        events[0].kind,
        EventKind::Retriggered {
            reason: RetriggerReason::AckTimeout,
            late_by_ms: 1000,
            ..
        }
    ));
    assert_eq!(notified(&events), [(371, 0, "nurse".into(), 1000)]);
    assert_eq!((escalation.pass(), escalation.acknowledgement()), (0, None));
    // The nurse step's deadline runs from when the re-trigger was due.
    assert_eq!(escalation.next_deadline().unwrap().at, at(430));
}

#[test]
fn snooze_is_only_for_acknowledged_escalations_and_moves_the_retrigger() {
    let (mut escalation, _) = open_with(strict_set(), ClinicalRisk::Medium);
    let err = escalation.execute(
        &Command::Snooze {
            by: nurse(),
            duration_seconds: 60,
        },
        at(1),
    );
    assert!(matches!(
        err,
        Err(CommandError::NotAcknowledged {
            state: EscalationState::Notifying,
            ..
        })
    ));

    escalation
        .execute(&Command::Acknowledge { by: nurse() }, at(10))
        .unwrap();
    for bad in [0, Command::MAX_SNOOZE_SECONDS + 1] {
        let err = escalation.execute(
            &Command::Snooze {
                by: nurse(),
                duration_seconds: bad,
            },
            at(11),
        );
        assert!(matches!(err, Err(CommandError::Snooze(_))), "{bad}");
    }
    escalation
        .execute(
            &Command::Snooze {
                by: nurse(),
                duration_seconds: 900,
            },
            at(20),
        )
        .unwrap();
    assert_eq!(escalation.next_deadline().unwrap().at, at(920));
    assert!(escalation.handle_timeout(at(400)).is_empty()); // the ack timeout was replaced
    let events = escalation.handle_timeout(at(920));
    assert!(matches!(
        events[0].kind,
        EventKind::Retriggered {
            reason: RetriggerReason::SnoozeExpired,
            ..
        }
    ));
}

#[test]
fn timers_delivered_twice_or_after_an_acknowledgement_are_stale() {
    let (mut escalation, _) = open_with(strict_set(), ClinicalRisk::Medium);
    let first = escalation.next_deadline().unwrap();
    assert_eq!(
        escalation.handle_timer(first.token, at(59)).unwrap(),
        TimerOutcome::NotDue { deadline: first }
    );
    assert!(
        matches!(escalation.handle_timer(first.token, at(60)).unwrap(), TimerOutcome::Fired(ev) if ev.len() == 1)
    );
    let second = escalation.next_deadline().unwrap();
    assert_eq!(
        escalation.handle_timer(first.token, at(61)).unwrap(),
        TimerOutcome::Stale {
            current: Some(second)
        }
    );

    escalation
        .execute(&Command::Acknowledge { by: doctor() }, at(62))
        .unwrap();
    let outcome = escalation.handle_timer(second.token, at(200)).unwrap();
    assert!(matches!(outcome, TimerOutcome::Stale { .. }));
    assert_eq!(escalation.state(), EscalationState::Acknowledged);

    let mut foreign = second.token;
    foreign.escalation_id = EscalationId::new(2);
    assert!(matches!(
        escalation.handle_timer(foreign, at(200)),
        Err(CommandError::WrongEscalation { .. })
    ));
}

#[test]
fn alerts_join_and_a_new_alert_retriggers_an_unanswered_escalation() {
    let (mut escalation, _) = open_demo(ClinicalRisk::Medium);
    let events = escalation
        .execute(
            &Command::Alert {
                risk: ClinicalRisk::LowMedium,
            },
            at(5),
        )
        .unwrap();
    assert_eq!(names(&events), ["alert_joined"]);
    assert_eq!(
        (escalation.alert_count(), escalation.risk()),
        (2, ClinicalRisk::LowMedium)
    );
    assert_eq!(escalation.band(), ClinicalRisk::Medium);

    escalation.handle_timeout(at(65));
    assert_eq!(escalation.state(), EscalationState::Unanswered);
    // Someone finally answers an unanswered escalation: allowed.
    let mut answered = escalation.clone();
    answered
        .execute(&Command::Acknowledge { by: doctor() }, at(70))
        .unwrap();

    let events = escalation
        .execute(
            &Command::Alert {
                risk: ClinicalRisk::Medium,
            },
            at(80),
        )
        .unwrap();
    assert_eq!(
        names(&events),
        ["alert_joined", "retriggered", "step_notified"]
    );
    assert_eq!(notified(&events), [(80, 0, "nurse".into(), 0)]);
    assert_eq!(escalation.state(), EscalationState::Notifying);
}

#[test]
fn a_risk_rise_retriggers_an_acknowledged_escalation_on_the_higher_chain() {
    let (mut escalation, _) = open_demo(ClinicalRisk::Medium);
    escalation
        .execute(&Command::Acknowledge { by: nurse() }, at(3))
        .unwrap();
    let events = escalation
        .execute(
            &Command::Alert {
                risk: ClinicalRisk::High,
            },
            at(9),
        )
        .unwrap();
    assert_eq!(
        names(&events),
        ["alert_joined", "band_raised", "step_notified"]
    );
    assert_eq!(escalation.state(), EscalationState::Notifying);
    // The same risk again only joins.
    let events = escalation
        .execute(
            &Command::UpdateRisk {
                risk: ClinicalRisk::High,
            },
            at(10),
        )
        .unwrap();
    assert!(events.is_empty());
}

#[test]
fn decide_predicts_without_changing_and_apply_then_matches_execute() {
    let (mut escalation, _) = open_demo(ClinicalRisk::Medium);
    let before = escalation.clone();
    let events = escalation
        .decide(&Command::Acknowledge { by: nurse() }, at(3))
        .unwrap();
    assert_eq!(escalation, before);
    for event in &events {
        escalation.apply(event).unwrap();
    }
    let mut executed = before;
    assert_eq!(
        executed
            .execute(&Command::Acknowledge { by: nurse() }, at(3))
            .unwrap(),
        events
    );
    assert_eq!(executed, escalation);
}

#[test]
fn time_is_kept_to_the_millisecond_never_runs_backwards_and_has_a_range() {
    let (mut escalation, _) = open_demo(ClinicalRisk::Medium);
    let events = escalation
        .execute(
            &Command::Alert {
                risk: ClinicalRisk::Medium,
            },
            at_ms(1_234) + chrono::TimeDelta::microseconds(999),
        )
        .unwrap();
    assert_eq!(events[0].at, at_ms(1_234));
    // A skewed clock behind the latest event: taken as the latest event's time.
    let events = escalation
        .execute(
            &Command::Alert {
                risk: ClinicalRisk::Medium,
            },
            at(-10),
        )
        .unwrap();
    assert_eq!(events[0].at, at_ms(1_234));

    let far = chrono::DateTime::from_timestamp(300_000_000_000, 0).unwrap();
    assert!(matches!(
        escalation.execute(&Command::Resolve { by: nurse() }, far),
        Err(CommandError::TimeOutOfRange { .. })
    ));
    // A timeout far in the future cannot fail: everything due fires.
    assert_eq!(
        names(&escalation.handle_timeout(far)),
        ["step_notified", "step_notified", "unanswered"]
    );
}

#[test]
fn current_step_gives_a_countdown_for_screens() {
    let (mut escalation, _) = open_demo(ClinicalRisk::Medium);
    let view = escalation.current_step(at(31)).unwrap();
    // The deadline passed but was not handled yet: overdue by a second.
    assert_eq!((view.step, view.countdown_ms), (0, Some(-1_000)));
    escalation.handle_timeout(at(31));
    let view = escalation.current_step(at(31)).unwrap();
    assert_eq!(
        (view.step, view.target.role(), view.deadline),
        (1, &Role::SeniorClinician, Some(at(50)))
    );
    escalation
        .execute(&Command::Resolve { by: nurse() }, at(32))
        .unwrap();
    assert_eq!(escalation.current_step(at(33)), None);
}
