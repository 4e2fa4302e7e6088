//! `score_batch`: many observation sets as Arrow columns, scored by the core's batch path
//! with the interpreter lock released.
//!
//! The package's `score_batch` turns pandas frames and dicts into Arrow and the result
//! back into the caller's kind of frame; this module sees only Arrow.

mod columns;
mod output;

use arrow_array::RecordBatch;
use arrow_select::concat::concat_batches;
use news2_core::Spo2Scale;
use news2_core::batch::score_raw_columns;
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::{PyRecordBatch, PyTable};

use self::columns::{ColumnError, InputColumns, Keywords};
use self::output::ScoreColumns;
use crate::errors::vitals_error;
use crate::vitals::{flag, scale};

/// Why a batch could not be scored at all (a row problem never gets here).
enum BatchError {
    Column(ColumnError),
    Internal(String),
}

impl BatchError {
    fn into_pyerr(self) -> PyErr {
        match self {
            Self::Column(e @ ColumnError::WrongType { .. }) => PyTypeError::new_err(e.to_string()),
            Self::Column(e) => PyValueError::new_err(e.to_string()),
            Self::Internal(e) => PyRuntimeError::new_err(e),
        }
    }
}

impl From<ColumnError> for BatchError {
    fn from(e: ColumnError) -> Self {
        Self::Column(e)
    }
}

/// Scores one record batch: every row is checked and scored by the core, or gets the
/// core's error message.
fn score_record_batch(batch: &RecordBatch, keywords: Keywords) -> Result<RecordBatch, BatchError> {
    let input = InputColumns::read(batch, keywords)?;
    let mut out = ScoreColumns::new(batch.num_rows());
    let errors = score_raw_columns(&input.raw(), &mut out.as_mut())
        .map_err(|e| BatchError::Internal(e.to_string()))?;
    let error_rows: Box<dyn Iterator<Item = usize>> = if errors == 0 {
        Box::new(std::iter::empty())
    } else {
        Box::new(out.error_rows())
    };
    let messages = error_rows
        .map(|i| {
            let e = input.error(i).ok_or_else(|| {
                BatchError::Internal(format!("row {i} has an error code but no error"))
            })?;
            Ok((i, e.to_string()))
        })
        .collect::<Result<Vec<_>, BatchError>>()?;
    out.into_record_batch(&messages)
        .map_err(|e| BatchError::Internal(e.to_string()))
}

/// Rows per slice below which a batch is not split across threads.
const MIN_ROWS_PER_THREAD: usize = 100_000;

/// How many threads may score one call: the machine's parallelism, capped by the
/// `NEWS2_NUM_THREADS` environment variable (set it to 1 inside Spark or Dask workers that
/// already run one task per core).
fn thread_budget() -> usize {
    let available = std::thread::available_parallelism().map_or(1, usize::from);
    let cap = std::env::var("NEWS2_NUM_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0);
    cap.map_or(available, |c| c.min(available))
}

/// Scores every batch, splitting large ones into row slices scored on separate threads.
/// Slicing is zero-copy and every row is still scored by the core on its own, so the
/// result is the same as one pass; the output keeps the input's row order.
fn score_in_parallel(
    batches: &[RecordBatch],
    keywords: Keywords,
) -> Result<Vec<RecordBatch>, BatchError> {
    let budget = thread_budget();
    let mut slices = Vec::new();
    for batch in batches {
        let n = batch.num_rows();
        let parts = (n / MIN_ROWS_PER_THREAD).clamp(1, budget);
        let size = n.div_ceil(parts).max(1);
        let mut start = 0;
        loop {
            let len = size.min(n - start);
            slices.push(batch.slice(start, len));
            start += len;
            if start >= n {
                break;
            }
        }
    }
    if budget == 1 || slices.len() <= 1 {
        return slices
            .iter()
            .map(|b| score_record_batch(b, keywords))
            .collect();
    }
    let per_thread = slices.len().div_ceil(budget);
    std::thread::scope(|scope| {
        let handles: Vec<_> = slices
            .chunks(per_thread)
            .map(|group| {
                scope.spawn(move || {
                    group
                        .iter()
                        .map(|b| score_record_batch(b, keywords))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(slices.len());
        for handle in handles {
            let results = handle
                .join()
                .map_err(|_| BatchError::Internal("a scoring thread panicked".to_owned()))?;
            for r in results {
                out.push(r?);
            }
        }
        Ok(out)
    })
}

/// Scores an Arrow table, record batch or stream (anything with ``__arrow_c_stream__`` or
/// ``__arrow_c_array__``); the package's ``score_batch`` wraps it. Returns a pyarrow
/// ``RecordBatch`` for a single batch, else a pyarrow ``Table``.
#[pyfunction]
#[pyo3(signature = (data, *, spo2_scale=None, on_oxygen=None))]
pub(crate) fn _score_arrow<'py>(
    py: Python<'py>,
    data: AnyRecordBatch,
    spo2_scale: Option<&Bound<'py, PyAny>>,
    on_oxygen: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let keywords = Keywords {
        spo2_scale: scale(spo2_scale)?
            .map(Spo2Scale::from_number)
            .transpose()
            .map_err(|e| vitals_error(py, &e))?,
        on_oxygen: flag(news2_core::Field::OnOxygen, on_oxygen)?,
    };
    let single = matches!(data, AnyRecordBatch::RecordBatch(_));
    let reader = data.into_reader()?;
    let batches = reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    let scored = py
        .detach(|| score_in_parallel(&batches, keywords))
        .map_err(BatchError::into_pyerr)?;
    if single {
        let batch = concat_batches(&output::schema(), &scored)
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        PyRecordBatch::new(batch).into_pyarrow(py)
    } else {
        PyTable::try_new(scored, output::schema())?.into_pyarrow(py)
    }
}
