// Open escalations: who is being notified now, a live countdown to the current step's
// deadline, who has been notified so far, and acknowledge / resolve for a clinician allowed
// to. The deadline comes from replaying the escalation's own events in the browser through
// news2-wasm's escalation API (the same state machine the server runs); without the package
// the server's projected deadline is shown instead.

import { h, replace } from './dom.js';
import { RISK, ROLE, ESCALATION_STATE, CLINICAL_ROLE, time } from './labels.js';
import { escalationClock, chainOf, wouldAcknowledge } from './escalation-clock.js';

/** Seconds as m:ss. */
export function mmss(ms) {
  const neg = ms < 0;
  const total = Math.floor(Math.abs(ms) / 1000);
  const m = Math.floor(total / 60), s = total % 60;
  return `${neg ? '−' : ''}${m}:${String(s).padStart(2, '0')}`;
}

/** Whether `user` may acknowledge the current step (admin never; else the step's ack_roles). */
export function mayAcknowledge(user, view, stream) {
  const role = CLINICAL_ROLE[user?.role];
  if (!role) return { ok: false, why: 'An administrator has no clinical role and cannot acknowledge.' };
  if (!user.wards?.includes(view.ward)) return { ok: false, why: `Not one of your wards (${view.ward}).` };
  if (view.state === 'acknowledged') return { ok: false, why: `Already acknowledged by ${view.acknowledged?.by ?? 'someone'}.` };
  const { steps } = chainOf(view, stream);
  const ack = steps[view.step?.index ?? 0]?.ack_roles ?? [];
  const allowed = `This step may be acknowledged by: ${ack.map((r) => ROLE[r] ?? r).join(', ')}.`;
  // The state machine itself decides, in the browser, when the package is there.
  const decided = wouldAcknowledge(stream, { staffId: user.username, role });
  if (decided) return decided.ok ? { ok: true } : { ok: false, why: decided.kind === 'role_not_allowed' && ack.length ? allowed : decided.why };
  if (ack.length && !ack.includes(role)) return { ok: false, why: allowed };
  return { ok: true };
}

function notifiedList(view, stream) {
  const { steps } = chainOf(view, stream);
  const notified = (stream ?? []).filter((e) => e.type === 'step_notified');
  const current = view.state === 'notifying' ? view.step?.index : -1;
  const items = steps.map((st, i) => {
    const n = [...notified].reverse().find((e) => e.step === i);
    const role = ROLE[st.target?.role] ?? st.target?.role;
    const recips = st.target?.recipients?.length ? ` (${st.target.recipients.join(', ')})` : '';
    const text = n ? `${role}${recips}: notified ${time(n.at)}` : `${role}${recips}: not yet`;
    return h('li', { class: `${n ? 'notified' : ''} ${i === current ? 'current' : ''}`.trim(), 'aria-current': i === current ? 'step' : false },
      h('span', { 'aria-hidden': 'true', text: n ? '✉ ' : '○ ' }), text);
  });
  if (!items.length) {
    items.push(h('li', { class: 'notified current', text: `${ROLE[view.step?.role] ?? view.step?.role}: notified` }));
  }
  return h('ol', { class: 'steps', 'aria-label': 'Who has been notified' }, items);
}

/**
 * One escalation entry. `actions` gets `acknowledge(id)` and `resolve(id)`.
 */
export function escalationEntry(view, { stream, user, patientName, actions, compact = false }) {
  const may = mayAcknowledge(user, view, stream);
  const canRespond = !!CLINICAL_ROLE[user?.role] && user.wards?.includes(view.ward);
  const stateLabel = ESCALATION_STATE[view.state] ?? view.state;
  const countdown = h('span', { class: 'countdown', 'data-escalation': view.id, 'data-testid': 'countdown', text: '–:––' });
  const stepText = h('span', { class: 'step-text', 'data-escalation-step': view.id });
  const entry = h('article', { class: 'escalation', id: `${compact ? 'side-' : ''}esc-${view.id}`, 'data-escalation': view.id, 'data-state': view.state, 'aria-labelledby': `${compact ? 'side-' : ''}esc-${view.id}-title` },
    h('div', { class: 'escalation-head' },
      h('h3', { id: `${compact ? 'side-' : ''}esc-${view.id}-title` }, h('a', { href: `#/patient/${view.patient_id}`, text: patientName ?? `Patient ${view.patient_id}` })),
      h('span', { class: `news2-badge risk-${view.risk}`, style: 'margin-left:0;min-width:0;flex-direction:row;gap:.3rem', text: `${RISK[view.risk] ?? view.risk} risk` }),
      h('span', { class: 'state-label', 'data-testid': 'escalation-state' },
        h('span', { 'aria-hidden': 'true', text: view.state === 'acknowledged' ? '✔ ' : view.state === 'unanswered' ? '✖ ' : '⚠ ' }), stateLabel)),
    h('div', {}, stepText, ' ', countdown),
    compact ? null : notifiedList(view, stream),
    view.acknowledged ? h('div', { class: 'small', text: `Acknowledged by ${view.acknowledged.by} (${ROLE[view.acknowledged.role] ?? view.acknowledged.role}) at ${time(view.acknowledged.at)}` }) : null,
    compact ? null : h('div', { class: 'small muted', text: `Escalation #${view.id} · ${view.ward} · opened ${time(view.opened_at)} · alerts ${view.alert_count ?? 1}` }),
    h('div', { class: 'escalation-actions' },
      view.state !== 'acknowledged'
        ? h('button', { type: 'button', class: 'button-ack', disabled: !may.ok, 'data-action': 'acknowledge', 'aria-describedby': may.ok ? false : `why-${compact ? 's' : 'm'}-${view.id}`, onclick: () => actions.acknowledge(view.id) }, 'Acknowledge')
        : null,
      h('button', { type: 'button', class: 'button-resolve', disabled: !canRespond || view.state !== 'acknowledged', 'data-action': 'resolve', title: view.state !== 'acknowledged' ? 'Acknowledge first' : false, onclick: () => actions.resolve(view.id) }, 'Resolve'),
      may.ok ? null : h('span', { class: 'small muted', id: `why-${compact ? 's' : 'm'}-${view.id}`, text: may.why })));
  return entry;
}

/** Renders a list of escalations (newest first) into `container`. */
export function renderEscalations(container, views, opts) {
  const sorted = [...views].sort((a, b) => b.id - a.id);
  replace(container, sorted.map((v) => escalationEntry(v, { ...opts, stream: opts.streams.get(v.id), patientName: opts.names(v.patient_id) })));
  tickCountdowns(container, views, opts.streams);
}

/** Updates every countdown in `container` (called every second). */
export function tickCountdowns(container, views, streams, now = Date.now()) {
  const byId = new Map([...views].map((v) => [v.id, v]));
  for (const el of container.querySelectorAll('.countdown[data-escalation]')) {
    const id = Number(el.dataset.escalation);
    const view = byId.get(id);
    if (!view) continue;
    const clock = escalationClock(view, streams.get(id), now);
    const stepEl = container.querySelector(`.step-text[data-escalation-step="${id}"]`);
    if (clock.deadline === null) {
      el.textContent = view.state === 'acknowledged' ? 'no deadline' : view.state === 'unanswered' ? 'chain exhausted' : '–:––';
      el.classList.remove('overdue');
      if (stepEl) stepEl.textContent = view.state === 'acknowledged' ? 'Acknowledged:' : view.state === 'unanswered' ? 'Unanswered:' : '';
      continue;
    }
    const left = clock.deadline - now;
    el.textContent = mmss(left);
    el.dataset.deadline = new Date(clock.deadline).toISOString();
    el.dataset.source = clock.source;
    el.classList.toggle('overdue', left < 0);
    el.setAttribute('aria-label', left >= 0 ? `${Math.ceil(left / 1000)} seconds until the next step` : 'the deadline has passed; the next step is due');
    const last = clock.steps && clock.step + 1 >= clock.steps;
    if (stepEl) stepEl.textContent = `Step ${clock.step + 1}${clock.steps ? ` of ${clock.steps}` : ''}: ${ROLE[clock.role] ?? clock.role ?? ''} · ${last ? 'unanswered' : 'escalates'} in`;
  }
}
