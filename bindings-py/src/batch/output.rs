//! The output columns of `score_batch`, filled by the core and handed out as Arrow.

use std::sync::{Arc, OnceLock};

use arrow_array::types::UInt8Type;
use arrow_array::{ArrayRef, DictionaryArray, RecordBatch, StringArray, UInt8Array};
use arrow_buffer::{BooleanBuffer, NullBuffer};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use news2_core::Parameter;
use news2_core::batch::{RISK_LABELS, ScoreColumnsMut};

/// The name of a parameter's score column: `pulse_score`. The suffix keeps a score from
/// being read as a measurement when the output is joined to the input.
fn score_column(p: Parameter) -> String {
    format!("{}_score", p.as_str())
}

/// The schema of every `score_batch` output: `total`, `risk`, one `<parameter>_score` per
/// parameter in chart order, and `error`. Every column is null where `error` is not.
pub(crate) fn schema() -> SchemaRef {
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
    fields.push(Field::new("error", DataType::Utf8, true));
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

    /// The rows the core could not score.
    pub(crate) fn error_rows(&self) -> impl Iterator<Item = usize> + '_ {
        self.error
            .iter()
            .enumerate()
            .filter(|(_, code)| **code != 0)
            .map(|(i, _)| i)
    }

    /// The Arrow record batch, with `messages` (row, text) for the rows in error.
    pub(crate) fn into_record_batch(
        self,
        messages: &[(usize, String)],
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
        let error_text: ArrayRef = if messages.is_empty() {
            Arc::new(StringArray::new_null(n))
        } else {
            let mut text: Vec<Option<&str>> = vec![None; n];
            for (i, m) in messages {
                text[*i] = Some(m);
            }
            Arc::new(StringArray::from(text))
        };
        let mut columns: Vec<ArrayRef> = vec![nullable(self.total), Arc::new(risk)];
        columns.extend(self.parameters.into_iter().map(nullable));
        columns.push(error_text);
        RecordBatch::try_new(schema(), columns)
    }
}
