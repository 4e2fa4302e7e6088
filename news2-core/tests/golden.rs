//! Runs the shared golden cases in `testdata/` (the same files the Python and WASM tests
//! run). The files are written by `testdata/generate.py` from the RCP chart, never from
//! this crate's output.
#![cfg(feature = "serde")]

use std::path::PathBuf;

use chrono::{DateTime, TimeDelta, Utc};
use news2_core::{
    Acvpu, Cns, Cpf, DiastolicBp, Freshness, Measurement, ObservationSet, Parameter, PartialVitals,
    Profile, Pulse, RawVitals, Reading, RespirationRate, Spo2, Spo2Scale, SystolicBp, Temperature,
    VitalSigns, Vitals, VitalsError,
};
use serde_json::{Value, json};

fn cases(file: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).expect("golden file is JSON");
    let cases = doc["cases"].as_array().expect("cases array").clone();
    assert!(!cases.is_empty(), "{file} has no cases");
    cases
}

fn report(file: &str, n: usize) {
    println!("golden {file}: {n} cases passed");
}

fn raw(input: &Value) -> RawVitals<'_> {
    let num = |k: &str| input.get(k).and_then(Value::as_f64);
    RawVitals {
        respiration_rate: num("respiration_rate"),
        spo2: num("spo2"),
        spo2_scale: num("spo2_scale"),
        on_oxygen: input.get("on_oxygen").and_then(Value::as_bool),
        systolic_bp: num("systolic_bp"),
        pulse: num("pulse"),
        consciousness: input.get("consciousness").and_then(Value::as_str),
        temperature: num("temperature"),
    }
}

fn error_json(e: &VitalsError) -> Value {
    json!({"field": e.field().as_str(), "kind": e.kind()})
}

#[test]
fn news2_cases() {
    let all = cases("news2.json");
    for case in &all {
        let name = case["name"].as_str().unwrap_or("?");
        let input = raw(&case["input"]);
        let partial = case
            .get("partial")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let got = if partial {
            PartialVitals::from_raw(&input).map(|v| {
                let s = v.score();
                let params: serde_json::Map<String, Value> = Parameter::ALL
                    .iter()
                    .map(|p| {
                        (
                            p.as_str().to_owned(),
                            json!(s.parameters.as_array()[p.index()]),
                        )
                    })
                    .collect();
                json!({
                    "parameters": params,
                    "total": s.total,
                    "missing": s.missing.iter().map(Parameter::as_str).collect::<Vec<_>>(),
                    "complete": s.complete(),
                })
            })
        } else {
            Vitals::from_raw(&input).map(|v| {
                let s = v.score();
                json!({
                    "parameters": s.parameters,
                    "total": s.total,
                    "risk": s.risk.as_str(),
                    "red": s.red,
                    "scale": s.scale.number(),
                    "monitoring": s.response.monitoring,
                    "response": s.response.response,
                })
            })
        };
        match (got, case.get("expected"), case.get("error")) {
            (Ok(got), Some(expected), None) => assert_eq!(&got, expected, "case {name:?}"),
            (Err(e), None, Some(expected)) => {
                assert_eq!(&error_json(&e), expected, "case {name:?}: {e}")
            }
            (got, expected, error) => {
                panic!("case {name:?}: got {got:?}, expected {expected:?} / {error:?}")
            }
        }
    }
    report("news2.json", all.len());
}

fn whole<T>(v: &Value, parse: fn(f64) -> Result<T, VitalsError>) -> Option<T> {
    v.as_f64()
        .map(|x| parse(x).expect("classification inputs are valid"))
}

#[test]
fn classification_cases() {
    let all = cases("classification.json");
    for case in &all {
        let name = case["name"].as_str().unwrap_or("?");
        let profile = match &case["profile"] {
            Value::String(s) if s == "default" => Ok(Profile::default()),
            spec => serde_json::from_value::<Profile>(spec.clone()).map_err(|e| e.to_string()),
        };
        if let Some(expected) = case.get("profile_error") {
            let err = profile.expect_err(name);
            let field = expected["field"].as_str().expect("field");
            let kind = expected["kind"].as_str().expect("kind");
            assert!(
                err.starts_with(&format!("{field} thresholds")),
                "case {name:?}: {err}"
            );
            let needle = match kind {
                "unordered_thresholds" => "not ordered",
                "not_finite" => "not a finite number",
                other => panic!("case {name:?}: unknown profile error kind {other}"),
            };
            assert!(err.contains(needle), "case {name:?}: {err}");
            continue;
        }
        let profile = profile.unwrap_or_else(|e| panic!("case {name:?}: {e}"));
        let i = &case["input"];
        let signs = VitalSigns {
            respiration_rate: whole(&i["respiration_rate"], RespirationRate::from_f64),
            spo2: whole(&i["spo2"], Spo2::from_f64),
            systolic_bp: whole(&i["systolic_bp"], SystolicBp::from_f64),
            diastolic_bp: whole(&i["diastolic_bp"], DiastolicBp::from_f64),
            pulse: whole(&i["pulse"], Pulse::from_f64),
            temperature: whole(&i["temperature"], Temperature::from_celsius),
            consciousness: i["consciousness"]
                .as_str()
                .map(|c| c.parse::<Acvpu>().expect("valid level")),
        };
        let got = serde_json::to_value(profile.classify(&signs)).expect("serialises");
        let got: serde_json::Map<String, Value> = got
            .as_object()
            .expect("object")
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        assert_eq!(Value::Object(got), case["expected"], "case {name:?}");
    }
    report("classification.json", all.len());
}

#[test]
fn assembly_cases() {
    let all = cases("assembly.json");
    for case in &all {
        let name = case["name"].as_str().unwrap_or("?");
        let time = |v: &Value| {
            v.as_str()
                .expect("time")
                .parse::<DateTime<Utc>>()
                .expect("RFC 3339")
        };
        let now = time(&case["now"]);
        let max_age =
            TimeDelta::seconds(case["max_age_seconds"].as_i64().expect("max_age_seconds"));
        let readings: Vec<Reading> = case["readings"]
            .as_array()
            .expect("readings")
            .iter()
            .map(|r| {
                let parameter: Parameter = r["parameter"]
                    .as_str()
                    .expect("parameter")
                    .parse()
                    .expect("known");
                let value = match (&r["value"], parameter) {
                    (Value::Bool(b), _) => f64::from(u8::from(*b)),
                    (Value::String(s), Parameter::Consciousness) => {
                        f64::from(s.parse::<Acvpu>().expect("level").code())
                    }
                    (v, _) => v.as_f64().expect("number"),
                };
                Reading {
                    measurement: Measurement::from_f64(parameter, value).expect("valid"),
                    at: time(&r["at"]),
                }
            })
            .collect();
        let set = ObservationSet::assemble(&readings, now, max_age, Spo2Scale::Scale1);
        for p in Parameter::ALL {
            let expected = &case["expected"][p.as_str()];
            let status = set.status(p);
            let label = match status.freshness {
                Freshness::Fresh => "fresh",
                Freshness::Stale => "stale",
                Freshness::Missing => "missing",
            };
            assert_eq!(expected["status"], label, "case {name:?} {p}");
            if status.freshness != Freshness::Missing {
                assert_eq!(
                    status.age.map(|a| a.num_seconds()),
                    expected["age_seconds"].as_i64(),
                    "case {name:?} {p}"
                );
                let m = status.reading.expect("reading").measurement;
                let value_matches = match (&expected["value"], m) {
                    (Value::Bool(b), Measurement::OnOxygen(o)) => *b == o,
                    (Value::String(s), Measurement::Consciousness(c)) => {
                        s.parse::<Acvpu>().ok() == Some(c)
                    }
                    (v, m) => v.as_f64() == Some(m.value()),
                };
                assert!(
                    value_matches,
                    "case {name:?} {p}: {m:?} vs {}",
                    expected["value"]
                );
            }
        }
    }
    report("assembly.json", all.len());
}

#[test]
fn cpf_cases() {
    let all = cases("cpf.json");
    for case in &all {
        let input = case["input"].as_str().expect("input");
        match Cpf::parse(input) {
            Ok(cpf) => {
                assert_eq!(case["valid"], true, "{input:?} parsed but should not");
                assert_eq!(case["digits"], *cpf.digits_str(), "{input:?}");
                assert_eq!(case["formatted"], cpf.to_string(), "{input:?}");
                assert_eq!(case["region"], cpf.fiscal_region(), "{input:?}");
            }
            Err(e) => {
                assert_eq!(case["valid"], false, "{input:?}: {e}");
                let expected = &case["error"];
                assert_eq!(expected["kind"], e.kind(), "{input:?}: {e}");
                let got = match e {
                    news2_core::CpfError::WrongLength { found } => {
                        json!({"kind": e.kind(), "found": found})
                    }
                    news2_core::CpfError::InvalidCharacter { position, .. } => {
                        json!({"kind": e.kind(), "position": position})
                    }
                    news2_core::CpfError::CheckDigit {
                        position,
                        expected,
                        found,
                    } => {
                        json!({"kind": e.kind(), "position": position, "expected": expected, "found": found})
                    }
                    _ => json!({"kind": e.kind()}),
                };
                for (k, v) in got.as_object().expect("object") {
                    assert_eq!(expected.get(k), Some(v), "{input:?}: {k} of {e}");
                }
            }
        }
    }
    report("cpf.json", all.len());
}

#[test]
fn cns_cases() {
    let all = cases("cns.json");
    for case in &all {
        let input = case["input"].as_str().expect("input");
        match Cns::parse(input) {
            Ok(cns) => {
                assert_eq!(case["valid"], true, "{input:?} parsed but should not");
                assert_eq!(case["digits"], *cns.digits_str(), "{input:?}");
                assert_eq!(case["formatted"], cns.to_string(), "{input:?}");
                assert_eq!(
                    case["kind"],
                    serde_json::to_value(cns.kind()).expect("kind"),
                    "{input:?}"
                );
            }
            Err(e) => {
                assert_eq!(case["valid"], false, "{input:?}: {e}");
                let expected = &case["error"];
                assert_eq!(expected["kind"], e.kind(), "{input:?}: {e}");
                let got = match e {
                    news2_core::CnsError::WrongLength { found } => json!({"found": found}),
                    news2_core::CnsError::InvalidCharacter { position, .. } => {
                        json!({"position": position})
                    }
                    news2_core::CnsError::InvalidFirstDigit { found } => json!({"found": found}),
                    news2_core::CnsError::Checksum { remainder } => json!({"remainder": remainder}),
                    _ => json!({}),
                };
                for (k, v) in got.as_object().expect("object") {
                    assert_eq!(expected.get(k), Some(v), "{input:?}: {k} of {e}");
                }
            }
        }
    }
    report("cns.json", all.len());
}
