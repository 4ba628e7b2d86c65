/**
 * The projection runtime: one reader of the event store per process, fanned
 * out to every projection (one subscription per projection does not scale,
 * see PITFALLS.md). Each projection owns one SQLite file holding its tables
 * and its checkpoint; a batch's rows and the checkpoint commit in one
 * transaction, so after a crash a projection resumes exactly after the last
 * batch it committed, never skipping or double-applying an event.
 */
import Database from 'better-sqlite3';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { privateDatabaseFile, privateDir } from '../private-files';
import type { EventStore, RecordedEvent, Subscription } from '../eventstore/event-store';
import { machineBoot, markClean, markInUse, survivedTheMachine } from './durability';
import { indexStatements, readModelDb, startOf, type ProjectionDefinition, type ReadModelDb } from './projection';

export type ProjectionState = 'CATCHING_UP' | 'LIVE' | 'PAUSED' | 'FAILED' | 'REBUILDING' | 'STOPPED';

/** A rebuild in progress: the new tables fill from the first event while the old ones keep serving. */
export interface RebuildProgress {
  version: number;
  position: bigint;
  head: bigint;
  eventsPerSecond: number;
  /** Seconds until it catches up at the current rate; null before a rate is known. */
  etaSeconds: number | null;
}

export interface ProjectionStatus {
  name: string;
  version: number;
  state: ProjectionState;
  /** Position of the last event this projection has taken into account. */
  position: bigint;
  /** Events in the store after that position. */
  lagEvents: bigint;
  /** Seconds between the newest event in the store and the last one this projection took into account. */
  lagSeconds: number;
  /** Events applied per second over the last status interval. */
  eventsPerSecond: number;
  lastError: { message: string; position: bigint } | null;
  rebuild: RebuildProgress | null;
}

export class ReadModelTimeout extends Error {
  constructor(readonly position: bigint, readonly waitedMs: number, readonly behind: string[]) {
    super(
      `the change was recorded at position ${position}, but the read models (${behind.join(', ')}) did not reach it within ${waitedMs} ms; query again shortly`,
    );
    this.name = 'ReadModelTimeout';
  }
}

export class ProjectionFailed extends Error {
  constructor(readonly projection: string, readonly position: bigint, message: string) {
    super(`projection ${projection} stopped at position ${position}: ${message}`);
    this.name = 'ProjectionFailed';
  }
}

const CHECKPOINT_DDL = `
CREATE TABLE IF NOT EXISTS _checkpoint (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  position INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS _skipped (
  position INTEGER PRIMARY KEY,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  skipped_at TEXT NOT NULL,
  error TEXT
);`;

/**
 * Bumped whenever rows some reader can see change: a commit that applied events,
 * a rebuilt projection switched in. Module-wide on purpose (every runtime of the
 * process counts), so anything remembered against it (the response cache) is
 * only ever invalidated too often, never too rarely.
 */
let readModelChanges = 0;

/** One projection's files, connections and progress. */
class RunningProjection {
  readonly writer: Database.Database;
  readonly reader: Database.Database;
  readonly db: ReadModelDb;
  /** The writer's page cache once live (SQLite's default); smaller while catching up. */
  private readonly liveCacheSize: number;
  position: bigint;
  state: ProjectionState = 'CATCHING_UP';
  lastError: { message: string; position: bigint } | null = null;
  /** Events applied since start, and when the last applied event was recorded: for rates and lag. */
  applied = 0;
  lastRecordedAt: Date | null = null;
  private readonly commit: (events: RecordedEvent[], through: bigint) => void;
  private readonly saveCheckpointNow: (through: bigint) => void;
  /** Position of the checkpoint on disk; behind `position` only across batches this projection has no handler for. */
  private savedPosition: bigint;
  /**
   * Through where events were applied, committed or not: ahead of `position` (what
   * readers, waiters and a restart see) only while a catch-up group is open.
   */
  private appliedThrough: bigint;
  /** One write transaction kept open across full batches while catching up (see `apply`). */
  private group: { openedAt: number; savedAtOpen: bigint } | undefined;
  /** Handled events applied but not committed yet, then those the last commit made visible. */
  private uncommitted: RecordedEvent[] = [];
  private justCommitted: RecordedEvent[] = [];
  /** Records an operator's decision to pass over one event, and moves the checkpoint past it, in one transaction. */
  readonly skipEvent: (position: bigint, reason: string, actor: string, error: string | null) => void;

  /** Events recorded before this instant (ms) are passed over: the definition's `startFrom.recordedAt`. */
  private readonly appliesFromMs: number | undefined;
  /** An older version's file, kept answering queries while its successor builds; it applies nothing. */
  readonly serveOnly: boolean;
  private readonly boot: string | null;

  /**
   * `serveOnly`: an older version's file, kept answering queries while its successor builds; it applies nothing.
   * `startAt`: the first position a fresh file applies (a rebuild asked to replay from there); by default the
   * definition's `startFrom`, else the first event. An existing file goes on from its own checkpoint.
   * `boot`: the machine's boot the file is marked in use by (see `durability.ts`); null: no mark, synced as NORMAL.
   */
  constructor(
    readonly definition: ProjectionDefinition,
    readonly file: string,
    options: { boot: string | null; serveOnly?: boolean; startAt?: bigint },
  ) {
    const { serveOnly = false, startAt } = options;
    this.serveOnly = serveOnly;
    this.boot = options.boot;
    const start = startOf(definition);
    this.appliesFromMs = start.recordedAtMs;
    // 0600 before SQLite opens it; its -wal and -shm take the same mode from it.
    privateDatabaseFile(file);
    this.writer = new Database(file);
    this.writer.pragma('journal_mode = WAL');
    // Read models can always be replayed from the events, and rows and checkpoint commit
    // together: a process crash loses nothing, a machine crash is detected at the next start.
    if (!serveOnly) markInUse(this.writer, this.boot);
    this.writer.pragma('busy_timeout = 5000');
    // While catching up or rebuilding, the write-ahead log is copied back into the
    // file (with an fsync) every CATCH_UP_WAL_PAGES pages instead of every 1,000: the
    // same pages, rewritten batch after batch, are copied and synced far less often
    // (a quarter faster over the 50,000-event quick rebuild). Commits are unchanged,
    // so rows and checkpoint still land together. `goLive` restores the default.
    if (!serveOnly) this.writer.pragma(`wal_autocheckpoint = ${CATCH_UP_WAL_PAGES}`);
    // A smaller page cache while catching up: seventeen writers each filling SQLite's 16 MB as
    // history replays made memory grow over a rebuild (peak RSS 580-600 MiB at a million events,
    // 500-520 with 4 MB), and the rebuild was no slower with 4 MB (57-67 s, 64-67 s with 16 MB:
    // the pages it misses are in the OS's cache). `goLive` gives the writer its default back.
    this.liveCacheSize = this.writer.pragma('cache_size', { simple: true }) as number;
    if (!serveOnly) this.writer.pragma(`cache_size = ${CATCH_UP_CACHE_SIZE}`);
    const fresh = this.writer.prepare(`SELECT 1 FROM sqlite_master WHERE name = '_checkpoint'`).get() === undefined;
    if (serveOnly) this.state = 'REBUILDING';
    else this.writer.exec(CHECKPOINT_DDL.slice(CHECKPOINT_DDL.indexOf('CREATE TABLE IF NOT EXISTS _skipped')));
    if (fresh && !serveOnly) {
      this.writer.transaction(() => {
        this.writer.exec(definition.schema);
        this.writer.exec(CHECKPOINT_DDL);
        this.writer
          .prepare(`INSERT INTO _checkpoint (id, name, version, position, updated_at) VALUES (1, ?, ?, ?, ?)`)
          .run(definition.name, definition.version, (startAt ?? start.position) - 1n, new Date().toISOString());
      })();
    }
    const row = this.writer.prepare(`SELECT position FROM _checkpoint WHERE id = 1`).safeIntegers(true).get() as {
      position: bigint;
    };
    this.position = row.position;
    this.savedPosition = row.position;
    this.appliedThrough = row.position;
    this.reader = new Database(file, { readonly: true });
    this.reader.pragma('busy_timeout = 5000');
    this.db = readModelDb(this.writer);
    const saveCheckpoint = this.writer.prepare(`UPDATE _checkpoint SET position = ?, updated_at = ? WHERE id = 1`);
    this.commit = this.writer.transaction((events: RecordedEvent[], through: bigint) => {
      for (const event of events) {
        if (event.position <= this.appliedThrough) continue;
        const handler = definition.handlers[event.type];
        if (!handler || !this.inWindow(event)) continue;
        try {
          handler(event, this.db);
          this.applied++;
        } catch (error) {
          throw new HandlerError(event.position, error);
        }
      }
      saveCheckpoint.run(through, new Date().toISOString());
    });
    this.saveCheckpointNow = (through: bigint) => void saveCheckpoint.run(through, new Date().toISOString());
    this.skipEvent = this.writer.transaction((position: bigint, reason: string, actor: string, error: string | null) => {
      this.writer
        .prepare(`INSERT OR REPLACE INTO _skipped (position, reason, actor, skipped_at, error) VALUES (?, ?, ?, ?, ?)`)
        .run(position, reason, actor, new Date().toISOString(), error);
      saveCheckpoint.run(position, new Date().toISOString());
    });
  }

  private inWindow(event: RecordedEvent): boolean {
    return this.appliesFromMs === undefined || event.recordedAt.getTime() >= this.appliesFromMs;
  }

  /** At the head: from now on one event at a time, so the log is kept short for the readers. */
  goLive(): void {
    this.state = 'LIVE';
    if (this.serveOnly) return;
    this.buildIndexes();
    this.writer.pragma(`wal_autocheckpoint = ${LIVE_WAL_PAGES}`);
    this.writer.pragma(`cache_size = ${this.liveCacheSize}`);
  }

  /**
   * The definition's query-only indexes, each built in one pass (a no-op once it exists).
   * Built before the projection is announced live, so no reader of a live projection
   * ever runs without them; a rebuild builds them before it switches.
   */
  buildIndexes(): void {
    const statements = indexStatements(this.definition.indexes);
    if (statements.length === 0 || this.grouping) return;
    this.writer.transaction(() => {
      for (const statement of statements) this.writer.exec(statement);
    })();
  }

  /**
   * Applies a batch; on a handler error nothing of the batch is kept and the projection stops at that event.
   *
   * `more`: the batch was full, more history follows at once. Then the transaction may stay
   * open for the next batches (each batch in a savepoint, the checkpoint updated with its
   * rows), and commits once it is GROUP_MS old, at the first short batch, or on `flush`.
   * Fewer, larger commits write each rewritten page once instead of once per batch; the
   * checkpoint still commits with exactly the rows before it, and `position` moves only on
   * commit, so readers, waiters and a restart after a crash see committed state only.
   */
  apply(events: RecordedEvent[], through: bigint, more = false): void {
    this.justCommitted = [];
    if (this.serveOnly || this.state === 'FAILED' || this.state === 'STOPPED' || this.state === 'PAUSED') return;
    if (through <= this.appliedThrough) {
      if (!more) this.flush();
      return;
    }
    try {
      const { handlers } = this.definition;
      const handled = events.filter((event) => event.position > this.appliedThrough && handlers[event.type] !== undefined && this.inWindow(event));
      if (handled.length > 0) {
        if (more && this.group === undefined) {
          this.writer.exec('BEGIN');
          this.group = { openedAt: Date.now(), savedAtOpen: this.savedPosition };
        }
        this.commit(events, through);
        this.savedPosition = through;
        for (const event of handled) this.uncommitted.push(event);
      } else if (through - this.savedPosition >= LAZY_CHECKPOINT_EVENTS) {
        this.saveCheckpointNow(through);
        this.savedPosition = through;
      }
      // A batch with nothing for this projection writes nothing: re-reading those events
      // after a crash applies nothing either, so the checkpoint on disk may trail behind
      // them. That spares a write transaction per projection per batch on the hot path.
      this.appliedThrough = through;
      this.lastRecordedAt = events[events.length - 1]?.recordedAt ?? this.lastRecordedAt;
      if (!more || (this.group !== undefined && Date.now() - this.group.openedAt >= GROUP_MS)) this.flush();
    } catch (error) {
      const position = error instanceof HandlerError ? error.position : through;
      const cause = error instanceof HandlerError ? error.cause : error;
      // A full disk or a locked file is the machine's trouble, not the handler's:
      // nothing of the open group is kept, and the runtime retries from the checkpoint with back-off.
      if (isTransient(cause)) {
        this.abandonGroup();
        throw new TransientProjectionError(this.definition.name, cause);
      }
      // The failing batch was rolled back to its savepoint; the batches before it are kept.
      try {
        this.flush();
      } catch {
        this.abandonGroup();
      }
      this.state = 'FAILED';
      this.lastError = { message: cause instanceof Error ? cause.message : String(cause), position };
    }
  }

  /** Commits the open group, if any: what it applied becomes visible. */
  flush(): void {
    if (this.group !== undefined) {
      this.writer.exec('COMMIT');
      this.group = undefined;
    }
    this.position = this.appliedThrough;
    if (this.uncommitted.length > 0) {
      readModelChanges++;
      this.justCommitted = this.uncommitted;
      this.uncommitted = [];
    }
  }

  /** `flush`, or on failure (the machine's trouble) drops the open group; false then: re-read from `position`. */
  commitGroup(): boolean {
    try {
      this.flush();
      return true;
    } catch {
      this.abandonGroup();
      return false;
    }
  }

  /** Through where events were applied, committed or not. */
  get appliedPosition(): bigint {
    return this.appliedThrough;
  }

  get grouping(): boolean {
    return this.group !== undefined;
  }

  /** The handled events the last `apply` or `flush` committed, for the runtime to announce. */
  takeCommitted(): RecordedEvent[] {
    const events = this.justCommitted;
    this.justCommitted = [];
    return events;
  }

  private abandonGroup(): void {
    if (this.group === undefined) return;
    if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
    this.savedPosition = this.group.savedAtOpen;
    this.group = undefined;
    this.appliedThrough = this.position;
    this.uncommitted = [];
  }

  /** Brings the checkpoint on disk up to `position` when it trails across events this projection had nothing to do with. */
  persistCheckpoint(): void {
    if (this.serveOnly || this.group !== undefined || this.savedPosition >= this.position || this.state === 'FAILED') return;
    try {
      this.saveCheckpointNow(this.position);
      this.savedPosition = this.position;
    } catch {
      // A full disk: the events after the saved checkpoint are re-read after a restart, and apply nothing.
    }
  }

  /** Idempotent: a projection handed to a catch-up thread is closed before `stop` closes everything. */
  close(): void {
    if (!this.writer.open) return;
    this.reader.close();
    try {
      this.flush();
    } catch {
      this.abandonGroup();
    }
    // So that the next start resumes from here, not from the last batch this projection handled.
    this.persistCheckpoint();
    if (!this.serveOnly) markClean(this.writer, this.boot);
    this.writer.close();
  }
}

/** Longest a catch-up keeps one transaction open across batches before committing it. */
const GROUP_MS = 1000;

/** Write-ahead log pages between automatic checkpoints: SQLite's default when live, 40 MB while catching up. */
const LIVE_WAL_PAGES = 1000;
const CATCH_UP_WAL_PAGES = 10_000;

/** A catch-up writer's page cache, as `PRAGMA cache_size` takes it (negative: KiB). */
const CATCH_UP_CACHE_SIZE = -4000;

/**
 * How far a projection's checkpoint on disk may trail across events it has no
 * handler for, so that a start after a crash re-reads a bounded number of them.
 */
const LAZY_CHECKPOINT_EVENTS = 10_000n;

const fileOf = (directory: string, name: string, version: number, next = false): string =>
  join(directory, `${name}.v${version}${next ? '.next' : ''}.sqlite`);

const removeDatabase = (file: string): void => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
};

/** Older versions' files of a projection, newest first. */
const olderVersions = (directory: string, name: string, version: number): { version: number; file: string }[] =>
  readdirSync(directory)
    .map((f) => new RegExp(`^${name}\\.v(\\d+)\\.sqlite$`).exec(f))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[1]) < version)
    .map((m) => ({ version: Number(m[1]), file: join(directory, m[0]) }))
    .sort((a, b) => b.version - a.version);

/** SQLite codes that say "not now" rather than "this event cannot be applied". */
const TRANSIENT = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|READONLY|CANTOPEN)/;
const isTransient = (error: unknown): boolean => {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && TRANSIENT.test(code);
};

export class TransientProjectionError extends Error {
  constructor(readonly projection: string, override readonly cause: unknown) {
    super(`projection ${projection} could not write its batch (${(cause as { code?: string }).code ?? 'I/O'}); it will retry`);
    this.name = 'TransientProjectionError';
  }
}

class HandlerError extends Error {
  constructor(readonly position: bigint, override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

export interface ProjectionRuntimeOptions {
  /** Folder for the projections' files (`<name>.v<version>.sqlite`). */
  directory: string;
  projections: readonly ProjectionDefinition[];
  /** Most events handed to the projections in one transaction (default 2,000). */
  batchSize?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** Worker threads for long catch-ups and rebuilds (see `CatchUpThreads`); none: all on this thread. */
  threads?: CatchUpThreads;
  /**
   * How often the runtime checks that the store's subscription still delivers (default 10,000 ms;
   * 0: never). Events waiting at two checks in a row with nothing delivered between them is a
   * subscription that died without a word: it is closed and opened again from the checkpoints.
   */
  stallCheckMs?: number;
  /**
   * The machine's boot, which projection files are marked in use by (see `durability.ts`);
   * default read from the system. null: files are synced as NORMAL and never marked.
   */
  bootId?: string | null;
}

/**
 * Where the bulk of a long catch-up runs: on worker threads, each with its own
 * reader of the store, so that several projections replay history at once (one
 * core each) and a rebuild does not take the event loop from the requests.
 * Provided by `src/projection/catch-up-thread.ts`.
 */
export interface CatchUpThreads {
  /** Threads used at once at start-up; fewer than 2 leaves start-up catch-up on this thread. */
  count: number;
  /** Only a projection at least this many events behind the head is handed to a thread. */
  minLagEvents: number;
  /** Whether a thread can load this projection (it needs the module file the definition came from). */
  canRun(definition: ProjectionDefinition): boolean;
  /**
   * Catches the projections in `targets` up with the head (`catchUpFiles`) on one thread,
   * reporting progress; resolves once the thread has committed and closed their files.
   */
  run(targets: CatchUpTarget[], options?: { onProgress?: (progress: CatchUpProgress) => void; signal?: AbortSignal }): Promise<void>;
}

export interface CatchUpTarget {
  definition: ProjectionDefinition;
  file: string;
  /** The boot the file is marked in use by (`durability.ts`). */
  boot: string | null;
}

export interface CatchUpProgress {
  name: string;
  position: bigint;
  applied: number;
}

/**
 * Told, after a projection committed a batch, which of the batch's events it
 * applied: what it tells is already in the read model, so a reader it wakes
 * sees the new state. Called synchronously, before the next batch.
 */
export type AppliedListener = (projection: string, events: readonly RecordedEvent[]) => void;

/**
 * Told every batch the runtime's reader takes from the store, before the projections
 * apply it, whatever their states (paused, failed, rebuilding): for what must follow the
 * store itself through the one reader a process keeps. A batch may come again after a
 * resubscription, so a listener must take the same event twice calmly.
 */
export type DeliveredListener = (events: readonly RecordedEvent[]) => void;

export class ProjectionRuntime {
  private readonly running = new Map<string, RunningProjection>();
  private readonly appliedListeners = new Set<AppliedListener>();
  private readonly deliveredListeners = new Set<DeliveredListener>();
  private subscription: Subscription | undefined;
  private loop: Promise<void> | undefined;
  private waiters: { position: bigint; names: string[] | undefined; resolve: () => void; reject: (e: Error) => void }[] = [];
  private head = 0n;
  private stopped = false;
  private readonly batchSize: number;

  constructor(private readonly store: EventStore, private readonly options: ProjectionRuntimeOptions) {
    // Each batch is one write transaction per projection that handles any of it: while
    // catching up or rebuilding, fewer and larger commits are what the rate depends on
    // (2,000 read ~25 % faster than 500 in \`npm run bench\`), at a few MiB of events in memory.
    this.batchSize = options.batchSize ?? 2000;
    this.boot = options.bootId === undefined ? machineBoot() : options.bootId;
    privateDir(options.directory);
    const names = new Set<string>();
    for (const definition of options.projections) {
      if (names.has(definition.name)) throw new Error(`two projections are named ${definition.name}`);
      names.add(definition.name);
      const file = fileOf(options.directory, definition.name, definition.version);
      // Files a crash of the machine may have torn are deleted here, and replayed (`trusted`).
      const nextFile = fileOf(options.directory, definition.name, definition.version, true);
      const rebuildInterrupted = this.trusted(nextFile);
      const current = this.trusted(file);
      const older = olderVersions(options.directory, definition.name, definition.version).find((o) => this.trusted(o.file));
      if (!current && older) {
        // A new version: the old tables keep answering until the new ones have caught up.
        this.running.set(definition.name, new RunningProjection(definition, older.file, { serveOnly: true, boot: this.boot }));
        this.pendingRebuilds.add(definition.name);
      } else {
        this.running.set(definition.name, new RunningProjection(definition, file, { boot: this.boot }));
        // A rebuild a crash interrupted resumes from its own checkpoint; beside a file replayed
        // from the first event it would only do the same work twice.
        if (current && rebuildInterrupted) this.pendingRebuilds.add(definition.name);
        else if (rebuildInterrupted) removeDatabase(nextFile);
      }
    }
  }

  private readonly boot: string | null;

  /**
   * Whether `file` exists and may be used. A file that was being written when the
   * machine itself went down (`durability.ts`) is deleted: it is replayed from the events.
   */
  private trusted(file: string): boolean {
    if (!existsSync(file)) return false;
    if (survivedTheMachine(file, this.boot)) return true;
    removeDatabase(file);
    this.options.log?.('projection file was being written when the machine stopped; replaying it from the events', { file });
    return false;
  }

  private readonly pendingRebuilds = new Set<string>();
  /** Aborted by `stop()`: a thread still replaying is stopped, its last commit kept. */
  private readonly threadsStop = new AbortController();
  private readonly rebuilds = new Map<string, Rebuild>();
  private dispatched = 0n;
  /**
   * Each open subscription (the live loop's, each rebuild's) with the last position it
   * delivered (its start until it delivers one) and what the last stall check saw.
   */
  private readonly followed = new Map<Subscription, { delivered: bigint; atLastCheck: bigint | undefined }>();
  private stallTimer: NodeJS.Timeout | undefined;
  /** Subscriptions found stalled and reopened since start. */
  stalls = 0;
  private headRecordedAt: Date | null = null;
  private rates = new Map<string, { applied: number; at: number; rate: number }>();

  /**
   * Starts following the store from the lowest checkpoint; resolves once the
   * projections have caught up with the head as it was at start.
   */
  async start(): Promise<void> {
    this.head = await this.store.headPosition();
    await this.catchUpOnThreads();
    if (this.stopped) return;
    let caughtUp!: () => void;
    const ready = new Promise<void>((resolve) => (caughtUp = resolve));
    this.loop = this.run(caughtUp);
    // From the first batch on: a subscription that goes silent during start-up's catch-up would otherwise hold the start forever.
    this.watchForStalls();
    await ready;
    for (const name of this.pendingRebuilds) void this.rebuild(name);
    this.pendingRebuilds.clear();
  }

  /**
   * Projections far behind the head (a first start, a new projection, a restore) replay
   * history on worker threads, several at once, before the shared reader takes them
   * the rest of the way. Each thread reads the store itself and gets a share of the
   * projections balanced by how many events of a sample each one handles. A thread's
   * failure (a disk error, a bug) is logged and the shared reader simply catches up
   * from wherever the thread's last commit left each projection.
   */
  private async catchUpOnThreads(): Promise<void> {
    const threads = this.options.threads;
    if (!threads || threads.count < 2) return;
    const behind = [...this.running.values()].filter(
      (p) => !p.serveOnly && this.head - p.position >= BigInt(threads.minLagEvents) && threads.canRun(p.definition),
    );
    if (behind.length < 2) return;
    const groups = balance(behind, threads.count, await this.sampleLoad(behind));
    const started = Date.now();
    this.options.log?.('projections catching up on worker threads', {
      threads: groups.length,
      projections: groups.map((g) => g.map((p) => p.definition.name).join(',')),
    });
    for (const p of behind) p.close();
    try {
      const { signal } = this.threadsStop;
      const byName = new Map(behind.map((p) => [p.definition.name, p]));
      // The closed projections stand in for their threads meanwhile: `status()` shows the threads' progress.
      const onProgress = (progress: CatchUpProgress): void => {
        const p = byName.get(progress.name);
        if (p) {
          p.position = progress.position;
          p.applied = progress.applied;
        }
      };
      await Promise.all(groups.map((group) => threads.run(group.map((p) => ({ definition: p.definition, file: p.file, boot: this.boot })), { signal, onProgress })));
      this.options.log?.('projections caught up on worker threads', { seconds: (Date.now() - started) / 1000 });
    } catch (error) {
      if (!this.stopped) this.options.log?.('catch-up on a worker thread failed; continuing on the main thread', { error: String(error) });
    } finally {
      // Stopped meanwhile: the threads' commits stay on disk; nothing is reopened.
      if (!this.stopped) for (const p of behind) this.running.set(p.definition.name, new RunningProjection(p.definition, p.file, { boot: this.boot }));
    }
  }

  /** How many of the next few thousand events each projection handles: the weights `balance` shares out. */
  private async sampleLoad(projections: RunningProjection[]): Promise<Map<RunningProjection, number>> {
    const from = projections.reduce((lowest, p) => (p.position < lowest ? p.position : lowest), projections[0]!.position);
    const sample = await this.store.readAll({ after: from, maxCount: LOAD_SAMPLE_EVENTS });
    return new Map(projections.map((p) => [p, 1 + sample.filter((event) => p.definition.handlers[event.type] !== undefined).length]));
  }

  /**
   * Rebuilds a projection from the first event into new tables while the
   * current ones keep serving, then switches to the new tables in one step
   * once they have caught up with the live stream (blue-green). The new
   * tables carry their own checkpoint: a rebuild a crash interrupts resumes.
   * Resolves when the switch is made.
   *
   * `fromPosition`: replay from that position on instead of the definition's start (the
   * new tables then hold what happened from there); ignored when a rebuild of this
   * projection is already under way, which goes on as it began.
   */
  rebuild(name: string, options: { fromPosition?: bigint } = {}): Promise<void> {
    const existing = this.rebuilds.get(name);
    if (existing) return existing.done;
    const current = this.projection(name);
    const definition = current.definition;
    const nextFile = fileOf(this.options.directory, name, definition.version, true);
    const builder = new RunningProjection(definition, nextFile, { startAt: options.fromPosition, boot: this.boot });
    builder.state = 'CATCHING_UP';
    const rebuild: Rebuild = { builder, startedAt: Date.now(), startedFrom: builder.position, done: Promise.resolve(), subscription: undefined };
    this.rebuilds.set(name, rebuild);
    this.options.log?.('projection rebuild started', { projection: name, version: definition.version, from: String(builder.position + 1n) });
    rebuild.done = this.build(name, rebuild).finally(() => this.rebuilds.delete(name));
    return rebuild.done;
  }

  private async build(name: string, rebuild: Rebuild): Promise<void> {
    await this.buildOnThread(rebuild);
    const { builder } = rebuild;
    let delay = 100;
    while (!this.stopped) {
      try {
        // A thread may have brought it to the head already: then no batch would come to switch on.
        if (await this.switchIfCaughtUp(name, builder)) return;
        const subscription = this.store.subscribeToAll({ after: builder.position, batchSize: this.batchSize });
        rebuild.subscription = subscription;
        for await (const batch of this.watched(subscription, builder.position)) {
          builder.apply(batch, batch[batch.length - 1]!.position, batch.length === this.batchSize);
          if (builder.state === 'FAILED') throw new ProjectionFailed(name, builder.lastError!.position, builder.lastError!.message);
          if (await this.switchIfCaughtUp(name, builder)) {
            await subscription.close();
            return;
          }
        }
        if (this.stopped) break;
      } catch (error) {
        if (this.stopped) break;
        if (error instanceof ProjectionFailed) {
          this.options.log?.('projection rebuild failed', { projection: name, error: error.message });
          builder.close();
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 10_000);
      }
    }
    builder.close();
  }

  /**
   * Switches the rebuilt tables in once they hold everything the store and the live loop
   * have handed out; true when switched. `dispatched` is checked again after the await,
   * synchronously with the switch, so no event can fall between the old tables and the new.
   */
  private async switchIfCaughtUp(name: string, builder: RunningProjection): Promise<boolean> {
    if (builder.appliedPosition < this.dispatched) return false;
    const head = await this.store.headPosition();
    if (this.stopped || builder.appliedPosition < head || builder.appliedPosition < this.dispatched) return false;
    // History may have ended on a full batch, its group still open.
    if (!builder.commitGroup()) throw new Error(`projection ${name}: the rebuild's last commit failed`);
    this.switchTo(name, builder);
    return true;
  }

  /**
   * The bulk of a long rebuild, on a worker thread: the event loop keeps answering
   * requests at full speed meanwhile, where a rebuild on this thread takes turns with
   * them batch by batch. The thread commits into the rebuild's own file; this thread
   * then reopens it and applies the events that arrived since, then switches.
   */
  private async buildOnThread(rebuild: Rebuild): Promise<void> {
    const threads = this.options.threads;
    const { builder } = rebuild;
    if (!threads || !threads.canRun(builder.definition)) return;
    if ((await this.store.headPosition()) - builder.position < BigInt(threads.minLagEvents)) return;
    const { definition, file } = builder;
    builder.close();
    this.options.log?.('projection rebuilding on a worker thread', { projection: definition.name, from: String(builder.position) });
    try {
      await threads.run([{ definition, file, boot: this.boot }], {
        signal: this.threadsStop.signal,
        onProgress: (progress) => {
          // Shown by `status()` while the thread works (the closed builder is not read otherwise).
          builder.position = progress.position;
          builder.applied = progress.applied;
        },
      });
    } catch (error) {
      if (!this.stopped) this.options.log?.('rebuild on a worker thread failed; continuing on the main thread', { projection: definition.name, error: String(error) });
    } finally {
      if (!this.stopped) {
        const reopened = new RunningProjection(definition, file, { boot: this.boot });
        reopened.state = 'CATCHING_UP';
        reopened.applied = builder.applied;
        rebuild.builder = reopened;
      }
    }
  }

  private switchTo(name: string, builder: RunningProjection): void {
    const old = this.projection(name);
    const { definition } = builder;
    const target = fileOf(this.options.directory, name, definition.version);
    builder.close();
    old.close();
    removeDatabase(old.file);
    if (old.file !== target) removeDatabase(target);
    renameSync(builder.file, target);
    const switched = new RunningProjection(definition, target, { boot: this.boot });
    switched.goLive();
    switched.applied = builder.applied;
    this.running.set(name, switched);
    readModelChanges++;
    this.options.log?.('projection rebuilt and switched', { projection: name, version: definition.version, position: String(switched.position) });
    this.settleWaiters();
  }

  /**
   * Reads the store for as long as the runtime runs. Any store error (an
   * outage, a dropped connection) is retried with back-off from the
   * checkpoints, so the runtime never needs a restart to recover.
   */
  private async run(caughtUp: () => void): Promise<void> {
    let delay = 100;
    while (!this.stopped) {
      try {
        // Every event, not only handled types: checkpoints then advance to the
        // head even when the newest events concern no projection.
        const after = this.lowestPosition();
        const subscription = this.store.subscribeToAll({ after, batchSize: this.batchSize });
        this.subscription = subscription;
        // Live once the store has handed over every event there was at the start and the batch
        // holding the last of them is applied: `caughtUp` fires as that event is pulled, a turn
        // before its batch reaches the projections, and a start must not answer before it does.
        // (Or once a batch is applied after `caughtUp`: should a head ever name an event the
        // subscription does not deliver, the batch that held the last one was that batch.)
        const target = this.head;
        let appliedThrough = after;
        let handedOver = false;
        const goLiveOnceApplied = (batchSinceHandedOver = false): void => {
          if (!handedOver || (appliedThrough < target && !batchSinceHandedOver)) return;
          handedOver = false;
          this.commitGroups();
          for (const p of this.running.values()) if (p.state === 'CATCHING_UP') p.goLive();
          this.settleWaiters();
          caughtUp();
          delay = 100;
        };
        void subscription.caughtUp.then(() => {
          handedOver = true;
          goLiveOnceApplied();
        }, () => undefined);
        for await (const batch of this.watched(subscription, after)) {
          this.dispatch(batch);
          appliedThrough = batch[batch.length - 1]!.position;
          goLiveOnceApplied(handedOver);
        }
      } catch (error) {
        if (this.stopped) return;
        this.options.log?.('event store subscription failed; retrying', { error: String(error), retryInMs: delay });
        for (const p of this.running.values()) if (p.state === 'LIVE') p.state = 'CATCHING_UP';
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 10_000);
      }
    }
  }

  /**
   * Subscriptions have been seen to stop delivering without an error (a keep-alive
   * lapse, a leader change): the projections would then fall behind in silence, with
   * only readiness to tell. So the store's head is compared with what was delivered
   * every `stallCheckMs`: events waiting at two checks in a row, and nothing delivered
   * in between, closes the subscription, and `run` (or the rebuild) opens a new one
   * from the checkpoints. A slow batch cannot look stalled: the check runs between
   * batches, never during one.
   */
  private watchForStalls(): void {
    const every = this.options.stallCheckMs ?? 10_000;
    if (every <= 0 || this.stopped) return;
    this.stallTimer = setInterval(() => void this.checkForStall(every).catch(() => undefined), every);
    this.stallTimer.unref();
  }

  private async checkForStall(every: number): Promise<void> {
    if (this.stopped || this.followed.size === 0) return;
    const head = await this.store.headPosition();
    for (const [subscription, watch] of this.followed) {
      if (head <= watch.delivered) {
        watch.atLastCheck = undefined;
      } else if (watch.atLastCheck === watch.delivered) {
        this.followed.delete(subscription);
        this.stalls++;
        this.options.log?.('event store subscription stalled; resubscribing from the checkpoints', {
          delivered: String(watch.delivered),
          head: String(head),
          silentForMs: every,
        });
        void subscription.close();
      } else {
        watch.atLastCheck = watch.delivered;
      }
    }
  }

  /** A subscription's batches (read from `after` on), under the stall check for as long as they are read. */
  private async *watched(subscription: Subscription, after: bigint): AsyncGenerator<RecordedEvent[]> {
    const watch = { delivered: after, atLastCheck: undefined as bigint | undefined };
    this.followed.set(subscription, watch);
    try {
      for await (const batch of batches(subscription, this.batchSize)) {
        watch.delivered = batch[batch.length - 1]!.position;
        yield batch;
      }
    } finally {
      this.followed.delete(subscription);
    }
  }

  private dispatch(batch: RecordedEvent[]): void {
    const last = batch[batch.length - 1]!;
    const through = last.position;
    if (through > this.head) this.head = through;
    this.dispatched = through;
    this.headRecordedAt = last.recordedAt;
    for (const listener of this.deliveredListeners) {
      try {
        listener(batch);
      } catch (error) {
        this.options.log?.('event listener failed', { error: error instanceof Error ? error.message : String(error) });
      }
    }
    for (const p of this.running.values()) {
      const before = p.state;
      // A full batch: more history follows, the projection may keep its transaction open.
      p.apply(batch, through, batch.length === this.batchSize);
      if (p.state === 'FAILED' && before !== 'FAILED') {
        this.options.log?.('projection failed', { projection: p.definition.name, ...p.lastError, position: String(p.lastError?.position) });
      }
      this.tellApplied(p.definition.name, p.takeCommitted());
      if (p.grouping) this.scheduleGroupCommit();
    }
    // A batch short of full: at the head. Trailing checkpoints are saved then, at most once a
    // second (and once more a second after the last batch), not on every live event.
    if (batch.length < this.batchSize) this.persistTrailingCheckpoints();
    this.settleWaiters();
  }

  /**
   * Changes whenever the rows readers see may have changed (a commit that applied
   * events, a rebuild switched in). Equal values: the read models read the same.
   */
  readModelsVersion(): number {
    return readModelChanges;
  }

  /** Listens to every batch read from the store (see `DeliveredListener`); returns the way to stop listening. */
  onDelivered(listener: DeliveredListener): () => void {
    this.deliveredListeners.add(listener);
    return () => this.deliveredListeners.delete(listener);
  }

  /** Listens to what each projection applies (see `AppliedListener`); returns the way to stop listening. */
  onApplied(listener: AppliedListener): () => void {
    this.appliedListeners.add(listener);
    return () => this.appliedListeners.delete(listener);
  }

  private groupTimer: NodeJS.Timeout | undefined;

  /**
   * Commits the projections' open catch-up groups a moment after the last full batch, in
   * case no further batch comes to do it (history ended exactly on a full batch).
   */
  private scheduleGroupCommit(): void {
    if (this.groupTimer !== undefined) return;
    this.groupTimer = setTimeout(() => {
      this.groupTimer = undefined;
      if (!this.stopped) this.commitGroups();
    }, GROUP_MS);
    this.groupTimer.unref();
  }

  private commitGroups(): void {
    let lost = false;
    for (const p of this.running.values()) {
      if (!p.commitGroup()) lost = true;
      this.tellApplied(p.definition.name, p.takeCommitted());
    }
    this.settleWaiters();
    // A commit the disk refused: read again from the checkpoints.
    if (lost) void this.subscription?.close();
  }

  private tellApplied(projection: string, events: RecordedEvent[]): void {
    if (events.length === 0 || this.appliedListeners.size === 0) return;
    for (const listener of this.appliedListeners) {
      try {
        listener(projection, events);
      } catch (error) {
        // A listener's trouble (a live update that could not be read) never stops the projections.
        this.options.log?.('projection listener failed', { projection, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  private lastPersist = 0;
  private persistTimer: NodeJS.Timeout | undefined;

  private persistTrailingCheckpoints(): void {
    const persist = (): void => {
      this.lastPersist = Date.now();
      for (const p of this.running.values()) p.persistCheckpoint();
    };
    if (Date.now() - this.lastPersist >= 1000) persist();
    else if (this.persistTimer === undefined) {
      this.persistTimer = setTimeout(() => {
        this.persistTimer = undefined;
        if (!this.stopped) persist();
      }, 1000);
      this.persistTimer.unref();
    }
  }

  /**
   * Resolves when the named projections (default: all that have not failed)
   * have taken every event up to `position` into account. This is how a
   * mutation returns its own write: read-your-writes for this process.
   */
  waitForPosition(position: bigint, timeoutMs: number, names?: string[]): Promise<void> {
    const check = this.check(position, names);
    if (check === true) return Promise.resolve();
    if (check instanceof Error) return Promise.reject(check);
    return new Promise<void>((resolve, reject) => {
      const waiter = { position, names, resolve: () => { clearTimeout(timer); resolve(); }, reject: (e: Error) => { clearTimeout(timer); reject(e); } };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const behind = this.selected(names).filter((p) => p.position < position).map((p) => p.definition.name);
        reject(new ReadModelTimeout(position, timeoutMs, behind));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  private selected(names: string[] | undefined): RunningProjection[] {
    if (names === undefined) return [...this.running.values()].filter((p) => p.state !== 'FAILED');
    return names.map((name) => this.projection(name));
  }

  private check(position: bigint, names: string[] | undefined): true | false | Error {
    for (const p of this.selected(names)) {
      if (p.state === 'FAILED') return new ProjectionFailed(p.definition.name, p.lastError?.position ?? p.position, p.lastError?.message ?? 'failed');
      if (p.position < position) return false;
    }
    return true;
  }

  private settleWaiters(): void {
    if (this.waiters.length === 0) return;
    this.waiters = this.waiters.filter((w) => {
      const check = this.check(w.position, w.names);
      if (check === true) w.resolve();
      else if (check instanceof Error) w.reject(check);
      return check === false;
    });
  }

  private projection(name: string): RunningProjection {
    const p = this.running.get(name);
    if (!p) throw new Error(`no projection named ${name}`);
    return p;
  }

  /** Stops applying events to one projection; its tables keep serving queries as they are. */
  pause(name: string): void {
    const p = this.projection(name);
    if (p.state === 'LIVE' || p.state === 'CATCHING_UP') {
      if (!p.commitGroup()) void this.subscription?.close();
      this.tellApplied(name, p.takeCommitted());
      this.settleWaiters();
      p.state = 'PAUSED';
    }
  }

  /**
   * Lets a paused projection catch up. The shared reader restarts from the
   * lowest checkpoint; projections that are ahead skip what they already hold.
   */
  async resume(name: string): Promise<void> {
    const p = this.projection(name);
    if (p.state !== 'PAUSED') return;
    p.state = 'CATCHING_UP';
    await this.subscription?.close();
  }

  /** A read-only connection to a projection's tables, for queries. */
  reader(name: string): Database.Database {
    return this.projection(name).reader;
  }

  private lowestPosition(): bigint {
    let lowest: bigint | undefined;
    for (const p of this.running.values()) {
      if (p.state === 'FAILED') continue;
      if (lowest === undefined || p.position < lowest) lowest = p.position;
    }
    return lowest ?? 0n;
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.store.headPosition();
    if (head > this.head) this.head = head;
    const now = Date.now();
    const rateOf = (key: string, applied: number): number => {
      const previous = this.rates.get(key);
      const rate = previous && now > previous.at ? ((applied - previous.applied) * 1000) / (now - previous.at) : (previous?.rate ?? 0);
      if (!previous || now - previous.at >= 1000) this.rates.set(key, { applied, at: now, rate });
      return Math.round(rate);
    };
    return [...this.running.values()].map((p) => {
      const rebuild = this.rebuilds.get(p.definition.name);
      const behind = this.head > p.position;
      let progress: RebuildProgress | null = null;
      if (rebuild) {
        const eventsPerSecond = rateOf(`${p.definition.name}#rebuild`, rebuild.builder.applied);
        const remaining = Number(this.head - rebuild.builder.position);
        progress = {
          version: rebuild.builder.definition.version,
          position: rebuild.builder.position,
          head: this.head,
          eventsPerSecond,
          etaSeconds: eventsPerSecond > 0 ? Math.ceil(remaining / eventsPerSecond) : null,
        };
      }
      return {
        name: p.definition.name,
        version: p.serveOnly ? Number(/\.v(\d+)\.sqlite$/.exec(p.file)?.[1] ?? p.definition.version) : p.definition.version,
        state: rebuild && p.state === 'LIVE' ? 'REBUILDING' : p.state,
        position: p.position,
        lagEvents: behind ? this.head - p.position : 0n,
        lagSeconds:
          behind && this.headRecordedAt && p.lastRecordedAt
            ? Math.max(0, (this.headRecordedAt.getTime() - p.lastRecordedAt.getTime()) / 1000)
            : 0,
        eventsPerSecond: rateOf(p.definition.name, p.applied),
        lastError: p.lastError,
        rebuild: progress,
      };
    });
  }

  /**
   * Passes over the event a failed projection stopped at, on an operator's
   * explicit decision, recorded with who and why in the projection's own
   * `_skipped` table; the projection then goes on from the next event.
   */
  async skip(name: string, position: bigint, reason: string, actor: string): Promise<void> {
    const p = this.projection(name);
    if (p.state !== 'FAILED' || p.lastError?.position !== position) {
      throw new Error(`projection ${name} is not stopped at position ${position}`);
    }
    p.skipEvent(position, reason, actor, p.lastError.message);
    p.position = position;
    p.lastError = null;
    p.state = 'CATCHING_UP';
    this.options.log?.('projection event skipped', { projection: name, position: String(position), reason, actor });
    await this.subscription?.close();
  }

  /** Retries a failed projection from its checkpoint (after the cause was fixed elsewhere). */
  async retry(name: string): Promise<void> {
    const p = this.projection(name);
    if (p.state !== 'FAILED') return;
    p.lastError = null;
    p.state = 'CATCHING_UP';
    await this.subscription?.close();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.threadsStop.abort();
    clearTimeout(this.persistTimer);
    clearTimeout(this.groupTimer);
    clearInterval(this.stallTimer);
    await this.subscription?.close();
    for (const rebuild of this.rebuilds.values()) {
      await rebuild.subscription?.close();
      await rebuild.done.catch(() => undefined);
    }
    await this.loop?.catch(() => undefined);
    for (const w of this.waiters) w.reject(new Error('the projection runtime stopped'));
    this.waiters = [];
    for (const p of this.running.values()) {
      p.state = 'STOPPED';
      p.close();
    }
  }
}

const IMMEDIATE = Symbol('immediate');
const immediate = (): Promise<typeof IMMEDIATE> => new Promise((resolve) => setImmediate(() => resolve(IMMEDIATE)));

/** Events read to estimate each projection's share of a catch-up. */
const LOAD_SAMPLE_EVENTS = 5_000;

/** Shares projections out to `count` groups, heaviest first onto the lightest group (LPT). */
const balance = (projections: RunningProjection[], count: number, load: Map<RunningProjection, number>): RunningProjection[][] => {
  const groups = Array.from({ length: Math.min(count, projections.length) }, () => ({ members: [] as RunningProjection[], load: 0 }));
  for (const p of [...projections].sort((a, b) => load.get(b)! - load.get(a)!)) {
    const lightest = groups.reduce((min, g) => (g.load < min.load ? g : min));
    lightest.members.push(p);
    lightest.load += load.get(p)!;
  }
  return groups.map((g) => g.members);
};

/**
 * Catches the projections in `targets` up with the store's head as it is when
 * called, builds their query indexes, and closes them: what a worker thread
 * runs (`src/projection/catch-up-thread.ts`). One reader for all of them;
 * commits as the runtime does (rows with their checkpoint, in groups), so a
 * process killed meanwhile resumes from the last commit. A projection whose
 * handler fails stops there, as in the runtime; the runtime meets the same
 * event again and reports it.
 */
export const catchUpFiles = async (
  store: EventStore,
  targets: readonly CatchUpTarget[],
  options: { batchSize?: number; onProgress?: (progress: CatchUpProgress) => void } = {},
): Promise<void> => {
  const batchSize = options.batchSize ?? 2000;
  const projections = targets.map((t) => new RunningProjection(t.definition, t.file, { boot: t.boot }));
  // Through where each has replayed (committed or in its open group): a projection with
  // nothing to apply commits nothing, so its committed position says little until the end.
  const report = (): void => {
    for (const p of projections) options.onProgress?.({ name: p.definition.name, position: p.appliedPosition, applied: p.applied });
  };
  const progress = setInterval(report, 250);
  try {
    const head = await store.headPosition();
    // Only the types some projection here handles are read (filtered in the store): the others
    // would be parsed to be passed over, and a projection of one or two event types replays a
    // fraction of the history. Each type the store holds is asked of the handlers as the runtime
    // asks them (a projection may handle every type, present and future: causation does). Listed
    // after the head was read, so every event up to the head is of a listed type.
    const inStore = store.eventTypes ? await store.eventTypes() : undefined;
    const eventTypes = inStore?.filter((type) => projections.some((p) => p.definition.handlers[type] !== undefined));
    let after = projections.reduce((lowest, p) => (p.position < lowest ? p.position : lowest), head);
    while (after < head) {
      const page = await store.readAll({ after, maxCount: batchSize, eventTypes });
      // A short page is the end of what there is of these types: every event up to the head has
      // been read, so the checkpoints move to the head, however long ago their last event was.
      const through = page.length === batchSize && page[page.length - 1]!.position < head ? page[page.length - 1]!.position : head;
      const batch = page.filter((event) => event.position <= through);
      for (const p of projections) p.apply(batch, through, through < head);
      after = through;
      // The store's pages arrive as microtasks: a turn of the event loop lets the progress timer
      // report (`projections` shows a thread's progress) and the parent's messages in.
      await immediate();
    }
    for (const p of projections) {
      p.flush();
      if (p.state !== 'FAILED') p.buildIndexes();
    }
  } finally {
    clearInterval(progress);
    for (const p of projections) p.close();
    report();
  }
};

interface Rebuild {
  builder: RunningProjection;
  startedAt: number;
  startedFrom: bigint;
  done: Promise<void>;
  subscription: Subscription | undefined;
}

/** Groups what a subscription already holds into batches, without waiting for new events to fill one. */
async function* batches(subscription: Subscription, size: number): AsyncGenerator<RecordedEvent[]> {
  const iterator = subscription[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<RecordedEvent>> | undefined;
  for (;;) {
    const first = await (pending ?? iterator.next());
    pending = undefined;
    if (first.done) return;
    const batch = [first.value];
    while (batch.length < size) {
      const next = iterator.next();
      const ready = await Promise.race([next, immediate()]);
      if (ready === IMMEDIATE) {
        pending = next;
        break;
      }
      if ((ready as IteratorResult<RecordedEvent>).done) {
        yield batch;
        return;
      }
      batch.push((ready as IteratorResult<RecordedEvent>).value);
    }
    yield batch;
    // A full batch means history is still being read: the store's pages arrive as
    // microtasks, so without this turn of the event loop a catch-up or a rebuild
    // would keep requests and timers waiting until it reached the head.
    if (batch.length === size) await immediate();
  }
}
