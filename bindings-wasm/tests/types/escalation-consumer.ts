// A strict-TypeScript consumer of news2-wasm/escalation (checked with tsc --noEmit --strict).
import initEscalation, {
  Escalation,
  EscalationBoard,
  EscalationError,
  EscalationPolicySet,
  type CurrentStep,
  type EscalationEvent,
  type TimerOutcome,
} from 'news2-wasm/escalation';
import type { ClinicalRisk } from 'news2-wasm';

await initEscalation();

const policies = new EscalationPolicySet({
  high: { steps: [{ target: { role: 'on_call_doctor' }, timeoutSeconds: 300, ackRoles: ['on_call_doctor'] }], repeats: 2 },
});
const board = new EscalationBoard(policies);
const risk: ClinicalRisk = 'high';
const { id, events } = board.alert(42, risk, new Date());
const first: EscalationEvent | undefined = events[0];
if (first?.type === 'step_notified') {
  const deadline: string = first.deadline;
  const late: number = first.lateByMs;
  console.log(deadline, late);
}

const step: CurrentStep | null = board.currentStep(id, Date.now());
const countdown: number | null | undefined = step?.countdownMs;
board.execute(id, { type: 'acknowledge', by: { staffId: 'dr-ana', role: 'on_call_doctor' } }, Date.now());
// @ts-expect-error: a snooze needs its duration
board.execute(id, { type: 'snooze', by: { staffId: 'dr-ana', role: 'on_call_doctor' } }, Date.now());
// @ts-expect-error: times are a Date or milliseconds, not text
board.advanceTo('2025-01-01T08:00:00Z');

const deadline = board.nextDeadline();
if (deadline !== null) {
  const outcome: TimerOutcome = board.handleTimer(deadline.token, deadline.atMs);
  if (outcome.outcome === 'fired') console.log(outcome.events.length);
}

try {
  const mirror = Escalation.replay(events);
  console.log(mirror.currentStep(new Date())?.deadlineMs);
} catch (e) {
  if (e instanceof EscalationError) console.log(e.source, e.kind);
}

export const used = [countdown];
