// news2-wasm benchmark (scripts/wasm.sh bench): prints figures, asserts nothing.
//
// 1. scoreBatch on 1,000,000 randomised rows against two plain-JavaScript implementations of
//    the same chart run on the same rows in the same process:
//    - "idiomatic": an array of row objects, one result object per row (how JavaScript code
//      usually scores), and
//    - "columnar": the same typed-array columns in and typed arrays out, a tight loop.
//    Both baselines check finiteness and bounds and round like the core for these inputs,
//    so every implementation does the same work; they are benchmark baselines only (the
//    package has no scoring logic of its own).
// 2. The cost of one score() call (and scorePartial, classify, the plain-JS baseline) on
//    4,096 distinct observation objects, in interleaved rounds (see below) so that the
//    figures of one run compare with each other on a shared machine.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const PKG = resolve(process.env.NEWS2_WASM_PKG ?? join(here, '..', 'pkg'));
const news2 = await import(pathToFileURL(join(PKG, 'nodejs', 'index.mjs')).href);
const ROWS = Number(process.env.NEWS2_BENCH_ROWS ?? 1_000_000);

// --- inputs: a seeded generator, so runs compare -----------------------------------------
let seed = 0x9e3779b9;
const rand = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
};
const between = (lo, hi) => Math.round(lo + rand() * (hi - lo));
const columns = {
  respirationRate: new Float64Array(ROWS),
  spo2: new Float64Array(ROWS),
  spo2Scale: new Uint8Array(ROWS),
  onOxygen: new Uint8Array(ROWS),
  systolicBp: new Float64Array(ROWS),
  pulse: new Float64Array(ROWS),
  consciousness: new Uint8Array(ROWS),
  temperature: new Float64Array(ROWS),
};
const LETTERS = ['A', 'C', 'V', 'P', 'U'];
for (let i = 0; i < ROWS; i++) {
  columns.respirationRate[i] = rand() < 0.01 ? NaN : between(4, 40);
  columns.spo2[i] = between(78, 100);
  columns.spo2Scale[i] = rand() < 0.1 ? 2 : 1;
  columns.onOxygen[i] = rand() < 0.3 ? 1 : 0;
  columns.systolicBp[i] = rand() < 0.01 ? 400 : between(70, 240);
  columns.pulse[i] = between(30, 170);
  columns.consciousness[i] = rand() < 0.8 ? 0 : between(1, 4);
  columns.temperature[i] = between(340, 410) / 10;
}
const objects = Array.from({ length: ROWS }, (_, i) => ({
  respirationRate: Number.isNaN(columns.respirationRate[i]) ? null : columns.respirationRate[i],
  spo2: columns.spo2[i],
  spo2Scale: columns.spo2Scale[i],
  onOxygen: columns.onOxygen[i] === 1,
  systolicBp: columns.systolicBp[i],
  pulse: columns.pulse[i],
  consciousness: LETTERS[columns.consciousness[i]],
  temperature: columns.temperature[i],
}));

// --- plain-JavaScript baselines (benchmark only) -----------------------------------------
const roundHalfAway = (x, tenths) => {
  const t = tenths ? x * 10 : x;
  return Math.sign(t) * Math.round(Math.abs(t));
};
function plain(v) {
  for (const [k, max] of [['respirationRate', 80], ['spo2', 100], ['systolicBp', 300], ['pulse', 300]]) {
    const x = v[k];
    if (x == null) throw new Error(`${k} is missing`);
    if (!Number.isFinite(x)) throw new Error(`${k} is not finite`);
    if (x < 0 || roundHalfAway(x, false) > max) throw new Error(`${k} ${x} is out of range`);
  }
  const t = roundHalfAway(v.temperature, true);
  if (!Number.isFinite(v.temperature) || t < 250 || t > 450) throw new Error('temperature out of range');
  const rr = roundHalfAway(v.respirationRate);
  const s = roundHalfAway(v.spo2);
  const sbp = roundHalfAway(v.systolicBp);
  const p = roundHalfAway(v.pulse);
  const o2 = v.onOxygen === true;
  const scale2 = v.spo2Scale === 2;
  const parameters = {
    respirationRate: rr <= 8 ? 3 : rr <= 11 ? 1 : rr <= 20 ? 0 : rr <= 24 ? 2 : 3,
    spo2: scale2
      ? s <= 83 ? 3 : s <= 85 ? 2 : s <= 87 ? 1 : !o2 || s <= 92 ? 0 : s <= 94 ? 1 : s <= 96 ? 2 : 3
      : s <= 91 ? 3 : s <= 93 ? 2 : s <= 95 ? 1 : 0,
    onOxygen: o2 ? 2 : 0,
    systolicBp: sbp <= 90 ? 3 : sbp <= 100 ? 2 : sbp <= 110 ? 1 : sbp <= 219 ? 0 : 3,
    pulse: p <= 40 ? 3 : p <= 50 ? 1 : p <= 90 ? 0 : p <= 110 ? 1 : p <= 130 ? 2 : 3,
    consciousness: v.consciousness === 'A' ? 0 : 3,
    temperature: t <= 350 ? 3 : t <= 360 ? 1 : t <= 380 ? 0 : t <= 390 ? 1 : 2,
  };
  const scores = Object.values(parameters);
  const total = scores.reduce((a, b) => a + b, 0);
  const red = scores.includes(3);
  const risk = total >= 7 ? 'high' : total >= 5 ? 'medium' : red ? 'low-medium' : 'low';
  return { total, risk, parameters };
}
function idiomatic(rows) {
  return rows.map((r) => {
    try {
      return plain(r);
    } catch (error) {
      return { error: error.message };
    }
  });
}

function columnar(c) {
  const n = c.respirationRate.length;
  const total = new Uint8Array(n);
  const risk = new Uint8Array(n);
  const err = new Uint8Array(n);
  const bad = (x, max) => !Number.isFinite(x) || x < 0 || Math.round(x) > max;
  for (let i = 0; i < n; i++) {
    const rrx = c.respirationRate[i], sx = c.spo2[i], bx = c.systolicBp[i], px = c.pulse[i], tx = c.temperature[i];
    const level = c.consciousness[i], scale = c.spo2Scale[i], ox = c.onOxygen[i];
    const tt = Math.round(tx * 10);
    if (bad(rrx, 80) || bad(sx, 100) || bad(bx, 300) || bad(px, 300) || !Number.isFinite(tx) || tt < 250 || tt > 450 || level > 4 || scale < 1 || scale > 2 || ox > 1) {
      total[i] = risk[i] = 255;
      err[i] = 1;
      continue;
    }
    const rr = Math.round(rrx), s = Math.round(sx), sbp = Math.round(bx), p = Math.round(px);
    const a = rr <= 8 ? 3 : rr <= 11 ? 1 : rr <= 20 ? 0 : rr <= 24 ? 2 : 3;
    const b = scale === 2
      ? s <= 83 ? 3 : s <= 85 ? 2 : s <= 87 ? 1 : ox === 0 || s <= 92 ? 0 : s <= 94 ? 1 : s <= 96 ? 2 : 3
      : s <= 91 ? 3 : s <= 93 ? 2 : s <= 95 ? 1 : 0;
    const d = sbp <= 90 ? 3 : sbp <= 100 ? 2 : sbp <= 110 ? 1 : sbp <= 219 ? 0 : 3;
    const e = p <= 40 ? 3 : p <= 50 ? 1 : p <= 90 ? 0 : p <= 110 ? 1 : p <= 130 ? 2 : 3;
    const f = level === 0 ? 0 : 3;
    const g = tt <= 350 ? 3 : tt <= 360 ? 1 : tt <= 380 ? 0 : tt <= 390 ? 1 : 2;
    const sum = a + b + 2 * ox + d + e + f + g;
    total[i] = sum;
    risk[i] = sum >= 7 ? 3 : sum >= 5 ? 2 : a === 3 || b === 3 || d === 3 || e === 3 || f === 3 || g === 3 ? 1 : 0;
  }
  return { total, risk, err };
}

// --- timing ------------------------------------------------------------------------------
function time(label, fn, runs = 5) {
  fn(); // warm-up (JIT, wasm tier-up, memory growth)
  const ms = [];
  let out;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    out = fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const median = ms[Math.floor(runs / 2)];
  console.log(`  ${label.padEnd(44)} ${median.toFixed(1).padStart(8)} ms  (${((median * 1e6) / ROWS).toFixed(1)} ns/row)`);
  return { median, out };
}

console.log(`news2-wasm benchmark: node ${process.version}, ${ROWS.toLocaleString('en')} rows, median of 5 runs`);
const wasm = time('scoreBatch (wasm, typed arrays)', () => news2.scoreBatch(columns));
const cols = time('plain JS, columnar (typed arrays, tight loop)', () => columnar(columns));
const objs = time('plain JS, idiomatic (objects, map)', () => idiomatic(objects));

// The baselines must agree with the package where they can (totals of scored rows).
let checked = 0;
for (let i = 0; i < ROWS; i += 97) {
  if (wasm.out.error[i] === 0) {
    if (wasm.out.total[i] !== cols.out.total[i] || wasm.out.total[i] !== objs.out[i].total) {
      throw new Error(`baseline disagrees with the package at row ${i}`);
    }
    checked++;
  }
}
console.log(`  (baselines agree with scoreBatch on ${checked.toLocaleString('en')} sampled rows)`);
console.log(`  scoreBatch speed-up vs idiomatic JS: ${(objs.median / wasm.median).toFixed(2)}x  (target >= 1x)`);
console.log(`  scoreBatch speed-up vs columnar JS:  ${(cols.median / wasm.median).toFixed(2)}x`);

// --- single calls ------------------------------------------------------------------------
// On a shared machine one long run measures the neighbours as much as the code, so the
// functions take turns: ROUNDS rounds of CALLS calls each, every function once per round,
// and each function's minimum, median and maximum over the rounds are printed. Set
// NEWS2_WASM_BASELINE_PKG to another built pkg/ (e.g. an older build) to time its score()
// in the same rounds.
const sample = objects.slice(0, 4096).map((o, i) => ({ ...o, respirationRate: 10 + (i % 20), systolicBp: 100 + (i % 100) }));
const ROUNDS = Number(process.env.NEWS2_BENCH_ROUNDS ?? 25);
const CALLS = 200_000;
const contenders = [
  ['score()', news2.score],
  ['scorePartial()', news2.scorePartial],
  ['classify() (default profile)', news2.classify],
  ['plain JS score (baseline)', plain],
];
if (process.env.NEWS2_WASM_BASELINE_PKG) {
  const base = resolve(process.env.NEWS2_WASM_BASELINE_PKG);
  const old = await import(pathToFileURL(join(base, 'nodejs', 'index.mjs')).href);
  contenders.push([`score() of ${base}`, old.score]);
}
function round(fn) {
  const t0 = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < CALLS; i++) sink += fn(sample[i & 4095]).total ?? 1;
  const ns = Number(process.hrtime.bigint() - t0) / CALLS;
  if (sink < 0) throw new Error('unreachable');
  return ns;
}
for (const [, fn] of contenders) for (let i = 0; i < 200_000; i++) fn(sample[i & 4095]); // warm-up
const perRound = contenders.map(() => []);
for (let r = 0; r < ROUNDS; r++) contenders.forEach(([, fn], k) => perRound[k].push(round(fn)));
const stats = perRound.map((ns) => {
  const s = [...ns].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
});
console.log(`single calls (${ROUNDS} interleaved rounds x ${CALLS.toLocaleString('en')} calls; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}):`);
console.log(`  ${''.padEnd(44)} ${'min'.padStart(8)} ${'median'.padStart(8)} ${'max'.padStart(8)} ns/call`);
contenders.forEach(([label], k) => {
  const { min, median, max } = stats[k];
  console.log(`  ${label.padEnd(44)} ${min.toFixed(0).padStart(8)} ${median.toFixed(0).padStart(8)} ${max.toFixed(0).padStart(8)}`);
});
if (contenders.length > 4) {
  const speedUp = perRound[4].map((old, r) => old / perRound[0][r]).sort((a, b) => a - b);
  console.log(`  score() speed-up over the baseline package, per round: median ${speedUp[Math.floor(speedUp.length / 2)].toFixed(2)}x (range ${speedUp[0].toFixed(2)}-${speedUp[speedUp.length - 1].toFixed(2)}x)`);
}
console.log(`  score() cost: ${stats[0].min.toFixed(0)}-${stats[0].median.toFixed(0)} ns (min-median; target <= 200 ns)`);

// --- sizes -------------------------------------------------------------------------------
console.log('sizes (raw / gzip):');
for (const f of ['bundler/news2_wasm_bg.wasm', 'web/news2_wasm.js', 'bundler/news2_escalation_bg.wasm', 'web/news2_escalation.js', 'escalation.js', 'nodejs/news2_wasm.js', 'bundler/news2_wasm_bg.js', 'api.js']) {
  const b = readFileSync(join(PKG, f));
  console.log(`  ${f.padEnd(44)} ${String(b.length).padStart(8)} B ${String(gzipSync(b, { level: 9 }).length).padStart(8)} B`);
}
