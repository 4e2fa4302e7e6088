//! Reading request bodies: strict JSON objects whose every wrong field is named, with the
//! value given and what was expected. Nothing is coerced: `"72"` is not a number.

use axum::http::{HeaderMap, header};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::problem::Problem;

/// Checks the `Content-Type` is JSON (`application/json`, `application/fhir+json`, or a
/// `+json` type).
pub fn require_json(headers: &HeaderMap) -> Result<(), Problem> {
    let found = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = found
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
    {
        Ok(())
    } else {
        Err(Problem::unsupported_media_type(
            found,
            "application/json or application/fhir+json",
        ))
    }
}

/// Parses a body as one JSON object.
pub fn parse_object(headers: &HeaderMap, body: &[u8]) -> Result<Obj, Problem> {
    require_json(headers)?;
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        Problem::bad_request(format!(
            "the body is not valid JSON: {} (line {}, column {})",
            strip_position(&e.to_string()),
            e.line(),
            e.column()
        ))
        .with_code("malformed_json")
        .with_expected("a JSON object")
    })?;
    Obj::root(value)
}

fn strip_position(msg: &str) -> &str {
    msg.split(" at line ").next().unwrap_or(msg)
}

/// A short rendering of a JSON value for an error (long texts are cut).
pub fn shown(v: &Value) -> Value {
    match v {
        Value::String(s) if s.chars().count() > 64 => {
            Value::String(s.chars().take(64).collect::<String>() + "…")
        }
        Value::Array(a) if a.len() > 8 => Value::String(format!("an array of {} items", a.len())),
        Value::Object(o) if o.len() > 8 => {
            Value::String(format!("an object with {} fields", o.len()))
        }
        other => other.clone(),
    }
}

/// The JSON type of a value, as named in errors.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A JSON object being read, with the path to it for error messages.
#[derive(Debug, Clone)]
pub struct Obj {
    path: String,
    map: Map<String, Value>,
}

impl Obj {
    /// The body itself, which must be an object.
    pub fn root(value: Value) -> Result<Self, Problem> {
        match value {
            Value::Object(map) => Ok(Self {
                path: String::new(),
                map,
            }),
            other => Err(Problem::bad_request(format!(
                "the body is {}: expected a JSON object",
                type_name(&other)
            ))
            .with_code("wrong_type")
            .with_expected("a JSON object")),
        }
    }

    /// An object found at `path`.
    pub fn at(path: String, value: &Value) -> Result<Self, Problem> {
        match value {
            Value::Object(map) => Ok(Self {
                path,
                map: map.clone(),
            }),
            other => Err(wrong_type(&path, other, "an object")),
        }
    }

    /// The full path of a field of this object.
    pub fn path_of(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The raw value of a field (`null` counts as absent).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// Refuses any field not in `allowed`, naming the first unknown one.
    pub fn deny_unknown(&self, allowed: &[&str]) -> Result<(), Problem> {
        match self.map.keys().find(|k| !allowed.contains(&k.as_str())) {
            None => Ok(()),
            Some(k) => Err(Problem::invalid(
                self.path_of(k),
                format!(
                    "unknown field {k:?}: expected one of {}",
                    allowed.join(", ")
                ),
            )
            .with_code("unknown_field")
            .with_expected(allowed.join(", "))),
        }
    }

    /// A field that must be present.
    pub fn required(&self, key: &str) -> Result<&Value, Problem> {
        self.get(key).ok_or_else(|| missing(&self.path_of(key)))
    }

    /// An optional number (finite; JSON has no NaN).
    pub fn number(&self, key: &str) -> Result<Option<f64>, Problem> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n.as_f64().map(Some).ok_or_else(|| {
                wrong_type(&self.path_of(key), &Value::Number(n.clone()), "a number")
            }),
            Some(other) => Err(wrong_type(&self.path_of(key), other, "a number")),
        }
    }

    /// An optional boolean.
    pub fn boolean(&self, key: &str) -> Result<Option<bool>, Problem> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(wrong_type(&self.path_of(key), other, "true or false")),
        }
    }

    /// An optional string.
    pub fn string(&self, key: &str) -> Result<Option<&str>, Problem> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(wrong_type(&self.path_of(key), other, "a string")),
        }
    }

    /// A required, non-blank string of at most `max` characters.
    pub fn text(&self, key: &str, max: usize) -> Result<String, Problem> {
        let s = self
            .string(key)?
            .ok_or_else(|| missing(&self.path_of(key)))?;
        let t = s.trim();
        if t.is_empty() {
            return Err(Problem::invalid(
                self.path_of(key),
                format!("{key} is blank: expected text"),
            )
            .with_value(s)
            .with_code("blank")
            .with_expected("non-blank text"));
        }
        if t.chars().count() > max || t.chars().any(char::is_control) {
            return Err(Problem::invalid(self.path_of(key), format!("{key} is too long or holds control characters: expected at most {max} printable characters"))
                .with_value(shown(&Value::String(s.to_owned())))
                .with_code("invalid_text")
                .with_expected(format!("at most {max} printable characters")));
        }
        Ok(t.to_owned())
    }

    /// An optional RFC 3339 instant with an offset (`2026-01-01T10:00:00Z`).
    pub fn instant(&self, key: &str) -> Result<Option<DateTime<Utc>>, Problem> {
        match self.string(key)? {
            None => Ok(None),
            Some(s) => parse_instant(&self.path_of(key), s).map(Some),
        }
    }

    /// An optional array.
    pub fn array(&self, key: &str) -> Result<Option<&Vec<Value>>, Problem> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(other) => Err(wrong_type(&self.path_of(key), other, "an array")),
        }
    }

    /// An optional nested object.
    pub fn object(&self, key: &str) -> Result<Option<Obj>, Problem> {
        self.get(key)
            .map(|v| Obj::at(self.path_of(key), v))
            .transpose()
    }
}

/// Parses an RFC 3339 instant; `field` is named on error.
pub fn parse_instant(field: &str, s: &str) -> Result<DateTime<Utc>, Problem> {
    DateTime::parse_from_rfc3339(s).map(|d| d.with_timezone(&Utc)).map_err(|e| {
        Problem::invalid(field, format!("{field} {s:?} is not a date-time ({e}): expected RFC 3339 with an offset, such as 2026-01-01T10:00:00Z"))
            .with_value(shown(&Value::String(s.to_owned())))
            .with_code("invalid_datetime")
            .with_expected("an RFC 3339 date-time with an offset")
    })
}

/// A required field that is absent.
pub fn missing(field: &str) -> Problem {
    Problem::invalid(
        field,
        format!("{field} is missing: a missing value is never treated as normal"),
    )
    .with_code("missing")
    .with_expected("a value")
}

/// A field of the wrong JSON type.
pub fn wrong_type(field: &str, got: &Value, expected: &str) -> Problem {
    Problem::invalid(
        field,
        format!("{field} is {}: expected {expected}", type_name(got)),
    )
    .with_value(shown(got))
    .with_code("wrong_type")
    .with_expected(expected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wrong_types_and_unknown_fields_are_named() {
        let o = Obj::root(json!({"pulse": "72", "extra": 1})).unwrap();
        let e = o.number("pulse").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("pulse"));
        assert_eq!(e.value, Some(json!("72")));
        let e = o.deny_unknown(&["pulse"]).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("extra"));
    }

    #[test]
    fn nested_paths_and_instants() {
        let o = Obj::root(json!({"a": {"b": "yesterday"}})).unwrap();
        let inner = o.object("a").unwrap().unwrap();
        let e = inner.instant("b").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("a.b"));
        assert!(Obj::root(json!([1])).is_err());
    }
}
