// The real server binary on an ephemeral loopback port with a fresh database.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PASSWORD = 'e2e-demo-password-1';

/**
 * Starts the server. Options: `env` (extra environment), `args` (extra flags).
 * Resolves to `{url, stop(), api}` once it answers /readyz.
 */
export async function startServer({ env = {}, args = [] } = {}) {
  const bin = process.env.PATIENT_MONITOR_BIN;
  if (!bin) throw new Error('PATIENT_MONITOR_BIN is not set: run the tests through scripts/e2e.sh');
  const dir = mkdtempSync(join(tmpdir(), 'pm-e2e-'));
  const child = spawn(bin, ['--addr', '127.0.0.1:0', '--db', join(dir, 'e2e.db'), ...args], {
    env: {
      ...process.env,
      PATIENT_MONITOR_DEMO_PASSWORD: PASSWORD,
      RUST_LOG: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start in 60 s:\n${out}\n${log}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the server exited (${code}) before listening:\n${out}\n${log}`)); });
  });
  for (let i = 0; i < 100; i++) {
    const r = await fetch(`${url}/readyz`).catch(() => null);
    if (r?.ok) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((res) => { child.once('exit', res); setTimeout(res, 5000); });
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, stop, api: apiClient(url), log: () => log };
}

/** A bearer-token client of the JSON API (what another system or a device would do). */
export function apiClient(url) {
  const call = async (method, path, token, body) => {
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: r.status, body: json, text, headers: r.headers };
  };
  return {
    call,
    async login(username) {
      const r = await call('POST', '/api/session', null, { username, password: PASSWORD });
      if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
      return r.body.token;
    },
    get: (path, token) => call('GET', path, token),
    post: (path, token, body) => call('POST', path, token, body ?? {}),
  };
}
