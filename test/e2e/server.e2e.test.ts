/**
 * The real server process over real HTTP on loopback: the foundation's whole
 * workflow as a frontend would drive it, then crash safety — SIGKILL while
 * mutations are in flight, restart on the same files, and prove that nothing
 * acknowledged was lost, nothing was recorded twice, and the read models equal
 * a rebuild from the first event.
 *
 * Needs a fresh `dist/` (`npm test` builds it first).
 */
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  ADD_AGENDA_ITEM,
  AUDIT_TRAIL,
  CANCEL_MEETING,
  CHANGE_STATUS,
  MEETING_FIELDS,
  OBSTACLE_FIELDS,
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
  UNIT_FIELDS,
  UNIT_WITH_HISTORY,
  kharazmiUnit,
  pakdashtMeeting,
} from '../api/operations';
import { tempDir } from '../support/app';
import { checkpoints, dumpReadModels, rebuildFromScratch } from '../support/read-models';
import { killAllServers, startServer, type ServerProcess } from '../support/server-process';

const dataDirs: string[] = [];
const freshDataDir = (): string => {
  const dir = tempDir('tashil-e2e-');
  dataDirs.push(dir);
  return dir;
};

afterEach(async () => {
  await killAllServers();
});
afterAll(async () => {
  await killAllServers();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** The data of a successful operation; anything else fails with the response and the server's stderr. */
const ok = async (server: ServerProcess, query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => {
  const response = await server.gql(query, variables, headers);
  if (response.status !== 200 || response.body.errors?.length || !response.body.data) {
    throw new Error(`expected success, got HTTP ${response.status}: ${JSON.stringify(response.body, null, 2)}\n--- server stderr ---\n${server.stderr()}`);
  }
  return response.body.data as Record<string, any>;
};

const PROJECTIONS = `{ projections { name state position lagEvents lastError } }`;
const nodes = (connection: { edges: { node: any }[] }) => connection.edges.map((e) => e.node);

// ─── 1. The foundation scenario over HTTP ─────────────────────────────────────

const ACTOR = 'e2e-کارشناس-ستاد';

const UNITS = `query ($first: Int, $after: String, $county: String, $activityStatus: ActivityStatus) {
  units(first: $first, after: $after, county: $county, activityStatus: $activityStatus) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id name county activityStatus } } } }`;
const OBSTACLES = `query ($first: Int, $after: String, $unitId: ID, $county: String, $status: ObstacleStatus, $category: ObstacleCategory, $leadAgency: String) {
  obstacles(first: $first, after: $after, unitId: $unitId, county: $county, status: $status, category: $category, leadAgency: $leadAgency) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { id title status category leadAgency unitId } } } }`;
const MEETINGS = `query ($first: Int, $after: String, $county: String, $status: MeetingStatus) {
  meetings(first: $first, after: $after, county: $county, status: $status) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { id title status scheduledAt } } } }`;
const HISTORY_PAGE = `query ($id: ID!, $first: Int, $after: String) { unit(id: $id) {
  history(first: $first, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { kind position } } } } }`;

const OBSTACLE_TITLE = 'بدهی معوق بیمه تامین اجتماعی';
const MEETING_TITLE = pakdashtMeeting().title;
const RESOLUTION_TEXT = 'مقرر شد تامین اجتماعی ظرف ۲۰ روز بدهی را تقسیط کند';
const attendees = [
  { name: 'مهدی یوسفی جمارانی', agency: 'فرمانداری پاکدشت', role: 'رئیس جلسه' },
  { name: 'رئیس اداره صمت', agency: 'اداره صمت' },
  { name: 'نماینده تامین اجتماعی', agency: 'اداره بیمه و تامین اجتماعی', role: 'عضو' },
];

test('the foundation workflow over real HTTP: units, obstacles, meetings, history, audit, errors, graceful stop', async () => {
  const startedAt = Date.now();
  const server = await startServer({ dataDir: freshDataDir(), actor: ACTOR, env: { TASHIL_SQLITE_SYNCHRONOUS: 'NORMAL' } });
  expect(server.url).toBe(`http://127.0.0.1:${server.port}/graphql`);
  expect(server.logLines().find((l) => l.msg === 'listening')).toMatchObject({ eventStore: 'sqlite', auth: 'hs256' });

  // Liveness and readiness.
  const health = await server.request('/healthz');
  expect(health.status).toBe(200);
  expect(health.json()).toEqual({ status: 'ok' });
  const ready = await server.request('/readyz');
  expect(ready.status).toBe(200);
  expect(ready.json()).toMatchObject({ status: 'ready', store: 'sqlite' });
  const projections = ready.json().projections.map((p: any) => p.state);
  expect(projections.length).toBeGreaterThanOrEqual(4);
  expect(projections.every((state: string) => state === 'LIVE')).toBe(true);
  expect((await server.request('/nowhere')).status).toBe(404);

  // Every mutation's payload, in the order sent: positions must increase with it.
  const payloads: { name: string; commandId: string; position: string; revision: string }[] = [];
  const mutate = async (name: string, query: string, input: Record<string, unknown>, headers?: Record<string, string>) => {
    const payload = (await ok(server, query, { input }, headers))[name];
    expect(payload.replayed).toBe(false);
    payloads.push({ name, commandId: payload.commandId, position: payload.position, revision: payload.revision });
    return payload;
  };

  // ── Units ──
  const reg1 = await mutate('registerUnit', REGISTER_UNIT, kharazmiUnit({ nationalId: '۱۰۸۶۱۲۳۴۵۶۷' }), { 'x-request-id': 'e2e-register-1' });
  expect(reg1).toMatchObject({ revision: '0', replayed: false });
  expect(reg1.unit).toMatchObject({
    name: 'ابتکار پلاستیک',
    nationalId: '10861234567',
    sector: 'پلاستیک',
    province: 'تهران',
    county: 'پاکدشت',
    location: 'شهرک صنعتی خوارزمی',
    headCount: 42,
    activityStatus: 'SEMI_ACTIVE',
    statusReason: null,
    openObstacleCount: 0,
    revision: '0',
  });
  const unitId: string = reg1.unit.id;
  const reg2 = await mutate(
    'registerUnit',
    REGISTER_UNIT,
    kharazmiUnit({ name: 'سرعت خانه ساز', nationalId: '10861234568', sector: 'مصالح ساختمانی', activityStatus: 'ACTIVE', headCount: 120 }),
  );
  const reg3 = await mutate(
    'registerUnit',
    REGISTER_UNIT,
    kharazmiUnit({ name: 'ماداکام\u200cشرق', nationalId: '10861234569', county: 'اسلامشهر', location: null, activityStatus: 'INACTIVE' }),
  );
  const unit2: string = reg2.unit.id;
  const unit3: string = reg3.unit.id;

  const duplicate = await server.gql(REGISTER_UNIT, { input: kharazmiUnit({ name: 'شرکت دیگر' }) });
  expect(duplicate.status).toBe(200);
  expect(duplicate.body.errors[0].extensions.code).toBe('CONFLICT');

  const changed = await mutate('changeUnitActivityStatus', CHANGE_STATUS, {
    unitId,
    status: 'ACTIVE',
    reason: 'بازگشت به ظرفیت کامل',
    correlationId: 'visit-42',
  });
  expect(changed).toMatchObject({ revision: '1' });
  expect(changed.unit).toMatchObject({ activityStatus: 'ACTIVE', statusReason: 'بازگشت به ظرفیت کامل', revision: '1' });

  // ── Obstacle: raise → refer → progress → resolve → reopen ──
  const openCount = async (id: string) => (await ok(server, `query ($id: ID!) { unit(id: $id) { openObstacleCount } }`, { id })).unit.openObstacleCount;
  const raised = await mutate('raiseObstacle', RAISE_OBSTACLE, {
    unitId,
    title: OBSTACLE_TITLE,
    description: 'جریمه‌های دیرکرد',
    category: 'SOCIAL_SECURITY',
    priority: 'HIGH',
  });
  expect(raised.obstacle).toMatchObject({ status: 'OPEN', unitId, unitName: 'ابتکار پلاستیک', county: 'پاکدشت', revision: '0', timesReopened: 0 });
  const obstacleId: string = raised.obstacle.id;
  expect(await openCount(unitId)).toBe(1);

  const referred = await mutate('referObstacle', REFER_OBSTACLE, {
    obstacleId,
    leadAgency: 'اداره بیمه و تامین اجتماعی',
    cooperatingAgencies: ['اداره کار', 'فرمانداری پاکدشت'],
    deadline: '2030-01-20T15:30:00+03:30',
  });
  expect(referred.obstacle).toMatchObject({
    status: 'REFERRED',
    leadAgency: 'اداره بیمه و تامین اجتماعی',
    cooperatingAgencies: ['اداره کار', 'فرمانداری پاکدشت'],
    deadline: '2030-01-20T12:00:00.000Z',
    revision: '1',
  });
  const progressed = await mutate('recordObstacleProgress', RECORD_PROGRESS, { obstacleId, note: 'تقسیط بدهی در دست بررسی' });
  expect(progressed.obstacle).toMatchObject({ status: 'IN_PROGRESS', revision: '2' });
  const resolved = await mutate('resolveObstacle', RESOLVE_OBSTACLE, { obstacleId, resolutionSummary: 'بدهی ۳۶ ماهه تقسیط شد' });
  expect(resolved.obstacle).toMatchObject({ status: 'RESOLVED', resolutionSummary: 'بدهی ۳۶ ماهه تقسیط شد', revision: '3' });
  expect(await openCount(unitId)).toBe(0);
  const resolveAgain = await server.gql(RESOLVE_OBSTACLE, { input: { obstacleId, resolutionSummary: 'دوباره' } });
  expect(resolveAgain.body.errors[0].extensions.code).toBe('INVALID_TRANSITION');
  const reopened = await mutate('reopenObstacle', REOPEN_OBSTACLE, { obstacleId, reason: 'اقساط پرداخت نشد' });
  expect(reopened.obstacle).toMatchObject({ status: 'REFERRED', timesReopened: 1, resolutionSummary: null, revision: '4' });
  expect(await openCount(unitId)).toBe(1);

  const other = await mutate('raiseObstacle', RAISE_OBSTACLE, { unitId: unit2, title: 'امهال وام بانکی', category: 'BANKING' });
  expect(other.obstacle).toMatchObject({ status: 'OPEN', priority: 'NORMAL', unitName: 'سرعت خانه ساز' });
  const otherId: string = other.obstacle.id;

  // ── Meetings ──
  const scheduled = await mutate('scheduleMeeting', SCHEDULE_MEETING, pakdashtMeeting());
  expect(scheduled.meeting).toMatchObject({ status: 'SCHEDULED', county: 'پاکدشت', scheduledAt: '2024-11-27T06:30:00.000Z', revision: '0' });
  const meetingId: string = scheduled.meeting.id;
  await mutate('addAgendaItem', ADD_AGENDA_ITEM, { meetingId, kind: 'UNIT', subjectId: unitId, note: 'بررسی مشکلات واحد' });
  const agenda = await mutate('addAgendaItem', ADD_AGENDA_ITEM, { meetingId, kind: 'OBSTACLE', subjectId: obstacleId });
  expect(agenda.meeting.agenda).toEqual([
    { kind: 'UNIT', subjectId: unitId, unitId, note: 'بررسی مشکلات واحد' },
    { kind: 'OBSTACLE', subjectId: obstacleId, unitId, note: null },
  ]);
  const held = await mutate('recordMeetingHeld', RECORD_HELD, {
    meetingId,
    heldAt: '2024-11-27T10:15:00+03:30',
    attendees,
    minutes: 'صورتجلسه: مشکلات بیمه‌ای واحد بررسی و مقرر شد …',
  });
  expect(held.meeting).toMatchObject({ status: 'HELD', heldAt: '2024-11-27T06:45:00.000Z', minutes: 'صورتجلسه: مشکلات بیمه‌ای واحد بررسی و مقرر شد …' });
  expect(held.meeting.attendees).toEqual(attendees.map((a) => ({ role: null, ...a })));
  const resolution = await mutate('recordResolution', RECORD_RESOLUTION, {
    meetingId,
    text: RESOLUTION_TEXT,
    leadAgency: 'تامین اجتماعی',
    cooperatingAgencies: ['اداره کار'],
    deadline: '2030-12-17T14:00:00+03:30',
    obstacleId,
  });
  expect(resolution.resolution).toMatchObject({
    meetingId,
    obstacleId,
    unitId,
    text: RESOLUTION_TEXT,
    leadAgency: 'تامین اجتماعی',
    cooperatingAgencies: ['اداره کار'],
    deadline: '2030-12-17T10:30:00.000Z',
  });

  const second = (await mutate('scheduleMeeting', SCHEDULE_MEETING, pakdashtMeeting({ title: 'جلسه دوم کارگروه', scheduledAt: '2024-11-28T09:00:00+03:30' })))
    .meeting;
  const postponed = await mutate('postponeMeeting', POSTPONE_MEETING, { meetingId: second.id, to: '2024-12-04T10:00:00+03:30', reason: 'سفر فرماندار' });
  expect(postponed.meeting).toMatchObject({ status: 'POSTPONED', scheduledAt: '2024-12-04T06:30:00.000Z', postponementReason: 'سفر فرماندار' });
  const third = (await mutate('scheduleMeeting', SCHEDULE_MEETING, pakdashtMeeting({ title: 'جلسه سوم کارگروه', scheduledAt: '2024-12-10T10:00:00+03:30' })))
    .meeting;
  const cancelled = await mutate('cancelMeeting', CANCEL_MEETING, { meetingId: third.id, reason: 'عدم حد نصاب' });
  expect(cancelled.meeting).toMatchObject({ status: 'CANCELLED', cancellationReason: 'عدم حد نصاب' });
  const holdCancelled = await server.gql(RECORD_HELD, { input: { meetingId: third.id, attendees, minutes: 'x' } });
  expect(holdCancelled.body.errors[0].extensions.code).toBe('INVALID_TRANSITION');

  // Positions follow the order the commands were acknowledged in.
  const positions = payloads.map((p) => BigInt(p.position));
  for (let i = 1; i < positions.length; i++) expect(positions[i]! > positions[i - 1]!).toBe(true);
  const head = positions[positions.length - 1]!;

  // ── The unit with its history ──
  const unitView = (await ok(server, UNIT_WITH_HISTORY, { id: unitId })).unit;
  expect(unitView).toMatchObject({ id: unitId, activityStatus: 'ACTIVE', openObstacleCount: 1, revision: '1' });
  expect(unitView.obstacles).toEqual({ totalCount: 1, edges: [{ node: { id: obstacleId, status: 'REFERRED' } }] });
  const history = nodes(unitView.history);
  expect(unitView.history.totalCount).toBe(11);
  expect(history.map((h: any) => h.kind)).toEqual([
    'REGISTERED',
    'ACTIVITY_STATUS_CHANGED',
    'OBSTACLE_RAISED',
    'OBSTACLE_REFERRED',
    'OBSTACLE_PROGRESS',
    'OBSTACLE_RESOLVED',
    'OBSTACLE_REOPENED',
    'PUT_ON_AGENDA',
    'PUT_ON_AGENDA',
    'DISCUSSED_IN_MEETING',
    'RESOLUTION_RECORDED',
  ]);
  expect(history.map((h: any) => h.summary)).toEqual([
    'ثبت واحد «ابتکار پلاستیک» با وضعیت نیمه\u200cفعال',
    'تغییر وضعیت از نیمه\u200cفعال به فعال: بازگشت به ظرفیت کامل',
    `طرح مانع «${OBSTACLE_TITLE}»`,
    `ارجاع مانع «${OBSTACLE_TITLE}» به اداره بیمه و تامین اجتماعی با مهلت 1408/11/01`,
    `پیشرفت مانع «${OBSTACLE_TITLE}»: تقسیط بدهی در دست بررسی`,
    `رفع مانع «${OBSTACLE_TITLE}»: بدهی ۳۶ ماهه تقسیط شد`,
    `بازگشایی مانع «${OBSTACLE_TITLE}»: اقساط پرداخت نشد`,
    `در دستور جلسه «${MEETING_TITLE}»`,
    `در دستور جلسه «${MEETING_TITLE}»`,
    `بررسی در جلسه «${MEETING_TITLE}»`,
    `مصوبه: ${RESOLUTION_TEXT}`,
  ]);
  expect(history.every((h: any) => h.actor === ACTOR)).toBe(true);
  expect(history.map((h: any) => h.subjectType)).toEqual(['UNIT', 'UNIT', ...Array(5).fill('OBSTACLE'), 'MEETING', 'MEETING', 'MEETING', 'RESOLUTION']);
  expect(history[2].subjectId).toBe(obstacleId);
  expect(history[9].subjectId).toBe(meetingId);
  expect(history[10].subjectId).toBe(resolution.resolution.id);
  expect(history.map((h: any) => h.eventType)).toEqual([
    'UnitRegistered',
    'UnitActivityStatusChanged',
    'ObstacleRaised',
    'ObstacleReferred',
    'ObstacleProgressRecorded',
    'ObstacleResolved',
    'ObstacleReopened',
    'AgendaItemAdded',
    'AgendaItemAdded',
    'MeetingHeld',
    'ResolutionRecorded',
  ]);
  const historyPositions = history.map((h: any) => BigInt(h.position));
  for (let i = 1; i < historyPositions.length; i++) expect(historyPositions[i] > historyPositions[i - 1]).toBe(true);
  expect(history[0].position).toBe(reg1.position);
  expect(history[10].position).toBe(resolution.position);
  for (const h of history) expect(new Date(h.occurredAt).getTime()).toBeGreaterThanOrEqual(startedAt - 1000);

  // History pages: 4 + 4 + 3, the cursors chaining without gaps or repeats.
  const historyPages: any[] = [];
  let after: string | undefined;
  for (let page = 0; page < 10; page++) {
    const h = (await ok(server, HISTORY_PAGE, { id: unitId, first: 4, after })).unit.history;
    historyPages.push(h);
    if (!h.pageInfo.hasNextPage) break;
    after = h.pageInfo.endCursor;
  }
  expect(historyPages.map((p) => p.edges.length)).toEqual([4, 4, 3]);
  expect(historyPages.map((p) => p.pageInfo.hasPreviousPage)).toEqual([false, true, true]);
  expect(historyPages.flatMap((p) => nodes(p).map((n: any) => n.position))).toEqual(history.map((h: any) => h.position));

  // ── Lists, filters and cursor pagination ──
  const allUnits = (await ok(server, UNITS, {})).units;
  expect(allUnits.totalCount).toBe(3);
  expect(nodes(allUnits).map((u: any) => u.id).sort()).toEqual([unitId, unit2, unit3].sort());
  const pakdashtPages: any[] = [];
  after = undefined;
  for (let page = 0; page < 10; page++) {
    const p: any = (await ok(server, UNITS, { first: 1, after, county: 'پاکدشت' })).units;
    pakdashtPages.push(p);
    expect(p.totalCount).toBe(2);
    if (!p.pageInfo.hasNextPage) break;
    after = p.pageInfo.endCursor;
  }
  expect(pakdashtPages).toHaveLength(2);
  expect(pakdashtPages.flatMap((p) => nodes(p).map((u: any) => u.id))).toEqual(
    nodes(allUnits)
      .filter((u: any) => u.county === 'پاکدشت')
      .map((u: any) => u.id),
  );
  expect(nodes((await ok(server, UNITS, { activityStatus: 'INACTIVE' })).units)).toEqual([
    { id: unit3, name: 'ماداکام\u200cشرق', county: 'اسلامشهر', activityStatus: 'INACTIVE' },
  ]);
  expect((await ok(server, UNITS, { activityStatus: 'ACTIVE', county: 'پاکدشت' })).units.totalCount).toBe(2);
  const tooMany = await server.gql(UNITS, { first: 101 });
  expect(tooMany.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  expect(tooMany.body.errors[0].extensions.fields[0].field).toContain('first');
  const badCursor = await server.gql(UNITS, { after: 'not-a-cursor' });
  expect(badCursor.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');

  expect((await ok(server, OBSTACLES, {})).obstacles.totalCount).toBe(2);
  expect(nodes((await ok(server, OBSTACLES, { status: 'REFERRED' })).obstacles)).toEqual([
    { id: obstacleId, title: OBSTACLE_TITLE, status: 'REFERRED', category: 'SOCIAL_SECURITY', leadAgency: 'اداره بیمه و تامین اجتماعی', unitId },
  ]);
  expect(nodes((await ok(server, OBSTACLES, { category: 'BANKING' })).obstacles).map((o: any) => o.id)).toEqual([otherId]);
  expect((await ok(server, OBSTACLES, { leadAgency: 'اداره بیمه و تامین اجتماعی' })).obstacles.totalCount).toBe(1);
  expect(nodes((await ok(server, OBSTACLES, { unitId: unit2 })).obstacles).map((o: any) => o.id)).toEqual([otherId]);
  expect((await ok(server, OBSTACLES, { county: 'اسلامشهر' })).obstacles.totalCount).toBe(0);
  const obstaclePage1 = (await ok(server, OBSTACLES, { first: 1 })).obstacles;
  const obstaclePage2 = (await ok(server, OBSTACLES, { first: 1, after: obstaclePage1.pageInfo.endCursor })).obstacles;
  expect([...nodes(obstaclePage1), ...nodes(obstaclePage2)].map((o: any) => o.id).sort()).toEqual([obstacleId, otherId].sort());
  expect(obstaclePage2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

  const allMeetings = (await ok(server, MEETINGS, { county: 'پاکدشت' })).meetings;
  expect(nodes(allMeetings).map((m: any) => [m.id, m.status])).toEqual([
    [meetingId, 'HELD'],
    [second.id, 'POSTPONED'],
    [third.id, 'CANCELLED'],
  ]);
  const meetingsPage1 = (await ok(server, MEETINGS, { first: 2 })).meetings;
  expect(meetingsPage1.pageInfo.hasNextPage).toBe(true);
  const meetingsPage2 = (await ok(server, MEETINGS, { first: 2, after: meetingsPage1.pageInfo.endCursor })).meetings;
  expect(nodes(meetingsPage2).map((m: any) => m.id)).toEqual([third.id]);
  expect(meetingsPage2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  for (const [status, id] of [['HELD', meetingId], ['POSTPONED', second.id], ['CANCELLED', third.id]] as const) {
    expect(nodes((await ok(server, MEETINGS, { status })).meetings).map((m: any) => m.id)).toEqual([id]);
  }
  expect((await ok(server, MEETINGS, { county: 'اسلامشهر' })).meetings.totalCount).toBe(0);

  // ── Single items by id ──
  expect((await ok(server, `query ($id: ID!) { unit(id: $id) { ${UNIT_FIELDS} } }`, { id: unit3 })).unit).toMatchObject({
    id: unit3,
    name: 'ماداکام\u200cشرق',
    location: null,
    county: 'اسلامشهر',
  });
  const obstacleView = (
    await ok(server, `query ($id: ID!) { obstacle(id: $id) { ${OBSTACLE_FIELDS} lastProgressNote unit { id name } resolutions { text meeting { title } } } }`, {
      id: obstacleId,
    })
  ).obstacle;
  expect(obstacleView).toMatchObject({
    id: obstacleId,
    status: 'REFERRED',
    timesReopened: 1,
    lastProgressNote: 'تقسیط بدهی در دست بررسی',
    unit: { id: unitId, name: 'ابتکار پلاستیک' },
    resolutions: [{ text: RESOLUTION_TEXT, meeting: { title: MEETING_TITLE } }],
    revision: '5', // the resolution's link is recorded on the case too
  });
  const meetingView = (
    await ok(
      server,
      `query ($id: ID!) { meeting(id: $id) { ${MEETING_FIELDS} agenda { kind subjectId } attendees { name agency role } resolutions { id text obstacle { id title } } } }`,
      { id: meetingId },
    )
  ).meeting;
  expect(meetingView).toMatchObject({ id: meetingId, status: 'HELD', chair: 'مهدی یوسفی جمارانی', revision: '3' });
  expect(meetingView.agenda).toEqual([
    { kind: 'UNIT', subjectId: unitId },
    { kind: 'OBSTACLE', subjectId: obstacleId },
  ]);
  expect(meetingView.attendees).toHaveLength(3);
  expect(meetingView.resolutions).toEqual([{ id: resolution.resolution.id, text: RESOLUTION_TEXT, obstacle: { id: obstacleId, title: OBSTACLE_TITLE } }]);
  const unknown = '00000000-0000-4000-8000-000000000000';
  expect(
    await ok(server, `query ($id: ID!) { unit(id: $id) { id } obstacle(id: $id) { id } meeting(id: $id) { id } }`, { id: unknown }),
  ).toEqual({ unit: null, obstacle: null, meeting: null });

  // ── Audit trails, read from the event store ──
  const trail = async (kind: string, id: string, first?: number, afterCursor?: string) =>
    (await ok(server, AUDIT_TRAIL, { kind, id, first, after: afterCursor })).auditTrail;
  const checkCommon = (events: any[]) => {
    events.forEach((e, i) => {
      expect(e.revision).toBe(String(i));
      expect(e.actor).toBe(ACTOR);
      expect(e.schemaVersion).toBe(1);
      expect(new Date(e.recordedAt).getTime()).toBeGreaterThanOrEqual(startedAt - 1000);
      expect(new Date(e.recordedAt).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      expect(new Date(e.occurredAt).getTime()).toBeLessThanOrEqual(new Date(e.recordedAt).getTime() + 1000);
      expect(e.causationId).toBe(e.commandId);
      expect(e.eventId).toMatch(/^[0-9a-f-]{36}$/);
      if (i > 0) expect(BigInt(e.position) > BigInt(events[i - 1].position)).toBe(true);
    });
  };

  const unitTrail = await trail('UNIT', unitId);
  expect(unitTrail.totalCount).toBe(2);
  const unitEvents = nodes(unitTrail);
  checkCommon(unitEvents);
  expect(unitEvents[0]).toMatchObject({
    type: 'UnitRegistered',
    streamName: `unit-${unitId}`,
    command: 'RegisterUnit',
    commandId: reg1.commandId,
    position: reg1.position,
    // The x-request-id of the HTTP request is the client's, kept beside the trace's own correlation id.
    clientCorrelationId: 'e2e-register-1',
    reason: null,
    idempotencyKey: null,
  });
  expect(unitEvents.map((e: any) => e.correlationId)).not.toContain('e2e-register-1');
  expect(unitEvents.map((e: any) => e.correlationId)).not.toContain('visit-42');
  expect(unitEvents[0].data).toMatchObject({ unitId, name: 'ابتکار پلاستیک', nationalId: '10861234567', activityStatus: 'SEMI_ACTIVE' });
  expect(unitEvents[1]).toMatchObject({
    type: 'UnitActivityStatusChanged',
    command: 'ChangeUnitActivityStatus',
    commandId: changed.commandId,
    position: changed.position,
    clientCorrelationId: 'visit-42',
    reason: 'بازگشت به ظرفیت کامل',
  });
  expect(unitEvents[1].data).toMatchObject({ unitId, from: 'SEMI_ACTIVE', to: 'ACTIVE', reason: 'بازگشت به ظرفیت کامل' });

  const obstacleTrail = await trail('OBSTACLE', obstacleId);
  expect(obstacleTrail.totalCount).toBe(6);
  const obstacleEvents = nodes(obstacleTrail);
  checkCommon(obstacleEvents);
  expect(obstacleEvents.map((e: any) => [e.type, e.command])).toEqual([
    ['ObstacleRaised', 'RaiseObstacle'],
    ['ObstacleReferred', 'ReferObstacle'],
    ['ObstacleProgressRecorded', 'RecordObstacleProgress'],
    ['ObstacleResolved', 'ResolveObstacle'],
    ['ObstacleReopened', 'ReopenObstacle'],
    ['ResolutionLinked', 'LinkResolution'],
  ]);
  const obstaclePayloads = [raised, referred, progressed, resolved, reopened];
  expect(obstacleEvents.slice(0, 5).map((e: any) => [e.commandId, e.position])).toEqual(obstaclePayloads.map((p) => [p.commandId, p.position]));
  // The link is recorded on the case by the same request that recorded the resolution.
  const resolutionCorrelation = nodes(await trail('RESOLUTION', resolution.resolution.id))[0].correlationId;
  expect(obstacleEvents[5]).toMatchObject({ correlationId: resolutionCorrelation, data: { resolutionId: resolution.resolution.id } });
  expect(obstacleEvents.every((e: any) => e.streamName === `obstacle-${obstacleId}`)).toBe(true);
  expect(obstacleEvents[0].data).toMatchObject({ obstacleId, unitId, title: OBSTACLE_TITLE, category: 'SOCIAL_SECURITY', priority: 'HIGH', county: 'پاکدشت' });
  expect(obstacleEvents[1].data).toMatchObject({ leadAgency: 'اداره بیمه و تامین اجتماعی', deadline: '2030-01-20T12:00:00.000Z' });
  expect(obstacleEvents[4]).toMatchObject({ reason: 'اقساط پرداخت نشد' });
  // The correlation id is the server's own: one per command here.
  expect(new Set(obstacleEvents.map((e: any) => e.correlationId)).size).toBe(6);
  const trailPage1 = await trail('OBSTACLE', obstacleId, 2);
  expect(trailPage1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  const trailPage2 = await trail('OBSTACLE', obstacleId, 2, trailPage1.pageInfo.endCursor);
  const trailPage3 = await trail('OBSTACLE', obstacleId, 2, trailPage2.pageInfo.endCursor);
  expect([trailPage1, trailPage2, trailPage3].flatMap((p) => nodes(p).map((e: any) => e.revision))).toEqual(['0', '1', '2', '3', '4', '5']);
  expect(trailPage3.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

  const meetingTrail = await trail('MEETING', meetingId);
  const meetingEvents = nodes(meetingTrail);
  checkCommon(meetingEvents);
  expect(meetingEvents.map((e: any) => [e.type, e.command])).toEqual([
    ['MeetingScheduled', 'ScheduleMeeting'],
    ['AgendaItemAdded', 'AddAgendaItem'],
    ['AgendaItemAdded', 'AddAgendaItem'],
    ['MeetingHeld', 'RecordMeetingHeld'],
  ]);
  expect(meetingEvents[3].data).toMatchObject({ heldAt: '2024-11-27T06:45:00.000Z', attendees: attendees.map((a) => ({ role: null, ...a })) });
  // A resolution is its own stream, with its own audit trail.
  const resolutionEvents = nodes(await trail('RESOLUTION', resolution.resolution.id));
  expect(resolutionEvents.map((e: any) => [e.type, e.command])).toEqual([['ResolutionRecorded', 'RecordResolution']]);
  expect(resolutionEvents[0].data).toMatchObject({ resolutionId: resolution.resolution.id, meetingId, obstacleId, unitId, text: RESOLUTION_TEXT });
  expect(resolutionEvents[0]).toMatchObject({ commandId: resolution.commandId, position: resolution.position });
  expect(nodes(await trail('MEETING', third.id)).map((e: any) => [e.type, e.reason])).toEqual([
    ['MeetingScheduled', null],
    ['MeetingCancelled', 'عدم حد نصاب'],
  ]);
  expect((await trail('UNIT', unknown)).totalCount).toBe(0);

  // ── Errors a client gets wrong, and the server carries on ──
  const before = (await ok(server, PROJECTIONS)).projections;
  expect(before.every((p: any) => p.state === 'LIVE' && p.lagEvents === '0' && p.lastError === null)).toBe(true);
  expect(before.map((p: any) => p.position)).toEqual(before.map(() => String(head)));

  const malformed = await server.request('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ units { totalCount } }"' });
  expect(malformed.status).toBe(400);
  expect(malformed.json().errors[0].extensions.code).toBe('BAD_REQUEST');

  const csrf = await server.request('/graphql', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ units { totalCount } }' }) });
  // Only JSON is taken: a type a cross-site form could send never reaches GraphQL.
  expect(csrf.status).toBe(415);

  const invalid = await server.gql(REGISTER_UNIT, { input: kharazmiUnit({ name: '   ', nationalId: '12', headCount: -1 }) });
  expect(invalid.status).toBe(200);
  expect(invalid.body.data).toBeNull();
  expect(invalid.body.errors).toHaveLength(1);
  expect(invalid.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  expect(invalid.body.errors[0].extensions.fields.map((f: any) => f.field).sort()).toEqual(['input.headCount', 'input.name', 'input.nationalId']);
  expect(invalid.body.errors[0].extensions.fields.every((f: any) => f.messages.length > 0)).toBe(true);
  expect(JSON.stringify(invalid.body)).not.toMatch(/stack|at \//);

  const malformedId = await server.gql(RAISE_OBSTACLE, { input: { unitId: 'unit-1', title: 'x', category: 'TAX' } });
  expect(malformedId.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.unitId', messages: [expect.stringContaining('id')] }] });

  const badEnum = await server.gql(CHANGE_STATUS, { input: { unitId, status: 'SLEEPING', reason: 'x' } });
  expect(badEnum.status).toBe(400);
  expect(badEnum.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  expect(badEnum.body.errors[0].extensions.fields[0].field).toBe('input.status');

  const parseError = await server.gql('{ units { totalCount ');
  expect(parseError.status).toBe(400);
  expect(parseError.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');

  // Still serving, and none of that recorded anything.
  expect((await ok(server, UNITS, {})).units.totalCount).toBe(3);
  const afterErrors = (await ok(server, PROJECTIONS)).projections;
  expect(afterErrors.map((p: any) => p.position)).toEqual(before.map((p: any) => p.position));
  const changedAgain = await mutate('changeUnitActivityStatus', CHANGE_STATUS, { unitId: unit3, status: 'SEMI_ACTIVE', reason: 'راه‌اندازی خط تولید' });
  expect(changedAgain.unit.activityStatus).toBe('SEMI_ACTIVE');
  expect(BigInt(changedAgain.position)).toBe(head + 1n);

  // ── Graceful stop ──
  expect(await server.stop()).toBe(0);
  expect(server.logLines().some((l) => l.msg === 'stopping' && l.signal === 'SIGTERM')).toBe(true);
  expect(server.stderr()).toBe('');
  // What the process built live equals a rebuild from the first event.
  expect(dumpReadModels(join(server.dataDir, 'projections'))).toEqual(await rebuildFromScratch(join(server.dataDir, 'events.sqlite')));
}, 60_000);

// ─── 2. Crash safety: SIGKILL with mutations in flight ───────────────────────

/** Small seeded PRNG (mulberry32), so a failing run can be replayed with E2E_SEED. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

type Status = 'ACTIVE' | 'SEMI_ACTIVE' | 'INACTIVE';
const STATUSES: Status[] = ['ACTIVE', 'SEMI_ACTIVE', 'INACTIVE'];

interface Op {
  n: number;
  round: number;
  field: 'registerUnit' | 'raiseObstacle' | 'changeUnitActivityStatus' | 'recordObstacleProgress';
  /** Command name recorded in the event metadata. */
  command: 'RegisterUnit' | 'RaiseObstacle' | 'ChangeUnitActivityStatus' | 'RecordObstacleProgress';
  query: string;
  input: Record<string, any>;
  key: string;
  unitId?: string;
  /** The acknowledged payload (HTTP 200, data, no errors). */
  ack?: any;
  /** Error codes of a response that did arrive with errors. */
  errorCodes?: string[];
  networkError?: string;
  finishedAt?: number;
}

interface EventRow {
  position: number;
  id: string;
  stream: string;
  revision: number;
  type: string;
  commandId: string;
  command: string;
  key: string | null;
  actor: string;
}

const readEvents = (dataDir: string): EventRow[] => {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        `SELECT position, id, stream, revision, type,
                json_extract(metadata, '$.commandId') AS commandId,
                json_extract(metadata, '$.command') AS command,
                json_extract(metadata, '$.idempotencyKey') AS key,
                json_extract(metadata, '$.actor') AS actor
         FROM events ORDER BY position`,
      )
      .all() as EventRow[];
  } finally {
    db.close();
  }
};

/** The store's own invariants: positions 1..n, unique ids, revisions 0..k per stream, one event per command. */
const checkStoreInvariants = (events: EventRow[]): void => {
  expect(events.map((e) => e.position)).toEqual(events.map((_, i) => i + 1));
  expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  const nextRevision = new Map<string, number>();
  for (const e of events) {
    expect([e.stream, e.revision]).toEqual([e.stream, nextRevision.get(e.stream) ?? 0]);
    nextRevision.set(e.stream, e.revision + 1);
  }
  // Every command of this test appends exactly one event to each stream it touches,
  // so a commandId seen twice would be a command recorded twice.
  const perCommand = new Map<string, number>();
  for (const e of events) perCommand.set(e.commandId, (perCommand.get(e.commandId) ?? 0) + 1);
  expect([...perCommand.entries()].filter(([, count]) => count !== 1)).toEqual([]);
};

const eventOf = (events: EventRow[], op: Op): EventRow[] => events.filter((e) => e.key === op.key && e.command === op.command);

test('SIGKILL with mutations in flight, four times: nothing acknowledged is lost, nothing is recorded twice, read models equal a rebuild', async () => {
  const seed = Number(process.env.E2E_SEED ?? Date.now() % 1_000_000);
  const random = prng(seed);
  const context = `(E2E_SEED=${seed})`;
  const deadline = Date.now() + 75_000;
  const dataDir = freshDataDir();
  const env = { TASHIL_SQLITE_SYNCHRONOUS: 'FULL' };
  const ROUNDS = 4;
  const IN_FLIGHT = 8;
  const MAX_OPS_PER_ROUND = 2_000;

  try {
    let server = await startServer({ dataDir, env, actor: 'crash-tester' });

    // Three units, each with one referred obstacle that progress can be recorded on.
    const units: { id: string; status: Status; busy: boolean; poisoned: boolean }[] = [];
    const obstacles: string[] = [];
    for (let i = 0; i < 3; i++) {
      const unit = (
        await ok(server, REGISTER_UNIT, {
          input: kharazmiUnit({ name: `واحد آزمون ${i}`, nationalId: `2000000000${i}`, activityStatus: 'SEMI_ACTIVE', idempotencyKey: `setup-unit-${i}` }),
        })
      ).registerUnit.unit;
      units.push({ id: unit.id, status: 'SEMI_ACTIVE', busy: false, poisoned: false });
      const obstacle = (
        await ok(server, RAISE_OBSTACLE, { input: { unitId: unit.id, title: `مانع پایه ${i}`, category: 'BANKING', idempotencyKey: `setup-obstacle-${i}` } })
      ).raiseObstacle.obstacle;
      await ok(server, REFER_OBSTACLE, { input: { obstacleId: obstacle.id, leadAgency: 'بانک ملی', deadline: '2030-01-01T00:00:00Z' } });
      obstacles.push(obstacle.id);
    }

    const ops: Op[] = [];
    let serial = 0;

    /** The next mutation; a status change only for a unit with no status change in flight or left in doubt this round. */
    const nextOp = (round: number): Op => {
      const n = ++serial;
      const key = `crash-r${round}-${n}`;
      const pick = random();
      const unit = units[Math.floor(random() * units.length)]!;
      if (pick < 0.3 && !unit.busy && !unit.poisoned) {
        unit.busy = true;
        const choices = STATUSES.filter((s) => s !== unit.status);
        const status = choices[Math.floor(random() * choices.length)]!;
        return {
          n, round, key, field: 'changeUnitActivityStatus', command: 'ChangeUnitActivityStatus', query: CHANGE_STATUS, unitId: unit.id,
          input: { unitId: unit.id, status, reason: `تغییر وضعیت آزمون ${n}`, idempotencyKey: key },
        };
      }
      if (pick < 0.55) {
        const obstacleId = obstacles[Math.floor(random() * obstacles.length)]!;
        return {
          n, round, key, field: 'recordObstacleProgress', command: 'RecordObstacleProgress', query: RECORD_PROGRESS,
          input: { obstacleId, note: `گزارش پیشرفت ${n}`, idempotencyKey: key },
        };
      }
      if (pick < 0.62) {
        return {
          n, round, key, field: 'registerUnit', command: 'RegisterUnit', query: REGISTER_UNIT,
          input: kharazmiUnit({ name: `واحد ${n}`, nationalId: `3${String(n).padStart(10, '0')}`, idempotencyKey: key }),
        };
      }
      return {
        n, round, key, field: 'raiseObstacle', command: 'RaiseObstacle', query: RAISE_OBSTACLE, unitId: unit.id,
        input: { unitId: unit.id, title: `مانع ${n}`, category: 'TAX', priority: 'LOW', idempotencyKey: key },
      };
    };

    const send = async (target: ServerProcess, op: Op) => {
      const response = await target.gql(op.query, { input: op.input });
      if (response.status === 200 && response.body.data?.[op.field] && !response.body.errors?.length) return { ack: response.body.data[op.field] };
      return { errorCodes: (response.body.errors ?? []).map((e: any) => String(e.extensions?.code)), body: response.body, status: response.status };
    };

    const verify = (label: string, issued: Op[]) => {
      const events = readEvents(dataDir);
      checkStoreInvariants(events);
      for (const op of issued.filter((o) => o.ack)) {
        const recorded = eventOf(events, op);
        // Exactly once, exactly where the acknowledgement said.
        expect({ label, key: op.key, count: recorded.length }).toEqual({ label, key: op.key, count: 1 });
        expect([recorded[0]!.commandId, String(recorded[0]!.position), String(recorded[0]!.revision)]).toEqual([
          op.ack.commandId,
          op.ack.position,
          op.ack.revision,
        ]);
      }
      for (const op of issued) expect(eventOf(events, op).length).toBeLessThanOrEqual(1);
      expect(events.every((e) => e.actor === 'crash-tester')).toBe(true);
      return events;
    };

    const awaitReady = async (target: ServerProcess) => {
      for (let i = 0; i < 100; i++) {
        const ready = await target.request('/readyz');
        if (ready.status === 200) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`/readyz never became 200\n${target.stderr()}`);
    };

    const summary: { round: number; killAfterAcks: number; killAfterMs: number; sent: number; acked: number; inDoubt: number; replayedOnRetry: number; freshOnRetry: number }[] = [];

    for (let round = 1; round <= ROUNDS; round++) {
      expect(Date.now()).toBeLessThan(deadline);
      // ── A stream of concurrent mutations, SIGKILLed at a random moment ──
      const roundOps: Op[] = [];
      let killed = false;
      let killedAt = Number.POSITIVE_INFINITY;
      // The kill comes a random moment after a random number of acknowledgements, not after a
      // fixed time: on a loaded machine a time window could pass before anything was acknowledged.
      const killAfterAcks = 6 + Math.floor(random() * 10);
      const killAfterMs = Math.round(random() * 60);
      const streamStart = Date.now();
      const victim = server;
      let killer: NodeJS.Timeout | undefined;
      const armKiller = (): void => {
        if (killer || roundOps.filter((o) => o.ack).length < killAfterAcks) return;
        killer = setTimeout(() => {
          killed = true;
          killedAt = Date.now();
          void victim.kill('SIGKILL');
        }, killAfterMs);
      };

      const worker = async () => {
        while (!killed && roundOps.length < MAX_OPS_PER_ROUND && Date.now() - streamStart < 10_000) {
          const op = nextOp(round);
          roundOps.push(op);
          ops.push(op);
          try {
            const result = await send(victim, op);
            if (result.ack) {
              op.ack = result.ack;
              armKiller();
            } else op.errorCodes = result.errorCodes;
          } catch (error) {
            op.networkError = String((error as Error)?.cause ?? error);
          }
          op.finishedAt = Date.now();
          if (op.field === 'changeUnitActivityStatus') {
            const unit = units.find((u) => u.id === op.unitId)!;
            unit.busy = false;
            if (op.ack) unit.status = op.input.status;
            else unit.poisoned = true; // in doubt until the retry after the restart
          }
          if (op.networkError) return; // the process is gone
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      clearTimeout(killer);
      if (!killed) {
        killed = true;
        killedAt = Date.now();
      }
      const exit = await victim.kill('SIGKILL');
      expect(exit.signal).toBe('SIGKILL');

      // Only the kill may break a connection; a response with errors may only be a lost race.
      for (const op of roundOps) {
        if (op.networkError) expect({ key: op.key, finishedAfterKill: op.finishedAt! >= killedAt }).toEqual({ key: op.key, finishedAfterKill: true });
        for (const code of op.errorCodes ?? []) expect(['CONFLICT', 'READ_MODEL_TIMEOUT']).toContain(code);
        if (op.ack) expect(op.ack.replayed).toBe(false);
      }
      const acked = roundOps.filter((o) => o.ack);
      const inDoubt = roundOps.filter((o) => !o.ack);

      // ── Restart on the same files ──
      server = await startServer({ dataDir, env, actor: 'crash-tester' });
      await awaitReady(server);
      const events = verify(`after crash ${round}`, ops);
      const head = events.length;

      // Projections resumed exactly at the head, and equal a rebuild from the first event (dumped while idle).
      const status = (await ok(server, PROJECTIONS)).projections;
      expect(status.map((p: any) => [p.state, p.position, p.lagEvents, p.lastError])).toEqual(status.map(() => ['LIVE', String(head), '0', null]));
      const marks = Object.values(checkpoints(join(dataDir, 'projections')));
      expect(marks.length).toBe(status.length);
      expect(marks).toEqual(marks.map(() => BigInt(head)));
      expect(dumpReadModels(join(dataDir, 'projections'))).toEqual(await rebuildFromScratch(join(dataDir, 'events.sqlite')));

      // Acknowledged writes are visible through the API after the restart.
      for (const op of acked.filter((o) => o.field === 'raiseObstacle').slice(0, 10)) {
        expect((await ok(server, `query ($id: ID!) { obstacle(id: $id) { id title } }`, { id: op.ack.obstacle.id })).obstacle).toEqual({
          id: op.ack.obstacle.id,
          title: op.input.title,
        });
      }

      // ── Retry everything not acknowledged, with the same idempotency key ──
      let replayedOnRetry = 0;
      let freshOnRetry = 0;
      const queue = [...inDoubt];
      const retryWorker = async () => {
        for (let op = queue.shift(); op; op = queue.shift()) {
          const committed = eventOf(events, op)[0];
          const result = await send(server, op);
          if (!result.ack) throw new Error(`retry of ${op.key} failed: HTTP ${result.status} ${JSON.stringify(result.body)}\n${server.stderr()}`);
          if (committed) {
            // It had committed before the crash: the same answer again, nothing new.
            expect(result.ack).toMatchObject({ replayed: true, commandId: committed.commandId, position: String(committed.position), revision: String(committed.revision) });
            replayedOnRetry++;
          } else {
            expect(result.ack.replayed).toBe(false);
            expect(BigInt(result.ack.position)).toBeGreaterThan(BigInt(head));
            freshOnRetry++;
          }
          op.ack = result.ack;
        }
      };
      await Promise.all(Array.from({ length: 4 }, retryWorker));

      // Now every mutation ever sent is recorded exactly once.
      const afterRetry = verify(`after retries ${round}`, ops);
      for (const op of ops) expect({ key: op.key, count: eventOf(afterRetry, op).length }).toEqual({ key: op.key, count: 1 });

      // Unit statuses as the server now has them, for the next round's status changes.
      for (const unit of units) {
        unit.status = (await ok(server, `query ($id: ID!) { unit(id: $id) { activityStatus } }`, { id: unit.id })).unit.activityStatus;
        unit.busy = false;
        unit.poisoned = false;
      }
      summary.push({ round, killAfterAcks, killAfterMs, sent: roundOps.length, acked: acked.length, inDoubt: inDoubt.length, replayedOnRetry, freshOnRetry });
    }

    // The crash really interrupted work, and work really got done.
    expect(summary.reduce((n, s) => n + s.acked, 0)).toBeGreaterThan(20);
    expect(summary.reduce((n, s) => n + s.inDoubt, 0)).toBeGreaterThan(0);

    // Read models served by the API agree with the events.
    const events = readEvents(dataDir);
    const raisedCount = events.filter((e) => e.type === 'ObstacleRaised').length;
    expect((await ok(server, `{ obstacles { totalCount } }`)).obstacles.totalCount).toBe(raisedCount);
    expect((await ok(server, `{ units { totalCount } }`)).units.totalCount).toBe(events.filter((e) => e.type === 'UnitRegistered').length);
    for (const unit of units) {
      const trail = (await ok(server, AUDIT_TRAIL, { kind: 'UNIT', id: unit.id, first: 100 })).auditTrail;
      expect(trail.totalCount).toBe(events.filter((e) => e.stream === `unit-${unit.id}`).length);
    }

    // A clean stop, then the files themselves: live read models equal a rebuild from the first event.
    expect(await server.stop()).toBe(0);
    checkStoreInvariants(readEvents(dataDir));
    const finalMarks = Object.values(checkpoints(join(dataDir, 'projections')));
    expect(finalMarks.length).toBeGreaterThanOrEqual(4);
    expect(finalMarks).toEqual(finalMarks.map(() => BigInt(events.length)));
    expect(dumpReadModels(join(dataDir, 'projections'))).toEqual(await rebuildFromScratch(join(dataDir, 'events.sqlite')));

    // eslint-disable-next-line no-console
    console.info(`crash test ${context}: ${JSON.stringify(summary)}`);
  } catch (error) {
    if (error instanceof Error) error.message = `${context} ${error.message}`;
    throw error;
  }
}, 85_000);
