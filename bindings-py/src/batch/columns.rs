//! Arrow columns into the core's [`RawColumns`] encoding, and back to faithful errors.
//!
//! Numbers become `f64` with null as NaN (missing); flags and levels become the core's
//! codes, with [`MISSING_CODE`] for null. The encoding is lossy only for values the core
//! refuses, so for those rows [`InputColumns::error`] asks the core's own parser again with
//! the value as given, and the message shows what the user wrote.

use std::borrow::Cow;
use std::fmt::Write;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float16Type, Float32Type, Float64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_buffer::{BooleanBuffer, NullBuffer};
use arrow_schema::DataType;
use news2_core::batch::{MISSING_CODE, RawColumns};
use news2_core::{Acvpu, Spo2Scale, VitalsError};

use super::levels::{Levels, levels};

/// Why a whole batch cannot be read: a problem with a column, not with a row.
#[derive(Debug)]
pub(crate) enum ColumnError {
    /// A required column is absent.
    Missing(&'static str),
    /// A column holds the wrong kind of data.
    WrongType {
        column: &'static str,
        found: DataType,
        expected: &'static str,
    },
    /// A column and a keyword both give `spo2_scale` or `on_oxygen`.
    Conflict(&'static str),
    /// Arrow could not convert a column.
    Arrow(String),
}

impl std::fmt::Display for ColumnError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Missing(c) => write!(
                f,
                "column {c:?} is missing: expected respiration_rate, spo2, systolic_bp, pulse, consciousness and temperature (spo2_scale and on_oxygen optional)"
            ),
            Self::WrongType {
                column,
                found,
                expected,
            } => {
                write!(f, "column {column:?} holds {found}: expected {expected}")
            }
            Self::Conflict(c) => write!(
                f,
                "{c} is given both as a column and as a keyword: give one"
            ),
            Self::Arrow(e) => write!(f, "{e}"),
        }
    }
}

/// An SpO2 scale number the core refuses (the core knows only the codes 1 and 2).
const INVALID_SCALE: u8 = 0;

/// The shortest decimal text of an `f32`, read as `f64`: a float32 cell holding 36.05 is
/// scored as 36.05, not as its binary value 36.04999923….
fn f32_as_written(x: f32, buf: &mut String) -> f64 {
    buf.clear();
    if write!(buf, "{x}").is_err() {
        return f64::from(x);
    }
    buf.parse().unwrap_or(f64::from(x))
}

fn with_nan<T: Copy>(values: impl Iterator<Item = Option<T>>, f: impl FnMut(T) -> f64) -> Vec<f64> {
    let mut f = f;
    values.map(|v| v.map_or(f64::NAN, &mut f)).collect()
}

/// A numeric column as `f64`, null as NaN. Borrowed when it already is a null-free float64.
fn floats<'a>(column: &'static str, array: &'a ArrayRef) -> Result<Cow<'a, [f64]>, ColumnError> {
    let mut buf = String::new();
    Ok(match array.data_type() {
        DataType::Float64 => {
            let a = array.as_primitive::<Float64Type>();
            if a.null_count() == 0 {
                Cow::Borrowed(a.values())
            } else {
                Cow::Owned(with_nan(a.iter(), |x| x))
            }
        }
        DataType::Float32 => {
            Cow::Owned(with_nan(array.as_primitive::<Float32Type>().iter(), |x| {
                f32_as_written(x, &mut buf)
            }))
        }
        DataType::Float16 => {
            Cow::Owned(with_nan(array.as_primitive::<Float16Type>().iter(), |x| {
                f32_as_written(x.to_f32(), &mut buf)
            }))
        }
        DataType::Null => Cow::Owned(vec![f64::NAN; array.len()]),
        t if t.is_numeric() || matches!(t, DataType::Dictionary(_, v) if v.is_numeric()) => {
            let cast = arrow_cast::cast(array, &DataType::Float64)
                .map_err(|e| ColumnError::Arrow(e.to_string()))?;
            Cow::Owned(with_nan(cast.as_primitive::<Float64Type>().iter(), |x| x))
        }
        other => {
            return Err(ColumnError::WrongType {
                column,
                found: other.clone(),
                expected: "numbers",
            });
        }
    })
}

/// `on_oxygen` as the core's codes: 0 air, 1 oxygen, [`MISSING_CODE`] for null.
fn flags(array: &ArrayRef) -> Result<Vec<u8>, ColumnError> {
    match array.data_type() {
        DataType::Boolean => {
            let flags = array.as_boolean();
            let mut codes = bytes_of_bits(flags.values());
            missing_where_null(&mut codes, flags.nulls());
            Ok(codes)
        }
        DataType::Null => Ok(vec![MISSING_CODE; array.len()]),
        other => Err(ColumnError::WrongType {
            column: "on_oxygen",
            found: other.clone(),
            expected: "booleans (True for supplemental oxygen, False for air)",
        }),
    }
}

/// One byte (0 or 1) per bit, a 64-bit word at a time: a million flags read bit by bit
/// took longer than scoring them.
fn bytes_of_bits(bits: &BooleanBuffer) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(bits.len() + 63);
    for word in bits.bit_chunks().iter_padded() {
        let expanded: [u8; 64] = std::array::from_fn(|b| u8::from((word >> b) & 1 == 1));
        bytes.extend_from_slice(&expanded);
    }
    bytes.truncate(bits.len());
    bytes
}

/// Sets [`MISSING_CODE`] at every row `nulls` marks null, its validity read a word at a
/// time.
pub(super) fn missing_where_null(codes: &mut [u8], nulls: Option<&NullBuffer>) {
    if let Some(nulls) = nulls.filter(|n| n.null_count() > 0) {
        for (code, valid) in codes.iter_mut().zip(bytes_of_bits(nulls.inner())) {
            if valid == 0 {
                *code = MISSING_CODE;
            }
        }
    }
}

/// `spo2_scale` as the core's codes, with the numbers as given for error messages.
struct Scales {
    codes: Vec<u8>,
    given: Vec<f64>,
}

fn scales(array: &ArrayRef) -> Result<Scales, ColumnError> {
    let given = floats("spo2_scale", array)?.into_owned();
    let codes = given
        .iter()
        .map(|&x| match Spo2Scale::from_number(x) {
            _ if x.is_nan() => MISSING_CODE,
            Ok(scale) => scale.number(),
            Err(_) => INVALID_SCALE,
        })
        .collect();
    Ok(Scales { codes, given })
}

/// The keywords of `score_batch`, already checked: they fill a column that is absent.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Keywords {
    pub(crate) spo2_scale: Option<Spo2Scale>,
    pub(crate) on_oxygen: Option<bool>,
}

/// One record batch's columns in the core's encoding.
pub(crate) struct InputColumns<'a> {
    respiration_rate: Cow<'a, [f64]>,
    spo2: Cow<'a, [f64]>,
    systolic_bp: Cow<'a, [f64]>,
    pulse: Cow<'a, [f64]>,
    temperature: Cow<'a, [f64]>,
    scales: Option<Scales>,
    on_oxygen: Option<Vec<u8>>,
    levels: Levels,
}

impl<'a> InputColumns<'a> {
    /// Reads the columns by name; extra columns are ignored.
    pub(crate) fn read(batch: &'a RecordBatch, keywords: Keywords) -> Result<Self, ColumnError> {
        let n = batch.num_rows();
        let column =
            |name: &'static str| batch.column_by_name(name).ok_or(ColumnError::Missing(name));
        let scales = match (batch.column_by_name("spo2_scale"), keywords.spo2_scale) {
            (Some(_), Some(_)) => return Err(ColumnError::Conflict("spo2_scale")),
            (Some(c), None) => Some(scales(c)?),
            (None, Some(s)) => Some(Scales {
                codes: vec![s.number(); n],
                given: vec![f64::from(s.number()); n],
            }),
            (None, None) => None,
        };
        let on_oxygen = match (batch.column_by_name("on_oxygen"), keywords.on_oxygen) {
            (Some(_), Some(_)) => return Err(ColumnError::Conflict("on_oxygen")),
            (Some(c), None) => Some(flags(c)?),
            (None, Some(o)) => Some(vec![u8::from(o); n]),
            (None, None) => None,
        };
        Ok(Self {
            respiration_rate: floats("respiration_rate", column("respiration_rate")?)?,
            spo2: floats("spo2", column("spo2")?)?,
            systolic_bp: floats("systolic_bp", column("systolic_bp")?)?,
            pulse: floats("pulse", column("pulse")?)?,
            temperature: floats("temperature", column("temperature")?)?,
            levels: levels(column("consciousness")?)?,
            scales,
            on_oxygen,
        })
    }

    /// The columns as the core's batch input.
    pub(crate) fn raw(&self) -> RawColumns<'_> {
        RawColumns {
            respiration_rate: &self.respiration_rate,
            spo2: &self.spo2,
            spo2_scale: self.scales.as_ref().map(|s| s.codes.as_slice()),
            on_oxygen: self.on_oxygen.as_deref(),
            systolic_bp: &self.systolic_bp,
            pulse: &self.pulse,
            consciousness: &self.levels.codes,
            temperature: &self.temperature,
        }
    }

    /// Why row `i` could not be scored, from the core's error `e` for the row: the value as
    /// given where the encoding lost it (an invalid scale number, an invalid level text).
    pub(crate) fn as_given(&self, i: usize, e: VitalsError) -> VitalsError {
        match e {
            VitalsError::InvalidScale { .. } => self
                .scales
                .as_ref()
                .and_then(|s| Spo2Scale::from_number(s.given[i]).err())
                .unwrap_or(e),
            VitalsError::InvalidConsciousness { .. } => self
                .levels
                .text(i)
                .and_then(|t| t.parse::<Acvpu>().err())
                .unwrap_or(e),
            e => e,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::BooleanArray;
    use std::sync::Arc;

    #[test]
    fn flags_read_by_words_match_flags_read_one_by_one() {
        // Lengths around word edges, with and without nulls, sliced at odd offsets.
        let values: Vec<Option<bool>> = (0..300_u32)
            .map(|i| match i % 7 {
                0 => None,
                1 | 4 => Some(true),
                _ => Some(i % 3 == 0),
            })
            .collect();
        let no_nulls: Vec<Option<bool>> = values.iter().map(|v| Some(v.unwrap_or(true))).collect();
        for given in [&values, &no_nulls] {
            let whole = BooleanArray::from(given.clone());
            for (offset, len) in [
                (0, 0),
                (0, 1),
                (0, 64),
                (0, 65),
                (3, 61),
                (5, 128),
                (13, 287),
            ] {
                let array: ArrayRef = Arc::new(whole.slice(offset, len));
                let expected: Vec<u8> = given[offset..offset + len]
                    .iter()
                    .map(|v| v.map_or(MISSING_CODE, u8::from))
                    .collect();
                assert_eq!(
                    flags(&array).unwrap(),
                    expected,
                    "offset {offset}, len {len}"
                );
            }
        }
    }
}
