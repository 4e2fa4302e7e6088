// The NEWS2 calculator: vitals typed by hand, scored in the browser by news2-wasm as they
// are typed: total, risk, per-parameter breakdown and the recommended response. No server call.

import { byId, h, replace } from './dom.js';
import { wasm, toWasmVitals, fromWasm } from './news2.js';
import { PARAMETERS, PARAMETER_LABEL, RISK, RESPONSE, MONITORING } from './labels.js';

/** A parameter's name for people, from the package's camelCase or the API's snake_case. */
const paramName = (name) => PARAMETER_LABEL[name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] ?? name;
import { vitalsErrorText } from './identifier.js';

const NUMERIC = { respiration_rate: 'calc-rr', spo2: 'calc-spo2', systolic_bp: 'calc-sbp', pulse: 'calc-pulse', temperature: 'calc-temp' };

/** The form's vitals: numbers (or the text, when not a number), null when empty. */
export function readForm() {
  const v = {};
  for (const [k, id] of Object.entries(NUMERIC)) {
    const t = byId(id).value.trim().replace(',', '.');
    v[k] = t === '' ? null : Number.isFinite(Number(t)) ? Number(t) : t;
  }
  v.spo2_scale = Number(byId('calc-scale').value);
  v.on_oxygen = byId('calc-oxygen').value === 'true';
  const c = byId('calc-acvpu').value;
  v.consciousness = c.trim() === '' ? null : c;
  return v;
}

function breakdown(parameters) {
  return h('table', { class: 'table', id: 'calc-breakdown' },
    h('caption', { class: 'visually-hidden', text: 'Score per parameter' }),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Parameter' }), h('th', { scope: 'col', text: 'Score' }))),
    h('tbody', {}, PARAMETERS.map((p) => {
      const sc = parameters?.[p.key];
      return h('tr', { 'data-parameter': p.key }, h('th', { scope: 'row', text: p.long }),
        h('td', { class: 'num' }, sc === null || sc === undefined ? 'missing' : h('span', { class: `score-cell score-${sc}`, text: sc })));
    })));
}

export function compute(v) {
  const pkg = wasm?.news2;
  const anyMissing = Object.values(v).some((x) => x === null);
  const input = toWasmVitals(v);
  if (anyMissing) return { partial: fromWasm(pkg.scorePartial(input)) };
  return { score: fromWasm(pkg.score(input)) };
}

export function render(out) {
  if (!wasm?.news2?.score) {
    replace(out, h('p', { text: 'The calculator needs the news2-wasm package: run ./scripts/wasm.sh build and reload.' }));
    return;
  }
  let r;
  try {
    r = compute(readForm());
  } catch (e) {
    replace(out, h('p', { class: 'field-error', id: 'calc-error', 'data-field': e.field ?? '', 'data-kind': e.kind ?? '', text: vitalsErrorText(e) }));
    return;
  }
  if (r.partial) {
    const p = r.partial;
    replace(out,
      h('div', { class: 'big' },
        h('span', { class: 'news2-badge risk-none', id: 'calc-badge' }, h('span', { class: 'total', id: 'calc-total', text: `≥${p.total}` }), h('span', { class: 'label', text: 'incomplete' })),
        h('div', {}, h('strong', { id: 'calc-risk', 'data-risk': '', text: 'Incomplete' }),
          h('div', { class: 'small', text: `Missing: ${(p.missing ?? []).map(paramName).join(', ')}. A missing value is never scored as normal.` }))),
      breakdown(p.parameters));
    return;
  }
  const s = r.score;
  const label = RISK[s.risk] ?? s.risk;
  replace(out,
    h('div', { class: 'big' },
      h('span', { class: `news2-badge risk-${s.risk}`, id: 'calc-badge', 'aria-label': `NEWS2 ${s.total}, ${label} risk` },
        h('span', { class: 'total', id: 'calc-total', text: s.total }), h('span', { class: 'label', text: label })),
      h('div', {},
        h('strong', { id: 'calc-risk', 'data-risk': s.risk, text: `${label} risk` }),
        h('div', { id: 'calc-response', 'data-response': s.response?.response ?? s.response, text: RESPONSE[s.response?.response ?? s.response] ?? '' }),
        h('div', { class: 'small muted', id: 'calc-monitoring', text: MONITORING[s.response?.monitoring ?? s.monitoring] ?? '' }))),
    breakdown(s.parameters),
    s.red?.length ? h('p', { class: 'small', text: `Scoring 3: ${s.red.map(paramName).join(', ')}` }) : null);
}

export function setupCalculator() {
  const form = byId('calc-form');
  const out = byId('calc-result');
  const update = () => render(out);
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  form.addEventListener('submit', (e) => { e.preventDefault(); update(); });
  return update;
}
