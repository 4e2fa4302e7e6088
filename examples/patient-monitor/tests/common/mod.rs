//! Test harness: a real server on an ephemeral port with a temporary database, and a small
//! HTTP client.
#![allow(dead_code, unreachable_pub)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use patient_monitor::{Config, Running};
use serde_json::{Value, json};

pub const PASSWORD: &str = "test-password-123";

pub fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

pub struct TestServer {
    pub addr: SocketAddr,
    /// The password printed at start (demo accounts, or the first admin without demo).
    pub password: Option<String>,
    pub db: PathBuf,
    running: Option<Running>,
    pub dir: tempfile::TempDir,
    client: Client<HttpConnector, Full<Bytes>>,
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: hyper::HeaderMap,
    pub body: Value,
    pub text: String,
}

pub fn client() -> Client<HttpConnector, Full<Bytes>> {
    Client::builder(TokioExecutor::new()).build(HttpConnector::new())
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(f: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("test.db");
        let mut config = Config::for_db(&db);
        config.demo_password = Some(PASSWORD.into());
        config.policy = fixture("fast-policy.json");
        // Unoptimised test builds run Argon2 slowly; the cost is a parameter of the hash.
        config.argon2_memory_kib = 256;
        f(&mut config);
        let running = patient_monitor::start(config).await.expect("server starts");
        Self {
            addr: running.addr,
            password: running.password.clone(),
            db,
            running: Some(running),
            dir,
            client: client(),
        }
    }

    /// A client for a server running elsewhere (another process).
    pub fn attach(addr: SocketAddr) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        Self {
            addr,
            password: None,
            db: dir.path().join("unused.db"),
            running: None,
            dir,
            client: client(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Resp {
        let mut req = hyper::Request::builder().method(method).uri(self.url(path));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req.body(Full::new(Bytes::from(body))).expect("request");
        let res = tokio::time::timeout(Duration::from_secs(30), self.client.request(req))
            .await
            .expect("answer in time")
            .expect("request sent");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Resp {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        let auth = token.map(|t| format!("Bearer {t}"));
        let mut headers = vec![("content-type", "application/json")];
        if let Some(a) = &auth {
            headers.push(("authorization", a.as_str()));
        }
        let bytes = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
        self.raw(method, path, &headers, bytes).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Resp {
        self.call("GET", path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Resp {
        self.call("POST", path, Some(token), Some(body)).await
    }

    /// A sign-in attempt, whatever its outcome.
    pub async fn session(&self, user: &str, password: &str) -> Resp {
        let body = json!({"username": user, "password": password});
        self.call("POST", "/api/session", None, Some(body)).await
    }

    /// Signs `user` in with the demo password; the bearer token.
    pub async fn login(&self, user: &str) -> String {
        let r = self.session(user, PASSWORD).await;
        assert_eq!(r.status, 200, "login {user}: {}", r.text);
        r.body["token"].as_str().expect("token").to_owned()
    }

    /// Records alerting vitals for patient `pid`; the id of the escalation they opened.
    pub async fn open_escalation(&self, token: &str, pid: i64) -> i64 {
        let path = format!("/api/patients/{pid}/vitals");
        let r = self.post(&path, token, high_vitals()).await;
        r.body["escalation"]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("alerting vitals opened no escalation: {}", r.text))
    }

    /// The audit log entries visible to `token`, oldest first (up to 1,000).
    pub async fn audit(&self, token: &str) -> Vec<Value> {
        let r = self.get("/api/audit?after=0&limit=1000", token).await;
        assert_eq!(r.status, 200, "audit: {}", r.text);
        r.body["entries"].as_array().cloned().expect("entries")
    }

    /// The running server's database handle (none for a server attached from elsewhere).
    pub fn store(&self) -> Option<patient_monitor::store::Store> {
        self.running.as_ref().map(|r| r.state.store.clone())
    }

    /// Stops the server; returns the temporary directory (the database lives as long as it).
    pub async fn stop(self) -> tempfile::TempDir {
        let Self {
            running,
            dir,
            client,
            ..
        } = self;
        // Idle keep-alive connections would hold up the graceful shutdown.
        drop(client);
        if let Some(r) = running {
            r.stop().await;
        }
        dir
    }

    /// Every event the user sees after `after`.
    pub async fn events(&self, token: &str, after: i64) -> Vec<Value> {
        let mut out = Vec::new();
        let mut after = after;
        loop {
            let r = self
                .get(&format!("/api/events?after={after}&limit=1000"), token)
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
            let page = r.body["events"].as_array().cloned().unwrap_or_default();
            out.extend(page);
            after = r.body["next_after"].as_i64().unwrap_or(after);
            if r.body["has_more"] != json!(true) {
                return out;
            }
        }
    }

    /// Registers a patient in a ward and returns its id.
    pub async fn register(&self, token: &str, name: &str, cpf: &str, ward: &str) -> i64 {
        let r = self
            .post(
                "/api/patients",
                token,
                json!({"name": name, "cpf": cpf, "ward": ward}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        r.body["id"].as_i64().expect("id")
    }
}

/// A valid CPF from a number (check digits computed).
pub fn cpf(n: u64) -> String {
    let base: Vec<u8> = format!("{:09}", n % 1_000_000_000)
        .bytes()
        .map(|b| b - b'0')
        .collect();
    let mut base9 = [0u8; 9];
    base9.copy_from_slice(&base);
    patient_monitor::demo::cpf_from(base9)
}

/// Vitals that score high (≥ 7).
pub fn high_vitals() -> Value {
    json!({"respiration_rate": 26, "spo2": 90, "on_oxygen": true, "systolic_bp": 95, "pulse": 125, "consciousness": "A", "temperature": 38.9})
}

/// Vitals that score 0.
pub fn normal_vitals() -> Value {
    json!({"respiration_rate": 16, "spo2": 97, "on_oxygen": false, "systolic_bp": 122, "pulse": 72, "consciousness": "A", "temperature": 36.8})
}

/// A fingerprint of everything a request could change (sessions aside): the event store,
/// the audit log and every read model.
pub fn fingerprint(db: &Path) -> String {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open db");
    let counts: (i64, i64, i64) = conn
        .query_row("SELECT (SELECT COUNT(*) FROM events), (SELECT COALESCE(MAX(id),0) FROM events), (SELECT COUNT(*) FROM audit)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .expect("counts");
    let digest = patient_monitor::projections::digest(&conn).expect("digest");
    format!("{counts:?} {digest}")
}

/// Polls `f` until it returns `Some`, for up to `secs` seconds.
pub async fn eventually<T, F, Fut>(secs: u64, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "condition not met within {secs} s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
