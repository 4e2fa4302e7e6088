//! `scoreBatch`: typed-array columns in, typed-array columns out, through the core's
//! `score_raw_columns_reporting` (which checks every row exactly like the scalar path).

use news2_core::batch::{RawColumns, ScoreColumnsMut, score_raw_columns_reporting};
use wasm_bindgen::prelude::*;

use crate::failure::Failure;
use crate::labels::field_code;

/// How many output columns [`score_columns`] writes, in this order: `total`, `risk`, the
/// seven parameter scores in chart order, `error` (`VitalsError::code`, 0 when the row was
/// scored) and `errorField` (index in the `field` label table, 255 when the row was scored).
pub const OUTPUT_COLUMNS: usize = 11;

/// The value of `errorField` for a row that was scored.
pub const NO_FIELD: u8 = u8::MAX;

/// The core's batch constants, `[NO_SCORE, MISSING_CODE]`; the wrapper checks its exported
/// `NO_SCORE` and `MISSING_CODE` against them when it loads.
#[wasm_bindgen(js_name = batchConstants)]
pub fn batch_constants() -> Vec<u8> {
    vec![news2_core::batch::NO_SCORE, news2_core::batch::MISSING_CODE]
}

/// The scored columns, concatenated, and how many rows could not be scored.
#[wasm_bindgen]
#[derive(Debug)]
pub struct BatchScores {
    columns: Vec<u8>,
    /// Rows that could not be scored (their scores are `NO_SCORE`).
    pub errors: u32,
}

#[wasm_bindgen]
impl BatchScores {
    /// Moves the [`OUTPUT_COLUMNS`] columns out (each `rows` long, one after the other).
    #[wasm_bindgen(js_name = takeColumns)]
    pub fn take_columns(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.columns)
    }
}

/// Scores columns with `news2_core::batch::score_raw_columns_reporting` (NaN is missing;
/// see `RawColumns` for the codes), which also names the field of each failed row. Columns
/// of different lengths are a `length_mismatch` failure.
#[allow(clippy::too_many_arguments)] // one column per vital
#[wasm_bindgen(js_name = scoreColumns)]
pub fn score_columns(
    respiration_rate: &[f64],
    spo2: &[f64],
    spo2_scale: Option<Vec<u8>>,
    on_oxygen: Option<Vec<u8>>,
    systolic_bp: &[f64],
    pulse: &[f64],
    consciousness: &[u8],
    temperature: &[f64],
) -> Result<BatchScores, Failure> {
    let input = RawColumns {
        respiration_rate,
        spo2,
        spo2_scale: spo2_scale.as_deref(),
        on_oxygen: on_oxygen.as_deref(),
        systolic_bp,
        pulse,
        consciousness,
        temperature,
    };
    let rows = input.len()?;
    let mut columns = vec![0u8; OUTPUT_COLUMNS * rows];
    let (scored, error_field) = columns.split_at_mut((OUTPUT_COLUMNS - 1) * rows);
    let mut chunks = scored.chunks_exact_mut(rows.max(1));
    let mut next = || chunks.next().unwrap_or_default();
    let mut out = ScoreColumnsMut {
        total: next(),
        risk: next(),
        respiration_rate: next(),
        spo2: next(),
        on_oxygen: next(),
        systolic_bp: next(),
        pulse: next(),
        consciousness: next(),
        temperature: next(),
        error: next(),
    };
    error_field.fill(NO_FIELD);
    let errors = score_raw_columns_reporting(&input, &mut out, |row, e| {
        error_field[row] = field_code(e.field());
    })?;
    Ok(BatchScores {
        columns,
        errors: u32::try_from(errors).unwrap_or(u32::MAX),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use news2_core::batch::NO_SCORE;

    #[test]
    fn scores_and_names_failed_rows() {
        let mut out = score_columns(
            &[18.0, f64::NAN, 18.0],
            &[97.0, 97.0, 101.0],
            None,
            None,
            &[120.0; 3],
            &[70.0; 3],
            &[0, 0, 0],
            &[37.0; 3],
        )
        .expect("equal lengths");
        assert_eq!(out.errors, 2);
        let cols = out.take_columns();
        let col = |k: usize| &cols[k * 3..k * 3 + 3];
        assert_eq!(col(0), [0, NO_SCORE, NO_SCORE]);
        assert_eq!(col(9), [0, 7, 1], "missing, out_of_range");
        assert_eq!(col(10), [NO_FIELD, 0, 2], "respiration_rate, spo2");
    }

    #[test]
    fn empty_and_mismatched_columns() {
        let mut out =
            score_columns(&[], &[], None, None, &[], &[], &[], &[]).expect("empty is fine");
        assert!(out.take_columns().is_empty());
        let err =
            score_columns(&[1.0], &[], None, None, &[1.0], &[1.0], &[0], &[37.0]).unwrap_err();
        assert_eq!(
            (err.kind(), err.field(), err.found()),
            ("length_mismatch".into(), Some("spo2".into()), Some(0))
        );
    }
}
