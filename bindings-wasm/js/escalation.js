// news2-wasm/escalation: escalation-core's policy set, board (scheduler) and replayed
// escalation, driven with explicit times.
//
// Conversion only, as in api.js: times (`Date` or milliseconds since 1970) become
// milliseconds, key names are converted between the core's snake_case and camelCase
// (values never: `type: 'step_notified'`, risk labels and role labels stay as they are),
// commands and timer tokens are passed positionally, and the module's failures become
// `EscalationError`s. Every rule and every check is escalation-core's.
import { camelCase, describe } from './api.js';

/**
 * An escalation call the core refused: `source` is `policy`, `command`, `board`, `apply`
 * or `input`; `kind` a stable snake_case name (e.g. `already_acknowledged`,
 * `role_not_allowed`, `out_of_sequence`, `invalid_policy`); the message is the core's.
 */
export class EscalationError extends Error {
  constructor(message, { source, kind }) {
    super(message);
    this.source = source;
    this.kind = kind;
  }
}
EscalationError.prototype.name = 'EscalationError';

/** `dueAt` → `due_at`: the inverse of `camelCase` for the core's names. */
export function snakeCase(name) {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Converts the key names (never the values) of plain objects, deeply. */
export function convertKeys(value, convert) {
  if (Array.isArray(value)) return value.map((v) => convertKeys(v, convert));
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
    return value;
  }
  const out = {};
  for (const [k, v] of Object.entries(value)) out[convert(k)] = convertKeys(v, convert);
  return out;
}

/** A time as whole milliseconds since 1970, from a `Date` or a number. */
function toMs(now, what) {
  const ms = Object.prototype.toString.call(now) === '[object Date]' ? now.getTime() : now;
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms)) {
    throw new TypeError(`${what}: expected the time as a valid Date or whole milliseconds since 1970, got ${describe(now)}`);
  }
  return ms;
}

function requireString(v, what) {
  if (typeof v !== 'string') throw new TypeError(`${what}: expected a string, got ${describe(v)}`);
  return v;
}

function optionalString(v, what) {
  return v === undefined || v === null ? '' : requireString(v, what);
}

function requireNumber(v, what) {
  if (typeof v !== 'number') throw new TypeError(`${what}: expected a number, got ${describe(v)}`);
  return v;
}

/** A command object (`{ type, risk?, by?: { staffId, role }, durationSeconds? }`) as arguments. */
function commandArgs(command) {
  if (typeof command !== 'object' || command === null) {
    throw new TypeError(`command: expected an object such as { type: 'acknowledge', by: { staffId, role } }, got ${describe(command)}`);
  }
  const by = command.by;
  if (by !== undefined && by !== null && (typeof by !== 'object' || Array.isArray(by))) {
    throw new TypeError(`command.by: expected { staffId, role }, got ${describe(by)}`);
  }
  const duration = command.durationSeconds;
  return [
    requireString(command.type, 'command.type'),
    optionalString(command.risk, 'command.risk'),
    optionalString(by?.staffId, 'command.by.staffId'),
    optionalString(by?.role, 'command.by.role'),
    duration === undefined || duration === null ? NaN : requireNumber(duration, 'command.durationSeconds'),
  ];
}

function tokenArgs(token) {
  if (typeof token !== 'object' || token === null) {
    throw new TypeError(`token: expected { escalationId, step, generation }, got ${describe(token)}`);
  }
  return [
    requireNumber(token.escalationId, 'token.escalationId'),
    requireNumber(token.step, 'token.step'),
    requireNumber(token.generation, 'token.generation'),
  ];
}

/** Builds the escalation classes over one raw wasm-bindgen module (built with `escalation`). */
export function makeEscalationApi(raw) {
  /** Runs a raw call and maps an `EscalationFailure` it throws. */
  function call(fn) {
    try {
      return fn();
    } catch (e) {
      if (e instanceof raw.EscalationFailure) {
        const error = new EscalationError(e.message, { source: e.source, kind: e.kind });
        e.free();
        throw error;
      }
      throw e;
    }
  }
  const out = (value) => convertKeys(value, camelCase);
  const into = (value) => convertKeys(value, snakeCase);
  const wrapping = Symbol('wrap');
  let handleOf; // the raw policy set of an EscalationPolicySet (set in its static block)

  /** A validated set of escalation chains, one per risk band (escalation-core `PolicySet`). */
  class EscalationPolicySet {
    #raw;

    /** Reads a set in the core's JSON shape (camelCase or snake_case keys); the core validates it. */
    constructor(spec, wrap) {
      this.#raw = wrap === wrapping ? spec : call(() => new raw.RawPolicySet(into(spec)));
    }

    /** The demonstration set (short timeouts). */
    static demo() {
      return new EscalationPolicySet(raw.RawPolicySet.demo(), wrapping);
    }

    /** The production set shipped with escalation-core. */
    static production() {
      return new EscalationPolicySet(raw.RawPolicySet.production(), wrapping);
    }

    /** The chain that runs for a risk (its own or the nearest lower band's), or null. */
    forRisk(risk) {
      return out(call(() => this.#raw.forRisk(requireString(risk, 'risk'))));
    }

    /** How long the chain for a risk runs before it is exhausted, in milliseconds (undefined: no chain). */
    timeToExhaustionMs(risk) {
      return call(() => this.#raw.timeToExhaustionMs(requireString(risk, 'risk')));
    }

    /** The set in the core's shape, camelCase keys. */
    toJSON() {
      return out(call(() => this.#raw.spec()));
    }

    /** Releases the module memory now (otherwise when garbage-collected). */
    free() {
      this.#raw.free();
    }

    static {
      handleOf = (set) => {
        if (!(set instanceof EscalationPolicySet)) {
          throw new TypeError(`policies: expected an EscalationPolicySet, got ${describe(set)}`);
        }
        return set.#raw;
      };
    }
  }

  /**
   * Every open escalation, one per patient, and their deadlines (escalation-core `Board`).
   * Sans-IO: it never reads a clock; pass `now` to every call and ask `nextDeadline()` when
   * to call `advanceTo` again.
   */
  class EscalationBoard {
    #raw;

    constructor(policies) {
      this.#raw = new raw.RawBoard(handleOf(policies));
    }

    /** A new alert for a patient: joins their open escalation or opens one. `{ id, events }`. */
    alert(patientId, risk, now) {
      return out(call(() => this.#raw.alert(requireNumber(patientId, 'patientId'), requireString(risk, 'risk'), toMs(now, 'now'))));
    }

    /** Runs a command on an open escalation; the events. */
    execute(id, command, now) {
      const args = commandArgs(command);
      return out(call(() => this.#raw.execute(requireNumber(id, 'id'), ...args, toMs(now, 'now'))));
    }

    /** Fires every deadline due by `now`, in deadline order; the events. */
    advanceTo(now) {
      return out(call(() => this.#raw.advanceTo(toMs(now, 'now'))));
    }

    /** The earliest deadline `{ at, atMs, token }`, or null. */
    nextDeadline() {
      return out(call(() => this.#raw.nextDeadline()));
    }

    /** Handles a durable timer's token: `{ outcome: 'fired', events }`, `'stale'` or `'not_due'`. */
    handleTimer(token, now) {
      const args = tokenArgs(token);
      return out(call(() => this.#raw.handleTimer(...args, toMs(now, 'now'))));
    }

    /** The current step and its countdown at `now` (`countdownMs`, `deadlineMs`), or null. */
    currentStep(id, now) {
      return out(call(() => this.#raw.currentStep(requireNumber(id, 'id'), toMs(now, 'now'))));
    }

    /** A snapshot of an open escalation, or null. */
    get(id) {
      return out(call(() => this.#raw.get(requireNumber(id, 'id'))));
    }

    /** The id of the patient's open escalation, or undefined. */
    openFor(patientId) {
      return call(() => this.#raw.openFor(requireNumber(patientId, 'patientId')));
    }

    /** The ids of the open escalations. */
    ids() {
      return Array.from(this.#raw.ids());
    }

    /** How many escalations are open. */
    get size() {
      return this.#raw.size;
    }

    /** Takes an escalation off the board without resolving it; whether it was there. */
    remove(id) {
      return call(() => this.#raw.remove(requireNumber(id, 'id')));
    }

    /** The set new escalations open on (open ones keep theirs). */
    setPolicies(policies) {
      this.#raw.setPolicies(handleOf(policies));
    }

    free() {
      this.#raw.free();
    }
  }

  /**
   * One escalation rebuilt from its events (e.g. those a server sent, snake_case or
   * camelCase keys), so a screen counts down exactly as the server does.
   */
  class Escalation {
    #raw;

    constructor(rawEscalation, wrap) {
      if (wrap !== wrapping) throw new TypeError('use Escalation.replay(events)');
      this.#raw = rawEscalation;
    }

    /** Rebuilds an escalation from its whole event stream (the core checks the stream). */
    static replay(events) {
      if (!Array.isArray(events)) throw new TypeError(`events: expected an array, got ${describe(events)}`);
      return new Escalation(call(() => raw.RawEscalation.replay(into(events))), wrapping);
    }

    /** Applies the next event of the stream. */
    apply(event) {
      call(() => this.#raw.apply(into(event)));
    }

    /** Runs a command; the events. */
    execute(command, now) {
      const args = commandArgs(command);
      return out(call(() => this.#raw.execute(...args, toMs(now, 'now'))));
    }

    /** Handles a durable timer's token, as `EscalationBoard.handleTimer`. */
    handleTimer(token, now) {
      const args = tokenArgs(token);
      return out(call(() => this.#raw.handleTimer(...args, toMs(now, 'now'))));
    }

    /** Fires every deadline passed by `now`; the events. */
    handleTimeout(now) {
      return out(call(() => this.#raw.handleTimeout(toMs(now, 'now'))));
    }

    /** The current step and its countdown at `now`, or null once resolved. */
    currentStep(now) {
      return out(call(() => this.#raw.currentStep(toMs(now, 'now'))));
    }

    /** The next deadline `{ at, atMs, token }`, or null. */
    nextDeadline() {
      return out(call(() => this.#raw.nextDeadline()));
    }

    /** A snapshot (state, risk, band, step, pass, acknowledgement, …). */
    snapshot() {
      return out(call(() => this.#raw.snapshot()));
    }

    free() {
      this.#raw.free();
    }
  }

  return { EscalationPolicySet, EscalationBoard, Escalation };
}
