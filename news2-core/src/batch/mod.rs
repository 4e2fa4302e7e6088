//! Scoring many observations at once, stored as columns.
//!
//! Two entry points:
//! - [`score_columns`] scores observations that are already valid (typed columns). Its
//!   inner loop is branch-free, so random data costs no mispredictions and the compiler
//!   vectorises it.
//! - [`score_raw_columns`] takes untyped columns as data frames hold them (floats with NaN
//!   for missing, small integer codes), checks every row exactly like the scalar API, and
//!   never lets one bad row stop the batch or get a score.

mod raw;

pub use raw::{RawColumns, ScoreColumnsMut, score_raw_columns, score_raw_columns_reporting};

use crate::{
    Acvpu, ClinicalRisk, Pulse, RespirationRate, Spo2, Spo2Scale, SystolicBp, Temperature,
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
