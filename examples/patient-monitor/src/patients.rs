//! Patients: registration (CPF validated and unique, optional CNS, a generated MRN), the
//! pathway stage, search by name, CPF or MRN, and the patient record with the latest
//! vitals, NEWS2 result and open escalation.

use news2_core::{Cns, Cpf};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use serde_json::{Value, json};

use crate::auth::Actor;
use crate::input::Obj;
use crate::problem::Problem;
use crate::store::events::NewEvent;
use crate::store::{Store, WriteCtx};

/// The pathway stages, in order.
pub const STAGES: [&str; 5] = ["enroll", "device", "welcome", "monitor", "reviews"];

/// A patient as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Patient {
    /// Server id.
    pub id: i64,
    /// Medical record number, generated at registration.
    pub mrn: String,
    /// Full name.
    pub name: String,
    /// CPF, 11 digits.
    pub cpf: String,
    /// CNS, 15 digits, if given.
    pub cns: Option<String>,
    /// Birth date, `YYYY-MM-DD`, if given.
    pub birth_date: Option<String>,
    /// Ward id.
    pub ward: String,
    /// Pathway stage.
    pub stage: String,
    /// When registered.
    pub registered_at: String,
    /// The open escalation's id, if any.
    pub open_escalation_id: Option<i64>,
}

const COLUMNS: &str =
    "id, mrn, name, cpf, cns, birth_date, ward, stage, registered_at, open_escalation_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Patient> {
    Ok(Patient {
        id: r.get(0)?,
        mrn: r.get(1)?,
        name: r.get(2)?,
        cpf: r.get(3)?,
        cns: r.get(4)?,
        birth_date: r.get(5)?,
        ward: r.get(6)?,
        stage: r.get(7)?,
        registered_at: r.get(8)?,
        open_escalation_id: r.get(9)?,
    })
}

/// Lower case without accents, for search.
pub fn fold(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ã' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            other => other,
        })
        .collect()
}

/// The MRN for a patient id: `MRN`, seven digits and a Luhn check digit.
pub fn mrn_for(id: i64) -> String {
    let digits = format!("{id:07}");
    let sum: u32 = digits
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    format!("MRN{digits}{}", (10 - sum % 10) % 10)
}

/// A validated registration.
#[derive(Debug, Clone)]
pub struct Registration {
    name: String,
    cpf: String,
    cns: Option<String>,
    birth_date: Option<String>,
    ward: String,
}

impl Registration {
    /// Reads and checks `{name, cpf, cns?, birth_date?, ward}`.
    pub fn parse(o: &Obj, today: chrono::NaiveDate) -> Result<Self, Problem> {
        o.deny_unknown(&["name", "cpf", "cns", "birth_date", "ward"])?;
        let name = o.text("name", 200)?;
        let cpf_text = o
            .string("cpf")?
            .ok_or_else(|| crate::input::missing("cpf"))?;
        let cpf = Cpf::parse(cpf_text).map_err(|e| {
            Problem::invalid("cpf", e.to_string())
                .with_value(crate::input::shown(&json!(cpf_text)))
                .with_code(e.kind())
                .with_expected("a valid CPF: 11 digits with correct check digits")
        })?;
        let cns = o
            .string("cns")?
            .map(|t| {
                Cns::parse(t)
                    .map(|c| c.digits_str().to_string())
                    .map_err(|e| {
                        Problem::invalid("cns", e.to_string())
                            .with_value(crate::input::shown(&json!(t)))
                            .with_code(e.kind())
                            .with_expected("a valid CNS: 15 digits passing the checksum")
                    })
            })
            .transpose()?;
        let birth_date = o
            .string("birth_date")?
            .map(|t| {
                let d = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").ok().filter(|d| t.len() == 10 && *d <= today && d.year_ce().1 >= 1900);
                d.map(|d| d.to_string()).ok_or_else(|| {
                    Problem::invalid("birth_date", format!("birth_date {t:?} is not a past date: expected YYYY-MM-DD between 1900-01-01 and today"))
                        .with_value(crate::input::shown(&json!(t)))
                        .with_code("invalid_date")
                        .with_expected("YYYY-MM-DD, not in the future")
                })
            })
            .transpose()?;
        let ward = o.text("ward", 64)?;
        Ok(Self {
            name,
            cpf: cpf.digits_str().to_string(),
            cns,
            birth_date,
            ward,
        })
    }

    /// The ward asked for.
    pub fn ward(&self) -> &str {
        &self.ward
    }
}

use chrono::Datelike;

/// Registers a patient (inside a write job): refuses a duplicate CPF, appends the event.
pub fn register(
    ctx: &mut WriteCtx<'_>,
    actor: &Actor,
    reg: Registration,
) -> Result<Patient, Problem> {
    let dup: Option<i64> = ctx
        .conn
        .prepare_cached("SELECT id FROM patients WHERE cpf = ?1")?
        .query_row([&reg.cpf], |r| r.get(0))
        .optional()?;
    if dup.is_some() {
        return Err(Problem::conflict(
            "a patient with this CPF is already registered; CPFs are unique",
        )
        .with_field("cpf")
        .with_code("duplicate"));
    }
    let id: i64 = ctx.conn.query_row(
        "SELECT COALESCE(MAX(patient_id), 0) + 1 FROM events WHERE type = 'patient_registered'",
        [],
        |r| r.get(0),
    )?;
    let mrn = mrn_for(id);
    let data = json!({
        "patient_id": id, "mrn": mrn, "name": reg.name, "cpf": reg.cpf, "cns": reg.cns,
        "birth_date": reg.birth_date, "ward": reg.ward, "stage": STAGES[0],
    });
    ctx.append(NewEvent::patient(
        "patient_registered",
        id,
        &reg.ward,
        &actor.user.username,
        data,
    ))?;
    ctx.audit(actor.entry(
        "patient.create",
        format!("Patient/{id}"),
        Some(id),
        Some(&reg.ward),
        "success",
    ))?;
    get(ctx.conn, id)?
        .ok_or_else(|| Problem::internal("registration", "patient row missing after insert"))
}

/// Moves a patient to a pathway stage.
pub fn set_stage(
    ctx: &mut WriteCtx<'_>,
    actor: &Actor,
    id: i64,
    stage: &str,
) -> Result<Patient, Problem> {
    let p = get(ctx.conn, id)?.ok_or_else(|| Problem::not_found(format!("no patient {id}")))?;
    actor.require_ward(&p.ward)?;
    if p.stage == stage {
        return Ok(p);
    }
    let data = json!({"from": p.stage, "to": stage});
    ctx.append(NewEvent::patient(
        "patient_stage_changed",
        id,
        &p.ward,
        &actor.user.username,
        data,
    ))?;
    ctx.audit(actor.entry(
        "patient.update",
        format!("Patient/{id}"),
        Some(id),
        Some(&p.ward),
        "success",
    ))?;
    get(ctx.conn, id)?.ok_or_else(|| Problem::internal("stage", "patient row missing"))
}

/// One patient.
pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<Patient>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM patients WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

/// Patients in `wards` (`None`: all) matching `q` by name, CPF digits or MRN; all when `q` is empty.
pub fn search(
    conn: &Connection,
    q: &str,
    wards: Option<&[String]>,
    limit: i64,
) -> rusqlite::Result<Vec<Patient>> {
    let q = q.trim();
    let digits: String = q.chars().filter(char::is_ascii_digit).collect();
    let wards_json = wards.map(|w| serde_json::to_string(w).unwrap_or_default());
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM patients
         WHERE (?1 IS NULL OR ward IN (SELECT value FROM json_each(?1)))
           AND (?2 = '' OR name_folded LIKE '%' || ?2 || '%' ESCAPE '\\'
                OR (?3 != '' AND cpf = ?3) OR mrn = upper(?4))
         ORDER BY ward, name_folded LIMIT ?5"
    ))?;
    let like = fold(q)
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    stmt.query_map(params![wards_json, like, digits, q, limit], from_row)?
        .collect()
}

/// The patient record: the patient, the latest vitals, the latest NEWS2 result and the open
/// escalation.
pub fn record(conn: &Connection, p: &Patient) -> rusqlite::Result<Value> {
    let vitals: Option<(i64, String, String, String)> = conn
        .prepare_cached(
            "SELECT o.id, o.observed_at, o.source, e.data FROM observations o JOIN patients p ON p.last_observation_id = o.id JOIN events e ON e.id = o.id WHERE p.id = ?1",
        )?
        .query_row([p.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    let score: Option<(i64, String)> = conn
        .prepare_cached("SELECT s.id, e.data FROM scores s JOIN patients p ON p.last_score_id = s.id JOIN events e ON e.id = s.id WHERE p.id = ?1")?
        .query_row([p.id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let escalation = match p.open_escalation_id {
        Some(id) => crate::escalation::view(conn, id)?,
        None => None,
    };
    let latest_vitals = vitals.map(|(id, observed_at, source, data)| {
        let data: Value = serde_json::from_str(&data).unwrap_or(Value::Null);
        json!({"observation_id": id, "observed_at": observed_at, "source": source,
               "vitals": data.get("vitals").cloned().unwrap_or(Value::Null),
               "readings": data.get("readings").cloned().unwrap_or(Value::Null)})
    });
    let news2 = score.map(|(id, data)| {
        crate::vitals::result_json(&serde_json::from_str(&data).unwrap_or(Value::Null), id)
    });
    Ok(
        json!({"patient": p, "latest_vitals": latest_vitals, "news2": news2, "escalation": escalation}),
    )
}

/// Looks a patient up for `actor`: 404 when absent, 403 (audited) when in another ward.
pub async fn visible(store: &Store, actor: &Actor, id: i64) -> Result<Patient, Problem> {
    let p = store
        .read(move |c| Ok(get(c, id)?))
        .await?
        .ok_or_else(|| Problem::not_found(format!("no patient {id}")))?;
    if actor.require_ward(&p.ward).is_err() {
        let entry = actor.entry(
            "patient.read",
            format!("Patient/{id}"),
            Some(id),
            Some(&p.ward),
            "denied",
        );
        store.write(move |ctx| ctx.audit(entry)).await?;
        return Err(Problem::forbidden(format!(
            "patient {id} is not in one of your wards"
        )));
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mrn_has_a_luhn_check_digit() {
        assert_eq!(mrn_for(1), "MRN00000018");
        let m = mrn_for(4242);
        assert!(m.starts_with("MRN0004242"));
        assert_eq!(m.len(), 11);
    }

    #[test]
    fn folding_ignores_case_and_accents() {
        assert_eq!(fold("José da Conceição"), "jose da conceicao");
    }
}
