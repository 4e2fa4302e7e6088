//! Stored results as FHIR R4: the NEWS2 total score Observation (SNOMED CT
//! 1104051000000101) with `derivedFrom` its inputs, stored inputs, and searchset Bundles.

use news2_core::Parameter;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};

use super::codes::{self, NEWS2_CODE, SNOMED};

/// A stored complete NEWS2 result as an Observation.
pub fn news2_observation(id: i64, patient_id: i64, computed_at: &str, data: &Value) -> Value {
    let score = &data["news2"];
    let components: Vec<Value> = Parameter::ALL
        .iter()
        .map(|p| {
            let (system, code, display) = codes::export_code(*p);
            json!({
                "code": {"coding": [{"system": system, "code": code, "display": display}], "text": format!("{} score", p.as_str())},
                "valueInteger": score["parameters"][p.as_str()],
            })
        })
        .collect();
    let derived: Vec<Value> = data["derived_from"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|x| json!({"reference": format!("Observation/{x}")}))
        .collect();
    json!({
        "resourceType": "Observation",
        "id": format!("news2-{id}"),
        "meta": {"profile": ["http://hl7.org/fhir/StructureDefinition/Observation"]},
        "status": "final",
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey", "display": "Survey"}]}],
        "code": {"coding": [{"system": SNOMED, "code": NEWS2_CODE, "display": "Royal College of Physicians National Early Warning Score 2 (NEWS2) total score"}], "text": "NEWS2"},
        "subject": {"reference": format!("Patient/{patient_id}")},
        "effectiveDateTime": data["observed_at"],
        "issued": computed_at,
        "valueInteger": score["total"],
        "interpretation": [{"text": score["risk"]}],
        "note": if data["stale"] == json!(true) { json!([{"text": "computed from observations older than the maximum age (stale)"}]) } else { json!([]) },
        "component": components,
        "derivedFrom": derived,
    })
}

/// A stored input observation as FHIR: a received resource with our id, or a JSON vitals
/// set as a vital-signs panel.
pub fn input_observation(
    id: i64,
    patient_id: i64,
    kind: &str,
    observed_at: &str,
    data: &Value,
) -> Value {
    if kind == "fhir" {
        let mut r = data["resource"].clone();
        r["id"] = json!(id.to_string());
        return r;
    }
    let v = &data["vitals"];
    let q = |value: &Value, code: &str| json!({"value": value, "system": codes::UCUM, "code": code, "unit": code});
    let comp = |p: Parameter, value: Value| {
        let (system, code, display) = codes::export_code(p);
        let mut c =
            json!({"code": {"coding": [{"system": system, "code": code, "display": display}]}});
        if let Value::Object(m) = value {
            for (k, x) in m {
                c[k] = x;
            }
        }
        c
    };
    let acvpu = match v["consciousness"].as_str() {
        Some("A") => "248234008",
        Some("C") => "130987000",
        Some("V") => "300202002",
        Some("P") => "450847001",
        _ => "422768004",
    };
    json!({
        "resourceType": "Observation",
        "id": id.to_string(),
        "status": "final",
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs"}]}],
        "code": {"coding": [{"system": codes::LOINC, "code": "85353-1", "display": "Vital signs panel"}]},
        "subject": {"reference": format!("Patient/{patient_id}")},
        "effectiveDateTime": observed_at,
        "component": [
            comp(Parameter::RespirationRate, json!({"valueQuantity": q(&v["respiration_rate"], "/min")})),
            comp(Parameter::Spo2, json!({"valueQuantity": q(&v["spo2"], "%")})),
            comp(Parameter::OnOxygen, json!({"valueBoolean": v["on_oxygen"]})),
            comp(Parameter::SystolicBp, json!({"valueQuantity": q(&v["systolic_bp"], "mm[Hg]")})),
            comp(Parameter::Pulse, json!({"valueQuantity": q(&v["pulse"], "/min")})),
            comp(Parameter::Consciousness, json!({"valueCodeableConcept": {"coding": [{"system": SNOMED, "code": acvpu}]}})),
            comp(Parameter::Temperature, json!({"valueQuantity": q(&v["temperature"], "Cel")})),
        ],
    })
}

/// The stored NEWS2 results of a patient, newest first, as a searchset Bundle.
pub fn news2_bundle(conn: &Connection, patient_id: i64, limit: i64) -> rusqlite::Result<Value> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.computed_at, e.data FROM scores s JOIN events e ON e.id = s.id WHERE s.patient_id = ?1 AND s.complete = 1 ORDER BY s.observed_at DESC, s.id DESC LIMIT ?2",
    )?;
    let rows: Vec<(i64, String, String)> = stmt
        .query_map(params![patient_id, limit], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let entries: Vec<Value> = rows
        .iter()
        .map(|(id, at, data)| {
            let data: Value = serde_json::from_str(data).unwrap_or(Value::Null);
            json!({"fullUrl": format!("Observation/news2-{id}"), "resource": news2_observation(*id, patient_id, at, &data), "search": {"mode": "match"}})
        })
        .collect();
    Ok(
        json!({"resourceType": "Bundle", "type": "searchset", "total": entries.len(), "entry": entries}),
    )
}

/// One stored observation by FHIR id (`news2-<n>` or `<n>`), with its patient and ward.
pub fn observation(conn: &Connection, id: &str) -> rusqlite::Result<Option<(Value, i64, String)>> {
    if let Some(n) = id
        .strip_prefix("news2-")
        .and_then(|n| n.parse::<i64>().ok())
    {
        let row = conn
            .query_row(
                "SELECT s.patient_id, s.computed_at, e.data, p.ward FROM scores s JOIN patients p ON p.id = s.patient_id JOIN events e ON e.id = s.id WHERE s.id = ?1 AND s.complete = 1",
                [n],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?)),
            )
            .optional()?;
        return Ok(row.map(|(pid, at, data, ward)| {
            let data: Value = serde_json::from_str(&data).unwrap_or(Value::Null);
            (news2_observation(n, pid, &at, &data), pid, ward)
        }));
    }
    let Ok(n) = id.parse::<i64>() else {
        return Ok(None);
    };
    let row = conn
        .query_row(
            "SELECT o.patient_id, o.kind, o.observed_at, e.data, p.ward FROM observations o JOIN patients p ON p.id = o.patient_id JOIN events e ON e.id = o.id WHERE o.id = ?1",
            [n],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?)),
        )
        .optional()?;
    Ok(row.map(|(pid, kind, at, data, ward)| {
        let data: Value = serde_json::from_str(&data).unwrap_or(Value::Null);
        (input_observation(n, pid, &kind, &at, &data), pid, ward)
    }))
}
