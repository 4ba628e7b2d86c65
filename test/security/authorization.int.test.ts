/**
 * Every mutation × every role × inside and outside the caller's
 * jurisdiction: allowed, or FORBIDDEN with nothing appended. Without a token,
 * UNAUTHENTICATED. The expectations are written out here, independently of
 * the policy table they check.
 */
import { randomUUID } from 'node:crypto';
import type { Principal, Role } from '../../src/auth/principal';
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
import { MAY_RUN } from './may-run';

const HOME = { province: 'تهران', county: 'پاکدشت' };
const AWAY = { province: 'تهران', county: 'اسلامشهر' };
const BANK = 'بانک ملی';

/** The bank's branch registered in each county, by county: an agency user acts for HOME's, by its registry id. */
const banks = new Map<string, Promise<string>>();
const bankIn = (place: typeof HOME): Promise<string> => {
  if (!banks.has(place.county)) {
    const input = pakdashtAgency({ name: BANK, kind: 'BANK', ...place });
    banks.set(place.county, t.ok(REGISTER_AGENCY, { input }).then((r) => r.registerAgency.agency.id as string));
  }
  return banks.get(place.county)!;
};
let homeBankId = '';

const NATIONAL_ROLES: Role[] = ['ADMIN', 'OPERATOR', 'AGENCY'];
const principal = (role: Role): Principal => ({
  subject: `user-${role.toLowerCase()}`,
  roles: [role],
  province: NATIONAL_ROLES.includes(role) ? null : 'تهران',
  counties: NATIONAL_ROLES.includes(role) ? [] : ['پاکدشت'],
  agencyId: role === 'AGENCY' ? homeBankId : null,
});

let t: TestApp;
let nationalId = 10200000000;
beforeAll(async () => {
  t = await startTestApp();
  homeBankId = await bankIn(HOME);
});
afterAll(async () => {
  await t.close();
});

const attendees = [{ name: 'فرماندار', agency: 'فرمانداری' }];
const unitIn = async (place: typeof HOME) =>
  (await t.ok(REGISTER_UNIT, { input: kharazmiUnit({ ...place, nationalId: String(nationalId++) }) })).registerUnit.unit.id as string;
/** A case in `place`, referred to the bank's branch there (by registry id), or by name to another agency, or not referred. */
const obstacleIn = async (place: typeof HOME, referredTo: string | null = BANK) => {
  const id = (await t.ok(RAISE_OBSTACLE, { input: { unitId: await unitIn(place), title: 'امهال وام', category: 'BANKING' } })).raiseObstacle.obstacle
    .id as string;
  const lead = referredTo === BANK ? { leadAgencyId: await bankIn(place) } : { leadAgency: referredTo };
  if (referredTo) await t.ok(REFER_OBSTACLE, { input: { obstacleId: id, ...lead, deadline: '2030-01-01T00:00:00Z' } });
  return id;
};
const meetingIn = async (place: typeof HOME, held = false) => {
  const id = (await t.ok(SCHEDULE_MEETING, { input: pakdashtMeeting(place) })).scheduleMeeting.meeting.id as string;
  if (held) await t.ok(RECORD_HELD, { input: { meetingId: id, attendees, minutes: 'صورتجلسه' } });
  return id;
};

type Setup = (place: typeof HOME) => Promise<Record<string, unknown>>;
const MUTATIONS: Record<string, [query: string, setup: Setup]> = {
  registerUnit: [REGISTER_UNIT, async (place) => kharazmiUnit({ ...place, nationalId: String(nationalId++) })],
  changeUnitActivityStatus: [CHANGE_STATUS, async (place) => ({ unitId: await unitIn(place), status: 'ACTIVE', reason: 'بازگشت' })],
  raiseObstacle: [RAISE_OBSTACLE, async (place) => ({ unitId: await unitIn(place), title: 'بیمه', category: 'SOCIAL_SECURITY' })],
  referObstacle: [REFER_OBSTACLE, async (place) => ({ obstacleId: await obstacleIn(place, null), leadAgencyId: await bankIn(place), deadline: '2030-01-01T00:00:00Z' })],
  recordObstacleProgress: [RECORD_PROGRESS, async (place) => ({ obstacleId: await obstacleIn(place), note: 'در جریان' })],
  resolveObstacle: [RESOLVE_OBSTACLE, async (place) => ({ obstacleId: await obstacleIn(place), resolutionSummary: 'رفع شد' })],
  reopenObstacle: [
    REOPEN_OBSTACLE,
    async (place) => {
      const obstacleId = await obstacleIn(place);
      await t.ok(RESOLVE_OBSTACLE, { input: { obstacleId, resolutionSummary: 'رفع شد' } });
      return { obstacleId, reason: 'اجرا نشد' };
    },
  ],
  scheduleMeeting: [SCHEDULE_MEETING, async (place) => pakdashtMeeting(place)],
  addAgendaItem: [ADD_AGENDA_ITEM, async (place) => ({ meetingId: await meetingIn(place), kind: 'UNIT', subjectId: await unitIn(place) })],
  recordMeetingHeld: [RECORD_HELD, async (place) => ({ meetingId: await meetingIn(place), attendees, minutes: 'صورتجلسه' })],
  recordResolution: [
    RECORD_RESOLUTION,
    async (place) => ({ meetingId: await meetingIn(place, true), text: 'مقرر شد', leadAgencyId: await bankIn(place), deadline: '2030-01-01T00:00:00Z' }),
  ],
  postponeMeeting: [POSTPONE_MEETING, async (place) => ({ meetingId: await meetingIn(place), to: '2030-01-01T00:00:00Z', reason: 'سفر' })],
  cancelMeeting: [CANCEL_MEETING, async (place) => ({ meetingId: await meetingIn(place), reason: 'حد نصاب' })],
  // Registries: agencies and zones are created by ADMIN where the caller is (or is not), then acted on.
  registerAgency: [REGISTER_AGENCY, async (place) => pakdashtAgency(place)],
  renameAgency: [
    RENAME_AGENCY,
    async (place) => ({
      agencyId: (await t.ok(REGISTER_AGENCY, { input: pakdashtAgency(place) })).registerAgency.agency.id,
      name: 'اداره کل صنعت، معدن و تجارت',
    }),
  ],
  deactivateAgency: [
    DEACTIVATE_AGENCY,
    async (place) => ({ agencyId: (await t.ok(REGISTER_AGENCY, { input: pakdashtAgency(place) })).registerAgency.agency.id, reason: 'ادغام' }),
  ],
  registerWorkgroup: [REGISTER_WORKGROUP, async (place) => pakdashtWorkgroup(place)],
  registerZone: [REGISTER_ZONE, async (place) => islamshahrCluster(place)],
  advanceClusterConversion: [
    ADVANCE_CONVERSION,
    async (place) => ({
      zoneId: (await t.ok(REGISTER_ZONE, { input: islamshahrCluster(place) })).registerZone.zone.id,
      stage: 'APPLICATION_FILED',
      note: 'درخواست تبدیل به شهرک غیردولتی ثبت شد',
    }),
  ],
  linkUnitToZone: [
    LINK_UNIT_TO_ZONE,
    async (place) => ({ unitId: await unitIn(place), zoneId: (await t.ok(REGISTER_ZONE, { input: islamshahrCluster(place) })).registerZone.zone.id }),
  ],
  updateUnitProfile: [UPDATE_UNIT_PROFILE, async (place) => ({ unitId: await unitIn(place), headCount: 99, capacityUtilisation: 40 })],
  // Follow-up: a resolution's place is its meeting's, its agency the lead agency (BANK); a commitment's place is its visit's.
  communicateResolution: [COMMUNICATE_RESOLUTION, async (place) => ({ resolutionId: await resolutionIn(place, false) })],
  objectToResolution: [OBJECT_TO_RESOLUTION, async (place) => ({ resolutionId: await resolutionIn(place), reason: 'خارج از اختیارات', agency: BANK })],
  decideObjection: [
    DECIDE_OBJECTION,
    async (place) => {
      const resolutionId = await resolutionIn(place);
      await t.ok(OBJECT_TO_RESOLUTION, { input: { resolutionId, reason: 'خارج از اختیارات', agency: BANK } });
      return { resolutionId, accepted: false, note: 'مصوبه باقی است' };
    },
  ],
  reportResolutionProgress: [REPORT_RESOLUTION_PROGRESS, async (place) => ({ resolutionId: await resolutionIn(place), note: 'در جریان' })],
  recordResolutionOutcome: [
    RECORD_RESOLUTION_OUTCOME,
    async (place) => ({ resolutionId: await resolutionIn(place), outcome: 'IMPLEMENTED', note: 'اجرا شد' }),
  ],
  escalateObstacle: [
    ESCALATE_OBSTACLE,
    async (place) => ({ obstacleId: await obstacleIn(place), toLevel: 'PROVINCE', workgroupId: await provinceBody(), reason: 'در شهرستان حل نشد' }),
  ],
  recordVisit: [RECORD_VISIT, async (place) => islamshahrVisit(place)],
  recordVisitFindings: [RECORD_VISIT_FINDINGS, async (place) => ({ visitId: await visitIn(place), findings: 'نبود خط تلفن' })],
  makeCommitment: [MAKE_COMMITMENT, async (place) => promiseAt(await visitIn(place))],
  recordCommitmentKept: [RECORD_COMMITMENT_KEPT, async (place) => ({ commitmentId: await commitmentIn(place), evidence: 'انجام شد' })],
  recordCommitmentBroken: [RECORD_COMMITMENT_BROKEN, async (place) => ({ commitmentId: await commitmentIn(place), evidence: 'انجام نشد' })],
  extendCommitment: [
    EXTEND_COMMITMENT,
    async (place) => ({ commitmentId: await commitmentIn(place), newDueDate: '2031-01-01T00:00:00Z', reason: 'تامین زمین' }),
  ],
  // Access has no place: only ADMIN, who acts everywhere, may revoke (a new subject each time, so each case appends).
  revokeTokens: [REVOKE_TOKENS, async () => ({ subject: `someone-${randomUUID()}`, reason: 'ترک خدمت' })],
};

/** A resolution led by BANK, recorded in a held meeting in `place`, and communicated unless asked not to. */
async function resolutionIn(place: typeof HOME, communicated = true): Promise<string> {
  const meetingId = await meetingIn(place, true);
  const input = { meetingId, text: 'مقرر شد', leadAgencyId: await bankIn(place), deadline: '2030-01-01T00:00:00Z' };
  const resolutionId = (await t.ok(RECORD_RESOLUTION, { input })).recordResolution.resolution.id as string;
  if (communicated) await t.ok(COMMUNICATE_RESOLUTION, { input: { resolutionId } });
  return resolutionId;
}
let provinceBodyId: Promise<string> | undefined;
function provinceBody(): Promise<string> {
  const input = pakdashtWorkgroup({ level: 'PROVINCE', county: null, name: 'کارگروه تسهیل و رفع موانع تولید استان تهران' });
  provinceBodyId ??= t.ok(REGISTER_WORKGROUP, { input }).then((r) => r.registerWorkgroup.workgroup.id as string);
  return provinceBodyId;
}
async function visitIn(place: typeof HOME): Promise<string> {
  return (await t.ok(RECORD_VISIT, { input: islamshahrVisit(place) })).recordVisit.visit.id as string;
}
function promiseAt(visitId: string) {
  return { madeBy: 'معاون اقتصادی', madeTo: 'تولیدکنندگان کفش', description: 'احداث شهر کفش', dueDate: '2030-01-01T00:00:00Z', source: { kind: 'VISIT', id: visitId } };
}
async function commitmentIn(place: typeof HOME): Promise<string> {
  return (await t.ok(MAKE_COMMITMENT, { input: promiseAt(await visitIn(place)) })).makeCommitment.commitment.id as string;
}

/** Who may do what, inside their jurisdiction (an agency: on what is referred to it, in the place it serves); outside it only ADMIN. */
const ALLOWED = MAY_RUN;
const ROLES: Role[] = ['ADMIN', 'OPERATOR', 'SECRETARIAT', 'CHAIR', 'AGENCY', 'AUDITOR', 'ANALYST', 'VIEWER'];
/** Every role but OPERATOR reads cases (what each sees is the read matrix's). */
const READERS: Role[] = ROLES.filter((r) => r !== 'OPERATOR');

const cases = Object.keys(MUTATIONS).flatMap((mutation) =>
  ROLES.flatMap((role) =>
    (['inside', 'outside'] as const).map((where) => {
      // Outside, the case is referred to the other county's branch of the bank: not the agency user's.
      const allowed = ALLOWED[mutation]!.includes(role) && (where === 'inside' || role === 'ADMIN');
      return [mutation, role, where, allowed ? 'allowed' : 'FORBIDDEN'] as const;
    }),
  ),
);

/** Operator mutations act on the running process's projections, not on the event store, and have no jurisdiction. */
const OPERATIONS: Record<string, { query: string; input: unknown; allowed: Role[] }> = {
  rebuildProjection: { query: `mutation ($input: ProjectionInput!) { rebuildProjection(input: $input) { name } }`, input: { name: 'search' }, allowed: ['ADMIN', 'OPERATOR'] },
  pauseProjection: { query: `mutation ($input: ProjectionInput!) { pauseProjection(input: $input) { name } }`, input: { name: 'search' }, allowed: ['ADMIN', 'OPERATOR'] },
  resumeProjection: { query: `mutation ($input: ProjectionInput!) { resumeProjection(input: $input) { name } }`, input: { name: 'search' }, allowed: ['ADMIN', 'OPERATOR'] },
  skipProjectionEvent: {
    query: `mutation ($input: SkipProjectionEventInput!) { skipProjectionEvent(input: $input) { name } }`,
    input: { name: 'search', position: '1', reason: 'سنجش دسترسی' },
    allowed: ['ADMIN'],
  },
  // Relay's refetch by id: readable by every role that reads cases, exactly as `unit(id:)` and the other by-id queries
  // (what each sees of them is the read matrix's, test/security/read-matrix.int.test.ts).
  node: { query: `query ($input: ID!) { node(id: $input) { id } }`, input: '00000000-0000-4000-8000-000000000000', allowed: READERS },
  nodes: { query: `query ($input: [ID!]!) { nodes(ids: $input) { id } }`, input: ['00000000-0000-4000-8000-000000000000'], allowed: READERS },
};

test('the matrix covers every mutation of the schema', async () => {
  const { __schema } = await t.ok(`{ __schema { mutationType { fields { name } } } }`);
  const mutations = Object.keys(OPERATIONS).filter((op) => OPERATIONS[op]!.query.startsWith('mutation'));
  expect([...Object.keys(MUTATIONS), ...mutations].sort()).toEqual(__schema.mutationType.fields.map((f: { name: string }) => f.name).sort());
});

test.each(Object.keys(OPERATIONS).flatMap((op) => ROLES.map((role) => [op, role] as const)))('%s as %s', async (op, role) => {
  const { query, input, allowed } = OPERATIONS[op]!;
  const { errors } = await t.exec(query, { input }, principal(role));
  // An allowed caller may still be refused by the state (skipping an event of a projection that did not fail).
  if (allowed.includes(role)) expect(errors?.[0]?.extensions?.code ?? 'OK').not.toBe('FORBIDDEN');
  else expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect((await t.exec(query, { input }, null)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  await t.app.runtime.resume('search');
});

test.each(cases)('%s as %s %s the jurisdiction: %s', async (mutation, role, where, expected) => {
  const [query, setup] = MUTATIONS[mutation]!;
  const input = await setup(where === 'inside' ? HOME : AWAY);
  const before = await t.app.store.headPosition();
  const { errors } = await t.exec(query, { input }, principal(role));
  if (expected === 'allowed') {
    expect(errors).toBeUndefined();
    expect(await t.app.store.headPosition()).toBeGreaterThan(before);
  } else {
    expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await t.app.store.headPosition()).toBe(before);
  }
});

test.each(Object.keys(MUTATIONS))('%s without a token is UNAUTHENTICATED and appends nothing', async (mutation) => {
  const [query, setup] = MUTATIONS[mutation]!;
  const input = await setup(HOME);
  const before = await t.app.store.headPosition();
  const { errors } = await t.exec(query, { input }, null);
  expect(errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(await t.app.store.headPosition()).toBe(before);
});

test('an agency may not act on an obstacle referred to another agency', async () => {
  const obstacleId = await obstacleIn(HOME, 'تامین اجتماعی');
  const { errors } = await t.exec(RECORD_PROGRESS, { input: { obstacleId, note: 'پیشرفت' } }, principal('AGENCY'));
  expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});

test('the subject of the token is the actor recorded on the event', async () => {
  const input = await MUTATIONS.raiseObstacle![1](HOME);
  const { raiseObstacle } = await t.ok(RAISE_OBSTACLE, { input }, principal('SECRETARIAT'));
  const trail = await t.ok(`query ($id: ID!) { auditTrail(kind: OBSTACLE, id: $id) { edges { node { actor } } } }`, { id: raiseObstacle.obstacle.id });
  expect(trail.auditTrail.edges).toEqual([{ node: { actor: 'user-secretariat' } }]);
});

describe('reads', () => {
  const q = `{ units(first: 1) { totalCount } }`;
  test.each(READERS)('%s reads the read models', async (role) => {
    expect((await t.exec(q, {}, principal(role))).errors).toBeUndefined();
  });
  test('OPERATOR runs projections and reads no case: FORBIDDEN', async () => {
    expect((await t.exec(q, {}, principal('OPERATOR'))).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
  test('no token: UNAUTHENTICATED', async () => {
    expect((await t.exec(q, {}, null)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
  test.each([
    ['AUDITOR', true],
    ['ADMIN', true],
    ['SECRETARIAT', true],
    ['CHAIR', true],
    ['AGENCY', false],
    ['ANALYST', false],
    ['OPERATOR', false],
    ['VIEWER', false],
  ] as const)('the audit trail as %s: %s', async (role, allowed) => {
    const { errors } = await t.exec(`{ auditTrail(kind: UNIT, id: "00000000-0000-4000-8000-000000000000") { totalCount } }`, {}, principal(role));
    if (allowed) expect(errors).toBeUndefined();
    else expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
  test.each([
    ['ANALYST', true],
    ['AUDITOR', true],
    ['OPERATOR', true],
    ['VIEWER', false],
  ] as const)('projection status as %s: %s', async (role, allowed) => {
    const { errors } = await t.exec(`{ projections { name state } }`, {}, principal(role));
    if (allowed) expect(errors).toBeUndefined();
    else expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
