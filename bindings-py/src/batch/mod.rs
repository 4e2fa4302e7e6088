//! `score_batch`: many observation sets as Arrow columns, scored by the core's batch path
//! with the interpreter lock released.
//!
//! The package's `score_batch` turns pandas frames and dicts into Arrow and the result
//! back into the caller's kind of frame; this module sees only Arrow.

mod columns;
mod levels;
mod object_text;
mod output;

pub(crate) use self::object_text::_object_text_arrow;

use arrow_array::RecordBatch;
use arrow_select::concat::concat_batches;
use news2_core::batch::{ScoreColumnsMut, score_raw_columns_reporting};
use news2_core::{Spo2Scale, VitalsError};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::{PyRecordBatch, PyTable};

use self::columns::{ColumnError, InputColumns, Keywords};
use self::output::{ErrorText, ScoreColumns};
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

/// Scores one slice of rows into `out`: every row is checked and scored by the core, or
/// gets the core's error message. Returns (row within the slice, message) per bad row.
fn score_slice(
    batch: &RecordBatch,
    keywords: Keywords,
    out: &mut ScoreColumnsMut<'_>,
) -> Result<Vec<(usize, String)>, BatchError> {
    let input = InputColumns::read(batch, keywords)?;
    let mut rejected = Vec::new();
    score_raw_columns_reporting(&input.raw(), out, |i, e| rejected.push((i, e)))
        .map_err(|e| BatchError::Internal(e.to_string()))?;
    // Bad rows mostly repeat a few errors (a device's column missing for a while): each
    // distinct error is formatted once, a copy of its text serves the rows that repeat it.
    let mut formatted: Vec<(VitalsError, String)> = Vec::new();
    Ok(rejected
        .into_iter()
        .map(|(i, e)| {
            let e = input.as_given(i, e);
            let text = match formatted.iter().find(|(seen, _)| *seen == e) {
                Some((_, text)) => text.clone(),
                None => {
                    let text = e.to_string();
                    if formatted.len() < DISTINCT_ERRORS_KEPT {
                        formatted.push((e, text.clone()));
                    }
                    text
                }
            };
            (i, text)
        })
        .collect())
}

/// How many distinct errors a slice keeps formatted (a linear search: kept short).
const DISTINCT_ERRORS_KEPT: usize = 16;

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

/// The batches cut into row slices, at most `budget` per batch, for separate threads.
/// Slicing is zero-copy and every row is still scored by the core on its own, so the
/// result is the same as one pass.
fn row_slices(batches: &[RecordBatch], budget: usize) -> Vec<RecordBatch> {
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
    slices
}

/// Runs `work` on every job, on up to `budget` threads; the results keep the jobs' order.
fn in_parallel<J: Send, T: Send>(
    jobs: Vec<J>,
    budget: usize,
    work: impl Fn(J) -> Result<T, BatchError> + Sync,
) -> Result<Vec<T>, BatchError> {
    if budget == 1 || jobs.len() <= 1 {
        return jobs.into_iter().map(work).collect();
    }
    let per_thread = jobs.len().div_ceil(budget);
    let mut groups: Vec<Vec<J>> = Vec::new();
    for job in jobs {
        match groups.last_mut() {
            Some(group) if group.len() < per_thread => group.push(job),
            _ => groups.push(vec![job]),
        }
    }
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = groups
            .into_iter()
            .map(|group| scope.spawn(move || group.into_iter().map(work).collect::<Vec<_>>()))
            .collect();
        let mut out = Vec::new();
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

/// Scores every batch as Arrow record batches, one per row slice, in the input's order;
/// each thread also builds its slices' Arrow output.
fn score_to_arrow(
    batches: &[RecordBatch],
    keywords: Keywords,
    text: ErrorText,
) -> Result<Vec<RecordBatch>, BatchError> {
    let budget = thread_budget();
    in_parallel(row_slices(batches, budget), budget, |slice| {
        let mut out = ScoreColumns::new(slice.num_rows());
        let messages = score_slice(&slice, keywords, &mut out.as_mut())?;
        out.into_record_batch(&messages, text)
            .map_err(|e| BatchError::Internal(e.to_string()))
    })
}

/// Scores every batch into one set of columns covering all rows, each thread filling its
/// own rows in place (nothing to concatenate afterwards). Returns the columns and the
/// (row, message) of every bad row.
fn score_to_columns(
    batches: &[RecordBatch],
    keywords: Keywords,
) -> Result<(ScoreColumns, Vec<(usize, String)>), BatchError> {
    let budget = thread_budget();
    let slices = row_slices(batches, budget);
    let mut out = ScoreColumns::new(slices.iter().map(RecordBatch::num_rows).sum());
    let mut jobs = Vec::with_capacity(slices.len());
    let mut rest = out.as_mut();
    let mut start = 0;
    for slice in &slices {
        let (here, after) = rest.split_at(slice.num_rows());
        jobs.push((slice, here, start));
        start += slice.num_rows();
        rest = after;
    }
    let messages = in_parallel(jobs, budget, |(slice, mut here, start)| {
        let messages = score_slice(slice, keywords, &mut here)?;
        Ok(messages.into_iter().map(move |(i, m)| (start + i, m)))
    })?
    .into_iter()
    .flatten()
    .collect();
    Ok((out, messages))
}

/// The keywords of `score_batch`, checked, and the input as record batches.
fn read_call(
    py: Python<'_>,
    data: AnyRecordBatch,
    spo2_scale: Option<&Bound<'_, PyAny>>,
    on_oxygen: Option<&Bound<'_, PyAny>>,
) -> PyResult<(Keywords, Vec<RecordBatch>)> {
    let keywords = Keywords {
        spo2_scale: scale(spo2_scale)?
            .map(Spo2Scale::from_number)
            .transpose()
            .map_err(|e| vitals_error(py, &e))?,
        on_oxygen: flag(news2_core::Field::OnOxygen, on_oxygen)?,
    };
    let batches = data
        .into_reader()?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok((keywords, batches))
}

/// Scores an Arrow table, record batch or stream (anything with ``__arrow_c_stream__`` or
/// ``__arrow_c_array__``); the package's ``score_batch`` wraps it. Returns a pyarrow
/// ``RecordBatch`` for a single batch, else a pyarrow ``Table``. With ``error_view=True``
/// the ``error`` column is ``string_view`` instead of ``string`` (for polars, which takes
/// that layout without a copy).
#[pyfunction]
#[pyo3(signature = (data, *, spo2_scale=None, on_oxygen=None, error_view=false))]
pub(crate) fn _score_arrow<'py>(
    py: Python<'py>,
    data: AnyRecordBatch,
    spo2_scale: Option<&Bound<'py, PyAny>>,
    on_oxygen: Option<&Bound<'py, PyAny>>,
    error_view: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let single = matches!(data, AnyRecordBatch::RecordBatch(_));
    let text = if error_view {
        ErrorText::Views
    } else {
        ErrorText::Offsets
    };
    let (keywords, batches) = read_call(py, data, spo2_scale, on_oxygen)?;
    let scored = py
        .detach(|| score_to_arrow(&batches, keywords, text))
        .map_err(BatchError::into_pyerr)?;
    if single {
        let batch = concat_batches(&output::schema(text), &scored)
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        PyRecordBatch::new(batch).into_pyarrow(py)
    } else {
        PyTable::try_new(scored, output::schema(text))?.into_pyarrow(py)
    }
}

/// Scores as ``_score_arrow`` does, but returns the output as numpy arrays for the package
/// to build a pandas frame from: a dict of the output columns in order, where ``total``
/// and the scores are ``uint8`` values, ``risk`` is ``(int8 codes, -1 for null; labels)``,
/// ``error`` is ``(rows, messages)``, and ``missing`` is the ``bool`` mask of the rows
/// that could not be scored.
/// With ``error_arrow=True``, ``error`` is instead a pyarrow string array (null where a row
/// was scored), for pandas' Arrow-backed ``str`` dtype.
#[pyfunction]
#[pyo3(signature = (data, *, spo2_scale=None, on_oxygen=None, error_arrow=false))]
pub(crate) fn _score_arrow_numpy<'py>(
    py: Python<'py>,
    data: AnyRecordBatch,
    spo2_scale: Option<&Bound<'py, PyAny>>,
    on_oxygen: Option<&Bound<'py, PyAny>>,
    error_arrow: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let (keywords, batches) = read_call(py, data, spo2_scale, on_oxygen)?;
    let (out, messages) = py
        .detach(|| score_to_columns(&batches, keywords))
        .map_err(BatchError::into_pyerr)?;
    if error_arrow {
        out.into_numpy_arrow_errors(py, &messages)
    } else {
        out.into_numpy(py, messages)
    }
}
