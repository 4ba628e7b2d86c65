/**
 * The floors of section 4, beside the raw read: what any rebuild of these
 * projections from this store must at least do, done as cheaply as SQLite allows.
 *
 * - `readEveryEvent` with `parse`: every event read and its data and metadata
 *   parsed (every handler gets them parsed), on one thread.
 * - `writeFloor`: on as many worker threads as the rebuild uses, the projections
 *   shared out by how many events each handles, each thread reading the events
 *   of its projections' types, parsing them, and writing one row per event per
 *   projection that handles it into that projection's own file (WAL,
 *   `synchronous=OFF`, a transaction and a checkpoint every 10,000 events, as a
 *   catch-up writes). A real handler does at least this for each event it gets.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const EVENT_COLUMNS = 'position, id, stream, revision, type, schema_version, data, metadata, recorded_at';
const BATCH = 10_000;

/** A projection as the floor sees it: its name and the event types it handles. */
export interface FloorProjection {
  name: string;
  types: string[];
}

export const seconds = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;

/**
 * Every column of every event, in position order, as SQLite hands them out: the raw read
 * (section 4's yardstick), or with `parse` each event's data and metadata parsed too (the
 * first floor: every handler gets them parsed).
 */
export const readEveryEvent = (file: string, { parse }: { parse: boolean }): { events: number; seconds: number } => {
  const db = new Database(file, { readonly: true });
  try {
    const started = process.hrtime.bigint();
    let events = 0;
    for (const row of db.prepare(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY position`).raw().iterate() as Iterable<unknown[]>) {
      if (parse) {
        JSON.parse(row[6] as string);
        JSON.parse(row[7] as string);
      }
      events++;
    }
    return { events, seconds: seconds(started) };
  } finally {
    db.close();
  }
};

/** On a worker thread: one file per projection, every event of their types read, parsed and written. */
const writeRows = (file: string, directory: string, projections: FloorProjection[]): void => {
  const files = projections.map(({ name, types }) => {
    const db = new Database(join(directory, `${name}.sqlite`));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.exec(`CREATE TABLE rows (stream TEXT NOT NULL, position INTEGER NOT NULL, type TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (stream, position));
             CREATE INDEX rows_by_time ON rows (at);
             CREATE TABLE checkpoint (one INTEGER PRIMARY KEY CHECK (one = 1), position INTEGER NOT NULL)`);
    return {
      db,
      handles: new Set(types),
      row: db.prepare('INSERT INTO rows VALUES (?, ?, ?, ?)'),
      checkpoint: db.prepare('INSERT INTO checkpoint VALUES (1, ?) ON CONFLICT (one) DO UPDATE SET position = excluded.position'),
    };
  });
  const types = [...new Set(projections.flatMap((p) => p.types))];
  const events = new Database(file, { readonly: true });
  const read = events.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE type IN (${types.map(() => '?').join(', ')}) ORDER BY position`).raw();
  let inBatch = 0;
  for (const f of files) f.db.exec('BEGIN');
  for (const row of read.iterate(...types) as Iterable<unknown[]>) {
    const [position, , stream, , type, , data, metadata, recordedAt] = row as [number, string, string, number, string, number, string, string, string];
    JSON.parse(data);
    JSON.parse(metadata);
    for (const f of files) if (f.handles.has(type)) f.row.run(stream, position, type, recordedAt);
    if (++inBatch === BATCH) {
      for (const f of files) {
        f.checkpoint.run(position);
        f.db.exec('COMMIT; BEGIN');
      }
      inBatch = 0;
    }
  }
  for (const f of files) {
    f.db.exec('COMMIT');
    f.db.close();
  }
  events.close();
};

/** Seconds the write floor takes on `threads` threads, writing into `directory`. */
export const writeFloor = async (file: string, directory: string, projections: FloorProjection[], threads: number): Promise<number> => {
  mkdirSync(directory, { recursive: true });
  const db = new Database(file, { readonly: true });
  const perType = new Map((db.prepare('SELECT type, COUNT(*) AS n FROM events GROUP BY type').all() as { type: string; n: number }[]).map((r) => [r.type, r.n]));
  db.close();
  // Heaviest first onto the lightest thread, as the rebuild shares its projections out.
  const weight = (p: FloorProjection): number => p.types.reduce((sum, t) => sum + (perType.get(t) ?? 0), 0);
  const shares = Array.from({ length: Math.max(1, threads) }, () => ({ weight: 0, projections: [] as FloorProjection[] }));
  for (const p of [...projections].sort((a, b) => weight(b) - weight(a))) {
    const lightest = shares.reduce((a, b) => (b.weight < a.weight ? b : a));
    lightest.projections.push(p);
    lightest.weight += weight(p);
  }
  const started = process.hrtime.bigint();
  await Promise.all(
    shares
      .filter((s) => s.projections.length > 0)
      .map(
        (s) =>
          new Promise<void>((resolve, reject) => {
            const worker = new Worker(__filename, { workerData: { file, directory, projections: s.projections } });
            worker.once('error', reject);
            worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the write floor's thread exited with ${code}`))));
          }),
      ),
  );
  return seconds(started);
};

if (!isMainThread && parentPort) {
  const { file, directory, projections } = workerData as { file: string; directory: string; projections: FloorProjection[] };
  writeRows(file, directory, projections);
}
