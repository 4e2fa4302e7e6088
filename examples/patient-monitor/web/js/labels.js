// Words for the codes the API and the WASM package use. Never colour alone: every status
// and risk has a label and a symbol here.

export const PARAMETERS = [
  { key: 'respiration_rate', label: 'RR', long: 'Respiration rate', unit: '/min' },
  { key: 'spo2', label: 'SpO₂', long: 'Oxygen saturation (SpO₂)', unit: '%' },
  { key: 'on_oxygen', label: 'O₂', long: 'Air or oxygen', unit: '' },
  { key: 'systolic_bp', label: 'SBP', long: 'Systolic blood pressure', unit: 'mmHg' },
  { key: 'pulse', label: 'Pulse', long: 'Pulse', unit: '/min' },
  { key: 'consciousness', label: 'ACVPU', long: 'Consciousness (ACVPU)', unit: '' },
  { key: 'temperature', label: 'Temp.', long: 'Temperature', unit: '°C' },
];

export const PARAMETER_LABEL = Object.fromEntries(PARAMETERS.map((p) => [p.key, p.long]));

export const STATUS = {
  normal: { symbol: '●', word: 'normal' },
  warning: { symbol: '▲', word: 'warning' },
  critical: { symbol: '◆', word: 'critical' },
  unknown: { symbol: '?', word: 'no data' },
};

export const RISK = {
  low: 'Low',
  'low-medium': 'Low–medium',
  medium: 'Medium',
  high: 'High',
};

export const RESPONSE = {
  routine: 'Continue routine NEWS monitoring',
  ward_based: 'Inform the registered nurse, who must assess the patient',
  urgent_ward_based: 'Registered nurse to inform the medical team caring for the patient',
  urgent: 'Urgent response: inform the medical team immediately; assessment by a clinician competent in acute illness',
  emergency: 'Emergency response: immediate assessment by a critical-care competent team; consider transfer to HDU/ICU',
};

export const MONITORING = {
  twelve_hourly: 'Minimum 12-hourly observations',
  four_to_six_hourly: 'Minimum 4–6-hourly observations',
  hourly: 'Minimum hourly observations',
  continuous: 'Continuous monitoring of vital signs',
};

export const STAGES = ['enroll', 'device', 'welcome', 'monitor', 'reviews'];
export const STAGE_LABEL = { enroll: 'Enroll', device: 'Device', welcome: 'Welcome', monitor: 'Monitor', reviews: 'Reviews' };

export const ROLE = {
  nurse: 'Nurse',
  senior: 'Senior clinician',
  senior_clinician: 'Senior clinician',
  doctor: 'Doctor',
  on_call_doctor: 'On-call doctor',
  critical_care_outreach: 'Critical care outreach',
  admin: 'Administrator',
};

/** The clinical (escalation) role of a user role, as escalation-core names it. */
export const CLINICAL_ROLE = { nurse: 'nurse', senior: 'senior_clinician', doctor: 'on_call_doctor' };

export const ESCALATION_STATE = {
  notifying: 'Notifying',
  acknowledged: 'Acknowledged',
  unanswered: 'Unanswered',
  resolved: 'Resolved',
};

export const CONSCIOUSNESS = { A: 'Alert', C: 'New confusion', V: 'Voice', P: 'Pain', U: 'Unresponsive' };

/** A short description of an event for the activity log. */
export function describeEvent(e, names) {
  const who = names?.(e.patient_id) ?? (e.patient_id ? `patient ${e.patient_id}` : '');
  const d = e.data ?? {};
  switch (e.type) {
    case 'patient_registered': return `${d.name ?? who} registered in ${e.ward}`;
    case 'patient_stage_changed': return `${who}: pathway ${STAGE_LABEL[d.from] ?? d.from} → ${STAGE_LABEL[d.to] ?? d.to}`;
    case 'vitals_recorded': return `${who}: vitals recorded (${d.source ?? 'api'})`;
    case 'observation_recorded': return `${who}: device reading (${(d.readings ?? []).map((r) => r.parameter).join(', ')})`;
    case 'score_computed': return `${who}: NEWS2 ${d.news2?.total ?? d.total} (${RISK[d.news2?.risk ?? d.risk] ?? d.news2?.risk ?? d.risk})`;
    case 'score_incomplete': return `${who}: incomplete set, missing ${(d.missing ?? []).join(', ') || '—'}`;
    case 'alert_triggered': return `${who}: ALERT, ${RISK[d.risk] ?? d.risk} risk`;
    case 'escalation_triggered': return `${who}: escalation #${e.escalation_id} opened (${RISK[d.risk] ?? d.risk})`;
    case 'escalation_step_started': return `${who}: escalation #${e.escalation_id} → ${ROLE[d.target?.role] ?? d.target?.role} notified (step ${(d.step ?? 0) + 1})`;
    case 'escalation_acknowledged': return `${who}: escalation #${e.escalation_id} acknowledged by ${d.by?.staff_id} (${ROLE[d.by?.role] ?? d.by?.role})`;
    case 'escalation_resolved': return `${who}: escalation #${e.escalation_id} resolved by ${d.by?.staff_id}`;
    case 'escalation_unanswered': return `${who}: escalation #${e.escalation_id} UNANSWERED`;
    case 'escalation_alert_joined': return `${who}: new alert joined escalation #${e.escalation_id} (${RISK[d.risk] ?? d.risk})`;
    case 'escalation_band_raised': return `${who}: escalation #${e.escalation_id} raised ${RISK[d.from]} → ${RISK[d.to]}`;
    case 'escalation_risk_updated': return `${who}: escalation #${e.escalation_id} risk now ${RISK[d.risk] ?? d.risk}`;
    case 'escalation_retriggered': return `${who}: escalation #${e.escalation_id} re-triggered (${d.reason})`;
    case 'escalation_declined': return `${who}: ${d.by?.staff_id} declined escalation #${e.escalation_id}`;
    case 'escalation_snoozed': return `${who}: escalation #${e.escalation_id} snoozed`;
    case 'notification_sent': return `notification sent to ${ROLE[d.role] ?? d.role} (${d.channel})`;
    case 'notification_failed': return `notification to ${ROLE[d.role] ?? d.role} failed: ${d.error}`;
    case 'demo_reset': return 'demo reset by ' + (e.actor ?? 'admin');
    default: return `${e.type}${who ? ` · ${who}` : ''}`;
  }
}

/** Whether an event is an alert or escalation event (shown in red in the log). */
export function isAlertEvent(type) {
  return type === 'alert_triggered' || type === 'escalation_unanswered' || type === 'escalation_triggered' || type === 'escalation_step_started';
}

export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
}

export function dateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString([], { dateStyle: 'short', timeStyle: 'medium', hourCycle: 'h23' });
}

/** 11 CPF digits as the mask ddd.ddd.ddd-dd (display only; validation is the WASM's). */
export function maskCpf(digits) {
  const d = String(digits ?? '');
  return /^\d{11}$/.test(d) ? `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}` : d;
}
