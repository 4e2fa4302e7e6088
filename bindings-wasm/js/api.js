// news2-wasm: the public JavaScript API over the raw wasm-bindgen module.
//
// This file converts and maps, nothing else: it reads the caller's objects, checks their
// JavaScript types, calls the raw exports of `src/` (which call news2-core), and builds
// result objects from packed integers with label tables that come from the core. No
// clinical rule, threshold, rounding or parsing lives here.
//
// One source for every target: the build copies it as `api.js` (ES module, used by the
// web and bundler entries) and rewrites it as `api.cjs` (used by the Node entry). Only
// top-level `export function|class|const` declarations are allowed, so that rewrite is a
// plain text substitution.

/** The risk labels indexed by risk code (Chart 3). Checked against the core on load. */
export const RISK_LABELS = Object.freeze(['low', 'low-medium', 'medium', 'high']);

/** The value `scoreBatch` writes where a row has no score. Checked against the core on load. */
export const NO_SCORE = 255;

/** The `scoreBatch` input code for a missing `consciousness`, `spo2Scale` or `onOxygen`. */
export const MISSING_CODE = 255;

/** `scoreBatch` consciousness codes by ACVPU letter. Checked against the core on load. */
export const CONSCIOUSNESS_CODES = Object.freeze({ A: 0, C: 1, V: 2, P: 3, U: 4 });

/** The camelCase name the JavaScript API uses for one of the core's snake_case names. */
export function camelCase(name) {
  return name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
}

/**
 * An observation that cannot be scored or classified: `field` names the input (camelCase),
 * `kind` says why (the core's kind, or `invalid_type` for a value of the wrong JavaScript
 * type), `value` is the value as given, and the message names the value and what was
 * expected. Thrown, never returned: nothing invalid is ever scored.
 */
export class VitalsError extends Error {
  constructor(message, { field, kind, value, min, max }) {
    super(message);
    this.field = field;
    this.kind = kind;
    this.value = value;
    if (min !== undefined) {
      this.min = min;
      this.max = max;
    }
  }
}
VitalsError.prototype.name = 'VitalsError';

/**
 * A CPF or CNS that is not valid: `identifier` is `cpf` or `cns`, `kind` the core's kind
 * (`empty`, `wrong_length`, `invalid_character`, `repeated_digits`, `check_digit`,
 * `invalid_first_digit`, `checksum`), with `position`, `character`, `expected`, `found` or
 * `remainder` where the core gives them.
 */
export class IdentifierError extends Error {
  constructor(message, details) {
    super(message);
    this.identifier = details.identifier;
    this.kind = details.kind;
    this.value = details.value;
    for (const key of ['position', 'character', 'expected', 'found', 'remainder']) {
      if (details[key] !== undefined) this[key] = details[key];
    }
  }
}
IdentifierError.prototype.name = 'IdentifierError';

/**
 * A classification profile that cannot be used: `field` is the vital (camelCase) or the
 * unknown key, `kind` the core's (`unordered_thresholds`, `not_finite`) or the binding's
 * (`unknown_field`, `invalid_type`).
 */
export class ProfileError extends Error {
  constructor(message, { field, kind }) {
    super(message);
    this.field = field;
    this.kind = kind;
  }
}
ProfileError.prototype.name = 'ProfileError';

// Bits of the `absent` and `wrongType` masks (src/vitals.rs, `input`).
const RR = 1;
const SCALE = 2;
const SPO2 = 4;
const OX = 8;
const SBP = 16;
const PULSE = 32;
const ACVPU = 64;
const TEMP = 128;
const DBP = 256;
// Bits of `scoreCoded`'s flags (src/vitals.rs, `flags`) besides the two masks and the code.
const ON_OXYGEN_FLAG = 1 << 18;
const PARTIAL_FLAG = 1 << 19;

const EXPECTED = {
  respirationRate: 'a number (null or undefined when not measured)',
  spo2: 'a number (null or undefined when not measured)',
  systolicBp: 'a number (null or undefined when not measured)',
  diastolicBp: 'a number (null or undefined when not measured)',
  pulse: 'a number (null or undefined when not measured)',
  temperature: 'a number in degrees Celsius (null or undefined when not measured)',
  spo2Scale: 'the number 1 or 2 (null or undefined for Scale 1)',
  onOxygen: 'true or false (null or undefined for air)',
  consciousness: 'text: A, C, V, P or U (alert, confusion, voice, pain, unresponsive)',
};

const BATCH_CHUNK = 1 << 16;
const TWO_32 = 4294967296;

/** A short description of any value for messages: type and, where safe, the value. */
export function describe(v) {
  switch (typeof v) {
    case 'string':
      return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
    case 'number':
    case 'boolean':
      return `${typeof v} ${String(v)}`;
    case 'bigint':
      return `the bigint ${String(v)}n`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    case 'undefined':
      return 'undefined';
    default:
      if (v === null) return 'null';
      if (Array.isArray(v)) return 'an array';
      return `an object (${Object.prototype.toString.call(v).slice(8, -1)})`;
  }
}

function requireObject(v, what) {
  if (typeof v !== 'object' || v === null) {
    throw new TypeError(`${what}: expected an object, got ${describe(v)}`);
  }
}

function requireString(v, what) {
  if (typeof v !== 'string') {
    throw new TypeError(`${what}: expected the number as text (a string, so leading zeros are kept), got ${describe(v)}`);
  }
}

function isTypedArray(v, tag) {
  return Object.prototype.toString.call(v) === `[object ${tag}]`;
}

/** Builds the public API over one raw wasm-bindgen module. */
export function makeApi(raw) {
  let T = null;
  // Unfrozen copies of T's tables for per-call lookups (V8 indexes frozen arrays slowly).
  let L = null;

  function table(name) {
    const t = raw.labelTable(name);
    if (t.length === 0) throw new Error(`news2-wasm: the module has no label table ${name}`);
    return Object.freeze(t);
  }

  /** Reads the label tables from the module; the web entry calls it after `init()`. */
  function load() {
    const risk = table('risk');
    const acvpu = table('acvpu');
    const [noScore, missing] = raw.batchConstants();
    const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
    if (
      !same(risk, RISK_LABELS) ||
      noScore !== NO_SCORE ||
      missing !== MISSING_CODE ||
      !same(acvpu, Object.keys(CONSCIOUSNESS_CODES)) ||
      !acvpu.every((letter, code) => CONSCIOUSNESS_CODES[letter] === code)
    ) {
      throw new Error('news2-wasm: the exported constants disagree with the core; rebuild the package');
    }
    const camel = (name) => Object.freeze(table(name).map(camelCase));
    T = {
      risk,
      monitoring: table('monitoring'),
      response: table('response'),
      parameter: camel('parameter'),
      field: camel('field'),
      errorKinds: table('vitalsErrorKind'),
      status: table('status'),
      direction: table('direction'),
      cnsKind: table('cnsKind'),
      profileField: camel('profileField'),
    };
    L = {
      risk: [...T.risk],
      monitoring: [...T.monitoring],
      response: [...T.response],
      parameter: [...T.parameter],
      status: [...T.status],
      direction: [...T.direction],
    };
  }

  function ready() {
    if (T === null) {
      throw new Error('news2-wasm: the WebAssembly module is not initialised yet: `await init()` first');
    }
    return T;
  }

  /** Takes the failure a scalar export left and turns it into the matching Error. */
  function takeError(values) {
    const f = raw.takeFailure();
    if (f === undefined) return new Error('news2-wasm: the module reported a failure but left none');
    try {
      return toError(f, values);
    } finally {
      f.free();
    }
  }

  function toError(f, values) {
    const source = f.source;
    const kind = f.kind;
    if (source === 'vitals') {
      const field = camelCase(f.field);
      const value = values[field];
      if (kind === 'invalid_type') {
        return new VitalsError(`${field}: expected ${EXPECTED[field]}, got ${describe(value)}`, { field, kind, value });
      }
      const range = f.range;
      return new VitalsError(f.message, {
        field,
        kind,
        value,
        min: range === undefined ? undefined : range[0],
        max: range === undefined ? undefined : range[1],
      });
    }
    if (source === 'cpf' || source === 'cns') {
      return new IdentifierError(f.message, {
        identifier: source,
        kind,
        value: values.text,
        position: f.position,
        character: f.character,
        expected: f.expected,
        found: f.found,
        remainder: f.remainder,
      });
    }
    if (source === 'profile') {
      return new ProfileError(f.message, { field: camelCase(f.field), kind });
    }
    const e = new RangeError(f.message.replace(/column (\w+)/, (_, c) => `column ${camelCase(c)}`));
    e.field = camelCase(f.field);
    return e;
  }

  /** Runs a raw export that throws a `Failure` and maps what it throws. */
  function mapThrown(call, values) {
    try {
      return call();
    } catch (e) {
      if (e instanceof raw.Failure) {
        try {
          throw toError(e, values);
        } finally {
          e.free();
        }
      }
      throw e;
    }
  }

  // The core's answer for each consciousness text already seen, so the usual call passes
  // the level's code instead of a string (a string costs an allocation in the module). Only
  // texts the core's parser accepted are remembered, at most MEMO_LIMIT of them; any other
  // text goes to the module as text, and the core parses (or rejects) it there.
  const MEMO_LIMIT = 64;
  const levels = new Map();

  // The last text parsed, checked before the map (cheaper than a hash lookup).
  let lastText = null;
  let lastCode = -1;

  function levelCode(text) {
    if (text === lastText) return lastCode;
    const code = lookupLevel(text);
    if (code >= 0) {
      lastText = text;
      lastCode = code;
    }
    return code;
  }

  function lookupLevel(text) {
    const known = levels.get(text);
    if (known !== undefined) return known;
    if (levels.size >= MEMO_LIMIT || text.length > 64) return -1;
    const code = raw.consciousnessCode(text);
    if (code < 0) {
      const f = raw.takeFailure();
      if (f !== undefined) f.free();
      return -1;
    }
    levels.set(text, code);
    return code;
  }

  function names(bits) {
    // Most sets name at most one parameter: start from a one-element literal.
    let out = null;
    for (let i = 0; bits !== 0; i++, bits >>>= 1) {
      if ((bits & 1) === 0) continue;
      if (out === null) out = [L.parameter[i]];
      else out.push(L.parameter[i]);
    }
    return out === null ? [] : out;
  }

  // Layout: src/vitals.rs, `pack_score`.
  function decodeScore(r) {
    const lo = r >>> 0;
    const hi = (r / TWO_32) >>> 0;
    return {
      total: (lo >>> 14) & 31,
      risk: L.risk[(lo >>> 19) & 3],
      parameters: {
        respirationRate: lo & 3,
        spo2: (lo >>> 2) & 3,
        onOxygen: (lo >>> 4) & 3,
        systolicBp: (lo >>> 6) & 3,
        pulse: (lo >>> 8) & 3,
        consciousness: (lo >>> 10) & 3,
        temperature: (lo >>> 12) & 3,
      },
      monitoring: L.monitoring[(lo >>> 21) & 3],
      response: L.response[(lo >>> 23) & 7],
      red: names(hi & 127),
      scale: (lo >>> 26) & 3,
      complete: true,
    };
  }

  // Layout: src/vitals.rs, `pack_partial`.
  function decodePartial(r) {
    const lo = r >>> 0;
    const hi = (r / TWO_32) >>> 0;
    const p = (i) => {
      const v = (lo >>> (3 * i)) & 7;
      return v === 7 ? null : v;
    };
    return {
      total: (lo >>> 21) & 31,
      parameters: {
        respirationRate: p(0),
        spo2: p(1),
        onOxygen: p(2),
        systolicBp: p(3),
        pulse: p(4),
        consciousness: p(5),
        temperature: p(6),
      },
      missing: names(hi & 127),
      red: names((hi >>> 7) & 127),
      minimumRisk: L.risk[(lo >>> 28) & 3],
      scale: (lo >>> 26) & 3,
      complete: ((lo >>> 30) & 1) === 1,
    };
  }

  function scoreWith(vitals, partial, what) {
    requireObject(vitals, what);
    ready();
    const rr = vitals.respirationRate;
    const sc = vitals.spo2Scale;
    const sp = vitals.spo2;
    const ox = vitals.onOxygen;
    const sbp = vitals.systolicBp;
    const p = vitals.pulse;
    const c = vitals.consciousness;
    const t = vitals.temperature;
    let absent = 0;
    let wrong = 0;
    if (typeof rr !== 'number') rr == null ? (absent |= RR) : (wrong |= RR);
    if (typeof sc !== 'number') sc == null ? (absent |= SCALE) : (wrong |= SCALE);
    if (typeof sp !== 'number') sp == null ? (absent |= SPO2) : (wrong |= SPO2);
    if (typeof ox !== 'boolean') ox == null ? (absent |= OX) : (wrong |= OX);
    if (typeof sbp !== 'number') sbp == null ? (absent |= SBP) : (wrong |= SBP);
    if (typeof p !== 'number') p == null ? (absent |= PULSE) : (wrong |= PULSE);
    if (typeof c !== 'string') c == null ? (absent |= ACVPU) : (wrong |= ACVPU);
    if (typeof t !== 'number') t == null ? (absent |= TEMP) : (wrong |= TEMP);
    const code = typeof c === 'string' ? levelCode(c) : 0;
    const rrv = typeof rr === 'number' ? rr : 0;
    const scv = typeof sc === 'number' ? sc : 0;
    const spv = typeof sp === 'number' ? sp : 0;
    const sbpv = typeof sbp === 'number' ? sbp : 0;
    const pv = typeof p === 'number' ? p : 0;
    const tv = typeof t === 'number' ? t : 0;
    // Flags: src/vitals.rs, `flags`. A text the core has not parsed goes as text.
    const r =
      code >= 0
        ? raw.scoreCoded(rrv, scv, spv, sbpv, pv, tv, absent | (wrong << 9) | (ox === true ? ON_OXYGEN_FLAG : 0) | (partial ? PARTIAL_FLAG : 0) | (code << 20))
        : raw.scoreValues(rrv, scv, spv, ox === true, sbpv, pv, c, tv, absent, wrong, partial);
    if (r < 0) {
      throw takeError({
        respirationRate: rr,
        spo2Scale: sc,
        spo2: sp,
        onOxygen: ox,
        systolicBp: sbp,
        pulse: p,
        consciousness: c,
        temperature: t,
      });
    }
    return partial ? decodePartial(r) : decodeScore(r);
  }

  /** NEWS2 for a complete observation set; throws `VitalsError` for anything invalid or missing. */
  function score(vitals) {
    return scoreWith(vitals, false, 'score');
  }

  /** NEWS2 for a set that may have gaps: missing parameters are listed, never scored. */
  function scorePartial(vitals) {
    return scoreWith(vitals, true, 'scorePartial');
  }

  function f64Column(columns, name, required) {
    const col = columns[name];
    if (col == null && !required) return undefined;
    if (!isTypedArray(col, 'Float64Array')) {
      throw new TypeError(`scoreBatch: column ${name} must be a Float64Array (NaN where missing), got ${describe(col)}`);
    }
    return col;
  }

  function u8Column(columns, name, required, codes) {
    const col = columns[name];
    if (col == null && !required) return undefined;
    if (!isTypedArray(col, 'Uint8Array')) {
      throw new TypeError(`scoreBatch: column ${name} must be a Uint8Array (${codes}; 255 where missing), got ${describe(col)}`);
    }
    return col;
  }

  /**
   * NEWS2 for columns of observations: typed arrays in, typed arrays out, every row
   * checked like `score()`. Rows that cannot be scored get `NO_SCORE` and an error code.
   */
  function scoreBatch(columns) {
    requireObject(columns, 'scoreBatch');
    ready();
    const inputs = [
      ['respirationRate', f64Column(columns, 'respirationRate', true)],
      ['spo2', f64Column(columns, 'spo2', true)],
      ['spo2Scale', u8Column(columns, 'spo2Scale', false, '1 or 2; omit the column for Scale 1')],
      ['onOxygen', u8Column(columns, 'onOxygen', false, '0 air, 1 oxygen; omit the column for air')],
      ['systolicBp', f64Column(columns, 'systolicBp', true)],
      ['pulse', f64Column(columns, 'pulse', true)],
      ['consciousness', u8Column(columns, 'consciousness', true, '0 A, 1 C, 2 V, 3 P, 4 U')],
      ['temperature', f64Column(columns, 'temperature', true)],
    ];
    // The core checks lengths too, but each call below sees one chunk of every column, so
    // the whole columns are compared here first.
    const n = inputs[0][1].length;
    for (const [name, col] of inputs) {
      if (col !== undefined && col.length !== n) {
        const e = new RangeError(`column ${name} has ${col.length} rows: expected ${n}`);
        e.field = name;
        throw e;
      }
    }
    const width = 11;
    const all = new Uint8Array(width * n);
    const column = (k) => all.subarray(k * n, (k + 1) * n);
    let errors = 0;
    for (let start = 0; start < n; start += BATCH_CHUNK) {
      const end = Math.min(n, start + BATCH_CHUNK);
      const part = (col) => (col === undefined ? undefined : col.subarray(start, end));
      const [rr, sp, sc, ox, sbp, p, c, t] = inputs.map(([, col]) => part(col));
      const out = mapThrown(() => raw.scoreColumns(rr, sp, sc, ox, sbp, p, c, t), {});
      let cols;
      try {
        errors += out.errors;
        cols = out.takeColumns();
      } finally {
        out.free();
      }
      const m = end - start;
      for (let k = 0; k < width; k++) all.set(cols.subarray(k * m, (k + 1) * m), k * n + start);
    }
    return {
      length: n,
      total: column(0),
      risk: column(1),
      parameters: {
        respirationRate: column(2),
        spo2: column(3),
        onOxygen: column(4),
        systolicBp: column(5),
        pulse: column(6),
        consciousness: column(7),
        temperature: column(8),
      },
      error: column(9),
      errorField: column(10),
      errors,
      riskLabels: T.risk,
      errorKinds: T.errorKinds,
      fieldLabels: T.field,
      noScore: NO_SCORE,
    };
  }

  /** The `scoreBatch` code of a consciousness level given as text, read by the core's parser. */
  function consciousnessCode(text) {
    ready();
    if (typeof text !== 'string') {
      const value = text;
      throw new VitalsError(`consciousness: expected ${EXPECTED.consciousness}, got ${describe(value)}`, {
        field: 'consciousness',
        kind: 'invalid_type',
        value,
      });
    }
    const r = raw.consciousnessCode(text);
    if (r < 0) throw takeError({ consciousness: text });
    return r;
  }

  const THRESHOLDS = ['criticalBelow', 'warningBelow', 'warningAbove', 'criticalAbove'];
  const scratch = new Float64Array(24);
  const NO_THRESHOLDS = new Float64Array(0);

  /** Reads a profile object into the positional form of `classifyValues`. */
  function profileArgs(profile) {
    if (typeof profile !== 'object' || Array.isArray(profile)) {
      throw new ProfileError(`profile: expected an object mapping vitals to thresholds, got ${describe(profile)}`, {
        field: undefined,
        kind: 'invalid_type',
      });
    }
    const vitals = T.profileField;
    for (const key of Object.keys(profile)) {
      if (!vitals.includes(key)) {
        throw new ProfileError(`profile names ${JSON.stringify(key)}: expected one of ${vitals.join(', ')}`, {
          field: key,
          kind: 'unknown_field',
        });
      }
    }
    let given = 0;
    let entries = 0;
    scratch.fill(0);
    vitals.forEach((vital, k) => {
      const entry = profile[vital];
      if (entry == null) return; // not named: the default entry stays
      if (typeof entry !== 'object' || Array.isArray(entry)) {
        throw new ProfileError(`profile ${vital}: expected an object of thresholds, got ${describe(entry)}`, {
          field: vital,
          kind: 'invalid_type',
        });
      }
      for (const key of Object.keys(entry)) {
        if (!THRESHOLDS.includes(key)) {
          throw new ProfileError(`profile ${vital} names ${JSON.stringify(key)}: expected ${THRESHOLDS.join(', ')}`, {
            field: vital,
            kind: 'unknown_field',
          });
        }
      }
      entries |= 1 << k;
      THRESHOLDS.forEach((name, j) => {
        const v = entry[name];
        if (v == null) return;
        if (typeof v !== 'number') {
          throw new ProfileError(`profile ${vital}.${name}: expected a number, got ${describe(v)}`, {
            field: vital,
            kind: 'invalid_type',
          });
        }
        scratch[4 * k + j] = v;
        given |= 1 << (4 * k + j);
      });
    });
    return [given, entries];
  }

  // Layout: src/classification.rs, `pack_classification`.
  const CLASSIFIED = ['respirationRate', 'spo2', 'systolicBp', 'diastolicBp', 'pulse', 'temperature', 'consciousness'];

  /**
   * Status (normal, warning, critical) and direction of each vital given, under the
   * default NEWS2-derived profile or a custom one.
   */
  function classify(vitals, profile) {
    requireObject(vitals, 'classify');
    ready();
    const rr = vitals.respirationRate;
    const sp = vitals.spo2;
    const sbp = vitals.systolicBp;
    const dbp = vitals.diastolicBp;
    const p = vitals.pulse;
    const t = vitals.temperature;
    const c = vitals.consciousness;
    let absent = 0;
    let wrong = 0;
    if (typeof rr !== 'number') rr == null ? (absent |= RR) : (wrong |= RR);
    if (typeof sp !== 'number') sp == null ? (absent |= SPO2) : (wrong |= SPO2);
    if (typeof sbp !== 'number') sbp == null ? (absent |= SBP) : (wrong |= SBP);
    if (typeof dbp !== 'number') dbp == null ? (absent |= DBP) : (wrong |= DBP);
    if (typeof p !== 'number') p == null ? (absent |= PULSE) : (wrong |= PULSE);
    if (typeof t !== 'number') t == null ? (absent |= TEMP) : (wrong |= TEMP);
    if (typeof c !== 'string') c == null ? (absent |= ACVPU) : (wrong |= ACVPU);
    const [given, entries] = profile == null ? [0, 0] : profileArgs(profile);
    const code = typeof c === 'string' ? levelCode(c) : 0;
    const r = (code < 0 ? raw.classifyValues : raw.classifyValuesCoded)(
      typeof rr === 'number' ? rr : 0,
      typeof sp === 'number' ? sp : 0,
      typeof sbp === 'number' ? sbp : 0,
      typeof dbp === 'number' ? dbp : 0,
      typeof p === 'number' ? p : 0,
      typeof t === 'number' ? t : 0,
      code < 0 ? c : code,
      absent,
      wrong,
      entries === 0 ? NO_THRESHOLDS : scratch,
      given,
      entries,
    );
    if (r < 0) {
      throw takeError({
        respirationRate: rr,
        spo2: sp,
        systolicBp: sbp,
        diastolicBp: dbp,
        pulse: p,
        temperature: t,
        consciousness: c,
      });
    }
    const out = {};
    for (let i = 0; i < CLASSIFIED.length; i++) {
      const code = (r >>> (4 * i)) & 15;
      if (code === 0) continue;
      const status = (code - 1) % 3;
      const direction = Math.floor((code - 1) / 3);
      out[CLASSIFIED[i]] = { status: L.status[status], direction: direction === 0 ? null : L.direction[direction - 1] };
    }
    return out;
  }

  /** Whether `text` is a valid CPF (bare 11 digits or `000.000.000-00`). */
  function validateCpf(text) {
    requireString(text, 'validateCpf');
    ready();
    return raw.cpfIsValid(text);
  }

  /** A CPF's digits, mask and fiscal region; throws `IdentifierError` when it is not valid. */
  function parseCpf(text) {
    requireString(text, 'parseCpf');
    ready();
    const parts = mapThrown(() => raw.parseCpfParts(text), { text });
    try {
      return { digits: parts.digits, formatted: parts.formatted, region: parts.region };
    } finally {
      parts.free();
    }
  }

  /** A valid CPF as `000.000.000-00`; throws `IdentifierError` when it is not valid. */
  function formatCpf(text) {
    requireString(text, 'formatCpf');
    return parseCpf(text).formatted;
  }

  /** Whether `text` is a valid CNS (bare 15 digits or `000 0000 0000 0000`). */
  function validateCns(text) {
    requireString(text, 'validateCns');
    ready();
    return raw.cnsIsValid(text);
  }

  /** A CNS's digits, printed form and kind; throws `IdentifierError` when it is not valid. */
  function parseCns(text) {
    requireString(text, 'parseCns');
    ready();
    const parts = mapThrown(() => raw.parseCnsParts(text), { text });
    try {
      return { digits: parts.digits, formatted: parts.formatted, kind: parts.kind };
    } finally {
      parts.free();
    }
  }

  /** A valid CNS as `000 0000 0000 0000`; throws `IdentifierError` when it is not valid. */
  function formatCns(text) {
    requireString(text, 'formatCns');
    return parseCns(text).formatted;
  }

  return {
    load,
    exports: {
      score,
      scorePartial,
      scoreBatch,
      consciousnessCode,
      classify,
      validateCpf,
      formatCpf,
      parseCpf,
      validateCns,
      formatCns,
      parseCns,
    },
  };
}
