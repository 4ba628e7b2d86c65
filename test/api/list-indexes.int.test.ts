/**
 * Lists stay fast at every size: a page of a list screen is read from an index
 * in the list's order and stops after the page, in every ordering the schema
 * offers and under each filter in the default order, so it costs the same
 * with a hundred cases as with a million. Checked on the plans SQLite itself
 * chooses (`EXPLAIN QUERY PLAN`) for the statements the read models really
 * run: a plan that sorts the rows it found ("USE TEMP B-TREE FOR ORDER BY")
 * reads every matching row to return fifty. The benchmark (`npm run bench`)
 * measures the same lists' speed; this test keeps the indexes from going
 * missing when a projection or an ordering changes.
 */
import { RAISE_OBSTACLE, REGISTER_UNIT, kharazmiUnit } from './operations';
import { startTestApp, type TestApp } from '../support/app';
import { watchingStatements } from '../support/statements';

let t: TestApp;
/** Every statement run on a read model while `plansOf` listens, with the plan SQLite chose for it. */
let plans: { sql: string; plan: { id: number; parent: number; detail: string }[] }[] | null = null;

beforeAll(async () => {
  t = await startTestApp();
  for (let i = 0; i < 3; i++) {
    const unit = (await t.ok(REGISTER_UNIT, { input: kharazmiUnit({ name: `واحد ${i}`, nationalId: String(10800000000 + i) }) })).registerUnit.unit;
    await t.ok(RAISE_OBSTACLE, { input: { unitId: unit.id, title: `مانع ${i}`, description: 'بدهی بیمه', category: 'SOCIAL_SECURITY', priority: 'HIGH' } });
  }
  await t.app.runtime.waitForPosition(await t.app.store.headPosition(), 5000);
  const reader = t.app.runtime.reader.bind(t.app.runtime);
  t.app.runtime.reader = (name: string) =>
    watchingStatements(reader(name), (sql, params, db) => plans?.push({ sql, plan: db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as never }));
}, 60_000);

afterAll(() => t?.close());

const plansOf = async (query: string) => {
  plans = [];
  try {
    await t.ok(query);
    return plans;
  } finally {
    plans = null;
  }
};

/** Plan lines that sort what they found, except the outer sort of a page per parent (its rows are already at most a page per parent). */
const sorts = (statements: NonNullable<typeof plans>): string[] =>
  statements.flatMap(({ sql, plan }) =>
    plan
      .filter((line) => /USE TEMP B-TREE FOR ORDER BY/.test(line.detail))
      .filter((line) => !(sql.includes('page_parents') && line.parent === 0))
      .map((line) => `${line.detail} in: ${sql.replace(/\s+/g, ' ').slice(0, 160)}`),
  );
const fullScans = (statements: NonNullable<typeof plans>): string[] =>
  statements.flatMap(({ sql, plan }) => plan.filter((line) => /^SCAN \w+$/.test(line.detail)).map((line) => `${line.detail} in: ${sql.replace(/\s+/g, ' ').slice(0, 160)}`));

/** Any id of the right shape: the filter matches nothing, the plan is the same. */
const SOME_ID = '0b9c3c1e-5d6f-4a8b-9c0d-1e2f3a4b5c6d';
const OBSTACLE_ORDERS = ['RAISED_AT', 'DEADLINE', 'LAST_CHANGE'].flatMap((field) => ['ASC', 'DESC'].map((direction) => `{ field: ${field}, direction: ${direction} }`));
const UNIT_ORDERS = ['REGISTERED_AT', 'NAME'].flatMap((field) => ['ASC', 'DESC'].map((direction) => `{ field: ${field}, direction: ${direction} }`));
const page = (list: string, args: string, fields: string, first = 50): string => `{ ${list}(first: ${first}${args ? `, ${args}` : ''}) { totalCount edges { node { ${fields} } } } }`;

test.each([
  ...OBSTACLE_ORDERS.map((order) => [`obstacles ordered by ${order}`, page('obstacles', `orderBy: ${order}`, 'id title')]),
  ...['county: "پاکدشت"', 'status: OPEN', 'county: "پاکدشت", status: OPEN', 'category: BANKING', 'leadAgency: "بانک ملی"', `leadAgencyId: "${SOME_ID}"`, `unitId: "${SOME_ID}"`].flatMap(
    (filter) => [
      [`obstacles with ${filter}`, page('obstacles', filter, 'id')],
      [`obstacles with ${filter}, newest first`, page('obstacles', `${filter}, orderBy: { field: RAISED_AT, direction: DESC }`, 'id')],
    ],
  ),
  ...UNIT_ORDERS.map((order) => [`units ordered by ${order}`, page('units', `orderBy: ${order}`, 'id name')]),
  ...UNIT_ORDERS.map((order) => [`a county's units ordered by ${order}`, page('units', `county: "پاکدشت", orderBy: ${order}`, 'id name')]),
  ...['activityStatus: ACTIVE', `zoneId: "${SOME_ID}"`, 'sector: "نساجی"'].map((filter) => [`units with ${filter}`, page('units', filter, 'id')]),
  ...['', 'county: "پاکدشت"', 'status: HELD', 'orderBy: { field: SCHEDULED_AT, direction: DESC }'].map((args) => [`meetings ${args}`, page('meetings', args, 'id')]),
  ...['', 'county: "پاکدشت"', 'status: COMMUNICATED', 'leadAgency: "بانک ملی"', 'orderBy: { field: DEADLINE, direction: ASC }', 'orderBy: { field: RECORDED_AT, direction: DESC }'].map(
    (args) => [`resolutions ${args}`, page('resolutions', args, 'id')],
  ),
  // Not `madeTo`: it finds a name anywhere in the text (a substring), which no index serves; it reads every commitment.
  ...['', 'county: "پاکدشت"', 'status: KEPT'].map((args) => [`commitments ${args}`, page('commitments', args, 'id')]),
  ...['', 'county: "پاکدشت"', `zoneId: "${SOME_ID}"`].map((args) => [`visits ${args}`, page('visits', args, 'id')]),
  ...['', 'county: "پاکدشت"', 'kind: BANK', 'province: "تهران"'].map((args) => [`agencies ${args}`, page('agencies', args, 'id')]),
  ...['', 'level: COUNTY', 'province: "تهران"'].map((args) => [`workgroups ${args}`, page('workgroups', args, 'id')]),
  ...['', 'county: "پاکدشت"', 'kind: INDUSTRIAL_PARK', 'province: "تهران"'].map((args) => [`zones ${args}`, page('zones', args, 'id')]),
  ['each unit’s obstacles and history, a page each', page('units', '', 'obstacles(first: 5) { totalCount edges { node { id } } } history(first: 5) { totalCount edges { node { kind } } }', 20)],
  ['each unit’s open obstacles', page('units', '', 'obstacles(first: 5, status: OPEN) { totalCount edges { node { id } } }')],
  // Analytics over a range of months read that range's cells, in their order.
  ...['fromMonth: "1403-01", toMonth: "1403-12"', 'county: "پاکدشت", fromMonth: "1403-01", toMonth: "1403-12"', 'fromMonth: "1403-07"', 'county: "پاکدشت", toMonth: "1403-06"'].map(
    (args) => [`obstacle categories, ${args}`, `{ obstacleCategories(${args}) { jalaliMonth category raised resolved } }`],
  ),
  ['a county dashboard over a year', '{ countyDashboard(county: "پاکدشت", fromMonth: "1403-01", toMonth: "1403-12") { totalUnits byStatus { status units } revivals { jalaliMonth revivals } } }'],
])('%s: read from an index in its order, never sorted or scanned whole', async (_, query) => {
  const statements = await plansOf(query);
  expect(statements.length).toBeGreaterThan(0);
  expect(sorts(statements)).toEqual([]);
  expect(fullScans(statements)).toEqual([]);
});

describe('totalCount is counted only when a query selects it', () => {
  const counts = (statements: NonNullable<typeof plans>) => statements.filter(({ sql }) => /COUNT\(\*\)/.test(sql)).length;

  test.each([
    ['a list', '{ obstacles(first: 5) { edges { node { id } } } }', 0],
    ['a list with its total', '{ obstacles(first: 5) { totalCount edges { node { id } } } }', 1],
    ['a page per parent', '{ units(first: 3) { edges { node { obstacles(first: 5) { edges { node { id } } } } } } }', 0],
    ['a page per parent with totals, one count for all parents', '{ units(first: 3) { edges { node { obstacles(first: 5) { totalCount edges { node { id } } } } } } }', 1],
  ])('%s', async (_, query, expected) => {
    expect(counts(await plansOf(query))).toBe(expected);
  });

  test('the totals are the same whether counted with the page or on their own', async () => {
    const both = await t.ok(`{ units(first: 3) { totalCount edges { node { obstacles(first: 1) { totalCount edges { node { id } } } } } } }`);
    expect(both.units.totalCount).toBe(3);
    expect(both.units.edges.map((e: { node: { obstacles: { totalCount: number } } }) => e.node.obstacles.totalCount)).toEqual([1, 1, 1]);
  });
});
