/**
 * Relay conventions: `node(id:)` / `nodes(ids:)` over every kind of thing,
 * and `orderBy` on the lists frontends sort, with cursors that stay stable
 * while new items arrive and refuse to continue another ordering.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../src/auth/principal';
import {
  MAKE_COMMITMENT,
  RAISE_OBSTACLE,
  RECORD_HELD,
  RECORD_RESOLUTION,
  RECORD_VISIT,
  REFER_OBSTACLE,
  REGISTER_AGENCY,
  REGISTER_UNIT,
  REGISTER_WORKGROUP,
  REGISTER_ZONE,
  SCHEDULE_MEETING,
  islamshahrVisit,
  kharazmiPark,
  kharazmiUnit,
  pakdashtAgency,
  pakdashtMeeting,
  pakdashtWorkgroup,
} from './operations';
import { startTestApp, type TestApp } from '../support/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

let nationalIds = 10900000000;
const registerUnit = async (name: string) =>
  (await t.ok(REGISTER_UNIT, { input: kharazmiUnit({ name, nationalId: String(nationalIds++) }) })).registerUnit.unit as { id: string; name: string };
const raiseObstacle = async (unitId: string, title: string) =>
  (await t.ok(RAISE_OBSTACLE, { input: { unitId, title, description: 'شرح', category: 'BANKING', priority: 'HIGH' } })).raiseObstacle.obstacle as {
    id: string;
  };
const refer = async (obstacleId: string, deadline: string) =>
  t.ok(REFER_OBSTACLE, { input: { obstacleId, leadAgency: 'بانک ملی', cooperatingAgencies: [], deadline } });
const scheduleMeeting = async (scheduledAt: string) =>
  (await t.ok(SCHEDULE_MEETING, { input: pakdashtMeeting({ scheduledAt }) })).scheduleMeeting.meeting as { id: string };

describe('node(id:)', () => {
  test('fetches every kind of thing by its id, whatever the kind, and says which it is', async () => {
    const unit = await registerUnit('سرعت خانه ساز');
    const obstacle = await raiseObstacle(unit.id, 'تمدید تسهیلات');
    const meeting = await scheduleMeeting('2024-11-27T10:00:00+03:30');
    await t.ok(RECORD_HELD, { input: { meetingId: meeting.id, attendees: [{ name: 'فرماندار', agency: 'فرمانداری پاکدشت' }], minutes: 'صورتجلسه' } });
    const resolution = (
      await t.ok(RECORD_RESOLUTION, {
        input: { meetingId: meeting.id, obstacleId: obstacle.id, text: 'مقرر شد', leadAgency: 'بانک ملی', deadline: '2030-01-01T00:00:00Z' },
      })
    ).recordResolution.resolution;
    const agency = (await t.ok(REGISTER_AGENCY, { input: pakdashtAgency() })).registerAgency.agency;
    const workgroup = (await t.ok(REGISTER_WORKGROUP, { input: pakdashtWorkgroup() })).registerWorkgroup.workgroup;
    const zone = (await t.ok(REGISTER_ZONE, { input: kharazmiPark() })).registerZone.zone;
    const visit = (await t.ok(RECORD_VISIT, { input: islamshahrVisit({ unitIds: [unit.id] }) })).recordVisit.visit;
    const commitment = (
      await t.ok(MAKE_COMMITMENT, {
        input: { madeBy: 'فرماندار پاکدشت', madeTo: 'تولیدکنندگان', description: 'تامین برق', dueDate: '2030-01-01T00:00:00Z', source: { kind: 'VISIT', id: visit.id } },
      })
    ).makeCommitment.commitment;

    const things: [string, string, string][] = [
      ['Unit', unit.id, '... on Unit { name }'],
      ['Obstacle', obstacle.id, '... on Obstacle { title unit { name } }'],
      ['Meeting', meeting.id, '... on Meeting { status }'],
      ['Resolution', resolution.id, '... on Resolution { text status }'],
      ['Agency', agency.id, '... on Agency { name }'],
      ['Workgroup', workgroup.id, '... on Workgroup { level }'],
      ['Zone', zone.id, '... on Zone { name }'],
      ['Visit', visit.id, '... on Visit { purpose }'],
      ['Commitment', commitment.id, '... on Commitment { description }'],
    ];
    for (const [typeName, id, fragment] of things) {
      const { node } = await t.ok(`query ($id: ID!) { node(id: $id) { __typename id ${fragment} } }`, { id });
      expect(node).toMatchObject({ __typename: typeName, id });
    }
    const { node } = await t.ok(`query ($id: ID!) { node(id: $id) { ... on Obstacle { title unit { name } } ... on Resolution { text status } } }`, {
      id: obstacle.id,
    });
    expect(node).toEqual({ title: 'تمدید تسهیلات', unit: { name: 'سرعت خانه ساز' } });

    // `nodes`: in the order asked, null where an id names nothing.
    const unknown = randomUUID();
    const ids = [commitment.id, unknown, unit.id, resolution.id, unit.id];
    const { nodes } = await t.ok(`query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids });
    expect(nodes).toEqual([
      { __typename: 'Commitment', id: commitment.id },
      null,
      { __typename: 'Unit', id: unit.id },
      { __typename: 'Resolution', id: resolution.id },
      { __typename: 'Unit', id: unit.id },
    ]);
  });

  test('an id that names nothing is null, not an error (Relay’s convention)', async () => {
    for (const id of [randomUUID(), 'not-an-id', '']) {
      const { data, errors } = await t.exec(`query ($id: ID!) { node(id: $id) { id } }`, { id });
      expect(errors).toBeUndefined();
      expect(data.node).toBeNull();
    }
  });

  test('is read by exactly who may read things by id: any signed-in role, nobody without a token', async () => {
    const unit = await registerUnit('کاشی پارس');
    for (const role of ['ADMIN', 'SECRETARIAT', 'CHAIR', 'AGENCY', 'AUDITOR', 'ANALYST', 'VIEWER'] as const) {
      const as: Principal = { subject: `u-${role}`, roles: [role], province: 'تهران', counties: [], agencyId: role === 'AGENCY' ? 'بانک ملی' : null };
      const byNode = await t.exec(`query ($id: ID!) { node(id: $id) { id } }`, { id: unit.id }, as);
      const byUnit = await t.exec(`query ($id: ID!) { unit(id: $id) { id } }`, { id: unit.id }, as);
      expect(byNode.data.node).toEqual(byUnit.data.unit);
    }
    for (const query of [`query ($id: ID!) { node(id: $id) { id } }`, `query ($id: ID!) { nodes(ids: [$id]) { id } }`]) {
      const { errors } = await t.exec(query, { id: unit.id }, null);
      expect(errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  test('nodes takes at most 100 ids', async () => {
    const { errors } = await t.exec(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: Array.from({ length: 101 }, () => randomUUID()) });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(errors?.[0]?.extensions?.fields).toEqual([{ field: 'ids', messages: [expect.stringContaining('100')] }]);
  });
});

// ─── Orderings ───────────────────────────────────────────────────────────

interface Edge {
  cursor: string;
  node: Record<string, any> & { id: string };
}

/** Every page of a list, `first` at a time; `between` runs after each page (to insert while paging). */
const pageThrough = async (query: string, field: string, variables: Record<string, unknown>, between: () => Promise<unknown> = async () => undefined) => {
  const seen: Edge['node'][] = [];
  let after: string | null = null;
  for (;;) {
    const data: Record<string, any> = await t.ok(query, { ...variables, first: 2, after });
    const connection = data[field];
    seen.push(...connection.edges.map((e: Edge) => e.node));
    if (!connection.pageInfo.hasNextPage) return seen;
    after = connection.pageInfo.endCursor;
    await between();
  }
};

/** The Persian alphabet, for an order computed here independently of the SQL. */
const ALPHABET = ' 0123456789آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی';
const persianCompare = (a: string, b: string): number => {
  const norm = (s: string) => s.replace(/ي/g, 'ی').replace(/ك/g, 'ک');
  const [x, y] = [norm(a), norm(b)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = ALPHABET.indexOf(x[i]!) - ALPHABET.indexOf(y[i]!);
    if (d !== 0) return d;
  }
  return x.length - y.length;
};
const byKeyThenId = (key: (node: Edge['node']) => string, compare: (a: string, b: string) => number = (a, b) => (a < b ? -1 : a > b ? 1 : 0)) =>
  (a: Edge['node'], b: Edge['node']): number => compare(key(a), key(b)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Visited each item that existed when paging began exactly once, in the ordering, whatever was inserted meanwhile. */
const expectOrderedOnce = (seen: Edge['node'][], before: string[], compare: (a: Edge['node'], b: Edge['node']) => number, descending: boolean) => {
  const ids = seen.map((n) => n.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toEqual(expect.arrayContaining(before));
  const sorted = [...seen].sort((a, b) => (descending ? -compare(a, b) : compare(a, b)));
  expect(ids).toEqual(sorted.map((n) => n.id));
};

describe('orderBy', () => {
  const UNITS = `query ($orderBy: UnitOrder, $first: Int, $after: String) {
    units(county: "تجریش", orderBy: $orderBy, first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { cursor node { id name registeredAt } } } }`;
  const NAMES = ['تهران ظرف', 'بهار صنعت', 'پارس کاشی', 'ژاله فلز', 'زرین نخ', 'گلستان کفش', 'کاوه شیشه', 'وحدت چرم', 'هدف لوله', 'يكتا پلاست', 'آریا', 'چینی جام'];
  let unitIds: string[] = [];
  let inserted = 0;
  const tajrishUnit = async (name: string) =>
    (await t.ok(REGISTER_UNIT, { input: kharazmiUnit({ name, county: 'تجریش', nationalId: String(nationalIds++) }) })).registerUnit.unit.id as string;

  beforeAll(async () => {
    unitIds = [];
    for (const name of NAMES) unitIds.push(await tajrishUnit(name));
  });

  test('units by name follow the Persian alphabet (پ after ب, گ after ک, Arabic ي/ك as ی/ک), both ways', async () => {
    const asc = await pageThrough(UNITS, 'units', { orderBy: { field: 'NAME' } });
    expect(asc.map((n) => n.name)).toEqual([...NAMES].sort(persianCompare));
    expect(asc.map((n) => n.name).slice(0, 4)).toEqual(['آریا', 'بهار صنعت', 'پارس کاشی', 'تهران ظرف']);
    const desc = await pageThrough(UNITS, 'units', { orderBy: { field: 'NAME', direction: 'DESC' } });
    expect(desc.map((n) => n.name)).toEqual([...NAMES].sort(persianCompare).reverse());
  });

  test.each([
    ['NAME', 'ASC'],
    ['NAME', 'DESC'],
    ['REGISTERED_AT', 'ASC'],
    ['REGISTERED_AT', 'DESC'],
  ] as const)('units by %s %s: every unit once, in order, while new ones are registered', async (field, direction) => {
    const before = [...unitIds];
    // Names at both ends of the alphabet and between, so some land before the cursor and some after it.
    const seen = await pageThrough(UNITS, 'units', { orderBy: { field, direction } }, async () => {
      unitIds.push(await tajrishUnit(['آ اول', 'ی آخر', 'م میانه'][inserted++ % 3]!));
    });
    const key = field === 'NAME' ? (n: Edge['node']) => n.name as string : (n: Edge['node']) => n.registeredAt as string;
    expectOrderedOnce(seen, before, byKeyThenId(key, field === 'NAME' ? persianCompare : undefined), direction === 'DESC');
  });

  describe('obstacles', () => {
    const OBSTACLES = `query ($unitId: ID, $orderBy: ObstacleOrder, $first: Int, $after: String) {
      obstacles(unitId: $unitId, orderBy: $orderBy, first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { cursor node { id title raisedAt deadline } } } }`;
    let unitId: string;
    const obstacleIds: string[] = [];
    beforeAll(async () => {
      unitId = await tajrishUnit('فولاد البرز');
      const deadlines = ['2035-03-01T00:00:00Z', null, '2035-01-15T00:00:00Z', '2035-03-01T00:00:00Z', null, '2034-12-20T00:00:00Z'];
      for (const i of deadlines.keys()) obstacleIds.push((await raiseObstacle(unitId, `مانع ${i}`)).id);
      // Referred after all were raised: those referred changed last, in this order.
      for (const [i, deadline] of deadlines.entries()) if (deadline) await refer(obstacleIds[i]!, deadline);
    });

    test.each([
      ['RAISED_AT', 'ASC'],
      ['RAISED_AT', 'DESC'],
      ['DEADLINE', 'ASC'],
      ['DEADLINE', 'DESC'],
      ['LAST_CHANGE', 'ASC'],
      ['LAST_CHANGE', 'DESC'],
    ] as const)('by %s %s: every obstacle once, in order, while new ones are raised', async (field, direction) => {
      const before = [...obstacleIds];
      const seen = await pageThrough(OBSTACLES, 'obstacles', { unitId, orderBy: { field, direction } }, async () => {
        obstacleIds.push((await raiseObstacle(unitId, 'مانع تازه')).id);
      });
      if (field === 'LAST_CHANGE') {
        // The order of the original six: the two never referred, then the referred ones in the order referred.
        const original = seen.map((n) => n.id).filter((id) => before.slice(0, 6).includes(id));
        const expected = [1, 4, 0, 2, 3, 5].map((i) => before[i]!);
        expect(original).toEqual(direction === 'ASC' ? expected : [...expected].reverse());
        expect(new Set(seen.map((n) => n.id)).size).toBe(seen.length);
        expect(seen.map((n) => n.id)).toEqual(expect.arrayContaining(before));
        return;
      }
      // No deadline sorts after every deadline, ascending.
      const key = field === 'RAISED_AT' ? (n: Edge['node']) => n.raisedAt as string : (n: Edge['node']) => (n.deadline as string | null) ?? '9999';
      expectOrderedOnce(seen, before, byKeyThenId(key), direction === 'DESC');
    });

    test('the list under a unit takes the same orderBy', async () => {
      const { unit } = await t.ok(
        `query ($id: ID!) { unit(id: $id) { obstacles(first: 3, orderBy: { field: DEADLINE }) { edges { node { deadline } } } } }`,
        { id: unitId },
      );
      expect(unit.obstacles.edges.map((e: Edge) => e.node.deadline)).toEqual(['2034-12-20T00:00:00.000Z', '2035-01-15T00:00:00.000Z', '2035-03-01T00:00:00.000Z']);
    });
  });

  test.each(['ASC', 'DESC'] as const)('meetings by scheduled time %s: every meeting once, in order, while new ones are scheduled', async (direction) => {
    const MEETINGS = `query ($orderBy: MeetingOrder, $first: Int, $after: String) {
      meetings(county: "پاکدشت", orderBy: $orderBy, first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { cursor node { id scheduledAt } } } }`;
    const times = ['2025-02-01T10:00:00Z', '2024-12-01T10:00:00Z', '2025-01-01T10:00:00Z', '2024-12-01T10:00:00Z', '2025-03-01T10:00:00Z'];
    for (const time of times) await scheduleMeeting(time);
    const before = (await pageThrough(MEETINGS, 'meetings', {})).map((n) => n.id);
    let i = 0;
    const seen = await pageThrough(MEETINGS, 'meetings', { orderBy: { field: 'SCHEDULED_AT', direction } }, () =>
      scheduleMeeting(i++ % 2 ? '2024-01-01T10:00:00Z' : '2026-01-01T10:00:00Z'),
    );
    expectOrderedOnce(seen, before, byKeyThenId((n) => n.scheduledAt as string), direction === 'DESC');
  });

  test.each([
    ['RECORDED_AT', 'ASC'],
    ['DEADLINE', 'ASC'],
    ['DEADLINE', 'DESC'],
  ] as const)('resolutions by %s %s: every resolution once, in order, while new ones are recorded', async (field, direction) => {
    const meeting = await scheduleMeeting('2024-11-27T10:00:00+03:30');
    await t.ok(RECORD_HELD, { input: { meetingId: meeting.id, attendees: [{ name: 'فرماندار', agency: 'فرمانداری پاکدشت' }], minutes: 'صورتجلسه' } });
    const record = (deadline: string) =>
      t.ok(RECORD_RESOLUTION, { input: { meetingId: meeting.id, text: 'مقرر شد', leadAgency: 'بانک ملی', deadline } });
    for (const deadline of ['2035-05-01T00:00:00Z', '2035-02-01T00:00:00Z', '2035-05-01T00:00:00Z', '2035-03-01T00:00:00Z']) await record(deadline);
    const RESOLUTIONS = `query ($orderBy: ResolutionOrder, $first: Int, $after: String) {
      resolutions(orderBy: $orderBy, first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { cursor node { id deadline recordedAt } } } }`;
    const before = (await pageThrough(RESOLUTIONS, 'resolutions', {})).map((n) => n.id);
    let i = 0;
    const seen = await pageThrough(RESOLUTIONS, 'resolutions', { orderBy: { field, direction } }, () =>
      record(i++ % 2 ? '2034-01-01T00:00:00Z' : '2036-01-01T00:00:00Z'),
    );
    const key = field === 'DEADLINE' ? (n: Edge['node']) => n.deadline as string : (n: Edge['node']) => n.recordedAt as string;
    expectOrderedOnce(seen, before, byKeyThenId(key), direction === 'DESC');
  });

  test('a cursor continues only the ordering it came from; another is BAD_USER_INPUT', async () => {
    const byName = await t.ok(UNITS, { orderBy: { field: 'NAME' }, first: 2 });
    const cursor = byName.units.pageInfo.endCursor;
    for (const orderBy of [{ field: 'NAME', direction: 'DESC' }, { field: 'REGISTERED_AT' }, null]) {
      const { errors } = await t.exec(UNITS, { orderBy, first: 2, after: cursor });
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(errors?.[0]?.extensions?.fields).toEqual([{ field: 'after', messages: ['cursor from another ordering'] }]);
    }
    const obstacles = await t.exec(`query ($after: String) { obstacles(first: 2, after: $after) { totalCount } }`, { after: cursor });
    expect(obstacles.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const garbage = await t.exec(UNITS, { orderBy: null, first: 2, after: 'bm90IGEgY3Vyc29y' });
    expect(garbage.errors?.[0]?.extensions?.fields).toEqual([{ field: 'after', messages: ['invalid cursor'] }]);
    // A cursor of a list with another sort key (a unit's history) on a list without orderings.
    const { unit } = await t.ok(`query ($id: ID!) { unit(id: $id) { history(first: 1) { pageInfo { endCursor } } } }`, { id: byName.units.edges[0].node.id });
    const agencies = await t.exec(`query ($after: String) { agencies(after: $after) { totalCount } }`, { after: unit.history.pageInfo.endCursor });
    // A history's cursor names its ordering (when things happened): another list refuses it.
    expect(agencies.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', fields: [{ field: 'after', messages: ['cursor from another ordering'] }] });
  });

  test('cursors issued before orderings existed still continue the default order', async () => {
    const all = await pageThrough(UNITS, 'units', {});
    // The cursor format lists used before `orderBy`: the bare sort key.
    const legacy = Buffer.from(JSON.stringify([all[1]!.registeredAt, all[1]!.id])).toString('base64url');
    const { units } = await t.ok(UNITS, { first: 3, after: legacy });
    expect(units.edges.map((e: Edge) => e.node.id)).toEqual(all.slice(2, 5).map((n) => n.id));
  });
});
