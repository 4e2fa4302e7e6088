//! The escalation's own JSON shape: a snapshot a server may cache beside the event stream.
//! Deserialising checks the same invariants replay guarantees, so a snapshot edited by hand
//! cannot produce a state no event stream could.

use alloc::{boxed::Box, sync::Arc, vec::Vec};

use chrono::{DateTime, Utc};
use news2_core::ClinicalRisk;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Acknowledgement, Escalation, EscalationState, Resolution};
use crate::{
    error::ApplyError,
    id::{EscalationId, PatientId},
    policy_set::PolicySet,
    time::Moment,
};

/// JSON: `{"id", "patient_id", "state", "risk", "band", "opened_at", "updated_at",
/// "version", "alert_count", "generation", "step", "pass", "deadline",
/// "declined" (recipient indexes), "acknowledgement", "resolution", "policies"}`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Snapshot {
    id: EscalationId,
    patient_id: PatientId,
    state: EscalationState,
    risk: ClinicalRisk,
    band: ClinicalRisk,
    opened_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    version: u64,
    alert_count: u32,
    generation: u32,
    step: u32,
    pass: u32,
    deadline: Option<DateTime<Utc>>,
    declined: Vec<u32>,
    acknowledgement: Option<Acknowledgement>,
    resolution: Option<Resolution>,
    policies: Arc<PolicySet>,
}

impl Serialize for Escalation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Snapshot {
            id: self.id,
            patient_id: self.patient,
            state: self.state,
            risk: self.risk,
            band: self.band,
            opened_at: self.opened_at,
            updated_at: self.updated_at,
            version: self.version,
            alert_count: self.alert_count,
            generation: self.generation,
            step: self.step_index(),
            pass: self.pass(),
            deadline: self.deadline.map(|d| d.at),
            declined: (0..64)
                .filter(|bit| self.declined & (1 << bit) != 0)
                .collect(),
            acknowledgement: self.acknowledgement.as_deref().cloned(),
            resolution: self.resolution.as_deref().cloned(),
            policies: self.policies.clone(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Escalation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let snapshot = Snapshot::deserialize(deserializer)?;
        Escalation::try_from(snapshot).map_err(serde::de::Error::custom)
    }
}

impl TryFrom<Snapshot> for Escalation {
    type Error = ApplyError;

    fn try_from(s: Snapshot) -> Result<Self, ApplyError> {
        let bad = |what| ApplyError::Inconsistent {
            id: s.id,
            event: "snapshot",
            what,
        };
        let chain = s
            .policies
            .for_risk(s.band)
            .ok_or_else(|| bad("no chain covers the band"))?;
        let len = chain.steps().len() as u32;
        if s.step >= len || s.pass >= chain.repeats() {
            return Err(bad("step or pass outside the chain"));
        }
        let ordinal = s.pass * len + s.step;
        let recipients = chain.step_at(ordinal).target().recipients().len().max(1);
        let mut declined = 0u64;
        for &bit in &s.declined {
            if bit as usize >= recipients {
                return Err(bad("declined names a recipient the step does not have"));
            }
            declined |= 1 << bit;
        }
        let consistent = match s.state {
            EscalationState::Notifying => s.deadline.is_some(),
            EscalationState::Acknowledged => s.acknowledgement.is_some(),
            EscalationState::Unanswered => s.deadline.is_none(),
            EscalationState::Resolved => s.resolution.is_some() && s.deadline.is_none(),
        };
        if !consistent {
            return Err(bad(
                "state does not match deadline, acknowledgement or resolution",
            ));
        }
        if s.version == 0 || s.alert_count == 0 || s.updated_at < s.opened_at {
            return Err(bad("version, alert count or times out of order"));
        }
        Ok(Self {
            id: s.id,
            patient: s.patient_id,
            policies: s.policies,
            state: s.state,
            risk: s.risk,
            band: s.band,
            opened_at: s.opened_at,
            updated_at: s.updated_at,
            version: s.version,
            alert_count: s.alert_count,
            generation: s.generation,
            ordinal,
            deadline: s.deadline.map(Moment::of),
            declined,
            acknowledgement: s.acknowledgement.map(Box::new),
            resolution: s.resolution.map(Box::new),
        })
    }
}
