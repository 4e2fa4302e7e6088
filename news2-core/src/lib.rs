//! # news2-core
//!
//! The National Early Warning Score 2 (NEWS2, Royal College of Physicians, 2017) for
//! adults, the per-vital classification a ward dashboard shows, and the Brazilian patient
//! identifiers CPF and CNS. Pure: no I/O, no clock, no allocation in scoring or parsing,
//! `#![no_std]` without the default `std` feature.
//!
//! ```
//! use news2_core::{ClinicalRisk, Parameter, RawVitals, Vitals};
//!
//! let raw = RawVitals {
//!     respiration_rate: Some(24.0),
//!     spo2: Some(93.0),
//!     on_oxygen: Some(true),
//!     systolic_bp: Some(98.0),
//!     pulse: Some(118.0),
//!     consciousness: Some("A"),
//!     temperature: Some(38.6),
//!     ..RawVitals::default()
//! };
//! let score = Vitals::from_raw(&raw)?.score();
//! assert_eq!(score.total, 2 + 2 + 2 + 2 + 2 + 0 + 1);
//! assert_eq!(score.risk, ClinicalRisk::High);
//! assert!(score.red.is_empty());
//! # Ok::<(), news2_core::VitalsError>(())
//! ```
//!
//! ## Chart 1: the parameters
//!
//! | parameter | 3 | 2 | 1 | 0 | 1 | 2 | 3 |
//! |---|---|---|---|---|---|---|---|
//! | Respiration rate (/min) | ≤8 | | 9–11 | 12–20 | | 21–24 | ≥25 |
//! | SpO2 Scale 1 (%) | ≤91 | 92–93 | 94–95 | ≥96 | | | |
//! | SpO2 Scale 2 (%) | ≤83 | 84–85 | 86–87 | 88–92, ≥93 on air | 93–94 on oxygen | 95–96 on oxygen | ≥97 on oxygen |
//! | Air or oxygen | | Oxygen | | Air | | | |
//! | Systolic BP (mmHg) | ≤90 | 91–100 | 101–110 | 111–219 | | | ≥220 |
//! | Pulse (/min) | ≤40 | | 41–50 | 51–90 | 91–110 | 111–130 | ≥131 |
//! | Consciousness | | | | Alert | | | New confusion, Voice, Pain, Unresponsive |
//! | Temperature (°C) | ≤35.0 | | 35.1–36.0 | 36.1–38.0 | 38.1–39.0 | ≥39.1 | |
//!
//! The functions in [`chart`] state these bands once; everything else derives from them.
//!
//! ## Chart 3: clinical risk, and Chart 4: response
//!
//! Checked in this order: aggregate ≥ 7 is **high** (continuous monitoring, emergency
//! response, consider HDU/ICU); 5–6 is **medium** (at least hourly, urgent response by a
//! clinician competent in acute illness); any single parameter scoring 3 is
//! **low-medium** (at least hourly, the nurse informs the medical team); otherwise
//! **low** (aggregate 0: at least 12-hourly; 1–4: at least 4–6-hourly, the registered
//! nurse assesses). See [`ClinicalRisk`] and [`ClinicalResponse`].
//!
//! ## Values, bounds and rounding
//!
//! Each vital is its own type ([`RespirationRate`], [`Spo2`], [`SystolicBp`], [`Pulse`],
//! [`Temperature`], [`Acvpu`]) that can only hold a plausible value, so a [`Vitals`]
//! that exists is valid. Out-of-range, non-finite or malformed input is an error naming the
//! field, the value and the accepted range ([`VitalsError`]); it is never clamped.
//!
//! The chart works in whole numbers, and in 0.1 °C for temperature. Non-integer input is
//! rounded **half away from zero, on the number's decimal representation**: `36.05` →
//! 36.1 and `35.05` → 35.1, although the floats nearest those decimals lie just below
//! them. Text input (`"36.05"`) is rounded exactly, without passing through a float.
//!
//! ## Missing and stale values
//!
//! A missing value is never treated as normal. [`Vitals::score`] needs every parameter;
//! [`PartialVitals::score`] returns the partial total, the missing parameters and
//! `complete() == false`. [`ObservationSet::assemble`] builds a set from single readings
//! taken at different times and marks each parameter fresh, stale or missing.
//!
//! ## SpO2 Scale 2
//!
//! Only for confirmed hypercapnic respiratory failure, on a clinician's direction:
//! [`Spo2Scale`] defaults to Scale 1, and every result records the scale it used.
//!
//! ## Features
//!
//! - `std` (default): `std::error::Error` for the error types.
//! - `alloc`: heap support where dependencies need it.
//! - `serde`: `Serialize`/`Deserialize` for every public data type, with snake_case field
//!   names; deserialising a value validates it exactly like its constructor.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

pub mod batch;
pub mod chart;

mod assembly;
mod classification;
mod consciousness;
mod decimal;
mod error;
mod identifier;
mod measurement;
mod parameter;
mod risk;
mod score;
mod vitals;

pub use assembly::{
    Freshness, IncompleteSet, Measurement, ObservationSet, ParameterStatus, Reading,
};
pub use classification::{
    Classification, Direction, Profile, ProfileError, Status, ThresholdError, Thresholds,
    VitalSigns, VitalStatus,
};
pub use consciousness::Acvpu;
pub use error::{Snippet, VitalsError};
pub use identifier::DigitText;
pub use identifier::cns::{Cns, CnsError, CnsKind};
pub use identifier::cpf::{Cpf, CpfError};
pub use measurement::{
    DiastolicBp, Pulse, RespirationRate, Spo2, Spo2Scale, SystolicBp, Temperature,
};
pub use parameter::{Field, Parameter, ParameterSet, UnknownParameter};
pub use risk::{ClinicalResponse, ClinicalRisk, MonitoringFrequency, ResponseLevel, UnknownRisk};
pub use score::{News2Score, ParameterScores, PartialParameterScores, PartialScore};
pub use vitals::{PartialVitals, RawVitals, Vitals};
