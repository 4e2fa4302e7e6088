//! Counters and gauges, served as Prometheus text at `/metrics`.

use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::store::events::EventRecord;

/// Bucket bounds (ms) of the lateness histograms.
const BUCKETS_MS: [u64; 10] = [1, 5, 10, 25, 50, 100, 250, 1000, 5000, 60000];

#[derive(Debug, Default)]
struct Histogram {
    counts: [u64; BUCKETS_MS.len()],
    count: u64,
    sum: u64,
}

impl Histogram {
    fn observe(&mut self, ms: u64) {
        for (i, b) in BUCKETS_MS.iter().enumerate() {
            if ms <= *b {
                self.counts[i] += 1;
            }
        }
        self.count += 1;
        self.sum += ms;
    }

    fn render(&self, out: &mut String, name: &str, help: &str) {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
        for (i, b) in BUCKETS_MS.iter().enumerate() {
            let _ = writeln!(
                out,
                "{name}_bucket{{le=\"{}\"}} {}",
                *b as f64 / 1000.0,
                self.counts[i]
            );
        }
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {}", self.count);
        let _ = writeln!(
            out,
            "{name}_sum {}\n{name}_count {}",
            self.sum as f64 / 1000.0,
            self.count
        );
    }
}

/// The server's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Observations recorded (JSON sets and FHIR observations).
    pub observations: AtomicU64,
    /// Events appended.
    pub events: AtomicU64,
    /// Alerts raised.
    pub alerts: AtomicU64,
    /// Open escalations (set by the writer after each commit).
    pub open_escalations: AtomicU64,
    /// Connected WebSocket clients.
    pub ws_clients: AtomicU64,
    /// Snapshots sent to clients that fell behind.
    pub ws_snapshots: AtomicU64,
    /// Committed write batches.
    pub commits: AtomicU64,
    /// Whether the timer task is running.
    pub timer_alive: AtomicBool,
    timer_lag: Mutex<Histogram>,
    step_lateness: Mutex<Histogram>,
}

impl Metrics {
    /// Counts what a commit appended.
    pub fn record_commit(&self, events: &[std::sync::Arc<EventRecord>]) {
        self.commits.fetch_add(1, Ordering::Relaxed);
        self.events
            .fetch_add(events.len() as u64, Ordering::Relaxed);
        for e in events {
            match e.kind.as_str() {
                "vitals_recorded" | "observation_recorded" => {
                    self.observations.fetch_add(1, Ordering::Relaxed);
                }
                "alert_triggered" => {
                    self.alerts.fetch_add(1, Ordering::Relaxed);
                }
                "escalation_step_started" | "escalation_unanswered" | "escalation_retriggered" => {
                    if let Some(ms) = e.data.get("late_by_ms").and_then(serde_json::Value::as_u64)
                        && let Ok(mut h) = self.step_lateness.lock()
                    {
                        h.observe(ms);
                    }
                }
                _ => {}
            }
        }
    }

    /// Records how late the timer task woke for a deadline.
    pub fn observe_timer_lag(&self, ms: u64) {
        if let Ok(mut h) = self.timer_lag.lock() {
            h.observe(ms);
        }
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(2048);
        let counter = |out: &mut String, name: &str, help: &str, kind: &str, v: u64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {v}"
            );
        };
        counter(
            &mut out,
            "patient_monitor_observations_total",
            "Observations recorded.",
            "counter",
            self.observations.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "patient_monitor_events_total",
            "Events appended to the event store.",
            "counter",
            self.events.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "patient_monitor_alerts_total",
            "NEWS2 alerts raised.",
            "counter",
            self.alerts.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "patient_monitor_commits_total",
            "Write batches committed.",
            "counter",
            self.commits.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "patient_monitor_open_escalations",
            "Escalations not resolved.",
            "gauge",
            self.open_escalations.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "patient_monitor_websocket_clients",
            "Connected WebSocket clients.",
            "gauge",
            self.ws_clients.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "patient_monitor_websocket_snapshots_total",
            "Snapshots sent to clients that fell behind.",
            "counter",
            self.ws_snapshots.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "patient_monitor_timer_alive",
            "Whether the escalation timer task runs.",
            "gauge",
            u64::from(self.timer_alive.load(Ordering::Relaxed)),
        );
        if let Ok(h) = self.timer_lag.lock() {
            h.render(
                &mut out,
                "patient_monitor_timer_lag_seconds",
                "How late the timer task woke after a deadline.",
            );
        }
        if let Ok(h) = self.step_lateness.lock() {
            h.render(
                &mut out,
                "patient_monitor_escalation_step_lateness_seconds",
                "How late escalation steps fired (late_by_ms).",
            );
        }
        out
    }
}
