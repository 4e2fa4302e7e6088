//! The rounding rule: half away from zero, to the chart's resolution, on the value's
//! decimal representation.
//!
//! A float such as `36.05` is stored as 36.04999…; rounding the binary value would give
//! 36.0, while the person who typed `36.05` expects 36.1. So the rule works on the
//! shortest decimal representation that reads back as the same float (what Rust's
//! `Display`, Python's `repr` and JavaScript's `String` print). Only values within a
//! hair of a tie need that representation; every other value rounds the same either
//! way, so the common path is a multiply and a round.

use core::fmt::Write;

/// A rounded value in units of the resolution (whole units or tenths).
pub(crate) type Scaled = i64;

/// Far beyond any plausibility bound; keeps the arithmetic away from overflow.
const LIMIT: f64 = 1.0e12;

/// Rounds a finite `x` to `decimals` (0 or 1) places, half away from zero, on its
/// shortest decimal representation. Values beyond ±10^12 saturate: they are out of every
/// bound, and the caller reports the original value.
#[inline]
pub(crate) fn round_f64(x: f64, decimals: u32) -> Scaled {
    debug_assert!(x.is_finite());
    let scale = if decimals == 0 { 1.0 } else { 10.0 };
    let t = x * scale;
    if t >= LIMIT {
        return LIMIT as Scaled;
    }
    if t <= -LIMIT {
        return -LIMIT as Scaled;
    }
    // |t| < LIMIT, so `as` truncates exactly (no_std has no `f64::trunc`).
    let magnitude = if t < 0.0 { -t } else { t };
    let frac = magnitude - (magnitude as Scaled) as f64;
    let distance_from_tie = if frac > 0.5 { frac - 0.5 } else { 0.5 - frac };
    if distance_from_tie > 1e-6 {
        // Not near a tie: the binary and decimal values round alike.
        let r = (magnitude + 0.5) as Scaled;
        return if t < 0.0 { -r } else { r };
    }
    round_decimal_repr(x, decimals)
}

/// The slow, exact path: print the shortest representation and round its digits. Kept
/// out of line so the common path stays small enough to inline.
#[cold]
#[inline(never)]
fn round_decimal_repr(x: f64, decimals: u32) -> Scaled {
    let mut buf = Buf::new();
    if write!(buf, "{x}").is_err() {
        // Longer than the buffer: cannot happen below LIMIT, but never guess.
        let t = x * if decimals == 0 { 1.0 } else { 10.0 };
        return if t < 0.0 {
            (t - 0.5) as Scaled
        } else {
            (t + 0.5) as Scaled
        };
    }
    round_digits(buf.as_str(), decimals).unwrap_or(0)
}

/// Rounds a plain decimal text (`-?digits(.digits)?`) to `decimals` places, half away from
/// zero. Returns `None` if the text is not of that shape or is too long to be a vital.
pub(crate) fn round_digits(text: &str, decimals: u32) -> Option<Scaled> {
    let bytes = text.as_bytes();
    let (negative, rest) = match bytes.first()? {
        b'-' => (true, &bytes[1..]),
        b'+' => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    let dot = rest.iter().position(|&b| b == b'.');
    let (int_part, frac_part) = match dot {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &rest[rest.len()..]),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if dot.is_some() && frac_part.is_empty() && int_part.is_empty() {
        return None;
    }
    if !int_part.iter().chain(frac_part).all(u8::is_ascii_digit) {
        return None;
    }
    let mut value: Scaled = 0;
    for &d in int_part {
        value = value.checked_mul(10)?.checked_add(Scaled::from(d - b'0'))?;
        if value as f64 >= LIMIT {
            value = LIMIT as Scaled;
        }
    }
    for i in 0..decimals as usize {
        let d = frac_part.get(i).map_or(0, |d| d - b'0');
        value = value.checked_mul(10)?.checked_add(Scaled::from(d))?;
    }
    if frac_part.get(decimals as usize).is_some_and(|&d| d >= b'5') {
        value += 1;
    }
    Some(if negative { -value } else { value })
}

/// A small stack buffer for `write!`, so the slow path allocates nothing.
struct Buf {
    bytes: [u8; 64],
    len: usize,
}

impl Buf {
    fn new() -> Self {
        Self {
            bytes: [0; 64],
            len: 0,
        }
    }

    fn as_str(&self) -> &str {
        // Only `write_str` fills the buffer, and it copies whole `&str`s.
        core::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }
}

impl Write for Buf {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let end = self.len + s.len();
        if end > self.bytes.len() {
            return Err(core::fmt::Error);
        }
        self.bytes[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_round_away_from_zero_on_the_decimal_text() {
        assert_eq!(round_f64(36.05, 1), 361);
        assert_eq!(round_f64(35.05, 1), 351);
        assert_eq!(round_f64(38.05, 1), 381);
        assert_eq!(round_f64(39.05, 1), 391);
        assert_eq!(round_f64(0.15, 1), 2);
        assert_eq!(round_f64(-0.15, 1), -2);
        assert_eq!(round_f64(18.5, 0), 19);
        assert_eq!(round_f64(-18.5, 0), -19);
        assert_eq!(round_f64(2.5, 0), 3);
    }

    #[test]
    fn non_ties_round_to_nearest() {
        assert_eq!(round_f64(35.04, 1), 350);
        assert_eq!(round_f64(36.049, 1), 360);
        assert_eq!(round_f64(24.49, 0), 24);
        assert_eq!(round_f64(37.0, 1), 370);
        assert_eq!(round_f64(0.0, 0), 0);
        assert_eq!(round_f64(1e300, 0), LIMIT as Scaled);
        assert_eq!(round_f64(-1e300, 1), -LIMIT as Scaled);
    }

    #[test]
    fn text_rounding() {
        assert_eq!(round_digits("36.05", 1), Some(361));
        assert_eq!(round_digits("36.04999", 1), Some(360));
        assert_eq!(round_digits("37", 1), Some(370));
        assert_eq!(round_digits(".5", 0), Some(1));
        assert_eq!(round_digits("5.", 0), Some(5));
        assert_eq!(round_digits("-0.05", 1), Some(-1));
        assert_eq!(round_digits("", 1), None);
        assert_eq!(round_digits(".", 1), None);
        assert_eq!(round_digits("1e3", 0), None);
        assert_eq!(round_digits("3 6", 0), None);
        assert_eq!(
            round_digits("99999999999999999999999999", 0),
            Some(LIMIT as Scaled)
        );
    }
}
