//! Scores a few sample observation sets and prints the breakdown: the main job until the
//! example server lands. `cargo run --release -p news2-core --example score`
use news2_core::{Parameter, RawVitals, Vitals};

fn main() {
    let samples: [(&str, RawVitals<'_>); 5] = [
        ("well adult", raw(16.0, 97.0, false, 124.0, 72.0, "A", 36.8)),
        (
            "febrile, tachycardic",
            raw(22.0, 95.0, false, 108.0, 118.0, "A", 38.6),
        ),
        (
            "new confusion only",
            raw(18.0, 96.0, false, 130.0, 80.0, "C", 37.0),
        ),
        (
            "septic shock picture",
            raw(28.0, 91.0, true, 86.0, 132.0, "V", 39.4),
        ),
        (
            "temperature typed in °F",
            raw(18.0, 97.0, false, 120.0, 70.0, "A", 98.6),
        ),
    ];
    for (label, sample) in samples {
        println!("{label}");
        match Vitals::from_raw(&sample) {
            Ok(vitals) => {
                let s = vitals.score();
                for p in Parameter::ALL {
                    println!("  {:<17} {}", p.as_str(), s.parameters.get(p));
                }
                println!(
                    "  total {} · risk {} · {} · {}",
                    s.total, s.risk, s.response.monitoring, s.response.response
                );
            }
            // Bad input is reported, never scored.
            Err(e) => println!("  not scored: {e}"),
        }
        println!();
    }
}

fn raw(
    rr: f64,
    spo2: f64,
    oxygen: bool,
    sbp: f64,
    pulse: f64,
    acvpu: &str,
    temp: f64,
) -> RawVitals<'_> {
    RawVitals {
        respiration_rate: Some(rr),
        spo2: Some(spo2),
        spo2_scale: None,
        on_oxygen: Some(oxygen),
        systolic_bp: Some(sbp),
        pulse: Some(pulse),
        consciousness: Some(acvpu),
        temperature: Some(temp),
    }
}
