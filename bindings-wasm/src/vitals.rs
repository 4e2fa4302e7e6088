//! `score` and `scorePartial`: one observation set in, one packed result out.

use news2_core::{
    Acvpu, Field, News2Score, PartialScore, PartialVitals, RawVitals, Vitals, VitalsError,
};
use wasm_bindgen::prelude::*;

use crate::failure::{Failure, fail};
use crate::labels::{MONITORING, RESPONSE, code_of};

/// Bits of the `absent` and `wrong_type` masks of [`score_values`], one per argument.
pub mod input {
    /// `respirationRate`.
    pub const RESPIRATION_RATE: u32 = 1 << 0;
    /// `spo2Scale`.
    pub const SPO2_SCALE: u32 = 1 << 1;
    /// `spo2`.
    pub const SPO2: u32 = 1 << 2;
    /// `onOxygen`.
    pub const ON_OXYGEN: u32 = 1 << 3;
    /// `systolicBp`.
    pub const SYSTOLIC_BP: u32 = 1 << 4;
    /// `pulse`.
    pub const PULSE: u32 = 1 << 5;
    /// `consciousness`.
    pub const CONSCIOUSNESS: u32 = 1 << 6;
    /// `temperature`.
    pub const TEMPERATURE: u32 = 1 << 7;
    /// `diastolicBp` (classification only).
    pub const DIASTOLIC_BP: u32 = 1 << 8;
}

/// Each mask bit with the field it stands for.
pub(crate) const MASK_FIELDS: [(u32, Field); 9] = [
    (input::RESPIRATION_RATE, Field::RespirationRate),
    (input::SPO2_SCALE, Field::Spo2Scale),
    (input::SPO2, Field::Spo2),
    (input::ON_OXYGEN, Field::OnOxygen),
    (input::SYSTOLIC_BP, Field::SystolicBp),
    (input::PULSE, Field::Pulse),
    (input::CONSCIOUSNESS, Field::Consciousness),
    (input::TEMPERATURE, Field::Temperature),
    (input::DIASTOLIC_BP, Field::DiastolicBp),
];

/// The first field, in the core's precedence order, whose bit is set in `mask`.
pub(crate) fn first_field(mask: u32) -> Option<Field> {
    MASK_FIELDS
        .iter()
        .filter(|(bit, _)| mask & bit != 0)
        .map(|&(_, field)| field)
        .min()
}

/// Combines the core's verdict (computed with every wrongly typed input left out) with the
/// first wrongly typed input: whichever field comes first in the core's order is reported,
/// so the precedence rule holds whatever made a field bad. Leaving a field out can only add
/// an error *at* that field (`missing`), never before it, so an earlier core error is the
/// same as if the bad value had been there.
pub(crate) fn with_wrong_type<T>(
    verdict: Result<T, VitalsError>,
    wrong_type: u32,
) -> Result<T, Failure> {
    if wrong_type == 0 {
        // The usual call: every value has the right type, the verdict is the core's.
        return verdict.map_err(Failure::from);
    }
    match (verdict, first_field(wrong_type)) {
        (Err(e), Some(bad)) if e.field() < bad => Err(e.into()),
        (_, Some(bad)) => Err(Failure::wrong_type(bad)),
        (verdict, None) => verdict.map_err(Failure::from),
    }
}

/// Scores one observation set (`partial` false: `Vitals::from_raw`, `true`:
/// `PartialVitals::from_raw`) and returns the packed result ([`pack_score`] or
/// [`pack_partial`]), or [`FAILED`](crate::failure::FAILED) with a
/// [`Failure`] for [`take_failure`](crate::take_failure).
///
/// Inputs whose bit is set in `absent` or `wrong_type` are `None` for the core (their
/// argument is ignored); `on_oxygen` and `spo2_scale` absent mean air and Scale 1, as in
/// `RawVitals`.
#[allow(clippy::too_many_arguments)] // one positional argument per vital keeps the call allocation-free
#[wasm_bindgen(js_name = scoreValues)]
pub fn score_values(
    respiration_rate: f64,
    spo2_scale: f64,
    spo2: f64,
    on_oxygen: bool,
    systolic_bp: f64,
    pulse: f64,
    consciousness: &str,
    temperature: f64,
    absent: u32,
    wrong_type: u32,
    partial: bool,
) -> f64 {
    let values = [
        respiration_rate,
        spo2_scale,
        spo2,
        systolic_bp,
        pulse,
        temperature,
    ];
    score(
        values,
        on_oxygen,
        consciousness,
        absent,
        wrong_type,
        partial,
    )
}

/// Bits of the `flags` argument of [`score_coded`] (bit 0 is the least significant).
pub mod flags {
    /// Shift of the `absent` mask (9 bits, `input::*`).
    pub const ABSENT_SHIFT: u32 = 0;
    /// Shift of the `wrong_type` mask (9 bits, `input::*`).
    pub const WRONG_TYPE_SHIFT: u32 = 9;
    /// On supplemental oxygen (`onOxygen === true`).
    pub const ON_OXYGEN: u32 = 1 << 18;
    /// Score as `PartialVitals` (`scorePartial`) instead of `Vitals`.
    pub const PARTIAL: u32 = 1 << 19;
    /// Shift of the consciousness level's `Acvpu::code` (4 bits, bits 20–23).
    pub const CONSCIOUSNESS_SHIFT: u32 = 20;
}

/// [`score_values`] for the usual call, with every non-numeric argument in one integer so
/// the call crosses the boundary with seven plain numbers: `flags` holds the `absent` and
/// `wrong_type` masks, `on_oxygen`, `partial` and the consciousness level as its
/// `Acvpu::code` (see [`flags`]). The wrapper only passes codes the core's parser returned
/// for the caller's text ([`consciousness_code`]). A set the core accepts is scored with the
/// level as the `Acvpu` of its code (`score_typed`); any other set is handed to `RawVitals`
/// with the level as its chart letter, which the core parses back to the same level, so
/// rounding, checks and error precedence are exactly those of [`score_values`]. Any other
/// code is reported as a wrongly typed `consciousness`, never scored.
#[wasm_bindgen(js_name = scoreCoded)]
pub fn score_coded(
    respiration_rate: f64,
    spo2_scale: f64,
    spo2: f64,
    systolic_bp: f64,
    pulse: f64,
    temperature: f64,
    flags: u32,
) -> f64 {
    const MASK: u32 = (1 << 9) - 1;
    let absent = flags >> flags::ABSENT_SHIFT & MASK;
    let wrong_type = flags >> flags::WRONG_TYPE_SHIFT & MASK;
    let on_oxygen = flags & flags::ON_OXYGEN != 0;
    let partial = flags & flags::PARTIAL != 0;
    let code = (flags >> flags::CONSCIOUSNESS_SHIFT & 15) as u8;
    let values = [
        respiration_rate,
        spo2_scale,
        spo2,
        systolic_bp,
        pulse,
        temperature,
    ];
    if let Some(packed) = score_typed(values, on_oxygen, code, absent, wrong_type, partial) {
        return packed;
    }
    let mut buf = [0; 4];
    match letter(code, absent) {
        Some(level) => score(
            values,
            on_oxygen,
            level.encode_utf8(&mut buf),
            absent,
            wrong_type,
            partial,
        ),
        None => fail(Failure::wrong_type(Field::Consciousness)),
    }
}

/// The usual call without the text round trip: the core reads every other value
/// (`PartialVitals::from_raw`, with its defaults), and the level goes in as the `Acvpu` the
/// code names, which is what parsing its letter gives. Only a set the core accepts takes
/// this path (`None` otherwise), so every error, and its precedence, still comes from
/// [`score`]; parsing the letter was a fifth of the call.
fn score_typed(
    values: [f64; 6],
    on_oxygen: bool,
    code: u8,
    absent: u32,
    wrong_type: u32,
    partial: bool,
) -> Option<f64> {
    if wrong_type != 0 || absent & input::CONSCIOUSNESS != 0 {
        return None;
    }
    let level = Acvpu::from_code(code)?;
    let raw = raw_vitals(values, on_oxygen, None, absent, 0);
    let mut vitals = PartialVitals::from_raw(&raw).ok()?;
    vitals.consciousness = Some(level);
    if partial {
        Some(pack_partial(&vitals.score()))
    } else {
        vitals.complete().map(|v| pack_score(&v.score()))
    }
}

/// The chart letter of an `Acvpu` code (`None` for an unknown code, unless the
/// consciousness is absent anyway, when the letter is never read).
pub(crate) fn letter(code: u8, absent: u32) -> Option<char> {
    match news2_core::Acvpu::from_code(code) {
        Some(level) => Some(level.letter()),
        None if absent & input::CONSCIOUSNESS != 0 => Some('A'),
        None => None,
    }
}

/// `values`: respiration rate, SpO2 scale, SpO2, systolic BP, pulse, temperature.
#[inline(never)] // shared by both exports: one copy in the module
fn score(
    values: [f64; 6],
    on_oxygen: bool,
    consciousness: &str,
    absent: u32,
    wrong_type: u32,
    partial: bool,
) -> f64 {
    let raw = raw_vitals(values, on_oxygen, Some(consciousness), absent, wrong_type);
    let packed = if partial {
        with_wrong_type(PartialVitals::from_raw(&raw), wrong_type).map(|v| pack_partial(&v.score()))
    } else {
        with_wrong_type(Vitals::from_raw(&raw), wrong_type).map(|v| pack_score(&v.score()))
    };
    packed.unwrap_or_else(fail)
}

/// The core's input: the inputs whose bit is set in `absent` or `wrong_type` are `None`,
/// and so is `consciousness` when given as `None`.
fn raw_vitals(
    values: [f64; 6],
    on_oxygen: bool,
    consciousness: Option<&str>,
    absent: u32,
    wrong_type: u32,
) -> RawVitals<'_> {
    let [
        respiration_rate,
        spo2_scale,
        spo2,
        systolic_bp,
        pulse,
        temperature,
    ] = values;
    let given = |bit: u32| (absent | wrong_type) & bit == 0;
    let num = |bit: u32, value: f64| given(bit).then_some(value);
    RawVitals {
        respiration_rate: num(input::RESPIRATION_RATE, respiration_rate),
        spo2: num(input::SPO2, spo2),
        spo2_scale: num(input::SPO2_SCALE, spo2_scale),
        on_oxygen: given(input::ON_OXYGEN).then_some(on_oxygen),
        systolic_bp: num(input::SYSTOLIC_BP, systolic_bp),
        pulse: num(input::PULSE, pulse),
        consciousness: consciousness.filter(|_| given(input::CONSCIOUSNESS)),
        temperature: num(input::TEMPERATURE, temperature),
    }
}

/// Packs a complete score (bit 0 is the least significant):
///
/// | bits | content |
/// |---|---|
/// | 0–13 | the seven parameter scores, 2 bits each, in chart order |
/// | 14–18 | total |
/// | 19–20 | risk (`ClinicalRisk::code`) |
/// | 21–22 | monitoring (index in the `monitoring` table) |
/// | 23–25 | response (index in the `response` table) |
/// | 26–27 | SpO2 scale number (1 or 2) |
/// | 32–38 | red parameters (`ParameterSet::bits`) |
pub fn pack_score(s: &News2Score) -> f64 {
    let params = s
        .parameters
        .as_array()
        .iter()
        .enumerate()
        .fold(0u64, |acc, (i, &p)| acc | u64::from(p) << (2 * i));
    let packed = params
        | u64::from(s.total) << 14
        | u64::from(s.risk.code()) << 19
        | u64::from(code_of(&MONITORING, &s.response.monitoring)) << 21
        | u64::from(code_of(&RESPONSE, &s.response.response)) << 23
        | u64::from(s.scale.number()) << 26
        | u64::from(s.red.bits()) << 32;
    packed as f64
}

/// The 3-bit code of a missing parameter score in [`pack_partial`].
pub const PARTIAL_MISSING: u8 = 7;

/// Packs a partial score:
///
/// | bits | content |
/// |---|---|
/// | 0–20 | the seven parameter scores, 3 bits each, in chart order; 7 when missing |
/// | 21–25 | total of the known scores |
/// | 26–27 | SpO2 scale number |
/// | 28–29 | minimum risk (`PartialScore::minimum_risk`, `ClinicalRisk::code`) |
/// | 30 | complete |
/// | 32–38 | missing parameters (`ParameterSet::bits`) |
/// | 39–45 | red parameters |
pub fn pack_partial(s: &PartialScore) -> f64 {
    let params = s
        .parameters
        .as_array()
        .iter()
        .enumerate()
        .fold(0u64, |acc, (i, p)| {
            acc | u64::from(p.unwrap_or(PARTIAL_MISSING)) << (3 * i)
        });
    let packed = params
        | u64::from(s.total) << 21
        | u64::from(s.scale.number()) << 26
        | u64::from(s.minimum_risk().code()) << 28
        | u64::from(s.complete()) << 30
        | u64::from(s.missing.bits()) << 32
        | u64::from(s.red.bits()) << 39;
    packed as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::{FAILED, take_failure};

    const NORMAL: (f64, f64, f64, bool, f64, f64, &str, f64) =
        (18.0, 1.0, 97.0, false, 120.0, 70.0, "A", 37.0);

    fn call(absent: u32, wrong: u32, partial: bool) -> f64 {
        let (rr, sc, sp, ox, sbp, p, c, t) = NORMAL;
        score_values(rr, sc, sp, ox, sbp, p, c, t, absent, wrong, partial)
    }

    #[test]
    fn all_normal_packs_zero_scores() {
        let r = call(0, 0, false) as u64;
        assert_eq!(r & 0x3fff, 0);
        assert_eq!(r >> 26 & 3, 1, "scale 1");
    }

    #[test]
    fn wrong_type_respects_the_core_order() {
        // spo2 wrongly typed, systolic missing: spo2 comes first.
        assert_eq!(call(input::SYSTOLIC_BP, input::SPO2, false), FAILED);
        let f = take_failure().expect("failure");
        assert_eq!(
            (f.kind(), f.field()),
            ("invalid_type".into(), Some("spo2".into()))
        );
        // respiration rate missing comes before a wrongly typed temperature.
        assert_eq!(
            call(input::RESPIRATION_RATE, input::TEMPERATURE, false),
            FAILED
        );
        let f = take_failure().expect("failure");
        assert_eq!(
            (f.kind(), f.field()),
            ("missing".into(), Some("respiration_rate".into()))
        );
        // In a partial call a gap is no error, so the wrong type is reported.
        assert_eq!(
            call(input::RESPIRATION_RATE, input::TEMPERATURE, true),
            FAILED
        );
        assert_eq!(
            take_failure().expect("failure").field().as_deref(),
            Some("temperature")
        );
        // A wrongly typed on_oxygen is reported even though absent means air.
        assert_eq!(call(0, input::ON_OXYGEN, false), FAILED);
        assert_eq!(
            take_failure().expect("failure").field().as_deref(),
            Some("on_oxygen")
        );
    }

    fn coded(code: u8, absent: u32, wrong: u32, oxygen: bool, partial: bool) -> f64 {
        let (rr, sc, sp, _, sbp, p, _, t) = NORMAL;
        let f = absent << flags::ABSENT_SHIFT
            | wrong << flags::WRONG_TYPE_SHIFT
            | u32::from(code) << flags::CONSCIOUSNESS_SHIFT
            | if oxygen { flags::ON_OXYGEN } else { 0 }
            | if partial { flags::PARTIAL } else { 0 };
        score_coded(rr, sc, sp, sbp, p, t, f)
    }

    #[test]
    fn coded_consciousness_scores_like_the_text() {
        for (code, text) in [
            (0, "alert"),
            (1, " New Confusion "),
            (2, "v"),
            (3, "P"),
            (4, "unresponsive"),
        ] {
            let (rr, sc, sp, _, sbp, p, _, t) = NORMAL;
            for (oxygen, partial) in [(false, false), (true, false), (false, true), (true, true)] {
                let by_text = score_values(rr, sc, sp, oxygen, sbp, p, text, t, 0, 0, partial);
                assert_eq!(coded(code, 0, 0, oxygen, partial), by_text, "{text}");
            }
            assert_eq!(consciousness_code(text), f64::from(code));
        }
        assert_eq!(coded(5, 0, 0, false, false), FAILED);
        assert_eq!(take_failure().expect("failure").kind(), "invalid_type");
        assert!(coded(5, input::CONSCIOUSNESS, 0, false, true) >= 0.0);
    }

    #[test]
    fn coded_masks_match_the_positional_call() {
        let (rr, sc, sp, ox, sbp, p, c, t) = NORMAL;
        for absent in [0, input::PULSE, input::SPO2 | input::TEMPERATURE, 0x1ff] {
            for wrong in [
                0,
                input::RESPIRATION_RATE,
                input::ON_OXYGEN,
                input::CONSCIOUSNESS,
            ] {
                for partial in [false, true] {
                    let by_text =
                        score_values(rr, sc, sp, ox, sbp, p, c, t, absent, wrong, partial);
                    let failure_text = take_failure();
                    assert_eq!(coded(0, absent, wrong, ox, partial), by_text);
                    assert_eq!(take_failure(), failure_text, "{absent:#x} {wrong:#x}");
                }
            }
        }
    }

    #[test]
    fn coded_values_score_and_fail_like_the_text() {
        // Valid, near-tie, out-of-range and non-finite values: the typed path and the text
        // path agree on the result and on the failure left.
        let values = [
            [18.0, 1.0, 97.0, 120.0, 70.0, 37.0],
            [24.0, 2.0, 88.0, 90.0, 131.0, 38.05],
            [18.0, 1.0, 101.0, 120.0, 70.0, 37.0],
            [18.0, 3.0, 97.0, 120.0, 70.0, 37.0],
            [f64::NAN, 1.0, 97.0, 120.0, 70.0, 99.0],
            [18.0, 1.0, 97.0, 120.0, 70.0, 98.6],
        ];
        for [rr, sc, sp, sbp, p, t] in values {
            for code in [0u8, 3] {
                for absent in [0, input::SPO2_SCALE | input::ON_OXYGEN, input::PULSE] {
                    for partial in [false, true] {
                        let text = ["A", "C", "V", "P", "U"][usize::from(code)];
                        let by_text =
                            score_values(rr, sc, sp, true, sbp, p, text, t, absent, 0, partial);
                        // Compared by their parts: a NaN value never equals itself.
                        let parts =
                            |f: Option<Failure>| f.map(|f| (f.kind(), f.field(), f.message()));
                        let failure_text = parts(take_failure());
                        let f = absent << flags::ABSENT_SHIFT
                            | u32::from(code) << flags::CONSCIOUSNESS_SHIFT
                            | flags::ON_OXYGEN
                            | if partial { flags::PARTIAL } else { 0 };
                        assert_eq!(score_coded(rr, sc, sp, sbp, p, t, f), by_text);
                        assert_eq!(
                            parts(take_failure()),
                            failure_text,
                            "{rr} {sp} {t} {absent:#x}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn partial_marks_missing() {
        let r = call(input::PULSE, 0, true) as u64;
        assert_eq!(r >> (3 * 4) & 7, u64::from(PARTIAL_MISSING));
        assert_eq!(r >> 30 & 1, 0, "not complete");
        assert_eq!(r >> 32 & 0x7f, 1 << 4, "pulse missing");
    }
}

/// The batch code of a consciousness level given as text (`Acvpu`'s `FromStr`, then
/// `Acvpu::code`), or [`FAILED`](crate::failure::FAILED) with an `invalid_consciousness`
/// [`Failure`]. Lets a caller build a `consciousness` column with the core's parser.
#[wasm_bindgen(js_name = consciousnessCode)]
pub fn consciousness_code(text: &str) -> f64 {
    match text.parse::<news2_core::Acvpu>() {
        Ok(level) => f64::from(level.code()),
        Err(e) => fail(e.into()),
    }
}
