//! Crash: SIGKILL the server in the middle of an escalation, start it again on the same
//! database; the escalation continues at the right step, late steps are recorded late, and
//! no event is lost or duplicated.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{PASSWORD, TestServer, cpf, eventually};
use serde_json::{Value, json};

/// The built binary on `db`; returns the child and the address it printed.
fn spawn(db: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_patient-monitor"))
        .args([
            "--addr",
            "127.0.0.1:0",
            "--policy",
            &common::fixture("crash-policy.json"),
            "--db",
        ])
        .arg(db)
        .env("PATIENT_MONITOR_DEMO_PASSWORD", PASSWORD)
        .env("PATIENT_MONITOR_ARGON2_MEMORY_KIB", "256")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server binary starts");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server prints its address")
            .unwrap();
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest.trim().to_owned();
        }
    };
    // Keep draining stdout so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}

/// A client for a server started elsewhere.
async fn client_for(addr: &str) -> TestServer {
    TestServer::attach(addr.parse().unwrap())
}

fn escalation_events(events: &[Value], eid: i64) -> Vec<Value> {
    events
        .iter()
        .filter(|e| {
            e["escalation_id"] == eid && e["type"].as_str().unwrap().starts_with("escalation_")
        })
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_escalation_then_restart_resumes_at_the_right_step() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    // Policy: nurse 2 s → senior 2 s → doctor 10 s.
    let (mut child, addr) = spawn(&db);
    let s = client_for(&addr).await;
    let nurse = s.login("nurse").await;
    let pid = s
        .register(&nurse, "Crash Test", &cpf(424_242_424), "ward-a")
        .await;
    let eid = s.open_escalation(&nurse, pid).await;
    // Wait for the senior step, then kill the process without warning.
    eventually(10, || async {
        let v = s.get(&format!("/api/escalations/{eid}"), &nurse).await.body;
        (v["step"]["index"] == 1).then_some(())
    })
    .await;
    let before = s.events(&nurse, 0).await;
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    let killed_at = chrono::Utc::now();
    // Down for longer than the senior step: the doctor's step falls due while down.
    tokio::time::sleep(Duration::from_millis(3000)).await;

    let (mut child, addr) = spawn(&db);
    let s = client_for(&addr).await;
    let nurse = s.login("nurse").await;
    let doctor = s.login("doctor").await;
    let v = eventually(10, || async {
        let v = s.get(&format!("/api/escalations/{eid}"), &nurse).await.body;
        (v["step"]["index"] == 2).then_some(v)
    })
    .await;
    assert_eq!(v["state"], "notifying");
    assert_eq!(v["step"]["role"], "on_call_doctor");

    let after = s.events(&nurse, 0).await;
    // Nothing committed before the crash is lost or changed.
    assert!(after.len() > before.len());
    assert_eq!(
        &after[..before.len()],
        &before[..],
        "events before the crash are intact"
    );
    let esc = escalation_events(&after, eid);
    let seqs: Vec<i64> = esc.iter().map(|e| e["esc_seq"].as_i64().unwrap()).collect();
    assert_eq!(
        seqs,
        (1..=seqs.len() as i64).collect::<Vec<_>>(),
        "one event per sequence number, no gap, no duplicate"
    );
    let steps: Vec<&Value> = esc
        .iter()
        .filter(|e| e["type"] == "escalation_step_started")
        .collect();
    let indexes: Vec<i64> = steps
        .iter()
        .map(|e| e["data"]["step"].as_i64().unwrap())
        .collect();
    assert_eq!(indexes, vec![0, 1, 2], "each step started exactly once");
    let late = steps[2]["data"]["late_by_ms"].as_i64().unwrap();
    assert!(
        late >= 500,
        "the doctor's step fell due while the server was down and is recorded late ({late} ms)"
    );
    assert!(steps[0]["data"]["late_by_ms"].as_i64().unwrap() < 500);
    assert!(
        chrono::DateTime::parse_from_rfc3339(steps[2]["at"].as_str().unwrap()).unwrap() > killed_at
    );

    // It goes on normally: the doctor acknowledges.
    let r = s
        .post(
            &format!("/api/escalations/{eid}/acknowledge"),
            &doctor,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // Every step's notification was sent, including the one decided after the restart.
    eventually(10, || async {
        let evs = s.events(&nurse, 0).await;
        let sent = evs
            .iter()
            .filter(|e| e["type"] == "notification_sent" && e["escalation_id"] == eid)
            .count();
        (sent >= 3).then_some(())
    })
    .await;
    child.kill().unwrap();
    child.wait().unwrap();

    // The database after two lives still rebuilds to the same read models.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let live = patient_monitor::projections::digest(&conn).unwrap();
    patient_monitor::projections::rebuild(&conn).unwrap();
    assert_eq!(patient_monitor::projections::digest(&conn).unwrap(), live);
}
