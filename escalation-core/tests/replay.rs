//! Replaying stored streams: exact rebuilds, and loud refusal of corrupt ones.

mod common;

use common::*;
use escalation_core::{ApplyError, Command, Escalation, EscalationId, EscalationState, Event};
use news2_core::ClinicalRisk;

fn full_log() -> (Escalation, Vec<Event>) {
    let (mut escalation, mut log) = open_demo(ClinicalRisk::Medium);
    log.extend(escalation.handle_timeout(at(31)));
    log.extend(
        escalation
            .execute(
                &Command::Alert {
                    risk: ClinicalRisk::High,
                },
                at(33),
            )
            .unwrap(),
    );
    log.extend(
        escalation
            .execute(&Command::Acknowledge { by: doctor() }, at(35))
            .unwrap(),
    );
    log.extend(
        escalation
            .execute(&Command::Resolve { by: doctor() }, at(36))
            .unwrap(),
    );
    (escalation, log)
}

#[test]
fn every_complete_prefix_replays_to_the_state_it_had() {
    let (live, log) = full_log();
    assert_eq!(Escalation::replay(&log).unwrap(), live);
    assert_eq!(live.state(), EscalationState::Resolved);
    // Applying one event at a time gives the same as replaying the prefix.
    let mut step_by_step = Escalation::replay(&log[..2]).unwrap();
    for event in &log[2..] {
        step_by_step.apply(event).unwrap();
    }
    assert_eq!(step_by_step, live);
}

#[test]
fn a_stream_that_stops_inside_one_decision_is_reported() {
    let (_, log) = full_log();
    // log[0] triggered, [1] nurse, [2] senior, [3] alert_joined, [4] band_raised, [5] doctor.
    assert_eq!(log[4].kind.name(), "band_raised");
    for cut in [1, 5] {
        let err = Escalation::replay(&log[..cut]).unwrap_err();
        assert!(
            matches!(err, ApplyError::Inconsistent { .. }),
            "{cut}: {err}"
        );
    }
    assert!(Escalation::replay(&log[..4]).is_ok());
}

#[test]
fn gaps_repeats_and_foreign_events_are_refused_without_change() {
    let (_, log) = full_log();
    let mut escalation = Escalation::replay(&log[..3]).unwrap();
    let before = escalation.clone();

    let err = escalation.apply(&log[4]).unwrap_err();
    assert_eq!(
        err,
        ApplyError::OutOfSequence {
            expected: 4,
            found: 5
        }
    );
    assert_eq!(
        escalation.apply(&log[2]).unwrap_err(),
        ApplyError::OutOfSequence {
            expected: 4,
            found: 3
        }
    );

    let mut foreign = log[3].clone();
    foreign.escalation_id = EscalationId::new(9);
    assert!(matches!(
        escalation.apply(&foreign),
        Err(ApplyError::WrongEscalation { .. })
    ));

    let mut backwards = log[3].clone();
    backwards.at = at(-1);
    assert!(matches!(
        escalation.apply(&backwards),
        Err(ApplyError::TimeWentBackwards { .. })
    ));
    assert_eq!(escalation, before);

    assert!(matches!(
        Escalation::replay([]),
        Err(ApplyError::NotTriggered { found: "nothing" })
    ));
}

#[test]
fn events_that_cannot_happen_in_the_state_are_refused() {
    let (_, log) = full_log();
    let resolved = Escalation::replay(&log).unwrap();
    // Anything after resolution.
    let mut after = log[3].clone();
    after.sequence = resolved.version() + 1;
    after.at = at(100);
    let mut escalation = resolved.clone();
    assert!(matches!(
        escalation.apply(&after),
        Err(ApplyError::NotApplicable {
            state: EscalationState::Resolved,
            ..
        })
    ));

    // A decline by someone who is not a recipient of the current step.
    let (mut notifying, mut log) = open_demo(ClinicalRisk::Medium);
    let mut decline = notifying
        .decide(&Command::Decline { by: nurse() }, at(1))
        .unwrap();
    if let escalation_core::EventKind::Declined { by, .. } = &mut decline[0].kind {
        *by = doctor();
    }
    assert!(matches!(
        notifying.apply(&decline[0]),
        Err(ApplyError::Inconsistent { .. })
    ));
    // A second triggered event.
    log[0].sequence = 3;
    assert!(matches!(
        notifying.apply(&log[0]),
        Err(ApplyError::NotApplicable { .. })
    ));
}
