//! What can be wrong with an observation, named by field, value and what was expected.

use core::fmt;

use crate::Field;

/// Why a value could not become part of an observation set.
///
/// Every variant names the [`Field`]; value variants carry the value as given and the
/// accepted range, so the message alone tells a clinician or an integrator what to fix.
///
/// ```
/// use news2_core::{Field, Spo2, VitalsError};
///
/// let err = Spo2::from_f64(101.0).unwrap_err();
/// assert_eq!(err.field(), Field::Spo2);
/// assert_eq!(err.kind(), "out_of_range");
/// assert_eq!(err.to_string(), "spo2 101 is out of range: expected 0–100 %");
///
/// let err = news2_core::Temperature::from_celsius(98.6).unwrap_err();
/// assert_eq!(err.kind(), "looks_like_fahrenheit");
/// assert!(err.to_string().contains("37.0 °C"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum VitalsError {
    /// The value is outside the plausible range for the field.
    #[error("{field} {value} is out of range: expected {} {}", range(.field, .min, .max), .field.unit())]
    OutOfRange {
        /// The field.
        field: Field,
        /// The value as given (before rounding).
        value: f64,
        /// Lowest accepted value.
        min: f64,
        /// Highest accepted value.
        max: f64,
    },
    /// A temperature that reads as degrees Fahrenheit.
    #[error("temperature {value} looks like degrees Fahrenheit ({celsius:.1} °C): expected degrees Celsius, 25.0–45.0 °C", celsius = fahrenheit_to_celsius(.value))]
    LooksLikeFahrenheit {
        /// The value as given.
        value: f64,
    },
    /// NaN or an infinity.
    #[error("{field} is not a finite number ({value}): expected a measured value")]
    NotFinite {
        /// The field.
        field: Field,
        /// The value as given.
        value: f64,
    },
    /// A text that is not a decimal number.
    #[error("{field} {text:?} is not a number: expected a decimal such as 36.5")]
    NotANumber {
        /// The field.
        field: Field,
        /// The start of the text as given.
        text: Snippet,
    },
    /// A consciousness level that is not on the ACVPU scale.
    #[error(
        "consciousness {text:?} is not an ACVPU level: expected A, C, V, P or U (alert, confusion, voice, pain, unresponsive)"
    )]
    InvalidConsciousness {
        /// The start of the text as given.
        text: Snippet,
    },
    /// An SpO2 scale other than 1 or 2.
    #[error("spo2_scale {value} is not a NEWS2 SpO2 scale: expected 1 or 2")]
    InvalidScale {
        /// The value as given.
        value: f64,
    },
    /// A value that is required but absent.
    #[error("{field} is missing: a missing value is never scored as normal")]
    Missing {
        /// The field.
        field: Field,
    },
}

impl VitalsError {
    /// The field that was wrong.
    pub const fn field(&self) -> Field {
        match self {
            Self::OutOfRange { field, .. }
            | Self::NotFinite { field, .. }
            | Self::NotANumber { field, .. }
            | Self::Missing { field } => *field,
            Self::LooksLikeFahrenheit { .. } => Field::Temperature,
            Self::InvalidConsciousness { .. } => Field::Consciousness,
            Self::InvalidScale { .. } => Field::Spo2Scale,
        }
    }

    /// A stable snake_case name for the kind of error, as used in the golden test files
    /// and by the bindings: `out_of_range`, `looks_like_fahrenheit`, `not_finite`,
    /// `not_a_number`, `invalid_consciousness`, `invalid_scale`, `missing`.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::OutOfRange { .. } => "out_of_range",
            Self::LooksLikeFahrenheit { .. } => "looks_like_fahrenheit",
            Self::NotFinite { .. } => "not_finite",
            Self::NotANumber { .. } => "not_a_number",
            Self::InvalidConsciousness { .. } => "invalid_consciousness",
            Self::InvalidScale { .. } => "invalid_scale",
            Self::Missing { .. } => "missing",
        }
    }

    /// A small stable numeric code for the kind (1–7; 0 is reserved for "no error"), used
    /// by columnar outputs.
    pub const fn code(&self) -> u8 {
        match self {
            Self::OutOfRange { .. } => 1,
            Self::LooksLikeFahrenheit { .. } => 2,
            Self::NotFinite { .. } => 3,
            Self::NotANumber { .. } => 4,
            Self::InvalidConsciousness { .. } => 5,
            Self::InvalidScale { .. } => 6,
            Self::Missing { .. } => 7,
        }
    }

    /// The kind names indexed by [`code`](Self::code) (index 0 is `""`, no error).
    pub const KINDS: [&'static str; 8] = [
        "",
        "out_of_range",
        "looks_like_fahrenheit",
        "not_finite",
        "not_a_number",
        "invalid_consciousness",
        "invalid_scale",
        "missing",
    ];
}

fn range(field: &Field, min: &f64, max: &f64) -> Range {
    Range {
        field: *field,
        min: *min,
        max: *max,
    }
}

fn fahrenheit_to_celsius(value: &f64) -> f64 {
    (value - 32.0) * 5.0 / 9.0
}

/// Prints a range with the field's resolution: `0–100`, `25.0–45.0`.
struct Range {
    field: Field,
    min: f64,
    max: f64,
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field == Field::Temperature {
            write!(f, "{:.1}–{:.1}", self.min, self.max)
        } else {
            write!(f, "{}–{}", self.min, self.max)
        }
    }
}

/// The first bytes of a text that was rejected, kept inline so errors never allocate.
/// Longer texts are cut at a character boundary and shown with `…`.
///
/// ```
/// use news2_core::Snippet;
/// assert_eq!(Snippet::new("alertt").as_str(), "alertt");
/// assert!(Snippet::new(&"x".repeat(100)).is_truncated());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Snippet {
    bytes: [u8; Snippet::CAPACITY],
    len: u8,
    truncated: bool,
}

impl Snippet {
    /// How many bytes are kept.
    pub const CAPACITY: usize = 32;

    /// Keeps the start of `text`.
    pub fn new(text: &str) -> Self {
        let mut end = text.len().min(Self::CAPACITY);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let mut bytes = [0; Self::CAPACITY];
        bytes[..end].copy_from_slice(&text.as_bytes()[..end]);
        Self {
            bytes,
            len: end as u8,
            truncated: end < text.len(),
        }
    }

    /// The kept text.
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }

    /// Whether the original text was longer than what is kept.
    pub const fn is_truncated(&self) -> bool {
        self.truncated
    }
}

impl fmt::Debug for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.truncated {
            write!(f, "\"{}…\"", self.as_str().escape_debug())
        } else {
            write!(f, "{:?}", self.as_str())
        }
    }
}

impl fmt::Display for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())?;
        if self.truncated {
            f.write_str("…")?;
        }
        Ok(())
    }
}
