// Browser tests of the Combos page (H3), run by run.mjs with its page and helpers: create
// combos with the form, reorder them by dragging a card (and with the arrow buttons), test a
// combo through the gateway (the route shows the fallback taken), and the routing decisions.

export async function combosPageTests({ page, base, mockUrl, test, assert, shot, waitHydrated }) {
  const api = (path, init) => page.evaluate(async ({ path, init }) => {
    const r = await fetch(path, init ? { ...init, headers: { 'content-type': 'application/json', ...(init.headers || {}) } } : undefined);
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    return { status: r.status, body };
  }, { path, init });
  const order = async () => (await api('/api/combos')).body.combos.map((c) => c.name);
  const cards = () => page.locator('#combo-list > li');
  let connection = null;

  async function createCombo(name, models) {
    await page.click('#combo-new');
    await page.locator('#combo-form').waitFor();
    await page.fill('#combo-name', name);
    for (let i = 0; i < models.length; i++) {
      if (i > 0) {
        await page.click('#combo-add-step');
        await page.locator(`#step-model-${i}`).waitFor();
      }
      await page.fill(`#step-model-${i}`, models[i]);
      await page.press(`#step-model-${i}`, 'Tab');
    }
    await page.click('#combo-save');
    await page.locator(`#combo-list > li[data-combo="${name}"]`).waitFor({ timeout: 15000 });
  }

  await test('Combos: combos are created with the form (steps from the catalog picker)', async () => {
    await page.goto(base + '/dashboard/combos');
    connection = await api('/api/providers', { method: 'POST',
      body: JSON.stringify({ provider: 'openai', apiKey: 'sk-e2e-combos', name: 'combos probe', baseUrl: mockUrl + '/v1' }) });
    assert(connection.status === 201, 'connection: ' + connection.status);
    await page.goto(base + '/dashboard/combos');
    await waitHydrated(page);
    const options = await page.locator('#combo-model-options option').count();
    assert(options > 5, 'the picker offers the catalog: ' + options);
    await createCombo('e2e first', ['openai/gpt-e2e-a', 'openai/gpt-e2e-b']);
    await createCombo('e2e second', ['openai/gpt-e2e-c']);
    const first = page.locator('#combo-list > li[data-combo="e2e first"]');
    const steps = await first.locator('.combo-step code').allTextContents();
    assert(steps.join(',') === 'openai/gpt-e2e-a,openai/gpt-e2e-b', 'steps: ' + steps);
    assert((await first.locator('[data-field="strategy"]').textContent()).trim() === 'priority', 'default strategy');
    const names = await order();
    assert(names.indexOf('e2e first') < names.indexOf('e2e second'), 'created in order: ' + names);
  });

  await test('Combos: dragging a card reorders the combos and the order is saved', async () => {
    const before = await order();
    await page.locator('#combo-list > li[data-combo="e2e second"]')
      .dragTo(page.locator('#combo-list > li[data-combo="e2e first"]'));
    await page.waitForFunction(() => {
      const names = [...document.querySelectorAll('#combo-list > li')].map((li) => li.dataset.combo);
      return names.indexOf('e2e second') < names.indexOf('e2e first');
    }, null, { timeout: 15000 });
    const after = await order();
    assert(after.indexOf('e2e second') < after.indexOf('e2e first'), `saved: ${before} -> ${after}`);
    await page.reload();
    await waitHydrated(page);
    const shown = await cards().evaluateAll((lis) => lis.map((li) => li.dataset.combo));
    assert(shown.indexOf('e2e second') < shown.indexOf('e2e first'), 'kept after a reload: ' + shown);
  });

  await test('Combos: the arrow buttons reorder from the keyboard', async () => {
    const down = page.locator('#combo-list > li[data-combo="e2e second"] [data-action="down"]');
    await down.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => {
      const names = [...document.querySelectorAll('#combo-list > li')].map((li) => li.dataset.combo);
      return names.indexOf('e2e first') < names.indexOf('e2e second');
    }, null, { timeout: 15000 });
    const after = await order();
    assert(after.indexOf('e2e first') < after.indexOf('e2e second'), 'saved: ' + after);
  });

  await test('Combos: testing a combo sends a chat and shows the route, fallback included', async () => {
    const pushed = await fetch(mockUrl + '/__mock/scenarios', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-e2e-a', fault: { type: 'status', status: 503 } }) });
    assert(pushed.ok, 'scenario queued');
    const card = page.locator('#combo-list > li[data-combo="e2e first"]');
    await card.locator('[data-action="test"]').click();
    await card.locator('[data-field="prompt"]').fill('hello combo');
    await card.locator('[data-action="send"]').click();
    const result = card.locator('[data-field="test-result"]');
    await result.waitFor({ timeout: 20000 });
    const answer = (await result.locator('[data-field="answer"]').textContent()).trim();
    assert(answer === 'mock: hello combo', 'answer: ' + answer);
    const route = await result.locator('[data-field="route"] li').allTextContents();
    assert(route.length === 2, 'two attempts: ' + route.join(' | '));
    assert(/503/.test(route[0]) && /gpt-e2e-a/.test(route[0]), 'first failed: ' + route[0]);
    assert(/200/.test(route[1]) && /gpt-e2e-b/.test(route[1]), 'then the fallback: ' + route[1]);
  });

  await test('Combos: routing decisions list the requests; a detail shows candidates and attempts', async () => {
    await page.click('#decisions-refresh');
    const row = page.locator('#decisions-table tbody tr').first();
    await row.waitFor({ timeout: 15000 });
    const text = await row.textContent();
    assert(/e2e first/.test(text) && /gpt-e2e-b/.test(text), 'newest decision: ' + text);
    await row.locator('[data-action="details"]').click();
    const detail = page.locator('#decision-detail');
    await detail.waitFor({ timeout: 15000 });
    const candidates = await detail.locator('#decision-candidates tbody tr').count();
    assert(candidates === 2, 'two candidates: ' + candidates);
    await shot(page, 'combos.png');
  });

  await test('Combos: a combo is edited and deleted after confirmation', async () => {
    const card = page.locator('#combo-list > li[data-combo="e2e second"]');
    await card.locator('[data-action="edit"]').click();
    await page.locator('#combo-form').waitFor();
    await page.selectOption('#combo-strategy', 'round-robin');
    await page.click('#combo-save');
    await page.waitForFunction(() => document.querySelector('#combo-list > li[data-combo="e2e second"] [data-field="strategy"]')?.textContent.trim() === 'round-robin', null, { timeout: 15000 });
    for (const name of ['e2e second', 'e2e first']) {
      const c = page.locator(`#combo-list > li[data-combo="${name}"]`);
      await c.locator('[data-action="delete"]').click();
      await c.locator('[data-action="confirm-delete"]').click();
      await c.waitFor({ state: 'detached', timeout: 15000 });
    }
    const left = await order();
    assert(!left.includes('e2e first') && !left.includes('e2e second'), 'deleted: ' + left);
    if (connection?.body?.connection?.id) {
      await api('/api/providers/' + connection.body.connection.id, { method: 'DELETE' });
    }
  });
}

export async function combosPageNoJsTests({ page, base, test, assert }) {
  await test('without JavaScript the Combos page is server-rendered', async () => {
    await page.goto(base + '/dashboard/combos');
    assert(await page.locator('h1', { hasText: 'Combos' }).isVisible(), 'heading');
    assert(await page.locator('#routing-decisions').isVisible(), 'decisions section');
  });
}
