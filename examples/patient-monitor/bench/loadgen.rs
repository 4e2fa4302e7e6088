//! Load generator for the patient-monitor server, loopback only, bounded in count and time.
//!
//! ```text
//! cargo build --release -p patient-monitor --bin patient-monitor --example loadgen
//! target/release/examples/loadgen [--seconds 10] [--concurrency 48] [--clients 1000]
//!     [--escalations 10000] [--synchronous full|normal] [--settle 3] [--server PATH]
//! ```
//!
//! Starts the release server on a temporary database (demo mode, `bench/bench-policy.json`),
//! then measures, one phase after another (`--settle` seconds apart, so the WAL checkpoint
//! after a write-heavy phase does not land in the next one):
//! 1. sustained vitals ingest over HTTP with durable commits: throughput, p50/p99 latency;
//! 2. alert-to-WebSocket delivery with `--clients` connected clients, and the server's
//!    memory per idle connection (RSS growth / clients);
//! 3. `--escalations` concurrently open escalations: how late their timers fire (p50/p99/max
//!    of `late_by_ms` of every step started by a timer).

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

const PASSWORD: &str = "bench-password";

type Http = Client<HttpConnector, Full<Bytes>>;

struct Args {
    seconds: u64,
    concurrency: usize,
    clients: usize,
    escalations: usize,
    synchronous: String,
    settle: u64,
    server: PathBuf,
}

fn args() -> Args {
    let mut a = Args {
        seconds: 10,
        concurrency: 48,
        clients: 1000,
        escalations: 10_000,
        synchronous: "full".into(),
        settle: 3,
        server: std::env::current_exe()
            .ok()
            .and_then(|p| Some(p.parent()?.parent()?.join("patient-monitor")))
            .unwrap_or_default(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().unwrap_or_default();
        match k.as_str() {
            "--seconds" => a.seconds = v.parse().unwrap_or(10).min(120),
            "--concurrency" => a.concurrency = v.parse().unwrap_or(48).clamp(1, 512),
            "--clients" => a.clients = v.parse().unwrap_or(1000).min(5000),
            "--escalations" => a.escalations = v.parse().unwrap_or(10_000).min(50_000),
            "--synchronous" => a.synchronous = v,
            "--settle" => a.settle = v.parse().unwrap_or(3).min(60),
            "--server" => a.server = PathBuf::from(v),
            other => panic!("unknown flag {other}"),
        }
    }
    a
}

async fn call(
    http: &Http,
    base: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    let mut req = hyper::Request::builder()
        .method(method)
        .uri(format!("{base}{path}"))
        .header("content-type", "application/json");
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let req = req
        .body(Full::new(Bytes::from(
            body.map(Value::to_string).unwrap_or_default(),
        )))
        .expect("request");
    let res = http.request(req).await.expect("request sent");
    let status = res.status().as_u16();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn cpf(n: u64) -> String {
    let b: Vec<u8> = format!("{:09}", n % 1_000_000_000)
        .bytes()
        .map(|x| x - b'0')
        .collect();
    let mut base = [0u8; 9];
    base.copy_from_slice(&b);
    patient_monitor::demo::cpf_from(base)
}

async fn register_many(
    http: &Http,
    base: &str,
    token: &str,
    n: usize,
    offset: u64,
    concurrency: usize,
) -> Vec<i64> {
    let ids = Arc::new(tokio::sync::Mutex::new(Vec::with_capacity(n)));
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (http, base, token, ids, next) = (
            http.clone(),
            base.to_owned(),
            token.to_owned(),
            ids.clone(),
            next.clone(),
        );
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let body = json!({"name": format!("Bench Patient {i}"), "cpf": cpf(offset + i as u64), "ward": "ward-a"});
                let (st, v) = call(&http, &base, "POST", "/api/patients", Some(&token), Some(&body)).await;
                assert_eq!(st, 201, "{v}");
                ids.lock().await.push(v["id"].as_i64().unwrap());
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    Arc::try_unwrap(ids).unwrap().into_inner()
}

fn vitals(high: bool, i: usize) -> Value {
    if high {
        json!({"respiration_rate": 26, "spo2": 90, "on_oxygen": true, "systolic_bp": 95, "pulse": 125, "consciousness": "A", "temperature": 38.9})
    } else {
        json!({"respiration_rate": 14 + (i % 5), "spo2": 97, "on_oxygen": false, "systolic_bp": 120, "pulse": 70 + (i % 9), "consciousness": "A", "temperature": 36.8})
    }
}

/// Phase 1: sustained ingest. Every request is prepared before the clock starts (URIs,
/// bodies, the authorization header), answers are only checked for their status, and
/// connections are kept alive, so the generator spends its CPU on sending and receiving.
async fn ingest(http: &Http, base: &str, token: &str, patients: &[i64], a: &Args) {
    let uris: Arc<Vec<hyper::Uri>> = Arc::new(
        patients
            .iter()
            .map(|pid| {
                format!("{base}/api/patients/{pid}/vitals")
                    .parse()
                    .expect("uri")
            })
            .collect(),
    );
    let bodies: Arc<Vec<Bytes>> = Arc::new(
        (0..45)
            .map(|i| Bytes::from(vitals(false, i).to_string()))
            .collect(),
    );
    let auth = hyper::header::HeaderValue::from_str(&format!("Bearer {token}")).expect("token");
    let deadline = Instant::now() + Duration::from_secs(a.seconds);
    let mut tasks = Vec::new();
    let start = Instant::now();
    for w in 0..a.concurrency {
        let (http, uris, bodies, auth) = (http.clone(), uris.clone(), bodies.clone(), auth.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut i = w;
            while Instant::now() < deadline {
                let req = hyper::Request::post(uris[i % uris.len()].clone())
                    .header(hyper::header::CONTENT_TYPE, "application/json")
                    .header(hyper::header::AUTHORIZATION, auth.clone())
                    .body(Full::new(bodies[i % bodies.len()].clone()))
                    .expect("request");
                let t = Instant::now();
                let res = http.request(req).await.expect("request sent");
                let st = res.status().as_u16();
                let body = res.into_body().collect().await.expect("body").to_bytes();
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
                assert_eq!(st, 201, "{}", String::from_utf8_lossy(&body));
                i += 7;
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let secs = start.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    println!(
        "ingest: {} observations in {secs:.1} s = {:.0} obs/s (synchronous={}, {} connections); latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        all.len(),
        all.len() as f64 / secs,
        a.synchronous,
        a.concurrency,
        pct(&all, 0.5),
        pct(&all, 0.99),
        pct(&all, 1.0)
    );
}

/// Phase 2: WebSocket fan-out and memory.
async fn websockets(
    http: &Http,
    base: &str,
    addr: &str,
    token: &str,
    pid_server: u32,
    patients: &[i64],
    clients: usize,
) {
    let rss_before = rss_kib(pid_server);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<f64>();
    let mut conns = Vec::with_capacity(clients);
    for _ in 0..clients {
        let mut req = format!("ws://{addr}/ws?rooms=alerts")
            .into_client_request()
            .unwrap();
        req.headers_mut()
            .insert("authorization", format!("Bearer {token}").parse().unwrap());
        let (ws, _) = tokio_tungstenite::connect_async(req)
            .await
            .expect("ws connect");
        conns.push(ws);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_after = rss_kib(pid_server);
    println!(
        "websocket: {clients} idle clients added {} KiB to the server's RSS = {:.1} KiB per connection",
        rss_after.saturating_sub(rss_before),
        rss_after.saturating_sub(rss_before) as f64 / clients as f64
    );
    let mut readers = Vec::new();
    for mut ws in conns {
        let tx = tx.clone();
        readers.push(tokio::spawn(async move {
            while let Some(Ok(msg)) = ws.next().await {
                if let Message::Text(t) = msg {
                    let now = chrono::Utc::now();
                    // Only alerts are timed: skip decoding the other messages.
                    if !t.as_str().contains("\"alert_triggered\"") {
                        continue;
                    }
                    let v: Value = serde_json::from_str(&t).unwrap_or(Value::Null);
                    if v["event"]["type"] == "alert_triggered" {
                        let at = chrono::DateTime::parse_from_rfc3339(
                            v["event"]["at"].as_str().unwrap_or(""),
                        )
                        .map(|d| d.with_timezone(&chrono::Utc));
                        if let Ok(at) = at {
                            let _ =
                                tx.send((now - at).num_microseconds().unwrap_or(0) as f64 / 1000.0);
                        }
                    }
                }
            }
        }));
    }
    drop(tx);
    let alerts = 20;
    for (i, pid) in patients.iter().take(alerts).enumerate() {
        let (st, _) = call(
            http,
            base,
            "POST",
            &format!("/api/patients/{pid}/vitals"),
            Some(token),
            Some(&vitals(true, i)),
        )
        .await;
        assert_eq!(st, 201);
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut lat = Vec::new();
    while let Ok(Some(ms)) = tokio::time::timeout(Duration::from_millis(200), rx.recv()).await {
        lat.push(ms);
    }
    for r in &readers {
        r.abort();
    }
    lat.sort_by(f64::total_cmp);
    println!(
        "websocket: {} alert deliveries ({alerts} alerts x {clients} clients, expected {}); alert-to-client p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        lat.len(),
        alerts * clients,
        pct(&lat, 0.5),
        pct(&lat, 0.99),
        pct(&lat, 1.0)
    );
}

/// Phase 3: many open escalations; how late do their timers fire?
async fn escalations(
    http: &Http,
    base: &str,
    token: &str,
    db: &std::path::Path,
    n: usize,
    concurrency: usize,
) {
    let t = Instant::now();
    let ids = register_many(http, base, token, n, 500_000_000, concurrency).await;
    println!(
        "escalations: registered {n} patients in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let ids = Arc::new(ids);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (http, base, token, ids, next) = (
            http.clone(),
            base.to_owned(),
            token.to_owned(),
            ids.clone(),
            next.clone(),
        );
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(pid) = ids.get(i) else { break };
                let (st, v) = call(
                    &http,
                    &base,
                    "POST",
                    &format!("/api/patients/{pid}/vitals"),
                    Some(&token),
                    Some(&vitals(true, i)),
                )
                .await;
                assert_eq!(st, 201, "{v}");
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let opened = t.elapsed().as_secs_f64();
    let (_, open) = call(
        http,
        base,
        "GET",
        "/api/escalations?state=open",
        Some(token),
        None,
    )
    .await;
    println!(
        "escalations: opened {n} escalations in {opened:.1} s ({} listed open, list capped at 500)",
        open["escalations"].as_array().map_or(0, Vec::len)
    );
    // The bench policy exhausts a chain 15 s after it opens.
    tokio::time::sleep(Duration::from_secs(17) + Duration::from_secs_f64(opened)).await;
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT json_extract(data, '$.late_by_ms') FROM events
             WHERE actor = 'timer' AND type IN ('escalation_step_started', 'escalation_unanswered')",
        )
        .unwrap();
    let mut late: Vec<f64> = stmt
        .query_map([], |r| r.get::<_, i64>(0))
        .unwrap()
        .map(|x| x.unwrap() as f64)
        .collect();
    late.sort_by(f64::total_cmp);
    println!(
        "escalations: {} timer firings across {n} open escalations; late by p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        late.len(),
        pct(&late, 0.5),
        pct(&late, 0.99),
        pct(&late, 1.0)
    );
}

fn main() {
    let a = args();
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("bench.db");
    let policy = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bench/bench-policy.json");
    let mut child = Command::new(&a.server)
        .args([
            "--addr",
            "127.0.0.1:0",
            "--synchronous",
            &a.synchronous,
            "--policy",
        ])
        .arg(&policy)
        .arg("--db")
        .arg(&db)
        .env("PATIENT_MONITOR_DEMO_PASSWORD", PASSWORD)
        // LOADGEN_SERVER_LOG=warn,writer_stats=debug shows where the writer's time goes.
        .env(
            "RUST_LOG",
            std::env::var("LOADGEN_SERVER_LOG").unwrap_or_else(|_| "warn".into()),
        )
        .stdout(Stdio::piped())
        .stderr(if std::env::var_os("LOADGEN_SERVER_LOG").is_some() {
            Stdio::inherit()
        } else {
            Stdio::null()
        })
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start {}: {e} (build it with --release first)",
                a.server.display()
            )
        });
    let pid_server = child.id();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
    let addr = loop {
        let line = lines.next().expect("server output").unwrap();
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest.trim().to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let base = format!("http://{addr}");
        let http: Http = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(1024)
            .build(HttpConnector::new());
        let (_, login) = call(
            &http,
            &base,
            "POST",
            "/api/session",
            None,
            Some(&json!({"username": "nurse", "password": PASSWORD})),
        )
        .await;
        let token = login["token"].as_str().expect("login").to_owned();
        let patients = register_many(&http, &base, &token, 200, 100_000_000, 16).await;
        ingest(&http, &base, &token, &patients, &a).await;
        // Each phase measures on its own: let the server finish checkpointing the ingest's
        // WAL (its fsyncs would otherwise sit in front of the next phase's commits).
        tokio::time::sleep(Duration::from_secs(a.settle)).await;
        if a.clients > 0 {
            websockets(
                &http, &base, &addr, &token, pid_server, &patients, a.clients,
            )
            .await;
            tokio::time::sleep(Duration::from_secs(a.settle)).await;
        }
        if a.escalations > 0 {
            escalations(&http, &base, &token, &db, a.escalations, a.concurrency).await;
        }
        println!("server RSS at the end: {} KiB", rss_kib(pid_server));
    });
    let _ = child.kill();
    let _ = child.wait();
}
