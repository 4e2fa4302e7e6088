// The ward grid: one card per patient, the latest vitals each marked by status (colour, a
// symbol and a word), the NEWS2 total as a badge coloured by risk and labelled, the pathway
// stage, and the open escalation. A card that changes is highlighted briefly.

import { h, replace } from './dom.js';
import { PARAMETERS, STATUS, RISK, STAGES, STAGE_LABEL, ESCALATION_STATE, ROLE, time, CONSCIOUSNESS } from './labels.js';
import { classifyRecord } from './classification.js';
import { worst } from './ward-model.js';

export function riskBadge(news2) {
  if (!news2) return h('span', { class: 'news2-badge risk-none', title: 'No NEWS2 score yet' }, h('span', { class: 'total', text: '–' }), h('span', { class: 'label', text: 'no score' }));
  const score = news2;
  if (!news2.complete) {
    const total = news2.total;
    return h('span', { class: 'news2-badge risk-none', 'aria-label': `Incomplete NEWS2, at least ${total}` },
      h('span', { class: 'total', text: `≥${total ?? '?'}` }), h('span', { class: 'label', text: 'incomplete' }));
  }
  const label = RISK[score.risk] ?? score.risk;
  return h('span', { class: `news2-badge risk-${score.risk}`, 'aria-label': `NEWS2 ${score.total}, ${label} risk${news2.stale ? ', stale' : ''}` },
    h('span', { class: 'total', text: score.total }), h('span', { class: 'label', text: `${label}${news2.stale ? ' · stale' : ''}` }));
}

export function pathway(stage) {
  const at = STAGES.indexOf(stage);
  return h('ol', { class: 'pathway', 'aria-label': `Pathway stage: ${STAGE_LABEL[stage] ?? stage}` },
    STAGES.map((st, i) => h('li', { class: i < at ? 'done' : '', 'aria-current': i === at ? 'step' : false, text: STAGE_LABEL[st] })));
}

export function formatVital(key, v, { short = false } = {}) {
  if (v === undefined || v === null) return '—';
  if (key === 'temperature') return Number(v).toFixed(1);
  if (key === 'on_oxygen') return v ? 'Oxygen' : 'Air';
  if (key === 'consciousness') return short || !CONSCIOUSNESS[v] ? String(v) : `${v} (${CONSCIOUSNESS[v]})`;
  return String(v);
}

export function statusMark(st) {
  const s = STATUS[st?.status ?? 'unknown'];
  const dir = st?.direction === 'high' ? ' high' : st?.direction === 'low' ? ' low' : '';
  return h('span', { class: `status status-${st?.status ?? 'unknown'}` },
    h('span', { class: 'sym', 'aria-hidden': 'true', text: s.symbol }), h('span', { class: 'visually-hidden', text: ` ${s.word}${dir}` }));
}

export function escalationChip(esc) {
  if (!esc) return null;
  const who = ROLE[esc.step?.role] ?? esc.step?.role ?? '';
  const text = esc.state === 'acknowledged'
    ? `Acknowledged by ${esc.acknowledged?.by ?? '?'}`
    : `${ESCALATION_STATE[esc.state] ?? esc.state}${esc.state === 'notifying' ? `: ${who}` : ''}`;
  return h('a', { class: 'esc-chip', href: '#/escalations', 'data-state': esc.state, 'aria-label': `Escalation ${esc.id}: ${text}` },
    h('span', { 'aria-hidden': 'true', text: esc.state === 'acknowledged' ? '✔' : '⚠' }), text);
}

export function patientCard(record) {
  const p = record.patient;
  const statuses = classifyRecord(record);
  const overall = record.latest_vitals ? worst(statuses) : 'unknown';
  const v = record.latest_vitals?.vitals ?? {};
  const st = STATUS[overall];
  return h('article', { class: 'patient-card', id: `card-${p.id}`, 'data-patient': p.id, 'data-status': overall, 'data-ward': p.ward, 'aria-labelledby': `card-${p.id}-name` },
    h('div', { class: 'card-head' },
      h('div', {},
        h('h3', { id: `card-${p.id}-name` }, h('a', { href: `#/patient/${p.id}`, text: p.name })),
        h('div', { class: 'card-sub', text: `${p.mrn} · ${p.ward}` }),
        h('div', { class: `card-status status-${overall}`, 'data-testid': 'card-status' },
          h('span', { 'aria-hidden': 'true', text: `${st.symbol} ` }), overall === 'unknown' ? 'No vitals yet' : `Overall ${st.word}`)),
      riskBadge(record.news2)),
    h('dl', { class: 'vitals' },
      PARAMETERS.map((param) => {
        const s = statuses[param.key];
        return h('div', { class: `vital status-${s?.status ?? 'unknown'}`, 'data-vital': param.key },
          h('dt', {}, h('abbr', { title: param.long, text: param.label })),
          h('dd', { title: param.key === 'consciousness' ? CONSCIOUSNESS[v.consciousness] : false }, statusMark(s), ' ', formatVital(param.key, v[param.key], { short: true }), param.unit && v[param.key] !== undefined ? h('span', { class: 'unit', text: ` ${param.unit}` }) : null));
      })),
    pathway(p.stage),
    h('div', { class: 'card-foot' },
      h('span', { text: record.latest_vitals ? `Observed ${time(record.latest_vitals.observed_at)}` : 'Never observed' }),
      escalationChip(record.escalation)));
}

/** Renders the whole grid (sorted: open escalations, then highest NEWS2, then name). */
export function renderGrid(container, records) {
  const list = [...records].sort((a, b) => {
    const ea = a.escalation ? 1 : 0, eb = b.escalation ? 1 : 0;
    if (ea !== eb) return eb - ea;
    const ta = a.news2?.total ?? -1, tb = b.news2?.total ?? -1;
    if (ta !== tb) return tb - ta;
    return a.patient.name.localeCompare(b.patient.name);
  });
  replace(container, list.map(patientCard));
}

/** Replaces one card in place and highlights it. */
export function updateCard(container, record, { flash = true } = {}) {
  const old = container.querySelector(`#card-${record.patient.id}`);
  const card = patientCard(record);
  if (old) old.replaceWith(card);
  else container.append(card);
  if (flash) {
    card.classList.add('flash');
    setTimeout(() => card.classList.remove('flash'), 2500);
  }
  return card;
}
