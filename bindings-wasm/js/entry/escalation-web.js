// news2-wasm/escalation for browsers without a bundler: `await init()` once.
import rawInit, * as raw from './news2_escalation.js';
import { makeEscalationApi } from '../escalation.js';

export { EscalationError } from '../escalation.js';

const api = makeEscalationApi(raw);
let loading = null;

/** Fetches and instantiates the escalation module (`news2_escalation_bg.wasm` next to this file by default). */
export default function init(moduleOrPath) {
  loading ??= rawInit(moduleOrPath === undefined ? undefined : { module_or_path: moduleOrPath }).then(
    () => undefined,
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
  loading = Promise.resolve();
}

export const { EscalationPolicySet, EscalationBoard, Escalation } = api;
