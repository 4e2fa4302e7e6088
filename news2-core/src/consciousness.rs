//! Level of consciousness on the ACVPU scale.

use core::fmt;
use core::str::FromStr;

use crate::{Snippet, VitalsError};

/// Level of consciousness (ACVPU). Any level other than Alert scores 3 in NEWS2,
/// including *new* confusion: chronic, known confusion is a clinical judgement the chart
/// leaves to the clinician, so this type records what was observed and is new.
///
/// Parsed from the letter or the word, case-insensitive, surrounding whitespace ignored:
/// `A`/`alert`, `C`/`confusion`/`new confusion`/`confused`, `V`/`voice`, `P`/`pain`,
/// `U`/`unresponsive`.
///
/// ```
/// use news2_core::{Acvpu, VitalsError};
///
/// assert_eq!("v".parse::<Acvpu>()?, Acvpu::Voice);
/// assert_eq!(" New Confusion ".parse::<Acvpu>()?, Acvpu::Confusion);
/// assert_eq!(Acvpu::Pain.letter(), 'P');
/// assert!(matches!("X".parse::<Acvpu>(), Err(VitalsError::InvalidConsciousness { .. })));
/// # Ok::<(), VitalsError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Acvpu {
    /// Alert.
    Alert = 0,
    /// New confusion (or new disorientation or agitation).
    Confusion = 1,
    /// Responds to voice.
    Voice = 2,
    /// Responds to pain.
    Pain = 3,
    /// Unresponsive.
    Unresponsive = 4,
}

impl Acvpu {
    /// All five, in scale order.
    pub const ALL: [Acvpu; 5] = [
        Self::Alert,
        Self::Confusion,
        Self::Voice,
        Self::Pain,
        Self::Unresponsive,
    ];

    /// The code used by columnar APIs: 0 A, 1 C, 2 V, 3 P, 4 U.
    pub const fn code(self) -> u8 {
        self as u8
    }

    /// The level with [`code`](Self::code) `code`.
    ///
    /// ```
    /// assert_eq!(news2_core::Acvpu::from_code(4), Some(news2_core::Acvpu::Unresponsive));
    /// assert_eq!(news2_core::Acvpu::from_code(5), None);
    /// ```
    pub const fn from_code(code: u8) -> Option<Self> {
        match code {
            0 => Some(Self::Alert),
            1 => Some(Self::Confusion),
            2 => Some(Self::Voice),
            3 => Some(Self::Pain),
            4 => Some(Self::Unresponsive),
            _ => None,
        }
    }

    /// The chart letter.
    pub const fn letter(self) -> char {
        match self {
            Self::Alert => 'A',
            Self::Confusion => 'C',
            Self::Voice => 'V',
            Self::Pain => 'P',
            Self::Unresponsive => 'U',
        }
    }

    /// The word, lower case.
    pub const fn word(self) -> &'static str {
        match self {
            Self::Alert => "alert",
            Self::Confusion => "confusion",
            Self::Voice => "voice",
            Self::Pain => "pain",
            Self::Unresponsive => "unresponsive",
        }
    }

    /// Whether the patient is alert.
    pub const fn is_alert(self) -> bool {
        matches!(self, Self::Alert)
    }
}

impl FromStr for Acvpu {
    type Err = VitalsError;
    fn from_str(s: &str) -> Result<Self, VitalsError> {
        // The chart letter alone is by far the most common input.
        if let &[letter] = s.as_bytes() {
            match letter.to_ascii_uppercase() {
                b'A' => return Ok(Self::Alert),
                b'C' => return Ok(Self::Confusion),
                b'V' => return Ok(Self::Voice),
                b'P' => return Ok(Self::Pain),
                b'U' => return Ok(Self::Unresponsive),
                _ => {}
            }
        }
        let t = s.trim();
        let found = Self::ALL.into_iter().find(|level| {
            let mut letter = [0u8; 4];
            t.eq_ignore_ascii_case(level.letter().encode_utf8(&mut letter))
                || t.eq_ignore_ascii_case(level.word())
        });
        let found = found.or_else(|| {
            (t.eq_ignore_ascii_case("new confusion") || t.eq_ignore_ascii_case("confused"))
                .then_some(Self::Confusion)
        });
        found.ok_or_else(|| VitalsError::InvalidConsciousness {
            text: Snippet::new(s),
        })
    }
}

impl fmt::Display for Acvpu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.letter())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Acvpu {
    /// Serialised as the chart letter, `"A"` … `"U"`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; 4];
        s.serialize_str(self.letter().encode_utf8(&mut buf))
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Acvpu {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Acvpu;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ACVPU level: A, C, V, P or U")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Acvpu, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_str(Visitor)
    }
}
