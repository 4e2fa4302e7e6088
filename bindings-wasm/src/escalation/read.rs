//! Reads policy sets and events from JavaScript objects in escalation-core's JSON shape
//! (snake_case keys), building them with the core's public constructors.
//!
//! Why not the core's `Deserialize` derives through serde-wasm-bindgen: they (flattened,
//! internally tagged enums buffered as `Content`, one visitor per type and deserializer)
//! were most of the escalation module's bytes. This walker reads each field once with a few
//! JavaScript built-ins and hands every value to the constructor that checks it
//! (`Role::new`, `StaffId::new`, `Target::new`, `Step::new`, `EscalationPolicy::new`, …), so
//! each validation is still the core's. What stays here is shape only: field names, which
//! fields may be left out (as the core's serde attributes say), and the JSON types. In a
//! policy, as in the core's JSON reader (`deny_unknown_fields`), a key it does not know is
//! refused: a misspelt optional setting (say `ack_timeout_secs`) must not silently leave a
//! chain without it.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use escalation_core::{
    EscalationId, EscalationPolicy, Event, EventKind, PatientId, PolicyError, PolicySet, Responder,
    RetriggerReason, Role, StaffId, Step, Target,
};
use news2_core::ClinicalRisk;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Reflect, js_name = get)]
    fn property(target: &JsValue, key: &JsValue) -> JsValue;
    #[wasm_bindgen(js_namespace = Array, js_name = isArray)]
    fn is_array(value: &JsValue) -> bool;
    #[wasm_bindgen(js_namespace = Date, js_name = parse)]
    fn date_parse(text: &str) -> f64;
    #[wasm_bindgen(js_namespace = Object, js_name = keys)]
    fn own_keys(value: &JsValue) -> Vec<String>;
}

/// Why a value could not be read: the message (serde's wording where serde had one).
pub(crate) type Refusal = String;

type Read<T> = Result<T, Refusal>;

/// A JavaScript object read field by field; `what` names it in messages.
#[derive(Clone, Copy)]
struct Object<'a> {
    value: &'a JsValue,
    what: &'static str,
}

fn object<'a>(value: &'a JsValue, what: &'static str) -> Read<Object<'a>> {
    if value.is_object() && !is_array(value) {
        Ok(Object { value, what })
    } else {
        Err(format!("invalid type: expected {what} as an object"))
    }
}

impl Object<'_> {
    /// The field, `None` when absent or `null` (serde reads both as `None` for an `Option`).
    fn get(&self, key: &str) -> Option<JsValue> {
        let v = property(self.value, &JsValue::from_str(key));
        (!v.is_undefined() && !v.is_null()).then_some(v)
    }

    fn require(&self, key: &str) -> Read<JsValue> {
        self.get(key)
            .ok_or_else(|| format!("missing field `{key}` in {}", self.what))
    }

    fn text(&self, key: &str) -> Read<String> {
        self.require(key)?
            .as_string()
            .ok_or_else(|| format!("invalid type: `{key}` must be a string"))
    }

    fn whole(&self, key: &str, max: u64) -> Read<u64> {
        match self.require(key)?.as_f64() {
            Some(n) if n.fract() == 0.0 && (0.0..=max as f64).contains(&n) => Ok(n as u64),
            _ => Err(format!(
                "invalid value: `{key}` must be a whole number from 0 to {max}"
            )),
        }
    }

    fn u32(&self, key: &str) -> Read<u32> {
        self.whole(key, u32::MAX.into()).map(|n| n as u32)
    }

    fn u64(&self, key: &str) -> Read<u64> {
        self.whole(key, (1 << 53) - 1)
    }

    fn flag(&self, key: &str) -> Read<bool> {
        self.require(key)?
            .as_bool()
            .ok_or_else(|| format!("invalid type: `{key}` must be true or false"))
    }

    fn risk(&self, key: &str) -> Read<ClinicalRisk> {
        self.text(key)?.parse().map_err(|e| format!("{key}: {e}"))
    }

    fn time(&self, key: &str) -> Read<DateTime<Utc>> {
        time(&self.text(key)?).ok_or_else(|| {
            format!("invalid value: `{key}` must be an RFC 3339 time from 1970, such as 2025-01-01T08:00:30Z")
        })
    }

    fn optional_time(&self, key: &str) -> Read<Option<DateTime<Utc>>> {
        self.get(key).map(|_| self.time(key)).transpose()
    }

    fn target(&self, key: &str) -> Read<Target> {
        target(&self.require(key)?)
    }

    fn optional_target(&self, key: &str) -> Read<Option<Target>> {
        self.get(key).as_ref().map(target).transpose()
    }

    fn responder(&self, key: &str) -> Read<Responder> {
        let by = self.require(key)?;
        let by = object(&by, "a responder")?;
        let staff_id = StaffId::new(&by.text("staff_id")?).map_err(|e| e.to_string())?;
        let role = Role::new(&by.text("role")?).map_err(|e| e.to_string())?;
        Ok(Responder::new(staff_id, role))
    }

    /// Refuses a key outside `known` (the core's `deny_unknown_fields`, in its words).
    fn only(&self, known: &[&str]) -> Read<()> {
        match own_keys(self.value)
            .into_iter()
            .find(|k| !known.contains(&k.as_str()))
        {
            None => Ok(()),
            Some(key) => {
                let expected = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>();
                Err(format!(
                    "unknown field `{key}` in {}, expected one of {}",
                    self.what,
                    expected.join(", ")
                ))
            }
        }
    }

    /// An array field, `[]` when absent (the core's `#[serde(default)]`), not when `null`.
    fn list(&self, key: &str) -> Read<Vec<JsValue>> {
        let v = property(self.value, &JsValue::from_str(key));
        if v.is_undefined() {
            return Ok(Vec::new());
        }
        array(&v, key)
    }
}

fn array(value: &JsValue, what: &str) -> Read<Vec<JsValue>> {
    if !is_array(value) {
        return Err(format!("invalid type: `{what}` must be an array"));
    }
    let len = property(value, &JsValue::from_str("length"))
        .as_f64()
        .unwrap_or(0.0) as u32;
    Ok((0..len)
        .map(|i| property(value, &JsValue::from(i)))
        .collect())
}

/// RFC 3339 text as the core writes it (`2025-01-01T08:00:30Z`, optional fraction, `Z` or an
/// offset). The shape is checked here so that `Date.parse`, which also reads other formats,
/// only ever sees RFC 3339; times before 1970 are refused, as the core cannot hold them.
fn time(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let mut ok = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    let mut i = 19;
    if ok && b[i] == b'.' {
        let start = i + 1;
        i = start + b[start..].iter().take_while(|d| d.is_ascii_digit()).count();
        ok = i > start;
    }
    let zone = &b[i.min(b.len())..];
    ok = ok
        && (zone == b"Z"
            || (zone.len() == 6
                && matches!(zone[0], b'+' | b'-')
                && zone[1..3].iter().all(u8::is_ascii_digit)
                && zone[3] == b':'
                && zone[4..].iter().all(u8::is_ascii_digit)));
    let ms = if ok { date_parse(text) } else { f64::NAN };
    (ms.is_finite() && ms >= 0.0)
        .then(|| DateTime::from_timestamp_millis(ms as i64))
        .flatten()
}

fn target(value: &JsValue) -> Read<Target> {
    let t = object(value, "a target")?;
    t.only(&["role", "recipients"])?;
    let role = Role::new(&t.text("role")?).map_err(|e| e.to_string())?;
    let recipients = texts(&t.list("recipients")?, "a recipient", StaffId::new)?;
    Target::new(role, recipients).map_err(|e| e.to_string())
}

/// Each of `values`, a string, read by the core's `parse`; `what` names one in messages.
fn texts<T, E: ToString>(
    values: &[JsValue],
    what: &str,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Read<Vec<T>> {
    values
        .iter()
        .map(|v| {
            let text = v
                .as_string()
                .ok_or_else(|| format!("invalid type: {what} must be a string"))?;
            parse(&text).map_err(|e| e.to_string())
        })
        .collect()
}

/// One chain, built as the core builds one read from JSON: steps, then repeats (1 when left
/// out), then the acknowledgement timeout and the exhaustion target when given.
fn policy(value: &JsValue) -> Read<EscalationPolicy> {
    let p = object(value, "a policy")?;
    p.only(&[
        "steps",
        "repeats",
        "ack_timeout_seconds",
        "exhausted_notify",
    ])?;
    let steps = array(&p.require("steps")?, "steps")?;
    let mut chain = Vec::with_capacity(steps.len());
    for (i, s) in steps.iter().enumerate() {
        let s = object(s, "a step")?;
        s.only(&["target", "timeout_seconds", "ack_roles"])?;
        let step = s.target("target").and_then(|target| {
            let timeout = Duration::from_secs(s.u64("timeout_seconds")?);
            let ack_roles = texts(&s.list("ack_roles")?, "a role", Role::new)?;
            Step::new(target, timeout)
                .and_then(|step| step.with_ack_roles(ack_roles))
                .map_err(|source| PolicyError::Step { step: i, source }.to_string())
        })?;
        chain.push(step);
    }
    let repeats = match property(p.value, &JsValue::from_str("repeats")).is_undefined() {
        true => 1,
        false => p.u32("repeats")?,
    };
    let mut policy = EscalationPolicy::new(chain)
        .and_then(|c| c.with_repeats(repeats))
        .map_err(|e| e.to_string())?;
    if p.get("ack_timeout_seconds").is_some() {
        let seconds = p.u64("ack_timeout_seconds")?;
        policy = policy
            .with_ack_timeout(Duration::from_secs(seconds))
            .map_err(|e| e.to_string())?;
    }
    if let Some(target) = p.optional_target("exhausted_notify")? {
        policy = policy.with_exhausted_notify(target);
    }
    Ok(policy)
}

/// A policy set: an optional chain per risk band, keyed by the risk labels.
pub(crate) fn policy_set(value: &JsValue) -> Read<PolicySet> {
    let s = object(value, "a policy set")?;
    s.only(&news2_core::batch::RISK_LABELS)?;
    let mut set: Option<PolicySet> = None;
    for band in ClinicalRisk::ALL {
        if let Some(chain) = s.get(band.as_str()) {
            let chain = policy(&chain)?;
            set = Some(match set {
                None => PolicySet::new(band, chain),
                Some(set) => set.with(band, chain),
            });
        }
    }
    set.ok_or_else(|| PolicyError::NoChains.to_string())
}

/// An event: the envelope, then the fields of its `type`.
pub(crate) fn event(value: &JsValue) -> Read<Event> {
    let e = object(value, "an event")?;
    let kind = match e.text("type")?.as_str() {
        "triggered" => EventKind::Triggered {
            patient_id: PatientId::new(e.u64("patient_id")?),
            risk: e.risk("risk")?,
            policies: Arc::new(policy_set(&e.require("policies")?)?),
        },
        "step_notified" => EventKind::StepNotified {
            step: e.u32("step")?,
            pass: e.u32("pass")?,
            generation: e.u32("generation")?,
            target: e.target("target")?,
            due_at: e.time("due_at")?,
            deadline: e.time("deadline")?,
            late_by_ms: e.u64("late_by_ms")?,
        },
        "alert_joined" => EventKind::AlertJoined {
            risk: e.risk("risk")?,
            alert_count: e.u32("alert_count")?,
        },
        "risk_updated" => EventKind::RiskUpdated {
            risk: e.risk("risk")?,
        },
        "band_raised" => EventKind::BandRaised {
            from: e.risk("from")?,
            to: e.risk("to")?,
            step: e.u32("step")?,
            pass: e.u32("pass")?,
        },
        "acknowledged" => EventKind::Acknowledged {
            by: e.responder("by")?,
            step: e.u32("step")?,
            pass: e.u32("pass")?,
            generation: e.u32("generation")?,
            retrigger_at: e.optional_time("retrigger_at")?,
        },
        "declined" => EventKind::Declined {
            by: e.responder("by")?,
            step: e.u32("step")?,
            pass: e.u32("pass")?,
            all_declined: e.flag("all_declined")?,
        },
        "snoozed" => EventKind::Snoozed {
            by: e.responder("by")?,
            until: e.time("until")?,
            generation: e.u32("generation")?,
        },
        "retriggered" => EventKind::Retriggered {
            reason: retrigger_reason(&e.text("reason")?)?,
            due_at: e.time("due_at")?,
            late_by_ms: e.u64("late_by_ms")?,
        },
        "unanswered" => EventKind::Unanswered {
            due_at: e.time("due_at")?,
            late_by_ms: e.u64("late_by_ms")?,
            notify: e.optional_target("notify")?,
        },
        "resolved" => EventKind::Resolved {
            by: e.responder("by")?,
        },
        other => {
            return Err(format!(
                "unknown event type `{other}`, expected one of triggered, step_notified, alert_joined, risk_updated, band_raised, acknowledged, declined, snoozed, retriggered, unanswered, resolved"
            ));
        }
    };
    Ok(Event {
        escalation_id: EscalationId::new(e.u64("escalation_id")?),
        sequence: e.u64("sequence")?,
        at: e.time("at")?,
        kind,
    })
}

/// An array of events.
pub(crate) fn events(value: &JsValue) -> Read<Vec<Event>> {
    array(value, "events")?.iter().map(event).collect()
}

/// A re-trigger reason by its label, the name the core's serde derive gives it.
fn retrigger_reason(label: &str) -> Read<RetriggerReason> {
    [
        RetriggerReason::AckTimeout,
        RetriggerReason::SnoozeExpired,
        RetriggerReason::NewAlert,
    ]
    .into_iter()
    .find(|r| crate::escalation::label(r).is_some_and(|l| l == label))
    .ok_or_else(|| {
        format!(
            "unknown retrigger reason `{label}`, expected ack_timeout, snooze_expired or new_alert"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_rfc3339_reaches_date_parse() {
        // Each is refused by the shape check, before the engine's parser is asked.
        for text in [
            "",
            "2025-01-01",
            "2025-01-01 08:00:30Z",
            "2025-01-01T08:00:30",
            "2025-01-01T08:00:30.Z",
            "2025-01-01T08:00:30+0100",
            "yesterday at 8",
        ] {
            assert_eq!(time(text), None, "{text}");
        }
    }
}
