//! Errors as RFC 9457 `application/problem+json`, naming the field, the value and what was
//! expected whenever one input was wrong.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;

/// One error answer. Build it with the constructors, refine it with the `with_*` methods.
/// Boxed, so `Result<_, Problem>` stays small; the fields are reached through `Deref`.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct Problem(Box<ProblemDetails>);

/// The fields of a [`Problem`], as serialised.
#[derive(Debug, Clone, Serialize)]
pub struct ProblemDetails {
    /// A URI naming the kind of problem (relative to the server).
    #[serde(rename = "type")]
    pub kind_uri: &'static str,
    /// A short, fixed summary of the kind of problem.
    pub title: &'static str,
    /// The HTTP status.
    #[serde(serialize_with = "status_code")]
    pub status: StatusCode,
    /// What exactly was wrong, for a person.
    pub detail: String,
    /// The input field that was wrong (a JSON path such as `entry[2].valueQuantity.code`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The value as given, when one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// What would have been accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// A stable snake_case code for the error (`out_of_range`, `missing`, `duplicate`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

fn status_code<S: serde::Serializer>(s: &StatusCode, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_u16(s.as_u16())
}

impl Problem {
    fn new(
        status: StatusCode,
        kind_uri: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Self(Box::new(ProblemDetails {
            kind_uri,
            title,
            status,
            detail: detail.into(),
            field: None,
            value: None,
            expected: None,
            code: None,
        }))
    }

    /// 400: the body is not JSON, or not the shape asked for.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "/problems/bad-request",
            "Bad request",
            detail,
        )
        .with_code("bad_request")
    }

    /// 422: one field is wrong. `field` names it.
    pub fn invalid(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "/problems/invalid-field",
            "Invalid field",
            detail,
        )
        .with_field(field)
    }

    /// 401: no valid session.
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "/problems/unauthorized",
            "Not signed in",
            detail,
        )
        .with_code("unauthorized")
    }

    /// 403: signed in, but not allowed.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "/problems/forbidden",
            "Forbidden",
            detail,
        )
        .with_code("forbidden")
    }

    /// 404.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "/problems/not-found",
            "Not found",
            detail,
        )
        .with_code("not_found")
    }

    /// 409: the request conflicts with the current state.
    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            "/problems/conflict",
            "Conflict",
            detail,
        )
        .with_code("conflict")
    }

    /// 413.
    pub fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "/problems/too-large",
            "Request body too large",
            format!("the request body is larger than the limit of {limit} bytes"),
        )
        .with_code("too_large")
        .with_expected(format!("at most {limit} bytes"))
    }

    /// 415.
    pub fn unsupported_media_type(found: &str, expected: &str) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "/problems/unsupported-media-type",
            "Unsupported media type",
            format!("content type {found:?} is not accepted: expected {expected}"),
        )
        .with_field("Content-Type")
        .with_expected(expected)
        .with_code("unsupported_media_type")
    }

    /// 503: the server cannot take the request now.
    pub fn unavailable(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "/problems/unavailable",
            "Unavailable",
            detail,
        )
        .with_code("unavailable")
    }

    /// 500. The cause is logged (without patient data), never sent.
    pub fn internal(context: &str, cause: impl std::fmt::Display) -> Self {
        tracing::error!(context, error = %cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "/problems/internal",
            "Internal error",
            "the server failed to complete the request; nothing was recorded",
        )
        .with_code("internal")
    }

    /// Names the field.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Puts a prefix before the field path (`entry[2]` + `code` → `entry[2].code`).
    pub fn within(mut self, prefix: &str) -> Self {
        self.field = Some(match self.field.take() {
            Some(f) if f.starts_with('[') => format!("{prefix}{f}"),
            Some(f) => format!("{prefix}.{f}"),
            None => prefix.to_owned(),
        });
        self
    }

    /// Records the value given.
    pub fn with_value(mut self, value: impl Into<Value>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// Records what was expected.
    pub fn with_expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    /// Sets the stable error code.
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// Whether this is a server failure rather than a refusal of the request.
    pub fn is_internal(&self) -> bool {
        self.status.is_server_error()
    }
}

impl std::ops::Deref for Problem {
    type Target = ProblemDetails;
    fn deref(&self) -> &ProblemDetails {
        &self.0
    }
}

impl std::ops::DerefMut for Problem {
    fn deref_mut(&mut self) -> &mut ProblemDetails {
        &mut self.0
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.title,
            self.status.as_u16(),
            self.detail
        )
    }
}

impl From<rusqlite::Error> for Problem {
    fn from(e: rusqlite::Error) -> Self {
        Self::internal("database", e)
    }
}

impl From<news2_core::VitalsError> for Problem {
    fn from(e: news2_core::VitalsError) -> Self {
        let value = match e {
            news2_core::VitalsError::OutOfRange { value, .. }
            | news2_core::VitalsError::LooksLikeFahrenheit { value }
            | news2_core::VitalsError::InvalidScale { value } => {
                serde_json::Number::from_f64(value).map(Value::Number)
            }
            news2_core::VitalsError::NotANumber { text, .. }
            | news2_core::VitalsError::InvalidConsciousness { text } => {
                Some(Value::String(text.as_str().to_owned()))
            }
            _ => None,
        };
        let expected = e
            .to_string()
            .split_once("expected ")
            .map(|(_, x)| x.to_owned());
        let mut p = Problem::invalid(e.field().as_str(), e.to_string()).with_code(e.kind());
        p.value = value;
        p.expected = expected;
        p
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut res = (self.status, body).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        res
    }
}

/// The result of a handler.
pub type ApiResult<T> = Result<T, Problem>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vitals_error_names_field_value_and_expectation() {
        let e = news2_core::Spo2::from_f64(101.0).unwrap_err();
        let p = Problem::from(e);
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(p.field.as_deref(), Some("spo2"));
        assert_eq!(p.value, Some(serde_json::json!(101.0)));
        assert_eq!(p.expected.as_deref(), Some("0–100 %"));
        assert_eq!(p.code.as_deref(), Some("out_of_range"));
    }

    #[test]
    fn within_prefixes_paths() {
        let p = Problem::invalid("code", "x").within("entry[2]");
        assert_eq!(p.field.as_deref(), Some("entry[2].code"));
        let p = Problem::invalid("[0]", "x").within("component");
        assert_eq!(p.field.as_deref(), Some("component[0]"));
    }
}
