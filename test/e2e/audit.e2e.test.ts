/**
 * An auditor over real HTTP: the seed scenarios recorded by `tashil seed`,
 * the real server process, an AUDITOR token. Replay, state as of a Jalali
 * date, causation and integrity through GraphQL; verify and export through
 * the CLI while the server runs; every audit query in the server's log with
 * the auditor's name; and a VIEWER refused every audit query.
 *
 * Needs a fresh `dist/` (`npm test` builds it first).
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../src/audit/export';
import { runCli } from '../audit/seeded';
import { tempDir } from '../support/app';
import { killAllServers, startServer, tokenFor, type ServerProcess } from '../support/server-process';

const OBSTACLES = `{ obstacles(first: 100) { edges { node { id title } } } }`;
const REPLAY = `query ($kind: AggregateKind!, $id: ID!, $first: Int, $after: String, $eventTypes: [String!]) {
  replay(kind: $kind, id: $id, first: $first, after: $after, eventTypes: $eventTypes) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { event { type revision actor command occurredAtJalali hash previousHash } state changes { path change before after } } } } }`;
const STATE_AS_OF = `query ($kind: AggregateKind!, $id: ID!, $at: DateTime, $by: TimeBasis) {
  stateAsOf(kind: $kind, id: $id, at: $at, by: $by) { revision eventsApplied exists atJalali state lastEvent { type } } }`;
const CAUSED_BY = `query ($correlationId: ID, $commandId: ID) {
  causedBy(correlationId: $correlationId, commandId: $commandId) { streams truncated events { streamName revision position type commandId depth } } }`;
const VERIFY = `query ($kind: AggregateKind, $id: ID) {
  verifyIntegrity(kind: $kind, id: $id) { ok streamsChecked eventsChecked eventsUnhashed firstBrokenLink { streamName } headsDigest heads { streamName hash } } }`;
const AUDIT_TRAIL = `query ($kind: AggregateKind!, $id: ID!) { auditTrail(kind: $kind, id: $id) { totalCount } }`;

let dataDir: string;
let server: ServerProcess;
let auditor: Record<string, string>;
let viewer: Record<string, string>;
let obstacleId: string;

/**
 * Read-only queries, so a retry is safe: after the long CLI steps an idle
 * keep-alive socket can be closed by the server just as fetch reuses it
 * ("other side closed"), a client-side race, not an answer of the server.
 */
const gql = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => {
  try {
    return await server.gql(query, variables, headers);
  } catch (error) {
    // Not `instanceof TypeError`: fetch's errors come from another realm than the test's globals.
    if (!/fetch failed/.test(String((error as { message?: unknown } | null)?.message))) throw error;
    return server.gql(query, variables, headers);
  }
};

const ok = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => {
  const response = await gql(query, variables, headers);
  if (response.status !== 200 || response.body.errors?.length || !response.body.data) {
    throw new Error(`expected success, got HTTP ${response.status}: ${JSON.stringify(response.body, null, 2)}\n--- server stderr ---\n${server.stderr()}`);
  }
  return response.body.data as Record<string, any>;
};

beforeAll(async () => {
  dataDir = tempDir('tashil-e2e-audit-');
  const seeded = runCli(['seed'], dataDir);
  if (seeded.status !== 0) throw new Error(`tashil seed failed (${seeded.status}): ${seeded.stderr}`);
  server = await startServer({ dataDir });
  auditor = { authorization: `Bearer ${await tokenFor({ subject: 'e2e-بازرس', roles: ['AUDITOR'] })}` };
  viewer = { authorization: `Bearer ${await tokenFor({ subject: 'e2e-viewer', roles: ['VIEWER'] })}` };
  const obstacles = (await ok(OBSTACLES, {}, viewer)).obstacles.edges.map((e: any) => e.node);
  obstacleId = obstacles.find((o: any) => o.title === 'امهال تسهیلات بانکی سرمایه در گردش').id;
}, 120_000);
afterAll(async () => {
  await killAllServers();
  rmSync(dataDir, { recursive: true, force: true });
});

test('replay a case step by step, in pages, with the state and what changed', async () => {
  const first = (await ok(REPLAY, { kind: 'OBSTACLE', id: obstacleId, first: 1 }, auditor)).replay;
  expect(first.pageInfo.hasNextPage).toBe(true);
  const [raised] = first.edges.map((e: any) => e.node);
  expect(raised.event).toMatchObject({ type: 'ObstacleRaised', revision: '0', actor: 'seed', command: 'RaiseObstacle', occurredAtJalali: '1403/09/06', previousHash: null });
  expect(raised.state).toMatchObject({ status: 'OPEN', title: 'امهال تسهیلات بانکی سرمایه در گردش' });

  const next = (await ok(REPLAY, { kind: 'OBSTACLE', id: obstacleId, first: 1, after: first.pageInfo.endCursor }, auditor)).replay;
  const referred = next.edges[0].node;
  expect(referred.event).toMatchObject({ type: 'ObstacleReferred', revision: '1', previousHash: raised.event.hash });
  expect(referred.changes).toContainEqual({ path: 'leadAgency', change: 'CHANGED', before: null, after: 'بانک ملی' });

  const onlyReferred = (await ok(REPLAY, { kind: 'OBSTACLE', id: obstacleId, eventTypes: ['ObstacleReferred'] }, auditor)).replay;
  expect(onlyReferred.totalCount).toBe(1);
});

test('the case as of a Jalali date (business time) and before it existed (recording time)', async () => {
  const onDay = (await ok(STATE_AS_OF, { kind: 'OBSTACLE', id: obstacleId, at: '۱۴۰۳/۰۹/۰۷', by: 'OCCURRED' }, auditor)).stateAsOf;
  expect(onDay).toMatchObject({ revision: '1', eventsApplied: 2, exists: true, atJalali: '1403/09/07', lastEvent: { type: 'ObstacleReferred' } });
  expect(onDay.state).toMatchObject({ status: 'REFERRED', leadAgency: 'بانک ملی' });

  const before = (await ok(STATE_AS_OF, { kind: 'OBSTACLE', id: obstacleId, at: '1403/07/01' }, auditor)).stateAsOf;
  expect(before).toMatchObject({ exists: false, revision: null, eventsApplied: 0 });
});

test('what one user action and one command caused, across streams', async () => {
  const action = (await ok(CAUSED_BY, { correlationId: 'seed:pakdasht' }, auditor)).causedBy;
  expect(action.truncated).toBe(false);
  expect(action.streams.length).toBeGreaterThan(3);
  const positions = action.events.map((e: any) => BigInt(e.position));
  expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));

  const raise = action.events.find((e: any) => e.streamName === `obstacle-${obstacleId}` && e.type === 'ObstacleRaised');
  const command = (await ok(CAUSED_BY, { commandId: raise.commandId }, auditor)).causedBy;
  expect(command.events.map((e: any) => [e.type, e.depth])).toEqual([['ObstacleRaised', 0]]);
});

test('integrity over GraphQL and with the CLI while the server runs; export with the hashes', async () => {
  const report = (await ok(VERIFY, {}, auditor)).verifyIntegrity;
  expect(report).toMatchObject({ ok: true, eventsUnhashed: 0, firstBrokenLink: null });
  const one = (await ok(VERIFY, { kind: 'OBSTACLE', id: obstacleId }, auditor)).verifyIntegrity;
  expect(one).toMatchObject({ ok: true, streamsChecked: 1 });

  const cli = runCli(['audit', 'verify'], dataDir);
  expect(cli.status).toBe(0);
  expect(JSON.parse(cli.stdout)).toMatchObject({ ok: true, eventsChecked: report.eventsChecked });

  const heads = runCli(['audit', 'heads'], dataDir);
  expect(heads.status).toBe(0);
  expect(JSON.parse(heads.stdout).digest).toBe(report.headsDigest);

  const jsonl = runCli(['audit', 'export', '--stream', `obstacle-${obstacleId}`], dataDir);
  expect(jsonl.status).toBe(0);
  const records = jsonl.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
  expect(records.map((r: any) => r.type).slice(0, 2)).toEqual(['ObstacleRaised', 'ObstacleReferred']);
  expect(records[records.length - 1].hash).toBe(one.heads[0].hash);

  const out = join(dataDir, 'history.csv');
  expect(runCli(['audit', 'export', '--format', 'csv', '--out', out], dataDir).status).toBe(0);
  const [header, ...rows] = parseCsv(readFileSync(out, 'utf8'));
  expect(rows).toHaveLength(report.eventsChecked);
  expect(header).toContain('hash');
  expect(rows.some((row) => row[header!.indexOf('data')]!.includes('بانک ملی'))).toBe(true);
});

test("every audit query lands in the server's log with the auditor and the request id", async () => {
  const queries: [string, string, Record<string, unknown>][] = [
    ['replay', REPLAY, { kind: 'OBSTACLE', id: obstacleId, first: 1 }],
    ['stateAsOf', STATE_AS_OF, { kind: 'OBSTACLE', id: obstacleId, at: '1403/09/07' }],
    ['causedBy', CAUSED_BY, { correlationId: 'seed:pakdasht' }],
    ['verifyIntegrity', VERIFY, { kind: 'OBSTACLE', id: obstacleId }],
    ['auditTrail', AUDIT_TRAIL, { kind: 'OBSTACLE', id: obstacleId }],
  ];
  for (const [name, query, variables] of queries) {
    const response = await gql(query, variables, { ...auditor, 'x-request-id': `audit-e2e-${name}` });
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
  }
  const deadline = Date.now() + 5_000;
  let lines: Record<string, unknown>[] = [];
  while (Date.now() < deadline) {
    lines = server.logLines().filter((l) => l.msg === 'audit access' && String(l.requestId).startsWith('audit-e2e-'));
    if (lines.length >= queries.length) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const [name] of queries) {
    expect(lines.find((l) => l.requestId === `audit-e2e-${name}`)).toMatchObject({ actor: 'e2e-بازرس', roles: ['AUDITOR'], query: name });
  }
  expect(lines.find((l) => l.query === 'auditTrail')).toMatchObject({ kind: 'OBSTACLE', id: obstacleId });
  expect(lines.find((l) => l.query === 'causedBy')).toMatchObject({ args: { correlationId: 'seed:pakdasht' } });
});

test('a VIEWER gets FORBIDDEN on every audit query', async () => {
  const queries: [string, Record<string, unknown>][] = [
    [REPLAY, { kind: 'OBSTACLE', id: obstacleId }],
    [STATE_AS_OF, { kind: 'OBSTACLE', id: obstacleId, at: '1403/09/07' }],
    [CAUSED_BY, { correlationId: 'seed:pakdasht' }],
    [VERIFY, {}],
    [AUDIT_TRAIL, { kind: 'OBSTACLE', id: obstacleId }],
  ];
  for (const [query, variables] of queries) {
    const response = await gql(query, variables, viewer);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(response.body.data ?? null).toBeNull();
  }
});
