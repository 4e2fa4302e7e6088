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
/// Each table is padded to a power of two and indexed through a mask: a valid value is
/// always below the mask, so the mask changes nothing, but it proves the index in
/// bounds without a check. The padding holds the chart's score for those values too.
pub(crate) mod table {
    use super::*;
    use crate::{Pulse, RespirationRate, Spo2, SystolicBp, Temperature};

    macro_rules! table {
        ($name:ident, $len:expr, |$i:ident| $body:expr) => {
            static $name: [u8; $len] = {
                let mut t = [0u8; $len];
                let mut $i = 0;
                while $i < $len {
                    t[$i] = $body;
                    $i += 1;
                }
                t
            };
        };
    }

    const WHOLE_LEN: usize = 512;
    const _: () = assert!((RespirationRate::MAX as usize) < WHOLE_LEN / 4);
    const _: () =
        assert!((SystolicBp::MAX as usize) < WHOLE_LEN && (Pulse::MAX as usize) < WHOLE_LEN);
    table!(RESPIRATION_RATE, WHOLE_LEN / 4, |i| respiration_rate(
        i as u16
    ));
    table!(SYSTOLIC_BP, WHOLE_LEN, |i| systolic_bp(i as u16));
    table!(PULSE, WHOLE_LEN, |i| pulse(i as u16));

    const TEMPERATURE_LEN: usize = 256;
    const _: () =
        assert!(((Temperature::MAX_TENTHS - Temperature::MIN_TENTHS) as usize) < TEMPERATURE_LEN);
    table!(TEMPERATURE, TEMPERATURE_LEN, |i| temperature(
        i as i16 + Temperature::MIN_TENTHS
    ));

    const SPO2_LEN: usize = 128;
    const _: () = assert!((Spo2::MAX as usize) < SPO2_LEN);
    // Index: (scale2 * 2 + on_oxygen) * SPO2_LEN + percent.
    table!(SPO2, 4 * SPO2_LEN, |i| {
        let variant = i / SPO2_LEN;
        let scale = if variant >= 2 {
            Spo2Scale::Scale2
        } else {
            Spo2Scale::Scale1
        };
        spo2((i % SPO2_LEN) as u16, scale, variant % 2 == 1)
    });

    #[inline(always)]
    pub(crate) fn respiration_rate_score(r: RespirationRate) -> u8 {
        RESPIRATION_RATE[usize::from(r.get()) & (RESPIRATION_RATE.len() - 1)]
    }

    #[inline(always)]
    pub(crate) fn spo2_score(s: Spo2, scale: Spo2Scale, on_oxygen: bool) -> u8 {
        let variant = usize::from(matches!(scale, Spo2Scale::Scale2)) * 2 + usize::from(on_oxygen);
        SPO2[variant * SPO2_LEN + (usize::from(s.get()) & (SPO2_LEN - 1))]
    }

    #[inline(always)]
    pub(crate) fn systolic_bp_score(s: SystolicBp) -> u8 {
        SYSTOLIC_BP[usize::from(s.get()) & (WHOLE_LEN - 1)]
    }

    #[inline(always)]
    pub(crate) fn pulse_score(p: Pulse) -> u8 {
        PULSE[usize::from(p.get()) & (WHOLE_LEN - 1)]
    }

    #[inline(always)]
    pub(crate) fn temperature_score(t: Temperature) -> u8 {
        let offset = t.tenths().wrapping_sub(Temperature::MIN_TENTHS) as u16;
        TEMPERATURE[usize::from(offset) & (TEMPERATURE_LEN - 1)]
    }
}
