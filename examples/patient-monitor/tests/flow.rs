//! The reference flow end to end, FHIR in and out, device readings (fresh, stale, missing),
//! and the projection rebuild.

mod common;

use common::{TestServer, cpf, eventually, high_vitals, normal_vitals};
use serde_json::{Value, json};

fn kinds(events: &[Value]) -> Vec<&str> {
    events.iter().filter_map(|e| e["type"].as_str()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reference_flow_register_alert_escalate_acknowledge_resolve() {
    let s = TestServer::start().await;
    let nurse = s.login("nurse").await;
    let doctor = s.login("doctor").await;
    let start = s
        .events(&nurse, 0)
        .await
        .last()
        .and_then(|e| e["id"].as_i64())
        .unwrap_or(0);

    let pid = s
        .register(&nurse, "Helena Duarte", &cpf(123_456_789), "ward-a")
        .await;
    let r = s
        .post(
            &format!("/api/patients/{pid}/vitals"),
            &nurse,
            high_vitals(),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["news2"]["risk"], "high");
    assert!(r.body["news2"]["total"].as_i64().unwrap() >= 7);
    assert_eq!(r.body["news2"]["parameters"]["respiration_rate"], 3);
    let esc = &r.body["escalation"];
    assert_eq!(esc["state"], "notifying");
    assert_eq!(esc["step"]["index"], 0);
    assert_eq!(esc["step"]["role"], "nurse");
    assert!(esc["step"]["deadline"].is_string());
    let eid = esc["id"].as_i64().unwrap();

    // The fast test policy: nurse 1 s → senior 1 s → doctor 1 s.
    let stepped = eventually(5, || async {
        let v = s.get(&format!("/api/escalations/{eid}"), &nurse).await.body;
        (v["step"]["index"].as_i64() >= Some(1)).then_some(v)
    })
    .await;
    assert_eq!(stepped["step"]["role"], "senior_clinician");

    // The doctor acknowledges; the actor comes from the session, not the body.
    let r = s
        .call(
            "POST",
            &format!("/api/escalations/{eid}/acknowledge"),
            Some(&doctor),
            Some(json!({"by": "someone-else"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["state"], "acknowledged");
    assert_eq!(r.body["acknowledged"]["by"], "doctor");
    assert_eq!(r.body["acknowledged"]["role"], "on_call_doctor");
    let open = s.get("/api/escalations?state=open", &nurse).await;
    assert!(
        open.body["escalations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == eid)
    );

    let r = s
        .post(
            &format!("/api/escalations/{eid}/resolve"),
            &nurse,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["state"], "resolved");
    assert_eq!(r.body["resolved"]["by"], "nurse");
    let open = s.get("/api/escalations?state=open", &nurse).await;
    assert!(
        !open.body["escalations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == eid)
    );

    // The patient record shows the latest vitals and result, and no open escalation.
    let rec = s.get(&format!("/api/patients/{pid}"), &nurse).await;
    assert_eq!(rec.status, 200);
    assert_eq!(rec.body["news2"]["risk"], "high");
    assert_eq!(rec.body["latest_vitals"]["vitals"]["pulse"], 125);
    assert!(rec.body["escalation"].is_null());

    // The event log shows each step with its actor.
    let evs: Vec<Value> = s
        .events(&nurse, start)
        .await
        .into_iter()
        .filter(|e| e["patient_id"] == pid)
        .collect();
    let k = kinds(&evs);
    let pos = |t: &str| {
        k.iter()
            .position(|x| *x == t)
            .unwrap_or_else(|| panic!("no {t} in {k:?}"))
    };
    assert!(pos("patient_registered") < pos("vitals_recorded"));
    assert!(pos("vitals_recorded") < pos("score_computed"));
    assert!(pos("score_computed") < pos("alert_triggered"));
    assert!(pos("alert_triggered") < pos("escalation_triggered"));
    assert!(pos("escalation_triggered") < pos("escalation_step_started"));
    assert!(pos("escalation_step_started") < pos("escalation_acknowledged"));
    assert!(pos("escalation_acknowledged") < pos("escalation_resolved"));
    let actor = |t: &str| {
        evs.iter()
            .find(|e| e["type"] == t)
            .map(|e| e["actor"].clone())
            .unwrap()
    };
    assert_eq!(actor("vitals_recorded"), "nurse");
    assert_eq!(actor("escalation_acknowledged"), "doctor");
    assert_eq!(actor("escalation_resolved"), "nurse");
    let steps: Vec<_> = evs
        .iter()
        .filter(|e| e["type"] == "escalation_step_started")
        .map(|e| e["data"]["target"]["role"].clone())
        .collect();
    assert_eq!(steps[..2], [json!("nurse"), json!("senior_clinician")]);
    let notified = eventually(5, || async {
        let evs = s.events(&nurse, start).await;
        let n = evs
            .iter()
            .filter(|e| e["type"] == "notification_sent" && e["escalation_id"] == eid)
            .count();
        (n >= 2).then_some(n)
    })
    .await;
    assert!(notified >= 2);
    // Ids only grow.
    let ids: Vec<i64> = evs.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]));

    // The audit chain holds and names every actor.
    let admin = s.login("admin").await;
    let v = s.get("/api/audit/verify", &admin).await;
    assert_eq!(v.body["ok"], true, "{}", v.text);
    assert!(v.body["first_broken"].is_null());
    let audit = s.audit(&admin).await;
    let has = |actor: &str, action: &str| {
        audit
            .iter()
            .any(|e| e["actor"] == actor && e["action"] == action && e["patient_id"] == pid)
    };
    assert!(has("nurse", "patient.create"));
    assert!(has("nurse", "vitals.create"));
    assert!(has("doctor", "escalation.acknowledge"));
    assert!(has("nurse", "escalation.resolve"));
    assert!(has("nurse", "patient.read"));
    let fhir = s.get("/fhir/AuditEvent?after=0", &admin).await;
    assert_eq!(fhir.body["resourceType"], "Bundle");
    assert_eq!(
        fhir.body["entry"][0]["resource"]["resourceType"],
        "AuditEvent"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unanswered_chain_ends_unanswered_and_a_low_score_raises_nothing() {
    let s = TestServer::start().await;
    let nurse = s.login("nurse").await;
    let pid = s
        .register(&nurse, "Rui Barbosa", &cpf(222_333_444), "ward-a")
        .await;
    let r = s
        .post(
            &format!("/api/patients/{pid}/vitals"),
            &nurse,
            normal_vitals(),
        )
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(
        (
            r.body["news2"]["total"].clone(),
            r.body["news2"]["risk"].clone()
        ),
        (json!(0), json!("low"))
    );
    assert!(r.body["escalation"].is_null());
    // A single red parameter alerts even when the total is low (reference rule).
    let mut v = normal_vitals();
    v["consciousness"] = json!("V");
    let r = s
        .post(&format!("/api/patients/{pid}/vitals"), &nurse, v)
        .await;
    assert_eq!(r.body["news2"]["risk"], "low-medium");
    let eid = r.body["escalation"]["id"]
        .as_i64()
        .expect("escalation for a red score");
    let done = eventually(8, || async {
        let v = s.get(&format!("/api/escalations/{eid}"), &nurse).await.body;
        (v["state"] == "unanswered").then_some(v)
    })
    .await;
    assert_eq!(done["step"]["role"], "on_call_doctor");
    s.stop().await;
}

fn obs(pid: i64, code: (&str, &str), value: Value, at: &str) -> Value {
    let mut o = json!({
        "resourceType": "Observation", "status": "final",
        "code": {"coding": [{"system": code.0, "code": code.1}]},
        "subject": {"reference": format!("Patient/{pid}")},
        "effectiveDateTime": at,
    });
    for (k, x) in value.as_object().unwrap() {
        o[k] = x.clone();
    }
    o
}

fn q(value: f64, code: &str) -> Value {
    json!({"valueQuantity": {"value": value, "system": "http://unitsofmeasure.org", "code": code}})
}

fn full_panel(pid: i64, at: &str, temp_f: f64) -> Vec<Value> {
    const L: &str = "http://loinc.org";
    const S: &str = "http://snomed.info/sct";
    vec![
        obs(pid, (L, "9279-1"), q(18.0, "/min"), at),
        obs(pid, (L, "59408-5"), q(97.0, "%"), at),
        obs(pid, (L, "3151-8"), q(0.0, "L/min"), at),
        obs(
            pid,
            (L, "85354-9"),
            json!({"component": [
                {"code": {"coding": [{"system": L, "code": "8480-6"}]}, "valueQuantity": {"value": 121, "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}},
                {"code": {"coding": [{"system": L, "code": "8462-4"}]}, "valueQuantity": {"value": 80, "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}}
            ]}),
            at,
        ),
        obs(pid, (L, "8867-4"), q(72.0, "/min"), at),
        obs(
            pid,
            (S, "1104441000000107"),
            json!({"valueCodeableConcept": {"coding": [{"system": S, "code": "248234008"}]}}),
            at,
        ),
        obs(pid, (L, "8310-5"), q(temp_f, "[degF]"), at),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fhir_bundle_in_news2_observation_out_and_device_readings() {
    let s = TestServer::start().await;
    let nurse = s.login("nurse").await;
    let pid = s
        .register(&nurse, "Iara Mendes", &cpf(555_666_777), "ward-a")
        .await;
    let now = chrono::Utc::now();
    let at = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let entries: Vec<Value> = full_panel(pid, &at, 98.6)
        .into_iter()
        .map(|r| json!({"resource": r}))
        .collect();
    let bundle = json!({"resourceType": "Bundle", "type": "transaction", "entry": entries});
    let r = s
        .raw(
            "POST",
            "/fhir",
            &[
                ("content-type", "application/fhir+json"),
                ("authorization", &format!("Bearer {nurse}")),
            ],
            bundle.to_string().into_bytes(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["type"], "transaction-response");
    assert_eq!(r.body["entry"].as_array().unwrap().len(), 8);
    assert_eq!(r.body["entry"][0]["response"]["status"], "201 Created");

    let search = s
        .get(&format!("/fhir/Observation?patient={pid}"), &nurse)
        .await;
    assert_eq!(search.status, 200, "{}", search.text);
    let news2 = &search.body["entry"][0]["resource"];
    assert_eq!(news2["code"]["coding"][0]["code"], "1104051000000101");
    assert_eq!(
        news2["code"]["coding"][0]["system"],
        "http://snomed.info/sct"
    );
    assert_eq!(
        news2["valueInteger"], 0,
        "98.6 °F is 37.0 °C and scores 0: {news2}"
    );
    assert_eq!(news2["subject"]["reference"], format!("Patient/{pid}"));
    let derived = news2["derivedFrom"].as_array().unwrap();
    assert_eq!(derived.len(), 7, "{news2}");
    let first = derived[0]["reference"].as_str().unwrap().to_owned();
    let input = s.get(&format!("/fhir/{first}"), &nurse).await;
    assert_eq!(input.status, 200, "{}", input.text);
    assert_eq!(input.body["resourceType"], "Observation");

    // One device reading later: the pulse is new, the rest still fresh → scored again.
    let later =
        (now + chrono::TimeDelta::seconds(1)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let one = obs(
        pid,
        ("http://loinc.org", "8867-4"),
        q(135.0, "/min"),
        &later,
    );
    let r = s
        .raw(
            "POST",
            "/fhir/Observation",
            &[
                ("content-type", "application/fhir+json"),
                ("authorization", &format!("Bearer {nurse}")),
            ],
            one.to_string().into_bytes(),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert!(
        r.headers["x-news2-result"]
            .to_str()
            .unwrap()
            .starts_with("Observation/news2-")
    );
    let rec = s.get(&format!("/api/patients/{pid}"), &nurse).await;
    assert_eq!(rec.body["news2"]["parameters"]["pulse"], 3);
    assert_eq!(rec.body["news2"]["complete"], true);
    assert!(
        rec.body["escalation"]["id"].is_number(),
        "a pulse scoring 3 alerts"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_and_missing_readings_are_never_scored_silently() {
    let s = TestServer::start_with(|c| c.max_age_minutes = 30).await;
    let nurse = s.login("nurse").await;
    let pid = s
        .register(&nurse, "Otávio Reis", &cpf(777_888_999), "ward-a")
        .await;
    let now = chrono::Utc::now();
    let old =
        (now - chrono::TimeDelta::hours(2)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let fresh = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    // Everything two hours old, then a fresh SpO2: the old ones are stale.
    let mut entries: Vec<Value> = full_panel(pid, &old, 98.6)
        .into_iter()
        .map(|r| json!({"resource": r}))
        .collect();
    entries.truncate(6); // no temperature at all: missing
    let bundle = json!({"resourceType": "Bundle", "type": "batch", "entry": entries});
    let r = s.post("/fhir", &nurse, bundle).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let one = obs(pid, ("http://loinc.org", "2708-6"), q(95.0, "%"), &fresh);
    let r = s.post("/fhir/Observation", &nurse, one).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.headers["x-news2-result"], "incomplete");
    let rec = s.get(&format!("/api/patients/{pid}"), &nurse).await.body;
    let n = &rec["news2"];
    assert_eq!(n["complete"], false, "{n}");
    assert_eq!(n["missing"], json!(["temperature"]));
    let stale: Vec<&str> = n["stale_parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        stale.contains(&"pulse") && stale.contains(&"respiration_rate"),
        "{n}"
    );
    assert!(!stale.contains(&"spo2"));
    // No complete NEWS2 result exists to read back.
    let search = s
        .get(&format!("/fhir/Observation?patient={pid}"), &nurse)
        .await;
    assert_eq!(search.body["total"], 0);
    // A JSON set observed long ago is recorded but marked stale, with a warning.
    let mut v = normal_vitals();
    v["observed_at"] = json!(old);
    let r = s
        .post(&format!("/api/patients/{pid}/vitals"), &nurse, v)
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.body["news2"]["stale"], true);
    assert!(!r.body["warnings"].as_array().unwrap().is_empty());
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rebuilding_the_projections_from_events_gives_the_live_tables() {
    let s = TestServer::start().await;
    let nurse = s.login("nurse").await;
    let doctor = s.login("doctor").await;
    let admin = s.login("admin").await;
    let a = s
        .register(&nurse, "Lia Prado", &cpf(101_202_303), "ward-a")
        .await;
    let b = s
        .register(&doctor, "Caio Lima", &cpf(404_505_606), "ward-b")
        .await;
    for _ in 0..2 {
        assert_eq!(
            s.post("/api/demo/simulate", &admin, json!({})).await.status,
            200
        );
    }
    let r = s
        .post(&format!("/api/patients/{a}/vitals"), &nurse, high_vitals())
        .await;
    let ea = r.body["escalation"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{}", r.text));
    s.post(&format!("/api/patients/{b}/vitals"), &doctor, high_vitals())
        .await;
    s.post(
        &format!("/api/escalations/{ea}/acknowledge"),
        &nurse,
        json!({}),
    )
    .await;
    s.post(
        &format!("/api/patients/{a}/stage"),
        &nurse,
        json!({"stage": "device"}),
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let db = s.db.clone();
    let _dir = s.stop().await;

    let conn = rusqlite::Connection::open(&db).unwrap();
    // Wait until the stopped server's last writes have landed.
    let last = || {
        conn.query_row("SELECT MAX(id) FROM events", [], |r| r.get::<_, i64>(0))
            .unwrap()
    };
    let mut seen = last();
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        if last() == seen {
            break;
        }
        seen = last();
    }
    let live = patient_monitor::projections::digest(&conn).unwrap();
    let escalations: i64 = conn
        .query_row("SELECT COUNT(*) FROM escalations", [], |r| r.get(0))
        .unwrap();
    let scores: i64 = conn
        .query_row("SELECT COUNT(*) FROM scores", [], |r| r.get(0))
        .unwrap();
    assert!(
        escalations >= 2 && scores >= 10,
        "the test must build real read models"
    );
    let n = patient_monitor::projections::rebuild(&conn).unwrap();
    assert!(n > 20);
    assert_eq!(patient_monitor::projections::digest(&conn).unwrap(), live);
    // A read model changed by hand is put right by a rebuild.
    conn.execute("UPDATE patients SET name = 'tampered'", [])
        .unwrap();
    assert_ne!(patient_monitor::projections::digest(&conn).unwrap(), live);
    patient_monitor::projections::rebuild(&conn).unwrap();
    assert_eq!(patient_monitor::projections::digest(&conn).unwrap(), live);
}
