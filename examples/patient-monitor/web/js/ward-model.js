// The client's copy of what the user may see: patient records (the shape of
// GET /api/patients/{id}) and open escalations, kept current by applying the event stream.
// Applying an event is idempotent: a record only moves forward in observation time.

const ACVPU = ['A', 'C', 'V', 'P', 'U'];

/**
 * A NEWS2 result in the API's flat shape (`{total, risk, parameters, response, red, scale,
 * complete, stale, observed_at, missing?, minimum_risk?, score_id}`), from a stored result
 * event's data (`{news2: {...}}` or `{partial: {...}}` beside the flags).
 */
export function flatResult(data, scoreId) {
  if (!data) return null;
  const core = data.news2 ?? data.partial;
  if (!core) return { ...data, score_id: data.score_id ?? scoreId };
  const out = { ...core };
  for (const k of ['observed_at', 'complete', 'stale', 'derived_from', 'missing', 'stale_parameters', 'minimum_risk']) {
    if (data[k] !== undefined) out[k] = data[k];
  }
  out.score_id = scoreId ?? data.score_id;
  return out;
}

/** Vitals from single readings `[{parameter, value, at}]` (FHIR path), merged onto `base`. */
export function vitalsFromReadings(readings, base = {}) {
  const v = { ...base };
  for (const r of readings ?? []) {
    if (r.parameter === 'consciousness') v.consciousness = ACVPU[r.value] ?? v.consciousness;
    else if (r.parameter === 'on_oxygen') v.on_oxygen = r.value === 1 || r.value === true;
    else v[r.parameter] = r.value;
  }
  return v;
}

export class WardModel extends EventTarget {
  constructor() {
    super();
    /** @type {Map<number, object>} patient id → record */
    this.records = new Map();
    /** @type {Map<number, object>} escalation id → view (GET /api/escalations/{id}) */
    this.escalations = new Map();
    /** @type {Map<number, object[]>} escalation id → its core events, in stream order */
    this.streams = new Map();
    /** @type {Map<number, object[]>} events that arrived before their stream was loaded */
    this.early = new Map();
  }

  clear() {
    this.records.clear();
    this.escalations.clear();
    this.streams.clear();
    this.early.clear();
  }

  /**
   * Appends core events to an escalation's stream, in sequence order without gaps. Events
   * for a stream not loaded yet wait in `early` until `setStream` merges them.
   */
  extendStream(id, events) {
    const stream = this.streams.get(id);
    if (!stream) {
      this.early.set(id, [...(this.early.get(id) ?? []), ...events]);
      return;
    }
    for (const ev of [...events].sort((a, b) => a.sequence - b.sequence)) {
      const last = stream.length ? stream[stream.length - 1].sequence : 0;
      if (ev.sequence === last + 1) stream.push(ev);
      else if (ev.sequence > last + 1) { this.streams.delete(id); return; } // a gap: reload it
    }
  }

  /** Sets an escalation's stream as loaded from the server, then merges what came meanwhile. */
  setStream(id, events) {
    this.streams.set(id, [...events]);
    const early = this.early.get(id) ?? [];
    this.early.delete(id);
    this.extendStream(id, early);
  }

  name(id) {
    return this.records.get(id)?.patient?.name;
  }

  setRecord(r) {
    if (!r?.patient) return;
    const prev = this.records.get(r.patient.id);
    if (r.latest_vitals && !r.latest_vitals.vitals && r.latest_vitals.readings) {
      r.latest_vitals.vitals = vitalsFromReadings(r.latest_vitals.readings);
    }
    if (r.news2) r.news2 = flatResult(r.news2);
    this.records.set(r.patient.id, { ...prev, ...r });
    if (r.escalation) this.setEscalation(r.escalation);
    this.changed(r.patient.id, 'record');
  }

  setEscalation(v) {
    if (!v) return;
    if (v.state === 'resolved') this.escalations.delete(v.id);
    else this.escalations.set(v.id, v);
    const rec = this.records.get(v.patient_id);
    if (rec) rec.escalation = v.state === 'resolved' ? null : v;
    this.dispatchEvent(new CustomEvent('escalation', { detail: v }));
  }

  changed(patientId, what, event) {
    this.dispatchEvent(new CustomEvent('patient', { detail: { patientId, what, event } }));
  }

  /**
   * Applies one event. Returns what it changed: `{patientId, what}` or null.
   * Escalation events also extend the escalation's stream (for the WASM countdown).
   */
  apply(e) {
    const d = e.data ?? {};
    const rec = e.patient_id ? this.records.get(e.patient_id) : undefined;
    switch (e.type) {
      case 'patient_registered': {
        const patient = {
          id: d.patient_id ?? e.patient_id, mrn: d.mrn, name: d.name, cpf: d.cpf, cns: d.cns ?? null,
          birth_date: d.birth_date ?? null, ward: d.ward ?? e.ward, stage: d.stage ?? 'enroll',
          registered_at: e.at, open_escalation_id: null,
        };
        if (!rec) this.setRecord({ patient, latest_vitals: null, news2: null, escalation: null });
        return { patientId: patient.id, what: 'registered' };
      }
      case 'patient_stage_changed':
        if (rec) { rec.patient.stage = d.to; this.changed(e.patient_id, 'stage', e); }
        return { patientId: e.patient_id, what: 'stage' };
      case 'vitals_recorded':
      case 'observation_recorded': {
        if (!rec) return null;
        const cur = rec.latest_vitals;
        if (cur && cur.observed_at > d.observed_at) return null;
        const vitals = d.vitals ?? vitalsFromReadings(d.readings, cur?.vitals);
        rec.latest_vitals = { observation_id: e.id, observed_at: d.observed_at, source: d.source, vitals, readings: d.readings };
        this.changed(e.patient_id, 'vitals', e);
        return { patientId: e.patient_id, what: 'vitals' };
      }
      case 'score_computed':
      case 'score_incomplete': {
        if (!rec) return null;
        if (rec.news2 && rec.news2.observed_at > d.observed_at) return null;
        rec.news2 = flatResult(d, e.id);
        this.changed(e.patient_id, 'score', e);
        return { patientId: e.patient_id, what: 'score' };
      }
      case 'demo_reset':
        this.clear();
        this.dispatchEvent(new CustomEvent('reset'));
        return null;
      default:
        if (e.type.startsWith('escalation_') && e.escalation_id) {
          this.extendStream(e.escalation_id, [d]);
          return { patientId: e.patient_id, what: 'escalation', escalationId: e.escalation_id };
        }
        return null;
    }
  }
}

/** The record's most severe vital status, from per-vital statuses. */
export function worst(statuses) {
  const order = { critical: 3, warning: 2, normal: 1 };
  let w = 'unknown';
  for (const st of Object.values(statuses)) if ((order[st?.status] ?? 0) > (order[w] ?? 0)) w = st.status;
  return w;
}
