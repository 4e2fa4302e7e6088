//! The dashboard's server side (`src/web.rs` and its modules): the embedded page and assets,
//! the history and per-patient audit routes, an escalation's event stream, and presence.

mod common;

use std::time::Duration;

use common::{TestServer, high_vitals, normal_vitals};
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

async fn patient_named(s: &TestServer, token: &str, name: &str) -> i64 {
    let r = s
        .get(
            &format!("/api/patients?q={}", name.replace(' ', "%20")),
            token,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["patients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .expect("demo patient")["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn the_page_and_its_assets_are_served_with_types_and_validators() {
    let s = TestServer::start().await;
    let page = s.raw("GET", "/", &[], vec![]).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.headers["content-type"], "text/html; charset=utf-8");
    assert!(
        page.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("'wasm-unsafe-eval'")
    );
    assert!(page.text.contains("/assets/js/main.js"));
    for (path, ty) in [
        ("/assets/styles.css", "text/css"),
        ("/assets/js/main.js", "text/javascript"),
        ("/assets/favicon.svg", "image/svg+xml"),
    ] {
        let r = s.raw("GET", path, &[], vec![]).await;
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.headers["content-type"].to_str().unwrap().starts_with(ty),
            "{path}"
        );
        assert_eq!(r.headers["cache-control"], "no-cache");
        let tag = r.headers["etag"].to_str().unwrap().to_owned();
        let again = s.raw("GET", path, &[("if-none-match", &tag)], vec![]).await;
        assert_eq!(again.status, 304, "{path} revalidates");
    }
    assert_eq!(
        s.raw("GET", "/assets/index.html", &[], vec![]).await.status,
        404
    );
    assert_eq!(
        s.raw("GET", "/assets/../Cargo.toml", &[], vec![])
            .await
            .status,
        404
    );
    for bad in [
        "/wasm/../../Cargo.toml",
        "/wasm/nodejs/index.cjs",
        "/wasm/web/run.sh",
    ] {
        assert_eq!(s.raw("GET", bad, &[], vec![]).await.status, 404, "{bad}");
    }
    let api = s.raw("GET", "/api", &[], vec![]).await;
    assert_eq!(api.status, 200);
    assert!(
        api.text.contains("/api/patients"),
        "the API listing moved to /api"
    );
    s.stop().await;
}

#[tokio::test]
async fn history_and_audit_trail_of_a_patient_for_its_ward_only() {
    let s = TestServer::start().await;
    let nurse = s.login("nurse").await;
    let maria = patient_named(&s, &nurse, "Maria da Silva").await;
    let beatriz = patient_named(&s, &s.login("doctor").await, "Beatriz Costa").await;
    for pulse in [95, 101] {
        let mut v = normal_vitals();
        v["pulse"] = json!(pulse);
        assert_eq!(
            s.post(&format!("/api/patients/{maria}/vitals"), &nurse, v)
                .await
                .status,
            201
        );
    }
    let h = s
        .get(&format!("/api/patients/{maria}/history"), &nurse)
        .await;
    assert_eq!(h.status, 200, "{}", h.text);
    let obs = h.body["observations"].as_array().unwrap();
    let pulses: Vec<i64> = obs
        .iter()
        .map(|o| o["vitals"]["pulse"].as_i64().unwrap())
        .collect();
    assert_eq!(pulses.len(), 3, "the seeded set and the two new ones");
    assert_eq!(&pulses[1..], &[95, 101], "oldest first");
    let scores = h.body["scores"].as_array().unwrap();
    assert_eq!(scores.len(), 3);
    assert!(
        scores
            .iter()
            .all(|s| s["complete"] == json!(true) && s["parameters"]["pulse"].is_number())
    );
    assert_eq!(scores[2]["total"], json!(1), "pulse 101 scores 1");
    let limited = s
        .get(&format!("/api/patients/{maria}/history?limit=1"), &nurse)
        .await;
    assert_eq!(limited.body["observations"].as_array().unwrap().len(), 1);
    assert_eq!(
        limited.body["observations"][0]["vitals"]["pulse"],
        json!(101),
        "the latest"
    );
    assert_eq!(
        s.get(&format!("/api/patients/{maria}/history?limit=0"), &nurse)
            .await
            .status,
        400
    );

    let a = s.get(&format!("/api/patients/{maria}/audit"), &nurse).await;
    assert_eq!(a.status, 200, "{}", a.text);
    let entries = a.body["entries"].as_array().unwrap();
    let ids: Vec<i64> = entries.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first");
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"vitals.create") && actions.contains(&"patient.create"),
        "{actions:?}"
    );
    assert!(
        entries
            .iter()
            .any(|e| e["resource"] == json!(format!("Patient/{maria}/history"))),
        "reading the history is audited"
    );
    let again = s.get(&format!("/api/patients/{maria}/audit"), &nurse).await;
    assert_eq!(
        again.body["entries"][0]["action"],
        json!("audit.read"),
        "reading the trail is audited too"
    );

    for path in [
        format!("/api/patients/{beatriz}/history"),
        format!("/api/patients/{beatriz}/audit"),
    ] {
        assert_eq!(
            s.get(&path, &nurse).await.status,
            403,
            "{path}: another ward"
        );
    }
    assert_eq!(
        s.get("/api/patients/999999/history", &nurse).await.status,
        404
    );
    assert_eq!(
        s.call("GET", &format!("/api/patients/{maria}/history"), None, None)
            .await
            .status,
        401
    );
    s.stop().await;
}

#[tokio::test]
async fn an_escalation_stream_replays_to_its_view() {
    let s = TestServer::start().await;
    let nurse = s.login("nurse").await;
    let maria = patient_named(&s, &nurse, "Maria da Silva").await;
    let r = s
        .post(
            &format!("/api/patients/{maria}/vitals"),
            &nurse,
            high_vitals(),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["escalation"]["id"]
        .as_i64()
        .expect("an escalation opened");
    let e = s
        .get(&format!("/api/escalations/{id}/events"), &nurse)
        .await;
    assert_eq!(e.status, 200, "{}", e.text);
    let events = e.body["events"].as_array().unwrap();
    assert_eq!(events[0]["type"], json!("triggered"));
    assert!(
        events[0]["policies"].is_object(),
        "the policy copy the countdown needs"
    );
    let seqs: Vec<u64> = events
        .iter()
        .map(|e| e["sequence"].as_u64().unwrap())
        .collect();
    assert_eq!(
        seqs,
        (1..=seqs.len() as u64).collect::<Vec<_>>(),
        "the whole stream, in order"
    );
    let stream: Vec<escalation_core::Event> =
        serde_json::from_value(Value::Array(events.clone())).unwrap();
    let replayed = escalation_core::Escalation::replay(&stream).unwrap();
    assert_eq!(
        replayed.state().as_str(),
        e.body["escalation"]["state"].as_str().unwrap()
    );
    assert_eq!(
        s.get("/api/escalations/999999/events", &nurse).await.status,
        404
    );
    s.stop().await;
}

async fn presence_socket(
    s: &TestServer,
    token: &str,
    patient: i64,
) -> Result<impl StreamExt<Item = Value> + Unpin + use<>, u16> {
    let mut req = format!("ws://{}/ws/presence?patient={patient}", s.addr)
        .into_client_request()
        .unwrap();
    req.headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    match tokio_tungstenite::connect_async(req).await {
        Ok((ws, _)) => Ok(Box::pin(ws.filter_map(|m| async move {
            match m {
                Ok(Message::Text(t)) => serde_json::from_str(t.as_str()).ok(),
                _ => None,
            }
        }))),
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => Err(res.status().as_u16()),
        Err(e) => panic!("presence socket: {e}"),
    }
}

async fn viewers_until(ws: &mut (impl StreamExt<Item = Value> + Unpin), want: &[&str]) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let msg = tokio::time::timeout_at(deadline, ws.next())
            .await
            .expect("a presence message in time")
            .expect("open");
        assert_eq!(msg["kind"], json!("presence"));
        let names: Vec<&str> = msg["viewers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["username"].as_str().unwrap())
            .collect();
        if names == want {
            return;
        }
    }
}

#[tokio::test]
async fn presence_lists_who_views_a_patient_within_its_ward() {
    let s = TestServer::start().await;
    let (nurse, senior) = (s.login("nurse").await, s.login("senior").await);
    let maria = patient_named(&s, &nurse, "Maria da Silva").await;
    let beatriz = patient_named(&s, &s.login("doctor").await, "Beatriz Costa").await;
    let mut a = presence_socket(&s, &nurse, maria).await.unwrap();
    viewers_until(&mut a, &["nurse"]).await;
    let mut b = presence_socket(&s, &senior, maria).await.unwrap();
    viewers_until(&mut b, &["nurse", "senior"]).await;
    viewers_until(&mut a, &["nurse", "senior"]).await;
    drop(b);
    viewers_until(&mut a, &["nurse"]).await;
    assert_eq!(
        presence_socket(&s, &nurse, beatriz).await.err(),
        Some(403),
        "another ward's patient"
    );
    assert_eq!(presence_socket(&s, &nurse, 999_999).await.err(), Some(404));
    s.stop().await;
}
