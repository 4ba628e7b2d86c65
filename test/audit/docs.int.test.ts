/**
 * docs/audit.md says what it does: every GraphQL example runs, as written and
 * as an AUDITOR, on the seeded scenarios, and the recipe for recomputing a
 * hash outside the system gives the hash the system recorded.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Principal } from '../../src/auth/principal';
import { exportRecord } from '../../src/audit/export';
import { seedScenarios } from '../../src/seed/scenarios';
import { startTestApp, type TestApp } from '../support/app';

const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'audit.md'), 'utf8');
const graphql = [...doc.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
const recipe = [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!)[0]!;
const AUDITOR: Principal = { subject: 'docs-auditor', roles: ['AUDITOR'], province: null, counties: [], agencyId: null };

let t: TestApp;
let obstacleId: string;
beforeAll(async () => {
  t = await startTestApp();
  await seedScenarios(t.app);
  await t.app.runtime.waitForPosition(await t.app.store.headPosition(), 10_000);
  const sizes = new Map<string, number>();
  for (const e of await t.app.store.readAll()) if (e.streamName.startsWith('obstacle-')) sizes.set(e.streamName, (sizes.get(e.streamName) ?? 0) + 1);
  obstacleId = [...sizes.entries()].sort((a, b) => b[1] - a[1])[0]![0].slice('obstacle-'.length);
});
afterAll(async () => {
  await t.close();
});

test('the document has examples', () => {
  expect(graphql.length).toBeGreaterThanOrEqual(6);
  expect(recipe).toContain('createHash');
});

test.each(graphql.map((e) => [e.split('\n')[0], e]))('%s', async (_title, example) => {
  const variables = example.includes('$obstacleId:') ? { obstacleId } : {};
  const { data, errors } = await t.exec(example, variables, AUDITOR);
  expect(errors).toBeUndefined();
  expect(Object.values(data).every((v) => v !== null)).toBe(true);
});

test('the recipe recomputes the recorded hash of every event from its export record', async () => {
  const body = recipe.replace(/\n(createHash[^\n]*);\s*$/, '\nreturn $1;');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const check = new Function('require', 'r', body) as (req: NodeRequire, r: unknown) => boolean;
  const events = await t.app.store.readAll();
  expect(events.length).toBeGreaterThan(10);
  for (const event of events) expect(check(require, JSON.parse(JSON.stringify(exportRecord(event))))).toBe(true);
});
