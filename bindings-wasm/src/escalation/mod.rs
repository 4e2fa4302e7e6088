//! Escalation (feature `escalation`): escalation-core's policy set, board (the scheduler) and
//! a single escalation rebuilt from its events, driven with explicit times.
//!
//! Policy sets and events cross as JavaScript objects in escalation-core's own JSON shapes
//! (snake_case keys, which the wrapper converts to and from camelCase), so a server's events
//! replay as they are. Going out, values are written by the core's `Serialize` derives as
//! JSON text and parsed by the engine's `JSON.parse`; coming in, the `read` module walks the
//! objects and builds the values with the core's constructors, so every check is the core's.
//! Commands and timer tokens are small: they are built from positional arguments with the
//! core's constructors (`StaffId::new`, `Role::new`, `Responder::new`, the `Command`
//! variants). Times go in as milliseconds since 1970 (the wrapper turns a `Date` into them)
//! and come out as the core's RFC 3339 text, plus `*_ms` numbers where a screen counts down.

mod read;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use escalation_core::{
    Acknowledgement, ApplyError, Board, BoardError, Command, CommandError, CurrentStep, Deadline,
    Escalation, EscalationId, EscalationPolicy, EscalationState, Event, PatientId, PolicySet,
    Resolution, Responder, Role, StaffId, TimerOutcome, TimerToken,
};
use news2_core::ClinicalRisk;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = JSON, js_name = parse)]
    fn parse_json(text: &str) -> JsValue;
}

/// Why an escalation call failed. `source` is `policy`, `command`, `board`, `apply` or
/// `input`; `kind` a stable snake_case name of the core error's variant (escalation-core
/// has no `kind()` of its own yet, so the binding names them), or for `policy` and `input`
/// failures (shapes the core's deserialisation refused) `invalid_policy`, `invalid_command`,
/// `invalid_event`, `invalid_token`, `invalid_id` or `invalid_time`. `message` is the
/// core's.
#[wasm_bindgen(getter_with_clone)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationFailure {
    /// What failed.
    pub source: String,
    /// Stable snake_case kind.
    pub kind: String,
    /// The core's message.
    pub message: String,
}

type Outcome<T> = Result<T, EscalationFailure>;

fn failure(source: &str, kind: &str, message: impl ToString) -> EscalationFailure {
    EscalationFailure {
        source: source.into(),
        kind: kind.into(),
        message: message.to_string(),
    }
}

fn command_kind(e: &CommandError) -> &'static str {
    match e {
        CommandError::Resolved { .. } => "resolved",
        CommandError::AlreadyAcknowledged { .. } => "already_acknowledged",
        CommandError::NotAcknowledged { .. } => "not_acknowledged",
        CommandError::NotNotifying { .. } => "not_notifying",
        CommandError::RoleNotAllowed { .. } => "role_not_allowed",
        CommandError::NotARecipient { .. } => "not_a_recipient",
        CommandError::AlreadyDeclined { .. } => "already_declined",
        CommandError::NoPolicy { .. } => "no_policy",
        CommandError::Snooze(_) => "invalid_snooze",
        CommandError::TimeOutOfRange { .. } => "time_out_of_range",
        CommandError::WrongEscalation { .. } => "wrong_escalation",
        _ => "command",
    }
}

impl From<CommandError> for EscalationFailure {
    fn from(e: CommandError) -> Self {
        failure("command", command_kind(&e), e)
    }
}

impl From<BoardError> for EscalationFailure {
    fn from(e: BoardError) -> Self {
        let kind = match &e {
            BoardError::Command(c) => return c.clone().into(),
            BoardError::UnknownEscalation { .. } => "unknown_escalation",
            BoardError::DuplicateEscalation { .. } => "duplicate_escalation",
            BoardError::PatientAlreadyOpen { .. } => "patient_already_open",
            BoardError::NotOpen { .. } => "not_open",
            BoardError::IdNotIssued { .. } => "id_not_issued",
            _ => "board",
        };
        failure("board", kind, e)
    }
}

impl From<ApplyError> for EscalationFailure {
    fn from(e: ApplyError) -> Self {
        let kind = match &e {
            ApplyError::NotTriggered { .. } => "not_triggered",
            ApplyError::WrongEscalation { .. } => "wrong_escalation",
            ApplyError::OutOfSequence { .. } => "out_of_sequence",
            ApplyError::TimeWentBackwards { .. } => "time_went_backwards",
            ApplyError::NotApplicable { .. } => "not_applicable",
            ApplyError::Inconsistent { .. } => "inconsistent",
            _ => "apply",
        };
        failure("apply", kind, e)
    }
}

/// A value read by `reader`; a refusal (including every validation the core runs while
/// building it) is a failure of `source` and `kind`.
fn read<T>(
    value: &JsValue,
    reader: fn(&JsValue) -> Result<T, read::Refusal>,
    source: &str,
    kind: &str,
) -> Outcome<T> {
    reader(value).map_err(|e| failure(source, kind, e))
}

/// Writes a value as a plain JavaScript object in the core's JSON shape (maps as objects,
/// `None` as `null`): the core's derives write JSON text, the engine parses it.
fn write<T: Serialize + ?Sized>(value: &T) -> Outcome<JsValue> {
    serde_json::to_string(value)
        .map(|text| parse_json(&text))
        .map_err(|e| failure("input", "unrepresentable", e))
}

/// The name the core's serde derive gives a unit variant (e.g. `ack_timeout`).
pub(crate) fn label<T: Serialize>(value: &T) -> Option<String> {
    let text = serde_json::to_string(value).ok()?;
    Some(text.trim_matches('"').to_owned())
}

/// A JavaScript number for a message: whole numbers exactly, others to six decimals. Written
/// here rather than with `f64`'s `Display`, whose float formatting would be the largest code
/// in the module for the sake of messages about rejected arguments.
fn number(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if v.fract() == 0.0 && v.abs() < 9.2e18 {
        return (v as i64).to_string();
    }
    if v.abs() >= 9.2e12 {
        return "a number too large to print".into();
    }
    let micros = (v.abs() * 1e6).round() as i64;
    let sign = if v < 0.0 { "-" } else { "" };
    let fraction = format!("{:06}", micros % 1_000_000);
    format!(
        "{sign}{}.{}",
        micros / 1_000_000,
        fraction.trim_end_matches('0')
    )
}

/// A time in milliseconds since 1970 (a whole number; the core truncates finer times itself).
fn time(ms: f64) -> Outcome<DateTime<Utc>> {
    let whole = ms.is_finite() && ms.fract() == 0.0 && ms.abs() <= 9_007_199_254_740_991.0;
    whole
        .then(|| DateTime::from_timestamp_millis(ms as i64))
        .flatten()
        .ok_or_else(|| {
            failure(
                "input",
                "invalid_time",
                format!(
                    "time {} is not a whole number of milliseconds since 1970 that a date can hold",
                    number(ms)
                ),
            )
        })
}

/// An id (escalation or patient) given as a JavaScript number: a whole number 0 to 2⁵³ − 1.
fn id(value: f64, what: &str) -> Outcome<u64> {
    let whole = value.is_finite()
        && value.fract() == 0.0
        && (0.0..=9_007_199_254_740_991.0).contains(&value);
    whole.then_some(value as u64).ok_or_else(|| {
        failure(
            "input",
            "invalid_id",
            format!(
                "{what} {} is not a whole number from 0 to 2^53 - 1",
                number(value)
            ),
        )
    })
}

fn risk(text: &str) -> Outcome<ClinicalRisk> {
    text.parse()
        .map_err(|e| failure("input", "invalid_risk", e))
}

fn responder(staff_id: &str, role: &str) -> Outcome<Responder> {
    let staff_id = StaffId::new(staff_id).map_err(|e| failure("input", "invalid_staff_id", e))?;
    let role = Role::new(role).map_err(|e| failure("input", "invalid_role", e))?;
    Ok(Responder::new(staff_id, role))
}

/// A `Command` from its `type` (the core's snake_case tag) and the fields that type uses:
/// `risk` for `alert` and `update_risk`; `staff_id` and `role` for `acknowledge`,
/// `decline`, `snooze` and `resolve`; `duration_seconds` for `snooze` (the core checks its
/// range when it runs the command).
fn command(
    kind: &str,
    risk_label: &str,
    staff_id: &str,
    role: &str,
    duration_seconds: f64,
) -> Outcome<Command> {
    Ok(match kind {
        "alert" => Command::Alert {
            risk: risk(risk_label)?,
        },
        "update_risk" => Command::UpdateRisk {
            risk: risk(risk_label)?,
        },
        "acknowledge" => Command::Acknowledge {
            by: responder(staff_id, role)?,
        },
        "decline" => Command::Decline {
            by: responder(staff_id, role)?,
        },
        "resolve" => Command::Resolve {
            by: responder(staff_id, role)?,
        },
        "snooze" => {
            let whole = duration_seconds.fract() == 0.0
                && (0.0..=f64::from(u32::MAX)).contains(&duration_seconds);
            if !whole {
                let message = format!(
                    "snooze durationSeconds {} is not a whole number of seconds",
                    number(duration_seconds)
                );
                return Err(failure("input", "invalid_command", message));
            }
            Command::Snooze {
                by: responder(staff_id, role)?,
                duration_seconds: duration_seconds as u32,
            }
        }
        other => {
            let message = format!(
                "command type {other:?} is not one of alert, update_risk, acknowledge, decline, snooze, resolve"
            );
            return Err(failure("input", "invalid_command", message));
        }
    })
}

/// A `TimerToken` from its three numbers.
fn token(escalation: f64, step: f64, generation: f64) -> Outcome<TimerToken> {
    let small = |v: f64, what: &str| {
        let whole = v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&v);
        whole.then_some(v as u32).ok_or_else(|| {
            failure(
                "input",
                "invalid_token",
                format!(
                    "timer token {what} {} is not a whole number from 0 to 2^32 - 1",
                    number(v)
                ),
            )
        })
    };
    Ok(TimerToken {
        escalation_id: EscalationId::new(id(escalation, "escalation id")?),
        step: small(step, "step")?,
        generation: small(generation, "generation")?,
    })
}

/// A deadline as the core gives it, with its time also in milliseconds.
#[derive(Serialize)]
struct DeadlineOut {
    at: DateTime<Utc>,
    at_ms: i64,
    token: TimerToken,
}

impl From<Deadline> for DeadlineOut {
    fn from(d: Deadline) -> Self {
        Self {
            at: d.at,
            at_ms: d.at.timestamp_millis(),
            token: d.token,
        }
    }
}

/// `Escalation::current_step`, with the deadline also in milliseconds.
#[derive(Serialize)]
struct CurrentStepOut {
    #[serde(flatten)]
    step: CurrentStep,
    deadline_ms: Option<i64>,
}

fn current_step(escalation: &Escalation, now_ms: f64) -> Outcome<JsValue> {
    let step = escalation.current_step(time(now_ms)?);
    write(&step.map(|step| CurrentStepOut {
        deadline_ms: step.deadline.map(|d| d.timestamp_millis()),
        step,
    }))
}

/// What a screen shows about one escalation, from its accessors.
#[derive(Serialize)]
struct Snapshot<'a> {
    id: EscalationId,
    patient_id: PatientId,
    state: EscalationState,
    risk: ClinicalRisk,
    band: ClinicalRisk,
    opened_at: DateTime<Utc>,
    opened_at_ms: i64,
    updated_at: DateTime<Utc>,
    updated_at_ms: i64,
    version: u64,
    alert_count: u32,
    generation: u32,
    step: u32,
    pass: u32,
    declined_count: u32,
    acknowledgement: Option<&'a Acknowledgement>,
    resolution: Option<&'a Resolution>,
    next_deadline: Option<DeadlineOut>,
}

fn snapshot(e: &Escalation) -> Outcome<JsValue> {
    write(&Snapshot {
        id: e.id(),
        patient_id: e.patient(),
        state: e.state(),
        risk: e.risk(),
        band: e.band(),
        opened_at: e.opened_at(),
        opened_at_ms: e.opened_at().timestamp_millis(),
        updated_at: e.updated_at(),
        updated_at_ms: e.updated_at().timestamp_millis(),
        version: e.version(),
        alert_count: e.alert_count(),
        generation: e.generation(),
        step: e.step_index(),
        pass: e.pass(),
        declined_count: e.declined_count(),
        acknowledgement: e.acknowledgement(),
        resolution: e.resolution(),
        next_deadline: e.next_deadline().map(DeadlineOut::from),
    })
}

/// `TimerOutcome`, tagged by `outcome`.
#[derive(Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
enum TimerOut {
    Fired { events: Vec<Event> },
    Stale { current: Option<DeadlineOut> },
    NotDue { deadline: DeadlineOut },
}

fn timer_outcome(outcome: TimerOutcome) -> Outcome<JsValue> {
    write(&match outcome {
        TimerOutcome::Fired(events) => TimerOut::Fired { events },
        TimerOutcome::Stale { current } => TimerOut::Stale {
            current: current.map(DeadlineOut::from),
        },
        TimerOutcome::NotDue { deadline } => TimerOut::NotDue {
            deadline: deadline.into(),
        },
    })
}

/// A validated policy set (`escalation_core::PolicySet`): for each risk band a chain of steps.
#[wasm_bindgen]
#[derive(Debug, Clone)]
pub struct RawPolicySet(Arc<PolicySet>);

#[wasm_bindgen]
impl RawPolicySet {
    /// Reads a policy set in the core's JSON shape; the core validates it while reading.
    #[wasm_bindgen(constructor)]
    pub fn new(spec: JsValue) -> Result<RawPolicySet, EscalationFailure> {
        Ok(Self(Arc::new(read(
            &spec,
            read::policy_set,
            "policy",
            "invalid_policy",
        )?)))
    }

    /// `PolicySet::demo()`: short timeouts for demonstrations and tests.
    pub fn demo() -> RawPolicySet {
        Self(Arc::new(PolicySet::demo()))
    }

    /// `PolicySet::production()`.
    pub fn production() -> RawPolicySet {
        Self(Arc::new(PolicySet::production()))
    }

    /// The set in the core's JSON shape.
    pub fn spec(&self) -> Result<JsValue, EscalationFailure> {
        write(&*self.0)
    }

    /// The chain that runs for `risk` (`PolicySet::for_risk`: its own or the nearest lower
    /// band's), in the core's shape, or `null`.
    #[wasm_bindgen(js_name = forRisk)]
    pub fn for_risk(&self, risk_label: &str) -> Result<JsValue, EscalationFailure> {
        write(&self.0.for_risk(risk(risk_label)?))
    }

    /// `EscalationPolicy::time_to_exhaustion` of the chain for `risk`, in milliseconds, or
    /// `undefined` when no chain covers it.
    #[wasm_bindgen(js_name = timeToExhaustionMs)]
    pub fn time_to_exhaustion_ms(
        &self,
        risk_label: &str,
    ) -> Result<Option<f64>, EscalationFailure> {
        Ok(self
            .0
            .for_risk(risk(risk_label)?)
            .map(|p: &EscalationPolicy| p.time_to_exhaustion().as_millis() as f64))
    }
}

/// The board (`escalation_core::Board`): every open escalation, one per patient, and their
/// deadlines.
#[wasm_bindgen]
#[derive(Debug)]
pub struct RawBoard(Board);

#[wasm_bindgen]
impl RawBoard {
    /// An empty board on a policy set.
    #[wasm_bindgen(constructor)]
    pub fn new(policies: &RawPolicySet) -> RawBoard {
        Self(Board::new((*policies.0).clone()))
    }

    /// `Board::alert`: `{id, events}`.
    pub fn alert(
        &mut self,
        patient: f64,
        risk_label: &str,
        now_ms: f64,
    ) -> Result<JsValue, EscalationFailure> {
        #[derive(Serialize)]
        struct Alerted {
            id: EscalationId,
            events: Vec<Event>,
        }
        let patient = PatientId::new(id(patient, "patient id")?);
        let (id, events) = self.0.alert(patient, risk(risk_label)?, time(now_ms)?)?;
        write(&Alerted { id, events })
    }

    /// `Board::execute` of a command (`kind` is the command's `type`; the other arguments as for the module's `command` function: `risk_label` for `alert` and `update_risk`, `staff_id` and `role` for the others, `duration_seconds` for `snooze`); the events.
    #[allow(clippy::too_many_arguments)] // the command's fields, positionally
    pub fn execute(
        &mut self,
        escalation: f64,
        kind: &str,
        risk_label: &str,
        staff_id: &str,
        role: &str,
        duration_seconds: f64,
        now_ms: f64,
    ) -> Result<JsValue, EscalationFailure> {
        let escalation = EscalationId::new(id(escalation, "escalation id")?);
        let command = command(kind, risk_label, staff_id, role, duration_seconds)?;
        write(&self.0.execute(escalation, &command, time(now_ms)?)?)
    }

    /// `Board::advance_to`: fires every deadline due by `now`; the events.
    #[wasm_bindgen(js_name = advanceTo)]
    pub fn advance_to(&mut self, now_ms: f64) -> Result<JsValue, EscalationFailure> {
        write(&self.0.advance_to(time(now_ms)?))
    }

    /// `Board::next_deadline`, or `null`.
    #[wasm_bindgen(js_name = nextDeadline)]
    pub fn next_deadline(&self) -> Result<JsValue, EscalationFailure> {
        write(&self.0.next_deadline().map(DeadlineOut::from))
    }

    /// `Board::handle_timer` of the token `(escalation, step, generation)`.
    #[wasm_bindgen(js_name = handleTimer)]
    pub fn handle_timer(
        &mut self,
        escalation: f64,
        step: f64,
        generation: f64,
        now_ms: f64,
    ) -> Result<JsValue, EscalationFailure> {
        let token = token(escalation, step, generation)?;
        timer_outcome(self.0.handle_timer(token, time(now_ms)?))
    }

    /// `Escalation::current_step` of an open escalation at `now`, or `null` when the board has
    /// no open escalation with this id.
    #[wasm_bindgen(js_name = currentStep)]
    pub fn current_step(&self, escalation: f64, now_ms: f64) -> Result<JsValue, EscalationFailure> {
        match self
            .0
            .get(EscalationId::new(id(escalation, "escalation id")?))
        {
            Some(e) => current_step(e, now_ms),
            None => Ok(JsValue::NULL),
        }
    }

    /// A snapshot of an open escalation, or `null`.
    pub fn get(&self, escalation: f64) -> Result<JsValue, EscalationFailure> {
        match self
            .0
            .get(EscalationId::new(id(escalation, "escalation id")?))
        {
            Some(e) => snapshot(e),
            None => Ok(JsValue::NULL),
        }
    }

    /// The id of the patient's open escalation (`Board::open_for`).
    #[wasm_bindgen(js_name = openFor)]
    pub fn open_for(&self, patient: f64) -> Result<Option<f64>, EscalationFailure> {
        Ok(self
            .0
            .open_for(PatientId::new(id(patient, "patient id")?))
            .map(|e| e.id().get() as f64))
    }

    /// The ids of the open escalations.
    pub fn ids(&self) -> Vec<f64> {
        self.0.iter().map(|e| e.id().get() as f64).collect()
    }

    /// How many escalations are open.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> u32 {
        u32::try_from(self.0.len()).unwrap_or(u32::MAX)
    }

    /// `Board::remove`: whether an escalation left the board.
    pub fn remove(&mut self, escalation: f64) -> Result<bool, EscalationFailure> {
        Ok(self
            .0
            .remove(EscalationId::new(id(escalation, "escalation id")?))
            .is_some())
    }

    /// `Board::set_policies`: the set new escalations open on (open ones keep theirs).
    #[wasm_bindgen(js_name = setPolicies)]
    pub fn set_policies(&mut self, policies: &RawPolicySet) {
        self.0.set_policies((*policies.0).clone());
    }
}

/// One escalation rebuilt from its events (`Escalation::replay`), e.g. the events a server
/// sent, so a screen counts down exactly as the server does.
#[wasm_bindgen]
#[derive(Debug)]
pub struct RawEscalation(Escalation);

#[wasm_bindgen]
impl RawEscalation {
    /// `Escalation::replay` of events in the core's shape.
    pub fn replay(events: JsValue) -> Result<RawEscalation, EscalationFailure> {
        let events = read(&events, read::events, "input", "invalid_event")?;
        Ok(Self(Escalation::replay(&events)?))
    }

    /// `Escalation::apply` of one more event.
    pub fn apply(&mut self, event: JsValue) -> Result<(), EscalationFailure> {
        let event = read(&event, read::event, "input", "invalid_event")?;
        Ok(self.0.apply(&event)?)
    }

    /// `Escalation::execute` of a command (`kind` is the command's `type`; the other arguments as for the module's `command` function: `risk_label` for `alert` and `update_risk`, `staff_id` and `role` for the others, `duration_seconds` for `snooze`); the events.
    pub fn execute(
        &mut self,
        kind: &str,
        risk_label: &str,
        staff_id: &str,
        role: &str,
        duration_seconds: f64,
        now_ms: f64,
    ) -> Result<JsValue, EscalationFailure> {
        let command = command(kind, risk_label, staff_id, role, duration_seconds)?;
        write(&self.0.execute(&command, time(now_ms)?)?)
    }

    /// `Escalation::handle_timer` of the token `(escalation, step, generation)`.
    #[wasm_bindgen(js_name = handleTimer)]
    pub fn handle_timer(
        &mut self,
        escalation: f64,
        step: f64,
        generation: f64,
        now_ms: f64,
    ) -> Result<JsValue, EscalationFailure> {
        let token = token(escalation, step, generation)?;
        timer_outcome(self.0.handle_timer(token, time(now_ms)?)?)
    }

    /// `Escalation::handle_timeout`; the events.
    #[wasm_bindgen(js_name = handleTimeout)]
    pub fn handle_timeout(&mut self, now_ms: f64) -> Result<JsValue, EscalationFailure> {
        write(&self.0.handle_timeout(time(now_ms)?))
    }

    /// `Escalation::current_step` at `now`, or `null` once resolved.
    #[wasm_bindgen(js_name = currentStep)]
    pub fn current_step(&self, now_ms: f64) -> Result<JsValue, EscalationFailure> {
        current_step(&self.0, now_ms)
    }

    /// `Escalation::next_deadline`, or `null`.
    #[wasm_bindgen(js_name = nextDeadline)]
    pub fn next_deadline(&self) -> Result<JsValue, EscalationFailure> {
        write(&self.0.next_deadline().map(DeadlineOut::from))
    }

    /// A snapshot.
    pub fn snapshot(&self) -> Result<JsValue, EscalationFailure> {
        snapshot(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_javascript_for_whole_and_short_values() {
        assert_eq!(number(1_735_718_400_000.0), "1735718400000");
        assert_eq!(number(-3.0), "-3");
        assert_eq!(number(1.5), "1.5");
        assert_eq!(number(-0.25), "-0.25");
        assert_eq!(number(f64::NAN), "NaN");
        assert_eq!(number(f64::NEG_INFINITY), "-Infinity");
    }

    #[test]
    fn times_and_ids_must_be_whole() {
        assert!(time(1.5).is_err());
        assert_eq!(time(f64::NAN).unwrap_err().kind, "invalid_time");
        assert_eq!(time(0.0).map(|t| t.timestamp_millis()), Ok(0));
        assert_eq!(id(7.0, "patient id"), Ok(7));
        let e = id(-1.0, "patient id").unwrap_err();
        assert_eq!(
            (e.kind.as_str(), e.message.as_str()),
            (
                "invalid_id",
                "patient id -1 is not a whole number from 0 to 2^53 - 1"
            )
        );
    }
}
