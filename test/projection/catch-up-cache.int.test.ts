/**
 * A projection replaying history writes with a small page cache (seventeen
 * writers each filling SQLite's default made memory grow over a rebuild), and
 * gets SQLite's default back once live, where it serves every new event.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createSqliteEventStore } from '../../src/eventstore/sqlite';
import { defineProjection } from '../../src/projection/projection';
import { ProjectionRuntime } from '../../src/projection/runtime';
import { commandsFor, seedScenarios } from '../../src/seed/scenarios';
import { tempDir } from '../support/app';

const SQLITE_DEFAULT_CACHE = (() => {
  const db = new Database(':memory:');
  try {
    return db.pragma('cache_size', { simple: true }) as number;
  } finally {
    db.close();
  }
})();

test('the writer replays history with a 4 MB page cache and has the default back once live', async () => {
  const directory = tempDir();
  const store = createSqliteEventStore({ path: join(directory, 'events.sqlite'), synchronous: 'NORMAL' });
  await seedScenarios(commandsFor(store));
  const seen: { live: boolean; cacheSize: number }[] = [];
  let live = false;
  const projection = defineProjection({
    name: 'cache-watch',
    version: 1,
    description: 'records the page cache its handler writes with',
    schema: `CREATE TABLE units (unit_id TEXT PRIMARY KEY);`,
    handlers: {
      UnitRegistered: (event, db) => {
        seen.push({ live, cacheSize: db.get<{ cache_size: number }>('PRAGMA cache_size')!.cache_size });
        db.run(`INSERT OR IGNORE INTO units (unit_id) VALUES (?)`, [event.data.unitId]);
      },
    },
  });
  const runtime = new ProjectionRuntime(store, { directory, projections: [projection], batchSize: 2 });
  try {
    await runtime.start();
    live = true;
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => s.cacheSize === -4000)).toBe(true);
    expect(SQLITE_DEFAULT_CACHE).not.toBe(-4000);

    const id = randomUUID();
    const metadata = { actor: 'test', command: 'RegisterUnit', commandId: id, correlationId: id, causationId: id, occurredAt: new Date().toISOString() };
    const appended = await store.appendToStream('Unit-live', [{ id, type: 'UnitRegistered', data: { unitId: 'live' }, metadata }], { expectedRevision: 'no_stream' });
    await runtime.waitForPosition(appended.position, 5_000);
    expect(seen.filter((s) => s.live)).toEqual([{ live: true, cacheSize: SQLITE_DEFAULT_CACHE }]);
  } finally {
    await runtime.stop();
    await store.close();
  }
});
