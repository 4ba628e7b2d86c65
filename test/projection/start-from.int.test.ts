/**
 * Replay from a point, not only from the first event: a projection whose
 * definition starts at a store position or a recorded time, and a rebuild
 * asked to replay from a position (over GraphQL). What came before is never
 * applied; everything from there on is, live events included.
 */
import { join } from 'node:path';
import { systemPrincipal } from '../../src/auth/principal';
import { FacilitationCommands } from '../../src/commands/facilitation';
import { createSqliteEventStore, type SqliteEventStore } from '../../src/eventstore/sqlite';
import type { RecordedEvent } from '../../src/eventstore/event-store';
import { defineProjection, type ProjectionDefinition } from '../../src/projection/projection';
import { ProjectionRuntime } from '../../src/projection/runtime';
import { seedScenarios } from '../../src/seed/scenarios';
import { kharazmiUnit } from '../api/operations';
import { startTestApp, tempDir } from '../support/app';


/** Units registered, one row each with the position it was registered at; `seen` gets every event a handler was called with. */
const unitsFrom = (startFrom: ProjectionDefinition['startFrom'], seen: RecordedEvent[] = []) =>
  defineProjection({
    name: 'units-from',
    version: 1,
    description: 'units registered from a point on',
    schema: `CREATE TABLE units_from (unit_id TEXT PRIMARY KEY, position INTEGER NOT NULL);`,
    handlers: {
      UnitRegistered: (event, db) => {
        seen.push(event);
        db.run(`INSERT OR IGNORE INTO units_from (unit_id, position) VALUES (?, ?)`, [event.data.unitId, event.position]);
      },
    },
    ...(startFrom ? { startFrom } : {}),
  });

const register = async (commands: FacilitationCommands, n: number, from: number): Promise<void> => {
  for (let i = 0; i < n; i++) {
    const input = kharazmiUnit({ nationalId: String(10_500_000_000 + from + i), name: `واحد ${from + i}` }) as Parameters<FacilitationCommands['registerUnit']>[0];
    await commands.registerUnit(input, {
      principal: systemPrincipal(),
      now: new Date(),
    });
  }
};

const setUp = async (): Promise<{ directory: string; store: SqliteEventStore; commands: FacilitationCommands }> => {
  const directory = tempDir('tashil-start-from-');
  const store = createSqliteEventStore({ path: join(directory, 'events.sqlite'), synchronous: 'NORMAL' });
  return { directory, store, commands: new FacilitationCommands(store) };
};

const registeredAt = async (store: SqliteEventStore): Promise<bigint[]> =>
  (await store.readAll({ eventTypes: ['UnitRegistered'] })).map((e) => e.position);

test('a projection that starts at a position applies nothing before it and everything from it on, live events included', async () => {
  const { directory, store, commands } = await setUp();
  await register(commands, 6, 0);
  const start = (await registeredAt(store))[3]!;
  const seen: RecordedEvent[] = [];
  const runtime = new ProjectionRuntime(store, { directory: join(directory, 'projections'), projections: [unitsFrom({ position: start }, seen)] });
  await runtime.start();
  await register(commands, 1, 100);
  await runtime.waitForPosition(await store.headPosition(), 5_000);
  const rows = runtime.reader('units-from').prepare(`SELECT position FROM units_from ORDER BY position`).all() as { position: number }[];
  const expected = (await registeredAt(store)).filter((p) => p >= start).map(Number);
  expect(rows.map((r) => r.position)).toEqual(expected);
  expect(expected).toHaveLength(4); // three of the six, and the live one
  expect(Math.min(...seen.map((e) => Number(e.position)))).toBe(Number(start));
  await runtime.stop();
  await store.close();
});

test('a projection that starts at a recorded time passes over the events recorded before it', async () => {
  const { directory, store, commands } = await setUp();
  await register(commands, 3, 0);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const cut = new Date();
  await new Promise((resolve) => setTimeout(resolve, 5));
  await register(commands, 2, 10);
  const runtime = new ProjectionRuntime(store, { directory: join(directory, 'projections'), projections: [unitsFrom({ recordedAt: cut.toISOString() })] });
  await runtime.start();
  await runtime.waitForPosition(await store.headPosition(), 5_000);
  const rows = runtime.reader('units-from').prepare(`SELECT position FROM units_from ORDER BY position`).all() as { position: number }[];
  const after = (await store.readAll({ eventTypes: ['UnitRegistered'] })).filter((e) => e.recordedAt >= cut).map((e) => Number(e.position));
  expect(after).toHaveLength(2);
  expect(rows.map((r) => r.position)).toEqual(after);
  await runtime.stop();
  await store.close();
});

test('a definition refuses a start before the first position or at a time that does not parse', () => {
  expect(() => unitsFrom({ position: 0n })).toThrow(/startFrom.position/);
  expect(() => unitsFrom({ recordedAt: 'Nowruz' })).toThrow(/startFrom.recordedAt/);
});

test('rebuildProjection with fromPosition: the new tables hold what happened from there on; a malformed position is BAD_USER_INPUT and starts nothing', async () => {
  const t = await startTestApp();
  await seedScenarios(t.app);
  await t.app.runtime.waitForPosition(await t.app.store.headPosition(), 10_000);
  const registered = (await t.app.store.readAll({ eventTypes: ['UnitRegistered'] })).map((e) => e.position);
  expect(registered.length).toBe(5);
  const REBUILD = `mutation ($from: String) { rebuildProjection(input: { name: "units" }, fromPosition: $from) { name } }`;

  // 2^63 is one past the largest position a store holds; 2^63 - 1 itself is accepted (a rebuild that finds nothing).
  for (const from of ['0', '-3', 'سه', '1.5', '007', '9223372036854775808', '99999999999999999999999']) {
    const { errors } = await t.exec(REBUILD, { from });
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'fromPosition', messages: [expect.any(String)] }] });
  }
  expect((await t.app.runtime.status()).find((s) => s.name === 'units')!.rebuild).toBeNull();

  expect((await t.exec(REBUILD, { from: String(registered[2]) })).errors).toBeUndefined();
  await t.app.runtime.rebuild('units');
  expect((await t.ok(`{ units { totalCount } }`)).units.totalCount).toBe(3);
  await t.close();
});
