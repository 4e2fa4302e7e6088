//! # patient-monitor
//!
//! The monitoring server that wires [`news2_core`] and [`escalation_core`] into the whole
//! clinical flow: vitals in (JSON or FHIR R4) → NEWS2 → an alert when the score is 5 or more
//! or any parameter scores 3 → a durable, timed escalation → a named clinician acknowledges
//! → every step in an append-only event store, pushed over a WebSocket, and every read and
//! write of a patient record in a hash-chained audit log.
//!
//! Storage is one SQLite file in WAL mode with one writer thread ([`store`]); read models
//! ([`projections`]) are updated in the transaction that appends their events and can be
//! rebuilt from the events alone. Escalation decisions are escalation-core's; the server
//! persists them and their deadlines ([`escalation`]) and resumes them after a restart.

pub mod app;
pub mod audit;
pub mod auth;
pub mod config;
pub mod demo;
pub mod escalation;
pub mod fhir;
pub mod input;
pub mod metrics;
pub mod patients;
pub mod problem;
pub mod projections;
pub mod realtime;
pub mod routes;
pub mod store;
pub mod vitals;
pub mod web;

pub use app::{AppState, Running, start};
pub use config::Config;
