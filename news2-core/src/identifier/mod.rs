//! Brazilian patient identifiers: the taxpayer number [`Cpf`](crate::Cpf), which
//! registries key people on, and the national health card number [`Cns`](crate::Cns).
//!
//! Both parsers accept exactly the documented shapes (bare digits, or the standard mask),
//! trim surrounding whitespace, and never drop a character or pad short input: a
//! validator that does either accepts numbers nobody wrote.

pub(crate) mod cns;
pub(crate) mod cpf;

/// Reads `N` digits from `text`, which is either `N` bare ASCII digits or the mask whose
/// separator is `sep` at the positions in `seps` (the mask is `N + seps.len()` long).
/// Returns the digits or the first problem, in the documented order.
pub(crate) fn read_digits<const N: usize>(
    text: &str,
    seps: &[(usize, char)],
) -> Result<[u8; N], ShapeError> {
    let text = text.trim();
    if let Some(digits) = fast_path(text.as_bytes(), seps) {
        return Ok(digits);
    }
    if text.is_empty() {
        return Err(ShapeError::Empty);
    }
    let is_sep = |c: char| seps.iter().any(|&(_, s)| s == c);
    if let Some((position, character)) = text
        .chars()
        .enumerate()
        .find(|&(_, c)| !c.is_ascii_digit() && !is_sep(c))
    {
        return Err(ShapeError::InvalidCharacter {
            position,
            character,
        });
    }
    // Only ASCII is left, so byte positions are character positions from here on.
    let bytes = text.as_bytes();
    let mut digits = [0u8; N];
    let mut count = 0usize;
    let masked = bytes.iter().any(|&b| is_sep(char::from(b)));
    if masked {
        let mask_len = N + seps.len();
        for (i, &b) in bytes.iter().enumerate().take(mask_len) {
            let expected_sep = seps.iter().find(|&&(p, _)| p == i).map(|&(_, s)| s);
            let ok = match expected_sep {
                Some(s) => char::from(b) == s,
                None => b.is_ascii_digit(),
            };
            if !ok {
                return Err(ShapeError::InvalidCharacter {
                    position: i,
                    character: char::from(b),
                });
            }
        }
        if bytes.len() != mask_len {
            let found = bytes.iter().filter(|b| b.is_ascii_digit()).count();
            return Err(ShapeError::WrongLength { found });
        }
    } else if bytes.len() != N {
        return Err(ShapeError::WrongLength { found: bytes.len() });
    }
    for &b in bytes {
        if b.is_ascii_digit() {
            digits[count] = b - b'0';
            count += 1;
        }
    }
    Ok(digits)
}

/// The two well-formed shapes, read in one pass; anything else takes the slow path, which
/// finds the precise error.
#[inline]
fn fast_path<const N: usize>(bytes: &[u8], seps: &[(usize, char)]) -> Option<[u8; N]> {
    let mut digits = [0u8; N];
    if bytes.len() == N {
        for (d, &b) in digits.iter_mut().zip(bytes) {
            *d = b.wrapping_sub(b'0');
        }
        return digits.iter().all(|&d| d <= 9).then_some(digits);
    }
    if bytes.len() != N + seps.len() {
        return None;
    }
    let mut next = 0;
    let mut bad = 0u8;
    let mut sep_index = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if sep_index < seps.len() && seps[sep_index].0 == i {
            bad |= u8::from(u32::from(b) != seps[sep_index].1 as u32);
            sep_index += 1;
        } else {
            let d = b.wrapping_sub(b'0');
            bad |= u8::from(d > 9);
            digits[next] = d;
            next += 1;
        }
    }
    (bad == 0).then_some(digits)
}

/// The shape problems both identifiers share.
pub(crate) enum ShapeError {
    Empty,
    InvalidCharacter { position: usize, character: char },
    WrongLength { found: usize },
}

/// Digits as ASCII text, for `Display` without allocation.
pub(crate) fn write_digits(f: &mut core::fmt::Formatter<'_>, digits: &[u8]) -> core::fmt::Result {
    for d in digits {
        core::fmt::Write::write_char(f, char::from(b'0' + d))?;
    }
    Ok(())
}

/// Identifier digits as ASCII text held inline; derefs to `str`, never allocates.
///
/// ```
/// let cpf: news2_core::Cpf = "52998224725".parse()?;
/// let text = cpf.digits_str();
/// assert_eq!(&*text, "52998224725");
/// assert_eq!(text.len(), 11);
/// # Ok::<(), news2_core::CpfError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DigitText<const N: usize>([u8; N]);

impl<const N: usize> DigitText<N> {
    pub(crate) fn new(digits: [u8; N]) -> Self {
        let mut bytes = [0u8; N];
        for (b, d) in bytes.iter_mut().zip(digits) {
            *b = b'0' + d;
        }
        Self(bytes)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        self
    }
}

impl<const N: usize> core::ops::Deref for DigitText<N> {
    type Target = str;
    fn deref(&self) -> &str {
        // Only ASCII digits are ever stored.
        core::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl<const N: usize> core::fmt::Debug for DigitText<N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl<const N: usize> core::fmt::Display for DigitText<N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self)
    }
}
