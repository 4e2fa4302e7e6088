//! The native half of the differential test: random observations (many of them invalid)
//! and what news2-core, compiled natively, says about each. `tests/differential.test.mjs`
//! runs the same observations through the built npm package and compares every field.
//!
//! ```text
//! cargo run -p news2-wasm --example differential -- <out-dir> [rows] [seed]
//! ```
//!
//! Writes to `<out-dir>` (under `target/`, never committed):
//! - `rows.json`: `{"seed", "rows": [{"input", "score", "partial", "classify"}]}`. Inputs use
//!   the golden files' snake_case names; an absent value is `null` or left out (both mean
//!   absent); a non-finite number is the string `"NaN"`, `"Infinity"` or `"-Infinity"`.
//!   Results are `{"ok": …}` or `{"error": {"field", "kind", "message"}}`.
//! - `batch/<column>.bin`: the `scoreBatch` input columns (f64 or u8, little-endian), and
//!   `batch/expected.bin`: the 11 output columns of `score_raw_columns` plus each failed
//!   row's field code, concatenated (see `OUTPUT_COLUMNS` in `src/batch.rs`).

use std::fs;
use std::path::PathBuf;

use news2_core::batch::{RawColumns, ScoreColumnsMut, score_raw_columns};
use news2_core::{
    Acvpu, DiastolicBp, Parameter, PartialVitals, Profile, Pulse, RawVitals, RespirationRate, Spo2,
    SystolicBp, Temperature, VitalSigns, Vitals, VitalsError,
};
use news2_wasm::batch::{NO_FIELD, OUTPUT_COLUMNS};
use news2_wasm::labels::{field_code, serde_name};
use serde_json::{Map, Value, json};

/// splitmix64: small, seedable, good enough to spread test inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// A number for a vital whose plausible range is `0..=max` (resolution 1 or 0.1): mostly
/// plausible, with ties, decimals, bounds, out-of-range, non-finite and absent values.
fn vital(rng: &mut Rng, lo: f64, hi: f64, max: f64) -> Option<f64> {
    let plausible = |rng: &mut Rng| lo + rng.unit() * (hi - lo);
    Some(match rng.below(1000) {
        0..=599 => plausible(rng).round(),
        600..=719 => (plausible(rng) * 10.0).round() / 10.0,
        720..=789 => plausible(rng).floor() + 0.5,
        790..=839 => (plausible(rng) * 10.0).floor() / 10.0 + 0.05,
        840..=909 => plausible(rng),
        910..=924 => *rng.pick(&[0.0, max, max + 0.4, max + 0.5, -0.0, -0.4, -1e-9, 0.49]),
        925..=939 => *rng.pick(&[f64::NAN, f64::INFINITY, f64::NEG_INFINITY]),
        940..=954 => -(rng.unit() * 50.0).round(),
        955..=969 => max + 1.0 + (rng.unit() * 500.0).round(),
        970..=974 => *rng.pick(&[1e300, -1e300, 5e-324, 1e15 + 0.5, 123_456_789.123]),
        _ => return None,
    })
}

fn temperature(rng: &mut Rng) -> Option<f64> {
    match rng.below(100) {
        0..=3 => Some(((77.0 + rng.unit() * 36.0) * 10.0).round() / 10.0), // °F
        4..=9 => Some(*rng.pick(&[
            24.9, 24.95, 25.0, 45.0, 45.04, 45.05, 76.9, 76.95, 113.04, 113.05, 35.05, 36.05,
            38.05, 39.05,
        ])),
        _ => vital(rng, 30.0, 42.0, 45.0),
    }
}

const CONSCIOUSNESS: &[&str] = &[
    "A",
    "a",
    "C",
    "c",
    "V",
    "v",
    "P",
    "p",
    "U",
    "u",
    "alert",
    "Alert",
    "ALERT",
    " A ",
    "\tv\n",
    "\r\nP",
    "confusion",
    "new confusion",
    "New Confusion",
    "confused",
    "voice",
    "pain",
    "unresponsive",
    "Unresponsive ",
    "",
    " ",
    "X",
    "alertt",
    "new  confusion",
    "AV",
    "Á",
    "é",
    "🙂",
    "aler",
    "0",
    "1",
    "a very long consciousness text that is longer than thirty-two bytes",
    "éééééééééééééééééééééééééééééé",
];

fn maybe_json(v: Option<f64>) -> Value {
    match v {
        None => Value::Null,
        Some(x) if x.is_nan() => json!("NaN"),
        Some(x) if x == f64::INFINITY => json!("Infinity"),
        Some(x) if x == f64::NEG_INFINITY => json!("-Infinity"),
        Some(x) => json!(x),
    }
}

fn error_json(e: &VitalsError) -> Value {
    json!({"error": {"field": e.field().as_str(), "kind": e.kind(), "message": e.to_string()}})
}

fn names(set: news2_core::ParameterSet) -> Vec<&'static str> {
    set.iter().map(Parameter::as_str).collect()
}

/// Classification input in the core's field order, as the binding assembles it.
fn signs(
    rr: Option<f64>,
    spo2: Option<f64>,
    sbp: Option<f64>,
    dbp: Option<f64>,
    pulse: Option<f64>,
    consciousness: Option<&str>,
    temperature: Option<f64>,
) -> Result<VitalSigns, VitalsError> {
    Ok(VitalSigns {
        respiration_rate: rr.map(RespirationRate::from_f64).transpose()?,
        spo2: spo2.map(Spo2::from_f64).transpose()?,
        systolic_bp: sbp.map(SystolicBp::from_f64).transpose()?,
        diastolic_bp: dbp.map(DiastolicBp::from_f64).transpose()?,
        pulse: pulse.map(Pulse::from_f64).transpose()?,
        consciousness: consciousness.map(str::parse::<Acvpu>).transpose()?,
        temperature: temperature.map(Temperature::from_celsius).transpose()?,
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(
        args.next()
            .ok_or("usage: differential <out-dir> [rows] [seed]")?,
    );
    let n: usize = args.next().map_or(Ok(100_000), |s| s.parse())?;
    let seed: u64 = args.next().map_or(Ok(0x4e_4557_5332), |s| s.parse())?;
    let mut rng = Rng(seed);

    let mut rows = Vec::with_capacity(n);
    let mut cols_f64: [Vec<f64>; 5] = Default::default(); // rr, spo2, sbp, pulse, temperature
    let (mut scale_col, mut oxygen_col, mut acvpu_col) = (Vec::new(), Vec::new(), Vec::new());

    for _ in 0..n {
        let rr = vital(&mut rng, 4.0, 40.0, 80.0);
        let spo2 = vital(&mut rng, 75.0, 100.0, 100.0);
        let sbp = vital(&mut rng, 60.0, 240.0, 300.0);
        let dbp = vital(&mut rng, 30.0, 130.0, 250.0);
        let pulse = vital(&mut rng, 30.0, 180.0, 300.0);
        let temp = temperature(&mut rng);
        let scale = match rng.below(20) {
            0..=7 => None,
            8..=11 => Some(1.0),
            12..=18 => Some(2.0),
            _ => Some(*rng.pick(&[0.0, 3.0, 1.5, -1.0, f64::NAN, 2.0000001])),
        };
        let oxygen = match rng.below(3) {
            0 => None,
            1 => Some(false),
            _ => Some(true),
        };
        let consciousness = match rng.below(20) {
            0 => None,
            1..=16 => Some(*rng.pick(&CONSCIOUSNESS[..24])),
            _ => Some(*rng.pick(CONSCIOUSNESS)),
        };

        let raw = RawVitals {
            respiration_rate: rr,
            spo2,
            spo2_scale: scale,
            on_oxygen: oxygen,
            systolic_bp: sbp,
            pulse,
            consciousness,
            temperature: temp,
        };
        let score = match Vitals::from_raw(&raw) {
            Ok(v) => {
                let s = v.score();
                json!({"ok": {
                    "parameters": s.parameters.as_array(),
                    "total": s.total,
                    "risk": s.risk.as_str(),
                    "red": names(s.red),
                    "scale": s.scale.number(),
                    "monitoring": serde_name(&s.response.monitoring),
                    "response": serde_name(&s.response.response),
                }})
            }
            Err(e) => error_json(&e),
        };
        let partial = match PartialVitals::from_raw(&raw) {
            Ok(v) => {
                let s = v.score();
                json!({"ok": {
                    "parameters": s.parameters.as_array(),
                    "total": s.total,
                    "missing": names(s.missing),
                    "red": names(s.red),
                    "minimum_risk": s.minimum_risk().as_str(),
                    "scale": s.scale.number(),
                    "complete": s.complete(),
                }})
            }
            Err(e) => error_json(&e),
        };
        let classify = match signs(rr, spo2, sbp, dbp, pulse, consciousness, temp) {
            Ok(signs) => {
                let c = Profile::default().classify(&signs);
                let entries = [
                    ("respiration_rate", c.respiration_rate),
                    ("spo2", c.spo2),
                    ("systolic_bp", c.systolic_bp),
                    ("diastolic_bp", c.diastolic_bp),
                    ("pulse", c.pulse),
                    ("temperature", c.temperature),
                    ("consciousness", c.consciousness),
                ];
                let map: Map<String, Value> = entries
                    .into_iter()
                    .filter_map(|(k, v)| {
                        v.map(|v| {
                            let direction = v.direction.map(news2_core::Direction::as_str);
                            (
                                k.to_owned(),
                                json!({"status": v.status.as_str(), "direction": direction}),
                            )
                        })
                    })
                    .collect();
                json!({"ok": map})
            }
            Err(e) => error_json(&e),
        };

        let mut input = Map::new();
        let mut put = |k: &str, v: Value, rng: &mut Rng| {
            // Absent is `null` or a left-out key, at random: both must mean absent.
            if !v.is_null() || rng.below(2) == 0 {
                input.insert(k.to_owned(), v);
            }
        };
        put("respiration_rate", maybe_json(rr), &mut rng);
        put("spo2", maybe_json(spo2), &mut rng);
        put("spo2_scale", maybe_json(scale), &mut rng);
        put(
            "on_oxygen",
            oxygen.map_or(Value::Null, Value::Bool),
            &mut rng,
        );
        put("systolic_bp", maybe_json(sbp), &mut rng);
        put("diastolic_bp", maybe_json(dbp), &mut rng);
        put("pulse", maybe_json(pulse), &mut rng);
        put(
            "consciousness",
            consciousness.map_or(Value::Null, |c| json!(c)),
            &mut rng,
        );
        put("temperature", maybe_json(temp), &mut rng);
        rows.push(
            json!({"input": input, "score": score, "partial": partial, "classify": classify}),
        );

        // The same observation as batch columns (NaN and 255 are missing there), with a few
        // invalid codes of the batch's own.
        for (col, v) in cols_f64.iter_mut().zip([rr, spo2, sbp, pulse, temp]) {
            col.push(v.unwrap_or(f64::NAN));
        }
        scale_col.push(match scale {
            None => 1,
            Some(s) if s == 1.0 || s == 2.0 => s as u8,
            Some(_) => *rng.pick(&[0, 3, 7, 255]),
        });
        oxygen_col.push(match (oxygen, rng.below(40)) {
            (_, 0) => *rng.pick(&[2, 255, 9]),
            (o, _) => u8::from(o == Some(true)),
        });
        acvpu_col.push(match consciousness.map(str::parse::<Acvpu>) {
            None => 255,
            Some(Ok(level)) => level.code(),
            Some(Err(_)) => *rng.pick(&[5, 9, 254, 255]),
        });
    }

    let input = RawColumns {
        respiration_rate: &cols_f64[0],
        spo2: &cols_f64[1],
        spo2_scale: Some(&scale_col),
        on_oxygen: Some(&oxygen_col),
        systolic_bp: &cols_f64[2],
        pulse: &cols_f64[3],
        consciousness: &acvpu_col,
        temperature: &cols_f64[4],
    };
    let mut expected = vec![0u8; OUTPUT_COLUMNS * n];
    {
        let mut chunks = expected.chunks_exact_mut(n.max(1));
        let mut next = || chunks.next().unwrap_or_default();
        let mut outputs = ScoreColumnsMut {
            total: next(),
            risk: next(),
            respiration_rate: next(),
            spo2: next(),
            on_oxygen: next(),
            systolic_bp: next(),
            pulse: next(),
            consciousness: next(),
            temperature: next(),
            error: next(),
        };
        score_raw_columns(&input, &mut outputs)?;
        let fields = next();
        for (i, f) in fields.iter_mut().enumerate() {
            *f = input
                .row(i)
                .err()
                .map_or(NO_FIELD, |e| field_code(e.field()));
        }
    }

    let batch = out.join("batch");
    fs::create_dir_all(&batch)?;
    let f64_bytes = |v: &[f64]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
    for (name, col) in [
        "respiration_rate",
        "spo2",
        "systolic_bp",
        "pulse",
        "temperature",
    ]
    .iter()
    .zip(&cols_f64)
    {
        fs::write(batch.join(format!("{name}.bin")), f64_bytes(col))?;
    }
    fs::write(batch.join("spo2_scale.bin"), &scale_col)?;
    fs::write(batch.join("on_oxygen.bin"), &oxygen_col)?;
    fs::write(batch.join("consciousness.bin"), &acvpu_col)?;
    fs::write(batch.join("expected.bin"), &expected)?;
    fs::write(
        out.join("rows.json"),
        serde_json::to_vec(&json!({"seed": seed, "rows": rows}))?,
    )?;

    let errors = |k: &str| rows.iter().filter(|r| r[k].get("error").is_some()).count();
    println!(
        "differential: {n} rows (seed {seed}) in {}; errors: score {}, partial {}, classify {}, batch {}",
        out.display(),
        errors("score"),
        errors("partial"),
        errors("classify"),
        expected[(OUTPUT_COLUMNS - 2) * n..(OUTPUT_COLUMNS - 1) * n]
            .iter()
            .filter(|&&c| c != 0)
            .count(),
    );
    Ok(())
}
