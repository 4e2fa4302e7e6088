// The package's entries and manifest: each target's entry loads and scores, `import` and
// `require` share one instance, and `exports` resolves by package name.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { PKG, news2 } from './support.mjs';

const VITALS = { respirationRate: 26, spo2: 97, systolicBp: 120, pulse: 70, consciousness: 'A', temperature: 37 };
const require = createRequire(import.meta.url);

test('nodejs: require and import give the same instance', () => {
  const cjs = require(join(PKG, 'nodejs', 'index.cjs'));
  assert.equal(cjs.VitalsError, news2.VitalsError);
  assert.equal(cjs.score, news2.score);
  assert.equal(cjs.default, news2.default);
  assert.throws(() => cjs.score({}), news2.VitalsError);
});

test('web: not usable before init; initSync and init instantiate it', async () => {
  const web = await import(pathToFileURL(join(PKG, 'web', 'index.js')).href);
  assert.throws(() => web.score(VITALS), /not initialised yet: `await init\(\)` first/);
  const bytes = readFileSync(join(PKG, 'bundler', 'news2_wasm_bg.wasm'));
  web.initSync(new WebAssembly.Module(bytes));
  assert.equal(web.score(VITALS).risk, 'low-medium');
  await web.default(bytes); // again, with bytes: resolves, already loaded
  assert.throws(() => web.score({ ...VITALS, pulse: 'x' }), web.VitalsError);
  assert.notEqual(web.VitalsError, news2.VitalsError, 'web and nodejs are separate instances');
});

test('web: init() alone (asynchronous instantiation, fresh process)', () => {
  const entry = pathToFileURL(join(PKG, 'web', 'index.js')).href;
  const wasm = join(PKG, 'bundler', 'news2_wasm_bg.wasm');
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { readFileSync } from 'node:fs';
       const m = await import(${JSON.stringify(entry)});
       await Promise.all([m.default(readFileSync(${JSON.stringify(wasm)})), m.default()]);
       console.log(JSON.stringify(m.scorePartial({ pulse: 135 })));`,
    ],
    { encoding: 'utf8' },
  );
  const r = JSON.parse(out);
  assert.deepEqual([r.total, r.missing.length, r.complete], [3, 5, false]); // onOxygen absent is air, never missing
});

test('bundler: loads as an ES module with WebAssembly module integration', () => {
  const url = pathToFileURL(join(PKG, 'bundler', 'index.js')).href;
  const out = execFileSync(
    process.execPath,
    [
      '--experimental-wasm-modules',
      '--no-warnings',
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(url)}); await m.default(); console.log(JSON.stringify(m.score(${JSON.stringify(VITALS)})));`,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(JSON.parse(out).risk, 'low-medium');
});

test('package.json: exports resolve by name for import and require', () => {
  const manifest = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8'));
  assert.equal(manifest.name, 'news2-wasm');
  assert.match(manifest.version, /^\d+\.\d+\.\d+/);
  const files = [];
  const walk = (v) => (typeof v === 'string' ? files.push(v) : Object.values(v).forEach(walk));
  walk(manifest.exports);
  assert.ok(files.length > 20);
  for (const file of files) assert.ok(existsSync(join(PKG, file)), `${file} is missing`);
  assert.ok(existsSync(join(PKG, manifest.types)));

  const dir = mkdtempSync(join(tmpdir(), 'news2-wasm-consumer-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(PKG, join(dir, 'node_modules', 'news2-wasm'), 'dir');
    writeFileSync(join(dir, 'esm.mjs'), `import init, { score } from 'news2-wasm'; await init(); console.log(score(${JSON.stringify(VITALS)}).total);`);
    writeFileSync(join(dir, 'cjs.cjs'), `const { score } = require('news2-wasm'); console.log(score(${JSON.stringify(VITALS)}).total);`);
    writeFileSync(
      join(dir, 'web.mjs'),
      `import { readFileSync } from 'node:fs'; import init, { score } from 'news2-wasm/web';
       await init(readFileSync(new URL(import.meta.resolve('news2-wasm/web').replace('web/index.js', 'bundler/news2_wasm_bg.wasm'))));
       console.log(score(${JSON.stringify(VITALS)}).total);`,
    );
    for (const file of ['esm.mjs', 'cjs.cjs', 'web.mjs']) {
      const out = execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' });
      assert.equal(out.trim(), '3', file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('escalation: every target loads its own module and counts down', () => {
  const dir = mkdtempSync(join(tmpdir(), 'news2-wasm-escalation-'));
  const t0 = Date.UTC(2025, 0, 1, 8);
  const body = `const board = new EscalationBoard(EscalationPolicySet.demo());
    const { id } = board.alert(42, 'medium', ${t0});
    console.log(board.currentStep(id, ${t0 + 12_000}).countdownMs);`;
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(PKG, join(dir, 'node_modules', 'news2-wasm'), 'dir');
    writeFileSync(join(dir, 'esm.mjs'), `import init, { EscalationBoard, EscalationPolicySet } from 'news2-wasm/escalation'; await init(); ${body}`);
    writeFileSync(join(dir, 'cjs.cjs'), `const { EscalationBoard, EscalationPolicySet } = require('news2-wasm/escalation'); ${body}`);
    writeFileSync(
      join(dir, 'web.mjs'),
      `import { readFileSync } from 'node:fs'; import { initSync, EscalationBoard, EscalationPolicySet } from 'news2-wasm/escalation/web';
       initSync(readFileSync(new URL(import.meta.resolve('news2-wasm/escalation/web').replace('web/escalation.js', 'bundler/news2_escalation_bg.wasm'))));
       ${body}`,
    );
    writeFileSync(join(dir, 'bundler.mjs'), `import { EscalationBoard, EscalationPolicySet } from 'news2-wasm/escalation/bundler'; ${body}`);
    for (const [file, flags] of [['esm.mjs', []], ['cjs.cjs', []], ['web.mjs', []], ['bundler.mjs', ['--experimental-wasm-modules', '--no-warnings']]]) {
      const out = execFileSync(process.execPath, [...flags, file], { cwd: dir, encoding: 'utf8' });
      assert.equal(out.trim(), '18000', file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
