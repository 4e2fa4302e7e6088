//! The read model against the one it replaced: a table of every reading, queried the way
//! assembly queried it, fed the same random observations (out of time order, ahead of the
//! clock, sharing instants, a parameter twice in one observation), must give the same rows
//! at every time asked, including times before the latest reading (a clock set back).

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use news2_core::Parameter;
use serde_json::{Value, json};

use super::*;
use crate::store::events::{self, NewEvent};

/// The table every reading went to before, and its index, under another name.
const EVERY_READING: &str = "
CREATE TABLE every_reading (
    observation_id INTEGER NOT NULL,
    parameter      TEXT NOT NULL,
    patient_id     INTEGER NOT NULL,
    value          REAL NOT NULL,
    at             TEXT NOT NULL,
    PRIMARY KEY (observation_id, parameter)
) WITHOUT ROWID;
CREATE INDEX every_reading_latest ON every_reading (patient_id, parameter, at);";

/// How the old projection stored an observation's readings.
fn record_every_reading(conn: &Connection, table: &str, e: &EventRecord) {
    for r in e.data["readings"].as_array().unwrap() {
        conn.execute(
            &format!("INSERT OR REPLACE INTO {table} (observation_id, parameter, patient_id, value, at) VALUES (?1, ?2, ?3, ?4, ?5)"),
            params![e.id, r["parameter"].as_str(), e.patient_id, r["value"].as_f64(), r["at"].as_str()],
        )
        .unwrap();
    }
}

/// The assembly query before this read model (rows of one observation by parameter, an
/// order that query left open and that assembly does not depend on).
fn every_reading_at_or_before(
    conn: &Connection,
    table: &str,
    patient_id: i64,
    t: &str,
) -> Vec<StoredReading> {
    conn.prepare(&format!(
        "SELECT r.parameter, r.value, r.at, r.observation_id FROM {table} r
         WHERE r.patient_id = ?1 AND r.at <= ?2 AND r.at = (SELECT MAX(at) FROM {table} x
               WHERE x.patient_id = r.patient_id AND x.parameter = r.parameter AND x.at <= ?2)
         ORDER BY r.observation_id, r.parameter"
    ))
    .unwrap()
    .query_map(params![patient_id, t], StoredReading::from_row)
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

/// xorshift64: reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// A random observation at `now`: readings on whole minutes from 40 before to 5 after (so
/// instants are shared), values from a small set (so equal readings recur).
fn observation(rng: &mut Rng, now: DateTime<Utc>) -> Value {
    let minute = now.timestamp() / 60 * 60;
    let readings: Vec<Value> = (0..=rng.below(7))
        .map(|_| {
            let at = Utc
                .timestamp_opt(minute + (rng.below(46) as i64 - 40) * 60, 0)
                .unwrap();
            json!({
                "parameter": Parameter::ALL[rng.below(7) as usize].as_str(),
                "value": (1 + rng.below(3)) as f64,
                "at": fmt_time(at),
            })
        })
        .collect();
    json!({"observed_at": fmt_time(now), "source": "test", "readings": readings})
}

/// The times assembly is asked about around `now`: now, ahead, behind, long before.
fn times(rng: &mut Rng, now: DateTime<Utc>) -> [String; 4] {
    let mut minutes = |n: u64| TimeDelta::seconds(rng.below(n * 60) as i64);
    [
        now,
        now + minutes(6),
        now - minutes(50),
        now - TimeDelta::hours(2),
    ]
    .map(fmt_time)
}

/// Appends `n` random observation events for patients 1 to 3, each through `project`.
fn observe(
    conn: &Connection,
    rng: &mut Rng,
    n: usize,
    mut project: impl FnMut(&EventRecord),
    mut check: impl FnMut(i64, DateTime<Utc>, &mut Rng),
) {
    let mut now = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    for _ in 0..n {
        // Sometimes the same instant twice: two events in one millisecond.
        now += TimeDelta::seconds(rng.below(40) as i64);
        let patient = 1 + rng.below(3) as i64;
        let data = observation(rng, now);
        let e = events::insert(
            conn,
            now,
            NewEvent::patient("observation_recorded", patient, "ward-a", "test", data),
        )
        .unwrap();
        project(&e);
        check(patient, now, rng);
    }
}

#[test]
fn assembly_reads_what_a_table_of_every_reading_gave() {
    let conn = Connection::open_in_memory().unwrap();
    crate::store::schema::create(&conn).unwrap();
    conn.execute_batch(EVERY_READING).unwrap();
    let mut rng = Rng(0x5eed_1234_abcd_0042);
    // How often the cases that matter came up: ties, a time before a latest row (the
    // slow path), an ahead reading in the answer.
    let (mut asked, mut ties, mut behind, mut ahead_used) = (0, 0, 0, 0);
    observe(
        &conn,
        &mut rng,
        600,
        |e| {
            crate::projections::apply(&conn, e).unwrap();
            record_every_reading(&conn, "every_reading", e);
        },
        |patient, now, rng| {
            for t in times(rng, now) {
                let want = every_reading_at_or_before(&conn, "every_reading", patient, &t);
                assert_eq!(at_or_before(&conn, patient, &t).unwrap(), want, "at {t}");
                let count = |sql: &str| -> i64 {
                    conn.query_row(sql, params![patient, t], |r| r.get(0))
                        .unwrap()
                };
                asked += 1;
                ties += usize::from(
                    want.iter()
                        .enumerate()
                        .any(|(i, a)| want[i + 1..].iter().any(|b| b.parameter == a.parameter)),
                );
                behind += usize::from(
                    count("SELECT COUNT(*) FROM latest_readings WHERE patient_id = ?1 AND at > ?2")
                        > 0,
                );
                ahead_used += usize::from(
                    count("SELECT COUNT(*) FROM readings_ahead WHERE patient_id = ?1 AND at <= ?2")
                        > 0,
                );
            }
        },
    );
    assert_eq!(asked, 2400);
    assert!(
        ties > 20 && behind > 100 && ahead_used > 20,
        "ties {ties}, behind {behind}, ahead {ahead_used}"
    );
    let ahead: i64 = conn
        .query_row("SELECT COUNT(*) FROM readings_ahead", [], |r| r.get(0))
        .unwrap();
    let latest: i64 = conn
        .query_row("SELECT COUNT(*) FROM latest_readings", [], |r| r.get(0))
        .unwrap();
    // Kept small: a few latest rows per (patient, parameter), ahead rows of a few minutes.
    assert!((21..200).contains(&latest), "{latest} latest rows");
    assert!(ahead < 100, "{ahead} ahead rows");

    // The rows depend on the events alone: a rebuild gives them again.
    let live = crate::projections::digest(&conn).unwrap();
    crate::projections::rebuild(&conn).unwrap();
    assert_eq!(crate::projections::digest(&conn).unwrap(), live);
}

#[test]
fn a_database_from_before_migrates_to_the_same_assembly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("before.db");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(include_str!(
        "../../../tests/fixtures/schema-every-reading.sql"
    ))
    .unwrap();
    let mut rng = Rng(0x0dd_ba11_cafe_f00d);
    let mut asked = Vec::new();
    observe(
        &conn,
        &mut rng,
        400,
        |e| {
            // The projection of that version: the observation, then every reading.
            conn.execute(
                "INSERT INTO observations (id, patient_id, kind, observed_at, recorded_at, source) VALUES (?1, ?2, 'fhir', ?3, ?4, 'test')",
                params![e.id, e.patient_id, e.data["observed_at"].as_str(), fmt_time(e.at)],
            )
            .unwrap();
            record_every_reading(&conn, "readings", e);
        },
        |patient, now, rng| {
            for t in times(rng, now) {
                asked.push((patient, t));
            }
        },
    );
    let before: Vec<_> = asked
        .iter()
        .map(|(p, t)| every_reading_at_or_before(&conn, "readings", *p, t))
        .collect();
    drop(conn);

    let conn = crate::store::open_writer(&path, "full").unwrap();
    let old: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('readings', 'readings_latest')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(old, 0, "the table of every reading is dropped");
    for ((patient, t), want) in asked.iter().zip(&before) {
        assert_eq!(&at_or_before(&conn, *patient, t).unwrap(), want, "at {t}");
    }
    // Opening again changes nothing; the migrated rows are what a rebuild gives.
    let migrated = crate::projections::digest(&conn).unwrap();
    crate::store::schema::create(&conn).unwrap();
    assert_eq!(crate::projections::digest(&conn).unwrap(), migrated);
    crate::projections::rebuild(&conn).unwrap();
    assert_eq!(crate::projections::digest(&conn).unwrap(), migrated);
}

#[test]
fn complete_sets_in_time_order_overwrite_the_rows_in_place() {
    let conn = Connection::open_in_memory().unwrap();
    crate::store::schema::create(&conn).unwrap();
    conn.execute_batch(EVERY_READING).unwrap();
    let mut now = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
    for i in 0..40_i64 {
        now += TimeDelta::seconds(30);
        // Every parameter at one instant (a JSON vitals set), sometimes back-dated a little,
        // sometimes one parameter left out (a panel without it).
        let at = fmt_time(now - TimeDelta::seconds(i % 3 * 20));
        let readings: Vec<Value> = Parameter::ALL
            .iter()
            .enumerate()
            .filter(|(k, _)| i % 5 != 4 || *k != (i as usize) % 7)
            .map(
                |(k, p)| json!({"parameter": p.as_str(), "value": (i + k as i64) as f64, "at": at}),
            )
            .collect();
        let data = json!({"observed_at": at, "source": "test", "readings": readings});
        let e = events::insert(
            &conn,
            now,
            NewEvent::patient("vitals_recorded", 1, "ward-a", "test", data),
        )
        .unwrap();
        crate::projections::apply(&conn, &e).unwrap();
        record_every_reading(&conn, "every_reading", &e);
        let t = fmt_time(now);
        assert_eq!(
            at_or_before(&conn, 1, &t).unwrap(),
            every_reading_at_or_before(&conn, "every_reading", 1, &t),
            "after event {i}"
        );
    }
    let rows: i64 = conn
        .query_row("SELECT COUNT(*) FROM latest_readings", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 7);
}
