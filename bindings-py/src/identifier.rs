//! Brazilian patient identifiers: `Cpf` and `Cns`, one at a time and in batches.

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;
use news2_core::{Cns, Cpf};
use numpy::PyArray1;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3_arrow::input::AnyArray;

use crate::errors::{cns_error, cpf_error};

/// A Python class wrapping a core identifier type, with the methods every identifier
/// has (the constructor and ``parse``, ``digits``, ``str`` and ``repr``) and its own.
macro_rules! identifier_class {
    (
        $(#[$doc:meta])*
        $name:literal: $wrapper:ident($core:ty), error = $error:path,
        parse_doc = $parse_doc:literal, digits_doc = $digits_doc:literal,
        { $($own:tt)* }
    ) => {
        $(#[$doc])*
        #[pyclass(module = "news2", name = $name, frozen, eq, hash)]
        #[derive(Clone, PartialEq, Eq, Hash)]
        pub(crate) struct $wrapper($core);

        #[pymethods]
        impl $wrapper {
            #[new]
            fn new(py: Python<'_>, text: &str) -> PyResult<Self> {
                <$core>::parse(text).map(Self).map_err(|e| $error(py, &e))
            }

            #[doc = $parse_doc]
            #[staticmethod]
            fn parse(py: Python<'_>, text: &str) -> PyResult<Self> {
                Self::new(py, text)
            }

            #[doc = $digits_doc]
            #[getter]
            fn digits(&self) -> String {
                self.0.digits_str().to_string()
            }

            $($own)*

            fn __str__(&self) -> String {
                self.0.to_string()
            }

            fn __repr__(&self) -> String {
                format!("{:?}", self.0)
            }
        }
    };
}

identifier_class! {
    /// A valid CPF (Cadastro de Pessoas Físicas), the Brazilian taxpayer number.
    ///
    /// ``Cpf(text)`` accepts eleven digits (``"52998224725"``) or the mask
    /// ``"529.982.247-25"``, after trimming surrounding whitespace, and nothing else; it
    /// raises ``IdentifierError`` naming what is wrong. ``str(cpf)`` is the masked form;
    /// ``repr`` hides all but the check digits.
    "Cpf": PyCpf(Cpf), error = cpf_error,
    parse_doc = "Parses a CPF; the same as ``Cpf(text)``.",
    digits_doc = "The eleven digits as text, ``\"52998224725\"``.",
    {
        /// The fiscal region, the ninth digit (0–9; 0 is Rio Grande do Sul).
        #[getter]
        fn fiscal_region(&self) -> u8 {
            self.0.fiscal_region()
        }

        /// The states of the fiscal region, e.g. ``["ES", "RJ"]``.
        #[getter]
        fn fiscal_region_states(&self) -> Vec<&'static str> {
            self.0.fiscal_region_states().to_vec()
        }
    }
}

identifier_class! {
    /// A valid CNS (Cartão Nacional de Saúde), the Brazilian national health card number.
    ///
    /// ``Cns(text)`` accepts fifteen digits or ``"ddd dddd dddd dddd"``, after trimming
    /// surrounding whitespace; it raises ``IdentifierError`` naming what is wrong.
    /// ``str(cns)`` is the spaced form; ``repr`` hides all but the last four digits.
    "Cns": PyCns(Cns), error = cns_error,
    parse_doc = "Parses a CNS; the same as ``Cns(text)``.",
    digits_doc = "The fifteen digits as text.",
    {
        /// ``"definitive"`` (first digit 1 or 2) or ``"provisional"`` (7, 8 or 9).
        #[getter]
        fn kind(&self) -> PyResult<String> {
            crate::score::snake_name(&self.0.kind())
        }
    }
}

/// Whether ``text`` is a valid CPF (see ``Cpf`` for the accepted shapes).
#[pyfunction]
pub(crate) fn validate_cpf(text: &str) -> bool {
    Cpf::parse(text).is_ok()
}

/// The masked form ``ddd.ddd.ddd-dd`` of a valid CPF; raises ``IdentifierError``.
#[pyfunction]
pub(crate) fn format_cpf(py: Python<'_>, text: &str) -> PyResult<String> {
    Cpf::parse(text)
        .map(|c| c.to_string())
        .map_err(|e| cpf_error(py, &e))
}

/// Whether ``text`` is a valid CNS (see ``Cns`` for the accepted shapes).
#[pyfunction]
pub(crate) fn validate_cns(text: &str) -> bool {
    Cns::parse(text).is_ok()
}

/// The spaced form ``ddd dddd dddd dddd`` of a valid CNS; raises ``IdentifierError``.
#[pyfunction]
pub(crate) fn format_cns(py: Python<'_>, text: &str) -> PyResult<String> {
    Cns::parse(text)
        .map(|c| c.to_string())
        .map_err(|e| cns_error(py, &e))
}

/// Applies `valid` to every text of a string-like Arrow array; null is never valid.
fn validate_texts(
    chunk: &ArrayRef,
    valid: fn(&str) -> bool,
    out: &mut Vec<bool>,
) -> Result<(), String> {
    match chunk.data_type() {
        DataType::Utf8 => out.extend(
            chunk
                .as_string::<i32>()
                .iter()
                .map(|t| t.is_some_and(valid)),
        ),
        DataType::LargeUtf8 => out.extend(
            chunk
                .as_string::<i64>()
                .iter()
                .map(|t| t.is_some_and(valid)),
        ),
        DataType::Utf8View => {
            out.extend(chunk.as_string_view().iter().map(|t| t.is_some_and(valid)))
        }
        DataType::Null => out.extend(std::iter::repeat_n(false, chunk.len())),
        DataType::Dictionary(_, _) => {
            let plain = arrow_cast::cast(chunk, &DataType::Utf8).map_err(|e| e.to_string())?;
            validate_texts(&plain, valid, out)?;
        }
        other => return Err(format!("identifiers must be text, got a column of {other}")),
    }
    Ok(())
}

/// Validates every element of an Arrow array or stream with the interpreter lock released.
fn validate_batch<'py>(
    py: Python<'py>,
    values: AnyArray,
    valid: fn(&str) -> bool,
) -> PyResult<Bound<'py, PyArray1<bool>>> {
    let reader = values.into_reader()?;
    let chunks = reader
        .collect::<Result<Vec<ArrayRef>, _>>()
        .map_err(|e| PyTypeError::new_err(e.to_string()))?;
    let result = py.detach(|| {
        let mut out = Vec::with_capacity(chunks.iter().map(|c| c.len()).sum());
        for chunk in &chunks {
            validate_texts(chunk, valid, &mut out)?;
        }
        Ok::<_, String>(out)
    });
    result
        .map(|v| PyArray1::from_vec(py, v))
        .map_err(PyTypeError::new_err)
}

/// Validates an Arrow array of CPFs (the package's ``validate_cpf_batch`` converts other
/// inputs to Arrow first). Returns a numpy bool array; null is never valid.
#[pyfunction]
pub(crate) fn _validate_cpf_arrow<'py>(
    py: Python<'py>,
    values: AnyArray,
) -> PyResult<Bound<'py, PyArray1<bool>>> {
    validate_batch(py, values, |t| Cpf::parse(t).is_ok())
}

/// Validates an Arrow array of CNSs; see ``_validate_cpf_arrow``.
#[pyfunction]
pub(crate) fn _validate_cns_arrow<'py>(
    py: Python<'py>,
    values: AnyArray,
) -> PyResult<Bound<'py, PyArray1<bool>>> {
    validate_batch(py, values, |t| Cns::parse(t).is_ok())
}
