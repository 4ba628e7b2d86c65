/**
 * Long catch-ups and rebuilds on worker threads (`CatchUpThreads` in
 * `runtime.ts`). better-sqlite3 is synchronous: on the main thread a replay of
 * a million events holds the event loop batch after batch, and seventeen
 * projections share one core. A thread opens its own reader of the store and
 * its own connections to the projection files it is given, replays history into
 * them (`catchUpFiles`), builds their query indexes and closes them; the main
 * thread then reopens the files and takes them the rest of the way.
 *
 * A thread loads projections from their module files, so only projections
 * found by `discoverProjections` in compiled JavaScript can run on one.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { StoreSpec } from '../eventstore/open';
import type { ProjectionDefinition } from './projection';
import { projectionModule } from './discover';
import type { CatchUpProgress, CatchUpTarget, CatchUpThreads } from './runtime';


interface ThreadData {
  tashilCatchUp: true;
  store: StoreSpec;
  targets: { name: string; module: string; file: string; boot: string | null }[];
  batchSize?: number;
}

type ThreadMessage = { progress: { name: string; position: string; applied: number } };

/** This module, compiled: what a thread runs. */
const THREAD_FILE = join(__dirname, 'catch-up-thread.js');

export interface CatchUpThreadOptions {
  /** Threads at once at start-up (default: the machine's cores, at most 4; 1 turns threads off for start-up). */
  count?: number;
  /** Only projections at least this far behind go to a thread (default 10,000 events). */
  minLagEvents?: number;
  batchSize?: number;
  /** The compiled thread script; default this module's own `.js` file. */
  threadFile?: string;
}

/**
 * Threads for a runtime over the store `store` names, or undefined when none
 * can run here (the process runs from TypeScript sources, as under ts-jest).
 */
export const catchUpThreads = (store: StoreSpec, options: CatchUpThreadOptions = {}): CatchUpThreads | undefined => {
  const threadFile = options.threadFile ?? THREAD_FILE;
  if (!existsSync(threadFile)) return undefined;
  return {
    count: options.count ?? Math.min(availableParallelism(), 4),
    minLagEvents: options.minLagEvents ?? 10_000,
    canRun: (definition: ProjectionDefinition) => projectionModule(definition)?.endsWith('.js') === true,
    run: (targets: CatchUpTarget[], run = {}) =>
      new Promise<void>((resolve, reject) => {
        const data: ThreadData = {
          tashilCatchUp: true,
          store,
          targets: targets.map((t) => ({ name: t.definition.name, module: projectionModule(t.definition)!, file: t.file, boot: t.boot })),
          ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
        };
        const thread = new Worker(threadFile, { workerData: data });
        let failure: unknown;
        const abort = (): void => void thread.terminate();
        run.signal?.addEventListener('abort', abort, { once: true });
        thread.on('message', (message: ThreadMessage) => {
          const { name, position, applied } = message.progress;
          run.onProgress?.({ name, position: BigInt(position), applied });
        });
        thread.on('error', (error) => (failure = error));
        thread.on('exit', (code) => {
          run.signal?.removeEventListener('abort', abort);
          if (failure !== undefined) reject(failure instanceof Error ? failure : new Error(String(failure)));
          else if (run.signal?.aborted) reject(new Error('catch-up thread stopped'));
          else if (code !== 0) reject(new Error(`catch-up thread exited with code ${code}`));
          else resolve();
        });
      }),
  };
};


/** The thread's side: replay, report progress, close. An error ends the thread with it. */
const runThread = async (data: ThreadData): Promise<void> => {
  const { catchUpFiles } = await import('./runtime');
  const { openStore } = await import('../eventstore/open');
  const { upcastingStore } = await import('../eventstore/upcasting');
  const { UPCASTERS } = await import('../domain/upcasters');
  // A reader: the process's own connection commits the appends, so NORMAL costs nothing here.
  const spec: StoreSpec = data.store.kind === 'sqlite' ? { ...data.store, synchronous: 'NORMAL' } : data.store;
  const store = upcastingStore(await openStore(spec), UPCASTERS);
  try {
    const targets = data.targets.map((t) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const definition = (require(t.module) as { default: ProjectionDefinition }).default;
      if (definition?.name !== t.name) throw new Error(`${t.module} does not define projection ${t.name}`);
      return { definition, file: t.file, boot: t.boot };
    });
    const report = (progress: CatchUpProgress): void =>
      parentPort!.postMessage({ progress: { ...progress, position: String(progress.position) } } satisfies ThreadMessage);
    await catchUpFiles(store, targets, { onProgress: report, ...(data.batchSize === undefined ? {} : { batchSize: data.batchSize }) });
  } finally {
    await store.close();
  }
};

if (!isMainThread && (workerData as Partial<ThreadData> | null)?.tashilCatchUp === true) {
  runThread(workerData as ThreadData).catch((error: unknown) => {
    // Rethrown outside the promise: the thread ends with an 'error' the runtime logs.
    setImmediate(() => {
      throw error;
    });
  });
}
