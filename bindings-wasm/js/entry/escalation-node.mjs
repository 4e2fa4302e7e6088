// news2-wasm/escalation for Node.js (import): the CommonJS instance, re-exported.
import cjs from './escalation.cjs';

export const { EscalationPolicySet, EscalationBoard, Escalation, EscalationError, initSync } = cjs;
export default cjs.init;
