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

/// The byte positions of the digits in the mask `000.000.000-00`.
const MASKED_DIGITS: [usize; 11] = [0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13];

/// The digit values of a text in exactly one of the two shapes, with nothing around it;
/// `None` for anything else, which the general reader then explains.
#[inline]
fn exact_shape(bytes: &[u8]) -> Option<[u8; 11]> {
    let digits = if let Ok(bare) = <&[u8; 11]>::try_from(bytes) {
        bare.map(|b| b.wrapping_sub(b'0'))
    } else {
        let masked = <&[u8; 14]>::try_from(bytes).ok()?;
        if masked[3] != b'.' || masked[7] != b'.' || masked[11] != b'-' {
            return None;
        }
        MASKED_DIGITS.map(|i| masked[i].wrapping_sub(b'0'))
    };
    // A non-digit wrapped above 9.
    digits.iter().all(|&d| d <= 9).then_some(digits)
}

/// The two check digits of a 9-digit base (each 0–9), in one pass: the second sum
/// weighs every base digit once more than the first and adds the first check digit
/// times 2, so both come from the same two running sums.
const fn check_digits(base: &[u8; 9]) -> [u8; 2] {
    let (mut weighted, mut plain) = (0u32, 0u32);
    let mut i = 0;
    while i < 9 {
        weighted += base[i] as u32 * (10 - i as u32);
        plain += base[i] as u32;
        i += 1;
    }
    let first = check_digit(weighted);
    [first, check_digit(weighted + plain + 2 * first as u32)]
}

/// The check digit for a weighted sum: 0 when the sum mod 11 is below 2, else 11 minus it.
const fn check_digit_of_sum(sum: u32) -> u8 {
    let r = sum % 11;
    if r < 2 { 0 } else { (11 - r) as u8 }
}

/// [`check_digit_of_sum`] for every sum digits 0–9 can give (at most 585): one load
/// instead of a division and a branch that random numbers mispredict one time in five.
const CHECK_DIGIT: [u8; 1024] = {
    let mut t = [0u8; 1024];
    let mut i = 0;
    while i < t.len() {
        t[i] = check_digit_of_sum(i as u32);
        i += 1;
    }
    t
};

/// The check digit for a weighted sum of digits 0–9.
#[inline(always)]
const fn check_digit(sum: u32) -> u8 {
    // The mask changes no reachable sum; it only proves the index in bounds.
    CHECK_DIGIT[sum as usize & (CHECK_DIGIT.len() - 1)]
}

impl Cpf {
    /// Parses a CPF (see the type docs for the accepted shapes).
    #[inline]
    pub fn parse(text: &str) -> Result<Self, CpfError> {
        // A text already in an exact shape has nothing to trim, so the general reader
        // would produce these same digits.
        match exact_shape(text.as_bytes()) {
            Some(digits) => Self::check(digits),
            None => Self::parse_general(text),
        }
    }

    fn parse_general(text: &str) -> Result<Self, CpfError> {
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
        Self::check(digits)
    }

    /// The checks after the shape, for digits known to be 0–9.
    #[inline(always)]
    fn check(digits: [u8; 11]) -> Result<Self, CpfError> {
        // Most numbers differ in their first two digits, so this usually stops there.
        if digits[1..].iter().all(|&d| d == digits[0]) {
            return Err(CpfError::RepeatedDigits);
        }
        let [
            d0,
            d1,
            d2,
            d3,
            d4,
            d5,
            d6,
            d7,
            d8,
            found_first,
            found_second,
        ] = digits;
        let [first, second] = check_digits(&[d0, d1, d2, d3, d4, d5, d6, d7, d8]);
        // The second check digit is only examined once the first matches, so computing it
        // from the expected first digit is the same as from the found one.
        if found_first != first {
            return Err(CpfError::CheckDigit {
                position: 9,
                expected: first,
                found: found_first,
            });
        }
        if found_second != second {
            return Err(CpfError::CheckDigit {
                position: 10,
                expected: second,
                found: found_second,
            });
        }
        Ok(Self(digits))
    }

    /// Completes a 9-digit base with its two check digits. Digits above 9 are taken mod 10.
    /// A repeated-digit base gives a repeated-digit CPF only for `000000000`, whose
    /// check digits are `00`; that one is returned as is, so check with
    /// [`from_digits`](Self::from_digits) if the base is untrusted.
    ///
    /// ```
    /// use news2_core::Cpf;
    /// assert_eq!(Cpf::from_base([5, 2, 9, 9, 8, 2, 2, 4, 7]).to_string(), "529.982.247-25");
    /// assert_eq!(Cpf::from_base([0; 9]).digits(), [0; 11]);
    /// ```
    pub const fn from_base(base: [u8; 9]) -> Self {
        let mut d = [0u8; 11];
        let mut b = [0u8; 9];
        let mut i = 0;
        while i < 9 {
            b[i] = base[i] % 10;
            d[i] = b[i];
            i += 1;
        }
        let [first, second] = check_digits(&b);
        d[9] = first;
        d[10] = second;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The reader the exact shapes bypass.
    fn general(text: &str) -> Result<Cpf, CpfError> {
        Cpf::from_digits(read_digits(text, &MASK)?)
    }

    #[test]
    fn exact_shapes_agree_with_the_general_reader() {
        let bases = [
            [5, 2, 9, 9, 8, 2, 2, 4, 7],
            [0; 9],
            [1; 9],
            [9, 8, 7, 6, 5, 4, 3, 2, 1],
        ];
        for base in bases {
            let cpf = Cpf::from_base(base);
            for text in [cpf.to_string(), cpf.digits_str().to_string()] {
                assert_eq!(Cpf::parse(&text), general(&text), "{text:?}");
                for position in 0..text.len() {
                    for c in ['0', '3', '9', '.', '-', ' ', 'a', '/', ':', 'é', '٣'] {
                        let mut t: Vec<char> = text.chars().collect();
                        t[position] = c;
                        let t: String = t.into_iter().collect();
                        assert_eq!(Cpf::parse(&t), general(&t), "{t:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn one_pass_check_digits_match_the_definition() {
        let definition = |digits: &[u8]| {
            let n = digits.len() as u32 + 1;
            let sum: u32 = (0..)
                .zip(digits)
                .map(|(i, &d)| u32::from(d) * (n - i))
                .sum();
            check_digit_of_sum(sum)
        };
        for sum in 0..=585 {
            assert_eq!(check_digit(sum), check_digit_of_sum(sum), "{sum}");
        }
        for seed in 0u32..20_000 {
            let base: [u8; 9] =
                core::array::from_fn(|i| ((seed * 7919 + i as u32 * 104_729) / 7 % 10) as u8);
            let [first, second] = check_digits(&base);
            assert_eq!(first, definition(&base));
            let mut ten = [0u8; 10];
            ten[..9].copy_from_slice(&base);
            ten[9] = first;
            assert_eq!(second, definition(&ten));
        }
    }
}
