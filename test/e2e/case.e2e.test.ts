/**
 * One case's whole life over real HTTP, each step by the role that does it in
 * the workgroups: a field visit finds the problem, the county workgroup puts
 * it on the agenda of its numbered meeting and resolves on it, the resolution
 * is communicated, the lead agency objects in time and is overruled, the case
 * goes up to the province, the agency reports progress and implements, and
 * the case closes by itself. Then the unit's history and the audit trails
 * tell exactly that story.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ADD_AGENDA_ITEM,
  COMMUNICATE_RESOLUTION,
  DECIDE_OBJECTION,
  ESCALATE_OBSTACLE,
  OBJECT_TO_RESOLUTION,
  RAISE_OBSTACLE,
  RECORD_HELD,
  RECORD_RESOLUTION,
  RECORD_RESOLUTION_OUTCOME,
  RECORD_VISIT,
  REGISTER_UNIT,
  REGISTER_WORKGROUP,
  REPORT_RESOLUTION_PROGRESS,
  SCHEDULE_MEETING,
  UNIT_WITH_HISTORY,
  kharazmiUnit,
  pakdashtMeeting,
  REGISTER_AGENCY,
} from '../api/operations';
import { killAllServers, startServer, tokenFor } from '../support/server-process';

afterAll(killAllServers);

const BANK = 'بانک ملی';

test('a case from a field visit to its automatic closure, by the roles that act on it', async () => {
  const server = await startServer({ dataDir: mkdtempSync(join(tmpdir(), 'tashil-case-')) });
  const as = async (roles: string[], extra: Record<string, unknown> = {}) => ({
    authorization: `Bearer ${await tokenFor({ subject: `${roles[0]!.toLowerCase()}-user`, roles: roles as never, province: 'تهران', counties: ['پاکدشت'], ...extra })}`,
  });
  const admin = await as(['ADMIN'], { province: null, counties: [] });
  const secretariat = await as(['SECRETARIAT']);
  const chair = await as(['CHAIR']);
  const ok = async (query: string, input: Record<string, unknown>, headers: Record<string, string>) => {
    const r = await server.gql(query, { input }, headers);
    if (r.body.errors) throw new Error(JSON.stringify(r.body.errors));
    return Object.values(r.body.data)[0] as any;
  };

  const county = (await ok(REGISTER_WORKGROUP, { level: 'COUNTY', province: 'تهران', county: 'پاکدشت', name: 'کارگروه ستاد تسهیل شهرستان پاکدشت' }, admin)).workgroup;
  const province = (await ok(REGISTER_WORKGROUP, { level: 'PROVINCE', province: 'تهران', name: 'کارگروه تسهیل استان تهران' }, admin)).workgroup;
  const unit = (await ok(REGISTER_UNIT, kharazmiUnit({ name: 'کیا افق پایدار' }), secretariat)).unit;
  // The bank's branch, registered: its officer is a principal by the agency's registry id.
  const bankId = (await ok(REGISTER_AGENCY, { name: BANK, kind: 'BANK', province: 'تهران', county: 'پاکدشت' }, admin)).agency.id as string;
  const bank = await as(['AGENCY'], { province: null, counties: [], agencyId: bankId });

  // A field visit finds the problem.
  const visit = (
    await ok(
      RECORD_VISIT,
      { province: 'تهران', county: 'پاکدشت', purpose: 'بازدید از واحدهای شهرک خوارزمی', unitIds: [unit.id], visitors: [{ name: 'مهدی یوسفی جمارانی', agency: 'فرمانداری پاکدشت' }] },
      chair,
    )
  ).visit;
  const obstacle = (
    await ok(RAISE_OBSTACLE, { unitId: unit.id, title: 'امهال تسهیلات سرمایه در گردش', category: 'BANKING', priority: 'HIGH', source: { kind: 'VISIT', id: visit.id } }, secretariat)
  ).obstacle;

  // The county workgroup's numbered meeting resolves on it.
  const first = (await ok(SCHEDULE_MEETING, pakdashtMeeting({ workgroupId: county.id }), secretariat)).meeting;
  const second = (await ok(SCHEDULE_MEETING, pakdashtMeeting({ workgroupId: county.id, scheduledAt: '1403/09/14 10:00' }), secretariat)).meeting;
  const numbers = (await server.gql(`query ($a: ID!, $b: ID!) { a: meeting(id: $a) { sequenceNumber } b: meeting(id: $b) { sequenceNumber } }`, { a: first.id, b: second.id }, secretariat)).body.data;
  expect(numbers).toEqual({ a: { sequenceNumber: 1 }, b: { sequenceNumber: 2 } });
  await ok(ADD_AGENDA_ITEM, { meetingId: first.id, kind: 'OBSTACLE', subjectId: obstacle.id }, secretariat);
  await ok(RECORD_HELD, { meetingId: first.id, attendees: [{ name: 'نماینده بانک ملی', agency: BANK }], minutes: 'صورتجلسه' }, chair);
  const resolution = (
    await ok(RECORD_RESOLUTION, { meetingId: first.id, text: 'مقرر شد بانک ملی ظرف ۲۰ روز نسبت به امهال اقدام کند', leadAgencyId: bankId, deadline: '2031-01-01T00:00:00Z', obstacleId: obstacle.id }, chair)
  ).resolution;

  // Communicated; the bank objects in time and is overruled.
  expect((await ok(COMMUNICATE_RESOLUTION, { resolutionId: resolution.id }, secretariat)).resolution).toMatchObject({ status: 'COMMUNICATED', objectionWindowDays: 15 });
  const objected = (await ok(OBJECT_TO_RESOLUTION, { resolutionId: resolution.id, reason: 'سقف اختیارات شعبه' }, bank)).resolution;
  expect(objected).toMatchObject({ status: 'OBJECTED', objection: { agency: BANK, reason: 'سقف اختیارات شعبه' } });
  expect((await ok(DECIDE_OBJECTION, { resolutionId: resolution.id, accepted: false, note: 'مصوبه پابرجاست' }, chair)).resolution.status).toBe('COMMUNICATED');
  const again = await server.gql(OBJECT_TO_RESOLUTION, { input: { resolutionId: resolution.id, reason: 'دوباره' } }, bank);
  expect(again.body.errors[0].extensions.code).toBe('INVALID_TRANSITION');

  // The case goes up to the province; the county may not close it by hand while the resolution is open.
  const escalated = (await ok(ESCALATE_OBSTACLE, { obstacleId: obstacle.id, toLevel: 'PROVINCE', workgroupId: province.id, reason: 'نیاز به تصمیم استانی' }, chair)).obstacle;
  expect(escalated).toMatchObject({ level: 'PROVINCE', workgroupId: province.id });
  const twice = await server.gql(ESCALATE_OBSTACLE, { input: { obstacleId: obstacle.id, toLevel: 'PROVINCE', workgroupId: province.id, reason: 'دوباره' } }, chair);
  expect(twice.body.errors[0].extensions.code).toBe('INVALID_TRANSITION');
  const byHand = await server.gql(`mutation ($input: ResolveObstacleInput!) { resolveObstacle(input: $input) { revision } }`, { input: { obstacleId: obstacle.id, resolutionSummary: 'دستی' } }, secretariat);
  expect(byHand.body.errors[0].extensions.code).toBe('INVALID_TRANSITION');

  // The bank reports and implements: the last resolution settled closes the case.
  await ok(REPORT_RESOLUTION_PROGRESS, { resolutionId: resolution.id, note: 'در کمیته اعتباری مطرح شد' }, bank);
  const settled = await ok(RECORD_RESOLUTION_OUTCOME, { resolutionId: resolution.id, outcome: 'IMPLEMENTED', note: 'امهال یک‌ساله انجام شد' }, bank);
  expect(settled.resolution).toMatchObject({ status: 'IMPLEMENTED', implementedOnTime: true, overdue: false });
  expect(settled.closedObstacle).toMatchObject({ id: obstacle.id, status: 'RESOLVED' });

  // The unit's history and the audit trails tell the story.
  const history = (await server.gql(UNIT_WITH_HISTORY, { id: unit.id }, secretariat)).body.data.unit.history.edges.map((e: any) => e.node.kind);
  expect(history).toEqual(['REGISTERED', 'OBSTACLE_RAISED', 'PUT_ON_AGENDA', 'DISCUSSED_IN_MEETING', 'RESOLUTION_RECORDED', 'OBSTACLE_RESOLVED']);
  const trail = async (kind: string, id: string) =>
    (await server.gql(`query ($kind: AggregateKind!, $id: ID!) { auditTrail(kind: $kind, id: $id) { edges { node { type actor causationId commandId correlationId } } } }`, { kind, id }, admin)).body.data.auditTrail.edges.map(
      (e: any) => e.node,
    );
  const resolutionTrail = await trail('RESOLUTION', resolution.id);
  expect(resolutionTrail.map((e: any) => [e.type, e.actor])).toEqual([
    ['ResolutionRecorded', 'chair-user'],
    ['ResolutionCommunicated', 'secretariat-user'],
    ['ResolutionObjected', 'agency-user'],
    ['ResolutionObjectionRejected', 'chair-user'],
    ['ResolutionProgressReported', 'agency-user'],
    ['ResolutionOutcomeRecorded', 'agency-user'],
  ]);
  const obstacleTrail = await trail('OBSTACLE', obstacle.id);
  expect(obstacleTrail.map((e: any) => e.type)).toEqual(['ObstacleRaised', 'ResolutionLinked', 'ObstacleEscalated', 'ObstacleResolved']);
  // The closing was caused by the bank's settling command, in the same user action.
  const closing = obstacleTrail.at(-1);
  expect(closing).toMatchObject({ actor: 'agency-user', causationId: resolutionTrail.at(-1).commandId, correlationId: resolutionTrail.at(-1).correlationId });
  expect(await server.stop()).toBe(0);
});
