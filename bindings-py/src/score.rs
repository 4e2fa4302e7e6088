//! The results of scoring, as Python objects: `News2Score` and `PartialScore`.
//!
//! Each wraps the core's result; the getters convert on access, so scoring itself builds
//! no dictionaries.

use news2_core::{News2Score, Parameter, ParameterSet, PartialScore};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The snake_case name the core gives a value in JSON (`twelve_hourly`, `ward_based`).
pub(crate) fn snake_name<T: serde::Serialize>(value: &T) -> PyResult<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        other => Err(PyRuntimeError::new_err(format!(
            "news2-core gave no name for a value: {other:?}"
        ))),
    }
}

fn names(set: ParameterSet) -> Vec<&'static str> {
    set.iter().map(Parameter::as_str).collect()
}

/// The result of ``news2.score``: a complete NEWS2 score.
///
/// Attributes: ``total`` (0–20), ``risk`` (``"low"``, ``"low-medium"``, ``"medium"`` or
/// ``"high"``), ``parameters`` (the score of each of the seven parameters),
/// ``monitoring`` and ``response`` (Chart 4, as snake_case names), ``red`` (the
/// parameters scoring 3), ``scale`` (the SpO2 scale used) and ``complete`` (always
/// ``True``).
#[pyclass(module = "news2", name = "News2Score", frozen, eq)]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PyNews2Score(pub(crate) News2Score);

#[pymethods]
impl PyNews2Score {
    /// The aggregate score, 0–20.
    #[getter]
    fn total(&self) -> u8 {
        self.0.total
    }

    /// The Chart 3 clinical risk: ``"low"``, ``"low-medium"``, ``"medium"`` or ``"high"``.
    #[getter]
    fn risk(&self) -> &'static str {
        self.0.risk.as_str()
    }

    /// The score of each parameter, keyed ``respiration_rate``, ``spo2``, ``on_oxygen``,
    /// ``systolic_bp``, ``pulse``, ``consciousness``, ``temperature``.
    #[getter]
    fn parameters<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        let scores = self.0.parameters.as_array();
        for p in Parameter::ALL {
            dict.set_item(p.as_str(), scores[p.index()])?;
        }
        Ok(dict)
    }

    /// Chart 4 minimum monitoring frequency: ``twelve_hourly``, ``four_to_six_hourly``,
    /// ``hourly`` or ``continuous``.
    #[getter]
    fn monitoring(&self) -> PyResult<String> {
        snake_name(&self.0.response.monitoring)
    }

    /// Chart 4 clinical response: ``routine``, ``ward_based``, ``urgent_ward_based``,
    /// ``urgent`` or ``emergency``.
    #[getter]
    fn response(&self) -> PyResult<String> {
        snake_name(&self.0.response.response)
    }

    /// The parameters scoring 3, in chart order.
    #[getter]
    fn red(&self) -> Vec<&'static str> {
        names(self.0.red)
    }

    /// The SpO2 scale the score used, 1 or 2.
    #[getter]
    fn scale(&self) -> u8 {
        self.0.scale.number()
    }

    /// Always ``True``: every parameter was present.
    #[getter]
    fn complete(&self) -> bool {
        true
    }

    /// The result as a plain dict (JSON-ready).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("total", self.total())?;
        dict.set_item("risk", self.risk())?;
        dict.set_item("parameters", self.parameters(py)?)?;
        dict.set_item("red", self.red())?;
        dict.set_item("scale", self.scale())?;
        dict.set_item("monitoring", self.monitoring()?)?;
        dict.set_item("response", self.response()?)?;
        dict.set_item("complete", true)?;
        Ok(dict)
    }

    fn __repr__(&self) -> String {
        format!(
            "News2Score(total={}, risk={:?}, red={:?})",
            self.0.total,
            self.0.risk.as_str(),
            self.red()
        )
    }
}

/// The result of ``news2.score_partial``: the score of what was measured.
///
/// Attributes: ``total`` (the sum of the known scores, a lower bound), ``parameters``
/// (each score, ``None`` where missing), ``missing`` (the parameters not measured),
/// ``complete`` (``True`` only when nothing is missing), ``red``, ``scale`` and
/// ``minimum_risk`` (the least severe risk consistent with what is known).
#[pyclass(module = "news2", name = "PartialScore", frozen, eq)]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PyPartialScore(pub(crate) PartialScore);

#[pymethods]
impl PyPartialScore {
    /// The sum of the known scores: a lower bound of the real total.
    #[getter]
    fn total(&self) -> u8 {
        self.0.total
    }

    /// The score of each parameter, ``None`` where it is missing.
    #[getter]
    fn parameters<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        let scores = self.0.parameters.as_array();
        for p in Parameter::ALL {
            dict.set_item(p.as_str(), scores[p.index()])?;
        }
        Ok(dict)
    }

    /// The parameters that were not measured, in chart order.
    #[getter]
    fn missing(&self) -> Vec<&'static str> {
        names(self.0.missing)
    }

    /// Whether every parameter was present.
    #[getter]
    fn complete(&self) -> bool {
        self.0.complete()
    }

    /// The known parameters scoring 3.
    #[getter]
    fn red(&self) -> Vec<&'static str> {
        names(self.0.red)
    }

    /// The SpO2 scale used, 1 or 2.
    #[getter]
    fn scale(&self) -> u8 {
        self.0.scale.number()
    }

    /// The least severe risk consistent with what is known: the real risk is this or
    /// worse, since a missing parameter can only add to the total.
    #[getter]
    fn minimum_risk(&self) -> &'static str {
        self.0.minimum_risk().as_str()
    }

    /// The complete result when nothing is missing, else ``None``.
    fn to_complete(&self) -> Option<PyNews2Score> {
        self.0.to_complete().map(PyNews2Score)
    }

    /// The result as a plain dict (JSON-ready).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("total", self.total())?;
        dict.set_item("parameters", self.parameters(py)?)?;
        dict.set_item("missing", self.missing())?;
        dict.set_item("complete", self.complete())?;
        dict.set_item("red", self.red())?;
        dict.set_item("scale", self.scale())?;
        dict.set_item("minimum_risk", self.minimum_risk())?;
        Ok(dict)
    }

    fn __repr__(&self) -> String {
        format!(
            "PartialScore(total={}, missing={:?}, complete={})",
            self.0.total,
            self.missing(),
            self.complete()
        )
    }
}
