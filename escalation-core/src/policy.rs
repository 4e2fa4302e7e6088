//! Escalation policies: an ordered chain of steps, each a target and a timeout.

use alloc::{sync::Arc, vec::Vec};
use core::time::Duration;

use serde::{Deserialize, Serialize};

use crate::{
    error::{DurationOutOfRange, PolicyError, StepError},
    id::StaffId,
    role::Role,
};

/// Whom a step notifies: a role, and optionally named members of staff in that role.
///
/// With named recipients, the step escalates at once when every one of them has declined.
/// Without, the role as a whole is the recipient: one decline by someone in that role does.
///
/// JSON: `{"role": "nurse", "recipients": ["nurse-17", "nurse-22"]}` (`recipients` may be
/// left out for none).
///
/// ```
/// use escalation_core::{Role, StaffId, StepError, Target};
///
/// let ward = Target::new(Role::Nurse, vec![StaffId::new("nurse-17").unwrap()]).unwrap();
/// assert_eq!(ward.recipients().len(), 1);
/// assert!(Target::of_role(Role::OnCallDoctor).recipients().is_empty());
///
/// let twice = vec![StaffId::new("n1").unwrap(), StaffId::new("n1").unwrap()];
/// assert!(matches!(Target::new(Role::Nurse, twice), Err(StepError::DuplicateRecipient { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "TargetRepr")]
pub struct Target {
    role: Role,
    // Shared, so the event naming this target on every notification costs a counter bump;
    // `None` for no named recipient, so the common role-only target costs nothing to copy.
    recipients: Option<Arc<[StaffId]>>,
}

impl Serialize for Target {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut target = serializer.serialize_struct("Target", 2)?;
        target.serialize_field("role", &self.role)?;
        target.serialize_field("recipients", self.recipients())?;
        target.end()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetRepr {
    role: Role,
    #[serde(default)]
    recipients: Vec<StaffId>,
}

impl TryFrom<TargetRepr> for Target {
    type Error = StepError;

    fn try_from(repr: TargetRepr) -> Result<Self, StepError> {
        Self::new(repr.role, repr.recipients)
    }
}

impl Target {
    /// The most named recipients a step may have (a decline is tracked per recipient).
    pub const MAX_RECIPIENTS: usize = 64;

    /// A role and its named recipients.
    ///
    /// # Errors
    ///
    /// [`StepError::TooManyRecipients`] past [`MAX_RECIPIENTS`](Self::MAX_RECIPIENTS),
    /// [`StepError::DuplicateRecipient`] when someone is named twice.
    pub fn new(role: Role, recipients: Vec<StaffId>) -> Result<Self, StepError> {
        if recipients.len() > Self::MAX_RECIPIENTS {
            return Err(StepError::TooManyRecipients {
                count: recipients.len(),
                max: Self::MAX_RECIPIENTS,
            });
        }
        for (i, staff_id) in recipients.iter().enumerate() {
            if recipients[..i].contains(staff_id) {
                return Err(StepError::DuplicateRecipient {
                    staff_id: staff_id.clone(),
                });
            }
        }
        Ok(Self {
            role,
            recipients: (!recipients.is_empty()).then(|| recipients.into()),
        })
    }

    /// A role with no named recipient.
    pub fn of_role(role: Role) -> Self {
        Self {
            role,
            recipients: None,
        }
    }

    /// The role notified.
    pub fn role(&self) -> &Role {
        &self.role
    }

    /// The named recipients, in policy order (empty: the whole role).
    pub fn recipients(&self) -> &[StaffId] {
        self.recipients.as_deref().unwrap_or_default()
    }

    /// The bit a decline by this responder sets, if they are a recipient.
    pub(crate) fn recipient_bit(&self, staff_id: &StaffId, role: &Role) -> Option<u32> {
        let recipients = self.recipients();
        if recipients.is_empty() {
            (role == &self.role).then_some(0)
        } else {
            let i = recipients.iter().position(|r| r == staff_id)?;
            u32::try_from(i).ok()
        }
    }

    /// The declined bits once everyone has declined.
    pub(crate) fn all_declined_mask(&self) -> u64 {
        match self.recipients().len() {
            0 => 1,
            64.. => u64::MAX,
            n => (1u64 << n) - 1,
        }
    }
}

/// Checks a duration for a policy field: whole seconds within `min..=max`.
pub(crate) fn whole_seconds(
    field: &'static str,
    given: Duration,
    min: Duration,
    max: Duration,
) -> Result<u32, DurationOutOfRange> {
    let err = DurationOutOfRange {
        field,
        given,
        min,
        max,
    };
    if given < min || given > max || given.subsec_nanos() != 0 {
        return Err(err);
    }
    u32::try_from(given.as_secs()).map_err(|_| err)
}

/// One link of the chain: whom to notify, how long to wait for an answer, and who may
/// acknowledge it.
///
/// JSON: `{"target": {"role": "nurse"}, "timeout_seconds": 30, "ack_roles": ["nurse"]}`;
/// `ack_roles` may be left out or empty for "any role".
///
/// ```
/// use std::time::Duration;
/// use escalation_core::{Role, Step, StepError, Target};
///
/// let step = Step::new(Target::of_role(Role::Nurse), Duration::from_secs(30)).unwrap();
/// assert_eq!(step.timeout(), Duration::from_secs(30));
/// assert!(step.may_acknowledge(&Role::OnCallDoctor)); // no restriction
///
/// let step = step.with_ack_roles(vec![Role::Nurse]).unwrap();
/// assert!(!step.may_acknowledge(&Role::OnCallDoctor));
///
/// assert!(matches!(Step::new(Target::of_role(Role::Nurse), Duration::ZERO), Err(StepError::Timeout(_))));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "StepRepr")]
pub struct Step {
    target: Target,
    timeout_seconds: u32,
    ack_roles: Vec<Role>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepRepr {
    target: Target,
    timeout_seconds: u64,
    #[serde(default)]
    ack_roles: Vec<Role>,
}

impl TryFrom<StepRepr> for Step {
    type Error = StepError;

    fn try_from(repr: StepRepr) -> Result<Self, StepError> {
        Self::new(repr.target, Duration::from_secs(repr.timeout_seconds))?
            .with_ack_roles(repr.ack_roles)
    }
}

impl Step {
    /// The shortest step timeout.
    pub const MIN_TIMEOUT: Duration = Duration::from_secs(1);
    /// The longest step timeout: a week.
    pub const MAX_TIMEOUT: Duration = Duration::from_secs(7 * 24 * 3600);

    /// A step that anyone may acknowledge.
    ///
    /// # Errors
    ///
    /// [`StepError::Timeout`] when `timeout` is zero, over
    /// [`MAX_TIMEOUT`](Self::MAX_TIMEOUT), or not whole seconds.
    pub fn new(target: Target, timeout: Duration) -> Result<Self, StepError> {
        let timeout_seconds =
            whole_seconds("timeout", timeout, Self::MIN_TIMEOUT, Self::MAX_TIMEOUT)
                .map_err(StepError::Timeout)?;
        Ok(Self {
            target,
            timeout_seconds,
            ack_roles: Vec::new(),
        })
    }

    /// Restricts who may acknowledge this step to these roles (empty: anyone).
    ///
    /// # Errors
    ///
    /// [`StepError::DuplicateAckRole`] when a role is listed twice.
    pub fn with_ack_roles(mut self, roles: Vec<Role>) -> Result<Self, StepError> {
        for (i, role) in roles.iter().enumerate() {
            if roles[..i].contains(role) {
                return Err(StepError::DuplicateAckRole { role: role.clone() });
            }
        }
        self.ack_roles = roles;
        Ok(self)
    }

    /// Whom the step notifies.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// How long the step waits before the next one.
    pub fn timeout(&self) -> Duration {
        Duration::from_secs(u64::from(self.timeout_seconds))
    }

    pub(crate) fn timeout_seconds(&self) -> u32 {
        self.timeout_seconds
    }

    /// The roles that may acknowledge this step; empty means any role.
    pub fn ack_roles(&self) -> &[Role] {
        &self.ack_roles
    }

    /// Whether someone acting in `role` may acknowledge this step.
    pub fn may_acknowledge(&self, role: &Role) -> bool {
        self.ack_roles.is_empty() || self.ack_roles.contains(role)
    }
}

/// An escalation chain: steps in order, how many times the chain runs, what happens when
/// it is exhausted, and when an acknowledged but unresolved alert re-triggers.
///
/// Exhaustion always ends in the explicit `unanswered` state and an `unanswered` event,
/// never in silence; `exhausted_notify` names whom that event should also page.
///
/// JSON (TOML has the same shape; `null` fields are left out):
///
/// ```json
/// {"steps": [{"target": {"role": "nurse", "recipients": []}, "timeout_seconds": 30, "ack_roles": []}],
///  "repeats": 1, "ack_timeout_seconds": null, "exhausted_notify": null}
/// ```
///
/// ```
/// use std::time::Duration;
/// use escalation_core::{EscalationPolicy, PolicyError, Role, Step, Target};
///
/// let nurse = Step::new(Target::of_role(Role::Nurse), Duration::from_secs(30)).unwrap();
/// let doctor = Step::new(Target::of_role(Role::OnCallDoctor), Duration::from_secs(15)).unwrap();
/// let policy = EscalationPolicy::new(vec![nurse, doctor])
///     .unwrap()
///     .with_repeats(2)
///     .unwrap()
///     .with_ack_timeout(Duration::from_secs(600))
///     .unwrap();
/// assert_eq!(policy.time_to_exhaustion(), Duration::from_secs(90));
///
/// assert_eq!(EscalationPolicy::new(vec![]), Err(PolicyError::EmptyChain));
/// assert!(matches!(policy.with_repeats(0), Err(PolicyError::RepeatsOutOfRange { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "PolicyRepr")]
pub struct EscalationPolicy {
    steps: Vec<Step>,
    repeats: u32,
    ack_timeout_seconds: Option<u32>,
    exhausted_notify: Option<Target>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyRepr {
    steps: Vec<StepRepr>,
    #[serde(default = "one")]
    repeats: u32,
    #[serde(default)]
    ack_timeout_seconds: Option<u64>,
    #[serde(default)]
    exhausted_notify: Option<Target>,
}

fn one() -> u32 {
    1
}

impl TryFrom<PolicyRepr> for EscalationPolicy {
    type Error = PolicyError;

    fn try_from(repr: PolicyRepr) -> Result<Self, PolicyError> {
        let steps = repr
            .steps
            .into_iter()
            .enumerate()
            .map(|(step, s)| Step::try_from(s).map_err(|source| PolicyError::Step { step, source }))
            .collect::<Result<Vec<_>, _>>()?;
        let mut policy = Self::new(steps)?.with_repeats(repr.repeats)?;
        if let Some(seconds) = repr.ack_timeout_seconds {
            policy = policy.with_ack_timeout(Duration::from_secs(seconds))?;
        }
        if let Some(target) = repr.exhausted_notify {
            policy = policy.with_exhausted_notify(target);
        }
        Ok(policy)
    }
}

impl EscalationPolicy {
    /// The most steps in a chain.
    pub const MAX_STEPS: usize = 32;
    /// The most times a chain runs.
    pub const MAX_REPEATS: u32 = 100;
    /// The longest acknowledgement timeout: a week.
    pub const MAX_ACK_TIMEOUT: Duration = Duration::from_secs(7 * 24 * 3600);

    /// A chain that runs once, with no acknowledgement timeout.
    ///
    /// # Errors
    ///
    /// [`PolicyError::EmptyChain`] for no step, [`PolicyError::TooManySteps`] past
    /// [`MAX_STEPS`](Self::MAX_STEPS).
    pub fn new(steps: Vec<Step>) -> Result<Self, PolicyError> {
        if steps.is_empty() {
            return Err(PolicyError::EmptyChain);
        }
        if steps.len() > Self::MAX_STEPS {
            return Err(PolicyError::TooManySteps {
                count: steps.len(),
                max: Self::MAX_STEPS,
            });
        }
        Ok(Self {
            steps,
            repeats: 1,
            ack_timeout_seconds: None,
            exhausted_notify: None,
        })
    }

    /// Runs the whole chain `repeats` times before it is exhausted.
    ///
    /// # Errors
    ///
    /// [`PolicyError::RepeatsOutOfRange`] outside 1..=[`MAX_REPEATS`](Self::MAX_REPEATS).
    pub fn with_repeats(mut self, repeats: u32) -> Result<Self, PolicyError> {
        if !(1..=Self::MAX_REPEATS).contains(&repeats) {
            return Err(PolicyError::RepeatsOutOfRange {
                repeats,
                min: 1,
                max: Self::MAX_REPEATS,
            });
        }
        self.repeats = repeats;
        Ok(self)
    }

    /// Re-triggers from the first step when an acknowledged alert is still unresolved this
    /// long after the acknowledgement.
    ///
    /// # Errors
    ///
    /// [`PolicyError::AckTimeout`] when zero, over a week, or not whole seconds.
    pub fn with_ack_timeout(mut self, timeout: Duration) -> Result<Self, PolicyError> {
        let min = Duration::from_secs(1);
        let seconds = whole_seconds("ack_timeout", timeout, min, Self::MAX_ACK_TIMEOUT)
            .map_err(PolicyError::AckTimeout)?;
        self.ack_timeout_seconds = Some(seconds);
        Ok(self)
    }

    /// Names whom the `unanswered` event should also page when the chain is exhausted.
    pub fn with_exhausted_notify(mut self, target: Target) -> Self {
        self.exhausted_notify = Some(target);
        self
    }

    /// The steps, in order.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// How many times the chain runs.
    pub fn repeats(&self) -> u32 {
        self.repeats
    }

    /// The acknowledgement timeout, if any.
    pub fn ack_timeout(&self) -> Option<Duration> {
        self.ack_timeout_seconds
            .map(|s| Duration::from_secs(u64::from(s)))
    }

    pub(crate) fn ack_timeout_seconds(&self) -> Option<u32> {
        self.ack_timeout_seconds
    }

    /// Whom exhaustion also pages, if anyone.
    pub fn exhausted_notify(&self) -> Option<&Target> {
        self.exhausted_notify.as_ref()
    }

    /// From the first notification to `unanswered` when nobody answers: the sum of the
    /// step timeouts times the repeats.
    pub fn time_to_exhaustion(&self) -> Duration {
        let once: u64 = self
            .steps
            .iter()
            .map(|s| u64::from(s.timeout_seconds))
            .sum();
        Duration::from_secs(once * u64::from(self.repeats))
    }

    /// Steps over all repeats: the number of notifications before exhaustion.
    pub(crate) fn total_steps(&self) -> u32 {
        // Both factors are bounded (32 × 100), so this cannot overflow.
        self.steps.len() as u32 * self.repeats
    }

    /// The step at a position in the unrolled chain.
    pub(crate) fn step_at(&self, ordinal: u32) -> &Step {
        &self.steps[(ordinal as usize) % self.steps.len()]
    }
}
