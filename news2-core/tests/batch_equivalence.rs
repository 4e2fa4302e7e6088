//! The columnar scorers agree with the scalar API row for row, on random input that
//! includes missing values, impossible values, rounding ties and bad codes.

use news2_core::batch::{
    NO_SCORE, RawColumns, ScoreColumnsMut, ValidColumns, score_columns, score_raw_columns,
    score_raw_columns_reporting,
};
use news2_core::{Acvpu, Field, RawVitals, Vitals, VitalsError};
use proptest::prelude::*;

/// A float a data frame might hold for a vital with bounds `0..=max`.
fn cell(max: f64) -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => (0u32..=(max as u32)).prop_map(f64::from),
        2 => 0.0..max,
        1 => (0u32..=(max as u32) * 10).prop_map(|t| f64::from(t) / 10.0 + 0.05), // near ties
        1 => (0u32..=(max as u32)).prop_map(|t| f64::from(t) + 0.5),               // exact ties
        1 => Just(f64::NAN),
        1 => prop_oneof![Just(-0.4), Just(-1.0), Just(max + 0.4), Just(max + 0.5), Just(1e9), Just(f64::INFINITY), Just(-0.0)],
    ]
}

fn temperature() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => (250u32..=450).prop_map(|t| f64::from(t) / 10.0),
        2 => 20.0..50.0,
        1 => (250u32..=450).prop_map(|t| f64::from(t) / 10.0 + 0.05),
        1 => prop_oneof![Just(98.6), Just(77.0), Just(113.04), Just(24.96), Just(45.04), Just(45.05), Just(f64::NAN)],
    ]
}

#[derive(Debug, Clone)]
struct Row {
    rr: f64,
    spo2: f64,
    scale: u8,
    oxygen: u8,
    sbp: f64,
    pulse: f64,
    acvpu: u8,
    temp: f64,
}

fn row() -> impl Strategy<Value = Row> {
    let code = |valid: Vec<u8>| prop_oneof![8 => prop::sample::select(valid), 1 => Just(255u8), 1 => any::<u8>()];
    (
        cell(80.0),
        cell(100.0),
        code(vec![1, 2]),
        code(vec![0, 1]),
        cell(300.0),
        cell(300.0),
        code(vec![0, 1, 2, 3, 4]),
        temperature(),
    )
        .prop_map(|(rr, spo2, scale, oxygen, sbp, pulse, acvpu, temp)| Row {
            rr,
            spo2,
            scale,
            oxygen,
            sbp,
            pulse,
            acvpu,
            temp,
        })
}

/// The scalar API's answer for a row, with the columnar conventions spelled out here.
fn scalar(r: &Row) -> Result<Vitals, VitalsError> {
    let opt = |x: f64| (!x.is_nan()).then_some(x);
    let letter;
    let consciousness = match r.acvpu {
        255 => None,
        code => {
            letter =
                Acvpu::from_code(code).map_or("not-a-level".to_owned(), |a| a.letter().to_string());
            Some(letter.as_str())
        }
    };
    let raw = RawVitals {
        respiration_rate: opt(r.rr),
        spo2: opt(r.spo2),
        spo2_scale: (r.scale != 255).then_some(f64::from(r.scale)),
        on_oxygen: match r.oxygen {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        },
        systolic_bp: opt(r.sbp),
        pulse: opt(r.pulse),
        consciousness,
        temperature: opt(r.temp),
    };
    // Codes the scalar API cannot express (a missing scale, a bad oxygen code) are
    // errors in the columnar one, reported in chart order like every other field.
    let code_error = if r.scale == 255 {
        Some(VitalsError::Missing {
            field: Field::Spo2Scale,
        })
    } else if r.oxygen > 1 {
        Some(if r.oxygen == 255 {
            VitalsError::Missing {
                field: Field::OnOxygen,
            }
        } else {
            VitalsError::OutOfRange {
                field: Field::OnOxygen,
                value: f64::from(r.oxygen),
                min: 0.0,
                max: 1.0,
            }
        })
    } else {
        None
    };
    match code_error {
        None => Vitals::from_raw(&raw),
        Some(code_error) => {
            let others = Vitals::from_raw(&RawVitals {
                spo2_scale: if r.scale == 255 { None } else { raw.spo2_scale },
                on_oxygen: None,
                ..raw
            });
            match others {
                Err(e) if e.field() < code_error.field() => Err(e),
                _ => Err(code_error),
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn raw_columns_match_the_scalar_api(rows in proptest::collection::vec(row(), 1..400)) {
        let col = |f: fn(&Row) -> f64| rows.iter().map(f).collect::<Vec<_>>();
        let (rr, spo2, sbp, pulse, temp) = (col(|r| r.rr), col(|r| r.spo2), col(|r| r.sbp), col(|r| r.pulse), col(|r| r.temp));
        let scale: Vec<u8> = rows.iter().map(|r| r.scale).collect();
        let oxygen: Vec<u8> = rows.iter().map(|r| r.oxygen).collect();
        let acvpu: Vec<u8> = rows.iter().map(|r| r.acvpu).collect();
        let input = RawColumns {
            respiration_rate: &rr, spo2: &spo2, spo2_scale: Some(&scale), on_oxygen: Some(&oxygen),
            systolic_bp: &sbp, pulse: &pulse, consciousness: &acvpu, temperature: &temp,
        };
        let n = rows.len();
        let mut cols = vec![vec![0u8; n]; 10];
        let [total, risk, c_rr, c_spo2, c_ox, c_sbp, c_pulse, c_acvpu, c_temp, error] = &mut cols[..] else { unreachable!() };
        let mut out = ScoreColumnsMut {
            total, risk, respiration_rate: c_rr, spo2: c_spo2, on_oxygen: c_ox, systolic_bp: c_sbp,
            pulse: c_pulse, consciousness: c_acvpu, temperature: c_temp, error,
        };
        let mut rejected = Vec::new();
        let errors = score_raw_columns_reporting(&input, &mut out, |i, e| rejected.push((i, e))).unwrap();
        let mut expected_rejected = Vec::new();
        let mut expected_errors = 0;
        for (i, r) in rows.iter().enumerate() {
            let exact = input.row(i);
            match scalar(r) {
                Ok(v) => {
                    let s = v.score();
                    prop_assert_eq!(exact.as_ref().ok(), Some(&v), "row {}: {:?}", i, r);
                    prop_assert_eq!(out.total[i], s.total, "row {}: {:?}", i, r);
                    prop_assert_eq!(out.risk[i], s.risk.code());
                    let got = [out.respiration_rate[i], out.spo2[i], out.on_oxygen[i], out.systolic_bp[i], out.pulse[i], out.consciousness[i], out.temperature[i]];
                    prop_assert_eq!(got, s.parameters.as_array());
                    prop_assert_eq!(out.error[i], 0);
                }
                Err(e) => {
                    expected_errors += 1;
                    prop_assert_eq!(out.total[i], NO_SCORE, "row {}: {:?} should fail with {}", i, r, e);
                    prop_assert_eq!(out.risk[i], NO_SCORE);
                    let exact = exact.expect_err("the exact path agrees");
                    prop_assert_eq!(exact.field(), e.field(), "row {}: {:?}", i, r);
                    prop_assert_eq!(out.error[i], exact.code());
                    expected_rejected.push((i, exact));
                }
            }
        }
        prop_assert_eq!(errors, expected_errors);
        // Every rejected row is reported once, in order, with the error the row itself gives.
        prop_assert_eq!(rejected, expected_rejected);
    }

    #[test]
    fn valid_columns_match_the_scalar_api(rows in proptest::collection::vec(row(), 1..400)) {
        let valid: Vec<Vitals> = rows.iter().filter_map(|r| scalar(r).ok()).collect();
        let cols = ValidColumns {
            respiration_rate: &valid.iter().map(|v| v.respiration_rate).collect::<Vec<_>>(),
            spo2: &valid.iter().map(|v| v.spo2).collect::<Vec<_>>(),
            spo2_scale: &valid.iter().map(|v| v.spo2_scale).collect::<Vec<_>>(),
            on_oxygen: &valid.iter().map(|v| v.on_oxygen).collect::<Vec<_>>(),
            systolic_bp: &valid.iter().map(|v| v.systolic_bp).collect::<Vec<_>>(),
            pulse: &valid.iter().map(|v| v.pulse).collect::<Vec<_>>(),
            consciousness: &valid.iter().map(|v| v.consciousness).collect::<Vec<_>>(),
            temperature: &valid.iter().map(|v| v.temperature).collect::<Vec<_>>(),
        };
        let mut total = vec![0; valid.len()];
        let mut risk = vec![0; valid.len()];
        score_columns(&cols, &mut total, &mut risk).unwrap();
        for (i, v) in valid.iter().enumerate() {
            prop_assert_eq!(total[i], v.score().total);
            prop_assert_eq!(risk[i], v.score().risk.code());
        }
    }

    /// Every output byte of the columnar scorer against scoring row by row through
    /// `RawColumns::row`, over inputs long enough to span several internal chunks, with and
    /// without the optional code columns.
    #[test]
    fn raw_columns_are_byte_identical_to_row_by_row(
        rows in proptest::collection::vec(row(), 1..1200),
        with_scale in any::<bool>(),
        with_oxygen in any::<bool>(),
    ) {
        let col = |f: fn(&Row) -> f64| rows.iter().map(f).collect::<Vec<_>>();
        let (rr, spo2, sbp, pulse, temp) = (col(|r| r.rr), col(|r| r.spo2), col(|r| r.sbp), col(|r| r.pulse), col(|r| r.temp));
        let scale: Vec<u8> = rows.iter().map(|r| r.scale).collect();
        let oxygen: Vec<u8> = rows.iter().map(|r| r.oxygen).collect();
        let acvpu: Vec<u8> = rows.iter().map(|r| r.acvpu).collect();
        let input = RawColumns {
            respiration_rate: &rr, spo2: &spo2,
            spo2_scale: with_scale.then_some(&scale[..]), on_oxygen: with_oxygen.then_some(&oxygen[..]),
            systolic_bp: &sbp, pulse: &pulse, consciousness: &acvpu, temperature: &temp,
        };
        let n = rows.len();
        let mut cols = vec![vec![0xA5u8; n]; 10];
        let [total, risk, c_rr, c_spo2, c_ox, c_sbp, c_pulse, c_acvpu, c_temp, error] = &mut cols[..] else { unreachable!() };
        let mut out = ScoreColumnsMut {
            total, risk, respiration_rate: c_rr, spo2: c_spo2, on_oxygen: c_ox, systolic_bp: c_sbp,
            pulse: c_pulse, consciousness: c_acvpu, temperature: c_temp, error,
        };
        let errors = score_raw_columns(&input, &mut out).unwrap();
        let mut expected_errors = 0;
        for i in 0..n {
            // Columns in the order of ScoreColumnsMut.
            let expected: [u8; 10] = match input.row(i) {
                Ok(v) => {
                    let s = v.score();
                    let p = s.parameters.as_array();
                    [s.total, s.risk.code(), p[0], p[1], p[2], p[3], p[4], p[5], p[6], 0]
                }
                Err(e) => {
                    expected_errors += 1;
                    let mut row = [NO_SCORE; 10];
                    row[9] = e.code();
                    row
                }
            };
            let got: [u8; 10] = std::array::from_fn(|c| cols[c][i]);
            prop_assert_eq!(got, expected, "row {}: {:?}", i, rows[i]);
        }
        prop_assert_eq!(errors, expected_errors);
    }
}
