//! What callers ask of an escalation.

use news2_core::ClinicalRisk;
use serde::{Deserialize, Serialize};

use crate::role::Responder;

/// A request to change an open escalation, decided against its state and `now` by
/// [`Escalation::decide`](crate::Escalation::decide) or
/// [`Escalation::execute`](crate::Escalation::execute). Opening one is
/// [`Escalation::open`](crate::Escalation::open) (or [`Board::alert`](crate::Board::alert),
/// which also deduplicates by patient); timeouts are
/// [`Escalation::handle_timeout`](crate::Escalation::handle_timeout).
///
/// JSON: internally tagged by `type`, snake_case, e.g.
/// `{"type": "acknowledge", "by": {"staff_id": "nurse-17", "role": "nurse"}}`,
/// `{"type": "snooze", "by": {...}, "duration_seconds": 600}`, `{"type": "alert", "risk": "high"}`.
///
/// ```
/// use escalation_core::Command;
/// let cmd: Command = serde_json::from_str(r#"{"type": "update_risk", "risk": "medium"}"#).unwrap();
/// assert_eq!(cmd, Command::UpdateRisk { risk: news2_core::ClinicalRisk::Medium });
/// assert!(serde_json::from_str::<Command>(r#"{"type": "escalate"}"#).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Command {
    /// A new alert for the same patient: joins the escalation (counted, latest risk kept).
    /// A higher band moves it to that band's chain; an `unanswered` escalation re-triggers
    /// from the first step.
    Alert {
        /// The new alert's risk.
        risk: ClinicalRisk,
    },
    /// A new risk without a new alert (e.g. a corrected observation). A higher band moves the
    /// escalation to that band's chain; a lower one only records the risk.
    UpdateRisk {
        /// The current risk.
        risk: ClinicalRisk,
    },
    /// Someone takes the alert: every further notification stops until a re-trigger.
    Acknowledge {
        /// Who, and in which role (the step may restrict roles).
        by: Responder,
    },
    /// A recipient of the current step cannot respond; when every recipient has declined,
    /// the next step is notified at once.
    Decline {
        /// Who, and in which role.
        by: Responder,
    },
    /// Postpones the re-trigger of an acknowledged escalation to `duration_seconds` from now.
    Snooze {
        /// Who.
        by: Responder,
        /// How long, 1 s to 24 h.
        duration_seconds: u32,
    },
    /// Closes the escalation.
    Resolve {
        /// Who.
        by: Responder,
    },
}

impl Command {
    /// The longest snooze: a day.
    pub const MAX_SNOOZE_SECONDS: u32 = 24 * 3600;
}
