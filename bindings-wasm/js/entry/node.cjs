'use strict';
// news2-wasm for Node.js (require). `index.mjs` re-exports this same instance for `import`,
// so `instanceof VitalsError` holds however the package is loaded.
const raw = require('./news2_wasm.js');
const api = require('../api.cjs');

const bound = api.makeApi(raw);
bound.load();

/** The module is instantiated on load; `init()` exists so code can be target-agnostic. */
async function init() {}
function initSync() {}

module.exports = {
  ...bound.exports,
  VitalsError: api.VitalsError,
  IdentifierError: api.IdentifierError,
  ProfileError: api.ProfileError,
  RISK_LABELS: api.RISK_LABELS,
  NO_SCORE: api.NO_SCORE,
  MISSING_CODE: api.MISSING_CODE,
  CONSCIOUSNESS_CODES: api.CONSCIOUSNESS_CODES,
  init,
  initSync,
  default: init,
};
