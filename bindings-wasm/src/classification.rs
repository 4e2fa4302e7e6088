//! `classify`: per-vital status (normal, warning, critical) under the default or a custom
//! profile.

use news2_core::{
    Acvpu, Classification, DiastolicBp, Field, Profile, Pulse, RespirationRate, Spo2, SystolicBp,
    Temperature, VitalSigns, VitalStatus, VitalsError,
};
use wasm_bindgen::prelude::*;

use crate::failure::{Failure, fail};
use crate::labels::{DIRECTION, STATUS, code_of};
use crate::vitals::{input, letter, with_wrong_type};

/// The vitals a profile object may name, in the order of the `thresholds` groups of
/// [`classify_values`] (the order the core reads a profile in).
pub const PROFILE_FIELDS: [Field; 6] = [
    Field::RespirationRate,
    Field::Spo2,
    Field::SystolicBp,
    Field::DiastolicBp,
    Field::Pulse,
    Field::Temperature,
];

/// Classifies the vitals given under a profile, and returns the packed classification
/// ([`pack_classification`]) or [`FAILED`](crate::failure::FAILED) with a [`Failure`].
///
/// The profile is the default (`Profile::NEWS2`) with the entries of the vitals whose bit is
/// set in `entries` (bit k for `PROFILE_FIELDS[k]`) replaced whole through
/// `Profile::with`, as the core does for a profile read from JSON: `thresholds[4k..4k + 4]`
/// are that entry's critical_below, warning_below, warning_above and critical_above, each
/// used only when its bit (4k + j) is set in `given`. A profile error is reported before any
/// vital's.
///
/// Vitals use the masks of [`score_values`](crate::vitals::score_values) (`input::*`, with
/// `DIASTOLIC_BP`); an absent vital is not classified.
#[allow(clippy::too_many_arguments)] // one positional argument per vital keeps the call allocation-free
#[wasm_bindgen(js_name = classifyValues)]
pub fn classify_values(
    respiration_rate: f64,
    spo2: f64,
    systolic_bp: f64,
    diastolic_bp: f64,
    pulse: f64,
    temperature: f64,
    consciousness: &str,
    absent: u32,
    wrong_type: u32,
    thresholds: &[f64],
    given: u32,
    entries: u32,
) -> f64 {
    let profile = match profile(thresholds, given, entries) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let present = |bit: u32| (absent | wrong_type) & bit == 0;
    let signs = || -> Result<VitalSigns, VitalsError> {
        // Built in the core's field order, so the first bad field is the one reported.
        Ok(VitalSigns {
            respiration_rate: present(input::RESPIRATION_RATE)
                .then(|| RespirationRate::from_f64(respiration_rate))
                .transpose()?,
            spo2: present(input::SPO2)
                .then(|| Spo2::from_f64(spo2))
                .transpose()?,
            systolic_bp: present(input::SYSTOLIC_BP)
                .then(|| SystolicBp::from_f64(systolic_bp))
                .transpose()?,
            diastolic_bp: present(input::DIASTOLIC_BP)
                .then(|| DiastolicBp::from_f64(diastolic_bp))
                .transpose()?,
            pulse: present(input::PULSE)
                .then(|| Pulse::from_f64(pulse))
                .transpose()?,
            consciousness: present(input::CONSCIOUSNESS)
                .then(|| consciousness.parse::<Acvpu>())
                .transpose()?,
            temperature: present(input::TEMPERATURE)
                .then(|| Temperature::from_celsius(temperature))
                .transpose()?,
        })
    };
    match with_wrong_type(signs(), wrong_type) {
        Ok(signs) => pack_classification(&profile.classify(&signs)),
        Err(e) => fail(e),
    }
}

/// [`classify_values`] with the consciousness level as its `Acvpu::code`, as in
/// [`score_coded`](crate::vitals::score_coded).
#[allow(clippy::too_many_arguments)] // one positional argument per vital keeps the call allocation-free
#[wasm_bindgen(js_name = classifyValuesCoded)]
pub fn classify_values_coded(
    respiration_rate: f64,
    spo2: f64,
    systolic_bp: f64,
    diastolic_bp: f64,
    pulse: f64,
    temperature: f64,
    consciousness: u8,
    absent: u32,
    wrong_type: u32,
    thresholds: &[f64],
    given: u32,
    entries: u32,
) -> f64 {
    let mut buf = [0; 4];
    match letter(consciousness, absent) {
        Some(level) => classify_values(
            respiration_rate,
            spo2,
            systolic_bp,
            diastolic_bp,
            pulse,
            temperature,
            level.encode_utf8(&mut buf),
            absent,
            wrong_type,
            thresholds,
            given,
            entries,
        ),
        None => fail(Failure::wrong_type(Field::Consciousness)),
    }
}

fn profile(thresholds: &[f64], given: u32, entries: u32) -> Result<Profile, Failure> {
    let mut profile = Profile::NEWS2;
    for (k, field) in PROFILE_FIELDS.into_iter().enumerate() {
        if entries & (1 << k) == 0 {
            continue;
        }
        let at = |j: usize| {
            let i = 4 * k + j;
            (given & (1 << i) != 0).then(|| thresholds.get(i).copied().unwrap_or(f64::NAN))
        };
        profile = profile.with(field, at(0), at(1), at(2), at(3))?;
    }
    Ok(profile)
}

/// Packs a classification, 4 bits per vital in the order respiration_rate, spo2,
/// systolic_bp, diastolic_bp, pulse, temperature, consciousness: 0 when the vital was not
/// given, else `1 + status + 3 × direction`, with status the index in the `status` table
/// and direction 0 for none, else 1 + the index in the `direction` table.
pub fn pack_classification(c: &Classification) -> f64 {
    let vitals = [
        c.respiration_rate,
        c.spo2,
        c.systolic_bp,
        c.diastolic_bp,
        c.pulse,
        c.temperature,
        c.consciousness,
    ];
    let code = |v: Option<VitalStatus>| {
        v.map_or(0, |v| {
            let direction = v
                .direction
                .map_or(0, |d| 1 + u32::from(code_of(&DIRECTION, &d)));
            1 + u32::from(code_of(&STATUS, &v.status)) + 3 * direction
        })
    };
    f64::from(
        vitals
            .into_iter()
            .enumerate()
            .fold(0u32, |acc, (i, v)| acc | code(v) << (4 * i)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::{FAILED, take_failure};

    const NONE: u32 = 0x1ff;

    #[test]
    fn default_profile_classifies_given_vitals_only() {
        let absent = NONE & !input::PULSE;
        let r = classify_values(0.0, 0.0, 0.0, 0.0, 135.0, 0.0, "", absent, 0, &[], 0, 0);
        // pulse is the fifth vital: critical (2), high (direction 2) -> 1 + 2 + 6 = 9
        assert_eq!(r as u32, 9 << 16);
    }

    #[test]
    fn profile_errors_come_first_and_name_the_vital() {
        let mut t = [0.0; 24];
        (t[16], t[17]) = (60.0, 40.0); // pulse critical_below 60 > warning_below 40
        let r = classify_values(
            500.0,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            "",
            0,
            0,
            &t,
            0b11 << 16,
            1 << 4,
        );
        assert_eq!(r, FAILED);
        let f = take_failure().expect("failure");
        assert_eq!(
            (f.kind(), f.field()),
            ("unordered_thresholds".into(), Some("pulse".into()))
        );
    }

    #[test]
    fn custom_entry_replaces_the_default_whole() {
        // systolic_bp entry with only warning_above 140, critical_above 180: 85 is normal.
        let mut t = [0.0; 24];
        (t[10], t[11]) = (140.0, 180.0);
        let absent = NONE & !input::SYSTOLIC_BP;
        let r = classify_values(
            0.0,
            0.0,
            85.0,
            0.0,
            0.0,
            0.0,
            "",
            absent,
            0,
            &t,
            0b1100 << 8,
            1 << 2,
        );
        assert_eq!(r as u32, 1 << 8, "systolic normal");
    }
}
