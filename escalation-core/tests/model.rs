//! Model-based property tests: random policies, random commands and time jumps, run against
//! the escalation and against a plain reference model written with integers and no events.
//!
//! Checked after every operation: the escalation agrees with the model (result, state, band,
//! step, pass, deadline); replaying its events gives the live state; and over the whole
//! stream: at most one step is active at a time, nothing is notified after an
//! acknowledgement or resolution until a re-trigger, and deadlines strictly increase within
//! a generation. A second property checks that time to exhaustion is the sum of the chain's
//! timeouts times its repeats, however the time jumps fall.

mod common;

use std::{sync::Arc, time::Duration};

use common::*;
use escalation_core::{
    Command, CommandError, Escalation, EscalationId, EscalationPolicy, EscalationState, Event,
    EventKind, PatientId, PolicySet, Responder, Role, StaffId, Step, Target, TimerOutcome,
    TimerToken,
};
use news2_core::ClinicalRisk;
use proptest::prelude::*;

const ROLES: [Role; 3] = [Role::Nurse, Role::SeniorClinician, Role::OnCallDoctor];
const STAFF: [&str; 4] = ["s0", "s1", "s2", "x"];

fn step() -> impl Strategy<Value = Step> {
    (
        0..3usize,
        1..120u64,
        0..3usize,
        prop::collection::vec(0..3usize, 0..3),
    )
        .prop_map(|(role, seconds, recipients, ack)| {
            let named = STAFF[..recipients]
                .iter()
                .map(|s| StaffId::new(s).unwrap())
                .collect();
            let mut ack_roles: Vec<Role> = ack.into_iter().map(|r| ROLES[r].clone()).collect();
            ack_roles.dedup();
            ack_roles.sort();
            ack_roles.dedup();
            let target = Target::new(ROLES[role].clone(), named).unwrap();
            Step::new(target, Duration::from_secs(seconds))
                .unwrap()
                .with_ack_roles(ack_roles)
                .unwrap()
        })
}

fn policy() -> impl Strategy<Value = EscalationPolicy> {
    (
        prop::collection::vec(step(), 1..4),
        1..4u32,
        prop::option::of(1..300u64),
    )
        .prop_map(|(steps, repeats, ack)| {
            let p = EscalationPolicy::new(steps)
                .unwrap()
                .with_repeats(repeats)
                .unwrap();
            match ack {
                Some(s) => p.with_ack_timeout(Duration::from_secs(s)).unwrap(),
                None => p,
            }
        })
}

fn policy_set() -> impl Strategy<Value = PolicySet> {
    (
        policy(),
        prop::option::of(policy()),
        prop::option::of(policy()),
    )
        .prop_map(|(lm, m, h)| {
            let mut set = PolicySet::new(ClinicalRisk::LowMedium, lm);
            if let Some(m) = m {
                set = set.with(ClinicalRisk::Medium, m);
            }
            if let Some(h) = h {
                set = set.with(ClinicalRisk::High, h);
            }
            set
        })
}

#[derive(Debug, Clone)]
enum Op {
    Advance(i64),
    ToDeadline,
    Alert(ClinicalRisk),
    UpdateRisk(ClinicalRisk),
    Ack(usize, usize),
    Decline(usize, usize),
    Snooze(u32),
    Resolve,
    Redeliver(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let risk = || {
        prop::sample::select(vec![
            ClinicalRisk::Low,
            ClinicalRisk::LowMedium,
            ClinicalRisk::Medium,
            ClinicalRisk::High,
        ])
    };
    prop_oneof![
        6 => (0..200_000i64).prop_map(Op::Advance),
        3 => Just(Op::ToDeadline),
        2 => risk().prop_map(Op::Alert),
        1 => risk().prop_map(Op::UpdateRisk),
        2 => (0..4usize, 0..3usize).prop_map(|(s, r)| Op::Ack(s, r)),
        3 => (0..4usize, 0..3usize).prop_map(|(s, r)| Op::Decline(s, r)),
        1 => prop_oneof![Just(0u32), 1..900u32, Just(86_401u32)].prop_map(Op::Snooze),
        1 => Just(Op::Resolve),
        2 => (0..64usize).prop_map(Op::Redeliver),
    ]
}

fn responder(staff: usize, role: usize) -> Responder {
    Responder::new(StaffId::new(STAFF[staff]).unwrap(), ROLES[role].clone())
}

/// The reference: the rules of the issue, in milliseconds, with no events.
#[derive(Debug, Clone, PartialEq)]
struct Model {
    set: PolicySet,
    state: EscalationState,
    risk: ClinicalRisk,
    band: ClinicalRisk,
    ordinal: u32,
    deadline: Option<i64>,
    declined: Vec<usize>,
    snoozed: bool,
}

impl Model {
    fn chain(&self) -> &EscalationPolicy {
        self.set.for_risk(self.band).unwrap()
    }
    fn len(&self) -> u32 {
        self.chain().steps().len() as u32
    }
    fn step(&self) -> &Step {
        &self.chain().steps()[(self.ordinal % self.len()) as usize]
    }
    fn timeout(&self) -> i64 {
        self.step().timeout().as_millis() as i64
    }
    /// Start the step at `ordinal`, due at `due`.
    fn start(&mut self, ordinal: u32, due: i64) {
        self.state = EscalationState::Notifying;
        self.ordinal = ordinal;
        self.declined.clear();
        self.snoozed = false;
        self.deadline = Some(due + self.timeout());
    }
    fn next(&mut self, due: i64) {
        if self.ordinal + 1 == self.len() * self.chain().repeats() {
            self.state = EscalationState::Unanswered;
            self.deadline = None;
        } else {
            self.start(self.ordinal + 1, due);
        }
    }
    fn advance(&mut self, now: i64) {
        while let Some(due) = self.deadline.filter(|d| *d <= now) {
            match self.state {
                EscalationState::Notifying => self.next(due),
                _ => self.start(0, due),
            }
        }
    }
    fn risk(&mut self, risk: ClinicalRisk, alert: bool, now: i64) {
        self.risk = risk;
        if risk > self.band {
            let (index, pass) = (self.ordinal % self.len(), self.ordinal / self.len());
            self.band = risk;
            let (len, repeats) = (self.len(), self.chain().repeats());
            self.start(pass.min(repeats - 1) * len + index.min(len - 1), now);
        } else if alert && self.state == EscalationState::Unanswered {
            self.start(0, now);
        }
    }
    /// The error kind the command must fail with, or `None` after applying it.
    fn command(&mut self, op: &Op, now: i64) -> Option<&'static str> {
        if self.state == EscalationState::Resolved
            && !matches!(op, Op::Advance(_) | Op::ToDeadline | Op::Redeliver(_))
        {
            return Some("resolved");
        }
        match *op {
            Op::Alert(r) => self.risk(r, true, now),
            Op::UpdateRisk(r) => self.risk(r, false, now),
            Op::Ack(s, r) => {
                if self.state == EscalationState::Acknowledged {
                    return Some("already_acknowledged");
                }
                if !self.step().may_acknowledge(&ROLES[r]) {
                    return Some("role_not_allowed");
                }
                self.state = EscalationState::Acknowledged;
                self.deadline = self
                    .chain()
                    .ack_timeout()
                    .map(|t| now + t.as_millis() as i64);
                self.snoozed = false;
                let _ = s;
            }
            Op::Decline(s, r) => {
                if self.state != EscalationState::Notifying {
                    return Some("not_notifying");
                }
                let target = self.step().target();
                let who = if target.recipients().is_empty() {
                    (target.role() == &ROLES[r]).then_some(0)
                } else {
                    target
                        .recipients()
                        .iter()
                        .position(|id| id.as_str() == STAFF[s])
                };
                let Some(who) = who else {
                    return Some("not_a_recipient");
                };
                if self.declined.contains(&who) {
                    return Some("already_declined");
                }
                let everyone = target.recipients().len().max(1);
                self.declined.push(who);
                if self.declined.len() == everyone {
                    self.next(now);
                }
            }
            Op::Snooze(seconds) => {
                if self.state != EscalationState::Acknowledged {
                    return Some("not_acknowledged");
                }
                if !(1..=86_400).contains(&seconds) {
                    return Some("snooze");
                }
                self.deadline = Some(now + i64::from(seconds) * 1000);
                self.snoozed = true;
            }
            Op::Resolve => {
                self.state = EscalationState::Resolved;
                self.deadline = None;
            }
            Op::Advance(_) | Op::ToDeadline | Op::Redeliver(_) => self.advance(now),
        }
        None
    }
}

fn kind(err: &CommandError) -> &'static str {
    match err {
        CommandError::Resolved { .. } => "resolved",
        CommandError::AlreadyAcknowledged { .. } => "already_acknowledged",
        CommandError::RoleNotAllowed { .. } => "role_not_allowed",
        CommandError::NotNotifying { .. } => "not_notifying",
        CommandError::NotARecipient { .. } => "not_a_recipient",
        CommandError::AlreadyDeclined { .. } => "already_declined",
        CommandError::NotAcknowledged { .. } => "not_acknowledged",
        CommandError::Snooze(_) => "snooze",
        other => panic!("unexpected error {other}"),
    }
}

/// The stream-wide properties of the issue.
fn check_stream(log: &[Event]) -> Result<(), TestCaseError> {
    let mut last_step: Option<(u32, chrono::DateTime<chrono::Utc>)> = None;
    let mut silenced = false;
    for (i, event) in log.iter().enumerate() {
        match &event.kind {
            EventKind::StepNotified {
                generation,
                due_at,
                deadline,
                ..
            } => {
                prop_assert!(
                    !silenced,
                    "notified after acknowledgement without re-trigger at {}",
                    i
                );
                if let Some((g, previous)) = last_step.filter(|(g, _)| g == generation) {
                    // Same generation: the previous step's window had closed, this one starts
                    // where it ended, and its deadline is strictly later.
                    prop_assert!(
                        previous <= event.at && previous == *due_at,
                        "two active steps at {}",
                        i
                    );
                    prop_assert!(
                        *deadline > previous,
                        "deadline did not increase in generation {}",
                        g
                    );
                }
                last_step = Some((*generation, *deadline));
            }
            EventKind::Acknowledged { .. } => silenced = true,
            EventKind::Retriggered { .. } | EventKind::BandRaised { .. } => silenced = false,
            EventKind::Resolved { .. } => {
                prop_assert_eq!(i, log.len() - 1, "events after resolution")
            }
            _ => {}
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn escalation_follows_the_model(set in policy_set(), first in 1..4u8, ops in prop::collection::vec(op(), 1..80)) {
        let risk = ClinicalRisk::from_code(first).unwrap();
        let (mut live, mut log) = Escalation::open(EscalationId::new(1), PatientId::new(1), risk, Arc::new(set.clone()), t0()).unwrap();
        let mut model = Model { set, state: EscalationState::Notifying, risk, band: risk, ordinal: 0, deadline: None, declined: vec![], snoozed: false };
        model.start(0, 0);
        let mut tokens: Vec<TimerToken> = live.next_deadline().map(|d| d.token).into_iter().collect();
        let mut now = 0i64;

        for op in &ops {
            let events = match op {
                Op::Advance(ms) => { now += ms; live.handle_timeout(at_ms(now)) }
                Op::ToDeadline => {
                    now = now.max(model.deadline.unwrap_or(now));
                    live.handle_timeout(at_ms(now))
                }
                Op::Redeliver(i) => {
                    let token = tokens[i % tokens.len()];
                    let current = live.next_deadline();
                    match live.handle_timer(token, at_ms(now)).unwrap() {
                        TimerOutcome::Fired(events) => {
                            prop_assert_eq!(current.map(|d| d.token), Some(token));
                            events
                        }
                        TimerOutcome::Stale { current: c } => {
                            prop_assert_ne!(current.map(|d| d.token), Some(token));
                            prop_assert_eq!(c, current);
                            vec![]
                        }
                        TimerOutcome::NotDue { deadline } => {
                            prop_assert!(deadline.at > at_ms(now));
                            vec![]
                        }
                    }
                }
                command => {
                    let cmd = match *command {
                        Op::Alert(risk) => Command::Alert { risk },
                        Op::UpdateRisk(risk) => Command::UpdateRisk { risk },
                        Op::Ack(s, r) => Command::Acknowledge { by: responder(s, r) },
                        Op::Decline(s, r) => Command::Decline { by: responder(s, r) },
                        Op::Snooze(duration_seconds) => Command::Snooze { by: responder(0, 0), duration_seconds },
                        Op::Resolve => Command::Resolve { by: responder(0, 0) },
                        _ => unreachable!(),
                    };
                    let before = live.clone();
                    match (live.execute(&cmd, at_ms(now)), model.command(command, now)) {
                        (Ok(events), None) => events,
                        (Err(err), Some(expected)) => {
                            prop_assert_eq!(kind(&err), expected);
                            prop_assert_eq!(&live, &before);
                            vec![]
                        }
                        (got, want) => return Err(TestCaseError::fail(format!("{op:?}: got {got:?}, model wants {want:?}"))),
                    }
                }
            };
            if matches!(op, Op::Advance(_) | Op::ToDeadline | Op::Redeliver(_)) && !events.is_empty() {
                model.command(op, now);
            } else if matches!(op, Op::Advance(_) | Op::ToDeadline) {
                // Nothing fired: the model must agree nothing was due.
                prop_assert!(model.deadline.is_none_or(|d| d > now) || model.state == EscalationState::Resolved);
            }
            log.extend(events);
            tokens.extend(live.next_deadline().map(|d| d.token));

            prop_assert_eq!(live.state(), model.state, "after {:?}", op);
            prop_assert_eq!((live.risk(), live.band()), (model.risk, model.band));
            prop_assert_eq!(live.next_deadline().map(|d| d.at), model.deadline.map(at_ms), "after {:?}", op);
            if live.is_open() {
                prop_assert_eq!((live.step_index(), live.pass()), (model.ordinal % model.len(), model.ordinal / model.len()));
            }
            prop_assert_eq!(&Escalation::replay(&log).unwrap(), &live);
        }
        check_stream(&log)?;
    }

    #[test]
    fn time_to_exhaustion_is_the_sum_of_timeouts_times_repeats(
        set in policy_set(),
        first in 1..4u8,
        jumps in prop::collection::vec(1..400_000i64, 1..200),
    ) {
        let risk = ClinicalRisk::from_code(first).unwrap();
        let (mut live, mut log) = Escalation::open(EscalationId::new(1), PatientId::new(1), risk, Arc::new(set.clone()), t0()).unwrap();
        let expected = set.for_risk(risk).unwrap().time_to_exhaustion();
        let mut now = 0;
        for jump in jumps {
            now += jump;
            log.extend(live.handle_timeout(at_ms(now)));
        }
        // Make sure the chain ran out.
        log.extend(live.handle_timeout(at(i64::try_from(expected.as_secs()).unwrap() + 1)));
        let Some(EventKind::Unanswered { due_at, late_by_ms, .. }) = log.last().map(|e| &e.kind) else {
            return Err(TestCaseError::fail("no unanswered event"));
        };
        prop_assert_eq!(due_at.signed_duration_since(t0()).to_std().unwrap(), expected);
        prop_assert_eq!(*late_by_ms as i64, log.last().unwrap().at.signed_duration_since(*due_at).num_milliseconds());
        let steps = log.iter().filter(|e| e.kind.name() == "step_notified").count();
        let chain = set.for_risk(risk).unwrap();
        prop_assert_eq!(steps, chain.steps().len() * chain.repeats() as usize);
        check_stream(&log)?;
    }
}
