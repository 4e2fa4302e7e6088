//! Shared input generators for the benchmarks: randomised, so the branch predictor
//! cannot learn the input and flatter the figures.

use news2_core::{
    Acvpu, Cpf, Pulse, RespirationRate, Spo2, Spo2Scale, SystolicBp, Temperature, Vitals,
};

/// A small deterministic generator (xorshift64*), so runs are comparable.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// Seeds the generator (0 is replaced by a fixed odd constant).
    pub fn new(seed: u64) -> Self {
        Self(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u16, hi: u16) -> u16 {
        lo + (self.next_u64() % u64::from(hi - lo + 1)) as u16
    }
}

/// `n` random valid observation sets spread over every band of every parameter.
pub fn random_vitals(n: usize, seed: u64) -> Vec<Vitals> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| Vitals {
            respiration_rate: RespirationRate::new(rng.range(4, 40)).expect("in range"),
            spo2: Spo2::new(rng.range(80, 100)).expect("in range"),
            spo2_scale: if rng.range(0, 9) == 0 {
                Spo2Scale::Scale2
            } else {
                Spo2Scale::Scale1
            },
            on_oxygen: rng.range(0, 3) == 0,
            systolic_bp: SystolicBp::new(rng.range(70, 240)).expect("in range"),
            pulse: Pulse::new(rng.range(30, 160)).expect("in range"),
            consciousness: Acvpu::from_code(if rng.range(0, 4) == 0 {
                rng.range(1, 4) as u8
            } else {
                0
            })
            .expect("code"),
            temperature: Temperature::from_tenths(rng.range(340, 410) as i16).expect("in range"),
        })
        .collect()
}

/// Valid observation sets stored as columns, as a data frame holds them.
#[derive(Debug, Default)]
#[allow(missing_docs)]
pub struct Columns {
    pub respiration_rate: Vec<RespirationRate>,
    pub spo2: Vec<Spo2>,
    pub spo2_scale: Vec<Spo2Scale>,
    pub on_oxygen: Vec<bool>,
    pub systolic_bp: Vec<SystolicBp>,
    pub pulse: Vec<Pulse>,
    pub consciousness: Vec<Acvpu>,
    pub temperature: Vec<Temperature>,
}

impl Columns {
    /// Splits rows into columns.
    pub fn from_rows(rows: &[Vitals]) -> Self {
        let mut c = Self::default();
        for v in rows {
            c.respiration_rate.push(v.respiration_rate);
            c.spo2.push(v.spo2);
            c.spo2_scale.push(v.spo2_scale);
            c.on_oxygen.push(v.on_oxygen);
            c.systolic_bp.push(v.systolic_bp);
            c.pulse.push(v.pulse);
            c.consciousness.push(v.consciousness);
            c.temperature.push(v.temperature);
        }
        c
    }

    /// Bytes of input per row (for the memcpy baseline).
    pub const ROW_BYTES: usize = 2 + 2 + 1 + 1 + 2 + 2 + 1 + 2;

    /// Borrows the columns for the batch scorer.
    pub fn view(&self) -> news2_core::batch::ValidColumns<'_> {
        news2_core::batch::ValidColumns {
            respiration_rate: &self.respiration_rate,
            spo2: &self.spo2,
            spo2_scale: &self.spo2_scale,
            on_oxygen: &self.on_oxygen,
            systolic_bp: &self.systolic_bp,
            pulse: &self.pulse,
            consciousness: &self.consciousness,
            temperature: &self.temperature,
        }
    }
}

/// `n` random valid CPFs as masked strings and as bare digits.
pub fn random_cpfs(n: usize, seed: u64) -> (Vec<String>, Vec<String>) {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let mut base = [0u8; 9];
            for d in &mut base {
                *d = rng.range(0, 9) as u8;
            }
            let cpf = Cpf::from_base(base);
            (cpf.to_string(), cpf.digits_str().to_string())
        })
        .unzip()
}

/// Untyped columns as a data frame holds them, for
/// [`score_raw_columns`](news2_core::batch::score_raw_columns).
#[derive(Debug, Default)]
#[allow(missing_docs)]
pub struct RawData {
    pub respiration_rate: Vec<f64>,
    pub spo2: Vec<f64>,
    pub spo2_scale: Vec<u8>,
    pub on_oxygen: Vec<u8>,
    pub systolic_bp: Vec<f64>,
    pub pulse: Vec<f64>,
    pub consciousness: Vec<u8>,
    pub temperature: Vec<f64>,
}

impl RawData {
    /// `n` random rows, mostly valid as a ward records them: about 10 % hold a
    /// non-integer reading (an averaged value), 3 % a missing value and 2 % an invalid one
    /// (out of range, °F, a bad code), so the exact path is exercised but not dominant.
    pub fn random(n: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed ^ 0x5EED);
        let mut data = Self::default();
        for v in random_vitals(n, seed) {
            data.respiration_rate
                .push(f64::from(v.respiration_rate.get()));
            data.spo2.push(f64::from(v.spo2.get()));
            data.spo2_scale.push(v.spo2_scale.number());
            data.on_oxygen.push(u8::from(v.on_oxygen));
            data.systolic_bp.push(f64::from(v.systolic_bp.get()));
            data.pulse.push(f64::from(v.pulse.get()));
            data.consciousness.push(v.consciousness.code());
            data.temperature.push(v.temperature.celsius());
            let i = data.pulse.len() - 1;
            match rng.range(0, 99) {
                0..=9 => data.pulse[i] += f64::from(rng.range(1, 9)) / 10.0 - 0.5,
                10..=12 => match rng.range(0, 2) {
                    0 => data.spo2[i] = f64::NAN,
                    1 => data.temperature[i] = f64::NAN,
                    _ => data.consciousness[i] = news2_core::batch::MISSING_CODE,
                },
                13..=14 => match rng.range(0, 2) {
                    0 => data.spo2[i] = 977.0,
                    1 => data.temperature[i] = 98.6,
                    _ => data.on_oxygen[i] = 7,
                },
                _ => {}
            }
        }
        data
    }

    /// Borrows the columns for the batch scorer.
    pub fn view(&self) -> news2_core::batch::RawColumns<'_> {
        news2_core::batch::RawColumns {
            respiration_rate: &self.respiration_rate,
            spo2: &self.spo2,
            spo2_scale: Some(&self.spo2_scale),
            on_oxygen: Some(&self.on_oxygen),
            systolic_bp: &self.systolic_bp,
            pulse: &self.pulse,
            consciousness: &self.consciousness,
            temperature: &self.temperature,
        }
    }
}

/// Owned output columns for [`score_raw_columns`](news2_core::batch::score_raw_columns).
#[derive(Debug)]
pub struct ScoreOutput([Vec<u8>; 10]);

impl ScoreOutput {
    /// Columns for `n` rows.
    pub fn new(n: usize) -> Self {
        Self(core::array::from_fn(|_| vec![0; n]))
    }

    /// Borrows the columns for the batch scorer.
    pub fn columns(&mut self) -> news2_core::batch::ScoreColumnsMut<'_> {
        let [total, risk, rr, spo2, ox, sbp, pulse, acvpu, temp, error] = &mut self.0;
        news2_core::batch::ScoreColumnsMut {
            total,
            risk,
            respiration_rate: rr,
            spo2,
            on_oxygen: ox,
            systolic_bp: sbp,
            pulse,
            consciousness: acvpu,
            temperature: temp,
            error,
        }
    }
}
