/**
 * The reach matrix of issue #22, generated from the schema: every mutation ×
 * every role × the subject's place (own / another county / another province),
 * and, for every ID the mutation takes (walked through its input, nested
 * inputs and lists), that one id naming a thing of another county or of
 * another province while all else is the caller's own. A mutation or an ID
 * without an entry in the table below fails the coverage test, so none can
 * skip the matrix. Refused cells are FORBIDDEN (or the code the table gives,
 * with its reason) and append nothing to any stream; allowed cells append.
 *
 * The expectations come from the oracle written here: the role lists are
 * copied as test/security/authorization.int.test.ts writes them out, never
 * read from src/auth/policy.ts (which is consulted only for whether a
 * command has a policy row at all).
 */
import { randomUUID } from 'node:crypto';
import { GraphQLID, getNamedType, getNullableType, isInputObjectType, isListType, type GraphQLInputType, type GraphQLSchema } from 'graphql';
import { COMMAND_RULES } from '../../src/auth/policy';
import type { Principal, Role } from '../../src/auth/principal';
import {
  ADD_AGENDA_ITEM,
  ADVANCE_CONVERSION,
  CANCEL_MEETING,
  CHANGE_STATUS,
  COMMUNICATE_RESOLUTION,
  DEACTIVATE_AGENCY,
  DECIDE_OBJECTION,
  ESCALATE_OBSTACLE,
  EXTEND_COMMITMENT,
  LINK_UNIT_TO_ZONE,
  MAKE_COMMITMENT,
  OBJECT_TO_RESOLUTION,
  POSTPONE_MEETING,
  RAISE_OBSTACLE,
  RECORD_COMMITMENT_BROKEN,
  RECORD_COMMITMENT_KEPT,
  RECORD_HELD,
  RECORD_PROGRESS,
  RECORD_RESOLUTION,
  RECORD_RESOLUTION_OUTCOME,
  RECORD_VISIT,
  RECORD_VISIT_FINDINGS,
  REFER_OBSTACLE,
  REGISTER_AGENCY,
  REGISTER_UNIT,
  REGISTER_WORKGROUP,
  REGISTER_ZONE,
  RENAME_AGENCY,
  REOPEN_OBSTACLE,
  REPORT_RESOLUTION_PROGRESS,
  RESOLVE_OBSTACLE,
  REVOKE_TOKENS,
  SCHEDULE_MEETING,
  UPDATE_UNIT_PROFILE,
  islamshahrCluster,
  islamshahrVisit,
  kharazmiUnit,
  pakdashtAgency,
  pakdashtMeeting,
  pakdashtWorkgroup,
} from '../api/operations';
import { startTestApp, type TestApp } from '../support/app';
import { MAY_RUN } from './may-run';

// ─── Places and principals ────────────────────────────────────────────────

type Place = {
  province: string;
  county: string;
};
const PLACES = {
  own: { province: 'تهران', county: 'پاکدشت' },
  county: { province: 'تهران', county: 'اسلامشهر' },
  province: { province: 'اصفهان', county: 'کاشان' },
} satisfies Record<string, Place>;
type Where = keyof typeof PLACES;
type Away = Exclude<Where, 'own'>;
const WHERE: Where[] = ['own', 'county', 'province'];
const AWAY: Away[] = ['county', 'province'];
const key = (p: Place) => `${p.province}/${p.county}`;

const ROLES: Role[] = ['ADMIN', 'OPERATOR', 'SECRETARIAT', 'CHAIR', 'AGENCY', 'AUDITOR', 'ANALYST', 'VIEWER'];
const BANK = 'بانک ملی';
const NATIONAL_ROLES: Role[] = ['ADMIN', 'OPERATOR', 'AGENCY'];
let homeBankId = '';
/** As authorization.int.test.ts builds them: placed roles in پاکدشت, an agency user for the bank registered in پاکدشت. */
const principal = (role: Role): Principal => ({
  subject: `matrix-${role.toLowerCase()}`,
  roles: [role],
  province: NATIONAL_ROLES.includes(role) ? null : PLACES.own.province,
  counties: NATIONAL_ROLES.includes(role) ? [] : [PLACES.own.county],
  agencyId: role === 'AGENCY' ? homeBankId : null,
});

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  homeBankId = await bankIn(PLACES.own);
});
afterAll(async () => {
  await t.close();
});

// ─── Factories: things in a place, made by ADMIN ──────────────────────────

let nationalId = 10300000000;
const attendees = [{ name: 'فرماندار', agency: 'فرمانداری' }];
const DEADLINE = '2030-01-01T00:00:00Z';

const once = <T>(cache: Map<string, Promise<T>>, k: string, make: () => Promise<T>): Promise<T> => {
  if (!cache.has(k)) cache.set(k, make());
  return cache.get(k)!;
};
/** The bank's branch registered in each county: a case or resolution of a place is referred to that place's branch. */
const banks = new Map<string, Promise<string>>();
const bankIn = (place: Place) =>
  once(banks, key(place), async () => (await t.ok(REGISTER_AGENCY, { input: pakdashtAgency({ name: BANK, kind: 'BANK', ...place }) })).registerAgency.agency.id as string);
/** Each county's workgroup (its meetings are numbered on it). */
const countyBodies = new Map<string, Promise<string>>();
const countyBody = (place: Place) =>
  once(countyBodies, key(place), async () => {
    const input = pakdashtWorkgroup({ ...place, name: `کارگروه ستاد تسهیل و رفع موانع تولید شهرستان ${place.county}` });
    return (await t.ok(REGISTER_WORKGROUP, { input })).registerWorkgroup.workgroup.id as string;
  });
/** Each province's workgroup: the body a county case is escalated to. */
const provinceBodies = new Map<string, Promise<string>>();
const provinceBody = (place: Place) =>
  once(provinceBodies, place.province, async () => {
    const input = pakdashtWorkgroup({ level: 'PROVINCE', province: place.province, county: null, name: `کارگروه تسهیل و رفع موانع تولید استان ${place.province}` });
    return (await t.ok(REGISTER_WORKGROUP, { input })).registerWorkgroup.workgroup.id as string;
  });

const unitIn = async (place: Place) =>
  (await t.ok(REGISTER_UNIT, { input: kharazmiUnit({ ...place, nationalId: String(nationalId++) }) })).registerUnit.unit.id as string;
const zoneIn = async (place: Place) => (await t.ok(REGISTER_ZONE, { input: islamshahrCluster(place) })).registerZone.zone.id as string;
const agencyIn = async (place: Place) => (await t.ok(REGISTER_AGENCY, { input: pakdashtAgency(place) })).registerAgency.agency.id as string;
/** A case of a unit in `place`, referred (unless told not to) to the bank's branch there by registry id. */
const obstacleIn = async (place: Place, referred = true) => {
  const id = (await t.ok(RAISE_OBSTACLE, { input: { unitId: await unitIn(place), title: 'امهال وام', category: 'BANKING' } })).raiseObstacle.obstacle.id as string;
  if (referred) await t.ok(REFER_OBSTACLE, { input: { obstacleId: id, leadAgencyId: await bankIn(place), deadline: DEADLINE } });
  return id;
};
const meetingIn = async (place: Place, held = false) => {
  const id = (await t.ok(SCHEDULE_MEETING, { input: pakdashtMeeting(place) })).scheduleMeeting.meeting.id as string;
  if (held) await t.ok(RECORD_HELD, { input: { meetingId: id, attendees, minutes: 'صورتجلسه' } });
  return id;
};
/** A resolution led by the bank's branch of `place`, recorded in a held meeting there, communicated unless told not to. */
const resolutionIn = async (place: Place, communicated = true) => {
  const input = { meetingId: await meetingIn(place, true), text: 'مقرر شد', leadAgencyId: await bankIn(place), deadline: DEADLINE };
  const resolutionId = (await t.ok(RECORD_RESOLUTION, { input })).recordResolution.resolution.id as string;
  if (communicated) await t.ok(COMMUNICATE_RESOLUTION, { input: { resolutionId } });
  return resolutionId;
};
const visitIn = async (place: Place) => (await t.ok(RECORD_VISIT, { input: islamshahrVisit(place) })).recordVisit.visit.id as string;
const promise = { madeBy: 'معاون اقتصادی', madeTo: 'تولیدکنندگان کفش', description: 'احداث شهر کفش', dueDate: DEADLINE };
const commitmentIn = async (place: Place) =>
  (await t.ok(MAKE_COMMITMENT, { input: { ...promise, source: { kind: 'VISIT', id: await visitIn(place) } } })).makeCommitment.commitment.id as string;

// ─── The table ────────────────────────────────────────────────────────────

/**
 * A setup builds a valid input. `at(field)` is the place the thing named by
 * that ID field is made in; `at()` the place the input itself names (a new
 * thing's province and county). `varying` is the ID field being moved to
 * another place, for inputs that name one of two alternatives.
 */
type At = (field?: string) => Place;
type Setup = (at: At, varying: string | null) => Promise<Record<string, unknown>>;
type Code = 'allowed' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND';

/** A result other than the oracle's for an ID naming a thing of another place, and why. */
interface Unless {
  roles?: Role[];
  where?: Away[];
  expect: Code;
  why: string;
}
type IdEntry = { placed: true; unless: Unless[] } | { placed: false; why: string };
const placed = (...unless: Unless[]): IdEntry => ({ placed: true, unless });
/**
 * An ID that names no placed thing (an idempotency key, a correlation id, a revision…): listed, with the reason, and not varied.
 * Today the options every input takes (idempotencyKey, correlationId, expectedRevision) are String, not ID, so none is listed;
 * should one become an ID, the coverage test asks for its entry here.
 */
const notPlaced = (why: string): IdEntry => ({ placed: false, why });

interface Row {
  query: string;
  setup: Setup;
  /** Every ID field of the input, by path under `input` (lists and nested inputs included). */
  ids: Record<string, IdEntry>;
  /** Set for a mutation with no place: its cells are by role only, and this says why. */
  placeless?: string;
  /** False for mutations that act on the running process, not on the event store: allowed cells append nothing. */
  appends?: false;
}

const BANK_SERVES =
  'the lead agency must serve the place of what is referred to it, whoever refers it: the bank of پاکدشت cannot take another place’s case (referencedAgency), so ADMIN is FORBIDDEN too';

const ROWS: Record<string, Row> = {
  // Operator mutations act on the running process's projections, not on the event store, and have no jurisdiction.
  rebuildProjection: { query: `mutation ($input: ProjectionInput!) { rebuildProjection(input: $input) { name } }`, setup: async () => ({ name: 'search' }), ids: {}, placeless: 'a projection of the process, no stream, no place', appends: false },
  pauseProjection: { query: `mutation ($input: ProjectionInput!) { pauseProjection(input: $input) { name } }`, setup: async () => ({ name: 'search' }), ids: {}, placeless: 'a projection of the process, no stream, no place', appends: false },
  resumeProjection: { query: `mutation ($input: ProjectionInput!) { resumeProjection(input: $input) { name } }`, setup: async () => ({ name: 'search' }), ids: {}, placeless: 'a projection of the process, no stream, no place', appends: false },
  skipProjectionEvent: {
    query: `mutation ($input: SkipProjectionEventInput!) { skipProjectionEvent(input: $input) { name } }`,
    setup: async () => ({ name: 'search', position: '1', reason: 'سنجش دسترسی' }),
    ids: {},
    placeless: 'a projection of the process, no stream, no place',
    appends: false,
  },
  // Access has no place: only ADMIN, who acts everywhere, may revoke (a new subject each time, so each cell appends).
  revokeTokens: { query: REVOKE_TOKENS, setup: async () => ({ subject: `someone-${randomUUID()}`, reason: 'ترک خدمت' }), ids: {}, placeless: 'a person’s access, recorded in no place' },

  registerUnit: {
    query: REGISTER_UNIT,
    setup: async (at) => kharazmiUnit({ ...at(), nationalId: String(nationalId++), zoneId: await zoneIn(at('zoneId')) }),
    ids: { zoneId: placed() },
  },
  changeUnitActivityStatus: {
    query: CHANGE_STATUS,
    setup: async (at) => ({ unitId: await unitIn(at('unitId')), status: 'ACTIVE', reason: 'بازگشت' }),
    ids: { unitId: placed() },
  },
  raiseObstacle: {
    query: RAISE_OBSTACLE,
    // A case is of a unit or of a whole zone, never both: the zone's variant raises it on the zone instead of the unit.
    setup: async (at, varying) => ({
      ...(varying === 'zoneId' ? { zoneId: await zoneIn(at('zoneId')) } : { unitId: await unitIn(at('unitId')) }),
      source: { kind: 'MEETING', id: await meetingIn(at('source.id')) },
      title: 'بیمه',
      category: 'SOCIAL_SECURITY',
    }),
    ids: { unitId: placed(), zoneId: placed(), 'source.id': placed() },
  },
  referObstacle: {
    query: REFER_OBSTACLE,
    setup: async (at) => ({ obstacleId: await obstacleIn(at('obstacleId'), false), leadAgencyId: await bankIn(at('leadAgencyId')), deadline: DEADLINE }),
    ids: {
      obstacleId: placed({ roles: ['ADMIN'], expect: 'FORBIDDEN', why: `the case moves, the bank stays پاکدشت's: ${BANK_SERVES}` }),
      leadAgencyId: placed({ roles: ['ADMIN'], expect: 'FORBIDDEN', why: BANK_SERVES }),
    },
  },
  recordObstacleProgress: { query: RECORD_PROGRESS, setup: async (at) => ({ obstacleId: await obstacleIn(at('obstacleId')), note: 'در جریان' }), ids: { obstacleId: placed() } },
  resolveObstacle: { query: RESOLVE_OBSTACLE, setup: async (at) => ({ obstacleId: await obstacleIn(at('obstacleId')), resolutionSummary: 'رفع شد' }), ids: { obstacleId: placed() } },
  reopenObstacle: {
    query: REOPEN_OBSTACLE,
    setup: async (at) => {
      const obstacleId = await obstacleIn(at('obstacleId'));
      await t.ok(RESOLVE_OBSTACLE, { input: { obstacleId, resolutionSummary: 'رفع شد' } });
      return { obstacleId, reason: 'اجرا نشد' };
    },
    ids: { obstacleId: placed() },
  },
  scheduleMeeting: {
    query: SCHEDULE_MEETING,
    setup: async (at) => pakdashtMeeting({ ...at(), workgroupId: await countyBody(at('workgroupId')) }),
    ids: {
      workgroupId: placed({
        roles: ['ADMIN'],
        expect: 'BAD_USER_INPUT',
        why: 'a meeting sits where its workgroup does (its session numbers are the body’s): ADMIN may name any body, but not one of another county for a meeting in پاکدشت',
      }),
    },
  },
  addAgendaItem: {
    query: ADD_AGENDA_ITEM,
    setup: async (at) => ({ meetingId: await meetingIn(at('meetingId')), kind: 'UNIT', subjectId: await unitIn(at('subjectId')) }),
    ids: { meetingId: placed(), subjectId: placed() },
  },
  recordMeetingHeld: { query: RECORD_HELD, setup: async (at) => ({ meetingId: await meetingIn(at('meetingId')), attendees, minutes: 'صورتجلسه' }), ids: { meetingId: placed() } },
  recordResolution: {
    query: RECORD_RESOLUTION,
    setup: async (at) => ({
      meetingId: await meetingIn(at('meetingId'), true),
      text: 'مقرر شد',
      leadAgencyId: await bankIn(at('leadAgencyId')),
      deadline: DEADLINE,
      obstacleId: await obstacleIn(at('obstacleId')),
      unitId: await unitIn(at('unitId')),
    }),
    ids: {
      meetingId: placed({ roles: ['ADMIN'], expect: 'FORBIDDEN', why: `the resolution sits where its meeting does, the bank stays پاکدشت's: ${BANK_SERVES}` }),
      leadAgencyId: placed({ roles: ['ADMIN'], expect: 'FORBIDDEN', why: BANK_SERVES }),
      obstacleId: placed(),
      unitId: placed(),
    },
  },
  postponeMeeting: { query: POSTPONE_MEETING, setup: async (at) => ({ meetingId: await meetingIn(at('meetingId')), to: DEADLINE, reason: 'سفر' }), ids: { meetingId: placed() } },
  cancelMeeting: { query: CANCEL_MEETING, setup: async (at) => ({ meetingId: await meetingIn(at('meetingId')), reason: 'حد نصاب' }), ids: { meetingId: placed() } },

  registerAgency: { query: REGISTER_AGENCY, setup: async (at) => pakdashtAgency(at()), ids: {} },
  renameAgency: { query: RENAME_AGENCY, setup: async (at) => ({ agencyId: await agencyIn(at('agencyId')), name: 'اداره کل صنعت، معدن و تجارت' }), ids: { agencyId: placed() } },
  deactivateAgency: { query: DEACTIVATE_AGENCY, setup: async (at) => ({ agencyId: await agencyIn(at('agencyId')), reason: 'ادغام' }), ids: { agencyId: placed() } },
  registerWorkgroup: { query: REGISTER_WORKGROUP, setup: async (at) => pakdashtWorkgroup(at()), ids: {} },
  registerZone: { query: REGISTER_ZONE, setup: async (at) => islamshahrCluster(at()), ids: {} },
  advanceClusterConversion: {
    query: ADVANCE_CONVERSION,
    setup: async (at) => ({ zoneId: await zoneIn(at('zoneId')), stage: 'APPLICATION_FILED', note: 'درخواست تبدیل به شهرک غیردولتی ثبت شد' }),
    ids: { zoneId: placed() },
  },
  linkUnitToZone: { query: LINK_UNIT_TO_ZONE, setup: async (at) => ({ unitId: await unitIn(at('unitId')), zoneId: await zoneIn(at('zoneId')) }), ids: { unitId: placed(), zoneId: placed() } },
  updateUnitProfile: { query: UPDATE_UNIT_PROFILE, setup: async (at) => ({ unitId: await unitIn(at('unitId')), headCount: 99, capacityUtilisation: 40 }), ids: { unitId: placed() } },

  communicateResolution: { query: COMMUNICATE_RESOLUTION, setup: async (at) => ({ resolutionId: await resolutionIn(at('resolutionId'), false) }), ids: { resolutionId: placed() } },
  objectToResolution: {
    query: OBJECT_TO_RESOLUTION,
    setup: async (at) => ({ resolutionId: await resolutionIn(at('resolutionId')), reason: 'خارج از اختیارات', agency: BANK }),
    ids: { resolutionId: placed() },
  },
  decideObjection: {
    query: DECIDE_OBJECTION,
    setup: async (at) => {
      const resolutionId = await resolutionIn(at('resolutionId'));
      await t.ok(OBJECT_TO_RESOLUTION, { input: { resolutionId, reason: 'خارج از اختیارات', agency: BANK } });
      return { resolutionId, accepted: false, note: 'مصوبه باقی است' };
    },
    ids: { resolutionId: placed() },
  },
  reportResolutionProgress: { query: REPORT_RESOLUTION_PROGRESS, setup: async (at) => ({ resolutionId: await resolutionIn(at('resolutionId')), note: 'در جریان' }), ids: { resolutionId: placed() } },
  recordResolutionOutcome: {
    query: RECORD_RESOLUTION_OUTCOME,
    setup: async (at) => ({ resolutionId: await resolutionIn(at('resolutionId')), outcome: 'IMPLEMENTED', note: 'اجرا شد' }),
    ids: { resolutionId: placed() },
  },
  escalateObstacle: {
    query: ESCALATE_OBSTACLE,
    setup: async (at) => ({ obstacleId: await obstacleIn(at('obstacleId')), toLevel: 'PROVINCE', workgroupId: await provinceBody(at('workgroupId')), reason: 'در شهرستان حل نشد' }),
    ids: {
      workgroupId: placed(
        {
          where: ['county'],
          expect: 'allowed',
          why:
            'the body a case goes up to is above the caller by design (requireEscalationTarget, not reached as the caller’s); a provincial body sits in no county, ' +
            'so the body "of another county" of تهران is تهران’s one body, the same as the own one',
        },
        { where: ['province'], expect: 'BAD_USER_INPUT', why: 'a case goes up to the body of its own province only: اصفهان’s body is refused for a تهران case, whoever asks' },
      ),
      obstacleId: placed({
        roles: ['ADMIN'],
        where: ['province'],
        expect: 'BAD_USER_INPUT',
        why: 'the case moves to اصفهان, the body stays تهران’s: a case goes up to the body of its own province only',
      }),
    },
  },
  recordVisit: {
    query: RECORD_VISIT,
    setup: async (at) => islamshahrVisit({ ...at(), unitIds: [await unitIn(at('unitIds'))], zoneId: await zoneIn(at('zoneId')) }),
    ids: { unitIds: placed(), zoneId: placed() },
  },
  recordVisitFindings: { query: RECORD_VISIT_FINDINGS, setup: async (at) => ({ visitId: await visitIn(at('visitId')), findings: 'نبود خط تلفن' }), ids: { visitId: placed() } },
  makeCommitment: {
    query: MAKE_COMMITMENT,
    setup: async (at) => ({
      ...promise,
      source: { kind: 'VISIT', id: await visitIn(at('source.id')) },
      unitIds: [await unitIn(at('unitIds'))],
      zoneId: await zoneIn(at('zoneId')),
    }),
    ids: { 'source.id': placed(), unitIds: placed(), zoneId: placed() },
  },
  recordCommitmentKept: { query: RECORD_COMMITMENT_KEPT, setup: async (at) => ({ commitmentId: await commitmentIn(at('commitmentId')), evidence: 'انجام شد' }), ids: { commitmentId: placed() } },
  recordCommitmentBroken: { query: RECORD_COMMITMENT_BROKEN, setup: async (at) => ({ commitmentId: await commitmentIn(at('commitmentId')), evidence: 'انجام نشد' }), ids: { commitmentId: placed() } },
  extendCommitment: {
    query: EXTEND_COMMITMENT,
    setup: async (at) => ({ commitmentId: await commitmentIn(at('commitmentId')), newDueDate: '2031-01-01T00:00:00Z', reason: 'تامین زمین' }),
    ids: { commitmentId: placed() },
  },
};

// ─── The oracle ───────────────────────────────────────────────────────────

// Who may run each mutation: the oracle both matrices share (test/security/may-run.ts).

/** The role may run it; ADMIN acts everywhere; everyone else only when every placed thing it touches is in پاکدشت. */
const oracle = (mutation: string, role: Role, where: Where | 'nowhere', moved?: { field: string; to: Away }): { code: Code; why?: string } => {
  if (!(MAY_RUN[mutation] ?? []).includes(role)) return { code: 'FORBIDDEN' };
  if (moved) {
    const entry = ROWS[mutation]!.ids[moved.field]!;
    const unless = entry.placed ? entry.unless.find((u) => (!u.roles || u.roles.includes(role)) && (!u.where || u.where.includes(moved.to))) : undefined;
    if (unless) return { code: unless.expect, why: unless.why };
    return { code: role === 'ADMIN' ? 'allowed' : 'FORBIDDEN' };
  }
  return { code: role === 'ADMIN' || where === 'own' || where === 'nowhere' ? 'allowed' : 'FORBIDDEN' };
};

// ─── The schema's mutations and their IDs ─────────────────────────────────

/** Every ID (or list of IDs) an input takes, by path under it, through nested inputs and lists. */
const idPaths = (type: GraphQLInputType, path: string, seen: ReadonlySet<string> = new Set()): string[] => {
  let inner = getNullableType(type);
  while (isListType(inner)) inner = getNullableType(inner.ofType);
  const named = getNamedType(inner);
  if (named === GraphQLID || named.name === GraphQLID.name) return [path];
  if (!isInputObjectType(named) || seen.has(named.name)) return [];
  return Object.values(named.getFields()).flatMap((f) => idPaths(f.type, path ? `${path}.${f.name}` : f.name, new Set([...seen, named.name])));
};
/** Mutation name → its ID paths (an argument other than `input` is named by its own name first). */
const mutationIds = (schema: GraphQLSchema): Record<string, string[]> =>
  Object.fromEntries(
    Object.values(schema.getMutationType()?.getFields() ?? {}).map((m) => [m.name, m.args.flatMap((a) => idPaths(a.type, a.name === 'input' ? '' : a.name))]),
  );

describe('coverage', () => {
  test('every mutation of the schema has a row in the table and the oracle, and every command a policy row', () => {
    const schema = mutationIds(t.app.schema);
    expect(Object.keys(schema).filter((m) => !ROWS[m])).toEqual([]);
    expect(Object.keys(schema).filter((m) => !MAY_RUN[m])).toEqual([]);
    expect(Object.keys(ROWS).filter((m) => !schema[m])).toEqual([]);
    // A mutation that writes the store is a command: without a rule in the policy table it could not be guarded at all.
    const rules = COMMAND_RULES as Record<string, unknown>;
    const commands = Object.keys(ROWS).filter((m) => ROWS[m]!.appends !== false);
    expect(commands.filter((m) => !rules[m[0]!.toUpperCase() + m.slice(1)])).toEqual([]);
  });

  test('every ID every mutation takes has an entry: a placed reference varied by the matrix, or why it is not one', () => {
    const schema = mutationIds(t.app.schema);
    for (const [mutation, paths] of Object.entries(schema)) {
      const row = ROWS[mutation];
      if (!row) continue; // reported by the test above
      expect({ mutation, missing: paths.filter((p) => !row.ids[p]) }).toEqual({ mutation, missing: [] });
      expect({ mutation, stale: Object.keys(row.ids).filter((p) => !paths.includes(p)) }).toEqual({ mutation, stale: [] });
      // A mutation with no place takes no placed reference (else it would need a place dimension).
      if (row.placeless) expect({ mutation, placed: Object.keys(row.ids).filter((p) => row.ids[p]!.placed) }).toEqual({ mutation, placed: [] });
    }
  });
});

// ─── Cells ────────────────────────────────────────────────────────────────

/** `away`: the county a refusal for the place (not for the role) must name, so a FORBIDDEN for another reason does not pass. */
const run = async (mutation: string, role: Role, at: At, varying: string | null, expected: Code, away: string | null) => {
  const row = ROWS[mutation]!;
  const asked = new Set<string>();
  const input = await row.setup((field) => {
    if (field !== undefined) asked.add(field);
    return at(field);
  }, varying);
  // The setup really made the moved id from the place it was given.
  if (varying !== null) expect([...asked]).toContain(varying);
  const before = await t.app.store.headPosition();
  const { errors } = await t.exec(row.query, { input }, principal(role));
  const after = await t.app.store.headPosition();
  if (row.appends === false) await t.app.runtime.resume('search');
  if (expected === 'allowed') {
    if (row.appends === false) {
      // An operation may still be refused by the state (skipping an event of a projection that did not fail), never by access.
      expect(errors?.[0]?.extensions?.code ?? 'OK').not.toBe('FORBIDDEN');
      expect(after).toBe(before);
    } else {
      expect(errors).toBeUndefined();
      expect(after).toBeGreaterThan(before);
    }
  } else {
    const refusedForThePlace = expected === 'FORBIDDEN' && away !== null && (MAY_RUN[mutation] ?? []).includes(role);
    expect({ code: errors?.[0]?.extensions?.code, message: errors?.[0]?.message }).toEqual({
      code: expected,
      message: refusedForThePlace ? expect.stringContaining(away) : expect.any(String),
    });
    expect(after).toBe(before);
  }
};

const subjectCells = Object.keys(ROWS).flatMap((mutation) =>
  ROLES.flatMap((role) =>
    (ROWS[mutation]!.placeless ? (['nowhere'] as const) : WHERE).map((where) => [mutation, role, where, oracle(mutation, role, where).code] as const),
  ),
);

test.each(subjectCells)('%s as %s, everything in %s: %s', async (mutation, role, where, expected) => {
  const place = where === 'nowhere' ? PLACES.own : PLACES[where];
  await run(mutation, role, () => place, null, expected, where === 'nowhere' || where === 'own' ? null : place.county);
});

/** The id dimension, for the roles that may run the mutation in their own place (the others are FORBIDDEN already there). */
const idCells = Object.keys(ROWS).flatMap((mutation) =>
  Object.entries(ROWS[mutation]!.ids)
    .filter(([, entry]) => entry.placed)
    .flatMap(([field]) =>
      (MAY_RUN[mutation] ?? []).flatMap((role) =>
        AWAY.map((to) => {
          const { code, why } = oracle(mutation, role, 'own', { field, to });
          return [mutation, role, field, to, code, why ? ` (${why})` : ''] as const;
        }),
      ),
    ),
);

test.each(idCells)('%s as %s, %s naming a thing of another %s, all else own: %s%s', async (mutation, role, field, to, expected) => {
  await run(mutation, role, (f) => (f === field ? PLACES[to] : PLACES.own), field, expected, PLACES[to].county);
});
