/**
 * No N+1: a nested query costs the same number of SQL statements against the
 * read models for a page of 5 parents as for a page of 50. The statements
 * counted are the ones better-sqlite3 really executes on the projections'
 * SQLite files (every read-only connection the runtime hands out is wrapped).
 */
import {
  ADD_AGENDA_ITEM,
  MAKE_COMMITMENT,
  RECORD_VISIT,
  REGISTER_AGENCY,
  islamshahrVisit,
  pakdashtAgency,
  LINK_UNIT_TO_ZONE,
  RAISE_OBSTACLE,
  RECORD_HELD,
  RECORD_RESOLUTION,
  REGISTER_UNIT,
  REGISTER_ZONE,
  SCHEDULE_MEETING,
  kharazmiPark,
  kharazmiUnit,
  pakdashtMeeting,
} from './operations';
import { startTestApp, type TestApp } from '../support/app';
import { watchingStatements } from '../support/statements';

const UNITS = 50;
let t: TestApp;
let statements = 0;
let meetingId: string;

beforeAll(async () => {
  t = await startTestApp();
  const zone = (await t.ok(REGISTER_ZONE, { input: kharazmiPark() })).registerZone.zone;
  const meeting = (await t.ok(SCHEDULE_MEETING, { input: pakdashtMeeting() })).scheduleMeeting.meeting;
  meetingId = meeting.id;
  const obstacleIds: string[] = [];
  for (let i = 0; i < UNITS; i++) {
    const unit = (await t.ok(REGISTER_UNIT, { input: kharazmiUnit({ name: `واحد ${i}`, nationalId: String(10800000000 + i) }) })).registerUnit.unit;
    await t.ok(LINK_UNIT_TO_ZONE, { input: { unitId: unit.id, zoneId: zone.id } });
    const obstacle = (
      await t.ok(RAISE_OBSTACLE, { input: { unitId: unit.id, title: `مانع ${i}`, description: 'بدهی بیمه', category: 'SOCIAL_SECURITY', priority: 'HIGH' } })
    ).raiseObstacle.obstacle;
    obstacleIds.push(obstacle.id);
    if (i < 10) await t.ok(ADD_AGENDA_ITEM, { input: { meetingId, kind: 'OBSTACLE', subjectId: obstacle.id } });
    const visit = (await t.ok(RECORD_VISIT, { input: islamshahrVisit({ county: 'پاکدشت', unitIds: [unit.id], zoneId: zone.id }) })).recordVisit.visit;
    await t.ok(MAKE_COMMITMENT, {
      input: { madeBy: 'فرماندار پاکدشت', madeTo: `واحد ${i}`, description: 'تامین برق', dueDate: '2030-01-01T00:00:00Z', source: { kind: 'VISIT', id: visit.id }, unitIds: [unit.id] },
    });
    await t.ok(REGISTER_AGENCY, { input: pakdashtAgency({ name: `دستگاه ${i}` }) });
  }
  await t.ok(RECORD_HELD, { input: { meetingId, attendees: [{ name: 'مهدی یوسفی جمارانی', agency: 'فرمانداری پاکدشت' }], minutes: 'صورتجلسه' } });
  for (const [i, obstacleId] of obstacleIds.entries()) {
    await t.ok(RECORD_RESOLUTION, {
      input: { meetingId, obstacleId, text: `مقرر شد ${i}`, leadAgency: 'تامین اجتماعی', deadline: '2030-01-01T00:00:00Z' },
    });
  }
  const reader = t.app.runtime.reader.bind(t.app.runtime);
  t.app.runtime.reader = (name: string) => watchingStatements(reader(name), () => (statements += 1));
}, 300_000);

afterAll(() => t?.close());

/** The statements one operation executed on the read models, and its data. */
const measure = async (query: string, variables: Record<string, unknown>) => {
  statements = 0;
  const data = await t.ok(query, variables);
  return { count: statements, data };
};

const UNITS_NESTED = `query ($first: Int!) {
  units(county: "پاکدشت", first: $first) {
    totalCount
    edges { node {
      name
      zone { name unitCount conversionHistory { to } }
      history(first: 3) { totalCount edges { node { kind summary } } }
      obstacles(first: 3) { totalCount edges { node {
        title level workgroupId levelHistory { level }
        unit { name }
        resolutions { text status county overdue revision meeting { title agenda { kind } attendees { name } } obstacle { title } }
      } } }
    } }
  }
}`;

const RESOLUTIONS_NESTED = `query ($first: Int!) {
  resolutions(first: $first) {
    edges { node {
      text status
      meeting { title resolutions { status } }
      obstacle { title unit { name zone { name units(first: 2) { edges { node { name } } } obstacles { totalCount } } } }
    } }
  }
}`;

const VISITS_NESTED = `query ($first: Int!) {
  visits(county: "پاکدشت", first: $first) {
    edges { node { purpose visitors { name } units { unitName } obstacles { title } commitments { description units { unitName } extensions { reason } overdue } } }
  }
  agencies(first: $first) { edges { node { name formerNames } } }
}`;

test.each([
  ['units → zone, history, obstacles → unit, resolutions → meeting', UNITS_NESTED],
  ['resolutions → meeting → resolutions, obstacle → unit → zone → units', RESOLUTIONS_NESTED],
  ['visits → visitors, units, obstacles, commitments → units, extensions; agencies → former names', VISITS_NESTED],
])('%s: the same statements for 5 parents as for 50', async (_, query) => {
  const five = await measure(query, { first: 5 });
  const fifty = await measure(query, { first: UNITS });
  expect(Object.values(fifty.data)[0].edges).toHaveLength(UNITS);
  expect(Object.values(five.data)[0].edges).toHaveLength(5);
  expect(fifty.count).toBe(five.count);
  // One statement per list and level (two for a paged list: its rows and its counts), not one per parent.
  expect(fifty.count).toBeLessThan(25);
});

test('every parent gets its own children, not a neighbour’s', async () => {
  const { data } = await measure(UNITS_NESTED, { first: UNITS });
  for (const { node: unit } of data.units.edges) {
    const i = unit.name.replace('واحد ', '');
    expect(unit.zone.name).toBe('شهرک صنعتی خوارزمی');
    expect(unit.obstacles.totalCount).toBe(1);
    const [{ node: obstacle }] = unit.obstacles.edges;
    expect(obstacle).toMatchObject({ title: `مانع ${i}`, level: 'COUNTY', unit: { name: unit.name } });
    expect(obstacle.resolutions).toEqual([
      expect.objectContaining({ text: `مقرر شد ${i}`, status: 'RECORDED', county: 'پاکدشت', obstacle: { title: `مانع ${i}` } }),
    ]);
    expect(obstacle.resolutions[0].meeting.agenda).toHaveLength(10);
    expect(unit.history.totalCount).toBeGreaterThanOrEqual(3);
  }
});

test('a meeting’s resolutions, their obstacles and those obstacles’ units: one statement per level', async () => {
  const { count } = await measure(`query ($id: ID!) { meeting(id: $id) { resolutions { obstacle { unit { name } } } } }`, { id: meetingId });
  // The meeting, its resolutions, their obstacles, the obstacles' units.
  expect(count).toBe(4);
});
