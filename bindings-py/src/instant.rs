//! Timezone-aware Python datetimes as UTC instants.

use chrono::{DateTime, Utc};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDateTime, PyTzInfo};

/// A timezone-aware datetime as an instant; naive datetimes are refused, since the same
/// wall-clock time means different instants in different places.
pub(crate) fn instant(what: &str, v: &Bound<'_, PyAny>) -> PyResult<DateTime<Utc>> {
    let py = v.py();
    if !v.is_instance_of::<PyDateTime>() {
        let repr = v.repr().map(|r| r.to_string()).unwrap_or_default();
        return Err(PyTypeError::new_err(format!(
            "{what} must be a timezone-aware datetime, got {repr}"
        )));
    }
    if v.call_method0("utcoffset")?.is_none() {
        let repr = v.repr().map(|r| r.to_string()).unwrap_or_default();
        return Err(PyValueError::new_err(format!(
            "{what} {repr} is a naive datetime: expected a timezone-aware datetime (e.g. tzinfo=datetime.timezone.utc)"
        )));
    }
    v.call_method1("astimezone", (PyTzInfo::utc(py)?,))?
        .extract()
}
