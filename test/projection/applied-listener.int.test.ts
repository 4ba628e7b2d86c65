/**
 * What the runtime tells its listeners (the live updates' source): after a
 * projection committed a batch, the events it applied and only those; the
 * read model already shows them; a projection that failed on the batch tells
 * nothing; a listener that throws stops no projection.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createSqliteEventStore } from '../../src/eventstore/sqlite';
import type { NewEvent } from '../../src/eventstore/event-store';
import { defineProjection } from '../../src/projection/projection';
import { ProjectionRuntime } from '../../src/projection/runtime';
import { tempDir } from '../support/app';

const event = (type: string, data: Record<string, unknown> = {}): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: { actor: 'test', command: 'Test', commandId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID(), occurredAt: new Date().toISOString() },
});

const counted = defineProjection({
  name: 'counted',
  version: 1,
  description: 'One row per Counted event.',
  schema: `CREATE TABLE counted (position INTEGER PRIMARY KEY)`,
  handlers: { Counted: (e, db) => db.run(`INSERT OR IGNORE INTO counted (position) VALUES (?)`, [e.position]) },
});
const picky = defineProjection({
  name: 'picky',
  version: 1,
  description: 'Fails on a Counted event marked bad.',
  schema: `CREATE TABLE picky (position INTEGER PRIMARY KEY)`,
  handlers: {
    Counted: (e, db) => {
      if (e.data.bad) throw new Error('refused');
      db.run(`INSERT OR IGNORE INTO picky (position) VALUES (?)`, [e.position]);
    },
  },
});

test('listeners hear what each projection committed, after it is readable, and nothing from a failed batch', async () => {
  const dir = tempDir();
  const store = createSqliteEventStore({ path: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
  const runtime = new ProjectionRuntime(store, { directory: join(dir, 'projections'), projections: [counted, picky] });
  await runtime.start();
  const told: { projection: string; positions: bigint[]; rowsVisible: number }[] = [];
  const stop = runtime.onApplied((projection, events) => {
    const rowsVisible = (runtime.reader(projection).prepare(`SELECT COUNT(*) AS n FROM ${projection}`).get() as { n: number }).n;
    told.push({ projection, positions: events.map((e) => e.position), rowsVisible });
  });
  runtime.onApplied(() => {
    throw new Error('a listener in trouble');
  });

  const first = await store.appendToStream('s-1', [event('Counted'), event('Unhandled'), event('Counted')], { expectedRevision: 'no_stream' });
  await runtime.waitForPosition(first.position, 5000);
  const bad = await store.appendToStream('s-2', [event('Counted', { bad: true })], { expectedRevision: 'no_stream' });
  await runtime.waitForPosition(bad.position, 5000, ['counted']);

  const byProjection = (name: string) => told.filter((t) => t.projection === name);
  // Only the handled events, every one of them, each readable when told.
  expect(byProjection('counted').flatMap((t) => t.positions)).toEqual([first.position - 2n, first.position, bad.position]);
  expect(byProjection('counted').every((t) => t.rowsVisible >= t.positions.length)).toBe(true);
  expect(byProjection('counted').at(-1)!.rowsVisible).toBe(3);
  // The picky projection failed on the bad event: it told the first batch, then nothing.
  expect(byProjection('picky').flatMap((t) => t.positions)).toEqual([first.position - 2n, first.position]);
  expect((await runtime.status()).find((p) => p.name === 'picky')!.state).toBe('FAILED');

  stop();
  const after = await store.appendToStream('s-3', [event('Counted')], { expectedRevision: 'no_stream' });
  await runtime.waitForPosition(after.position, 5000, ['counted']);
  expect(told.flatMap((t) => t.positions)).not.toContain(after.position);
  await runtime.stop();
  await store.close();
});
