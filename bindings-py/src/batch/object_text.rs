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

use arrow_array::types::{ArrowDictionaryKeyType, Int8Type, Int32Type};
use arrow_array::{ArrayRef, DictionaryArray, PrimitiveArray, StringArray};
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

/// A dictionary key as stored: `i8` while a column has at most 127 distinct texts (nearly
/// always; a quarter of the memory `i32` writes), `i32` beyond.
trait Key: Copy + PartialEq + TryFrom<i32> {
    /// The key of a null row (replaced by 0 under the validity mask at the end).
    const NULL: Self;
    const ZERO: Self;
}

impl Key for i8 {
    const NULL: Self = -1;
    const ZERO: Self = 0;
}

impl Key for i32 {
    const NULL: Self = -1;
    const ZERO: Self = 0;
}

/// Why a pass over the cells stopped.
enum Stop {
    /// A cell pyarrow should judge (not `str`, `None` or NaN).
    Foreign,
    /// More distinct texts than the key type holds.
    Full,
    /// Arrow refused the array (its keys are in range by construction: not expected).
    Arrow(ArrowError),
}

impl Dictionary {
    fn key(&mut self, text: &str) -> Result<i32, Stop> {
        if let Some(&k) = self.by_text.get(text) {
            return Ok(k);
        }
        let k = i32::try_from(self.values.len()).map_err(|_| Stop::Full)?;
        self.values.push(text.to_owned());
        self.by_text.insert(text.to_owned(), k);
        Ok(k)
    }

    /// The key of every cell. A run of the same few objects costs one comparison a row.
    fn keys<'a, K: Key>(
        &mut self,
        py: Python<'_>,
        cells: impl Iterator<Item = &'a Py<PyAny>>,
        len: usize,
    ) -> Result<Vec<K>, Stop> {
        let mut keys = Vec::with_capacity(len);
        // Objects by address bits (they are 16-byte aligned): a hit, nearly every row, is
        // one comparison the branch predictor gets right whatever the order of the levels.
        // No object lives at address 0, so an empty slot always misses.
        let mut slots = [(0_usize, K::NULL); SLOTS];
        for cell in cells {
            let address = cell.as_ptr() as usize;
            let slot = &mut slots[(address >> 4) % SLOTS];
            if slot.0 != address {
                let key = match self.classify(cell.bind(py))? {
                    None => K::NULL,
                    Some(k) => K::try_from(k).map_err(|_| Stop::Full)?,
                };
                *slot = (address, key);
            }
            keys.push(slot.1);
        }
        Ok(keys)
    }

    /// The key of a cell not seen at its address before (`None` for a null).
    fn classify(&mut self, cell: &Bound<'_, PyAny>) -> Result<Option<i32>, Stop> {
        if cell.is_none() {
            Ok(None)
        } else if let Ok(text) = cell.cast::<PyString>() {
            // A string that is not valid UTF-8 (a lone surrogate) is pyarrow's to refuse.
            self.key(text.to_str().map_err(|_| Stop::Foreign)?)
                .map(Some)
        } else if cell.cast::<PyFloat>().is_ok_and(|f| f.value().is_nan()) {
            Ok(None)
        } else {
            Err(Stop::Foreign)
        }
    }

    fn into_arrow<K>(self, mut keys: Vec<K::Native>) -> Result<ArrayRef, ArrowError>
    where
        K: ArrowDictionaryKeyType,
        K::Native: Key,
    {
        let nulls = keys.contains(&Key::NULL).then(|| {
            NullBuffer::new(BooleanBuffer::collect_bool(keys.len(), |i| {
                keys[i] != Key::NULL
            }))
        });
        if nulls.is_some() {
            // Keys under a null are never read, but keep them in range for strict readers.
            keys.iter_mut()
                .filter(|k| **k == Key::NULL)
                .for_each(|k| *k = Key::ZERO);
        }
        Ok(Arc::new(DictionaryArray::<K>::try_new(
            PrimitiveArray::<K>::new(keys.into(), nulls),
            Arc::new(StringArray::from(self.values)),
        )?))
    }
}

/// The column as a dictionary array with keys of type `K`, or why not.
fn read<K>(py: Python<'_>, values: &PyReadonlyArray1<'_, Py<PyAny>>) -> Result<ArrayRef, Stop>
where
    K: ArrowDictionaryKeyType,
    K::Native: Key,
{
    let mut dictionary = Dictionary::default();
    let len = values.as_array().len();
    let keys = match values.as_slice() {
        Ok(cells) => dictionary.keys(py, cells.iter(), len),
        Err(_) => dictionary.keys(py, values.as_array().iter(), len),
    }?;
    dictionary.into_arrow::<K>(keys).map_err(Stop::Arrow)
}

/// The text column ``values`` (a 1-d numpy object array) as a pyarrow dictionary array, or
/// ``None`` when a cell is anything but ``str``, ``None`` or NaN (pyarrow then reads it).
#[pyfunction]
pub(crate) fn _object_text_arrow<'py>(
    py: Python<'py>,
    values: PyReadonlyArray1<'py, Py<PyAny>>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    // Rare: a column of many spellings is read again with wide keys.
    let read = read::<Int8Type>(py, &values).or_else(|stop| match stop {
        Stop::Full => read::<Int32Type>(py, &values),
        stop => Err(stop),
    });
    let array = match read {
        Ok(array) => array,
        // More spellings than even `i32` keys hold (billions): pyarrow reads the column.
        Err(Stop::Foreign | Stop::Full) => return Ok(None),
        Err(Stop::Arrow(e)) => return Err(PyRuntimeError::new_err(e.to_string())),
    };
    let array = PyArray::from_array_ref(array).to_pyarrow(py)?.unbind();
    Ok(Some(array.into_bound(py)))
}
