/**
 * The write floor of section 1: only the SQLite writes a `raiseObstacle` needs,
 * done as cheaply as SQLite allows, for `apollo-baseline.ts --write-floor` to
 * answer a bare `raise` mutation with. The event is appended to a store with the
 * store's schema (WAL, `synchronous=FULL`), then one row and a checkpoint are
 * written in each of `readModels` files of their own (WAL, `synchronous=OFF`, as
 * projection files are), and only then does the mutation answer.
 *
 * The writes run on a worker thread, so the thread answering HTTP never waits
 * for an fsync, and everything that arrived while the thread was busy is
 * written as one group: one transaction and one fsync in the store, one
 * transaction per read model. (Done on the answering thread, as Tashil does, it
 * measured 10–30 % slower in a prototype: the loop stalls for every fsync.) No checks, no
 * reads, no hashing: what any implementation keeping its read models in the
 * process that answers must at least do.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { isMainThread, parentPort, receiveMessageOnPort, Worker, workerData } from 'node:worker_threads';
import { createSqliteEventStore } from '../../src/eventstore/sqlite';

interface FloorEvent {
  id: string;
  unitId: string;
  title: string;
  at: string;
}

interface Group {
  seq: number;
  events: FloorEvent[];
}

/** On the worker thread: opens the files and writes every group that arrives, those waiting together. */
const writeGroups = (folder: string, readModels: number): void => {
  const store = new Database(join(folder, 'events.sqlite'));
  store.pragma('journal_mode = WAL');
  store.pragma('synchronous = FULL');
  const insert = store.prepare(
    'INSERT INTO events (id, stream, revision, type, schema_version, data, metadata, recorded_at) VALUES (?, ?, 0, ?, 1, ?, ?, ?)',
  );
  const append = store.transaction((events: FloorEvent[]) => {
    for (const e of events) {
      const data = JSON.stringify({ obstacleId: e.id, unitId: e.unitId, title: e.title, category: 'BANKING', raisedAt: e.at });
      insert.run(e.id, `Obstacle-${e.id}`, 'ObstacleRaised', data, JSON.stringify({ actor: 'bench', commandId: e.id }), e.at);
    }
  });
  const models = Array.from({ length: readModels }, (_, i) => {
    const db = new Database(join(folder, `read-model-${i}.sqlite`));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.exec(`CREATE TABLE rows (id TEXT PRIMARY KEY, unit_id TEXT NOT NULL, title TEXT NOT NULL, at TEXT NOT NULL);
             CREATE INDEX rows_by_unit ON rows (unit_id, at);
             CREATE TABLE checkpoint (one INTEGER PRIMARY KEY CHECK (one = 1), events INTEGER NOT NULL)`);
    const row = db.prepare('INSERT INTO rows VALUES (?, ?, ?, ?)');
    const checkpoint = db.prepare('INSERT INTO checkpoint VALUES (1, ?) ON CONFLICT (one) DO UPDATE SET events = events + excluded.events');
    return db.transaction((events: FloorEvent[]) => {
      for (const e of events) row.run(e.id, e.unitId, e.title, e.at);
      checkpoint.run(events.length);
    });
  });
  const port = parentPort!;
  port.on('message', (first: Group) => {
    const groups = [first];
    for (let next = receiveMessageOnPort(port); next !== undefined; next = receiveMessageOnPort(port)) groups.push(next.message as Group);
    const events = groups.flatMap((g) => g.events);
    append.immediate(events);
    for (const model of models) model(events);
    for (const g of groups) port.postMessage(g.seq);
  });
};

/** Starts the writer thread; the function returned resolves with the new id once its writes are committed. */
export const startWriteFloor = async (folder: string, readModels: number): Promise<(unitId: string, title: string) => Promise<string>> => {
  // The store's own schema, created by the store itself.
  await createSqliteEventStore({ path: join(folder, 'events.sqlite') }).close();
  const worker = new Worker(__filename, { workerData: { folder, readModels } });
  worker.unref();
  const written = new Map<number, () => void>();
  worker.on('message', (seq: number) => {
    const resolve = written.get(seq)!;
    written.delete(seq);
    resolve();
  });
  worker.on('error', (error) => {
    process.stderr.write(`write floor: ${error.stack ?? String(error)}\n`);
    process.exit(1);
  });
  // What arrives within one turn of the event loop goes to the thread as one group.
  let waiting: { event: FloorEvent; resolve: () => void }[] = [];
  let seq = 0;
  const send = (): void => {
    const group = waiting;
    waiting = [];
    const s = seq++;
    written.set(s, () => group.forEach((w) => w.resolve()));
    worker.postMessage({ seq: s, events: group.map((w) => w.event) } satisfies Group);
  };
  return (unitId, title) =>
    new Promise((resolve) => {
      const id = randomUUID();
      if (waiting.length === 0) setImmediate(send);
      waiting.push({ event: { id, unitId, title, at: new Date().toISOString() }, resolve: () => resolve(id) });
    });
};

if (!isMainThread && parentPort) {
  const { folder, readModels } = workerData as { folder: string; readModels: number };
  writeGroups(folder, readModels);
}
