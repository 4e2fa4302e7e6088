// news2-wasm/escalation: policy sets, the board driven with explicit times, replayed
// escalations counting down exactly as the board does, and error mapping.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { PKG } from './support.mjs';

const esc = await import(pathToFileURL(join(PKG, 'nodejs', 'escalation.mjs')).href);
const { EscalationPolicySet, EscalationBoard, Escalation, EscalationError } = esc;

const T0 = Date.UTC(2025, 0, 1, 8, 0, 0);
const NURSE = { staffId: 'nurse-17', role: 'nurse' };
const snake = (v) =>
  Array.isArray(v)
    ? v.map(snake)
    : v && typeof v === 'object'
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snake(x)]))
      : v;

function escalationError(call, expected) {
  let caught;
  assert.throws(call, (e) => {
    caught = e;
    return e instanceof EscalationError && e instanceof Error;
  });
  assert.equal(caught.name, 'EscalationError');
  for (const [k, v] of Object.entries(expected)) {
    if (k === 'message') assert.match(caught.message, v);
    else assert.equal(caught[k], v, `${k}: ${caught.message}`);
  }
  return caught;
}

const SPEC = {
  'low-medium': {
    steps: [
      { target: { role: 'nurse', recipients: ['nurse-17', 'nurse-22'] }, timeoutSeconds: 900, ackRoles: ['nurse', 'senior_clinician'] },
      { target: { role: 'senior_clinician', recipients: [] }, timeoutSeconds: 600, ackRoles: [] },
    ],
    repeats: 2,
    ackTimeoutSeconds: 3600,
    exhaustedNotify: { role: 'critical_care_outreach', recipients: [] },
  },
  high: { steps: [{ target: { role: 'on_call_doctor' }, timeoutSeconds: 300 }] },
};

describe('EscalationPolicySet', () => {
  test('reads the core shape (camelCase or snake_case keys) and writes it back', () => {
    const set = new EscalationPolicySet(SPEC);
    const again = new EscalationPolicySet(snake(SPEC));
    assert.deepEqual(set.toJSON(), again.toJSON());
    assert.deepEqual(new EscalationPolicySet(set.toJSON()).toJSON(), set.toJSON());
    assert.equal(set.forRisk('medium').steps[0].timeoutSeconds, 900, 'medium uses the nearest lower band');
    assert.equal(set.forRisk('low'), null);
    assert.equal(set.timeToExhaustionMs('low-medium'), 2 * (900 + 600) * 1000);
    assert.equal(set.timeToExhaustionMs('low'), undefined);
    assert.ok(EscalationPolicySet.demo().forRisk('high'));
    assert.ok(EscalationPolicySet.production().forRisk('high'));
  });

  test('the core validates: an invalid set is an EscalationError naming the problem', () => {
    escalationError(() => new EscalationPolicySet({ high: { steps: [{ target: { role: 'nurse' }, timeoutSeconds: 0 }] } }), {
      source: 'policy',
      kind: 'invalid_policy',
      message: /step 0: timeout must be whole seconds from 1s to 604800s/,
    });
    escalationError(() => new EscalationPolicySet({ high: { steps: [] } }), { kind: 'invalid_policy', message: /at least one step/ });
    escalationError(() => new EscalationPolicySet({ high: { steps: [{ target: { role: 'Nurse!' }, timeoutSeconds: 5 }] } }), {
      kind: 'invalid_policy',
    });
    assert.throws(() => EscalationPolicySet.demo().forRisk(3), TypeError);
  });

  test('a key the core does not know is refused, never ignored', () => {
    const step = { target: { role: 'nurse' }, timeoutSeconds: 30 };
    for (const [spec, key] of [
      [{ high: { steps: [step], ackTimeoutSecs: 60 } }, 'ack_timeout_secs'],
      [{ high: { steps: [{ ...step, timeout: 5 }] } }, 'timeout'],
      [{ high: { steps: [{ ...step, target: { role: 'nurse', recipient: ['n1'] } }] } }, 'recipient'],
      [{ critical: { steps: [step] } }, 'critical'],
    ]) {
      escalationError(() => new EscalationPolicySet(spec), {
        source: 'policy',
        kind: 'invalid_policy',
        message: new RegExp(`unknown field \`${key}\``),
      });
    }
    assert.ok(new EscalationPolicySet({ high: { steps: [step], ackTimeoutSeconds: 60 } }).forRisk('high'));
  });
});

describe('EscalationBoard', () => {
  test('alert, countdown, timeout, acknowledge: driven by explicit times (ms or Date)', () => {
    const board = new EscalationBoard(EscalationPolicySet.demo());
    const { id, events } = board.alert(42, 'medium', new Date(T0));
    assert.deepEqual(events.map((e) => e.type), ['triggered', 'step_notified']);
    const [triggered, notified] = events;
    assert.deepEqual([triggered.escalationId, triggered.sequence, triggered.patientId, triggered.risk], [id, 1, 42, 'medium']);
    assert.equal(triggered.at, '2025-01-01T08:00:00Z');
    assert.equal(notified.dueAt, '2025-01-01T08:00:00Z');
    assert.equal(notified.target.role, 'nurse');

    const step = board.currentStep(id, T0 + 12_000);
    assert.equal(step.countdownMs, 18_000);
    assert.equal(step.deadlineMs, T0 + 30_000);
    assert.equal(step.deadline, '2025-01-01T08:00:30Z');
    assert.deepEqual(board.currentStep(id, new Date(T0 + 12_000)), step);

    assert.equal(board.nextDeadline().atMs, T0 + 30_000);
    assert.deepEqual(board.advanceTo(T0 + 29_999), []);
    const late = board.advanceTo(T0 + 40_000);
    assert.equal(late[0].type, 'step_notified');
    assert.deepEqual([late[0].step, late[0].lateByMs], [1, 10_000]);

    const acked = board.execute(id, { type: 'acknowledge', by: NURSE }, T0 + 41_000);
    assert.equal(acked[0].type, 'acknowledged');
    assert.deepEqual(acked[0].by, NURSE);
    assert.equal(board.get(id).state, 'acknowledged');
    escalationError(() => board.execute(id, { type: 'acknowledge', by: NURSE }, T0 + 42_000), {
      source: 'command',
      kind: 'already_acknowledged',
      message: /already acknowledged by nurse-17/,
    });
    board.execute(id, { type: 'resolve', by: NURSE }, T0 + 50_000);
    assert.equal(board.size, 0);
    assert.equal(board.get(id), null);
    assert.equal(board.currentStep(id, T0), null);
  });

  test('one escalation per patient; alerts join it; higher bands raise it', () => {
    const board = new EscalationBoard(EscalationPolicySet.demo());
    const { id } = board.alert(7, 'medium', T0);
    const again = board.alert(7, 'high', T0 + 1_000);
    assert.equal(again.id, id);
    assert.ok(again.events.some((e) => e.type === 'band_raised' && e.from === 'medium' && e.to === 'high'));
    assert.equal(board.openFor(7), id);
    assert.equal(board.openFor(8), undefined);
    assert.deepEqual(board.ids(), [id]);
    assert.equal(board.get(id).alertCount, 2);
    assert.equal(board.remove(id), true);
    assert.equal(board.remove(id), false);
  });

  test('durable timers: fired, then stale when delivered again', () => {
    const board = new EscalationBoard(EscalationPolicySet.demo());
    board.alert(1, 'high', T0);
    const { token, atMs } = board.nextDeadline();
    assert.equal(board.handleTimer(token, atMs - 1).outcome, 'not_due');
    const fired = board.handleTimer(token, atMs);
    assert.equal(fired.outcome, 'fired');
    assert.ok(fired.events.length >= 1);
    assert.equal(board.handleTimer(token, atMs + 1).outcome, 'stale');
  });

  test('refusals are EscalationErrors; wrong argument types are TypeErrors', () => {
    const board = new EscalationBoard(EscalationPolicySet.demo());
    escalationError(() => board.alert(1, 'low', T0), { source: 'command', kind: 'no_policy' });
    escalationError(() => board.alert(1, 'severe', T0), { source: 'input', kind: 'invalid_risk' });
    escalationError(() => board.alert(1.5, 'high', T0), { source: 'input', kind: 'invalid_id' });
    escalationError(() => board.alert(1, 'high', -1), { source: 'command', kind: 'time_out_of_range' });
    const { id } = board.alert(1, 'high', T0);
    escalationError(() => board.execute(id + 1, { type: 'resolve', by: NURSE }, T0), { source: 'board', kind: 'unknown_escalation' });
    escalationError(() => board.execute(id, { type: 'escalate' }, T0), { source: 'input', kind: 'invalid_command' });
    escalationError(() => board.execute(id, { type: 'acknowledge', by: { staffId: ' x', role: 'nurse' } }, T0), {
      kind: 'invalid_staff_id',
    });
    escalationError(() => board.execute(id, { type: 'acknowledge', by: { staffId: 'x', role: 'Doctor' } }, T0), { kind: 'invalid_role' });
    escalationError(() => board.execute(id, { type: 'acknowledge' }, T0), { kind: 'invalid_staff_id' });
    escalationError(() => board.execute(id, { type: 'snooze', by: NURSE }, T0), { kind: 'invalid_command' });
    for (const now of [NaN, 1.5, '2025-01-01', new Date('nope'), undefined]) assert.throws(() => board.advanceTo(now), TypeError);
    assert.throws(() => new EscalationBoard({}), TypeError);
    assert.throws(() => board.execute(id, { type: 'acknowledge', by: 'nurse-17' }, T0), TypeError);
  });
});

describe('Escalation.replay', () => {
  /** A scripted stream: alert, a timeout caught up late, a joined alert, an acknowledgement. */
  function scenario() {
    const board = new EscalationBoard(EscalationPolicySet.demo());
    const events = [];
    const { id, events: opened } = board.alert(42, 'medium', T0);
    events.push(...opened);
    events.push(...board.advanceTo(T0 + 45_000));
    events.push(...board.alert(42, 'high', T0 + 50_000).events);
    events.push(...board.advanceTo(T0 + 70_000));
    return { board, id, events };
  }

  test('counts down exactly as the board that wrote the events', () => {
    const { board, id, events } = scenario();
    const mirror = Escalation.replay(events);
    const fromServer = Escalation.replay(JSON.parse(JSON.stringify(snake(events)))); // the server's JSON
    for (let t = T0 + 70_000; t < T0 + 200_000; t += 3_333) {
      const expected = board.currentStep(id, t);
      assert.deepEqual(mirror.currentStep(t), expected, `at +${t - T0} ms`);
      assert.deepEqual(fromServer.currentStep(new Date(t)), expected);
    }
    assert.deepEqual(mirror.snapshot(), board.get(id));
    assert.deepEqual(mirror.nextDeadline(), board.nextDeadline());
  });

  test('follows the stream event by event, and both sides agree after commands', () => {
    const { board, id, events } = scenario();
    const mirror = Escalation.replay(events.slice(0, 2));
    for (const e of events.slice(2)) mirror.apply(e);
    const now = T0 + 80_000;
    const fromBoard = board.execute(id, { type: 'acknowledge', by: { staffId: 'dr-ana', role: 'on_call_doctor' } }, now);
    const fromMirror = mirror.execute({ type: 'acknowledge', by: { staffId: 'dr-ana', role: 'on_call_doctor' } }, now);
    assert.deepEqual(fromMirror, fromBoard);
    assert.deepEqual(mirror.snapshot(), board.get(id));
  });

  test('a broken stream is refused by the core', () => {
    const { events } = scenario();
    escalationError(() => Escalation.replay([]), { source: 'apply', kind: 'not_triggered' });
    escalationError(() => Escalation.replay([events[0], events[2]]), { source: 'apply', kind: 'out_of_sequence' });
    escalationError(() => Escalation.replay([{ ...events[0], type: 'exploded' }]), { source: 'input', kind: 'invalid_event' });
    assert.throws(() => Escalation.replay('[]'), TypeError);
    assert.throws(() => new Escalation(), TypeError);
  });
});
