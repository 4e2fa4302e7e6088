//! Errors as they cross to JavaScript: a [`Failure`] holds the core's error unchanged and
//! exposes its parts as getters; the wrapper turns it into a `VitalsError`,
//! `IdentifierError` or `ProfileError` (real `Error` subclasses).

use std::cell::Cell;

use news2_core::batch::LengthMismatch;
use news2_core::{CnsError, CpfError, Field, ProfileError, VitalsError};
use wasm_bindgen::prelude::*;

/// What went wrong, as the core said it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Cause {
    Vitals(VitalsError),
    /// A value of the wrong JavaScript type for the field: the only error that is the
    /// binding's own, since only JavaScript has it.
    WrongType(Field),
    Cpf(CpfError),
    Cns(CnsError),
    Profile(ProfileError),
    Length(LengthMismatch),
}

/// Why a call failed. `kind` is the core's stable snake_case name (`VitalsError::kind`,
/// `CpfError::kind`, `CnsError::kind`, `ThresholdError::kind`) or one of the binding's own:
/// `invalid_type` (a value of the wrong JavaScript type; the wrapper writes its message, as
/// it holds the value) and `length_mismatch` (batch columns of different lengths).
#[wasm_bindgen]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Failure(Cause);

fn count(n: usize) -> Option<u32> {
    Some(u32::try_from(n).unwrap_or(u32::MAX))
}

#[wasm_bindgen]
impl Failure {
    /// A value of the wrong JavaScript type for `field`.
    pub(crate) fn wrong_type(field: Field) -> Self {
        Self(Cause::WrongType(field))
    }

    /// What failed: `vitals`, `cpf`, `cns`, `profile` or `columns`; the wrapper picks the
    /// JavaScript error class from it.
    #[wasm_bindgen(getter)]
    pub fn source(&self) -> String {
        match &self.0 {
            Cause::Vitals(_) | Cause::WrongType(_) => "vitals",
            Cause::Cpf(_) => "cpf",
            Cause::Cns(_) => "cns",
            Cause::Profile(_) => "profile",
            Cause::Length(_) => "columns",
        }
        .into()
    }

    /// Stable snake_case kind.
    #[wasm_bindgen(getter)]
    pub fn kind(&self) -> String {
        match &self.0 {
            Cause::Vitals(e) => e.kind(),
            Cause::WrongType(_) => "invalid_type",
            Cause::Cpf(e) => e.kind(),
            Cause::Cns(e) => e.kind(),
            Cause::Profile(e) => e.error.kind(),
            Cause::Length(_) => "length_mismatch",
        }
        .into()
    }

    /// The input field or column (snake_case), when the error names one.
    #[wasm_bindgen(getter)]
    pub fn field(&self) -> Option<String> {
        match &self.0 {
            Cause::Vitals(e) => Some(e.field().as_str().into()),
            Cause::WrongType(field) => Some(field.as_str().into()),
            Cause::Profile(e) => Some(e.field.as_str().into()),
            Cause::Length(e) => Some(e.field.into()),
            Cause::Cpf(_) | Cause::Cns(_) => None,
        }
    }

    /// The core error's message (its `Display`); empty for `invalid_type`.
    #[wasm_bindgen(getter)]
    pub fn message(&self) -> String {
        match &self.0 {
            Cause::Vitals(e) => e.to_string(),
            Cause::WrongType(_) => String::new(),
            Cause::Cpf(e) => e.to_string(),
            Cause::Cns(e) => e.to_string(),
            Cause::Profile(e) => e.to_string(),
            Cause::Length(e) => e.to_string(),
        }
    }

    /// The numeric value as given, for vitals errors that carry one.
    #[wasm_bindgen(getter)]
    pub fn value(&self) -> Option<f64> {
        match self.0 {
            Cause::Vitals(
                VitalsError::OutOfRange { value, .. }
                | VitalsError::LooksLikeFahrenheit { value }
                | VitalsError::NotFinite { value, .. }
                | VitalsError::InvalidScale { value },
            ) => Some(value),
            _ => None,
        }
    }

    /// The start of the text as given, for vitals errors about text.
    #[wasm_bindgen(getter)]
    pub fn text(&self) -> Option<String> {
        match &self.0 {
            Cause::Vitals(
                VitalsError::NotANumber { text, .. } | VitalsError::InvalidConsciousness { text },
            ) => Some(text.to_string()),
            _ => None,
        }
    }

    /// The accepted range `[min, max]`, for `out_of_range`.
    #[wasm_bindgen(getter)]
    pub fn range(&self) -> Option<Vec<f64>> {
        match self.0 {
            Cause::Vitals(VitalsError::OutOfRange { min, max, .. }) => Some(vec![min, max]),
            _ => None,
        }
    }

    /// A 0-based position: the identifier character, or the CPF check digit.
    #[wasm_bindgen(getter)]
    pub fn position(&self) -> Option<u32> {
        match self.0 {
            Cause::Cpf(
                CpfError::InvalidCharacter { position, .. } | CpfError::CheckDigit { position, .. },
            )
            | Cause::Cns(CnsError::InvalidCharacter { position, .. }) => count(position),
            _ => None,
        }
    }

    /// The offending identifier character.
    #[wasm_bindgen(getter)]
    pub fn character(&self) -> Option<String> {
        match self.0 {
            Cause::Cpf(CpfError::InvalidCharacter { character, .. })
            | Cause::Cns(CnsError::InvalidCharacter { character, .. }) => {
                Some(character.to_string())
            }
            _ => None,
        }
    }

    /// The check digit the rule computes, or the row count of the first column.
    #[wasm_bindgen(getter)]
    pub fn expected(&self) -> Option<u32> {
        match self.0 {
            Cause::Cpf(CpfError::CheckDigit { expected, .. }) => Some(expected.into()),
            Cause::Length(e) => count(e.expected),
            _ => None,
        }
    }

    /// The digit, digit count, first digit or row count found.
    #[wasm_bindgen(getter)]
    pub fn found(&self) -> Option<u32> {
        match self.0 {
            Cause::Cpf(CpfError::WrongLength { found })
            | Cause::Cns(CnsError::WrongLength { found }) => count(found),
            Cause::Cpf(CpfError::CheckDigit { found, .. })
            | Cause::Cns(CnsError::InvalidFirstDigit { found }) => Some(found.into()),
            Cause::Length(e) => count(e.found),
            _ => None,
        }
    }

    /// The CNS weighted sum mod 11.
    #[wasm_bindgen(getter)]
    pub fn remainder(&self) -> Option<u32> {
        match self.0 {
            Cause::Cns(CnsError::Checksum { remainder }) => Some(remainder.into()),
            _ => None,
        }
    }
}

impl From<VitalsError> for Failure {
    fn from(e: VitalsError) -> Self {
        Self(Cause::Vitals(e))
    }
}

impl From<CpfError> for Failure {
    fn from(e: CpfError) -> Self {
        Self(Cause::Cpf(e))
    }
}

impl From<CnsError> for Failure {
    fn from(e: CnsError) -> Self {
        Self(Cause::Cns(e))
    }
}

impl From<ProfileError> for Failure {
    fn from(e: ProfileError) -> Self {
        Self(Cause::Profile(e))
    }
}

impl From<LengthMismatch> for Failure {
    fn from(e: LengthMismatch) -> Self {
        Self(Cause::Length(e))
    }
}

thread_local! {
    static LAST: Cell<Option<Failure>> = const { Cell::new(None) };
}

/// What a scalar export returns instead of a packed result when it failed.
pub const FAILED: f64 = -1.0;

/// Keeps `failure` for [`take_failure`] and returns [`FAILED`].
pub(crate) fn fail(failure: Failure) -> f64 {
    LAST.with(|last| last.set(Some(failure)));
    FAILED
}

/// The failure left by the last scalar export that returned [`FAILED`] (and forgets it).
#[wasm_bindgen(js_name = takeFailure)]
pub fn take_failure() -> Option<Failure> {
    LAST.with(Cell::take)
}
