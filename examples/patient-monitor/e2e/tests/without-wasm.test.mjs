// The server without the news2-wasm package: the page says what is missing, and everything
// else works (the server validates the CPF on submit).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { launch, signIn, screenshot } from '../support/browser.mjs';

let server;
let b;

before(async () => {
  server = await startServer({ env: { PATIENT_MONITOR_WASM_DIR: '/nonexistent/news2-wasm/pkg/web' } });
  b = await launch();
});
after(async () => {
  await b?.close();
  await server?.stop();
});

test('without the package: a clear banner, the calculator says what to run, the server still checks the CPF', async () => {
  const r = await fetch(`${server.url}/wasm/package.json`);
  assert.equal(r.status, 404);
  assert.match((await r.json()).detail, /scripts\/wasm\.sh build/);
  const { page } = b;
  await signIn(page, server.url, 'nurse');
  await page.waitForFunction(() => document.documentElement.dataset.wasm === 'missing');
  assert.equal(await page.locator('#wasm-banner').isVisible(), true);
  assert.match(await page.locator('#wasm-banner').textContent(), /\.\/scripts\/wasm\.sh build/);
  assert.ok(await page.locator('#ward-grid .patient-card').count() >= 4, 'the ward works');
  await page.click('a[data-view=calculator]');
  assert.match(await page.locator('#calc-result').textContent(), /needs the news2-wasm package/);
  await page.click('a[data-view=register]');
  await page.fill('#reg-name', 'Sem Wasm');
  await page.fill('#reg-cpf', '52998224726');
  await page.click('#register-form button[type=submit]');
  await page.locator('#reg-cpf-error').filter({ hasText: /check digit/i }).waitFor({ timeout: 5000 });
  await screenshot(page, 'without-wasm-register');
});
