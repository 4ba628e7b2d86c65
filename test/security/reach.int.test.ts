/**
 * The reproductions of "access you can trust": a command is authorized on
 * every stream it appends to and every id it names, as the store records
 * them, not on the place its input names. Each refusal appends nothing.
 * Over real HTTP, each principal with a token signed for its claims.
 */
import type { Principal } from '../../src/auth/principal';
import {
  ADD_AGENDA_ITEM,
  COMMUNICATE_RESOLUTION,
  LINK_UNIT_TO_ZONE,
  MAKE_COMMITMENT,
  RAISE_OBSTACLE,
  RECORD_HELD,
  RECORD_PROGRESS,
  RECORD_RESOLUTION,
  RECORD_RESOLUTION_OUTCOME,
  RECORD_VISIT,
  REFER_OBSTACLE,
  REGISTER_AGENCY,
  REGISTER_UNIT,
  REGISTER_WORKGROUP,
  REGISTER_ZONE,
  RESOLVE_OBSTACLE,
  SCHEDULE_MEETING,
  islamshahrCluster,
  islamshahrVisit,
  kharazmiUnit,
  pakdashtAgency,
  pakdashtMeeting,
  pakdashtWorkgroup,
} from '../api/operations';
import { startLiveServer, type LiveServer } from '../support/live';

const PAKDASHT = { province: 'تهران', county: 'پاکدشت' };
const ISLAMSHAHR = { province: 'تهران', county: 'اسلامشهر' };
const KASHAN = { province: 'اصفهان', county: 'کاشان' };
const secretary: Principal = { subject: 'dabir-pakdasht', roles: ['SECRETARIAT'], province: 'تهران', counties: ['پاکدشت'], agencyId: null };

let s: LiveServer;
beforeAll(async () => {
  s = await startLiveServer();
});
afterAll(async () => {
  await s.close();
});

/** A token with exactly the principal's claims (a national placed role says `national: true`). */
const tokenOf = (p: Principal) => s.token({ subject: p.subject, roles: p.roles, province: p.province, counties: p.counties, agencyId: p.agencyId });
/** POST /graphql as `as` (default: an ADMIN). */
const t = {
  get app() {
    return s.t.app;
  },
  exec: async (query: string, variables?: Record<string, unknown>, as?: Principal) => s.gql(query, variables, as === undefined ? undefined : await tokenOf(as)),
  ok: async (query: string, variables?: Record<string, unknown>, as?: Principal) => {
    const { data, errors } = await t.exec(query, variables, as);
    if (errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(errors, null, 2)}`);
    return data;
  },
};

let nationalId = 10900000000;
const unitIn = async (place: typeof PAKDASHT) =>
  (await t.ok(REGISTER_UNIT, { input: kharazmiUnit({ ...place, nationalId: String(nationalId++) }) })).registerUnit.unit.id as string;
const obstacleIn = async (place: typeof PAKDASHT) =>
  (await t.ok(RAISE_OBSTACLE, { input: { unitId: await unitIn(place), title: 'امهال وام', category: 'BANKING' } })).raiseObstacle.obstacle.id as string;
const heldMeetingIn = async (place: typeof PAKDASHT) => {
  const id = (await t.ok(SCHEDULE_MEETING, { input: pakdashtMeeting(place) })).scheduleMeeting.meeting.id as string;
  await t.ok(RECORD_HELD, { input: { meetingId: id, attendees: [{ name: 'فرماندار', agency: 'فرمانداری' }], minutes: 'صورتجلسه' } });
  return id;
};
const agencyIn = async (place: typeof PAKDASHT, name = 'بانک ملی') =>
  (await t.ok(REGISTER_AGENCY, { input: pakdashtAgency({ name, kind: 'BANK', ...place }) })).registerAgency.agency.id as string;
const obstacleStatus = async (id: string) => (await t.ok(`query ($id: ID!) { obstacle(id: $id) { status } }`, { id })).obstacle.status as string;

/** Runs `query` as `as`, expects `code`, and that nothing was appended to any stream. */
const refused = async (query: string, input: Record<string, unknown>, as: Principal, code = 'FORBIDDEN') => {
  const before = await t.app.store.headPosition();
  const { errors } = await t.exec(query, { input }, as);
  expect(errors?.[0]?.extensions?.code).toBe(code);
  expect(await t.app.store.headPosition()).toBe(before);
  return errors![0];
};

test("a resolution of Pakdasht's meeting cannot be linked to Islamshahr's case, so it cannot close it", async () => {
  const meetingId = await heldMeetingIn(PAKDASHT);
  const obstacleId = await obstacleIn(ISLAMSHAHR);
  const error = await refused(RECORD_RESOLUTION, { meetingId, text: 'مقرر شد', leadAgency: 'بانک ملی', deadline: '2030-01-01T00:00:00Z', obstacleId }, secretary);
  expect(error.message).toMatch(/اسلامشهر is outside your jurisdiction/);
  // Islamshahr's own secretariat can still resolve its case: no foreign resolution holds it open.
  const islamshahr: Principal = { ...secretary, subject: 'dabir-islamshahr', counties: ['اسلامشهر'] };
  await t.ok(RESOLVE_OBSTACLE, { input: { obstacleId, resolutionSummary: 'رفع شد' } }, islamshahr);
  expect(await obstacleStatus(obstacleId)).toBe('RESOLVED');
});

test('an agency user is matched by registry id and by the place its agency serves, never by name', async () => {
  const tehranBank = await agencyIn(PAKDASHT);
  const kashanBank = await agencyIn(KASHAN);
  const obstacleId = await obstacleIn(PAKDASHT);
  await t.ok(REFER_OBSTACLE, { input: { obstacleId, leadAgencyId: tehranBank, deadline: '2030-01-01T00:00:00Z' } });
  const kashan: Principal = { subject: 'bank-kashan', roles: ['AGENCY'], province: null, counties: [], agencyId: kashanBank };
  await refused(RECORD_PROGRESS, { obstacleId, note: 'پیشرفت' }, kashan);
  await refused(RESOLVE_OBSTACLE, { obstacleId, resolutionSummary: 'رفع شد' }, kashan);
  const pakdasht: Principal = { ...kashan, subject: 'bank-pakdasht', agencyId: tehranBank };
  await t.ok(RECORD_PROGRESS, { input: { obstacleId, note: 'پرونده در کمیته اعتباری' } }, pakdasht);
});

test('a case referred by name only can be acted on by no agency user', async () => {
  const bank = await agencyIn(PAKDASHT);
  const obstacleId = await obstacleIn(PAKDASHT);
  await t.ok(REFER_OBSTACLE, { input: { obstacleId, leadAgency: 'بانک ملی', deadline: '2030-01-01T00:00:00Z' } });
  await refused(RECORD_PROGRESS, { obstacleId, note: 'پیشرفت' }, { subject: 'bank', roles: ['AGENCY'], province: null, counties: [], agencyId: bank });
});

test('an agency user settling its own resolution closes its own county\'s case, as the rule says', async () => {
  const bank = await agencyIn(PAKDASHT);
  const meetingId = await heldMeetingIn(PAKDASHT);
  const obstacleId = await obstacleIn(PAKDASHT);
  const resolutionId = (
    await t.ok(RECORD_RESOLUTION, { input: { meetingId, text: 'مقرر شد', leadAgencyId: bank, deadline: '2030-01-01T00:00:00Z', obstacleId } })
  ).recordResolution.resolution.id as string;
  await t.ok(COMMUNICATE_RESOLUTION, { input: { resolutionId } });
  const officer: Principal = { subject: 'bank-pakdasht', roles: ['AGENCY'], province: null, counties: [], agencyId: bank };
  await t.ok(RECORD_RESOLUTION_OUTCOME, { input: { resolutionId, outcome: 'NO_ACTION', note: 'بلااقدام' } }, officer);
  // Its own county's case closes as the rule says, the agency user as actor: the case lies in the place it serves.
  expect(await obstacleStatus(obstacleId)).toBe('RESOLVED');
});

test("scheduling a meeting of another county's or province's workgroup is refused and uses up no session number", async () => {
  const islamshahrBody = (await t.ok(REGISTER_WORKGROUP, { input: pakdashtWorkgroup({ ...ISLAMSHAHR, name: 'کارگروه اسلامشهر' }) })).registerWorkgroup.workgroup
    .id as string;
  await refused(SCHEDULE_MEETING, pakdashtMeeting({ workgroupId: islamshahrBody }), secretary);
  const provinceBody = (await t.ok(REGISTER_WORKGROUP, { input: pakdashtWorkgroup({ level: 'PROVINCE', county: null, name: 'کارگروه استان' }) }))
    .registerWorkgroup.workgroup.id as string;
  await refused(SCHEDULE_MEETING, pakdashtMeeting({ workgroupId: provinceBody }), secretary);
  // The body's next meeting still gets number 1.
  const first = (await t.ok(SCHEDULE_MEETING, { input: pakdashtMeeting({ ...ISLAMSHAHR, workgroupId: islamshahrBody }) })).scheduleMeeting.meeting.id;
  const { meeting } = await t.ok(`query ($id: ID!) { meeting(id: $id) { sequenceNumber } }`, { id: first });
  expect(meeting.sequenceNumber).toBe(1);
});

test('ids of other jurisdictions are refused wherever a command names them', async () => {
  const meetingId = (await t.ok(SCHEDULE_MEETING, { input: pakdashtMeeting() })).scheduleMeeting.meeting.id as string;
  const awayUnit = await unitIn(ISLAMSHAHR);
  await refused(ADD_AGENDA_ITEM, { meetingId, kind: 'UNIT', subjectId: awayUnit }, secretary);
  await refused(ADD_AGENDA_ITEM, { meetingId, kind: 'OBSTACLE', subjectId: await obstacleIn(ISLAMSHAHR) }, secretary);

  const awayZone = (await t.ok(REGISTER_ZONE, { input: islamshahrCluster() })).registerZone.zone.id as string;
  await refused(LINK_UNIT_TO_ZONE, { unitId: await unitIn(PAKDASHT), zoneId: awayZone }, secretary);

  const awayMeeting = (await t.ok(SCHEDULE_MEETING, { input: pakdashtMeeting(ISLAMSHAHR) })).scheduleMeeting.meeting.id as string;
  const raise = { unitId: await unitIn(PAKDASHT), title: 'بیمه', category: 'SOCIAL_SECURITY' };
  await refused(RAISE_OBSTACLE, { ...raise, source: { kind: 'MEETING', id: awayMeeting } }, secretary);
  const awayVisit = (await t.ok(RECORD_VISIT, { input: islamshahrVisit() })).recordVisit.visit.id as string;
  await refused(RAISE_OBSTACLE, { ...raise, source: { kind: 'VISIT', id: awayVisit } }, secretary);

  await refused(RECORD_VISIT, islamshahrVisit({ ...PAKDASHT, unitIds: [awayUnit] }), secretary);
  const homeVisit = (await t.ok(RECORD_VISIT, { input: islamshahrVisit(PAKDASHT) })).recordVisit.visit.id as string;
  const promise = { madeBy: 'معاون اقتصادی', madeTo: 'تولیدکنندگان کفش', description: 'احداث شهر کفش', dueDate: '2030-01-01T00:00:00Z' };
  await refused(MAKE_COMMITMENT, { ...promise, source: { kind: 'VISIT', id: homeVisit }, unitIds: [awayUnit] }, secretary);
  await refused(MAKE_COMMITMENT, { ...promise, source: { kind: 'VISIT', id: awayVisit } }, secretary);

  const awayBank = await agencyIn(ISLAMSHAHR);
  const homeCase = await obstacleIn(PAKDASHT);
  await refused(REFER_OBSTACLE, { obstacleId: homeCase, leadAgencyId: awayBank, deadline: '2030-01-01T00:00:00Z' }, secretary);
  // A provincial office serves every county of its province.
  const provincialBank = await agencyIn({ province: 'تهران', county: null as unknown as string }, 'بانک ملی - مدیریت استان');
  await t.ok(REFER_OBSTACLE, { input: { obstacleId: homeCase, leadAgencyId: provincialBank, deadline: '2030-01-01T00:00:00Z' } }, secretary);
});

test("an id of the wrong kind is BAD_USER_INPUT: recordResolution(unitId:) given a case's id", async () => {
  const meetingId = await heldMeetingIn(PAKDASHT);
  const obstacleId = await obstacleIn(PAKDASHT);
  const error = await refused(
    RECORD_RESOLUTION,
    { meetingId, text: 'مقرر شد', leadAgency: 'بانک ملی', deadline: '2030-01-01T00:00:00Z', unitId: obstacleId },
    secretary,
    'BAD_USER_INPUT',
  );
  expect(error.message).toMatch(/is an obstacle, not a production unit/);
});

test('a rejected registerUnit with an unknown zone appends nothing (no national ID reserved)', async () => {
  await refused(REGISTER_UNIT, kharazmiUnit({ nationalId: String(nationalId++), zoneId: '00000000-0000-4000-8000-000000000000' }), secretary, 'NOT_FOUND');
});

test("causedBy leaves a person's access history out for roles that may not audit it, as auditTrail(kind: ACCESS) refuses it", async () => {
  const { revokeTokens } = await t.ok(`mutation { revokeTokens(input: { subject: "dabir-gone", reason: "ترک خدمت" }) { commandId } }`);
  const trace = `query ($id: ID!) { causedBy(commandId: $id) { events { streamName } } }`;
  expect((await t.ok(trace, { id: revokeTokens.commandId }, secretary)).causedBy.events).toEqual([]);
  const auditor: Principal = { subject: 'auditor', roles: ['AUDITOR'], province: null, counties: [], agencyId: null };
  expect((await t.ok(trace, { id: revokeTokens.commandId }, auditor)).causedBy.events).toEqual([{ streamName: 'access-dabir-gone' }]);
});
