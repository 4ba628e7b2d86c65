/**
 * One rebuild measurement in a process of its own, so its memory is its own:
 * first reads every event raw with better-sqlite3 (the yardstick), then
 * rebuilds every projection in `projections/` from the first event into an
 * empty folder, sampling RSS and heap as it goes. Prints one JSON line.
 *
 * Usage: node dist/test/bench/rebuild-child.js <events.sqlite> <projections folder>
 */
import 'reflect-metadata';
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { UPCASTERS } from '../../src/domain/upcasters';
import { createSqliteEventStore } from '../../src/eventstore/sqlite';
import { upcastingStore } from '../../src/eventstore/upcasting';
import { catchUpThreads } from '../../src/projection/catch-up-thread';
import { discoverProjections } from '../../src/projection/discover';
import { ProjectionRuntime } from '../../src/projection/runtime';
import { readAndParse, writeFloor } from './rebuild-floor';

export interface RebuildMeasurement {
  events: number;
  rawReadSeconds: number;
  /** The floors (test/bench/rebuild-floor.ts): every event read and parsed; and also one row per handled event written. */
  readAndParseSeconds: number;
  writeFloorSeconds: number;
  threads: number;
  rebuildSeconds: number;
  projections: number;
  /** Memory at about a tenth of the rebuild, and the most seen over it. */
  rssEarlyMiB: number;
  rssMaxMiB: number;
  heapEarlyMiB: number;
  heapMaxMiB: number;
  samples: { seconds: number; position: number; rssMiB: number; heapMiB: number }[];
}

const MiB = 1024 * 1024;
const seconds = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;

const main = async (file: string, directory: string): Promise<void> => {
  // Raw: every column of every event, in position order, as SQLite hands them out.
  const raw = new Database(file, { readonly: true });
  let started = process.hrtime.bigint();
  let events = 0;
  for (const row of raw.prepare('SELECT position, id, stream, revision, type, schema_version, data, metadata, recorded_at FROM events ORDER BY position').raw().iterate()) {
    if (row !== undefined) events++;
  }
  const rawReadSeconds = seconds(started);
  // The types each projection handles, asked of its handlers type by type as the runtime asks (causation handles all).
  const typesInStore = raw.prepare('SELECT DISTINCT type FROM events').pluck().all() as string[];
  raw.close();

  const projections = discoverProjections();
  // As the server does (src/app.ts): history replays on worker threads, one per core (at most 4).
  const count = process.env.TASHIL_CATCH_UP_THREADS;
  const threads = catchUpThreads({ kind: 'sqlite', path: file }, count === undefined ? {} : { count: Number(count) });
  const readAndParseSeconds = readAndParse(file);
  const floorDirectory = `${directory}-floor`;
  rmSync(floorDirectory, { recursive: true, force: true });
  const floorProjections = projections.map((p) => ({ name: p.name, types: typesInStore.filter((type) => p.handlers[type] !== undefined) }));
  const writeFloorSeconds = await writeFloor(file, floorDirectory, floorProjections, threads?.count ?? 1);
  rmSync(floorDirectory, { recursive: true, force: true });

  rmSync(directory, { recursive: true, force: true });
  const store = upcastingStore(createSqliteEventStore({ path: file, synchronous: 'NORMAL' }), UPCASTERS);
  started = process.hrtime.bigint();
  const runtime = new ProjectionRuntime(store, { directory, projections, ...(threads ? { threads } : {}) });
  const samples: RebuildMeasurement['samples'] = [];
  const sample = async (): Promise<void> => {
    const status = await runtime.status();
    const position = Math.min(...status.map((p) => Number(p.position)));
    const memory = process.memoryUsage();
    samples.push({ seconds: seconds(started), position, rssMiB: memory.rss / MiB, heapMiB: memory.heapUsed / MiB });
  };
  const sampler = setInterval(() => void sample(), 250);
  await runtime.start();
  const rebuildSeconds = seconds(started);
  clearInterval(sampler);
  await sample();
  await runtime.stop();
  await store.close();

  const early = samples.find((s) => s.position >= events / 10) ?? samples[0]!;
  const result: RebuildMeasurement = {
    events,
    rawReadSeconds,
    readAndParseSeconds,
    writeFloorSeconds,
    threads: threads?.count ?? 1,
    rebuildSeconds,
    projections: projections.length,
    rssEarlyMiB: early.rssMiB,
    rssMaxMiB: Math.max(...samples.map((s) => s.rssMiB)),
    heapEarlyMiB: early.heapMiB,
    heapMaxMiB: Math.max(...samples.map((s) => s.heapMiB)),
    samples,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
};

if (require.main === module) {
  const [file, directory] = process.argv.slice(2);
  if (!file || !directory) {
    process.stderr.write('usage: rebuild-child <events.sqlite> <projections folder>\n');
    process.exit(2);
  }
  main(file, directory).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
