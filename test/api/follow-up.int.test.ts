/**
 * The follow-up through the real schema, a real SQLite file and the real
 * projections, on an injected clock: a resolution's course after its meeting,
 * a case closing itself when its last resolution settles, escalation, field
 * visits, and the Islamshahr deputy's promises. Every refused command appends nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../src/auth/principal';
import { subject } from '../../src/commands/authorization';
import { handleCommand } from '../../src/commands/handler';
import { ConfigError, loadConfig } from '../../src/config';
import { workgroupDecider, type WorkgroupLevel } from '../../src/domain/workgroup';
import { zoneDecider } from '../../src/domain/zone';
import { ADMIN, startTestApp, type TestApp } from '../support/app';
import {
  REGISTER_AGENCY,
  pakdashtAgency,
  COMMITMENT,
  COMMITMENTS,
  COMMUNICATE_RESOLUTION,
  DECIDE_OBJECTION,
  ESCALATE_OBSTACLE,
  EXTEND_COMMITMENT,
  MAKE_COMMITMENT,
  OBJECT_TO_RESOLUTION,
  RAISE_OBSTACLE,
  RECORD_COMMITMENT_BROKEN,
  RECORD_COMMITMENT_KEPT,
  RECORD_HELD,
  RECORD_RESOLUTION,
  RECORD_RESOLUTION_OUTCOME,
  RECORD_VISIT,
  RECORD_VISIT_FINDINGS,
  REFER_OBSTACLE,
  REGISTER_UNIT,
  REOPEN_OBSTACLE,
  REPORT_RESOLUTION_PROGRESS,
  RESOLUTION,
  RESOLUTIONS,
  RESOLVE_OBSTACLE,
  SCHEDULE_MEETING,
  VISIT,
  VISITS,
  islamshahrVisit,
  kharazmiUnit,
  pakdashtMeeting,
} from './operations';

const BANK = 'بانک ملی';
const INSURANCE = 'اداره بیمه و تامین اجتماعی';
/** Registry ids of the agencies registered for each test, by name: agency users are principals by id. */
let agencyIds: Record<string, string> = {};
const agencyUser = (agency: string): Principal => ({
  subject: `officer-${agency}`,
  roles: ['AGENCY'],
  province: null,
  counties: [],
  agencyId: agencyIds[agency]!,
});

/** The injected clock: Wednesday 1403/09/07, 12:30 in Tehran, the day the Pakdasht workgroup met. */
let clock = new Date('2024-11-27T09:00:00Z');
const setClock = (iso: string) => {
  clock = new Date(iso);
};
const DAY = 24 * 60 * 60 * 1000;
const later = (days: number, minutes = 0) => setClock(new Date(clock.getTime() + days * DAY + minutes * 60_000).toISOString());

let t: TestApp;
beforeEach(async () => {
  setClock('2024-11-27T09:00:00Z');
  t = await startTestApp({ now: () => clock });
  await registerAgencies();
});
async function registerAgencies() {
  agencyIds = {};
  for (const [name, kind] of [[BANK, 'BANK'], [INSURANCE, 'SOCIAL_SECURITY']] as const) {
    agencyIds[name] = (await t.ok(REGISTER_AGENCY, { input: pakdashtAgency({ name, kind }) })).registerAgency.agency.id as string;
  }
}
afterEach(async () => {
  await t.close();
});

const head = () => t.app.store.headPosition();
const codeOf = (errors: any[] | undefined) => errors?.[0]?.extensions?.code;

/** Runs a command that must be refused with `code`, and checks it appended nothing. */
const refused = async (query: string, input: Record<string, unknown>, code: string, as: Principal = ADMIN) => {
  const before = await head();
  const { data, errors } = await t.exec(query, { input }, as);
  expect(codeOf(errors)).toBe(code);
  expect(data ?? null).toBeNull();
  expect(await head()).toBe(before);
  return errors![0];
};

let nationalId = 10400000000;
const registerUnit = async (overrides: Record<string, unknown> = {}) =>
  (await t.ok(REGISTER_UNIT, { input: kharazmiUnit({ nationalId: String(nationalId++), ...overrides }) })).registerUnit.unit.id as string;
const raiseObstacle = async (unitId: string, title = 'امهال تسهیلات سرمایه در گردش') =>
  (await t.ok(RAISE_OBSTACLE, { input: { unitId, title, category: 'BANKING', priority: 'HIGH' } })).raiseObstacle.obstacle.id as string;
const heldMeeting = async (overrides: Record<string, unknown> = {}) => {
  const id = (await t.ok(SCHEDULE_MEETING, { input: pakdashtMeeting(overrides) })).scheduleMeeting.meeting.id as string;
  await t.ok(RECORD_HELD, { input: { meetingId: id, attendees: [{ name: 'مهدی یوسفی جمارانی', agency: 'فرمانداری پاکدشت' }], minutes: 'صورتجلسه' } });
  return id;
};
const recordResolution = async (meetingId: string, overrides: Record<string, unknown> = {}) =>
  (
    await t.ok(RECORD_RESOLUTION, {
      input: {
        meetingId,
        text: 'مقرر شد بانک ملی ظرف ۲۰ روز نسبت به امهال تسهیلات سرمایه در گردش اقدام کند.',
        leadAgency: BANK,
        // The bank by its registry id: only a case referred to a registered agency can be acted on by its users.
        ...(overrides.leadAgency === undefined || overrides.leadAgency === BANK ? { leadAgencyId: agencyIds[BANK] } : {}),
        cooperatingAgencies: ['اداره صمت'],
        deadline: '2024-12-17T10:30:00Z',
        ...overrides,
      },
    })
  ).recordResolution.resolution.id as string;
const communicate = async (resolutionId: string, objectionWindowDays?: number) =>
  (await t.ok(COMMUNICATE_RESOLUTION, { input: { resolutionId, objectionWindowDays } })).communicateResolution;
const resolution = async (id: string) => (await t.ok(RESOLUTION, { id })).resolution;

/** Bodies and zones are registered straight through their deciders: the registries' API is not what is tested here. */
const registerWorkgroup = async (level: WorkgroupLevel, province: string | null, county: string | null, name: string) => {
  const workgroupId = randomUUID();
  await handleCommand(
    t.app.store,
    workgroupDecider,
    workgroupId,
    { type: 'RegisterWorkgroup', data: { workgroupId, level, province, county, name, registeredAt: clock.toISOString() } },
    { principal: ADMIN, now: clock },
    subject('RegisterWorkgroup'),
  );
  return workgroupId;
};
const registerZone = async (name: string, county: string) => {
  const zoneId = randomUUID();
  await handleCommand(
    t.app.store,
    zoneDecider,
    zoneId,
    { type: 'RegisterZone', data: { zoneId, name, kind: 'INDUSTRIAL_CLUSTER', province: 'تهران', county, registeredAt: clock.toISOString() } },
    { principal: ADMIN, now: clock },
    subject('RegisterZone'),
  );
  return zoneId;
};

describe('a resolution’s course', () => {
  test('communicated → objected to within the window by the lead agency → rejected → progress → implemented on time', async () => {
    const resolutionId = await recordResolution(await heldMeeting());
    expect(await resolution(resolutionId)).toMatchObject({ status: 'RECORDED', county: 'پاکدشت', communicatedAt: null, overdue: false });

    later(1);
    const communicated = await communicate(resolutionId);
    expect(communicated).toMatchObject({ revision: '1', replayed: false, closedObstacle: null });
    expect(communicated.resolution).toMatchObject({
      status: 'COMMUNICATED',
      communicatedAt: '2024-11-28T09:00:00.000Z',
      objectionWindowDays: 15,
      objectionDeadline: '2024-12-13T09:00:00.000Z',
      objection: null,
      revision: '1',
    });

    later(3);
    const objected = (
      await t.ok(OBJECT_TO_RESOLUTION, { input: { resolutionId, reason: 'مصوبات کمیته اعتباری شعبه مقدم است' } }, agencyUser(BANK))
    ).objectToResolution.resolution;
    expect(objected).toMatchObject({
      status: 'OBJECTED',
      objection: { agency: BANK, reason: 'مصوبات کمیته اعتباری شعبه مقدم است', objectedAt: '2024-12-01T09:00:00.000Z', accepted: null, decidedAt: null },
    });

    later(1);
    const rejected = (await t.ok(DECIDE_OBJECTION, { input: { resolutionId, accepted: false, note: 'مصوبه به قوت خود باقی است' } }))
      .decideObjection;
    expect(rejected.closedObstacle).toBeNull();
    expect(rejected.resolution).toMatchObject({
      status: 'COMMUNICATED',
      objection: { accepted: false, decidedAt: '2024-12-02T09:00:00.000Z', note: 'مصوبه به قوت خود باقی است' },
    });
    // One objection per resolution.
    await refused(OBJECT_TO_RESOLUTION, { resolutionId, reason: 'دوباره' }, 'INVALID_TRANSITION', agencyUser(BANK));

    later(2);
    const progressed = (
      await t.ok(REPORT_RESOLUTION_PROGRESS, { input: { resolutionId, note: 'پرونده در کمیته اعتباری مطرح شد' } }, agencyUser(BANK))
    ).reportResolutionProgress.resolution;
    expect(progressed).toMatchObject({ status: 'IN_PROGRESS', progressReports: 1, lastProgressNote: 'پرونده در کمیته اعتباری مطرح شد' });

    later(5);
    const implemented = (
      await t.ok(RECORD_RESOLUTION_OUTCOME, { input: { resolutionId, outcome: 'IMPLEMENTED', note: 'تسهیلات یک سال امهال شد' } }, agencyUser(BANK))
    ).recordResolutionOutcome.resolution;
    expect(implemented).toMatchObject({
      status: 'IMPLEMENTED',
      outcome: 'IMPLEMENTED',
      outcomeNote: 'تسهیلات یک سال امهال شد',
      settledAt: '2024-12-09T09:00:00.000Z',
      implementedOnTime: true,
      overdue: false,
      revision: '5',
    });
    // Settled: no second outcome, and never overdue, however late it is now.
    await refused(RECORD_RESOLUTION_OUTCOME, { resolutionId, outcome: 'NO_ACTION', note: 'x' }, 'INVALID_TRANSITION');
    later(60);
    expect((await resolution(resolutionId)).overdue).toBe(false);

    // The meeting's resolutions carry the same course.
    const { meeting } = await t.ok(`query ($id: ID!) { meeting(id: $id) { resolutions { id status implementedOnTime settledAtJalali(persianDigits: true) } } }`, {
      id: implemented.meetingId,
    });
    expect(meeting.resolutions).toEqual([{ id: resolutionId, status: 'IMPLEMENTED', implementedOnTime: true, settledAtJalali: '۱۴۰۳/۰۹/۱۹' }]);
  });

  test('an objection after the window is INVALID_TRANSITION, by another agency FORBIDDEN; an ADMIN names the agency', async () => {
    const resolutionId = await recordResolution(await heldMeeting());
    const { resolution: communicated } = await communicate(resolutionId, 10);
    expect(communicated).toMatchObject({ objectionWindowDays: 10, objectionDeadline: '2024-12-07T09:00:00.000Z' });

    await refused(OBJECT_TO_RESOLUTION, { resolutionId, reason: 'مخالفیم' }, 'FORBIDDEN', agencyUser(INSURANCE));
    await refused(OBJECT_TO_RESOLUTION, { resolutionId, reason: 'مخالفیم', agency: BANK }, 'FORBIDDEN', agencyUser(INSURANCE));
    await refused(OBJECT_TO_RESOLUTION, { resolutionId, reason: 'مخالفیم', agency: INSURANCE }, 'FORBIDDEN');
    const nameIt = await refused(OBJECT_TO_RESOLUTION, { resolutionId, reason: 'مخالفیم' }, 'BAD_USER_INPUT');
    expect(nameIt.extensions.fields).toEqual([{ field: 'input.agency', messages: [expect.stringContaining('ADMIN')] }]);

    later(10, 1);
    const late = await refused(OBJECT_TO_RESOLUTION, { resolutionId, reason: 'دیر' }, 'INVALID_TRANSITION', agencyUser(BANK));
    expect(late.message).toContain('2024-12-07T09:00:00.000Z');
    expect((await resolution(resolutionId)).status).toBe('COMMUNICATED');
  });

  test('an accepted objection withdraws the resolution: settled, never overdue, no outcome after it', async () => {
    const resolutionId = await recordResolution(await heldMeeting());
    await communicate(resolutionId);
    later(2);
    await t.ok(OBJECT_TO_RESOLUTION, { input: { resolutionId, reason: 'خارج از اختیارات بانک', agency: BANK } });
    const withdrawn = (await t.ok(DECIDE_OBJECTION, { input: { resolutionId, accepted: true, note: 'اعتراض وارد است' } })).decideObjection;
    expect(withdrawn.resolution).toMatchObject({
      status: 'WITHDRAWN',
      outcome: null,
      settledAt: '2024-11-29T09:00:00.000Z',
      objection: { agency: BANK, accepted: true, note: 'اعتراض وارد است' },
      implementedOnTime: false,
    });
    await refused(RECORD_RESOLUTION_OUTCOME, { resolutionId, outcome: 'IMPLEMENTED', note: 'x' }, 'INVALID_TRANSITION');
    await refused(REPORT_RESOLUTION_PROGRESS, { resolutionId, note: 'x' }, 'INVALID_TRANSITION');
    later(40);
    expect((await resolution(resolutionId)).overdue).toBe(false);
  });

  test('overdue follows the clock: past the deadline and not settled, and a list filter flips with it', async () => {
    const meetingId = await heldMeeting();
    const early = await recordResolution(meetingId, { text: 'مقرر شد اداره گاز انشعاب را افزایش دهد', leadAgency: 'شرکت گاز', deadline: '2024-12-07T09:00:00Z' });
    later(0, 1); // lists are in the order resolutions were recorded
    const late = await recordResolution(meetingId, { deadline: '2024-12-27T09:00:00Z' });
    const ids = async (variables: Record<string, unknown>) =>
      (await t.ok(RESOLUTIONS, variables)).resolutions.edges.map((e: any) => e.node.id) as string[];

    expect(await ids({ overdue: true })).toEqual([]);
    expect(await ids({ overdue: false })).toEqual([early, late]);

    later(10, 1); // just past the early deadline
    expect(await ids({ overdue: true })).toEqual([early]);
    expect(await ids({ overdue: false })).toEqual([late]);
    expect(await resolution(early)).toMatchObject({ overdue: true, status: 'RECORDED' });
    expect(await ids({ overdue: true, leadAgency: 'شرکت گاز', county: 'پاکدشت' })).toEqual([early]);
    expect(await ids({ overdue: true, county: 'اسلامشهر' })).toEqual([]);

    // Settling it, even late, ends the overdue: "not implemented" is an answer, and not on time.
    await communicate(early);
    const settled = (await t.ok(RECORD_RESOLUTION_OUTCOME, { input: { resolutionId: early, outcome: 'NOT_IMPLEMENTED', note: 'کمبود اعتبار' } }))
      .recordResolutionOutcome.resolution;
    expect(settled).toMatchObject({ status: 'NOT_IMPLEMENTED', overdue: false, implementedOnTime: false });
    expect(await ids({ overdue: true })).toEqual([]);
    expect(await ids({ status: 'NOT_IMPLEMENTED' })).toEqual([early]);

    later(30);
    expect(await ids({ overdue: true })).toEqual([late]);
    const page = (await t.ok(RESOLUTIONS, { first: 1 })).resolutions;
    expect(page).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    expect(await ids({ first: 1, after: page.pageInfo.endCursor })).toEqual([late]);
  });

  test('the default objection window comes from TASHIL_OBJECTION_WINDOW_DAYS, checked at start-up', async () => {
    await t.close();
    t = await startTestApp({ now: () => clock, env: { TASHIL_OBJECTION_WINDOW_DAYS: '7' } });
    await registerAgencies();
    const resolutionId = await recordResolution(await heldMeeting());
    expect((await communicate(resolutionId)).resolution).toMatchObject({ objectionWindowDays: 7, objectionDeadline: '2024-12-04T09:00:00.000Z' });
    for (const bad of ['-1', 'fifteen', '1.5', '366']) {
      expect(() => loadConfig({ TASHIL_OBJECTION_WINDOW_DAYS: bad })).toThrow(ConfigError);
    }
    expect(loadConfig({}).objectionWindowDays).toBe(15);
  });

  test('unknown and malformed resolutions: NOT_FOUND for commands, null for queries, BAD_USER_INPUT for a bad window', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    await refused(COMMUNICATE_RESOLUTION, { resolutionId: unknown }, 'NOT_FOUND');
    await refused(RECORD_RESOLUTION_OUTCOME, { resolutionId: unknown, outcome: 'IMPLEMENTED', note: 'x' }, 'NOT_FOUND');
    expect((await t.ok(RESOLUTION, { id: unknown })).resolution).toBeNull();
    const resolutionId = await recordResolution(await heldMeeting());
    await refused(COMMUNICATE_RESOLUTION, { resolutionId, objectionWindowDays: -1 }, 'BAD_USER_INPUT');
    // Progress is reported on a communicated resolution only.
    await refused(REPORT_RESOLUTION_PROGRESS, { resolutionId, note: 'زود است' }, 'INVALID_TRANSITION');
  });
});

describe('a case closes itself when its last resolution settles', () => {
  test('not by hand before; the outcome that settles the last one closes it, caused by that command', async () => {
    const obstacleId = await raiseObstacle(await registerUnit());
    await t.ok(REFER_OBSTACLE, { input: { obstacleId, leadAgency: BANK, deadline: '2024-12-30T09:00:00Z' } });
    const meetingId = await heldMeeting();
    const first = await recordResolution(meetingId, { obstacleId });
    const second = await recordResolution(meetingId, { obstacleId, text: 'مقرر شد اداره صمت پیگیری کند', leadAgency: 'اداره صمت' });

    const byHand = await refused(RESOLVE_OBSTACLE, { obstacleId, resolutionSummary: 'رفع شد' }, 'INVALID_TRANSITION');
    expect(byHand.extensions.unsettledResolutionIds.sort()).toEqual([first, second].sort());

    await communicate(first);
    await communicate(second);
    later(5);
    const one = (await t.ok(RECORD_RESOLUTION_OUTCOME, { input: { resolutionId: first, outcome: 'IMPLEMENTED', note: 'امهال شد' } }, agencyUser(BANK)))
      .recordResolutionOutcome;
    expect(one.closedObstacle).toBeNull();
    expect((await resolution(first)).obstacle).toEqual({ id: obstacleId, status: 'REFERRED' });
    await refused(RESOLVE_OBSTACLE, { obstacleId, resolutionSummary: 'رفع شد' }, 'INVALID_TRANSITION');

    later(1);
    const last = (
      await t.ok(RECORD_RESOLUTION_OUTCOME, {
        input: { resolutionId: second, outcome: 'NO_ACTION', note: 'اقدامی صورت نگرفت', idempotencyKey: 'outcome-second', correlationId: 'screen-42' },
      })
    ).recordResolutionOutcome;
    expect(last.closedObstacle).toEqual({
      id: obstacleId,
      status: 'RESOLVED',
      resolutionSummary: 'همه مصوبات تعیین تکلیف شد: ۱ مصوبه اجرا شد، ۱ مصوبه بلااقدام',
      resolvedAt: '2024-12-03T09:00:00.000Z',
    });

    const [outcomeEvent] = (await t.app.store.readStream(`resolution-${second}`)).slice(-1);
    const [closing] = (await t.app.store.readStream(`obstacle-${obstacleId}`)).slice(-1);
    expect(outcomeEvent!.type).toBe('ResolutionOutcomeRecorded');
    expect(closing!.type).toBe('ObstacleResolved');
    expect(closing!.metadata).toMatchObject({
      actor: 'test-actor',
      command: 'ResolveObstacle',
      causationId: last.commandId,
      // One user action: the closing shares the settling command's correlation id (the server's), and the client's id beside it.
      correlationId: outcomeEvent!.metadata.correlationId,
      clientCorrelationId: 'screen-42',
    });
    // The client's id is kept beside the trace; the trace's correlation id is the server's own.
    expect(outcomeEvent!.metadata).toMatchObject({ commandId: last.commandId, clientCorrelationId: 'screen-42' });
    expect(outcomeEvent!.metadata.correlationId).not.toBe('screen-42');

    // Closed: by hand again is INVALID_TRANSITION. Reopened, a retry of the settling command closes nothing twice.
    await refused(RESOLVE_OBSTACLE, { obstacleId, resolutionSummary: 'دوباره' }, 'INVALID_TRANSITION');
    await t.ok(REOPEN_OBSTACLE, { input: { obstacleId, reason: 'امهال اجرا نشد' } });
    const before = await head();
    const retry = (
      await t.ok(RECORD_RESOLUTION_OUTCOME, { input: { resolutionId: second, outcome: 'NO_ACTION', note: 'اقدامی صورت نگرفت', idempotencyKey: 'outcome-second' } })
    ).recordResolutionOutcome;
    expect(retry).toMatchObject({ replayed: true, commandId: last.commandId });
    expect(await head()).toBe(before);
    expect((await resolution(second)).obstacle.status).toBe('REFERRED');
  });

  test('an accepted objection that withdraws the last open resolution closes the case too', async () => {
    const obstacleId = await raiseObstacle(await registerUnit());
    const resolutionId = await recordResolution(await heldMeeting(), { obstacleId });
    await communicate(resolutionId);
    await t.ok(OBJECT_TO_RESOLUTION, { input: { resolutionId, reason: 'خارج از اختیارات' } }, agencyUser(BANK));
    const decided = (await t.ok(DECIDE_OBJECTION, { input: { resolutionId, accepted: true, note: 'پذیرفته شد' } })).decideObjection;
    expect(decided.closedObstacle).toMatchObject({
      id: obstacleId,
      status: 'RESOLVED',
      resolutionSummary: 'همه مصوبات تعیین تکلیف شد: ۱ مصوبه با پذیرش اعتراض لغو شد',
    });
  });
});

describe('escalation', () => {
  test('county → province → national, one level at a time, keeping its history', async () => {
    const obstacleId = await raiseObstacle(await registerUnit());
    const province = await registerWorkgroup('PROVINCE', 'تهران', null, 'کارگروه تسهیل و رفع موانع تولید استان تهران');
    const otherProvince = await registerWorkgroup('PROVINCE', 'البرز', null, 'کارگروه تسهیل استان البرز');
    const national = await registerWorkgroup('NATIONAL', null, null, 'ستاد تسهیل و رفع موانع تولید');
    const escalate = (toLevel: string, workgroupId: string, reason = 'در سطح شهرستان قابل حل نیست') => ({ obstacleId, toLevel, workgroupId, reason });

    await refused(ESCALATE_OBSTACLE, escalate('NATIONAL', national), 'INVALID_TRANSITION');
    await refused(ESCALATE_OBSTACLE, escalate('PROVINCE', national), 'BAD_USER_INPUT');
    await refused(ESCALATE_OBSTACLE, escalate('PROVINCE', otherProvince), 'BAD_USER_INPUT');
    await refused(ESCALATE_OBSTACLE, escalate('PROVINCE', randomUUID()), 'NOT_FOUND');
    await refused(ESCALATE_OBSTACLE, escalate('COUNTY', province), 'BAD_USER_INPUT');

    later(7);
    const toProvince = (await t.ok(ESCALATE_OBSTACLE, { input: escalate('PROVINCE', province) })).escalateObstacle;
    expect(toProvince.obstacle).toMatchObject({ level: 'PROVINCE', workgroupId: province, status: 'OPEN' });
    await refused(ESCALATE_OBSTACLE, escalate('PROVINCE', province), 'INVALID_TRANSITION');

    later(14);
    const toNational = (await t.ok(ESCALATE_OBSTACLE, { input: escalate('NATIONAL', national, 'نیاز به تصمیم ستاد ملی') })).escalateObstacle;
    expect(toNational.obstacle).toMatchObject({ level: 'NATIONAL', workgroupId: national });
    expect(toNational.obstacle.levelHistory).toEqual([
      { level: 'COUNTY', fromLevel: null, workgroupId: null, reason: null, since: '2024-11-27T09:00:00.000Z', actor: 'test-actor' },
      { level: 'PROVINCE', fromLevel: 'COUNTY', workgroupId: province, reason: 'در سطح شهرستان قابل حل نیست', since: '2024-12-04T09:00:00.000Z', actor: 'test-actor' },
      { level: 'NATIONAL', fromLevel: 'PROVINCE', workgroupId: national, reason: 'نیاز به تصمیم ستاد ملی', since: '2024-12-18T09:00:00.000Z', actor: 'test-actor' },
    ]);
    await refused(ESCALATE_OBSTACLE, escalate('NATIONAL', national), 'INVALID_TRANSITION');

    const { obstacle } = await t.ok(`query ($id: ID!) { obstacle(id: $id) { level workgroupId levelHistory { level sinceJalali } } }`, { id: obstacleId });
    expect(obstacle).toMatchObject({ level: 'NATIONAL', workgroupId: national });
    expect(obstacle.levelHistory.map((p: any) => p.sinceJalali)).toEqual(['1403/09/07', '1403/09/14', '1403/09/28']);
    // A county chair cannot send a case of another county up.
    const chair: Principal = { subject: 'chair-islamshahr', roles: ['CHAIR'], province: 'تهران', counties: ['اسلامشهر'], agencyId: null };
    const other = await raiseObstacle(await registerUnit());
    await refused(ESCALATE_OBSTACLE, { obstacleId: other, toLevel: 'PROVINCE', workgroupId: province, reason: 'x' }, 'FORBIDDEN', chair);
  });
});

describe('the body handling a case', () => {
  test("a case raised in a county meeting is that workgroup's from the start; lists filter by level and by workgroup", async () => {
    const county = await registerWorkgroup('COUNTY', 'تهران', 'پاکدشت', 'کارگروه تسهیل شهرستان پاکدشت');
    const province = await registerWorkgroup('PROVINCE', 'تهران', null, 'کارگروه تسهیل استان تهران (پرونده‌های ارجاعی)');
    const meetingId = await heldMeeting({ workgroupId: county });
    const raised = (
      await t.ok(RAISE_OBSTACLE, { input: { unitId: await registerUnit(), title: 'بدهی بیمه', category: 'SOCIAL_SECURITY', source: { kind: 'MEETING', id: meetingId } } })
    ).raiseObstacle.obstacle.id as string;
    const LEVELS = `query ($id: ID!) { obstacle(id: $id) { level workgroupId levelHistory { level workgroupId } } }`;
    expect((await t.ok(LEVELS, { id: raised })).obstacle).toEqual({ level: 'COUNTY', workgroupId: county, levelHistory: [{ level: 'COUNTY', workgroupId: county }] });
    const LIST = `query ($level: ObstacleLevel, $workgroupId: ID) { obstacles(level: $level, workgroupId: $workgroupId, first: 100) { totalCount edges { node { id } } } }`;
    const ids = async (args: Record<string, unknown>) => (await t.ok(LIST, args)).obstacles.edges.map((e: { node: { id: string } }) => e.node.id) as string[];
    expect(await ids({ workgroupId: county })).toEqual([raised]);

    await t.ok(ESCALATE_OBSTACLE, { input: { obstacleId: raised, toLevel: 'PROVINCE', workgroupId: province, reason: 'نیاز به تصمیم استانی' } });
    // What is before the province now: by level, and by the provincial body; no longer the county's.
    expect(await ids({ level: 'PROVINCE' })).toContain(raised);
    expect(await ids({ level: 'COUNTY' })).not.toContain(raised);
    expect(await ids({ workgroupId: province })).toEqual([raised]);
    expect(await ids({ workgroupId: county })).toEqual([]);
    expect((await t.ok(LEVELS, { id: raised })).obstacle.levelHistory).toEqual([
      { level: 'COUNTY', workgroupId: county },
      { level: 'PROVINCE', workgroupId: province },
    ]);
  });
});

describe('field visits', () => {
  test('a visit with visitors, units and findings, and the obstacles raised from it', async () => {
    const shoeUnit = await registerUnit({ name: 'تولیدی کفش ماشینی چهاردانگه', county: 'اسلامشهر', sector: 'کفش ماشینی' });
    const zoneId = await registerZone('لکه صنعتی چهاردانگه', 'اسلامشهر');
    const recorded = (await t.ok(RECORD_VISIT, { input: islamshahrVisit({ unitIds: [shoeUnit, shoeUnit], zoneId }) })).recordVisit;
    expect(recorded).toMatchObject({ revision: '0', replayed: false });
    const visitId = recorded.visit.id;
    expect(recorded.visit).toMatchObject({
      visitedAt: '2024-12-02T06:30:00.000Z',
      county: 'اسلامشهر',
      zoneId,
      findingsCount: 0,
      units: [{ unitId: shoeUnit, unitName: 'تولیدی کفش ماشینی چهاردانگه' }],
      visitors: [
        { name: 'حشمت الله عسگری', agency: 'استانداری تهران', role: 'معاون اقتصادی استاندار تهران' },
        { name: 'فرماندار اسلامشهر', agency: 'فرمانداری اسلامشهر', role: null },
      ],
    });

    later(5);
    await t.ok(RECORD_VISIT_FINDINGS, { input: { visitId, findings: 'نبود خط تلفن و اینترنت در لکه صنعتی' } });
    const second = (await t.ok(RECORD_VISIT_FINDINGS, { input: { visitId, findings: 'خیابان پدر آسفالت ندارد' } })).recordVisitFindings;
    expect(second.visit).toMatchObject({ findingsCount: 2, revision: '2' });
    expect(second.visit.findings.map((f: any) => f.findings)).toEqual(['نبود خط تلفن و اینترنت در لکه صنعتی', 'خیابان پدر آسفالت ندارد']);

    // Findings become cases: raised with the visit as their source.
    for (const title of ['تامین خط تلفن و اینترنت', 'آسفالت خیابان پدر']) {
      const raised = await t.app.commands.raiseObstacle(
        { unitId: shoeUnit, source: { kind: 'VISIT', id: visitId }, title, description: 'از یافته‌های بازدید', category: 'TELECOM', priority: 'NORMAL' },
        { principal: ADMIN, now: clock },
      );
      await t.app.runtime.waitForPosition(raised.position, 5000);
    }
    await raiseObstacle(shoeUnit, 'موضوع دیگر'); // not from the visit
    const { visit } = await t.ok(VISIT, { id: visitId });
    expect(visit.obstacles.map((o: any) => [o.title, o.status])).toEqual([
      ['تامین خط تلفن و اینترنت', 'OPEN'],
      ['آسفالت خیابان پدر', 'OPEN'],
    ]);

    await t.ok(RECORD_VISIT, { input: islamshahrVisit({ county: 'پاکدشت', purpose: 'بازدید از شهرک خوارزمی' }) });
    expect((await t.ok(VISITS, { county: 'اسلامشهر' })).visits.edges.map((e: any) => e.node.id)).toEqual([visitId]);
    expect((await t.ok(VISITS, { zoneId })).visits.totalCount).toBe(1);
    expect((await t.ok(VISITS, {})).visits.totalCount).toBe(2);
  });

  test('refusals: unknown unit or zone NOT_FOUND, no visitor BAD_USER_INPUT, another county FORBIDDEN', async () => {
    await refused(RECORD_VISIT, islamshahrVisit({ unitIds: [randomUUID()] }), 'NOT_FOUND');
    await refused(RECORD_VISIT, islamshahrVisit({ zoneId: randomUUID() }), 'NOT_FOUND');
    await refused(RECORD_VISIT, islamshahrVisit({ visitors: [] }), 'BAD_USER_INPUT');
    await refused(RECORD_VISIT_FINDINGS, { visitId: randomUUID(), findings: 'x' }, 'NOT_FOUND');
    const chair: Principal = { subject: 'chair-pakdasht', roles: ['CHAIR'], province: 'تهران', counties: ['پاکدشت'], agencyId: null };
    await refused(RECORD_VISIT, islamshahrVisit(), 'FORBIDDEN', chair);
    const visitId = (await t.ok(RECORD_VISIT, { input: islamshahrVisit() })).recordVisit.visit.id;
    await refused(RECORD_VISIT_FINDINGS, { visitId, findings: 'x' }, 'FORBIDDEN', chair);
    expect((await t.ok(VISIT, { id: randomUUID() })).visit).toBeNull();
  });
});

describe('commitments', () => {
  /** The promises the province's economic deputy made to Islamshahr's shoe producers (seed 004). */
  const islamshahrPromises = async () => {
    const shoeUnit = await registerUnit({ name: 'تولیدی کفش ماشینی چهاردانگه', county: 'اسلامشهر' });
    const visitId = (await t.ok(RECORD_VISIT, { input: islamshahrVisit({ unitIds: [shoeUnit] }) })).recordVisit.visit.id as string;
    const promise = async (description: string, madeTo: string, dueDate: string, agency: string | null = null) => {
      later(0, 1); // lists are in the order promises were made
      return (
        await t.ok(MAKE_COMMITMENT, {
          input: {
            madeBy: 'حشمت الله عسگری، معاون اقتصادی استاندار تهران',
            agency,
            madeTo,
            description,
            dueDate,
            source: { kind: 'VISIT', id: visitId },
            unitIds: [shoeUnit],
          },
        })
      ).makeCommitment.commitment;
    };
    const shoeCity = await promise('احداث شهر کفش', 'تولیدکنندگان کفش اسلامشهر', '2025-03-19T20:30:00Z');
    // Typed with Arabic kaf and yeh and a half-space, as copy-paste brings them.
    const telecom = await promise('مخابرات منطقه', 'تولیدكنندگان كفش\u200cماشینی', '2025-01-20T20:30:00Z', 'مخابرات منطقه تهران');
    const paving = await promise('آسفالت خیابان پدر', 'واحدهای کفش خیابان پدر', '2025-01-20T20:30:00Z', 'شهرداری اسلامشهر');
    return { shoeUnit, visitId, shoeCity, telecom, paving };
  };

  test('the Islamshahr promises: kept, broken with evidence, extended; and which ones are overdue', async () => {
    const { visitId, shoeCity, telecom, paving, shoeUnit } = await islamshahrPromises();
    expect(shoeCity).toMatchObject({
      status: 'OPEN',
      county: 'اسلامشهر',
      province: 'تهران',
      source: { kind: 'VISIT', id: visitId },
      dueDate: '2025-03-19T20:30:00.000Z',
      originalDueDate: '2025-03-19T20:30:00.000Z',
      timesExtended: 0,
      overdue: false,
      keptAsPromised: false,
      units: [{ unitId: shoeUnit, unitName: 'تولیدی کفش ماشینی چهاردانگه' }],
      revision: '0',
    });
    // A promise to shoe producers elsewhere: another county, never in Islamshahr's answer.
    const pakdashtMeetingId = await heldMeeting();
    await t.ok(MAKE_COMMITMENT, {
      input: { madeBy: 'فرماندار پاکدشت', madeTo: 'تولیدکنندگان کفش پاکدشت', description: 'تامین برق', dueDate: '2024-12-20T00:00:00Z', source: { kind: 'MEETING', id: pakdashtMeetingId } },
    });

    const overdueShoePromises = async () =>
      (await t.ok(COMMITMENTS, { county: 'اسلامشهر', madeTo: 'کفش', overdue: true })).commitments.edges.map((e: any) => e.node.description);
    expect(await overdueShoePromises()).toEqual([]);
    expect((await t.ok(COMMITMENTS, { county: 'اسلامشهر', madeTo: 'كفش ماشيني' })).commitments.edges.map((e: any) => e.node.description)).toEqual([
      'مخابرات منطقه',
    ]);

    setClock('2025-01-15T08:00:00Z');
    const kept = (await t.ok(RECORD_COMMITMENT_KEPT, { input: { commitmentId: telecom.id, evidence: 'خطوط فیبر نوری در لکه صنعتی راه‌اندازی شد' } }))
      .recordCommitmentKept.commitment;
    expect(kept).toMatchObject({ status: 'KEPT', evidence: 'خطوط فیبر نوری در لکه صنعتی راه‌اندازی شد', keptAsPromised: true, overdue: false });

    setClock('2025-02-01T08:00:00Z');
    expect(await overdueShoePromises()).toEqual(['آسفالت خیابان پدر']);
    const broken = (await t.ok(RECORD_COMMITMENT_BROKEN, { input: { commitmentId: paving.id, evidence: 'تا پایان مهلت آسفالت انجام نشد' } }))
      .recordCommitmentBroken.commitment;
    expect(broken).toMatchObject({ status: 'BROKEN', settledAt: '2025-02-01T08:00:00.000Z', overdue: false, keptAsPromised: false });
    await refused(RECORD_COMMITMENT_BROKEN, { commitmentId: paving.id, evidence: 'دوباره' }, 'INVALID_TRANSITION');
    await refused(RECORD_COMMITMENT_KEPT, { commitmentId: paving.id, evidence: 'x' }, 'INVALID_TRANSITION');
    await refused(EXTEND_COMMITMENT, { commitmentId: telecom.id, newDueDate: '2025-06-01T00:00:00Z', reason: 'x' }, 'INVALID_TRANSITION');
    expect(await overdueShoePromises()).toEqual([]);

    setClock('2025-03-25T08:00:00Z');
    expect(await overdueShoePromises()).toEqual(['احداث شهر کفش']);
    await refused(EXTEND_COMMITMENT, { commitmentId: shoeCity.id, newDueDate: '2025-03-01T00:00:00Z', reason: 'x' }, 'BAD_USER_INPUT');
    const extended = (await t.ok(EXTEND_COMMITMENT, { input: { commitmentId: shoeCity.id, newDueDate: '1404/06/31', reason: 'تامین زمین از سوی شرکت شهرک‌ها' } }))
      .extendCommitment.commitment;
    expect(extended).toMatchObject({
      dueDate: '2025-09-21T20:30:00.000Z',
      originalDueDate: '2025-03-19T20:30:00.000Z',
      timesExtended: 1,
      overdue: false,
      extensions: [{ from: '2025-03-19T20:30:00.000Z', to: '2025-09-21T20:30:00.000Z', reason: 'تامین زمین از سوی شرکت شهرک‌ها', extendedAt: '2025-03-25T08:00:00.000Z' }],
    });
    expect(await overdueShoePromises()).toEqual([]);

    setClock('2025-10-01T08:00:00Z');
    const q = (await t.ok(COMMITMENTS, { county: 'اسلامشهر', madeTo: 'کفش', overdue: true })).commitments;
    expect(q.edges).toEqual([{ cursor: expect.any(String), node: { id: shoeCity.id, description: 'احداث شهر کفش', madeTo: 'تولیدکنندگان کفش اسلامشهر', status: 'OPEN', overdue: true } }]);
    expect((await t.ok(COMMITMENTS, { status: 'KEPT' })).commitments.totalCount).toBe(1);
    expect((await t.ok(COMMITMENTS, { madeTo: 'کفش' })).commitments.totalCount).toBe(4);

    // Kept late, after an extension: kept, but not as first promised.
    const late = (await t.ok(RECORD_COMMITMENT_KEPT, { input: { commitmentId: shoeCity.id, evidence: 'کلنگ شهر کفش زده شد' } })).recordCommitmentKept.commitment;
    expect(late).toMatchObject({ status: 'KEPT', keptAsPromised: false, overdue: false });

    const { visit } = await t.ok(VISIT, { id: visitId });
    expect(visit.commitments.map((c: any) => c.description)).toEqual(['احداث شهر کفش', 'مخابرات منطقه', 'آسفالت خیابان پدر']);
    const { commitment } = await t.ok(COMMITMENT, { id: paving.id });
    expect(commitment).toMatchObject({ agency: 'شهرداری اسلامشهر', status: 'BROKEN' });
  });

  test('refusals: unknown source or unit NOT_FOUND, a due date before the promise BAD_USER_INPUT', async () => {
    const base = { madeBy: 'معاون اقتصادی', madeTo: 'تولیدکنندگان کفش', description: 'احداث شهر کفش', dueDate: '2025-03-19T20:30:00Z' };
    await refused(MAKE_COMMITMENT, { ...base, source: { kind: 'VISIT', id: randomUUID() } }, 'NOT_FOUND');
    await refused(MAKE_COMMITMENT, { ...base, source: { kind: 'MEETING', id: randomUUID() } }, 'NOT_FOUND');
    const visitId = (await t.ok(RECORD_VISIT, { input: islamshahrVisit() })).recordVisit.visit.id;
    await refused(MAKE_COMMITMENT, { ...base, source: { kind: 'VISIT', id: visitId }, unitIds: [randomUUID()] }, 'NOT_FOUND');
    await refused(MAKE_COMMITMENT, { ...base, source: { kind: 'VISIT', id: visitId }, dueDate: '2024-01-01T00:00:00Z' }, 'BAD_USER_INPUT');
    await refused(MAKE_COMMITMENT, { ...base, source: { kind: 'VISIT', id: 'not-an-id' } }, 'BAD_USER_INPUT');
    const chair: Principal = { subject: 'chair-pakdasht', roles: ['CHAIR'], province: 'تهران', counties: ['پاکدشت'], agencyId: null };
    await refused(MAKE_COMMITMENT, { ...base, source: { kind: 'VISIT', id: visitId } }, 'FORBIDDEN', chair);
    await refused(RECORD_COMMITMENT_KEPT, { commitmentId: randomUUID(), evidence: 'x' }, 'NOT_FOUND');
    expect((await t.ok(COMMITMENT, { id: randomUUID() })).commitment).toBeNull();
  });
});
