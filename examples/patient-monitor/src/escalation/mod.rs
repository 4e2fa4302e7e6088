//! The escalation adapter: the one place the server meets escalation-core. The core decides
//! (the [`Board`] with its timer queue and tokens); this module persists what it decided,
//! in the same transaction as the events that caused it, and restores the board from the
//! event store after a restart.

pub mod notify;
pub mod timer;

use std::collections::BTreeMap;
use std::sync::Arc;

use escalation_core::{
    Board, BoardError, Command, CommandError, Deadline, Escalation, EscalationId,
    Event as CoreEvent, EventKind, PatientId, PolicySet, TimerOutcome, TimerToken,
};
use news2_core::ClinicalRisk;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Value, json};

use crate::auth::Actor;
use crate::patients::Patient;
use crate::problem::Problem;
use crate::projections::{ESCALATION_PREFIX, escalation_type, upsert_escalation};
use crate::store::WriteCtx;
use crate::store::events::{self, NewEvent};

/// The board of open escalations, owned by the writer thread.
#[derive(Debug)]
pub struct Desk {
    board: Board,
}

fn raw(id: EscalationId) -> i64 {
    i64::try_from(id.get()).unwrap_or(i64::MAX)
}

fn to_id(id: i64) -> EscalationId {
    EscalationId::new(u64::try_from(id).unwrap_or(0))
}

impl Desk {
    /// Rebuilds the board from the event store: every escalation not resolved is replayed
    /// from its own events; ids continue after the highest ever issued.
    pub fn restore(conn: &Connection, policies: PolicySet) -> Result<Self, String> {
        let fail = |e: &dyn std::fmt::Display| format!("cannot restore the escalations: {e}");
        let next: i64 = conn
            .query_row(
                "SELECT COALESCE(MAX(escalation_id), 0) + 1 FROM events",
                [],
                |r| r.get(0),
            )
            .map_err(|e| fail(&e))?;
        let open: Vec<i64> = conn
            .prepare("SELECT id FROM escalations WHERE state != 'resolved' ORDER BY id")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .map_err(|e| fail(&e))?;
        let mut replayed = Vec::with_capacity(open.len());
        for id in open {
            let stream = load_stream(conn, id).map_err(|e| fail(&e))?;
            replayed.push(Escalation::replay(&stream).map_err(|e| fail(&e))?);
        }
        let board = Board::restore(policies, to_id(next), replayed).map_err(|e| fail(&e))?;
        Ok(Self { board })
    }

    /// The policy set new escalations open on.
    pub fn policies(&self) -> &Arc<PolicySet> {
        self.board.policies()
    }

    /// The earliest deadline on the board.
    pub fn next_deadline(&self) -> Option<Deadline> {
        self.board.next_deadline()
    }

    /// How many escalations are open.
    pub fn open_count(&self) -> usize {
        self.board.len()
    }
}

/// The core events of one escalation, from the store.
pub fn load_stream(conn: &Connection, id: i64) -> Result<Vec<CoreEvent>, Problem> {
    events::of_escalation(conn, id)?
        .into_iter()
        .filter(|e| e.kind.starts_with(ESCALATION_PREFIX))
        .map(|e| {
            serde_json::from_value(e.data)
                .map_err(|err| Problem::internal("escalation event decoding", err))
        })
        .collect()
}

/// Appends core events (one call's worth, possibly for several escalations) and brings each
/// escalation's row up to date, in the current transaction.
fn persist(ctx: &mut WriteCtx<'_>, actor: &str, evs: Vec<CoreEvent>) -> Result<(), Problem> {
    let mut groups: BTreeMap<i64, (i64, String, Vec<CoreEvent>)> = BTreeMap::new();
    for ev in evs {
        let id = raw(ev.escalation_id);
        if let std::collections::btree_map::Entry::Vacant(slot) = groups.entry(id) {
            let (patient, ward) = locate(ctx.conn, id, &ev)?;
            slot.insert((patient, ward, Vec::new()));
        }
        let Some((patient, ward, list)) = groups.get_mut(&id) else {
            continue;
        };
        let who = match &ev.kind {
            EventKind::Acknowledged { by, .. }
            | EventKind::Resolved { by }
            | EventKind::Declined { by, .. }
            | EventKind::Snoozed { by, .. } => by.staff_id.to_string(),
            _ => actor.to_owned(),
        };
        let data = serde_json::to_value(&ev)
            .map_err(|e| Problem::internal("escalation event encoding", e))?;
        ctx.append(NewEvent {
            kind: escalation_type(&ev.kind),
            patient_id: Some(*patient),
            ward: Some(ward.clone()),
            escalation_id: Some(id),
            esc_seq: i64::try_from(ev.sequence).ok(),
            actor: Some(who),
            data,
        })?;
        list.push(ev);
    }
    for (_, (_, ward, list)) in groups {
        upsert_escalation(ctx.conn, &ward, &list)?;
    }
    Ok(())
}

/// The patient and ward of an escalation: from its `triggered` event for a new one, else
/// from its row.
fn locate(conn: &Connection, id: i64, first: &CoreEvent) -> Result<(i64, String), Problem> {
    let found = if let EventKind::Triggered { patient_id, .. } = &first.kind {
        let pid = i64::try_from(patient_id.get()).unwrap_or(i64::MAX);
        conn.prepare_cached("SELECT id, ward FROM patients WHERE id = ?1")?
            .query_row([pid], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
    } else {
        conn.prepare_cached("SELECT patient_id, ward FROM escalations WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
    };
    found.ok_or_else(|| {
        Problem::internal(
            "escalation",
            format!("escalation {id} has no patient or row"),
        )
    })
}

/// After a result is stored: raises an alert and opens or joins the patient's escalation
/// when the result calls for one; otherwise updates an open escalation's risk. Returns the
/// patient's open escalation, if any.
pub fn on_score(
    ctx: &mut WriteCtx<'_>,
    actor: &Actor,
    p: &Patient,
    score_id: i64,
    risk: ClinicalRisk,
    any_red: bool,
    partial: bool,
) -> Result<Option<Value>, Problem> {
    let patient = PatientId::new(u64::try_from(p.id).unwrap_or(0));
    let who = actor.user.username.clone();
    let id = if crate::vitals::alerts(risk, any_red) {
        let data = json!({"score_id": score_id, "risk": risk, "partial": partial});
        ctx.append(NewEvent::patient(
            "alert_triggered",
            p.id,
            &p.ward,
            &who,
            data,
        ))?;
        let (id, evs) = ctx
            .state
            .desk
            .board
            .alert(patient, risk, ctx.now)
            .map_err(board_problem)?;
        persist(ctx, &who, evs)?;
        Some(id)
    } else if let Some(open) = ctx
        .state
        .desk
        .board
        .open_for(patient)
        .filter(|e| e.risk() != risk && !partial)
    {
        let id = open.id();
        let evs = ctx
            .state
            .desk
            .board
            .execute(id, &Command::UpdateRisk { risk }, ctx.now)
            .map_err(board_problem)?;
        persist(ctx, &who, evs)?;
        Some(id)
    } else {
        ctx.state.desk.board.open_for(patient).map(Escalation::id)
    };
    match id {
        Some(id) => view(ctx.conn, raw(id)).map_err(Problem::from),
        None => Ok(None),
    }
}

/// Acknowledges or resolves an escalation for `actor` (the responder comes from the session).
pub fn respond(
    ctx: &mut WriteCtx<'_>,
    actor: &Actor,
    id: i64,
    action: &str,
) -> Result<Value, Problem> {
    let row =
        view(ctx.conn, id)?.ok_or_else(|| Problem::not_found(format!("no escalation {id}")))?;
    let ward = row["ward"].as_str().unwrap_or_default().to_owned();
    let patient = row["patient_id"].as_i64();
    actor.require_ward(&ward)?;
    if row["state"] == "resolved" {
        return Err(
            Problem::conflict(format!("escalation {id} is already resolved")).with_code("resolved"),
        );
    }
    let by = actor.responder()?;
    let cmd = if action == "acknowledge" {
        Command::Acknowledge { by }
    } else {
        Command::Resolve { by }
    };
    let evs = ctx
        .state
        .desk
        .board
        .execute(to_id(id), &cmd, ctx.now)
        .map_err(board_problem)?;
    persist(ctx, &actor.user.username, evs)?;
    ctx.audit(actor.entry(
        &format!("escalation.{action}"),
        format!("Escalation/{id}"),
        patient,
        Some(&ward),
        "success",
    ))?;
    view(ctx.conn, id)?.ok_or_else(|| Problem::internal("escalation", "row missing after command"))
}

fn board_problem(e: BoardError) -> Problem {
    match e {
        BoardError::UnknownEscalation { id } => {
            Problem::conflict(format!("escalation {id} is not open")).with_code("not_open")
        }
        BoardError::Command(c) => match c {
            CommandError::RoleNotAllowed { .. } | CommandError::NotARecipient { .. } => {
                Problem::forbidden(c.to_string()).with_code("role_not_allowed")
            }
            CommandError::Resolved { .. } => Problem::conflict(c.to_string()).with_code("resolved"),
            CommandError::AlreadyAcknowledged { .. } => {
                Problem::conflict(c.to_string()).with_code("already_acknowledged")
            }
            CommandError::NoPolicy { .. } | CommandError::TimeOutOfRange { .. } => {
                Problem::internal("escalation policy", c)
            }
            other => Problem::conflict(other.to_string()).with_code("refused"),
        },
        other => Problem::internal("escalation board", other),
    }
}

/// Fires every deadline due now (the timer task's tick). Returns how many events it made.
pub fn advance(ctx: &mut WriteCtx<'_>) -> Result<usize, Problem> {
    let evs = ctx.state.desk.board.advance_to(ctx.now);
    let n = evs.len();
    persist(ctx, "timer", evs)?;
    Ok(n)
}

/// Delivers the durable timers stored with every open escalation whose deadline has passed
/// (after a restart). A token that is no longer current does nothing. Returns (fired, stale).
pub fn deliver_stored_timers(ctx: &mut WriteCtx<'_>) -> Result<(usize, usize), Problem> {
    let tokens: Vec<String> = ctx
        .conn
        .prepare("SELECT timer_token FROM escalations WHERE timer_token IS NOT NULL AND deadline <= ?1 ORDER BY deadline, id")?
        .query_map([events::fmt_time(ctx.now)], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let (mut fired, mut stale) = (0, 0);
    for t in tokens {
        let token: TimerToken =
            serde_json::from_str(&t).map_err(|e| Problem::internal("timer token", e))?;
        match deliver(ctx, token)? {
            true => fired += 1,
            false => stale += 1,
        }
    }
    Ok((fired, stale))
}

/// Delivers one timer token: `true` when it fired, `false` when stale or not yet due.
pub fn deliver(ctx: &mut WriteCtx<'_>, token: TimerToken) -> Result<bool, Problem> {
    match ctx.state.desk.board.handle_timer(token, ctx.now) {
        TimerOutcome::Fired(evs) => {
            persist(ctx, "timer", evs)?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// Takes every open escalation off the board (demo reset; their rows are cleared by the
/// reset event's projection).
pub fn clear(ctx: &mut WriteCtx<'_>) {
    let ids: Vec<EscalationId> = ctx.state.desk.board.iter().map(Escalation::id).collect();
    for id in ids {
        ctx.state.desk.board.remove(id);
    }
}

const VIEW_COLUMNS: &str = "id, patient_id, ward, state, risk, step, pass, role, deadline, opened_at, updated_at, version, snapshot";

fn view_row(r: &Row<'_>) -> rusqlite::Result<Value> {
    let snapshot: String = r.get(12)?;
    let snap: Value = serde_json::from_str(&snapshot).unwrap_or(Value::Null);
    let who = |v: &Value| {
        (!v.is_null()).then(|| json!({"by": v.pointer("/by/staff_id"), "role": v.pointer("/by/role"), "at": v.get("at")}))
    };
    Ok(json!({
        "id": r.get::<_, i64>(0)?, "patient_id": r.get::<_, i64>(1)?, "ward": r.get::<_, String>(2)?,
        "state": r.get::<_, String>(3)?, "risk": r.get::<_, String>(4)?,
        "step": {"index": r.get::<_, i64>(5)?, "role": r.get::<_, String>(7)?, "deadline": r.get::<_, Option<String>>(8)?},
        "pass": r.get::<_, i64>(6)?, "opened_at": r.get::<_, String>(9)?, "updated_at": r.get::<_, String>(10)?,
        "version": r.get::<_, i64>(11)?, "alert_count": snap.get("alert_count"),
        "acknowledged": who(&snap["acknowledgement"]), "resolved": who(&snap["resolution"]),
    }))
}

/// One escalation as the API shows it.
pub fn view(conn: &Connection, id: i64) -> rusqlite::Result<Option<Value>> {
    conn.prepare_cached(&format!(
        "SELECT {VIEW_COLUMNS} FROM escalations WHERE id = ?1"
    ))?
    .query_row([id], view_row)
    .optional()
}

/// Escalations in `wards` (`None`: all) by state: `open` (not resolved), one state, or `all`.
pub fn list(
    conn: &Connection,
    state: &str,
    wards: Option<&[String]>,
    limit: i64,
) -> rusqlite::Result<Vec<Value>> {
    let wards_json = wards.map(|w| serde_json::to_string(w).unwrap_or_default());
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {VIEW_COLUMNS} FROM escalations
         WHERE (?1 IS NULL OR ward IN (SELECT value FROM json_each(?1)))
           AND (?2 = 'all' OR (?2 = 'open' AND state != 'resolved') OR state = ?2)
         ORDER BY id DESC LIMIT ?3"
    ))?;
    stmt.query_map(params![wards_json, state, limit], view_row)?
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::writer::{WriterState, run_once};

    fn fast() -> PolicySet {
        serde_json::from_value(json!({"low-medium": {"steps": [
            {"target": {"role": "nurse"}, "timeout_seconds": 1},
            {"target": {"role": "senior_clinician"}, "timeout_seconds": 60}
        ]}}))
        .unwrap()
    }

    fn count(conn: &Connection) -> i64 {
        conn.query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_timer_delivered_twice_fires_once() {
        let conn = Connection::open_in_memory().unwrap();
        crate::store::schema::create(&conn).unwrap();
        crate::auth::ensure_ward(&conn, "ward-a", "A").unwrap();
        let mut state = WriterState::load(&conn, fast()).unwrap();
        let actor = Actor::system("test");
        let eid = run_once(&conn, &mut state, |ctx| {
            let body = json!({"name": "Timer Test", "cpf": crate::demo::cpf_from([1, 2, 3, 4, 5, 6, 7, 8, 9]), "ward": "ward-a"});
            let reg = crate::patients::Registration::parse(&crate::input::Obj::root(body)?, ctx.now.date_naive())?;
            let p = crate::patients::register(ctx, &actor, reg)?;
            let v = on_score(ctx, &actor, &p, 0, ClinicalRisk::High, false, false)?.expect("an escalation");
            Ok(v["id"].as_i64().unwrap())
        })
        .unwrap();
        let token: String = conn
            .query_row(
                "SELECT timer_token FROM escalations WHERE id = ?1",
                [eid],
                |r| r.get(0),
            )
            .unwrap();
        let token: TimerToken = serde_json::from_str(&token).unwrap();
        // Not due yet: nothing happens.
        let before = count(&conn);
        assert!(!run_once(&conn, &mut state, |ctx| deliver(ctx, token)).unwrap());
        assert_eq!(count(&conn), before);
        std::thread::sleep(std::time::Duration::from_millis(1100));
        assert!(run_once(&conn, &mut state, |ctx| deliver(ctx, token)).unwrap());
        let fired = count(&conn);
        assert!(fired > before);
        // The same token again (a double timer), and the board's own tick: nothing more.
        assert!(!run_once(&conn, &mut state, |ctx| deliver(ctx, token)).unwrap());
        assert_eq!(run_once(&conn, &mut state, advance).unwrap(), 0);
        assert_eq!(count(&conn), fired);
        let v = view(&conn, eid).unwrap().unwrap();
        assert_eq!(
            (v["step"]["index"].as_i64(), v["step"]["role"].as_str()),
            (Some(1), Some("senior_clinician"))
        );
        // A restart restores the board from the events at the same step.
        let restored = Desk::restore(&conn, fast()).unwrap();
        assert_eq!(restored.open_count(), 1);
        assert_eq!(restored.next_deadline(), state.desk.next_deadline());
    }
}
