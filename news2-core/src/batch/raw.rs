//! The untyped columnar entry point: floats with NaN for missing and small integer
//! codes, as data frames and the bindings hold them.

use super::{
    ChartRow, LengthMismatch, MISSING_CODE, NO_SCORE, branch_free_scores, check_lengths,
    total_and_risk,
};
use crate::{
    Acvpu, Field, Pulse, RespirationRate, Spo2, Spo2Scale, SystolicBp, Temperature, Vitals,
    VitalsError,
};

/// Untyped columns as data frames hold them. A NaN in a float column means missing.
///
/// - `spo2_scale`: 1 or 2 per row; `None` means Scale 1 for every row; [`MISSING_CODE`]
///   is missing; anything else is invalid.
/// - `on_oxygen`: 0 (air) or 1 (oxygen); `None` means air for every row;
///   [`MISSING_CODE`] is missing; anything else is invalid.
/// - `consciousness`: [`Acvpu::code`] (0 A, 1 C, 2 V, 3 P, 4 U), [`MISSING_CODE`] for
///   missing; anything else is invalid.
#[derive(Debug, Clone, Copy)]
#[allow(missing_docs)] // the fields are the Vitals fields, as columns
pub struct RawColumns<'a> {
    pub respiration_rate: &'a [f64],
    pub spo2: &'a [f64],
    pub spo2_scale: Option<&'a [u8]>,
    pub on_oxygen: Option<&'a [u8]>,
    pub systolic_bp: &'a [f64],
    pub pulse: &'a [f64],
    pub consciousness: &'a [u8],
    pub temperature: &'a [f64],
}

impl RawColumns<'_> {
    /// The number of rows, once every column is checked to have it.
    pub fn len(&self) -> Result<usize, LengthMismatch> {
        let n = self.respiration_rate.len();
        check_lengths(
            n,
            &[
                ("spo2", self.spo2.len()),
                ("spo2_scale", self.spo2_scale.map_or(n, <[u8]>::len)),
                ("on_oxygen", self.on_oxygen.map_or(n, <[u8]>::len)),
                ("systolic_bp", self.systolic_bp.len()),
                ("pulse", self.pulse.len()),
                ("consciousness", self.consciousness.len()),
                ("temperature", self.temperature.len()),
            ],
        )?;
        Ok(n)
    }

    /// Whether there are no rows, once every column is checked to have the same length.
    pub fn is_empty(&self) -> Result<bool, LengthMismatch> {
        self.len().map(|n| n == 0)
    }

    /// Row `i` as a valid observation set, or the first problem in chart order. Uses the
    /// same constructors as the scalar API, so the batch and the scalar path cannot
    /// disagree.
    ///
    /// # Panics
    /// If `i` is out of bounds for any column.
    pub fn row(&self, i: usize) -> Result<Vitals, VitalsError> {
        let present = |field, x: f64| {
            if x.is_nan() {
                Err(VitalsError::Missing { field })
            } else {
                Ok(x)
            }
        };
        let respiration_rate =
            RespirationRate::from_f64(present(Field::RespirationRate, self.respiration_rate[i])?)?;
        let spo2_scale = match self.spo2_scale.map(|c| c[i]) {
            None | Some(1) => Spo2Scale::Scale1,
            Some(2) => Spo2Scale::Scale2,
            Some(MISSING_CODE) => {
                return Err(VitalsError::Missing {
                    field: Field::Spo2Scale,
                });
            }
            Some(other) => {
                return Err(VitalsError::InvalidScale {
                    value: f64::from(other),
                });
            }
        };
        let spo2 = Spo2::from_f64(present(Field::Spo2, self.spo2[i])?)?;
        let on_oxygen = match self.on_oxygen.map(|c| c[i]) {
            None | Some(0) => false,
            Some(1) => true,
            Some(MISSING_CODE) => {
                return Err(VitalsError::Missing {
                    field: Field::OnOxygen,
                });
            }
            Some(other) => {
                return Err(VitalsError::OutOfRange {
                    field: Field::OnOxygen,
                    value: f64::from(other),
                    min: 0.0,
                    max: 1.0,
                });
            }
        };
        let systolic_bp = SystolicBp::from_f64(present(Field::SystolicBp, self.systolic_bp[i])?)?;
        let pulse = Pulse::from_f64(present(Field::Pulse, self.pulse[i])?)?;
        let consciousness = match self.consciousness[i] {
            MISSING_CODE => {
                return Err(VitalsError::Missing {
                    field: Field::Consciousness,
                });
            }
            code => Acvpu::from_code(code).ok_or_else(|| VitalsError::InvalidConsciousness {
                text: crate::Snippet::new(code_text(code).as_str()),
            })?,
        };
        let temperature =
            Temperature::from_celsius(present(Field::Temperature, self.temperature[i])?)?;
        Ok(Vitals {
            respiration_rate,
            spo2,
            spo2_scale,
            on_oxygen,
            systolic_bp,
            pulse,
            consciousness,
            temperature,
        })
    }
}

/// "code N" for an invalid consciousness code, without allocating.
fn code_text(code: u8) -> crate::error::Snippet {
    let mut buf = *b"code 000";
    buf[5] = b'0' + code / 100;
    buf[6] = b'0' + code / 10 % 10;
    buf[7] = b'0' + code % 10;
    crate::Snippet::new(core::str::from_utf8(&buf).unwrap_or("code"))
}

/// Output columns of [`score_raw_columns`], one element per row. Where a row could not
/// be scored every score is [`NO_SCORE`] and `error` holds [`VitalsError::code`]; get
/// the full error with [`RawColumns::row`].
#[derive(Debug)]
#[allow(missing_docs)] // per-parameter columns named like ParameterScores
pub struct ScoreColumnsMut<'a> {
    pub total: &'a mut [u8],
    pub risk: &'a mut [u8],
    pub respiration_rate: &'a mut [u8],
    pub spo2: &'a mut [u8],
    pub on_oxygen: &'a mut [u8],
    pub systolic_bp: &'a mut [u8],
    pub pulse: &'a mut [u8],
    pub consciousness: &'a mut [u8],
    pub temperature: &'a mut [u8],
    pub error: &'a mut [u8],
}

impl<'a> ScoreColumnsMut<'a> {
    /// Splits every column at row `at`: the rows before it, and the rows from it on, so
    /// that parts of one output can be scored on different threads.
    ///
    /// # Panics
    /// When `at` is beyond the end of any column, like [`slice::split_at_mut`].
    ///
    /// ```
    /// use news2_core::batch::ScoreColumnsMut;
    /// let mut cols = [[0u8; 3]; 10];
    /// let [total, risk, rr, spo2, ox, sbp, pulse, acvpu, temp, error] = &mut cols;
    /// let out = ScoreColumnsMut { total, risk, respiration_rate: rr, spo2, on_oxygen: ox,
    ///     systolic_bp: sbp, pulse, consciousness: acvpu, temperature: temp, error };
    /// let (head, tail) = out.split_at(1);
    /// assert_eq!((head.total.len(), tail.error.len()), (1, 2));
    /// ```
    pub fn split_at(self, at: usize) -> (Self, Self) {
        macro_rules! split {
            ($($column:ident),*) => {{
                let Self { $($column),* } = self;
                $(let $column = $column.split_at_mut(at);)*
                (Self { $($column: $column.0),* }, Self { $($column: $column.1),* })
            }};
        }
        split!(
            total,
            risk,
            respiration_rate,
            spo2,
            on_oxygen,
            systolic_bp,
            pulse,
            consciousness,
            temperature,
            error
        )
    }
}

/// Scores untyped columns row by row; returns how many rows could not be scored.
///
/// Rows whose values are plainly in range and not within a hair of a rounding tie are
/// scored by a branch-free pass; every other row (missing, invalid, a tie, an unusual
/// code) is decided by [`RawColumns::row`], the same checks as the scalar API. A test
/// checks both passes agree with the scalar API on random input.
///
/// The work goes in chunks of a few hundred rows, so each chunk's intermediate columns
/// stay in L1 and the input is read once.
///
/// ```
/// use news2_core::batch::{score_raw_columns, RawColumns, ScoreColumnsMut, NO_SCORE};
/// use news2_core::VitalsError;
///
/// let input = RawColumns {
///     respiration_rate: &[18.0, f64::NAN, 18.0],
///     spo2: &[97.0, 97.0, 101.0],
///     spo2_scale: None,
///     on_oxygen: None,
///     systolic_bp: &[120.0; 3],
///     pulse: &[70.0; 3],
///     consciousness: &[0; 3],
///     temperature: &[37.0; 3],
/// };
/// let mut cols = [[0u8; 3]; 10];
/// let [total, risk, rr, spo2, ox, sbp, pulse, acvpu, temp, error] = &mut cols;
/// let mut out = ScoreColumnsMut { total, risk, respiration_rate: rr, spo2, on_oxygen: ox,
///     systolic_bp: sbp, pulse, consciousness: acvpu, temperature: temp, error };
/// assert_eq!(score_raw_columns(&input, &mut out)?, 2);
/// assert_eq!(out.total, [0, NO_SCORE, NO_SCORE]);
/// assert_eq!(VitalsError::KINDS[usize::from(out.error[1])], "missing");
/// assert_eq!(input.row(2).unwrap_err().kind(), "out_of_range");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn score_raw_columns(
    input: &RawColumns<'_>,
    out: &mut ScoreColumnsMut<'_>,
) -> Result<usize, LengthMismatch> {
    score_raw_columns_reporting(input, out, |_, _| {})
}

/// [`score_raw_columns`], handing each row that cannot be scored to `rejected` with its
/// error, in row order, while the row is in cache (asking [`RawColumns::row`] for it
/// afterwards reads the row from memory again).
///
/// ```
/// use news2_core::batch::{score_raw_columns_reporting, RawColumns, ScoreColumnsMut};
/// use news2_core::VitalsError;
///
/// let input = RawColumns {
///     respiration_rate: &[18.0, f64::NAN, 18.0],
///     spo2: &[97.0, 97.0, 101.0],
///     spo2_scale: None,
///     on_oxygen: None,
///     systolic_bp: &[120.0; 3],
///     pulse: &[70.0; 3],
///     consciousness: &[0; 3],
///     temperature: &[37.0; 3],
/// };
/// let mut cols = [[0u8; 3]; 10];
/// let [total, risk, rr, spo2, ox, sbp, pulse, acvpu, temp, error] = &mut cols;
/// let mut out = ScoreColumnsMut { total, risk, respiration_rate: rr, spo2, on_oxygen: ox,
///     systolic_bp: sbp, pulse, consciousness: acvpu, temperature: temp, error };
/// let mut rejected: Vec<(usize, VitalsError)> = Vec::new();
/// score_raw_columns_reporting(&input, &mut out, |row, e| rejected.push((row, e)))?;
/// assert_eq!(rejected, [(1, input.row(1).unwrap_err()), (2, input.row(2).unwrap_err())]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn score_raw_columns_reporting(
    input: &RawColumns<'_>,
    out: &mut ScoreColumnsMut<'_>,
    mut rejected: impl FnMut(usize, VitalsError),
) -> Result<usize, LengthMismatch> {
    let n = input.len()?;
    check_lengths(
        n,
        &[
            ("total", out.total.len()),
            ("risk", out.risk.len()),
            ("respiration_rate", out.respiration_rate.len()),
            ("spo2", out.spo2.len()),
            ("on_oxygen", out.on_oxygen.len()),
            ("systolic_bp", out.systolic_bp.len()),
            ("pulse", out.pulse.len()),
            ("consciousness", out.consciousness.len()),
            ("temperature", out.temperature.len()),
            ("error", out.error.len()),
        ],
    )?;
    let mut chunk = Chunk::new();
    let mut errors = 0;
    let mut start = 0;
    while start < n {
        let len = CHUNK.min(n - start);
        if chunk.score_plain(input, start, len) {
            // The exact scalar checks, for the rows the branch-free pass set aside.
            for j in 0..len {
                if chunk.ok[j] == 0 {
                    let result = input.row(start + j);
                    if let Err(e) = result {
                        rejected(start + j, e);
                    }
                    let row = RowOutput::from_result(result);
                    errors += usize::from(row.error != 0);
                    chunk.out.write_row(j, &row);
                }
            }
        }
        chunk.out.copy_to(out, start, len);
        start += len;
    }
    Ok(errors)
}

/// Rows per chunk: the chunk's columns (about 5 KiB) stay in L1 between the passes.
const CHUNK: usize = 256;

/// Stand-ins for an absent `spo2_scale` (Scale 1) or `on_oxygen` (air) column.
static SCALE_1: [u8; CHUNK] = [1; CHUNK];
static ON_AIR: [u8; CHUNK] = [0; CHUNK];

/// Column indices in [`Chunk::out`]: the seven scores in chart order, then these.
const TOTAL: usize = 7;
const RISK: usize = 8;
const ERROR: usize = 9;

/// What one row contributes to the output columns.
struct RowOutput {
    scores: [u8; 7],
    total: u8,
    risk: u8,
    error: u8,
}

impl RowOutput {
    fn from_result(row: Result<Vitals, VitalsError>) -> Self {
        match row {
            Ok(v) => {
                let s = v.score();
                Self {
                    scores: s.parameters.as_array(),
                    total: s.total,
                    risk: s.risk.code(),
                    error: 0,
                }
            }
            Err(e) => Self {
                scores: [NO_SCORE; 7],
                total: NO_SCORE,
                risk: NO_SCORE,
                error: e.code(),
            },
        }
    }
}

/// One chunk of output, column by column: the seven scores in chart order, then
/// [`TOTAL`], [`RISK`] and [`ERROR`].
struct ChunkOutput([[u8; CHUNK]; 10]);

impl ChunkOutput {
    /// The one place a row's output is stored.
    #[inline(always)]
    fn write_row(&mut self, j: usize, row: &RowOutput) {
        for (column, &score) in self.0.iter_mut().zip(&row.scores) {
            column[j] = score;
        }
        self.0[TOTAL][j] = row.total;
        self.0[RISK][j] = row.risk;
        self.0[ERROR][j] = row.error;
    }

    fn copy_to(&self, out: &mut ScoreColumnsMut<'_>, start: usize, len: usize) {
        let columns = [
            &mut *out.respiration_rate,
            &mut *out.spo2,
            &mut *out.on_oxygen,
            &mut *out.systolic_bp,
            &mut *out.pulse,
            &mut *out.consciousness,
            &mut *out.temperature,
            &mut *out.total,
            &mut *out.risk,
            &mut *out.error,
        ];
        for (column, chunk) in columns.into_iter().zip(&self.0) {
            column[start..start + len].copy_from_slice(&chunk[..len]);
        }
    }
}

/// A chunk's output, and which of its rows the branch-free pass vouches for.
struct Chunk {
    out: ChunkOutput,
    ok: [u8; CHUNK],
    /// The readings narrowed to `f32`, then rounded, in the order of
    /// [`Chunk::score_plain`].
    narrow: [[f32; CHUNK]; 5],
    values: [[u16; CHUNK]; 5],
}

impl Chunk {
    fn new() -> Self {
        Self {
            out: ChunkOutput([[0; CHUNK]; 10]),
            ok: [0; CHUNK],
            narrow: [[0.0; CHUNK]; 5],
            values: [[0; CHUNK]; 5],
        }
    }

    /// The branch-free pass over rows `start..start + len`: scores every row, and marks
    /// in `ok` the rows whose scores stand. Returns whether any row needs the exact path.
    fn score_plain(&mut self, input: &RawColumns<'_>, start: usize, len: usize) -> bool {
        let range = start..start + len;
        let scale = input
            .spo2_scale
            .map_or(&SCALE_1[..len], |c| &c[range.clone()]);
        let oxygen = input
            .on_oxygen
            .map_or(&ON_AIR[..len], |c| &c[range.clone()]);
        let acvpu = &input.consciousness[range.clone()];
        let rr_in = &input.respiration_rate[range.clone()];
        let spo2_in = &input.spo2[range.clone()];
        let sbp_in = &input.systolic_bp[range.clone()];
        let pulse_in = &input.pulse[range.clone()];
        let temperature_in = &input.temperature[range];
        let ok = &mut self.ok[..len];
        for ((ok, &s), (&o, &a)) in ok.iter_mut().zip(scale).zip(oxygen.iter().zip(acvpu)) {
            *ok = u8::from((s.wrapping_sub(1) <= 1) & (o <= 1) & (a <= 4));
        }
        let whole = |max: u16| (1.0, 0.0, f32::from(max) + 0.5);
        let celsius = (
            10.0,
            f32::from(Temperature::MIN_TENTHS) - 0.5,
            f32::from(Temperature::MAX_TENTHS) + 0.5,
        );
        // All five inputs are read in one loop, so their streams from memory overlap.
        let [rr_f, spo2_f, sbp_f, pulse_f, t_f] = &mut self.narrow;
        for j in 0..len {
            rr_f[j] = rr_in[j] as f32;
            spo2_f[j] = spo2_in[j] as f32;
            sbp_f[j] = sbp_in[j] as f32;
            pulse_f[j] = pulse_in[j] as f32;
            t_f[j] = temperature_in[j] as f32;
        }
        let [rr, spo2, sbp, pulse, tenths] = &mut self.values;
        round_column(&rr_f[..len], whole(RespirationRate::MAX), rr, ok);
        round_column(&spo2_f[..len], whole(Spo2::MAX), spo2, ok);
        round_column(&sbp_f[..len], whole(SystolicBp::MAX), sbp, ok);
        round_column(&pulse_f[..len], whole(Pulse::MAX), pulse, ok);
        round_column(&t_f[..len], celsius, tenths, ok);
        for j in 0..len {
            let s = branch_free_scores(ChartRow {
                rr: rr[j],
                spo2: spo2[j],
                scale2: scale[j] == 2,
                oxygen: oxygen[j] == 1,
                sbp: sbp[j],
                pulse: pulse[j],
                alert: acvpu[j] == 0,
                tenths: tenths[j] as i16,
            });
            let (total, risk) = total_and_risk(&s);
            self.out.write_row(
                j,
                &RowOutput {
                    scores: s,
                    total,
                    risk,
                    error: 0,
                },
            );
        }
        ok.contains(&0)
    }
}

/// [`plain`] over one narrowed column, clearing `ok` where a reading is not plainly
/// valid. On `f32` alone the loop vectorises four readings wide rather than two.
#[inline(always)]
fn round_column(x: &[f32], (scale, lo, hi): (f32, f32, f32), out: &mut [u16], ok: &mut [u8]) {
    for ((&x, value), ok) in x.iter().zip(out.iter_mut()).zip(ok.iter_mut()) {
        let (rounded, plain_ok) = plain(x, scale, lo, hi);
        *value = rounded;
        *ok &= u8::from(plain_ok);
    }
}

/// Adding 2^23 to a value in `0..2^22` leaves it rounded to the nearest integer in the
/// low bits of the mantissa: a rounding without a float-to-integer conversion, which
/// SSE2 lacks for vectors. It rounds ties to even, but ties never pass [`plain`].
const ROUNDER: f32 = 8_388_608.0;

/// How close to a rounding tie (in units of `1 / scale`) a reading must be to leave the
/// branch-free pass. Narrowing a valid reading to `f32` and scaling it moves it by less
/// than 1e-4, so off this margin the `f32` and the `f64` value round alike.
const TIE_MARGIN: f32 = 1e-3;

/// Rounds `x`, a reading narrowed to `f32`, to units of `1 / scale` when it is plainly
/// valid: `x * scale` strictly within `lo..hi` (NaN fails the comparison) and not within
/// [`TIE_MARGIN`] of a rounding tie, where only the exact decimal rule may decide. Off a
/// tie, the nearest integer is what [`round_f64`](crate::decimal) gives. An invalid `x`
/// gives an arbitrary value.
///
/// The work is in `f32` so that SSE2 handles four readings per instruction, not two.
/// `lo` must be at least 0: a tiny negative `x` narrows to `-0.0`, which the strict
/// comparison rejects, as the scalar API rejects every negative reading.
#[inline(always)]
fn plain(x: f32, scale: f32, lo: f32, hi: f32) -> (u16, bool) {
    let t = x * scale;
    let in_range = (t > lo) & (t < hi);
    let rounded = t + ROUNDER;
    // Both subtractions are exact: `rounded - ROUNDER` is a small integer, and `t` lies
    // within 0.5 of it.
    let distance = t - (rounded - ROUNDER);
    let off_tie = distance.abs() < 0.5 - TIE_MARGIN;
    (rounded.to_bits() as u16, in_range & off_tie)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`super::plain`] on a reading as it arrives, narrowed as [`round_column`] does.
    fn plain(x: f64, scale: f32, lo: f32, hi: f32) -> (u16, bool) {
        super::plain(x as f32, scale, lo, hi)
    }

    /// Ordinary readings take the branch-free pass; only ties and invalid values leave it.
    #[test]
    fn plain_vouches_for_ordinary_readings() {
        for whole in 1..=300u16 {
            let x = f64::from(whole);
            assert_eq!(plain(x, 1.0, 0.0, 300.5), (whole, true), "{x}");
            assert_eq!(plain(x - 0.3, 1.0, 0.0, 300.5), (whole, true), "{x}");
            assert_eq!(plain(x + 0.3, 1.0, 0.0, 300.5), (whole, true), "{x}");
        }
        for tenths in 250..=450u16 {
            let x = f64::from(tenths) / 10.0;
            assert_eq!(plain(x, 10.0, 249.5, 450.5), (tenths, true), "{x}");
        }
        let rejected = [
            18.5,
            36.05,
            -1.0,
            -1e-50,
            -0.0,
            0.0,
            301.0,
            f64::NAN,
            f64::INFINITY,
        ];
        for x in rejected {
            let scale = if x == 36.05 { 10.0 } else { 1.0 };
            assert!(!plain(x, scale, 0.0, 300.5).1, "{x}");
        }
    }
    /// Wherever the branch-free pass vouches for a reading, the scalar API agrees,
    /// including next to ties, bounds and the narrowing to `f32`.
    #[test]
    fn plain_agrees_with_the_scalar_api_where_it_vouches() {
        let nudges = [
            0.0, 1e-9, 1e-7, 1e-4, 0.2, 0.4, 0.498, 0.4989, 0.499, 0.4991, 0.4999, 0.5,
        ];
        for whole in 0..=310i32 {
            for nudge in nudges.iter().flat_map(|&n| [n, -n]) {
                let x = f64::from(whole) + nudge;
                if let (k, true) = plain(x, 1.0, 0.0, f32::from(Pulse::MAX) + 0.5) {
                    assert_eq!(Pulse::from_f64(x).map(Pulse::get), Ok(k), "{x}");
                }
            }
        }
        for tenths in 240..=460i32 {
            for nudge in nudges.iter().flat_map(|&n| [n, -n]) {
                let x = (f64::from(tenths) + nudge) / 10.0;
                let (lo, hi) = (
                    f32::from(Temperature::MIN_TENTHS) - 0.5,
                    f32::from(Temperature::MAX_TENTHS) + 0.5,
                );
                if let (k, true) = plain(x, 10.0, lo, hi) {
                    let scalar = Temperature::from_celsius(x).map(Temperature::tenths);
                    assert_eq!(scalar, Ok(k as i16), "{x}");
                }
            }
        }
    }
}
