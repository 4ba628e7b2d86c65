/**
 * The reproduction of "reads are not scoped at all", over real HTTP and a real
 * WebSocket with signed tokens: a county user and an agency user read every
 * county's units (national IDs), cases, minutes, search hits, `node(id)`,
 * dashboards, audit trails, and receive every county's subscription updates.
 * Now each reads its own; what lies outside reads as absent. The whole grid
 * (every query and subscription × every role) is read-matrix.int.test.ts.
 */
import {
  RAISE_OBSTACLE,
  RECORD_HELD,
  RECORD_RESOLUTION,
  RECORD_PROGRESS,
  REFER_OBSTACLE,
  REGISTER_AGENCY,
  REGISTER_UNIT,
  REGISTER_WORKGROUP,
  SCHEDULE_MEETING,
  kharazmiUnit,
  pakdashtAgency,
  pakdashtMeeting,
  pakdashtWorkgroup,
} from '../api/operations';
import { eventually, startLiveServer, subscribe, type LiveServer } from '../support/live';

const PAKDASHT = { province: 'تهران', county: 'پاکدشت' };
const ISLAMSHAHR = { province: 'تهران', county: 'اسلامشهر' };
const KASHAN = { province: 'اصفهان', county: 'کاشان' };
type Place = typeof PAKDASHT;

let s: LiveServer;
let nationalId = 11200000000;
/** What one county holds: a unit, a case on it, a held meeting with its minutes and a resolution on the case. */
interface County {
  unitId: string;
  nationalId: string;
  obstacleId: string;
  meetingId: string;
  resolutionId: string;
}
const world: Record<string, County> = {};
let bank: string;
let referred: string;
let pakdashtSecretary: string;
let tehranViewer: string;
let bankOfficer: string;

const seed = async (place: Place, name: string): Promise<County> => {
  const nid = String(nationalId++);
  const unitId = (await s.ok(REGISTER_UNIT, { input: kharazmiUnit({ ...place, name, nationalId: nid }) })).registerUnit.unit.id as string;
  const obstacleId = (await s.ok(RAISE_OBSTACLE, { input: { unitId, title: `امهال وام ${name}`, category: 'BANKING' } })).raiseObstacle.obstacle.id as string;
  const meetingId = (await s.ok(SCHEDULE_MEETING, { input: pakdashtMeeting({ ...place, title: `جلسه ${place.county}` }) })).scheduleMeeting.meeting.id as string;
  await s.ok(RECORD_HELD, { input: { meetingId, attendees: [{ name: 'فرماندار', agency: 'فرمانداری' }], minutes: `صورتجلسه ${place.county}` } });
  const resolutionId = (await s.ok(RECORD_RESOLUTION, { input: { meetingId, text: 'مقرر شد', leadAgency: 'بانک ملی', deadline: '2030-01-01T00:00:00Z', obstacleId } }))
    .recordResolution.resolution.id as string;
  return { unitId, nationalId: nid, obstacleId, meetingId, resolutionId };
};

beforeAll(async () => {
  s = await startLiveServer();
  world.pakdasht = await seed(PAKDASHT, 'ابتکار پلاستیک');
  world.islamshahr = await seed(ISLAMSHAHR, 'کفش ملی');
  world.kashan = await seed(KASHAN, 'فرش کاشان');
  bank = (await s.ok(REGISTER_AGENCY, { input: pakdashtAgency({ name: 'بانک ملی شعبه پاکدشت', kind: 'BANK' }) })).registerAgency.agency.id;
  // A second Pakdasht case, referred to the bank by its registry id; the first is not referred to anyone.
  const unitId = world.pakdasht!.unitId;
  referred = (await s.ok(RAISE_OBSTACLE, { input: { unitId, title: 'بدهی بیمه', category: 'TAX' } })).raiseObstacle.obstacle.id;
  await s.ok(REFER_OBSTACLE, { input: { obstacleId: referred, leadAgencyId: bank, deadline: '2030-01-01T00:00:00Z' } });
  pakdashtSecretary = await s.token({ subject: 'dabir-pakdasht', roles: ['SECRETARIAT'], province: 'تهران', counties: ['پاکدشت'] });
  tehranViewer = await s.token({ subject: 'viewer-tehran', roles: ['VIEWER'], province: 'تهران' });
  bankOfficer = await s.token({ subject: 'bank-pakdasht', roles: ['AGENCY'], agencyId: bank });
}, 60_000);
afterAll(async () => {
  await s.close();
});

const read = async (token: string, query: string, variables?: Record<string, unknown>) => {
  const { data, errors } = await s.gql(query, variables, token);
  if (errors?.length) throw new Error(JSON.stringify(errors));
  return data;
};
const ids = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((e) => e.node.id).sort();
const LISTS = `{
  units(first: 100) { totalCount edges { node { id nationalId } } }
  obstacles(first: 100) { totalCount edges { node { id } } }
  meetings(first: 100) { totalCount edges { node { id minutes } } }
  resolutions(first: 100) { totalCount edges { node { id } } }
}`;

test("a county user reads its own county's units, cases, minutes and resolutions, and nothing of another county", async () => {
  const { units, obstacles, meetings, resolutions } = await read(pakdashtSecretary, LISTS);
  const own = world.pakdasht!;
  expect(ids(units)).toEqual([own.unitId]);
  expect(units.totalCount).toBe(1);
  expect(ids(obstacles)).toEqual([own.obstacleId, referred].sort());
  expect(obstacles.totalCount).toBe(2);
  expect(meetings.edges.map((e: { node: { minutes: string } }) => e.node.minutes)).toEqual(['صورتجلسه پاکدشت']);
  expect(ids(resolutions)).toEqual([own.resolutionId]);
});

test('what lies in another county reads as absent: by id, by node, nested, and through a filter naming it', async () => {
  const other = world.islamshahr!;
  const data = await read(
    pakdashtSecretary,
    `query ($u: ID!, $o: ID!, $m: ID!, $r: ID!) {
      unit(id: $u) { id } obstacle(id: $o) { id } meeting(id: $m) { id } resolution(id: $r) { id }
      node(id: $u) { id } nodes(ids: [$o, $m]) { id }
      obstacles(county: "اسلامشهر") { totalCount }
    }`,
    { u: other.unitId, o: other.obstacleId, m: other.meetingId, r: other.resolutionId },
  );
  expect(data).toEqual({ unit: null, obstacle: null, meeting: null, resolution: null, node: null, nodes: [null, null], obstacles: { totalCount: 0 } });
});

test("a province user reads both of its counties and not another province's", async () => {
  const { units, meetings } = await read(tehranViewer, LISTS);
  expect(ids(units)).toEqual([world.pakdasht!.unitId, world.islamshahr!.unitId].sort());
  expect(meetings.totalCount).toBe(2);
});

test('an agency user reads the cases referred to its agency, their units and resolutions, and no minutes', async () => {
  const { units, obstacles, meetings } = await read(bankOfficer, LISTS);
  expect(ids(obstacles)).toEqual([referred]);
  expect(obstacles.totalCount).toBe(1);
  // The unit of its case, with only the cases of it that are the agency's.
  expect(ids(units)).toEqual([world.pakdasht!.unitId]);
  const UNIT = `query ($id: ID!) { unit(id: $id) { openObstacleCount obstacles { totalCount edges { node { id } } } } }`;
  const { unit } = await read(bankOfficer, UNIT, { id: world.pakdasht!.unitId });
  expect(unit.obstacles).toEqual({ totalCount: 1, edges: [{ node: { id: referred } }] });
  // Its counts tell of no case it cannot open; the county's secretary counts both.
  expect(unit.openObstacleCount).toBe(1);
  expect((await read(pakdashtSecretary, UNIT, { id: world.pakdasht!.unitId })).unit.openObstacleCount).toBe(2);
  expect(meetings.totalCount).toBe(0);
});

test("a county user's search finds its own county's units and cases only", async () => {
  const { search } = await read(pakdashtSecretary, `{ search(text: "امهال وام") { kind id } }`);
  expect(search).toEqual([{ kind: 'OBSTACLE', id: world.pakdasht!.obstacleId }]);
});

test("a county user's dashboard is its county's: another county's is refused", async () => {
  const { errors } = await s.gql(`{ countyDashboard(county: "اسلامشهر") { totalUnits } }`, {}, pakdashtSecretary);
  expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const own = await read(pakdashtSecretary, `{ countyDashboard(county: "پاکدشت") { totalUnits } }`);
  expect(own.countyDashboard.totalUnits).toBe(1);
});

test("another county's audit trail, state and trace answer as a stream with no events", async () => {
  const other = world.islamshahr!;
  const query = `query ($id: ID!) {
    auditTrail(kind: OBSTACLE, id: $id) { totalCount edges { node { correlationId } } }
    stateAsOf(kind: OBSTACLE, id: $id) { exists eventsApplied }
    replay(kind: OBSTACLE, id: $id) { totalCount }
  }`;
  const mine = await read(pakdashtSecretary, query, { id: world.pakdasht!.obstacleId });
  expect(mine.auditTrail.totalCount).toBeGreaterThan(0);
  expect(mine.stateAsOf.exists).toBe(true);
  const theirs = await read(pakdashtSecretary, query, { id: other.obstacleId });
  expect(theirs).toEqual({ auditTrail: { totalCount: 0, edges: [] }, stateAsOf: { exists: false, eventsApplied: 0 }, replay: { totalCount: 0 } });
  // The trace of the action that raised Islamshahr's case holds nothing the Pakdasht secretary may see.
  const { auditTrail } = await s.ok(`query ($id: ID!) { auditTrail(kind: OBSTACLE, id: $id) { edges { node { correlationId } } } }`, { id: other.obstacleId });
  const correlationId = auditTrail.edges[0].node.correlationId;
  const trace = await read(pakdashtSecretary, `query ($c: ID!) { causedBy(correlationId: $c) { streams events { streamName } } }`, { c: correlationId });
  expect(trace.causedBy).toEqual({ streams: [], events: [] });
});

test("a county user's subscription receives its own county's updates and no other county's", async () => {
  const client = s.client({ token: pakdashtSecretary });
  const changed = subscribe(client, `subscription { obstacleChanged { id county } }`);
  await eventually(() => s.t.app.live.listenerCount === 1, 'subscribed');
  await s.ok(RAISE_OBSTACLE, { input: { unitId: world.islamshahr!.unitId, title: 'قطعی برق', category: 'UTILITIES' } });
  await s.ok(RAISE_OBSTACLE, { input: { unitId: world.kashan!.unitId, title: 'قطعی برق', category: 'UTILITIES' } });
  const own = (await s.ok(RAISE_OBSTACLE, { input: { unitId: world.pakdasht!.unitId, title: 'قطعی برق', category: 'UTILITIES' } })).raiseObstacle.obstacle.id;
  const first = await changed.nth(1);
  expect(first.data).toEqual({ obstacleChanged: { id: own, county: 'پاکدشت' } });
  expect(changed.results).toHaveLength(1);
  await client.dispose();
  await eventually(() => s.t.app.live.listenerCount === 0, 'unsubscribed');
});

test("an agency user reads only its own cases' entries in a unit's history, now and as it grows", async () => {
  const HISTORY = `query ($id: ID!) { unit(id: $id) { history(first: 100) { totalCount edges { node { subjectType subjectId } } } } }`;
  const { unit } = await read(bankOfficer, HISTORY, { id: world.pakdasht!.unitId });
  const subjects = unit.history.edges.map((e: { node: { subjectType: string; subjectId: string } }) => e.node);
  // The unit's own entries and its referred case's; not the unit's other case, its meeting or that case's resolution.
  expect(subjects.every((n: { subjectType: string; subjectId: string }) => n.subjectType === 'UNIT' || n.subjectId === referred)).toBe(true);
  expect(subjects.some((n: { subjectId: string }) => n.subjectId === referred)).toBe(true);
  expect(unit.history.totalCount).toBe(subjects.length);

  const client = s.client({ token: bankOfficer });
  const grew = subscribe(client, `subscription ($u: ID!) { unitHistoryGrew(unitId: $u) { subjectId } }`, { u: world.pakdasht!.unitId });
  await eventually(() => s.t.app.live.listenerCount === 1, 'subscribed');
  await s.ok(RAISE_OBSTACLE, { input: { unitId: world.pakdasht!.unitId, title: 'پرونده دیگر', category: 'LAND' } });
  await s.ok(RECORD_PROGRESS, { input: { obstacleId: referred, note: 'در کمیته اعتباری' } });
  expect((await grew.nth(1)).data).toEqual({ unitHistoryGrew: { subjectId: referred } });
  expect(grew.results).toHaveLength(1);
  await client.dispose();
  await eventually(() => s.t.app.live.listenerCount === 0, 'unsubscribed');
});

test('a case referred away from an agency leaves its live updates too', async () => {
  const other = (await s.ok(REGISTER_AGENCY, { input: pakdashtAgency({ name: 'بانک دوم پاکدشت', kind: 'BANK' }) })).registerAgency.agency.id;
  const unitId = world.pakdasht!.unitId;
  const moving = (await s.ok(RAISE_OBSTACLE, { input: { unitId, title: 'بدهی مالیاتی', category: 'TAX' } })).raiseObstacle.obstacle.id;
  await s.ok(REFER_OBSTACLE, { input: { obstacleId: moving, leadAgencyId: bank, deadline: '2030-01-01T00:00:00Z' } });
  const client = s.client({ token: bankOfficer });
  const changed = subscribe(client, `subscription { obstacleChanged { id leadAgencyId } }`);
  await eventually(() => s.t.app.live.listenerCount === 1, 'subscribed');
  await s.ok(REFER_OBSTACLE, { input: { obstacleId: moving, leadAgencyId: other, deadline: '2030-01-01T00:00:00Z' } });
  await s.ok(RECORD_PROGRESS, { input: { obstacleId: moving, note: 'یادداشت بانک دوم' } });
  await s.ok(RECORD_PROGRESS, { input: { obstacleId: referred, note: 'یادداشت بانک' } });
  expect((await changed.nth(1)).data).toEqual({ obstacleChanged: { id: referred, leadAgencyId: bank } });
  expect(changed.results).toHaveLength(1);
  await client.dispose();
  await eventually(() => s.t.app.live.listenerCount === 0, 'unsubscribed');
});

test("a provincial workgroup's stream, which numbers meetings of every county, is not audited by a county user", async () => {
  const body = (await s.ok(REGISTER_WORKGROUP, { input: pakdashtWorkgroup({ level: 'PROVINCE', county: null, name: 'کارگروه استان تهران' }) })).registerWorkgroup
    .workgroup.id;
  await s.ok(SCHEDULE_MEETING, { input: pakdashtMeeting({ ...ISLAMSHAHR, workgroupId: body }) });
  const trail = `query ($id: ID!) { auditTrail(kind: WORKGROUP, id: $id) { totalCount } }`;
  expect((await read(pakdashtSecretary, trail, { id: body })).auditTrail.totalCount).toBe(0);
  const tehranSecretary = await s.token({ subject: 'dabir-tehran', roles: ['SECRETARIAT'], province: 'تهران' });
  expect((await read(tehranSecretary, trail, { id: body })).auditTrail.totalCount).toBeGreaterThan(0);
});
