//! The result of scoring: per-parameter scores, total, risk, response and red flags.

use crate::chart::{self, table};
use crate::{
    ClinicalResponse, ClinicalRisk, Parameter, ParameterSet, PartialVitals, Spo2Scale, Vitals,
};

/// The score of each of the seven parameters (0–3 each).
///
/// ```
/// use news2_core::{Parameter, ParameterScores};
/// let s = ParameterScores { respiration_rate: 3, pulse: 1, ..Default::default() };
/// assert_eq!(s.total(), 4);
/// assert_eq!(s.get(Parameter::Pulse), 1);
/// assert_eq!(s.red().iter().collect::<Vec<_>>(), [Parameter::RespirationRate]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
// Chart order in memory (see `News2Score`).
#[repr(C)]
pub struct ParameterScores {
    /// Respiration rate score.
    pub respiration_rate: u8,
    /// SpO2 score, on the scale recorded in the result.
    pub spo2: u8,
    /// Air (0) or supplemental oxygen (2).
    pub on_oxygen: u8,
    /// Systolic blood pressure score.
    pub systolic_bp: u8,
    /// Pulse score.
    pub pulse: u8,
    /// Consciousness score.
    pub consciousness: u8,
    /// Temperature score.
    pub temperature: u8,
}

impl ParameterScores {
    /// The scores from an array in chart order (the inverse of [`as_array`](Self::as_array)).
    ///
    /// ```
    /// use news2_core::ParameterScores;
    /// let s = ParameterScores::from_array([3, 0, 2, 0, 1, 0, 0]);
    /// assert_eq!((s.respiration_rate, s.on_oxygen, s.pulse), (3, 2, 1));
    /// assert_eq!(s.as_array(), [3, 0, 2, 0, 1, 0, 0]);
    /// ```
    #[inline(always)]
    pub const fn from_array(scores: [u8; 7]) -> Self {
        let [
            respiration_rate,
            spo2,
            on_oxygen,
            systolic_bp,
            pulse,
            consciousness,
            temperature,
        ] = scores;
        Self {
            respiration_rate,
            spo2,
            on_oxygen,
            systolic_bp,
            pulse,
            consciousness,
            temperature,
        }
    }

    /// The scores in chart order.
    pub const fn as_array(&self) -> [u8; 7] {
        [
            self.respiration_rate,
            self.spo2,
            self.on_oxygen,
            self.systolic_bp,
            self.pulse,
            self.consciousness,
            self.temperature,
        ]
    }

    /// The score of one parameter.
    pub const fn get(&self, p: Parameter) -> u8 {
        self.as_array()[p.index()]
    }

    /// The aggregate score (0–20).
    pub const fn total(&self) -> u8 {
        let a = self.as_array();
        a[0] + a[1] + a[2] + a[3] + a[4] + a[5] + a[6]
    }

    /// The parameters scoring 3 ("red" on the chart).
    #[inline]
    pub const fn red(&self) -> ParameterSet {
        let a = self.as_array();
        let mut bits = 0u8;
        let mut i = 0;
        while i < 7 {
            bits |= ((a[i] == 3) as u8) << i;
            i += 1;
        }
        ParameterSet::from_bits(bits)
    }
}

/// A complete NEWS2 result.
///
/// ```
/// use news2_core::{ClinicalRisk, MonitoringFrequency, Parameter, RawVitals, Spo2Scale, Vitals};
///
/// let raw = RawVitals {
///     respiration_rate: Some(26.0), spo2: Some(97.0), systolic_bp: Some(120.0),
///     pulse: Some(70.0), consciousness: Some("A"), temperature: Some(37.0),
///     ..RawVitals::default()
/// };
/// let score = Vitals::from_raw(&raw)?.score();
/// assert_eq!(score.total, 3);
/// assert_eq!(score.risk, ClinicalRisk::LowMedium);
/// assert_eq!(score.response.monitoring, MonitoringFrequency::Hourly);
/// assert!(score.red.contains(Parameter::RespirationRate));
/// assert_eq!(score.scale, Spo2Scale::Scale1);
/// # Ok::<(), news2_core::VitalsError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
// In declaration order, so the seven scores and the total are eight consecutive bytes that
// the scalar scorer writes as one word.
#[repr(C)]
pub struct News2Score {
    /// Per-parameter scores.
    pub parameters: ParameterScores,
    /// Aggregate score, 0–20.
    pub total: u8,
    /// Chart 3 clinical risk.
    pub risk: ClinicalRisk,
    /// Chart 4 clinical response.
    pub response: ClinicalResponse,
    /// Parameters scoring 3.
    pub red: ParameterSet,
    /// The SpO2 scale the score used.
    pub scale: Spo2Scale,
}

impl News2Score {
    /// Assembles a result from per-parameter scores (Charts 3 and 4 follow from them).
    ///
    /// ```
    /// use news2_core::{ClinicalRisk, News2Score, ParameterScores, Spo2Scale};
    /// let s = News2Score::from_parameters(ParameterScores { pulse: 3, ..Default::default() }, Spo2Scale::Scale1);
    /// assert_eq!((s.total, s.risk), (3, ClinicalRisk::LowMedium));
    /// ```
    #[inline]
    pub const fn from_parameters(parameters: ParameterScores, scale: Spo2Scale) -> Self {
        let total = parameters.total();
        let red = parameters.red();
        let Outcome(risk, response) = OUTCOMES[outcome_index(total, !red.is_empty())];
        Self {
            parameters,
            total,
            risk,
            response,
            red,
            scale,
        }
    }
}

/// Charts 3 and 4 for every total and whether any parameter scored 3. The index is the
/// top byte of a sum of lane words (see `chart::table`): the total plus 32 for each
/// parameter scoring 3. A load instead of branches that random data mispredicts.
static OUTCOMES: [Outcome; 256] = {
    let mut t = [Outcome(ClinicalRisk::Low, ClinicalResponse::for_total(0, false)); 256];
    let mut i = 0;
    while i < t.len() {
        let (total, any_red) = (
            (i as u64 % table::RED_COUNT) as u8,
            i as u64 >= table::RED_COUNT,
        );
        t[i] = Outcome(
            ClinicalRisk::from_total(total, any_red),
            ClinicalResponse::for_total(total, any_red),
        );
        i += 1;
    }
    t
};

/// The [`OUTCOMES`] entry for a total and whether any parameter scored 3. Totals above
/// the chart's 20 (from hand-built [`ParameterScores`] out of range) share the entry of 31:
/// every total of 7 or more has the same outcome, and the index stays in bounds.
const fn outcome_index(total: u8, any_red: bool) -> usize {
    let total = if total < 31 { total } else { 31 };
    total as usize + any_red as usize * table::RED_COUNT as usize
}

/// One [`OUTCOMES`] entry, padded to four bytes so an index is a scaled address rather
/// than a multiplication by three.
#[derive(Clone, Copy)]
#[repr(C, align(4))]
struct Outcome(ClinicalRisk, ClinicalResponse);

/// The score of an incomplete observation set. Missing parameters are listed, never
/// scored; `total` counts only what was measured, so it is a lower bound.
///
/// ```
/// use news2_core::{ClinicalRisk, Parameter, PartialVitals, Pulse};
///
/// let s = PartialVitals { pulse: Some(Pulse::new(135)?), ..Default::default() }.score();
/// assert_eq!(s.parameters.pulse, Some(3));
/// assert_eq!(s.parameters.spo2, None);
/// assert_eq!(s.total, 3);
/// assert!(!s.complete());
/// assert_eq!(s.minimum_risk(), ClinicalRisk::LowMedium);
/// # Ok::<(), news2_core::VitalsError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PartialScore {
    /// Per-parameter scores; `None` where the parameter is missing.
    pub parameters: PartialParameterScores,
    /// Sum of the known scores.
    pub total: u8,
    /// The parameters that were not measured.
    pub missing: ParameterSet,
    /// Known parameters scoring 3.
    pub red: ParameterSet,
    /// The SpO2 scale used.
    pub scale: Spo2Scale,
}

impl PartialScore {
    /// Whether every parameter was present.
    pub const fn complete(&self) -> bool {
        self.missing.is_empty()
    }

    /// The least severe risk consistent with what is known: the real risk is this or
    /// worse, since a missing parameter can only add to the total.
    pub const fn minimum_risk(&self) -> ClinicalRisk {
        ClinicalRisk::from_total(self.total, !self.red.is_empty())
    }

    /// The complete result, when nothing is missing.
    pub fn to_complete(&self) -> Option<News2Score> {
        let p = &self.parameters;
        let parameters = ParameterScores {
            respiration_rate: p.respiration_rate?,
            spo2: p.spo2?,
            on_oxygen: p.on_oxygen?,
            systolic_bp: p.systolic_bp?,
            pulse: p.pulse?,
            consciousness: p.consciousness?,
            temperature: p.temperature?,
        };
        Some(News2Score::from_parameters(parameters, self.scale))
    }
}

/// Per-parameter scores of an incomplete set: `None` where missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[allow(missing_docs)] // the fields mirror ParameterScores one for one
pub struct PartialParameterScores {
    pub respiration_rate: Option<u8>,
    pub spo2: Option<u8>,
    pub on_oxygen: Option<u8>,
    pub systolic_bp: Option<u8>,
    pub pulse: Option<u8>,
    pub consciousness: Option<u8>,
    pub temperature: Option<u8>,
}

impl PartialParameterScores {
    /// The scores in chart order.
    pub const fn as_array(&self) -> [Option<u8>; 7] {
        [
            self.respiration_rate,
            self.spo2,
            self.on_oxygen,
            self.systolic_bp,
            self.pulse,
            self.consciousness,
            self.temperature,
        ]
    }
}

#[inline]
pub(crate) fn score(v: &Vitals) -> News2Score {
    let lanes = table::respiration_rate_lane(v.respiration_rate)
        + table::spo2_and_oxygen_lanes(v.spo2, v.spo2_scale, v.on_oxygen)
        + table::systolic_bp_lane(v.systolic_bp)
        + table::pulse_lane(v.pulse)
        + table::consciousness_lane(v.consciousness)
        + table::temperature_lane(v.temperature);
    from_lanes(lanes, v.spo2_scale)
}

/// The low bit of each of the seven score bytes.
const LOW_BITS: u64 = 0x0001_0101_0101_0101;

/// [`News2Score::from_parameters`] for the sum of seven lane words (see `chart::table`):
/// scores in bytes 0–6 in chart order, each with a red mark, and the total with the count
/// of red marks in byte 7. A mask leaves the first eight bytes of the result, the top byte
/// indexes Charts 3 and 4, and the red set is gathered from the marks of all seven scores
/// at once instead of seven comparisons.
#[inline(always)]
fn from_lanes(lanes: u64, scale: Spo2Scale) -> News2Score {
    let red_bytes = lanes >> table::RED_BIT & LOW_BITS;
    // Moves bit 0 of byte k to bit 56 + k; no two partial products overlap.
    let red =
        ParameterSet::from_seven_bits((red_bytes.wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8);
    let Outcome(risk, response) = OUTCOMES[(lanes >> 56) as usize];
    let [scores @ .., total] = (lanes & table::SCORES).to_le_bytes();
    News2Score {
        parameters: ParameterScores::from_array(scores),
        total,
        risk,
        response,
        red,
        scale,
    }
}

pub(crate) fn score_partial(v: &PartialVitals) -> PartialScore {
    // SpO2 on Scale 2 depends on oxygen: without it the SpO2 score is unknown too, unless
    // the reading is in the band where oxygen makes no difference.
    let spo2 = v.spo2.and_then(|s| {
        let on_air = chart::spo2(s.get(), v.spo2_scale, false);
        let on_oxygen = chart::spo2(s.get(), v.spo2_scale, true);
        match v.on_oxygen {
            Some(o) => Some(if o { on_oxygen } else { on_air }),
            None => (on_air == on_oxygen).then_some(on_air),
        }
    });
    let parameters = PartialParameterScores {
        respiration_rate: v.respiration_rate.map(table::respiration_rate_score),
        spo2,
        on_oxygen: v.on_oxygen.map(chart::air_or_oxygen),
        systolic_bp: v.systolic_bp.map(table::systolic_bp_score),
        pulse: v.pulse.map(table::pulse_score),
        consciousness: v.consciousness.map(chart::consciousness),
        temperature: v.temperature.map(table::temperature_score),
    };
    let scores = parameters.as_array();
    let mut missing = ParameterSet::EMPTY;
    let mut red = ParameterSet::EMPTY;
    let mut total = 0;
    for p in Parameter::ALL {
        match scores[p.index()] {
            None => missing.insert(p),
            Some(s) => {
                total += s;
                if s == 3 {
                    red.insert(p);
                }
            }
        }
    }
    PartialScore {
        parameters,
        total,
        missing,
        red,
        scale: v.spo2_scale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand-built scores outside the chart still get an outcome (the one for a total of 7
    /// or more), not an out-of-bounds panic.
    #[test]
    fn totals_beyond_the_chart_are_high() {
        for (pulse, temperature) in [(21, 0), (31, 0), (32, 0), (200, 0), (250, 3), (252, 3)] {
            let s = News2Score::from_parameters(
                ParameterScores {
                    pulse,
                    temperature,
                    ..Default::default()
                },
                Spo2Scale::Scale1,
            );
            assert_eq!(s.risk, ClinicalRisk::High, "{pulse} {temperature}");
        }
    }

    /// Every combination of chart scores, summed as lane words, against the general assembly.
    #[test]
    fn lane_assembly_matches_from_parameters() {
        for combination in 0..4u32.pow(7) {
            let scores: [u8; 7] = core::array::from_fn(|k| (combination >> (2 * k) & 3) as u8);
            let lanes = (0..7).map(|k| table::lane(k, scores[k])).sum();
            let parameters = ParameterScores::from_array(scores);
            for scale in [Spo2Scale::Scale1, Spo2Scale::Scale2] {
                assert_eq!(
                    from_lanes(lanes, scale),
                    News2Score::from_parameters(parameters, scale),
                    "{scores:?}"
                );
            }
        }
    }
}
