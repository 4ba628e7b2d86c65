/**
 * A full disk, for real: the server's data folder on a small tmpfs. Writes
 * fail with STORE_UNAVAILABLE and record nothing partial, reads go on, and
 * once space returns writes succeed and the read models catch up.
 * Mounting needs root (CI runs as root); elsewhere the test says so and skips.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { RAISE_OBSTACLE, REGISTER_UNIT, kharazmiUnit } from '../api/operations';
import { dumpReadModels, rebuildFromScratch } from '../support/read-models';
import { killAllServers, startServer } from '../support/server-process';

const mountPoint = mkdtempSync(join(tmpdir(), 'tashil-tmpfs-'));
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint]).status === 0;
if (!mounted) {
  if (process.env.CI) throw new Error('cannot mount a tmpfs for the full-disk test: CI runs as root and must be able to');
  process.stderr.write('full-disk test: SKIPPED — mounting a small tmpfs needs root\n');
}
const maybe = mounted ? test : test.skip;

afterAll(async () => {
  await killAllServers();
  if (mounted) execFileSync('umount', [mountPoint]);
});

/** Fills the file system until it refuses; returns the filler's path. */
const fill = (dir: string): string => {
  const file = join(dir, 'filler');
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(16 * 1024, 1);
  try {
    for (let i = 0; i < 100_000; i++) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return file;
};

maybe('a full disk refuses writes cleanly, keeps reads going, and recovers when space returns', async () => {
  const dataDir = join(mountPoint, 'data');
  const server = await startServer({ dataDir, env: { TASHIL_SQLITE_SYNCHRONOUS: 'FULL', TASHIL_READ_YOUR_WRITES_TIMEOUT_MS: '1000' } });
  const unitId = (await server.gql(REGISTER_UNIT, { input: kharazmiUnit() })).body.data.registerUnit.unit.id;

  const filler = fill(mountPoint);
  let recorded = 0; // ObstacleRaised events the server acknowledged (or said it recorded)
  let refused = 0;
  for (let i = 0; i < 300 && refused < 3; i++) {
    const r = await server.gql(RAISE_OBSTACLE, {
      input: { unitId, title: `مانع ${i}`, description: 'ت'.repeat(4000), category: 'UTILITIES' },
    });
    const code = r.body.errors?.[0]?.extensions?.code;
    if (code === undefined || code === 'READ_MODEL_TIMEOUT') recorded++;
    else if (code === 'STORE_UNAVAILABLE') {
      refused++;
      expect(r.body.errors[0].message).toMatch(/nothing was recorded/);
    } else throw new Error(`unexpected answer on a full disk: ${JSON.stringify(r.body)}`);
  }
  expect(refused).toBeGreaterThan(0);

  // Still up and still reading.
  expect((await server.request('/healthz')).status).toBe(200);
  const reading = await server.gql(`{ units { totalCount } }`);
  expect(reading.body.data.units.totalCount).toBe(1);

  // Space returns: writes succeed again and the read models catch up without a restart.
  rmSync(filler);
  const after = await server.gql(RAISE_OBSTACLE, { input: { unitId, title: 'پس از آزاد شدن فضا', category: 'UTILITIES' } });
  expect(after.body.errors).toBeUndefined();
  recorded++;
  let ready = 0;
  for (let i = 0; i < 100 && ready !== 200; i++) {
    ready = (await server.request('/readyz')).status;
    if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(ready).toBe(200);
  expect(await server.stop()).toBe(0);

  // Exactly what was acknowledged (or reported recorded) is in the store: nothing partial.
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  const raised = (db.prepare(`SELECT COUNT(*) AS n FROM events WHERE type = 'ObstacleRaised'`).get() as { n: number }).n;
  db.close();
  expect(raised).toBe(recorded);
  expect(dumpReadModels(join(dataDir, 'projections'))).toEqual(await rebuildFromScratch(join(dataDir, 'events.sqlite')));
});
