//! Clinical roles that steps target and that responders act in.

use alloc::{string::String, sync::Arc};
use core::{fmt, str::FromStr};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{error::InvalidRole, id::StaffId};

/// A clinical role: whom a step notifies and in which capacity someone responds.
///
/// The four roles of the NEWS2 response chain have their own variants; a hospital's other
/// roles (`pharmacist`, `rapid_response_team`, ...) are [`Role::Custom`]. In JSON a role is
/// its label: `nurse`, `senior_clinician`, `on_call_doctor`, `critical_care_outreach`, or the
/// custom label.
///
/// ```
/// use escalation_core::{InvalidRole, Role};
///
/// assert_eq!(Role::new("on_call_doctor"), Ok(Role::OnCallDoctor));
/// let pharmacist = Role::new("pharmacist").unwrap();
/// assert_eq!(pharmacist.as_str(), "pharmacist");
/// assert!(matches!(pharmacist, Role::Custom(_)));
/// assert_eq!(Role::new("Head Nurse"), Err(InvalidRole::InvalidCharacter { position: 0, found: 'H' }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// The patient's ward nurse.
    Nurse,
    /// A senior clinician: nurse in charge or registrar.
    SeniorClinician,
    /// The on-call doctor.
    OnCallDoctor,
    /// The critical care outreach team (NEWS2 emergency response).
    CriticalCareOutreach,
    /// Any other role, by its label.
    Custom(CustomRole),
}

/// The label of a role that is not one of the built-in ones: 1 to 64 bytes of `a`–`z`, `0`–`9`
/// and `_`, starting with a letter, and not a built-in label. Make one with [`Role::new`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CustomRole(Arc<str>);

impl CustomRole {
    /// The label.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Role {
    /// The longest accepted label, in bytes.
    pub const MAX_LEN: usize = 64;

    /// The built-in roles, in the order of the usual NEWS2 chain.
    pub const BUILT_IN: [Role; 4] = [
        Role::Nurse,
        Role::SeniorClinician,
        Role::OnCallDoctor,
        Role::CriticalCareOutreach,
    ];

    /// The role with this label: a built-in role if the label is one, else a custom role.
    ///
    /// # Errors
    ///
    /// [`InvalidRole`] when the label is empty, too long, or not lower-case snake case.
    pub fn new(label: &str) -> Result<Self, InvalidRole> {
        if let Some(role) = Self::BUILT_IN.iter().find(|r| r.as_str() == label) {
            return Ok(role.clone());
        }
        if label.is_empty() {
            return Err(InvalidRole::Empty);
        }
        if label.len() > Self::MAX_LEN {
            return Err(InvalidRole::TooLong {
                len: label.len(),
                max: Self::MAX_LEN,
            });
        }
        for (position, found) in label.chars().enumerate() {
            let ok = found.is_ascii_lowercase()
                || (position > 0 && (found.is_ascii_digit() || found == '_'));
            if !ok {
                return Err(InvalidRole::InvalidCharacter { position, found });
            }
        }
        Ok(Self::Custom(CustomRole(Arc::from(label))))
    }

    /// The label used in JSON and by the bindings.
    ///
    /// ```
    /// assert_eq!(escalation_core::Role::SeniorClinician.as_str(), "senior_clinician");
    /// ```
    pub fn as_str(&self) -> &str {
        match self {
            Self::Nurse => "nurse",
            Self::SeniorClinician => "senior_clinician",
            Self::OnCallDoctor => "on_call_doctor",
            Self::CriticalCareOutreach => "critical_care_outreach",
            Self::Custom(custom) => custom.as_str(),
        }
    }
}

impl FromStr for Role {
    type Err = InvalidRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::new(&text).map_err(serde::de::Error::custom)
    }
}

/// Someone who responds to an escalation: who they are and in which role they act.
/// Recorded in every acknowledgement, decline, snooze and resolution.
///
/// ```
/// use escalation_core::{Responder, Role, StaffId};
///
/// let who = Responder::new(StaffId::new("dr-ana").unwrap(), Role::OnCallDoctor);
/// assert_eq!(
///     serde_json::to_string(&who).unwrap(),
///     r#"{"staff_id":"dr-ana","role":"on_call_doctor"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Responder {
    /// Who responded.
    pub staff_id: StaffId,
    /// In which role.
    pub role: Role,
}

impl Responder {
    /// A responder.
    pub fn new(staff_id: StaffId, role: Role) -> Self {
        Self { staff_id, role }
    }
}

/// Writes roles as `a, b, c` (or `any role` for none) in error messages.
pub(crate) fn list(roles: &[Role]) -> String {
    if roles.is_empty() {
        return String::from("any role");
    }
    let mut out = String::new();
    for (i, role) in roles.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(role.as_str());
    }
    out
}
