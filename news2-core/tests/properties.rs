//! Properties of the chart that must hold for every input, not just the golden cases.

use news2_core::{
    Acvpu, ClinicalRisk, Cns, Cpf, CpfError, Parameter, PartialVitals, Pulse, RespirationRate,
    Spo2, Spo2Scale, SystolicBp, Temperature, Vitals,
};
use proptest::prelude::*;

fn vitals() -> impl Strategy<Value = Vitals> {
    (
        0..=RespirationRate::MAX,
        0..=Spo2::MAX,
        any::<bool>(),
        any::<bool>(),
        0..=SystolicBp::MAX,
        0..=Pulse::MAX,
        0..5u8,
        Temperature::MIN_TENTHS..=Temperature::MAX_TENTHS,
    )
        .prop_map(|(rr, s, scale2, ox, sbp, p, c, t)| Vitals {
            respiration_rate: RespirationRate::new(rr).unwrap(),
            spo2: Spo2::new(s).unwrap(),
            spo2_scale: if scale2 {
                Spo2Scale::Scale2
            } else {
                Spo2Scale::Scale1
            },
            on_oxygen: ox,
            systolic_bp: SystolicBp::new(sbp).unwrap(),
            pulse: Pulse::new(p).unwrap(),
            consciousness: Acvpu::from_code(c).unwrap(),
            temperature: Temperature::from_tenths(t).unwrap(),
        })
}

/// The chart's normal band per whole-number parameter, for "further from normal".
fn further(value: u16, lo: u16, hi: u16, step: u16, max: u16) -> Option<u16> {
    if value < lo {
        value.checked_sub(step)
    } else if value > hi {
        value.checked_add(step).filter(|v| *v <= max)
    } else {
        None
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn total_is_the_sum_of_its_parts_and_within_0_to_20(v in vitals()) {
        let s = v.score();
        let sum: u8 = s.parameters.as_array().iter().sum();
        prop_assert_eq!(s.total, sum);
        prop_assert!(s.total <= 20);
        prop_assert!(s.parameters.as_array().iter().all(|&p| p <= 3));
        prop_assert_eq!(s.red.len(), s.parameters.as_array().iter().filter(|&&p| p == 3).count());
        prop_assert_eq!(s.scale, v.spo2_scale);
    }

    #[test]
    fn risk_follows_chart_3_precedence(v in vitals()) {
        let s = v.score();
        let expected = if s.total >= 7 {
            ClinicalRisk::High
        } else if s.total >= 5 {
            ClinicalRisk::Medium
        } else if !s.red.is_empty() {
            ClinicalRisk::LowMedium
        } else {
            ClinicalRisk::Low
        };
        prop_assert_eq!(s.risk, expected);
    }

    #[test]
    fn moving_further_from_normal_never_lowers_a_score(v in vitals(), step in 1u16..40) {
        let s = v.score().parameters;
        if let Some(rr) = further(v.respiration_rate.get(), 12, 20, step, RespirationRate::MAX) {
            let w = Vitals { respiration_rate: RespirationRate::new(rr).unwrap(), ..v };
            prop_assert!(w.score().parameters.respiration_rate >= s.respiration_rate);
        }
        if let Some(sbp) = further(v.systolic_bp.get(), 111, 219, step, SystolicBp::MAX) {
            let w = Vitals { systolic_bp: SystolicBp::new(sbp).unwrap(), ..v };
            prop_assert!(w.score().parameters.systolic_bp >= s.systolic_bp);
        }
        if let Some(p) = further(v.pulse.get(), 51, 90, step, Pulse::MAX) {
            let w = Vitals { pulse: Pulse::new(p).unwrap(), ..v };
            prop_assert!(w.score().parameters.pulse >= s.pulse);
        }
        // SpO2: lower is further from normal on both scales (on Scale 2 on oxygen, higher
        // than 92 is further too).
        if let Some(low) = v.spo2.get().checked_sub(step)
            && (v.spo2.get() <= 92 || v.spo2_scale == Spo2Scale::Scale1)
        {
            let w = Vitals { spo2: Spo2::new(low).unwrap(), ..v };
            prop_assert!(w.score().parameters.spo2 >= s.spo2);
        }
        if v.spo2_scale == Spo2Scale::Scale2
            && v.on_oxygen
            && v.spo2.get() > 92
            && let Ok(high) = Spo2::new(v.spo2.get() + step)
        {
            let w = Vitals { spo2: high, ..v };
            prop_assert!(w.score().parameters.spo2 >= s.spo2);
        }
        let t = v.temperature.tenths();
        let moved = if t < 361 { t.checked_sub(step as i16) } else if t > 380 { Some(t + step as i16) } else { None };
        if let Some(Ok(moved)) = moved.map(Temperature::from_tenths) {
            let w = Vitals { temperature: moved, ..v };
            prop_assert!(w.score().parameters.temperature >= s.temperature);
        }
    }

    #[test]
    fn partial_and_complete_scoring_agree(v in vitals(), drop in proptest::collection::vec(any::<bool>(), 7)) {
        let complete = v.score();
        let mut p = PartialVitals::from(v);
        prop_assert_eq!(p.score().to_complete(), Some(complete));
        if drop[0] { p.respiration_rate = None; }
        if drop[1] { p.spo2 = None; }
        if drop[3] { p.systolic_bp = None; }
        if drop[4] { p.pulse = None; }
        if drop[5] { p.consciousness = None; }
        if drop[6] { p.temperature = None; }
        let partial = p.score();
        // Nothing missing is ever scored: the partial total is the sum of what is known,
        // which can only be at most the complete total.
        prop_assert!(partial.total <= complete.total);
        for param in Parameter::ALL {
            let known = partial.parameters.as_array()[param.index()];
            prop_assert_eq!(known.is_none(), partial.missing.contains(param));
            if let Some(k) = known {
                prop_assert_eq!(k, complete.parameters.get(param));
            }
        }
        prop_assert!(partial.minimum_risk() <= complete.risk);
        prop_assert_eq!(partial.complete(), partial.missing.is_empty());
    }

    #[test]
    fn float_and_text_paths_agree(tenths in 0i32..600, extra in 0u8..10) {
        // x.yz with a trailing digit: the float and the exact-text path must round alike.
        let text = format!("{}.{}{}", tenths / 10, tenths % 10, extra);
        let x: f64 = text.parse().unwrap();
        prop_assert_eq!(Temperature::from_celsius(x).ok(), text.parse::<Temperature>().ok());
        prop_assert_eq!(Pulse::from_f64(x).ok(), text.parse::<Pulse>().ok());
    }

    #[test]
    fn every_cpf_base_round_trips(base in proptest::array::uniform9(0u8..10)) {
        let cpf = Cpf::from_base(base);
        match Cpf::from_digits(cpf.digits()) {
            Ok(_) => {
                prop_assert_eq!(Cpf::parse(&cpf.to_string()), Ok(cpf));
                prop_assert_eq!(Cpf::parse(&cpf.digits_str()), Ok(cpf));
            }
            // Only a repeated-digit base can give a repeated-digit CPF.
            Err(e) => {
                prop_assert_eq!(e, CpfError::RepeatedDigits);
                prop_assert!(base.iter().all(|&d| d == base[0]));
            }
        }
    }

    /// Changing one digit of a valid CPF makes it invalid, except where the mod-11 rule
    /// cannot see it: the first check digit absorbs ±1 on digits whose weight difference is
    /// 11 apart. We assert the exact rule: the changed number is valid only if both check
    /// digits still match, which we recompute independently here.
    #[test]
    fn changing_one_cpf_digit_is_caught_unless_both_checks_still_hold(
        base in proptest::array::uniform9(0u8..10), pos in 0usize..11, delta in 1u8..10,
    ) {
        let cpf = Cpf::from_base(base);
        prop_assume!(Cpf::from_digits(cpf.digits()).is_ok());
        let mut d = cpf.digits();
        d[pos] = (d[pos] + delta) % 10;
        let check = |digits: &[u8]| {
            let n = digits.len() as u32 + 1;
            let sum: u32 = digits.iter().enumerate().map(|(i, &x)| u32::from(x) * (n - i as u32)).sum();
            let r = sum % 11;
            if r < 2 { 0 } else { (11 - r) as u8 }
        };
        let still_valid = check(&d[..9]) == d[9] && check(&d[..10]) == d[10] && !d.iter().all(|&x| x == d[0]);
        prop_assert_eq!(Cpf::from_digits(d).is_ok(), still_valid);
        // A check digit itself can never change undetected.
        if pos >= 9 {
            prop_assert!(Cpf::from_digits(d).is_err());
        }
    }

    #[test]
    fn changing_one_cns_digit_is_caught_except_at_weight_11(
        digits in proptest::array::uniform14(0u8..10), first in prop::sample::select(vec![1u8, 2, 7, 8, 9]),
        pos in 0usize..15, delta in 1u8..10,
    ) {
        let mut d = [0u8; 15];
        d[0] = first;
        d[1..14].copy_from_slice(&digits[..13]);
        let sum: u32 = d[..14].iter().enumerate().map(|(i, &x)| u32::from(x) * (15 - i as u32)).sum();
        let last = (11 - sum % 11) % 11;
        prop_assume!(last < 10);
        d[14] = last as u8;
        prop_assert!(Cns::from_digits(d).is_ok());
        let mut changed = d;
        changed[pos] = (changed[pos] + delta) % 10;
        // Weight 15 − pos; a change of k at weight 11 leaves the sum mod 11 unchanged.
        let undetectable = 15 - pos == 11 && matches!(changed[0], 1 | 2 | 7 | 8 | 9);
        prop_assert_eq!(Cns::from_digits(changed).is_ok(), undetectable);
    }
}
