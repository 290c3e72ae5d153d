// Browser tests of the MCP & A2A page (issue #6), called from run.mjs with its helpers.
//
// With JavaScript: the endpoints and copy-ready configurations carry this server's URLs, the
// tools are grouped by scope, a real MCP tool call (streamable HTTP) and a real A2A task
// (through the mock upstream) appear in the audit log and the task list, and the switches
// turn the servers off and on. Without JavaScript: the page is server-rendered.

const MCP_PROTOCOL = '2025-06-18';

/** One MCP session over streamable HTTP, by hand: initialize, initialized, one tool call. */
async function mcpToolCall(base, key, tool, args) {
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    authorization: 'Bearer ' + key,
  };
  const post = (body) => fetch(base + '/api/mcp/stream', { method: 'POST', headers, body: JSON.stringify(body) });
  const init = await post({ jsonrpc: '2.0', id: 1, method: 'initialize',
    params: { protocolVersion: MCP_PROTOCOL, capabilities: {}, clientInfo: { name: 'e2e', version: '1' } } });
  const initText = await init.text();
  if (init.status !== 200) throw new Error(`initialize: ${init.status} ${initText}`);
  const session = init.headers.get('mcp-session-id');
  if (session) headers['mcp-session-id'] = session;
  headers['mcp-protocol-version'] = MCP_PROTOCOL;
  await (await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).text();
  const call = await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: tool, arguments: args } });
  return { status: call.status, text: await call.text() };
}

export async function mcpPageTests({ page, base, mockUrl, test, assert, shot, waitHydrated, waitHydratedTo }) {
  let connectionId = '';
  let healthKey = '';
  let keyIds = [];

  await test('MCP & A2A: endpoints, client configurations and tools by scope; calls show in the audit log and the task list', async () => {
    await page.click('a.nav-link[href="/dashboard/mcp"]');
    await page.waitForURL('**/dashboard/mcp');
    await page.locator('#agent-endpoints').waitFor();
    const url = (id) => page.locator(`[data-endpoint="${id}"] [data-field="url"]`).textContent().then((t) => t.trim());
    assert(await url('mcp-stream') === base + '/api/mcp/stream', 'stream URL: ' + await url('mcp-stream'));
    assert(await url('mcp-sse') === base + '/api/mcp/sse', 'SSE URL');
    assert(await url('a2a') === base + '/a2a', 'A2A URL');
    const claude = JSON.parse(await page.locator('[data-config="claude"] code').textContent());
    assert(JSON.stringify(claude.mcpServers.omniroute.args) === '["--mcp"]', 'Claude Desktop runs omniroute --mcp');
    assert(claude.mcpServers.omniroute.env.DATA_DIR.length > 0, 'with the data directory');
    const cursor = JSON.parse(await page.locator('[data-config="cursor"] code').textContent());
    assert(cursor.mcpServers.omniroute.url === base + '/api/mcp/stream', 'Cursor URL');
    const vscode = JSON.parse(await page.locator('[data-config="vscode"] code').textContent());
    assert(vscode.servers.omniroute.type === 'http', 'VS Code over HTTP');
    assert(await page.locator('[data-scope="health"] [data-tool="omniroute_get_health"]').count() === 1, 'health tools');
    assert(await page.locator('[data-scope="chat"] [data-tool="omniroute_route_request"]').count() === 1, 'the chat tool');
    assert(await page.locator('#a2a-skills [data-skill="smart-routing"]').count() === 1, 'skills listed');
    assert(await page.locator('#audit-empty').isVisible(), 'no audit rows yet');

    // A key for each protocol, a connection to the mock, one MCP call, one A2A task.
    const made = await page.evaluate(async (mock) => {
      const json = (r) => r.json();
      const conn = await fetch('/api/providers', { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ provider: 'openai', apiKey: 'sk-e2e-mcp', name: 'mcp e2e', baseUrl: mock }) }).then(json);
      const key = (name, scopes) => fetch('/api/keys', { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, scopes }) }).then(json);
      const health = await key('mcp monitor', ['health']);
      const chat = await key('a2a agent', ['chat']);
      return { conn: conn.connection?.id, health: health.key, chat: chat.key, ids: [health.id, chat.id] };
    }, mockUrl + '/v1');
    assert(made.conn && made.health && made.chat, 'setup: ' + JSON.stringify(made));
    connectionId = made.conn;
    keyIds = made.ids;
    healthKey = made.health;
    const call = await mcpToolCall(base, healthKey, 'omniroute_get_health', {});
    assert(call.status === 200 && call.text.includes('uptimeSecs'), 'tool call: ' + call.text.slice(0, 300));
    const task = await fetch(base + '/a2a', { method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + made.chat },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'message/send', params: { message: {
        kind: 'message', role: 'user', messageId: 'e2e-1', parts: [{ kind: 'text', text: 'hello from e2e' }],
        metadata: { model: 'openai/gpt-e2e' } } } }) }).then((r) => r.json());
    assert(task.result?.status?.state === 'completed', 'A2A task: ' + JSON.stringify(task).slice(0, 300));

    await page.reload();
    const auditRow = page.locator('#audit-table tr[data-audit]').first();
    await auditRow.waitFor({ timeout: 10000 });
    const auditText = await auditRow.textContent();
    assert(auditText.includes('omniroute_get_health') && auditText.includes('mcp monitor') && auditText.includes('ok'), 'audit row: ' + auditText);
    const taskRow = page.locator('#tasks-table tr[data-task]').first();
    await taskRow.waitFor();
    assert((await taskRow.locator('[data-field="state"]').textContent()).trim() === 'completed', 'task state');
    assert((await taskRow.textContent()).includes('hello from e2e'), 'task input shown');
    await shot(page, 'mcp-a2a.png');
  });

  await test('MCP & A2A: the switch turns the MCP server off (503) and on again', async () => {
    await waitHydrated(page);
    await page.uncheck('#mcp_enabled');
    await page.click('#agents-save');
    await page.waitForFunction(() => /MCP is off/.test(document.querySelector('#agents-result')?.textContent || ''));
    await page.waitForFunction(() => document.querySelector('#mcp-state')?.textContent.trim() === 'Off');
    const off = await fetch(base + '/api/mcp/stream', { method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: 'Bearer ' + healthKey },
      body: '{}' });
    assert(off.status === 503, 'MCP off answers 503: ' + off.status);
    await shot(page, 'mcp-a2a-off.png');
    await page.check('#mcp_enabled');
    await page.click('#agents-save');
    await page.waitForFunction(() => document.querySelector('#mcp-state')?.textContent.trim() === 'On');
    const call = await mcpToolCall(base, healthKey, 'omniroute_get_health', {});
    assert(call.status === 200, 'on again: ' + call.status);
    const removed = await page.evaluate(async (id) => (await fetch('/api/providers/' + id, { method: 'DELETE' })).status, connectionId);
    assert(removed === 200, 'connection removed');
    // The keys go too: later tests expect an empty API Manager.
    for (const id of keyIds) {
      const gone = await page.evaluate(async (k) => (await fetch('/api/keys/' + k, { method: 'DELETE' })).status, id);
      assert(gone === 200, 'key deleted: ' + gone);
    }
    await waitHydratedTo(page, 'light');
  });
}

export async function mcpPageNoJsTests({ page, base, test, assert }) {
  await test('without JavaScript the MCP & A2A page is server-rendered with its audit log', async () => {
    await page.goto(base + '/dashboard/mcp');
    assert(await page.locator('#agent-endpoints').isVisible(), 'endpoints');
    assert(await page.locator('[data-config="claude"]').isVisible(), 'configurations');
    assert(await page.locator('#mcp-tools [data-scope="health"]').isVisible(), 'tools by scope');
    assert(await page.locator('#audit-table tr[data-audit]').count() > 0, 'audit rows');
    assert(await page.locator('#tasks-table tr[data-task]').count() > 0, 'task rows');
  });
}
