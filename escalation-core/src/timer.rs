//! Deadlines and the tokens that make at-least-once timers safe.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{event::Event, id::EscalationId};

/// Names one deadline of one escalation: `(escalation id, step, generation)`.
///
/// `step` is the position in the unrolled chain (pass × chain length + step index), so it
/// also tells repeats apart; `generation` changes whenever a deadline is replaced out of
/// turn (acknowledgement, snooze, decline, re-trigger, change of chain). A timer that arrives
/// twice, or after the deadline it names was replaced, no longer matches the escalation's
/// current token and is ignored: this is what makes durable job runners, which deliver at
/// least once, safe.
///
/// JSON: `{"escalation_id": 7, "step": 1, "generation": 0}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TimerToken {
    /// The escalation.
    pub escalation_id: EscalationId,
    /// Position in the unrolled chain.
    pub step: u32,
    /// Deadline generation.
    pub generation: u32,
}

/// When an escalation next needs [`handle_timeout`](crate::Escalation::handle_timeout), and
/// the token for a durable timer set for that moment.
///
/// JSON: `{"at": "2025-01-01T08:00:30Z", "token": {...}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Deadline {
    /// When.
    pub at: DateTime<Utc>,
    /// Which deadline.
    pub token: TimerToken,
}

/// What a delivered timer did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum TimerOutcome {
    /// The token was current and due: these events happened (every step that had fallen
    /// due, in order). Set the next timer from the escalation's new deadline.
    Fired(alloc::vec::Vec<Event>),
    /// The token no longer names the current deadline (delivered twice, or after an
    /// acknowledgement, resolution or other change): nothing happened. `current` is the
    /// deadline that is current now, if any, so a runner can check it has a timer for it.
    Stale {
        /// The current deadline.
        current: Option<Deadline>,
    },
    /// The token is current but its time has not come (a timer fired early, e.g. clock skew
    /// between machines): nothing happened; deliver it again at `deadline.at`.
    NotDue {
        /// The deadline the token names.
        deadline: Deadline,
    },
}
