// news2-wasm/escalation for bundlers (WebAssembly ES-module integration).
import * as raw from './news2_escalation.js';
import { makeEscalationApi } from '../escalation.js';

export { EscalationError } from '../escalation.js';

const api = makeEscalationApi(raw);

/** The module is instantiated on import; `init()` exists so code can be target-agnostic. */
export default async function init() {}

/** See `init`. */
export function initSync() {}

export const { EscalationPolicySet, EscalationBoard, Escalation } = api;
