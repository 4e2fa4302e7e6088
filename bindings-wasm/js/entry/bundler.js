// news2-wasm for bundlers (webpack, Vite, Rollup with WebAssembly ES-module integration).
import * as raw from './news2_wasm.js';
import { makeApi } from '../api.js';

export { VitalsError, IdentifierError, ProfileError, RISK_LABELS, NO_SCORE, MISSING_CODE, CONSCIOUSNESS_CODES } from '../api.js';

const api = makeApi(raw);
api.load();

/** The module is instantiated on import; `init()` exists so code can be target-agnostic. */
export default async function init() {}

/** See `init`. */
export function initSync() {}

export const { /*NAMES*/ } = api.exports;
