/**
 * Zero-downtime rebuilds: the current tables keep serving while new ones
 * fill from the first event, then the runtime switches in one step. Events
 * that arrive during the rebuild are applied exactly once; a new version
 * rebuilds by itself at start-up; an operator can pass over a poison event.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { systemPrincipal } from '../../src/auth/principal';
import { FacilitationCommands } from '../../src/commands/facilitation';
import { createSqliteEventStore } from '../../src/eventstore/sqlite';
import { defineProjection } from '../../src/projection/projection';
import { ProjectionRuntime } from '../../src/projection/runtime';
import units from '../../projections/units';
import { commandsFor, seedScenarios } from '../../src/seed/scenarios';
import { startTestApp, tempDir } from '../support/app';
import { dumpReadModels, rebuildFromScratch } from '../support/read-models';
import { REGISTER_UNIT, kharazmiUnit } from '../api/operations';

test('a rebuild while commands keep arriving ends with every event applied once, equal to a fresh rebuild', async () => {
  const t = await startTestApp();
  for (let i = 0; i < 40; i++) await t.ok(REGISTER_UNIT, { input: kharazmiUnit({ nationalId: String(10600000000 + i), name: `واحد ${i}` }) });
  const rebuilt = t.app.runtime.rebuild('unit-history');
  const writes = Array.from({ length: 30 }, (_, i) => t.ok(REGISTER_UNIT, { input: kharazmiUnit({ nationalId: String(10700000000 + i) }) }));
  await Promise.all([rebuilt, ...writes]);
  await t.app.runtime.waitForPosition(await t.app.store.headPosition(), 10_000);
  const status = (await t.app.runtime.status()).find((s) => s.name === 'unit-history')!;
  expect(status).toMatchObject({ state: 'LIVE', rebuild: null, lagEvents: 0n });
  const { units } = await t.ok(`{ units(first: 1) { edges { node { history { totalCount } } } } }`);
  expect(units.edges[0].node.history.totalCount).toBe(1);
  const dataDir = t.dataDir;
  const live = dumpReadModels(join(dataDir, 'projections'));
  await t.app.close();
  expect(live).toEqual(await rebuildFromScratch(join(dataDir, 'events.sqlite')));
  expect(existsSync(join(dataDir, 'projections', 'unit-history.v2.next.sqlite'))).toBe(false);
});

test('rebuildProjection over GraphQL answers at once with the rebuild under way, and the old tables keep answering', async () => {
  const t = await startTestApp();
  await seedScenarios(t.app);
  await t.app.runtime.waitForPosition(await t.app.store.headPosition(), 10_000);
  const { rebuildProjection } = await t.ok(`mutation { rebuildProjection(input: { name: "units" }) { name state version } }`);
  expect(rebuildProjection).toMatchObject({ name: 'units', version: units.version });
  expect(['REBUILDING', 'LIVE']).toContain(rebuildProjection.state);
  expect((await t.ok(`{ units { totalCount } }`)).units.totalCount).toBe(5);
  await t.app.runtime.rebuild('units');
  expect((await t.ok(`{ units { totalCount } }`)).units.totalCount).toBe(5);
  const unknown = await t.exec(`mutation { rebuildProjection(input: { name: "nothing-here" }) { name } }`);
  expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  await t.close();
});

const counter = (version: number) =>
  defineProjection({
    name: 'unit-count',
    version,
    description: 'units per county',
    schema:
      version === 1
        ? `CREATE TABLE unit_count (county TEXT PRIMARY KEY, n INTEGER NOT NULL);`
        : `CREATE TABLE unit_count (county TEXT PRIMARY KEY, n INTEGER NOT NULL, province TEXT NOT NULL);`,
    handlers: {
      UnitRegistered: (event, db) =>
        version === 1
          ? db.run(`INSERT INTO unit_count (county, n) VALUES (?, 1) ON CONFLICT (county) DO UPDATE SET n = n + 1`, [event.data.county])
          : db.run(`INSERT INTO unit_count (county, n, province) VALUES (?, 1, ?) ON CONFLICT (county) DO UPDATE SET n = n + 1`, [
              event.data.county,
              event.data.province,
            ]),
    },
  });

test('a new version of a projection rebuilds at start-up while the old version keeps serving, then replaces it', async () => {
  const directory = tempDir();
  const store = createSqliteEventStore({ path: join(directory, 'events.sqlite'), synchronous: 'NORMAL' });
  await seedScenarios(commandsFor(store));
  const v1 = new ProjectionRuntime(store, { directory, projections: [counter(1)] });
  await v1.start();
  await v1.waitForPosition(await store.headPosition(), 5000);
  await v1.stop();

  const v2 = new ProjectionRuntime(store, { directory, projections: [counter(2)], batchSize: 1 });
  await v2.start(); // does not wait for the rebuild
  const during = (await v2.status())[0]!;
  if (during.state === 'REBUILDING') {
    expect(during.version).toBe(1);
    // Served from the v1 tables meanwhile.
    expect(v2.reader('unit-count').prepare(`SELECT SUM(n) AS n FROM unit_count`).get()).toEqual({ n: 5 });
  }
  await v2.rebuild('unit-count');
  expect((await v2.status())[0]).toMatchObject({ state: 'LIVE', version: 2 });
  expect(v2.reader('unit-count').prepare(`SELECT county, n, province FROM unit_count ORDER BY county`).all()).toEqual([
    { county: 'اسلامشهر', n: 1, province: 'تهران' },
    { county: 'پاکدشت', n: 4, province: 'تهران' },
  ]);
  expect(existsSync(join(directory, 'unit-count.v1.sqlite'))).toBe(false);
  await v2.stop();
  await store.close();
});

test('an operator passes over a poison event explicitly; the skip is recorded and the projection goes on', async () => {
  const directory = tempDir();
  const store = createSqliteEventStore({ path: join(directory, 'events.sqlite'), synchronous: 'NORMAL' });
  await seedScenarios(commandsFor(store));
  const poison = (await store.readAll()).find((e) => e.type === 'UnitActivityStatusChanged')!;
  const picky = defineProjection({
    name: 'picky',
    version: 1,
    description: 'fails on one event',
    schema: `CREATE TABLE seen (position INTEGER PRIMARY KEY);`,
    handlers: {
      UnitRegistered: (e, db) => db.run(`INSERT OR IGNORE INTO seen VALUES (?)`, [e.position]),
      UnitActivityStatusChanged: (e, db) => {
        if (e.id === poison.id) throw new Error('cannot read this one');
        db.run(`INSERT OR IGNORE INTO seen VALUES (?)`, [e.position]);
      },
    },
  });
  const runtime = new ProjectionRuntime(store, { directory, projections: [picky] });
  await runtime.start();
  await expect(runtime.waitForPosition(await store.headPosition(), 2000, ['picky'])).rejects.toThrow(/picky stopped at position/);
  await runtime.skip('picky', poison.position, 'a typo in the old data; verified by hand', 'operator-1');
  await new FacilitationCommands(store).changeUnitActivityStatus(
    { unitId: poison.data.unitId as string, status: 'SEMI_ACTIVE', reason: 'کاهش سفارش' },
    { principal: systemPrincipal('test'), now: new Date() },
  );
  await runtime.waitForPosition(await store.headPosition(), 5000, ['picky']);
  expect((await runtime.status())[0]).toMatchObject({ state: 'LIVE', lastError: null });
  expect(runtime.reader('picky').prepare(`SELECT position, reason, actor, error FROM _skipped`).safeIntegers(false).all()).toEqual([
    { position: Number(poison.position), reason: 'a typo in the old data; verified by hand', actor: 'operator-1', error: 'cannot read this one' },
  ]);
  await runtime.stop();
  await store.close();
});
