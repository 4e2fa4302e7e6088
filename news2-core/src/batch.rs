//! Scoring many observations at once, stored as columns.
//!
//! Two entry points:
//! - [`score_columns`] scores observations that are already valid (typed columns). Its
//!   inner loop is branch-free, so random data costs no mispredictions and the compiler
//!   vectorises it.
//! - [`score_raw_columns`] takes untyped columns as data frames hold them (floats with NaN
//!   for missing, small integer codes), checks every row exactly like the scalar API, and
//!   never lets one bad row stop the batch or get a score.

use crate::{
    Acvpu, ClinicalRisk, Field, Pulse, RespirationRate, Spo2, Spo2Scale, SystolicBp, Temperature,
    Vitals, VitalsError,
};

/// The value written where a row has no score.
pub const NO_SCORE: u8 = u8::MAX;

/// The consciousness code for a missing value in [`RawColumns`].
pub const MISSING_CODE: u8 = u8::MAX;

/// Columns whose lengths differ.
///
/// ```
/// use news2_core::batch::{score_columns, ValidColumns, LengthMismatch};
/// let cols = ValidColumns { respiration_rate: &[], spo2: &[], spo2_scale: &[], on_oxygen: &[],
///     systolic_bp: &[], pulse: &[], consciousness: &[], temperature: &[] };
/// let (mut total, mut risk) = ([0u8; 1], [0u8; 1]);
/// assert_eq!(score_columns(&cols, &mut total, &mut risk), Err(LengthMismatch { field: "total", expected: 0, found: 1 }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("column {field} has {found} rows: expected {expected}")]
pub struct LengthMismatch {
    /// The column with the wrong length.
    pub field: &'static str,
    /// The length of the first column.
    pub expected: usize,
    /// The length found.
    pub found: usize,
}

fn check_lengths(expected: usize, columns: &[(&'static str, usize)]) -> Result<(), LengthMismatch> {
    match columns.iter().find(|(_, len)| *len != expected) {
        Some(&(field, found)) => Err(LengthMismatch {
            field,
            expected,
            found,
        }),
        None => Ok(()),
    }
}

/// Columns of valid observations, one element per row.
#[derive(Debug, Clone, Copy)]
#[allow(missing_docs)] // the fields are the Vitals fields, as columns
pub struct ValidColumns<'a> {
    pub respiration_rate: &'a [RespirationRate],
    pub spo2: &'a [Spo2],
    pub spo2_scale: &'a [Spo2Scale],
    pub on_oxygen: &'a [bool],
    pub systolic_bp: &'a [SystolicBp],
    pub pulse: &'a [Pulse],
    pub consciousness: &'a [Acvpu],
    pub temperature: &'a [Temperature],
}

impl ValidColumns<'_> {
    fn len_checked(&self) -> Result<usize, LengthMismatch> {
        let n = self.respiration_rate.len();
        check_lengths(
            n,
            &[
                ("spo2", self.spo2.len()),
                ("spo2_scale", self.spo2_scale.len()),
                ("on_oxygen", self.on_oxygen.len()),
                ("systolic_bp", self.systolic_bp.len()),
                ("pulse", self.pulse.len()),
                ("consciousness", self.consciousness.len()),
                ("temperature", self.temperature.len()),
            ],
        )?;
        Ok(n)
    }
}

/// `lo <= x <= hi` as 0 or 1, without a branch.
#[inline(always)]
fn within(x: u16, lo: u16, hi: u16) -> u8 {
    u8::from(x.wrapping_sub(lo) <= hi - lo)
}

/// One row in the units the chart works in.
#[derive(Clone, Copy)]
struct ChartRow {
    rr: u16,
    spo2: u16,
    scale2: bool,
    oxygen: bool,
    sbp: u16,
    pulse: u16,
    alert: bool,
    tenths: i16,
}

/// Chart 1 as arithmetic on comparisons; `tests::branch_free_matches_chart` checks it
/// against [`chart`](crate::chart) for every valid input.
#[inline(always)]
fn branch_free_scores(row: ChartRow) -> [u8; 7] {
    let ChartRow {
        rr,
        spo2,
        scale2,
        oxygen,
        sbp,
        pulse,
        alert,
        tenths,
    } = row;
    let rr_s =
        3 * u8::from(rr <= 8) + within(rr, 9, 11) + 2 * within(rr, 21, 24) + 3 * u8::from(rr >= 25);
    let s1 = 3 * u8::from(spo2 <= 91) + 2 * within(spo2, 92, 93) + within(spo2, 94, 95);
    let low2 = 3 * u8::from(spo2 <= 83) + 2 * within(spo2, 84, 85) + within(spo2, 86, 87);
    let high2 = within(spo2, 93, 94) + 2 * within(spo2, 95, 96) + 3 * u8::from(spo2 >= 97);
    let s2 = low2 + u8::from(oxygen) * high2;
    let spo2_s = if scale2 { s2 } else { s1 };
    let ox_s = 2 * u8::from(oxygen);
    let sbp_s = 3 * u8::from(sbp <= 90)
        + 2 * within(sbp, 91, 100)
        + within(sbp, 101, 110)
        + 3 * u8::from(sbp >= 220);
    let p_s = 3 * u8::from(pulse <= 40)
        + within(pulse, 41, 50)
        + within(pulse, 91, 110)
        + 2 * within(pulse, 111, 130)
        + 3 * u8::from(pulse >= 131);
    let c_s = 3 * u8::from(!alert);
    let t = tenths as u16; // tenths are 250..=450, never negative
    let t_s =
        3 * u8::from(t <= 350) + within(t, 351, 360) + within(t, 381, 390) + 2 * u8::from(t >= 391);
    [rr_s, spo2_s, ox_s, sbp_s, p_s, c_s, t_s]
}

/// Scores valid columns into `total` (0–20) and `risk` ([`ClinicalRisk::code`]), row by row.
///
/// ```
/// use news2_core::batch::{score_columns, ValidColumns};
/// use news2_core::{Acvpu, ClinicalRisk, Pulse, RespirationRate, Spo2, Spo2Scale, SystolicBp, Temperature};
///
/// let cols = ValidColumns {
///     respiration_rate: &[RespirationRate::new(18)?, RespirationRate::new(26)?],
///     spo2: &[Spo2::new(97)?, Spo2::new(91)?],
///     spo2_scale: &[Spo2Scale::Scale1; 2],
///     on_oxygen: &[false, true],
///     systolic_bp: &[SystolicBp::new(120)?, SystolicBp::new(90)?],
///     pulse: &[Pulse::new(70)?, Pulse::new(135)?],
///     consciousness: &[Acvpu::Alert, Acvpu::Voice],
///     temperature: &[Temperature::from_tenths(370)?, Temperature::from_tenths(392)?],
/// };
/// let (mut total, mut risk) = ([0u8; 2], [0u8; 2]);
/// score_columns(&cols, &mut total, &mut risk)?;
/// assert_eq!(total, [0, 3 + 3 + 2 + 3 + 3 + 3 + 2]);
/// assert_eq!(risk, [ClinicalRisk::Low.code(), ClinicalRisk::High.code()]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn score_columns(
    columns: &ValidColumns<'_>,
    total: &mut [u8],
    risk: &mut [u8],
) -> Result<(), LengthMismatch> {
    let n = columns.len_checked()?;
    check_lengths(n, &[("total", total.len()), ("risk", risk.len())])?;
    let c = columns;
    for i in 0..n {
        let s = branch_free_scores(ChartRow {
            rr: c.respiration_rate[i].get(),
            spo2: c.spo2[i].get(),
            scale2: c.spo2_scale[i] == Spo2Scale::Scale2,
            oxygen: c.on_oxygen[i],
            sbp: c.systolic_bp[i].get(),
            pulse: c.pulse[i].get(),
            alert: c.consciousness[i] == Acvpu::Alert,
            tenths: c.temperature[i].tenths(),
        });
        (total[i], risk[i]) = total_and_risk(&s);
    }
    Ok(())
}

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

/// Scores untyped columns row by row; returns how many rows could not be scored.
///
/// Rows whose values are plainly in range and not within a hair of a rounding tie are
/// scored by a branch-free pass; every other row (missing, invalid, a tie, an unusual
/// code) is decided by [`RawColumns::row`], the same checks as the scalar API. A test
/// checks both passes agree with the scalar API on random input.
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
    // Pass 1: branch-free over every row; rows it cannot vouch for are marked in `error`
    // with SLOW and decided exactly in pass 2.
    const SLOW: u8 = u8::MAX;
    for i in 0..n {
        let (rr, ok_rr) = plain(
            input.respiration_rate[i],
            1.0,
            f64::from(RespirationRate::MAX),
        );
        let (spo2, ok_spo2) = plain(input.spo2[i], 1.0, f64::from(Spo2::MAX));
        let (sbp, ok_sbp) = plain(input.systolic_bp[i], 1.0, f64::from(SystolicBp::MAX));
        let (pulse, ok_pulse) = plain(input.pulse[i], 1.0, f64::from(Pulse::MAX));
        let (tenths, ok_t) = plain_temperature(input.temperature[i]);
        let scale = input.spo2_scale.map_or(1, |c| c[i]);
        let oxygen = input.on_oxygen.map_or(0, |c| c[i]);
        let acvpu = input.consciousness[i];
        let ok_codes =
            u8::from(scale.wrapping_sub(1) <= 1) & u8::from(oxygen <= 1) & u8::from(acvpu <= 4);
        let ok = ok_rr & ok_spo2 & ok_sbp & ok_pulse & ok_t & ok_codes;
        let s = branch_free_scores(ChartRow {
            rr,
            spo2,
            scale2: scale == 2,
            oxygen: oxygen == 1,
            sbp,
            pulse,
            alert: acvpu == 0,
            tenths: tenths as i16,
        });
        let (total, risk) = total_and_risk(&s);
        out.respiration_rate[i] = s[0];
        out.spo2[i] = s[1];
        out.on_oxygen[i] = s[2];
        out.systolic_bp[i] = s[3];
        out.pulse[i] = s[4];
        out.consciousness[i] = s[5];
        out.temperature[i] = s[6];
        out.total[i] = total;
        out.risk[i] = risk;
        out.error[i] = SLOW * (1 - ok);
    }
    // Pass 2: the exact scalar checks for the rows pass 1 set aside.
    let mut errors = 0;
    for i in 0..n {
        if out.error[i] != SLOW {
            continue;
        }
        let (scores, total, risk, error) = match input.row(i) {
            Ok(v) => {
                let s = v.score();
                (s.parameters.as_array(), s.total, s.risk.code(), 0)
            }
            Err(e) => {
                errors += 1;
                ([NO_SCORE; 7], NO_SCORE, NO_SCORE, e.code())
            }
        };
        out.total[i] = total;
        out.risk[i] = risk;
        out.respiration_rate[i] = scores[0];
        out.spo2[i] = scores[1];
        out.on_oxygen[i] = scores[2];
        out.systolic_bp[i] = scores[3];
        out.pulse[i] = scores[4];
        out.consciousness[i] = scores[5];
        out.temperature[i] = scores[6];
        out.error[i] = error;
    }
    Ok(errors)
}

/// Rounds `x` (in units of `1 / scale`) when it is plainly valid: within `0..=max` (NaN
/// fails the comparison) and not within 1e-6 of a rounding tie, where only the exact
/// decimal rule may decide. Returns the rounded value and 1 if plainly valid, else 0.
#[inline(always)]
fn plain(x: f64, scale: f64, max: f64) -> (u16, u8) {
    let in_range = (x >= 0.0) & (x <= max);
    let t = if in_range { x * scale } else { 0.0 };
    let whole = t as u32; // t is in 0..=max*scale here, so this truncates exactly
    let frac = t - f64::from(whole);
    let off_tie = (frac - 0.5).abs() > 1e-6;
    let rounded = whole + u32::from(frac > 0.5);
    (rounded as u16, u8::from(in_range & off_tie))
}

#[inline(always)]
fn plain_temperature(celsius: f64) -> (u16, u8) {
    let min = f64::from(Temperature::MIN_TENTHS) / 10.0;
    let max = f64::from(Temperature::MAX_TENTHS) / 10.0;
    let in_range = (celsius >= min) & (celsius <= max);
    let (tenths, ok) = plain(if in_range { celsius } else { min }, 10.0, max);
    (tenths, ok & u8::from(in_range))
}

#[inline(always)]
fn total_and_risk(s: &[u8; 7]) -> (u8, u8) {
    let sum = s.iter().sum::<u8>();
    let red = s.iter().fold(0, |acc, &x| acc | u8::from(x == 3));
    (sum, (2 * u8::from(sum >= 5) + u8::from(sum >= 7)).max(red))
}

/// The risk labels indexed by code, for columnar outputs.
pub const RISK_LABELS: [&str; 4] = [
    ClinicalRisk::Low.as_str(),
    ClinicalRisk::LowMedium.as_str(),
    ClinicalRisk::Medium.as_str(),
    ClinicalRisk::High.as_str(),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart;

    /// Every valid value of every parameter, against the chart functions.
    #[test]
    fn branch_free_matches_chart() {
        #[allow(clippy::too_many_arguments)]
        fn base(
            rr: u16,
            spo2: u16,
            scale2: bool,
            oxygen: bool,
            sbp: u16,
            pulse: u16,
            alert: bool,
            tenths: i16,
        ) -> [u8; 7] {
            branch_free_scores(ChartRow {
                rr,
                spo2,
                scale2,
                oxygen,
                sbp,
                pulse,
                alert,
                tenths,
            })
        }
        for rr in 0..=RespirationRate::MAX {
            assert_eq!(
                base(rr, 97, false, false, 120, 70, true, 370)[0],
                chart::respiration_rate(rr),
                "rr {rr}"
            );
        }
        for s in 0..=Spo2::MAX {
            for (scale, scale2) in [(Spo2Scale::Scale1, false), (Spo2Scale::Scale2, true)] {
                for ox in [false, true] {
                    let got = base(18, s, scale2, ox, 120, 70, true, 370);
                    assert_eq!(got[1], chart::spo2(s, scale, ox), "spo2 {s} {scale:?} {ox}");
                    assert_eq!(got[2], chart::air_or_oxygen(ox));
                }
            }
        }
        for b in 0..=SystolicBp::MAX {
            assert_eq!(
                base(18, 97, false, false, b, 70, true, 370)[3],
                chart::systolic_bp(b),
                "sbp {b}"
            );
        }
        for p in 0..=Pulse::MAX {
            assert_eq!(
                base(18, 97, false, false, 120, p, true, 370)[4],
                chart::pulse(p),
                "pulse {p}"
            );
        }
        for level in Acvpu::ALL {
            assert_eq!(
                base(18, 97, false, false, 120, 70, level.is_alert(), 370)[5],
                chart::consciousness(level)
            );
        }
        for t in Temperature::MIN_TENTHS..=Temperature::MAX_TENTHS {
            assert_eq!(
                base(18, 97, false, false, 120, 70, true, t)[6],
                chart::temperature(t),
                "tenths {t}"
            );
        }
    }

    #[test]
    fn risk_codes_follow_chart_3() {
        for total in 0..=20u8 {
            for red in [0u8, 1] {
                let code = (2 * u8::from(total >= 5) + u8::from(total >= 7)).max(red);
                assert_eq!(
                    code,
                    ClinicalRisk::from_total(total, red == 1).code(),
                    "{total} {red}"
                );
            }
        }
    }
}
