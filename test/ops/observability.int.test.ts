/** What operators see: Prometheus metrics, readiness that notices a stuck projection, and access logs without secrets. */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { issueToken } from '../../src/auth/tokens';
import { listen, type Listening } from '../../src/http';
import { EndOfTurnWriter, jsonLog } from '../../src/log';
import { REGISTER_UNIT, kharazmiUnit } from '../api/operations';
import { startTestApp, type TestApp } from '../support/app';
import { REPO_ROOT } from '../support/server-process';

const SECRET = 'observability-secret-0123456789abcdefghij';
const KEYS = { issuer: 'tashil', audience: 'tashil-api', secret: new TextEncoder().encode(SECRET) };

let t: TestApp;
let http: Listening;
const lines: Record<string, unknown>[] = [];
let token: string;

beforeAll(async () => {
  t = await startTestApp({ env: { TASHIL_JWT_SECRET: SECRET, PORT: '0', TASHIL_READY_MAX_LAG_EVENTS: '0' } });
  http = await listen(t.app, (msg, fields) => lines.push({ msg, ...fields }));
  token = await issueToken(KEYS, { subject: 'dabir-1', roles: ['ADMIN'] });
});
afterAll(async () => {
  await http.close();
  await t.close();
});

const gql = (query: string, variables?: unknown) =>
  fetch(http.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  }).then((r) => r.json() as Promise<any>);
const get = (path: string) => fetch(new URL(path, http.url));

test('GET /metrics: requests, errors by code, append latency and projection lag', async () => {
  await gql(REGISTER_UNIT, { input: kharazmiUnit() });
  await gql(REGISTER_UNIT, { input: kharazmiUnit({ name: '' }) });
  const response = await fetch(new URL('/metrics', http.url), { headers: { authorization: `Bearer ${token}` } });
  expect(response.headers.get('content-type')).toMatch(/text\/plain/);
  const text = await response.text();
  expect(text).toMatch(/tashil_http_requests_total\{route="\/graphql",status="200"\} [1-9]/);
  expect(text).toMatch(/tashil_graphql_errors_total\{code="BAD_USER_INPUT"\} 1/);
  expect(text).toMatch(/tashil_append_duration_seconds_count\{outcome="ok"\} [1-9]/);
  expect(text).toMatch(/tashil_projection_lag_events\{projection="units",state="LIVE"\} 0/);
  expect(text).toMatch(/^tashil_projection_subscription_stalls_total 0$/m);
  expect(text).toMatch(/tashil_process_resident_memory_bytes \d+/);
});

test('the access log names request, actor, operation and duration, and never the token or the variables', async () => {
  lines.length = 0;
  await gql(`mutation RegisterKia($input: RegisterUnitInput!) { registerUnit(input: $input) { revision } }`, {
    input: kharazmiUnit({ nationalId: '10100000077', name: 'کیا افق پایدار' }),
  });
  const entry = lines.find((l) => l.msg === 'request');
  expect(entry).toMatchObject({ actor: 'dabir-1', operation: 'RegisterKia', status: 200, requestId: expect.any(String), durationMs: expect.any(Number) });
  const all = JSON.stringify(lines);
  expect(all).not.toContain(token);
  expect(all).not.toContain('کیا افق پایدار');
});

test('pino output is one JSON object per line, with secrets redacted', () => {
  const out: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (out.push(String(chunk)), done()) });
  const log = jsonLog({ service: 'tashil' }, sink);
  log('started', { authorization: 'Bearer abc.def.ghi', port: 4000 });
  const line = JSON.parse(out.join('').trim());
  expect(line).toMatchObject({ msg: 'started', service: 'tashil', level: 'info', port: 4000, authorization: '[redacted]' });
  expect(typeof line.time).toBe('string');
});

describe('the server log writes the lines of one turn of the event loop together', () => {
  const logFile = (): { path: string; fd: number; text(): string[] } => {
    const path = join(mkdtempSync(join(tmpdir(), 'tashil-log-')), 'out.log');
    const fd = openSync(path, 'w');
    return { path, fd, text: () => readFileSync(path, 'utf8').split('\n').filter(Boolean) };
  };

  test('lines logged in one turn reach the file when the turn ends, all of them, in order', async () => {
    const file = logFile();
    const log = jsonLog({ service: 'tashil' }, new EndOfTurnWriter(file.fd));
    for (let i = 1; i <= 3; i++) log('request', { n: i });
    expect(file.text()).toEqual([]);
    await nextTurn();
    expect(file.text().map((l) => JSON.parse(l).n)).toEqual([1, 2, 3]);
    closeSync(file.fd);
  });

  test('a line logged with flush is written before the call returns, with the lines waiting before it', () => {
    const file = logFile();
    const log = jsonLog({ service: 'tashil' }, new EndOfTurnWriter(file.fd));
    log('request', { n: 1 });
    log('audit access', { query: 'replay' }, 'info', { flush: true });
    expect(file.text().map((l) => JSON.parse(l).msg)).toEqual(['request', 'audit access']);
    closeSync(file.fd);
  });

  test('a process that exits in the turn it logged still writes the lines', () => {
    const entry = join(REPO_ROOT, 'dist', 'src', 'log.js');
    const child = spawnSync(process.execPath, ['-e', `const { jsonLog } = require(${JSON.stringify(entry)}); jsonLog()('last words', { n: 7 }); process.exit(3);`], {
      encoding: 'utf8',
    });
    expect(child.status).toBe(3);
    expect(JSON.parse(child.stdout)).toMatchObject({ msg: 'last words', n: 7 });
  });
});

test('/readyz says not ready while a projection falls behind, and ready once it catches up', async () => {
  expect((await get('/readyz')).status).toBe(200);
  t.app.runtime.pause('unit-history');
  await gql(REGISTER_UNIT, { input: kharazmiUnit({ nationalId: '10100000078' }) });
  const stuck = await get('/readyz');
  expect(stuck.status).toBe(503);
  expect(await stuck.json()).toMatchObject({ status: 'not ready', storeReachable: true });
  await t.app.runtime.resume('unit-history');
  await t.app.runtime.waitForPosition(await t.app.store.headPosition(), 5000);
  expect((await get('/readyz')).status).toBe(200);
  expect((await get('/healthz')).status).toBe(200);
});
