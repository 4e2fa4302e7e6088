//! Demo mode: two wards, the `nurse`, `senior`, `doctor` and `admin` accounts, a handful of
//! patients, and a vitals simulator (one round on request, or in the background).

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::Utc;
use news2_core::{Acvpu, Pulse, RespirationRate, Spo2, Spo2Scale, SystolicBp, Temperature, Vitals};
use rusqlite::Connection;
use serde_json::{Value, json};

use crate::auth::{self, Actor, User, UserRole};
use crate::input::Obj;
use crate::patients::{self, Registration};
use crate::problem::Problem;
use crate::store::events::NewEvent;
use crate::store::{Store, WriteCtx};
use crate::vitals::{self, VitalsInput};

/// The demo wards: id and name.
pub const WARDS: [(&str, &str); 2] = [
    ("ward-a", "Ward A (medical)"),
    ("ward-b", "Ward B (surgical)"),
];

/// The demo accounts: username, role, wards.
pub fn users() -> Vec<User> {
    let w = |ws: &[&str]| ws.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    vec![
        User {
            username: "nurse".into(),
            role: UserRole::Nurse,
            wards: w(&["ward-a"]),
        },
        User {
            username: "senior".into(),
            role: UserRole::Senior,
            wards: w(&["ward-a"]),
        },
        User {
            username: "doctor".into(),
            role: UserRole::Doctor,
            wards: w(&["ward-a", "ward-b"]),
        },
        User {
            username: "admin".into(),
            role: UserRole::Admin,
            wards: w(&["ward-a", "ward-b"]),
        },
    ]
}

/// Creates the wards and (re)sets the demo accounts' password.
pub fn seed_accounts(conn: &Connection, password: &str, memory_kib: u32) -> Result<(), String> {
    for (id, name) in WARDS {
        auth::ensure_ward(conn, id, name).map_err(|e| e.to_string())?;
    }
    let hash = auth::hash_password_with(password, memory_kib)?;
    for u in users() {
        auth::upsert_user(conn, &u, &hash, Utc::now()).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// A valid CPF from nine digits (the two check digits computed).
pub fn cpf_from(base: [u8; 9]) -> String {
    let check = |digits: &[u8]| {
        let n = digits.len() + 1;
        let sum: usize = digits
            .iter()
            .enumerate()
            .map(|(i, d)| usize::from(*d) * (n - i))
            .sum();
        let r = (sum * 10) % 11;
        if r == 10 { 0 } else { r as u8 }
    };
    let mut all = base.to_vec();
    all.push(check(&all));
    all.push(check(&all));
    all.iter().map(|d| char::from(b'0' + d)).collect()
}

const PATIENTS: [(&str, [u8; 9], &str, &str); 6] = [
    (
        "Maria da Silva",
        [5, 2, 9, 9, 8, 2, 2, 4, 7],
        "1950-03-14",
        "ward-a",
    ),
    (
        "João Pereira",
        [1, 1, 1, 4, 4, 4, 7, 7, 7],
        "1962-11-02",
        "ward-a",
    ),
    (
        "Ana Souza",
        [3, 4, 5, 1, 2, 3, 8, 9, 0],
        "1978-07-21",
        "ward-a",
    ),
    (
        "Carlos Oliveira",
        [8, 7, 6, 5, 4, 3, 2, 1, 0],
        "1945-01-30",
        "ward-a",
    ),
    (
        "Beatriz Costa",
        [2, 3, 4, 5, 6, 7, 8, 9, 1],
        "1988-05-09",
        "ward-b",
    ),
    (
        "Pedro Santos",
        [9, 8, 7, 1, 2, 3, 4, 5, 6],
        "1970-09-17",
        "ward-b",
    ),
];

/// Registers the demo patients with a first normal set of vitals (inside a write job).
pub fn seed_patients(ctx: &mut WriteCtx<'_>, actor: &Actor) -> Result<usize, Problem> {
    let today = ctx.now.date_naive();
    for (name, base, birth, ward) in PATIENTS {
        let body = json!({"name": name, "cpf": cpf_from(base), "birth_date": birth, "ward": ward});
        let reg = Registration::parse(&Obj::root(body)?, today)?;
        let p = patients::register(ctx, actor, reg)?;
        let input = VitalsInput {
            vitals: normal(),
            observed_at: None,
            oxygen_defaulted: false,
        };
        vitals::record_set(
            ctx,
            actor,
            &p,
            input,
            "simulator",
            chrono::TimeDelta::hours(1),
        )?;
    }
    Ok(PATIENTS.len())
}

fn normal() -> Vitals {
    simulated(0.0, 0)
}

/// Builds a set `severity` (0 well … 1 very unwell) of the way to a deteriorating patient,
/// with a little noise from `seed`.
fn simulated(severity: f64, seed: u64) -> Vitals {
    let noise = |k: u64, span: f64| ((splitmix(seed ^ k) % 1000) as f64 / 1000.0 - 0.5) * span;
    let lerp = |a: f64, b: f64| a + (b - a) * severity;
    let whole = |x: f64| x.round().clamp(0.0, 300.0) as u16;
    // Every value below is inside the core's plausibility bounds by construction.
    Vitals {
        respiration_rate: RespirationRate::new(whole(lerp(16.0, 28.0) + noise(1, 3.0)).min(80))
            .unwrap_or(RespirationRate::new(16).expect("16 is valid")),
        spo2: Spo2::new(whole(lerp(97.0, 89.0) + noise(2, 2.0)).min(100))
            .unwrap_or(Spo2::new(96).expect("96 is valid")),
        spo2_scale: Spo2Scale::Scale1,
        on_oxygen: severity > 0.7,
        systolic_bp: SystolicBp::new(whole(lerp(122.0, 92.0) + noise(3, 10.0)))
            .unwrap_or(SystolicBp::new(120).expect("120 is valid")),
        pulse: Pulse::new(whole(lerp(74.0, 125.0) + noise(4, 8.0)))
            .unwrap_or(Pulse::new(72).expect("72 is valid")),
        consciousness: if severity > 0.9 {
            Acvpu::Confusion
        } else {
            Acvpu::Alert
        },
        temperature: Temperature::from_tenths((lerp(368.0, 390.0) + noise(5, 4.0)).round() as i16)
            .unwrap_or(Temperature::from_tenths(370).expect("37.0 is valid")),
    }
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

static ROUND: AtomicU64 = AtomicU64::new(1);

/// One round of simulated vitals for every patient `actor` sees. Most patients stay well;
/// a few deteriorate. Returns a summary per patient.
pub async fn simulate(
    store: &Store,
    actor: &Actor,
    max_age: chrono::TimeDelta,
) -> Result<Vec<Value>, Problem> {
    let round = ROUND.fetch_add(1, Ordering::Relaxed)
        ^ u64::try_from(Utc::now().timestamp_millis()).unwrap_or(0);
    let actor = actor.clone();
    store
        .write(move |ctx| {
            let wards = actor.ward_filter().map(<[String]>::to_vec);
            let list = patients::search(ctx.conn, "", wards.as_deref(), 10_000)?;
            let mut out = Vec::with_capacity(list.len());
            for p in list {
                let seed = round.wrapping_mul(31).wrapping_add(u64::try_from(p.id).unwrap_or(0));
                let roll = splitmix(seed) % 100;
                let severity = match roll {
                    0..=79 => (roll as f64) / 400.0,
                    80..=91 => 0.5,
                    _ => 0.95,
                };
                let input = VitalsInput { vitals: simulated(severity, seed), observed_at: None, oxygen_defaulted: false };
                let rec = vitals::record_set(ctx, &actor, &p, input, "simulator", max_age)?;
                out.push(json!({"patient_id": p.id, "news2": {"total": rec.news2["total"], "risk": rec.news2["risk"]}, "escalation": rec.escalation}));
            }
            Ok(out)
        })
        .await
}

/// Starts over (admin): a `demo_reset` event empties the read models (the event store and
/// the audit log keep everything), open escalations leave the board, and the demo patients
/// are registered again.
pub fn reset(ctx: &mut WriteCtx<'_>, actor: &Actor) -> Result<usize, Problem> {
    ctx.append(NewEvent {
        kind: "demo_reset".into(),
        patient_id: None,
        ward: None,
        escalation_id: None,
        esc_seq: None,
        actor: Some(actor.user.username.clone()),
        data: json!({}),
    })?;
    crate::escalation::clear(ctx);
    ctx.audit(actor.entry("demo.reset", "Demo".into(), None, None, "success"))?;
    seed_patients(ctx, actor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_cpfs_are_valid() {
        for (_, base, _, _) in PATIENTS {
            let cpf = cpf_from(base);
            assert!(news2_core::Cpf::parse(&cpf).is_ok(), "{cpf}");
        }
        assert_eq!(cpf_from([5, 2, 9, 9, 8, 2, 2, 4, 7]), "52998224725");
    }

    #[test]
    fn simulated_sets_range_from_well_to_unwell() {
        assert_eq!(normal().score().total, 0);
        assert!(simulated(0.95, 7).score().total >= 7);
    }
}
