// The package's own behaviour around the core: shapes, defaults, errors, JavaScript types,
// typed-array batches and profiles.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { news2 } from './support.mjs';

const {
  score,
  scorePartial,
  scoreBatch,
  classify,
  consciousnessCode,
  VitalsError,
  ProfileError,
  IdentifierError,
  RISK_LABELS,
  NO_SCORE,
  MISSING_CODE,
  CONSCIOUSNESS_CODES,
} = news2;

const NORMAL = Object.freeze({
  respirationRate: 16,
  spo2: 97,
  systolicBp: 120,
  pulse: 70,
  consciousness: 'A',
  temperature: 37,
});

/** Asserts `call` throws a VitalsError with these properties and returns it. */
function vitalsError(call, expected) {
  let caught;
  assert.throws(call, (e) => {
    caught = e;
    return e instanceof VitalsError;
  });
  assert.ok(caught instanceof Error);
  assert.equal(caught.name, 'VitalsError');
  assert.equal(typeof caught.stack, 'string');
  for (const [k, v] of Object.entries(expected)) {
    if (k === 'message') assert.match(caught.message, v);
    else assert.deepEqual(caught[k], v, `${k}: ${caught.message}`);
  }
  return caught;
}

describe('score', () => {
  test('returns the documented shape', () => {
    const r = score({ respirationRate: 24, spo2: 93, onOxygen: true, systolicBp: 98, pulse: 118, consciousness: 'A', temperature: 38.6 });
    assert.deepEqual(r, {
      total: 11,
      risk: 'high',
      parameters: { respirationRate: 2, spo2: 2, onOxygen: 2, systolicBp: 2, pulse: 2, consciousness: 0, temperature: 1 },
      monitoring: 'continuous',
      response: 'emergency',
      red: [],
      scale: 1,
      complete: true,
    });
  });

  test('red parameters, low-medium and Chart 4', () => {
    const r = score({ ...NORMAL, consciousness: 'new confusion' });
    assert.deepEqual([r.total, r.risk, r.red, r.monitoring, r.response], [3, 'low-medium', ['consciousness'], 'hourly', 'urgent_ward_based']);
  });

  test('onOxygen and spo2Scale: omitted or null mean air and Scale 1', () => {
    for (const extra of [{}, { onOxygen: null, spo2Scale: null }, { onOxygen: undefined, spo2Scale: undefined }]) {
      const r = score({ ...NORMAL, ...extra });
      assert.equal(r.parameters.onOxygen, 0);
      assert.equal(r.scale, 1);
    }
    const r = score({ ...NORMAL, spo2: 97, spo2Scale: 2, onOxygen: true });
    assert.deepEqual([r.scale, r.parameters.spo2, r.parameters.onOxygen], [2, 3, 2]);
  });

  test('a missing vital is an error, never normal (null and undefined alike)', () => {
    for (const missing of [null, undefined]) {
      vitalsError(() => score({ ...NORMAL, pulse: missing }), { field: 'pulse', kind: 'missing', message: /pulse is missing/ });
    }
    vitalsError(() => score({}), { field: 'respirationRate', kind: 'missing' });
  });

  test('out of range: the message names the value and the accepted range', () => {
    const e = vitalsError(() => score({ ...NORMAL, spo2: 977 }), {
      field: 'spo2',
      kind: 'out_of_range',
      value: 977,
      min: 0,
      max: 100,
    });
    assert.equal(e.message, 'spo2 977 is out of range: expected 0–100 %');
    vitalsError(() => score({ ...NORMAL, respirationRate: -0.4 }), { kind: 'out_of_range', value: -0.4 });
    vitalsError(() => score({ ...NORMAL, temperature: 98.6 }), {
      field: 'temperature',
      kind: 'looks_like_fahrenheit',
      message: /98\.6 .*37\.0 °C/,
    });
  });

  test('NaN and infinities are not_finite; never clamped', () => {
    for (const v of [NaN, Infinity, -Infinity]) {
      vitalsError(() => score({ ...NORMAL, systolicBp: v }), { field: 'systolicBp', kind: 'not_finite' });
    }
  });

  test('rounding is the core rule, on the number JavaScript prints', () => {
    // 36.05 rounds half away from zero on its decimal text to 36.1 (scores 0), not to 36.0 (1).
    assert.equal(score({ ...NORMAL, temperature: 36.05 }).parameters.temperature, 0);
    assert.equal(score({ ...NORMAL, temperature: 36.04 }).parameters.temperature, 1);
    assert.equal(score({ ...NORMAL, respirationRate: 20.5 }).parameters.respirationRate, 2);
  });

  test('consciousness: letters and words, any case, trimmed; others rejected', () => {
    for (const c of ['v', ' Voice ', 'VOICE', 'confused', '\tu\n']) assert.equal(score({ ...NORMAL, consciousness: c }).parameters.consciousness, 3);
    vitalsError(() => score({ ...NORMAL, consciousness: 'drowsy' }), {
      field: 'consciousness',
      kind: 'invalid_consciousness',
      value: 'drowsy',
      message: /"drowsy" is not an ACVPU level/,
    });
    vitalsError(() => score({ ...NORMAL, consciousness: '' }), { kind: 'invalid_consciousness' });
  });

  test('consciousness texts are read by the core on every path (memoised or not)', () => {
    // More distinct accepted texts than the wrapper remembers, each twice, then rejected ones.
    const texts = [];
    for (let pad = 0; pad < 20; pad++) for (const w of ['a', 'Voice', 'PAIN', 'new confusion']) texts.push(`${' '.repeat(pad)}${w}\t`);
    for (const text of [...texts, ...texts]) {
      const expected = text.trim().toLowerCase() === 'a' ? 0 : 3;
      assert.equal(score({ ...NORMAL, consciousness: text }).parameters.consciousness, expected, JSON.stringify(text));
      assert.equal(classify({ consciousness: text }).consciousness.status, expected === 0 ? 'normal' : 'critical');
    }
    for (let k = 0; k < 3; k++) {
      vitalsError(() => score({ ...NORMAL, consciousness: 'x' }), { kind: 'invalid_consciousness', value: 'x' });
      vitalsError(() => scorePartial({ consciousness: 'alertt' }), { kind: 'invalid_consciousness' });
    }
    // A memoised text still loses to an earlier bad field.
    vitalsError(() => score({ ...NORMAL, consciousness: 'A', spo2: -1 }), { field: 'spo2', kind: 'out_of_range' });
  });

  test('spo2Scale other than 1 or 2 is invalid_scale', () => {
    for (const s of [0, 3, 1.5, NaN]) vitalsError(() => score({ ...NORMAL, spo2Scale: s }), { field: 'spo2Scale', kind: 'invalid_scale' });
  });

  test('values of the wrong JavaScript type are invalid_type, never coerced', () => {
    const cases = [
      ['respirationRate', '18'],
      ['spo2', true],
      ['pulse', 70n],
      ['systolicBp', [120]],
      ['temperature', { valueOf: () => 37 }],
      ['temperature', Symbol('t')],
      ['onOxygen', 1],
      ['onOxygen', 'false'],
      ['spo2Scale', '2'],
      ['consciousness', 0],
    ];
    for (const [field, value] of cases) {
      const e = vitalsError(() => score({ ...NORMAL, [field]: value }), { field, kind: 'invalid_type', value });
      assert.match(e.message, new RegExp(`^${field}: expected `));
    }
    assert.match(vitalsError(() => score({ ...NORMAL, respirationRate: '18' }), {}).message, /got the string "18"/);
  });

  test('the first bad field in the core order is reported, whatever made it bad', () => {
    // respirationRate (out of range) comes before pulse (wrong type) ...
    vitalsError(() => score({ ...NORMAL, respirationRate: 500, pulse: '70' }), { field: 'respirationRate', kind: 'out_of_range' });
    // ... spo2Scale (wrong type) before spo2 (missing) ...
    vitalsError(() => score({ ...NORMAL, spo2Scale: '1', spo2: null }), { field: 'spo2Scale', kind: 'invalid_type' });
    // ... and a missing systolicBp before a wrongly typed temperature.
    vitalsError(() => score({ ...NORMAL, systolicBp: undefined, temperature: '37' }), { field: 'systolicBp', kind: 'missing' });
  });

  test('the argument must be an object', () => {
    for (const v of [undefined, null, 42, 'vitals']) assert.throws(() => score(v), TypeError);
  });

  test('each property is read once', () => {
    let reads = 0;
    const vitals = { ...NORMAL };
    Object.defineProperty(vitals, 'pulse', { get: () => (reads++, 70), enumerable: true });
    score(vitals);
    assert.equal(reads, 1);
  });
});

describe('scorePartial', () => {
  test('gaps are listed, never scored', () => {
    const r = scorePartial({ respirationRate: 8, pulse: null });
    assert.deepEqual(r, {
      total: 3,
      parameters: { respirationRate: 3, spo2: null, onOxygen: 0, systolicBp: null, pulse: null, consciousness: null, temperature: null },
      missing: ['spo2', 'systolicBp', 'pulse', 'consciousness', 'temperature'],
      red: ['respirationRate'],
      minimumRisk: 'low-medium',
      scale: 1,
      complete: false,
    });
  });

  test('a complete set is complete', () => {
    const r = scorePartial(NORMAL);
    assert.equal(r.complete, true);
    assert.deepEqual(r.missing, []);
    assert.equal(r.total, score(NORMAL).total);
  });

  test('present values are still checked', () => {
    vitalsError(() => scorePartial({ spo2: 101 }), { field: 'spo2', kind: 'out_of_range' });
    vitalsError(() => scorePartial({ pulse: '70' }), { field: 'pulse', kind: 'invalid_type' });
  });
});

describe('scoreBatch', () => {
  const rows = (n, f) => Float64Array.from({ length: n }, (_, i) => f(i));
  const columns = (n) => ({
    respirationRate: rows(n, (i) => [18, NaN, 18, 30, 8.5][i % 5]),
    spo2: rows(n, (i) => [97, 97, 101, 90, 95][i % 5]),
    systolicBp: rows(n, () => 120),
    pulse: rows(n, (i) => 40 + (i % 120)),
    consciousness: Uint8Array.from({ length: n }, (_, i) => [0, 0, 0, 2, 255][i % 5]),
    temperature: rows(n, (i) => 35 + (i % 50) / 10),
  });

  test('typed arrays in, typed arrays out; bad rows get NO_SCORE and an error code', () => {
    const r = scoreBatch(columns(5));
    assert.ok(r.total instanceof Uint8Array && r.parameters.pulse instanceof Uint8Array);
    assert.equal(r.length, 5);
    assert.deepEqual(r.riskLabels, RISK_LABELS);
    assert.equal(r.noScore, NO_SCORE);
    assert.equal(r.errors, 3);
    assert.deepEqual([...r.error].map((c) => r.errorKinds[c]), ['', 'missing', 'out_of_range', '', 'missing']);
    assert.deepEqual([...r.errorField].map((c) => r.fieldLabels[c]), [undefined, 'respirationRate', 'spo2', undefined, 'consciousness']);
    assert.equal(r.total[1], NO_SCORE);
    assert.equal(r.parameters.spo2[1], NO_SCORE);
  });

  test('every row agrees with score() across chunk boundaries', () => {
    const n = 150_001; // three chunks of 65,536 rows
    const c = columns(n);
    const r = scoreBatch(c);
    const letters = Object.keys(CONSCIOUSNESS_CODES);
    for (let i = 0; i < n; i += 7) {
      const vitals = {
        respirationRate: c.respirationRate[i],
        spo2: c.spo2[i],
        systolicBp: c.systolicBp[i],
        pulse: c.pulse[i],
        consciousness: c.consciousness[i] === MISSING_CODE ? null : letters[c.consciousness[i]],
        temperature: c.temperature[i],
      };
      if (Number.isNaN(vitals.respirationRate)) vitals.respirationRate = null;
      let s;
      try {
        s = score(vitals);
      } catch (e) {
        assert.equal(r.errorKinds[r.error[i]], e.kind, `row ${i}`);
        assert.equal(r.fieldLabels[r.errorField[i]], e.field, `row ${i}`);
        continue;
      }
      assert.equal(r.total[i], s.total, `row ${i}`);
      assert.equal(r.riskLabels[r.risk[i]], s.risk, `row ${i}`);
      assert.equal(r.parameters.temperature[i], s.parameters.temperature, `row ${i}`);
    }
  });

  test('optional columns: spo2Scale (Scale 1) and onOxygen (air) may be omitted or null', () => {
    const base = columns(5);
    const a = scoreBatch(base);
    const b = scoreBatch({ ...base, spo2Scale: new Uint8Array(5).fill(1), onOxygen: new Uint8Array(5) });
    const c = scoreBatch({ ...base, spo2Scale: null, onOxygen: null });
    assert.deepEqual([...a.total], [...b.total]);
    assert.deepEqual([...a.total], [...c.total]);
    const d = scoreBatch({ ...base, onOxygen: Uint8Array.from([1, 1, 1, 2, MISSING_CODE]) });
    assert.equal(d.parameters.onOxygen[0], 2);
    assert.equal(d.fieldLabels[d.errorField[3]], 'onOxygen');
    assert.equal(d.errorKinds[d.error[4]], 'missing'); // consciousness comes later; onOxygen is first
  });

  test('columns must be the documented typed arrays, all of one length', () => {
    const base = columns(3);
    assert.throws(() => scoreBatch({ ...base, pulse: [70, 70, 70] }), TypeError);
    assert.throws(() => scoreBatch({ ...base, pulse: new Float32Array(3) }), TypeError);
    assert.throws(() => scoreBatch({ ...base, consciousness: new Int8Array(3) }), TypeError);
    assert.throws(() => scoreBatch({ ...base, temperature: undefined }), /column temperature must be a Float64Array/);
    assert.throws(() => scoreBatch(null), TypeError);
    assert.throws(
      () => scoreBatch({ ...base, spo2: new Float64Array(2) }),
      (e) => e instanceof RangeError && e.field === 'spo2' && /column spo2 has 2 rows: expected 3/.test(e.message),
    );
    assert.throws(() => scoreBatch({ ...base, spo2Scale: new Uint8Array(4) }), RangeError);
  });

  test('empty columns give empty results', () => {
    const r = scoreBatch(columns(0));
    assert.equal(r.length, 0);
    assert.equal(r.total.length, 0);
    assert.equal(r.errors, 0);
  });
});

describe('batch codes', () => {
  test('constants', () => {
    assert.deepEqual(RISK_LABELS, ['low', 'low-medium', 'medium', 'high']);
    assert.ok(Object.isFrozen(RISK_LABELS) && Object.isFrozen(CONSCIOUSNESS_CODES));
    assert.equal(NO_SCORE, 255);
    assert.equal(MISSING_CODE, 255);
  });

  test('consciousnessCode reads text with the core parser', () => {
    assert.equal(consciousnessCode(' New Confusion '), 1);
    assert.equal(consciousnessCode('u'), 4);
    vitalsError(() => consciousnessCode('X'), { field: 'consciousness', kind: 'invalid_consciousness' });
    vitalsError(() => consciousnessCode(2), { field: 'consciousness', kind: 'invalid_type' });
  });
});

describe('classify', () => {
  test('only the vitals given; spo2Scale and onOxygen are ignored', () => {
    assert.deepEqual(classify({ pulse: 135, consciousness: 'V', spo2Scale: 2, onOxygen: true }), {
      pulse: { status: 'critical', direction: 'high' },
      consciousness: { status: 'critical', direction: null },
    });
    assert.deepEqual(classify({}), {});
    assert.deepEqual(classify({ diastolicBp: 95 }), { diastolicBp: { status: 'warning', direction: 'high' } });
  });

  test('a named entry replaces the default whole; null profile or entry is the default', () => {
    const profile = { systolicBp: { warningAbove: 140, criticalAbove: 180 } };
    assert.deepEqual(classify({ systolicBp: 85 }, profile), { systolicBp: { status: 'normal', direction: null } });
    assert.deepEqual(classify({ systolicBp: 85 }, null), { systolicBp: { status: 'critical', direction: 'low' } });
    assert.deepEqual(classify({ systolicBp: 85 }, { systolicBp: null }), { systolicBp: { status: 'critical', direction: 'low' } });
    assert.deepEqual(classify({ temperature: 38.05 }, { temperature: { warningAbove: 38.0 } }), {
      temperature: { status: 'warning', direction: 'high' },
    });
  });

  test('profile errors', () => {
    const profileError = (profile, field, kind) =>
      assert.throws(
        () => classify({ pulse: 70 }, profile),
        (e) => e instanceof ProfileError && e instanceof Error && e.name === 'ProfileError' && e.field === field && e.kind === kind,
      );
    profileError({ pulse: { criticalBelow: 60, warningBelow: 40 } }, 'pulse', 'unordered_thresholds');
    profileError({ pulse: { criticalBelow: NaN } }, 'pulse', 'not_finite');
    profileError({ heartRate: {} }, 'heartRate', 'unknown_field');
    profileError({ pulse: { low: 40 } }, 'pulse', 'unknown_field');
    profileError({ pulse: { criticalBelow: '40' } }, 'pulse', 'invalid_type');
    profileError({ pulse: 40 }, 'pulse', 'invalid_type');
    profileError([], undefined, 'invalid_type');
  });

  test('vitals are checked like score()', () => {
    vitalsError(() => classify({ pulse: 301 }), { field: 'pulse', kind: 'out_of_range' });
    vitalsError(() => classify({ diastolicBp: 'high' }), { field: 'diastolicBp', kind: 'invalid_type' });
    vitalsError(() => classify({ pulse: 301, respirationRate: '1' }), { field: 'respirationRate', kind: 'invalid_type' });
  });
});

describe('identifiers', () => {
  test('parse, format, validate', () => {
    assert.deepEqual(news2.parseCpf(' 529.982.247-25 '), { digits: '52998224725', formatted: '529.982.247-25', region: 7 });
    assert.equal(news2.formatCpf('52998224725'), '529.982.247-25');
    assert.deepEqual(news2.parseCns('898001000000003'), { digits: '898001000000003', formatted: '898 0010 0000 0003', kind: 'provisional' });
    assert.equal(news2.validateCns('898 0010 0000 0009'), false);
  });

  test('IdentifierError carries the core details', () => {
    assert.throws(
      () => news2.parseCpf('529.982.247-26'),
      (e) =>
        e instanceof IdentifierError &&
        e.name === 'IdentifierError' &&
        e.identifier === 'cpf' &&
        e.kind === 'check_digit' &&
        e.position === 10 &&
        e.expected === 5 &&
        e.found === 6 &&
        e.message === 'CPF check digit at position 10 is 6: expected 5',
    );
    assert.throws(() => news2.formatCns('1'), (e) => e instanceof IdentifierError && e.kind === 'wrong_length' && e.found === 1);
    assert.throws(() => news2.parseCpf('529a'), (e) => e.kind === 'invalid_character' && e.character === 'a' && e.position === 3);
  });

  test('numbers are refused (leading zeros would be lost)', () => {
    for (const f of [news2.validateCpf, news2.parseCpf, news2.formatCpf, news2.validateCns, news2.parseCns, news2.formatCns]) {
      assert.throws(() => f(52998224725), TypeError);
    }
  });
});

test('init and initSync are harmless no-ops on Node', async () => {
  await news2.default();
  news2.initSync();
  assert.equal(score(NORMAL).total, 0);
});
