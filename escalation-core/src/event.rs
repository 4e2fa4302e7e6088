//! What happened to an escalation: the facts a server persists and replays.

use alloc::sync::Arc;

use chrono::{DateTime, Utc};
use news2_core::ClinicalRisk;
use serde::{Deserialize, Serialize};

use crate::{
    id::{EscalationId, PatientId},
    policy::Target,
    policy_set::PolicySet,
    role::Responder,
};

/// One fact in an escalation's stream. Applying its events in order to nothing rebuilds the
/// escalation exactly ([`Escalation::replay`](crate::Escalation::replay)); no policy set is
/// needed, because the `triggered` event carries the copy the escalation runs on.
///
/// JSON: the envelope fields, then the [`EventKind`] fields flattened beside them, tagged by
/// `type`. Field names are snake_case, times RFC 3339 UTC to the millisecond, risks the
/// NEWS2 labels, durations integer milliseconds (`late_by_ms`). New event types and fields
/// may be added; existing ones keep their names and meaning.
///
/// ```json
/// {"escalation_id": 1, "sequence": 2, "at": "2025-01-01T08:00:30Z",
///  "type": "step_notified", "step": 1, "pass": 0, "generation": 0,
///  "target": {"role": "senior_clinician", "recipients": []},
///  "due_at": "2025-01-01T08:00:30Z", "deadline": "2025-01-01T08:00:50Z", "late_by_ms": 0}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The escalation.
    pub escalation_id: EscalationId,
    /// Position in the escalation's stream, from 1 (`triggered`) without gaps. A server can
    /// key storage on `(escalation_id, sequence)` to reject a lost update.
    pub sequence: u64,
    /// When it was decided: the `now` of the command or timeout.
    pub at: DateTime<Utc>,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

/// Why an acknowledged or unanswered escalation started its chain again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RetriggerReason {
    /// Acknowledged, not resolved within the policy's acknowledgement timeout.
    AckTimeout,
    /// A snooze ran out.
    SnoozeExpired,
    /// A new alert arrived for an `unanswered` escalation.
    NewAlert,
}

/// The kinds of event, with their fields. `step` is the 0-based index in the chain and
/// `pass` the 0-based repeat of the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventKind {
    /// The escalation opened; always the first event. Carries the policy set in force, which
    /// the escalation keeps for its whole life.
    Triggered {
        /// The patient.
        patient_id: PatientId,
        /// The alert's risk; it picks the chain.
        risk: ClinicalRisk,
        /// The policy copy the escalation runs on.
        policies: Arc<PolicySet>,
    },
    /// A step's target was notified: the only event that asks the server to page someone.
    StepNotified {
        /// Index in the chain.
        step: u32,
        /// Repeat of the chain.
        pass: u32,
        /// Deadline generation (see [`TimerToken`](crate::TimerToken)).
        generation: u32,
        /// Whom to notify.
        target: Target,
        /// When the step should have started: the previous deadline, or the time of the
        /// trigger, decline, re-trigger or change of chain.
        due_at: DateTime<Utc>,
        /// When it gives way to the next step: `due_at` + the step's timeout.
        deadline: DateTime<Utc>,
        /// How late the notification is (`at` − `due_at`); 0 when on time, more after a pause.
        late_by_ms: u64,
    },
    /// Another alert for the patient joined this escalation.
    AlertJoined {
        /// The new alert's risk, now the escalation's risk.
        risk: ClinicalRisk,
        /// Alerts counted so far, this one included.
        alert_count: u32,
    },
    /// The risk changed without a new alert.
    RiskUpdated {
        /// The new risk.
        risk: ClinicalRisk,
    },
    /// The risk rose into a higher band: the escalation moves to that band's chain, at the
    /// same step and pass or the last ones the new chain has. A `step_notified` follows.
    BandRaised {
        /// The band before.
        from: ClinicalRisk,
        /// The band now.
        to: ClinicalRisk,
        /// Index in the new chain.
        step: u32,
        /// Repeat of the new chain.
        pass: u32,
    },
    /// Someone took the alert; notifications stop until a re-trigger.
    Acknowledged {
        /// Who.
        by: Responder,
        /// The step acknowledged.
        step: u32,
        /// Its repeat.
        pass: u32,
        /// The new deadline generation.
        generation: u32,
        /// When it re-triggers if still unresolved (the policy's acknowledgement timeout).
        retrigger_at: Option<DateTime<Utc>>,
    },
    /// A recipient declined the current step.
    Declined {
        /// Who.
        by: Responder,
        /// The step declined.
        step: u32,
        /// Its repeat.
        pass: u32,
        /// Whether every recipient has now declined (the next step follows at once).
        all_declined: bool,
    },
    /// The acknowledged escalation re-triggers at `until` instead.
    Snoozed {
        /// Who.
        by: Responder,
        /// The new re-trigger time.
        until: DateTime<Utc>,
        /// The new deadline generation.
        generation: u32,
    },
    /// The chain starts again from its first step; a `step_notified` follows.
    Retriggered {
        /// Why.
        reason: RetriggerReason,
        /// When it was due.
        due_at: DateTime<Utc>,
        /// How late (`at` − `due_at`).
        late_by_ms: u64,
    },
    /// Every step of every repeat timed out, or was declined, without an acknowledgement.
    Unanswered {
        /// When the last step ran out.
        due_at: DateTime<Utc>,
        /// How late (`at` − `due_at`).
        late_by_ms: u64,
        /// Whom the policy says to page now, if anyone.
        notify: Option<Target>,
    },
    /// The escalation is closed.
    Resolved {
        /// Who.
        by: Responder,
    },
}

impl EventKind {
    /// The `type` label, as in JSON.
    ///
    /// ```
    /// use escalation_core::EventKind;
    /// use news2_core::ClinicalRisk;
    /// assert_eq!(EventKind::RiskUpdated { risk: ClinicalRisk::High }.name(), "risk_updated");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            Self::Triggered { .. } => "triggered",
            Self::StepNotified { .. } => "step_notified",
            Self::AlertJoined { .. } => "alert_joined",
            Self::RiskUpdated { .. } => "risk_updated",
            Self::BandRaised { .. } => "band_raised",
            Self::Acknowledged { .. } => "acknowledged",
            Self::Declined { .. } => "declined",
            Self::Snoozed { .. } => "snoozed",
            Self::Retriggered { .. } => "retriggered",
            Self::Unanswered { .. } => "unanswered",
            Self::Resolved { .. } => "resolved",
        }
    }
}
