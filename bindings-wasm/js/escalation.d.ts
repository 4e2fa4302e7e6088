// Type declarations for news2-wasm/escalation (every target).
//
// Shapes are escalation-core's JSON with camelCase key names; values (event types, risk and
// role labels, RFC 3339 times) are exactly the core's.

import type { ClinicalRisk } from "./index.js";

export type { ClinicalRisk };

/** A time: a `Date`, or whole milliseconds since 1970-01-01T00:00:00Z. */
export type Instant = Date | number;

/** RFC 3339 UTC text, to the millisecond, as the core writes it. */
export type Rfc3339 = string;

/** A built-in role label, or a custom one (lower-case snake case). */
export type Role = "nurse" | "senior_clinician" | "on_call_doctor" | "critical_care_outreach" | (string & {});

/** Whom a step notifies: a role, and optionally named staff. */
export interface Target {
  role: Role;
  recipients?: string[];
}

/** One step of a chain. */
export interface StepSpec {
  target: Target;
  /** 1 s to 7 days. */
  timeoutSeconds: number;
  /** Roles that may acknowledge this step (empty or absent: any). */
  ackRoles?: Role[];
}

/** One escalation chain. */
export interface PolicySpec {
  steps: StepSpec[];
  repeats?: number;
  ackTimeoutSeconds?: number | null;
  exhaustedNotify?: Target | null;
}

/** A chain per risk band; `null` or absent uses the nearest lower band's. */
export type PolicySetSpec = { [R in ClinicalRisk]?: PolicySpec | null };

/** Someone acting on an escalation. */
export interface Responder {
  staffId: string;
  role: Role;
}

/** A command, as escalation-core's JSON with camelCase keys. */
export type Command =
  | { type: "alert"; risk: ClinicalRisk }
  | { type: "update_risk"; risk: ClinicalRisk }
  | { type: "acknowledge"; by: Responder }
  | { type: "decline"; by: Responder }
  | { type: "snooze"; by: Responder; durationSeconds: number }
  | { type: "resolve"; by: Responder };

/** Names one deadline of one escalation. */
export interface TimerToken {
  escalationId: number;
  step: number;
  generation: number;
}

/** When an escalation next needs attention. */
export interface Deadline {
  at: Rfc3339;
  atMs: number;
  token: TimerToken;
}

export type EscalationState = "notifying" | "acknowledged" | "resolved" | "unanswered";

interface EventBase {
  escalationId: number;
  sequence: number;
  at: Rfc3339;
}

/** One fact in an escalation's stream (escalation-core `Event`). */
export type EscalationEvent = EventBase &
  (
    | { type: "triggered"; patientId: number; risk: ClinicalRisk; policies: PolicySetSpec }
    | {
        type: "step_notified";
        step: number;
        pass: number;
        generation: number;
        target: Target;
        dueAt: Rfc3339;
        deadline: Rfc3339;
        lateByMs: number;
      }
    | { type: "alert_joined"; risk: ClinicalRisk; alertCount: number }
    | { type: "risk_updated"; risk: ClinicalRisk }
    | { type: "band_raised"; from: ClinicalRisk; to: ClinicalRisk; step: number; pass: number }
    | { type: "acknowledged"; by: Responder; step: number; pass: number; generation: number; retriggerAt: Rfc3339 | null }
    | { type: "declined"; by: Responder; step: number; pass: number; allDeclined: boolean }
    | { type: "snoozed"; by: Responder; until: Rfc3339; generation: number }
    | { type: "retriggered"; reason: "ack_timeout" | "snooze_expired" | "new_alert"; dueAt: Rfc3339; lateByMs: number }
    | { type: "unanswered"; dueAt: Rfc3339; lateByMs: number; notify: Target | null }
    | { type: "resolved"; by: Responder }
  );

/** What a screen shows for an escalation at a moment. */
export interface CurrentStep {
  state: EscalationState;
  step: number;
  pass: number;
  target: Target;
  deadline: Rfc3339 | null;
  deadlineMs: number | null;
  /** `deadline` − now; negative when overdue (a timeout not handled yet). */
  countdownMs: number | null;
}

/** An escalation's state in one object. */
export interface EscalationSnapshot {
  id: number;
  patientId: number;
  state: EscalationState;
  risk: ClinicalRisk;
  band: ClinicalRisk;
  openedAt: Rfc3339;
  openedAtMs: number;
  updatedAt: Rfc3339;
  updatedAtMs: number;
  version: number;
  alertCount: number;
  generation: number;
  step: number;
  pass: number;
  declinedCount: number;
  acknowledgement: { by: Responder; at: Rfc3339; step: number; pass: number; snoozedUntil: Rfc3339 | null } | null;
  resolution: { by: Responder; at: Rfc3339 } | null;
  nextDeadline: Deadline | null;
}

/** What a delivered timer did. */
export type TimerOutcome =
  | { outcome: "fired"; events: EscalationEvent[] }
  | { outcome: "stale"; current: Deadline | null }
  | { outcome: "not_due"; deadline: Deadline };

/** An escalation call the core refused. */
export class EscalationError extends Error {
  readonly name: "EscalationError";
  readonly source: "policy" | "command" | "board" | "apply" | "input";
  /** Stable snake_case kind, e.g. `already_acknowledged`, `role_not_allowed`, `invalid_policy`. */
  readonly kind: string;
}

/** A validated set of escalation chains, one per risk band. */
export class EscalationPolicySet {
  /** Reads and validates a set (camelCase or the core's snake_case keys). Throws `EscalationError`. */
  constructor(spec: PolicySetSpec | Record<string, unknown>);
  static demo(): EscalationPolicySet;
  static production(): EscalationPolicySet;
  /** The chain that runs for a risk (its own or the nearest lower band's). */
  forRisk(risk: ClinicalRisk): PolicySpec | null;
  timeToExhaustionMs(risk: ClinicalRisk): number | undefined;
  toJSON(): PolicySetSpec;
  free(): void;
}

/** Every open escalation, one per patient, and their deadlines. Never reads a clock. */
export class EscalationBoard {
  constructor(policies: EscalationPolicySet);
  alert(patientId: number, risk: ClinicalRisk, now: Instant): { id: number; events: EscalationEvent[] };
  execute(id: number, command: Command, now: Instant): EscalationEvent[];
  advanceTo(now: Instant): EscalationEvent[];
  nextDeadline(): Deadline | null;
  handleTimer(token: TimerToken, now: Instant): TimerOutcome;
  currentStep(id: number, now: Instant): CurrentStep | null;
  get(id: number): EscalationSnapshot | null;
  openFor(patientId: number): number | undefined;
  ids(): number[];
  readonly size: number;
  remove(id: number): boolean;
  setPolicies(policies: EscalationPolicySet): void;
  free(): void;
}

/** One escalation rebuilt from its events, so a screen counts down exactly as the server does. */
export class Escalation {
  private constructor();
  /** Throws `EscalationError` (source `apply` or `input`) for a broken stream. */
  static replay(events: ReadonlyArray<EscalationEvent | Record<string, unknown>>): Escalation;
  apply(event: EscalationEvent | Record<string, unknown>): void;
  execute(command: Command, now: Instant): EscalationEvent[];
  handleTimer(token: TimerToken, now: Instant): TimerOutcome;
  handleTimeout(now: Instant): EscalationEvent[];
  currentStep(now: Instant): CurrentStep | null;
  nextDeadline(): Deadline | null;
  snapshot(): EscalationSnapshot;
  free(): void;
}

/** Instantiates the escalation module (required once with the web entry; a no-op elsewhere). */
export default function init(moduleOrPath?: unknown): Promise<void>;
export function initSync(module?: BufferSource | WebAssembly.Module): void;
