// The shared golden cases (testdata/*.json, the same files the Rust and Python tests run)
// against the built package.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { camel, camelKeys, camelProfile, golden, news2 } from './support.mjs';

const { score, scorePartial, classify, VitalsError, ProfileError, IdentifierError } = news2;

test('news2.json: scores, partial scores and errors', (t) => {
  const cases = golden('news2.json');
  let errors = 0;
  for (const c of cases) {
    const input = camelKeys(c.input);
    const call = () => (c.partial ? scorePartial(input) : score(input));
    if (c.error) {
      errors++;
      assert.throws(call, (e) => {
        assert.ok(e instanceof VitalsError && e instanceof Error, `${c.name}: ${e}`);
        assert.equal(e.name, 'VitalsError', c.name);
        assert.equal(e.field, camel(c.error.field), `${c.name}: ${e.message}`);
        assert.equal(e.kind, c.error.kind, `${c.name}: ${e.message}`);
        assert.equal(e.value, input[e.field], c.name);
        assert.ok(e.message.length > 0, c.name);
        return true;
      });
      continue;
    }
    const got = call();
    const e = c.expected;
    if (c.partial) {
      // A partial case's expected holds exactly parameters, total, missing and complete.
      assert.deepEqual(
        { parameters: got.parameters, total: got.total, missing: got.missing, complete: got.complete },
        { parameters: camelKeys(e.parameters), total: e.total, missing: e.missing.map(camel), complete: e.complete },
        c.name,
      );
    } else {
      assert.deepEqual(
        got,
        {
          total: e.total,
          risk: e.risk,
          parameters: camelKeys(e.parameters),
          monitoring: e.monitoring,
          response: e.response,
          red: e.red.map(camel),
          scale: e.scale,
          complete: true,
        },
        c.name,
      );
    }
  }
  t.diagnostic(`news2.json: ${cases.length} cases (${errors} errors) passed`);
});

test('classification.json: statuses and profile errors', (t) => {
  const cases = golden('classification.json');
  for (const c of cases) {
    const profile = c.profile === 'default' ? undefined : camelProfile(c.profile);
    if (c.profile_error) {
      assert.throws(
        () => classify({}, profile),
        (e) => {
          assert.ok(e instanceof ProfileError && e instanceof Error, c.name);
          assert.equal(e.field, camel(c.profile_error.field), c.name);
          assert.equal(e.kind, c.profile_error.kind, c.name);
          return true;
        },
      );
      continue;
    }
    assert.deepEqual(classify(camelKeys(c.input), profile), camelKeys(c.expected), c.name);
  }
  t.diagnostic(`classification.json: ${cases.length} cases passed`);
});

function identifierCases(t, file, { validate, parse, format }, identifier) {
  const cases = golden(file);
  for (const c of cases) {
    assert.equal(validate(c.input), c.valid, JSON.stringify(c.input));
    if (c.valid) {
      const parsed = parse(c.input);
      const expected = { digits: c.digits, formatted: c.formatted };
      if (identifier === 'cpf') expected.region = c.region;
      else expected.kind = c.kind;
      assert.deepEqual(parsed, expected, JSON.stringify(c.input));
      assert.equal(format(c.input), c.formatted);
      continue;
    }
    for (const call of [() => parse(c.input), () => format(c.input)]) {
      assert.throws(call, (e) => {
        assert.ok(e instanceof IdentifierError && e instanceof Error, JSON.stringify(c.input));
        assert.equal(e.identifier, identifier);
        assert.equal(e.value, c.input);
        for (const [k, v] of Object.entries(c.error)) assert.equal(e[k], v, `${JSON.stringify(c.input)}: ${k} of ${e.message}`);
        return true;
      });
    }
  }
  t.diagnostic(`${file}: ${cases.length} cases passed`);
}

test('cpf.json: validate, parse, format', (t) => {
  identifierCases(t, 'cpf.json', { validate: news2.validateCpf, parse: news2.parseCpf, format: news2.formatCpf }, 'cpf');
});

test('cns.json: validate, parse, format', (t) => {
  identifierCases(t, 'cns.json', { validate: news2.validateCns, parse: news2.parseCns, format: news2.formatCns }, 'cns');
});
