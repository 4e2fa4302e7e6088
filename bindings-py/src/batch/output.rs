//! The output columns of `score_batch`, filled by the core and handed out as Arrow.

use std::sync::{Arc, OnceLock};

use arrow_array::cast::AsArray;
use arrow_array::types::UInt8Type;
use arrow_array::{
    ArrayRef, DictionaryArray, RecordBatch, StringArray, StringViewArray, UInt8Array, UInt32Array,
};
use arrow_buffer::{BooleanBuffer, BooleanBufferBuilder, NullBuffer, OffsetBuffer};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use news2_core::Parameter;
use news2_core::batch::{RISK_LABELS, ScoreColumnsMut};
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The name of a parameter's score column: `pulse_score`. The suffix keeps a score from
/// being read as a measurement when the output is joined to the input.
fn score_column(p: Parameter) -> String {
    format!("{}_score", p.as_str())
}

/// How the `error` column's text is laid out in Arrow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ErrorText {
    /// `Utf8`: offsets into one buffer, what every Arrow reader takes (pyarrow, pandas,
    /// Spark).
    Offsets,
    /// `Utf8View`: polars' own layout for text, which it takes without a copy (from offsets
    /// it rebuilds a view for each of the million rows).
    Views,
}

impl ErrorText {
    fn data_type(self) -> DataType {
        match self {
            Self::Offsets => DataType::Utf8,
            Self::Views => DataType::Utf8View,
        }
    }
}

/// The schema of every `score_batch` output: `total`, `risk`, one `<parameter>_score` per
/// parameter in chart order, and `error` (text laid out as `text` says). Every column is
/// null where `error` is not.
pub(crate) fn schema(text: ErrorText) -> SchemaRef {
    let risk_type = DataType::Dictionary(Box::new(DataType::UInt8), Box::new(DataType::Utf8));
    let mut fields = vec![
        Field::new("total", DataType::UInt8, true),
        #[allow(deprecated)] // the ordered flag: pandas reads the risk as an ordered categorical
        Field::new_dict("risk", risk_type, true, 0, true),
    ];
    fields.extend(
        Parameter::ALL
            .into_iter()
            .map(|p| Field::new(score_column(p), DataType::UInt8, true)),
    );
    fields.push(Field::new("error", text.data_type(), true));
    Arc::new(Schema::new(fields))
}

/// The risk labels, one array shared by every output batch, so that batches concatenate
/// (and chunks of a table convert) without repeating the dictionary.
fn risk_labels() -> ArrayRef {
    static LABELS: OnceLock<ArrayRef> = OnceLock::new();
    LABELS
        .get_or_init(|| Arc::new(StringArray::from(RISK_LABELS.to_vec())))
        .clone()
}

/// Owned output buffers, one element per row.
pub(crate) struct ScoreColumns {
    total: Vec<u8>,
    risk: Vec<u8>,
    parameters: [Vec<u8>; 7],
    error: Vec<u8>,
}

impl ScoreColumns {
    pub(crate) fn new(n: usize) -> Self {
        Self {
            total: vec![0; n],
            risk: vec![0; n],
            parameters: std::array::from_fn(|_| vec![0; n]),
            error: vec![0; n],
        }
    }

    /// The buffers as the core's output columns.
    pub(crate) fn as_mut(&mut self) -> ScoreColumnsMut<'_> {
        let [rr, spo2, ox, sbp, pulse, acvpu, temp] = &mut self.parameters;
        ScoreColumnsMut {
            total: &mut self.total,
            risk: &mut self.risk,
            respiration_rate: rr,
            spo2,
            on_oxygen: ox,
            systolic_bp: sbp,
            pulse,
            consciousness: acvpu,
            temperature: temp,
            error: &mut self.error,
        }
    }

    /// The Arrow record batch, with `messages` (row, text) for the rows in error.
    pub(crate) fn into_record_batch(
        self,
        messages: &[(usize, String)],
        text: ErrorText,
    ) -> Result<RecordBatch, ArrowError> {
        let n = self.error.len();
        let scored = if messages.is_empty() {
            None
        } else {
            Some(NullBuffer::new(BooleanBuffer::collect_bool(n, |i| {
                self.error[i] == 0
            })))
        };
        let nullable = |values: Vec<u8>| -> ArrayRef {
            Arc::new(UInt8Array::new(values.into(), scored.clone()))
        };
        let mut risk_keys = self.risk;
        if scored.is_some() {
            // Keys under a null are never read, but keep them in range for strict readers.
            risk_keys
                .iter_mut()
                .filter(|k| usize::from(**k) >= RISK_LABELS.len())
                .for_each(|k| *k = 0);
        }
        let risk = DictionaryArray::<UInt8Type>::try_new(
            UInt8Array::new(risk_keys.into(), scored.clone()),
            risk_labels(),
        )?;
        let error_text: ArrayRef = match (text, messages.is_empty()) {
            (ErrorText::Offsets, true) => Arc::new(StringArray::new_null(n)),
            (ErrorText::Offsets, false) => Arc::new(error_text(n, messages)?),
            (ErrorText::Views, true) => Arc::new(StringViewArray::new_null(n)),
            (ErrorText::Views, false) => Arc::new(error_views(n, messages)?),
        };
        let mut columns: Vec<ArrayRef> = vec![nullable(self.total), Arc::new(risk)];
        columns.extend(self.parameters.into_iter().map(nullable));
        columns.push(error_text);
        RecordBatch::try_new(schema(text), columns)
    }

    /// The columns as numpy arrays, without copying the score buffers: see
    /// `_score_arrow_numpy` for the layout. `messages` holds (row, text) per bad row.
    pub(crate) fn into_numpy(
        self,
        py: Python<'_>,
        messages: Vec<(usize, String)>,
    ) -> PyResult<Bound<'_, PyDict>> {
        let missing: Vec<bool> = self.error.iter().map(|&code| code != 0).collect();
        let risk_codes: Vec<i8> = self
            .risk
            .iter()
            .zip(&missing)
            .map(|(&key, &missing)| {
                i8::try_from(key)
                    .ok()
                    .filter(|_| !missing && usize::from(key) < RISK_LABELS.len())
                    .unwrap_or(-1)
            })
            .collect();
        let columns = PyDict::new(py);
        columns.set_item("total", PyArray1::from_vec(py, self.total))?;
        columns.set_item(
            "risk",
            (PyArray1::from_vec(py, risk_codes), RISK_LABELS.to_vec()),
        )?;
        for (p, values) in Parameter::ALL.into_iter().zip(self.parameters) {
            columns.set_item(score_column(p), PyArray1::from_vec(py, values))?;
        }
        let (rows, texts): (Vec<usize>, Vec<String>) = messages.into_iter().unzip();
        columns.set_item("error", (PyArray1::from_vec(py, rows), texts))?;
        columns.set_item("missing", PyArray1::from_vec(py, missing))?;
        Ok(columns)
    }

    /// [`Self::into_numpy`], with `error` a pyarrow string array instead of (rows, texts):
    /// pandas' Arrow-backed `str` dtype takes it as it is, where it would check each of a
    /// million objects.
    pub(crate) fn into_numpy_arrow_errors<'py>(
        self,
        py: Python<'py>,
        messages: &[(usize, String)],
    ) -> PyResult<Bound<'py, PyDict>> {
        let errors = error_text(self.error.len(), messages)
            .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
        let errors = pyo3_arrow::PyArray::from_array_ref(Arc::new(errors))
            .to_pyarrow(py)?
            .unbind();
        let columns = self.into_numpy(py, Vec::new())?;
        columns.set_item("error", errors)?;
        Ok(columns)
    }
}

/// The `error` column: the message of each bad row, null elsewhere. Built from offsets
/// directly, as a million mostly-null rows are too many for a row-by-row builder.
/// `messages` are (row, text) in row order.
fn error_text(n: usize, messages: &[(usize, String)]) -> Result<StringArray, ArrowError> {
    let too_long = || ArrowError::ComputeError("error messages exceed 2 GiB".to_owned());
    let mut values = String::with_capacity(messages.iter().map(|(_, m)| m.len()).sum());
    let mut offsets = Vec::with_capacity(n + 1);
    let mut valid = BooleanBufferBuilder::new(n);
    offsets.push(0_i32);
    // Runs of rows without a message are filled at once: they are nearly all the rows.
    let mut next_row = 0;
    for (row, message) in messages {
        let end = *offsets.last().unwrap_or(&0);
        offsets.resize(offsets.len() + (row - next_row), end);
        valid.append_n(row - next_row, false);
        values.push_str(message);
        offsets.push(i32::try_from(values.len()).map_err(|_| too_long())?);
        valid.append(true);
        next_row = row + 1;
    }
    let end = *offsets.last().unwrap_or(&0);
    offsets.resize(offsets.len() + (n - next_row), end);
    valid.append_n(n - next_row, false);
    StringArray::try_new(
        OffsetBuffer::new(offsets.into()),
        values.into_bytes().into(),
        Some(NullBuffer::new(valid.finish())),
    )
}

/// [`error_text`] as a string view array. The messages are made into views once each,
/// then placed by row with Arrow's `take` (null where a row has none): built directly, the
/// array's checks read every one of the million views, which cost more than scoring them.
fn error_views(n: usize, messages: &[(usize, String)]) -> Result<StringViewArray, ArrowError> {
    let texts = StringViewArray::from_iter_values(messages.iter().map(|(_, m)| m.as_str()));
    let mut keys = vec![0_u32; n];
    let mut valid = BooleanBufferBuilder::new(n);
    valid.append_n(n, false);
    for (k, (row, _)) in messages.iter().enumerate() {
        keys[*row] = u32::try_from(k)
            .map_err(|_| ArrowError::ComputeError("over 2^32 error messages".to_owned()))?;
        valid.set_bit(*row, true);
    }
    let rows = UInt32Array::new(keys.into(), Some(NullBuffer::new(valid.finish())));
    let placed = arrow_select::take::take(&texts, &rows, None)?;
    Ok(placed.as_string_view().clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Array;

    fn messages() -> Vec<(usize, String)> {
        vec![
            (1, "short".to_owned()),
            (2, "exactly12byt".to_owned()),
            (4, "a message longer than twelve bytes".to_owned()),
            (5, "and another one, after it".to_owned()),
        ]
    }

    /// Each row of a text column: its text, or `None` where it is null.
    fn rows(array: &dyn Array) -> Vec<Option<String>> {
        (0..array.len())
            .map(|r| {
                array.is_valid(r).then(|| match array.data_type() {
                    DataType::Utf8View => array.as_string_view().value(r).to_owned(),
                    _ => array.as_string::<i32>().value(r).to_owned(),
                })
            })
            .collect()
    }

    #[test]
    fn both_layouts_put_each_message_at_its_row_and_null_elsewhere() {
        let mut expected = vec![None; 7];
        for (row, m) in messages() {
            expected[row] = Some(m);
        }
        assert_eq!(rows(&error_text(7, &messages()).unwrap()), expected);
        assert_eq!(rows(&error_views(7, &messages()).unwrap()), expected);
    }

    #[test]
    fn without_messages_every_row_is_null() {
        for n in [0, 1, 1000] {
            assert_eq!(rows(&error_text(n, &[]).unwrap()), vec![None; n]);
            assert_eq!(rows(&error_views(n, &[]).unwrap()), vec![None; n]);
        }
    }

    #[test]
    fn a_batch_has_the_schema_its_text_layout_names() {
        for text in [ErrorText::Offsets, ErrorText::Views] {
            let mut out = ScoreColumns::new(7);
            for (row, _) in messages() {
                out.error[row] = 1;
            }
            let batch = out.into_record_batch(&messages(), text).unwrap();
            assert_eq!(batch.schema(), schema(text));
            let error = batch.column_by_name("error").unwrap();
            assert_eq!(error.data_type(), &text.data_type());
            assert_eq!(error.null_count(), 3);
            assert_eq!(batch.column_by_name("total").unwrap().null_count(), 4);
        }
    }
}
