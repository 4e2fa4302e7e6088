//! CNS (Cartão Nacional de Saúde), the Brazilian national health card number.

use core::fmt;
use core::str::FromStr;

use super::{DigitText, ShapeError, read_digits, write_digits};

/// A valid CNS: fifteen digits, first digit 1 or 2 (definitive) or 7, 8 or 9
/// (provisional), with Σ digitᵢ × (15 − i) divisible by 11 (the Ministry of Health rule).
///
/// Accepted shapes, after trimming surrounding whitespace: fifteen ASCII digits, or the
/// printed form `ddd dddd dddd dddd` (single spaces). Nothing else.
///
/// ```
/// use news2_core::{Cns, CnsError, CnsKind};
///
/// let cns: Cns = "898 0010 0000 0003".parse()?; // a provisional number
/// assert_eq!(cns.kind(), CnsKind::Provisional);
/// assert_eq!(cns.to_string(), "898 0010 0000 0003");
/// assert_eq!(&*cns.digits_str(), "898001000000003");
///
/// assert_eq!("".parse::<Cns>(), Err(CnsError::Empty));
/// assert_eq!("398001000000008".parse::<Cns>(), Err(CnsError::InvalidFirstDigit { found: 3 }));
/// assert!(matches!("898001000000009".parse::<Cns>(), Err(CnsError::Checksum { .. })));
/// # Ok::<(), CnsError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cns([u8; 15]);

/// Whether a CNS is definitive or provisional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum CnsKind {
    /// First digit 1 or 2.
    Definitive,
    /// First digit 7, 8 or 9.
    Provisional,
}

/// Why a text is not a valid CNS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CnsError {
    /// Nothing but whitespace.
    #[error("CNS is empty: expected 15 digits, bare or as 000 0000 0000 0000")]
    Empty,
    /// Not fifteen digits.
    #[error("CNS has {found} digits: expected 15, bare or as 000 0000 0000 0000")]
    WrongLength {
        /// How many digits were found.
        found: usize,
    },
    /// A character that does not belong at its place.
    #[error(
        "CNS has an invalid character {character:?} at position {position}: expected digits, bare or as 000 0000 0000 0000"
    )]
    InvalidCharacter {
        /// 0-based position in characters of the trimmed text.
        position: usize,
        /// The character found.
        character: char,
    },
    /// A first digit other than 1, 2, 7, 8 or 9.
    #[error("CNS starts with {found}: expected 1 or 2 (definitive) or 7, 8 or 9 (provisional)")]
    InvalidFirstDigit {
        /// The first digit.
        found: u8,
    },
    /// The weighted sum is not divisible by 11.
    #[error("CNS checksum fails: the weighted sum leaves remainder {remainder} mod 11, expected 0")]
    Checksum {
        /// The weighted sum mod 11.
        remainder: u8,
    },
}

impl CnsError {
    /// A stable snake_case name: `empty`, `wrong_length`, `invalid_character`,
    /// `invalid_first_digit`, `checksum`.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::WrongLength { .. } => "wrong_length",
            Self::InvalidCharacter { .. } => "invalid_character",
            Self::InvalidFirstDigit { .. } => "invalid_first_digit",
            Self::Checksum { .. } => "checksum",
        }
    }
}

impl From<ShapeError> for CnsError {
    fn from(e: ShapeError) -> Self {
        match e {
            ShapeError::Empty => Self::Empty,
            ShapeError::InvalidCharacter {
                position,
                character,
            } => Self::InvalidCharacter {
                position,
                character,
            },
            ShapeError::WrongLength { found } => Self::WrongLength { found },
        }
    }
}

const MASK: [(usize, char); 3] = [(3, ' '), (8, ' '), (13, ' ')];

impl Cns {
    /// Parses a CNS (see the type docs for the accepted shapes).
    pub fn parse(text: &str) -> Result<Self, CnsError> {
        let digits: [u8; 15] = read_digits(text, &MASK)?;
        Self::from_digits(digits)
    }

    /// Checks fifteen digit values (each 0–9; a larger value is a checksum failure).
    pub fn from_digits(digits: [u8; 15]) -> Result<Self, CnsError> {
        if !matches!(digits[0], 1 | 2 | 7 | 8 | 9) {
            return Err(CnsError::InvalidFirstDigit { found: digits[0] });
        }
        let sum: u32 = digits
            .iter()
            .zip((1..=15u32).rev())
            .map(|(&d, w)| u32::from(d) * w)
            .sum();
        let remainder = (sum % 11) as u8;
        if remainder != 0 || digits.iter().any(|&d| d > 9) {
            return Err(CnsError::Checksum { remainder });
        }
        Ok(Self(digits))
    }

    /// Definitive or provisional.
    pub const fn kind(&self) -> CnsKind {
        match self.0[0] {
            1 | 2 => CnsKind::Definitive,
            _ => CnsKind::Provisional,
        }
    }

    /// The fifteen digit values.
    pub const fn digits(&self) -> [u8; 15] {
        self.0
    }

    /// The digits as text, without allocating.
    pub fn digits_str(&self) -> DigitText<15> {
        DigitText::new(self.0)
    }
}

impl FromStr for Cns {
    type Err = CnsError;
    fn from_str(s: &str) -> Result<Self, CnsError> {
        Self::parse(s)
    }
}

impl fmt::Display for Cns {
    /// The printed form, `ddd dddd dddd dddd`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_digits(f, &self.0[0..3])?;
        f.write_str(" ")?;
        write_digits(f, &self.0[3..7])?;
        f.write_str(" ")?;
        write_digits(f, &self.0[7..11])?;
        f.write_str(" ")?;
        write_digits(f, &self.0[11..15])
    }
}

impl fmt::Debug for Cns {
    /// Masked except the last four digits, so logs do not leak the identifier.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cns(*** **** **** ")?;
        write_digits(f, &self.0[11..15])?;
        f.write_str(")")
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Cns {
    /// Serialised as the fifteen bare digits.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.digits_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Cns {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Cns;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a CNS, 15 digits bare or as 000 0000 0000 0000")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Cns, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_str(Visitor)
    }
}
