//! wasm-bindgen-test in headless Chromium (scripts/wasm.sh): the shared golden cases run
//! through the raw exports of the module inside the browser's WebAssembly engine, with the
//! packed results decoded here independently of the JavaScript wrapper.
#![cfg(all(target_arch = "wasm32", feature = "news2"))]

use news2_wasm::batch::score_columns;
use news2_wasm::classification::classify_values;
use news2_wasm::failure::FAILED;
use news2_wasm::identifier::{cns_is_valid, cpf_is_valid, parse_cns_parts, parse_cpf_parts};
use news2_wasm::labels::label_table;
use news2_wasm::take_failure;
use news2_wasm::vitals::{input, score_values};
use serde_json::{Map, Value, json};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn cases(text: &str) -> Vec<Value> {
    let doc: Value = serde_json::from_str(text).expect("golden file is JSON");
    doc["cases"].as_array().expect("cases").clone()
}

const PARAMETERS: [&str; 7] = [
    "respiration_rate",
    "spo2",
    "on_oxygen",
    "systolic_bp",
    "pulse",
    "consciousness",
    "temperature",
];

/// The number of a field, or `(0, bit)` when it is null or absent.
fn num(input: &Value, key: &str, bit: u32, absent: &mut u32) -> f64 {
    input.get(key).and_then(Value::as_f64).unwrap_or_else(|| {
        *absent |= bit;
        0.0
    })
}

fn names(bits: u64) -> Vec<&'static str> {
    PARAMETERS
        .iter()
        .enumerate()
        .filter(|(i, _)| bits >> i & 1 == 1)
        .map(|(_, p)| *p)
        .collect()
}

fn failure_json() -> Value {
    let f = take_failure().expect("a failure is left");
    json!({"field": f.field(), "kind": f.kind()})
}

#[wasm_bindgen_test]
fn golden_news2() {
    let (risk, monitoring, response) = (
        label_table("risk"),
        label_table("monitoring"),
        label_table("response"),
    );
    let all = cases(include_str!("../../testdata/news2.json"));
    for case in &all {
        let name = case["name"].as_str().unwrap_or("?");
        let i = &case["input"];
        let partial = case
            .get("partial")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let mut absent = 0;
        let rr = num(i, "respiration_rate", input::RESPIRATION_RATE, &mut absent);
        let scale = num(i, "spo2_scale", input::SPO2_SCALE, &mut absent);
        let spo2 = num(i, "spo2", input::SPO2, &mut absent);
        let oxygen = i.get("on_oxygen").and_then(Value::as_bool);
        if oxygen.is_none() {
            absent |= input::ON_OXYGEN;
        }
        let sbp = num(i, "systolic_bp", input::SYSTOLIC_BP, &mut absent);
        let pulse = num(i, "pulse", input::PULSE, &mut absent);
        let consciousness = i.get("consciousness").and_then(Value::as_str);
        if consciousness.is_none() {
            absent |= input::CONSCIOUSNESS;
        }
        let temp = num(i, "temperature", input::TEMPERATURE, &mut absent);
        let r = score_values(
            rr,
            scale,
            spo2,
            oxygen.unwrap_or(false),
            sbp,
            pulse,
            consciousness.unwrap_or(""),
            temp,
            absent,
            0,
            partial,
        );
        if let Some(expected) = case.get("error") {
            assert_eq!(r, FAILED, "case {name:?}");
            assert_eq!(&failure_json(), expected, "case {name:?}");
            continue;
        }
        assert!(
            r >= 0.0,
            "case {name:?}: {:?}",
            take_failure().map(|f| f.message())
        );
        let r = r as u64;
        let got = if partial {
            let params: Map<String, Value> = PARAMETERS
                .iter()
                .enumerate()
                .map(|(k, p)| {
                    let v = r >> (3 * k) & 7;
                    ((*p).to_owned(), if v == 7 { Value::Null } else { json!(v) })
                })
                .collect();
            json!({"parameters": params, "total": r >> 21 & 31, "missing": names(r >> 32 & 127), "complete": r >> 30 & 1 == 1})
        } else {
            let params: Map<String, Value> = PARAMETERS
                .iter()
                .enumerate()
                .map(|(k, p)| ((*p).to_owned(), json!(r >> (2 * k) & 3)))
                .collect();
            json!({
                "parameters": params,
                "total": r >> 14 & 31,
                "risk": risk[(r >> 19 & 3) as usize],
                "red": names(r >> 32 & 127),
                "scale": r >> 26 & 3,
                "monitoring": monitoring[(r >> 21 & 3) as usize],
                "response": response[(r >> 23 & 7) as usize],
            })
        };
        assert_eq!(&got, &case["expected"], "case {name:?}");
    }
}

#[wasm_bindgen_test]
fn error_messages_name_value_and_range() {
    let r = score_values(18.0, 1.0, 977.0, false, 120.0, 70.0, "A", 37.0, 0, 0, false);
    assert_eq!(r, FAILED);
    let f = take_failure().expect("failure");
    assert_eq!(f.message(), "spo2 977 is out of range: expected 0–100 %");
    assert_eq!(
        (f.value(), f.range()),
        (Some(977.0), Some(vec![0.0, 100.0]))
    );
    let r = score_values(18.0, 1.0, 97.0, false, 120.0, 70.0, "A", 98.6, 0, 0, false);
    assert_eq!(r, FAILED);
    assert_eq!(
        take_failure().expect("failure").kind(),
        "looks_like_fahrenheit"
    );
    // The wrong JavaScript type is reported in the core's field order.
    let r = score_values(
        18.0,
        1.0,
        97.0,
        false,
        120.0,
        70.0,
        "A",
        37.0,
        input::SPO2,
        input::PULSE,
        false,
    );
    assert_eq!(r, FAILED);
    assert_eq!(failure_json(), json!({"field": "spo2", "kind": "missing"}));
}

const PROFILE_VITALS: [&str; 6] = [
    "respiration_rate",
    "spo2",
    "systolic_bp",
    "diastolic_bp",
    "pulse",
    "temperature",
];
const THRESHOLDS: [&str; 4] = [
    "critical_below",
    "warning_below",
    "warning_above",
    "critical_above",
];

#[wasm_bindgen_test]
fn golden_classification() {
    let (status, direction) = (label_table("status"), label_table("direction"));
    let vitals = [
        "respiration_rate",
        "spo2",
        "systolic_bp",
        "diastolic_bp",
        "pulse",
        "temperature",
        "consciousness",
    ];
    for case in &cases(include_str!("../../testdata/classification.json")) {
        let name = case["name"].as_str().unwrap_or("?");
        let (mut thresholds, mut given, mut entries) = ([0.0; 24], 0u32, 0u32);
        if let Some(profile) = case["profile"].as_object() {
            for (k, vital) in PROFILE_VITALS.iter().enumerate() {
                let Some(entry) = profile.get(*vital).and_then(Value::as_object) else {
                    continue;
                };
                entries |= 1 << k;
                for (j, t) in THRESHOLDS.iter().enumerate() {
                    if let Some(v) = entry.get(*t).and_then(Value::as_f64) {
                        thresholds[4 * k + j] = v;
                        given |= 1 << (4 * k + j);
                    }
                }
            }
        }
        let i = &case["input"];
        let mut absent = 0;
        let rr = num(i, "respiration_rate", input::RESPIRATION_RATE, &mut absent);
        let spo2 = num(i, "spo2", input::SPO2, &mut absent);
        let sbp = num(i, "systolic_bp", input::SYSTOLIC_BP, &mut absent);
        let dbp = num(i, "diastolic_bp", input::DIASTOLIC_BP, &mut absent);
        let pulse = num(i, "pulse", input::PULSE, &mut absent);
        let temp = num(i, "temperature", input::TEMPERATURE, &mut absent);
        let consciousness = i.get("consciousness").and_then(Value::as_str);
        if consciousness.is_none() {
            absent |= input::CONSCIOUSNESS;
        }
        let r = classify_values(
            rr,
            spo2,
            sbp,
            dbp,
            pulse,
            temp,
            consciousness.unwrap_or(""),
            absent,
            0,
            &thresholds,
            given,
            entries,
        );
        if let Some(expected) = case.get("profile_error") {
            assert_eq!(r, FAILED, "case {name:?}");
            assert_eq!(&failure_json(), expected, "case {name:?}");
            continue;
        }
        let r = r as u32;
        let got: Map<String, Value> = vitals
            .iter()
            .enumerate()
            .filter_map(|(k, v)| {
                let code = (r >> (4 * k) & 15) as usize;
                (code != 0).then(|| {
                    let d = (code - 1) / 3;
                    let dir = if d == 0 {
                        Value::Null
                    } else {
                        json!(direction[d - 1])
                    };
                    (
                        (*v).to_owned(),
                        json!({"status": status[(code - 1) % 3], "direction": dir}),
                    )
                })
            })
            .collect();
        assert_eq!(Value::Object(got), case["expected"], "case {name:?}");
    }
}

#[wasm_bindgen_test]
fn golden_identifiers() {
    for case in &cases(include_str!("../../testdata/cpf.json")) {
        let text = case["input"].as_str().expect("input");
        assert_eq!(cpf_is_valid(text), case["valid"] == true, "{text:?}");
        match parse_cpf_parts(text) {
            Ok(p) => assert_eq!(
                json!({"digits": p.digits, "formatted": p.formatted, "region": p.region}),
                json!({"digits": case["digits"], "formatted": case["formatted"], "region": case["region"]})
            ),
            Err(f) => {
                assert_eq!(case["error"]["kind"], f.kind(), "{text:?}");
                for (k, v) in [
                    ("position", f.position()),
                    ("expected", f.expected()),
                    ("found", f.found()),
                ] {
                    if let Some(v) = v {
                        assert_eq!(case["error"][k], v, "{text:?}: {k}");
                    }
                }
            }
        }
    }
    for case in &cases(include_str!("../../testdata/cns.json")) {
        let text = case["input"].as_str().expect("input");
        assert_eq!(cns_is_valid(text), case["valid"] == true, "{text:?}");
        match parse_cns_parts(text) {
            Ok(p) => assert_eq!(
                json!([p.digits, p.formatted, p.kind]),
                json!([case["digits"], case["formatted"], case["kind"]])
            ),
            Err(f) => {
                assert_eq!(case["error"]["kind"], f.kind(), "{text:?}");
                for (k, v) in [
                    ("position", f.position()),
                    ("found", f.found()),
                    ("remainder", f.remainder()),
                ] {
                    if let Some(v) = v {
                        assert_eq!(case["error"][k], v, "{text:?}: {k}");
                    }
                }
            }
        }
    }
}

#[wasm_bindgen_test]
fn batch_in_the_browser() {
    let n = 70_000; // more than one of the wrapper's chunks, in one call here
    let rr: Vec<f64> = (0..n)
        .map(|i| {
            if i % 10 == 0 {
                f64::NAN
            } else {
                (i % 50) as f64
            }
        })
        .collect();
    let mut out = score_columns(
        &rr,
        &vec![97.0; n],
        None,
        None,
        &vec![120.0; n],
        &vec![70.0; n],
        &vec![0; n],
        &vec![37.0; n],
    )
    .expect("equal lengths");
    let cols = out.take_columns();
    assert_eq!(out.errors as usize, n / 10);
    assert_eq!(cols.len(), 11 * n);
    assert_eq!(cols[0], 255, "row 0 is missing a value");
    assert_eq!(cols[1], 3, "row 1: respiration rate 1 scores 3");
    assert_eq!(cols[9 * n], 7, "row 0: error code of `missing`");
}
