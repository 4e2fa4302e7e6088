//! A sans-IO escalation state machine for NEWS2 alerts: per-risk policies, injected time,
//! an event-sourced lifecycle, and a [`Board`] that schedules a million open escalations.
//!
//! Pure Rust: no I/O, no threads, no async, no clock reads. Time comes in as `now` (or from
//! a [`Clock`]); the caller asks [`next_deadline`](Board::next_deadline) when to call again
//! and calls [`advance_to(now)`](Board::advance_to) / [`handle_timeout(now)`](Escalation::handle_timeout)
//! then, the model of quinn-proto's `poll_timeout` / `handle_timeout`. The server and the
//! bindings own the real timers.
//!
//! ```
//! use chrono::DateTime;
//! use std::time::Duration;
//! use escalation_core::*;
//! use news2_core::ClinicalRisk;
//!
//! let clock = ManualClock::new(DateTime::from_timestamp(1_735_718_400, 0).unwrap());
//! let mut board = Board::new(PolicySet::demo());
//! let (id, events) = board.alert(PatientId::new(42), ClinicalRisk::Medium, clock.now()).unwrap();
//! assert_eq!(events[1].kind.name(), "step_notified"); // the nurse, at once
//!
//! clock.advance(Duration::from_secs(30));
//! let events = board.advance(&clock); // the senior clinician
//! assert!(matches!(&events[0].kind, EventKind::StepNotified { step: 1, .. }));
//!
//! let nurse = Responder::new(StaffId::new("nurse-17").unwrap(), Role::Nurse);
//! board.execute(id, &Command::Acknowledge { by: nurse }, clock.now()).unwrap();
//! assert_eq!(board.next_deadline(), None); // the demo set has no acknowledgement timeout
//! ```
//!
//! # Lifecycle
//!
//! States ([`EscalationState`], JSON labels): `notifying` → (`acknowledged` | `unanswered`)
//! → `resolved`. A command ([`Command`]) is decided against the state and `now` and yields
//! [`Event`]s, or a typed [`CommandError`] and no change; applying events gives the next
//! state; [`Escalation::replay`] of an escalation's events alone rebuilds it exactly.
//!
//! - **Trigger**: the first step of the chain for the alert's risk is notified at once.
//! - **Timeout**: each step's deadline is its start + its timeout. Handling a timeout at `now`
//!   fires every passed deadline in order, each with its `due_at` and `late_by_ms`, so a
//!   paused caller catches up. When the last step of the last repeat runs out the escalation
//!   is `unanswered`, with an `unanswered` event: never silence.
//! - **Acknowledge** records who and in which role, and stops all notification until a
//!   re-trigger (the policy's acknowledgement timeout, or a snooze running out, restarts
//!   from the first step). A step may restrict which roles may acknowledge it.
//! - **Decline** by every recipient of the current step notifies the next step at once.
//! - **Snooze** (only while acknowledged) moves the re-trigger; **resolve** closes.
//! - **Alert** for a patient with an open escalation joins it (counted, latest risk kept).
//!   A risk in a higher band moves the escalation to that band's chain at the same step and
//!   pass (or the new chain's last, if shorter), never back down, in a `band_raised` event,
//!   and notifies that step at once. A new alert re-triggers an `unanswered` escalation.
//!
//! # Durability
//!
//! - Persist all the events of one call together (one transaction); key them on
//!   `(escalation_id, sequence)`. Replay rejects gaps, reorders and half-written decisions.
//! - After a crash, [`Board::restore`] rebuilds the board from the replayed escalations and the
//!   next id; overdue steps fire on the next `advance_to`, recorded as late.
//! - A durable job runner sets one timer per [`Deadline`] and delivers its [`TimerToken`] to
//!   [`Board::handle_timer`] / [`Escalation::handle_timer`]. A token delivered twice, or after
//!   an acknowledgement or resolution, is [`TimerOutcome::Stale`] and ignored.
//! - Times are kept to the millisecond (a finer `now` is truncated) and must fall between
//!   1970 and 9000; an older `now` than an escalation's latest event counts as that event's time.
//!
//! # Policies: JSON and TOML
//!
//! A [`PolicySet`] maps each risk label to an [`EscalationPolicy`] (or `null`: use the nearest
//! lower band's). Both formats share one shape; TOML leaves absent values out. Deserialising
//! validates exactly as the constructors do.
//!
//! ```
//! use escalation_core::PolicySet;
//! use news2_core::ClinicalRisk;
//!
//! let json = r#"{
//!   "low": null,
//!   "low-medium": {
//!     "steps": [
//!       {"target": {"role": "nurse", "recipients": ["nurse-17", "nurse-22"]}, "timeout_seconds": 900,
//!        "ack_roles": ["nurse", "senior_clinician"]},
//!       {"target": {"role": "senior_clinician", "recipients": []}, "timeout_seconds": 600, "ack_roles": []}
//!     ],
//!     "repeats": 2,
//!     "ack_timeout_seconds": 3600,
//!     "exhausted_notify": {"role": "critical_care_outreach", "recipients": []}
//!   },
//!   "medium": null,
//!   "high": {"steps": [{"target": {"role": "on_call_doctor"}, "timeout_seconds": 300}]}
//! }"#;
//! let set: PolicySet = serde_json::from_str(json).unwrap();
//! assert_eq!(set.for_risk(ClinicalRisk::Medium), set.own(ClinicalRisk::LowMedium));
//!
//! let toml = r#"
//! [high]
//! repeats = 3
//! ack_timeout_seconds = 900
//!
//! [[high.steps]]
//! timeout_seconds = 300
//! target = { role = "on_call_doctor" }
//! ack_roles = ["on_call_doctor", "critical_care_outreach"]
//! "#;
//! let set: PolicySet = toml::from_str(toml).unwrap();
//! assert_eq!(set.for_risk(ClinicalRisk::High).unwrap().repeats(), 3);
//!
//! let zero = r#"{"high": {"steps": [{"target": {"role": "nurse"}, "timeout_seconds": 0}]}}"#;
//! let err = serde_json::from_str::<PolicySet>(zero).unwrap_err().to_string();
//! assert!(err.contains("step 0: timeout must be whole seconds from 1s to 604800s"), "{err}");
//! ```
//!
//! # Events: JSON
//!
//! Every event is `{"escalation_id", "sequence", "at", "type", ...fields}`; see [`EventKind`]
//! for each type's fields. Times are RFC 3339 UTC, risks the NEWS2 labels, roles their labels.
//!
//! ```json
//! {"escalation_id":1,"sequence":1,"at":"2025-01-01T08:00:00Z","type":"triggered","patient_id":42,"risk":"medium","policies":{...}}
//! {"escalation_id":1,"sequence":2,"at":"2025-01-01T08:00:00Z","type":"step_notified","step":0,"pass":0,"generation":0,"target":{"role":"nurse","recipients":[]},"due_at":"2025-01-01T08:00:00Z","deadline":"2025-01-01T08:00:30Z","late_by_ms":0}
//! {"escalation_id":1,"sequence":3,"at":"2025-01-01T08:00:10Z","type":"alert_joined","risk":"high","alert_count":2}
//! {"escalation_id":1,"sequence":4,"at":"2025-01-01T08:00:10Z","type":"band_raised","from":"medium","to":"high","step":0,"pass":0}
//! {"escalation_id":1,"sequence":6,"at":"2025-01-01T08:00:12Z","type":"acknowledged","by":{"staff_id":"dr-ana","role":"on_call_doctor"},"step":0,"pass":0,"generation":2,"retrigger_at":null}
//! {"escalation_id":1,"sequence":7,"at":"2025-01-01T08:00:13Z","type":"snoozed","by":{...},"until":"2025-01-01T08:10:13Z","generation":3}
//! {"escalation_id":1,"sequence":8,"at":"2025-01-01T08:10:14Z","type":"retriggered","reason":"snooze_expired","due_at":"2025-01-01T08:10:13Z","late_by_ms":1000}
//! {"escalation_id":1,"sequence":9,"at":"...","type":"declined","by":{...},"step":0,"pass":0,"all_declined":true}
//! {"escalation_id":1,"sequence":10,"at":"...","type":"unanswered","due_at":"...","late_by_ms":0,"notify":null}
//! {"escalation_id":1,"sequence":11,"at":"...","type":"resolved","by":{...}}
//! ```
//!
//! # Features
//!
//! - `std` (default): `std::error::Error` for the errors and [`SystemClock`]. Without it
//!   the crate is `no_std` + `alloc`.
#![no_std]
#![deny(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod board;
mod clock;
mod command;
mod error;
mod escalation;
mod event;
mod id;
mod policy;
mod policy_set;
mod role;
mod time;
mod timer;

pub use board::Board;
#[cfg(feature = "std")]
pub use clock::SystemClock;
pub use clock::{Clock, ManualClock};
pub use command::Command;
pub use error::{
    ApplyError, BoardError, CommandError, DurationOutOfRange, InvalidRole, InvalidStaffId,
    PolicyError, StepError,
};
pub use escalation::{Acknowledgement, CurrentStep, Escalation, EscalationState, Resolution};
pub use event::{Event, EventKind, RetriggerReason};
pub use id::{EscalationId, PatientId, StaffId};
pub use policy::{EscalationPolicy, Step, Target};
pub use policy_set::PolicySet;
pub use role::{CustomRole, Responder, Role};
pub use timer::{Deadline, TimerOutcome, TimerToken};
