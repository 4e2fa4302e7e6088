//! Recording vitals: a complete set as JSON, or single device readings (from FHIR) that the
//! core's observation-set assembly turns into a set, each parameter fresh, stale or missing.
//! Every result is stored; an alert is raised when the score is 5 or more or any parameter
//! scores 3; a missing or stale value is never scored as normal.

use chrono::{DateTime, TimeDelta, Utc};
use news2_core::{
    ClinicalRisk, Measurement, ObservationSet, Parameter, RawVitals, Reading, Spo2Scale, Vitals,
};
use serde_json::{Value, json};

use crate::auth::Actor;
use crate::input::Obj;
use crate::patients::Patient;
use crate::problem::Problem;
use crate::projections::readings::StoredReading;
use crate::projections::readings_of;
use crate::store::WriteCtx;
use crate::store::events::{NewEvent, fmt_time, parse_time};

/// How far ahead of the server clock an observation time may be (device clock skew).
pub const MAX_CLOCK_SKEW: TimeDelta = TimeDelta::minutes(5);

/// A parsed JSON vitals set.
#[derive(Debug, Clone, Copy)]
pub struct VitalsInput {
    /// The validated set.
    pub vitals: Vitals,
    /// When it was observed (`None`: now).
    pub observed_at: Option<DateTime<Utc>>,
    /// Whether `on_oxygen` was left out (and so recorded as air, the form default).
    pub oxygen_defaulted: bool,
}

const FIELDS: [&str; 9] = [
    "respiration_rate",
    "spo2",
    "spo2_scale",
    "on_oxygen",
    "systolic_bp",
    "pulse",
    "consciousness",
    "temperature",
    "observed_at",
];

/// Reads `{respiration_rate, spo2, spo2_scale?, on_oxygen?, systolic_bp, pulse,
/// consciousness, temperature, observed_at?}`: types first, then the core's validation.
pub fn parse(o: &Obj, now: DateTime<Utc>) -> Result<VitalsInput, Problem> {
    o.deny_unknown(&FIELDS)?;
    let consciousness = o.string("consciousness")?.map(str::to_owned);
    let raw = RawVitals {
        respiration_rate: o.number("respiration_rate")?,
        spo2: o.number("spo2")?,
        spo2_scale: o.number("spo2_scale")?,
        on_oxygen: o.boolean("on_oxygen")?,
        systolic_bp: o.number("systolic_bp")?,
        pulse: o.number("pulse")?,
        consciousness: consciousness.as_deref(),
        temperature: o.number("temperature")?,
    };
    let observed_at = o.instant("observed_at")?;
    if let Some(t) = observed_at {
        check_not_future("observed_at", t, now)?;
    }
    let vitals = Vitals::from_raw(&raw)?;
    Ok(VitalsInput {
        vitals,
        observed_at,
        oxygen_defaulted: raw.on_oxygen.is_none(),
    })
}

/// Refuses a time beyond the allowed clock skew.
pub fn check_not_future(field: &str, t: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), Problem> {
    if t > now + MAX_CLOCK_SKEW {
        return Err(Problem::invalid(field, format!("{field} {} is in the future: expected a time no later than the server's clock ({}) plus 5 minutes", fmt_time(t), fmt_time(now)))
            .with_value(fmt_time(t))
            .with_code("in_future")
            .with_expected("a time not in the future"));
    }
    Ok(())
}

fn vitals_json(v: &Vitals, oxygen_defaulted: bool) -> Value {
    json!({
        "respiration_rate": v.respiration_rate.get(), "spo2": v.spo2.get(), "spo2_scale": v.spo2_scale.number(),
        "on_oxygen": v.on_oxygen, "on_oxygen_defaulted": oxygen_defaulted, "systolic_bp": v.systolic_bp.get(),
        "pulse": v.pulse.get(), "consciousness": v.consciousness.letter().to_string(), "temperature": v.temperature.celsius(),
    })
}

/// What recording came to, as the API answers it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The stored observation ids.
    pub observation_ids: Vec<i64>,
    /// The NEWS2 result (complete or incomplete) as stored, with its `score_id`.
    pub news2: Value,
    /// The escalation the result opened or joined, if any.
    pub escalation: Option<Value>,
    /// Warnings (stale data, defaulted oxygen).
    pub warnings: Vec<String>,
}

/// Records a complete JSON set for a patient (inside a write job).
pub fn record_set(
    ctx: &mut WriteCtx<'_>,
    actor: &Actor,
    p: &Patient,
    input: VitalsInput,
    source: &str,
    max_age: TimeDelta,
) -> Result<Recorded, Problem> {
    let observed_at = input.observed_at.unwrap_or(ctx.now);
    let at = fmt_time(observed_at);
    let data = json!({
        "observed_at": at, "source": source, "vitals": vitals_json(&input.vitals, input.oxygen_defaulted),
        "readings": readings_of(&input.vitals, &at),
    });
    let obs = ctx.append(NewEvent::patient(
        "vitals_recorded",
        p.id,
        &p.ward,
        &actor.user.username,
        data,
    ))?;
    let score = input.vitals.score();
    let stale = ctx.now - observed_at > max_age;
    let mut warnings = Vec::new();
    if stale {
        warnings.push(format!(
            "observed_at is older than {} minutes: the result is marked stale",
            max_age.num_minutes()
        ));
    }
    if input.oxygen_defaulted {
        warnings.push("on_oxygen was not given and is recorded as air".to_owned());
    }
    let news2 = json!({"observed_at": at, "complete": true, "stale": stale, "news2": score, "derived_from": [obs.id]});
    let rec = ctx.append(NewEvent::patient(
        "score_computed",
        p.id,
        &p.ward,
        &actor.user.username,
        news2,
    ))?;
    let escalation = crate::escalation::on_score(
        ctx,
        actor,
        p,
        rec.id,
        score.risk,
        !score.red.is_empty(),
        false,
    )?;
    ctx.audit(actor.entry(
        "vitals.create",
        format!("Observation/{}", obs.id),
        Some(p.id),
        Some(&p.ward),
        "success",
    ))?;
    Ok(Recorded {
        observation_ids: vec![obs.id],
        news2: result_json(&rec.data, rec.id),
        escalation,
        warnings,
    })
}

/// The API shape of a stored result: the core's score fields at the top, with the id and flags.
pub fn result_json(data: &Value, score_id: i64) -> Value {
    let mut out = data
        .get("news2")
        .or_else(|| data.get("partial"))
        .cloned()
        .unwrap_or_else(|| json!({}));
    for k in [
        "observed_at",
        "complete",
        "stale",
        "derived_from",
        "missing",
        "stale_parameters",
        "minimum_risk",
    ] {
        if let Some(v) = data.get(k) {
            out[k] = v.clone();
        }
    }
    out["score_id"] = json!(score_id);
    out
}

/// One FHIR observation to record: its readings and the resource as received.
#[derive(Debug, Clone)]
pub struct IncomingObservation {
    /// The readings it carries (a panel may carry several).
    pub readings: Vec<Reading>,
    /// The resource, for the record and `derivedFrom`.
    pub resource: Value,
}

/// Records single device readings for a patient and assembles the current set from every
/// stored reading: scored when every parameter is fresh, else stored as incomplete with the
/// missing and stale parameters named (inside a write job).
pub fn record_readings(
    ctx: &mut WriteCtx<'_>,
    actor: &Actor,
    p: &Patient,
    incoming: Vec<IncomingObservation>,
    source: &str,
    max_age: TimeDelta,
) -> Result<Recorded, Problem> {
    let mut ids = Vec::new();
    // A device clock slightly ahead (within the allowed skew) must not hide its own reading.
    let at_time = incoming
        .iter()
        .flat_map(|o| o.readings.iter().map(|r| r.at))
        .max()
        .unwrap_or(ctx.now)
        .max(ctx.now);
    for obs in incoming {
        let observed_at = obs.readings.iter().map(|r| r.at).max().unwrap_or(ctx.now);
        let readings: Vec<Value> = obs
            .readings
            .iter()
            .map(|r| json!({"parameter": r.measurement.parameter().as_str(), "value": r.measurement.value(), "at": fmt_time(r.at)}))
            .collect();
        let data = json!({"observed_at": fmt_time(observed_at), "source": source, "readings": readings, "resource": obs.resource});
        let e = ctx.append(NewEvent::patient(
            "observation_recorded",
            p.id,
            &p.ward,
            &actor.user.username,
            data,
        ))?;
        ctx.audit(actor.entry(
            "observation.create",
            format!("Observation/{}", e.id),
            Some(p.id),
            Some(&p.ward),
            "success",
        ))?;
        ids.push(e.id);
    }
    let (set, used) = assemble(ctx, p.id, at_time, max_age)?;
    let at = fmt_time(at_time);
    let names = |s: news2_core::ParameterSet| s.iter().map(Parameter::as_str).collect::<Vec<_>>();
    let (kind, data, risk, red, partial, mut warnings) = match set.score() {
        Ok(score) => {
            let d = json!({"observed_at": at, "complete": true, "stale": false, "news2": score, "derived_from": used});
            (
                "score_computed",
                d,
                score.risk,
                !score.red.is_empty(),
                false,
                Vec::new(),
            )
        }
        Err(incomplete) => {
            let partial = set.score_partial();
            let d = json!({
                "observed_at": at, "complete": false, "partial": partial, "missing": names(incomplete.missing),
                "stale_parameters": names(incomplete.stale), "minimum_risk": partial.minimum_risk(), "derived_from": used,
            });
            let w = vec![format!(
                "not scored: missing {:?}, stale {:?}",
                names(incomplete.missing),
                names(incomplete.stale)
            )];
            (
                "score_incomplete",
                d,
                partial.minimum_risk(),
                !partial.red.is_empty(),
                true,
                w,
            )
        }
    };
    let rec = ctx.append(NewEvent::patient(
        kind,
        p.id,
        &p.ward,
        &actor.user.username,
        data,
    ))?;
    let escalation = crate::escalation::on_score(ctx, actor, p, rec.id, risk, red, partial)?;
    if partial && escalation.is_some() {
        warnings.push("the parameters measured already call for escalation".to_owned());
    }
    Ok(Recorded {
        observation_ids: ids,
        news2: result_json(&rec.data, rec.id),
        escalation,
        warnings,
    })
}

/// The latest reading of each parameter at or before `at`, assembled with the maximum age.
/// Returns the set and the observation ids of the fresh readings it used.
fn assemble(
    ctx: &WriteCtx<'_>,
    patient_id: i64,
    at: DateTime<Utc>,
    max_age: TimeDelta,
) -> Result<(ObservationSet, Vec<i64>), Problem> {
    let rows = crate::projections::readings::at_or_before(ctx.conn, patient_id, &fmt_time(at))?;
    let mut readings = Vec::with_capacity(rows.len());
    let mut sources = Vec::with_capacity(rows.len());
    for StoredReading {
        parameter,
        value,
        at,
        observation_id,
    } in rows
    {
        let parameter: Parameter = parameter
            .parse()
            .map_err(|e| Problem::internal("stored reading", e))?;
        let measurement = Measurement::from_f64(parameter, value)
            .map_err(|e| Problem::internal("stored reading", e))?;
        readings.push(Reading {
            measurement,
            at: parse_time(&at)?,
        });
        sources.push(observation_id);
    }
    let set = ObservationSet::assemble(&readings, at, max_age, Spo2Scale::Scale1);
    let mut used: Vec<i64> = Parameter::ALL
        .iter()
        .filter_map(|p| {
            let st = set.status(*p);
            let r = st
                .reading
                .filter(|_| st.freshness == news2_core::Freshness::Fresh)?;
            readings.iter().position(|x| *x == r).map(|i| sources[i])
        })
        .collect();
    used.sort_unstable();
    used.dedup();
    Ok((set, used))
}

/// Whether a result calls for an alert: 5 or more, or any single parameter scoring 3.
pub fn alerts(risk: ClinicalRisk, any_red: bool) -> bool {
    risk >= ClinicalRisk::Medium || any_red
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_alert_rule() {
        assert!(!alerts(ClinicalRisk::Low, false));
        assert!(alerts(ClinicalRisk::LowMedium, true));
        assert!(alerts(ClinicalRisk::Medium, false));
        assert!(alerts(ClinicalRisk::High, false));
    }

    #[test]
    fn parse_refuses_wrong_types_and_reports_core_errors() {
        let now = Utc::now();
        let ok = json!({"respiration_rate": 18, "spo2": 97, "systolic_bp": 120, "pulse": 70, "consciousness": "A", "temperature": 37.0});
        let v = parse(&Obj::root(ok.clone()).unwrap(), now).unwrap();
        assert_eq!(v.vitals.score().total, 0);
        assert!(v.oxygen_defaulted);
        let mut bad = ok.clone();
        bad["pulse"] = json!("70");
        assert_eq!(
            parse(&Obj::root(bad).unwrap(), now)
                .unwrap_err()
                .field
                .as_deref(),
            Some("pulse")
        );
        let mut bad = ok.clone();
        bad["spo2"] = json!(101);
        let e = parse(&Obj::root(bad).unwrap(), now).unwrap_err();
        assert_eq!(
            (e.field.as_deref(), e.code.as_deref()),
            (Some("spo2"), Some("out_of_range"))
        );
        let mut bad = ok;
        bad.as_object_mut().unwrap().remove("temperature");
        assert_eq!(
            parse(&Obj::root(bad).unwrap(), now)
                .unwrap_err()
                .code
                .as_deref(),
            Some("missing")
        );
    }
}
