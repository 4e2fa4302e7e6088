// Per-vital status (normal / warning / critical) for the cards. In the browser through
// news2-wasm's `classify` (the default profile); without the package, from the server's NEWS2
// parameter scores, which the default profile mirrors (0 normal, 1–2 warning, 3 critical).

import { wasm, toWasmVitals, fromWasm } from './news2.js';

const CLASSIFIED = ['respiration_rate', 'spo2', 'systolic_bp', 'pulse', 'consciousness', 'temperature'];

function fromScores(parameters) {
  const out = {};
  for (const k of [...CLASSIFIED, 'on_oxygen']) {
    const sc = parameters?.[k];
    if (sc === null || sc === undefined) continue;
    out[k] = { status: sc >= 3 ? 'critical' : sc >= 1 ? 'warning' : 'normal', direction: null, score: sc };
  }
  return out;
}

/** `{vital: {status, direction, score?}}` for a record's latest vitals and score. */
export function classifyRecord(record) {
  const vitals = record?.latest_vitals?.vitals;
  const params = record?.news2?.parameters;
  const base = fromScores(params);
  if (!vitals) return base;
  if (wasm?.news2?.classify) {
    try {
      const input = {};
      for (const k of CLASSIFIED) if (vitals[k] !== undefined && vitals[k] !== null) input[k] = vitals[k];
      const result = fromWasm(wasm.news2.classify(toWasmVitals(input)));
      for (const k of CLASSIFIED) {
        const r = result?.[k];
        if (r?.status) base[k] = { ...base[k], status: r.status, direction: r.direction ?? null };
      }
    } catch (e) {
      console.warn('classify failed; using the NEWS2 parameter scores', e);
    }
  }
  return base;
}
