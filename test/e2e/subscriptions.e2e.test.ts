/**
 * Subscriptions end to end: the real HTTP server on a loopback port, real
 * graphql-ws clients, mutations over HTTP. Each update arrives after its
 * projection applied it, so a query made on receipt sees the same state.
 */
import { listen } from '../../src/http';
import { silentLog } from '../../src/log';
import { kharazmiUnit, pakdashtMeeting, RAISE_OBSTACLE, RECORD_HELD, REFER_OBSTACLE, REGISTER_UNIT, RESOLVE_OBSTACLE, SCHEDULE_MEETING } from '../api/operations';
import { freePort } from '../support/server-process';
import { eventually, startLiveServer, subscribe, type LiveServer } from '../support/live';

const OBSTACLE_CHANGED = `subscription Cases($county: String, $status: ObstacleStatus, $leadAgency: String) {
  obstacleChanged(county: $county, status: $status, leadAgency: $leadAgency) { id title county status leadAgency revision unit { name } }
}`;
const MEETING_CHANGED = `subscription Meetings($county: String, $status: MeetingStatus) {
  meetingChanged(county: $county, status: $status) { id county status heldAt attendees { name } }
}`;
const UNIT_HISTORY = `subscription History($unitId: ID!) { unitHistoryGrew(unitId: $unitId) { kind summary subjectId position actor } }`;
const OBSTACLE = `query ($id: ID!) { obstacle(id: $id) { status leadAgency revision } }`;

let s: LiveServer;
let nationalId = 10300000000;
beforeAll(async () => {
  s = await startLiveServer();
});
afterAll(async () => {
  await s.close();
});

const listeners = () => s.t.app.live.listenerCount;
/** Subscriptions register on the server asynchronously: wait until `n` are listening before acting. */
const listening = (n: number) => eventually(() => listeners() === n, `${n} open subscriptions (have ${listeners()})`);

const unitIn = async (county: string) =>
  (await s.ok(REGISTER_UNIT, { input: kharazmiUnit({ county, nationalId: String(nationalId++) }) })).registerUnit.unit.id as string;
const raise = async (unitId: string, title = 'امهال وام') =>
  (await s.ok(RAISE_OBSTACLE, { input: { unitId, title, category: 'BANKING' } })).raiseObstacle.obstacle.id as string;

test('an obstacle changed: pushed with its new state, only for the county asked, and a query on receipt agrees', async () => {
  const pakdashtUnit = await unitIn('پاکدشت');
  const islamshahrUnit = await unitIn('اسلامشهر');
  const client = s.client({ role: 'VIEWER' });
  const updates = subscribe(client, OBSTACLE_CHANGED, { county: 'پاکدشت' });
  await listening(1);

  await raise(islamshahrUnit, 'بیمه');
  const id = await raise(pakdashtUnit);
  const raised = await updates.nth(1);
  expect(raised.errors).toBeUndefined();
  expect(raised.data!.obstacleChanged).toMatchObject({ id, county: 'پاکدشت', status: 'OPEN', unit: { name: 'ابتکار پلاستیک' } });

  await s.ok(REFER_OBSTACLE, { input: { obstacleId: id, leadAgency: 'بانک ملی', deadline: '2030-01-01T00:00:00Z' } });
  const referred = (await updates.nth(2)).data!.obstacleChanged;
  expect(referred).toMatchObject({ id, status: 'REFERRED', leadAgency: 'بانک ملی' });
  // Pushed after the projection committed: the read model already says what the update says.
  expect((await s.ok(OBSTACLE, { id })).obstacle).toEqual({ status: referred.status, leadAgency: referred.leadAgency, revision: referred.revision });
  expect(updates.results).toHaveLength(2);

  updates.unsubscribe();
  await listening(0);
});

test('filters by status and lead agency are applied on the server', async () => {
  const unitId = await unitIn('پاکدشت');
  const client = s.client();
  const resolved = subscribe(client, OBSTACLE_CHANGED, { status: 'RESOLVED' });
  const bank = subscribe(client, OBSTACLE_CHANGED, { leadAgency: 'بانک ملت' });
  await listening(2);

  const first = await raise(unitId);
  await s.ok(REFER_OBSTACLE, { input: { obstacleId: first, leadAgency: 'تامین اجتماعی', deadline: '2030-01-01T00:00:00Z' } });
  await s.ok(RESOLVE_OBSTACLE, { input: { obstacleId: first, resolutionSummary: 'رفع شد' } });
  const second = await raise(unitId);
  await s.ok(REFER_OBSTACLE, { input: { obstacleId: second, leadAgency: 'بانک ملت', deadline: '2030-01-01T00:00:00Z' } });

  expect((await resolved.nth(1)).data!.obstacleChanged).toMatchObject({ id: first, status: 'RESOLVED' });
  expect((await bank.nth(1)).data!.obstacleChanged).toMatchObject({ id: second, status: 'REFERRED', leadAgency: 'بانک ملت' });
  // The bank's referral came last: had anything else passed either filter, it would have arrived before it.
  expect(resolved.results).toHaveLength(1);
  expect(bank.results).toHaveLength(1);
  resolved.unsubscribe();
  bank.unsubscribe();
  await listening(0);
});

test('a meeting changed: scheduled, then held with its attendees, filtered by county and status', async () => {
  const client = s.client({ role: 'SECRETARIAT' });
  const all = subscribe(client, MEETING_CHANGED, { county: 'پاکدشت' });
  const held = subscribe(client, MEETING_CHANGED, { status: 'HELD' });
  await listening(2);

  await s.ok(SCHEDULE_MEETING, { input: pakdashtMeeting({ county: 'اسلامشهر' }) });
  const meetingId = (await s.ok(SCHEDULE_MEETING, { input: pakdashtMeeting() })).scheduleMeeting.meeting.id as string;
  expect((await all.nth(1)).data!.meetingChanged).toMatchObject({ id: meetingId, county: 'پاکدشت', status: 'SCHEDULED', attendees: [] });
  await s.ok(RECORD_HELD, { input: { meetingId, attendees: [{ name: 'فرماندار', agency: 'فرمانداری' }], minutes: 'صورتجلسه' } });
  expect((await all.nth(2)).data!.meetingChanged).toMatchObject({ id: meetingId, status: 'HELD', attendees: [{ name: 'فرماندار' }] });
  expect((await held.nth(1)).data!.meetingChanged).toMatchObject({ id: meetingId, status: 'HELD' });
  expect(all.results).toHaveLength(2);
  expect(held.results).toHaveLength(1);
  all.unsubscribe();
  held.unsubscribe();
  await listening(0);
});

test("a unit's history grew: each new entry of that unit only, as `unit { history }` then lists it", async () => {
  const unitId = await unitIn('پاکدشت');
  const other = await unitIn('پاکدشت');
  const client = s.client({ role: 'VIEWER' });
  const history = subscribe(client, UNIT_HISTORY, { unitId });
  await listening(1);

  await raise(other);
  const obstacleId = await raise(unitId, 'قطعی برق');
  await s.ok(REFER_OBSTACLE, { input: { obstacleId, leadAgency: 'توزیع برق', deadline: '2030-01-01T00:00:00Z' } });
  expect((await history.nth(1)).data!.unitHistoryGrew).toMatchObject({ kind: 'OBSTACLE_RAISED', subjectId: obstacleId, actor: 'live-admin' });
  expect((await history.nth(2)).data!.unitHistoryGrew).toMatchObject({ kind: 'OBSTACLE_REFERRED', subjectId: obstacleId });
  const { unit } = await s.ok(`query ($id: ID!) { unit(id: $id) { history { edges { node { kind position } } } } }`, { id: unitId });
  expect(unit.history.edges.map((e: any) => e.node.position).slice(-2)).toEqual(history.results.map((r) => r.data!.unitHistoryGrew.position));
  history.unsubscribe();
  await listening(0);
});

test('bad arguments are BAD_USER_INPUT with the field named, an unknown unit NOT_FOUND; nothing stays subscribed', async () => {
  const client = s.client();
  const malformed = subscribe(client, UNIT_HISTORY, { unitId: 'not-an-id' });
  expect((await malformed.nth(1)).errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'unitId' }] } });
  const unknown = subscribe(client, UNIT_HISTORY, { unitId: '00000000-0000-4000-8000-000000000000' });
  expect((await unknown.nth(1)).errors![0].extensions!.code).toBe('NOT_FOUND');
  const longCounty = subscribe(client, OBSTACLE_CHANGED, { county: 'ک'.repeat(101) });
  expect((await longCounty.nth(1)).errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'county' }] } });
  const badEnum = subscribe(client, OBSTACLE_CHANGED, { status: 'SOLVED' });
  expect(((await badEnum.ended) as any[])[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'status' }] } });
  await Promise.all([malformed.ended, unknown.ended, longCounty.ended, badEnum.ended]);
  expect(listeners()).toBe(0);
});

test('the same limits as over HTTP: too deep or not a subscription is refused with a clear code', async () => {
  const client = s.client();
  let deep = 'id';
  for (let i = 0; i < 14; i++) deep = `unit { obstacles { edges { node { ${deep} } } } }`;
  const tooDeep = subscribe(client, `subscription { obstacleChanged { ${deep} } }`);
  const error = (await tooDeep.ended) as any[];
  expect(error[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(error[0].message).toMatch(/depth/i);
  const query = subscribe(client, `query { units(first: 1) { totalCount } }`);
  expect(((await query.ended) as any[])[0]).toMatchObject({ extensions: { code: 'BAD_REQUEST' }, message: expect.stringMatching(/POST \/graphql/) });
  const typo = subscribe(client, `subscription { obstacleChanged { titel } }`);
  expect(((await typo.ended) as any[])[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
});

test('a connection holds at most TASHIL_MAX_SUBSCRIPTIONS_PER_CONNECTION subscriptions (50); one more is BAD_REQUEST', async () => {
  const client = s.client();
  const fifty = Array.from({ length: 50 }, () => subscribe(client, `subscription { meetingChanged { id } }`));
  await listening(50);
  const refused = subscribe(client, `subscription { meetingChanged { id } }`);
  expect(((await refused.ended) as any[])[0]).toMatchObject({ extensions: { code: 'BAD_REQUEST' }, message: expect.stringMatching(/at most 50/) });
  // Ending one frees its place.
  fifty[0]!.unsubscribe();
  await listening(49);
  const again = subscribe(client, `subscription { meetingChanged { id } }`);
  await listening(50);
  for (const sub of [...fifty, again]) sub.unsubscribe();
  await listening(0);
});

test('over HTTP a subscription is a clear BAD_REQUEST, not an internal error', async () => {
  const { errors } = await s.gql(`subscription { obstacleChanged { id } }`);
  expect(errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  expect(errors?.[0]?.message).toMatch(/WebSocket/);
});

test('without a token, or with a bad one, the connection is closed with 4401', async () => {
  const anonymous = subscribe(s.client({ token: null }), OBSTACLE_CHANGED);
  expect(await anonymous.ended).toMatchObject({ code: 4401, reason: expect.stringMatching(/authorization/) });
  const forged = subscribe(s.client({ token: 'e30.e30.c2lnbmF0dXJl' }), OBSTACLE_CHANGED);
  expect(await forged.ended).toMatchObject({ code: 4401, reason: expect.stringMatching(/invalid token/) });
  // Long enough to be accepted on a loaded machine (`iat` is whole seconds, so a 1 s token could
  // expire before the connection opened and be refused as invalid instead), then cut when it expires.
  const expiring = s.client({ token: await s.token({ expiresIn: 3 }) });
  const cut = subscribe(expiring, OBSTACLE_CHANGED);
  await listening(1);
  expect(await cut.ended).toMatchObject({ code: 4401, reason: expect.stringMatching(/expired/) });
  await listening(0);
});

test('unsubscribing stops the pushes and removes the listener; the open-subscriptions gauge follows', async () => {
  const unitId = await unitIn('پاکدشت');
  const client = s.client();
  const stays = subscribe(client, OBSTACLE_CHANGED);
  const leaves = subscribe(client, OBSTACLE_CHANGED);
  await listening(2);
  expect(await gauge()).toBe(2);
  await raise(unitId);
  await leaves.nth(1);
  leaves.unsubscribe();
  await listening(1);
  const id = await raise(unitId);
  expect((await stays.nth(2)).data!.obstacleChanged.id).toBe(id);
  expect(leaves.results).toHaveLength(1);
  stays.unsubscribe();
  await listening(0);
  expect(await gauge()).toBe(0);
});

test('many clients connect, subscribe and disconnect (cleanly or by dropping the socket): nothing is left listening', async () => {
  const clients = Array.from({ length: 30 }, () => s.client());
  const subscriptions = clients.flatMap((client) => [subscribe(client, OBSTACLE_CHANGED), subscribe(client, MEETING_CHANGED)]);
  await listening(60);
  await raise(await unitIn('پاکدشت'));
  await Promise.all(subscriptions.filter((_, i) => i % 2 === 0).map((sub) => sub.nth(1)));
  // Half leave politely, half vanish with their sockets.
  await Promise.all(clients.slice(0, 15).map((c) => c.dispose()));
  for (const c of clients.slice(15)) c.terminate();
  await listening(0);
  expect(await gauge()).toBe(0);
});

const gauge = async (): Promise<number> => {
  const text = await (await fetch(s.http.url.replace('/graphql', '/metrics'), { headers: { authorization: `Bearer ${await s.token()}` } })).text();
  return Number(/^tashil_subscriptions_open (\d+)/m.exec(text)?.[1]);
};

describe('reconnect', () => {
  test('a client that loses its server re-subscribes when it comes back, and receives from then on', async () => {
    // The same port again after the restart, as a real redeploy would have.
    const port = await freePort();
    const r = await startLiveServer({ env: { PORT: String(port) } });
    try {
      const connected: number[] = [];
      const closed: number[] = [];
      const client = r.client({
        client: {
          retryAttempts: 50,
          retryWait: () => new Promise((resolve) => setTimeout(resolve, 100)),
          shouldRetry: () => true,
          on: { connected: () => connected.push(Date.now()), closed: (e: any) => closed.push(e.code) },
        },
      });
      const updates = subscribe(client, OBSTACLE_CHANGED);
      await eventually(() => r.t.app.live.listenerCount === 1, 'subscribed');
      const unitId = (await r.ok(REGISTER_UNIT, { input: kharazmiUnit({ nationalId: '10399999999' }) })).registerUnit.unit.id;
      await r.ok(RAISE_OBSTACLE, { input: { unitId, title: 'پیش از راه‌اندازی دوباره', category: 'BANKING' } });
      await updates.nth(1);

      await r.http.close();
      expect(closed).toContain(1001);
      r.http = await listen(r.t.app, silentLog);
      await eventually(() => connected.length === 2 && r.t.app.live.listenerCount === 1, 'reconnected and subscribed again');
      await r.ok(RAISE_OBSTACLE, { input: { unitId, title: 'پس از راه‌اندازی دوباره', category: 'BANKING' } });
      expect((await updates.nth(2)).data!.obstacleChanged.title).toBe('پس از راه‌اندازی دوباره');
    } finally {
      await r.close();
    }
  });
});
