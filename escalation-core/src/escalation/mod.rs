//! One escalation: its state, and how commands, timeouts and events move it.
//!
//! The state changes only by applying events. Commands and timeouts are decided against
//! the state and `now` and yield events (or a typed error and no change); applying those
//! events gives the next state; replaying the stream from its `triggered` event gives the
//! same state again.

mod apply;
mod decide;
mod snapshot;

use alloc::{boxed::Box, sync::Arc};
use core::fmt;

use chrono::{DateTime, Utc};
use news2_core::ClinicalRisk;
use serde::{Deserialize, Serialize};

use crate::{
    id::{EscalationId, PatientId},
    policy::{EscalationPolicy, Target},
    policy_set::PolicySet,
    role::Responder,
    time::Moment,
    timer::{Deadline, TimerToken},
};

/// Where an escalation is in its life. Other components match on these labels exactly.
///
/// ```
/// use escalation_core::EscalationState;
/// assert_eq!(EscalationState::Unanswered.as_str(), "unanswered");
/// assert_eq!(serde_json::to_string(&EscalationState::Acknowledged).unwrap(), r#""acknowledged""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationState {
    /// A step's target has been notified and the step's timeout is running.
    Notifying,
    /// Someone took the alert; nothing more is notified until a re-trigger.
    Acknowledged,
    /// Closed.
    Resolved,
    /// The chain ran out with no acknowledgement. Still open: it can be acknowledged or
    /// resolved, and a new alert or a higher risk starts notifying again.
    Unanswered,
}

impl EscalationState {
    /// The label: `notifying`, `acknowledged`, `resolved` or `unanswered`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Notifying => "notifying",
            Self::Acknowledged => "acknowledged",
            Self::Resolved => "resolved",
            Self::Unanswered => "unanswered",
        }
    }

    /// Everything but `resolved`.
    pub const fn is_open(self) -> bool {
        !matches!(self, Self::Resolved)
    }
}

impl fmt::Display for EscalationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who took an escalation, when, and at which step.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Acknowledgement {
    /// Who, in which role.
    pub by: Responder,
    /// When.
    pub at: DateTime<Utc>,
    /// The step (index in the chain) that was acknowledged.
    pub step: u32,
    /// Its repeat.
    pub pass: u32,
    /// The latest snooze's end, if it was snoozed.
    pub snoozed_until: Option<DateTime<Utc>>,
}

/// Who closed an escalation, and when.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Resolution {
    /// Who, in which role.
    pub by: Responder,
    /// When.
    pub at: DateTime<Utc>,
}

/// What a screen shows for an escalation at a given moment: the current step and its
/// countdown. From [`Escalation::current_step`].
///
/// JSON: `{"state": "notifying", "step": 1, "pass": 0, "target": {...},
/// "deadline": "...", "countdown_ms": 12000}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentStep {
    /// The escalation's state.
    pub state: EscalationState,
    /// Index of the step in its chain (when acknowledged: the step that was acknowledged;
    /// when unanswered: the last step).
    pub step: u32,
    /// Repeat of the chain.
    pub pass: u32,
    /// Whom the step notifies.
    pub target: Target,
    /// When something next happens: the next step or `unanswered` when notifying, the
    /// re-trigger when acknowledged; `None` when nothing is scheduled.
    pub deadline: Option<DateTime<Utc>>,
    /// `deadline` − now in milliseconds; negative when overdue (a timeout not yet handled).
    pub countdown_ms: Option<i64>,
}

/// One escalation for one patient: the copy of the policy set it runs on, where it is in
/// its chain, and its deadline.
///
/// Small by design (a pointer to a shared policy set, no owned strings while notifying):
/// [`size_of`](core::mem::size_of) is at most 128 bytes.
///
/// ```
/// use std::sync::Arc;
/// use chrono::{DateTime, TimeDelta};
/// use escalation_core::*;
/// use news2_core::ClinicalRisk;
///
/// let t0 = DateTime::from_timestamp(1_735_718_400, 0).unwrap();
/// let policies = Arc::new(PolicySet::demo());
/// let (mut esc, events) = Escalation::open(
///     EscalationId::new(1), PatientId::new(42), ClinicalRisk::Medium, policies, t0,
/// ).unwrap();
/// assert_eq!(events.len(), 2); // triggered, step_notified (nurse)
/// assert_eq!(esc.next_deadline().unwrap().at, t0 + TimeDelta::seconds(30));
///
/// // Nobody answers for 40 s: the senior clinician was due at 30 s.
/// let events = esc.handle_timeout(t0 + TimeDelta::seconds(40));
/// assert!(matches!(events[0].kind, EventKind::StepNotified { step: 1, late_by_ms: 10_000, .. }));
///
/// let nurse = Responder::new(StaffId::new("nurse-17").unwrap(), Role::Nurse);
/// esc.execute(&Command::Acknowledge { by: nurse.clone() }, t0 + TimeDelta::seconds(41)).unwrap();
/// assert_eq!(esc.state(), EscalationState::Acknowledged);
/// assert!(esc.next_deadline().is_none());
///
/// // A second acknowledgement is refused and changes nothing.
/// let err = esc.execute(&Command::Acknowledge { by: nurse }, t0 + TimeDelta::seconds(42));
/// assert!(matches!(err, Err(CommandError::AlreadyAcknowledged { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escalation {
    id: EscalationId,
    patient: PatientId,
    policies: Arc<PolicySet>,
    state: EscalationState,
    risk: ClinicalRisk,
    // The highest band reached; it picks the chain and never goes down.
    band: ClinicalRisk,
    opened_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    version: u64,
    alert_count: u32,
    generation: u32,
    // Position of the current step in the unrolled chain: pass × chain length + index.
    ordinal: u32,
    // With its milliseconds: the board keys its timers on them.
    deadline: Option<Moment>,
    // Bit i: recipient i of the current step declined (bit 0 for a role-only step).
    declined: u64,
    // Boxed: present only after an acknowledgement or resolution, so open escalations that are
    // still notifying pay a pointer each, not the record.
    acknowledgement: Option<Box<Acknowledgement>>,
    resolution: Option<Box<Resolution>>,
}

impl Escalation {
    /// The escalation's id.
    pub fn id(&self) -> EscalationId {
        self.id
    }

    /// The patient.
    pub fn patient(&self) -> PatientId {
        self.patient
    }

    /// Where it is in its life.
    pub fn state(&self) -> EscalationState {
        self.state
    }

    /// Whether it is not resolved.
    pub fn is_open(&self) -> bool {
        self.state.is_open()
    }

    /// The latest risk reported (it may have fallen below [`band`](Self::band)).
    pub fn risk(&self) -> ClinicalRisk {
        self.risk
    }

    /// The highest band reached: the one whose chain runs.
    pub fn band(&self) -> ClinicalRisk {
        self.band
    }

    /// The policy set copied in when it opened.
    pub fn policies(&self) -> &Arc<PolicySet> {
        &self.policies
    }

    /// The chain that runs now.
    pub fn policy(&self) -> &EscalationPolicy {
        // Invariant: every constructor (open, replay, deserialise) checks that the band has a
        // chain, and the band only rises, and a chain that covers a band covers every higher one.
        self.policies
            .for_risk(self.band)
            .expect("invariant: the band has a chain")
    }

    /// When it opened.
    pub fn opened_at(&self) -> DateTime<Utc> {
        self.opened_at
    }

    /// When its latest event happened.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }

    /// How many events it has applied: the `sequence` of the latest one.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Alerts joined into it, the first included.
    pub fn alert_count(&self) -> u32 {
        self.alert_count
    }

    /// The current deadline generation.
    pub fn generation(&self) -> u32 {
        self.generation
    }

    /// Index of the current step in its chain.
    pub fn step_index(&self) -> u32 {
        self.ordinal % self.chain_len()
    }

    /// Repeat of the chain the current step belongs to.
    pub fn pass(&self) -> u32 {
        self.ordinal / self.chain_len()
    }

    /// How many recipients have declined the current step.
    pub fn declined_count(&self) -> u32 {
        self.declined.count_ones()
    }

    /// The current acknowledgement, until a re-trigger clears it.
    pub fn acknowledgement(&self) -> Option<&Acknowledgement> {
        self.acknowledgement.as_deref()
    }

    /// Who resolved it, once resolved.
    pub fn resolution(&self) -> Option<&Resolution> {
        self.resolution.as_deref()
    }

    /// When to call [`handle_timeout`](Self::handle_timeout) next, with the token for a
    /// durable timer; `None` when nothing is scheduled (acknowledged without a timeout,
    /// unanswered, resolved).
    pub fn next_deadline(&self) -> Option<Deadline> {
        self.deadline.map(|d| Deadline {
            at: d.at,
            token: self.token(),
        })
    }

    /// The current step and its countdown at `now`, for a screen; `None` once resolved.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use chrono::{DateTime, TimeDelta};
    /// use escalation_core::{Escalation, EscalationId, PatientId, PolicySet, Role};
    /// use news2_core::ClinicalRisk;
    ///
    /// let t0 = DateTime::from_timestamp(1_735_718_400, 0).unwrap();
    /// let (esc, _) = Escalation::open(EscalationId::new(1), PatientId::new(9),
    ///     ClinicalRisk::Medium, Arc::new(PolicySet::demo()), t0).unwrap();
    /// let now = esc.current_step(t0 + TimeDelta::seconds(12)).unwrap();
    /// assert_eq!((now.step, now.target.role()), (0, &Role::Nurse));
    /// assert_eq!(now.countdown_ms, Some(18_000));
    /// ```
    pub fn current_step(&self, now: DateTime<Utc>) -> Option<CurrentStep> {
        if !self.is_open() {
            return None;
        }
        let deadline = self.deadline.map(|d| d.at);
        let countdown_ms = deadline.map(|d| d.signed_duration_since(now).num_milliseconds());
        Some(CurrentStep {
            state: self.state,
            step: self.step_index(),
            pass: self.pass(),
            target: self.policy().step_at(self.ordinal).target().clone(),
            deadline,
            countdown_ms,
        })
    }

    pub(crate) fn token(&self) -> TimerToken {
        TimerToken {
            escalation_id: self.id,
            step: self.ordinal,
            generation: self.generation,
        }
    }

    /// The deadline as the board's timer key.
    pub(crate) fn deadline_ms(&self) -> Option<i64> {
        self.deadline.map(|d| d.ms)
    }

    fn chain_len(&self) -> u32 {
        // At most MAX_STEPS (32), so the cast is exact.
        self.policy().steps().len() as u32
    }
}
