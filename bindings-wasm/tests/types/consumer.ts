// A small strict-TypeScript consumer of news2-wasm: it must type-check with
// `tsc --noEmit --strict` (scripts/wasm.sh). Lines marked @ts-expect-error must NOT compile.
import init, {
  CONSCIOUSNESS_CODES,
  IdentifierError,
  MISSING_CODE,
  ProfileError,
  RISK_LABELS,
  VitalsError,
  classify,
  consciousnessCode,
  formatCns,
  parseCns,
  parseCpf,
  score,
  scoreBatch,
  scorePartial,
  validateCpf,
  type BatchScores,
  type Classification,
  type ClinicalRisk,
  type News2Score,
  type Parameter,
  type PartialScore,
  type Vitals,
  type VitalsField,
} from 'news2-wasm';

await init();

const vitals: Vitals = {
  respirationRate: 24,
  spo2: 93,
  onOxygen: true,
  systolicBp: 98,
  pulse: 118,
  consciousness: 'A',
  temperature: 38.6,
};
const result: News2Score = score(vitals);
const complete: true = result.complete;

function advice(risk: ClinicalRisk): string {
  switch (risk) {
    case 'low':
      return 'ward-based response';
    case 'low-medium':
      return 'urgent ward-based response';
    case 'medium':
      return 'key threshold: urgent response';
    case 'high':
      return 'emergency response';
    default: {
      const unreachable: never = risk;
      return unreachable;
    }
  }
}
advice(result.risk);

const reds: Parameter[] = result.red;
const spo2Score: 0 | 1 | 2 | 3 = result.parameters.spo2;
const monitoring: 'twelve_hourly' | 'four_to_six_hourly' | 'hourly' | 'continuous' = result.monitoring;

score({ ...vitals, consciousness: 'new confusion', spo2Scale: 2 });
score({ ...vitals, consciousness: 'Voice', spo2Scale: null, onOxygen: null });

// @ts-expect-error: not an ACVPU level
score({ ...vitals, consciousness: 'drowsy' });
// @ts-expect-error: Scale 3 does not exist
score({ ...vitals, spo2Scale: 3 });
// @ts-expect-error: a complete score needs every vital
score({ respirationRate: 18, spo2: 97 });
// @ts-expect-error: vitals are numbers, not text
score({ ...vitals, pulse: '118' });
// @ts-expect-error: "severe" is not a risk band
const severe: ClinicalRisk = 'severe';

const partial: PartialScore = scorePartial({ respirationRate: 8, pulse: null });
const missing: Parameter[] = partial.missing;
const maybe: number | null = partial.parameters.pulse;
// @ts-expect-error: a partial score may be incomplete
const alwaysComplete: true = partial.complete;

try {
  score({ ...vitals, spo2: 977 });
} catch (e) {
  if (e instanceof VitalsError) {
    const field: VitalsField = e.field;
    const kind: string = e.kind;
    const range: number | undefined = e.min;
    console.log(field, kind, range, e.message);
  } else if (e instanceof IdentifierError || e instanceof ProfileError) {
    console.log(e.kind);
  }
}

const n = 3;
const batch: BatchScores = scoreBatch({
  respirationRate: new Float64Array(n).fill(18),
  spo2: new Float64Array(n).fill(97),
  systolicBp: new Float64Array(n).fill(120),
  pulse: new Float64Array(n).fill(70),
  consciousness: Uint8Array.from([CONSCIOUSNESS_CODES.A, consciousnessCode('voice'), MISSING_CODE]),
  temperature: new Float64Array(n).fill(37),
});
const code = batch.risk[0];
const label: ClinicalRisk | undefined = code === undefined ? undefined : batch.riskLabels[code];
const firstLabel: 'low' = RISK_LABELS[0];
scoreBatch({
  respirationRate: new Float64Array(n),
  spo2: new Float64Array(n),
  systolicBp: new Float64Array(n),
  pulse: new Float64Array(n),
  consciousness: new Uint8Array(n),
  // @ts-expect-error: numeric columns are Float64Array
  temperature: [37, 37, 37],
});

const card: Classification = classify({ pulse: 135, consciousness: 'V' }, { pulse: { criticalBelow: 40, criticalAbove: 120 } });
const pulseStatus: 'normal' | 'warning' | 'critical' | undefined = card.pulse?.status;
// @ts-expect-error: profiles name the classified vitals only
classify({}, { heartRate: { criticalAbove: 120 } });

const cpf = parseCpf('529.982.247-25');
const region: number = cpf.region;
const valid: boolean = validateCpf(cpf.digits);
const kind: 'definitive' | 'provisional' = parseCns('898 0010 0000 0003').kind;
const printed: string = formatCns('898001000000003');
// @ts-expect-error: identifiers are text (a number loses leading zeros)
validateCpf(52998224725);

export const used = [complete, reds, spo2Score, monitoring, severe, missing, maybe, alwaysComplete, label, firstLabel, pulseStatus, region, valid, kind, printed];
