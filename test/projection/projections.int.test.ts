/**
 * The projection runtime and the shipped projections over the seed
 * scenarios: replaying is harmless, a rebuild gives exactly the rows live
 * processing gave, and one failing projection stops alone.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { systemPrincipal } from '../../src/auth/principal';
import { FacilitationCommands } from '../../src/commands/facilitation';
import { createSqliteEventStore, type SqliteEventStore } from '../../src/eventstore/sqlite';
import { discoverProjections } from '../../src/projection/discover';
import { defineProjection, readModelDb } from '../../src/projection/projection';
import { ProjectionRuntime } from '../../src/projection/runtime';
import units from '../../projections/units';
import { commandsFor, seedScenarios } from '../../src/seed/scenarios';
import { startTestApp, tempDir } from '../support/app';
import { checkpoints, dumpReadModels, rebuildFromScratch } from '../support/read-models';

const headOf = (file: string): bigint => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT MAX(position) FROM events').pluck().safeIntegers(true).get() as bigint;
  } finally {
    db.close();
  }
};

const seededStore = async (): Promise<SqliteEventStore> => {
  const store = createSqliteEventStore({ path: join(tempDir(), 'events.sqlite'), synchronous: 'NORMAL' });
  await seedScenarios(commandsFor(store));
  return store;
};

test('the shipped projections are found in projections/ without any registration', () => {
  expect(discoverProjections().map((p) => p.name).sort()).toEqual(expect.arrayContaining(['agencies', 'meetings', 'obstacles', 'search', 'unit-history', 'units', 'workgroups', 'zones', 'commitments', 'escalations', 'resolutions', 'visits', 'causation']));
});

test('applying every event a second time changes no row of any projection', async () => {
  const store = await seededStore();
  const events = await store.readAll();
  for (const projection of discoverProjections()) {
    const db = new Database(':memory:');
    db.exec(projection.schema);
    const rm = readModelDb(db);
    const applyAll = () => {
      for (const event of events) projection.handlers[event.type]?.(event, rm);
    };
    const dump = () =>
      (
        db
          .prepare(
            `SELECT name FROM sqlite_master t WHERE type = 'table'
             AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.sql LIKE 'CREATE VIRTUAL TABLE%' AND t.name LIKE v.name || '\\_%' ESCAPE '\\')
             ORDER BY name`,
          )
          .all() as { name: string }[]
      ).map(({ name }) => ({
        name,
        rows: db.prepare(`SELECT * FROM "${name}" ORDER BY 1, 2`).all(),
      }));
    applyAll();
    const once = dump();
    expect(once.some((t) => t.rows.length > 0)).toBe(true);
    applyAll();
    expect(dump()).toEqual(once);
    db.close();
  }
  await store.close();
});

test('a rebuild from position 0 gives exactly the rows live processing gave, and a restart re-applies nothing', async () => {
  const t = await startTestApp();
  await seedScenarios(t.app);
  await t.app.runtime.waitForPosition(await t.app.store.headPosition(), 10_000);
  const directory = join(t.dataDir, 'projections');
  const live = dumpReadModels(directory);
  await t.app.close();
  // Read after closing: a projection's checkpoint may trail across events it has no handler for until then.
  const atClose = checkpoints(directory);
  expect(new Set(Object.values(atClose))).toEqual(new Set([await headOf(join(t.dataDir, 'events.sqlite'))]));

  expect(Object.keys(live)).toHaveLength(discoverProjections().length);
  expect(live[`units.v${units.version}.sqlite`]!.units).toHaveLength(5);
  expect(await rebuildFromScratch(join(t.dataDir, 'events.sqlite'))).toEqual(live);

  // Restarting on the same folder resumes from the checkpoints: nothing is applied twice.
  const again = await startTestApp({ dataDir: t.dataDir });
  expect(checkpoints(directory)).toEqual(atClose);
  expect(dumpReadModels(directory)).toEqual(live);
  await again.close();
});

test('seeding twice records nothing new (every seed command carries an idempotency key)', async () => {
  const store = await seededStore();
  const head = await store.headPosition();
  await seedScenarios(commandsFor(store));
  expect(await store.headPosition()).toBe(head);
  await store.close();
});

test('when start resolves, every projection already holds every event recorded before it (what readiness reports)', async () => {
  const store = await seededStore();
  const head = await store.headPosition();
  const runtime = new ProjectionRuntime(store, { directory: tempDir(), projections: discoverProjections() });

  await runtime.start();

  // No wait here: the last batch before the head must be applied before start resolves, not a turn later.
  for (const status of await runtime.status()) expect(status).toMatchObject({ state: 'LIVE', position: head, lagEvents: 0n });
  const units = runtime.reader('units').prepare(`SELECT COUNT(*) AS n FROM units`).get() as { n: number };
  expect(units.n).toBe(5);
  await runtime.stop();
  await store.close();
});

test('a handler that throws stops only its projection, at that event, with nothing of the batch kept', async () => {
  const store = await seededStore();
  const events = await store.readAll();
  const poison = events.find((e) => e.type === 'MeetingHeld')!;
  const fragile = defineProjection({
    name: 'fragile',
    version: 1,
    description: 'fails on the first held meeting',
    schema: `CREATE TABLE seen (position INTEGER PRIMARY KEY, type TEXT NOT NULL);`,
    handlers: Object.fromEntries(
      [...new Set(events.map((e) => e.type))].map((type) => [
        type,
        (event, db) => {
          db.run(`INSERT INTO seen (position, type) VALUES (?, ?)`, [event.position, event.type]);
          if (event.id === poison.id) throw new Error('the analyst forgot a null check');
        },
      ]),
    ),
  });
  const directory = tempDir();
  const runtime = new ProjectionRuntime(store, { directory, projections: [fragile, ...discoverProjections()], batchSize: 1 });
  await runtime.start();
  await runtime.waitForPosition(await store.headPosition(), 10_000);

  const status = Object.fromEntries((await runtime.status()).map((s) => [s.name, s]));
  expect(status.fragile).toMatchObject({ state: 'FAILED', position: poison.position - 1n, lastError: { message: 'the analyst forgot a null check', position: poison.position } });
  for (const name of ['units', 'obstacles', 'meetings', 'unit-history']) expect(status[name]).toMatchObject({ state: 'LIVE', lagEvents: 0n });

  // Rows and checkpoint commit together: the failed event left no row behind.
  const seen = runtime.reader('fragile').prepare(`SELECT MAX(position) AS last FROM seen`).safeIntegers(true).get() as { last: bigint };
  expect(seen.last).toBe(poison.position - 1n);
  await expect(runtime.waitForPosition(poison.position, 1000, ['fragile'])).rejects.toThrow(/fragile stopped at position/);

  // The other projections keep following new events.
  await new FacilitationCommands(store).registerUnit(
    { name: 'ابتکار پلاستیک ۲', nationalId: '10100000099', sector: 'پلاستیک', province: 'تهران', county: 'پاکدشت', activityStatus: 'ACTIVE' },
    { principal: systemPrincipal('test'), now: new Date() },
  );
  await runtime.waitForPosition(await store.headPosition(), 10_000);
  expect((await runtime.status()).find((s) => s.name === 'fragile')!.state).toBe('FAILED');
  await runtime.stop();
  await store.close();
});

test('a mutation whose read model does not catch up in time says so instead of returning stale data', async () => {
  const t = await startTestApp({ env: { TASHIL_READ_YOUR_WRITES_TIMEOUT_MS: '200' } });
  t.app.runtime.pause('units');
  const register = `mutation { registerUnit(input: { name: "سرعت خانه ساز", nationalId: "10100000002", sector: "مصالح",
    province: "تهران", county: "پاکدشت", activityStatus: ACTIVE }) { position unit { id } } }`;
  const { errors } = await t.exec(register);
  expect(errors![0].extensions).toMatchObject({ code: 'READ_MODEL_TIMEOUT', behind: ['units'] });
  expect(errors![0].message).toMatch(/recorded at position \d+/);
  // The command was recorded; once the projection resumes, the unit is there.
  expect(await t.app.store.headPosition()).toBe(2n);
  await t.app.runtime.resume('units');
  await t.app.runtime.waitForPosition(2n, 5000);
  const { units } = await t.ok(`{ units { totalCount edges { node { name } } } }`);
  expect(units).toEqual({ totalCount: 1, edges: [{ node: { name: 'سرعت خانه ساز' } }] });
  await t.close();
});
