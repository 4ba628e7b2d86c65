/**
 * `tashil backup` while the real server takes writes, then `tashil restore`
 * into a fresh folder: the backup is a consistent cut (a gap-free prefix of
 * the store), restore refuses while a server runs, and the restored server
 * rebuilds every read model from the events.
 */
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RAISE_OBSTACLE, REGISTER_UNIT, kharazmiUnit } from '../api/operations';
import { dumpReadModels, rebuildFromScratch } from '../support/read-models';
import { killAllServers, REPO_ROOT, startServer } from '../support/server-process';

const cli = (args: string[], dataDir: string) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'src', 'cli.js'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, TASHIL_DATA_DIR: dataDir, NODE_ENV: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });

type Row = { position: number; id: string; stream: string; revision: number; type: string; data: string; metadata: string };
const rows = (file: string): Row[] => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT position, id, stream, revision, type, data, metadata FROM events ORDER BY position').all() as Row[];
  } finally {
    db.close();
  }
};

afterAll(killAllServers);

test('an online backup under load is a consistent prefix, and a restore rebuilds the read models', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tashil-backup-'));
  const server = await startServer({ dataDir, env: { TASHIL_SQLITE_SYNCHRONOUS: 'FULL' } });
  const unitId = (await server.gql(REGISTER_UNIT, { input: kharazmiUnit() })).body.data.registerUnit.unit.id;

  // Writers keep going while the backup runs.
  let writing = true;
  let acknowledged = 0;
  const writers = Array.from({ length: 4 }, async (_, w) => {
    for (let i = 0; writing && i < 400; i++) {
      const r = await server.gql(RAISE_OBSTACLE, { input: { unitId, title: `مانع ${w}-${i}`, category: 'BANKING' } });
      if (!r.body.errors) acknowledged++;
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 150));
  const backupFile = join(mkdtempSync(join(tmpdir(), 'tashil-backup-file-')), 'tashil.backup.sqlite');
  const backup = await cli(['backup', backupFile], dataDir);
  await new Promise((resolve) => setTimeout(resolve, 100));
  writing = false;
  await Promise.all(writers);
  expect(backup.status).toBe(0);
  expect(acknowledged).toBeGreaterThan(0);

  // A consistent cut: positions 1..n without gaps, every stream's revisions without gaps,
  // and each event byte-identical to the live store's event at that position.
  const copied = rows(backupFile);
  const live = rows(join(dataDir, 'events.sqlite'));
  expect(copied.length).toBeGreaterThan(1);
  expect(copied.length).toBeLessThanOrEqual(live.length);
  expect(copied.map((r) => r.position)).toEqual(copied.map((_, i) => i + 1));
  expect(copied).toEqual(live.slice(0, copied.length));
  const revisions = new Map<string, number>();
  for (const r of copied) {
    expect(r.revision).toBe(revisions.get(r.stream) ?? 0);
    revisions.set(r.stream, r.revision + 1);
  }
  expect(JSON.parse(backup.stdout)).toMatchObject({ events: copied.length, headPosition: copied.length });

  // Restore: refused while a server runs on the folder, then into a fresh folder.
  const refused = await cli(['restore', backupFile], dataDir);
  expect(refused.status).not.toBe(0);
  expect(refused.stderr).toMatch(/is running/);
  expect(await server.stop()).toBe(0);

  const restoredDir = mkdtempSync(join(tmpdir(), 'tashil-restored-'));
  const restored = await cli(['restore', backupFile], restoredDir);
  expect(restored.status).toBe(0);
  // The restored events still carry an unbroken hash chain.
  const verified = await cli(['audit', 'verify'], restoredDir);
  expect(verified.status).toBe(0);
  expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });
  const again = await startServer({ dataDir: restoredDir });
  const { units, obstacles } = (await again.gql(`{ units { totalCount } obstacles { totalCount } }`)).body.data;
  expect(units.totalCount).toBe(1);
  expect(obstacles.totalCount).toBe(copied.filter((r) => r.type === 'ObstacleRaised').length);
  expect(await again.stop()).toBe(0);
  expect(dumpReadModels(join(restoredDir, 'projections'))).toEqual(await rebuildFromScratch(join(restoredDir, 'events.sqlite')));
});

test('a backup of a folder without an event store says so and fails', () => {
  const empty = mkdtempSync(join(tmpdir(), 'tashil-empty-'));
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'src', 'cli.js'), 'backup', join(empty, 'x.sqlite')], {
    env: { ...process.env, TASHIL_DATA_DIR: empty },
    encoding: 'utf8',
  });
  expect(result.status).not.toBe(0);
  expect(result.stderr).toMatch(/no event store/);
});
