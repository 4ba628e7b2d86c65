/**
 * The foundation's workflow through the real schema, a real SQLite file and
 * the real projections: what a frontend developer can do, and what they get
 * back when they get it wrong.
 */
import { startTestApp, type TestApp } from '../support/app';
import {
  ADD_AGENDA_ITEM,
  AUDIT_TRAIL,
  CANCEL_MEETING,
  CHANGE_STATUS,
  POSTPONE_MEETING,
  RAISE_OBSTACLE,
  RECORD_HELD,
  RECORD_PROGRESS,
  RECORD_RESOLUTION,
  REFER_OBSTACLE,
  REGISTER_UNIT,
  REOPEN_OBSTACLE,
  RESOLVE_OBSTACLE,
  SCHEDULE_MEETING,
  UNIT_WITH_HISTORY,
  kharazmiUnit,
  pakdashtMeeting,
} from './operations';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(async () => {
  await t.close();
});

const head = () => t.app.store.headPosition();
const codeOf = (errors: any[] | undefined) => errors?.[0]?.extensions?.code;

const registerUnit = async (overrides: Record<string, unknown> = {}) =>
  (await t.ok(REGISTER_UNIT, { input: kharazmiUnit(overrides) })).registerUnit;
const raiseObstacle = async (unitId: string, overrides: Record<string, unknown> = {}) =>
  (
    await t.ok(RAISE_OBSTACLE, {
      input: { unitId, title: 'بدهی معوق بیمه تامین اجتماعی', description: 'جریمه‌های دیرکرد', category: 'SOCIAL_SECURITY', priority: 'HIGH', ...overrides },
    })
  ).raiseObstacle;
const scheduleMeeting = async (overrides: Record<string, unknown> = {}) =>
  (await t.ok(SCHEDULE_MEETING, { input: pakdashtMeeting(overrides) })).scheduleMeeting;
const attendees = [
  { name: 'مهدی یوسفی جمارانی', agency: 'فرمانداری پاکدشت', role: 'رئیس جلسه' },
  { name: 'رئیس اداره صمت', agency: 'اداره صمت' },
];

describe('units', () => {
  test('registering a unit returns it from the read model at revision 0, Persian text unchanged', async () => {
    const payload = await registerUnit({ name: 'ماداکام\u200cشرق', nationalId: '۱۰۸۶۱۲۳۴۵۶۷' });
    expect(payload).toMatchObject({ revision: '0', replayed: false });
    expect(payload.unit).toMatchObject({
      name: 'ماداکام\u200cشرق',
      nationalId: '10861234567', // Persian digits are stored as ASCII
      county: 'پاکدشت',
      activityStatus: 'SEMI_ACTIVE',
      openObstacleCount: 0,
      revision: '0',
    });
    const { unit } = await t.ok(`query ($id: ID!) { unit(id: $id) { id name } }`, { id: payload.unit.id });
    expect(unit).toEqual({ id: payload.unit.id, name: 'ماداکام\u200cشرق' });
  });

  test('a national ID belongs to one unit: a second registration is CONFLICT and appends nothing', async () => {
    await registerUnit();
    const before = await head();
    const { errors } = await t.exec(REGISTER_UNIT, { input: kharazmiUnit({ name: 'شرکت دیگر' }) });
    expect(codeOf(errors)).toBe('CONFLICT');
    expect(errors![0].message).toContain('10861234567');
    expect(await head()).toBe(before);
  });

  test('changing the activity status records the reason; the same status again is INVALID_TRANSITION', async () => {
    const { unit } = await registerUnit();
    const changed = (await t.ok(CHANGE_STATUS, { input: { unitId: unit.id, status: 'ACTIVE', reason: 'بازگشت به ظرفیت کامل' } }))
      .changeUnitActivityStatus;
    expect(changed.unit).toMatchObject({ activityStatus: 'ACTIVE', statusReason: 'بازگشت به ظرفیت کامل', revision: '1' });
    const before = await head();
    const { errors } = await t.exec(CHANGE_STATUS, { input: { unitId: unit.id, status: 'ACTIVE', reason: 'دوباره' } });
    expect(codeOf(errors)).toBe('INVALID_TRANSITION');
    expect(await head()).toBe(before);
  });

  test('an unknown unit is NOT_FOUND for commands and null for queries', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const { errors } = await t.exec(CHANGE_STATUS, { input: { unitId: id, status: 'ACTIVE', reason: 'x' } });
    expect(codeOf(errors)).toBe('NOT_FOUND');
    expect((await t.ok(`query ($id: ID!) { unit(id: $id) { id } }`, { id })).unit).toBeNull();
    expect(await head()).toBe(0n);
  });

  test('lists filter by county and status and page with cursors; a page never exceeds 100', async () => {
    for (let i = 0; i < 5; i++) await registerUnit({ nationalId: `1010000000${i}`, name: `واحد ${i}`, county: i < 3 ? 'پاکدشت' : 'اسلامشهر' });
    const q = `query ($first: Int, $after: String, $county: String) { units(first: $first, after: $after, county: $county) {
      totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { name county } } } }`;
    const page1 = (await t.ok(q, { first: 2, county: 'پاکدشت' })).units;
    expect(page1.totalCount).toBe(3);
    expect(page1.edges.map((e: any) => e.node.name)).toEqual(['واحد 0', 'واحد 1']);
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const page2 = (await t.ok(q, { first: 2, county: 'پاکدشت', after: page1.pageInfo.endCursor })).units;
    expect(page2.edges.map((e: any) => e.node.name)).toEqual(['واحد 2']);
    expect(page2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    const tooMany = await t.exec(q, { first: 101 });
    expect(codeOf(tooMany.errors)).toBe('BAD_USER_INPUT');
    expect(tooMany.errors![0].extensions.fields[0].field).toContain('first');
    const badCursor = await t.exec(q, { after: 'not-a-cursor' });
    expect(codeOf(badCursor.errors)).toBe('BAD_USER_INPUT');
  });
});

describe('obstacles', () => {
  test('raise → refer → progress → resolve → reopen, with the open-obstacle count following', async () => {
    const { unit } = await registerUnit();
    const raised = await raiseObstacle(unit.id);
    expect(raised.obstacle).toMatchObject({ status: 'OPEN', unitName: 'ابتکار پلاستیک', county: 'پاکدشت', revision: '0' });
    const obstacleId = raised.obstacle.id;
    const countOpen = async () => (await t.ok(`query ($id: ID!) { unit(id: $id) { openObstacleCount } }`, { id: unit.id })).unit.openObstacleCount;
    expect(await countOpen()).toBe(1);

    const referred = (
      await t.ok(REFER_OBSTACLE, {
        input: { obstacleId, leadAgency: 'اداره بیمه و تامین اجتماعی', cooperatingAgencies: ['اداره کار'], deadline: '2030-01-20T12:00:00Z' },
      })
    ).referObstacle;
    expect(referred.obstacle).toMatchObject({ status: 'REFERRED', leadAgency: 'اداره بیمه و تامین اجتماعی', cooperatingAgencies: ['اداره کار'] });
    expect(referred.obstacle.deadline).toBe('2030-01-20T12:00:00.000Z');

    const progressed = (await t.ok(RECORD_PROGRESS, { input: { obstacleId, note: 'تقسیط بدهی در دست بررسی' } })).recordObstacleProgress;
    expect(progressed.obstacle.status).toBe('IN_PROGRESS');

    const resolved = (await t.ok(RESOLVE_OBSTACLE, { input: { obstacleId, resolutionSummary: 'بدهی ۳۶ ماهه تقسیط شد' } })).resolveObstacle;
    expect(resolved.obstacle).toMatchObject({ status: 'RESOLVED', resolutionSummary: 'بدهی ۳۶ ماهه تقسیط شد' });
    expect(await countOpen()).toBe(0);

    const before = await head();
    const again = await t.exec(RESOLVE_OBSTACLE, { input: { obstacleId, resolutionSummary: 'دوباره' } });
    expect(codeOf(again.errors)).toBe('INVALID_TRANSITION');
    expect(await head()).toBe(before);

    const reopened = (await t.ok(REOPEN_OBSTACLE, { input: { obstacleId, reason: 'اقساط پرداخت نشد' } })).reopenObstacle;
    expect(reopened.obstacle).toMatchObject({ status: 'REFERRED', timesReopened: 1, resolutionSummary: null });
    expect(await countOpen()).toBe(1);
  });

  test('raising for an unknown unit is NOT_FOUND; a malformed id is BAD_USER_INPUT; neither appends', async () => {
    const unknown = await t.exec(RAISE_OBSTACLE, {
      input: { unitId: '00000000-0000-4000-8000-000000000000', title: 'x', category: 'TAX', priority: 'LOW' },
    });
    expect(codeOf(unknown.errors)).toBe('NOT_FOUND');
    const malformed = await t.exec(RAISE_OBSTACLE, { input: { unitId: 'unit-1', title: 'x', category: 'TAX' } });
    expect(codeOf(malformed.errors)).toBe('BAD_USER_INPUT');
    expect(malformed.errors![0].extensions.fields).toEqual([{ field: 'input.unitId', messages: [expect.stringContaining('id')] }]);
    expect(await head()).toBe(0n);
  });

  test('lists filter by status, category and lead agency', async () => {
    const { unit } = await registerUnit();
    const a = await raiseObstacle(unit.id, { category: 'BANKING', title: 'امهال وام' });
    await raiseObstacle(unit.id, { category: 'TAX', title: 'مالیات' });
    await t.ok(REFER_OBSTACLE, { input: { obstacleId: a.obstacle.id, leadAgency: 'بانک ملی', deadline: '2030-01-01T00:00:00Z' } });
    const q = `query ($status: ObstacleStatus, $category: ObstacleCategory, $leadAgency: String) {
      obstacles(status: $status, category: $category, leadAgency: $leadAgency) { totalCount edges { node { title } } } }`;
    expect((await t.ok(q, { status: 'REFERRED' })).obstacles.edges).toEqual([{ node: { title: 'امهال وام' } }]);
    expect((await t.ok(q, { category: 'TAX' })).obstacles.totalCount).toBe(1);
    expect((await t.ok(q, { leadAgency: 'بانک ملی' })).obstacles.totalCount).toBe(1);
    expect((await t.ok(q, {})).obstacles.totalCount).toBe(2);
  });
});

describe('meetings', () => {
  test('schedule → agenda → held → resolution, and the unit history tells the whole story', async () => {
    const { unit } = await registerUnit();
    const { obstacle } = await raiseObstacle(unit.id);
    const { meeting } = await scheduleMeeting();
    expect(meeting).toMatchObject({ status: 'SCHEDULED', county: 'پاکدشت', scheduledAt: '2024-11-27T06:30:00.000Z' });

    await t.ok(ADD_AGENDA_ITEM, { input: { meetingId: meeting.id, kind: 'UNIT', subjectId: unit.id, note: 'بررسی مشکلات' } });
    const withAgenda = (await t.ok(ADD_AGENDA_ITEM, { input: { meetingId: meeting.id, kind: 'OBSTACLE', subjectId: obstacle.id } })).addAgendaItem;
    expect(withAgenda.meeting.agenda).toEqual([
      { kind: 'UNIT', subjectId: unit.id, unitId: unit.id, note: 'بررسی مشکلات' },
      { kind: 'OBSTACLE', subjectId: obstacle.id, unitId: unit.id, note: null },
    ]);
    const duplicate = await t.exec(ADD_AGENDA_ITEM, { input: { meetingId: meeting.id, kind: 'UNIT', subjectId: unit.id } });
    expect(codeOf(duplicate.errors)).toBe('CONFLICT');

    const held = (await t.ok(RECORD_HELD, { input: { meetingId: meeting.id, attendees, minutes: 'صورتجلسه: مقرر شد …' } })).recordMeetingHeld;
    expect(held.meeting).toMatchObject({ status: 'HELD', minutes: 'صورتجلسه: مقرر شد …' });
    expect(held.meeting.attendees).toEqual([
      { name: 'مهدی یوسفی جمارانی', agency: 'فرمانداری پاکدشت', role: 'رئیس جلسه' },
      { name: 'رئیس اداره صمت', agency: 'اداره صمت', role: null },
    ]);

    const resolution = (
      await t.ok(RECORD_RESOLUTION, {
        input: {
          meetingId: meeting.id,
          text: 'مقرر شد تامین اجتماعی ظرف ۲۰ روز بدهی را تقسیط کند',
          leadAgency: 'تامین اجتماعی',
          deadline: '2030-12-17T14:00:00+03:30',
          obstacleId: obstacle.id,
        },
      })
    ).recordResolution;
    expect(resolution.resolution).toMatchObject({ meetingId: meeting.id, obstacleId: obstacle.id, unitId: unit.id, cooperatingAgencies: [] });

    const obstacleView = await t.ok(`query ($id: ID!) { obstacle(id: $id) { resolutions { text meeting { title } } unit { name } } }`, {
      id: obstacle.id,
    });
    expect(obstacleView.obstacle.resolutions).toEqual([
      { text: 'مقرر شد تامین اجتماعی ظرف ۲۰ روز بدهی را تقسیط کند', meeting: { title: 'جلسه کارگروه ستاد تسهیل شهرستان پاکدشت' } },
    ]);

    await t.ok(CHANGE_STATUS, { input: { unitId: unit.id, status: 'ACTIVE', reason: 'فعال‌سازی پس از جلسه' } });
    const history = (await t.ok(UNIT_WITH_HISTORY, { id: unit.id })).unit.history;
    expect(history.edges.map((e: any) => e.node.kind)).toEqual([
      'REGISTERED',
      'OBSTACLE_RAISED',
      'PUT_ON_AGENDA',
      'PUT_ON_AGENDA',
      'DISCUSSED_IN_MEETING',
      'RESOLUTION_RECORDED',
      'ACTIVITY_STATUS_CHANGED',
    ]);
    expect(history.edges.every((e: any) => e.node.actor === 'test-actor')).toBe(true);
    expect(history.edges[6].node.summary).toBe('تغییر وضعیت از نیمه‌فعال به فعال: فعال‌سازی پس از جلسه');
  });

  test('a held meeting cannot be cancelled, postponed or held again; a cancelled one cannot be held', async () => {
    const { meeting } = await scheduleMeeting();
    await t.ok(RECORD_HELD, { input: { meetingId: meeting.id, attendees, minutes: 'صورتجلسه' } });
    const before = await head();
    for (const [query, input] of [
      [CANCEL_MEETING, { meetingId: meeting.id, reason: 'x' }],
      [POSTPONE_MEETING, { meetingId: meeting.id, to: '2030-01-01T00:00:00Z', reason: 'x' }],
      [RECORD_HELD, { meetingId: meeting.id, attendees, minutes: 'x' }],
    ] as const) {
      expect(codeOf((await t.exec(query, { input })).errors)).toBe('INVALID_TRANSITION');
    }
    expect(await head()).toBe(before);

    const other = (await scheduleMeeting()).meeting;
    const cancelled = (await t.ok(CANCEL_MEETING, { input: { meetingId: other.id, reason: 'عدم حد نصاب' } })).cancelMeeting;
    expect(cancelled.meeting).toMatchObject({ status: 'CANCELLED', cancellationReason: 'عدم حد نصاب' });
    const hold = await t.exec(RECORD_HELD, { input: { meetingId: other.id, attendees, minutes: 'x' } });
    expect(codeOf(hold.errors)).toBe('INVALID_TRANSITION');
    expect(hold.errors![0].message).toContain('CANCELLED');
  });

  test('postponing moves the meeting later; postponing to an earlier time is BAD_USER_INPUT', async () => {
    const { meeting } = await scheduleMeeting();
    const postponed = (await t.ok(POSTPONE_MEETING, { input: { meetingId: meeting.id, to: '2024-12-04T10:00:00+03:30', reason: 'سفر فرماندار' } }))
      .postponeMeeting;
    expect(postponed.meeting).toMatchObject({ status: 'POSTPONED', scheduledAt: '2024-12-04T06:30:00.000Z', postponementReason: 'سفر فرماندار' });
    const earlier = await t.exec(POSTPONE_MEETING, { input: { meetingId: meeting.id, to: '2024-11-01T10:00:00Z', reason: 'x' } });
    expect(codeOf(earlier.errors)).toBe('BAD_USER_INPUT');
  });

  test('a resolution needs a held meeting', async () => {
    const { meeting } = await scheduleMeeting();
    const { errors } = await t.exec(RECORD_RESOLUTION, {
      input: { meetingId: meeting.id, text: 'مقرر شد', leadAgency: 'بانک ملی', deadline: '2030-01-01T00:00:00Z' },
    });
    expect(codeOf(errors)).toBe('INVALID_TRANSITION');
  });
});

describe('concurrency and retries', () => {
  test('two writers with the same expectedRevision: exactly one wins, the other gets CONFLICT with the current revision', async () => {
    const { unit } = await registerUnit();
    const { obstacle } = await raiseObstacle(unit.id);
    const results = await Promise.all([
      t.exec(REFER_OBSTACLE, { input: { obstacleId: obstacle.id, leadAgency: 'بانک ملی', deadline: '2030-01-01T00:00:00Z', expectedRevision: '0' } }),
      t.exec(REFER_OBSTACLE, { input: { obstacleId: obstacle.id, leadAgency: 'بانک صادرات', deadline: '2030-01-01T00:00:00Z', expectedRevision: '0' } }),
    ]);
    const winners = results.filter((r) => !r.errors);
    const losers = results.filter((r) => r.errors);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(codeOf(losers[0]!.errors)).toBe('CONFLICT');
    expect(losers[0]!.errors![0].extensions).toMatchObject({ expectedRevision: '0', currentRevision: '1' });
    const trail = (await t.ok(AUDIT_TRAIL, { kind: 'OBSTACLE', id: obstacle.id })).auditTrail;
    expect(trail.totalCount).toBe(2);
  });

  test('a retry with the same idempotency key returns the first result and appends nothing', async () => {
    const input = kharazmiUnit({ idempotencyKey: 'register-ebtekar-1' });
    const first = (await t.ok(REGISTER_UNIT, { input })).registerUnit;
    const before = await head();
    const retry = (await t.ok(REGISTER_UNIT, { input })).registerUnit;
    expect(retry).toMatchObject({ replayed: true, commandId: first.commandId, revision: first.revision, position: first.position });
    expect(retry.unit.id).toBe(first.unit.id);
    expect(await head()).toBe(before);

    const { obstacle } = await raiseObstacle(first.unit.id);
    const resolve = { obstacleId: obstacle.id, resolutionSummary: 'رفع شد', idempotencyKey: 'resolve-1' };
    const resolved = (await t.ok(RESOLVE_OBSTACLE, { input: resolve })).resolveObstacle;
    // Without the key this would be INVALID_TRANSITION (already resolved); with it, it is the same answer again.
    const again = (await t.ok(RESOLVE_OBSTACLE, { input: resolve })).resolveObstacle;
    expect(again).toMatchObject({ replayed: true, commandId: resolved.commandId, position: resolved.position });
  });
});

describe('audit trail', () => {
  test('every event in order with revision, position, time, actor, command and correlation', async () => {
    const { unit } = await registerUnit();
    await t.ok(CHANGE_STATUS, { input: { unitId: unit.id, status: 'INACTIVE', reason: 'قطع برق', correlationId: 'visit-42' } });
    await t.ok(CHANGE_STATUS, { input: { unitId: unit.id, status: 'ACTIVE', reason: 'وصل برق' } });

    const page1 = (await t.ok(AUDIT_TRAIL, { kind: 'UNIT', id: unit.id, first: 2 })).auditTrail;
    expect(page1.totalCount).toBe(3);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const [registered, inactive] = page1.edges.map((e: any) => e.node);
    expect(registered).toMatchObject({
      type: 'UnitRegistered',
      schemaVersion: 1,
      streamName: `unit-${unit.id}`,
      revision: '0',
      actor: 'test-actor',
      command: 'RegisterUnit',
      reason: null,
    });
    expect(registered.data).toMatchObject({ unitId: unit.id, name: 'ابتکار پلاستیک', nationalId: '10861234567' });
    expect(inactive).toMatchObject({ type: 'UnitActivityStatusChanged', revision: '1', command: 'ChangeUnitActivityStatus', reason: 'قطع برق', clientCorrelationId: 'visit-42' });
    expect(inactive.causationId).toBe(inactive.commandId);
    expect(BigInt(inactive.position)).toBeGreaterThan(BigInt(registered.position));
    expect(new Date(inactive.recordedAt).getTime()).toBeGreaterThan(0);

    const page2 = (await t.ok(AUDIT_TRAIL, { kind: 'UNIT', id: unit.id, first: 2, after: page1.pageInfo.endCursor })).auditTrail;
    expect(page2.edges.map((e: any) => e.node.revision)).toEqual(['2']);
    expect(page2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });
});
