//! Chart 1, one function per parameter, written to read like the printed chart.
//!
//! These functions are the single statement of the bands. The scalar scorer reads
//! tables built from them at compile time, and the columnar scorer uses a branch-free
//! form that a test checks against them for every valid input.

use crate::{Acvpu, Spo2Scale};

/// Respiration rate (/min): 3: ≤8 · 1: 9–11 · 0: 12–20 · 2: 21–24 · 3: ≥25.
///
/// ```
/// use news2_core::chart;
/// assert_eq!(chart::respiration_rate(8), 3);
/// assert_eq!(chart::respiration_rate(9), 1);
/// assert_eq!(chart::respiration_rate(20), 0);
/// assert_eq!(chart::respiration_rate(21), 2);
/// assert_eq!(chart::respiration_rate(25), 3);
/// ```
pub const fn respiration_rate(per_minute: u16) -> u8 {
    match per_minute {
        0..=8 => 3,
        9..=11 => 1,
        12..=20 => 0,
        21..=24 => 2,
        _ => 3,
    }
}

/// SpO2 (%).
///
/// Scale 1: 3: ≤91 · 2: 92–93 · 1: 94–95 · 0: ≥96.
///
/// Scale 2: 3: ≤83 · 2: 84–85 · 1: 86–87 · 0: 88–92, or ≥93 on air · 1: 93–94 on oxygen ·
/// 2: 95–96 on oxygen · 3: ≥97 on oxygen. Over-oxygenation is dangerous in hypercapnic
/// respiratory failure, so on Scale 2 high saturations score only when on oxygen.
///
/// ```
/// use news2_core::{chart, Spo2Scale};
/// assert_eq!(chart::spo2(95, Spo2Scale::Scale1, false), 1);
/// assert_eq!(chart::spo2(95, Spo2Scale::Scale2, false), 0);
/// assert_eq!(chart::spo2(95, Spo2Scale::Scale2, true), 2);
/// assert_eq!(chart::spo2(97, Spo2Scale::Scale2, true), 3);
/// ```
pub const fn spo2(percent: u16, scale: Spo2Scale, on_oxygen: bool) -> u8 {
    match scale {
        Spo2Scale::Scale1 => match percent {
            0..=91 => 3,
            92..=93 => 2,
            94..=95 => 1,
            _ => 0,
        },
        Spo2Scale::Scale2 => match (percent, on_oxygen) {
            (0..=83, _) => 3,
            (84..=85, _) => 2,
            (86..=87, _) => 1,
            (88..=92, _) | (_, false) => 0,
            (93..=94, true) => 1,
            (95..=96, true) => 2,
            (_, true) => 3,
        },
    }
}

/// Air or oxygen: 0 on air, 2 on supplemental oxygen.
///
/// ```
/// assert_eq!(news2_core::chart::air_or_oxygen(true), 2);
/// ```
pub const fn air_or_oxygen(on_oxygen: bool) -> u8 {
    if on_oxygen { 2 } else { 0 }
}

/// Systolic blood pressure (mmHg): 3: ≤90 · 2: 91–100 · 1: 101–110 · 0: 111–219 · 3: ≥220.
///
/// ```
/// use news2_core::chart;
/// assert_eq!(chart::systolic_bp(90), 3);
/// assert_eq!(chart::systolic_bp(219), 0);
/// assert_eq!(chart::systolic_bp(220), 3);
/// ```
pub const fn systolic_bp(mmhg: u16) -> u8 {
    match mmhg {
        0..=90 => 3,
        91..=100 => 2,
        101..=110 => 1,
        111..=219 => 0,
        _ => 3,
    }
}

/// Pulse (/min): 3: ≤40 · 1: 41–50 · 0: 51–90 · 1: 91–110 · 2: 111–130 · 3: ≥131.
///
/// ```
/// use news2_core::chart;
/// assert_eq!(chart::pulse(40), 3);
/// assert_eq!(chart::pulse(91), 1);
/// assert_eq!(chart::pulse(131), 3);
/// ```
pub const fn pulse(per_minute: u16) -> u8 {
    match per_minute {
        0..=40 => 3,
        41..=50 => 1,
        51..=90 => 0,
        91..=110 => 1,
        111..=130 => 2,
        _ => 3,
    }
}

/// Consciousness: 0 for Alert, 3 for new Confusion, Voice, Pain or Unresponsive.
///
/// ```
/// use news2_core::{chart, Acvpu};
/// assert_eq!(chart::consciousness(Acvpu::Confusion), 3);
/// ```
pub const fn consciousness(level: Acvpu) -> u8 {
    if level.is_alert() { 0 } else { 3 }
}

/// Temperature in tenths of a degree Celsius: 3: ≤35.0 · 1: 35.1–36.0 · 0: 36.1–38.0 ·
/// 1: 38.1–39.0 · 2: ≥39.1. The high side never scores 3.
///
/// ```
/// use news2_core::chart;
/// assert_eq!(chart::temperature(350), 3);
/// assert_eq!(chart::temperature(351), 1);
/// assert_eq!(chart::temperature(391), 2);
/// ```
pub const fn temperature(tenths: i16) -> u8 {
    match tenths {
        i16::MIN..=350 => 3,
        351..=360 => 1,
        361..=380 => 0,
        381..=390 => 1,
        _ => 2,
    }
}

/// Compile-time tables over every valid value, so the scalar scorer is a handful of loads.
///
/// A table is indexed by the value as stored: respiration rate, SpO2 and temperature are
/// stored in a byte, so a 256-entry table needs no bounds check; systolic BP and pulse are
/// masked to 9 bits, which changes no valid value but proves the index in bounds. Entries
/// no valid value reaches hold whatever the chart function gives there and are never read.
///
/// Each entry is a *lane word*: the parameter's score in the byte of its chart position
/// ([`Parameter::index`](crate::Parameter::index)) and again in the top byte; a score of
/// 3 also sets bit 7 of its own byte and adds 32 to the top byte. Adding the seven lane
/// words of an observation set gives, in one word, every score in its own byte with its
/// red flag, and in byte 7 the total plus 32 for each red parameter. No byte carries into
/// the next: a score byte is at most 0x83, and byte 7 at most 21 + 7 × 32 = 245. So one
/// mask gives the scores and the total (the first eight bytes of the
/// [`News2Score`](crate::News2Score)), the top byte alone indexes Charts 3 and 4, and the
/// red flags are one shift and mask away: six additions in place of seven shifts, merges
/// and comparisons per observation.
pub(crate) mod table {
    use super::*;
    use crate::{Parameter, Pulse, RespirationRate, Spo2, SystolicBp, Temperature};

    /// The lane word of `score` for the parameter at chart position `k`.
    pub(crate) const fn lane(k: usize, score: u8) -> u64 {
        let red = if score == 3 { 1 } else { 0 };
        ((score as u64) | red << RED_BIT) << (8 * k) | ((score as u64) + red * RED_COUNT) << 56
    }

    /// The bit of a score byte that marks a score of 3.
    pub(crate) const RED_BIT: u32 = 7;
    /// What each score of 3 adds to the top byte, above any total (at most 21).
    pub(crate) const RED_COUNT: u64 = 32;
    /// The scores and the total of a sum of lane words, without the red marks.
    pub(crate) const SCORES: u64 = 0x1f03_0303_0303_0303;

    /// The score a lane word of parameter `p` holds.
    #[inline(always)]
    const fn score_of(p: Parameter, lane: u64) -> u8 {
        (lane >> (8 * p.index())) as u8 & 3
    }

    macro_rules! table {
        ($name:ident, $len:expr, |$i:ident| $lane:expr) => {
            const $name: [u64; $len] = {
                let mut t = [0u64; $len];
                let mut $i = 0;
                while $i < $len {
                    t[$i] = $lane;
                    $i += 1;
                }
                t
            };
        };
    }

    const WHOLE_LEN: usize = 512;
    // Indexed by the stored byte: no mask or bounds check.
    const BYTE_LEN: usize = 256;
    const _: () =
        assert!((SystolicBp::MAX as usize) < WHOLE_LEN && (Pulse::MAX as usize) < WHOLE_LEN);
    table!(RESPIRATION_RATE, BYTE_LEN, |i| lane(
        Parameter::RespirationRate.index(),
        respiration_rate(i as u16)
    ));
    table!(SYSTOLIC_BP, WHOLE_LEN, |i| lane(
        Parameter::SystolicBp.index(),
        systolic_bp(i as u16)
    ));
    table!(PULSE, WHOLE_LEN, |i| lane(
        Parameter::Pulse.index(),
        pulse(i as u16)
    ));

    // Indexed by the stored byte, tenths above the minimum; the entries above the maximum
    // are never read.
    const _: () =
        assert!(((Temperature::MAX_TENTHS - Temperature::MIN_TENTHS) as usize) < BYTE_LEN);
    table!(TEMPERATURE, BYTE_LEN, |i| lane(
        Parameter::Temperature.index(),
        temperature(Temperature::MIN_TENTHS + i as i16)
    ));

    // SpO2 and air-or-oxygen in one entry, since the SpO2 score depends on oxygen anyway.
    // Index: scale number * SPO2_SCALE_STRIDE + on_oxygen * SPO2_LEN + percent. Indexing by
    // the scale's number as stored saves a comparison per observation; the block for the
    // nonexistent scale 0 is never read.
    const SPO2_LEN: usize = BYTE_LEN;
    const SPO2_SCALE_STRIDE: usize = 2 * SPO2_LEN;
    const _: () = assert!((Spo2::MAX as usize) < SPO2_LEN);
    const _: () = assert!(Spo2Scale::Scale1.number() == 1 && Spo2Scale::Scale2.number() == 2);
    table!(SPO2, 3 * SPO2_SCALE_STRIDE, |i| {
        let scale = if i / SPO2_SCALE_STRIDE == 2 {
            Spo2Scale::Scale2
        } else {
            Spo2Scale::Scale1
        };
        let on_oxygen = i / SPO2_LEN % 2 == 1;
        lane(
            Parameter::Spo2.index(),
            spo2((i % SPO2_LEN) as u16, scale, on_oxygen),
        ) + lane(Parameter::OnOxygen.index(), air_or_oxygen(on_oxygen))
    });

    // Index: the ACVPU code (0–4); the rest is never read.
    table!(CONSCIOUSNESS, 8, |i| match Acvpu::from_code(i as u8) {
        Some(level) => lane(Parameter::Consciousness.index(), consciousness(level)),
        None => 0,
    });

    /// Every table in one static, so the scorer reaches all of them from one base address
    /// (separate statics each cost a register or an address load per observation).
    struct Lanes {
        respiration_rate: [u64; BYTE_LEN],
        spo2: [u64; 3 * SPO2_SCALE_STRIDE],
        systolic_bp: [u64; WHOLE_LEN],
        pulse: [u64; WHOLE_LEN],
        temperature: [u64; BYTE_LEN],
        consciousness: [u64; 8],
    }

    static LANES: Lanes = Lanes {
        respiration_rate: RESPIRATION_RATE,
        spo2: SPO2,
        systolic_bp: SYSTOLIC_BP,
        pulse: PULSE,
        temperature: TEMPERATURE,
        consciousness: CONSCIOUSNESS,
    };

    #[inline(always)]
    pub(crate) fn respiration_rate_lane(r: RespirationRate) -> u64 {
        LANES.respiration_rate[usize::from(r.get())]
    }

    /// The SpO2 and air-or-oxygen lanes together.
    #[inline(always)]
    pub(crate) fn spo2_and_oxygen_lanes(s: Spo2, scale: Spo2Scale, on_oxygen: bool) -> u64 {
        let index = usize::from(scale.number()) * SPO2_SCALE_STRIDE
            + usize::from(on_oxygen) * SPO2_LEN
            + usize::from(s.get());
        LANES.spo2[index]
    }

    #[inline(always)]
    pub(crate) fn systolic_bp_lane(s: SystolicBp) -> u64 {
        LANES.systolic_bp[usize::from(s.get()) & (WHOLE_LEN - 1)]
    }

    #[inline(always)]
    pub(crate) fn pulse_lane(p: Pulse) -> u64 {
        LANES.pulse[usize::from(p.get()) & (WHOLE_LEN - 1)]
    }

    #[inline(always)]
    pub(crate) fn consciousness_lane(level: Acvpu) -> u64 {
        LANES.consciousness[usize::from(level.code()) & 7]
    }

    #[inline(always)]
    pub(crate) fn temperature_lane(t: Temperature) -> u64 {
        LANES.temperature[usize::from(t.offset())]
    }

    #[inline(always)]
    pub(crate) fn respiration_rate_score(r: RespirationRate) -> u8 {
        score_of(Parameter::RespirationRate, respiration_rate_lane(r))
    }

    #[inline(always)]
    pub(crate) fn systolic_bp_score(s: SystolicBp) -> u8 {
        score_of(Parameter::SystolicBp, systolic_bp_lane(s))
    }

    #[inline(always)]
    pub(crate) fn pulse_score(p: Pulse) -> u8 {
        score_of(Parameter::Pulse, pulse_lane(p))
    }

    #[inline(always)]
    pub(crate) fn temperature_score(t: Temperature) -> u8 {
        score_of(Parameter::Temperature, temperature_lane(t))
    }
}

#[cfg(test)]
mod tests {
    use super::table::*;
    use super::*;
    use crate::{Parameter, Pulse, RespirationRate, Spo2, SystolicBp, Temperature};

    /// The score in `p`'s byte, and that the top byte repeats it and no other byte is set.
    fn lane_score(p: Parameter, lane: u64) -> u8 {
        let score = (lane >> (8 * p.index())) as u8 & 3;
        assert_eq!(
            lane,
            super::table::lane(p.index(), score),
            "{p:?} lane {lane:#018x}"
        );
        score
    }

    /// Every table entry a valid measurement can reach, against the printed chart.
    #[test]
    fn scalar_tables_match_chart() {
        for v in RespirationRate::MIN..=RespirationRate::MAX {
            let lane = respiration_rate_lane(RespirationRate::new(v).unwrap());
            assert_eq!(
                lane_score(Parameter::RespirationRate, lane),
                respiration_rate(v)
            );
        }
        for v in SystolicBp::MIN..=SystolicBp::MAX {
            let lane = systolic_bp_lane(SystolicBp::new(v).unwrap());
            assert_eq!(lane_score(Parameter::SystolicBp, lane), systolic_bp(v));
        }
        for v in Pulse::MIN..=Pulse::MAX {
            let lane = pulse_lane(Pulse::new(v).unwrap());
            assert_eq!(lane_score(Parameter::Pulse, lane), pulse(v));
        }
        for t in Temperature::MIN_TENTHS..=Temperature::MAX_TENTHS {
            let lane = temperature_lane(Temperature::from_tenths(t).unwrap());
            assert_eq!(lane_score(Parameter::Temperature, lane), temperature(t));
        }
        for level in Acvpu::ALL {
            let lane = consciousness_lane(level);
            assert_eq!(
                lane_score(Parameter::Consciousness, lane),
                consciousness(level)
            );
        }
        for v in Spo2::MIN..=Spo2::MAX {
            for scale in [Spo2Scale::Scale1, Spo2Scale::Scale2] {
                for on_oxygen in [false, true] {
                    let both = spo2_and_oxygen_lanes(Spo2::new(v).unwrap(), scale, on_oxygen);
                    let (s, o) = (spo2(v, scale, on_oxygen), air_or_oxygen(on_oxygen));
                    let expected = super::table::lane(Parameter::Spo2.index(), s)
                        + super::table::lane(Parameter::OnOxygen.index(), o);
                    assert_eq!(both, expected, "SpO2 {v} {scale:?} oxygen {on_oxygen}");
                }
            }
        }
    }
}
