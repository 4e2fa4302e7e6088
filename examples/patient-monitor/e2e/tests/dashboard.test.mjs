// The dashboard in a real browser against the real server (news2-wasm built).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer } from '../support/server.mjs';
import { launch, signIn, screenshot } from '../support/browser.mjs';

let server;
let admin; // bearer token, for API calls the test makes as "another system"
const browsers = [];

async function browser() {
  const b = await launch();
  browsers.push(b);
  return b;
}

async function patientId(name) {
  const r = await server.api.get(`/api/patients?q=${encodeURIComponent(name)}`, admin);
  assert.equal(r.status, 200, r.text);
  const p = r.body.patients.find((x) => x.name === name);
  assert.ok(p, `demo patient ${name}`);
  return p;
}

const VITALS = { respiration_rate: 18, spo2: 97, on_oxygen: false, systolic_bp: 124, pulse: 72, consciousness: 'A', temperature: 37.1 };

before(async () => {
  server = await startServer();
  admin = await server.api.login('admin');
});

after(async () => {
  for (const b of browsers) await b.close();
  await server?.stop();
});

test('sign in; an invalid CPF is refused in the browser with the precise error, a valid one is registered', async () => {
  const { page, errors } = await browser();
  await signIn(page, server.url, 'nurse');
  await page.waitForFunction(() => document.documentElement.dataset.wasm === 'ready');
  assert.equal(await page.locator('#wasm-banner').isVisible(), false, 'the package is built: no banner');
  assert.equal(await page.locator('#who-name').textContent(), 'nurse');

  const registrations = [];
  page.on('request', (r) => { if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/patients') registrations.push(r.url()); });

  await page.click('a[data-view=register]');
  await page.fill('#reg-name', 'Luiza Mendes');
  const cpf = page.locator('#reg-cpf');
  const error = page.locator('#reg-cpf-error');

  // Each kind of mistake, as it is typed.
  await cpf.pressSequentially('5299822472');
  await page.waitForFunction(() => document.querySelector('#reg-cpf-error').dataset.kind === 'wrong_length');
  assert.match(await error.textContent(), /Wrong length: 10 digits/);
  await cpf.fill('');
  await cpf.pressSequentially('52998224726');
  await page.waitForFunction(() => document.querySelector('#reg-cpf-error').dataset.kind === 'check_digit');
  assert.match(await error.textContent(), /Bad check digit: digit 11 should be 5, not 6/);
  await cpf.fill('');
  await cpf.pressSequentially('111.111.111-11');
  await page.waitForFunction(() => document.querySelector('#reg-cpf-error').dataset.kind === 'repeated_digits');
  assert.match(await error.textContent(), /Repeated digits/);
  assert.equal(await cpf.getAttribute('aria-invalid'), 'true');

  // Submitting an invalid CPF sends nothing.
  await cpf.fill('');
  await cpf.pressSequentially('52998224726');
  await page.click('#register-form button[type=submit]');
  await page.waitForTimeout(500);
  assert.deepEqual(registrations, [], 'no request reaches the server for an invalid CPF');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'reg-cpf', `focus goes back to the CPF, not ${await page.evaluate(() => [document.activeElement.outerHTML.slice(0, 80), document.hasFocus(), location.hash])}`);

  // A valid CPF: the mask is shown, the server accepts it.
  await cpf.fill('');
  await cpf.pressSequentially('39053344705');
  await page.waitForFunction(() => document.querySelector('#reg-cpf-hint').textContent.includes('390.533.447-05'));
  assert.equal(await error.textContent(), '');
  await page.selectOption('#reg-ward', 'ward-a');
  await page.click('#register-form button[type=submit]');
  await page.locator('#register-ok').filter({ hasText: 'Registered Luiza Mendes' }).waitFor({ timeout: 5000 });
  assert.equal(registrations.length, 1);
  const p = await patientId('Luiza Mendes');
  assert.equal(p.cpf, '39053344705');
  assert.equal(p.ward, 'ward-a');

  // The new patient's card appears on the ward grid through the live stream.
  await page.click('a[data-view=ward]');
  await page.locator(`#ward-grid .patient-card[data-patient="${p.id}"]`).waitFor({ timeout: 3000 });

  // A duplicate is refused by the server and its answer is shown.
  await page.click('a[data-view=register]');
  await page.fill('#reg-name', 'Luiza Again');
  await cpf.fill('390.533.447-05');
  await page.click('#register-form button[type=submit]');
  await page.locator('#reg-cpf-error').filter({ hasText: 'already registered' }).waitFor({ timeout: 5000 });
  assert.deepEqual(errors, []);
});

test('calculator: the golden cases typed in give the expected totals and risk labels', async () => {
  const golden = JSON.parse(readFileSync(process.env.NEWS2_GOLDEN ?? new URL('../../../../testdata/news2.json', import.meta.url), 'utf8'));
  const cases = golden.cases.filter((c) => c.expected && !c.partial);
  assert.ok(cases.length > 50, `golden cases: ${cases.length}`);
  const { page, errors } = await browser();
  await signIn(page, server.url, 'senior');
  await page.click('a[data-view=calculator]');
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const ids = { respiration_rate: '#calc-rr', spo2: '#calc-spo2', systolic_bp: '#calc-sbp', pulse: '#calc-pulse', temperature: '#calc-temp', consciousness: '#calc-acvpu' };
  const labels = { low: 'Low', 'low-medium': 'Low–medium', medium: 'Medium', high: 'High' };
  const typed = {}; // what each field holds now: only the fields a case changes are typed again
  for (const c of cases) {
    const i = c.input;
    for (const [k, sel] of Object.entries(ids)) {
      if (typed[k] !== String(i[k])) { await page.fill(sel, String(i[k])); typed[k] = String(i[k]); }
    }
    const scale = String(i.spo2_scale ?? 1), oxygen = String(i.on_oxygen === true);
    if (typed.scale !== scale) { await page.selectOption('#calc-scale', scale); typed.scale = scale; }
    if (typed.oxygen !== oxygen) { await page.selectOption('#calc-oxygen', oxygen); typed.oxygen = oxygen; }
    const got = await page.evaluate(() => ({
      total: document.querySelector('#calc-total')?.textContent,
      risk: document.querySelector('#calc-risk')?.dataset.risk,
      label: document.querySelector('#calc-risk')?.textContent,
      error: document.querySelector('#calc-error')?.textContent,
      parameters: Object.fromEntries([...document.querySelectorAll('#calc-breakdown tr[data-parameter]')].map((tr) => [tr.dataset.parameter, tr.querySelector('td').textContent])),
    }));
    assert.equal(got.error, undefined, `${c.name}: ${got.error}`);
    assert.equal(got.total, String(c.expected.total), `${c.name}: total`);
    assert.equal(got.risk, c.expected.risk, `${c.name}: risk`);
    assert.equal(got.label, `${labels[c.expected.risk]} risk`, `${c.name}: risk label`);
    for (const [param, score] of Object.entries(c.expected.parameters)) {
      assert.equal(got.parameters[param], String(score), `${c.name}: ${param}`);
    }
  }
  // A missing value is never scored as normal, and a bad one names its field.
  await page.fill('#calc-temp', '');
  await page.locator('#calc-total').filter({ hasText: '≥' }).waitFor();
  await page.fill('#calc-temp', '98.6');
  await page.locator('#calc-error[data-kind="looks_like_fahrenheit"]').waitFor();
  assert.deepEqual(requests, [], 'the calculator makes no server call');
  assert.deepEqual(errors, []);
});

test('vitals posted through the API appear in two sessions within 2 s; a user of another ward never sees them', async () => {
  const [nurse, senior, doctor] = await Promise.all([browser(), browser(), browser()]);
  await Promise.all([signIn(nurse.page, server.url, 'nurse'), signIn(senior.page, server.url, 'senior'), signIn(doctor.page, server.url, 'doctor')]);
  const maria = await patientId('Maria da Silva'); // ward-a
  const beatriz = await patientId('Beatriz Costa'); // ward-b
  for (const b of [nurse, senior]) {
    assert.equal(await b.page.locator(`#ward-grid .patient-card[data-patient="${beatriz.id}"]`).count(), 0, 'ward-b is not on a ward-a grid');
  }

  const device = await server.api.login('doctor');
  const posted = Date.now();
  const r = await server.api.post(`/api/patients/${maria.id}/vitals`, device, { ...VITALS, pulse: 133, spo2: 91 });
  assert.equal(r.status, 201, r.text);
  const seen = async (page, id, pulse) => {
    await page.waitForFunction(([id, pulse]) => document.querySelector(`#ward-grid .patient-card[data-patient="${id}"] [data-vital="pulse"] dd`)?.textContent.includes(String(pulse)), [id, pulse], { timeout: 2000 });
    return Date.now() - posted;
  };
  const [t1, t2] = await Promise.all([seen(nurse.page, maria.id, 133), seen(senior.page, maria.id, 133)]);
  assert.ok(t1 < 2000 && t2 < 2000, `seen after ${t1} ms and ${t2} ms`);
  const card = nurse.page.locator(`#ward-grid .patient-card[data-patient="${maria.id}"]`);
  assert.equal(await card.getAttribute('data-status'), 'critical', 'pulse 133 is critical');
  assert.match(await card.locator('[data-vital="pulse"]').textContent(), /critical/, 'status is also said in words');

  // A ward-b patient's vitals reach the doctor (both wards) and never the ward-a users.
  const before = await Promise.all([nurse, senior].map((b) => b.page.evaluate(() => window.__monitor.live.lastId)));
  const r2 = await server.api.post(`/api/patients/${beatriz.id}/vitals`, device, { ...VITALS, pulse: 128 });
  assert.equal(r2.status, 201, r2.text);
  await seen(doctor.page, beatriz.id, 128);
  await new Promise((res) => setTimeout(res, 1500));
  for (const b of [nurse, senior]) {
    const leaked = await b.page.evaluate((id) => ({
      card: !!document.querySelector(`[data-patient="${id}"]`),
      record: window.__monitor.model.records.has(id),
      log: [...document.querySelectorAll('#activity-log li')].some((li) => li.dataset.patient === String(id)),
      text: document.body.innerText.includes('Beatriz'),
    }), beatriz.id);
    assert.deepEqual(leaked, { card: false, record: false, log: false, text: false }, 'nothing of ward-b reaches a ward-a user');
  }
  const after = await Promise.all([nurse, senior].map((b) => b.page.evaluate(() => window.__monitor.live.lastId)));
  assert.deepEqual(after, before, 'no ward-b event was delivered to the ward-a sessions');

  // Presence: the nurse and the senior open Maria's page and see each other.
  await Promise.all([nurse, senior].map((b) => b.page.goto(`${server.url}/#/patient/${maria.id}`)));
  await nurse.page.locator('#presence [data-viewer="senior"]').waitFor({ timeout: 5000 });
  await senior.page.locator('#presence [data-viewer="nurse"]').waitFor({ timeout: 5000 });
  await senior.page.goto(`${server.url}/#/ward`);
  await nurse.page.locator('#presence [data-viewer="senior"]').waitFor({ state: 'detached', timeout: 5000 });
  for (const b of [nurse, senior, doctor]) assert.deepEqual(b.errors, []);
});

test('simulated vitals open an escalation; its countdown runs in step with the server; acknowledge and resolve', async () => {
  const { page, errors } = await browser();
  await signIn(page, server.url, 'nurse');
  const nurseToken = await server.api.login('nurse');
  // Earlier tests may have left escalations open (their alerts were toasted in other pages):
  // wait for one this simulation opens, whose alert this page must toast.
  const openIds = async () => (await server.api.get('/api/escalations?state=open', nurseToken)).body.escalations.map((e) => e.id);
  const before = new Set(await openIds());
  let open = [];
  for (let round = 0; round < 40 && open.length === 0; round++) {
    await page.click('#simulate');
    await page.waitForFunction(() => !document.querySelector('#simulate').disabled);
    open = (await server.api.get('/api/escalations?state=open', nurseToken)).body.escalations
      .filter((e) => e.state === 'notifying' && !before.has(e.id));
  }
  assert.ok(open.length > 0, 'the simulation opened an escalation');
  const esc = open[0];
  await page.click('a[data-view=escalations]');
  const entry = page.locator(`#escalation-list .escalation[data-escalation="${esc.id}"]`);
  await entry.waitFor({ timeout: 3000 });
  await page.locator('#toasts .toast').first().waitFor({ timeout: 3000 });
  assert.ok((await page.locator('#announce-alert').textContent()).length > 0, 'the alert was announced to screen readers');

  // The countdown runs, and its deadline is the server's to the second.
  const countdown = entry.locator('.countdown');
  await page.waitForFunction((id) => document.querySelector(`#escalation-list .countdown[data-escalation="${id}"]`)?.dataset.deadline, esc.id);
  const first = await countdown.textContent();
  await page.waitForTimeout(1300);
  const second = await countdown.textContent();
  assert.notEqual(first, second, `the countdown runs (${first} → ${second})`);
  const view = (await server.api.get(`/api/escalations/${esc.id}`, nurseToken)).body;
  const shown = await countdown.getAttribute('data-deadline');
  if (view.state === 'notifying') {
    assert.ok(Math.abs(Date.parse(shown) - Date.parse(view.step.deadline)) < 1000, `deadline ${shown} vs the server's ${view.step.deadline}`);
  }
  const source = await countdown.getAttribute('data-source');
  const hasEscalationApi = await page.evaluate(() => !!window.__monitor.wasmEscalation);
  assert.equal(source, hasEscalationApi ? 'wasm' : 'server');
  await screenshot(page, 'escalation-panel');

  // Acknowledge: the panel and the patient's card update.
  await entry.locator('button[data-action=acknowledge]').click();
  await page.locator(`#escalation-list .escalation[data-escalation="${esc.id}"][data-state="acknowledged"]`).waitFor({ timeout: 3000 });
  assert.match(await page.locator(`#escalation-list .escalation[data-escalation="${esc.id}"]`).textContent(), /Acknowledged by nurse/);
  await page.click('a[data-view=ward]');
  await page.locator(`#ward-grid .patient-card[data-patient="${esc.patient_id}"] .esc-chip[data-state="acknowledged"]`).waitFor({ timeout: 3000 });
  await screenshot(page, 'ward-grid-1920x1080');
  await page.click('a[data-view=escalations]');
  await screenshot(page, 'escalation-panel-acknowledged');
  await page.locator(`#escalation-list .escalation[data-escalation="${esc.id}"] button[data-action=resolve]`).click();
  await page.locator(`#escalation-list .escalation[data-escalation="${esc.id}"]`).waitFor({ state: 'detached', timeout: 3000 });
  const resolved = (await server.api.get(`/api/escalations/${esc.id}`, nurseToken)).body;
  assert.equal(resolved.state, 'resolved');
  assert.equal(resolved.acknowledged.by, 'nurse');

  // An administrator has no clinical role: the button says so instead of failing.
  assert.deepEqual(errors, []);
});

test('an administrator cannot acknowledge: the button is disabled and says why', async () => {
  const { page } = await browser();
  await signIn(page, server.url, 'admin');
  const token = await server.api.login('admin');
  let open = [];
  for (let round = 0; round < 40 && open.length === 0; round++) {
    await server.api.post('/api/demo/simulate', token);
    open = (await server.api.get('/api/escalations?state=open', token)).body.escalations.filter((e) => e.state === 'notifying');
  }
  assert.ok(open.length > 0);
  await page.click('a[data-view=escalations]');
  const button = page.locator(`#escalation-list .escalation[data-escalation="${open[0].id}"] button[data-action=acknowledge]`);
  await button.waitFor({ timeout: 3000 });
  assert.equal(await button.isDisabled(), true);
  assert.match(await page.locator(`#escalation-list .escalation[data-escalation="${open[0].id}"]`).textContent(), /administrator has no clinical role/);
});

test('after a dropped connection the page catches up from its last event id, with no gap', async () => {
  const { page, errors } = await browser();
  await signIn(page, server.url, 'senior');
  const maria = await patientId('Maria da Silva');
  const device = await server.api.login('doctor');
  const from = await page.evaluate(() => window.__monitor.live.lastId);
  await page.evaluate(() => window.__monitor.live.drop({ hold: true }));
  await page.waitForFunction(() => document.querySelector('#connection').dataset.state !== 'live');
  assert.match(await page.locator('#connection').textContent(), /Reconnecting|Offline/);
  for (const pulse of [101, 102, 103]) {
    const r = await server.api.post(`/api/patients/${maria.id}/vitals`, device, { ...VITALS, pulse });
    assert.equal(r.status, 201);
  }
  await page.waitForTimeout(300);
  assert.doesNotMatch(await page.locator(`#ward-grid .patient-card[data-patient="${maria.id}"] [data-vital="pulse"]`).textContent(), /103/);
  await page.evaluate(() => window.__monitor.live.release());
  await page.waitForFunction(() => document.querySelector('#connection').dataset.state === 'live', null, { timeout: 10_000 });
  await page.waitForFunction((id) => document.querySelector(`#ward-grid .patient-card[data-patient="${id}"] [data-vital="pulse"] dd`)?.textContent.includes('103'), maria.id, { timeout: 5000 });
  const token = await server.api.login('senior');
  const expected = (await server.api.get(`/api/events?after=${from}&limit=1000`, token)).body.events.map((e) => e.id);
  const shown = await page.evaluate((from) => [...document.querySelectorAll('#activity-log li[data-event]')].map((li) => Number(li.dataset.event)).filter((id) => id > from).sort((a, b) => a - b), from);
  assert.deepEqual(shown, expected, 'every event since the drop, once, in order');
  assert.deepEqual(errors, []);
});

test('patient view: NEWS2 breakdown, charts over time and the audit trail; tablet and wall-screen layouts', async () => {
  const { page, errors } = await browser();
  await signIn(page, server.url, 'doctor');
  const maria = await patientId('Maria da Silva');
  await page.goto(`${server.url}/#/patient/${maria.id}`);
  await page.locator('#breakdown').waitFor();
  await page.locator('#charts svg').first().waitFor();
  await page.locator('#patient-audit').waitFor();
  const rows = await page.locator('#breakdown tbody tr').count();
  assert.equal(rows, 7, 'one row per NEWS2 parameter');
  const points = await page.locator('#chart-pulse circle').count();
  assert.ok(points >= 3, `the pulse chart has ${points} points`);
  assert.ok(await page.locator('#chart-news2 svg[role=img]').getAttribute('aria-label'));
  assert.ok(await page.locator('#patient-audit tbody tr').count() > 0, 'the audit trail lists reads and writes of this patient');
  assert.match(await page.locator('#patient-audit').textContent(), /vitals\.create/);
  await screenshot(page, 'patient-view');
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.click('a[data-view=ward]');
  await screenshot(page, 'ward-grid-tablet-1024x768');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.click('a[data-view=audit]');
  await page.locator('#audit-verification[data-ok="true"]').waitFor({ timeout: 5000 });
  assert.deepEqual(errors, []);
});

test('keyboard only: sign in, move between sections, open a patient', async () => {
  const { page } = await browser();
  await page.goto(server.url);
  await page.locator('#login-username').waitFor();
  await page.keyboard.type('nurse');
  await page.keyboard.press('Tab');
  await page.keyboard.type((await import('../support/server.mjs')).PASSWORD);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#connection')?.dataset.state === 'live');
  await page.evaluate(() => window.__monitor.ready);
  // Tab from the top of the page reaches the section links and the first card's link.
  await page.locator('a[data-view=calculator]').focus();
  await page.keyboard.press('Enter');
  await page.locator('#view-calculator').waitFor({ state: 'visible' });
  await page.locator('a[data-view=ward]').focus();
  await page.keyboard.press('Enter');
  let reached = null;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.closest('.patient-card') ? document.activeElement.getAttribute('href') : null);
  }
  assert.ok(reached?.startsWith('#/patient/'), 'a patient card is reachable with Tab');
  await page.keyboard.press('Enter');
  await page.locator('#breakdown').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'patient-title', 'focus moves to the patient heading');
});
