//! Who and what an escalation is about: escalation, patient and staff identifiers.

use alloc::{string::String, sync::Arc};
use core::{fmt, str::FromStr};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::InvalidStaffId;

/// Identifies one escalation. A [`Board`](crate::Board) issues them from 1 upward and never
/// reuses one; the server stores it with every event of the escalation.
///
/// In JSON it is a bare number. Keep ids below 2^53 if JavaScript reads them (a board that
/// issues them one by one never gets there).
///
/// ```
/// use escalation_core::EscalationId;
/// let id = EscalationId::new(7);
/// assert_eq!(id.get(), 7);
/// assert_eq!(id.to_string(), "7");
/// assert_eq!(serde_json::to_string(&id).unwrap(), "7");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EscalationId(u64);

impl EscalationId {
    /// Wraps a raw id.
    pub const fn new(id: u64) -> Self {
        Self(id)
    }

    /// The raw id.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl From<u64> for EscalationId {
    fn from(id: u64) -> Self {
        Self(id)
    }
}

impl fmt::Display for EscalationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// Identifies a patient: a number the server maps to its own record (a database key, not a
/// CPF or a medical record number). A `u64` keeps every open escalation small and `Copy`;
/// the board keeps at most one open escalation per patient.
///
/// ```
/// use escalation_core::PatientId;
/// assert_eq!(PatientId::new(42).get(), 42);
/// assert_eq!(serde_json::from_str::<PatientId>("42").unwrap(), PatientId::new(42));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PatientId(u64);

impl PatientId {
    /// Wraps a raw id.
    pub const fn new(id: u64) -> Self {
        Self(id)
    }

    /// The raw id.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl From<u64> for PatientId {
    fn from(id: u64) -> Self {
        Self(id)
    }
}

impl fmt::Display for PatientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// Identifies a member of staff: a named recipient of a step, or whoever acknowledges,
/// declines, snoozes or resolves. The server's own login or badge id, as text.
///
/// 1 to 128 bytes, no control characters, no surrounding whitespace. Cloning is a
/// reference-count increment, so events that name recipients stay cheap.
///
/// ```
/// use escalation_core::{InvalidStaffId, StaffId};
///
/// let id = StaffId::new("nurse-17").unwrap();
/// assert_eq!(id.as_str(), "nurse-17");
/// assert_eq!(StaffId::new(" nurse-17"), Err(InvalidStaffId::SurroundingWhitespace));
/// assert_eq!(StaffId::new(""), Err(InvalidStaffId::Empty));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StaffId(Arc<str>);

impl StaffId {
    /// The longest accepted id, in bytes.
    pub const MAX_LEN: usize = 128;

    /// Checks and wraps a staff id.
    ///
    /// # Errors
    ///
    /// [`InvalidStaffId`] when `id` is empty, longer than [`MAX_LEN`](Self::MAX_LEN) bytes,
    /// starts or ends with whitespace, or holds a control character.
    pub fn new(id: &str) -> Result<Self, InvalidStaffId> {
        if id.is_empty() {
            return Err(InvalidStaffId::Empty);
        }
        if id.len() > Self::MAX_LEN {
            return Err(InvalidStaffId::TooLong {
                len: id.len(),
                max: Self::MAX_LEN,
            });
        }
        if id.trim() != id {
            return Err(InvalidStaffId::SurroundingWhitespace);
        }
        if let Some(position) = id.chars().position(char::is_control) {
            return Err(InvalidStaffId::ControlCharacter { position });
        }
        Ok(Self(Arc::from(id)))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for StaffId {
    type Err = InvalidStaffId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl fmt::Display for StaffId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for StaffId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for StaffId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::new(&text).map_err(serde::de::Error::custom)
    }
}
