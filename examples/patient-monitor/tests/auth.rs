//! Sessions, wards, roles and CSRF.

mod common;

use common::{PASSWORD, TestServer, cpf, normal_vitals};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_session_is_401_everywhere_but_health_and_login() {
    let s = TestServer::start().await;
    for (method, path) in [
        ("GET", "/api/patients"),
        ("GET", "/api/patients/1"),
        ("POST", "/api/patients/1/vitals"),
        ("GET", "/api/escalations?state=open"),
        ("POST", "/api/escalations/1/acknowledge"),
        ("GET", "/api/events?after=0"),
        ("GET", "/api/audit/verify"),
        ("POST", "/fhir/Observation"),
        ("GET", "/fhir/Observation?patient=1"),
        ("POST", "/api/demo/simulate"),
        ("GET", "/metrics"),
        ("GET", "/ws"),
    ] {
        let r = s.call(method, path, None, Some(json!({}))).await;
        assert_eq!(r.status, 401, "{method} {path}: {}", r.text);
        assert_eq!(r.headers["content-type"], "application/problem+json");
        let r = s
            .call(method, path, Some("not-a-token"), Some(json!({})))
            .await;
        assert_eq!(r.status, 401, "{method} {path} with a made-up token");
    }
    assert_eq!(s.call("GET", "/healthz", None, None).await.status, 200);
    assert_eq!(s.call("GET", "/readyz", None, None).await.status, 200);
    let bad = s.session("nurse", "wrong").await;
    assert_eq!(bad.status, 401);
    let ghost = s.session("ghost", PASSWORD).await;
    assert_eq!(ghost.status, 401);
    // Logging out ends the session.
    let t = s.login("nurse").await;
    assert_eq!(s.get("/api/session", &t).await.status, 200);
    assert_eq!(
        s.call("DELETE", "/api/session", Some(&t), None)
            .await
            .status,
        204
    );
    assert_eq!(s.get("/api/session", &t).await.status, 401);
    // Failed logins are audited.
    let admin = s.login("admin").await;
    let audit = s.audit(&admin).await;
    assert!(audit.iter().any(|e| e["action"] == "session.login"
        && e["outcome"] == "denied"
        && e["actor"] == "nurse"));
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_ward_is_403_and_invisible() {
    let s = TestServer::start().await;
    let nurse = s.login("nurse").await; // ward-a only
    let doctor = s.login("doctor").await; // ward-a and ward-b
    let b = s
        .register(&doctor, "Paciente Ala B", &cpf(900_100_200), "ward-b")
        .await;
    let eb = s.open_escalation(&doctor, b).await;

    assert_eq!(
        s.get(&format!("/api/patients/{b}"), &nurse).await.status,
        403
    );
    assert_eq!(
        s.post(
            &format!("/api/patients/{b}/vitals"),
            &nurse,
            normal_vitals()
        )
        .await
        .status,
        403
    );
    assert_eq!(
        s.get(&format!("/fhir/Observation?patient={b}"), &nurse)
            .await
            .status,
        403
    );
    assert_eq!(
        s.get(&format!("/api/escalations/{eb}"), &nurse)
            .await
            .status,
        403
    );
    assert_eq!(
        s.post(
            &format!("/api/escalations/{eb}/acknowledge"),
            &nurse,
            json!({})
        )
        .await
        .status,
        403
    );
    let r = s
        .post(
            "/api/patients",
            &nurse,
            json!({"name": "X", "cpf": cpf(900_300_400), "ward": "ward-b"}),
        )
        .await;
    assert_eq!((r.status, r.body["field"].clone()), (403, json!("ward")));
    // Lists and searches leave ward B out.
    let list = s.get("/api/patients?q=", &nurse).await.body["patients"]
        .as_array()
        .cloned()
        .unwrap();
    assert!(!list.is_empty() && list.iter().all(|p| p["ward"] == "ward-a"));
    assert!(
        s.get("/api/patients?q=Ala%20B", &nurse).await.body["patients"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        s.get("/api/patients?q=Ala%20B", &doctor).await.body["patients"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let esc = s.get("/api/escalations?state=open", &nurse).await.body["escalations"]
        .as_array()
        .cloned()
        .unwrap();
    assert!(esc.iter().all(|e| e["ward"] == "ward-a"));
    let events = s.events(&nurse, 0).await;
    assert!(!events.is_empty());
    assert!(
        events.iter().all(|e| e["ward"] != "ward-b"),
        "a ward-b event leaked"
    );
    assert!(events.iter().all(|e| e["patient_id"] != b));
    // The refused read is audited.
    let admin = s.login("admin").await;
    let audit = s.audit(&admin).await;
    assert!(
        audit
            .iter()
            .any(|e| e["actor"] == "nurse" && e["patient_id"] == b && e["outcome"] == "denied")
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledging_a_resolved_escalation_is_409_and_roles_are_checked() {
    let s = TestServer::start().await;
    let nurse = s.login("nurse").await;
    let senior = s.login("senior").await;
    let admin = s.login("admin").await;
    let pid = s
        .register(&nurse, "Sofia Ramos", &cpf(600_700_800), "ward-a")
        .await;
    let eid = s.open_escalation(&nurse, pid).await;
    let r = s
        .post(
            &format!("/api/escalations/{eid}/acknowledge"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 403, "an admin has no clinical role: {}", r.text);
    assert_eq!(
        s.post(
            &format!("/api/escalations/{eid}/acknowledge"),
            &senior,
            json!({})
        )
        .await
        .status,
        200
    );
    let again = s
        .post(
            &format!("/api/escalations/{eid}/acknowledge"),
            &nurse,
            json!({}),
        )
        .await;
    assert_eq!(
        (again.status, again.body["code"].clone()),
        (409, json!("already_acknowledged"))
    );
    assert_eq!(
        s.post(
            &format!("/api/escalations/{eid}/resolve"),
            &nurse,
            json!({})
        )
        .await
        .status,
        200
    );
    let r = s
        .post(
            &format!("/api/escalations/{eid}/acknowledge"),
            &nurse,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    assert_eq!(r.body["code"], "resolved");
    assert_eq!(
        s.post(
            &format!("/api/escalations/{eid}/resolve"),
            &nurse,
            json!({})
        )
        .await
        .status,
        409
    );
    // Demo reset is for admins.
    assert_eq!(
        s.post("/api/demo/reset", &nurse, json!({})).await.status,
        403
    );
    assert_eq!(s.get("/api/audit?after=0", &nurse).await.status, 403);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookie_sessions_need_the_csrf_token_to_write() {
    let s = TestServer::start().await;
    let r = s.session("nurse", PASSWORD).await;
    let set_cookie = r.headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"),
        "{set_cookie}"
    );
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let csrf = r.body["csrf_token"].as_str().unwrap().to_owned();
    let body = json!({"name": "Via Cookie", "cpf": cpf(123_123_123), "ward": "ward-a"})
        .to_string()
        .into_bytes();
    let get = s
        .raw("GET", "/api/patients", &[("cookie", &cookie)], vec![])
        .await;
    assert_eq!(get.status, 200, "reads need no CSRF token");
    let no = s
        .raw(
            "POST",
            "/api/patients",
            &[("cookie", &cookie), ("content-type", "application/json")],
            body.clone(),
        )
        .await;
    assert_eq!((no.status, no.body["code"].clone()), (403, json!("csrf")));
    let wrong = s
        .raw(
            "POST",
            "/api/patients",
            &[
                ("cookie", &cookie),
                ("content-type", "application/json"),
                ("x-csrf-token", "nope"),
            ],
            body.clone(),
        )
        .await;
    assert_eq!(wrong.status, 403);
    let ok = s
        .raw(
            "POST",
            "/api/patients",
            &[
                ("cookie", &cookie),
                ("content-type", "application/json"),
                ("x-csrf-token", &csrf),
            ],
            body,
        )
        .await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_demo_an_admin_sets_up_wards_and_users() {
    let s = TestServer::start_with(|c| c.no_demo = true).await;
    let admin_pw = s
        .password
        .clone()
        .expect("the first admin's password is printed");
    let r = s.session("admin", &admin_pw).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let admin = r.body["token"].as_str().unwrap().to_owned();
    // No demo data, no demo routes, no demo accounts.
    assert_eq!(
        s.post("/api/demo/simulate", &admin, json!({})).await.status,
        404
    );
    assert!(
        s.get("/api/patients", &admin).await.body["patients"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let r = s.session("nurse", PASSWORD).await;
    assert_eq!(r.status, 401);

    assert_eq!(
        s.post(
            "/api/wards",
            &admin,
            json!({"id": "icu", "name": "Intensive care"})
        )
        .await
        .status,
        201
    );
    assert_eq!(
        s.post("/api/wards", &admin, json!({"id": "icu", "name": "Again"}))
            .await
            .status,
        409
    );
    let bad = s.post("/api/users", &admin, json!({"username": "ana", "role": "nurse", "wards": ["nowhere"], "password": "long-enough-pw"})).await;
    assert_eq!(
        (bad.status, bad.body["field"].clone()),
        (422, json!("wards[0]"))
    );
    let short = s
        .post(
            "/api/users",
            &admin,
            json!({"username": "ana", "role": "nurse", "wards": ["icu"], "password": "short"}),
        )
        .await;
    assert_eq!(
        (short.status, short.body["field"].clone()),
        (422, json!("password"))
    );
    let r = s.post("/api/users", &admin, json!({"username": "ana", "role": "nurse", "wards": ["icu"], "password": "long-enough-pw"})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = s.session("ana", "long-enough-pw").await;
    assert_eq!(r.status, 200);
    let ana = r.body["token"].as_str().unwrap().to_owned();
    assert_eq!(
        s.post("/api/wards", &ana, json!({"id": "x", "name": "X"}))
            .await
            .status,
        403
    );
    let pid = s
        .register(&ana, "Primeiro Paciente", &cpf(135_792_468), "icu")
        .await;
    assert_eq!(
        s.post(
            &format!("/api/patients/{pid}/vitals"),
            &ana,
            normal_vitals()
        )
        .await
        .status,
        201
    );
    s.stop().await;
}
