/**
 * Rebuilds as an operator runs them: `tashil projections rebuild` against the
 * real server with a progress bar, and a SIGKILL in the middle of a rebuild:
 * after the restart the rebuild resumes from its own checkpoint, switches,
 * and the result equals a rebuild from scratch (nothing applied twice).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import units from '../../projections/units';
import { createSqliteEventStore } from '../../src/eventstore/sqlite';
import type { NewEvent } from '../../src/eventstore/event-store';
import { dumpReadModels, rebuildFromScratch } from '../support/read-models';
import { killAllServers, REPO_ROOT, startServer, TEST_JWT_SECRET } from '../support/server-process';

afterAll(killAllServers);

const meta = (command: string) => ({ actor: 'generator', command, commandId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID(), occurredAt: new Date().toISOString() });

/** Many units, each registered and then changing status back and forth: cheap to generate, real to project. */
const generate = async (eventsFile: string, units: number, changesPerUnit: number): Promise<void> => {
  const store = createSqliteEventStore({ path: eventsFile, synchronous: 'NORMAL' });
  const statuses = ['ACTIVE', 'SEMI_ACTIVE', 'INACTIVE'] as const;
  for (let u = 0; u < units; u++) {
    const unitId = randomUUID();
    const events: NewEvent[] = [
      {
        id: randomUUID(),
        type: 'UnitRegistered',
        data: {
          unitId, name: `واحد ${u}`, nationalId: String(11000000000 + u), sector: 'فلزی', province: 'تهران', county: u % 2 ? 'پاکدشت' : 'اسلامشهر',
          location: null, headCount: null, activityStatus: 'ACTIVE', zoneId: null, isicCode: null, capacityUtilisation: null, registeredAt: '2024-11-01T06:00:00.000Z',
        },
        metadata: meta('RegisterUnit'),
        schemaVersion: 2,
      },
    ];
    for (let c = 0; c < changesPerUnit; c++) {
      events.push({
        id: randomUUID(),
        type: 'UnitActivityStatusChanged',
        data: { unitId, from: statuses[c % 3], to: statuses[(c + 1) % 3], reason: `تغییر ${c}`, changedAt: '2024-12-01T06:00:00.000Z' },
        metadata: meta('ChangeUnitActivityStatus'),
      });
    }
    await store.appendToStream(`unit-${unitId}`, events, { expectedRevision: 'no_stream' });
  }
  await store.close();
};

const cli = (args: string[], dataDir: string) => {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'src', 'cli.js'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: '', TASHIL_DATA_DIR: dataDir, TASHIL_JWT_SECRET: TEST_JWT_SECRET },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, done, output: () => ({ stdout, stderr }) };
};

test('a rebuild killed halfway resumes after the restart and ends equal to a fresh rebuild; the CLI shows progress', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tashil-rebuild-'));
  await generate(join(dataDir, 'events.sqlite'), 1500, 20); // 31,500 events
  let server = await startServer({ dataDir, startTimeoutMs: 120_000 });

  const status = cli(['projections', 'status', '--url', server.url], dataDir);
  expect(await status.done).toBe(0);
  expect(status.output().stdout).toMatch(/unit-history\s+v\d+\s+LIVE/);

  // Start a rebuild and kill the server as soon as its new tables exist.
  const next = join(dataDir, 'projections', 'unit-history.v2.next.sqlite');
  const started = await server.gql(`mutation { rebuildProjection(input: { name: "unit-history" }) { state } }`);
  expect(started.body.errors).toBeUndefined();
  for (let i = 0; i < 500 && !existsSync(next); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  await server.kill('SIGKILL');
  expect(existsSync(next)).toBe(true); // interrupted halfway: the new tables were still building

  // Restart: the rebuild resumes from its own checkpoint and switches.
  server = await startServer({ dataDir, startTimeoutMs: 120_000 });
  for (let i = 0; i < 600; i++) {
    const p = (await server.gql(`{ projections { name state rebuild { position } } }`)).body.data.projections.find((x: any) => x.name === 'unit-history');
    if (p.state === 'LIVE' && p.rebuild === null && !existsSync(next)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(existsSync(next)).toBe(false);

  // The CLI's rebuild, followed to the switch with its progress bar.
  const rebuild = cli(['projections', 'rebuild', 'units', '--url', server.url], dataDir);
  expect(await rebuild.done).toBe(0);
  expect(rebuild.output().stderr).toMatch(new RegExp(`\\[#+-*\\]\\s+100%.*units v${units.version} rebuilt and serving`));

  expect(await server.stop()).toBe(0);
  expect(dumpReadModels(join(dataDir, 'projections'))).toEqual(await rebuildFromScratch(join(dataDir, 'events.sqlite')));
}, 300_000);

test('the CLI rebuilds from a position: the new tables hold what happened from there on; a position that is not one changes nothing', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tashil-rebuild-from-'));
  await generate(join(dataDir, 'events.sqlite'), 20, 0); // 20 units, registered at positions 1 to 20
  const server = await startServer({ dataDir, startTimeoutMs: 120_000 });
  const count = async (): Promise<number> => (await server.gql(`{ units { totalCount } }`)).body.data.units.totalCount;
  expect(await count()).toBe(20);

  const refused = cli(['projections', 'rebuild', 'units', '--from', 'sixteen', '--url', server.url], dataDir);
  expect(await refused.done).not.toBe(0);
  expect(refused.output().stderr).toMatch(/fromPosition must be a store position/);
  expect(await count()).toBe(20);

  const rebuild = cli(['projections', 'rebuild', 'units', '--from', '16', '--url', server.url], dataDir);
  expect(await rebuild.done).toBe(0);
  expect(rebuild.output().stderr).toMatch(`units v${units.version} rebuilt and serving`);
  expect(await count()).toBe(5);
  expect(await server.stop()).toBe(0);
}, 300_000);
