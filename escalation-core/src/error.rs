//! Typed errors. Each says which field or escalation, what value, and what was expected; a
//! failed command or event changes nothing.

use alloc::vec::Vec;
use core::time::Duration;

use chrono::{DateTime, Utc};
use news2_core::ClinicalRisk;

use crate::{
    escalation::EscalationState,
    id::{EscalationId, PatientId, StaffId},
    role::{self, Role},
};

/// A role label that is not lower-case snake case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidRole {
    /// The label is empty.
    #[error("role label is empty; expected 1 to 64 characters of a-z, 0-9 and _")]
    Empty,
    /// The label is longer than [`Role::MAX_LEN`].
    #[error("role label is {len} bytes long; expected at most {max}")]
    TooLong {
        /// Its length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A character other than `a`–`z`, `0`–`9`, `_` (or a first character that is not a letter).
    #[error(
        "role label has {found:?} at position {position}; expected a-z, 0-9 or _, starting with a letter"
    )]
    InvalidCharacter {
        /// Its 0-based position in characters.
        position: usize,
        /// The character.
        found: char,
    },
}

/// A staff id that is empty, too long, padded or holds control characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidStaffId {
    /// The id is empty.
    #[error("staff id is empty; expected 1 to 128 bytes")]
    Empty,
    /// The id is longer than [`StaffId::MAX_LEN`].
    #[error("staff id is {len} bytes long; expected at most {max}")]
    TooLong {
        /// Its length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The id starts or ends with whitespace (two spellings of one person).
    #[error("staff id starts or ends with whitespace")]
    SurroundingWhitespace,
    /// The id holds a control character.
    #[error("staff id has a control character at position {position}")]
    ControlCharacter {
        /// Its 0-based position in characters.
        position: usize,
    },
}

/// A duration (a step timeout, an acknowledgement timeout, a snooze) outside its range or
/// not a whole number of seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{field} must be whole seconds from {}s to {}s; got {given:?}", .min.as_secs(), .max.as_secs())]
pub struct DurationOutOfRange {
    /// Which duration: `timeout`, `ack_timeout` or `snooze`.
    pub field: &'static str,
    /// The value given.
    pub given: Duration,
    /// The shortest accepted.
    pub min: Duration,
    /// The longest accepted.
    pub max: Duration,
}

/// A step or target that breaks a policy rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StepError {
    /// The step timeout is zero, too long, or not whole seconds.
    #[error(transparent)]
    Timeout(DurationOutOfRange),
    /// More named recipients than [`Target::MAX_RECIPIENTS`](crate::Target::MAX_RECIPIENTS).
    #[error("{count} recipients; expected at most {max}")]
    TooManyRecipients {
        /// How many were given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A recipient named twice (a decline would have to be counted twice).
    #[error("recipient {staff_id} is named twice")]
    DuplicateRecipient {
        /// The repeated recipient.
        staff_id: StaffId,
    },
    /// A role listed twice among the roles that may acknowledge.
    #[error("acknowledging role {role} is listed twice")]
    DuplicateAckRole {
        /// The repeated role.
        role: Role,
    },
}

/// A policy or policy set that breaks a rule. Policies are checked when built and when
/// deserialised, so a running escalation never holds an invalid one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The chain has no step.
    #[error("escalation chain is empty; expected at least one step")]
    EmptyChain,
    /// The chain has more steps than [`EscalationPolicy::MAX_STEPS`](crate::EscalationPolicy::MAX_STEPS).
    #[error("escalation chain has {count} steps; expected at most {max}")]
    TooManySteps {
        /// How many were given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// `repeats` outside 1..=[`EscalationPolicy::MAX_REPEATS`](crate::EscalationPolicy::MAX_REPEATS).
    #[error("repeats is {repeats}; expected {min} to {max}")]
    RepeatsOutOfRange {
        /// The value given.
        repeats: u32,
        /// The smallest accepted.
        min: u32,
        /// The largest accepted.
        max: u32,
    },
    /// The acknowledgement timeout is zero, too long, or not whole seconds.
    #[error(transparent)]
    AckTimeout(DurationOutOfRange),
    /// A step breaks a rule.
    #[error("step {step}: {source}")]
    Step {
        /// Its 0-based index in the chain.
        step: usize,
        /// What is wrong with it.
        source: StepError,
    },
    /// The target notified on exhaustion breaks a rule.
    #[error("exhausted_notify: {0}")]
    ExhaustedNotify(StepError),
    /// A policy set with no chain for any risk: nothing would ever escalate.
    #[error(
        "policy set has no chain for any risk; expected at least one of low, low-medium, medium, high"
    )]
    NoChains,
}

/// A command refused against the current state. The escalation is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CommandError {
    /// The escalation is resolved; it takes no more commands.
    #[error("escalation {id} is already resolved")]
    Resolved {
        /// The escalation.
        id: EscalationId,
    },
    /// Someone already acknowledged it and it has not re-triggered since.
    #[error("escalation {id} is already acknowledged by {by}")]
    AlreadyAcknowledged {
        /// The escalation.
        id: EscalationId,
        /// Who holds the acknowledgement.
        by: StaffId,
    },
    /// Snooze needs an acknowledged escalation.
    #[error("escalation {id} is {state}; only an acknowledged escalation can be snoozed")]
    NotAcknowledged {
        /// The escalation.
        id: EscalationId,
        /// Its state.
        state: EscalationState,
    },
    /// Decline needs a step that is notifying.
    #[error("escalation {id} is {state}; only a notifying step can be declined")]
    NotNotifying {
        /// The escalation.
        id: EscalationId,
        /// Its state.
        state: EscalationState,
    },
    /// The current step's policy does not let this role acknowledge.
    #[error("role {role} may not acknowledge step {step} of escalation {id}; allowed: {}", role::list(.allowed))]
    RoleNotAllowed {
        /// The escalation.
        id: EscalationId,
        /// The step's 0-based index in its chain.
        step: u32,
        /// The role given.
        role: Role,
        /// The roles the step accepts.
        allowed: Vec<Role>,
    },
    /// Only a recipient of the current step (a named one, or anyone in its role when it
    /// names nobody) can decline it.
    #[error("{staff_id} ({role}) is not a recipient of step {step} of escalation {id}")]
    NotARecipient {
        /// The escalation.
        id: EscalationId,
        /// The step's 0-based index in its chain.
        step: u32,
        /// Who tried to decline.
        staff_id: StaffId,
        /// In which role.
        role: Role,
    },
    /// This recipient already declined the current step.
    #[error("{staff_id} already declined step {step} of escalation {id}")]
    AlreadyDeclined {
        /// The escalation.
        id: EscalationId,
        /// The step's 0-based index in its chain.
        step: u32,
        /// Who declined twice.
        staff_id: StaffId,
    },
    /// No chain in the policy set covers this risk (usually `low`).
    #[error("no escalation policy covers risk {risk}")]
    NoPolicy {
        /// The risk.
        risk: ClinicalRisk,
    },
    /// The snooze is zero, too long, or not whole seconds.
    #[error(transparent)]
    Snooze(DurationOutOfRange),
    /// `now` is outside the times this crate accepts (1970-01-01 up to 9000-01-01 UTC).
    #[error("time {now} is outside the supported range {min} to {max}")]
    TimeOutOfRange {
        /// The time given.
        now: DateTime<Utc>,
        /// The earliest accepted.
        min: DateTime<Utc>,
        /// The first time not accepted.
        max: DateTime<Utc>,
    },
    /// A timer token naming another escalation.
    #[error("timer token for escalation {found} given to escalation {expected}")]
    WrongEscalation {
        /// This escalation.
        expected: EscalationId,
        /// The escalation the token names.
        found: EscalationId,
    },
}

/// An event that cannot be applied to the state: a corrupt, reordered or foreign stream.
/// The escalation is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApplyError {
    /// The stream is empty or does not start with `triggered`.
    #[error("an escalation's events must start with a triggered event; got {found}")]
    NotTriggered {
        /// The first event's type, or `nothing`.
        found: &'static str,
    },
    /// The event belongs to another escalation.
    #[error("event for escalation {found} applied to escalation {expected}")]
    WrongEscalation {
        /// This escalation.
        expected: EscalationId,
        /// The escalation the event names.
        found: EscalationId,
    },
    /// The event is not the next one in the stream.
    #[error("event sequence {found} applied where {expected} was expected")]
    OutOfSequence {
        /// The next sequence number.
        expected: u64,
        /// The event's.
        found: u64,
    },
    /// The event is older than the last one applied.
    #[error("event at {found} is older than the previous event at {previous}")]
    TimeWentBackwards {
        /// The previous event's time.
        previous: DateTime<Utc>,
        /// This event's.
        found: DateTime<Utc>,
    },
    /// The event cannot happen in the current state.
    #[error("a {event} event cannot apply to a {state} escalation")]
    NotApplicable {
        /// The event type.
        event: &'static str,
        /// The state.
        state: EscalationState,
    },
    /// The event names a step or pass outside its chain, or a generation older than the
    /// current one, or a band that is not higher than the current one, or a risk the policy
    /// set does not cover.
    #[error("{event} is inconsistent with escalation {id}: {what}")]
    Inconsistent {
        /// The escalation.
        id: EscalationId,
        /// The event type (or `snapshot`).
        event: &'static str,
        /// What does not fit.
        what: &'static str,
    },
}

/// A board operation that failed. The board is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BoardError {
    /// No open escalation has this id (it never existed, or it was resolved and left the board).
    #[error("no open escalation {id} on the board")]
    UnknownEscalation {
        /// The id.
        id: EscalationId,
    },
    /// The escalation refused the command.
    #[error(transparent)]
    Command(#[from] CommandError),
    /// An escalation with this id is already on the board.
    #[error("escalation {id} is already on the board")]
    DuplicateEscalation {
        /// The id.
        id: EscalationId,
    },
    /// The patient already has an open escalation; a board holds one per patient.
    #[error("patient {patient} already has open escalation {open}")]
    PatientAlreadyOpen {
        /// The patient.
        patient: PatientId,
        /// Their open escalation.
        open: EscalationId,
    },
    /// Only open escalations go on a board.
    #[error("escalation {id} is resolved; only open escalations go on a board")]
    NotOpen {
        /// The id.
        id: EscalationId,
    },
    /// A restored escalation whose id the board would issue again.
    #[error("escalation {id} is not below the next id {next_id}; the board would issue it twice")]
    IdNotIssued {
        /// The id.
        id: EscalationId,
        /// The board's next id.
        next_id: EscalationId,
    },
}
