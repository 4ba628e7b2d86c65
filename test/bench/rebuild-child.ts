/**
 * One rebuild measurement in a process of its own, so its memory is its own:
 * first reads every event raw with better-sqlite3 (the yardstick), then
 * rebuilds every projection in `projections/` from the first event into an
 * empty folder, sampling RSS and heap as it goes. Prints one JSON line.
 *
 * With `--floors`, measures the rebuild floors instead (test/bench/rebuild-floor.ts),
 * writing into the folder given and removing it after.
 *
 * Usage: node dist/test/bench/rebuild-child.js [--floors] <events.sqlite> <projections folder>
 */
import 'reflect-metadata';
import { rmSync } from 'node:fs';
import { UPCASTERS } from '../../src/domain/upcasters';
import { createSqliteEventStore } from '../../src/eventstore/sqlite';
import { upcastingStore } from '../../src/eventstore/upcasting';
import { catchUpThreads } from '../../src/projection/catch-up-thread';
import { discoverProjections } from '../../src/projection/discover';
import { ProjectionRuntime } from '../../src/projection/runtime';
import { readEveryEvent, seconds, writeFloor } from './rebuild-floor';

export interface RebuildMeasurement {
  events: number;
  rawReadSeconds: number;
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

/** The threads the server would replay history on (src/app.ts): one per core, at most 4, unless configured. */
const rebuildThreads = (file: string) => {
  const count = process.env.TASHIL_CATCH_UP_THREADS;
  return catchUpThreads({ kind: 'sqlite', path: file }, count === undefined ? {} : { count: Number(count) });
};

export interface FloorMeasurement {
  readAndParseSeconds: number;
  writeFloorSeconds: number;
  threads: number;
}

/** The floors (test/bench/rebuild-floor.ts), in a process of their own so the rebuild's memory is its own. */
const floors = async (file: string, directory: string): Promise<void> => {
  // The types each projection handles, asked of its handlers type by type as the runtime asks (causation handles all).
  const store = createSqliteEventStore({ path: file, synchronous: 'NORMAL' });
  const typesInStore = await store.eventTypes();
  await store.close();
  const threads = rebuildThreads(file)?.count ?? 1;
  const readAndParseSeconds = readEveryEvent(file, { parse: true }).seconds;
  rmSync(directory, { recursive: true, force: true });
  const projections = discoverProjections().map((p) => ({ name: p.name, types: typesInStore.filter((type) => p.handlers[type] !== undefined) }));
  const writeFloorSeconds = await writeFloor(file, directory, projections, threads);
  rmSync(directory, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify({ readAndParseSeconds, writeFloorSeconds, threads } satisfies FloorMeasurement)}\n`);
};

const main = async (file: string, directory: string): Promise<void> => {
  const { events, seconds: rawReadSeconds } = readEveryEvent(file, { parse: false });

  const projections = discoverProjections();
  const threads = rebuildThreads(file);
  rmSync(directory, { recursive: true, force: true });
  const store = upcastingStore(createSqliteEventStore({ path: file, synchronous: 'NORMAL' }), UPCASTERS);
  const started = process.hrtime.bigint();
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
  const args = process.argv.slice(2);
  const floorsOnly = args[0] === '--floors';
  const [file, directory] = floorsOnly ? args.slice(1) : args;
  if (!file || !directory) {
    process.stderr.write('usage: rebuild-child [--floors] <events.sqlite> <projections folder>\n');
    process.exit(2);
  }
  (floorsOnly ? floors(file, directory) : main(file, directory)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
