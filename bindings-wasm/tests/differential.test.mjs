// Differential: the observations and native results written by
// `cargo run -p news2-wasm --example differential` (news2-core compiled natively), run
// through the built package; every field of every result must be identical.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { camel, news2 } from './support.mjs';

const DIR = process.env.NEWS2_WASM_DIFFERENTIAL;
const skip = DIR ? false : 'NEWS2_WASM_DIFFERENTIAL is not set (scripts/wasm.sh sets it)';

const NON_FINITE = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
const NUMERIC = new Set(['respiration_rate', 'spo2', 'spo2_scale', 'systolic_bp', 'diastolic_bp', 'pulse', 'temperature']);

/** The row's input in the package's names; values unchanged (non-finite numbers decoded). */
function input(row) {
  const out = {};
  for (const [k, v] of Object.entries(row)) {
    out[camel(k)] = NUMERIC.has(k) && typeof v === 'string' ? NON_FINITE[v] : v;
  }
  return out;
}

/** What the package must return or throw, from the native result. */
function outcome(call) {
  try {
    return { ok: call() };
  } catch (e) {
    if (!(e instanceof news2.VitalsError)) throw e;
    return { error: { field: e.field, kind: e.kind, message: e.message } };
  }
}

const PARAMS = ['respirationRate', 'spo2', 'onOxygen', 'systolicBp', 'pulse', 'consciousness', 'temperature'];
const byParameter = (scores) => Object.fromEntries(PARAMS.map((p, i) => [p, scores[i]]));
const nativeError = (e) => ({ error: { field: camel(e.field), kind: e.kind, message: e.message } });

function expectedScore(r) {
  if (r.error) return nativeError(r.error);
  const s = r.ok;
  return {
    ok: {
      total: s.total,
      risk: s.risk,
      parameters: byParameter(s.parameters),
      monitoring: s.monitoring,
      response: s.response,
      red: s.red.map(camel),
      scale: s.scale,
      complete: true,
    },
  };
}

function expectedPartial(r) {
  if (r.error) return nativeError(r.error);
  const s = r.ok;
  return {
    ok: {
      total: s.total,
      parameters: byParameter(s.parameters),
      missing: s.missing.map(camel),
      red: s.red.map(camel),
      minimumRisk: s.minimum_risk,
      scale: s.scale,
      complete: s.complete,
    },
  };
}

function expectedClassify(r) {
  if (r.error) return nativeError(r.error);
  return { ok: Object.fromEntries(Object.entries(r.ok).map(([k, v]) => [camel(k), v])) };
}

test('differential: score, scorePartial and classify of every row equal native news2-core', { skip }, (t) => {
  const { seed, rows } = JSON.parse(readFileSync(join(DIR, 'rows.json'), 'utf8'));
  assert.ok(rows.length >= 100_000, `expected at least 100,000 rows, found ${rows.length}`);
  const failures = [];
  const counts = { score: 0, partial: 0, classify: 0, errors: 0 };
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const vitals = input(row.input);
    const checks = [
      ['score', () => news2.score(vitals), expectedScore(row.score)],
      ['partial', () => news2.scorePartial(vitals), expectedPartial(row.partial)],
      ['classify', () => news2.classify(vitals), expectedClassify(row.classify)],
    ];
    for (const [what, call, expected] of checks) {
      const got = outcome(call);
      counts[what]++;
      if (expected.error) counts.errors++;
      try {
        assert.deepEqual(got, expected);
      } catch {
        if (failures.length < 10) failures.push({ row: i, what, input: row.input, got, expected });
        else failures.length++;
      }
    }
  }
  t.diagnostic(
    `seed ${seed}: ${rows.length} rows; ${counts.score + counts.partial + counts.classify} results compared ` +
      `(${counts.errors} of them errors, compared by field, kind and message)`,
  );
  assert.equal(failures.length, 0, `${failures.length} results differ; first: ${JSON.stringify(failures.slice(0, 5), null, 1)}`);
});

test('differential: scoreBatch columns equal native score_raw_columns', { skip }, (t) => {
  const batch = join(DIR, 'batch');
  assert.ok(existsSync(join(batch, 'expected.bin')), `${batch}/expected.bin is missing`);
  const bytes = (name) => new Uint8Array(readFileSync(join(batch, `${name}.bin`)));
  const f64 = (name) => {
    const b = bytes(name);
    return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  };
  const columns = {
    respirationRate: f64('respiration_rate'),
    spo2: f64('spo2'),
    spo2Scale: bytes('spo2_scale'),
    onOxygen: bytes('on_oxygen'),
    systolicBp: f64('systolic_bp'),
    pulse: f64('pulse'),
    consciousness: bytes('consciousness'),
    temperature: f64('temperature'),
  };
  const n = columns.respirationRate.length;
  const expected = bytes('expected');
  assert.equal(expected.length, 11 * n);
  const got = news2.scoreBatch(columns);
  assert.equal(got.length, n);
  const outputs = [
    ['total', got.total],
    ['risk', got.risk],
    ...PARAMS.map((p) => [p, got.parameters[p]]),
    ['error', got.error],
    ['errorField', got.errorField],
  ];
  let errors = 0;
  outputs.forEach(([name, col], k) => {
    const want = expected.subarray(k * n, (k + 1) * n);
    const bad = col.findIndex((v, i) => v !== want[i]);
    assert.equal(bad, -1, `column ${name} differs at row ${bad}: wasm ${col[bad]}, native ${want[bad]}`);
  });
  for (const code of got.error) if (code !== 0) errors++;
  assert.equal(got.errors, errors);
  t.diagnostic(`${n} rows, 11 columns identical (${errors} rows not scored)`);
});
