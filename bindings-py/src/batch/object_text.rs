//! A pandas object column of text (a numpy array of `str` references) as an Arrow
//! dictionary array, read in one pass with the interpreter lock held.
//!
//! pyarrow reads such a column by inspecting and copying every string; a frame repeats a
//! handful of level spellings, usually as the very same `str` objects, so recognising the
//! object by its address first makes a row a pointer comparison. Anything but `str`,
//! `None` and a float NaN gives `None`, and the package falls back to pyarrow, so that an
//! unusual column is read (or refused) exactly as before.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::{DictionaryArray, Int32Array, StringArray};
use arrow_buffer::{BooleanBuffer, NullBuffer};
use arrow_schema::ArrowError;
use numpy::PyReadonlyArray1;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyString};
use pyo3_arrow::PyArray;

/// Objects recognised by address at once: many more than the five chart levels.
const SLOTS: usize = 64;

/// Distinct texts of a column.
#[derive(Default)]
struct Dictionary {
    values: Vec<String>,
    by_text: HashMap<String, i32>,
}

/// The key of a null row (replaced by 0 under the validity mask at the end).
const NULL_KEY: i32 = -1;

impl Dictionary {
    fn key(&mut self, text: &str) -> Option<i32> {
        if let Some(&k) = self.by_text.get(text) {
            return Some(k);
        }
        let k = i32::try_from(self.values.len()).ok()?;
        self.values.push(text.to_owned());
        self.by_text.insert(text.to_owned(), k);
        Some(k)
    }

    /// The key of every cell, or `Err` at the first cell pyarrow should judge. A run of
    /// the same few objects costs one comparison a row.
    fn keys<'a>(
        &mut self,
        py: Python<'_>,
        cells: impl Iterator<Item = &'a Py<PyAny>>,
        len: usize,
    ) -> Result<Vec<i32>, ()> {
        let mut keys = Vec::with_capacity(len);
        // Objects by address bits (they are 16-byte aligned): a hit, nearly every row, is
        // one comparison the branch predictor gets right whatever the order of the levels.
        // No object lives at address 0, so an empty slot always misses.
        let mut slots = [(0_usize, NULL_KEY); SLOTS];
        for cell in cells {
            let address = cell.as_ptr() as usize;
            let slot = &mut slots[(address >> 4) % SLOTS];
            if slot.0 != address {
                *slot = (address, self.classify(cell.bind(py))?);
            }
            keys.push(slot.1);
        }
        Ok(keys)
    }

    /// The key of a cell not seen at its address before.
    fn classify(&mut self, cell: &Bound<'_, PyAny>) -> Result<i32, ()> {
        if cell.is_none() {
            Ok(NULL_KEY)
        } else if let Ok(text) = cell.cast::<PyString>() {
            // A string that is not valid UTF-8 (a lone surrogate) is pyarrow's to refuse.
            self.key(text.to_str().map_err(|_| ())?).ok_or(())
        } else if cell.cast::<PyFloat>().is_ok_and(|f| f.value().is_nan()) {
            Ok(NULL_KEY)
        } else {
            Err(())
        }
    }

    fn into_arrow(self, mut keys: Vec<i32>) -> Result<DictionaryArray<Int32Type>, ArrowError> {
        let nulls = keys.contains(&NULL_KEY).then(|| {
            NullBuffer::new(BooleanBuffer::collect_bool(keys.len(), |i| {
                keys[i] != NULL_KEY
            }))
        });
        if nulls.is_some() {
            // Keys under a null are never read, but keep them in range for strict readers.
            keys.iter_mut()
                .filter(|k| **k == NULL_KEY)
                .for_each(|k| *k = 0);
        }
        DictionaryArray::try_new(
            Int32Array::new(keys.into(), nulls),
            Arc::new(StringArray::from(self.values)),
        )
    }
}

/// The text column ``values`` (a 1-d numpy object array) as a pyarrow dictionary array, or
/// ``None`` when a cell is anything but ``str``, ``None`` or NaN (pyarrow then reads it).
#[pyfunction]
pub(crate) fn _object_text_arrow<'py>(
    py: Python<'py>,
    values: PyReadonlyArray1<'py, Py<PyAny>>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let mut dictionary = Dictionary::default();
    let len = values.as_array().len();
    let keys = match values.as_slice() {
        Ok(cells) => dictionary.keys(py, cells.iter(), len),
        Err(_) => dictionary.keys(py, values.as_array().iter(), len),
    };
    let Ok(keys) = keys else {
        return Ok(None);
    };
    let array = dictionary
        .into_arrow(keys)
        .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    let array = PyArray::from_array_ref(Arc::new(array));
    let array = array.to_pyarrow(py)?.unbind();
    Ok(Some(array.into_bound(py)))
}
