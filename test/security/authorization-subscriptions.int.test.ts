/**
 * Every subscription × every role, over a real WebSocket: the read-model
 * subscriptions are open to every signed-in role (as the queries are), a
 * field with narrower roles (`auditTrail`) is FORBIDDEN inside the update,
 * and a connection without a token is closed with 4401 before anything runs.
 * The expectations are written out here, independently of the policy table.
 * Every role here is national (test/support/live.ts); what a placed or an
 * agency subscriber is sent is the read matrix's (read-matrix.int.test.ts).
 */
import type { Role } from '../../src/auth/principal';
import { kharazmiUnit, pakdashtMeeting, RAISE_OBSTACLE, RECORD_HELD, RECORD_RESOLUTION, REGISTER_UNIT, SCHEDULE_MEETING } from '../api/operations';
import { eventually, startLiveServer, subscribe, type LiveServer, type Received } from '../support/live';

const ROLES: Role[] = ['ADMIN', 'SECRETARIAT', 'CHAIR', 'AUDITOR', 'ANALYST', 'VIEWER'];
const EVERYONE = ROLES;

const SUBSCRIPTIONS: Record<string, { query: string; allowed: Role[] }> = {
  obstacleChanged: { query: `subscription { obstacleChanged { id status } }`, allowed: EVERYONE },
  meetingChanged: { query: `subscription { meetingChanged { id status } }`, allowed: EVERYONE },
  unitHistoryGrew: { query: `subscription ($unitId: ID!) { unitHistoryGrew(unitId: $unitId) { kind } }`, allowed: EVERYONE },
  resolutionBecameOverdue: { query: `subscription { resolutionBecameOverdue { id overdue } }`, allowed: EVERYONE },
};
/** The audit trail of what changed: for the roles that read audit trails. */
const AUDITED = `subscription { obstacleChanged { id auditTrail { totalCount } } }`;
const AUDIT_READERS: Role[] = ['ADMIN', 'SECRETARIAT', 'CHAIR', 'AUDITOR'];

let clock = new Date('2026-03-01T08:00:00Z');
let s: LiveServer;
let nationalId = 10400000000;
beforeAll(async () => {
  s = await startLiveServer({ env: { TASHIL_OVERDUE_SCAN_MS: '20' }, now: () => clock });
});
afterAll(async () => {
  await s.close();
});

test('the matrix covers every subscription of the schema', async () => {
  const { __schema } = await s.ok(`{ __schema { subscriptionType { fields { name } } } }`);
  expect(Object.keys(SUBSCRIPTIONS).sort()).toEqual(__schema.subscriptionType.fields.map((f: { name: string }) => f.name).sort());
});

test.each(ROLES)('as %s: every subscription delivers (or is FORBIDDEN as written), the audit trail only to its readers', async (role) => {
  const unitId = (await s.ok(REGISTER_UNIT, { input: kharazmiUnit({ nationalId: String(nationalId++) }) })).registerUnit.unit.id as string;
  const client = s.client({ role });
  const received: Record<string, Received> = {};
  for (const [name, { query }] of Object.entries(SUBSCRIPTIONS)) received[name] = subscribe(client, query, name === 'unitHistoryGrew' ? { unitId } : undefined);
  const audited = subscribe(client, AUDITED);
  await eventually(() => s.t.app.live.listenerCount === 5, 'all five subscribed');

  const meetingId = (await s.ok(SCHEDULE_MEETING, { input: pakdashtMeeting({ scheduledAt: clock.toISOString() }) })).scheduleMeeting.meeting.id;
  await s.ok(RAISE_OBSTACLE, { input: { unitId, title: 'تمدید مجوز', category: 'PERMITS' } });
  await s.ok(RECORD_HELD, { input: { meetingId, attendees: [{ name: 'فرماندار', agency: 'فرمانداری' }], minutes: 'صورتجلسه' } });
  const deadline = new Date(clock.getTime() + 3600_000);
  await s.ok(RECORD_RESOLUTION, { input: { meetingId, text: 'مقرر شد', leadAgency: 'بانک ملی', deadline: deadline.toISOString() } });
  clock = new Date(deadline.getTime() + 3600_000);

  for (const [name, { allowed }] of Object.entries(SUBSCRIPTIONS)) {
    const first = await received[name]!.nth(1);
    if (allowed.includes(role)) {
      expect(first.errors).toBeUndefined();
      expect(first.data?.[name]).toBeTruthy();
    } else {
      expect(first.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  }
  const update = await audited.nth(1);
  if (AUDIT_READERS.includes(role)) {
    expect(update.errors).toBeUndefined();
    expect(update.data!.obstacleChanged.auditTrail.totalCount).toBe(1);
  } else {
    expect(update.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(update.errors?.[0]?.path).toEqual(['obstacleChanged', 'auditTrail']);
  }
  await client.dispose();
  await eventually(() => s.t.app.live.listenerCount === 0, 'nothing left listening');
});

test.each(Object.keys(SUBSCRIPTIONS))('%s without a token: the connection is closed with 4401 (UNAUTHENTICATED) and nothing subscribes', async (name) => {
  const { query } = SUBSCRIPTIONS[name]!;
  const anonymous = subscribe(s.client({ token: null }), query, name === 'unitHistoryGrew' ? { unitId: '00000000-0000-4000-8000-000000000000' } : undefined);
  expect(await anonymous.ended).toMatchObject({ code: 4401 });
  expect(anonymous.results).toEqual([]);
  expect(s.t.app.live.listenerCount).toBe(0);
});

test.each(Object.keys(SUBSCRIPTIONS))('%s as OPERATOR (who reads no case) is FORBIDDEN and nothing subscribes', async (name) => {
  const { query } = SUBSCRIPTIONS[name]!;
  const client = s.client({ role: 'OPERATOR' });
  const operator = subscribe(client, query, name === 'unitHistoryGrew' ? { unitId: '00000000-0000-4000-8000-000000000000' } : undefined);
  expect((await operator.nth(1)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect(s.t.app.live.listenerCount).toBe(0);
  await client.dispose();
});
