// One patient: identity and pathway, who else is viewing, the NEWS2 breakdown per
// parameter with the recommended response, a chart of each vital and of the NEWS2 total
// over time, the open escalation, and the patient's audit trail.

import { h, replace } from './dom.js';
import { PARAMETERS, PARAMETER_LABEL, RISK, RESPONSE, MONITORING, STAGES, STAGE_LABEL, ROLE, time, dateTime, maskCpf } from './labels.js';
import { riskBadge, pathway, formatVital, statusMark } from './ward-grid.js';
import { classifyRecord } from './classification.js';
import { timeSeries, NEWS2_BANDS, VITAL_CHARTS } from './chart.js';
import { vitalsFromReadings } from './ward-model.js';

export function breakdownTable(record) {
  const v = record.latest_vitals?.vitals ?? {};
  const score = record.news2;
  const statuses = classifyRecord(record);
  return h('table', { class: 'table', id: 'breakdown' },
    h('caption', { class: 'visually-hidden', text: 'NEWS2 breakdown per parameter' }),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Parameter' }), h('th', { scope: 'col', text: 'Value' }), h('th', { scope: 'col', text: 'Status' }), h('th', { scope: 'col', text: 'Score' }))),
    h('tbody', {}, PARAMETERS.map((p) => {
      const sc = score?.parameters?.[p.key];
      const st = statuses[p.key];
      return h('tr', { 'data-parameter': p.key },
        h('th', { scope: 'row', text: p.long }),
        h('td', { class: 'num', text: `${formatVital(p.key, v[p.key])}${p.unit && v[p.key] !== undefined ? ` ${p.unit}` : ''}` }),
        h('td', {}, statusMark(st), ` ${st?.status ?? '—'}${st?.direction ? ` (${st.direction})` : ''}`),
        h('td', { class: 'num' }, sc === null || sc === undefined ? h('span', { text: 'missing' }) : h('span', { class: `score-cell score-${sc}`, text: sc })));
    })),
    h('tfoot', {}, h('tr', {}, h('th', { scope: 'row', colspan: 3, text: 'NEWS2 total' }), h('td', { class: 'num', 'data-testid': 'breakdown-total' }, h('strong', { text: score?.total ?? '—' })))));
}

export function responseBox(record) {
  const s = record.news2?.complete ? record.news2 : null;
  if (!s) return h('p', { class: 'response muted', text: record.news2 ? 'Incomplete observation set: no clinical response can be derived until every parameter is measured.' : 'No NEWS2 score yet.' });
  return h('div', { class: 'response' },
    h('strong', { text: `${RISK[s.risk] ?? s.risk} clinical risk. ` }),
    RESPONSE[s.response?.response ?? s.response] ?? '', '. ',
    MONITORING[s.response?.monitoring ?? s.monitoring] ?? '', '.',
    s.red?.length ? h('div', { class: 'small', text: `Parameters scoring 3: ${s.red.map((p) => PARAMETER_LABEL[p] ?? p).join(', ')}.` }) : null,
    h('div', { class: 'small muted', text: `SpO₂ scale ${s.scale ?? 1}; observed ${dateTime(record.news2.observed_at)}${record.news2.stale ? ' (stale)' : ''}.` }));
}

/** The series for the charts from the history answer. */
export function seriesOf(history) {
  const obs = (history?.observations ?? []).map((o) => ({ t: new Date(o.observed_at), v: o.vitals ?? vitalsFromReadings(o.readings) }));
  const charts = VITAL_CHARTS.map((c) => ({ ...c, points: obs.filter((o) => typeof o.v?.[c.key] === 'number').map((o) => ({ t: o.t, v: o.v[c.key] })) }));
  const scores = (history?.scores ?? []).filter((s) => s.complete && typeof s.total === 'number')
    .map((s) => ({ t: new Date(s.observed_at), v: s.total, status: s.risk === 'high' || s.risk === 'medium' ? 'critical' : s.risk === 'low-medium' ? 'warning' : 'normal' }));
  return { charts, scores };
}

export function chartsSection(history) {
  const { charts, scores } = seriesOf(history);
  const box = (title, svg, id) => h('figure', { class: 'chart', id, style: 'margin:0' }, h('h4', { text: title }), svg);
  return h('div', { class: 'charts', id: 'charts' },
    box('NEWS2 total', timeSeries({ title: 'NEWS2 total', unit: '', points: scores, range: [0, 8], bands: NEWS2_BANDS }), 'chart-news2'),
    charts.map((c) => box(`${c.title} (${c.unit})`, timeSeries({ title: c.title, unit: c.unit, points: c.points, range: c.range, bands: c.bands, format: c.format }), `chart-${c.key}`)));
}

export function historyTable(history) {
  const rows = [...(history?.scores ?? [])].reverse().slice(0, 50);
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
    h('caption', { class: 'visually-hidden', text: 'NEWS2 results, newest first' }),
    h('thead', {}, h('tr', {}, ['Observed', 'NEWS2', 'Risk', 'Complete'].map((t) => h('th', { scope: 'col', text: t })))),
    h('tbody', {}, rows.map((s) => h('tr', {}, h('td', { text: dateTime(s.observed_at) }), h('td', { class: 'num', text: s.total ?? '—' }), h('td', { text: RISK[s.risk] ?? s.risk ?? '—' }), h('td', { text: s.complete ? 'yes' : 'no' }))))));
}

export function auditTrail(entries) {
  if (!entries) return h('p', { class: 'muted', text: 'Loading the audit trail…' });
  if (entries.error) return h('p', { class: 'muted', text: entries.error });
  return h('div', { class: 'table-wrap', style: 'max-height:320px' }, h('table', { class: 'table', id: 'patient-audit' },
    h('caption', { class: 'visually-hidden', text: 'Audit trail of this patient, newest first' }),
    h('thead', {}, h('tr', {}, ['#', 'When', 'Who', 'Action', 'Outcome'].map((t) => h('th', { scope: 'col', text: t })))),
    h('tbody', {}, entries.map((e) => h('tr', {},
      h('td', { class: 'num', text: e.id }), h('td', { text: dateTime(e.at) }), h('td', { text: `${e.actor} (${ROLE[e.role] ?? e.role})` }),
      h('td', { text: e.action }), h('td', { text: e.outcome }))))));
}

export function presenceLine(viewers, me) {
  const others = (viewers ?? []).filter((v) => v.username !== me);
  return h('div', { class: 'presence', id: 'presence', 'aria-live': 'polite' },
    h('span', { 'aria-hidden': 'true', text: '◉' }),
    others.length
      ? [h('span', { text: 'Also viewing:' }), others.map((v) => h('span', { class: 'viewer', 'data-viewer': v.username, text: `${v.username} (${ROLE[v.role] ?? v.role})` }))]
      : h('span', { class: 'muted', text: viewers ? 'No one else is viewing this patient.' : 'Presence unavailable.' }));
}

/**
 * Renders the patient view. `parts` holds the pieces loaded separately: `history`,
 * `audit`, `viewers`, `escalationEntry` (a node), `user`, `onStage(stage)`.
 */
export function renderPatient(container, record, parts) {
  const p = record.patient;
  const next = STAGES[STAGES.indexOf(p.stage) + 1];
  replace(container,
    h('div', { class: 'patient-head' },
      h('div', {},
        h('h2', { id: 'patient-title', tabindex: '-1', text: p.name }),
        h('div', { class: 'muted', text: `${p.mrn} · CPF ${maskCpf(p.cpf)}${p.cns ? ` · CNS ${p.cns}` : ''}${p.birth_date ? ` · born ${p.birth_date}` : ''} · ${p.ward}` }),
        presenceLine(parts.viewers, parts.user?.username)),
      riskBadge(record.news2)),
    h('div', { style: 'display:flex;gap:1rem;align-items:center;flex-wrap:wrap;margin-bottom:1rem' },
      h('div', { style: 'flex:1;min-width:280px' }, pathway(p.stage)),
      next ? h('button', { type: 'button', class: 'button-secondary', onclick: () => parts.onStage(next) }, `Move to ${STAGE_LABEL[next]}`) : null),
    parts.escalationEntry ? h('section', { 'aria-label': 'Open escalation', style: 'margin-bottom:1rem' }, parts.escalationEntry) : null,
    h('div', { class: 'patient-grid' },
      h('section', { 'aria-labelledby': 'bd-title' }, h('h3', { id: 'bd-title', text: 'NEWS2 breakdown' }), breakdownTable(record), responseBox(record)),
      h('section', { 'aria-labelledby': 'charts-title' }, h('h3', { id: 'charts-title', text: 'Trends' }),
        parts.history ? chartsSection(parts.history) : h('p', { class: 'muted', text: 'Loading…' }))),
    h('section', { 'aria-labelledby': 'hist-title', style: 'margin-top:1rem' }, h('h3', { id: 'hist-title', text: 'NEWS2 results' }),
      parts.history ? historyTable(parts.history) : h('p', { class: 'muted', text: 'Loading…' })),
    h('section', { 'aria-labelledby': 'audit-trail-title', style: 'margin-top:1rem' }, h('h3', { id: 'audit-trail-title', text: 'Audit trail' }), auditTrail(parts.audit)));
}

export { time };
