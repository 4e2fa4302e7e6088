// When the current escalation step runs out, computed in the browser: the escalation's own
// events (as the server stored them) are replayed through news2-wasm's escalation API, and
// the replayed escalation is asked for its next deadline, exactly as the server's board is.
// Without the package (or before the stream has loaded) the server's projected deadline is used.

import { wasm } from './news2.js';

/** The chain (steps) and the current position of an escalation, from its stream. */
export function chainOf(view, stream) {
  const triggered = stream?.find((e) => e.type === 'triggered');
  let band = triggered?.risk ?? view.risk;
  for (const e of stream ?? []) if (e.type === 'band_raised') band = e.to;
  const policies = triggered?.policies;
  let policy = policies?.[band];
  // A band without its own policy uses the nearest lower band's.
  const order = ['low', 'low-medium', 'medium', 'high'];
  for (let i = order.indexOf(band); !policy && i >= 0; i--) policy = policies?.[order[i]];
  return { band, steps: policy?.steps ?? [] };
}

const cache = new Map(); // escalation id → {length, escalation}

/** The escalation replayed from its stream through news2-wasm (cached per stream length). */
function replayed(id, stream) {
  const Escalation = wasm?.escalation?.Escalation;
  if (!Escalation?.replay || !stream?.length) return null;
  const hit = cache.get(id);
  if (hit && hit.length === stream.length) return hit.escalation;
  let e = null;
  try {
    e = Escalation.replay(stream);
  } catch (err) {
    console.warn(`escalation ${id}: the stream does not replay`, err);
  }
  hit?.escalation?.free?.();
  cache.set(id, { length: stream.length, escalation: e });
  return e;
}

/**
 * `{deadline: ms | null, step, steps, role, source: 'wasm' | 'server'}` for an escalation at
 * `now`: from the replayed escalation's current step when the package is there, else from
 * the server's projected deadline.
 */
export function escalationClock(view, stream, now = Date.now()) {
  const { steps } = chainOf(view, stream);
  const base = { step: view.step?.index ?? 0, steps: steps.length, role: view.step?.role };
  const e = replayed(view.id, stream);
  if (e) {
    const cur = e.currentStep(now);
    const deadline = cur && cur.state === 'notifying' ? cur.deadlineMs : null;
    return { ...base, step: cur?.step ?? base.step, role: cur?.target?.role ?? base.role, deadline, source: 'wasm' };
  }
  const d = view.state === 'notifying' && view.step?.deadline ? Date.parse(view.step.deadline) : null;
  return { ...base, deadline: d, source: 'server' };
}

/**
 * Whether the escalation's state machine would accept an acknowledgement from `responder`
 * (`{staffId, role}`) now: a fresh replay, the command decided, the copy thrown away.
 * `null` when the package is not there (the caller decides from the policy instead).
 */
export function wouldAcknowledge(stream, responder, now = Date.now()) {
  const Escalation = wasm?.escalation?.Escalation;
  if (!Escalation?.replay || !stream?.length) return null;
  let e = null;
  try {
    e = Escalation.replay(stream);
    e.execute({ type: 'acknowledge', by: responder }, now);
    return { ok: true };
  } catch (err) {
    return { ok: false, kind: err.kind, why: err.message };
  } finally {
    e?.free?.();
  }
}
