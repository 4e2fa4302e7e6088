//! The reference system's demo flow on manual time: nurse at 0 s, senior at 30 s, doctor at
//! 50 s, unanswered at 65 s; what an acknowledgement, a risk rise and a restart change.

mod common;

use std::time::Duration;

use common::*;
use escalation_core::{
    Board, Clock, Command, Escalation, EscalationState, Event, EventKind, ManualClock, PatientId,
    PolicySet,
};
use news2_core::ClinicalRisk;

/// Drives a board second by second up to `until` seconds after t0, as a server's 1 s tick
/// would, collecting every event with the second it came out at.
fn tick(board: &mut Board, clock: &ManualClock, until: i64) -> Vec<Event> {
    let mut events = Vec::new();
    while secs_since_t0(clock.now()) < until {
        clock.advance(Duration::from_secs(1));
        events.extend(board.advance(clock));
    }
    events
}

#[test]
fn unanswered_demo_chain_notifies_nurse_senior_doctor_then_gives_up_at_65_s() {
    let clock = ManualClock::new(t0());
    let mut board = Board::new(PolicySet::demo());
    let (id, mut events) = board
        .alert(PatientId::new(42), ClinicalRisk::Medium, clock.now())
        .unwrap();
    events.extend(tick(&mut board, &clock, 120));

    assert_eq!(
        notified(&events),
        [
            (0, 0, "nurse".into(), 0),
            (30, 1, "senior_clinician".into(), 0),
            (50, 2, "on_call_doctor".into(), 0),
        ]
    );
    let last = events.last().unwrap();
    assert!(matches!(
        last.kind,
        EventKind::Unanswered {
            late_by_ms: 0,
            notify: None,
            ..
        }
    ));
    assert_eq!(secs_since_t0(last.at), 65);
    assert_eq!(board.get(id).unwrap().state(), EscalationState::Unanswered);
    assert_eq!(board.next_deadline(), None);
}

#[test]
fn acknowledgement_at_40_s_stops_every_later_notification() {
    let clock = ManualClock::new(t0());
    let mut board = Board::new(PolicySet::demo());
    let (id, _) = board
        .alert(PatientId::new(42), ClinicalRisk::Medium, clock.now())
        .unwrap();
    let before = tick(&mut board, &clock, 40);
    assert_eq!(notified(&before), [(30, 1, "senior_clinician".into(), 0)]);

    let events = board
        .execute(id, &Command::Acknowledge { by: senior() }, clock.now())
        .unwrap();
    let EventKind::Acknowledged { by, step, .. } = &events[0].kind else {
        panic!("expected acknowledged, got {events:?}");
    };
    assert_eq!((by, *step, secs_since_t0(events[0].at)), (&senior(), 1, 40));

    assert!(tick(&mut board, &clock, 3600).is_empty());
    let escalation = board.get(id).unwrap();
    assert_eq!(escalation.state(), EscalationState::Acknowledged);
    assert_eq!(escalation.acknowledgement().unwrap().by, senior());
}

#[test]
fn risk_rise_during_the_first_step_jumps_to_the_high_chain() {
    let clock = ManualClock::new(t0());
    let mut board = Board::new(PolicySet::demo());
    let (id, _) = board
        .alert(PatientId::new(42), ClinicalRisk::Medium, clock.now())
        .unwrap();
    tick(&mut board, &clock, 10);

    let (joined, events) = board
        .alert(PatientId::new(42), ClinicalRisk::High, clock.now())
        .unwrap();
    assert_eq!(joined, id);
    assert_eq!(
        names(&events),
        ["alert_joined", "band_raised", "step_notified"]
    );
    assert!(matches!(
        events[1].kind,
        EventKind::BandRaised {
            from: ClinicalRisk::Medium,
            to: ClinicalRisk::High,
            step: 0,
            pass: 0
        }
    ));
    // The high chain starts at the doctor, notified at once with a 15 s timeout.
    assert_eq!(notified(&events), [(10, 0, "on_call_doctor".into(), 0)]);

    let rest = tick(&mut board, &clock, 120);
    assert_eq!(
        notified(&rest),
        [(25, 1, "critical_care_outreach".into(), 0)]
    );
    assert_eq!(names(&rest), ["step_notified", "unanswered"]);
    assert_eq!(secs_since_t0(rest[1].at), 40);
    let escalation = board.get(id).unwrap();
    assert_eq!(
        (escalation.band(), escalation.alert_count()),
        (ClinicalRisk::High, 2)
    );
}

#[test]
fn risk_rise_at_a_later_step_never_moves_back_down_the_chain() {
    let (mut escalation, _) = open_demo(ClinicalRisk::LowMedium);
    escalation.handle_timeout(at(55)); // senior at 30, doctor at 50: step 2
    let events = escalation
        .execute(
            &Command::UpdateRisk {
                risk: ClinicalRisk::High,
            },
            at(56),
        )
        .unwrap();
    // The high chain has two steps: step 2 clamps to its last, step 1, never step 0.
    assert_eq!(
        notified(&events),
        [(56, 1, "critical_care_outreach".into(), 0)]
    );
    // A fall afterwards is recorded but keeps the high chain.
    let events = escalation
        .execute(
            &Command::UpdateRisk {
                risk: ClinicalRisk::Medium,
            },
            at(57),
        )
        .unwrap();
    assert_eq!(names(&events), ["risk_updated"]);
    assert_eq!(
        (escalation.risk(), escalation.band()),
        (ClinicalRisk::Medium, ClinicalRisk::High)
    );
}

#[test]
fn restart_after_a_long_pause_catches_up_with_every_missed_step_marked_late() {
    let clock = ManualClock::new(t0());
    let mut board = Board::new(PolicySet::demo());
    let (id, log) = board
        .alert(PatientId::new(42), ClinicalRisk::Medium, clock.now())
        .unwrap();

    // The server goes down at 1 s and comes back at one hour, rebuilding from its store.
    let next_id = board.next_id();
    drop(board);
    let replayed = Escalation::replay(&log).unwrap();
    let mut board = Board::restore(PolicySet::demo(), next_id, [replayed]).unwrap();
    clock.set(at(3600));
    let events = board.advance(&clock);

    assert_eq!(
        notified(&events),
        [
            (3600, 1, "senior_clinician".into(), 3_570_000),
            (3600, 2, "on_call_doctor".into(), 3_550_000),
        ]
    );
    let due: Vec<_> = events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::StepNotified { due_at, .. } | EventKind::Unanswered { due_at, .. } => {
                Some(secs_since_t0(due_at))
            }
            _ => None,
        })
        .collect();
    assert_eq!(due, [30, 50, 65]);
    assert!(matches!(
        events[2].kind,
        EventKind::Unanswered {
            late_by_ms: 3_535_000,
            ..
        }
    ));
    assert_eq!(board.get(id).unwrap().state(), EscalationState::Unanswered);

    // The full stream replays to the state the board holds.
    let full: Vec<_> = log.into_iter().chain(events).collect();
    assert_eq!(&Escalation::replay(&full).unwrap(), board.get(id).unwrap());
}

#[test]
fn a_pause_shorter_than_the_chain_fires_only_what_fell_due() {
    let (mut escalation, _) = open_demo(ClinicalRisk::Medium);
    assert!(escalation.handle_timeout(at(29)).is_empty());
    let events = escalation.handle_timeout(at(52));
    assert_eq!(
        notified(&events),
        [
            (52, 1, "senior_clinician".into(), 22_000),
            (52, 2, "on_call_doctor".into(), 2_000)
        ]
    );
    assert_eq!(escalation.next_deadline().unwrap().at, at(65));
}
