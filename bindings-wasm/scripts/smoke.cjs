'use strict';
// Loads a wasm-bindgen `nodejs` build of one module and calls into it: the check an
// optimised module must pass before the build keeps it (a wasm-opt can exit 0 and still
// emit a module that does not instantiate). Usage: node scripts/smoke.cjs <dir> <module>
const path = require('node:path');
const [dir, name = 'news2_wasm'] = process.argv.slice(2);
const raw = require(path.resolve(dir, `${name}.js`));
const check = (ok, what) => {
  if (!ok) throw new Error(`smoke ${name}: ${what}`);
};

if (name === 'news2_wasm') {
  check(raw.scoreValues(18, 1, 97, false, 120, 70, 'A', 37, 0, 0, false) >= 0, 'scoreValues');
  check(raw.scoreValues(18, 1, 977, false, 120, 70, 'A', 37, 0, 0, false) === -1, 'no failure for spo2 977');
  const failure = raw.takeFailure();
  check(failure.kind === 'out_of_range' && failure.message.includes('977'), `failure ${failure.message}`);
  failure.free();
  check(raw.labelTable('risk').join() === 'low,low-medium,medium,high', 'label table');
  try {
    raw.parseCpfParts('529.982.247-26');
    check(false, 'CPF with a wrong check digit parsed');
  } catch (e) {
    if (!(e instanceof raw.Failure) || e.kind !== 'check_digit') throw e;
  }
} else if (name === 'news2_escalation') {
  const board = new raw.RawBoard(raw.RawPolicySet.demo());
  const t0 = Date.UTC(2025, 0, 1, 8);
  const { id, events } = board.alert(42, 'medium', t0);
  check(events.length === 2 && events[1].type === 'step_notified', 'alert events');
  check(board.currentStep(id, t0 + 12_000).countdown_ms === 18_000, 'countdown');
  try {
    board.alert(43, 'low', t0);
    check(false, 'low risk opened an escalation under the demo set');
  } catch (e) {
    if (!(e instanceof raw.EscalationFailure) || e.kind !== 'no_policy') throw e;
  }
} else {
  throw new Error(`smoke: unknown module ${name}`);
}
