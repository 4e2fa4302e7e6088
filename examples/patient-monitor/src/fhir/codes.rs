//! The codes and units the FHIR input understands.

/// LOINC.
pub const LOINC: &str = "http://loinc.org";
/// SNOMED CT.
pub const SNOMED: &str = "http://snomed.info/sct";
/// UCUM.
pub const UCUM: &str = "http://unitsofmeasure.org";
/// The identifier system of this server's medical record numbers.
pub const MRN_SYSTEM: &str = "urn:patient-monitor:mrn";
/// The NEWS2 total score (SNOMED CT).
pub const NEWS2_CODE: &str = "1104051000000101";

/// What an observation code measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// LOINC 9279-1.
    RespirationRate,
    /// LOINC 2708-6 or 59408-5.
    Spo2,
    /// LOINC 8480-6, alone or as a component of 85354-9.
    Systolic,
    /// LOINC 85354-9: the blood pressure panel (its systolic component is read).
    BloodPressurePanel,
    /// LOINC 85353-1: the vital signs panel (each component is read).
    VitalSignsPanel,
    /// LOINC 8867-4.
    HeartRate,
    /// LOINC 8310-5.
    Temperature,
    /// SNOMED 1104441000000107 or LOINC 67775-7.
    Acvpu,
    /// LOINC 3151-8, inhaled oxygen flow rate.
    OxygenFlow,
    /// SNOMED 371825009, patient on oxygen.
    OnOxygen,
}

/// The codes accepted, as `system|code`.
pub const ACCEPTED: &str = "LOINC 9279-1, 2708-6, 59408-5, 8480-6, 85354-9, 85353-1, 8867-4, 8310-5, 67775-7, 3151-8; SNOMED 1104441000000107, 371825009";

/// The kind of a coding, if known.
pub fn kind(system: &str, code: &str) -> Option<Kind> {
    match (system, code) {
        (LOINC, "9279-1") => Some(Kind::RespirationRate),
        (LOINC, "2708-6" | "59408-5") => Some(Kind::Spo2),
        (LOINC, "8480-6") => Some(Kind::Systolic),
        (LOINC, "85354-9") => Some(Kind::BloodPressurePanel),
        (LOINC, "85353-1") => Some(Kind::VitalSignsPanel),
        (LOINC, "8867-4") => Some(Kind::HeartRate),
        (LOINC, "8310-5") => Some(Kind::Temperature),
        (SNOMED, "1104441000000107") | (LOINC, "67775-7") => Some(Kind::Acvpu),
        (LOINC, "3151-8") => Some(Kind::OxygenFlow),
        (SNOMED, "371825009") => Some(Kind::OnOxygen),
        _ => None,
    }
}

/// Converts a value to the unit the core takes.
pub type Convert = fn(f64) -> f64;

/// The UCUM codes accepted for a quantity kind, and the factor/offset to the unit the core
/// takes. `None` for a unit that is not accepted.
pub fn unit(kind: Kind, ucum: &str) -> Option<Convert> {
    fn same(x: f64) -> f64 {
        x
    }
    fn fahrenheit(x: f64) -> f64 {
        (x - 32.0) * 5.0 / 9.0
    }
    match (kind, ucum) {
        (Kind::RespirationRate, "/min" | "{breaths}/min" | "{Breaths}/min") => Some(same),
        (Kind::HeartRate, "/min" | "{beats}/min" | "{Beats}/min") => Some(same),
        (Kind::Spo2, "%") => Some(same),
        (Kind::Systolic, "mm[Hg]") => Some(same),
        (Kind::Temperature, "Cel") => Some(same),
        (Kind::Temperature, "[degF]") => Some(fahrenheit),
        (Kind::OxygenFlow, "L/min") => Some(same),
        _ => None,
    }
}

/// The UCUM codes accepted for a kind, for error messages.
pub fn units_expected(kind: Kind) -> &'static str {
    match kind {
        Kind::RespirationRate => "UCUM /min or {breaths}/min",
        Kind::HeartRate => "UCUM /min or {beats}/min",
        Kind::Spo2 => "UCUM %",
        Kind::Systolic | Kind::BloodPressurePanel => "UCUM mm[Hg]",
        Kind::Temperature => "UCUM Cel or [degF]",
        Kind::OxygenFlow => "UCUM L/min",
        Kind::VitalSignsPanel | Kind::Acvpu | Kind::OnOxygen => "no unit",
    }
}

/// ACVPU answers (SNOMED CT) → the letter the core parses.
pub fn acvpu(system: &str, code: &str) -> Option<&'static str> {
    match (system, code) {
        (SNOMED, "248234008") => Some("A"),
        (SNOMED, "130987000") => Some("C"),
        (SNOMED, "300202002") => Some("V"),
        (SNOMED, "450847001") => Some("P"),
        (SNOMED, "422768004") => Some("U"),
        _ => None,
    }
}

/// Yes/no answers (SNOMED CT 373066001 yes, 373067005 no).
pub fn yes_no(system: &str, code: &str) -> Option<bool> {
    match (system, code) {
        (SNOMED, "373066001") => Some(true),
        (SNOMED, "373067005") => Some(false),
        _ => None,
    }
}

/// The LOINC code and display used when exporting a parameter.
pub fn export_code(parameter: news2_core::Parameter) -> (&'static str, &'static str, &'static str) {
    use news2_core::Parameter as P;
    match parameter {
        P::RespirationRate => (LOINC, "9279-1", "Respiratory rate"),
        P::Spo2 => (
            LOINC,
            "59408-5",
            "Oxygen saturation in Arterial blood by Pulse oximetry",
        ),
        P::OnOxygen => (SNOMED, "371825009", "Patient on oxygen"),
        P::SystolicBp => (LOINC, "8480-6", "Systolic blood pressure"),
        P::Pulse => (LOINC, "8867-4", "Heart rate"),
        P::Consciousness => (
            SNOMED,
            "1104441000000107",
            "ACVPU (alert, confusion, voice, pain, unresponsive) scale score",
        ),
        P::Temperature => (LOINC, "8310-5", "Body temperature"),
    }
}
