// news2-wasm for browsers without a bundler: `await init()` once, then call the API.
import rawInit, * as raw from './news2_wasm.js';
import { makeApi } from '../api.js';

export { VitalsError, IdentifierError, ProfileError, RISK_LABELS, NO_SCORE, MISSING_CODE, CONSCIOUSNESS_CODES } from '../api.js';

const api = makeApi(raw);
let loading = null;

/**
 * Fetches and instantiates the module (by default `news2_wasm_bg.wasm` next to this file;
 * or pass a URL, Response, BufferSource or WebAssembly.Module). Safe to call repeatedly.
 */
export default function init(moduleOrPath) {
  loading ??= rawInit(moduleOrPath === undefined ? undefined : { module_or_path: moduleOrPath }).then(
    () => api.load(),
    (e) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}

/** Instantiates the module synchronously from its bytes or a compiled WebAssembly.Module. */
export function initSync(module) {
  raw.initSync({ module });
  api.load();
  loading = Promise.resolve();
}

export const { /*NAMES*/ } = api.exports;
