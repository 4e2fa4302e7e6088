//! Measured values, each valid by construction: a value of one of these types is finite,
//! rounded to the chart's resolution and inside its plausibility bounds.
//!
//! | type | unit | accepted | resolution |
//! |---|---|---|---|
//! | [`RespirationRate`] | /min | 0–80 | 1 |
//! | [`Spo2`] | % | 0–100 | 1 |
//! | [`SystolicBp`] | mmHg | 0–300 | 1 |
//! | [`DiastolicBp`] | mmHg | 0–250 | 1 |
//! | [`Pulse`] | /min | 0–300 | 1 |
//! | [`Temperature`] | °C | 25.0–45.0 | 0.1 |
//!
//! The bounds are wide on purpose: a reading at the edge of survival must still be
//! scored (and scores 3), while a typing slip such as SpO2 `977` or a temperature in °F
//! is refused. Any negative number is refused, even one that rounds to zero.

use core::fmt;
use core::str::FromStr;

use crate::decimal::{round_digits, round_f64};
use crate::{Field, Snippet, VitalsError};

macro_rules! whole_measurement {
    ($(#[$doc:meta])* $name:ident($repr:ty), $field:ident, $max:literal, $example:literal) => {
        $(#[$doc])*
        ///
        /// Whole numbers; non-integer input is rounded half away from zero on its
        /// decimal representation (see the crate docs).
        ///
        /// ```
        #[doc = concat!("use news2_core::{", stringify!($name), ", Field};")]
        ///
        #[doc = concat!("let v = ", stringify!($name), "::new(", $example, ")?;")]
        #[doc = concat!("assert_eq!(v.get(), ", $example, ");")]
        #[doc = concat!("assert_eq!(", stringify!($name), "::from_f64(", $example, ".4)?, v);")]
        #[doc = concat!("assert_eq!(\"", $example, "\".parse::<", stringify!($name), ">()?, v);")]
        ///
        #[doc = concat!("let err = ", stringify!($name), "::new(", $max, " + 1).unwrap_err();")]
        #[doc = concat!("assert_eq!(err.field(), Field::", stringify!($field), ");")]
        #[doc = concat!("assert!(", stringify!($name), "::from_f64(-0.4).is_err());")]
        #[doc = concat!("assert!(", stringify!($name), "::from_f64(f64::NAN).is_err());")]
        /// # Ok::<(), news2_core::VitalsError>(())
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(try_from = "f64", into = "u16"))]
        #[repr(transparent)]
        pub struct $name($repr);

        // The stored type holds every accepted value.
        const _: () = assert!($max <= <$repr>::MAX as u16);

        impl $name {
            /// Lowest accepted value.
            pub const MIN: u16 = 0;
            /// Highest accepted value.
            pub const MAX: u16 = $max;
            /// The field this value belongs to, as named in errors.
            pub const FIELD: Field = Field::$field;

            /// A whole-number reading, checked against the bounds.
            pub const fn new(value: u16) -> Result<Self, VitalsError> {
                if value > Self::MAX {
                    return Err(VitalsError::OutOfRange {
                        field: Self::FIELD,
                        value: value as f64,
                        min: Self::MIN as f64,
                        max: Self::MAX as f64,
                    });
                }
                Ok(Self(value as $repr))
            }

            /// A reading from a float (an average, a data-frame cell), rounded half away
            /// from zero to a whole number, then checked.
            #[inline]
            pub fn from_f64(value: f64) -> Result<Self, VitalsError> {
                // Most readings are whole numbers in range, which need no rounding. The
                // cast saturates and sends NaN to 0, and neither compares equal to it.
                let whole = value as u16;
                if f64::from(whole) == value && whole <= Self::MAX {
                    return Ok(Self(whole as $repr));
                }
                let rounded = checked_round(Self::FIELD, value, 0)?;
                Self::from_scaled(value, rounded)
            }

            fn from_scaled(original: f64, rounded: i64) -> Result<Self, VitalsError> {
                if original < 0.0 || rounded < i64::from(Self::MIN) || rounded > i64::from(Self::MAX) {
                    return Err(VitalsError::OutOfRange {
                        field: Self::FIELD,
                        value: original,
                        min: f64::from(Self::MIN),
                        max: f64::from(Self::MAX),
                    });
                }
                Ok(Self(rounded as $repr))
            }

            /// The value in whole units.
            pub const fn get(self) -> u16 {
                self.0 as u16
            }
        }

        impl FromStr for $name {
            type Err = VitalsError;
            /// Parses a decimal text such as `"18"` or `"18.5"` exactly (no float
            /// on the way), with surrounding whitespace ignored.
            fn from_str(s: &str) -> Result<Self, VitalsError> {
                let (original, rounded) = parse_decimal(Self::FIELD, s, 0)?;
                Self::from_scaled(original, rounded)
            }
        }

        impl TryFrom<f64> for $name {
            type Error = VitalsError;
            fn try_from(value: f64) -> Result<Self, VitalsError> {
                Self::from_f64(value)
            }
        }

        impl From<$name> for u16 {
            fn from(v: $name) -> u16 {
                v.get()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }
    };
}

whole_measurement!(
    /// Respiration rate in breaths per minute, 0–80.
    RespirationRate(u8), RespirationRate, 80, "18"
);
whole_measurement!(
    /// Peripheral oxygen saturation in percent, 0–100.
    Spo2(u8), Spo2, 100, "96"
);
whole_measurement!(
    /// Systolic blood pressure in mmHg, 0–300.
    SystolicBp(u16), SystolicBp, 300, "120"
);
whole_measurement!(
    /// Diastolic blood pressure in mmHg, 0–250. Classified, not scored by NEWS2.
    DiastolicBp(u8), DiastolicBp, 250, "80"
);
whole_measurement!(
    /// Pulse in beats per minute, 0–300.
    Pulse(u16), Pulse, 300, "72"
);

/// Rounds a float for `field`, refusing NaN and infinities.
#[inline]
fn checked_round(field: Field, value: f64, decimals: u32) -> Result<i64, VitalsError> {
    if !value.is_finite() {
        return Err(VitalsError::NotFinite { field, value });
    }
    Ok(round_f64(value, decimals))
}

/// Parses a decimal text exactly: returns the value as a float (for error messages) and
/// the value rounded to `decimals` places.
fn parse_decimal(field: Field, text: &str, decimals: u32) -> Result<(f64, i64), VitalsError> {
    let trimmed = text.trim();
    let not_a_number = || VitalsError::NotANumber {
        field,
        text: Snippet::new(text),
    };
    let rounded = round_digits(trimmed, decimals).ok_or_else(not_a_number)?;
    let original: f64 = trimmed.parse().map_err(|_| not_a_number())?;
    Ok((original, rounded))
}

/// Body temperature in degrees Celsius, 25.0–45.0, stored in tenths of a degree.
///
/// A value that rounds to 77.0–113.0 (25–45 °C written in °F) is refused with
/// [`VitalsError::LooksLikeFahrenheit`], so a thermometer set to °F is caught rather than
/// scored as a fatal hyperthermia.
///
/// ```
/// use news2_core::{Temperature, VitalsError};
///
/// let t = Temperature::from_celsius(36.05)?; // rounds half away from zero on the decimal text
/// assert_eq!(t.tenths(), 361);
/// assert_eq!(t.to_string(), "36.1");
/// assert_eq!("36.05".parse::<Temperature>()?, t);
/// assert_eq!(Temperature::from_tenths(361)?, t);
///
/// assert!(matches!(Temperature::from_celsius(98.6), Err(VitalsError::LooksLikeFahrenheit { .. })));
/// assert!(matches!(Temperature::from_celsius(50.0), Err(VitalsError::OutOfRange { .. })));
/// # Ok::<(), VitalsError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "f64", into = "f64"))]
#[repr(transparent)]
pub struct Temperature(
    // Tenths above the minimum: the 201 accepted values fit a byte, which the scorer uses
    // as a table index with no mask or bounds check.
    u8,
);

impl Temperature {
    /// Lowest accepted value, in tenths of a degree Celsius.
    pub const MIN_TENTHS: i16 = 250;
    /// Highest accepted value, in tenths of a degree Celsius.
    pub const MAX_TENTHS: i16 = 450;
    /// The field, as named in errors.
    pub const FIELD: Field = Field::Temperature;

    /// A temperature in tenths of a degree Celsius (`371` is 37.1 °C).
    pub const fn from_tenths(tenths: i16) -> Result<Self, VitalsError> {
        if tenths < Self::MIN_TENTHS || tenths > Self::MAX_TENTHS {
            return Err(Self::out_of_range(tenths as f64 / 10.0));
        }
        Ok(Self::in_range(tenths))
    }

    /// A temperature in degrees Celsius, rounded half away from zero to 0.1 °C.
    ///
    /// ```
    /// use news2_core::Temperature;
    /// assert_eq!(Temperature::from_celsius(37.25)?.tenths(), 373);
    /// assert!(Temperature::from_celsius(f64::NAN).is_err());
    /// # Ok::<(), news2_core::VitalsError>(())
    /// ```
    #[inline]
    pub fn from_celsius(celsius: f64) -> Result<Self, VitalsError> {
        // Most readings are exact tenths: the float nearest some `tenths / 10`, whose
        // shortest decimal form has at most one decimal, so they need no rounding. The
        // cast saturates and sends NaN to 0, and no such value passes the comparison.
        let tenths = (celsius * 10.0 + 0.5) as i16;
        if f64::from(tenths) / 10.0 == celsius
            && (Self::MIN_TENTHS..=Self::MAX_TENTHS).contains(&tenths)
        {
            return Ok(Self::in_range(tenths));
        }
        let tenths = checked_round(Self::FIELD, celsius, 1)?;
        Self::from_scaled(celsius, tenths)
    }

    fn from_scaled(original: f64, tenths: i64) -> Result<Self, VitalsError> {
        if (770..=1130).contains(&tenths) {
            return Err(VitalsError::LooksLikeFahrenheit { value: original });
        }
        if original < 0.0
            || tenths < i64::from(Self::MIN_TENTHS)
            || tenths > i64::from(Self::MAX_TENTHS)
        {
            return Err(Self::out_of_range(original));
        }
        Ok(Self::in_range(tenths as i16))
    }

    /// Stores tenths already checked against the bounds.
    const fn in_range(tenths: i16) -> Self {
        Self((tenths - Self::MIN_TENTHS) as u8)
    }

    /// The stored byte, tenths above [`Self::MIN_TENTHS`] (0–200).
    #[inline(always)]
    pub(crate) const fn offset(self) -> u8 {
        self.0
    }

    const fn out_of_range(value: f64) -> VitalsError {
        VitalsError::OutOfRange {
            field: Self::FIELD,
            value,
            min: Self::MIN_TENTHS as f64 / 10.0,
            max: Self::MAX_TENTHS as f64 / 10.0,
        }
    }

    /// Tenths of a degree Celsius.
    pub const fn tenths(self) -> i16 {
        self.0 as i16 + Self::MIN_TENTHS
    }

    /// Degrees Celsius.
    pub fn celsius(self) -> f64 {
        f64::from(self.tenths()) / 10.0
    }
}

impl FromStr for Temperature {
    type Err = VitalsError;
    /// Parses a decimal text such as `"36.05"` exactly, in degrees Celsius.
    fn from_str(s: &str) -> Result<Self, VitalsError> {
        let (original, tenths) = parse_decimal(Self::FIELD, s, 1)?;
        Self::from_scaled(original, tenths)
    }
}

impl TryFrom<f64> for Temperature {
    type Error = VitalsError;
    fn try_from(value: f64) -> Result<Self, VitalsError> {
        Self::from_celsius(value)
    }
}

impl From<Temperature> for f64 {
    fn from(t: Temperature) -> f64 {
        t.celsius()
    }
}

impl fmt::Display for Temperature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tenths = self.tenths();
        write!(f, "{}.{}", tenths / 10, tenths % 10)
    }
}

/// Which SpO2 scoring scale to use.
///
/// **Scale 2 is only for patients with confirmed hypercapnic respiratory failure (for
/// example some patients with COPD), on the direction of a competent clinician, recorded
/// in the notes.** Using it for anyone else under-scores hypoxaemia. It is never chosen
/// implicitly: [`Spo2Scale::default()`] is Scale 1, and every result records the scale
/// used.
///
/// ```
/// use news2_core::Spo2Scale;
/// assert_eq!(Spo2Scale::default(), Spo2Scale::Scale1);
/// assert_eq!(Spo2Scale::from_number(2.0)?, Spo2Scale::Scale2);
/// assert!(Spo2Scale::from_number(3.0).is_err());
/// # Ok::<(), news2_core::VitalsError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[repr(u8)]
pub enum Spo2Scale {
    /// The standard scale, for every patient not prescribed Scale 2.
    #[default]
    Scale1 = 1,
    /// The hypercapnic scale (target saturation 88–92 %), only on a clinician's direction.
    Scale2 = 2,
}

impl Spo2Scale {
    /// `1` or `2`.
    pub const fn number(self) -> u8 {
        self as u8
    }

    /// The scale numbered `1` or `2`; anything else (including 1.5) is an error.
    pub fn from_number(value: f64) -> Result<Self, VitalsError> {
        if value == 1.0 {
            Ok(Self::Scale1)
        } else if value == 2.0 {
            Ok(Self::Scale2)
        } else {
            Err(VitalsError::InvalidScale { value })
        }
    }
}

impl fmt::Display for Spo2Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Spo2Scale {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.number())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Spo2Scale {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = f64::deserialize(d)?;
        Self::from_number(n).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Equal results, counting two NaN errors as equal.
    fn same<T: PartialEq>(a: Result<T, VitalsError>, b: Result<T, VitalsError>) -> bool {
        match (a, b) {
            (
                Err(VitalsError::NotFinite { field, value }),
                Err(VitalsError::NotFinite { field: f, value: v }),
            ) => field == f && value.to_bits() == v.to_bits(),
            (a, b) => a == b,
        }
    }

    /// The fast paths for whole numbers and exact tenths give what the general rounding
    /// gives, on a grid finer than the chart's resolution and at the edges.
    #[test]
    fn fast_paths_match_the_general_rounding() {
        let specials = [
            -0.0,
            -0.04,
            -1.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e300,
        ];
        let grid = (-100..=130_000).map(|i| f64::from(i) / 1000.0);
        for x in grid.chain(specials) {
            let general = checked_round(Pulse::FIELD, x, 0).and_then(|r| Pulse::from_scaled(x, r));
            assert!(same(Pulse::from_f64(x), general), "{x}");
            let general = checked_round(Temperature::FIELD, x, 1)
                .and_then(|r| Temperature::from_scaled(x, r));
            assert!(same(Temperature::from_celsius(x), general), "{x}");
        }
        for whole in 0..=u16::MAX {
            let x = f64::from(whole);
            let general = checked_round(Pulse::FIELD, x, 0).and_then(|r| Pulse::from_scaled(x, r));
            assert_eq!(Pulse::from_f64(x), general, "{x}");
        }
    }

    /// Every accepted value survives the compact storage: the getter gives it back, and
    /// order and equality follow the value.
    #[test]
    fn storage_round_trips_every_accepted_value() {
        macro_rules! whole {
            ($t:ty) => {
                let all: Vec<$t> = (<$t>::MIN..=<$t>::MAX)
                    .map(|v| <$t>::new(v).unwrap())
                    .collect();
                for (v, m) in (<$t>::MIN..).zip(&all) {
                    assert_eq!(m.get(), v);
                    assert_eq!(u16::from(*m), v);
                    assert_eq!(<$t>::from_f64(f64::from(v)), Ok(*m));
                }
                assert!(all.windows(2).all(|w| w[0] < w[1]));
            };
        }
        whole!(RespirationRate);
        whole!(Spo2);
        whole!(SystolicBp);
        whole!(DiastolicBp);
        whole!(Pulse);
        let all: Vec<Temperature> = (Temperature::MIN_TENTHS..=Temperature::MAX_TENTHS)
            .map(|t| Temperature::from_tenths(t).unwrap())
            .collect();
        for (t, m) in (Temperature::MIN_TENTHS..).zip(&all) {
            assert_eq!(m.tenths(), t);
            assert_eq!(Temperature::from_celsius(f64::from(t) / 10.0), Ok(*m));
            assert_eq!(m.to_string().parse::<Temperature>(), Ok(*m));
        }
        assert!(all.windows(2).all(|w| w[0] < w[1]));
    }
}
