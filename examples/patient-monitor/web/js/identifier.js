// Words for the package's identifier and vitals errors. The package throws real Errors
// (`IdentifierError`, `VitalsError`) with a `kind` and the details of what was wrong; the
// message is the core's own, and we lead with a short phrase for the kind.

import { PARAMETER_LABEL } from './labels.js';

const CPF_KIND = {
  empty: 'Enter the CPF',
  wrong_length: 'Wrong length',
  invalid_character: 'Invalid character',
  repeated_digits: 'Repeated digits',
  check_digit: 'Bad check digit',
};

function detail(e, k) {
  return e?.[k] ?? e?.details?.[k] ?? e?.detail?.[k];
}

/** A precise sentence for a CPF error. */
export function cpfErrorText(e) {
  const kind = e?.kind ?? 'invalid';
  const head = CPF_KIND[kind] ?? 'Invalid CPF';
  const found = detail(e, 'found'), expected = detail(e, 'expected'), position = detail(e, 'position');
  switch (kind) {
    case 'wrong_length': return `${head}: ${found ?? 'the wrong number of'} digits, a CPF has 11.`;
    case 'check_digit': return `${head}: digit ${position !== undefined ? position + 1 : '?'} should be ${expected}, not ${found}.`;
    case 'repeated_digits': return `${head}: all 11 digits are the same, which is never a valid CPF.`;
    case 'invalid_character': {
      const ch = detail(e, 'character');
      return `${head}${ch !== undefined ? ` ${JSON.stringify(ch)}` : ''} at position ${position !== undefined ? position + 1 : '?'}: only digits, dots and a dash are allowed (ddd.ddd.ddd-dd).`;
    }
    case 'empty': return `${head}.`;
    default: return `${head}: ${e?.message ?? ''}`;
  }
}

const VITALS_KIND = {
  missing: 'is missing',
  out_of_range: 'is out of range',
  looks_like_fahrenheit: 'looks like °F: enter °C',
  invalid_consciousness: 'is not one of A, C, V, P, U',
  invalid_scale: 'must be scale 1 or 2',
  not_finite: 'is not a number',
  invalid_type: 'is not a number',
};

/** A sentence for a vitals error (the package's VitalsError, or the server's problem). */
export function vitalsErrorText(e) {
  const field = String(e?.field ?? detail(e, 'field') ?? '').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) || undefined;
  const name = PARAMETER_LABEL[field] ?? (field === 'spo2_scale' ? 'SpO₂ scale' : field ?? 'A value');
  const what = VITALS_KIND[e?.kind] ?? 'is not valid';
  return `${name} ${what}. ${e?.message ?? ''}`.trim();
}
