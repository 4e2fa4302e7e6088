//! Observation sets assembled from timestamped single readings (monitor time series).

use chrono::{DateTime, TimeDelta, Utc};
use news2_core::{
    Acvpu, Measurement, ObservationSet, Parameter, ParameterStatus, Reading, Spo2Scale, VitalsError,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDateTime, PyDict, PyMapping, PyString};

use crate::errors::{incomplete_set_error, vitals_error_with};
use crate::instant::instant;
use crate::score::{PyNews2Score, PyPartialScore, snake_name};
use crate::vitals::{number, scale};

/// One reading's value as the core's measurement of `parameter`.
fn measurement(
    parameter: Parameter,
    value: &Bound<'_, PyAny>,
) -> PyResult<Result<Measurement, VitalsError>> {
    let field = parameter.field();
    if value.is_none() {
        return Ok(Err(VitalsError::Missing { field }));
    }
    Ok(match parameter {
        Parameter::Consciousness if value.is_instance_of::<PyString>() => value
            .cast::<PyString>()?
            .to_cow()?
            .parse::<Acvpu>()
            .map(Measurement::Consciousness),
        Parameter::OnOxygen if value.is_instance_of::<PyBool>() => {
            Ok(Measurement::OnOxygen(value.is_truthy()?))
        }
        _ => match number(field, Some(value))? {
            Some(x) => Measurement::from_f64(parameter, x),
            None => Err(VitalsError::Missing { field }),
        },
    })
}

/// A reading from a mapping with keys `parameter`, `value` and `time`.
fn reading(py: Python<'_>, index: usize, record: &Bound<'_, PyMapping>) -> PyResult<Reading> {
    let key = |k: &str| {
        record.get_item(k).map_err(|_| PyValueError::new_err(format!("reading {index} has no {k:?}: expected keys parameter, value and time (and patient)")))
    };
    let name = key("parameter")?;
    let name = name
        .cast::<PyString>()
        .map_err(|_| PyTypeError::new_err(format!("reading {index}: parameter must be text")))?
        .to_cow()?
        .into_owned();
    let parameter: Parameter = name
        .parse()
        .map_err(|e| PyValueError::new_err(format!("reading {index}: {name:?}: {e}")))?;
    let measurement = measurement(parameter, &key("value")?)?
        .map_err(|e| vitals_error_with(py, &e, format!("reading {index}: {e}")))?;
    let at = instant(&format!("reading {index}: time"), &key("time")?)?;
    Ok(Reading { measurement, at })
}

/// What assembly found for one parameter.
///
/// Attributes: ``parameter``, ``freshness`` (``"fresh"``, ``"stale"`` or ``"missing"``),
/// and for fresh and stale readings ``value`` (as validated: whole numbers, temperature
/// in °C, ``on_oxygen`` a bool, consciousness a letter), ``time`` and ``age``.
#[pyclass(module = "news2", name = "ParameterStatus", frozen)]
pub(crate) struct PyParameterStatus {
    parameter: Parameter,
    status: ParameterStatus,
}

#[pymethods]
impl PyParameterStatus {
    /// The parameter's name.
    #[getter]
    fn parameter(&self) -> &'static str {
        self.parameter.as_str()
    }

    /// ``"fresh"``, ``"stale"`` or ``"missing"``. Only fresh readings are scored.
    #[getter]
    fn freshness(&self) -> PyResult<String> {
        snake_name(&self.status.freshness)
    }

    /// The reading's value, or ``None`` when missing.
    #[getter]
    fn value<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        use pyo3::IntoPyObjectExt;
        let Some(r) = self.status.reading else {
            return Ok(None);
        };
        let v = match r.measurement {
            Measurement::RespirationRate(v) => v.get().into_bound_py_any(py)?,
            Measurement::Spo2(v) => v.get().into_bound_py_any(py)?,
            Measurement::OnOxygen(v) => v.into_bound_py_any(py)?,
            Measurement::SystolicBp(v) => v.get().into_bound_py_any(py)?,
            Measurement::Pulse(v) => v.get().into_bound_py_any(py)?,
            Measurement::Consciousness(v) => v.letter().to_string().into_bound_py_any(py)?,
            Measurement::Temperature(v) => v.celsius().into_bound_py_any(py)?,
        };
        Ok(Some(v))
    }

    /// When the reading was taken (UTC), or ``None``.
    #[getter]
    fn time(&self) -> Option<DateTime<Utc>> {
        self.status.reading.map(|r| r.at)
    }

    /// The reading's age at the set's ``now``, or ``None``.
    #[getter]
    fn age(&self) -> Option<TimeDelta> {
        self.status.age
    }

    fn __repr__(&self) -> PyResult<String> {
        Ok(format!(
            "ParameterStatus({}, {})",
            self.parameter.as_str(),
            self.freshness()?
        ))
    }
}

/// One patient's observation set at one time, built from the latest reading of each
/// parameter at or before ``now``. Readings older than ``max_age`` are stale: shown,
/// never scored.
#[pyclass(module = "news2", name = "ObservationSet", frozen)]
pub(crate) struct PyObservationSet {
    patient: Py<PyAny>,
    set: ObservationSet,
}

fn names(set: news2_core::ParameterSet) -> Vec<&'static str> {
    set.iter().map(Parameter::as_str).collect()
}

#[pymethods]
impl PyObservationSet {
    /// The patient of the readings (``None`` when the readings name none).
    #[getter]
    fn patient(&self, py: Python<'_>) -> Py<PyAny> {
        self.patient.clone_ref(py)
    }

    /// The time the set describes (UTC).
    #[getter]
    fn now(&self) -> DateTime<Utc> {
        self.set.now
    }

    /// The maximum age of a fresh reading.
    #[getter]
    fn max_age(&self) -> TimeDelta {
        self.set.max_age
    }

    /// The SpO2 scale the set is scored on.
    #[getter]
    fn spo2_scale(&self) -> u8 {
        self.set.spo2_scale.number()
    }

    /// What was found for one parameter (by name, e.g. ``"pulse"``).
    fn status(&self, parameter: &str) -> PyResult<PyParameterStatus> {
        let parameter: Parameter = parameter
            .parse()
            .map_err(|e| PyValueError::new_err(format!("{parameter:?}: {e}")))?;
        Ok(PyParameterStatus {
            parameter,
            status: *self.set.status(parameter),
        })
    }

    /// What was found for every parameter, keyed by name.
    #[getter]
    fn statuses<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for p in Parameter::ALL {
            dict.set_item(
                p.as_str(),
                PyParameterStatus {
                    parameter: p,
                    status: *self.set.status(p),
                },
            )?;
        }
        Ok(dict)
    }

    /// The parameters with no reading at or before ``now``.
    #[getter]
    fn missing(&self) -> Vec<&'static str> {
        names(self.set.missing())
    }

    /// The parameters whose latest reading is older than ``max_age``.
    #[getter]
    fn stale(&self) -> Vec<&'static str> {
        names(self.set.stale())
    }

    /// Whether every parameter has a fresh reading.
    #[getter]
    fn complete(&self) -> bool {
        self.set.to_vitals().is_ok()
    }

    /// The complete score; raises ``IncompleteSetError`` unless every parameter is fresh.
    fn score(&self, py: Python<'_>) -> PyResult<PyNews2Score> {
        self.set
            .score()
            .map(PyNews2Score)
            .map_err(|e| incomplete_set_error(py, &e))
    }

    /// The score of the fresh readings; stale and missing parameters are ``missing``.
    fn score_partial(&self) -> PyPartialScore {
        PyPartialScore(self.set.score_partial())
    }

    /// A flat summary: ``patient``, ``now``, ``complete``, ``total`` and ``risk`` (``None``
    /// unless complete), ``partial_total`` (the fresh readings' total), ``missing`` and
    /// ``stale``.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        let complete = self.set.score().ok();
        dict.set_item("patient", self.patient.bind(py))?;
        dict.set_item("now", self.set.now)?;
        dict.set_item("complete", complete.is_some())?;
        dict.set_item("total", complete.map(|s| s.total))?;
        dict.set_item("risk", complete.map(|s| s.risk.as_str()))?;
        dict.set_item("partial_total", self.set.score_partial().total)?;
        dict.set_item("missing", self.missing())?;
        dict.set_item("stale", self.stale())?;
        Ok(dict)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "ObservationSet(patient={}, now={}, missing={:?}, stale={:?})",
            self.patient.bind(py).repr()?,
            self.set.now.to_rfc3339(),
            self.missing(),
            self.stale()
        ))
    }
}

/// Builds observation sets from readings in long format (the package's ``assemble``
/// turns data frames into these records): for each patient, in order of first
/// appearance, one set per time in ``now``.
#[pyfunction]
#[pyo3(signature = (records, *, now, max_age, spo2_scale=None))]
pub(crate) fn _assemble(
    py: Python<'_>,
    records: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
    max_age: TimeDelta,
    spo2_scale: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<PyObservationSet>> {
    let scale = scale(spo2_scale)?
        .map(Spo2Scale::from_number)
        .transpose()
        .map_err(|e| crate::errors::vitals_error(py, &e))?
        .unwrap_or_default();
    let times: Vec<DateTime<Utc>> = if now.is_instance_of::<PyDateTime>() {
        vec![instant("now", now)?]
    } else {
        now.try_iter()?
            .map(|t| instant("now", &t?))
            .collect::<PyResult<_>>()?
    };
    let groups = PyDict::new(py);
    let mut patients: Vec<(Py<PyAny>, Vec<Reading>)> = Vec::new();
    for (index, record) in records.try_iter()?.enumerate() {
        let record = record?;
        let record = record.cast::<PyMapping>().map_err(|_| {
            PyTypeError::new_err(format!(
                "reading {index} must be a mapping with keys parameter, value and time"
            ))
        })?;
        let patient = record
            .get_item("patient")
            .unwrap_or_else(|_| py.None().into_bound(py));
        let group = match groups.get_item(&patient)? {
            Some(g) => g.extract::<usize>()?,
            None => {
                groups.set_item(&patient, patients.len())?;
                patients.push((patient.unbind(), Vec::new()));
                patients.len() - 1
            }
        };
        let r = reading(py, index, record)?;
        patients[group].1.push(r);
    }
    if patients.is_empty() {
        // No readings at all: one set with every parameter missing, never an empty answer.
        patients.push((py.None(), Vec::new()));
    }
    let mut sets = Vec::with_capacity(patients.len() * times.len());
    for (patient, readings) in &patients {
        for &t in &times {
            let set = ObservationSet::assemble(readings, t, max_age, scale);
            sets.push(PyObservationSet {
                patient: patient.clone_ref(py),
                set,
            });
        }
    }
    Ok(sets)
}
