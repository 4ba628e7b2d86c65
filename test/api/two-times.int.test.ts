/**
 * Two times on every event, over real HTTP: when it happened (`occurredAt`,
 * given by the client, Jalali accepted) and when it was recorded (the
 * store's). The reproduction of "nothing can be backdated": a meeting held
 * days ago and entered today shows as held then in the history, the audit
 * trail, `stateAsOf(by: OCCURRED)` and the monthly analytics; a promise made
 * at a visit weeks ago and due since is accepted, and so is a referral whose
 * deadline has passed. Dates are counted back from today, so the test holds
 * whenever it runs.
 */
import { formatJalali, jalaliMonthKey } from '../../src/calendar/jalali';
import {
  CHANGE_STATUS,
  MAKE_COMMITMENT,
  RAISE_OBSTACLE,
  RECORD_HELD,
  RECORD_RESOLUTION,
  RECORD_VISIT,
  REFER_OBSTACLE,
  REGISTER_UNIT,
  SCHEDULE_MEETING,
  islamshahrVisit,
  kharazmiUnit,
  pakdashtMeeting,
} from './operations';
import { startLiveServer, type LiveServer } from '../support/live';

const DAY = 24 * 3600 * 1000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
/** `1405/09/11 10:00`: Jalali, on Tehran's clock, as a secretariat types it. */
const jalali = (days: number) => formatJalali(ago(days), { withTime: true });

let s: LiveServer;
let nationalId = 10880000000;
beforeAll(async () => {
  s = await startLiveServer();
});
afterAll(async () => {
  await s.close();
});

const head = () => s.t.app.store.headPosition();
const unitSince = async (days: number, status = 'ACTIVE') =>
  (await s.ok(REGISTER_UNIT, { input: kharazmiUnit({ nationalId: String(nationalId++), activityStatus: status, occurredAt: jalali(days) }) })).registerUnit.unit.id as string;
/** A meeting scheduled `scheduled` days ago and held `held` days ago, both entered now. */
const heldMeeting = async (scheduled: number, held: number) => {
  const id = (await s.ok(SCHEDULE_MEETING, { input: pakdashtMeeting({ scheduledAt: jalali(held), occurredAt: jalali(scheduled) }) })).scheduleMeeting.meeting.id as string;
  await s.ok(RECORD_HELD, { input: { meetingId: id, attendees: [{ name: 'فرماندار', agency: 'فرمانداری' }], minutes: 'صورتجلسه', occurredAt: jalali(held) } });
  return id;
};

test('a meeting held days ago and entered today is held then: in its audit trail, stateAsOf by OCCURRED, and the late entry shows', async () => {
  const meetingId = await heldMeeting(10, 6);
  const { auditTrail } = await s.ok(
    `query ($id: ID!) { auditTrail(kind: MEETING, id: $id) { edges { node { type occurredAt recordedAt recordedLate } } } }`,
    { id: meetingId },
  );
  const held = auditTrail.edges.map((e: { node: Record<string, unknown> }) => e.node).find((n: Record<string, unknown>) => n.type === 'MeetingHeld');
  expect(Math.abs(Date.parse(held.occurredAt) - ago(6).getTime())).toBeLessThan(DAY);
  expect(Date.now() - Date.parse(held.recordedAt)).toBeLessThan(DAY);
  expect(held.recordedLate).toBe(true);

  // As of five days ago: held, by when it happened; not there yet, by when it was recorded.
  const asOf = `query ($id: ID!, $at: DateTime!, $by: TimeBasis) { stateAsOf(kind: MEETING, id: $id, at: $at, by: $by) { exists state } }`;
  const occurred = (await s.ok(asOf, { id: meetingId, at: jalali(5), by: 'OCCURRED' })).stateAsOf;
  expect(occurred).toMatchObject({ exists: true, state: { status: 'HELD' } });
  expect((await s.ok(asOf, { id: meetingId, at: jalali(5), by: 'RECORDED' })).stateAsOf.exists).toBe(false);
});

test("a unit revived weeks ago is in that month's analytics and at that time in its history", async () => {
  const unitId = await unitSince(60, 'INACTIVE');
  await s.ok(CHANGE_STATUS, { input: { unitId, status: 'ACTIVE', reason: 'بازگشت به تولید', occurredAt: jalali(40) } });
  const { unit } = await s.ok(`query ($id: ID!) { unit(id: $id) { history { edges { node { kind occurredAt } } } } }`, { id: unitId });
  const revived = unit.history.edges.map((e: { node: { kind: string; occurredAt: string } }) => e.node).find((n: { kind: string }) => n.kind === 'ACTIVITY_STATUS_CHANGED');
  expect(Math.abs(Date.parse(revived.occurredAt) - ago(40).getTime())).toBeLessThan(DAY);
  const { countyDashboard } = await s.ok(`{ countyDashboard(county: "پاکدشت") { revivals { jalaliMonth fromStatus revivals } } }`);
  expect(countyDashboard.revivals).toContainEqual({ jalaliMonth: jalaliMonthKey(ago(40)), fromStatus: 'INACTIVE', revivals: 1 });
});

test("a unit's history lists what happened in the order it happened, whatever the order it was entered", async () => {
  const unitId = await unitSince(30, 'INACTIVE');
  await s.ok(RAISE_OBSTACLE, { input: { unitId, title: 'قطعی برق', category: 'UTILITIES', occurredAt: jalali(2) } });
  // Entered after the case, happened before it.
  await s.ok(CHANGE_STATUS, { input: { unitId, status: 'SEMI_ACTIVE', reason: 'بازگشت نیمه', occurredAt: jalali(10) } });
  const { unit } = await s.ok(`query ($id: ID!) { unit(id: $id) { history(first: 2) { edges { node { kind } } pageInfo { endCursor } } } }`, { id: unitId });
  expect(unit.history.edges.map((e: { node: { kind: string } }) => e.node.kind)).toEqual(['REGISTERED', 'ACTIVITY_STATUS_CHANGED']);
  const rest = await s.ok(`query ($id: ID!, $after: String) { unit(id: $id) { history(first: 2, after: $after) { edges { node { kind } } } } }`, {
    id: unitId,
    after: unit.history.pageInfo.endCursor,
  });
  expect(rest.unit.history.edges.map((e: { node: { kind: string } }) => e.node.kind)).toEqual(['OBSTACLE_RAISED']);
});

test('a promise made at a visit weeks ago and due since then is accepted, as is a referral whose deadline has passed', async () => {
  const visit = (await s.ok(RECORD_VISIT, { input: islamshahrVisit({ visitedAt: null, occurredAt: jalali(30) }) })).recordVisit.visit;
  const promise = await s.ok(MAKE_COMMITMENT, {
    input: { madeBy: 'معاون اقتصادی استاندار', madeTo: 'تولیدکنندگان کفش', description: 'پیگیری آنتن‌دهی', dueDate: jalali(20), source: { kind: 'VISIT', id: visit.id }, occurredAt: jalali(30) },
  });
  expect(Math.abs(Date.parse(promise.makeCommitment.commitment.madeAt) - ago(30).getTime())).toBeLessThan(DAY);

  const unitId = await unitSince(60);
  const obstacleId = (await s.ok(RAISE_OBSTACLE, { input: { unitId, title: 'امهال وام', category: 'BANKING', occurredAt: jalali(20) } })).raiseObstacle.obstacle.id;
  const referred = await s.ok(REFER_OBSTACLE, { input: { obstacleId, leadAgency: 'بانک ملی', deadline: jalali(10), occurredAt: jalali(15) } });
  expect(referred.referObstacle.obstacle.status).toBe('REFERRED');
});

describe('when it happened is checked, and a refusal records nothing', () => {
  const refused = async (query: string, input: Record<string, unknown>) => {
    const before = await head();
    const { errors } = await s.gql(query, { input });
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.occurredAt' }] });
    expect(await head()).toBe(before);
    return errors![0].message as string;
  };

  test('not in the future', async () => {
    expect(await refused(CHANGE_STATUS, { unitId: await unitSince(60), status: 'INACTIVE', reason: 'تعطیل', occurredAt: formatJalali(new Date(Date.now() + 2 * DAY)) })).toMatch(/future/);
  });

  test('not further back than the server allows', async () => {
    expect(await refused(REGISTER_UNIT, kharazmiUnit({ nationalId: String(nationalId++), occurredAt: jalali(400) }))).toMatch(/more than 90 days back/);
  });

  test("a meeting scheduled today and entered as held last week is accepted: its plan was entered late too", async () => {
    const meetingId = (await s.ok(SCHEDULE_MEETING, { input: pakdashtMeeting({ scheduledAt: jalali(6) }) })).scheduleMeeting.meeting.id;
    await s.ok(RECORD_HELD, { input: { meetingId, attendees: [{ name: 'فرماندار', agency: 'فرمانداری' }], minutes: 'صورتجلسه', occurredAt: jalali(6) } });
  });

  test('nothing recorded about a case before it was raised', async () => {
    const obstacleId = (await s.ok(RAISE_OBSTACLE, { input: { unitId: await unitSince(60), title: 'امهال وام', category: 'BANKING', occurredAt: jalali(10) } })).raiseObstacle
      .obstacle.id;
    expect(await refused(REFER_OBSTACLE, { obstacleId, leadAgency: 'بانک ملی', deadline: jalali(-30), occurredAt: jalali(12) })).toMatch(/began at/);
  });

  test('a resolution not before its meeting was held', async () => {
    const meetingId = await heldMeeting(10, 6);
    expect(await refused(RECORD_RESOLUTION, { meetingId, text: 'مقرر شد', leadAgency: 'بانک ملی', deadline: jalali(-30), occurredAt: jalali(8) })).toMatch(/before its meeting was held/);
  });
});
