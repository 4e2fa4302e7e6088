//! The module's exceptions and the mapping from the core's error types onto them.
//!
//! Every exception subclasses `ValueError`, so `except ValueError` still catches them.
//! The message is the core error's `Display`; the attributes carry its structured parts.

use news2_core::{
    CnsError, CpfError, ProfileError as CoreProfileError, VitalsError as CoreVitalsError,
};
use pyo3::IntoPyObjectExt;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyList;

pyo3::create_exception!(
    news2,
    VitalsError,
    PyValueError,
    "An observation that cannot be scored: impossible, malformed or missing.\n\n\
     The message names the field, the value and what was expected. Attributes:\n\
     ``field`` (the input field, e.g. ``\"spo2\"``) and ``kind`` (``out_of_range``,\n\
     ``looks_like_fahrenheit``, ``not_finite``, ``not_a_number``,\n\
     ``invalid_consciousness``, ``invalid_scale`` or ``missing``)."
);

pyo3::create_exception!(
    news2,
    IdentifierError,
    PyValueError,
    "A text that is not a valid CPF or CNS.\n\n\
     Attributes: ``identifier`` (``\"cpf\"`` or ``\"cns\"``), ``kind`` (``empty``,\n\
     ``wrong_length``, ``invalid_character``, ``repeated_digits``, ``check_digit``,\n\
     ``invalid_first_digit`` or ``checksum``) and, where the kind has them,\n\
     ``position``, ``expected``, ``found`` and ``remainder`` (otherwise ``None``)."
);

pyo3::create_exception!(
    news2,
    ProfileError,
    PyValueError,
    "A classification profile that cannot be used.\n\n\
     Attributes: ``field`` (the vital whose entry is wrong, or ``None``) and ``kind``\n\
     (``unordered_thresholds``, ``not_finite``, ``not_classified``, or ``invalid_shape``\n\
     when the profile is not a mapping of vitals to threshold mappings)."
);

pyo3::create_exception!(
    news2,
    IncompleteSetError,
    PyValueError,
    "An observation set that cannot be scored as complete.\n\n\
     Attributes: ``missing`` and ``stale``, the parameter names with no reading and with\n\
     a reading older than the maximum age."
);

/// Sets attributes on a freshly created exception.
fn with_attributes<'py>(
    py: Python<'py>,
    err: PyErr,
    attributes: &[(&str, Bound<'py, PyAny>)],
) -> PyErr {
    let value = err.value(py);
    for (name, v) in attributes {
        if let Err(e) = value.setattr(*name, v) {
            return e;
        }
    }
    err
}

fn obj<'py, T: IntoPyObjectExt<'py>>(py: Python<'py>, v: T) -> Bound<'py, PyAny> {
    match v.into_bound_py_any(py) {
        Ok(o) => o,
        Err(_) => py.None().into_bound(py),
    }
}

/// `news2.VitalsError` from the core's error, with `message` as its text.
pub(crate) fn vitals_error_with(py: Python<'_>, e: &CoreVitalsError, message: String) -> PyErr {
    with_attributes(
        py,
        VitalsError::new_err(message),
        &[
            ("field", obj(py, e.field().as_str())),
            ("kind", obj(py, e.kind())),
        ],
    )
}

/// `news2.VitalsError` from the core's error.
pub(crate) fn vitals_error(py: Python<'_>, e: &CoreVitalsError) -> PyErr {
    vitals_error_with(py, e, e.to_string())
}

/// `news2.IdentifierError` from a CPF error.
pub(crate) fn cpf_error(py: Python<'_>, e: &CpfError) -> PyErr {
    let (position, expected, found) = match *e {
        CpfError::WrongLength { found } => (None, None, Some(found)),
        CpfError::InvalidCharacter { position, .. } => (Some(position), None, None),
        CpfError::CheckDigit {
            position,
            expected,
            found,
        } => (
            Some(position),
            Some(usize::from(expected)),
            Some(usize::from(found)),
        ),
        _ => (None, None, None),
    };
    identifier_error(
        py,
        "cpf",
        e.kind(),
        e.to_string(),
        position,
        expected,
        found,
        None,
    )
}

/// `news2.IdentifierError` from a CNS error.
pub(crate) fn cns_error(py: Python<'_>, e: &CnsError) -> PyErr {
    let (position, found, remainder) = match *e {
        CnsError::WrongLength { found } => (None, Some(found), None),
        CnsError::InvalidCharacter { position, .. } => (Some(position), None, None),
        CnsError::InvalidFirstDigit { found } => (None, Some(usize::from(found)), None),
        CnsError::Checksum { remainder } => (None, None, Some(usize::from(remainder))),
        _ => (None, None, None),
    };
    identifier_error(
        py,
        "cns",
        e.kind(),
        e.to_string(),
        position,
        None,
        found,
        remainder,
    )
}

#[allow(clippy::too_many_arguments)]
fn identifier_error(
    py: Python<'_>,
    identifier: &str,
    kind: &str,
    message: String,
    position: Option<usize>,
    expected: Option<usize>,
    found: Option<usize>,
    remainder: Option<usize>,
) -> PyErr {
    with_attributes(
        py,
        IdentifierError::new_err(message),
        &[
            ("identifier", obj(py, identifier)),
            ("kind", obj(py, kind)),
            ("position", obj(py, position)),
            ("expected", obj(py, expected)),
            ("found", obj(py, found)),
            ("remainder", obj(py, remainder)),
        ],
    )
}

/// `news2.ProfileError` from the core's error.
pub(crate) fn profile_error(py: Python<'_>, e: &CoreProfileError) -> PyErr {
    with_attributes(
        py,
        ProfileError::new_err(e.to_string()),
        &[
            ("field", obj(py, e.field.as_str())),
            ("kind", obj(py, e.error.kind())),
        ],
    )
}

/// `news2.ProfileError` for a profile whose shape is wrong (not the core's to judge).
pub(crate) fn profile_shape_error(py: Python<'_>, field: Option<&str>, message: String) -> PyErr {
    with_attributes(
        py,
        ProfileError::new_err(message),
        &[
            ("field", obj(py, field)),
            ("kind", obj(py, "invalid_shape")),
        ],
    )
}

/// `news2.IncompleteSetError` from the core's error.
pub(crate) fn incomplete_set_error(py: Python<'_>, e: &news2_core::IncompleteSet) -> PyErr {
    let names = |set: news2_core::ParameterSet| {
        let names: Vec<&str> = set.iter().map(news2_core::Parameter::as_str).collect();
        PyList::new(py, names)
            .map(Bound::into_any)
            .unwrap_or_else(|_| py.None().into_bound(py))
    };
    with_attributes(
        py,
        IncompleteSetError::new_err(e.to_string()),
        &[("missing", names(e.missing)), ("stale", names(e.stale))],
    )
}

/// A `TypeError` for a value of the wrong Python type, naming the field, the value and
/// what was expected.
pub(crate) fn wrong_type(field: &str, value: &Bound<'_, PyAny>, expected: &str) -> PyErr {
    let type_name = value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_owned());
    let repr = value
        .repr()
        .map(|r| r.to_string())
        .unwrap_or_else(|_| "?".to_owned());
    PyTypeError::new_err(format!(
        "{field} must be {expected}, got {type_name} {repr}"
    ))
}
