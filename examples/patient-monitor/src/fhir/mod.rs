//! FHIR R4 vital-signs Observations in (single or in a Bundle), NEWS2 results and audit
//! events out. Input is strict: an unknown code or unit, a missing value or time, or an
//! implausible value is refused with the JSON path of the field at fault.

pub mod codes;
pub mod export;

use chrono::{DateTime, Utc};
use news2_core::{Acvpu, Measurement, Parameter, Reading};
use serde_json::{Value, json};

use crate::input::{Obj, missing, parse_instant, shown};
use crate::problem::Problem;
use codes::Kind;

/// The patient an observation is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PatientRef {
    /// `Patient/<id>`.
    Id(i64),
    /// An identifier in [`codes::MRN_SYSTEM`].
    Mrn(String),
}

/// One parsed Observation.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// Whose.
    pub patient: PatientRef,
    /// Its readings.
    pub readings: Vec<Reading>,
    /// The resource as received.
    pub resource: Value,
    /// The JSON path of the resource (for errors found later, e.g. an unknown patient).
    pub path: String,
}

/// The most entries a Bundle may carry.
pub const MAX_ENTRIES: usize = 500;

/// Reads a Bundle (`transaction`, `batch` or `collection`) of Observations.
pub fn parse_bundle(o: &Obj, now: DateTime<Utc>) -> Result<Vec<Parsed>, Problem> {
    let kind = o.string("type")?.ok_or_else(|| missing("type"))?;
    if !matches!(kind, "transaction" | "batch" | "collection") {
        return Err(Problem::invalid(
            "type",
            format!(
                "Bundle type {kind:?} is not accepted: expected transaction, batch or collection"
            ),
        )
        .with_value(kind)
        .with_code("unsupported_bundle_type")
        .with_expected("transaction, batch or collection"));
    }
    let entries = o.array("entry")?.ok_or_else(|| missing("entry"))?;
    if entries.is_empty() || entries.len() > MAX_ENTRIES {
        return Err(Problem::invalid(
            "entry",
            format!(
                "the Bundle has {} entries: expected 1 to {MAX_ENTRIES}",
                entries.len()
            ),
        )
        .with_code("entry_count")
        .with_expected(format!("1 to {MAX_ENTRIES} entries")));
    }
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let entry = Obj::at(format!("entry[{i}]"), e)?;
            let resource = entry
                .get("resource")
                .ok_or_else(|| missing(&entry.path_of("resource")))?;
            parse_observation(&Obj::at(entry.path_of("resource"), resource)?, now)
        })
        .collect()
}

/// Reads one Observation.
pub fn parse_observation(o: &Obj, now: DateTime<Utc>) -> Result<Parsed, Problem> {
    let rt = o
        .string("resourceType")?
        .ok_or_else(|| missing(&o.path_of("resourceType")))?;
    if rt != "Observation" {
        return Err(Problem::invalid(
            o.path_of("resourceType"),
            format!("resourceType {rt:?} is not accepted here: expected Observation"),
        )
        .with_value(rt)
        .with_code("unsupported_resource")
        .with_expected("Observation"));
    }
    let status = o
        .string("status")?
        .ok_or_else(|| missing(&o.path_of("status")))?;
    if !matches!(status, "final" | "amended" | "corrected" | "preliminary") {
        return Err(Problem::invalid(o.path_of("status"), format!("status {status:?} cannot be scored: expected final, amended, corrected or preliminary"))
            .with_value(status)
            .with_code("unusable_status")
            .with_expected("final, amended, corrected or preliminary"));
    }
    let patient = subject(o)?;
    let at = effective(o, now)?;
    let kind = code_kind(o)?;
    let readings = match kind {
        Kind::VitalSignsPanel | Kind::BloodPressurePanel => components(o, kind, at)?,
        _ => vec![reading(o, kind, at)?],
    };
    Ok(Parsed {
        patient,
        readings,
        resource: Value::Object(kept_fields(o)),
        path: o.path_of("").trim_end_matches('.').to_owned(),
    })
}

/// The fields kept from a received resource (its own `id` and `meta` are replaced by ours).
fn kept_fields(o: &Obj) -> serde_json::Map<String, Value> {
    let mut v = serde_json::Map::new();
    for k in [
        "resourceType",
        "status",
        "category",
        "code",
        "subject",
        "effectiveDateTime",
        "effectiveInstant",
        "valueQuantity",
        "valueCodeableConcept",
        "valueBoolean",
        "component",
        "device",
        "identifier",
    ] {
        if let Some(x) = o.get(k) {
            v.insert(k.to_owned(), x.clone());
        }
    }
    v
}

fn subject(o: &Obj) -> Result<PatientRef, Problem> {
    let s = o
        .object("subject")?
        .ok_or_else(|| missing(&o.path_of("subject")))?;
    if let Some(r) = s.string("reference")? {
        let id = r
            .strip_prefix("Patient/")
            .and_then(|x| x.parse::<i64>().ok())
            .filter(|x| *x > 0);
        return id.map(PatientRef::Id).ok_or_else(|| {
            Problem::invalid(
                s.path_of("reference"),
                format!(
                    "subject.reference {r:?} is not a patient reference: expected Patient/<id>"
                ),
            )
            .with_value(shown(&json!(r)))
            .with_code("invalid_reference")
            .with_expected("Patient/<id>")
        });
    }
    let ident = s
        .object("identifier")?
        .ok_or_else(|| missing(&s.path_of("reference")))?;
    let system = ident.string("system")?.unwrap_or_default();
    if system != codes::MRN_SYSTEM {
        return Err(Problem::invalid(
            ident.path_of("system"),
            format!(
                "identifier system {system:?} is not known: expected {}",
                codes::MRN_SYSTEM
            ),
        )
        .with_value(system)
        .with_code("unknown_identifier_system")
        .with_expected(codes::MRN_SYSTEM));
    }
    Ok(PatientRef::Mrn(ident.text("value", 32)?.to_uppercase()))
}

fn effective(o: &Obj, now: DateTime<Utc>) -> Result<DateTime<Utc>, Problem> {
    let (key, s) = match (
        o.string("effectiveDateTime")?,
        o.string("effectiveInstant")?,
    ) {
        (Some(s), _) => ("effectiveDateTime", s),
        (None, Some(s)) => ("effectiveInstant", s),
        (None, None) => return Err(missing(&o.path_of("effectiveDateTime"))),
    };
    let field = o.path_of(key);
    // A date alone (no time) cannot say whether a reading is fresh.
    if s.len() < 16 {
        return Err(Problem::invalid(
            &field,
            format!("{key} {s:?} has no time of day: expected a date-time with an offset"),
        )
        .with_value(s)
        .with_code("imprecise_time")
        .with_expected("a date-time with an offset, such as 2026-01-01T10:00:00Z"));
    }
    let at = parse_instant(&field, s)?;
    crate::vitals::check_not_future(&field, at, now)?;
    Ok(at)
}

fn code_kind(o: &Obj) -> Result<Kind, Problem> {
    let code = o
        .object("code")?
        .ok_or_else(|| missing(&o.path_of("code")))?;
    let codings = code
        .array("coding")?
        .ok_or_else(|| missing(&code.path_of("coding")))?;
    let found = codings
        .iter()
        .find_map(|c| codes::kind(c.get("system")?.as_str()?, c.get("code")?.as_str()?));
    found.ok_or_else(|| {
        Problem::invalid(
            code.path_of("coding"),
            format!(
                "no coding names a NEWS2 vital sign: expected one of {}",
                codes::ACCEPTED
            ),
        )
        .with_value(shown(&Value::Array(codings.clone())))
        .with_code("unknown_code")
        .with_expected(codes::ACCEPTED)
    })
}

fn component_kind(c: &Obj) -> Option<Kind> {
    let coding = c.get("code")?.get("coding")?.as_array()?;
    coding
        .iter()
        .find_map(|x| codes::kind(x.get("system")?.as_str()?, x.get("code")?.as_str()?))
}

fn parameter_of(kind: Kind) -> Parameter {
    match kind {
        Kind::RespirationRate => Parameter::RespirationRate,
        Kind::Spo2 => Parameter::Spo2,
        Kind::Systolic | Kind::BloodPressurePanel => Parameter::SystolicBp,
        Kind::HeartRate => Parameter::Pulse,
        Kind::Temperature => Parameter::Temperature,
        Kind::Acvpu => Parameter::Consciousness,
        Kind::OxygenFlow | Kind::OnOxygen | Kind::VitalSignsPanel => Parameter::OnOxygen,
    }
}

/// The readings of a panel's components (the blood pressure panel: its systolic one).
fn components(o: &Obj, kind: Kind, at: DateTime<Utc>) -> Result<Vec<Reading>, Problem> {
    let list = o
        .array("component")?
        .ok_or_else(|| missing(&o.path_of("component")))?;
    let mut out = Vec::new();
    for (i, c) in list.iter().enumerate() {
        let c = Obj::at(o.path_of(&format!("component[{i}]")), c)?;
        // Components the panel may carry but NEWS2 does not score (diastolic pressure, height,
        // ...) are skipped; the panel must still carry at least one that it does.
        let Some(k) = component_kind(&c) else {
            continue;
        };
        let wanted = match kind {
            Kind::BloodPressurePanel => k == Kind::Systolic,
            _ => !matches!(k, Kind::VitalSignsPanel | Kind::BloodPressurePanel),
        };
        if wanted {
            out.push(reading(&c, k, at)?);
        }
    }
    if out.is_empty() {
        let what = if kind == Kind::BloodPressurePanel {
            "a systolic component (LOINC 8480-6)"
        } else {
            "at least one vital-sign component"
        };
        return Err(Problem::invalid(
            o.path_of("component"),
            format!("the panel has no usable component: expected {what}"),
        )
        .with_code("missing")
        .with_expected(what));
    }
    Ok(out)
}

/// One reading from an observation (or component) of a known kind.
fn reading(o: &Obj, kind: Kind, at: DateTime<Utc>) -> Result<Reading, Problem> {
    if o.get("dataAbsentReason").is_some() {
        return Err(Problem::invalid(o.path_of("dataAbsentReason"), "the observation has no value (dataAbsentReason): a missing value is never treated as normal")
            .with_code("missing")
            .with_expected("a measured value"));
    }
    let parameter = parameter_of(kind);
    let measurement = match kind {
        Kind::Acvpu => {
            let cc = o
                .object("valueCodeableConcept")?
                .ok_or_else(|| missing(&o.path_of("valueCodeableConcept")))?;
            let codings = cc
                .array("coding")?
                .ok_or_else(|| missing(&cc.path_of("coding")))?;
            let letter = codings.iter().find_map(|c| codes::acvpu(c.get("system")?.as_str()?, c.get("code")?.as_str()?)).ok_or_else(|| {
                Problem::invalid(cc.path_of("coding"), "no coding is an ACVPU answer: expected SNOMED 248234008 alert, 130987000 new confusion, 300202002 voice, 450847001 pain or 422768004 unresponsive")
                    .with_value(shown(&Value::Array(codings.clone())))
                    .with_code("unknown_code")
                    .with_expected("SNOMED 248234008, 130987000, 300202002, 450847001 or 422768004")
            })?;
            let level: Acvpu = letter.parse().map_err(Problem::from)?;
            Measurement::Consciousness(level)
        }
        Kind::OnOxygen => {
            let on = match (
                o.boolean("valueBoolean")?,
                o.object("valueCodeableConcept")?,
            ) {
                (Some(b), _) => b,
                (None, Some(cc)) => {
                    let codings = cc
                        .array("coding")?
                        .ok_or_else(|| missing(&cc.path_of("coding")))?;
                    codings.iter().find_map(|c| codes::yes_no(c.get("system")?.as_str()?, c.get("code")?.as_str()?)).ok_or_else(|| {
                        Problem::invalid(cc.path_of("coding"), "the answer is not yes or no: expected SNOMED 373066001 (yes) or 373067005 (no)")
                            .with_code("unknown_code")
                            .with_expected("SNOMED 373066001 or 373067005")
                    })?
                }
                (None, None) => return Err(missing(&o.path_of("valueBoolean"))),
            };
            Measurement::OnOxygen(on)
        }
        _ => {
            let (value, convert) = quantity(o, kind)?;
            let field = o.path_of("valueQuantity.value");
            if kind == Kind::OxygenFlow {
                if !(0.0..=60.0).contains(&value) {
                    return Err(Problem::invalid(
                        &field,
                        format!("oxygen flow {value} L/min is out of range: expected 0–60 L/min"),
                    )
                    .with_value(value)
                    .with_code("out_of_range")
                    .with_expected("0–60 L/min"));
                }
                Measurement::OnOxygen(value > 0.0)
            } else {
                Measurement::from_f64(parameter, convert(value))
                    .map_err(|e| Problem::from(e).with_field(field).with_value(value))?
            }
        }
    };
    Ok(Reading { measurement, at })
}

fn quantity(o: &Obj, kind: Kind) -> Result<(f64, codes::Convert), Problem> {
    let q = o
        .object("valueQuantity")?
        .ok_or_else(|| missing(&o.path_of("valueQuantity")))?;
    let value = q
        .number("value")?
        .ok_or_else(|| missing(&q.path_of("value")))?;
    if let Some(system) = q.string("system")?
        && system != codes::UCUM
    {
        return Err(Problem::invalid(
            q.path_of("system"),
            format!(
                "unit system {system:?} is not UCUM: expected {}",
                codes::UCUM
            ),
        )
        .with_value(system)
        .with_code("unknown_unit_system")
        .with_expected(codes::UCUM));
    }
    let code = q
        .string("code")?
        .ok_or_else(|| missing(&q.path_of("code")))?;
    let convert = codes::unit(kind, code).ok_or_else(|| {
        Problem::invalid(
            q.path_of("code"),
            format!(
                "unit {code:?} is not accepted here: expected {}",
                codes::units_expected(kind)
            ),
        )
        .with_value(shown(&json!(code)))
        .with_code("unknown_unit")
        .with_expected(codes::units_expected(kind))
    })?;
    Ok((value, convert))
}
