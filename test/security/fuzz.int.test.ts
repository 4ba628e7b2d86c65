/**
 * Random and malformed inputs at every mutation (fast-check): the answer is
 * always a stable, expected error code or a success — never an internal
 * error, never an internal message, never a partial write.
 */
import fc from 'fast-check';
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
} from '../api/operations';
import { startTestApp, type TestApp } from '../support/app';

const EXPECTED = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'INVALID_TRANSITION', 'FORBIDDEN']);

let t: TestApp;
let unitId: string;
let obstacleId: string;
let meetingId: string;
beforeAll(async () => {
  t = await startTestApp();
  unitId = (await t.ok(REGISTER_UNIT, { input: kharazmiUnit() })).registerUnit.unit.id;
  obstacleId = (await t.ok(RAISE_OBSTACLE, { input: { unitId, title: 'عنوان', category: 'TAX' } })).raiseObstacle.obstacle.id;
  meetingId = (await t.ok(SCHEDULE_MEETING, { input: pakdashtMeeting() })).scheduleMeeting.meeting.id;
});
afterAll(async () => {
  await t.close();
});

/** Values a careless or hostile client might send in place of any field. */
const junk = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u200c', '۱۴۰۳/۱۳/۴۰', '1403/09/12', '2030-02-30T00:00:00Z', "'; DROP TABLE events; --", '{"$gt":""}', '-1', '99999999999999999999999', 'ي'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
  fc.uuid(),
);

const valid: Record<string, [string, () => Record<string, unknown>]> = {
  registerUnit: [REGISTER_UNIT, () => kharazmiUnit({ nationalId: '10300000000' })],
  changeUnitActivityStatus: [CHANGE_STATUS, () => ({ unitId, status: 'ACTIVE', reason: 'دلیل' })],
  raiseObstacle: [RAISE_OBSTACLE, () => ({ unitId, title: 'عنوان', category: 'TAX', priority: 'LOW' })],
  referObstacle: [REFER_OBSTACLE, () => ({ obstacleId, leadAgency: 'بانک', deadline: '2030-01-01T00:00:00Z' })],
  recordObstacleProgress: [RECORD_PROGRESS, () => ({ obstacleId, note: 'پیشرفت' })],
  resolveObstacle: [RESOLVE_OBSTACLE, () => ({ obstacleId, resolutionSummary: 'رفع' })],
  reopenObstacle: [REOPEN_OBSTACLE, () => ({ obstacleId, reason: 'دلیل' })],
  scheduleMeeting: [SCHEDULE_MEETING, () => pakdashtMeeting()],
  addAgendaItem: [ADD_AGENDA_ITEM, () => ({ meetingId, kind: 'UNIT', subjectId: unitId })],
  recordMeetingHeld: [RECORD_HELD, () => ({ meetingId, attendees: [{ name: 'الف', agency: 'ب' }], minutes: 'ج' })],
  recordResolution: [RECORD_RESOLUTION, () => ({ meetingId, text: 'مقرر شد', leadAgency: 'بانک', deadline: '2030-01-01T00:00:00Z' })],
  postponeMeeting: [POSTPONE_MEETING, () => ({ meetingId, to: '2031-01-01T00:00:00Z', reason: 'دلیل' })],
  cancelMeeting: [CANCEL_MEETING, () => ({ meetingId, reason: 'دلیل' })],
  registerAgency: [REGISTER_AGENCY, () => pakdashtAgency()],
  renameAgency: [RENAME_AGENCY, () => ({ agencyId: registry.agencyId, name: 'نام تازه' })],
  deactivateAgency: [DEACTIVATE_AGENCY, () => ({ agencyId: registry.agencyId, reason: 'ادغام' })],
  registerWorkgroup: [REGISTER_WORKGROUP, () => pakdashtWorkgroup()],
  registerZone: [REGISTER_ZONE, () => islamshahrCluster()],
  advanceClusterConversion: [ADVANCE_CONVERSION, () => ({ zoneId: registry.zoneId, stage: 'PERMIT_ISSUED', note: 'مجوز' })],
  linkUnitToZone: [LINK_UNIT_TO_ZONE, () => ({ unitId, zoneId: registry.zoneId })],
  updateUnitProfile: [UPDATE_UNIT_PROFILE, () => ({ unitId, headCount: 12, capacityUtilisation: 35.5, isicCode: '2520', sector: 'پلاستیک' })],
  communicateResolution: [COMMUNICATE_RESOLUTION, () => ({ resolutionId: followUp.resolutionId, objectionWindowDays: 15 })],
  objectToResolution: [OBJECT_TO_RESOLUTION, () => ({ resolutionId: followUp.resolutionId, reason: 'دلیل', agency: 'بانک' })],
  decideObjection: [DECIDE_OBJECTION, () => ({ resolutionId: followUp.resolutionId, accepted: false, note: 'رد' })],
  reportResolutionProgress: [REPORT_RESOLUTION_PROGRESS, () => ({ resolutionId: followUp.resolutionId, note: 'پیشرفت' })],
  // Its resolution is the last one of a case: settling it runs the closing policy too.
  recordResolutionOutcome: [RECORD_RESOLUTION_OUTCOME, () => ({ resolutionId: followUp.resolutionId, outcome: 'IMPLEMENTED', note: 'اجرا شد' })],
  escalateObstacle: [ESCALATE_OBSTACLE, () => ({ obstacleId: followUp.obstacleId, toLevel: 'PROVINCE', workgroupId: followUp.workgroupId, reason: 'دلیل' })],
  recordVisit: [RECORD_VISIT, () => islamshahrVisit({ unitIds: [unitId] })],
  recordVisitFindings: [RECORD_VISIT_FINDINGS, () => ({ visitId: followUp.visitId, findings: 'یافته' })],
  makeCommitment: [
    MAKE_COMMITMENT,
    () => ({ madeBy: 'معاون', madeTo: 'تولیدکنندگان کفش', description: 'شهر کفش', dueDate: '2030-01-01T00:00:00Z', source: { kind: 'VISIT', id: followUp.visitId } }),
  ],
  recordCommitmentKept: [RECORD_COMMITMENT_KEPT, () => ({ commitmentId: followUp.commitmentId, evidence: 'مستند' })],
  recordCommitmentBroken: [RECORD_COMMITMENT_BROKEN, () => ({ commitmentId: followUp.commitmentId, evidence: 'مستند' })],
  extendCommitment: [EXTEND_COMMITMENT, () => ({ commitmentId: followUp.commitmentId, newDueDate: '2031-01-01T00:00:00Z', reason: 'دلیل' })],
  revokeTokens: [REVOKE_TOKENS, () => ({ subject: 'fuzz-subject', reason: 'ترک خدمت' })],
  rebuildProjection: [`mutation ($input: ProjectionInput!) { rebuildProjection(input: $input) { name } }`, () => ({ name: 'search' })],
  pauseProjection: [`mutation ($input: ProjectionInput!) { pauseProjection(input: $input) { name } }`, () => ({ name: 'search' })],
  resumeProjection: [`mutation ($input: ProjectionInput!) { resumeProjection(input: $input) { name } }`, () => ({ name: 'search' })],
  skipProjectionEvent: [`mutation ($input: SkipProjectionEventInput!) { skipProjectionEvent(input: $input) { name } }`, () => ({ name: 'search', position: '1', reason: 'x' })],
};

/** The follow-up's own case, meeting and resolution, apart from the ones the other mutations churn. */
const followUp = { obstacleId: '', resolutionId: '', visitId: '', commitmentId: '', workgroupId: '' };
beforeAll(async () => {
  followUp.obstacleId = (await t.ok(RAISE_OBSTACLE, { input: { unitId, title: 'امهال', category: 'BANKING' } })).raiseObstacle.obstacle.id;
  const held = (await t.ok(SCHEDULE_MEETING, { input: pakdashtMeeting() })).scheduleMeeting.meeting.id;
  await t.ok(RECORD_HELD, { input: { meetingId: held, attendees: [{ name: 'الف', agency: 'ب' }], minutes: 'ج' } });
  const resolution = { meetingId: held, text: 'مقرر شد', leadAgency: 'بانک', deadline: '2030-01-01T00:00:00Z', obstacleId: followUp.obstacleId };
  followUp.resolutionId = (await t.ok(RECORD_RESOLUTION, { input: resolution })).recordResolution.resolution.id;
  followUp.visitId = (await t.ok(RECORD_VISIT, { input: islamshahrVisit() })).recordVisit.visit.id;
  const promise = { madeBy: 'معاون', madeTo: 'کفش', description: 'شهر کفش', dueDate: '2030-01-01T00:00:00Z', source: { kind: 'VISIT', id: followUp.visitId } };
  followUp.commitmentId = (await t.ok(MAKE_COMMITMENT, { input: promise })).makeCommitment.commitment.id;
  const province = pakdashtWorkgroup({ level: 'PROVINCE', county: null, name: 'کارگروه استان تهران' });
  followUp.workgroupId = (await t.ok(REGISTER_WORKGROUP, { input: province })).registerWorkgroup.workgroup.id;
});

const registry = { agencyId: '', zoneId: '' };
beforeAll(async () => {
  registry.agencyId = (await t.ok(REGISTER_AGENCY, { input: pakdashtAgency() })).registerAgency.agency.id;
  registry.zoneId = (await t.ok(REGISTER_ZONE, { input: islamshahrCluster() })).registerZone.zone.id;
});

test.each(Object.keys(valid))('%s: random input never yields an internal error or a partial write', async (mutation) => {
  const [query, base] = valid[mutation]!;
  await fc.assert(
    fc.asyncProperty(
      fc.dictionary(fc.constantFrom(...Object.keys(base()), 'expectedRevision', 'idempotencyKey', 'unexpected'), junk, { maxKeys: 3 }),
      fc.boolean(),
      async (overrides, wholeInputIsJunk) => {
        const input = wholeInputIsJunk ? overrides : { ...base(), ...overrides };
        const before = await t.app.store.headPosition();
        const { data, errors } = await t.exec(query, { input });
        if (errors) {
          for (const error of errors) {
            expect(EXPECTED.has(error.extensions?.code)).toBe(true);
            expect(JSON.stringify(error)).not.toMatch(/node_modules|\.ts:\d+|SqliteError|TypeError|undefined is not/);
          }
          expect(await t.app.store.headPosition()).toBe(before);
          expect(data?.[mutation] ?? null).toBeNull();
        } else {
          expect(await t.app.store.headPosition()).toBeGreaterThanOrEqual(before);
        }
      },
    ),
    { numRuns: 60, seed: Number(process.env.FC_SEED ?? 20261123) },
  );
});
