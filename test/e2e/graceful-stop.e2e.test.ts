/**
 * SIGTERM while mutations are in flight (a rolling deploy): the server stops
 * taking new connections but finishes the requests it already has, answers
 * them, and exits 0. What it acknowledged is there after a restart.
 */
import { kharazmiUnit, RAISE_OBSTACLE, REGISTER_UNIT } from '../api/operations';
import { tempDir } from '../support/app';
import { killAllServers, startServer } from '../support/server-process';

afterEach(async () => {
  await killAllServers();
});

const REQUESTS = 60;

test('SIGTERM with mutations in flight: requests already taken are answered, nothing is cut off half-way, the process exits 0', async () => {
  const dataDir = tempDir();
  const server = await startServer({ dataDir });
  const unit = await server.gql(REGISTER_UNIT, { input: kharazmiUnit() });
  const unitId = unit.body.data.registerUnit.unit.id as string;

  let terminatedAt = Number.POSITIVE_INFINITY;
  let exit: Promise<unknown> | undefined;
  const results = await Promise.all(
    Array.from({ length: REQUESTS }, async (_, i) => {
      try {
        const response = await server.gql(RAISE_OBSTACLE, { input: { unitId, title: `مانع ${i}`, category: 'UTILITIES', idempotencyKey: `graceful-${i}` } });
        // The first answer is the moment: the other requests are on their way or being handled.
        if (exit === undefined) {
          terminatedAt = Date.now();
          exit = server.kill('SIGTERM');
        }
        return { i, status: response.status, at: Date.now(), id: response.body.data?.raiseObstacle?.obstacle?.id as string | undefined, errors: response.body.errors };
      } catch (error) {
        return { i, status: 0, at: Date.now(), error: String((error as Error)?.cause ?? error) };
      }
    }),
  );
  expect(await exit).toEqual({ code: 0, signal: null });
  expect(server.logLines().some((l) => l.msg === 'stopping' && l.signal === 'SIGTERM')).toBe(true);

  // An answer is a whole answer: a success, never a server error or a half-written body.
  const answered = results.filter((r) => r.status !== 0);
  for (const r of answered) expect({ i: r.i, status: r.status, errors: r.errors }).toEqual({ i: r.i, status: 200, errors: undefined });
  // Some requests were still being handled when the signal came, and were finished, not dropped.
  expect(answered.filter((r) => r.at > terminatedAt).length).toBeGreaterThan(0);

  // Everything acknowledged is there after a restart.
  const again = await startServer({ dataDir });
  for (const r of answered) {
    const found = await again.gql(`query ($id: ID!) { obstacle(id: $id) { title } }`, { id: r.id });
    expect(found.body.data.obstacle).toEqual({ title: `مانع ${r.i}` });
  }
  expect(await again.stop()).toBe(0);
}, 90_000);
