//! Applying events: the only way the state changes, and how a stored stream is replayed.

use alloc::{boxed::Box, sync::Arc};

use chrono::{DateTime, Utc};
use news2_core::ClinicalRisk;

use super::{Acknowledgement, Escalation, EscalationState, Resolution};
use crate::{
    error::ApplyError,
    event::{Event, EventKind},
    id::{EscalationId, PatientId},
    policy_set::PolicySet,
    time::Moment,
};

impl Escalation {
    /// The state right after `triggered`, before the first step is notified.
    pub(super) fn started(
        id: EscalationId,
        patient: PatientId,
        risk: ClinicalRisk,
        policies: Arc<PolicySet>,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            id,
            patient,
            policies,
            state: EscalationState::Notifying,
            risk,
            band: risk,
            opened_at: at,
            updated_at: at,
            version: 1,
            alert_count: 1,
            generation: 0,
            ordinal: 0,
            deadline: None,
            declined: 0,
            acknowledgement: None,
            resolution: None,
        }
    }

    /// Rebuilds an escalation from its stored events, `triggered` first. No policy set is
    /// needed: the stream carries its own copy.
    ///
    /// # Errors
    ///
    /// [`ApplyError`] when the stream does not start with `triggered`, skips or repeats a
    /// sequence number, mixes escalations, holds an event its state cannot take, or stops
    /// half-way through one decision (e.g. a `band_raised` with no `step_notified` after it:
    /// events of one call must be persisted together).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use chrono::{DateTime, TimeDelta};
    /// use escalation_core::*;
    /// use news2_core::ClinicalRisk;
    ///
    /// let t0 = DateTime::from_timestamp(1_735_718_400, 0).unwrap();
    /// let (mut live, mut log) = Escalation::open(EscalationId::new(3), PatientId::new(7),
    ///     ClinicalRisk::Medium, Arc::new(PolicySet::demo()), t0).unwrap();
    /// log.extend(live.handle_timeout(t0 + TimeDelta::seconds(60)));
    /// assert_eq!(Escalation::replay(&log).unwrap(), live);
    ///
    /// assert!(matches!(Escalation::replay(&log[1..]), Err(ApplyError::NotTriggered { .. })));
    /// ```
    pub fn replay<'a, I>(events: I) -> Result<Self, ApplyError>
    where
        I: IntoIterator<Item = &'a Event>,
    {
        let mut events = events.into_iter();
        let first = events
            .next()
            .ok_or(ApplyError::NotTriggered { found: "nothing" })?;
        let mut escalation = Self::from_triggered(first)?;
        let mut last = first;
        for event in events {
            escalation.apply(event)?;
            last = event;
        }
        escalation.check_complete(last)?;
        Ok(escalation)
    }

    /// Applies one event: the next in this escalation's stream.
    ///
    /// # Errors
    ///
    /// [`ApplyError`] when it belongs to another escalation, is out of sequence or older than
    /// the latest event, or cannot happen in the current state. The state is then unchanged.
    pub fn apply(&mut self, event: &Event) -> Result<(), ApplyError> {
        self.check(event)?;
        self.mutate(event, None);
        Ok(())
    }

    fn from_triggered(event: &Event) -> Result<Self, ApplyError> {
        let EventKind::Triggered {
            patient_id,
            risk,
            policies,
        } = &event.kind
        else {
            return Err(ApplyError::NotTriggered {
                found: event.kind.name(),
            });
        };
        if event.sequence != 1 {
            return Err(ApplyError::OutOfSequence {
                expected: 1,
                found: event.sequence,
            });
        }
        if policies.for_risk(*risk).is_none() {
            return Err(ApplyError::Inconsistent {
                id: event.escalation_id,
                event: "triggered",
                what: "no chain in its policy set covers its risk",
            });
        }
        Ok(Self::started(
            event.escalation_id,
            *patient_id,
            *risk,
            policies.clone(),
            event.at,
        ))
    }

    /// A stream must not stop between the events of one decision.
    fn check_complete(&self, last: &Event) -> Result<(), ApplyError> {
        let unfinished = match &last.kind {
            EventKind::Triggered { .. }
            | EventKind::BandRaised { .. }
            | EventKind::Retriggered { .. } => true,
            EventKind::Declined { all_declined, .. } => *all_declined,
            EventKind::AlertJoined { .. } => self.state == EscalationState::Unanswered,
            _ => false,
        };
        if unfinished {
            return Err(ApplyError::Inconsistent {
                id: self.id,
                event: last.kind.name(),
                what: "the stream stops before the step this event starts",
            });
        }
        Ok(())
    }

    fn check(&self, event: &Event) -> Result<(), ApplyError> {
        if event.escalation_id != self.id {
            return Err(ApplyError::WrongEscalation {
                expected: self.id,
                found: event.escalation_id,
            });
        }
        if event.sequence != self.version + 1 {
            return Err(ApplyError::OutOfSequence {
                expected: self.version + 1,
                found: event.sequence,
            });
        }
        if event.at < self.updated_at {
            return Err(ApplyError::TimeWentBackwards {
                previous: self.updated_at,
                found: event.at,
            });
        }
        let name = event.kind.name();
        let not_applicable = ApplyError::NotApplicable {
            event: name,
            state: self.state,
        };
        let inconsistent = |what| ApplyError::Inconsistent {
            id: self.id,
            event: name,
            what,
        };
        if self.state == EscalationState::Resolved {
            return Err(not_applicable);
        }
        let is_current = |step: u32, pass: u32| step == self.step_index() && pass == self.pass();
        match &event.kind {
            EventKind::Triggered { .. } => return Err(not_applicable),
            EventKind::StepNotified {
                step,
                pass,
                generation,
                ..
            } => {
                let chain = self.policy();
                if *step as usize >= chain.steps().len() || *pass >= chain.repeats() {
                    return Err(inconsistent("step or pass outside the chain"));
                }
                if *generation < self.generation {
                    return Err(inconsistent("generation older than the current one"));
                }
            }
            EventKind::AlertJoined { .. }
            | EventKind::RiskUpdated { .. }
            | EventKind::Resolved { .. } => {}
            EventKind::BandRaised {
                from,
                to,
                step,
                pass,
            } => {
                if *from != self.band || *to <= self.band {
                    return Err(inconsistent("band not raised from the current band"));
                }
                let chain = self
                    .policies
                    .for_risk(*to)
                    .ok_or_else(|| inconsistent("no chain for the new band"))?;
                if *step as usize >= chain.steps().len() || *pass >= chain.repeats() {
                    return Err(inconsistent("step or pass outside the new chain"));
                }
            }
            EventKind::Acknowledged {
                step,
                pass,
                generation,
                ..
            } => {
                if !matches!(
                    self.state,
                    EscalationState::Notifying | EscalationState::Unanswered
                ) {
                    return Err(not_applicable);
                }
                if !is_current(*step, *pass) || *generation < self.generation {
                    return Err(inconsistent("not the current step and generation"));
                }
            }
            EventKind::Declined { by, step, pass, .. } => {
                if self.state != EscalationState::Notifying {
                    return Err(not_applicable);
                }
                let target = self.policy().step_at(self.ordinal).target();
                if !is_current(*step, *pass)
                    || target.recipient_bit(&by.staff_id, &by.role).is_none()
                {
                    return Err(inconsistent("not a recipient of the current step"));
                }
            }
            EventKind::Snoozed { generation, .. } => {
                if self.state != EscalationState::Acknowledged {
                    return Err(not_applicable);
                }
                if *generation < self.generation {
                    return Err(inconsistent("generation older than the current one"));
                }
            }
            EventKind::Retriggered { .. } => {
                if !matches!(
                    self.state,
                    EscalationState::Acknowledged | EscalationState::Unanswered
                ) {
                    return Err(not_applicable);
                }
            }
            EventKind::Unanswered { .. } => {
                if self.state != EscalationState::Notifying {
                    return Err(not_applicable);
                }
            }
        }
        Ok(())
    }

    /// Applies an event already checked (or just decided, which guarantees the same).
    /// `known` is the deadline the event sets with its milliseconds, if the caller has them.
    pub(super) fn mutate(&mut self, event: &Event, known: Option<Moment>) {
        let moment = |at: DateTime<Utc>| {
            known
                .filter(|k| k.at == at)
                .unwrap_or_else(|| Moment::of(at))
        };
        self.version = event.sequence;
        self.updated_at = event.at;
        match &event.kind {
            // Only ever first; `from_triggered` builds the state from it.
            EventKind::Triggered { .. } => {}
            EventKind::StepNotified {
                step,
                pass,
                generation,
                deadline,
                ..
            } => {
                self.ordinal = pass * self.chain_len() + step;
                self.generation = *generation;
                self.state = EscalationState::Notifying;
                self.deadline = Some(moment(*deadline));
                self.declined = 0;
                self.acknowledgement = None;
            }
            EventKind::AlertJoined { risk, alert_count } => {
                self.risk = *risk;
                self.alert_count = *alert_count;
            }
            EventKind::RiskUpdated { risk } => self.risk = *risk,
            EventKind::BandRaised { to, step, pass, .. } => {
                self.band = *to;
                // Position on the new chain at once, so the state is consistent even between
                // this event and the `step_notified` that follows it.
                self.ordinal = pass * self.chain_len() + step;
                self.declined = 0;
            }
            EventKind::Acknowledged {
                by,
                step,
                pass,
                generation,
                retrigger_at,
            } => {
                self.state = EscalationState::Acknowledged;
                self.generation = *generation;
                self.deadline = retrigger_at.map(moment);
                self.declined = 0;
                self.acknowledgement = Some(Box::new(Acknowledgement {
                    by: by.clone(),
                    at: event.at,
                    step: *step,
                    pass: *pass,
                    snoozed_until: None,
                }));
            }
            EventKind::Declined { by, .. } => {
                let target = self.policy().step_at(self.ordinal).target();
                if let Some(bit) = target.recipient_bit(&by.staff_id, &by.role) {
                    self.declined |= 1 << bit;
                }
            }
            EventKind::Snoozed {
                until, generation, ..
            } => {
                self.generation = *generation;
                self.deadline = Some(moment(*until));
                if let Some(ack) = self.acknowledgement.as_mut() {
                    ack.snoozed_until = Some(*until);
                }
            }
            // The `step_notified` that follows moves the state; a re-trigger by itself
            // changes nothing but the version.
            EventKind::Retriggered { .. } => {}
            EventKind::Unanswered { .. } => {
                self.state = EscalationState::Unanswered;
                self.deadline = None;
            }
            EventKind::Resolved { by } => {
                self.state = EscalationState::Resolved;
                self.deadline = None;
                self.resolution = Some(Box::new(Resolution {
                    by: by.clone(),
                    at: event.at,
                }));
            }
        }
    }
}
