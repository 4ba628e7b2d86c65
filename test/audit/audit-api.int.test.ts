/**
 * The auditors' queries in process (`executeOperation`) on the seed
 * scenarios: replay with state and field-level diffs, filters and pages;
 * state as of a Jalali date or a revision; causation across streams;
 * integrity; and every audit query logged with its actor. Nobody else may
 * run them.
 */
import type { Principal } from '../../src/auth/principal';
import type { Role } from '../../src/auth/principal';
import { seedScenarios } from '../../src/seed/scenarios';
import { startTestApp, type TestApp } from '../support/app';

const AUDITOR: Principal = { subject: 'auditor-1', roles: ['AUDITOR'], province: null, counties: [], agencyId: null };
const as = (role: Role, subject = `someone-${role.toLowerCase()}`): Principal => ({ subject, roles: [role], province: null, counties: [], agencyId: null });

const EVENT = `eventId type schemaVersion currentSchemaVersion streamName revision position recordedAt occurredAt occurredAtJalali
  actor command commandId correlationId causationId reason data currentData hash previousHash`;
const REPLAY = `query ($kind: AggregateKind!, $id: ID!, $first: Int, $after: String, $actor: String, $eventTypes: [String!], $from: DateTime, $to: DateTime, $by: TimeBasis) {
  replay(kind: $kind, id: $id, first: $first, after: $after, actor: $actor, eventTypes: $eventTypes, from: $from, to: $to, by: $by) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { event { ${EVENT} } state changes { path change before after } } } } }`;
const STATE_AS_OF = `query ($kind: AggregateKind!, $id: ID!, $at: DateTime, $revision: String, $by: TimeBasis) {
  stateAsOf(kind: $kind, id: $id, at: $at, revision: $revision, by: $by) {
    kind id streamName at atJalali by revision eventsApplied exists state lastEvent { type revision hash } } }`;
const VERIFY = `query ($kind: AggregateKind, $id: ID) {
  verifyIntegrity(kind: $kind, id: $id) {
    ok streamName streamsChecked eventsChecked eventsUnhashed headsDigest
    firstBrokenLink { streamName revision position reason expected actual } brokenLinks { streamName } heads { streamName revision position hash } } }`;
const CAUSED_BY = `query ($correlationId: ID, $commandId: ID, $first: Int) {
  causedBy(correlationId: $correlationId, commandId: $commandId, first: $first) {
    correlationId commandId truncated streams
    events { eventId streamName revision position type command commandId correlationId causationId actor recordedAt recordedAtJalali depth event { type hash data } } } }`;
const AUDIT_TRAIL = `query ($kind: AggregateKind!, $id: ID!) { auditTrail(kind: $kind, id: $id, first: 100) { totalCount edges { node { ${EVENT} } } } }`;

let t: TestApp;
const lines: { msg: string; fields: Record<string, unknown> }[] = [];
let obstacleId: string;
let obstacleEvents: number;
let meetingId: string;
let unitId: string;

/** The seeded aggregates, found in the store itself: the obstacle and the meeting with the longest histories. */
const longest = async (category: string): Promise<{ id: string; events: number }> => {
  const counts = new Map<string, number>();
  for (const event of await t.app.store.readAll()) {
    if (event.streamName.startsWith(`${category}-`)) counts.set(event.streamName, (counts.get(event.streamName) ?? 0) + 1);
  }
  const [stream, events] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
  return { id: stream.slice(category.length + 1), events };
};

beforeAll(async () => {
  t = await startTestApp({ log: (msg, fields = {}) => lines.push({ msg, fields }) });
  await seedScenarios(t.app);
  await t.app.runtime.waitForPosition(await t.app.store.headPosition(), 10_000);
  ({ id: obstacleId, events: obstacleEvents } = await longest('obstacle'));
  ({ id: meetingId } = await longest('meeting'));
  unitId = (await t.app.store.readStream(`obstacle-${obstacleId}`))[0]!.data.unitId as string;
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  lines.length = 0;
});

const auditLines = () => lines.filter((l) => l.msg === 'audit access').map((l) => l.fields);

describe('replay', () => {
  test('every step with the event, the state after it and what it changed', async () => {
    const { replay } = await t.ok(REPLAY, { kind: 'OBSTACLE', id: obstacleId, first: 100 }, AUDITOR);
    expect(replay.totalCount).toBe(obstacleEvents);
    const steps = replay.edges.map((e: any) => e.node);
    expect(steps.map((s: any) => s.event.revision)).toEqual(steps.map((_: unknown, i: number) => String(i)));

    const [raised, referred] = steps;
    expect(raised.event).toMatchObject({ type: 'ObstacleRaised', actor: 'seed', command: 'RaiseObstacle', schemaVersion: 1, currentSchemaVersion: 1, previousHash: null });
    expect(raised.event.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(raised.state).toMatchObject({ status: 'OPEN', obstacleId, leadAgency: null });
    expect(raised.changes).toContainEqual({ path: 'status', change: 'CHANGED', before: 'ABSENT', after: 'OPEN' });
    expect(raised.changes).toContainEqual(expect.objectContaining({ path: 'title', change: 'ADDED', before: null }));

    expect(referred.event).toMatchObject({ type: 'ObstacleReferred', previousHash: raised.event.hash });
    expect(referred.state).toMatchObject({ status: 'REFERRED', leadAgency: 'بانک ملی' });
    expect(referred.changes).toEqual(
      expect.arrayContaining([
        { path: 'status', change: 'CHANGED', before: 'OPEN', after: 'REFERRED' },
        { path: 'leadAgency', change: 'CHANGED', before: null, after: 'بانک ملی' },
        { path: 'cooperatingAgencies.0', change: 'ADDED', before: null, after: 'اداره صمت' },
      ]),
    );
    // Nothing unchanged is listed.
    expect(referred.changes.map((c: any) => c.path)).not.toContain('title');
  });

  test('pages of a replay join up to the whole replay', async () => {
    const whole = (await t.ok(REPLAY, { kind: 'MEETING', id: meetingId, first: 100 }, AUDITOR)).replay;
    const seen: any[] = [];
    let after: string | undefined;
    for (;;) {
      const page = (await t.ok(REPLAY, { kind: 'MEETING', id: meetingId, first: 2, ...(after ? { after } : {}) }, AUDITOR)).replay;
      expect(page.totalCount).toBe(whole.totalCount);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== undefined);
      seen.push(...page.edges);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(whole.edges);
    expect(whole.totalCount).toBeGreaterThan(2);
  });

  test('filtered by event type, actor and time range (Jalali, on the business clock); the state still folds from the start', async () => {
    const referred = (await t.ok(REPLAY, { kind: 'OBSTACLE', id: obstacleId, eventTypes: ['ObstacleReferred'] }, AUDITOR)).replay;
    expect(referred.totalCount).toBe(1);
    expect(referred.edges[0].node.state).toMatchObject({ status: 'REFERRED', title: expect.any(String) });

    expect((await t.ok(REPLAY, { kind: 'OBSTACLE', id: obstacleId, actor: 'seed' }, AUDITOR)).replay.totalCount).toBe(obstacleEvents);
    expect((await t.ok(REPLAY, { kind: 'OBSTACLE', id: obstacleId, actor: 'nobody' }, AUDITOR)).replay.totalCount).toBe(0);

    // Raised 1403/09/06 10:00 and referred 11:00 (Tehran); nothing else that day.
    const firstDay = (await t.ok(REPLAY, { kind: 'OBSTACLE', id: obstacleId, from: '1403/09/06', to: '1403/09/06 23:59', by: 'OCCURRED' }, AUDITOR)).replay;
    expect(firstDay.edges.map((e: any) => e.node.event.type)).toEqual(['ObstacleRaised', 'ObstacleReferred']);
    expect(firstDay.edges[0].node.event.occurredAtJalali).toBe('1403/09/06');
    // Recorded (by the store) today, not in 1403: nothing on the recording clock.
    expect((await t.ok(REPLAY, { kind: 'OBSTACLE', id: obstacleId, to: '1403/09/06 23:59' }, AUDITOR)).replay.totalCount).toBe(0);
  });

  test('a bad cursor or an unknown aggregate', async () => {
    expect((await t.exec(REPLAY, { kind: 'OBSTACLE', id: obstacleId, after: 'nonsense' }, AUDITOR)).errors![0].extensions.code).toBe('BAD_USER_INPUT');
    const none = (await t.ok(REPLAY, { kind: 'UNIT', id: '00000000-0000-0000-0000-000000000000' }, AUDITOR)).replay;
    expect(none).toMatchObject({ totalCount: 0, edges: [] });
  });
});

describe('stateAsOf', () => {
  test('as of a Jalali date on the business clock, as of a revision, and before anything was recorded', async () => {
    const onDay = (await t.ok(STATE_AS_OF, { kind: 'OBSTACLE', id: obstacleId, at: '1403/09/07', by: 'OCCURRED' }, AUDITOR)).stateAsOf;
    expect(onDay).toMatchObject({ by: 'OCCURRED', revision: '1', eventsApplied: 2, exists: true, atJalali: '1403/09/07', lastEvent: { type: 'ObstacleReferred', revision: '1' } });
    expect(onDay.state).toMatchObject({ status: 'REFERRED', leadAgency: 'بانک ملی' });
    expect(new Date(onDay.at).toISOString()).toBe('2024-11-26T20:30:00.000Z');

    const first = (await t.ok(STATE_AS_OF, { kind: 'OBSTACLE', id: obstacleId, revision: '0' }, AUDITOR)).stateAsOf;
    expect(first).toMatchObject({ revision: '0', eventsApplied: 1, state: { status: 'OPEN' } });

    // On the recording clock the seed was written today: on 1403/07/01 the case did not exist.
    const before = (await t.ok(STATE_AS_OF, { kind: 'OBSTACLE', id: obstacleId, at: '1403/07/01' }, AUDITOR)).stateAsOf;
    expect(before).toMatchObject({ by: 'RECORDED', revision: null, eventsApplied: 0, exists: false, state: { status: 'ABSENT' }, lastEvent: null });

    const now = (await t.ok(STATE_AS_OF, { kind: 'OBSTACLE', id: obstacleId }, AUDITOR)).stateAsOf;
    const replayed = (await t.ok(REPLAY, { kind: 'OBSTACLE', id: obstacleId, first: 100 }, AUDITOR)).replay;
    expect(now.state).toEqual(replayed.edges[replayed.edges.length - 1].node.state);
  });

  test('bad input: a revision that is not a number, an impossible Jalali date', async () => {
    expect((await t.exec(STATE_AS_OF, { kind: 'OBSTACLE', id: obstacleId, revision: 'abc' }, AUDITOR)).errors![0].extensions.code).toBe('BAD_USER_INPUT');
    // One past the largest revision a store holds (2^63 - 1): refused naming the field, like a mutation's expectedRevision.
    const beyond = (await t.exec(STATE_AS_OF, { kind: 'OBSTACLE', id: obstacleId, revision: '9223372036854775808' }, AUDITOR)).errors![0];
    expect(beyond.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'revision', messages: ['revision must be a revision: a decimal number from 0 to 9223372036854775807'] }] });
    expect((await t.exec(STATE_AS_OF, { kind: 'OBSTACLE', id: obstacleId, at: '1403/13/40' }, AUDITOR)).errors![0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('verifyIntegrity', () => {
  test('the whole store and one aggregate verify clean; heads and their digest are reported', async () => {
    const whole = (await t.ok(VERIFY, {}, AUDITOR)).verifyIntegrity;
    expect(whole).toMatchObject({ ok: true, streamName: null, eventsUnhashed: 0, firstBrokenLink: null, brokenLinks: [] });
    expect(whole.heads.length).toBe(whole.streamsChecked);
    expect(whole.headsDigest).toMatch(/^[0-9a-f]{64}$/);

    const one = (await t.ok(VERIFY, { kind: 'OBSTACLE', id: obstacleId }, AUDITOR)).verifyIntegrity;
    expect(one).toMatchObject({ ok: true, streamName: `obstacle-${obstacleId}`, streamsChecked: 1, eventsChecked: obstacleEvents });
    expect(one.heads[0]).toEqual(whole.heads.find((h: any) => h.streamName === `obstacle-${obstacleId}`));
  });

  test('kind without id is refused; only auditors and the administrator may verify', async () => {
    expect((await t.exec(VERIFY, { kind: 'OBSTACLE' }, AUDITOR)).errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await t.exec(VERIFY, {}, as('SECRETARIAT'))).errors![0].extensions.code).toBe('FORBIDDEN');
    expect((await t.ok(VERIFY, {}, as('ADMIN'))).verifyIntegrity.ok).toBe(true);
  });
});

describe('causedBy', () => {
  test('everything one user action caused, across streams, in commit order', async () => {
    const trace = (await t.ok(CAUSED_BY, { correlationId: 'seed:pakdasht', first: 1000 }, AUDITOR)).causedBy;
    expect(trace.truncated).toBe(false);
    const positions = trace.events.map((e: any) => BigInt(e.position));
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
    expect(trace.events.every((e: any) => e.correlationId === 'seed:pakdasht')).toBe(true);
    for (const prefix of ['unit-', 'obstacle-', 'meeting-']) expect(trace.streams.some((s: string) => s.startsWith(prefix))).toBe(true);
    expect(trace.events[0].event.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  test("one command's events, and what they caused in turn, even under another correlation", async () => {
    const raised = (await t.ok(REPLAY, { kind: 'OBSTACLE', id: obstacleId, first: 1 }, AUDITOR)).replay.edges[0].node.event;
    expect(raised.data.unitId).toBe(unitId);
    // A follow-up command that names the raise as its cause (as a process manager would).
    const follow = await t.app.commands.changeUnitActivityStatus(
      { unitId, status: 'INACTIVE', reason: 'در پی طرح مانع' },
      { principal: as('ADMIN', 'process-manager'), now: new Date(), correlationId: 'other-action', causationId: raised.commandId },
    );
    await t.app.runtime.waitForPosition(follow.position, 10_000);

    const trace = (await t.ok(CAUSED_BY, { commandId: raised.commandId }, AUDITOR)).causedBy;
    expect(trace.events.map((e: any) => [e.type, e.depth])).toEqual([
      ['ObstacleRaised', 0],
      ['UnitActivityStatusChanged', 1],
    ]);
    expect(trace.events[1]).toMatchObject({ commandId: follow.commandId, causationId: raised.commandId, actor: 'process-manager', streamName: `unit-${unitId}` });
    expect(trace.streams).toEqual([`obstacle-${obstacleId}`, `unit-${unitId}`]);

    // Within the seed's correlation only the raise itself.
    const within = (await t.ok(CAUSED_BY, { commandId: raised.commandId, correlationId: raised.correlationId }, AUDITOR)).causedBy;
    expect(within.events.map((e: any) => e.type)).toEqual(['ObstacleRaised']);
  });

  test('neither id is refused; first is bounded', async () => {
    expect((await t.exec(CAUSED_BY, {}, AUDITOR)).errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await t.exec(CAUSED_BY, { correlationId: 'x', first: 5000 }, AUDITOR)).errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await t.ok(CAUSED_BY, { correlationId: 'seed:pakdasht', first: 2 }, AUDITOR)).causedBy).toMatchObject({ truncated: true, events: [{}, {}] });
  });
});

test('the audit trail shows the event as recorded with its hashes and today’s shape', async () => {
  const trail = (await t.ok(AUDIT_TRAIL, { kind: 'MEETING', id: meetingId }, AUDITOR)).auditTrail;
  const nodes = trail.edges.map((e: any) => e.node);
  nodes.forEach((node: any, i: number) => {
    expect(node.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(node.previousHash).toBe(i === 0 ? null : nodes[i - 1].hash);
    expect(node.currentData).toEqual(node.data);
    expect(node.currentSchemaVersion).toBe(node.schemaVersion);
  });
});

test('every audit query is logged with the actor, the query, what it was about and the request', async () => {
  await t.ok(REPLAY, { kind: 'OBSTACLE', id: obstacleId, eventTypes: ['ObstacleReferred'] }, AUDITOR);
  await t.ok(STATE_AS_OF, { kind: 'OBSTACLE', id: obstacleId, at: '1403/09/07' }, AUDITOR);
  await t.ok(VERIFY, { kind: 'MEETING', id: meetingId }, AUDITOR);
  await t.ok(CAUSED_BY, { correlationId: 'seed:pakdasht' }, AUDITOR);
  await t.ok(AUDIT_TRAIL, { kind: 'MEETING', id: meetingId }, AUDITOR);
  const logged = auditLines();
  expect(logged.map((l) => l.query)).toEqual(['replay', 'stateAsOf', 'verifyIntegrity', 'causedBy', 'auditTrail']);
  for (const line of logged) {
    expect(line).toMatchObject({ actor: 'auditor-1', roles: ['AUDITOR'], requestId: expect.any(String) });
  }
  expect(logged[0]).toMatchObject({ kind: 'OBSTACLE', id: obstacleId, args: { eventTypes: ['ObstacleReferred'] } });
  expect(logged[1]).toMatchObject({ kind: 'OBSTACLE', id: obstacleId, args: { at: '2024-11-26T20:30:00.000Z', by: 'RECORDED' } });
  expect(logged[2]).toMatchObject({ kind: 'MEETING', id: meetingId });
  expect(logged[3]).toMatchObject({ kind: null, id: null, args: { correlationId: 'seed:pakdasht' } });
  expect(new Set(logged.map((l) => l.requestId)).size).toBe(logged.length);

  // The audit trail reached through an entity's field is logged too.
  lines.length = 0;
  await t.ok(`query ($id: ID!) { obstacle(id: $id) { auditTrail(first: 1) { totalCount } } }`, { id: obstacleId }, AUDITOR);
  expect(auditLines()).toEqual([expect.objectContaining({ query: 'auditTrail', kind: 'OBSTACLE', id: obstacleId, actor: 'auditor-1' })]);
});

test('auditors change nothing, and a VIEWER, an ANALYST or an AGENCY user reads no audit query', async () => {
  const queries: [string, Record<string, unknown>][] = [
    [REPLAY, { kind: 'OBSTACLE', id: obstacleId }],
    [STATE_AS_OF, { kind: 'OBSTACLE', id: obstacleId }],
    [VERIFY, {}],
    [CAUSED_BY, { correlationId: 'seed:pakdasht' }],
    [AUDIT_TRAIL, { kind: 'OBSTACLE', id: obstacleId }],
  ];
  for (const role of ['VIEWER', 'ANALYST', 'AGENCY'] as Role[]) {
    for (const [query, variables] of queries) {
      const { errors } = await t.exec(query, variables, as(role));
      expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  }
  expect(auditLines()).toEqual([]);
  // Not signed in at all.
  expect((await t.exec(REPLAY, { kind: 'OBSTACLE', id: obstacleId }, null)).errors![0].extensions.code).toMatch(/UNAUTHENTICATED|FORBIDDEN/);

  const before = await t.app.store.headPosition();
  await expect(
    t.app.commands.changeUnitActivityStatus({ unitId: obstacleId, status: 'ACTIVE', reason: 'x' }, { principal: AUDITOR, now: new Date() }),
  ).rejects.toMatchObject({ code: expect.stringMatching(/FORBIDDEN|NOT_FOUND/) });
  expect(await t.app.store.headPosition()).toBe(before);
});
