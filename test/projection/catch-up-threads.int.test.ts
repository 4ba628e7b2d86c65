/**
 * History replays on worker threads: projections far behind the head catch up
 * several at once at start-up, and a rebuild replays off the main thread.
 * Whatever the threads do, the read models end with exactly the rows a replay
 * on one thread gives; a thread that fails or a process killed meanwhile
 * leaves the rest to the runtime, which resumes from the threads' commits.
 *
 * Threads run compiled code (`npm run build`): the projections come from
 * `dist/projections`, the thread script from `dist/src/projection`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSqliteEventStore } from '../../src/eventstore/sqlite';
import { catchUpThreads } from '../../src/projection/catch-up-thread';
import { discoverProjections } from '../../src/projection/discover';
import { ProjectionRuntime } from '../../src/projection/runtime';
import { writeStore } from '../bench/generate';
import { tempDir } from '../support/app';
import { checkpoints, dumpReadModels, rebuildFromScratch, type Dump } from '../support/read-models';
import { REPO_ROOT, TEST_JWT_SECRET, startServer } from '../support/server-process';

const DIST = join(REPO_ROOT, 'dist');
const THREAD_FILE = join(DIST, 'src', 'projection', 'catch-up-thread.js');
const compiledProjections = () => discoverProjections(join(DIST, 'projections'), true);

interface Logged {
  message: string;
  fields?: Record<string, unknown>;
}

let history: { file: string; events: number; fresh: Dump };

beforeAll(async () => {
  const dir = tempDir('tashil-threads-');
  const file = join(dir, 'events.sqlite');
  const events = await writeStore(file, 4_000);
  history = { file, events, fresh: await rebuildFromScratch(file) };
}, 120_000);

const runtimeWithThreads = (directory: string, logged: Logged[], threadFile = THREAD_FILE) => {
  const store = createSqliteEventStore({ path: history.file, synchronous: 'NORMAL' });
  const threads = catchUpThreads({ kind: 'sqlite', path: history.file }, { count: 2, minLagEvents: 100, threadFile })!;
  expect(threads).toBeDefined();
  const runtime = new ProjectionRuntime(store, {
    directory,
    projections: compiledProjections(),
    threads,
    log: (message, fields) => logged.push({ message, ...(fields ? { fields } : {}) }),
  });
  return { store, runtime };
};

test('projections far behind replay on two worker threads at start-up and end with the rows of a replay on one thread', async () => {
  const directory = tempDir('tashil-threads-');
  const logged: Logged[] = [];
  const { store, runtime } = runtimeWithThreads(directory, logged);
  await runtime.start();
  const started = logged.find((l) => l.message === 'projections catching up on worker threads');
  expect(started?.fields).toMatchObject({ threads: 2 });
  // Every projection went to one thread or the other.
  const shared = (started!.fields!.projections as string[]).flatMap((group) => group.split(','));
  expect(shared.sort()).toEqual(compiledProjections().map((p) => p.name).sort());
  expect(logged.map((l) => l.message)).toContain('projections caught up on worker threads');
  await runtime.waitForPosition(await store.headPosition(), 30_000);
  expect((await runtime.status()).every((s) => s.state === 'LIVE' && s.lagEvents === 0n)).toBe(true);
  await runtime.stop();
  await store.close();
  expect(dumpReadModels(directory)).toEqual(history.fresh);
}, 120_000);

test('a rebuild replays on a worker thread, shows its progress meanwhile, and switches in with the same rows', async () => {
  const directory = tempDir('tashil-threads-');
  const logged: Logged[] = [];
  const { store, runtime } = runtimeWithThreads(directory, logged);
  await runtime.start();
  const rebuilt = runtime.rebuild('unit-history');
  const during = (await runtime.status()).find((s) => s.name === 'unit-history')!;
  expect(during.state).toBe('REBUILDING');
  expect(during.rebuild).not.toBeNull();
  // The current tables keep answering while the thread replays.
  const served = runtime.reader('unit-history').prepare(`SELECT COUNT(*) AS n FROM unit_history`).get() as { n: number };
  expect(served.n).toBeGreaterThan(0);
  await rebuilt;
  expect(logged.map((l) => l.message)).toContain('projection rebuilding on a worker thread');
  expect(logged.map((l) => l.message)).not.toContain('rebuild on a worker thread failed; continuing on the main thread');
  expect((await runtime.status()).find((s) => s.name === 'unit-history')).toMatchObject({ state: 'LIVE', rebuild: null, lagEvents: 0n });
  await runtime.stop();
  await store.close();
  expect(dumpReadModels(directory)).toEqual(history.fresh);
}, 120_000);

test('when a thread fails, the main thread catches the projections up from wherever it left them', async () => {
  const broken = join(tempDir('tashil-threads-'), 'broken-thread.js');
  writeFileSync(broken, `throw new Error('this thread cannot start');\n`);
  const directory = tempDir('tashil-threads-');
  const logged: Logged[] = [];
  const { store, runtime } = runtimeWithThreads(directory, logged, broken);
  await runtime.start();
  const failed = logged.find((l) => l.message === 'catch-up on a worker thread failed; continuing on the main thread');
  expect(String(failed?.fields?.error)).toMatch(/this thread cannot start/);
  await runtime.waitForPosition(await store.headPosition(), 30_000);
  await runtime.stop();
  await store.close();
  expect(dumpReadModels(directory)).toEqual(history.fresh);
}, 120_000);

test('stopped while its threads replay, a runtime stops them at once; the next start resumes from their commits', async () => {
  const directory = tempDir('tashil-threads-');
  const logged: Logged[] = [];
  const { store, runtime } = runtimeWithThreads(directory, logged);
  const started = runtime.start();
  await waitFor(() => (logged.some((l) => l.message === 'projections catching up on worker threads') ? true : undefined), 30_000);
  await runtime.stop();
  await started;
  expect(logged.map((l) => l.message)).not.toContain('catch-up on a worker thread failed; continuing on the main thread');

  const again = new ProjectionRuntime(store, { directory, projections: compiledProjections() });
  await again.start();
  await again.waitForPosition(await store.headPosition(), 30_000);
  await again.stop();
  await store.close();
  expect(dumpReadModels(directory)).toEqual(history.fresh);
}, 120_000);

test('a server killed (SIGKILL) while threads replay history resumes from their commits and ends with the same rows', async () => {
  const dataDir = tempDir('tashil-threads-');
  const file = join(dataDir, 'events.sqlite');
  await writeStore(file, 30_000);
  const head = BigInt(await headOf(file));
  const projections = join(dataDir, 'projections');
  mkdirSync(projections, { recursive: true });
  const child = spawn(process.execPath, [join(DIST, 'src', 'main.js')], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      TASHIL_DATA_DIR: dataDir,
      TASHIL_EVENT_STORE: 'sqlite',
      TASHIL_JWT_SECRET: TEST_JWT_SECRET,
      TASHIL_CATCH_UP_THREADS: '2',
      TASHIL_CATCH_UP_MIN_LAG_EVENTS: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Killed once a thread has committed part of history, before the threads are done.
  const midway = await waitFor(() => {
    if (!output.includes('projections catching up on worker threads')) return undefined;
    const positions = Object.values(safeCheckpoints(projections));
    return positions.some((p) => p > 0n && p < head) ? positions : undefined;
  }, 60_000);
  child.kill('SIGKILL');
  await exited;
  expect(output).not.toContain('projections caught up on worker threads');
  expect(midway.some((p) => p > 0n && p < head)).toBe(true);

  const server = await startServer({ dataDir, startTimeoutMs: 120_000 });
  await server.stop();
  expect(dumpReadModels(projections)).toEqual(await rebuildFromScratch(file));
}, 300_000);

const headOf = async (file: string): Promise<number> => {
  const store = createSqliteEventStore({ path: file, synchronous: 'NORMAL' });
  try {
    return Number(await store.headPosition());
  } finally {
    await store.close();
  }
};

/** Checkpoints of the files readable now (a file just created may not have its table yet). */
const safeCheckpoints = (directory: string): Record<string, bigint> => {
  try {
    return checkpoints(directory);
  } catch {
    return {};
  }
};

const waitFor = async <T>(probe: () => T | undefined, timeoutMs: number): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
