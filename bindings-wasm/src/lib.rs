//! # news2-wasm
//!
//! The wasm-bindgen layer under the `news2-wasm` npm package: NEWS2 scoring,
//! classification and CPF/CNS identifiers from [`news2_core`] for browsers and Node.
//!
//! This crate is deliberately thin. It converts JavaScript values to the cores' types,
//! calls the cores, and maps their results and errors back; it holds no clinical rule,
//! threshold, rounding or parsing logic. Every number a caller sees was computed by
//! `news2-core`, and every error message is the core's own `Display`.
//!
//! The exports here are the *raw* module: positional arguments and results packed into
//! integers, so that one `score()` call crosses the boundary once without allocating a
//! JavaScript object in Rust. The public API (`score`, `scorePartial`, `scoreBatch`,
//! `classify`, `parseCpf`, …) is the JavaScript wrapper in `js/api.js`, which reads the
//! caller's objects, calls these functions and builds the result objects from the label
//! tables in `labels`.
//!
//! ## Conventions shared with the wrapper
//!
//! - Inputs a JavaScript caller may leave out or give the wrong type are described by two
//!   bit masks, `absent` and `wrong_type`, one bit per input (see `vitals::input`). An
//!   absent value is `None` in the core's input type; a value of the wrong JavaScript type
//!   is reported as `Failure` kind `invalid_type`, in the core's field order, so the
//!   first bad field is the one reported whatever made it bad.
//! - On failure a scalar export returns a negative number and leaves a `Failure` for
//!   `take_failure`; other exports throw the `Failure` itself. The wrapper turns it into
//!   a real JavaScript `Error` subclass (`VitalsError`, `IdentifierError`, `ProfileError`).
//! - Packed results are non-negative integers below 2⁵³, exact in an `f64`; each packing
//!   function documents its layout.
//!
//! ## Features and modules
//!
//! - `news2` (default): the exports above; the package's main module (`news2_wasm`).
//! - `escalation`: escalation-core's policy set, board and replayed escalation
//!   (module `escalation`). The build script compiles it without `news2` into the package's second
//!   module (`news2_escalation`, entry `news2-wasm/escalation`), so an application that only
//!   scores never downloads it, and one that does both loads each code once.

#[cfg(feature = "news2")]
pub mod batch;
#[cfg(feature = "news2")]
pub mod classification;
#[cfg(feature = "escalation")]
pub mod escalation;
#[cfg(feature = "news2")]
pub mod failure;
#[cfg(feature = "news2")]
pub mod identifier;
#[cfg(feature = "news2")]
pub mod labels;
#[cfg(feature = "news2")]
pub mod vitals;

#[cfg(feature = "news2")]
pub use failure::{Failure, take_failure};
