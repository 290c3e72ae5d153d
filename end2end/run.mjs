// Browser tests: real Chromium against the real `omniroute` binary.
//
//   OMNIROUTE_BIN=target/debug/omniroute node end2end/run.mjs
//
// Starts the binary on a free port with a fresh DATA_DIR, and the mock upstream
// (`mock-upstream --port 0`, next to the binary or MOCK_UPSTREAM_BIN) as the provider the
// Providers page connects to; runs every test with JavaScript on and off, saves a screenshot
// per page in end2end/artifacts/, stops both by their PIDs, and prints "N passed, M failed".
// Exits 1 on any failure.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { usagePagesTests, usagePagesNoJsTests } from './usage_pages.mjs';
import { mcpPageTests, mcpPageNoJsTests } from './mcp_page.mjs';
import { homeSettingsTests, homeSettingsNoJsTests } from './home_settings.mjs';
import { healthCardsTests, healthCardsNoJsTests } from './health_cards.mjs';
import { combosPageTests, combosPageNoJsTests } from './combos_page.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(process.env.OMNIROUTE_BIN || join(here, '..', 'target', 'debug', 'omniroute'));
const artifacts = join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });
const mockBin = resolve(process.env.MOCK_UPSTREAM_BIN || join(dirname(bin), 'mock-upstream'));
const PASSWORD = 'e2e-password-1';
const PROVIDER_KEY = 'sk-e2e-0123456789abcdefWXYZ';
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

// A full-page screenshot taken with a viewport as tall as the page, so the sticky sidebar
// spans the whole image as it spans the whole window.
async function shot(page, name) {
  const size = page.viewportSize();
  const height = await page.evaluate(() => Math.max(document.documentElement.scrollHeight, 800));
  await page.setViewportSize({ width: size.width, height });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(artifacts, name) });
  await page.setViewportSize(size);
}

// The home directory CLI Tools → Apply writes under (OMNIROUTE_CLI_HOME), with a Claude Code
// settings file holding a setting of the user's own.
const cliHome = mkdtempSync(join(tmpdir(), 'omniroute-e2e-home-'));
const CLAUDE_SETTINGS = join(cliHome, '.claude', 'settings.json');
const CLAUDE_BEFORE = '{\n  "includeCoAuthoredBy": false,\n  "env": {\n    "DISABLE_TELEMETRY": "1"\n  }\n}\n';
mkdirSync(join(cliHome, '.claude'));
writeFileSync(CLAUDE_SETTINGS, CLAUDE_BEFORE);

function startServer() {
  const dataDir = mkdtempSync(join(tmpdir(), 'omniroute-e2e-'));
  const child = spawn(bin, ['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir], {
    env: { ...process.env, INITIAL_PASSWORD: PASSWORD, RUST_LOG: 'info', NO_COLOR: '1', OMNIROUTE_CLI_HOME: cliHome },
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

// The mock provider: a real HTTP server speaking the OpenAI wire format (among others).
function startMock() {
  const child = spawn(mockBin, ['--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const ready = new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error('mock upstream did not start in 15 s:\n' + log)), 15000);
    child.stderr.on('data', (chunk) => {
      log += chunk.toString();
      const m = log.match(/listening on (http:\/\/[0-9.]+:\d+)/);
      if (m) { clearTimeout(timer); resolveUrl(m[1]); }
    });
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`mock upstream exited (${code}):\n${log}`)); });
  });
  return { child, ready };
}

const server = startServer();
const mock = startMock();
let base;
let mockUrl;
try {
  base = await server.ready;
  mockUrl = await mock.ready;
} catch (e) {
  console.log('FAIL start server and mock upstream: ' + e.message);
  console.log('0 passed, 1 failed');
  if (server.child.pid) process.kill(server.child.pid, 'SIGTERM');
  if (mock.child.pid) process.kill(mock.child.pid, 'SIGTERM');
  process.exit(1);
}
console.log(`server at ${base} (pid ${server.child.pid}); mock upstream at ${mockUrl} (pid ${mock.child.pid})`);

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
    // Refusals the tests provoke on purpose answer 4xx/5xx.
    const expected = r.url().endsWith('/favicon.ico') || r.url().includes('/api/auth/login')
      || r.url().includes('/api/sf/change_password') || r.url().includes('/api/sf/translate')
      || r.url().includes('/api/sf/add_node')
      // Settings tabs: a refused value is shown inline (the e2e provokes one)
      || r.url().includes('/api/sf/save_ip_access')
      || r.url().includes('/api/sf/save_json_settings')
      // the API Manager tests prove a disabled or revoked key is refused
      || (r.status() === 401 && r.url().includes('/v1/models'));
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
    assert(new URL(page.url()).pathname === '/dashboard', 'lands on Home: ' + page.url());
    await page.locator('#getting-started').waitFor();
    const todo = await page.locator('#getting-started [data-done="false"]').count();
    assert(todo === 3, 'a fresh server has three getting-started steps to do: ' + todo);
    await shot(page, 'home-fresh.png');
    await page.goto(base + '/dashboard/health');
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
    await page.click('a.tab[data-tab="security"]');
    await page.waitForURL('**/dashboard/settings?tab=security');
    await page.locator('#password-form').waitFor();
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

  await test('Settings → Routing: the account strategy is saved and applied', async () => {
    await page.goto(base + '/dashboard/settings?tab=routing');
    await page.locator('#routing-form').waitFor();
    await waitHydrated(page);
    await page.selectOption('#account_strategy', 'round-robin');
    await page.fill('#sticky_limit', '2');
    await page.click('#routing-submit');
    await page.waitForFunction(() => /Saved: round-robin/.test(document.querySelector('#routing-result')?.textContent || ''), null, { timeout: 10000 });
    const api = await page.evaluate(async () => (await fetch('/api/settings/routing')).json());
    assert(api.accountStrategy === 'round-robin' && api.stickyLimit === 2, 'the server applied it: ' + JSON.stringify(api));
    await page.reload();
    assert(await page.inputValue('#account_strategy') === 'round-robin', 'shown after a reload');
    await shot(page, 'settings-routing.png');
    const back = await page.evaluate(async () => (await fetch('/api/settings/routing', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountStrategy: 'fill-first', stickyLimit: 3 }) })).status);
    assert(back === 200, 'reset to fill-first');
    await waitHydratedTo(page, 'light');
  });

  await test('logging out ends the session; the new password works', async () => {
    await Promise.all([page.waitForNavigation(), page.click('#logout')]);
    assert(new URL(page.url()).pathname === '/login', 'at ' + page.url());
    const resp = await page.goto(base + '/dashboard/settings');
    assert(new URL(page.url()).pathname === '/login', 'logged out: ' + page.url() + ' ' + resp.status());
    await login(page, PASSWORD);
    assert(new URL(page.url()).pathname === '/login', 'old password refused');
    await login(page, NEW_PASSWORD);
    assert(new URL(page.url()).pathname === '/dashboard', 'new password accepted: ' + page.url());
  });

  // ------------------------------------------------------------ Providers
  const card = () => page.locator('article.conn-card[data-connection="e2e mock"]');

  await test('Providers: the empty state explains what to do', async () => {
    await page.click('a.nav-link[href="/dashboard/providers"]');
    await page.waitForURL('**/dashboard/providers');
    const empty = page.locator('#providers-empty');
    await empty.waitFor();
    const text = await empty.textContent();
    assert(/No provider connections yet/.test(text) && /API key/.test(text), 'empty state: ' + text);
    assert(await page.locator('#conn-provider option[value="openai"]').count() === 1, 'openai offered');
    await shot(page, 'providers-empty.png');
  });

  await test('Providers: a connection to the mock upstream is added and listed with a masked key', async () => {
    await page.selectOption('#conn-provider', 'openai');
    await page.fill('#conn-name', 'e2e mock');
    await page.fill('#conn-key', PROVIDER_KEY);
    await page.fill('#conn-base-url', mockUrl + '/v1');
    await page.click('#add-connection-submit');
    await card().waitFor();
    const key = (await card().locator('[data-field="key"]').textContent()).trim();
    assert(key.includes('…') && key.endsWith(PROVIDER_KEY.slice(-4)) && !key.includes(PROVIDER_KEY.slice(3, 12)), 'masked key: ' + key);
    assert(!(await page.content()).includes(PROVIDER_KEY), 'the full key appears nowhere in the page');
    const url = await card().locator('[data-field="base-url"]').textContent();
    assert(url.includes(mockUrl + '/v1'), 'base URL: ' + url);
    assert((await card().locator('[data-field="state"]').textContent()).trim() === 'Enabled', 'enabled');
    assert(/Never tested/.test(await card().locator('[data-field="last-test"]').textContent()), 'not tested yet');
    await page.waitForFunction(() => document.querySelector('#conn-key').value === '', null, { timeout: 10000 });
  });

  await test('Providers: testing the connection reaches the mock (ok, status, latency)', async () => {
    await card().locator('[data-action="test"]').click();
    const result = card().locator('[data-field="test-result"]');
    await result.waitFor({ timeout: 20000 });
    const text = await result.textContent();
    assert(await result.getAttribute('data-ok') === 'true', 'test ok: ' + text);
    assert(/HTTP 200/.test(text) && /\d+ ms/.test(text), 'status and latency: ' + text);
    await page.waitForFunction(() => /Passed/.test(document.querySelector('article.conn-card [data-field="last-test"]').textContent));
  });

  await test("Providers: the connection's upstream models are listed", async () => {
    await card().locator('[data-action="models"]').click();
    const models = card().locator('[data-field="models"]');
    await models.waitFor({ timeout: 20000 });
    const text = await models.textContent();
    assert(text.includes('mock-chat'), 'models: ' + text);
    await shot(page, 'providers.png');
    await waitHydratedTo(page, 'dark');
    await shot(page, 'providers-dark.png');
    await waitHydratedTo(page, 'light');
  });

  await test('Providers: a connection can be disabled and enabled again', async () => {
    await card().locator('[data-action="toggle"]').click();
    await page.waitForFunction(() => document.querySelector('article.conn-card [data-field="state"]').textContent.trim() === 'Disabled');
    assert(/disabled/i.test(await page.locator('#providers-notice').textContent()), 'notice says disabled');
    assert((await card().locator('[data-action="toggle"]').textContent()).trim() === 'Enable', 'button offers Enable');
    await card().locator('[data-action="toggle"]').click();
    await page.waitForFunction(() => document.querySelector('article.conn-card [data-field="state"]').textContent.trim() === 'Enabled');
  });

  await test('Providers: a custom node can be added and deleted', async () => {
    await page.fill('#node-name', 'E2E lab');
    await page.fill('#node-prefix', 'e2elab');
    await page.fill('#node-base-url', mockUrl + '/v1');
    await page.click('#add-node-submit');
    const row = page.locator('tr[data-node="e2elab"]');
    await row.waitFor();
    assert(/openai-compatible/.test(await row.textContent()), 'row: ' + await row.textContent());
    await page.waitForFunction(() => !!document.querySelector('#conn-provider option[value="openai-compatible-e2elab"]'));
    await page.fill('#node-prefix', 'openai');
    await page.fill('#node-base-url', mockUrl + '/v1');
    await page.click('#add-node-submit');
    await page.waitForFunction(() => /already used/.test(document.querySelector('#add-node-result')?.textContent || ''));
    await row.locator('button', { hasText: 'Delete' }).click();
    await row.locator('button', { hasText: 'Delete node' }).click();
    await row.waitFor({ state: 'detached' });
  });

  await test('Providers: deleting asks for confirmation, then removes the connection', async () => {
    await card().locator('[data-action="delete"]').click();
    const confirm = card().locator('.confirm-box');
    await confirm.waitFor();
    await card().locator('[data-action="cancel-delete"]').click();
    await confirm.waitFor({ state: 'detached' });
    assert(await card().count() === 1, 'cancel keeps it');
    await card().locator('[data-action="delete"]').click();
    await card().locator('[data-action="confirm-delete"]').click();
    await card().waitFor({ state: 'detached' });
    await page.locator('#providers-empty').waitFor();
    assert(/deleted/.test(await page.locator('#providers-notice').textContent()), 'notice says deleted');
  });

  // ------------------------------------------------------------ Translator
  await test('Translator: the OpenAI example translates to Anthropic', async () => {
    await page.click('a.nav-link[href="/dashboard/translator"]');
    await page.waitForURL('**/dashboard/translator');
    await page.selectOption('#tr-source', 'openai_chat');
    await page.selectOption('#tr-target', 'anthropic');
    await page.click('#tr-example');
    const input = await page.inputValue('#tr-input');
    assert(input.includes('"messages"') && input.includes('"gpt-4o"'), 'example loaded: ' + input.slice(0, 80));
    await page.click('#tr-submit');
    const out = page.locator('#tr-output');
    await out.waitFor();
    const text = await out.textContent();
    assert(text.includes('"max_tokens"') && text.includes('"messages"'), 'output: ' + text);
    assert(text.includes('"input_schema"'), 'the tool became an Anthropic tool: ' + text);
    JSON.parse(text);
    await shot(page, 'translator.png');
  });

  await test('Translator: bad JSON shows an error naming the problem', async () => {
    await page.fill('#tr-input', '{"model": "gpt-4o", "messages": [');
    await page.click('#tr-submit');
    const error = page.locator('#tr-error');
    await error.waitFor();
    assert(/invalid JSON/i.test(await error.textContent()), 'error: ' + await error.textContent());
    await page.fill('#tr-input', '{"model": "gpt-4o", "messages": [{"role": "user", "content": 5}]}');
    await page.click('#tr-submit');
    await page.waitForFunction(() => /messages\[0\]/.test(document.querySelector('#tr-error')?.textContent || ''));
    await shot(page, 'translator-error.png');
  });

  await test('Translator: a provider stream comes back in the client format', async () => {
    await page.click('button[data-mode="stream"]');
    await page.click('#tr-example');
    assert((await page.inputValue('#tr-input')).includes('event: message_start'), 'Anthropic stream example');
    await page.click('#tr-submit');
    const out = page.locator('#tr-output');
    await out.waitFor();
    const text = await out.textContent();
    assert(text.includes('chat.completion.chunk') && text.includes('data: [DONE]'), 'OpenAI SSE: ' + text.slice(0, 200));
    await page.click('button[data-mode="response"]');
    await page.click('#tr-example');
    await page.click('#tr-submit');
    await page.waitForFunction(() => /"chat\.completion"/.test(document.querySelector('#tr-output')?.textContent || ''));
    await waitHydratedTo(page, 'dark');
    await shot(page, 'translator-dark.png');
    await waitHydratedTo(page, 'light');
  });

  await test('Translator: the Chat Tester sends an Anthropic request through the gateway to an OpenAI provider', async () => {
    // A connection to the mock, made over the management API with the page's own session.
    const made = await page.evaluate(async (base) => {
      const r = await fetch('/api/providers', { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ provider: 'openai', apiKey: 'sk-e2e-chat-tester', name: 'chat tester', baseUrl: base }) });
      return { status: r.status, id: (await r.json()).connection?.id };
    }, mockUrl + '/v1');
    assert(made.status === 201, 'connection created: ' + made.status);
    await page.selectOption('#ct-format', 'anthropic');
    await page.fill('#ct-model', 'openai/gpt-e2e');
    await page.click('#ct-example');
    assert((await page.inputValue('#ct-input')).includes('"messages"'), 'Anthropic example loaded');
    await page.click('#ct-submit');
    await page.locator('#ct-result').waitFor({ timeout: 20000 });
    assert((await page.locator('#ct-status').textContent()).includes('HTTP 200'), 'status 200');
    const translated = await page.locator('#ct-translated-1').textContent();
    assert(translated.includes('"gpt-e2e"') && translated.includes('"messages"'), 'OpenAI request to the provider: ' + translated.slice(0, 300));
    const upstream = await page.locator('#ct-upstream-1').textContent();
    assert(upstream.includes('chat.completion'), 'the provider answered in OpenAI format: ' + upstream.slice(0, 200));
    const client = await page.locator('#ct-client-response').textContent();
    assert(client.includes('"type": "message"') && client.includes('mock:'), 'the client got an Anthropic message: ' + client.slice(0, 300));
    await page.locator('#chat-tester-title').scrollIntoViewIfNeeded();
    await shot(page, 'chat-tester.png');
    // leave no connection behind: later tests start from the empty state
    const removed = await page.evaluate(async (id) => (await fetch('/api/providers/' + id, { method: 'DELETE' })).status, made.id);
    assert(removed === 200, 'connection removed: ' + removed);
  });

  // ------------------------------------------------------------ API Manager
  const keyCard = () => page.locator('article.key-card[data-key="e2e key"]');
  const keyState = () => keyCard().locator('[data-field="state"]').textContent().then((t) => t.trim());
  const v1Status = (key) => page.evaluate(async (key) =>
    (await fetch('/v1/models', { headers: { authorization: 'Bearer ' + key } })).status, key);
  let apiKey = '';
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const clipboard = () => page.evaluate(() => navigator.clipboard.readText());

  await test('API Manager: a key is created, shown once with a copy box, then listed by its prefix only', async () => {
    await page.click('a.nav-link[href="/dashboard/api-manager"]');
    await page.waitForURL('**/dashboard/api-manager');
    await page.locator('#keys-empty').waitFor();
    await page.locator('#scope-chat').waitFor();
    assert(await page.locator('#scope-chat').isChecked(), 'chat is checked by default');
    assert(!(await page.locator('#scope-manage').isChecked()), 'manage is not');
    await shot(page, 'api-manager-empty.png');
    await page.fill('#key-name', 'e2e key');
    await page.fill('#key-models', 'openai/*');
    await page.fill('#key-expiry', '30');
    await page.click('#create-key-submit');
    await page.locator('#new-key').waitFor();
    apiKey = (await page.locator('#new-key').textContent()).trim();
    assert(/^sk-or-[0-9A-Za-z]{40}$/.test(apiKey), 'full key shown: ' + apiKey);
    assert(/you will not see it again/i.test(await page.locator('#new-key-box').textContent()), 'shown-once note');
    await page.click('#new-key-copy');
    await page.waitForFunction(() => document.querySelector('#new-key-copy').dataset.copyState === 'copied');
    assert(/Copied/.test(await page.locator('#new-key-copy').textContent()), 'Copied feedback');
    assert(await clipboard() === apiKey, 'the clipboard holds the key');
    await keyCard().waitFor();
    const prefix = (await keyCard().locator('[data-field="prefix"]').textContent()).trim();
    assert(prefix.includes('…') && apiKey.startsWith(prefix.split('…')[0]) && apiKey.endsWith(prefix.split('…')[1]), 'prefix: ' + prefix);
    assert(await keyCard().locator('[data-scope="chat"]').count() === 1, 'chat scope badge');
    assert((await keyCard().locator('[data-field="models"]').textContent()).includes('openai/*'), 'allowed models');
    assert(!/Never/.test(await keyCard().locator('[data-field="expires"]').textContent()), 'an expiry date');
    assert(await keyState() === 'Enabled', 'enabled');
    await shot(page, 'api-manager-new-key.png');
    await page.click('#new-key-done');
    await page.locator('#new-key-box').waitFor({ state: 'detached' });
    assert(!(await page.content()).includes(apiKey), 'the full key appears nowhere any more');
    assert(await v1Status(apiKey) === 200, 'the key opens /v1/models');
    assert(await v1Status(apiKey.slice(0, -1) + (apiKey.endsWith('A') ? 'B' : 'A')) === 401, 'a wrong key is refused');
  });

  await test('API Manager: a key can be disabled and enabled again', async () => {
    await keyCard().locator('[data-action="toggle"]').click();
    await page.waitForFunction(() => document.querySelector('article.key-card [data-field="state"]').textContent.trim() === 'Disabled');
    assert(/disabled/i.test(await page.locator('#keys-notice').textContent()), 'notice');
    assert(await v1Status(apiKey) === 401, 'a disabled key is refused');
    await keyCard().locator('[data-action="toggle"]').click();
    await page.waitForFunction(() => document.querySelector('article.key-card [data-field="state"]').textContent.trim() === 'Enabled');
    assert(await v1Status(apiKey) === 200, 'enabled again');
  });

  await test('API Manager: regenerating shows a new key once; the old one stops working', async () => {
    const old = apiKey;
    await keyCard().locator('[data-action="regenerate"]').click();
    await keyCard().locator('[data-action="confirm"]').click();
    await page.locator('#new-key').waitFor();
    apiKey = (await page.locator('#new-key').textContent()).trim();
    assert(apiKey !== old && apiKey.startsWith('sk-or-'), 'a new key');
    assert(await v1Status(old) === 401, 'the old key is refused');
    assert(await v1Status(apiKey) === 200, 'the new key works');
    await page.click('#new-key-done');
    await shot(page, 'api-manager.png');
    await waitHydratedTo(page, 'dark');
    await shot(page, 'api-manager-dark.png');
    await waitHydratedTo(page, 'light');
  });

  // ------------------------------------------------------------ Endpoints
  await test("Endpoints: the URLs are this server's, they work, and Copy puts them on the clipboard", async () => {
    await page.click('a.nav-link[href="/dashboard/endpoints"]');
    await page.waitForURL('**/dashboard/endpoints');
    await page.locator('#endpoint-list').waitFor();
    const url = (id) => page.locator(`[data-endpoint="${id}"] [data-field="url"]`).textContent().then((t) => t.trim());
    assert(await url('openai') === base + '/v1', 'OpenAI: ' + await url('openai'));
    assert(await url('anthropic') === base, 'Claude root: ' + await url('anthropic'));
    assert(await url('gemini') === base + '/v1beta', 'Gemini');
    assert(await url('responses') === base + '/responses', 'Responses root');
    assert(!(await page.content()).includes('/api/mcp'), 'no endpoint that does not work yet');
    const models = await page.evaluate(async ([u, key]) =>
      (await fetch(u + '/models', { headers: { authorization: 'Bearer ' + key } })).status, [await url('openai'), apiKey]);
    assert(models === 200, 'the /v1 URL answers: ' + models);
    assert(/No key needed/.test(await page.locator('#key-required').textContent()), 'no key needed on loopback');
    assert(/127\.0\.0\.1/.test(await page.locator('#key-policy').textContent()), 'policy names the listen address');
    assert(await page.locator('#endpoint-keys li[data-key="e2e key"]').count() === 1, 'the key is listed');
    assert(!(await page.content()).includes(apiKey), 'by its prefix only');
    const copy = page.locator('[data-endpoint="openai"] .copy-btn');
    await copy.click();
    await page.waitForFunction(() => document.querySelector('[data-endpoint="openai"] .copy-btn').dataset.copyState === 'copied');
    assert(/Copied/.test(await copy.textContent()), 'Copied feedback');
    assert(await clipboard() === base + '/v1', 'clipboard: ' + await clipboard());
    await shot(page, 'endpoints.png');
    await waitHydratedTo(page, 'dark');
    await shot(page, 'endpoints-dark.png');
    await waitHydratedTo(page, 'light');
  });

  // ------------------------------------------------------------ CLI Tools
  await test('CLI Tools: snippets carry the server root, the pasted key and a served model', async () => {
    const made = await page.evaluate(async (u) => {
      const r = await fetch('/api/providers', { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ provider: 'openai', apiKey: 'sk-e2e-cli-tools', name: 'cli tools', baseUrl: u }) });
      return { status: r.status, id: (await r.json()).connection?.id };
    }, mockUrl + '/v1');
    assert(made.status === 201, 'connection created: ' + made.status);
    try {
      await page.click('a.nav-link[href="/dashboard/cli-tools"]');
      await page.waitForURL('**/dashboard/cli-tools');
      await page.locator('#snippet-claude').waitFor();
      let claude = JSON.parse(await page.locator('#snippet-claude').textContent());
      assert(claude.env.ANTHROPIC_BASE_URL === base, 'ANTHROPIC_BASE_URL is the root, no /v1: ' + claude.env.ANTHROPIC_BASE_URL);
      assert(claude.env.ANTHROPIC_AUTH_TOKEN === '<your key>', 'placeholder until a key is pasted');
      const models = await page.locator('#cli-model option').allTextContents();
      assert(models.length > 0 && models.every((m) => m.startsWith('openai/')), 'models of the connection: ' + models.slice(0, 3));
      await page.selectOption('#cli-key-select', { label: await page.locator('#cli-key-select option', { hasText: 'e2e key' }).textContent() });
      assert(/Paste the full key of “e2e key”/.test(await page.locator('#cli-key-hint').textContent()), 'hashed key: asks for the full key');
      await page.fill('#cli-key', apiKey);
      await page.selectOption('#cli-model', models[models.length - 1]);
      claude = JSON.parse(await page.locator('#snippet-claude').textContent());
      assert(claude.env.ANTHROPIC_AUTH_TOKEN === apiKey && claude.model === models[models.length - 1], 'key and model filled in');
      const codex = await page.locator('#snippet-codex').textContent();
      assert(codex.includes('wire_api = "responses"') && codex.includes(`base_url = "${base}/v1"`), 'codex: ' + codex);
      assert((await page.locator('#snippet-codex-alt').textContent()).includes(`OPENAI_BASE_URL="${base}"`), 'codex env alternative');
      assert((await page.locator('#snippet-cursor').textContent()).includes(`${base}/v1`), 'cursor');
      const openclaw = JSON.parse(await page.locator('#snippet-openclaw').textContent());
      assert(openclaw.models.providers.omniroute.baseUrl === base + '/v1', 'openclaw');
      const copy = page.locator('[data-tool="claude"] .copy-btn');
      await copy.click();
      await page.waitForFunction(() => document.querySelector('[data-tool="claude"] .copy-btn').dataset.copyState === 'copied');
      assert(JSON.parse(await clipboard()).env.ANTHROPIC_AUTH_TOKEN === apiKey, 'the snippet is copied');
      await shot(page, 'cli-tools.png');
      await waitHydratedTo(page, 'dark');
      await shot(page, 'cli-tools-dark.png');
      await waitHydratedTo(page, 'light');
    } finally {
      await page.evaluate(async (id) => fetch('/api/providers/' + id, { method: 'DELETE' }), made.id);
    }
  });

  await test('CLI Tools: Apply for Claude Code shows the diff, writes the file, keeps the other settings and a backup', async () => {
    const panel = page.locator('[data-tool="claude"]');
    await panel.locator('[data-action="preview"]').click();
    const preview = panel.locator('[data-field="preview"]');
    await preview.waitFor();
    const added = await preview.locator('.diff-add').allTextContents();
    assert(added.some((l) => l.includes('"ANTHROPIC_BASE_URL": "' + base + '"')), 'diff adds the base URL: ' + added.join(''));
    assert(!(await preview.locator('.diff-del').allTextContents()).some((l) => l.includes('includeCoAuthoredBy')), 'the other setting is kept');
    assert(readFileSync(CLAUDE_SETTINGS, 'utf8') === CLAUDE_BEFORE, 'the preview wrote nothing');
    await panel.scrollIntoViewIfNeeded();
    await shot(page, 'cli-tools-apply.png');
    await panel.locator('[data-action="apply"]').click();
    const done = panel.locator('[data-field="applied"]');
    await done.waitFor();
    assert(/omniroute-backup-/.test(await done.textContent()), 'names the backup: ' + await done.textContent());
    const written = JSON.parse(readFileSync(CLAUDE_SETTINGS, 'utf8'));
    assert(written.env.ANTHROPIC_BASE_URL === base && written.env.ANTHROPIC_AUTH_TOKEN === apiKey, 'written: ' + JSON.stringify(written));
    assert(written.includeCoAuthoredBy === false && written.env.DISABLE_TELEMETRY === '1', 'other settings kept');
    const backups = readdirSync(join(cliHome, '.claude')).filter((f) => f.startsWith('settings.json.omniroute-backup-'));
    assert(backups.length === 1, 'one backup: ' + backups);
    assert(readFileSync(join(cliHome, '.claude', backups[0]), 'utf8') === CLAUDE_BEFORE, 'the backup is the old file');
  });

  await test('API Manager: a revoked key is refused; deleting asks for confirmation', async () => {
    await page.click('a.nav-link[href="/dashboard/api-manager"]');
    await page.waitForURL('**/dashboard/api-manager');
    await keyCard().waitFor();
    await keyCard().locator('[data-action="revoke"]').click();
    await keyCard().locator('[data-action="confirm"]').click();
    await page.waitForFunction(() => document.querySelector('article.key-card [data-field="state"]').textContent.trim() === 'Revoked');
    assert(!/^No$/.test((await keyCard().locator('[data-field="revoked"]').textContent()).trim()), 'revoked date shown');
    assert(await v1Status(apiKey) === 401, 'a revoked key is refused');
    await keyCard().locator('[data-action="delete"]').click();
    await keyCard().locator('[data-action="cancel"]').click();
    assert(await keyCard().count() === 1, 'cancel keeps it');
    await keyCard().locator('[data-action="delete"]').click();
    await keyCard().locator('[data-action="confirm"]').click();
    await keyCard().waitFor({ state: 'detached' });
    await page.locator('#keys-empty').waitFor();
    assert(/deleted/.test(await page.locator('#keys-notice').textContent()), 'notice says deleted');
    assert(await v1Status(apiKey) === 401, 'a deleted key is refused');
  });

  await test('Health: a rate-limited account shows in Rate Limits and the reset clears it', async () => {
    await page.goto(base + '/dashboard/health');
    await page.locator('#rate-limits').waitFor();
    assert(await page.locator('#cooldowns-empty').isVisible(), 'nothing cooling at first');
    assert(await page.locator('#breakers-empty').isVisible(), 'every breaker closed at first');
    const made = await page.evaluate(async (mock) => {
      const r = await fetch('/api/providers', { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ provider: 'openai', apiKey: 'sk-e2e-health', name: 'health probe', baseUrl: mock }) });
      return { status: r.status, id: (await r.json()).connection?.id };
    }, mockUrl + '/v1');
    assert(made.status === 201, 'connection: ' + made.status);
    const pushed = await fetch(mockUrl + '/__mock/scenarios', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fault: { type: 'rate_limit', retry_after_secs: 120 } }) });
    assert(pushed.ok, 'scenario queued: ' + pushed.status);
    const limited = await fetch(base + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/gpt-e2e', messages: [{ role: 'user', content: 'hi' }] }) });
    assert(limited.status === 429, 'the upstream 429 reached the client: ' + limited.status);
    await page.reload();
    const row = page.locator('#cooldowns tbody tr');
    await row.first().waitFor();
    const text = await row.first().textContent();
    assert(text.includes('health probe') && /rate limited/.test(text) && /\dm|\ds/.test(text), 'cooldown row: ' + text);
    await shot(page, 'health-rate-limits.png');
    await waitHydrated(page);
    await page.click('#resilience-reset');
    await page.locator('#cooldowns-empty').waitFor({ timeout: 10000 });
    const removed = await page.evaluate(async (id) => (await fetch('/api/providers/' + id, { method: 'DELETE' })).status, made.id);
    assert(removed === 200, 'connection removed');
    await waitHydratedTo(page, 'light');
  });

  await usagePagesTests({ page, base, mockUrl, test, assert, shot, waitHydrated, waitHydratedTo });
  await mcpPageTests({ page, base, mockUrl, test, assert, shot, waitHydrated, waitHydratedTo });
  await homeSettingsTests({ page, base, mockUrl, test, assert, shot, waitHydrated, waitHydratedTo });
  await healthCardsTests({ page, base, mockUrl, test, assert, shot, waitHydrated, waitHydratedTo });
  await combosPageTests({ page, base, mockUrl, test, assert, shot, waitHydrated, waitHydratedTo });

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
  await test('without JavaScript the Providers and Translator pages are server-rendered', async () => {
    await p2.goto(base + '/dashboard/providers');
    assert(await p2.locator('#providers-empty').isVisible(), 'empty state rendered');
    assert(await p2.locator('#conn-provider option[value="openai"]').count() === 1, 'provider list rendered');
    assert(await p2.locator('label[for="conn-key"]').isVisible(), 'labelled form');
    await p2.goto(base + '/dashboard/translator');
    assert(await p2.locator('#tr-input').isVisible(), 'playground rendered');
    assert(await p2.locator('#tr-source option').count() === 4, 'four formats');
  });
  await test('without JavaScript a connection can still be added (plain form post)', async () => {
    await p2.goto(base + '/dashboard/providers');
    await p2.selectOption('#conn-provider', 'openai');
    await p2.fill('#conn-name', 'no-js mock');
    await p2.fill('#conn-key', PROVIDER_KEY);
    await p2.fill('#conn-base-url', mockUrl + '/v1');
    await Promise.all([p2.waitForNavigation(), p2.click('#add-connection-submit')]);
    if (new URL(p2.url()).pathname !== '/dashboard/providers') await p2.goto(base + '/dashboard/providers');
    const added = p2.locator('article.conn-card[data-connection="no-js mock"]');
    assert(await added.count() === 1, 'listed after the post: ' + p2.url());
    assert(!(await p2.content()).includes(PROVIDER_KEY), 'key masked');
  });
  await test('without JavaScript the API Manager, Endpoints and CLI Tools pages are server-rendered', async () => {
    await p2.goto(base + '/dashboard/api-manager');
    assert(await p2.locator('#keys-empty').isVisible(), 'API Manager rendered');
    assert(await p2.locator('#scope-chat').isChecked(), 'scopes rendered, chat checked');
    await p2.goto(base + '/dashboard/endpoints');
    const urls = await p2.locator('#endpoint-list [data-field="url"]').allTextContents();
    assert(urls.map((u) => u.trim()).includes(base + '/v1'), 'URLs rendered: ' + urls);
    await p2.goto(base + '/dashboard/cli-tools');
    const claude = JSON.parse(await p2.locator('#snippet-claude').textContent());
    assert(claude.env.ANTHROPIC_BASE_URL === base, 'snippet rendered');
  });
  await usagePagesNoJsTests({ page: p2, base, test, assert });
  await mcpPageNoJsTests({ page: p2, base, test, assert });
  await homeSettingsNoJsTests({ page: p2, base, test, assert, shot });
  await healthCardsNoJsTests({ page: p2, base, test, assert });
  await combosPageNoJsTests({ page: p2, base, test, assert });
  await noJs.close();
} finally {
  await browser.close();
  server.child.kill('SIGTERM');
  mock.child.kill('SIGTERM');
  rmSync(server.dataDir, { recursive: true, force: true });
  rmSync(cliHome, { recursive: true, force: true });
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
