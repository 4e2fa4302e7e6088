//! Command-line flags and environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use escalation_core::PolicySet;

/// The NEWS2 patient monitoring server.
///
/// Starts on an embedded SQLite file with demo wards, users and patients (unless
/// `--no-demo`), and serves the JSON API, FHIR endpoints and a WebSocket.
#[derive(Debug, Clone, Parser)]
#[command(name = "patient-monitor", version, about, long_about = None)]
pub struct Config {
    /// Address to listen on (`127.0.0.1:0` picks a free port; the bound address is printed).
    #[arg(long, env = "PATIENT_MONITOR_ADDR", default_value = "127.0.0.1:4000")]
    pub addr: SocketAddr,

    /// Port to listen on, overriding the port of `--addr` (0 picks a free one).
    #[arg(long, env = "PATIENT_MONITOR_PORT")]
    pub port: Option<u16>,

    /// SQLite database file (created if absent; WAL mode).
    #[arg(long, env = "PATIENT_MONITOR_DB", default_value = "patient-monitor.db")]
    pub db: PathBuf,

    /// Escalation policies: `demo` (nurse 30 s → senior 20 s → doctor 15 s), `production`,
    /// or a JSON or TOML file holding an escalation-core policy set.
    #[arg(long, env = "PATIENT_MONITOR_POLICY", default_value = "demo")]
    pub policy: String,

    /// Real use: no demo wards, users or patients, and no `/api/demo` routes. An `admin`
    /// account is created on first start with a password printed once.
    #[arg(long, env = "PATIENT_MONITOR_NO_DEMO")]
    pub no_demo: bool,

    /// The demo accounts' password (a random one is printed when unset).
    #[arg(long, env = "PATIENT_MONITOR_DEMO_PASSWORD", hide_env_values = true)]
    pub demo_password: Option<String>,

    /// Run the vitals simulator in the background every this many seconds (demo mode only).
    #[arg(long, env = "PATIENT_MONITOR_SIMULATE_EVERY")]
    pub simulate_every: Option<f64>,

    /// Maximum age of a reading, in minutes, for it to count as fresh when an observation set
    /// is assembled from single device readings (older ones are stale and never scored).
    #[arg(long, env = "PATIENT_MONITOR_MAX_AGE_MINUTES", default_value_t = 60)]
    pub max_age_minutes: u32,

    /// POST every escalation notification to this URL (http only; retried with backoff).
    /// Without it, notifications are written to the log.
    #[arg(long, env = "PATIENT_MONITOR_WEBHOOK")]
    pub webhook: Option<String>,

    /// How many times a webhook notification is attempted before it is recorded as failed.
    #[arg(long, env = "PATIENT_MONITOR_WEBHOOK_ATTEMPTS", default_value_t = 5)]
    pub webhook_attempts: u32,

    /// Argon2id memory cost for new password hashes, in KiB (at least 8).
    #[arg(long, env = "PATIENT_MONITOR_ARGON2_MEMORY_KIB", default_value_t = crate::auth::DEFAULT_ARGON2_MEMORY_KIB)]
    pub argon2_memory_kib: u32,

    /// Mark the session cookie `Secure` (behind HTTPS).
    #[arg(long, env = "PATIENT_MONITOR_SECURE_COOKIE")]
    pub secure_cookie: bool,

    /// Session lifetime, in hours.
    #[arg(long, env = "PATIENT_MONITOR_SESSION_HOURS", default_value_t = 12)]
    pub session_hours: u32,

    /// Durability: `full` (the default: no answer, event or notification before its commit
    /// is on disk; the WAL is synced by a flush thread, see `store::flush`) or `normal`
    /// (SQLite's `synchronous=NORMAL`: a power loss can take back answered commits).
    #[arg(long, env = "PATIENT_MONITOR_SYNCHRONOUS", default_value = "full")]
    pub synchronous: String,

    /// Rebuild every read model from the event store, then exit.
    #[arg(long)]
    pub rebuild_projections: bool,

    /// Check the audit hash chain, print the result, then exit (status 1 when broken).
    #[arg(long)]
    pub verify_audit: bool,
}

impl Config {
    /// The configuration for a test or an embedding: defaults, this database, a free port.
    pub fn for_db(db: impl Into<PathBuf>) -> Self {
        let mut c = Self::try_parse_from(["patient-monitor"])
            .unwrap_or_else(|e| panic!("default flags: {e}"));
        c.db = db.into();
        c.addr = SocketAddr::from(([127, 0, 0, 1], 0));
        c
    }

    /// The address to bind.
    pub fn bind_addr(&self) -> SocketAddr {
        let mut a = self.addr;
        if let Some(p) = self.port {
            a.set_port(p);
        }
        a
    }

    /// Whether demo mode is on.
    pub fn demo(&self) -> bool {
        !self.no_demo
    }

    /// The maximum age of a fresh reading.
    pub fn max_age(&self) -> chrono::TimeDelta {
        chrono::TimeDelta::minutes(i64::from(self.max_age_minutes.max(1)))
    }

    /// The background simulator's period, if any.
    pub fn simulate_period(&self) -> Option<Duration> {
        self.simulate_every
            .filter(|s| s.is_finite() && *s > 0.0)
            .map(|s| Duration::from_secs_f64(s.max(0.05)))
    }

    /// Loads the policy set named by `--policy`.
    pub fn policies(&self) -> Result<PolicySet, String> {
        load_policies(&self.policy)
    }
}

/// `demo`, `production`, or a JSON/TOML file.
pub fn load_policies(name: &str) -> Result<PolicySet, String> {
    match name {
        "demo" => Ok(PolicySet::demo()),
        "production" => Ok(PolicySet::production()),
        path => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read policy file {path}: {e}"))?;
            if path.ends_with(".toml") {
                toml::from_str(&text)
                    .map_err(|e| format!("policy file {path} is not a valid policy set: {e}"))
            } else {
                serde_json::from_str(&text)
                    .map_err(|e| format!("policy file {path} is not a valid policy set: {e}"))
            }
        }
    }
}
