// news2-wasm for Node.js (import): the CommonJS instance, re-exported.
import cjs from './index.cjs';

export const {
  VitalsError,
  IdentifierError,
  ProfileError,
  RISK_LABELS,
  NO_SCORE,
  MISSING_CODE,
  CONSCIOUSNESS_CODES,
  initSync,
  /*NAMES*/
} = cjs;
export default cjs.init;
