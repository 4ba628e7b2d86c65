/**
 * What only the SQLite adapter has: a file other processes open, pragmas,
 * schema versioning, polling across store instances, and the translation of
 * SQLite's own failures.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import ts from 'typescript';
import { DuplicateEventId, EventStoreUnavailable, ExpectedRevisionConflict } from '../../src/eventstore/errors';
import type { NewEvent, RecordedEvent, Subscription } from '../../src/eventstore/event-store';
import { createSqliteEventStore, type SqliteEventStore } from '../../src/eventstore/sqlite';

const newEvent = (type = 'SqliteTest', data: Record<string, unknown> = {}, id: string = randomUUID()): NewEvent => ({
  id,
  type,
  data,
  metadata: {
    actor: 'sqlite-test',
    command: 'SqliteTest',
    commandId: randomUUID(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
    occurredAt: new Date().toISOString(),
  },
});

const events = (count: number): NewEvent[] => Array.from({ length: count }, (_, index) => newEvent('SqliteTest', { index }));

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

async function nextWithin<T>(iterator: AsyncIterator<T>, ms: number): Promise<IteratorResult<T> | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([iterator.next(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function take(subscription: Subscription, count: number, timeoutMs: number): Promise<RecordedEvent[]> {
  const iterator = subscription[Symbol.asyncIterator]();
  const taken: RecordedEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  while (taken.length < count) {
    const result = await nextWithin(iterator, Math.max(1, deadline - Date.now()));
    if (result === 'timeout') throw new Error(`got ${taken.length} of ${count} events before the timeout`);
    if (result.done) throw new Error(`subscription ended after ${taken.length} of ${count} events`);
    taken.push(result.value);
  }
  return taken;
}

describe('SQLite event store specifics', () => {
  let dir: string;
  let file: string;
  const toClose: Array<{ close(): unknown }> = [];

  const open = (options: Partial<Parameters<typeof createSqliteEventStore>[0]> = {}): SqliteEventStore => {
    const store = createSqliteEventStore({ path: file, ...options });
    toClose.push(store);
    return store;
  };

  const rawConnection = (options?: Database.Options): Database.Database => {
    const db = new Database(file, options);
    toClose.push(db);
    return db;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tashil-sqlite-'));
    file = path.join(dir, 'events.db');
  });

  afterEach(async () => {
    for (const handle of toClose.splice(0).reverse()) await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('file and connection settings', () => {
    it('runs with WAL, synchronous FULL by default, busy_timeout 5000 and foreign keys', () => {
      const store = open();

      expect(store.path).toBe(file);
      expect(store.kind).toBe('sqlite');
      expect(store.pragmas()).toEqual({
        journalMode: 'wal',
        synchronous: 2,
        busyTimeoutMs: 5000,
        foreignKeys: true,
        userVersion: 1,
      });
      // WAL is a property of the file, so another connection sees it too.
      expect(rawConnection({ readonly: true }).pragma('journal_mode', { simple: true })).toBe('wal');
    });

    it('runs with synchronous NORMAL when asked', () => {
      expect(open({ synchronous: 'NORMAL' }).pragmas().synchronous).toBe(1);
    });

    it('rejects settings that are not documented', () => {
      expect(() => open({ synchronous: 'OFF' as 'FULL' })).toThrow(TypeError);
      expect(() => open({ pollIntervalMs: 0 })).toThrow(RangeError);
    });

    it('creates the documented schema, idempotently', async () => {
      const first = open();
      await first.appendToStream('unit-1', events(1), { expectedRevision: 'no_stream' });
      await first.close();
      open(); // reopening must not fail or touch the data

      const db = rawConnection({ readonly: true });
      const columns = db.prepare('PRAGMA table_info(events)').all() as Array<{ name: string; type: string; notnull: number; pk: number }>;
      expect(columns.map((column) => [column.name, column.type, column.notnull, column.pk])).toEqual([
        ['position', 'INTEGER', 0, 1],
        ['id', 'TEXT', 1, 0],
        ['stream', 'TEXT', 1, 0],
        ['revision', 'INTEGER', 1, 0],
        ['type', 'TEXT', 1, 0],
        ['schema_version', 'INTEGER', 1, 0],
        ['data', 'TEXT', 1, 0],
        ['metadata', 'TEXT', 1, 0],
        ['recorded_at', 'TEXT', 1, 0],
      ]);
      const indexes = db.prepare('PRAGMA index_list(events)').all() as Array<{ name: string; unique: number }>;
      const indexColumns = (name: string): string[] =>
        (db.prepare(`PRAGMA index_info("${name}")`).all() as Array<{ name: string }>).map((column) => column.name);
      const described = indexes.map((index) => ({ unique: index.unique, columns: indexColumns(index.name) }));
      expect(described).toEqual(
        expect.arrayContaining([
          { unique: 1, columns: ['id'] },
          { unique: 1, columns: ['stream', 'revision'] },
          { unique: 0, columns: ['type', 'position'] },
        ]),
      );
      expect(db.pragma('user_version', { simple: true })).toBe(1);
      expect(db.prepare('SELECT COUNT(*) FROM events').pluck().get()).toBe(1);
      const row = db.prepare('SELECT recorded_at, data, metadata FROM events').get() as Record<string, string>;
      expect(row.recorded_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(JSON.parse(row.data)).toEqual({ index: 0 });
      expect(JSON.parse(row.metadata).actor).toBe('sqlite-test');
    });

    it('refuses a file written by a newer schema version', () => {
      const db = rawConnection();
      db.pragma('user_version = 99');
      db.close();

      expect(() => open()).toThrow(EventStoreUnavailable);
      expect(() => open()).toThrow(/schema version 99/);
    });
  });

  describe('other connections and restarts', () => {
    it('lets a read-only connection read while the store is open and writing', async () => {
      const store = open();
      await store.appendToStream('unit-a', events(2), { expectedRevision: 'no_stream' });
      const reader = rawConnection({ readonly: true });
      const count = reader.prepare('SELECT COUNT(*) FROM events').pluck();
      expect(count.get()).toBe(2);

      // A reader inside a transaction keeps its snapshot and does not block the writer.
      reader.exec('BEGIN');
      expect(count.get()).toBe(2);
      await store.appendToStream('unit-a', events(3), { expectedRevision: 1n });
      await store.appendToStream('unit-b', events(1), { expectedRevision: 'no_stream' });
      expect(count.get()).toBe(2);
      reader.exec('COMMIT');

      expect(count.get()).toBe(6);
      const streams = reader.prepare('SELECT stream, revision FROM events ORDER BY position').all();
      expect(streams).toEqual([
        { stream: 'unit-a', revision: 0 },
        { stream: 'unit-a', revision: 1 },
        { stream: 'unit-a', revision: 2 },
        { stream: 'unit-a', revision: 3 },
        { stream: 'unit-a', revision: 4 },
        { stream: 'unit-b', revision: 0 },
      ]);
      expect(() => reader.prepare('DELETE FROM events').run()).toThrow(/readonly/i);
    });

    it('keeps the data across close and reopen, and continues the positions', async () => {
      const first = open();
      const batch = events(3);
      const written = await first.appendToStream('obstacle-1', batch, { expectedRevision: 'no_stream' });
      await first.close();

      const second = open();
      const read = await second.readStream('obstacle-1');
      expect(read.map((event) => event.id)).toEqual(batch.map((event) => event.id));
      expect(await second.headPosition()).toBe(written.position);
      // Idempotency survives the restart too.
      expect(await second.appendToStream('obstacle-1', batch, { expectedRevision: 'no_stream' })).toEqual(written);
      const next = await second.appendToStream('obstacle-1', events(1), { expectedRevision: 2n });
      expect(next).toEqual({ nextExpectedRevision: 3n, position: written.position + 1n });
    });

    it('delivers events appended by another store instance on the same file (polling)', async () => {
      const subscriber = open({ pollIntervalMs: 25 });
      const writer = open();
      const subscription = subscriber.subscribeToAll();
      toClose.push(subscription);
      await subscription.caughtUp;

      const pending = take(subscription, 3, 5_000);
      await writer.appendToStream('meeting-1', events(2), { expectedRevision: 'no_stream' });
      await new Promise((resolve) => setTimeout(resolve, 60));
      await writer.appendToStream('meeting-1', events(1), { expectedRevision: 1n });
      const received = await pending;

      expect(received.map((event) => [event.streamName, event.revision, event.position])).toEqual([
        ['meeting-1', 0n, 1n],
        ['meeting-1', 1n, 2n],
        ['meeting-1', 2n, 3n],
      ]);
    });

    it('wakes in-process subscribers at once, without waiting for the poll', async () => {
      const store = open({ pollIntervalMs: 60_000 });
      const subscription = store.subscribeToAll();
      toClose.push(subscription);
      const pending = take(subscription, 1, 2_000);
      await new Promise((resolve) => setTimeout(resolve, 20));

      await store.appendToStream('unit-1', events(1), { expectedRevision: 'no_stream' });

      expect((await pending)[0].position).toBe(1n);
    });
  });

  describe('races between writers', () => {
    it('lets exactly one of many concurrent no_stream appends from two instances win', async () => {
      const first = open();
      const second = open();

      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, index) =>
          (index % 2 === 0 ? first : second).appendToStream('unit-race', events(2), { expectedRevision: 'no_stream' }),
        ),
      );

      const fulfilled = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const rejected = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(9);
      for (const reason of rejected) {
        expect(reason).toBeInstanceOf(ExpectedRevisionConflict);
        expect((reason as ExpectedRevisionConflict).actual).toBe(1n);
      }
      expect(await first.readStream('unit-race')).toHaveLength(2);
    });

    it('turns a UNIQUE violation on (stream, revision) inside the transaction into ExpectedRevisionConflict', async () => {
      const store = open();
      await store.appendToStream('unit-1', events(1), { expectedRevision: 'no_stream' });
      const victim = newEvent();
      // Simulates a writer that slipped a row in between the revision check and the insert.
      rawConnection().exec(`
        CREATE TRIGGER steal_revision BEFORE INSERT ON events WHEN NEW.id = '${victim.id}'
        BEGIN
          INSERT INTO events (id, stream, revision, type, data, metadata, recorded_at)
          VALUES ('thief-' || NEW.id, NEW.stream, NEW.revision, 'Thief', '{}', '{}', '2024-01-01T00:00:00.000Z');
        END;
      `);
      const headBefore = await store.headPosition();

      const error = await rejectionOf(
        store.appendToStream('unit-1', [newEvent(), victim], { expectedRevision: 0n }),
      );

      expect(error).toBeInstanceOf(ExpectedRevisionConflict);
      expect((error as ExpectedRevisionConflict).streamName).toBe('unit-1');
      expect(await store.headPosition()).toBe(headBefore);
      expect(await store.readStream('unit-1')).toHaveLength(1);
    });

    it('turns a UNIQUE violation on id inside the transaction into DuplicateEventId', async () => {
      const store = open();
      const victim = newEvent();
      rawConnection().exec(`
        CREATE TRIGGER steal_id BEFORE INSERT ON events WHEN NEW.id = '${victim.id}'
        BEGIN
          INSERT INTO events (id, stream, revision, type, data, metadata, recorded_at)
          VALUES (NEW.id, 'elsewhere', 0, 'Thief', '{}', '{}', '2024-01-01T00:00:00.000Z');
        END;
      `);

      const error = await rejectionOf(store.appendToStream('unit-1', [newEvent(), victim], { expectedRevision: 'any' }));

      expect(error).toBeInstanceOf(DuplicateEventId);
      expect((error as DuplicateEventId).eventId).toBe(victim.id);
      expect(await store.headPosition()).toBe(0n);
    });

    it('only ever reports success, conflict or duplicate when threads write the same file at once', async () => {
      open(); // creates the schema, so the workers race on appends only
      const moduleDir = path.join(dir, 'compiled');
      compileStoreInto(moduleDir);
      const workers = 4;
      const rounds = 60;
      const barrier = new Int32Array(new SharedArrayBuffer(4));

      const reports = await Promise.all(
        Array.from({ length: workers }, (_, worker) =>
          runWorker({ moduleDir, file, stream: 'unit-contended', worker, rounds, workers, barrier }),
        ),
      );

      const other = reports.flatMap((report) => report.other);
      expect(other).toEqual([]);
      expect(reports.reduce((sum, report) => sum + report.conflict + report.duplicate, 0)).toBeGreaterThan(0);
      const total = reports.reduce((sum, report) => sum + report.ok + report.conflict + report.duplicate, 0);
      expect(total).toBe(workers * rounds);

      const read = await open().readStream('unit-contended');
      expect(read.length).toBeGreaterThan(0);
      expect(read.map((event) => event.revision)).toEqual(read.map((_, index) => BigInt(index)));
      for (let i = 1; i < read.length; i++) expect(read[i].position).toBeGreaterThan(read[i - 1].position);
      expect(new Set(read.map((event) => event.id)).size).toBe(read.length);
    });

    it('reports a writer that holds the lock for longer than busy_timeout as EventStoreUnavailable', async () => {
      const store = open();
      await store.appendToStream('unit-1', events(1), { expectedRevision: 'no_stream' });
      const blocker = rawConnection();
      blocker.exec('BEGIN IMMEDIATE');

      const error = await rejectionOf(store.appendToStream('unit-1', events(1), { expectedRevision: 0n }));
      blocker.exec('ROLLBACK');

      expect(error).toBeInstanceOf(EventStoreUnavailable);
      expect((error as EventStoreUnavailable).cause).toMatchObject({ code: 'SQLITE_BUSY' });
      expect(await store.appendToStream('unit-1', events(1), { expectedRevision: 0n })).toEqual({
        nextExpectedRevision: 1n,
        position: 2n,
      });
    }, 20_000);
  });

  describe('group commit', () => {
    it('keeps positions gapless when an append in the middle of a group is rejected', async () => {
      const store = open();
      const outcomes = await Promise.allSettled([
        store.appendToStream('unit-1', events(2), { expectedRevision: 'no_stream' }),
        store.appendToStream('unit-2', events(3), { expectedRevision: 7n }),
        store.appendToStream('unit-3', events(2), { expectedRevision: 'no_stream' }),
      ]);

      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(ExpectedRevisionConflict);
      const positions = rawConnection({ readonly: true })
        .prepare('SELECT position, stream FROM events ORDER BY position')
        .all() as { position: number; stream: string }[];
      expect(positions).toEqual([
        { position: 1, stream: 'unit-1' },
        { position: 2, stream: 'unit-1' },
        { position: 3, stream: 'unit-3' },
        { position: 4, stream: 'unit-3' },
      ]);
    });

    it('acknowledges an append only once another connection can read it', async () => {
      const store = open();
      const reader = rawConnection({ readonly: true });
      const count = reader.prepare('SELECT COUNT(*) FROM events WHERE stream = ?').pluck();

      const seenAtAcknowledgement = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.appendToStream(`unit-${i}`, events(2), { expectedRevision: 'no_stream' }).then(() => count.get(`unit-${i}`)),
        ),
      );

      expect(seenAtAcknowledgement).toEqual(new Array(20).fill(2));
    });

    it('commits the appends it accepted before close() closes the file', async () => {
      const store = open();
      const accepted = [
        store.appendToStream('unit-1', events(1), { expectedRevision: 'no_stream' }),
        store.appendToStream('unit-2', events(1), { expectedRevision: 'no_stream' }),
      ];
      await store.close();

      expect(await Promise.all(accepted)).toEqual([
        { nextExpectedRevision: 0n, position: 1n },
        { nextExpectedRevision: 0n, position: 2n },
      ]);
      expect(await open().headPosition()).toBe(2n);
    });

    it('fails every append of a group SQLite refuses, and keeps none of them', async () => {
      const store = open();
      const blocker = rawConnection();
      blocker.exec('BEGIN IMMEDIATE');

      const outcomes = await Promise.allSettled([
        store.appendToStream('unit-1', events(1), { expectedRevision: 'no_stream' }),
        store.appendToStream('unit-2', events(2), { expectedRevision: 'any' }),
      ]);
      blocker.exec('ROLLBACK');

      for (const outcome of outcomes) {
        expect(outcome.status).toBe('rejected');
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(EventStoreUnavailable);
      }
      expect(await store.headPosition()).toBe(0n);
      expect(await store.appendToStream('unit-1', events(1), { expectedRevision: 'no_stream' })).toEqual({
        nextExpectedRevision: 0n,
        position: 1n,
      });
    }, 20_000);
  });

  describe('decisions beyond the port', () => {
    it('checks the expected revision on an empty append and writes nothing', async () => {
      const store = open();
      expect(await store.appendToStream('unit-1', [], { expectedRevision: 'no_stream' })).toEqual({
        nextExpectedRevision: -1n,
        position: 0n,
      });
      await store.appendToStream('unit-1', events(2), { expectedRevision: 'no_stream' });
      await store.appendToStream('unit-2', events(1), { expectedRevision: 'no_stream' });

      expect(await store.appendToStream('unit-1', [], { expectedRevision: 1n })).toEqual({
        nextExpectedRevision: 1n,
        position: 3n,
      });
      expect(await store.appendToStream('unit-1', [], { expectedRevision: 'any' })).toEqual({
        nextExpectedRevision: 1n,
        position: 3n,
      });
      expect(await rejectionOf(store.appendToStream('unit-1', [], { expectedRevision: 0n }))).toBeInstanceOf(
        ExpectedRevisionConflict,
      );
      expect(
        await rejectionOf(store.appendToStream('unit-3', [], { expectedRevision: 'stream_exists' })),
      ).toBeInstanceOf(ExpectedRevisionConflict);
      expect(await store.readStream('unit-3')).toEqual([]);
      expect(await store.headPosition()).toBe(3n);
    });

    it('rejects one id twice in one append as DuplicateEventId', async () => {
      const store = open();
      const event = newEvent();

      const error = await rejectionOf(store.appendToStream('unit-1', [event, event], { expectedRevision: 'any' }));

      expect(error).toBeInstanceOf(DuplicateEventId);
      expect(await store.headPosition()).toBe(0n);
    });

    it('rejects a number as expectedRevision instead of reporting a false conflict', async () => {
      const store = open();
      const error = await rejectionOf(
        store.appendToStream('unit-1', events(1), { expectedRevision: 0 as unknown as bigint }),
      );
      expect(error).toBeInstanceOf(TypeError);
    });

    it('rejects malformed events as TypeError before touching the file', async () => {
      const store = open();
      const bad = [
        { ...newEvent(), id: '' },
        { ...newEvent(), type: '' },
        { ...newEvent(), data: undefined as unknown as Record<string, unknown> },
        { ...newEvent(), data: [] as unknown as Record<string, unknown> },
      ];
      for (const event of bad) {
        expect(await rejectionOf(store.appendToStream('unit-1', [event], { expectedRevision: 'any' }))).toBeInstanceOf(
          TypeError,
        );
      }
      expect(await store.headPosition()).toBe(0n);
    });

    it('keeps positions beyond 2^53 exact', async () => {
      const store = open();
      await store.appendToStream('unit-1', events(1), { expectedRevision: 'no_stream' });
      const big = 2n ** 53n + 5n;
      rawConnection().prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'events'").run(big);

      const result = await store.appendToStream('unit-1', events(2), { expectedRevision: 0n });

      expect(result.position).toBe(big + 2n);
      const read = await store.readAll({ after: big });
      expect(read.map((event) => event.position)).toEqual([big + 1n, big + 2n]);
      expect(await store.headPosition()).toBe(big + 2n);
      expect((await store.readAll({ after: big + 1n })).map((event) => event.position)).toEqual([big + 2n]);
    });

    it('reads an empty eventTypes filter as "no event"', async () => {
      const store = open();
      await store.appendToStream('unit-1', events(2), { expectedRevision: 'no_stream' });
      expect(await store.readAll({ eventTypes: [] })).toEqual([]);
    });

    it('rejects calls on a closed store with EventStoreUnavailable and ends its subscriptions', async () => {
      const store = open();
      const subscription = store.subscribeToAll();
      const pending = subscription[Symbol.asyncIterator]().next();
      await new Promise((resolve) => setTimeout(resolve, 20));

      await store.close();

      expect(await pending).toEqual({ done: true, value: undefined });
      expect(await rejectionOf(store.headPosition())).toBeInstanceOf(EventStoreUnavailable);
      expect(await rejectionOf(store.readStream('unit-1'))).toBeInstanceOf(EventStoreUnavailable);
      expect(
        await rejectionOf(store.appendToStream('unit-1', events(1), { expectedRevision: 'any' })),
      ).toBeInstanceOf(EventStoreUnavailable);
      await store.close(); // idempotent
    });
  });

  describe('subscriptions', () => {
    it('reads a page only when the consumer asks for it', async () => {
      const store = open();
      for (let i = 0; i < 10; i++) {
        await store.appendToStream(`unit-${i}`, events(100), { expectedRevision: 'no_stream' });
      }
      const reads = jest.spyOn(store as unknown as { readAllSync: (...args: unknown[]) => unknown }, 'readAllSync');
      const subscription = store.subscribeToAll({ batchSize: 10 });
      toClose.push(subscription);
      const iterator = subscription[Symbol.asyncIterator]();

      await iterator.next();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(reads).toHaveBeenCalledTimes(1);
      for (let i = 0; i < 10; i++) await iterator.next();
      expect(reads).toHaveBeenCalledTimes(2);
      for (const call of reads.mock.calls) expect(call[1]).toBe(10);
    });

    it('resolves caughtUp when the last event that existed at the start is pulled', async () => {
      const store = open();
      await store.appendToStream('unit-1', events(5), { expectedRevision: 'no_stream' });
      const subscription = store.subscribeToAll({ batchSize: 2 });
      toClose.push(subscription);
      let caughtUp = false;
      void subscription.caughtUp.then(() => {
        caughtUp = true;
      });

      await take(subscription, 4, 2_000);
      await store.appendToStream('unit-1', events(3), { expectedRevision: 4n });
      await new Promise((resolve) => setImmediate(resolve));
      expect(caughtUp).toBe(false);
      await take(subscription, 1, 2_000);
      await new Promise((resolve) => setImmediate(resolve));
      expect(caughtUp).toBe(true);
    });

    it('resolves caughtUp when the filter matches nothing that existed', async () => {
      const store = open();
      await store.appendToStream('unit-1', events(5), { expectedRevision: 'no_stream' });
      const subscription = store.subscribeToAll({ eventTypes: ['Nothing'] });
      toClose.push(subscription);

      const first = nextWithin(subscription[Symbol.asyncIterator](), 200);
      await subscription.caughtUp;
      expect(await first).toBe('timeout');
    });

    it('rejects caughtUp when closed before catching up', async () => {
      const store = open();
      await store.appendToStream('unit-1', events(3), { expectedRevision: 'no_stream' });
      const subscription = store.subscribeToAll();

      await subscription.close();

      await expect(subscription.caughtUp).rejects.toThrow(/closed before it caught up/);
    });

    it('serves next() calls made without awaiting, in order', async () => {
      const store = open();
      await store.appendToStream('unit-1', events(5), { expectedRevision: 'no_stream' });
      const subscription = store.subscribeToAll({ batchSize: 2 });
      toClose.push(subscription);
      const iterator = subscription[Symbol.asyncIterator]();

      const results = await Promise.all(Array.from({ length: 5 }, () => iterator.next()));

      expect(results.map((result) => (result.done ? 'done' : result.value.position))).toEqual([1n, 2n, 3n, 4n, 5n]);
    });
  });
});

/** Transpiles the adapter to CommonJS files a worker thread can `require` without ts-jest. */
function compileStoreInto(moduleDir: string): void {
  fs.mkdirSync(moduleDir, { recursive: true });
  const sources = path.resolve(__dirname, '../../src/eventstore');
  for (const name of ['errors', 'sqlite']) {
    const source = fs.readFileSync(path.join(sources, `${name}.ts`), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    const output = outputText.replace(/require\("better-sqlite3"\)/g, `require(${JSON.stringify(require.resolve('better-sqlite3'))})`);
    fs.writeFileSync(path.join(moduleDir, `${name}.js`), output);
  }
}

interface WorkerReport {
  ok: number;
  conflict: number;
  duplicate: number;
  other: string[];
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const path = require('node:path');
const { randomUUID } = require('node:crypto');
const { createSqliteEventStore } = require(path.join(workerData.moduleDir, 'sqlite.js'));

async function main() {
  const { file, stream, worker, rounds, workers, barrier } = workerData;
  const store = createSqliteEventStore({ path: file });
  const report = { ok: 0, conflict: 0, duplicate: 0, other: [] };
  // Start together, so the appends really overlap.
  Atomics.add(barrier, 0, 1);
  while (Atomics.load(barrier, 0) < workers) Atomics.wait(barrier, 0, Atomics.load(barrier, 0), 10);
  const meta = { actor: 'w' + worker, command: 'Race', commandId: 'c', correlationId: 'c', causationId: 'c', occurredAt: new Date().toISOString() };
  const event = (id) => ({ id, type: 'Race', data: { worker }, metadata: meta });
  for (let round = 0; round < rounds; round++) {
    try {
      const [last] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
      // Widen the window between reading the revision and appending, so that other threads get in.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2));
      if (round % 3 === 0) {
        // Every worker tries the same id in this round: one stores it, the others
        // retry it (same single event: idempotent) or add a fresh one (duplicate).
        const batch = worker % 2 === 0 ? [event('shared-' + round)] : [event('shared-' + round), event(randomUUID())];
        await store.appendToStream(stream, batch, { expectedRevision: 'any' });
      } else {
        await store.appendToStream(stream, [event(randomUUID())], { expectedRevision: last === undefined ? 'no_stream' : last.revision });
      }
      report.ok++;
    } catch (error) {
      if (error && error.name === 'ExpectedRevisionConflict') report.conflict++;
      else if (error && error.name === 'DuplicateEventId') report.duplicate++;
      else report.other.push(String(error && error.stack || error));
    }
  }
  await store.close();
  parentPort.postMessage(report);
}
main().catch((error) => parentPort.postMessage({ ok: 0, conflict: 0, duplicate: 0, other: [String(error && error.stack || error)] }));
`;

function runWorker(workerData: {
  moduleDir: string;
  file: string;
  stream: string;
  worker: number;
  rounds: number;
  workers: number;
  barrier: Int32Array;
}): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
    worker.once('message', (report: WorkerReport) => resolve(report));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`worker exited with ${code}`));
    });
  });
}
