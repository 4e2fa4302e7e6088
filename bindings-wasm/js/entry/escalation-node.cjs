'use strict';
// news2-wasm/escalation for Node.js (require); `escalation.mjs` re-exports this instance.
const raw = require('./news2_escalation.js');
const escalation = require('../escalation.cjs');

const api = escalation.makeEscalationApi(raw);

/** The module is instantiated on load; `init()` exists so code can be target-agnostic. */
async function init() {}
function initSync() {}

module.exports = {
  EscalationPolicySet: api.EscalationPolicySet,
  EscalationBoard: api.EscalationBoard,
  Escalation: api.Escalation,
  EscalationError: escalation.EscalationError,
  init,
  initSync,
  default: init,
};
