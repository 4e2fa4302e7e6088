//! The board: deadline order across escalations, one escalation per patient, restore, and a
//! differential property against escalations driven one by one.

mod common;

use std::{collections::HashMap, sync::Arc};

use chrono::{DateTime, Utc};
use common::*;
use escalation_core::{
    Board, BoardError, Command, Escalation, EscalationId, EventKind, PatientId, PolicySet,
    TimerOutcome,
};
use news2_core::ClinicalRisk;
use proptest::prelude::*;

/// When the timer that produced this event was due (`None` for command events).
fn due_at(kind: &EventKind) -> Option<DateTime<Utc>> {
    match kind {
        EventKind::StepNotified { due_at, .. }
        | EventKind::Unanswered { due_at, .. }
        | EventKind::Retriggered { due_at, .. } => Some(*due_at),
        _ => None,
    }
}

#[test]
fn board_and_escalations_can_cross_threads() {
    // Servers share a board behind a lock and the Python bindings need `Send`.
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Board>();
    send_sync::<Escalation>();
    send_sync::<escalation_core::Event>();
    send_sync::<escalation_core::ManualClock>();
}

#[test]
fn an_open_escalation_stays_small() {
    assert!(
        std::mem::size_of::<Escalation>() <= 128,
        "{}",
        std::mem::size_of::<Escalation>()
    );
}

#[test]
fn one_open_escalation_per_patient_and_resolved_ones_leave() {
    let mut board = Board::new(PolicySet::demo());
    let (a, _) = board
        .alert(PatientId::new(1), ClinicalRisk::Medium, at(0))
        .unwrap();
    let (again, events) = board
        .alert(PatientId::new(1), ClinicalRisk::Medium, at(1))
        .unwrap();
    assert_eq!((again, names(&events)), (a, vec!["alert_joined"]));
    assert_eq!(board.len(), 1);

    let token = board.get(a).unwrap().next_deadline().unwrap().token;
    board
        .execute(a, &Command::Resolve { by: nurse() }, at(2))
        .unwrap();
    assert!(board.is_empty() && board.open_for(PatientId::new(1)).is_none());
    assert_eq!(
        board.handle_timer(token, at(30)),
        TimerOutcome::Stale { current: None }
    );
    let err = board
        .execute(a, &Command::Resolve { by: nurse() }, at(3))
        .unwrap_err();
    assert_eq!(err, BoardError::UnknownEscalation { id: a });
    assert_eq!(board.next_deadline(), None);

    // A new alert for the patient opens a new escalation with a new id.
    let (b, _) = board
        .alert(PatientId::new(1), ClinicalRisk::Medium, at(4))
        .unwrap();
    assert_ne!(a, b);
    let low = board
        .alert(PatientId::new(2), ClinicalRisk::Low, at(4))
        .unwrap_err();
    assert!(matches!(
        low,
        BoardError::Command(escalation_core::CommandError::NoPolicy { .. })
    ));
}

#[test]
fn insert_refuses_what_would_break_the_board() {
    let mut board = Board::new(PolicySet::demo());
    let (a, _) = board
        .alert(PatientId::new(1), ClinicalRisk::Medium, at(0))
        .unwrap();
    let copy = board.get(a).unwrap().clone();
    assert_eq!(
        board.insert(copy.clone()),
        Err(BoardError::DuplicateEscalation { id: a })
    );

    let open = |id, patient| {
        Escalation::open(
            EscalationId::new(id),
            PatientId::new(patient),
            ClinicalRisk::High,
            Arc::new(PolicySet::demo()),
            at(0),
        )
        .unwrap()
        .0
    };
    let err = board.insert(open(0, 1)).unwrap_err();
    assert!(matches!(err, BoardError::PatientAlreadyOpen { open, .. } if open == a));
    assert!(matches!(
        board.insert(open(5, 2)),
        Err(BoardError::IdNotIssued { .. })
    ));
    let mut resolved = copy;
    resolved
        .execute(&Command::Resolve { by: nurse() }, at(1))
        .unwrap();
    assert!(matches!(
        board.insert(resolved),
        Err(BoardError::NotOpen { .. })
    ));
}

#[test]
fn editing_policies_never_changes_running_escalations() {
    let mut board = Board::new(PolicySet::demo());
    let (old, _) = board
        .alert(PatientId::new(1), ClinicalRisk::Medium, at(0))
        .unwrap();
    board.set_policies(PolicySet::production());
    let (new, _) = board
        .alert(PatientId::new(2), ClinicalRisk::Medium, at(0))
        .unwrap();
    assert_eq!(board.get(old).unwrap().next_deadline().unwrap().at, at(30));
    assert_eq!(board.get(new).unwrap().next_deadline().unwrap().at, at(600));
    assert_eq!(**board.get(old).unwrap().policies(), PolicySet::demo());
}

#[test]
fn many_replaced_deadlines_neither_fire_nor_pile_up() {
    let set = PolicySet::production();
    let mut board = Board::new(set);
    let (id, _) = board
        .alert(PatientId::new(1), ClinicalRisk::Medium, at(0))
        .unwrap();
    board
        .execute(id, &Command::Acknowledge { by: nurse() }, at(1))
        .unwrap();
    for i in 0..5_000 {
        board
            .execute(
                id,
                &Command::Snooze {
                    by: nurse(),
                    duration_seconds: 600,
                },
                at(2 + i),
            )
            .unwrap();
    }
    let debug = format!("{board:?}");
    let timers: usize = debug
        .split("timers: ")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(timers <= 2 * board.len() + 1024, "{debug}");
    assert_eq!(board.next_deadline().unwrap().at, at(2 + 4_999 + 600));
    assert!(board.advance_to(at(5_000)).is_empty());
    assert_eq!(
        names(&board.advance_to(at(6_000))),
        ["retriggered", "step_notified"]
    );
}

#[test]
fn a_durable_timer_fires_through_the_board_and_moves_its_deadline() {
    let mut board = Board::new(PolicySet::demo());
    let (id, _) = board
        .alert(PatientId::new(1), ClinicalRisk::Medium, at(0))
        .unwrap();
    let first = board.next_deadline().unwrap();
    assert_eq!(
        board.handle_timer(first.token, at(29)),
        TimerOutcome::NotDue { deadline: first }
    );
    let TimerOutcome::Fired(events) = board.handle_timer(first.token, at(30)) else {
        panic!("a current, due token fires");
    };
    assert_eq!(notified(&events), [(30, 1, "senior_clinician".into(), 0)]);
    // The board's own queue moved on too: advancing does not fire the step again.
    assert!(board.advance_to(at(49)).is_empty());
    assert_eq!(board.next_deadline().unwrap().at, at(50));
    assert!(matches!(
        board.handle_timer(first.token, at(31)),
        TimerOutcome::Stale { current: Some(_) }
    ));
    assert_eq!(board.get(id).unwrap().step_index(), 1);
}

#[test]
fn restore_skips_resolved_escalations_and_remove_takes_one_off() {
    let policies = Arc::new(PolicySet::demo());
    let open = |id, patient| {
        Escalation::open(
            EscalationId::new(id),
            PatientId::new(patient),
            ClinicalRisk::Medium,
            policies.clone(),
            at(0),
        )
        .unwrap()
        .0
    };
    let mut closed = open(1, 1);
    closed
        .execute(&Command::Resolve { by: nurse() }, at(1))
        .unwrap();
    let mut board = Board::restore(
        PolicySet::demo(),
        EscalationId::new(10),
        [closed, open(2, 2), open(3, 3)],
    )
    .unwrap();
    assert_eq!(board.len(), 2);
    assert_eq!(board.next_id(), EscalationId::new(10));
    let removed = board.remove(EscalationId::new(2)).unwrap();
    assert_eq!(removed.patient(), PatientId::new(2));
    assert!(board.open_for(PatientId::new(2)).is_none());
    // Only escalation 3 is left to fire.
    let events = board.advance_to(at(30));
    assert!(
        events
            .iter()
            .all(|e| e.escalation_id == EscalationId::new(3))
            && events.len() == 1
    );
    let (next, _) = board
        .alert(PatientId::new(2), ClinicalRisk::High, at(31))
        .unwrap();
    assert_eq!(next, EscalationId::new(10));
}

#[derive(Debug, Clone)]
enum Op {
    Alert(u64, ClinicalRisk),
    Ack(u64),
    Resolve(u64),
    Advance(i64),
}

fn op() -> impl Strategy<Value = Op> {
    let risk = prop::sample::select(vec![
        ClinicalRisk::LowMedium,
        ClinicalRisk::Medium,
        ClinicalRisk::High,
    ]);
    prop_oneof![
        4 => (0..6u64, risk).prop_map(|(p, r)| Op::Alert(p, r)),
        1 => (0..6u64).prop_map(Op::Ack),
        1 => (0..6u64).prop_map(Op::Resolve),
        4 => (0..40_000i64).prop_map(Op::Advance),
    ]
}

proptest! {
    /// The board produces, for every escalation, exactly the events that escalation produces
    /// when driven alone at the same times, and its timer events come out in deadline order.
    #[test]
    fn board_matches_escalations_driven_one_by_one(ops in prop::collection::vec(op(), 1..60)) {
        let policies = Arc::new(PolicySet::production());
        let mut board = Board::new(PolicySet::production());
        let mut alone: HashMap<EscalationId, Escalation> = HashMap::new();
        let mut now_ms = 0;
        for op in ops {
            let now = at_ms(now_ms);
            match op {
                Op::Alert(patient, risk) => {
                    let open = board.open_for(PatientId::new(patient)).map(Escalation::id);
                    let (id, events) = board.alert(PatientId::new(patient), risk, now).unwrap();
                    match open {
                        Some(open) => {
                            prop_assert_eq!(open, id);
                            let mine = alone.get_mut(&id).unwrap().execute(&Command::Alert { risk }, now).unwrap();
                            prop_assert_eq!(events, mine);
                        }
                        None => {
                            let (mine, events_alone) = Escalation::open(id, PatientId::new(patient), risk, policies.clone(), now).unwrap();
                            prop_assert_eq!(events, events_alone);
                            alone.insert(id, mine);
                        }
                    }
                }
                Op::Ack(patient) | Op::Resolve(patient) => {
                    let Some(id) = board.open_for(PatientId::new(patient)).map(Escalation::id) else { continue };
                    let command = if matches!(op, Op::Ack(_)) {
                        Command::Acknowledge { by: doctor() }
                    } else {
                        Command::Resolve { by: doctor() }
                    };
                    let mine = alone.get_mut(&id).unwrap().execute(&command, now);
                    let theirs = board.execute(id, &command, now);
                    prop_assert_eq!(theirs.map_err(|_| ()), mine.map_err(|_| ()));
                }
                Op::Advance(ms) => {
                    now_ms += ms;
                    let now = at_ms(now_ms);
                    let events = board.advance_to(now);
                    let dues: Vec<_> = events.iter().filter_map(|e| due_at(&e.kind)).collect();
                    prop_assert!(dues.windows(2).all(|w| w[0] <= w[1]), "{:?}", dues);
                    for (id, escalation) in alone.iter_mut() {
                        let mine = escalation.handle_timeout(now);
                        let theirs: Vec<_> = events.iter().filter(|e| e.escalation_id == *id).cloned().collect();
                        prop_assert_eq!(theirs, mine);
                    }
                }
            }
            alone.retain(|_, e| e.is_open());
            prop_assert_eq!(board.len(), alone.len());
            for (id, escalation) in &alone {
                prop_assert_eq!(board.get(*id), Some(escalation));
            }
            let earliest = alone.values().filter_map(Escalation::next_deadline).map(|d| d.at).min();
            prop_assert_eq!(board.next_deadline().map(|d| d.at), earliest);
        }
    }
}
