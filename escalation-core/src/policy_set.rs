//! Policies chosen by NEWS2 clinical risk, and the two ready-made sets.

use alloc::vec;
use core::time::Duration;

use news2_core::ClinicalRisk;
use serde::{Deserialize, Serialize};

use crate::{
    error::PolicyError,
    policy::{EscalationPolicy, Step, Target},
    role::Role,
};

/// One escalation chain per NEWS2 risk band.
///
/// A band without a chain of its own uses the chain of the nearest lower band that has one;
/// a risk with no chain at or below it (usually `low`) does not escalate. A set is shared
/// behind an `Arc` by every escalation started from it and never changes in place: to edit
/// policies, build a new set, and only escalations started afterwards see it.
///
/// JSON (TOML is the same, with absent bands left out): one key per risk label.
///
/// ```json
/// {"low": null,
///  "low-medium": {"steps": [...], "repeats": 1, "ack_timeout_seconds": null, "exhausted_notify": null},
///  "medium": null,
///  "high": {"steps": [...], "repeats": 3, "ack_timeout_seconds": 900, "exhausted_notify": null}}
/// ```
///
/// ```
/// use news2_core::ClinicalRisk;
/// use escalation_core::{PolicyError, PolicySet, Role};
///
/// let demo = PolicySet::demo();
/// let high = demo.for_risk(ClinicalRisk::High).unwrap();
/// assert_eq!(high.steps()[0].target().role(), &Role::OnCallDoctor);
/// assert!(demo.for_risk(ClinicalRisk::Low).is_none());
///
/// let err = serde_json::from_str::<PolicySet>(r#"{"high": null}"#).unwrap_err();
/// assert!(err.to_string().contains("no chain for any risk"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "PolicySetRepr", into = "PolicySetRepr")]
pub struct PolicySet {
    // Indexed by `ClinicalRisk::code()`.
    bands: [Option<EscalationPolicy>; 4],
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicySetRepr {
    #[serde(default)]
    low: Option<EscalationPolicy>,
    #[serde(default, rename = "low-medium")]
    low_medium: Option<EscalationPolicy>,
    #[serde(default)]
    medium: Option<EscalationPolicy>,
    #[serde(default)]
    high: Option<EscalationPolicy>,
}

impl TryFrom<PolicySetRepr> for PolicySet {
    type Error = PolicyError;

    fn try_from(r: PolicySetRepr) -> Result<Self, PolicyError> {
        let set = Self {
            bands: [r.low, r.low_medium, r.medium, r.high],
        };
        if set.bands.iter().all(Option::is_none) {
            return Err(PolicyError::NoChains);
        }
        Ok(set)
    }
}

impl From<PolicySet> for PolicySetRepr {
    fn from(set: PolicySet) -> Self {
        let [low, low_medium, medium, high] = set.bands;
        Self {
            low,
            low_medium,
            medium,
            high,
        }
    }
}

fn step(role: Role, minutes_or_seconds: Duration, ack_roles: &[Role]) -> Step {
    // The ready-made sets are literals known to be valid; a failure here is a typo caught by
    // the tests that build both sets.
    Step::new(Target::of_role(role), minutes_or_seconds)
        .and_then(|s| s.with_ack_roles(ack_roles.to_vec()))
        .expect("ready-made step is valid")
}

fn chain(
    steps: alloc::vec::Vec<Step>,
    repeats: u32,
    ack_timeout: Option<Duration>,
) -> EscalationPolicy {
    let policy = EscalationPolicy::new(steps)
        .and_then(|p| p.with_repeats(repeats))
        .expect("ready-made chain is valid");
    match ack_timeout {
        Some(t) => policy
            .with_ack_timeout(t)
            .expect("ready-made ack timeout is valid"),
        None => policy,
    }
}

const fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

const fn mins(m: u64) -> Duration {
    Duration::from_secs(m * 60)
}

impl PolicySet {
    /// A set with one chain, used for `from` and every higher band.
    pub fn new(from: ClinicalRisk, policy: EscalationPolicy) -> Self {
        let mut bands = [None, None, None, None];
        bands[usize::from(from.code())] = Some(policy);
        Self { bands }
    }

    /// This set with `band`'s own chain set to `policy` (a new set; the old one is unchanged).
    pub fn with(mut self, band: ClinicalRisk, policy: EscalationPolicy) -> Self {
        self.bands[usize::from(band.code())] = Some(policy);
        self
    }

    /// The band's own chain, if it has one.
    pub fn own(&self, band: ClinicalRisk) -> Option<&EscalationPolicy> {
        self.bands[usize::from(band.code())].as_ref()
    }

    /// The chain that applies to `risk`: its band's own, else the nearest lower band's.
    pub fn for_risk(&self, risk: ClinicalRisk) -> Option<&EscalationPolicy> {
        self.bands[..=usize::from(risk.code())]
            .iter()
            .rev()
            .find_map(Option::as_ref)
    }

    /// The reference system's demo chain, for trying the system by hand: nurse 30 s →
    /// senior clinician 20 s → on-call doctor 15 s, unanswered at 65 s, for low-medium and
    /// medium risk; high risk starts at the doctor (15 s) then critical care outreach (15 s).
    /// Anyone may acknowledge; no acknowledgement timeout.
    ///
    /// ```
    /// use std::time::Duration;
    /// use news2_core::ClinicalRisk;
    /// let medium = escalation_core::PolicySet::demo();
    /// let medium = medium.for_risk(ClinicalRisk::Medium).unwrap();
    /// assert_eq!(medium.time_to_exhaustion(), Duration::from_secs(65));
    /// ```
    pub fn demo() -> Self {
        let ward = chain(
            vec![
                step(Role::Nurse, secs(30), &[]),
                step(Role::SeniorClinician, secs(20), &[]),
                step(Role::OnCallDoctor, secs(15), &[]),
            ],
            1,
            None,
        );
        let high = chain(
            vec![
                step(Role::OnCallDoctor, secs(15), &[]),
                step(Role::CriticalCareOutreach, secs(15), &[]),
            ],
            1,
            None,
        );
        Self::new(ClinicalRisk::LowMedium, ward.clone())
            .with(ClinicalRisk::Medium, ward)
            .with(ClinicalRisk::High, high)
    }

    /// A production-like set, 5 to 15 minutes a step, with acknowledgement restricted to the
    /// step's role or more senior ones, acknowledgement timeouts, and critical care outreach
    /// paged when a chain is exhausted:
    ///
    /// | band | chain | repeats | ack timeout |
    /// |---|---|---|---|
    /// | low-medium | nurse 15 min → senior 15 min → doctor 15 min | 1 | 60 min |
    /// | medium | nurse 10 min → senior 10 min → doctor 10 min | 2 | 30 min |
    /// | high | doctor 5 min → outreach 5 min | 3 | 15 min |
    ///
    /// ```
    /// use std::time::Duration;
    /// use news2_core::ClinicalRisk;
    /// let set = escalation_core::PolicySet::production();
    /// let high = set.for_risk(ClinicalRisk::High).unwrap();
    /// assert_eq!(high.time_to_exhaustion(), Duration::from_secs(30 * 60));
    /// ```
    pub fn production() -> Self {
        use Role::{
            CriticalCareOutreach as Outreach, Nurse, OnCallDoctor as Doctor,
            SeniorClinician as Senior,
        };
        let ward = |minutes: u64| {
            vec![
                step(Nurse, mins(minutes), &[Nurse, Senior, Doctor]),
                step(Senior, mins(minutes), &[Senior, Doctor]),
                step(Doctor, mins(minutes), &[Doctor, Outreach]),
            ]
        };
        let outreach = Target::of_role(Outreach);
        let low_medium = chain(ward(15), 1, Some(mins(60))).with_exhausted_notify(outreach.clone());
        let medium = chain(ward(10), 2, Some(mins(30))).with_exhausted_notify(outreach.clone());
        let high = chain(
            vec![
                step(Doctor, mins(5), &[Doctor, Outreach]),
                step(Outreach, mins(5), &[Outreach, Doctor]),
            ],
            3,
            Some(mins(15)),
        )
        .with_exhausted_notify(outreach);
        Self::new(ClinicalRisk::LowMedium, low_medium)
            .with(ClinicalRisk::Medium, medium)
            .with(ClinicalRisk::High, high)
    }
}
