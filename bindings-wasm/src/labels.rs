//! The label tables the wrapper turns codes into names with. Every label comes from a
//! core: `as_str`, the core's constant tables, or the snake_case name the core's serde
//! derive gives a variant (read through `fmt::Formatter`, so no JSON library is linked).

use core::fmt;

use news2_core::batch::RISK_LABELS;
use news2_core::{
    Acvpu, CnsKind, Direction, Field, MonitoringFrequency, Parameter, ResponseLevel, Status,
    VitalsError,
};
use wasm_bindgen::prelude::*;

/// Chart 4 monitoring frequencies, in the order of the codes in packed results.
pub const MONITORING: [MonitoringFrequency; 4] = [
    MonitoringFrequency::TwelveHourly,
    MonitoringFrequency::FourToSixHourly,
    MonitoringFrequency::Hourly,
    MonitoringFrequency::Continuous,
];

/// Chart 4 response levels, in the order of the codes in packed results.
pub const RESPONSE: [ResponseLevel; 5] = [
    ResponseLevel::Routine,
    ResponseLevel::WardBased,
    ResponseLevel::UrgentWardBased,
    ResponseLevel::Urgent,
    ResponseLevel::Emergency,
];

/// Input fields, in the order of the codes in `errorField` batch columns. This is also
/// the core's error precedence order (`Field`'s `Ord`), which a unit test checks.
pub const FIELDS: [Field; 9] = [
    Field::RespirationRate,
    Field::Spo2Scale,
    Field::Spo2,
    Field::OnOxygen,
    Field::SystolicBp,
    Field::DiastolicBp,
    Field::Pulse,
    Field::Consciousness,
    Field::Temperature,
];

/// Classification statuses, in the order of the codes in packed classifications.
pub const STATUS: [Status; 3] = [Status::Normal, Status::Warning, Status::Critical];

/// Classification directions, in the order of the codes (after 0, none) in packed
/// classifications.
pub const DIRECTION: [Direction; 2] = [Direction::Low, Direction::High];

/// CNS kinds, in the order of the codes in parsed CNS results.
pub const CNS_KIND: [CnsKind; 2] = [CnsKind::Definitive, CnsKind::Provisional];

/// The position of `item` in `table`. Every table above lists every variant of a
/// (non-`non_exhaustive`) core enum, so the lookup cannot miss; the unit tests check it.
pub fn code_of<T: PartialEq>(table: &[T], item: &T) -> u8 {
    table
        .iter()
        .position(|t| t == item)
        .map_or(u8::MAX, |i| i as u8)
}

/// The code of a field in [`FIELDS`]; `u8::MAX` for a field this build does not know
/// (`Field` is `non_exhaustive`).
pub fn field_code(field: Field) -> u8 {
    code_of(&FIELDS, &field)
}

/// The name the core's serde derive gives a value (for unit variants: the variant's
/// snake_case name, e.g. `twelve_hourly`).
pub fn serde_name<T: serde::Serialize>(value: &T) -> String {
    struct Name<'a, T>(&'a T);
    impl<T: serde::Serialize> fmt::Display for Name<'_, T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.serialize(f)
        }
    }
    Name(value).to_string()
}

/// A label table by name, each index being the code used in packed results and batch
/// columns:
///
/// | name | labels |
/// |---|---|
/// | `risk` | `low`, `low-medium`, `medium`, `high` (`ClinicalRisk::code`) |
/// | `monitoring` | Chart 4 monitoring, snake_case |
/// | `response` | Chart 4 response, snake_case |
/// | `parameter` | the seven parameters in chart order, snake_case |
/// | `field` | every input field, snake_case |
/// | `vitalsErrorKind` | `VitalsError::KINDS` (index = `VitalsError::code`) |
/// | `status` | `normal`, `warning`, `critical` |
/// | `direction` | `low`, `high` |
/// | `cnsKind` | `definitive`, `provisional` |
/// | `acvpu` | `A`, `C`, `V`, `P`, `U` (index = `Acvpu::code`) |
/// | `profileField` | the vitals a profile names, in the order of `classifyValues`' groups |
///
/// An unknown name gives an empty table.
#[wasm_bindgen(js_name = labelTable)]
pub fn label_table(name: &str) -> Vec<String> {
    let strings = |labels: &[&str]| labels.iter().map(|s| (*s).to_owned()).collect();
    match name {
        "risk" => strings(&RISK_LABELS),
        "monitoring" => MONITORING.iter().map(serde_name).collect(),
        "response" => RESPONSE.iter().map(serde_name).collect(),
        "parameter" => Parameter::ALL
            .iter()
            .map(|p| p.as_str().to_owned())
            .collect(),
        "field" => FIELDS.iter().map(|f| f.as_str().to_owned()).collect(),
        "vitalsErrorKind" => strings(&VitalsError::KINDS),
        "status" => STATUS.iter().map(|s| s.as_str().to_owned()).collect(),
        "direction" => DIRECTION.iter().map(|d| d.as_str().to_owned()).collect(),
        "cnsKind" => CNS_KIND.iter().map(serde_name).collect(),
        "acvpu" => Acvpu::ALL.iter().map(|a| a.letter().to_string()).collect(),
        "profileField" => crate::classification::PROFILE_FIELDS
            .iter()
            .map(|f| f.as_str().to_owned())
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use news2_core::ClinicalRisk;

    #[test]
    fn tables_list_every_variant_once_in_code_order() {
        for (i, m) in MONITORING.iter().enumerate() {
            assert_eq!(usize::from(code_of(&MONITORING, m)), i);
        }
        // Exhaustive matches: a new core variant breaks this test's build.
        let monitoring = |m: MonitoringFrequency| match m {
            MonitoringFrequency::TwelveHourly
            | MonitoringFrequency::FourToSixHourly
            | MonitoringFrequency::Hourly
            | MonitoringFrequency::Continuous => MONITORING.contains(&m),
        };
        assert!(MONITORING.into_iter().all(monitoring));
        let response = |r: ResponseLevel| match r {
            ResponseLevel::Routine
            | ResponseLevel::WardBased
            | ResponseLevel::UrgentWardBased
            | ResponseLevel::Urgent
            | ResponseLevel::Emergency => RESPONSE.contains(&r),
        };
        assert!(RESPONSE.into_iter().all(response));
        assert!(
            FIELDS.windows(2).all(|w| w[0] < w[1]),
            "FIELDS is in the core's precedence order"
        );
        assert_eq!(label_table("risk").len(), ClinicalRisk::ALL.len());
    }

    #[test]
    fn serde_names_are_the_golden_labels() {
        assert_eq!(
            label_table("monitoring"),
            [
                "twelve_hourly",
                "four_to_six_hourly",
                "hourly",
                "continuous"
            ]
        );
        assert_eq!(
            label_table("response"),
            [
                "routine",
                "ward_based",
                "urgent_ward_based",
                "urgent",
                "emergency"
            ]
        );
        assert_eq!(label_table("cnsKind"), ["definitive", "provisional"]);
        assert_eq!(label_table("risk"), ["low", "low-medium", "medium", "high"]);
        assert!(label_table("nope").is_empty());
    }
}
