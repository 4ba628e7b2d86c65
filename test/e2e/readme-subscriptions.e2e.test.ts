/**
 * Every subscription example in the README runs, as written, over a real
 * graphql-ws connection against the seeded scenarios, and receives what a
 * change of the seeded data pushes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedScenarios, type SeedResult } from '../../src/seed/scenarios';
import { RAISE_OBSTACLE, REFER_OBSTACLE } from '../api/operations';
import { eventually, startLiveServer, subscribe, type LiveServer } from '../support/live';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const examples = [...readme.matchAll(/```graphql\n(subscription[\s\S]*?)```/g)].map((m) => m[1]!);

let s: LiveServer;
let seed: SeedResult;
beforeAll(async () => {
  s = await startLiveServer();
  seed = await seedScenarios(s.t.app);
  await s.t.app.runtime.waitForPosition(await s.t.app.store.headPosition(), 10_000);
});
afterAll(async () => {
  await s.close();
});

/** What each example should receive first when an obstacle is raised for the seeded Kia unit in Pakdasht and referred. */
const EXPECTED: Record<string, (data: any) => void> = {
  PakdashtReferrals: (data) =>
    expect(data.obstacleChanged).toMatchObject({ title: 'تامین نقدینگی', status: 'REFERRED', leadAgency: 'بانک ملی', unit: { name: 'کیا افق پایدار' } }),
  UnitTimeline: (data) => expect(data.unitHistoryGrew).toMatchObject({ kind: 'OBSTACLE_RAISED', actor: 'live-admin' }),
};

test('the README has subscription examples, each with its expectation here', () => {
  expect(examples.length).toBeGreaterThanOrEqual(2);
  expect(examples.map((e) => /^subscription (\w+)/.exec(e)![1]).sort()).toEqual(Object.keys(EXPECTED).sort());
});

test('each subscription example receives the change, as the README says', async () => {
  const client = s.client({ role: 'VIEWER' });
  const running = examples.map((example) => ({
    name: /^subscription (\w+)/.exec(example)![1]!,
    updates: subscribe(client, example, example.includes('$unitId:') ? { unitId: seed.units.kia } : undefined),
  }));
  await eventually(() => s.t.app.live.listenerCount === examples.length, 'every example subscribed');
  const obstacleId = (await s.ok(RAISE_OBSTACLE, { input: { unitId: seed.units.kia, title: 'تامین نقدینگی', category: 'BANKING' } })).raiseObstacle.obstacle.id;
  await s.ok(REFER_OBSTACLE, { input: { obstacleId, leadAgency: 'بانک ملی', deadline: '2030-01-01T00:00:00Z' } });
  for (const { name, updates } of running) {
    const first = await updates.nth(1);
    expect(first.errors).toBeUndefined();
    EXPECTED[name]!(first.data);
    updates.unsubscribe();
  }
  await eventually(() => s.t.app.live.listenerCount === 0, 'the examples left');
});

test("the README's client snippet: `client.iterate` yields each update", async () => {
  const query = /client\.iterate\(\{ query: '([^']+)' \}\)/.exec(readme)![1]!;
  const client = s.client({ role: 'VIEWER' });
  const iterator = client.iterate<{ obstacleChanged: { id: string; status: string } }>({ query });
  const first = iterator.next();
  await eventually(() => s.t.app.live.listenerCount === 1, 'the snippet subscribed');
  const obstacleId = (await s.ok(RAISE_OBSTACLE, { input: { unitId: seed.units.kia, title: 'قطعی تلفن', category: 'TELECOM' } })).raiseObstacle.obstacle.id;
  expect((await first).value.data).toEqual({ obstacleChanged: { id: obstacleId, status: 'OPEN' } });
  await iterator.return!();
  await eventually(() => s.t.app.live.listenerCount === 0, 'the snippet left');
});
