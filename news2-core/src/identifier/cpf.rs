//! CPF (Cadastro de Pessoas Físicas), the Brazilian individual taxpayer number.

use core::fmt;
use core::str::FromStr;

use super::{DigitText, ShapeError, read_digits, write_digits};

/// A valid CPF: eleven digits whose two check digits match, not one of the ten
/// repeated-digit numbers.
///
/// Accepted shapes, after trimming surrounding whitespace: eleven ASCII digits
/// (`52998224725`) or the mask `529.982.247-25`. Nothing else: not a partial mask, not
/// inner spaces, not letters (a validator that drops them accepts `529a98224725`), not a
/// short number padded with zeros, not non-ASCII digits (fullwidth, Arabic-Indic,
/// superscript), which are reported as invalid characters.
///
/// Check digits: weights 10..2 over the first nine digits, then 11..2 over the first
/// ten; with r the weighted sum mod 11, the digit is 0 when r < 2, else 11 − r.
///
/// ```
/// use news2_core::{Cpf, CpfError};
///
/// let cpf: Cpf = "529.982.247-25".parse()?;
/// assert_eq!(cpf, " 52998224725 ".parse()?);
/// assert_eq!(cpf.to_string(), "529.982.247-25");
/// assert_eq!(cpf.digits_str().as_str(), "52998224725");
/// assert_eq!(cpf.fiscal_region(), 7);
/// assert_eq!(Cpf::from_base([5, 2, 9, 9, 8, 2, 2, 4, 7]), cpf);
///
/// assert_eq!("".parse::<Cpf>(), Err(CpfError::Empty));
/// assert_eq!("5299822472".parse::<Cpf>(), Err(CpfError::WrongLength { found: 10 }));
/// assert_eq!("529982247a5".parse::<Cpf>(), Err(CpfError::InvalidCharacter { position: 9, character: 'a' }));
/// assert_eq!("111.111.111-11".parse::<Cpf>(), Err(CpfError::RepeatedDigits));
/// assert_eq!(
///     "529.982.247-26".parse::<Cpf>(),
///     Err(CpfError::CheckDigit { position: 10, expected: 5, found: 6 })
/// );
/// # Ok::<(), CpfError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cpf([u8; 11]);

/// Why a text is not a valid CPF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CpfError {
    /// Nothing but whitespace.
    #[error("CPF is empty: expected 11 digits, bare or as 000.000.000-00")]
    Empty,
    /// Not eleven digits.
    #[error("CPF has {found} digits: expected 11, bare or as 000.000.000-00")]
    WrongLength {
        /// How many digits were found.
        found: usize,
    },
    /// A character that does not belong at its place.
    #[error(
        "CPF has an invalid character {character:?} at position {position}: expected digits, bare or as 000.000.000-00"
    )]
    InvalidCharacter {
        /// 0-based position in characters of the trimmed text.
        position: usize,
        /// The character found.
        character: char,
    },
    /// One of the ten numbers made of a single repeated digit, which pass the check-digit
    /// arithmetic but are never issued.
    #[error("CPF is a repeated-digit number, which is never issued")]
    RepeatedDigits,
    /// A check digit that does not match.
    #[error("CPF check digit at position {position} is {found}: expected {expected}")]
    CheckDigit {
        /// 0-based digit position: 9 or 10.
        position: usize,
        /// The digit the rule computes.
        expected: u8,
        /// The digit found.
        found: u8,
    },
}

impl CpfError {
    /// A stable snake_case name: `empty`, `wrong_length`, `invalid_character`,
    /// `repeated_digits`, `check_digit`.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::WrongLength { .. } => "wrong_length",
            Self::InvalidCharacter { .. } => "invalid_character",
            Self::RepeatedDigits => "repeated_digits",
            Self::CheckDigit { .. } => "check_digit",
        }
    }
}

impl From<ShapeError> for CpfError {
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

const MASK: [(usize, char); 3] = [(3, '.'), (7, '.'), (11, '-')];

/// The check digit over `digits` with weights `digits.len() + 1` down to 2.
const fn check_digit(digits: &[u8]) -> u8 {
    let mut sum = 0u32;
    let mut i = 0;
    while i < digits.len() {
        sum += digits[i] as u32 * (digits.len() + 1 - i) as u32;
        i += 1;
    }
    let r = sum % 11;
    if r < 2 { 0 } else { (11 - r) as u8 }
}

impl Cpf {
    /// Parses a CPF (see the type docs for the accepted shapes).
    pub fn parse(text: &str) -> Result<Self, CpfError> {
        let digits: [u8; 11] = read_digits(text, &MASK)?;
        Self::from_digits(digits)
    }

    /// Checks eleven digit values (each 0–9).
    ///
    /// ```
    /// use news2_core::{Cpf, CpfError};
    /// assert!(Cpf::from_digits([5, 2, 9, 9, 8, 2, 2, 4, 7, 2, 5]).is_ok());
    /// assert_eq!(Cpf::from_digits([0; 11]), Err(CpfError::RepeatedDigits));
    /// ```
    pub fn from_digits(digits: [u8; 11]) -> Result<Self, CpfError> {
        if let Some(position) = digits.iter().position(|&d| d > 9) {
            return Err(CpfError::InvalidCharacter {
                position,
                character: char::from_digit(u32::from(digits[position] % 36), 36).unwrap_or('?'),
            });
        }
        if digits.iter().all(|&d| d == digits[0]) {
            return Err(CpfError::RepeatedDigits);
        }
        for position in [9, 10] {
            let expected = check_digit(&digits[..position]);
            if digits[position] != expected {
                return Err(CpfError::CheckDigit {
                    position,
                    expected,
                    found: digits[position],
                });
            }
        }
        Ok(Self(digits))
    }

    /// Completes a 9-digit base with its two check digits. Digits above 9 are taken mod 10.
    /// A repeated-digit base gives a repeated-digit CPF only for `000000000`, whose
    /// check digits are `00`; that one is returned as is, so check with
    /// [`from_digits`](Self::from_digits) if the base is untrusted.
    pub const fn from_base(base: [u8; 9]) -> Self {
        let mut d = [0u8; 11];
        let mut i = 0;
        while i < 9 {
            d[i] = base[i] % 10;
            i += 1;
        }
        d[9] = check_digit(d.split_at(9).0);
        d[10] = check_digit(d.split_at(10).0);
        Self(d)
    }

    /// The eleven digit values.
    pub const fn digits(&self) -> [u8; 11] {
        self.0
    }

    /// The digits as text (`"52998224725"`), without allocating.
    pub fn digits_str(&self) -> DigitText<11> {
        DigitText::new(self.0)
    }

    /// The fiscal region, the ninth digit (0–9; 0 is Rio Grande do Sul, region 10).
    pub const fn fiscal_region(&self) -> u8 {
        self.0[8]
    }

    /// The states of the fiscal region.
    ///
    /// ```
    /// let cpf: news2_core::Cpf = "529.982.247-25".parse()?;
    /// assert_eq!(cpf.fiscal_region_states(), &["ES", "RJ"]);
    /// # Ok::<(), news2_core::CpfError>(())
    /// ```
    pub const fn fiscal_region_states(&self) -> &'static [&'static str] {
        match self.0[8] {
            1 => &["DF", "GO", "MS", "MT", "TO"],
            2 => &["AC", "AM", "AP", "PA", "RO", "RR"],
            3 => &["CE", "MA", "PI"],
            4 => &["AL", "PB", "PE", "RN"],
            5 => &["BA", "SE"],
            6 => &["MG"],
            7 => &["ES", "RJ"],
            8 => &["SP"],
            9 => &["PR", "SC"],
            _ => &["RS"],
        }
    }
}

impl FromStr for Cpf {
    type Err = CpfError;
    fn from_str(s: &str) -> Result<Self, CpfError> {
        Self::parse(s)
    }
}

impl fmt::Display for Cpf {
    /// The mask, `000.000.000-00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        write_digits(f, &d[0..3])?;
        f.write_str(".")?;
        write_digits(f, &d[3..6])?;
        f.write_str(".")?;
        write_digits(f, &d[6..9])?;
        f.write_str("-")?;
        write_digits(f, &d[9..11])
    }
}

impl fmt::Debug for Cpf {
    /// Masked (`Cpf(***.***.*47-25)`), so a `{:?}` in a log line never leaks a patient's
    /// identifier; use `Display` where the full number is meant to be shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cpf(***.***.*")?;
        write_digits(f, &self.0[7..9])?;
        f.write_str("-")?;
        write_digits(f, &self.0[9..11])?;
        f.write_str(")")
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Cpf {
    /// Serialised as the eleven bare digits.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.digits_str().as_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Cpf {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Cpf;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a CPF, 11 digits bare or as 000.000.000-00")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Cpf, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_str(Visitor)
    }
}
