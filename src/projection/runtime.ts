/**
 * The projection runtime: one reader of the event store per process, fanned
 * out to every projection (one subscription per projection does not scale,
 * see PITFALLS.md). Each projection owns one SQLite file holding its tables
 * and its checkpoint; a batch's rows and the checkpoint commit in one
 * transaction, so after a crash a projection resumes exactly after the last
 * batch it committed, never skipping or double-applying an event.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore, RecordedEvent, Subscription } from '../eventstore/event-store';
import { readModelDb, type ProjectionDefinition, type ReadModelDb } from './projection';

export type ProjectionState = 'CATCHING_UP' | 'LIVE' | 'PAUSED' | 'FAILED' | 'STOPPED';

export interface ProjectionStatus {
  name: string;
  version: number;
  state: ProjectionState;
  /** Position of the last event this projection has taken into account. */
  position: bigint;
  /** Events in the store after that position. */
  lagEvents: bigint;
  lastError: { message: string; position: bigint } | null;
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
);`;

/** One projection's files, connections and progress. */
class RunningProjection {
  readonly writer: Database.Database;
  readonly reader: Database.Database;
  readonly db: ReadModelDb;
  position: bigint;
  state: ProjectionState = 'CATCHING_UP';
  lastError: { message: string; position: bigint } | null = null;
  private readonly commit: (events: RecordedEvent[], through: bigint) => void;

  constructor(readonly definition: ProjectionDefinition, readonly file: string) {
    this.writer = new Database(file);
    this.writer.pragma('journal_mode = WAL');
    // Read models can always be rebuilt from the events, and rows and checkpoint
    // commit together, so a lost tail after power loss is replayed, not corrupted.
    this.writer.pragma('synchronous = NORMAL');
    this.writer.pragma('busy_timeout = 5000');
    const fresh = this.writer.prepare(`SELECT 1 FROM sqlite_master WHERE name = '_checkpoint'`).get() === undefined;
    if (fresh) {
      this.writer.transaction(() => {
        this.writer.exec(definition.schema);
        this.writer.exec(CHECKPOINT_DDL);
        this.writer
          .prepare(`INSERT INTO _checkpoint (id, name, version, position, updated_at) VALUES (1, ?, ?, 0, ?)`)
          .run(definition.name, definition.version, new Date().toISOString());
      })();
    }
    const row = this.writer.prepare(`SELECT position FROM _checkpoint WHERE id = 1`).safeIntegers(true).get() as {
      position: bigint;
    };
    this.position = row.position;
    this.reader = new Database(file, { readonly: true });
    this.reader.pragma('busy_timeout = 5000');
    this.db = readModelDb(this.writer);
    const saveCheckpoint = this.writer.prepare(`UPDATE _checkpoint SET position = ?, updated_at = ? WHERE id = 1`);
    this.commit = this.writer.transaction((events: RecordedEvent[], through: bigint) => {
      for (const event of events) {
        if (event.position <= this.position) continue;
        const handler = definition.handlers[event.type];
        if (!handler) continue;
        try {
          handler(event, this.db);
        } catch (error) {
          throw new HandlerError(event.position, error);
        }
      }
      saveCheckpoint.run(through, new Date().toISOString());
    });
  }

  /** Applies a batch; on a handler error nothing of the batch is kept and the projection stops at that event. */
  apply(events: RecordedEvent[], through: bigint): void {
    if (this.state === 'FAILED' || this.state === 'STOPPED' || this.state === 'PAUSED' || through <= this.position) return;
    try {
      this.commit(events, through);
      this.position = through;
    } catch (error) {
      const position = error instanceof HandlerError ? error.position : through;
      const cause = error instanceof HandlerError ? error.cause : error;
      // A full disk or a locked file is the machine's trouble, not the handler's:
      // nothing was kept, and the runtime retries the batch with back-off.
      if (isTransient(cause)) throw new TransientProjectionError(this.definition.name, cause);
      this.state = 'FAILED';
      this.lastError = { message: cause instanceof Error ? cause.message : String(cause), position };
    }
  }

  close(): void {
    this.reader.close();
    this.writer.close();
  }
}

/** SQLite codes that say "not now" rather than "this event cannot be applied". */
const TRANSIENT = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|READONLY|CANTOPEN)/;
const isTransient = (error: unknown): boolean => {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
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
  /** Most events handed to the projections in one transaction. */
  batchSize?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export class ProjectionRuntime {
  private readonly running = new Map<string, RunningProjection>();
  private subscription: Subscription | undefined;
  private loop: Promise<void> | undefined;
  private waiters: { position: bigint; names: string[] | undefined; resolve: () => void; reject: (e: Error) => void }[] = [];
  private head = 0n;
  private stopped = false;
  private readonly batchSize: number;

  constructor(private readonly store: EventStore, private readonly options: ProjectionRuntimeOptions) {
    this.batchSize = options.batchSize ?? 500;
    mkdirSync(options.directory, { recursive: true });
    const names = new Set<string>();
    for (const definition of options.projections) {
      if (names.has(definition.name)) throw new Error(`two projections are named ${definition.name}`);
      names.add(definition.name);
      const file = join(options.directory, `${definition.name}.v${definition.version}.sqlite`);
      this.running.set(definition.name, new RunningProjection(definition, file));
    }
  }

  /**
   * Starts following the store from the lowest checkpoint; resolves once the
   * projections have caught up with the head as it was at start.
   */
  async start(): Promise<void> {
    this.head = await this.store.headPosition();
    let caughtUp!: () => void;
    const ready = new Promise<void>((resolve) => (caughtUp = resolve));
    this.loop = this.run(caughtUp);
    await ready;
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
        const subscription = this.store.subscribeToAll({ after: this.lowestPosition(), batchSize: this.batchSize });
        this.subscription = subscription;
        void subscription.caughtUp.then(() => {
          for (const p of this.running.values()) if (p.state === 'CATCHING_UP') p.state = 'LIVE';
          this.settleWaiters();
          caughtUp();
          delay = 100;
        }, () => undefined);
        await this.follow(subscription);
      } catch (error) {
        if (this.stopped) return;
        this.options.log?.('event store subscription failed; retrying', { error: String(error), retryInMs: delay });
        for (const p of this.running.values()) if (p.state === 'LIVE') p.state = 'CATCHING_UP';
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 10_000);
      }
    }
  }

  private async follow(subscription: Subscription): Promise<void> {
    const iterator = subscription[Symbol.asyncIterator]();
    let pending: Promise<IteratorResult<RecordedEvent>> | undefined;
    for (;;) {
      const first = await (pending ?? iterator.next());
      pending = undefined;
      if (first.done) return;
      const batch = [first.value];
      // Take what the subscription already holds, without waiting for new events.
      while (batch.length < this.batchSize) {
        const next = iterator.next();
        const ready = await Promise.race([next, immediate()]);
        if (ready === IMMEDIATE) {
          pending = next;
          break;
        }
        if ((ready as IteratorResult<RecordedEvent>).done) {
          this.dispatch(batch);
          return;
        }
        batch.push((ready as IteratorResult<RecordedEvent>).value);
      }
      this.dispatch(batch);
    }
  }

  private dispatch(batch: RecordedEvent[]): void {
    const through = batch[batch.length - 1]!.position;
    if (through > this.head) this.head = through;
    for (const p of this.running.values()) {
      const before = p.state;
      p.apply(batch, through);
      if (p.state === 'FAILED' && before !== 'FAILED') {
        this.options.log?.('projection failed', { projection: p.definition.name, ...p.lastError, position: String(p.lastError?.position) });
      }
    }
    this.settleWaiters();
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
    if (p.state === 'LIVE' || p.state === 'CATCHING_UP') p.state = 'PAUSED';
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
    return [...this.running.values()].map((p) => ({
      name: p.definition.name,
      version: p.definition.version,
      state: p.state,
      position: p.position,
      lagEvents: this.head > p.position ? this.head - p.position : 0n,
      lastError: p.lastError,
    }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.close();
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
