// Type declarations for news2-wasm (every entry: web, bundler, nodejs).

/** Chart 3 clinical risk. */
export type ClinicalRisk = "low" | "low-medium" | "medium" | "high";

/** Chart 4 minimum monitoring frequency. */
export type MonitoringFrequency = "twelve_hourly" | "four_to_six_hourly" | "hourly" | "continuous";

/** Chart 4 clinical response. */
export type ClinicalResponse = "routine" | "ward_based" | "urgent_ward_based" | "urgent" | "emergency";

/** The seven NEWS2 parameters, in chart order. */
export type Parameter =
  | "respirationRate"
  | "spo2"
  | "onOxygen"
  | "systolicBp"
  | "pulse"
  | "consciousness"
  | "temperature";

/** Every input field an error can name. */
export type VitalsField = Parameter | "spo2Scale" | "diastolicBp";

/** ACVPU chart letters. */
export type AcvpuLetter = "A" | "C" | "V" | "P" | "U";

/** ACVPU words the core accepts. */
export type AcvpuWord = "alert" | "confusion" | "new confusion" | "confused" | "voice" | "pain" | "unresponsive";

/**
 * Level of consciousness (ACVPU). The core also accepts any other letter case and
 * surrounding whitespace; these are the spellings the types allow without a cast.
 */
export type Consciousness =
  | AcvpuLetter
  | Lowercase<AcvpuLetter>
  | AcvpuWord
  | Capitalize<AcvpuWord>
  | Uppercase<AcvpuWord>;

/** SpO2 scale number. Scale 2 only for confirmed hypercapnic respiratory failure, on a clinician's direction. */
export type Spo2Scale = 1 | 2;

/** A score of one parameter. */
export type ParameterScore = 0 | 1 | 2 | 3;

/** A complete observation set. Units: /min, %, mmHg, /min, °C. */
export interface Vitals {
  respirationRate: number;
  spo2: number;
  /** Omitted or null: Scale 1. */
  spo2Scale?: Spo2Scale | null;
  /** Omitted or null: on air. */
  onOxygen?: boolean | null;
  systolicBp: number;
  pulse: number;
  consciousness: Consciousness;
  temperature: number;
}

/** An observation set that may have gaps (null or undefined: not measured). */
export interface PartialVitals {
  respirationRate?: number | null;
  spo2?: number | null;
  spo2Scale?: Spo2Scale | null;
  onOxygen?: boolean | null;
  systolicBp?: number | null;
  pulse?: number | null;
  consciousness?: Consciousness | null;
  temperature?: number | null;
}

/** Per-parameter scores. */
export type ParameterScores = { [P in Parameter]: ParameterScore };

/** A complete NEWS2 result. */
export interface News2Score {
  /** Aggregate score, 0–20. */
  total: number;
  risk: ClinicalRisk;
  parameters: ParameterScores;
  monitoring: MonitoringFrequency;
  response: ClinicalResponse;
  /** Parameters scoring 3, in chart order. */
  red: Parameter[];
  /** The SpO2 scale the score used. */
  scale: Spo2Scale;
  complete: true;
}

/** The score of an observation set with gaps: missing parameters are listed, never scored. */
export interface PartialScore {
  /** Sum of the known scores: a lower bound of the real total. */
  total: number;
  /** Scores of the measured parameters; null where missing. */
  parameters: { [P in Parameter]: ParameterScore | null };
  /** The parameters not measured, in chart order. */
  missing: Parameter[];
  /** Known parameters scoring 3. */
  red: Parameter[];
  /** The least severe risk consistent with what is known: the real risk is this or worse. */
  minimumRisk: ClinicalRisk;
  scale: Spo2Scale;
  /** True only when nothing is missing. */
  complete: boolean;
}

/** Input columns of `scoreBatch`, one element per row. */
export interface BatchColumns {
  /** NaN where missing. */
  respirationRate: Float64Array;
  spo2: Float64Array;
  /** 1 or 2 per row, 255 missing; omit the column for Scale 1 everywhere. */
  spo2Scale?: Uint8Array | null;
  /** 0 air or 1 oxygen per row, 255 missing; omit the column for air everywhere. */
  onOxygen?: Uint8Array | null;
  systolicBp: Float64Array;
  pulse: Float64Array;
  /** 0 A, 1 C, 2 V, 3 P, 4 U, 255 missing (see `CONSCIOUSNESS_CODES`, `consciousnessCode`). */
  consciousness: Uint8Array;
  temperature: Float64Array;
}

/** The kinds of `VitalsError`, by batch error code (index 0, "", is "no error"). */
export type VitalsErrorKind =
  | "out_of_range"
  | "looks_like_fahrenheit"
  | "not_finite"
  | "not_a_number"
  | "invalid_consciousness"
  | "invalid_scale"
  | "missing";

/** Output columns of `scoreBatch`. The arrays are views of one buffer. */
export interface BatchScores {
  length: number;
  /** 0–20, or `NO_SCORE`. */
  total: Uint8Array;
  /** Index into `riskLabels`, or `NO_SCORE`. */
  risk: Uint8Array;
  /** Per-parameter scores, 0–3 or `NO_SCORE`. */
  parameters: { [P in Parameter]: Uint8Array };
  /** 0 when the row was scored, else the index of the kind in `errorKinds`. */
  error: Uint8Array;
  /** Index into `fieldLabels` of the field that failed, 255 when the row was scored. */
  errorField: Uint8Array;
  /** How many rows could not be scored. */
  errors: number;
  riskLabels: readonly ClinicalRisk[];
  errorKinds: readonly ("" | VitalsErrorKind)[];
  fieldLabels: readonly VitalsField[];
  noScore: number;
}

/** Vitals a dashboard classifies, each optional (null or undefined: not shown). */
export interface VitalSigns {
  respirationRate?: number | null;
  spo2?: number | null;
  systolicBp?: number | null;
  diastolicBp?: number | null;
  pulse?: number | null;
  temperature?: number | null;
  consciousness?: Consciousness | null;
  /** Accepted and ignored, so a `Vitals` object can be classified as it is. */
  spo2Scale?: Spo2Scale | null;
  /** Accepted and ignored, so a `Vitals` object can be classified as it is. */
  onOxygen?: boolean | null;
}

export type Status = "normal" | "warning" | "critical";
export type Direction = "low" | "high";

/** The status of one vital; `direction` is null when normal, and for consciousness. */
export interface VitalStatus {
  status: Status;
  direction: Direction | null;
}

/** The vitals a profile can set thresholds for. */
export type ClassifiedVital = "respirationRate" | "spo2" | "systolicBp" | "diastolicBp" | "pulse" | "temperature";

/** Thresholds for one vital, each optional; present ones must be non-decreasing in this order. */
export interface Thresholds {
  criticalBelow?: number | null;
  warningBelow?: number | null;
  warningAbove?: number | null;
  criticalAbove?: number | null;
}

/** A custom profile: a named vital's entry replaces the default entry whole; others keep the default. */
export type Profile = { [V in ClassifiedVital]?: Thresholds | null };

/** The classification of each vital given. */
export type Classification = { [V in ClassifiedVital | "consciousness"]?: VitalStatus };

/** A parsed CPF. */
export interface ParsedCpf {
  /** The eleven digits. */
  digits: string;
  /** `000.000.000-00`. */
  formatted: string;
  /** The fiscal region, the ninth digit (0 is Rio Grande do Sul). */
  region: number;
}

/** A parsed CNS. */
export interface ParsedCns {
  /** The fifteen digits. */
  digits: string;
  /** `000 0000 0000 0000`. */
  formatted: string;
  kind: "definitive" | "provisional";
}

/** An observation that cannot be scored or classified. */
export class VitalsError extends Error {
  readonly name: "VitalsError";
  /** The input field (camelCase). */
  readonly field: VitalsField;
  /** The core's kind, or `invalid_type` for a value of the wrong JavaScript type. */
  readonly kind: VitalsErrorKind | "invalid_type";
  /** The value as given. */
  readonly value: unknown;
  /** The accepted range, for `out_of_range`. */
  readonly min?: number;
  readonly max?: number;
}

/** A CPF or CNS that is not valid. */
export class IdentifierError extends Error {
  readonly name: "IdentifierError";
  readonly identifier: "cpf" | "cns";
  readonly kind:
    | "empty"
    | "wrong_length"
    | "invalid_character"
    | "repeated_digits"
    | "check_digit"
    | "invalid_first_digit"
    | "checksum";
  /** The text as given. */
  readonly value: string;
  /** 0-based position of the invalid character (in the trimmed text) or CPF check digit. */
  readonly position?: number;
  readonly character?: string;
  /** The CPF check digit the rule computes. */
  readonly expected?: number;
  /** The digit count, check digit or CNS first digit found. */
  readonly found?: number;
  /** The CNS weighted sum mod 11. */
  readonly remainder?: number;
}

/** A classification profile that cannot be used. */
export class ProfileError extends Error {
  readonly name: "ProfileError";
  /** The vital (or unknown key) at fault. */
  readonly field: string | undefined;
  readonly kind: "unordered_thresholds" | "not_finite" | "unknown_field" | "invalid_type";
}

/** The risk labels by code, as in `BatchScores.risk`. */
export const RISK_LABELS: readonly ["low", "low-medium", "medium", "high"];
/** The value `scoreBatch` writes where a row has no score (255). */
export const NO_SCORE: number;
/** The `scoreBatch` input code for a missing coded value (255). */
export const MISSING_CODE: number;
/** `scoreBatch` consciousness codes by ACVPU letter. */
export const CONSCIOUSNESS_CODES: Readonly<{ A: 0; C: 1; V: 2; P: 3; U: 4 }>;

/**
 * Instantiates the WebAssembly module. Required once before any other call with the `web`
 * entry (optionally with the `.wasm` URL, bytes or module); a no-op elsewhere.
 */
export default function init(moduleOrPath?: unknown): Promise<void>;
/** Instantiates the module synchronously (`web` entry); a no-op elsewhere. */
export function initSync(module?: BufferSource | WebAssembly.Module): void;

/** NEWS2 for a complete observation set. Throws `VitalsError` for an invalid or missing value. */
export function score(vitals: Vitals): News2Score;
/** NEWS2 for an observation set with gaps. Throws `VitalsError` for an invalid value. */
export function scorePartial(vitals: PartialVitals): PartialScore;
/** NEWS2 for columns; every row is checked like `score`, and bad rows are reported, not scored. */
export function scoreBatch(columns: BatchColumns): BatchScores;
/** The batch code (0–4) of a consciousness level given as text. Throws `VitalsError`. */
export function consciousnessCode(text: string): 0 | 1 | 2 | 3 | 4;
/** Status of each vital given, under the default profile or a custom one. Throws `VitalsError` or `ProfileError`. */
export function classify(vitals: VitalSigns, profile?: Profile | null): Classification;

export function validateCpf(text: string): boolean;
/** Throws `IdentifierError`. */
export function formatCpf(text: string): string;
/** Throws `IdentifierError`. */
export function parseCpf(text: string): ParsedCpf;
export function validateCns(text: string): boolean;
/** Throws `IdentifierError`. */
export function formatCns(text: string): string;
/** Throws `IdentifierError`. */
export function parseCns(text: string): ParsedCns;
