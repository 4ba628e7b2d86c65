/**
 * A subscription that dies without a word (EventStoreDB clients have stopped
 * delivering after a keep-alive lapse or a leader change, with no error and no
 * drop callback) must not leave the projections behind for good. No store can be
 * made to do that on demand, so the real SQLite store's subscription is wrapped:
 * once told to, it swallows what it reads and never errs. The runtime must notice
 * that events wait and nothing arrives, and subscribe again from its checkpoints.
 */
import { join } from 'node:path';
import { systemPrincipal } from '../../src/auth/principal';
import { FacilitationCommands } from '../../src/commands/facilitation';
import type { EventStore, Subscription } from '../../src/eventstore/event-store';
import { createSqliteEventStore } from '../../src/eventstore/sqlite';
import { createMetrics, watchProjections } from '../../src/metrics';
import { defineProjection } from '../../src/projection/projection';
import { ProjectionRuntime, ReadModelTimeout } from '../../src/projection/runtime';
import { kharazmiUnit } from '../api/operations';
import { tempDir } from '../support/app';

const units = defineProjection({
  name: 'units-seen',
  version: 1,
  description: 'one row per unit registered',
  schema: `CREATE TABLE units_seen (unit_id TEXT PRIMARY KEY);`,
  handlers: { UnitRegistered: (event, db) => db.run(`INSERT OR IGNORE INTO units_seen (unit_id) VALUES (?)`, [event.data.unitId]) },
});

/**
 * The real store, whose subscriptions can be silenced: `silence(n)` makes the n-th one
 * opened (from 1) swallow what it reads, now or from its start; later ones work, as
 * after a reconnection.
 */
const withSilenceableSubscriptions = (store: EventStore): { store: EventStore; silence: (n: number) => void } => {
  const silent = new Set<number>();
  let opened = 0;
  const subscribe = (options: Parameters<EventStore['subscribeToAll']>[0]): Subscription => {
    const inner = store.subscribeToAll(options);
    const index = ++opened;
    let closed!: () => void;
    const closing = new Promise<IteratorResult<never>>((resolve) => (closed = () => resolve({ done: true, value: undefined })));
    return {
      caughtUp: inner.caughtUp,
      close: async () => {
        closed();
        await inner.close();
      },
      [Symbol.asyncIterator]() {
        const events = inner[Symbol.asyncIterator]();
        return {
          next: async () => {
            const result = await Promise.race([events.next(), closing]);
            return silent.has(index) ? closing : result; // swallowed: nothing delivered, no error, until closed
          },
          return: async () => {
            closed();
            await inner.close();
            return { done: true, value: undefined };
          },
        };
      },
    };
  };
  return {
    store: new Proxy(store, { get: (target, property, receiver) => (property === 'subscribeToAll' ? subscribe : Reflect.get(target, property, receiver)) }),
    silence: (n) => void silent.add(n),
  };
};

const setUp = async (stallCheckMs: number) => {
  const directory = tempDir('tashil-stall-');
  const real = createSqliteEventStore({ path: join(directory, 'events.sqlite'), synchronous: 'NORMAL' });
  const { store, silence } = withSilenceableSubscriptions(real);
  const commands = new FacilitationCommands(real);
  let n = 0;
  const register = () =>
    commands.registerUnit(kharazmiUnit({ nationalId: String(10_600_000_000 + n), name: `واحد ${n++}` }) as Parameters<FacilitationCommands['registerUnit']>[0], {
      principal: systemPrincipal(),
      now: new Date(),
    });
  const logged: { message: string; fields?: Record<string, unknown> }[] = [];
  const runtime = new ProjectionRuntime(store, {
    directory: join(directory, 'projections'),
    projections: [units],
    stallCheckMs,
    log: (message, fields) => logged.push({ message, ...(fields ? { fields } : {}) }),
  });
  await runtime.start();
  const count = (): number => (runtime.reader('units-seen').prepare(`SELECT count(*) AS n FROM units_seen`).get() as { n: number }).n;
  const close = async () => {
    await runtime.stop();
    await real.close();
  };
  return { real, silence, register, runtime, count, logged, close };
};

test('a subscription that goes silent is noticed and opened again from the checkpoints: nothing is lost, and it is logged and counted', async () => {
  const t = await setUp(100);
  await t.register();
  await t.runtime.waitForPosition(await t.real.headPosition(), 5_000);
  expect(t.count()).toBe(1);

  t.silence(1); // the live loop's
  await t.register();
  await t.register();
  await t.runtime.waitForPosition(await t.real.headPosition(), 10_000);
  expect(t.count()).toBe(3);
  expect(t.runtime.stalls).toBe(1);
  expect(t.logged.find((l) => l.message === 'event store subscription stalled; resubscribing from the checkpoints')?.fields).toMatchObject({ delivered: expect.any(String), head: expect.any(String) });

  const metrics = createMetrics();
  watchProjections(metrics, t.runtime);
  expect(await metrics.registry.metrics()).toMatch(/^tashil_projection_subscription_stalls_total 1$/m);

  // Live again: later events arrive as before, with no further resubscription.
  await t.register();
  await t.runtime.waitForPosition(await t.real.headPosition(), 5_000);
  expect(t.count()).toBe(4);
  expect(t.runtime.stalls).toBe(1);
  await t.close();
});

test('a rebuild whose subscription goes silent is reopened from its own checkpoint, and switches', async () => {
  const t = await setUp(100);
  for (let i = 0; i < 3; i++) await t.register();
  await t.runtime.waitForPosition(await t.real.headPosition(), 5_000);
  t.silence(2); // the rebuild's, silent from its start
  await t.runtime.rebuild('units-seen');
  expect(t.runtime.stalls).toBe(1);
  expect(t.count()).toBe(3);
  await t.register();
  await t.runtime.waitForPosition(await t.real.headPosition(), 5_000);
  expect(t.count()).toBe(4);
  await t.close();
});

test('a quiet store is not a stall: with nothing waiting, the subscription is left alone', async () => {
  const t = await setUp(50);
  await t.register();
  await t.runtime.waitForPosition(await t.real.headPosition(), 5_000);
  await new Promise((resolve) => setTimeout(resolve, 500)); // ten checks with nothing new
  expect(t.runtime.stalls).toBe(0);
  await t.close();
});

test('without the check, the silent subscription would leave the projections behind for good (what the check is for)', async () => {
  const t = await setUp(0);
  await t.register();
  await t.runtime.waitForPosition(await t.real.headPosition(), 5_000);
  t.silence(1); // the live loop's
  await t.register();
  await expect(t.runtime.waitForPosition(await t.real.headPosition(), 1_000)).rejects.toBeInstanceOf(ReadModelTimeout);
  expect(t.count()).toBe(1);
  expect(t.runtime.stalls).toBe(0);
  await t.close();
});
