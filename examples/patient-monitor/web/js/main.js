// The dashboard: signs in, keeps the ward model current from the live stream, and renders
// the view the location hash names (#/ward, #/patient/<id>, #/escalations, #/register,
// #/calculator, #/activity, #/audit).

import { byId, h, replace, debounce } from './dom.js';
import * as api from './api.js';
import { loadNews2 } from './news2.js';
import { LiveStream, STATES } from './live.js';
import { WardModel, flatResult } from './ward-model.js';
import { renderGrid, updateCard } from './ward-grid.js';
import { renderPatient } from './patient-view.js';
import { renderEscalations, tickCountdowns, escalationEntry } from './escalation-panel.js';
import { setupRegistration, setWards } from './registration.js';
import { setupCalculator } from './calculator.js';
import { setupSearch } from './search.js';
import { ActivityLog } from './activity.js';
import { AuditPanel } from './audit-panel.js';
import { PresenceWatch } from './presence.js';
import { announce, criticalAlert, toast } from './alerts.js';
import { ROLE, RISK } from './labels.js';

const model = new WardModel();
let user = null;
let loading = false;
let buffered = [];
let current = { view: 'ward' };
let patientParts = null;
let presence = null;

const names = (id) => model.name(id);
const activity = new ActivityLog(byId('activity-log'), byId('side-activity'), names);
const audit = new AuditPanel({ model, getUser: () => user });
const live = new LiveStream({ onEvent, onSnapshot, onState: showConnection });

// Test and debugging handle; nothing in the page depends on it.
window.__monitor = { model, live, get user() { return user; }, ready: null };

/* ---------- session ---------- */

function showLogin(message) {
  user = null;
  live.stop();
  closePresence();
  byId('app').hidden = true;
  byId('who').hidden = true;
  byId('login-view').hidden = false;
  byId('login-error').textContent = message ?? '';
  byId('login-username').focus();
}

async function showApp(u) {
  user = u;
  byId('login-view').hidden = true;
  byId('app').hidden = false;
  byId('who').hidden = false;
  byId('who-name').textContent = u.username;
  byId('who-role').textContent = ROLE[u.role] ?? u.role;
  byId('who-wards').textContent = u.wards.join(', ');
  byId('reset-demo').hidden = u.role !== 'admin';
  setWards(u);
  window.__monitor.ready = loadAll();
  await window.__monitor.ready;
  route();
}

byId('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const err = byId('login-error');
  err.textContent = '';
  try {
    const r = await api.login(byId('login-username').value.trim(), byId('login-password').value);
    byId('login-password').value = '';
    await showApp(r.user);
  } catch (ex) {
    err.textContent = ex.message;
  }
});

byId('logout').addEventListener('click', async () => {
  try { await api.logout(); } catch { /* signed out either way */ }
  model.clear();
  activity.clear();
  showLogin('Signed out.');
});

api.whenUnauthorized(() => showLogin('Your session has ended; sign in again.'));

/* ---------- data ---------- */

async function loadAll() {
  loading = true;
  buffered = [];
  model.clear();
  activity.clear();
  audit.clear();
  if (live.stopped) live.start(null);
  try {
    const list = await api.patients.search('');
    const records = await Promise.all(list.map((p) => api.patients.get(p.id).catch(() => null)));
    for (const r of records) if (r) model.setRecord(r);
    const open = await api.escalations.open();
    await Promise.all(open.map((v) => loadEscalation(v.id, v)));
  } catch (e) {
    toast('Could not load the ward', e.message, { kind: 'info' });
  } finally {
    loading = false;
    await loadRecentActivity();
    const pending = buffered;
    buffered = [];
    for (const e of pending) onEvent(e);
    renderWard();
    renderAllEscalations();
  }
}

/** The latest events before the page opened, for the activity log and the audit panel. */
async function loadRecentActivity() {
  const last = live.lastId;
  if (!last) return;
  try {
    const r = await api.events.after(Math.max(0, last - 60), 100);
    for (const e of r.events ?? []) if (e.id <= last) { activity.add(e); audit.add(e); }
  } catch { /* the log fills from the live stream */ }
}

async function loadEscalation(id, view) {
  try {
    const r = await api.escalations.events(id);
    model.setStream(id, r.events ?? []);
    model.setEscalation(r.escalation ?? view ?? (await api.escalations.get(id)));
  } catch {
    if (view) model.setEscalation(view);
  }
}

const refreshEscalation = (() => {
  const pending = new Map();
  return (id) => {
    clearTimeout(pending.get(id));
    pending.set(id, setTimeout(async () => {
      pending.delete(id);
      try {
        if (!model.streams.has(id)) await loadEscalation(id);
        else model.setEscalation(await api.escalations.get(id));
      } catch { /* the next event retries */ }
      renderAllEscalations();
      const v = model.escalations.get(id);
      const pid = v?.patient_id ?? [...model.records.values()].find((r) => r.patient.open_escalation_id === id)?.patient.id;
      if (pid && model.records.get(pid)) updateCard(byId('ward-grid'), model.records.get(pid));
      if (current.view === 'patient' && pid === current.id) renderPatientView();
    }, 60));
  };
})();

function onSnapshot(msg) {
  model.clear();
  for (const r of msg.patients ?? []) model.setRecord(r);
  renderWard();
  renderAllEscalations();
  announce('Reconnected: the ward was refreshed from a snapshot.');
}

function onEvent(e) {
  if (loading) { buffered.push(e); return; }
  activity.add(e);
  audit.add(e);
  const r = model.apply(e);
  if (e.type === 'demo_reset') { window.__monitor.ready = loadAll().then(route); return; }
  if (e.type === 'alert_triggered') {
    const who = names(e.patient_id) ?? `Patient ${e.patient_id}`;
    const risk = RISK[e.data?.risk] ?? e.data?.risk;
    criticalAlert(`${e.data?.risk === 'high' ? 'Critical alert' : 'Alert'}: ${who}`, `${risk} risk NEWS2 in ${e.ward}. Open the escalation.`, '#/escalations');
  }
  if (e.type === 'escalation_step_started') {
    announce(`${names(e.patient_id) ?? 'A patient'}: ${ROLE[e.data?.target?.role] ?? e.data?.target?.role} notified.`);
  }
  if (!r) return;
  if (r.what === 'escalation') { refreshEscalation(r.escalationId); return; }
  if (r.what === 'registered') { renderWard(); return; }
  const rec = model.records.get(r.patientId);
  if (rec) updateCard(byId('ward-grid'), rec);
  if (current.view === 'patient' && current.id === r.patientId && patientParts) {
    const d = e.data ?? {};
    if (e.type === 'vitals_recorded' || e.type === 'observation_recorded') patientParts.history?.observations?.push({ observation_id: e.id, observed_at: d.observed_at, vitals: d.vitals, readings: d.readings });
    if (e.type === 'score_computed' || e.type === 'score_incomplete') {
      const s = flatResult(d, e.id);
      patientParts.history?.scores?.push({ score_id: e.id, observed_at: s.observed_at, complete: s.complete, total: s.total, risk: s.risk ?? s.minimum_risk, parameters: s.parameters });
    }
    renderPatientView();
    reloadPatientAudit();
  }
}

/* ---------- connection ---------- */

function showConnection(state) {
  const el = byId('connection');
  el.dataset.state = state;
  el.querySelector('.connection-label').textContent = STATES[state] ?? state;
}
window.addEventListener('offline', () => { if (user) showConnection('offline'); });
window.addEventListener('online', () => { if (user) live.release(); });

/* ---------- views ---------- */

const VIEWS = ['ward', 'patient', 'escalations', 'register', 'calculator', 'activity', 'audit'];

function route() {
  if (!user) return;
  const m = location.hash.match(/^#\/(\w+)(?:\/(\d+))?/);
  const view = VIEWS.includes(m?.[1]) ? m[1] : 'ward';
  const id = m?.[2] ? Number(m[2]) : null;
  const changed = view !== current.view || id !== current.id;
  current = { view, id };
  for (const v of VIEWS) byId(`view-${v}`).hidden = v !== view;
  for (const a of document.querySelectorAll('.tabs a')) {
    if (a.dataset.view === view || (view === 'patient' && a.dataset.view === 'ward')) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (view !== 'patient') closePresence();
  if (view === 'patient' && changed) openPatient(id);
  if (view === 'audit') audit.show();
  if (view === 'calculator') calculatorUpdate();
  if (changed && view !== 'patient') byId(`view-${view}`).querySelector('h2')?.setAttribute('tabindex', '-1');
}
window.addEventListener('hashchange', route);

function renderWard() {
  const records = [...model.records.values()];
  renderGrid(byId('ward-grid'), records);
  byId('ward-empty').hidden = records.length > 0;
  byId('ward-title').textContent = `Ward${user ? ` · ${user.wards.join(', ')}` : ''} (${records.length} patient${records.length === 1 ? '' : 's'})`;
}

const escalationActions = {
  async acknowledge(id) {
    try {
      model.setEscalation(await api.escalations.acknowledge(id));
      announce(`Escalation ${id} acknowledged.`);
    } catch (e) { toast('Could not acknowledge', e.message, { kind: 'info' }); }
    refreshEscalation(id);
  },
  async resolve(id) {
    try {
      model.setEscalation(await api.escalations.resolve(id));
      announce(`Escalation ${id} resolved.`);
    } catch (e) { toast('Could not resolve', e.message, { kind: 'info' }); }
    refreshEscalation(id);
  },
};

function escalationOpts() {
  return { user, names, streams: model.streams, actions: escalationActions };
}

function withFocus(fn) {
  const a = document.activeElement;
  const key = a?.id ? `#${CSS.escape(a.id)}` : a?.dataset?.action && a.closest('[data-escalation]')
    ? `[data-escalation="${a.closest('[data-escalation]').dataset.escalation}"] [data-action="${a.dataset.action}"]` : null;
  const inSide = a?.closest?.('.sidebar');
  fn();
  if (key && document.activeElement === document.body) {
    const root = inSide ? document.querySelector('.sidebar') : document;
    root.querySelector(key)?.focus();
  }
}

function renderAllEscalations() {
  const views = [...model.escalations.values()];
  withFocus(() => {
    renderEscalations(byId('escalation-list'), views, escalationOpts());
    renderEscalations(byId('side-escalations'), views, { ...escalationOpts(), compact: true });
    for (const el of byId('side-escalations').querySelectorAll('.escalation')) {
      el.querySelector('.escalation-actions')?.querySelectorAll('span').forEach((s) => s.remove());
    }
  });
  byId('escalation-empty').hidden = views.length > 0;
  if (!views.length) replace(byId('side-escalations'), h('p', { class: 'muted small', text: 'None open.' }));
  const count = byId('esc-count');
  count.hidden = views.length === 0;
  count.textContent = String(views.length);
  count.setAttribute('aria-label', `${views.length} open`);
}

setInterval(() => {
  const views = [...model.escalations.values()];
  tickCountdowns(byId('escalation-list'), views, model.streams);
  tickCountdowns(byId('side-escalations'), views, model.streams);
  if (current.view === 'patient') tickCountdowns(byId('patient-body'), views, model.streams);
}, 250);

/* ---------- patient ---------- */

function closePresence() {
  presence?.close();
  presence = null;
}

async function openPatient(id) {
  closePresence();
  patientParts = { history: null, audit: null, viewers: null, user, onStage: (st) => changeStage(id, st) };
  replace(byId('patient-body'), h('p', { class: 'muted', text: 'Loading…' }));
  try {
    model.setRecord(await api.patients.get(id));
  } catch (e) {
    replace(byId('patient-body'), h('p', { class: 'field-error', text: e.message }));
    return;
  }
  renderPatientView();
  byId('patient-title')?.focus();
  presence = new PresenceWatch(id, (viewers) => { if (patientParts) { patientParts.viewers = viewers; renderPatientView(); } });
  const [history, trail] = await Promise.all([
    api.patients.history(id).catch(() => ({ observations: [], scores: [] })),
    api.patients.audit(id).catch((e) => ({ error: e.message })),
  ]);
  if (current.id !== id) return;
  patientParts.history = history;
  patientParts.audit = trail.error ? trail : trail.entries ?? trail;
  renderPatientView();
}

const reloadPatientAudit = debounce(async () => {
  if (current.view !== 'patient' || !patientParts) return;
  const id = current.id;
  const trail = await api.patients.audit(id).catch((e) => ({ error: e.message }));
  if (current.id !== id || !patientParts) return;
  patientParts.audit = trail.error ? trail : trail.entries ?? trail;
  renderPatientView();
}, 800);

function renderPatientView() {
  const rec = model.records.get(current.id);
  if (!rec || !patientParts) return;
  const esc = rec.escalation ?? [...model.escalations.values()].find((v) => v.patient_id === current.id);
  withFocus(() => {
    renderPatient(byId('patient-body'), rec, {
      ...patientParts,
      escalationEntry: esc ? escalationEntry(esc, { ...escalationOpts(), stream: model.streams.get(esc.id), patientName: rec.patient.name }) : null,
    });
  });
  tickCountdowns(byId('patient-body'), [...model.escalations.values()], model.streams);
}

async function changeStage(id, stage) {
  try {
    const p = await api.patients.stage(id, stage);
    const rec = model.records.get(id);
    if (rec) { rec.patient = { ...rec.patient, ...p }; renderPatientView(); updateCard(byId('ward-grid'), rec); }
  } catch (e) { toast('Could not change the stage', e.message, { kind: 'info' }); }
}

/* ---------- demo controls ---------- */

byId('simulate').addEventListener('click', async (e) => {
  const b = e.currentTarget;
  b.disabled = true;
  try {
    const r = await api.demo.simulate();
    announce(`Simulated vitals for ${r.results?.length ?? 0} patients.`);
  } catch (ex) { toast('Simulation failed', ex.message, { kind: 'info' }); } finally { b.disabled = false; }
});

byId('reset-demo').addEventListener('click', async () => {
  if (!confirm('Reset the demo? Every patient is registered again from scratch (the event store and audit log keep everything).')) return;
  try { await api.demo.reset(); announce('The demo was reset.'); } catch (ex) { toast('Reset failed', ex.message, { kind: 'info' }); }
});

/* ---------- start ---------- */

const calculatorUpdate = setupCalculator();
setupRegistration({ getUser: () => user, onRegistered: () => {} });
setupSearch({ open: (id) => { location.hash = `#/patient/${id}`; } });

async function boot() {
  const pkg = await loadNews2();
  byId('wasm-banner').hidden = pkg.ok;
  document.documentElement.dataset.wasm = pkg.ok ? 'ready' : 'missing';
  window.__monitor.wasmEscalation = !!pkg.escalation?.Escalation;
  calculatorUpdate();
  if (!sessionStorage.getItem('pm.csrf')) { showLogin(); return; }
  try {
    const r = await api.whoami();
    await showApp(r.user);
  } catch {
    showLogin();
  }
}
boot();
