/** Every GraphQL example in the README runs, as written, against the seeded scenarios. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedScenarios, type SeedResult } from '../../src/seed/scenarios';
import { startTestApp, type TestApp } from '../support/app';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!)
  // Subscriptions run over WebSocket: test/e2e/readme-subscriptions.e2e.test.ts runs those.
  .filter((e) => !e.startsWith('subscription'));

let t: TestApp;
let seed: SeedResult;
beforeAll(async () => {
  t = await startTestApp();
  seed = await seedScenarios(t.app);
  await t.app.runtime.waitForPosition(await t.app.store.headPosition(), 10_000);
});
afterAll(async () => {
  await t.close();
});

test('the README has examples', () => {
  expect(examples.length).toBeGreaterThanOrEqual(5);
});

test.each(examples.map((e) => [e.split('\n')[0], e]))('%s', async (_title, example) => {
  const ids: Record<string, string> = {
    unitId: seed.units.kia!,
    obstacleId: seed.obstacles.telecom!,
    meetingId: seed.meetings.pakdasht!,
  };
  const variables = Object.fromEntries(Object.entries(ids).filter(([name]) => example.includes(`$${name}:`)));
  const { data, errors } = await t.exec(example, variables);
  expect(errors).toBeUndefined();
  expect(Object.values(data).every((v) => v !== null)).toBe(true);
});

test('the seeded unit history and audit trail read as the README says', async () => {
  const { unit } = await t.ok(`query ($id: ID!) { unit(id: $id) { name activityStatus history { edges { node { kind } } } } }`, { id: seed.units.kia });
  expect(unit.name).toBe('کیا افق پایدار');
  expect(unit.activityStatus).toBe('ACTIVE');
  expect(unit.history.edges.map((e: any) => e.node.kind)).toEqual([
    'REGISTERED',
    'OBSTACLE_RAISED',
    'OBSTACLE_REFERRED',
    'PUT_ON_AGENDA',
    'PUT_ON_AGENDA',
    'DISCUSSED_IN_MEETING',
    'RESOLUTION_RECORDED',
    'OBSTACLE_PROGRESS',
    'OBSTACLE_RESOLVED',
    'ACTIVITY_STATUS_CHANGED',
  ]);
});

test('the README’s Persian examples find what they promise: overdue promises to shoe producers, Kharazmi units by Arabic spelling', async () => {
  const overdue = examples.find((e) => e.startsWith('query OverduePromises'))!;
  const { commitments } = await t.ok(overdue);
  expect(commitments.totalCount).toBeGreaterThan(0);
  expect(commitments.edges.map((e: any) => e.node.description)).toContain('مخابرات منطقه و آنتن‌دهی خیابان پدر');
  const search = examples.find((e) => e.startsWith('query Search'))!;
  const hits = (await t.ok(search)).search.filter((h: any) => h.kind === 'UNIT').map((h: any) => h.title);
  expect(hits).toEqual(expect.arrayContaining(['کیا افق پایدار', 'سرعت خانه ساز', 'ابتکار پلاستیک', 'ماداکام شرق']));
});
