/**
 * Every mutation refuses bad input with BAD_USER_INPUT, names the fields at
 * fault, and records nothing: the store's head does not move and the server
 * answers the next request normally.
 */
import { startTestApp, type TestApp } from '../support/app';
import {
  ADD_AGENDA_ITEM,
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
  kharazmiUnit,
  pakdashtMeeting,
  ADVANCE_CONVERSION,
  DEACTIVATE_AGENCY,
  LINK_UNIT_TO_ZONE,
  REGISTER_AGENCY,
  REGISTER_WORKGROUP,
  REGISTER_ZONE,
  RENAME_AGENCY,
  UPDATE_UNIT_PROFILE,
  islamshahrCluster,
  pakdashtAgency,
  pakdashtWorkgroup,
  COMMUNICATE_RESOLUTION,
  DECIDE_OBJECTION,
  ESCALATE_OBSTACLE,
  EXTEND_COMMITMENT,
  REVOKE_TOKENS,
  MAKE_COMMITMENT,
  OBJECT_TO_RESOLUTION,
  RECORD_COMMITMENT_BROKEN,
  RECORD_COMMITMENT_KEPT,
  RECORD_RESOLUTION_OUTCOME,
  RECORD_VISIT,
  RECORD_VISIT_FINDINGS,
  REPORT_RESOLUTION_PROGRESS,
  islamshahrVisit,
} from './operations';

let t: TestApp;
let unitId: string;
let obstacleId: string;
let meetingId: string;

beforeAll(async () => {
  t = await startTestApp();
  unitId = (await t.ok(REGISTER_UNIT, { input: kharazmiUnit() })).registerUnit.unit.id;
  obstacleId = (await t.ok(RAISE_OBSTACLE, { input: { unitId, title: 'امهال وام', category: 'BANKING' } })).raiseObstacle.obstacle.id;
  meetingId = (await t.ok(SCHEDULE_MEETING, { input: pakdashtMeeting() })).scheduleMeeting.meeting.id;
});
afterAll(async () => {
  await t.close();
});

const BLANK = '  \u200c ';
const LONG = 'ب'.repeat(6000);
const BAD_ID = 'not-an-id';
const attendee = { name: 'رئیس اداره صمت', agency: 'اداره صمت' };

type Case = [mutation: string, query: string, valid: () => Record<string, unknown>, invalid: Record<string, unknown>, field: string];

const cases: Case[] = [
  ['registerUnit', REGISTER_UNIT, () => kharazmiUnit({ nationalId: '10999999999' }), { name: BLANK }, 'input.name'],
  ['registerUnit', REGISTER_UNIT, () => kharazmiUnit({ nationalId: '10999999999' }), { nationalId: '12-34' }, 'input.nationalId'],
  ['registerUnit', REGISTER_UNIT, () => kharazmiUnit({ nationalId: '10999999999' }), { headCount: -3 }, 'input.headCount'],
  ['registerUnit', REGISTER_UNIT, () => kharazmiUnit({ nationalId: '10999999999' }), { activityStatus: 'BUSY' }, 'input'],
  ['registerUnit', REGISTER_UNIT, () => kharazmiUnit({ nationalId: '10999999999' }), { county: LONG }, 'input.county'],
  ['changeUnitActivityStatus', CHANGE_STATUS, () => ({ unitId, status: 'ACTIVE', reason: 'دلیل' }), { unitId: BAD_ID }, 'input.unitId'],
  ['changeUnitActivityStatus', CHANGE_STATUS, () => ({ unitId, status: 'ACTIVE', reason: 'دلیل' }), { reason: BLANK }, 'input.reason'],
  ['changeUnitActivityStatus', CHANGE_STATUS, () => ({ unitId, status: 'ACTIVE', reason: 'دلیل' }), { expectedRevision: 'one' }, 'input.expectedRevision'],
  // One past the largest revision a store holds (2^63 - 1).
  ['changeUnitActivityStatus', CHANGE_STATUS, () => ({ unitId, status: 'ACTIVE', reason: 'دلیل' }), { expectedRevision: '9223372036854775808' }, 'input.expectedRevision'],
  ['raiseObstacle', RAISE_OBSTACLE, () => ({ unitId, title: 'عنوان', category: 'TAX' }), { title: '' }, 'input.title'],
  ['raiseObstacle', RAISE_OBSTACLE, () => ({ unitId, title: 'عنوان', category: 'TAX' }), { description: LONG }, 'input.description'],
  ['raiseObstacle', RAISE_OBSTACLE, () => ({ unitId, title: 'عنوان', category: 'TAX' }), { category: 'WEATHER' }, 'input'],
  ['referObstacle', REFER_OBSTACLE, () => ({ obstacleId, leadAgency: 'بانک ملی', deadline: '2030-01-01T00:00:00Z' }), { deadline: '1403/13/40' }, 'input'],
  ['referObstacle', REFER_OBSTACLE, () => ({ obstacleId, leadAgency: 'بانک ملی', deadline: '2030-01-01T00:00:00Z' }), { cooperatingAgencies: [''] }, 'input.cooperatingAgencies'],
  ['referObstacle', REFER_OBSTACLE, () => ({ obstacleId, leadAgency: 'بانک ملی', deadline: '2030-01-01T00:00:00Z' }), { leadAgency: BLANK }, 'input.leadAgency'],
  ['recordObstacleProgress', RECORD_PROGRESS, () => ({ obstacleId, note: 'پیشرفت' }), { note: BLANK }, 'input.note'],
  ['recordObstacleProgress', RECORD_PROGRESS, () => ({ obstacleId, note: 'پیشرفت' }), { obstacleId: BAD_ID }, 'input.obstacleId'],
  ['resolveObstacle', RESOLVE_OBSTACLE, () => ({ obstacleId, resolutionSummary: 'رفع شد' }), { resolutionSummary: LONG }, 'input.resolutionSummary'],
  ['reopenObstacle', REOPEN_OBSTACLE, () => ({ obstacleId, reason: 'دلیل' }), { reason: '' }, 'input.reason'],
  ['scheduleMeeting', SCHEDULE_MEETING, () => pakdashtMeeting(), { scheduledAt: 'next wednesday' }, 'input'],
  ['scheduleMeeting', SCHEDULE_MEETING, () => pakdashtMeeting(), { venue: BLANK }, 'input.venue'],
  ['scheduleMeeting', SCHEDULE_MEETING, () => pakdashtMeeting(), { chair: LONG }, 'input.chair'],
  ['addAgendaItem', ADD_AGENDA_ITEM, () => ({ meetingId, kind: 'UNIT', subjectId: unitId }), { subjectId: BAD_ID }, 'input.subjectId'],
  ['addAgendaItem', ADD_AGENDA_ITEM, () => ({ meetingId, kind: 'UNIT', subjectId: unitId }), { note: LONG }, 'input.note'],
  ['recordMeetingHeld', RECORD_HELD, () => ({ meetingId, attendees: [attendee], minutes: 'صورتجلسه' }), { attendees: [] }, 'input.attendees'],
  ['recordMeetingHeld', RECORD_HELD, () => ({ meetingId, attendees: [attendee], minutes: 'صورتجلسه' }), { attendees: [{ name: BLANK, agency: 'صمت' }] }, 'input.attendees.0.name'],
  ['recordMeetingHeld', RECORD_HELD, () => ({ meetingId, attendees: [attendee], minutes: 'صورتجلسه' }), { minutes: '' }, 'input.minutes'],
  ['recordResolution', RECORD_RESOLUTION, () => ({ meetingId, text: 'مقرر شد', leadAgency: 'بانک ملی', deadline: '2030-01-01T00:00:00Z' }), { obstacleId: BAD_ID }, 'input.obstacleId'],
  ['recordResolution', RECORD_RESOLUTION, () => ({ meetingId, text: 'مقرر شد', leadAgency: 'بانک ملی', deadline: '2030-01-01T00:00:00Z' }), { text: BLANK }, 'input.text'],
  ['postponeMeeting', POSTPONE_MEETING, () => ({ meetingId, to: '2030-01-01T00:00:00Z', reason: 'دلیل' }), { reason: BLANK }, 'input.reason'],
  ['postponeMeeting', POSTPONE_MEETING, () => ({ meetingId, to: '2030-01-01T00:00:00Z', reason: 'دلیل' }), { to: 12 }, 'input'],
  ['cancelMeeting', CANCEL_MEETING, () => ({ meetingId, reason: 'دلیل' }), { meetingId: BAD_ID }, 'input.meetingId'],
  ['cancelMeeting', CANCEL_MEETING, () => ({ meetingId, reason: 'دلیل' }), { idempotencyKey: LONG }, 'input.idempotencyKey'],
  // Registries
  ['registerAgency', REGISTER_AGENCY, () => pakdashtAgency(), { name: BLANK }, 'input.name'],
  ['registerAgency', REGISTER_AGENCY, () => pakdashtAgency(), { kind: 'CHARITY' }, 'input'],
  ['registerAgency', REGISTER_AGENCY, () => pakdashtAgency(), { county: LONG }, 'input.county'],
  ['renameAgency', RENAME_AGENCY, () => ({ agencyId: registry.agencyId, name: 'نام تازه' }), { agencyId: BAD_ID }, 'input.agencyId'],
  ['renameAgency', RENAME_AGENCY, () => ({ agencyId: registry.agencyId, name: 'نام تازه' }), { name: LONG }, 'input.name'],
  ['deactivateAgency', DEACTIVATE_AGENCY, () => ({ agencyId: registry.agencyId, reason: 'ادغام' }), { reason: BLANK }, 'input.reason'],
  ['deactivateAgency', DEACTIVATE_AGENCY, () => ({ agencyId: registry.agencyId, reason: 'ادغام' }), { expectedRevision: '-1' }, 'input.expectedRevision'],
  ['registerWorkgroup', REGISTER_WORKGROUP, () => pakdashtWorkgroup(), { level: 'CITY' }, 'input'],
  ['registerWorkgroup', REGISTER_WORKGROUP, () => pakdashtWorkgroup(), { name: '' }, 'input.name'],
  ['registerWorkgroup', REGISTER_WORKGROUP, () => pakdashtWorkgroup(), { county: null }, 'input.county'], // the decider's rule: a county body names its county
  ['registerZone', REGISTER_ZONE, () => islamshahrCluster(), { county: BLANK }, 'input.county'],
  ['registerZone', REGISTER_ZONE, () => islamshahrCluster(), { kind: 'FREE_ZONE' }, 'input'],
  ['advanceClusterConversion', ADVANCE_CONVERSION, () => ({ zoneId: registry.zoneId, stage: 'APPLICATION_FILED' }), { zoneId: BAD_ID }, 'input.zoneId'],
  ['advanceClusterConversion', ADVANCE_CONVERSION, () => ({ zoneId: registry.zoneId, stage: 'APPLICATION_FILED' }), { note: LONG }, 'input.note'],
  ['advanceClusterConversion', ADVANCE_CONVERSION, () => ({ zoneId: registry.zoneId, stage: 'APPLICATION_FILED' }), { stage: 'DONE' }, 'input'],
  ['linkUnitToZone', LINK_UNIT_TO_ZONE, () => ({ unitId, zoneId: registry.zoneId }), { zoneId: BAD_ID }, 'input.zoneId'],
  ['linkUnitToZone', LINK_UNIT_TO_ZONE, () => ({ unitId, zoneId: registry.zoneId }), { unitId: BAD_ID }, 'input.unitId'],
  ['updateUnitProfile', UPDATE_UNIT_PROFILE, () => ({ unitId, headCount: 50 }), { capacityUtilisation: 101 }, 'input.capacityUtilisation'],
  ['updateUnitProfile', UPDATE_UNIT_PROFILE, () => ({ unitId, headCount: 50 }), { headCount: 2.5 }, 'input'],
  ['updateUnitProfile', UPDATE_UNIT_PROFILE, () => ({ unitId, headCount: 50 }), { isicCode: 'ISIC-25' }, 'input.isicCode'],
  ['updateUnitProfile', UPDATE_UNIT_PROFILE, () => ({ unitId, headCount: 50 }), { sector: BLANK }, 'input.sector'],
  // Follow-up
  ['communicateResolution', COMMUNICATE_RESOLUTION, () => ({ resolutionId: followUp.resolutionId }), { objectionWindowDays: -1 }, 'input.objectionWindowDays'],
  ['communicateResolution', COMMUNICATE_RESOLUTION, () => ({ resolutionId: followUp.resolutionId }), { resolutionId: BAD_ID }, 'input.resolutionId'],
  ['objectToResolution', OBJECT_TO_RESOLUTION, () => ({ resolutionId: followUp.resolutionId, reason: 'دلیل', agency: 'بانک ملی' }), { reason: BLANK }, 'input.reason'],
  ['objectToResolution', OBJECT_TO_RESOLUTION, () => ({ resolutionId: followUp.resolutionId, reason: 'دلیل', agency: 'بانک ملی' }), { agency: LONG }, 'input.agency'],
  ['decideObjection', DECIDE_OBJECTION, () => ({ resolutionId: followUp.resolutionId, accepted: false, note: 'رد شد' }), { accepted: 'yes' }, 'input'],
  ['decideObjection', DECIDE_OBJECTION, () => ({ resolutionId: followUp.resolutionId, accepted: false, note: 'رد شد' }), { note: '' }, 'input.note'],
  ['reportResolutionProgress', REPORT_RESOLUTION_PROGRESS, () => ({ resolutionId: followUp.resolutionId, note: 'پیشرفت' }), { note: LONG }, 'input.note'],
  ['recordResolutionOutcome', RECORD_RESOLUTION_OUTCOME, () => ({ resolutionId: followUp.resolutionId, outcome: 'IMPLEMENTED', note: 'اجرا شد' }), { outcome: 'DONE' }, 'input'],
  ['recordResolutionOutcome', RECORD_RESOLUTION_OUTCOME, () => ({ resolutionId: followUp.resolutionId, outcome: 'IMPLEMENTED', note: 'اجرا شد' }), { note: BLANK }, 'input.note'],
  ['escalateObstacle', ESCALATE_OBSTACLE, () => ({ obstacleId, toLevel: 'PROVINCE', workgroupId: followUp.workgroupId, reason: 'دلیل' }), { toLevel: 'COUNTY' }, 'input'],
  ['escalateObstacle', ESCALATE_OBSTACLE, () => ({ obstacleId, toLevel: 'PROVINCE', workgroupId: followUp.workgroupId, reason: 'دلیل' }), { workgroupId: BAD_ID }, 'input.workgroupId'],
  ['escalateObstacle', ESCALATE_OBSTACLE, () => ({ obstacleId, toLevel: 'PROVINCE', workgroupId: followUp.workgroupId, reason: 'دلیل' }), { reason: BLANK }, 'input.reason'],
  ['recordVisit', RECORD_VISIT, () => islamshahrVisit(), { visitors: [] }, 'input.visitors'],
  ['recordVisit', RECORD_VISIT, () => islamshahrVisit(), { visitors: [{ name: BLANK, agency: 'استانداری' }] }, 'input.visitors.0.name'],
  ['recordVisit', RECORD_VISIT, () => islamshahrVisit(), { unitIds: [BAD_ID] }, 'input.unitIds'],
  ['recordVisitFindings', RECORD_VISIT_FINDINGS, () => ({ visitId: followUp.visitId, findings: 'یافته' }), { findings: BLANK }, 'input.findings'],
  ['makeCommitment', MAKE_COMMITMENT, () => shoeCityPromise(), { source: { kind: 'VISIT', id: BAD_ID } }, 'input.source.id'],
  ['makeCommitment', MAKE_COMMITMENT, () => shoeCityPromise(), { dueDate: '1403/13/40' }, 'input'],
  ['makeCommitment', MAKE_COMMITMENT, () => shoeCityPromise(), { madeTo: BLANK }, 'input.madeTo'],
  ['recordCommitmentKept', RECORD_COMMITMENT_KEPT, () => ({ commitmentId: followUp.commitmentId, evidence: 'مستند' }), { evidence: '' }, 'input.evidence'],
  ['recordCommitmentBroken', RECORD_COMMITMENT_BROKEN, () => ({ commitmentId: followUp.commitmentId, evidence: 'مستند' }), { commitmentId: BAD_ID }, 'input.commitmentId'],
  ['extendCommitment', EXTEND_COMMITMENT, () => ({ commitmentId: followUp.commitmentId, newDueDate: '2031-01-01T00:00:00Z', reason: 'دلیل' }), { newDueDate: 'next year' }, 'input'],
  ['extendCommitment', EXTEND_COMMITMENT, () => ({ commitmentId: followUp.commitmentId, newDueDate: '2031-01-01T00:00:00Z', reason: 'دلیل' }), { reason: LONG }, 'input.reason'],
  // Access
  ['revokeTokens', REVOKE_TOKENS, () => ({ subject: 'dabir-pakdasht', reason: 'ترک خدمت' }), { subject: BLANK }, 'input.subject'],
  ['revokeTokens', REVOKE_TOKENS, () => ({ subject: 'dabir-pakdasht', reason: 'ترک خدمت' }), { tokenId: LONG }, 'input.tokenId'],
  ['revokeTokens', REVOKE_TOKENS, () => ({ subject: 'dabir-pakdasht', reason: 'ترک خدمت' }), { reason: BLANK }, 'input.reason'],
  ['rebuildProjection', `mutation ($input: ProjectionInput!) { rebuildProjection(input: $input) { name } }`, () => ({ name: 'search' }), { name: 'Search Index!' }, 'input.name'],
  ['pauseProjection', `mutation ($input: ProjectionInput!) { pauseProjection(input: $input) { name } }`, () => ({ name: 'search' }), { name: '' }, 'input.name'],
  ['resumeProjection', `mutation ($input: ProjectionInput!) { resumeProjection(input: $input) { name } }`, () => ({ name: 'search' }), { name: 42 }, 'input'],
  ['skipProjectionEvent', `mutation ($input: SkipProjectionEventInput!) { skipProjectionEvent(input: $input) { name } }`, () => ({ name: 'search', position: '1', reason: 'x' }), { position: '-4' }, 'input.position'],
  ['skipProjectionEvent', `mutation ($input: SkipProjectionEventInput!) { skipProjectionEvent(input: $input) { name } }`, () => ({ name: 'search', position: '1', reason: 'x' }), { position: '0' }, 'input.position'],
  ['skipProjectionEvent', `mutation ($input: SkipProjectionEventInput!) { skipProjectionEvent(input: $input) { name } }`, () => ({ name: 'search', position: '1', reason: 'x' }), { position: '9223372036854775808' }, 'input.position'],
  ['skipProjectionEvent', `mutation ($input: SkipProjectionEventInput!) { skipProjectionEvent(input: $input) { name } }`, () => ({ name: 'search', position: '1', reason: 'x' }), { reason: BLANK }, 'input.reason'],
];

const followUp = { resolutionId: '', visitId: '', commitmentId: '', workgroupId: '' };
const shoeCityPromise = () => ({
  madeBy: 'معاون اقتصادی استاندار تهران',
  madeTo: 'تولیدکنندگان کفش اسلامشهر',
  description: 'احداث شهر کفش',
  dueDate: '2030-01-01T00:00:00Z',
  source: { kind: 'VISIT', id: followUp.visitId },
});
beforeAll(async () => {
  const held = (await t.ok(SCHEDULE_MEETING, { input: pakdashtMeeting() })).scheduleMeeting.meeting.id;
  await t.ok(RECORD_HELD, { input: { meetingId: held, attendees: [attendee], minutes: 'صورتجلسه' } });
  const resolution = { meetingId: held, text: 'مقرر شد', leadAgency: 'بانک ملی', deadline: '2030-01-01T00:00:00Z' };
  followUp.resolutionId = (await t.ok(RECORD_RESOLUTION, { input: resolution })).recordResolution.resolution.id;
  followUp.visitId = (await t.ok(RECORD_VISIT, { input: islamshahrVisit() })).recordVisit.visit.id;
  followUp.commitmentId = (await t.ok(MAKE_COMMITMENT, { input: shoeCityPromise() })).makeCommitment.commitment.id;
  const province = pakdashtWorkgroup({ level: 'PROVINCE', county: null, name: 'کارگروه تسهیل و رفع موانع تولید استان تهران' });
  followUp.workgroupId = (await t.ok(REGISTER_WORKGROUP, { input: province })).registerWorkgroup.workgroup.id;
});

const registry = { agencyId: '', zoneId: '' };
beforeAll(async () => {
  registry.agencyId = (await t.ok(REGISTER_AGENCY, { input: pakdashtAgency() })).registerAgency.agency.id;
  registry.zoneId = (await t.ok(REGISTER_ZONE, { input: islamshahrCluster() })).registerZone.zone.id;
});

test('the matrix covers every mutation of the schema', async () => {
  const { __schema } = await t.ok(`{ __schema { mutationType { fields { name } } } }`);
  const mutations = __schema.mutationType.fields.map((f: { name: string }) => f.name).sort();
  expect([...new Set(cases.map(([m]) => m))].sort()).toEqual(mutations);
});

test.each(cases)('%s refuses %j', async (_mutation, query, valid, invalid, field) => {
  const before = await t.app.store.headPosition();
  const { data, errors } = await t.exec(query, { input: { ...valid(), ...invalid } });
  expect(data ?? null).toBeNull();
  expect(errors).toHaveLength(1);
  expect(errors![0].extensions.code).toBe('BAD_USER_INPUT');
  const fields: { field: string; messages: string[] }[] = errors![0].extensions.fields;
  expect(fields.length).toBeGreaterThan(0);
  expect(fields.some((f) => f.field.startsWith(field))).toBe(true);
  expect(errors![0].message).not.toMatch(/\bat \w+ \(|node_modules|\.ts:\d+/); // no stack traces or internals
  expect(await t.app.store.headPosition()).toBe(before);
  // The server keeps serving.
  expect((await t.ok(`query ($id: ID!) { unit(id: $id) { id } }`, { id: unitId })).unit.id).toBe(unitId);
});
