// Debian's Chromium, headless, through playwright-core (which never downloads a browser).
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PASSWORD } from './server.mjs';

export const ARTIFACTS = process.env.E2E_ARTIFACTS ?? join(process.cwd(), '..', '..', '..', 'target', 'e2e-artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** One browser with a fresh profile directory. `close()` removes the profile. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'pm-chromium-'));
  // A persistent context is the only way to give Chromium our own --user-data-dir; each
  // "session" in a test is a separate browser, so sessions never share cookies.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: FLAGS.filter((f) => f !== '--headless'),
    viewport: { width: 1920, height: 1080 },
    timeout: 60_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Refused requests (a 409 the page shows the user, say) are logged by Chromium as errors;
  // they are part of the tests. Anything else logged as an error fails the test.
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()); });
  return {
    context, page, errors,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in through the form and waits for the ward and the live connection. */
export async function signIn(page, url, username) {
  await page.goto(url);
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(PASSWORD);
  await page.locator('#login-form button[type=submit]').click();
  await page.locator('#app').waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.querySelector('#connection')?.dataset.state === 'live', null, { timeout: 15_000 });
  await page.waitForFunction(() => window.__monitor?.ready, null, { timeout: 15_000 });
  await page.evaluate(() => window.__monitor.ready);
}

export async function screenshot(page, name) {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
