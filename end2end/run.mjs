// Browser tests: real Chromium against the real `omniroute` binary.
//
//   OMNIROUTE_BIN=target/debug/omniroute node end2end/run.mjs
//
// Starts the binary on a free port with a fresh DATA_DIR, runs every test with JavaScript on
// and off, saves a screenshot per page in end2end/artifacts/, stops the server by its PID, and
// prints "N passed, M failed". Exits 1 on any failure.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(process.env.OMNIROUTE_BIN || join(here, '..', 'target', 'debug', 'omniroute'));
const artifacts = join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });
const PASSWORD = 'e2e-password-1';
const NEW_PASSWORD = 'e2e-password-2';

const results = [];
async function test(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`PASS ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
  }
}
function assert(cond, msg) { if (!cond) throw new Error(msg); }

function startServer() {
  const dataDir = mkdtempSync(join(tmpdir(), 'omniroute-e2e-'));
  const child = spawn(bin, ['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir], {
    env: { ...process.env, INITIAL_PASSWORD: PASSWORD, RUST_LOG: 'info', NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const ready = new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in 30 s:\n' + log)), 30000);
    child.stderr.on('data', (chunk) => {
      log += chunk.toString();
      const m = log.match(/listening on (http:\/\/[0-9.]+:\d+)/);
      if (m) { clearTimeout(timer); resolveUrl(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${log}`)); });
  });
  return { child, dataDir, ready, log: () => log };
}

const server = startServer();
let base;
try {
  base = await server.ready;
} catch (e) {
  console.log('FAIL start server: ' + e.message);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
console.log(`server at ${base} (pid ${server.child.pid})`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// Every page is watched for errors: uncaught exceptions, console errors, 4xx/5xx responses.
function watch(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push('pageerror: ' + e));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push('console: ' + m.text());
  });
  page.on('response', (r) => {
    const expected = r.url().endsWith('/favicon.ico') || r.url().includes('/api/auth/login') || r.url().includes('/api/sf/change_password');
    if (r.status() >= 400 && !expected) problems.push(`${r.status()} ${r.url()}`);
  });
  return problems;
}

async function login(page, password) {
  await page.goto(base + '/login');
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('#login-submit')]);
}

// Clicking before hydration does nothing, so the click is retried until the button reacts.
const waitHydrated = (page) => waitHydratedTo(page, 'dark');

try {
  // ---------------------------------------------------------------- JavaScript enabled
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  const problems = watch(page);

  await test('an unauthenticated visit is sent to the login page', async () => {
    const resp = await page.goto(base + '/dashboard/health');
    assert(resp.status() === 200, 'status ' + resp.status());
    assert(new URL(page.url()).pathname === '/login', 'at ' + page.url());
    assert(await page.locator('#password').isVisible(), 'password field visible');
    await page.screenshot({ path: join(artifacts, 'login.png') });
  });

  await test('a wrong password shows an error', async () => {
    await login(page, 'not-the-password');
    assert(new URL(page.url()).pathname === '/login', 'still on login: ' + page.url());
    const text = await page.locator('#login-error').textContent();
    assert(/wrong password/i.test(text), 'error text: ' + text);
    await page.screenshot({ path: join(artifacts, 'login-error.png') });
  });

  await test('the right password opens the dashboard with the System Status card', async () => {
    await login(page, PASSWORD);
    assert(new URL(page.url()).pathname === '/dashboard/health', 'at ' + page.url());
    const card = page.locator('#system-status');
    await card.waitFor();
    const version = await card.locator('[data-field="version"]').textContent();
    assert(/^\d+\.\d+\.\d+/.test(version.trim()), 'version: ' + version);
    const dataDir = await card.locator('[data-field="data-dir"]').textContent();
    assert(dataDir.includes('omniroute-e2e-'), 'data dir: ' + dataDir);
    const db = await card.locator('[data-field="db-size"]').textContent();
    assert(/KiB|MiB|B$/.test(db.trim()), 'db size: ' + db);
  });

  await test('the page hydrates and the System Status card refreshes without a reload', async () => {
    const wasm = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.wasm')).length);
    assert(wasm >= 1, 'the wasm bundle was fetched');
    await waitHydrated(page);
    await page.evaluate(() => { window.__noReload = true; });
    const updated = page.locator('#system-status [data-field="updated"]');
    const before = await updated.textContent();
    await page.waitForFunction(
      (b) => document.querySelector('#system-status [data-field="updated"]').textContent !== b,
      before, { timeout: 25000 });
    assert(await page.evaluate(() => window.__noReload === true), 'no reload happened');
    await page.screenshot({ path: join(artifacts, 'health-dark.png') });
  });

  await test('the theme choice applies and survives a reload', async () => {
    assert(await page.evaluate(() => document.documentElement.dataset.theme) === 'dark', 'dark applied');
    await page.reload();
    assert(await page.evaluate(() => document.documentElement.dataset.theme) === 'dark', 'dark after reload');
    await waitHydratedTo(page, 'light');
    assert(await page.evaluate(() => document.documentElement.dataset.theme) === 'light', 'light applied');
    await page.screenshot({ path: join(artifacts, 'health.png') });
  });

  await test('the password can be changed in Settings', async () => {
    await page.click('a.nav-link[href="/dashboard/settings"]');
    await page.waitForURL('**/dashboard/settings');
    await page.fill('#current_password', 'wrong-current');
    await page.fill('#new_password', NEW_PASSWORD);
    await page.fill('#confirm_password', NEW_PASSWORD);
    await page.click('#password-submit');
    await page.waitForSelector('#password-result');
    const wrong = await page.locator('#password-result').textContent();
    assert(/current password is wrong/i.test(wrong), 'wrong current refused: ' + wrong);
    await page.fill('#current_password', PASSWORD);
    await page.click('#password-submit');
    await page.waitForFunction(() => /changed/i.test(document.querySelector('#password-result').textContent), null, { timeout: 10000 });
    await page.screenshot({ path: join(artifacts, 'settings.png') });
  });

  await test('logging out ends the session; the new password works', async () => {
    await Promise.all([page.waitForNavigation(), page.click('#logout')]);
    assert(new URL(page.url()).pathname === '/login', 'at ' + page.url());
    const resp = await page.goto(base + '/dashboard/settings');
    assert(new URL(page.url()).pathname === '/login', 'logged out: ' + page.url() + ' ' + resp.status());
    await login(page, PASSWORD);
    assert(new URL(page.url()).pathname === '/login', 'old password refused');
    await login(page, NEW_PASSWORD);
    assert(new URL(page.url()).pathname === '/dashboard/health', 'new password accepted: ' + page.url());
  });

  await test('no page errors, console errors or failed requests', async () => {
    assert(problems.length === 0, problems.join('\n'));
  });
  await ctx.close();

  // ---------------------------------------------------------------- JavaScript disabled
  const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
  const p2 = await noJs.newPage();
  await test('without JavaScript the login page renders and a wrong password shows an error', async () => {
    await p2.goto(base + '/login');
    assert(await p2.locator('#password').isVisible(), 'form rendered');
    await login(p2, 'nope-nope-nope');
    const text = await p2.locator('#login-error').textContent();
    assert(/wrong password/i.test(text), 'error: ' + text);
  });
  await test('without JavaScript logging in works and the health page is server-rendered', async () => {
    await p2.goto(base + '/login?next=%2Fdashboard%2Fhealth');
    await p2.fill('#password', NEW_PASSWORD);
    await Promise.all([p2.waitForNavigation(), p2.click('#login-submit')]);
    assert(new URL(p2.url()).pathname === '/dashboard/health', 'at ' + p2.url());
    const version = await p2.locator('#system-status [data-field="version"]').textContent();
    assert(/^\d+\.\d+\.\d+/.test(version.trim()), 'version rendered by the server: ' + version);
    await p2.screenshot({ path: join(artifacts, 'health-nojs.png') });
  });
  await noJs.close();
} finally {
  await browser.close();
  server.child.kill('SIGTERM');
  rmSync(server.dataDir, { recursive: true, force: true });
}

async function waitHydratedTo(page, choice) {
  const btn = page.locator(`button[data-theme-choice="${choice}"]`);
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    await btn.click();
    if ((await btn.getAttribute('aria-pressed')) === 'true') return;
    await page.waitForTimeout(150);
  }
  throw new Error(`theme button ${choice} did not react`);
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
