//! The scheduler: many open escalations by id, one per patient, and one timer queue.

mod timers;

use alloc::{sync::Arc, vec::Vec};
use core::fmt;

use chrono::{DateTime, Utc};
use hashbrown::HashMap;
use news2_core::ClinicalRisk;

use self::timers::{Entry, TimerQueue};
use crate::{
    clock::Clock,
    command::Command,
    error::BoardError,
    escalation::Escalation,
    event::Event,
    id::{EscalationId, PatientId},
    policy_set::PolicySet,
    time::Moment,
    timer::{Deadline, TimerOutcome, TimerToken},
};

/// Many open escalations, at most one per patient, with one timer queue ordered by deadline.
///
/// [`advance_to(now)`](Self::advance_to) fires every deadline that has passed, across all
/// escalations, in deadline order (ties in the order the deadlines were set), one step at a time, so a
/// caller that was paused gets each missed step in the order it fell due, each recorded as
/// late. [`next_deadline`](Self::next_deadline) says when to call again. Each timer costs
/// O(log n) at worst, O(1) when many fall due in the same millisecond. A resolved escalation
/// leaves the board (its events are the record).
///
/// The board issues escalation ids from 1 and never reuses one. A durable server persists
/// every event (all the events of one call in one transaction) and, after a crash, rebuilds
/// the board with [`restore`](Self::restore) from the replayed escalations and the next id;
/// deadlines that passed while it was down fire on the next `advance_to`, marked late.
///
/// ```
/// use chrono::{DateTime, TimeDelta};
/// use escalation_core::*;
/// use news2_core::ClinicalRisk;
///
/// let t0 = DateTime::from_timestamp(1_735_718_400, 0).unwrap();
/// let mut board = Board::new(PolicySet::demo());
/// let (a, _) = board.alert(PatientId::new(1), ClinicalRisk::Medium, t0).unwrap();
/// let (b, _) = board.alert(PatientId::new(2), ClinicalRisk::High, t0).unwrap();
/// // Same patient again: joins the open escalation.
/// let (again, _) = board.alert(PatientId::new(1), ClinicalRisk::Medium, t0).unwrap();
/// assert_eq!(again, a);
///
/// assert_eq!(board.next_deadline().unwrap().at, t0 + TimeDelta::seconds(15)); // b's doctor
/// let events = board.advance_to(t0 + TimeDelta::seconds(30));
/// let order: Vec<_> = events.iter().map(|e| e.escalation_id).collect();
/// assert_eq!(order, [b, a, b]); // b's outreach at 15 s; at 30 s, a's senior (set first), b's unanswered
///
/// let nobody = Responder::new(StaffId::new("x").unwrap(), Role::Nurse);
/// let err = board.execute(EscalationId::new(99), &Command::Resolve { by: nobody }, t0);
/// assert!(matches!(err, Err(BoardError::UnknownEscalation { .. })));
/// ```
pub struct Board {
    policies: Arc<PolicySet>,
    // Escalations live in slots so the timer queue can name one with a u32 and reach it
    // without a hash lookup; freed slots are reused.
    slots: Vec<Option<Escalation>>,
    free: Vec<u32>,
    by_id: HashMap<EscalationId, u32>,
    by_patient: HashMap<PatientId, u32>,
    timers: TimerQueue,
    // Scratch for `advance_into`, kept to avoid an allocation per call.
    batch: Vec<Entry>,
    next_id: u64,
}

/// Timers taken from the queue at once by `advance_into`.
const BATCH: usize = 32;

impl fmt::Debug for Board {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Board")
            .field("open", &self.by_id.len())
            .field("timers", &self.timers.len())
            .field("next_id", &self.next_id)
            .finish_non_exhaustive()
    }
}

impl Board {
    /// An empty board that opens escalations on `policies`.
    pub fn new(policies: PolicySet) -> Self {
        Self::with_capacity(policies, 0)
    }

    /// An empty board with room for `capacity` open escalations before it reallocates.
    pub fn with_capacity(policies: PolicySet, capacity: usize) -> Self {
        Self {
            policies: Arc::new(policies),
            slots: Vec::with_capacity(capacity),
            free: Vec::new(),
            by_id: HashMap::with_capacity(capacity),
            by_patient: HashMap::with_capacity(capacity),
            timers: TimerQueue::default(),
            batch: Vec::new(),
            next_id: 1,
        }
    }

    /// Rebuilds a board after a restart from escalations replayed from stored events
    /// ([`Escalation::replay`]). Resolved ones are skipped. `next_id` is the id after the
    /// highest ever issued (resolved escalations included), so no id is issued twice.
    ///
    /// # Errors
    ///
    /// As [`insert`](Self::insert).
    ///
    /// ```
    /// use chrono::{DateTime, TimeDelta};
    /// use escalation_core::*;
    /// use news2_core::ClinicalRisk;
    ///
    /// let t0 = DateTime::from_timestamp(1_735_718_400, 0).unwrap();
    /// let mut board = Board::new(PolicySet::demo());
    /// let (id, log) = board.alert(PatientId::new(1), ClinicalRisk::Medium, t0).unwrap();
    ///
    /// // The server crashes; an hour later it replays what it stored.
    /// let replayed = Escalation::replay(&log).unwrap();
    /// let mut board = Board::restore(PolicySet::demo(), board.next_id(), [replayed]).unwrap();
    /// let caught_up = board.advance_to(t0 + TimeDelta::hours(1));
    /// assert_eq!(caught_up.len(), 3); // senior, doctor, unanswered: all late
    /// assert!(caught_up.iter().all(|e| e.escalation_id == id));
    ///
    /// let stale = Board::restore(PolicySet::demo(), EscalationId::new(1), [Escalation::replay(&log).unwrap()]);
    /// assert!(matches!(stale, Err(BoardError::IdNotIssued { .. })));
    /// ```
    pub fn restore(
        policies: PolicySet,
        next_id: EscalationId,
        escalations: impl IntoIterator<Item = Escalation>,
    ) -> Result<Self, BoardError> {
        let mut board = Self::new(policies);
        board.next_id = next_id.get().max(1);
        for escalation in escalations {
            if escalation.is_open() {
                board.insert(escalation)?;
            }
        }
        Ok(board)
    }

    /// Puts an open escalation (e.g. one replayed from storage) on the board, with its deadline.
    ///
    /// # Errors
    ///
    /// [`BoardError::NotOpen`] for a resolved one, [`BoardError::DuplicateEscalation`] for an
    /// id already here, [`BoardError::PatientAlreadyOpen`] when its patient has another open
    /// escalation here, [`BoardError::IdNotIssued`] when its id is not below
    /// [`next_id`](Self::next_id).
    pub fn insert(&mut self, escalation: Escalation) -> Result<(), BoardError> {
        let id = escalation.id();
        if !escalation.is_open() {
            return Err(BoardError::NotOpen { id });
        }
        if id.get() >= self.next_id {
            return Err(BoardError::IdNotIssued {
                id,
                next_id: self.next_id(),
            });
        }
        if self.by_id.contains_key(&id) {
            return Err(BoardError::DuplicateEscalation { id });
        }
        if let Some(open) = self.open_for(escalation.patient()) {
            return Err(BoardError::PatientAlreadyOpen {
                patient: escalation.patient(),
                open: open.id(),
            });
        }
        self.place(escalation);
        self.prune();
        Ok(())
    }

    /// The policy set new escalations open on.
    pub fn policies(&self) -> &Arc<PolicySet> {
        &self.policies
    }

    /// Replaces the policy set for escalations opened from now on; open ones keep theirs.
    pub fn set_policies(&mut self, policies: PolicySet) {
        self.policies = Arc::new(policies);
    }

    /// The id the next new escalation gets. Persist it (or the highest id issued) to pass to
    /// [`restore`](Self::restore).
    pub fn next_id(&self) -> EscalationId {
        EscalationId::new(self.next_id)
    }

    /// How many open escalations the board holds.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// An open escalation by id.
    pub fn get(&self, id: EscalationId) -> Option<&Escalation> {
        self.by_id.get(&id).and_then(|&slot| self.at(slot))
    }

    /// The patient's open escalation, if any.
    pub fn open_for(&self, patient: PatientId) -> Option<&Escalation> {
        self.by_patient
            .get(&patient)
            .and_then(|&slot| self.at(slot))
    }

    /// Every open escalation, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &Escalation> {
        self.slots.iter().filter_map(Option::as_ref)
    }

    /// A new alert for `patient`: joins their open escalation (counted, latest risk kept,
    /// moved to a higher band's chain if the risk rose), or opens one on the board's policy
    /// set. Returns the escalation's id and the events.
    ///
    /// # Errors
    ///
    /// [`BoardError::Command`] with [`CommandError::NoPolicy`](crate::CommandError::NoPolicy)
    /// when a new escalation's risk has no chain, or
    /// [`CommandError::TimeOutOfRange`](crate::CommandError::TimeOutOfRange).
    pub fn alert(
        &mut self,
        patient: PatientId,
        risk: ClinicalRisk,
        now: DateTime<Utc>,
    ) -> Result<(EscalationId, Vec<Event>), BoardError> {
        if let Some(id) = self.open_for(patient).map(Escalation::id) {
            let events = self.execute(id, &Command::Alert { risk }, now)?;
            return Ok((id, events));
        }
        let id = EscalationId::new(self.next_id);
        let (escalation, events) = Escalation::open(id, patient, risk, self.policies.clone(), now)?;
        self.next_id += 1;
        self.place(escalation);
        self.prune();
        Ok((id, events))
    }

    /// Runs a command on an open escalation. A resolved escalation leaves the board.
    ///
    /// # Errors
    ///
    /// [`BoardError::UnknownEscalation`] when no open escalation has this id,
    /// [`BoardError::Command`] when the escalation refuses the command. Nothing changes.
    pub fn execute(
        &mut self,
        id: EscalationId,
        command: &Command,
        now: DateTime<Utc>,
    ) -> Result<Vec<Event>, BoardError> {
        let unknown = BoardError::UnknownEscalation { id };
        let slot = *self.by_id.get(&id).ok_or(unknown.clone())?;
        let escalation = self
            .slots
            .get_mut(slot as usize)
            .and_then(Option::as_mut)
            .ok_or(unknown)?;
        let before = (escalation.generation(), escalation.deadline_ms());
        let mut events = Vec::new();
        escalation.execute_into(command, now, &mut events)?;
        if !escalation.is_open() {
            self.remove(id);
        } else if (escalation.generation(), escalation.deadline_ms()) != before
            && let Some(next) = entry_for(escalation, slot)
        {
            self.timers.push(next);
        }
        self.prune();
        Ok(events)
    }

    /// Fires every deadline due by `now`, across all escalations, in deadline order.
    pub fn advance_to(&mut self, now: DateTime<Utc>) -> Vec<Event> {
        let mut events = Vec::new();
        self.advance_into(now, &mut events);
        events
    }

    /// As [`advance_to`](Self::advance_to), appending to `out` (reuse one buffer in a hot
    /// loop); returns how many timers fired.
    pub fn advance_into(&mut self, now: DateTime<Utc>, out: &mut Vec<Event>) -> usize {
        let now = Moment::clamp(now);
        let mut fired = 0;
        let mut batch = core::mem::take(&mut self.batch);
        loop {
            batch.clear();
            if !self.timers.pop_due(now.ms, &mut batch, BATCH) {
                break;
            }
            // Look at every escalation of the batch before firing any, so that their cache
            // misses (a million escalations do not fit in cache) overlap instead of queueing.
            let mut current = [false; BATCH];
            for (flag, entry) in current.iter_mut().zip(&batch) {
                *flag = live(&mut self.slots, entry).is_some();
            }
            for (_, entry) in current.iter().zip(&batch).filter(|(flag, _)| **flag) {
                // Checked again: firing an earlier entry may have replaced this deadline.
                let Some(escalation) = live(&mut self.slots, entry) else {
                    continue;
                };
                // One step at a time: its next deadline goes back into the queue, so steps of
                // different escalations interleave in deadline order.
                if escalation.fire_due(now, out) {
                    fired += 1;
                    if let Some(next) = entry_for(escalation, entry.slot) {
                        self.timers.push(next);
                    }
                }
            }
        }
        self.batch = batch;
        self.prune();
        fired
    }

    /// [`advance_to`](Self::advance_to) the clock's time.
    pub fn advance(&mut self, clock: &impl Clock) -> Vec<Event> {
        self.advance_to(clock.now())
    }

    /// The earliest deadline on the board: when to call [`advance_to`](Self::advance_to)
    /// next. `None` when nothing is scheduled.
    pub fn next_deadline(&self) -> Option<Deadline> {
        // `prune` after every change keeps a live entry on top.
        let entry = self.timers.peek()?;
        self.at(entry.slot)?.next_deadline()
    }

    /// Handles a durable timer delivered for one escalation (see [`TimerToken`]). A token of
    /// an escalation no longer on the board (resolved) is stale.
    pub fn handle_timer(&mut self, token: TimerToken, now: DateTime<Utc>) -> TimerOutcome {
        let Some(&slot) = self.by_id.get(&token.escalation_id) else {
            return TimerOutcome::Stale { current: None };
        };
        let Some(escalation) = self.slots.get_mut(slot as usize).and_then(Option::as_mut) else {
            return TimerOutcome::Stale { current: None };
        };
        // The board looked the escalation up by the token's id, so the id matches.
        let outcome = escalation
            .handle_timer(token, now)
            .unwrap_or(TimerOutcome::Stale { current: None });
        if matches!(outcome, TimerOutcome::Fired(_)) {
            if let Some(next) = entry_for(escalation, slot) {
                self.timers.push(next);
            }
            self.prune();
        }
        outcome
    }

    /// Takes an escalation off the board without resolving it (e.g. the patient was
    /// discharged and the server closes it by other means).
    pub fn remove(&mut self, id: EscalationId) -> Option<Escalation> {
        let slot = self.by_id.remove(&id)?;
        let escalation = self.slots.get_mut(slot as usize)?.take()?;
        self.by_patient.remove(&escalation.patient());
        self.free.push(slot);
        self.prune();
        Some(escalation)
    }

    fn at(&self, slot: u32) -> Option<&Escalation> {
        self.slots.get(slot as usize)?.as_ref()
    }

    fn place(&mut self, escalation: Escalation) {
        let (id, patient) = (escalation.id(), escalation.patient());
        // Slots are u32: four billion open escalations is far past any hospital.
        let slot = self.free.pop().unwrap_or(self.slots.len() as u32);
        if let Some(entry) = entry_for(&escalation, slot) {
            self.timers.push(entry);
        }
        match self.slots.get_mut(slot as usize) {
            Some(free) => *free = Some(escalation),
            None => self.slots.push(Some(escalation)),
        }
        self.by_id.insert(id, slot);
        self.by_patient.insert(patient, slot);
    }

    /// Drops stale entries from the top of the queue (so `next_deadline` can read it) and,
    /// when they pile up, from the whole queue.
    fn prune(&mut self) {
        while let Some(entry) = self.timers.peek() {
            if live(&mut self.slots, &entry).is_some() {
                break;
            }
            self.timers.pop();
        }
        let slots = &mut self.slots;
        self.timers
            .compact(self.by_id.len(), |entry| live(slots, entry).is_some());
    }
}

/// The escalation an entry names, if the entry is still its current deadline.
fn live<'a>(slots: &'a mut [Option<Escalation>], entry: &Entry) -> Option<&'a mut Escalation> {
    let escalation = slots.get_mut(entry.slot as usize)?.as_mut()?;
    let current = escalation.generation() == entry.generation
        && escalation.deadline_ms() == Some(entry.at_ms);
    current.then_some(escalation)
}

fn entry_for(escalation: &Escalation, slot: u32) -> Option<Entry> {
    Some(Entry {
        at_ms: escalation.deadline_ms()?,
        slot,
        generation: escalation.generation(),
    })
}
