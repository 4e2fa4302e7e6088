//! Deciding: commands and timeouts against the state and `now`, yielding events.
//!
//! Every handler checks everything that can fail before it emits its first event, so an
//! error leaves the escalation exactly as it was.

use alloc::{sync::Arc, vec::Vec};
use core::time::Duration;

use chrono::{DateTime, Utc};
use news2_core::ClinicalRisk;

use super::{Escalation, EscalationState};
use crate::{
    command::Command,
    error::CommandError,
    event::{Event, EventKind, RetriggerReason},
    id::{EscalationId, PatientId},
    policy::whole_seconds,
    policy_set::PolicySet,
    role::Responder,
    time::Moment,
    timer::{TimerOutcome, TimerToken},
};

impl Escalation {
    /// Opens an escalation for an alert: the `triggered` event (carrying `policies`) and the
    /// first step's `step_notified`. The chain is the one `policies` has for `risk`.
    ///
    /// # Errors
    ///
    /// [`CommandError::NoPolicy`] when no chain covers `risk`,
    /// [`CommandError::TimeOutOfRange`] when `now` is before 1970 or after 8999.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use chrono::DateTime;
    /// use escalation_core::{CommandError, Escalation, EscalationId, PatientId, PolicySet};
    /// use news2_core::ClinicalRisk;
    ///
    /// let t0 = DateTime::from_timestamp(1_735_718_400, 0).unwrap();
    /// let set = Arc::new(PolicySet::demo());
    /// let open = |risk| Escalation::open(EscalationId::new(1), PatientId::new(7), risk, set.clone(), t0);
    /// assert!(open(ClinicalRisk::High).is_ok());
    /// assert_eq!(open(ClinicalRisk::Low).unwrap_err(), CommandError::NoPolicy { risk: ClinicalRisk::Low });
    /// ```
    pub fn open(
        id: EscalationId,
        patient: PatientId,
        risk: ClinicalRisk,
        policies: Arc<PolicySet>,
        now: DateTime<Utc>,
    ) -> Result<(Self, Vec<Event>), CommandError> {
        let now = Moment::accept(now)?;
        if policies.for_risk(risk).is_none() {
            return Err(CommandError::NoPolicy { risk });
        }
        let mut escalation = Self::started(id, patient, risk, policies.clone(), now.at);
        let mut events = Vec::with_capacity(2);
        events.push(Event {
            escalation_id: id,
            sequence: 1,
            at: now.at,
            kind: EventKind::Triggered {
                patient_id: patient,
                risk,
                policies,
            },
        });
        escalation.notify(now, 0, 0, now, &mut events);
        Ok((escalation, events))
    }

    /// The events `command` would yield at `now`, without changing anything. Apply them
    /// (after persisting them) with [`apply`](Self::apply), or use
    /// [`execute`](Self::execute) to do both.
    ///
    /// Commands are decided against the state as it is: a deadline that has passed but was not
    /// handled yet does not fire first (so an acknowledgement that races a timeout wins).
    ///
    /// # Errors
    ///
    /// A [`CommandError`] naming the rule the command breaks, e.g.
    /// [`CommandError::Resolved`] for anything on a resolved escalation.
    pub fn decide(
        &self,
        command: &Command,
        now: DateTime<Utc>,
    ) -> Result<Vec<Event>, CommandError> {
        self.clone().execute(command, now)
    }

    /// Decides `command` at `now` and applies the events; returns them for persisting.
    ///
    /// Persist all the events of one call together (one transaction): they are one decision,
    /// and [`replay`](Self::replay) reports a stream that stops half-way through one.
    ///
    /// # Errors
    ///
    /// As [`decide`](Self::decide); the escalation is then unchanged.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use chrono::{DateTime, TimeDelta};
    /// use escalation_core::*;
    /// use news2_core::ClinicalRisk;
    ///
    /// let t0 = DateTime::from_timestamp(1_735_718_400, 0).unwrap();
    /// let (mut esc, _) = Escalation::open(EscalationId::new(1), PatientId::new(7),
    ///     ClinicalRisk::Medium, Arc::new(PolicySet::demo()), t0).unwrap();
    /// let by = Responder::new(StaffId::new("sr-2").unwrap(), Role::SeniorClinician);
    ///
    /// // Snooze needs an acknowledgement first.
    /// let snooze = Command::Snooze { by: by.clone(), duration_seconds: 600 };
    /// assert!(matches!(esc.execute(&snooze, t0), Err(CommandError::NotAcknowledged { .. })));
    ///
    /// esc.execute(&Command::Resolve { by: by.clone() }, t0 + TimeDelta::seconds(5)).unwrap();
    /// let again = esc.execute(&Command::Resolve { by }, t0 + TimeDelta::seconds(6));
    /// assert_eq!(again, Err(CommandError::Resolved { id: EscalationId::new(1) }));
    /// ```
    pub fn execute(
        &mut self,
        command: &Command,
        now: DateTime<Utc>,
    ) -> Result<Vec<Event>, CommandError> {
        let mut events = Vec::new();
        self.execute_into(command, now, &mut events)?;
        Ok(events)
    }

    pub(crate) fn execute_into(
        &mut self,
        command: &Command,
        now: DateTime<Utc>,
        out: &mut Vec<Event>,
    ) -> Result<(), CommandError> {
        // Time never runs backwards inside one escalation: a `now` older than its latest
        // event (clock skew between machines) is taken as that event's time.
        let now = Moment::accept(now)?.not_before(self.updated_at);
        if self.state == EscalationState::Resolved {
            return Err(CommandError::Resolved { id: self.id });
        }
        match command {
            Command::Alert { risk } => self.on_risk(*risk, true, now, out),
            Command::UpdateRisk { risk } => self.on_risk(*risk, false, now, out),
            Command::Acknowledge { by } => self.acknowledge(by, now, out)?,
            Command::Decline { by } => self.decline(by, now, out)?,
            Command::Snooze {
                by,
                duration_seconds,
            } => self.snooze(by, *duration_seconds, now, out)?,
            Command::Resolve { by } => {
                self.emit(now.at, EventKind::Resolved { by: by.clone() }, out, None);
            }
        }
        Ok(())
    }

    /// Fires every deadline that has passed by `now`, in order, as quinn-proto's
    /// `handle_timeout` does: each missed step is notified with its `due_at` and how late it
    /// is, so a caller that was paused (a server restart) catches up and the record shows it.
    /// Returns no event when nothing is due.
    pub fn handle_timeout(&mut self, now: DateTime<Utc>) -> Vec<Event> {
        let now = Moment::clamp(now);
        let mut events = Vec::new();
        while self.fire_due(now, &mut events) {}
        events
    }

    /// Handles a delivered durable timer. A token that no longer names the current deadline
    /// is [`Stale`](TimerOutcome::Stale) and changes nothing; a current one fires everything
    /// due, like [`handle_timeout`](Self::handle_timeout).
    ///
    /// # Errors
    ///
    /// [`CommandError::WrongEscalation`] when the token names another escalation.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use chrono::{DateTime, TimeDelta};
    /// use escalation_core::*;
    /// use news2_core::ClinicalRisk;
    ///
    /// let t0 = DateTime::from_timestamp(1_735_718_400, 0).unwrap();
    /// let (mut esc, _) = Escalation::open(EscalationId::new(1), PatientId::new(7),
    ///     ClinicalRisk::Medium, Arc::new(PolicySet::demo()), t0).unwrap();
    /// let timer = esc.next_deadline().unwrap();
    /// let late = timer.at + TimeDelta::seconds(1);
    /// assert!(matches!(esc.handle_timer(timer.token, late), Ok(TimerOutcome::Fired(_))));
    /// // Delivered again: ignored.
    /// assert!(matches!(esc.handle_timer(timer.token, late), Ok(TimerOutcome::Stale { .. })));
    /// ```
    pub fn handle_timer(
        &mut self,
        token: TimerToken,
        now: DateTime<Utc>,
    ) -> Result<TimerOutcome, CommandError> {
        if token.escalation_id != self.id {
            return Err(CommandError::WrongEscalation {
                expected: self.id,
                found: token.escalation_id,
            });
        }
        Ok(match self.next_deadline() {
            Some(deadline) if deadline.token == token => {
                if deadline.at <= Moment::clamp(now).not_before(self.updated_at).at {
                    TimerOutcome::Fired(self.handle_timeout(now))
                } else {
                    TimerOutcome::NotDue { deadline }
                }
            }
            current => TimerOutcome::Stale { current },
        })
    }

    /// Fires the earliest deadline if it has passed by `now`; whether it did. The board calls
    /// this once per timer so that events of many escalations come out in deadline order.
    pub(crate) fn fire_due(&mut self, now: Moment, out: &mut Vec<Event>) -> bool {
        let Some(deadline) = self.deadline else {
            return false;
        };
        let now = now.not_before(self.updated_at);
        if deadline.at > now.at {
            return false;
        }
        match self.state {
            EscalationState::Notifying => {
                self.next_step(now, self.generation, deadline, out);
            }
            EscalationState::Acknowledged => {
                let snoozed = self
                    .acknowledgement
                    .as_ref()
                    .is_some_and(|a| a.snoozed_until.is_some());
                let reason = if snoozed {
                    RetriggerReason::SnoozeExpired
                } else {
                    RetriggerReason::AckTimeout
                };
                self.retrigger(reason, deadline, now, out);
            }
            // Neither has a deadline; nothing to fire.
            EscalationState::Resolved | EscalationState::Unanswered => return false,
        }
        true
    }

    fn on_risk(&mut self, risk: ClinicalRisk, new_alert: bool, now: Moment, out: &mut Vec<Event>) {
        if new_alert {
            let alert_count = self.alert_count.saturating_add(1);
            self.emit(
                now.at,
                EventKind::AlertJoined { risk, alert_count },
                out,
                None,
            );
        } else if risk != self.risk {
            self.emit(now.at, EventKind::RiskUpdated { risk }, out, None);
        }
        if risk > self.band {
            // The new band is covered: a chain covering the lower band covers every higher one.
            let chain = self
                .policies
                .for_risk(risk)
                .expect("higher band is covered");
            let len = chain.steps().len() as u32;
            let step = self.step_index().min(len - 1);
            let pass = self.pass().min(chain.repeats() - 1);
            let (from, generation) = (self.band, self.generation.wrapping_add(1));
            self.emit(
                now.at,
                EventKind::BandRaised {
                    from,
                    to: risk,
                    step,
                    pass,
                },
                out,
                None,
            );
            self.notify(now, pass * len + step, generation, now, out);
        } else if new_alert && self.state == EscalationState::Unanswered {
            self.retrigger(RetriggerReason::NewAlert, now, now, out);
        }
    }

    fn acknowledge(
        &mut self,
        by: &Responder,
        now: Moment,
        out: &mut Vec<Event>,
    ) -> Result<(), CommandError> {
        if let Some(ack) = self
            .acknowledgement
            .as_ref()
            .filter(|_| self.state == EscalationState::Acknowledged)
        {
            return Err(CommandError::AlreadyAcknowledged {
                id: self.id,
                by: ack.by.staff_id.clone(),
            });
        }
        let chain = self.policy();
        let step = chain.step_at(self.ordinal);
        if !step.may_acknowledge(&by.role) {
            return Err(CommandError::RoleNotAllowed {
                id: self.id,
                step: self.step_index(),
                role: by.role.clone(),
                allowed: step.ack_roles().to_vec(),
            });
        }
        let retrigger_at = chain.ack_timeout_seconds().map(|s| now.after(s).at);
        let kind = EventKind::Acknowledged {
            by: by.clone(),
            step: self.step_index(),
            pass: self.pass(),
            generation: self.generation.wrapping_add(1),
            retrigger_at,
        };
        self.emit(now.at, kind, out, None);
        Ok(())
    }

    fn decline(
        &mut self,
        by: &Responder,
        now: Moment,
        out: &mut Vec<Event>,
    ) -> Result<(), CommandError> {
        if self.state != EscalationState::Notifying {
            return Err(CommandError::NotNotifying {
                id: self.id,
                state: self.state,
            });
        }
        let target = self.policy().step_at(self.ordinal).target();
        let Some(bit) = target.recipient_bit(&by.staff_id, &by.role) else {
            return Err(CommandError::NotARecipient {
                id: self.id,
                step: self.step_index(),
                staff_id: by.staff_id.clone(),
                role: by.role.clone(),
            });
        };
        if self.declined & (1 << bit) != 0 {
            return Err(CommandError::AlreadyDeclined {
                id: self.id,
                step: self.step_index(),
                staff_id: by.staff_id.clone(),
            });
        }
        let all_declined = (self.declined | 1 << bit) == target.all_declined_mask();
        let kind = EventKind::Declined {
            by: by.clone(),
            step: self.step_index(),
            pass: self.pass(),
            all_declined,
        };
        self.emit(now.at, kind, out, None);
        if all_declined {
            // Out of turn, so a new generation: the declined step's timer must not fire.
            self.next_step(now, self.generation.wrapping_add(1), now, out);
        }
        Ok(())
    }

    fn snooze(
        &mut self,
        by: &Responder,
        seconds: u32,
        now: Moment,
        out: &mut Vec<Event>,
    ) -> Result<(), CommandError> {
        if self.state != EscalationState::Acknowledged {
            return Err(CommandError::NotAcknowledged {
                id: self.id,
                state: self.state,
            });
        }
        let max = Duration::from_secs(u64::from(Command::MAX_SNOOZE_SECONDS));
        let given = Duration::from_secs(u64::from(seconds));
        whole_seconds("snooze", given, Duration::from_secs(1), max)
            .map_err(CommandError::Snooze)?;
        let kind = EventKind::Snoozed {
            by: by.clone(),
            until: now.after(seconds).at,
            generation: self.generation.wrapping_add(1),
        };
        self.emit(now.at, kind, out, None);
        Ok(())
    }

    /// The chain starts again from its first step, due at `due`.
    fn retrigger(
        &mut self,
        reason: RetriggerReason,
        due: Moment,
        now: Moment,
        out: &mut Vec<Event>,
    ) {
        let generation = self.generation.wrapping_add(1);
        let kind = EventKind::Retriggered {
            reason,
            due_at: due.at,
            late_by_ms: due.late_at(now),
        };
        self.emit(now.at, kind, out, None);
        self.notify(now, 0, generation, due, out);
    }

    /// The step after the current one, or `unanswered` when the chain is exhausted.
    fn next_step(&mut self, now: Moment, generation: u32, due: Moment, out: &mut Vec<Event>) {
        let next = self.ordinal + 1;
        let chain = self.policy();
        if next >= chain.total_steps() {
            let kind = EventKind::Unanswered {
                due_at: due.at,
                late_by_ms: due.late_at(now),
                notify: chain.exhausted_notify().cloned(),
            };
            self.emit(now.at, kind, out, None);
        } else {
            self.notify(now, next, generation, due, out);
        }
    }

    /// Notifies the step at `ordinal` of the current chain, due at `due`.
    fn notify(
        &mut self,
        now: Moment,
        ordinal: u32,
        generation: u32,
        due: Moment,
        out: &mut Vec<Event>,
    ) {
        let chain = self.policy();
        let len = chain.steps().len() as u32;
        let step = chain.step_at(ordinal);
        let deadline = due.after(step.timeout_seconds());
        let kind = EventKind::StepNotified {
            step: ordinal % len,
            pass: ordinal / len,
            generation,
            target: step.target().clone(),
            due_at: due.at,
            deadline: deadline.at,
            late_by_ms: due.late_at(now),
        };
        self.emit(now.at, kind, out, Some(deadline));
    }

    /// Applies and records a decided event. `deadline` is the deadline it sets, when the
    /// caller already has its milliseconds (saves deriving them again on the timer path).
    fn emit(
        &mut self,
        at: DateTime<Utc>,
        kind: EventKind,
        out: &mut Vec<Event>,
        deadline: Option<Moment>,
    ) {
        let event = Event {
            escalation_id: self.id,
            sequence: self.version + 1,
            at,
            kind,
        };
        self.mutate(&event, deadline);
        out.push(event);
    }
}
