//! Escalation simulation on escalation-core: policy sets, a board driven by explicit
//! timestamps, and the replay of a historical alert stream against a candidate policy.
//!
//! The core decides everything (who is paged when, what a command may do); this module
//! converts Python values into the core's commands and the core's events into dicts.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use escalation_core::{
    Board, BoardError, Command, EscalationId, Event, EventKind, PatientId, PolicySet, Responder,
    Role, StaffId,
};
use news2_core::ClinicalRisk;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyMapping, PyString};

use crate::instant::instant;

pyo3::create_exception!(
    news2,
    EscalationError,
    PyValueError,
    "A policy set or an escalation command that escalation-core refuses; the message is the\n\
     core's (which step, which role, which state)."
);

/// The event fields that hold times: given to Python as timezone-aware datetimes.
const TIME_FIELDS: [&str; 5] = ["at", "due_at", "deadline", "until", "retrigger_at"];

/// A JSON value from the core's serialisation as a Python object (times as datetimes).
fn to_python<'py>(
    py: Python<'py>,
    key: Option<&str>,
    value: &serde_json::Value,
) -> PyResult<Bound<'py, PyAny>> {
    use pyo3::IntoPyObjectExt;
    use serde_json::Value;
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_bound_py_any(py)?,
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => u.into_bound_py_any(py)?,
            (None, Some(i)) => i.into_bound_py_any(py)?,
            _ => n.as_f64().unwrap_or(f64::NAN).into_bound_py_any(py)?,
        },
        Value::String(s) if key.is_some_and(|k| TIME_FIELDS.contains(&k)) => {
            let t = DateTime::parse_from_rfc3339(s).map_err(|e| {
                PyValueError::new_err(format!("escalation-core wrote time {s:?}: {e}"))
            })?;
            t.with_timezone(&Utc).into_bound_py_any(py)?
        }
        Value::String(s) => s.into_bound_py_any(py)?,
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_python(py, None, item)?)?;
            }
            list.into_any()
        }
        Value::Object(fields) => {
            let dict = PyDict::new(py);
            for (k, v) in fields {
                dict.set_item(k, to_python(py, Some(k), v)?)?;
            }
            dict.into_any()
        }
    })
}

fn json_error(e: serde_json::Error) -> PyErr {
    EscalationError::new_err(e.to_string())
}

/// An event as the dict of its JSON shape (`escalation_id`, `sequence`, `at`, `type`, …).
fn event_dict<'py>(py: Python<'py>, event: &Event) -> PyResult<Bound<'py, PyAny>> {
    to_python(py, None, &serde_json::to_value(event).map_err(json_error)?)
}

fn events_list<'py>(py: Python<'py>, events: &[Event]) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for e in events {
        list.append(event_dict(py, e)?)?;
    }
    Ok(list)
}

fn board_error(e: BoardError) -> PyErr {
    EscalationError::new_err(e.to_string())
}

fn risk(text: &str) -> PyResult<ClinicalRisk> {
    text.parse()
        .map_err(|e| PyValueError::new_err(format!("risk {text:?}: {e}")))
}

fn responder(staff_id: &str, role: &str) -> PyResult<Responder> {
    let staff = StaffId::new(staff_id)
        .map_err(|e| PyValueError::new_err(format!("staff_id {staff_id:?}: {e}")))?;
    let role: Role = role
        .parse()
        .map_err(|e| PyValueError::new_err(format!("role {role:?}: {e}")))?;
    Ok(Responder::new(staff, role))
}

/// Whole seconds of a snooze; a fraction of a second is refused, never truncated.
fn whole_seconds(duration: TimeDelta) -> PyResult<u32> {
    let seconds = duration.num_seconds();
    if duration.subsec_nanos() != 0 || seconds < 0 || seconds > i64::from(u32::MAX) {
        return Err(PyValueError::new_err(format!(
            "snooze duration {}s: expected a whole, non-negative number of seconds",
            duration.as_seconds_f64()
        )));
    }
    Ok(seconds as u32)
}

/// Escalation chains per NEWS2 risk band (escalation-core's ``PolicySet``).
///
/// ``PolicySet(spec)`` takes a dict or JSON text of the core's shape: one key per risk label
/// (``low``, ``low-medium``, ``medium``, ``high``), each a chain ``{"steps": [{"target":
/// {"role": "nurse", "recipients": []}, "timeout_seconds": 900, "ack_roles": [...]}],
/// "repeats": 1, "ack_timeout_seconds": null, "exhausted_notify": null}`` or ``null`` (use
/// the nearest lower band's chain). It is validated exactly as the core validates it;
/// ``EscalationError`` says what is wrong. ``PolicySet.demo()`` and
/// ``PolicySet.production()`` are the core's ready-made sets.
#[pyclass(module = "news2", name = "PolicySet", frozen, eq)]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PyPolicySet(PolicySet);

#[pymethods]
impl PyPolicySet {
    #[new]
    fn new(py: Python<'_>, spec: &Bound<'_, PyAny>) -> PyResult<Self> {
        let text = if let Ok(s) = spec.cast::<PyString>() {
            s.to_str()?.to_owned()
        } else if spec.cast::<PyMapping>().is_ok() {
            py.import("json")?
                .call_method1("dumps", (spec,))?
                .extract::<String>()?
        } else {
            return Err(PyTypeError::new_err("a policy set is a dict or JSON text"));
        };
        serde_json::from_str(&text).map(Self).map_err(json_error)
    }

    /// A policy set from a dict (the same as ``PolicySet(spec)``).
    #[staticmethod]
    fn from_dict(py: Python<'_>, spec: &Bound<'_, PyAny>) -> PyResult<Self> {
        Self::new(py, spec)
    }

    /// A policy set from JSON text.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        serde_json::from_str(text).map(Self).map_err(json_error)
    }

    /// The core's demo set: seconds-long steps, for trying the system by hand.
    #[staticmethod]
    fn demo() -> Self {
        Self(PolicySet::demo())
    }

    /// The core's production-like set: 5 to 15 minutes a step, role-restricted
    /// acknowledgement, acknowledgement timeouts, outreach paged when a chain is exhausted.
    #[staticmethod]
    fn production() -> Self {
        Self(PolicySet::production())
    }

    /// The set as a dict of the JSON shape ``PolicySet`` takes.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(
            py,
            None,
            &serde_json::to_value(&self.0).map_err(json_error)?,
        )
    }

    /// The set as JSON text.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.0).map_err(json_error)
    }

    fn __repr__(&self) -> PyResult<String> {
        Ok(format!("PolicySet({})", self.to_json()?))
    }
}

/// Open escalations, at most one per patient, driven by explicit timestamps
/// (escalation-core's ``Board``). Nothing happens between calls: call ``advance_to(t)``
/// to fire every step deadline due by ``t`` (``next_deadline()`` says when one falls due),
/// so a replay runs as fast as the data. Every method takes ``at``, a timezone-aware
/// datetime, and returns the core's events as dicts of its JSON shape (``escalation_id``,
/// ``sequence``, ``at``, ``type`` and the type's fields; times as datetimes). A command the
/// escalation refuses raises ``EscalationError`` and changes nothing.
#[pyclass(module = "news2", name = "EscalationBoard")]
pub(crate) struct PyEscalationBoard {
    board: Board,
}

impl PyEscalationBoard {
    fn run<'py>(
        &mut self,
        py: Python<'py>,
        id: u64,
        command: Command,
        at: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let at = instant("at", at)?;
        let events = self
            .board
            .execute(EscalationId::new(id), &command, at)
            .map_err(board_error)?;
        events_list(py, &events)
    }

    /// A response by ``staff_id`` in ``role``: the responder is checked before anything
    /// `command` reads, then the time.
    #[allow(clippy::too_many_arguments)]
    fn respond<'py>(
        &mut self,
        py: Python<'py>,
        id: u64,
        staff_id: &str,
        role: &str,
        at: &Bound<'py, PyAny>,
        command: impl FnOnce(Responder) -> PyResult<Command>,
    ) -> PyResult<Bound<'py, PyList>> {
        let command = command(responder(staff_id, role)?)?;
        self.run(py, id, command, at)
    }
}

#[pymethods]
impl PyEscalationBoard {
    #[new]
    fn new(policies: &PyPolicySet) -> Self {
        Self {
            board: Board::new(policies.0.clone()),
        }
    }

    /// A NEWS2 alert for ``patient`` (an int) with ``risk`` (``"low"``, ``"low-medium"``,
    /// ``"medium"`` or ``"high"``): joins the patient's open escalation or opens one.
    /// Returns ``(escalation_id, events)``.
    fn alert<'py>(
        &mut self,
        py: Python<'py>,
        patient: u64,
        risk: &str,
        at: &Bound<'py, PyAny>,
    ) -> PyResult<(u64, Bound<'py, PyList>)> {
        let risk = self::risk(risk)?;
        let at = instant("at", at)?;
        let (id, events) = self
            .board
            .alert(PatientId::new(patient), risk, at)
            .map_err(board_error)?;
        Ok((id.get(), events_list(py, &events)?))
    }

    /// A new risk for an open escalation without a new alert.
    #[pyo3(signature = (escalation_id, *, risk, at))]
    fn update_risk<'py>(
        &mut self,
        py: Python<'py>,
        escalation_id: u64,
        risk: &str,
        at: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let risk = self::risk(risk)?;
        self.run(py, escalation_id, Command::UpdateRisk { risk }, at)
    }

    /// ``staff_id`` in ``role`` (``nurse``, ``senior_clinician``, ``on_call_doctor``,
    /// ``critical_care_outreach`` or a custom label) takes the alert.
    #[pyo3(signature = (escalation_id, *, staff_id, role, at))]
    fn acknowledge<'py>(
        &mut self,
        py: Python<'py>,
        escalation_id: u64,
        staff_id: &str,
        role: &str,
        at: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        self.respond(py, escalation_id, staff_id, role, at, |by| {
            Ok(Command::Acknowledge { by })
        })
    }

    /// A recipient of the current step cannot respond.
    #[pyo3(signature = (escalation_id, *, staff_id, role, at))]
    fn decline<'py>(
        &mut self,
        py: Python<'py>,
        escalation_id: u64,
        staff_id: &str,
        role: &str,
        at: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        self.respond(py, escalation_id, staff_id, role, at, |by| {
            Ok(Command::Decline { by })
        })
    }

    /// Postpones the re-trigger of an acknowledged escalation by ``duration`` (a
    /// ``timedelta`` of whole seconds).
    #[pyo3(signature = (escalation_id, *, staff_id, role, duration, at))]
    #[allow(clippy::too_many_arguments)]
    fn snooze<'py>(
        &mut self,
        py: Python<'py>,
        escalation_id: u64,
        staff_id: &str,
        role: &str,
        duration: TimeDelta,
        at: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        self.respond(py, escalation_id, staff_id, role, at, |by| {
            let duration_seconds = whole_seconds(duration)?;
            Ok(Command::Snooze {
                by,
                duration_seconds,
            })
        })
    }

    /// Closes the escalation; it leaves the board.
    #[pyo3(signature = (escalation_id, *, staff_id, role, at))]
    fn resolve<'py>(
        &mut self,
        py: Python<'py>,
        escalation_id: u64,
        staff_id: &str,
        role: &str,
        at: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        self.respond(py, escalation_id, staff_id, role, at, |by| {
            Ok(Command::Resolve { by })
        })
    }

    /// Fires every step deadline due by ``at``, across all escalations, in deadline order.
    fn advance_to<'py>(
        &mut self,
        py: Python<'py>,
        at: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let at = instant("at", at)?;
        let events = self.board.advance_to(at);
        events_list(py, &events)
    }

    /// When the earliest deadline falls due, or ``None`` when nothing is scheduled.
    fn next_deadline(&self) -> Option<DateTime<Utc>> {
        self.board.next_deadline().map(|d| d.at)
    }

    /// The id of the patient's open escalation, or ``None``.
    fn open_for(&self, patient: u64) -> Option<u64> {
        self.board
            .open_for(PatientId::new(patient))
            .map(|e| e.id().get())
    }

    /// The state of an open escalation (``notifying``, ``acknowledged`` or ``unanswered``),
    /// or ``None`` when it is not on the board (never opened, or resolved).
    fn state(&self, escalation_id: u64) -> Option<&'static str> {
        self.board
            .get(EscalationId::new(escalation_id))
            .map(|e| e.state().as_str())
    }

    fn __len__(&self) -> usize {
        self.board.len()
    }

    fn __repr__(&self) -> String {
        format!("EscalationBoard(open={})", self.board.len())
    }
}

/// One input of a replay, in time order.
enum Input {
    Alert {
        patient: PatientId,
        risk: ClinicalRisk,
    },
    Response {
        patient: PatientId,
        action: String,
        command: Command,
    },
}

/// One record of a replay's input, with its kind and position for error messages.
struct InputRecord<'py> {
    fields: Bound<'py, PyMapping>,
    what: &'static str,
    index: usize,
}

impl<'py> InputRecord<'py> {
    fn new(what: &'static str, index: usize, record: &Bound<'py, PyAny>) -> PyResult<Self> {
        let fields = record
            .cast::<PyMapping>()
            .map_err(|_| PyTypeError::new_err(format!("{what} {index} must be a mapping")))?
            .clone();
        Ok(Self {
            fields,
            what,
            index,
        })
    }

    fn get(&self, key: &str) -> PyResult<Bound<'py, PyAny>> {
        self.fields.get_item(key).map_err(|_| {
            PyValueError::new_err(format!("{} {} has no {key:?}", self.what, self.index))
        })
    }

    fn text(&self, key: &str) -> PyResult<String> {
        self.get(key)?
            .extract::<String>()
            .map_err(|_| PyTypeError::new_err(format!("{key} must be text")))
    }

    /// The patient and the time that every record carries, read in that order.
    fn patient_and_time(&self) -> PyResult<(PatientId, DateTime<Utc>)> {
        let patient = self.get("patient")?.extract::<u64>()?;
        let at = instant(
            &format!("{} {}: time", self.what, self.index),
            &self.get("time")?,
        )?;
        Ok((PatientId::new(patient), at))
    }
}

fn read_alert(index: usize, record: &Bound<'_, PyAny>) -> PyResult<(DateTime<Utc>, Input)> {
    let record = InputRecord::new("alert", index, record)?;
    let (patient, at) = record.patient_and_time()?;
    let risk = risk(&record.text("risk")?)?;
    Ok((at, Input::Alert { patient, risk }))
}

fn read_response(index: usize, record: &Bound<'_, PyAny>) -> PyResult<(DateTime<Utc>, Input)> {
    let record = InputRecord::new("response", index, record)?;
    let (patient, at) = record.patient_and_time()?;
    let action = record.text("action")?;
    let by = responder(&record.text("staff_id")?, &record.text("role")?)?;
    let command = match action.as_str() {
        "acknowledge" => Command::Acknowledge { by },
        "decline" => Command::Decline { by },
        "resolve" => Command::Resolve { by },
        "snooze" => {
            let duration_seconds = whole_seconds(record.get("duration")?.extract::<TimeDelta>()?)?;
            Command::Snooze {
                by,
                duration_seconds,
            }
        }
        other => {
            return Err(PyValueError::new_err(format!(
                "response {index}: action {other:?}: expected acknowledge, decline, snooze or resolve"
            )));
        }
    };
    Ok((
        at,
        Input::Response {
            patient,
            action,
            command,
        },
    ))
}

/// The events of a replay, each with the escalation's `patient_id`.
struct Log<'py> {
    py: Python<'py>,
    out: Bound<'py, PyList>,
    patients: HashMap<EscalationId, PatientId>,
    include_policies: bool,
}

impl<'py> Log<'py> {
    fn push(&mut self, events: &[Event]) -> PyResult<()> {
        for event in events {
            if let EventKind::Triggered { patient_id, .. } = &event.kind {
                self.patients.insert(event.escalation_id, *patient_id);
            }
            let dict = event_dict(self.py, event)?.cast_into::<PyDict>()?;
            if let Some(patient) = self.patients.get(&event.escalation_id) {
                dict.set_item("patient_id", patient.get())?;
            }
            if !self.include_policies && dict.contains("policies")? {
                dict.del_item("policies")?;
            }
            self.out.append(dict)?;
        }
        Ok(())
    }

    fn rejected(
        &mut self,
        at: DateTime<Utc>,
        patient: PatientId,
        action: &str,
        error: String,
    ) -> PyResult<()> {
        let dict = PyDict::new(self.py);
        dict.set_item("type", "rejected")?;
        dict.set_item("at", at)?;
        dict.set_item("patient_id", patient.get())?;
        dict.set_item("action", action)?;
        dict.set_item("error", error)?;
        self.out.append(dict)
    }
}

/// Replays alert and response records on a fresh board (the package's ``replay`` turns
/// data frames into these records).
#[pyfunction]
#[pyo3(signature = (alerts, policies, *, responses=None, until=None, include_policies=false))]
pub(crate) fn _replay<'py>(
    py: Python<'py>,
    alerts: &Bound<'py, PyAny>,
    policies: &PyPolicySet,
    responses: Option<&Bound<'py, PyAny>>,
    until: Option<&Bound<'py, PyAny>>,
    include_policies: bool,
) -> PyResult<Bound<'py, PyList>> {
    let mut inputs: Vec<(DateTime<Utc>, Input)> = Vec::new();
    for (i, record) in alerts.try_iter()?.enumerate() {
        inputs.push(read_alert(i, &record?)?);
    }
    if let Some(responses) = responses.filter(|r| !r.is_none()) {
        for (i, record) in responses.try_iter()?.enumerate() {
            inputs.push(read_response(i, &record?)?);
        }
    }
    // In time order; at one instant, alerts (listed first) before responses, each in input order.
    inputs.sort_by_key(|(at, _)| *at);
    let until = match until.filter(|u| !u.is_none()) {
        Some(u) => Some(instant("until", u)?),
        None => inputs.last().map(|(at, _)| *at),
    };
    let mut board = Board::new(policies.0.clone());
    let mut log = Log {
        py,
        out: PyList::empty(py),
        patients: HashMap::new(),
        include_policies,
    };
    for (at, input) in inputs {
        log.push(&board.advance_to(at))?;
        match input {
            Input::Alert { patient, risk } => match board.alert(patient, risk, at) {
                Ok((_, events)) => log.push(&events)?,
                Err(e) => log.rejected(at, patient, "alert", e.to_string())?,
            },
            Input::Response {
                patient,
                action,
                command,
            } => match board.open_for(patient).map(|e| e.id()) {
                None => log.rejected(
                    at,
                    patient,
                    &action,
                    format!("patient {patient} has no open escalation"),
                )?,
                Some(id) => match board.execute(id, &command, at) {
                    Ok(events) => log.push(&events)?,
                    Err(e) => log.rejected(at, patient, &action, e.to_string())?,
                },
            },
        }
    }
    if let Some(until) = until {
        log.push(&board.advance_to(until))?;
    }
    Ok(log.out)
}
