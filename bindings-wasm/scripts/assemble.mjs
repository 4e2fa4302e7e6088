// Assembles the npm package in <pkg> around wasm-bindgen's output (<pkg>/{web,nodejs,bundler}):
// the wrappers as ES modules and CommonJS, one entry per target and module, one copy of each
// .wasm, the type declarations and package.json.
// Usage: node scripts/assemble.mjs <pkg> <version>
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [pkg, version] = process.argv.slice(2);
if (!pkg || !version) {
  console.error('usage: node scripts/assemble.mjs <pkg> <version>');
  process.exit(2);
}
const js = join(dirname(fileURLToPath(import.meta.url)), '..', 'js');
const read = (name) => readFileSync(join(js, name), 'utf8');
const fail = (message) => {
  console.error(`assemble: ${message}`);
  process.exit(1);
};
const TARGETS = ['web', 'nodejs', 'bundler'];
const has = (module) => TARGETS.every((t) => existsSync(join(pkg, t, `${module}.js`)));
if (!has('news2_wasm')) fail(`${pkg}/<target>/news2_wasm.js is missing: run wasm-bindgen first`);
const escalation = has('news2_escalation');

/** Replaces `from` by `to` in a generated file, which must hold `from` exactly once. */
function patch(file, from, to) {
  const text = readFileSync(file, 'utf8');
  const count = text.split(from).length - 1;
  if (count !== 1) fail(`${file}: expected "${from}" once, found it ${count} times (wasm-bindgen output changed?)`);
  writeFileSync(file, text.replace(from, to));
}

// One .wasm per module: the bundler target must keep its copy beside its glue (the module
// imports "./<name>_bg.js", resolved next to the .wasm), so the web and nodejs glue load that
// copy. wasm-bindgen writes the same module for every target; check before sharing it.
for (const module of escalation ? ['news2_wasm', 'news2_escalation'] : ['news2_wasm']) {
  const wasm = `${module}_bg.wasm`;
  const shared = readFileSync(join(pkg, 'bundler', wasm));
  for (const target of ['web', 'nodejs']) {
    if (!readFileSync(join(pkg, target, wasm)).equals(shared)) fail(`${target}/${wasm} differs from bundler/${wasm}`);
  }
  patch(join(pkg, 'web', `${module}.js`), `new URL('${wasm}', import.meta.url)`, `new URL('../bundler/${wasm}', import.meta.url)`);
  patch(join(pkg, 'nodejs', `${module}.js`), '`${__dirname}/' + wasm + '`', '`${__dirname}/../bundler/' + wasm + '`');
  rmSync(join(pkg, 'web', wasm));
  rmSync(join(pkg, 'nodejs', wasm));
}

/** The CommonJS rewrite of a wrapper: top-level exports and `import {…} from './x.js'` only. */
function commonJs(source, name) {
  const exported = [...source.matchAll(/^export (?:function|class|const) (\w+)/gm)].map((m) => m[1]);
  let out = source
    .replace(/^export (function|class|const) /gm, '$1 ')
    .replace(/^import \{([^}]*)\} from '\.\/(\w+)\.js';$/gm, "const {$1} = require('./$2.cjs');");
  out = `'use strict';\n${out}\nmodule.exports = { ${exported.join(', ')} };\n`;
  if (/^\s*(export|import)\s/m.test(out.replace(/^\/\/.*$/gm, ''))) {
    fail(`js/${name} has an export or import the CommonJS rewrite does not handle`);
  }
  return out;
}

const wrappers = escalation ? ['api', 'escalation'] : ['api'];
for (const name of wrappers) {
  const source = read(`${name}.js`);
  writeFileSync(join(pkg, `${name}.js`), source);
  writeFileSync(join(pkg, `${name}.cjs`), commonJs(source, `${name}.js`));
}

// Entries: the NEWS2 API names are listed once, in js/entry/names.txt.
const names = read('entry/names.txt').trim().split(/\s+/).join(', ');
const entry = (name) => read(join('entry', name)).replace('/*NAMES*/', names);
writeFileSync(join(pkg, 'web', 'index.js'), entry('web.js'));
writeFileSync(join(pkg, 'bundler', 'index.js'), entry('bundler.js'));
writeFileSync(join(pkg, 'nodejs', 'index.cjs'), entry('node.cjs'));
writeFileSync(join(pkg, 'nodejs', 'index.mjs'), entry('node.mjs'));
if (escalation) {
  writeFileSync(join(pkg, 'web', 'escalation.js'), entry('escalation-web.js'));
  writeFileSync(join(pkg, 'bundler', 'escalation.js'), entry('escalation-bundler.js'));
  writeFileSync(join(pkg, 'nodejs', 'escalation.cjs'), entry('escalation-node.cjs'));
  writeFileSync(join(pkg, 'nodejs', 'escalation.mjs'), entry('escalation-node.mjs'));
}
// wasm-bindgen's nodejs glue is CommonJS in a "type": "module" package.
writeFileSync(join(pkg, 'nodejs', 'package.json'), '{ "type": "commonjs" }\n');

const types = escalation ? ['index', 'escalation'] : ['index'];
for (const name of types) {
  copyFileSync(join(js, `${name}.d.ts`), join(pkg, `${name}.d.ts`));
  copyFileSync(join(js, `${name}.d.ts`), join(pkg, `${name}.d.cts`));
}
copyFileSync(join(js, 'README.md'), join(pkg, 'README.md'));

const manifest = JSON.parse(read('package.template.json'));
manifest.version = version;
if (!escalation) {
  for (const key of Object.keys(manifest.exports)) if (key.startsWith('./escalation')) delete manifest.exports[key];
  manifest.files = manifest.files.filter((f) => !f.startsWith('escalation'));
}
writeFileSync(join(pkg, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`assemble: ${pkg} (news2-wasm ${version}${escalation ? ', with news2-wasm/escalation' : ''}; API: ${names})`);
