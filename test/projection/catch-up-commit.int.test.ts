/**
 * A catch-up keeps one transaction open across full batches (fewer, larger
 * commits). What a crash at any moment would leave on disk must still be rows
 * and checkpoint that belong together, and a waiter (read-your-writes) must
 * never be told about an event its reader cannot see yet.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { createSqliteEventStore } from '../../src/eventstore/sqlite';
import { defineProjection, type ProjectionHandler } from '../../src/projection/projection';
import { ProjectionRuntime } from '../../src/projection/runtime';
import { commandsFor, seedScenarios } from '../../src/seed/scenarios';
import { tempDir } from '../support/app';

test('a catch-up that commits in groups leaves only whole commits on disk and tells waiters only what readers see', async () => {
  const store = createSqliteEventStore({ path: join(tempDir(), 'events.sqlite'), synchronous: 'NORMAL' });
  await seedScenarios(commandsFor(store));
  const events = await store.readAll();
  const directory = tempDir();
  const file = join(directory, 'ledger.v1.sqlite');

  // At every event applied: what another connection (a restart after SIGKILL) would find.
  const onDisk: { applying: bigint; checkpoint: bigint; rows: number; last: bigint | null }[] = [];
  const record: ProjectionHandler = (event, db) => {
    db.run(`INSERT INTO seen (position) VALUES (?)`, [event.position]);
    const disk = new Database(file, { readonly: true });
    const { position } = disk.prepare(`SELECT position FROM _checkpoint`).safeIntegers(true).get() as { position: bigint };
    const seen = disk.prepare(`SELECT COUNT(*) AS rows, MAX(position) AS last FROM seen`).safeIntegers(true).get() as { rows: bigint; last: bigint | null };
    disk.close();
    onDisk.push({ applying: event.position, checkpoint: position, rows: Number(seen.rows), last: seen.last });
  };
  const ledger = defineProjection({
    name: 'ledger',
    version: 1,
    description: 'one row per event',
    schema: `CREATE TABLE seen (position INTEGER PRIMARY KEY);`,
    handlers: Object.fromEntries([...new Set(events.map((e) => e.type))].map((type) => [type, record])),
  });
  const runtime = new ProjectionRuntime(store, { directory, projections: [ledger], batchSize: 5 });

  const toldTooEarly: bigint[] = [];
  const waits = events.map((e) =>
    runtime.waitForPosition(e.position, 10_000, ['ledger']).then(() => {
      if (runtime.reader('ledger').prepare(`SELECT 1 FROM seen WHERE position = ?`).get(e.position) === undefined) toldTooEarly.push(e.position);
    }),
  );
  await runtime.start();
  await Promise.all(waits);
  expect(toldTooEarly).toEqual([]);

  expect(onDisk).toHaveLength(events.length);
  for (const snapshot of onDisk) {
    // Exactly the rows of the events up to the checkpoint: nothing missing, nothing ahead of it.
    expect(snapshot.rows).toBe(events.filter((e) => e.position <= snapshot.checkpoint).length);
    expect(snapshot.last ?? 0n).toBeLessThanOrEqual(snapshot.checkpoint);
  }
  // The commits were grouped: at some point several batches were applied but not yet committed.
  expect(onDisk.some((s) => s.applying - s.checkpoint > 5n)).toBe(true);

  const all = runtime.reader('ledger').prepare(`SELECT COUNT(*) AS n FROM seen`).get() as { n: number };
  expect(all.n).toBe(events.length);
  await runtime.stop();
  await store.close();
});
