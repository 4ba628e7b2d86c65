/**
 * The self-hosted explorer in a real headless Chromium against the real
 * server process on the seeded scenarios: open /graphql, paste a token, run
 * the preloaded example and a typed query, run a subscription over WebSocket
 * and watch an update arrive, and read the results — with every request and
 * socket the page opens staying on the server's own origin (the offline
 * promise), no Content-Security-Policy violation and no script error.
 *
 * Needs Debian's `chromium` at /usr/bin/chromium (`.ci/run` installs it) and a
 * fresh `dist/` with the bundle (`npm test` builds both).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { RAISE_OBSTACLE } from '../api/operations';
import { tempDir } from '../support/app';
import { killAllServers, metricsRequest, REPO_ROOT, startServer, TEST_JWT_SECRET, tokenFor, type ServerProcess } from '../support/server-process';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = join(tmpdir(), 'tashil-explorer.png');

let server: ServerProcess;
let browser: BrowserContext;
let dataDir: string;
let profileDir: string;

/** `npm run seed` against the test's data folder, before the server opens it. */
const seed = (dir: string): void => {
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'src', 'cli.js'), 'seed'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, TASHIL_DATA_DIR: dir, TASHIL_JWT_SECRET: TEST_JWT_SECRET },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`seed failed (${run.status}): ${run.stderr}\n${run.stdout}`);
};

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: this test drives Debian's Chromium. Install it with ` +
        '`apt-get install -y --no-install-recommends chromium` (.ci/run does so).',
    );
  }
  dataDir = tempDir('tashil-explorer-e2e-');
  seed(dataDir);
  server = await startServer({ dataDir });
  profileDir = mkdtempSync(join(tmpdir(), 'tashil-chromium-'));
  browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    // As root in a container: no sandbox; and no phoning home, so every request seen is the page's own.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await killAllServers();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

interface Watched {
  page: Page;
  /** Every URL the page requested. */
  requests: string[];
  /** Every WebSocket the page opened: its URL and the `connection_init` payloads it sent. */
  sockets: { url: string; inits: unknown[] }[];
  /** Script errors and console errors (CSP violations are reported there). */
  problems: string[];
}

/** A fresh tab (sessionStorage is per tab) that records what the page does. */
const openExplorer = async (): Promise<Watched> => {
  const page = await browser.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  const sockets: Watched['sockets'] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('websocket', (socket) => {
    const seen = { url: socket.url(), inits: [] as unknown[] };
    sockets.push(seen);
    socket.on('framesent', ({ payload }) => {
      const message = JSON.parse(String(payload)) as { type?: string; payload?: unknown };
      if (message.type === 'connection_init') seen.inits.push(message.payload ?? null);
    });
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  await page.goto(server.url);
  await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
  return { page, requests, sockets, problems };
};

const run = async (page: Page): Promise<void> => {
  await page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).click();
};

/** The response pane's text once it shows something containing `expected`. */
const resultContaining = async (page: Page, expected: string): Promise<string> => {
  const pane = page.locator('.result-window');
  await pane.getByText(expected, { exact: false }).first().waitFor({ timeout: 20_000 });
  return pane.innerText();
};

const offOrigin = (requests: string[]): string[] =>
  requests.filter((url) => !url.startsWith(`${server.origin}/`) && !url.startsWith('data:'));

test('a browser at /graphql gets the explorer; with a pasted token the preloaded example lists the seeded Pakdasht units, and no request leaves the server', async () => {
  const { page, requests, problems } = await openExplorer();

  // The example operations are preloaded, one per tab.
  const tabs = page.locator('.graphiql-tab-button');
  await expect(tabs.allInnerTexts()).resolves.toEqual(
    expect.arrayContaining(['PakdashtUnits', 'UnitWithHistory', 'OverduePromises', 'Search', 'PakdashtDashboard', 'RegisterUnit', 'PakdashtObstacles']),
  );

  // The page itself needs no token; the API does.
  await expect(page.locator('#tashil-token-status').innerText()).resolves.toMatch(/no token/);
  await run(page);
  await resultContaining(page, 'UNAUTHENTICATED');

  const token = await tokenFor({ subject: 'dabir-pakdasht', roles: ['SECRETARIAT'], province: 'تهران', counties: ['پاکدشت'] });
  await page.locator('#tashil-token').fill(`Bearer ${token}\n`);
  await expect(page.locator('#tashil-token-status').innerText()).resolves.toMatch(/^dabir-pakdasht \(SECRETARIAT\), until /);
  await run(page);
  const result = await resultContaining(page, 'کیا افق پایدار');
  expect(result).toContain('"totalCount"');
  expect(result).not.toContain('UNAUTHENTICATED');

  // The schema's documentation (introspection through the same fetcher) is one click away.
  await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
  const docs = page.locator('.graphiql-doc-explorer');
  await docs.getByText('Mutation', { exact: true }).waitFor({ timeout: 20_000 });
  await expect(docs.innerText()).resolves.toMatch(/query[\s\S]*Query[\s\S]*mutation[\s\S]*Mutation/);

  await page.screenshot({ path: SCREENSHOT });
  expect(offOrigin(requests)).toEqual([]);
  // The page, its stylesheet and script, and the API: all from this server.
  expect(requests).toEqual(expect.arrayContaining([server.url, expect.stringMatching(/\/explorer\/explorer-\w+\.js$/), expect.stringMatching(/\/explorer\/explorer-\w+\.css$/)]));
  expect(problems).toEqual([]);
  await page.close();
});

test('a query typed into the editor runs with Ctrl-Enter and the token, which the tab (and only it) keeps across a reload until "Forget"', async () => {
  const { page, requests, problems } = await openExplorer();
  // The first test's tab had a token; a new tab starts without one.
  await expect(page.locator('#tashil-token-status').innerText()).resolves.toMatch(/no token/);
  const token = await tokenFor({ subject: 'explorer-viewer', roles: ['VIEWER'] });
  await page.locator('#tashil-token').fill(token);

  const { data } = (await server.gql(`{ units(county: "پاکدشت", first: 1) { edges { node { id name } } } }`)).body;
  const unit = data.units.edges[0].node as { id: string; name: string };

  // Typed as a user would, keystroke by keystroke (the editor closes brackets and quotes itself).
  await page.locator('.graphiql-query-editor .CodeMirror').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(`{ unit(id: "${unit.id}") { name county activityStatus } }`, { delay: 5 });
  await page.keyboard.press('Control+Enter');
  const result = await resultContaining(page, unit.name);
  expect(result).toContain('پاکدشت');

  await page.reload();
  await page.locator('.graphiql-container').waitFor();
  await expect(page.locator('#tashil-token-status').innerText()).resolves.toMatch(/^explorer-viewer \(VIEWER\)/);
  await page.getByRole('button', { name: 'Forget' }).click();
  await expect(page.locator('#tashil-token-status').innerText()).resolves.toMatch(/no token/);
  await page.reload();
  await page.locator('.graphiql-container').waitFor();
  await expect(page.locator('#tashil-token').inputValue()).resolves.toBe('');

  expect(offOrigin(requests)).toEqual([]);
  expect(problems).toEqual([]);
  await page.close();
});

test('the RegisterUnit example registers a unit, recorded with the pasted token’s subject as its actor; an expired token is called out', async () => {
  const { page, problems } = await openExplorer();
  const expired = await tokenFor({ subject: 'old-session', roles: ['ADMIN'], expiresIn: -60 });
  await page.locator('#tashil-token').fill(expired);
  await expect(page.locator('#tashil-token-status').innerText()).resolves.toMatch(/^old-session \(ADMIN\): expired at /);

  await page.locator('#tashil-token').fill(await tokenFor({ subject: 'explorer-admin', roles: ['ADMIN'] }));
  await page.locator('.graphiql-tab-button', { hasText: 'RegisterUnit' }).click();
  await run(page);
  const result = await resultContaining(page, '"replayed"');
  expect(result).toMatch(/"replayed": false/);
  const unitId = /"id": "([^"]+)"/.exec(result)![1]!;

  const audit = await server.gql(`query ($id: ID!) { auditTrail(kind: UNIT, id: $id) { edges { node { type actor } } } }`, { id: unitId });
  expect(audit.body.data.auditTrail.edges.map((e: any) => e.node)).toEqual([{ type: 'UnitRegistered', actor: 'explorer-admin' }]);
  expect(problems).toEqual([]);
  await page.close();
});

/** The server's `tashil_subscriptions_open` gauge (GET /metrics). */
const openSubscriptions = async (): Promise<number> => {
  const { text } = await server.request('/metrics', await metricsRequest());
  return Number(/^tashil_subscriptions_open (\d+)$/m.exec(text)?.[1]);
};

const eventually = async (condition: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const logged = (msg: string, actor: string): boolean => server.logLines().some((line) => line.msg === msg && line.actor === actor);

test('the PakdashtObstacles example runs over WebSocket with the pasted token: an obstacle raised meanwhile appears in the result pane; a new token reconnects and updates keep coming; Forget ends it UNAUTHENTICATED; the stop button ends it on the server too', async () => {
  const { page, requests, sockets, problems } = await openExplorer();
  const { data } = (await server.gql(`{ units(county: "پاکدشت", first: 1) { edges { node { id name } } } }`)).body;
  const unit = data.units.edges[0].node as { id: string; name: string };
  const raise = async (title: string, category: string): Promise<void> => {
    const raised = await server.gql(RAISE_OBSTACLE, { input: { unitId: unit.id, title, category } });
    expect(raised.body.errors).toBeUndefined();
  };

  await page.locator('.graphiql-tab-button', { hasText: 'PakdashtObstacles' }).click();
  // Without a token the socket is refused (4401), said as HTTP would say it.
  await run(page);
  expect(await resultContaining(page, 'UNAUTHENTICATED')).toContain('paste a valid token');
  await page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).waitFor();

  const secretariat = await tokenFor({ subject: 'dabir-pakdasht', roles: ['SECRETARIAT'], province: 'تهران', counties: ['پاکدشت'] });
  await page.locator('#tashil-token').fill(secretariat);
  await run(page);
  // While it runs the button stops it; updates are not replayed, so wait until the server listens.
  await page.getByRole('button', { name: 'Stop query (Ctrl-Enter)' }).waitFor();
  await eventually(async () => (await openSubscriptions()) === 1, 'the subscription open on the server');
  await raise('قطعی برق سه‌فاز', 'UTILITIES');
  const pushed = await resultContaining(page, 'قطعی برق سه‌فاز');
  expect(pushed).toContain('"obstacleChanged"');
  expect(pushed).toContain('"status": "OPEN"');
  expect(pushed).toContain(unit.name);

  // A different token: the running subscription signs in again with it, and goes on.
  const viewer = await tokenFor({ subject: 'explorer-watcher', roles: ['VIEWER'] });
  await page.locator('#tashil-token').fill(viewer);
  await eventually(() => logged('subscription started', 'explorer-watcher'), 'the subscription resumed with the new token');
  await eventually(() => logged('websocket closed', 'dabir-pakdasht'), 'the old connection closed');
  await eventually(async () => (await openSubscriptions()) === 1, 'one subscription open on the server');
  await raise('کمبود نقدینگی برای مواد اولیه', 'RAW_MATERIALS');
  // Each update replaces the last one in the pane.
  expect(await resultContaining(page, 'کمبود نقدینگی برای مواد اولیه')).not.toContain('قطعی برق سه‌فاز');
  await expect(page.getByRole('button', { name: 'Stop query (Ctrl-Enter)' }).isVisible()).resolves.toBe(true);
  expect(sockets.flatMap((socket) => socket.inits).slice(-2)).toEqual([{ authorization: `Bearer ${secretariat}` }, { authorization: `Bearer ${viewer}` }]);

  // Forgetting the token ends the subscription, with the reason in the result pane.
  await page.getByRole('button', { name: 'Forget' }).click();
  await resultContaining(page, 'UNAUTHENTICATED');
  await page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).waitFor();
  await eventually(async () => (await openSubscriptions()) === 0, 'no subscription left on the server');

  // The stop button ends a running subscription on the server too.
  await page.locator('#tashil-token').fill(viewer);
  await run(page);
  await eventually(async () => (await openSubscriptions()) === 1, 'the subscription open again');
  await page.getByRole('button', { name: 'Stop query (Ctrl-Enter)' }).click();
  await eventually(async () => (await openSubscriptions()) === 0, 'the stopped subscription gone from the server');
  await page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).waitFor();

  // Sockets too go to the server's own address: ws://, same host, port and path (and the CSP allowed them).
  expect(sockets.map((socket) => socket.url)).toEqual(sockets.map(() => `${server.origin.replace(/^http/, 'ws')}/graphql`));
  expect(sockets.length).toBeGreaterThanOrEqual(4);
  expect(offOrigin(requests)).toEqual([]);
  expect(problems).toEqual([]);
  await page.close();
});

test('a subscription signs in with an Authorization typed into the headers editor, over the pasted token, as queries do', async () => {
  const { page, sockets, problems } = await openExplorer();
  const { data } = (await server.gql(`{ units(county: "پاکدشت", first: 1) { edges { node { id } } } }`)).body;
  const unitId = data.units.edges[0].node.id as string;
  // A pasted token for one person, and a header for another: the header wins, for HTTP and WebSocket alike.
  await page.locator('#tashil-token').fill(await tokenFor({ subject: 'explorer-pasted', roles: ['VIEWER'] }));
  const headerToken = await tokenFor({ subject: 'explorer-header', roles: ['VIEWER'] });

  await page.locator('.graphiql-tab-button', { hasText: 'PakdashtObstacles' }).click();
  await page.getByRole('button', { name: 'Headers' }).click();
  const headersEditor = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror');
  await headersEditor.click();
  await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${headerToken}` }));
  await run(page);
  await eventually(() => logged('subscription started', 'explorer-header'), 'the subscription started as the header’s subject');
  await page.getByRole('button', { name: 'Stop query (Ctrl-Enter)' }).waitFor();

  const raised = await server.gql(RAISE_OBSTACLE, { input: { unitId, title: 'تأخیر در صدور پروانه بهره‌برداری', category: 'PERMITS' } });
  expect(raised.body.errors).toBeUndefined();
  expect(await resultContaining(page, 'تأخیر در صدور پروانه بهره‌برداری')).toContain('"obstacleChanged"');
  expect(sockets.flatMap((socket) => socket.inits)).toEqual([{ authorization: `Bearer ${headerToken}` }]);
  expect(logged('subscription started', 'explorer-pasted')).toBe(false);

  // A new pasted token does not disturb the header's subscription.
  await page.locator('#tashil-token').fill(await tokenFor({ subject: 'explorer-pasted-2', roles: ['VIEWER'] }));
  await page.getByRole('button', { name: 'Stop query (Ctrl-Enter)' }).click();
  await eventually(async () => (await openSubscriptions()) === 0, 'the stopped subscription gone from the server');
  expect(sockets.flatMap((socket) => socket.inits)).toEqual([{ authorization: `Bearer ${headerToken}` }]);
  expect(problems).toEqual([]);
  await page.close();
});
