// Browser tests of the Usage, Costs and Logs pages (H2), run by run.mjs with its page and
// helpers: traffic goes through /v1 to the mock upstream, then each page must show it and its
// main action must work.

export async function usagePagesTests({ page, base, mockUrl, test, assert, shot, waitHydrated, waitHydratedTo }) {
  let made = null;
  let keyId = '';
  const api = (path, init) => page.evaluate(async ({ path, init }) => {
    const r = await fetch(path, init ? { ...init, headers: { 'content-type': 'application/json', ...(init.headers || {}) } } : undefined);
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    return { status: r.status, body };
  }, { path, init });

  await test('Usage: totals, the chart and the breakdowns show the requests sent through /v1', async () => {
    await page.goto(base + '/dashboard/usage?range=today');
    made = await api('/api/providers', { method: 'POST',
      body: JSON.stringify({ provider: 'openai', apiKey: 'sk-e2e-usage', name: 'usage probe', baseUrl: mockUrl + '/v1' }) });
    assert(made.status === 201, 'connection: ' + made.status);
    const key = await api('/api/keys', { method: 'POST', body: JSON.stringify({ name: 'e2e usage key' }) });
    assert(key.status === 201, 'key: ' + key.status);
    keyId = key.body.id;
    const chat = () => fetch(base + '/v1/chat/completions', { method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + key.body.key },
      body: JSON.stringify({ model: 'openai/gpt-e2e', messages: [{ role: 'user', content: 'hello usage' }] }) });
    for (let i = 0; i < 2; i++) {
      const r = await chat();
      assert(r.status === 200, 'chat ok: ' + r.status);
    }
    const pushed = await fetch(mockUrl + '/__mock/scenarios', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fault: { type: 'status', status: 400, message: 'e2e bad request' } }) });
    assert(pushed.ok, 'scenario queued');
    const failed = await chat();
    assert(failed.status === 400, 'the upstream 400 reached the client: ' + failed.status);
    // the writer flushes within ~100 ms
    const deadline = Date.now() + 10000;
    while (true) {
      const logs = await api('/api/usage/logs?keyId=' + keyId);
      if (logs.body && logs.body.total >= 3) break;
      assert(Date.now() < deadline, 'three rows recorded: ' + JSON.stringify(logs.body));
      await page.waitForTimeout(100);
    }
    await page.reload();
    const requests = (await page.locator('#stat-requests [data-field="value"]').textContent()).trim();
    assert(Number(requests.replace(/,/g, '')) >= 3, 'requests total: ' + requests);
    const rate = await page.locator('#stat-success [data-field="value"]').textContent();
    assert(/%$/.test(rate.trim()) && rate.trim() !== '100.0%', 'a failure lowers the success rate: ' + rate);
    assert((await page.locator('#stat-cost [data-field="value"]').textContent()).trim() === 'unknown', 'gpt-e2e has no price: cost unknown');
    assert(await page.locator('#usage-chart rect.uchart-bar').count() >= 1, 'chart bars');
    assert(await page.locator('#usage-chart text.uchart-axis-label').count() > 4, 'chart axis labels');
    assert((await page.locator('#by-provider tbody').textContent()).includes('openai'), 'provider row');
    assert((await page.locator('#by-model tbody').textContent()).includes('gpt-e2e'), 'model row');
    const keyRow = page.locator('#by-key tr[data-row="e2e usage key"]');
    assert((await keyRow.locator('[data-field="requests"]').textContent()).trim() === '3', 'key row counts 3 requests');
    await shot(page, 'usage.png');
    await page.click('#usage-range [data-range="30d"]');
    await page.waitForFunction(() => document.querySelectorAll('#usage-chart rect.uchart-bar').length === 30);
    assert((await page.locator('#usage-range [data-range="30d"]').getAttribute('aria-current')) === 'true', '30 days selected');
  });

  await test('Costs: a budget is set, edited and deleted; a price is added, edited inline and removed', async () => {
    await page.goto(base + '/dashboard/costs');
    await waitHydrated(page);
    await page.locator('#budgets-empty').waitFor();
    await page.selectOption('#budget-form select[name="keyId"]', keyId);
    await page.fill('#budget-form input[name="limit"]', '5');
    await page.selectOption('#budget-form select[name="period"]', 'daily');
    await page.click('#budget-save');
    const row = page.locator('#budgets tr[data-key="e2e usage key"]');
    await row.waitFor({ timeout: 10000 });
    assert((await row.locator('[data-field="limit"]').textContent()).trim() === '$5.00', 'limit shown');
    assert((await row.locator('[data-field="period"]').textContent()).trim() === 'daily', 'period shown');
    assert(/UTC/.test(await row.locator('[data-field="resets"]').textContent()), 'reset time shown');
    const stored = await api('/api/usage/budget?keyId=' + keyId);
    assert(stored.body.budgets[0].limit === 5 && stored.body.budgets[0].period === 'daily', 'stored: ' + JSON.stringify(stored.body));
    await row.locator('[data-action="edit"]').click();
    assert((await page.inputValue('#budget-form input[name="limit"]')) === '5', 'the form holds the budget');
    await page.fill('#budget-form input[name="limit"]', '7.5');
    await page.click('#budget-save');
    await page.waitForFunction(() => document.querySelector('#budgets tr[data-key="e2e usage key"] [data-field="limit"]')?.textContent.trim() === '$7.50');
    await shot(page, 'costs-budget.png');
    await row.locator('[data-action="delete"]').click();
    await row.locator('[data-action="confirm"]').click();
    await page.locator('#budgets-empty').waitFor({ timeout: 10000 });
    assert((await api('/api/usage/budget?keyId=' + keyId)).body.budgets.length === 0, 'budget deleted');

    await page.click('#tab-pricing');
    await page.locator('#pricing').waitFor();
    await page.fill('#price-add input[name="provider"]', 'openai');
    await page.fill('#price-add input[name="model"]', 'gpt-e2e');
    await page.fill('#price-add input[name="input"]', '1.25');
    await page.fill('#price-add input[name="output"]', '2');
    await page.click('#price-add-save');
    await page.locator('#costs-notice.alert-ok').waitFor({ timeout: 10000 });
    await page.fill('#pricing-filter', 'gpt-e2e');
    const price = page.locator('#pricing tr[data-price="openai/gpt-e2e"]');
    await price.waitFor();
    assert((await price.locator('[data-field="input"]').textContent()).trim() === '$1.25', 'input price');
    assert((await price.locator('[data-field="cacheRead"]').textContent()).trim() === 'unknown', 'an unset price is unknown, not $0');
    await price.locator('[data-action="edit"]').click();
    await price.locator('input[name="input"]').fill('3');
    await price.locator('[data-action="save"]').click();
    await page.waitForFunction(() => document.querySelector('#pricing tr[data-price="openai/gpt-e2e"] [data-field="input"]')?.textContent.trim() === '$3');
    const listed = await api('/api/pricing?provider=openai');
    const p = listed.body.pricing.find((r) => r.model === 'gpt-e2e');
    assert(p && p.input === 3 && p.output === 2 && p.cacheRead === null, 'stored price: ' + JSON.stringify(p));
    await shot(page, 'costs-pricing.png');
    await price.locator('[data-action="reset"]').click();
    await price.waitFor({ state: 'detached', timeout: 10000 });
    assert(!(await api('/api/pricing?provider=openai')).body.pricing.some((r) => r.model === 'gpt-e2e'), 'price removed');
  });

  await test('Logs: filters narrow the log on the server, and a row opens its detail with every attempt', async () => {
    await page.goto(base + '/dashboard/logs');
    await page.locator('#logs').waitFor();
    assert(await page.locator('#logs tbody tr').count() >= 3, 'rows listed');
    await waitHydrated(page);
    await page.selectOption('#log-filters select[name="status"]', 'error');
    await page.selectOption('#log-filters select[name="keyId"]', keyId);
    await page.click('#log-apply');
    await page.waitForURL(/status=error/);
    await page.waitForFunction(() => document.querySelectorAll('#logs tbody tr').length === 1);
    const failedRow = page.locator('#logs tbody tr').first();
    assert(await failedRow.locator('.badge-error').count() === 1, 'the failed row');
    await failedRow.locator('[data-action="open"]').click();
    await page.locator('#log-detail').waitFor();
    assert(/e2e bad request/.test(await page.locator('#log-detail [data-field="error"]').textContent()), 'the error is shown');
    assert((await page.locator('#log-attempts tbody tr').count()) >= 1, 'attempts listed');
    assert((await page.locator('#log-detail [data-field="requested"]').textContent()).includes('gpt-e2e'), 'requested model');
    await shot(page, 'logs.png');
    await page.fill('#log-filters input[name="q"]', 'no-such-thing-anywhere');
    await page.click('#log-apply');
    await page.locator('#logs-empty').waitFor();
    await page.click('#log-clear');
    await page.locator('#logs').waitFor();
    await waitHydratedTo(page, 'light');
    // leave no connection or key behind
    await api('/api/providers/' + made.body.connection.id, { method: 'DELETE' });
    await api('/api/keys/' + keyId, { method: 'DELETE' });
  });
}

// Without JavaScript: the three pages are server-rendered with their data, and the log
// filters (a plain GET form) still work.
export async function usagePagesNoJsTests({ page, base, test, assert }) {
  await test('without JavaScript the Usage, Costs and Logs pages are server-rendered and the log filters work', async () => {
    await page.goto(base + '/dashboard/usage?range=30d');
    assert(await page.locator('#usage-totals').isVisible(), 'usage totals');
    await page.goto(base + '/dashboard/costs?tab=pricing');
    assert(await page.locator('#pricing tbody tr').count() > 0, 'seeded prices listed');
    await page.goto(base + '/dashboard/logs');
    assert(await page.locator('#log-filters').isVisible(), 'log filters');
    await page.selectOption('#log-filters select[name="status"]', 'error');
    await Promise.all([page.waitForNavigation(), page.click('#log-apply')]);
    assert(/status=error/.test(page.url()), 'the filter is in the address: ' + page.url());
    const badges = await page.locator('#logs tbody [data-field="status"]').evaluateAll((els) => els.map((e) => e.className));
    assert(badges.length > 0 && badges.every((c) => c.includes('badge-error')), 'only failed rows: ' + badges.join());
  });
}
