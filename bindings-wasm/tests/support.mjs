// Shared by the node:test files: where the built package is, the golden data, and the
// snake_case → camelCase name conversion (names only, never values).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The built package (scripts/wasm.sh build), or $NEWS2_WASM_PKG. */
export const PKG = resolve(process.env.NEWS2_WASM_PKG ?? join(here, '..', 'pkg'));

/** The package's Node entry, loaded as `import` resolves it. */
export const news2 = await import(pathToFileURL(join(PKG, 'nodejs', 'index.mjs')).href);

/** The cases of a golden file in testdata/. */
export function golden(file) {
  const doc = JSON.parse(readFileSync(join(here, '..', '..', 'testdata', file), 'utf8'));
  if (!Array.isArray(doc.cases) || doc.cases.length === 0) throw new Error(`${file} has no cases`);
  return doc.cases;
}

/** `respiration_rate` → `respirationRate`. */
export function camel(name) {
  return name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
}

/** The object with its keys (not its values) converted, one level deep. */
export function camelKeys(obj) {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [camel(k), v]));
}

/** A profile object of the golden files in the package's names (vital and threshold keys). */
export function camelProfile(profile) {
  return Object.fromEntries(
    Object.entries(profile).map(([vital, t]) => [camel(vital), t === null ? null : camelKeys(t)]),
  );
}
