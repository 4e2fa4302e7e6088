//! Bad input of every kind: a 4xx problem+json naming the field where one applies, and the
//! database exactly as it was.

mod common;

use common::{TestServer, cpf, fingerprint, normal_vitals};
use serde_json::{Value, json};

struct Case {
    name: &'static str,
    method: &'static str,
    path: String,
    content_type: &'static str,
    body: Vec<u8>,
    status: u16,
    field: Option<&'static str>,
}

fn case(
    name: &'static str,
    method: &'static str,
    path: impl Into<String>,
    body: Value,
    status: u16,
    field: Option<&'static str>,
) -> Case {
    Case {
        name,
        method,
        path: path.into(),
        content_type: "application/json",
        body: body.to_string().into_bytes(),
        status,
        field,
    }
}

fn with(mut v: Value, k: &str, x: Value) -> Value {
    v[k] = x;
    v
}

fn without(mut v: Value, k: &str) -> Value {
    v.as_object_mut().unwrap().remove(k);
    v
}

fn obs(pid: i64) -> Value {
    json!({
        "resourceType": "Observation", "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
        "subject": {"reference": format!("Patient/{pid}")},
        "effectiveDateTime": chrono::Utc::now().to_rfc3339(),
        "valueQuantity": {"value": 80, "system": "http://unitsofmeasure.org", "code": "/min"}
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_bad_input_is_refused_and_changes_nothing() {
    let s = TestServer::start().await;
    let nurse = s.login("nurse").await;
    let existing_cpf = cpf(314_159_265);
    let pid = s
        .register(&nurse, "Teresa Nunes", &existing_cpf, "ward-a")
        .await;
    let vitals = format!("/api/patients/{pid}/vitals");
    let v = normal_vitals();
    let future = (chrono::Utc::now() + chrono::TimeDelta::hours(2)).to_rfc3339();
    let patient = |extra: (&str, Value)| {
        let mut p = json!({"name": "Novo Paciente", "cpf": cpf(271_828_182), "ward": "ward-a"});
        p[extra.0] = extra.1;
        p
    };
    let o = obs(pid);
    let cases = vec![
        Case {
            name: "malformed JSON",
            method: "POST",
            path: vitals.clone(),
            content_type: "application/json",
            body: b"{\"pulse\": 80,".to_vec(),
            status: 400,
            field: None,
        },
        case(
            "body not an object",
            "POST",
            &vitals,
            json!([1, 2, 3]),
            400,
            None,
        ),
        case(
            "number sent as text",
            "POST",
            &vitals,
            with(v.clone(), "pulse", json!("72")),
            422,
            Some("pulse"),
        ),
        case(
            "boolean of the wrong type",
            "POST",
            &vitals,
            with(v.clone(), "on_oxygen", json!("yes")),
            422,
            Some("on_oxygen"),
        ),
        case(
            "impossible SpO2",
            "POST",
            &vitals,
            with(v.clone(), "spo2", json!(101)),
            422,
            Some("spo2"),
        ),
        case(
            "negative respiration rate",
            "POST",
            &vitals,
            with(v.clone(), "respiration_rate", json!(-4)),
            422,
            Some("respiration_rate"),
        ),
        case(
            "temperature in Fahrenheit",
            "POST",
            &vitals,
            with(v.clone(), "temperature", json!(98.6)),
            422,
            Some("temperature"),
        ),
        case(
            "missing vital",
            "POST",
            &vitals,
            without(v.clone(), "systolic_bp"),
            422,
            Some("systolic_bp"),
        ),
        case(
            "unknown consciousness level",
            "POST",
            &vitals,
            with(v.clone(), "consciousness", json!("X")),
            422,
            Some("consciousness"),
        ),
        case(
            "SpO2 scale 3",
            "POST",
            &vitals,
            with(v.clone(), "spo2_scale", json!(3)),
            422,
            Some("spo2_scale"),
        ),
        case(
            "unknown field",
            "POST",
            &vitals,
            with(v.clone(), "puls", json!(80)),
            422,
            Some("puls"),
        ),
        case(
            "observed in the future",
            "POST",
            &vitals,
            with(v.clone(), "observed_at", json!(future)),
            422,
            Some("observed_at"),
        ),
        case(
            "observed_at not a date",
            "POST",
            &vitals,
            with(v.clone(), "observed_at", json!("yesterday")),
            422,
            Some("observed_at"),
        ),
        case(
            "vitals for an unknown patient",
            "POST",
            "/api/patients/999999/vitals",
            v.clone(),
            404,
            None,
        ),
        case(
            "patient id not a number",
            "POST",
            "/api/patients/abc/vitals",
            v.clone(),
            400,
            Some("id"),
        ),
        case(
            "invalid CPF check digit",
            "POST",
            "/api/patients",
            patient(("cpf", json!("529.982.247-24"))),
            422,
            Some("cpf"),
        ),
        case(
            "CPF of repeated digits",
            "POST",
            "/api/patients",
            patient(("cpf", json!("11111111111"))),
            422,
            Some("cpf"),
        ),
        case(
            "duplicate CPF",
            "POST",
            "/api/patients",
            patient(("cpf", json!(existing_cpf))),
            409,
            Some("cpf"),
        ),
        case(
            "invalid CNS",
            "POST",
            "/api/patients",
            patient(("cns", json!("123456789012345"))),
            422,
            Some("cns"),
        ),
        case(
            "birth date in the future",
            "POST",
            "/api/patients",
            patient(("birth_date", json!("2999-01-01"))),
            422,
            Some("birth_date"),
        ),
        case(
            "unknown ward",
            "POST",
            "/api/patients",
            patient(("ward", json!("ward-z"))),
            422,
            Some("ward"),
        ),
        case(
            "blank name",
            "POST",
            "/api/patients",
            patient(("name", json!("   "))),
            422,
            Some("name"),
        ),
        case(
            "unknown pathway stage",
            "POST",
            format!("/api/patients/{pid}/stage"),
            json!({"stage": "discharged"}),
            422,
            Some("stage"),
        ),
        case(
            "unknown FHIR code",
            "POST",
            "/fhir/Observation",
            with(
                o.clone(),
                "code",
                json!({"coding": [{"system": "http://loinc.org", "code": "29463-7"}]}),
            ),
            422,
            Some("code.coding"),
        ),
        case(
            "unknown UCUM unit",
            "POST",
            "/fhir/Observation",
            with(
                o.clone(),
                "valueQuantity",
                json!({"value": 80, "system": "http://unitsofmeasure.org", "code": "beats"}),
            ),
            422,
            Some("valueQuantity.code"),
        ),
        case(
            "Fahrenheit out of range after conversion",
            "POST",
            "/fhir/Observation",
            with(
                with(
                    o.clone(),
                    "code",
                    json!({"coding": [{"system": "http://loinc.org", "code": "8310-5"}]}),
                ),
                "valueQuantity",
                json!({"value": 200, "system": "http://unitsofmeasure.org", "code": "[degF]"}),
            ),
            422,
            Some("valueQuantity.value"),
        ),
        case(
            "FHIR observation without a time",
            "POST",
            "/fhir/Observation",
            without(o.clone(), "effectiveDateTime"),
            422,
            Some("effectiveDateTime"),
        ),
        case(
            "FHIR observation entered in error",
            "POST",
            "/fhir/Observation",
            with(o.clone(), "status", json!("entered-in-error")),
            422,
            Some("status"),
        ),
        case(
            "FHIR value absent",
            "POST",
            "/fhir/Observation",
            with(
                without(o.clone(), "valueQuantity"),
                "dataAbsentReason",
                json!({"text": "device off"}),
            ),
            422,
            Some("dataAbsentReason"),
        ),
        case(
            "FHIR unknown patient",
            "POST",
            "/fhir/Observation",
            with(o.clone(), "subject", json!({"reference": "Patient/999999"})),
            422,
            Some("subject"),
        ),
        case(
            "FHIR ACVPU answer not known",
            "POST",
            "/fhir/Observation",
            with(
                with(
                    without(o.clone(), "valueQuantity"),
                    "code",
                    json!({"coding": [{"system": "http://snomed.info/sct", "code": "1104441000000107"}]}),
                ),
                "valueCodeableConcept",
                json!({"coding": [{"system": "http://snomed.info/sct", "code": "12345"}]}),
            ),
            422,
            Some("valueCodeableConcept.coding"),
        ),
        case(
            "Bundle with one bad entry",
            "POST",
            "/fhir",
            json!({"resourceType": "Bundle", "type": "transaction", "entry": [{"resource": o.clone()}, {"resource": with(o.clone(), "valueQuantity", json!({"value": 900, "system": "http://unitsofmeasure.org", "code": "/min"}))}]}),
            422,
            Some("entry[1].resource.valueQuantity.value"),
        ),
        case(
            "Bundle of an unknown type",
            "POST",
            "/fhir",
            json!({"resourceType": "Bundle", "type": "history", "entry": []}),
            422,
            Some("type"),
        ),
        case(
            "wrong resource type",
            "POST",
            "/fhir/Observation",
            with(o.clone(), "resourceType", json!("Patient")),
            422,
            Some("resourceType"),
        ),
        Case {
            name: "wrong content type",
            method: "POST",
            path: vitals.clone(),
            content_type: "text/plain",
            body: v.to_string().into_bytes(),
            status: 415,
            field: Some("Content-Type"),
        },
        Case {
            name: "oversized body",
            method: "POST",
            path: vitals.clone(),
            content_type: "application/json",
            body: format!("{{\"x\": \"{}\"}}", "a".repeat(100_000)).into_bytes(),
            status: 413,
            field: None,
        },
        case(
            "bad event cursor",
            "GET",
            "/api/events?after=-3",
            json!({}),
            400,
            Some("after"),
        ),
        case(
            "unknown escalation",
            "POST",
            "/api/escalations/999999/acknowledge",
            json!({}),
            404,
            None,
        ),
        case(
            "unknown escalation state filter",
            "GET",
            "/api/escalations?state=closed",
            json!({}),
            422,
            Some("state"),
        ),
    ];
    assert!(cases.len() >= 20);
    let before = fingerprint(&s.db);
    let auth = format!("Bearer {nurse}");
    for c in &cases {
        let r = s
            .raw(
                c.method,
                &c.path,
                &[("content-type", c.content_type), ("authorization", &auth)],
                c.body.clone(),
            )
            .await;
        assert_eq!(r.status, c.status, "{}: {}", c.name, r.text);
        assert_eq!(
            r.headers["content-type"], "application/problem+json",
            "{}",
            c.name
        );
        assert_eq!(r.body["status"], c.status, "{}", c.name);
        assert!(
            !r.body["detail"].as_str().unwrap_or("").is_empty(),
            "{}: no detail",
            c.name
        );
        if let Some(f) = c.field {
            let got = r.body["field"].as_str().unwrap_or_default();
            assert!(
                got == f || got.ends_with(&format!(".{f}")) || got.starts_with(f),
                "{}: field {got:?}, expected {f:?}: {}",
                c.name,
                r.text
            );
        }
        assert_eq!(
            fingerprint(&s.db),
            before,
            "{} changed the database",
            c.name
        );
    }
    // The values and expectations are named too.
    let r = s
        .post(&vitals, &nurse, with(v.clone(), "spo2", json!(101)))
        .await;
    assert_eq!(r.body["value"], 101.0);
    assert_eq!(r.body["code"], "out_of_range");
    assert!(r.body["expected"].as_str().unwrap().contains("0–100"));
    assert!(r.body["detail"].as_str().unwrap().contains("101"));
    // And a good request after all that still works.
    assert_eq!(s.post(&vitals, &nurse, v).await.status, 201);
    assert_ne!(fingerprint(&s.db), before);
    s.stop().await;
}
