//! The tamper-evident audit log: who did or read what, when, from where. Each entry stores
//! the SHA-256 of the previous entry and its own hash over that and its content, so
//! changing, removing or reordering any entry breaks the chain from that entry on.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::problem::Problem;
use crate::store::events::{fmt_time, parse_time};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// The user (or `system`).
    pub actor: String,
    /// Their role.
    pub role: String,
    /// What they did: `patient.read`, `vitals.create`, `escalation.acknowledge`, ...
    pub action: String,
    /// What it was done to: `Patient/12`, `Escalation/3`, `Session`.
    pub resource: String,
    /// The patient concerned, if any.
    pub patient_id: Option<i64>,
    /// The patient's ward, if any.
    pub ward: Option<String>,
    /// `success` or `denied`.
    pub outcome: String,
    /// Where the request came from (the peer address).
    pub source: String,
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredEntry {
    /// Position in the chain, from 1.
    pub id: i64,
    /// When.
    pub at: String,
    /// The entry.
    #[serde(flatten)]
    pub entry: SerdeEntry,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// [`AuditEntry`] as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub struct SerdeEntry {
    pub actor: String,
    pub role: String,
    pub action: String,
    pub resource: String,
    pub patient_id: Option<i64>,
    pub ward: Option<String>,
    pub outcome: String,
    pub source: String,
}

/// The hash of an entry: SHA-256 over the previous hash and a canonical JSON array of the
/// entry's id, time and fields.
pub fn entry_hash(prev: &str, id: i64, at: &str, e: &SerdeEntry) -> String {
    let content = json!([
        id,
        at,
        e.actor,
        e.role,
        e.action,
        e.resource,
        e.patient_id,
        e.ward,
        e.outcome,
        e.source
    ]);
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(content.to_string().as_bytes());
    hex(&h.finalize())
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The chain head the writer appends to.
#[derive(Debug, Clone)]
pub struct Chain {
    last_id: i64,
    last_hash: String,
}

/// A saved chain head, to undo a refused job's entries.
#[derive(Debug, Clone)]
pub struct Mark(i64, String);

impl Chain {
    /// Reads the head from the database.
    pub fn load(conn: &Connection) -> rusqlite::Result<Self> {
        let head = conn.query_row(
            "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        );
        match head {
            Ok((last_id, last_hash)) => Ok(Self { last_id, last_hash }),
            Err(rusqlite::Error::QueryReturnedNoRows) => Ok(Self {
                last_id: 0,
                last_hash: GENESIS.to_owned(),
            }),
            Err(e) => Err(e),
        }
    }

    /// The current head.
    pub fn mark(&self) -> Mark {
        Mark(self.last_id, self.last_hash.clone())
    }

    /// Goes back to a head (the entries after it were rolled back).
    pub fn reset(&mut self, mark: Mark) {
        self.last_id = mark.0;
        self.last_hash = mark.1;
    }

    /// Appends an entry.
    pub fn append(
        &mut self,
        conn: &Connection,
        now: DateTime<Utc>,
        e: AuditEntry,
    ) -> Result<(), Problem> {
        let id = self.last_id + 1;
        let at = fmt_time(now);
        let e = SerdeEntry {
            actor: e.actor,
            role: e.role,
            action: e.action,
            resource: e.resource,
            patient_id: e.patient_id,
            ward: e.ward,
            outcome: e.outcome,
            source: e.source,
        };
        let hash = entry_hash(&self.last_hash, id, &at, &e);
        let mut stmt = conn.prepare_cached(
            "INSERT INTO audit (id, at, actor, role, action, resource, patient_id, ward, outcome, source, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?;
        stmt.execute(params![
            id,
            at,
            e.actor,
            e.role,
            e.action,
            e.resource,
            e.patient_id,
            e.ward,
            e.outcome,
            e.source,
            self.last_hash,
            hash
        ])?;
        self.last_id = id;
        self.last_hash = hash;
        Ok(())
    }
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// Whether every link holds.
    pub ok: bool,
    /// How many entries were checked.
    pub entries: i64,
    /// The id of the first entry whose link or content does not match, if any.
    pub first_broken: Option<i64>,
    /// Why it is broken.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

fn read_entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredEntry> {
    Ok(StoredEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        entry: SerdeEntry {
            actor: r.get(2)?,
            role: r.get(3)?,
            action: r.get(4)?,
            resource: r.get(5)?,
            patient_id: r.get(6)?,
            ward: r.get(7)?,
            outcome: r.get(8)?,
            source: r.get(9)?,
        },
        prev_hash: r.get(10)?,
        hash: r.get(11)?,
    })
}

const COLUMNS: &str =
    "id, at, actor, role, action, resource, patient_id, ward, outcome, source, prev_hash, hash";

/// Walks the whole chain and reports the first broken link.
pub fn verify(conn: &Connection) -> rusqlite::Result<Verification> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit ORDER BY id"))?;
    let mut rows = stmt.query([])?;
    let (mut prev, mut expected_id, mut entries) = (GENESIS.to_owned(), 1_i64, 0_i64);
    while let Some(row) = rows.next()? {
        let e = read_entry(row)?;
        entries += 1;
        let reason = if e.id != expected_id {
            Some(format!(
                "entry {} follows entry {}: an entry is missing",
                e.id,
                expected_id - 1
            ))
        } else if e.prev_hash != prev {
            Some(format!(
                "entry {} does not link to the hash of the entry before it",
                e.id
            ))
        } else if entry_hash(&prev, e.id, &e.at, &e.entry) != e.hash {
            Some(format!(
                "entry {} does not match its own hash: its content was changed",
                e.id
            ))
        } else {
            None
        };
        if let Some(reason) = reason {
            return Ok(Verification {
                ok: false,
                entries,
                first_broken: Some(e.id),
                reason: Some(reason),
            });
        }
        prev = e.hash;
        expected_id += 1;
    }
    Ok(Verification {
        ok: true,
        entries,
        first_broken: None,
        reason: None,
    })
}

/// Entries after `after`, oldest first.
pub fn page(conn: &Connection, after: i64, limit: i64) -> rusqlite::Result<Vec<StoredEntry>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM audit WHERE id > ?1 ORDER BY id LIMIT ?2"
    ))?;
    stmt.query_map(params![after, limit], read_entry)?.collect()
}

/// An entry as a FHIR R4 AuditEvent.
pub fn to_fhir(e: &StoredEntry) -> Value {
    let (type_code, type_display) = ("rest", "RESTful Operation");
    let action = match e.entry.action.rsplit('.').next() {
        Some("read" | "list" | "search" | "export") => "R",
        Some("create" | "register" | "record" | "login") => "C",
        Some("delete" | "logout") => "D",
        _ => "U",
    };
    let outcome = if e.entry.outcome == "success" {
        "0"
    } else {
        "4"
    };
    let recorded = parse_time(&e.at)
        .map(fmt_time)
        .unwrap_or_else(|_| e.at.clone());
    let mut entity = vec![json!({"what": {"reference": e.entry.resource}})];
    if let Some(pid) = e.entry.patient_id {
        entity.push(json!({"what": {"reference": format!("Patient/{pid}")}, "role": {"system": "http://terminology.hl7.org/CodeSystem/object-role", "code": "1", "display": "Patient"}}));
    }
    json!({
        "resourceType": "AuditEvent",
        "id": e.id.to_string(),
        "type": {"system": "http://terminology.hl7.org/CodeSystem/audit-event-type", "code": type_code, "display": type_display},
        "subtype": [{"system": "urn:patient-monitor:action", "code": e.entry.action}],
        "action": action,
        "recorded": recorded,
        "outcome": outcome,
        "agent": [{
            "who": {"identifier": {"system": "urn:patient-monitor:user", "value": e.entry.actor}},
            "role": [{"text": e.entry.role}],
            "requestor": true,
            "network": {"address": e.entry.source, "type": "2"}
        }],
        "source": {"observer": {"display": "patient-monitor"}},
        "entity": entity,
        "extension": [{"url": "urn:patient-monitor:hash-chain", "extension": [
            {"url": "prev", "valueString": e.prev_hash},
            {"url": "hash", "valueString": e.hash}
        ]}]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: &str) -> AuditEntry {
        AuditEntry {
            actor: "nurse".into(),
            role: "nurse".into(),
            action: action.into(),
            resource: "Patient/1".into(),
            patient_id: Some(1),
            ward: Some("ward-a".into()),
            outcome: "success".into(),
            source: "127.0.0.1".into(),
        }
    }

    #[test]
    fn chain_detects_a_changed_entry() {
        let conn = Connection::open_in_memory().unwrap();
        crate::store::schema::create(&conn).unwrap();
        let mut chain = Chain::load(&conn).unwrap();
        for a in ["patient.read", "vitals.create", "patient.read"] {
            chain.append(&conn, Utc::now(), entry(a)).unwrap();
        }
        assert_eq!(
            verify(&conn).unwrap(),
            Verification {
                ok: true,
                entries: 3,
                first_broken: None,
                reason: None
            }
        );
        conn.execute_batch("DROP TRIGGER audit_append_only_update; UPDATE audit SET actor = 'mallory' WHERE id = 2").unwrap();
        let v = verify(&conn).unwrap();
        assert!(!v.ok);
        assert_eq!(v.first_broken, Some(2));
        let reloaded = Chain::load(&conn).unwrap();
        assert_eq!(reloaded.last_id, 3);
    }
}
