// Browser tests of the Health page's traffic cards (H4), run by run.mjs with its page and
// helpers: Active Lockouts, Cache (with the flush button) and Latency Telemetry (SVG chart),
// fed by real /v1 traffic to the mock upstream.

export async function healthCardsTests({ page, base, mockUrl, test, assert, shot, waitHydrated, waitHydratedTo }) {
  let made = null;
  const api = (path, init) => page.evaluate(async ({ path, init }) => {
    const r = await fetch(path, init ? { ...init, headers: { 'content-type': 'application/json', ...(init.headers || {}) } } : undefined);
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    return { status: r.status, body };
  }, { path, init });

  await test('Health: the Cache and Latency Telemetry cards show /v1 traffic; Flush empties the cache', async () => {
    await page.goto(base + '/dashboard/health');
    made = await api('/api/providers', { method: 'POST',
      body: JSON.stringify({ provider: 'openai', apiKey: 'sk-e2e-health', name: 'health probe', baseUrl: mockUrl + '/v1' }) });
    assert(made.status === 201, 'connection: ' + made.status);
    const chat = (stream) => fetch(base + '/v1/chat/completions', { method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/gpt-e2e-health', temperature: 0, stream,
        messages: [{ role: 'user', content: 'hello health' }] }) });
    const first = await chat(false);
    assert(first.status === 200 && first.headers.get('x-omniroute-cache') === 'MISS', 'miss: ' + first.status);
    const second = await chat(false);
    assert(second.headers.get('x-omniroute-cache') === 'HIT', 'hit: ' + second.headers.get('x-omniroute-cache'));
    const streamed = await chat(true);
    await streamed.text();

    await page.goto(base + '/dashboard/health');
    await waitHydrated(page);
    const entries = await page.locator('#cache [data-field="cache-entries"]').textContent();
    assert(/^1 of \d+/.test(entries.trim()), 'one entry: ' + entries);
    const rate = await page.locator('#cache [data-field="cache-hit-rate"]').textContent();
    assert(/^\d+%/.test(rate.trim()) && /1 hits/.test(rate), 'hit rate: ' + rate);
    const bars = page.locator('#latency-chart g[data-provider="openai"] rect');
    assert((await bars.count()) === 3, 'p50, p95 and p99 bars: ' + await bars.count());
    const label = await page.locator('#latency-chart g[data-provider="openai"]').textContent();
    assert(/openai/.test(label) && /\d+ ms/.test(label), 'chart labels: ' + label);
    assert(await page.locator('#active-lockouts').isVisible(), 'Active Lockouts card');
    assert(await page.locator('#lockouts-empty, #lockouts').first().isVisible(), 'lockouts listed or empty state');
    await shot(page, 'health-traffic.png');

    await page.click('#cache-flush');
    await page.waitForFunction(() => /Flushed 1 entry/.test(document.querySelector('#cache-flushed')?.textContent || ''), null, { timeout: 10000 });
    await page.waitForFunction(() => /^0 of/.test(document.querySelector('#cache [data-field="cache-entries"]')?.textContent.trim() || ''), null, { timeout: 10000 });
    const stats = await api('/api/cache/stats');
    assert(stats.body.entries === 0, 'flushed on the server: ' + JSON.stringify(stats.body));
    const third = await chat(false);
    assert(third.headers.get('x-omniroute-cache') === 'MISS', 'after the flush: a miss');
    await waitHydratedTo(page, 'dark');
    await shot(page, 'health-traffic-dark.png');
    await waitHydratedTo(page, 'light');
    if (made?.body?.connection?.id) {
      await api('/api/providers/' + made.body.connection.id, { method: 'DELETE' });
    }
  });
}

export async function healthCardsNoJsTests({ page, base, test, assert }) {
  await test('without JavaScript the Health traffic cards are server-rendered', async () => {
    await page.goto(base + '/dashboard/health');
    assert(await page.locator('#cache [data-field="cache-entries"]').isVisible(), 'Cache card rendered');
    assert(await page.locator('#latency').isVisible(), 'Latency Telemetry card rendered');
    assert(await page.locator('#active-lockouts').isVisible(), 'Active Lockouts card rendered');
  });
}
