// The news2-wasm package, loaded at run time from /wasm/ (the server serves the package's
// `web` directory, bindings-wasm/pkg/web, from disk at /wasm/web/ and the package root's
// files beside it). When the package has not been built the page says so and everything that
// needs it is disabled; nothing else depends on it.

let loaded = null;

/** The loaded package (`{news2, escalation, version}`), or null; set before `loadNews2` resolves. */
export let wasm = null;

/** The path of an `exports` value (a string, or conditions naming one). */
function target(v) {
  if (typeof v === 'string') return v;
  if (!v || typeof v !== 'object') return null;
  return target(v.default) ?? target(v.import) ?? target(v.browser);
}

/**
 * The package's entries for browsers without a bundler, from its package.json `exports`:
 * the `web` target of the NEWS2 module and, when the package has one, of the escalation module.
 */
export function webEntries(pkg) {
  const paths = Object.entries(pkg.exports ?? {}).map(([key, v]) => [key, target(v)]).filter(([, p]) => p);
  const main = paths.find(([key]) => key === './web')?.[1] ?? 'web/index.js';
  const escalation = paths.find(([key, p]) => key.includes('escalation') && /(^|\/)web\//.test(p.replace(/^\.\//, '')))?.[1] ?? null;
  const clean = (p) => p?.replace(/^\.\//, '') ?? null;
  return { main: clean(main), escalation: clean(escalation) };
}

async function importModule(path) {
  const mod = await import(path);
  // A raw wasm-bindgen `web` module must be initialised; the package's wrapper may do it
  // itself (then `ready` is a promise) or leave it to us (`default` is the init function).
  if (mod.ready && typeof mod.ready.then === 'function') await mod.ready;
  else if (typeof mod.default === 'function' && typeof mod.initSync === 'function') await mod.default();
  else if (typeof mod.init === 'function' && !mod.score && !mod.Escalation) await mod.init();
  return mod;
}

/**
 * Loads the package once. Resolves to `{ok: true, news2, escalation}` or `{ok: false, reason}`.
 */
export function loadNews2() {
  loaded ??= (async () => {
    try {
      const res = await fetch('/wasm/package.json', { cache: 'no-cache' });
      if (!res.ok) return { ok: false, reason: 'not_built' };
      const pkg = await res.json();
      const entries = webEntries(pkg);
      const news2 = await importModule(`/wasm/${entries.main}`);
      let escalation = null;
      if (entries.escalation) {
        try { escalation = await importModule(`/wasm/${entries.escalation}`); } catch (e) { console.warn('news2-wasm escalation module failed to load', e); }
      } else if (news2.Escalation) {
        escalation = news2;
      }
      wasm = { news2, escalation, version: pkg.version };
      return { ok: true, ...wasm };
    } catch (e) {
      console.warn('news2-wasm failed to load', e);
      return { ok: false, reason: 'failed', error: String(e?.message ?? e) };
    }
  })();
  return loaded;
}


const CAMEL = {
  respiration_rate: 'respirationRate', spo2: 'spo2', spo2_scale: 'spo2Scale', on_oxygen: 'onOxygen',
  systolic_bp: 'systolicBp', diastolic_bp: 'diastolicBp', pulse: 'pulse', consciousness: 'consciousness', temperature: 'temperature',
};
const SNAKE = Object.fromEntries(Object.entries(CAMEL).map(([k, v]) => [v, k]));

/** Vitals in the package's field names. */
export function toWasmVitals(v) {
  const out = {};
  for (const [k, x] of Object.entries(v)) out[CAMEL[k] ?? k] = x;
  return out;
}

/** A package result with its keys (recursively) in the API's snake_case. */
export function fromWasm(x) {
  if (Array.isArray(x)) return x.map(fromWasm);
  if (x && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
    const out = {};
    for (const [k, v] of Object.entries(x)) out[SNAKE[k] ?? k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = fromWasm(v);
    return out;
  }
  return x;
}
