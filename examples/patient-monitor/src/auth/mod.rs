//! Users, roles and wards; passwords hashed with Argon2id; the acting user of a request.

pub mod session;

use std::sync::Arc;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use escalation_core::{Responder, Role, StaffId};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::audit::AuditEntry;
use crate::problem::Problem;
use crate::store::events::fmt_time;

pub use session::{SESSION_COOKIE, Sessions};

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UserRole {
    /// Ward nurse: first step of the chain.
    Nurse,
    /// Senior clinician (nurse in charge, registrar).
    Senior,
    /// On-call doctor.
    Doctor,
    /// Administrator: every ward, demo reset, the audit export; cannot acknowledge.
    Admin,
}

impl UserRole {
    /// The label.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nurse => "nurse",
            Self::Senior => "senior",
            Self::Doctor => "doctor",
            Self::Admin => "admin",
        }
    }

    /// Parses a label.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Nurse, Self::Senior, Self::Doctor, Self::Admin]
            .into_iter()
            .find(|r| r.as_str() == s)
    }

    /// The clinical role this user responds in, if any.
    pub fn clinical(self) -> Option<Role> {
        match self {
            Self::Nurse => Some(Role::Nurse),
            Self::Senior => Some(Role::SeniorClinician),
            Self::Doctor => Some(Role::OnCallDoctor),
            Self::Admin => None,
        }
    }
}

/// A signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// Login name; also the staff id recorded on acknowledgements.
    pub username: String,
    /// Role.
    pub role: UserRole,
    /// The wards whose patients they see (every ward for an admin).
    pub wards: Vec<String>,
}

/// The user behind a request and where it came from.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The user.
    pub user: Arc<User>,
    /// The peer address.
    pub source: String,
}

impl Actor {
    /// The wards to filter on: `None` for an admin (every ward).
    pub fn ward_filter(&self) -> Option<&[String]> {
        (self.user.role != UserRole::Admin).then_some(self.user.wards.as_slice())
    }

    /// Whether the user sees this ward.
    pub fn sees(&self, ward: &str) -> bool {
        self.ward_filter()
            .is_none_or(|ws| ws.iter().any(|w| w == ward))
    }

    /// 403 unless the user sees this ward.
    pub fn require_ward(&self, ward: &str) -> Result<(), Problem> {
        if self.sees(ward) {
            Ok(())
        } else {
            Err(Problem::forbidden(format!(
                "ward {ward:?} is not one of your wards"
            )))
        }
    }

    /// 403 unless an admin.
    pub fn require_admin(&self) -> Result<(), Problem> {
        if self.user.role == UserRole::Admin {
            Ok(())
        } else {
            Err(Problem::forbidden("only an admin may do this"))
        }
    }

    /// Who acknowledges or resolves: the session's user in their clinical role.
    pub fn responder(&self) -> Result<Responder, Problem> {
        let role = self.user.role.clinical().ok_or_else(|| {
            Problem::forbidden(
                "an admin account has no clinical role and cannot respond to escalations",
            )
        })?;
        let staff =
            StaffId::new(&self.user.username).map_err(|e| Problem::internal("staff id", e))?;
        Ok(Responder::new(staff, role))
    }

    /// An audit entry by this actor.
    pub fn entry(
        &self,
        action: &str,
        resource: String,
        patient_id: Option<i64>,
        ward: Option<&str>,
        outcome: &str,
    ) -> AuditEntry {
        AuditEntry {
            actor: self.user.username.clone(),
            role: self.user.role.as_str().to_owned(),
            action: action.to_owned(),
            resource,
            patient_id,
            ward: ward.map(str::to_owned),
            outcome: outcome.to_owned(),
            source: self.source.clone(),
        }
    }

    /// The server itself (timers, dispatcher, simulator), for audit entries and events.
    pub fn system(name: &str) -> Self {
        Self {
            user: Arc::new(User {
                username: name.to_owned(),
                role: UserRole::Admin,
                wards: Vec::new(),
            }),
            source: "internal".to_owned(),
        }
    }
}

/// The default Argon2id memory cost, KiB (OWASP's minimum recommendation, 19 MiB).
pub const DEFAULT_ARGON2_MEMORY_KIB: u32 = 19 * 1024;

/// Hashes a password with Argon2id (default parameters) and a random salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, String> {
    hash_password_with(password, DEFAULT_ARGON2_MEMORY_KIB)
}

/// Hashes a password with Argon2id using `memory_kib` of memory (2 passes, 1 lane). The
/// parameters are recorded in the PHC string, so verification needs no configuration.
pub fn hash_password_with(password: &str, memory_kib: u32) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    let params = argon2::Params::new(memory_kib.max(argon2::Params::MIN_M_COST), 2, 1, None)
        .map_err(|e| e.to_string())?;
    Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Checks a password against a PHC string.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A random token: 32 bytes as hex.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    // The OS generator failing is unrecoverable for a server that must issue secrets.
    getrandom::fill(&mut b).expect("the operating system's random number generator failed");
    crate::audit::hex(&b)
}

/// A readable random password for demo accounts.
pub fn random_password() -> String {
    let t = random_token();
    format!("{}-{}-{}", &t[0..4], &t[4..8], &t[8..12])
}

/// Reads a user and their password hash.
pub fn load_user(conn: &Connection, username: &str) -> rusqlite::Result<Option<(User, String)>> {
    conn.query_row(
        "SELECT username, role, wards, password_hash FROM users WHERE username = ?1",
        [username],
        |r| {
            let wards: String = r.get(2)?;
            Ok((
                User {
                    username: r.get(0)?,
                    role: UserRole::parse(&r.get::<_, String>(1)?).unwrap_or(UserRole::Nurse),
                    wards: serde_json::from_str(&wards).unwrap_or_default(),
                },
                r.get(3)?,
            ))
        },
    )
    .optional()
}

/// Creates or replaces a user.
pub fn upsert_user(
    conn: &Connection,
    user: &User,
    password_hash: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO users (username, role, wards, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (username) DO UPDATE SET role = excluded.role, wards = excluded.wards, password_hash = excluded.password_hash",
        params![user.username, user.role.as_str(), serde_json::to_string(&user.wards).unwrap_or_default(), password_hash, fmt_time(now)],
    )?;
    Ok(())
}

/// Every ward id.
pub fn ward_ids(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    conn.prepare("SELECT id FROM wards ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect()
}

/// Whether a ward exists.
pub fn ward_exists(conn: &Connection, ward: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT 1 FROM wards WHERE id = ?1")?
        .exists([ward])
}

/// Creates a ward if absent.
pub fn ensure_ward(conn: &Connection, id: &str, name: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO wards (id, name) VALUES (?1, ?2)",
        params![id, name],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_when_right() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn admin_sees_every_ward_and_cannot_respond() {
        let admin = Actor {
            user: Arc::new(User {
                username: "admin".into(),
                role: UserRole::Admin,
                wards: vec![],
            }),
            source: "x".into(),
        };
        assert!(admin.sees("ward-z"));
        assert!(admin.responder().is_err());
        let nurse = Actor {
            user: Arc::new(User {
                username: "nurse".into(),
                role: UserRole::Nurse,
                wards: vec!["ward-a".into()],
            }),
            source: "x".into(),
        };
        assert!(nurse.sees("ward-a") && !nurse.sees("ward-b"));
        assert_eq!(nurse.responder().unwrap().role, Role::Nurse);
    }
}
