//! Helpers shared by the integration tests.
#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use escalation_core::{
    Escalation, EscalationId, Event, EventKind, PatientId, PolicySet, Responder, Role, StaffId,
};
use news2_core::ClinicalRisk;

/// 2025-01-01T08:00:00Z.
pub fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_735_718_400, 0).unwrap()
}

/// `t0` plus whole seconds.
pub fn at(seconds: i64) -> DateTime<Utc> {
    t0() + TimeDelta::seconds(seconds)
}

/// `t0` plus milliseconds.
pub fn at_ms(ms: i64) -> DateTime<Utc> {
    t0() + TimeDelta::milliseconds(ms)
}

pub fn who(staff: &str, role: Role) -> Responder {
    Responder::new(StaffId::new(staff).unwrap(), role)
}

pub fn nurse() -> Responder {
    who("nurse-17", Role::Nurse)
}

pub fn senior() -> Responder {
    who("sr-2", Role::SeniorClinician)
}

pub fn doctor() -> Responder {
    who("dr-ana", Role::OnCallDoctor)
}

/// Opens an escalation on the demo set at `t0`.
pub fn open_demo(risk: ClinicalRisk) -> (Escalation, Vec<Event>) {
    open_with(PolicySet::demo(), risk)
}

pub fn open_with(set: PolicySet, risk: ClinicalRisk) -> (Escalation, Vec<Event>) {
    Escalation::open(
        EscalationId::new(1),
        PatientId::new(42),
        risk,
        Arc::new(set),
        t0(),
    )
    .unwrap()
}

/// A compact view of a notification: (seconds after t0 it happened, step, role, late ms).
pub fn notified(events: &[Event]) -> Vec<(i64, u32, String, u64)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::StepNotified {
                step,
                target,
                late_by_ms,
                ..
            } => Some((
                secs_since_t0(e.at),
                *step,
                target.role().to_string(),
                *late_by_ms,
            )),
            _ => None,
        })
        .collect()
}

pub fn secs_since_t0(t: DateTime<Utc>) -> i64 {
    t.signed_duration_since(t0()).num_seconds()
}

pub fn names(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(|e| e.kind.name()).collect()
}
