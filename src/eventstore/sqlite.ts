/**
 * The event store port on one SQLite file (better-sqlite3).
 *
 * better-sqlite3 is synchronous: reads run their SQL to completion on the
 * calling tick and only wrap the result in a Promise because the port is
 * asynchronous. Appends are queued and committed together (group commit): the
 * appends waiting when the queue is flushed share one `BEGIN IMMEDIATE`
 * transaction and so one fsync, each in its own savepoint and checked against
 * its own expected revision. With `synchronous=FULL` the fsync is what a
 * durable append costs, so under concurrency durability is paid once per group
 * instead of once per append. A flush runs synchronously from BEGIN to COMMIT,
 * so no two groups of this process ever interleave, and a subscriber that finds
 * nothing to read registers its wake-up before any other commit can run.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, openSync } from 'node:fs';
import { DuplicateEventId, EventStoreUnavailable, ExpectedRevisionConflict } from './errors';
import type {
  AppendResult,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  SubscribeToAllOptions,
  Subscription,
} from './event-store';

export interface SqliteEventStoreOptions {
  /** File path, or `':memory:'` for a private, throw-away database. */
  path: string;
  /**
   * `FULL` (default): an acknowledged append survives power loss.
   * `NORMAL`: in WAL mode an append survives a crash of this process but the
   * last commits may be lost on power loss; faster, for tests and benchmarks.
   */
  synchronous?: 'FULL' | 'NORMAL';
  /**
   * How often a waiting subscription looks for events appended by another
   * process (default 200 ms). Appends made through this store instance wake
   * subscribers immediately.
   */
  pollIntervalMs?: number;
}

/** Settings the live connection actually runs with, for status output and tests. */
export interface SqlitePragmas {
  /** `'wal'` for a file, `'memory'` for `:memory:`. */
  journalMode: string;
  /** 2 = FULL, 1 = NORMAL. */
  synchronous: number;
  busyTimeoutMs: number;
  foreignKeys: boolean;
  /** Schema version of the file (`PRAGMA user_version`). */
  userVersion: number;
}

/**
 * The SQLite adapter. Beyond the port's guarantees:
 * - positions are SQLite rowids assigned inside the `BEGIN IMMEDIATE` write
 *   transaction, so they follow commit order, start at 1 and have no gaps
 *   (a rolled-back append consumes none);
 * - another process may open the same file read-only (WAL) while this one writes;
 * - every SQLite failure other than a conflict surfaces as `EventStoreUnavailable`
 *   (busy after 5 s, disk full, I/O error, store closed).
 */
export interface SqliteEventStore extends EventStore {
  readonly path: string;
  /** Reads the pragmas of this store's own connection (synchronous is per connection). */
  pragmas(): SqlitePragmas;
  /** Always there on SQLite: a skip scan of the (type, position) index lists them. */
  eventTypes(): Promise<string[]>;
}

/**
 * Creates the store's file 0600 before SQLite opens it (SQLite would make it 0644 less the
 * umask), so the history is never readable by others; SQLite gives the -wal and -shm the mode
 * of the database file. An existing file this process owns is narrowed to 0600. Kept free of
 * other modules of ours (see src/private-files.ts for the same rule elsewhere): the adapter is
 * also loaded on its own, by worker threads in the contract tests.
 */
const createPrivately = (path: string): void => {
  if (path === ':memory:' || path === '' || path.startsWith('file:')) return;
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  try {
    chmodSync(path, 0o600);
  } catch (error) {
    // Someone else's file (an auditor reading the server's): left as it is.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
  }
};

/** The newest schema this build knows; stored in `PRAGMA user_version`. */
const SCHEMA_VERSION = 1;

/**
 * Migration `i` takes the file from user_version `i` to `i + 1`. Written with
 * IF NOT EXISTS so that opening a file whose version was never recorded is harmless.
 * Never edit a released migration: append a new one.
 */
const MIGRATIONS: ReadonlyArray<(db: Database.Database) => void> = [
  (db) => {
    db.exec(`
      CREATE TABLE IF NOT EXISTS events (
        position       INTEGER PRIMARY KEY AUTOINCREMENT,
        id             TEXT    NOT NULL UNIQUE,
        stream         TEXT    NOT NULL,
        revision       INTEGER NOT NULL,
        type           TEXT    NOT NULL,
        schema_version INTEGER NOT NULL DEFAULT 1,
        data           TEXT    NOT NULL,
        metadata       TEXT    NOT NULL,
        recorded_at    TEXT    NOT NULL,
        UNIQUE (stream, revision)
      );
      CREATE INDEX IF NOT EXISTS events_type_position ON events (type, position);
    `);
  },
];

// Larger than any revision SQLite can store: "from the end" for backwards reads.
const MAX_INT64 = 9223372036854775807n;

const EVENT_COLUMNS = 'position, id, stream, revision, type, schema_version, data, metadata, recorded_at';

/**
 * A row of EVENT_COLUMNS as the read statements return it: an array in column order
 * (`raw` mode). better-sqlite3 builds a row object one property at a time, which
 * was most of the cost of reading a short stream on every command.
 */
type EventRow = [
  position: bigint,
  id: string,
  stream: string,
  revision: bigint,
  type: string,
  schemaVersion: bigint,
  data: string,
  metadata: string,
  recordedAt: string,
];

interface StoredId {
  position: bigint;
  stream: string;
  revision: bigint;
}

interface SerializedEvent {
  id: string;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
}

interface AppendOutcome {
  result: AppendResult;
  /** False for an idempotent retry or an empty append: nothing to tell subscribers. */
  wrote: boolean;
}

/** An append waiting for the next group commit; its promise settles only after that group's COMMIT. */
/** One stream's part of a waiting append. */
interface PendingPart {
  streamName: string;
  events: readonly SerializedEvent[];
  expected: ExpectedRevision;
}

/** One command's append, to one stream or several: committed whole, in one savepoint, or not at all. */
interface PendingAppend {
  parts: readonly PendingPart[];
  resolve: (results: AppendResult[]) => void;
  reject: (error: unknown) => void;
}

/** What one append of a group came to: its parts' results, or the error that rolled back its savepoint alone. */
type GroupOutcome = { ok: true; outcomes: AppendOutcome[] } | { ok: false; error: unknown };

/**
 * Most appends in one group: bounds the time one flush holds the event loop
 * and the write lock, so readers in other processes and requests in this
 * one wait for a bounded transaction.
 */
const MAX_GROUP = 256;

/**
 * Recognised by its `SQLITE_…` code, not by `instanceof`: the native addon
 * keeps the error class of the first copy of better-sqlite3 that loaded it, so
 * a second copy in the same process (a test runner's module registry, two
 * bundled versions) throws errors that are not instances of its own class.
 */
const isSqliteError = (error: unknown): error is Error & { code: string } => {
  // Not `instanceof Error` either: a test runner's module registry gives each file its own realm.
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_');
};

const isUniqueViolation = (error: unknown): error is Error & { code: string } =>
  isSqliteError(error) && (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY');

/** Conflicts and caller mistakes pass through; anything SQLite refused becomes `EventStoreUnavailable`. */
const translate = (error: unknown, doing: string): unknown => {
  if (isSqliteError(error)) {
    return new EventStoreUnavailable(`sqlite event store: ${doing} failed: ${error.code}: ${error.message}`, error);
  }
  return error;
};

const limitOf = (maxCount: number | undefined): number => {
  if (maxCount === undefined) return -1; // SQLite: a negative LIMIT means no limit
  if (!Number.isSafeInteger(maxCount) || maxCount < 0) {
    throw new RangeError(`maxCount must be a non-negative integer, got ${String(maxCount)}`);
  }
  return maxCount;
};

const assertExpectedRevision = (expected: unknown): void => {
  if (expected === 'no_stream' || expected === 'stream_exists' || expected === 'any') return;
  // A JS number would never equal the bigint revision and fail as a confusing conflict.
  if (typeof expected !== 'bigint') {
    throw new TypeError(`expectedRevision must be 'no_stream', 'stream_exists', 'any' or a bigint, got ${typeof expected}`);
  }
};

const toRecorded = ([position, id, stream, revision, type, schemaVersion, data, metadata, recordedAt]: EventRow): RecordedEvent => ({
  id,
  type,
  data: JSON.parse(data) as Record<string, unknown>,
  metadata: JSON.parse(metadata) as EventMetadata,
  schemaVersion: Number(schemaVersion),
  streamName: stream,
  revision,
  position,
  recordedAt: new Date(recordedAt),
});

/**
 * Opens (creating when missing) the store at `options.path`, migrates its
 * schema and sets WAL, `synchronous`, `busy_timeout=5000` and `foreign_keys`.
 * Throws `EventStoreUnavailable` when the file cannot be opened or was written
 * by a newer schema version than this build knows.
 */
export function createSqliteEventStore(options: SqliteEventStoreOptions): SqliteEventStore {
  return new SqliteStore(options);
}

class SqliteStore implements SqliteEventStore {
  readonly kind = 'sqlite';
  readonly path: string;

  private readonly db: Database.Database;
  private readonly pollIntervalMs: number;
  private closed = false;
  /** Wake-ups of subscriptions that found nothing to read; called after each commit. */
  private readonly wakers = new Set<() => void>();
  private readonly subscriptions = new Set<SqliteSubscription>();

  private readonly stmt: {
    streamRevision: Database.Statement<[string], bigint | null>;
    head: Database.Statement<[], bigint | null>;
    byId: Database.Statement<[string], StoredId>;
    insert: Database.Statement<[string, string, bigint, string, number, string, string, string]>;
    readForwards: Database.Statement<[string, bigint, number], EventRow>;
    readBackwards: Database.Statement<[string, bigint, number], EventRow>;
    readAll: Database.Statement<[bigint, number], EventRow>;
  };
  /** Type-filtered readAll statements, keyed by the number of types (one placeholder each). */
  private readonly readAllByTypes = new Map<number, Database.Statement<unknown[], EventRow>>();
  /** Called inside the group's transaction, so better-sqlite3 runs it as a SAVEPOINT. */
  private readonly appendInSavepoint: Database.Transaction<
    (parts: readonly PendingPart[]) => AppendOutcome[]
  >;
  private readonly commitGroup: Database.Transaction<(group: readonly PendingAppend[]) => GroupOutcome[]>;
  /** Appends waiting for the next flush, in arrival order (which becomes commit order). */
  private pending: PendingAppend[] = [];
  private flushScheduled = false;

  constructor(options: SqliteEventStoreOptions) {
    const synchronous = options.synchronous ?? 'FULL';
    // Interpolated into a PRAGMA below, so only the two documented values get through.
    if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
      throw new TypeError(`synchronous must be 'FULL' or 'NORMAL', got ${String(synchronous)}`);
    }
    const pollIntervalMs = options.pollIntervalMs ?? 200;
    if (!(pollIntervalMs > 0) || !Number.isFinite(pollIntervalMs)) {
      throw new RangeError(`pollIntervalMs must be a positive number, got ${String(pollIntervalMs)}`);
    }
    this.path = options.path;
    this.pollIntervalMs = pollIntervalMs;

    let db: Database.Database | undefined;
    try {
      // 0600 before SQLite opens it; its -wal and -shm take the same mode from it.
      createPrivately(options.path);
      db = new Database(options.path);
      // Set first, so that switching to WAL and migrating wait for another process instead of failing.
      db.pragma('busy_timeout = 5000');
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${synchronous}`);
      db.pragma('foreign_keys = ON');
      migrate(db);
    } catch (error) {
      db?.close();
      if (error instanceof EventStoreUnavailable) throw error;
      throw new EventStoreUnavailable(
        `sqlite event store: cannot open ${options.path}: ${error instanceof Error ? error.message : String(error)}`,
        error,
      );
    }
    this.db = db;

    // safeIntegers on every statement that reads integers: positions may exceed 2^53.
    this.stmt = {
      streamRevision: db.prepare<[string], bigint | null>('SELECT MAX(revision) FROM events WHERE stream = ?').pluck().safeIntegers(true),
      head: db.prepare<[], bigint | null>('SELECT MAX(position) FROM events').pluck().safeIntegers(true),
      byId: db.prepare<[string], StoredId>('SELECT position, stream, revision FROM events WHERE id = ?').safeIntegers(true),
      insert: db
        .prepare<[string, string, bigint, string, number, string, string, string]>(
          `INSERT INTO events (id, stream, revision, type, schema_version, data, metadata, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .safeIntegers(true),
      readForwards: db
        .prepare<[string, bigint, number], EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`,
        )
        .safeIntegers(true)
        .raw(true),
      readBackwards: db
        .prepare<[string, bigint, number], EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
        )
        .safeIntegers(true)
        .raw(true),
      readAll: db
        .prepare<[bigint, number], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`)
        .safeIntegers(true)
        .raw(true),
    };

    this.appendInSavepoint = db.transaction(
      // Every part of one command in one savepoint: a part refused rolls back the parts before it too.
      (parts: readonly PendingPart[]): AppendOutcome[] => parts.map((part) => this.appendInTransaction(part.streamName, part.events, part.expected)),
    );
    this.commitGroup = db.transaction((group: readonly PendingAppend[]): GroupOutcome[] =>
      group.map((append): GroupOutcome => {
        try {
          return { ok: true, outcomes: this.appendInSavepoint(append.parts) };
        } catch (error) {
          // A conflict or a duplicate id is this append's own fault: its savepoint is
          // rolled back and the others go on. Anything SQLite itself refused (disk full,
          // I/O error) may have ended the transaction: the whole group fails, nothing is kept.
          if (isSqliteError(error)) throw error;
          return { ok: false, error };
        }
      }),
    );
  }

  /**
   * Runs in its own savepoint of a group's `BEGIN IMMEDIATE` transaction, so
   * the revision check, the idempotency check and the inserts see the appends
   * committed before it (in this group too) and hold that state; a second
   * writer (another process) waits up to `busy_timeout` for the lock. A
   * rejected append leaves no trace: its savepoint is rolled back alone.
   *
   * An empty `events` array only checks `expectedRevision`. It then returns the
   * stream's current revision as `nextExpectedRevision` (`-1n` when the stream
   * does not exist) and the store's head position as `position`, which is at or
   * after every event of the stream, so waiting for projections to reach it still
   * reads the caller's writes.
   */
  async appendToStream(
    streamName: string,
    events: readonly NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    const [result] = await this.appendToStreams([{ streamName, events, expectedRevision: options.expectedRevision }]);
    return result!;
  }

  readonly atomicAcrossStreams = true;

  /** Every part in one savepoint of one group's transaction: all of them are committed, or none. */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    this.assertOpen();
    if (appends.length === 0) throw new TypeError('appendToStreams needs at least one stream');
    const parts = appends.map(({ streamName, events, expectedRevision }): PendingPart => {
      if (typeof streamName !== 'string' || streamName.length === 0) {
        throw new TypeError('streamName must be a non-empty string');
      }
      assertExpectedRevision(expectedRevision);
      return { streamName, events: serialize(streamName, events), expected: expectedRevision };
    });

    return new Promise<AppendResult[]>((resolve, reject) => {
      this.pending.push({ parts, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // After the I/O callbacks of this loop turn: every request that arrived with
        // them has queued its append by then, so they share one commit.
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Commits the waiting appends in groups, one transaction (one fsync) each,
   * then settles their promises: acknowledged means committed.
   */
  private flush(): void {
    this.flushScheduled = false;
    while (this.pending.length > 0) {
      const group = this.pending.splice(0, MAX_GROUP);
      if (!this.db.open) {
        for (const append of group) append.reject(new EventStoreUnavailable(`sqlite event store ${this.path} is closed`));
        continue;
      }
      let outcomes: GroupOutcome[];
      try {
        outcomes = this.commitGroup.immediate(group);
      } catch (error) {
        const failure = translate(error, `append to ${group.length === 1 && group[0]!.parts.length === 1 ? group[0]!.parts[0]!.streamName : 'several streams'}`);
        for (const append of group) append.reject(failure);
        continue;
      }
      let wrote = false;
      outcomes.forEach((outcome, i) => {
        if (outcome.ok) {
          wrote ||= outcome.outcomes.some((o) => o.wrote);
          group[i]!.resolve(outcome.outcomes.map((o) => o.result));
        } else {
          group[i]!.reject(translate(outcome.error, `append to ${group[i]!.parts.map((p) => p.streamName).join(', ')}`));
        }
      });
      if (wrote) this.notify();
    }
  }

  private appendInTransaction(
    streamName: string,
    events: readonly SerializedEvent[],
    expected: ExpectedRevision,
  ): AppendOutcome {
    const current = this.stmt.streamRevision.get(streamName) ?? undefined;

    // Idempotency before the revision check: a retry of an append that did commit
    // (its reply was lost) finds the stream moved on and must still succeed.
    if (events.length > 0) {
      const first = this.stmt.byId.get(events[0].id);
      if (first !== undefined) return { result: this.matchRetry(streamName, events, first), wrote: false };
      // Any later id already stored is caught by the UNIQUE index as the row goes in (below),
      // which rolls this append back: no lookup per event on the way.
    }

    checkExpectedRevision(streamName, expected, current);

    if (events.length === 0) {
      return { result: { nextExpectedRevision: current ?? -1n, position: this.stmt.head.get() ?? 0n }, wrote: false };
    }

    const recordedAt = new Date().toISOString();
    let revision = current === undefined ? 0n : current + 1n;
    let position = 0n;
    for (const event of events) {
      try {
        const run = this.stmt.insert.run(
          event.id,
          streamName,
          revision,
          event.type,
          event.schemaVersion,
          event.data,
          event.metadata,
          recordedAt,
        );
        position = BigInt(run.lastInsertRowid);
      } catch (error) {
        // An id already stored (a partial retry, or an id taken by another stream); a
        // (stream, revision) clash is unreachable while every writer goes through BEGIN
        // IMMEDIATE and is the last line against one that does not. Throwing rolls the
        // whole append back.
        if (!isUniqueViolation(error)) throw error;
        if (error.message.includes('events.id')) throw new DuplicateEventId(event.id, streamName);
        throw new ExpectedRevisionConflict(streamName, expected, this.stmt.streamRevision.get(streamName) ?? undefined);
      }
      revision += 1n;
    }
    return { result: { nextExpectedRevision: revision - 1n, position }, wrote: true };
  }

  /** Every id must be stored, in this stream, at consecutive revisions in the same order. */
  private matchRetry(streamName: string, events: readonly SerializedEvent[], first: StoredId): AppendResult {
    let last = first;
    for (let i = 0; i < events.length; i++) {
      const stored = i === 0 ? first : this.stmt.byId.get(events[i].id);
      if (stored === undefined) throw new DuplicateEventId(events[0].id, streamName);
      if (stored.stream !== streamName || stored.revision !== first.revision + BigInt(i)) {
        throw new DuplicateEventId(events[i].id, streamName);
      }
      last = stored;
    }
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  /** A missing stream reads as `[]`. `fromRevision` is inclusive in both directions. */
  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = limitOf(options.maxCount);
    try {
      const rows =
        options.direction === 'backwards'
          ? this.stmt.readBackwards.all(streamName, options.fromRevision ?? MAX_INT64, limit)
          : this.stmt.readForwards.all(streamName, options.fromRevision ?? 0n, limit);
      return rows.map(toRecorded);
    } catch (error) {
      throw translate(error, `read stream ${streamName}`);
    }
  }

  /** An empty `eventTypes` array matches no event (it is a filter, not "no filter"). */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    try {
      return this.readAllSync(options.after ?? 0n, limitOf(options.maxCount), options.eventTypes);
    } catch (error) {
      throw translate(error, 'read all');
    }
  }

  /** @internal Used by subscriptions, which must not await between the read and the wait. */
  readAllSync(after: bigint, limit: number, eventTypes: readonly string[] | undefined): RecordedEvent[] {
    if (eventTypes === undefined) return this.stmt.readAll.all(after, limit).map(toRecorded);
    if (eventTypes.length === 0) return [];
    return this.statementForTypes(eventTypes.length)
      .all(after, ...eventTypes, limit)
      .map(toRecorded);
  }

  private statementForTypes(count: number): Database.Statement<unknown[], EventRow> {
    let statement = this.readAllByTypes.get(count);
    if (statement === undefined) {
      const placeholders = new Array<string>(count).fill('?').join(', ');
      statement = this.db
        .prepare<unknown[], EventRow>(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND type IN (${placeholders}) ORDER BY position ASC LIMIT ?`,
        )
        .safeIntegers(true)
        .raw(true);
      this.readAllByTypes.set(count, statement);
    }
    return statement;
  }

  /**
   * Pull-based: a page (`batchSize`, default 500) is read only when the consumer
   * has taken the previous one, so a slow consumer holds at most one page in
   * memory. When there is nothing new it waits for an append through this store
   * instance or for the next poll (`pollIntervalMs`), which is how appends by
   * other processes are seen.
   *
   * `caughtUp` resolves once the consumer has pulled every event that existed
   * when `subscribeToAll` was called (at once if there were none); it rejects if
   * the subscription is closed before that.
   */
  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    this.assertOpen();
    const batchSize = options.batchSize ?? 500;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`batchSize must be a positive integer, got ${String(batchSize)}`);
    }
    let startHead: bigint;
    try {
      startHead = this.headSync();
    } catch (error) {
      throw translate(error, 'subscribe');
    }
    const subscription = new SqliteSubscription(this, {
      after: options.after ?? 0n,
      eventTypes: options.eventTypes === undefined ? undefined : [...options.eventTypes],
      batchSize,
      pollIntervalMs: this.pollIntervalMs,
      startHead,
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  async eventTypes(): Promise<string[]> {
    this.assertOpen();
    try {
      // A skip scan of the (type, position) index: one seek per distinct type, not a read of every event.
      return (this.db.prepare(
        `WITH RECURSIVE types(type) AS (
           SELECT MIN(type) FROM events
           UNION ALL SELECT (SELECT MIN(type) FROM events WHERE type > types.type) FROM types WHERE types.type IS NOT NULL)
         SELECT type FROM types WHERE type IS NOT NULL`,
      ).all() as { type: string }[]).map((row) => row.type);
    } catch (error) {
      throw translate(error, 'list event types');
    }
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    try {
      return this.headSync();
    } catch (error) {
      throw translate(error, 'read head position');
    }
  }

  pragmas(): SqlitePragmas {
    this.assertOpen();
    const read = (name: string): unknown => this.db.pragma(name, { simple: true });
    return {
      journalMode: String(read('journal_mode')),
      synchronous: Number(read('synchronous')),
      busyTimeoutMs: Number(read('busy_timeout')),
      foreignKeys: Number(read('foreign_keys')) === 1,
      userVersion: Number(read('user_version')),
    };
  }

  /** Ends every subscription (pending `next()` calls resolve as done), then closes the file. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Appends already accepted are committed (or rejected) before the file closes.
    this.flush();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    this.db.close();
  }

  /** @internal */
  headSync(): bigint {
    return this.stmt.head.get() ?? 0n;
  }

  /** @internal */
  isClosed(): boolean {
    return this.closed;
  }

  /** @internal */
  addWaker(wake: () => void): void {
    this.wakers.add(wake);
  }

  /** @internal */
  removeWaker(wake: () => void): void {
    this.wakers.delete(wake);
  }

  /** @internal */
  forget(subscription: SqliteSubscription): void {
    this.subscriptions.delete(subscription);
  }

  private notify(): void {
    // Copy: a woken subscription removes its waker while we iterate.
    for (const wake of [...this.wakers]) wake();
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailable(`sqlite event store ${this.path} is closed`);
  }
}

function migrate(db: Database.Database): void {
  const versionOf = (): number => Number(db.pragma('user_version', { simple: true }));
  const check = (version: number): void => {
    if (version > SCHEMA_VERSION) {
      throw new EventStoreUnavailable(
        `sqlite event store: ${db.name} has schema version ${version}, newer than ${SCHEMA_VERSION} which this build knows; upgrade the application`,
      );
    }
  };
  check(versionOf());
  if (versionOf() === SCHEMA_VERSION) return;
  // IMMEDIATE: two processes opening a fresh file at once migrate one after the other,
  // and the second re-reads the version inside its transaction and finds nothing to do.
  db.transaction(() => {
    const from = versionOf();
    check(from);
    for (let version = from; version < SCHEMA_VERSION; version++) MIGRATIONS[version](db);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

const isPlainObject = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function serialize(streamName: string, events: readonly NewEvent[]): SerializedEvent[] {
  const seen = new Set<string>();
  return events.map((event) => {
    // Caught here, a bad event is the caller's TypeError; caught by a NOT NULL constraint,
    // it would look like an unavailable store.
    if (typeof event.id !== 'string' || event.id.length === 0) throw new TypeError('event id must be a non-empty string');
    if (typeof event.type !== 'string' || event.type.length === 0) {
      throw new TypeError(`event ${event.id}: type must be a non-empty string`);
    }
    if (!isPlainObject(event.data) || !isPlainObject(event.metadata)) {
      throw new TypeError(`event ${event.id}: data and metadata must be objects`);
    }
    // Two events with one id in one append can be neither a first write nor a retry.
    if (seen.has(event.id)) throw new DuplicateEventId(event.id, streamName);
    seen.add(event.id);
    const schemaVersion = event.schemaVersion ?? 1;
    if (!Number.isSafeInteger(schemaVersion) || schemaVersion < 1) {
      throw new RangeError(`event ${event.id}: schemaVersion must be a positive integer, got ${String(schemaVersion)}`);
    }
    return {
      id: event.id,
      type: event.type,
      schemaVersion,
      data: JSON.stringify(event.data),
      metadata: JSON.stringify(event.metadata),
    };
  });
}

function checkExpectedRevision(streamName: string, expected: ExpectedRevision, current: bigint | undefined): void {
  const holds =
    expected === 'any' ||
    (expected === 'no_stream' && current === undefined) ||
    (expected === 'stream_exists' && current !== undefined) ||
    (typeof expected === 'bigint' && current === expected);
  if (!holds) throw new ExpectedRevisionConflict(streamName, expected, current);
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

class SqliteSubscription implements Subscription, AsyncIterableIterator<RecordedEvent> {
  readonly caughtUp: Promise<void>;
  private resolveCaughtUp!: () => void;
  private rejectCaughtUp!: (error: Error) => void;
  private isCaughtUp = false;

  /** Position of the last event read from the store (not necessarily delivered yet). */
  private cursor: bigint;
  private buffer: RecordedEvent[] = [];
  private bufferIndex = 0;
  /** A page came back short: everything that existed at subscribe time has been read. */
  private readPastStart = false;
  private closed = false;
  private wake: (() => void) | undefined;
  /** Serialises `next()` calls made without awaiting the previous one. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: SqliteStore,
    private readonly options: {
      after: bigint;
      eventTypes: readonly string[] | undefined;
      batchSize: number;
      pollIntervalMs: number;
      startHead: bigint;
    },
  ) {
    this.cursor = options.after;
    this.caughtUp = new Promise<void>((resolve, reject) => {
      this.resolveCaughtUp = resolve;
      this.rejectCaughtUp = reject;
    });
    // Nobody has to await caughtUp; an unobserved rejection on close must not crash the process.
    this.caughtUp.catch(() => undefined);
    if (options.startHead <= options.after) this.markCaughtUp();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<RecordedEvent>> {
    const result = this.queue.then(() => this.pull());
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Called by `for await` on `break`/`throw`: the subscription cannot be resumed afterwards. */
  async return(): Promise<IteratorResult<RecordedEvent>> {
    await this.close();
    return DONE;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.buffer = [];
    this.bufferIndex = 0;
    this.wake?.();
    this.store.forget(this);
    if (!this.isCaughtUp) this.rejectCaughtUp(new Error('subscription closed before it caught up'));
  }

  private async pull(): Promise<IteratorResult<RecordedEvent>> {
    for (;;) {
      if (this.closed || this.store.isClosed()) {
        await this.close();
        return DONE;
      }
      if (this.bufferIndex < this.buffer.length) {
        const event = this.buffer[this.bufferIndex++];
        this.afterDelivering(event);
        return { done: false, value: event };
      }

      let page: RecordedEvent[];
      try {
        page = this.store.readAllSync(this.cursor, this.options.batchSize, this.options.eventTypes);
      } catch (error) {
        await this.close();
        throw translate(error, 'subscription read');
      }
      if (page.length < this.options.batchSize) this.readPastStart = true;
      if (page.length > 0) {
        this.buffer = page;
        this.bufferIndex = 0;
        this.cursor = page[page.length - 1].position;
        continue;
      }
      if (this.readPastStart) this.markCaughtUp();
      // Synchronous from the empty read to registering the waker: an in-process
      // append cannot slip in between, so no wake-up is lost.
      await this.waitForNews();
    }
  }

  private afterDelivering(event: RecordedEvent): void {
    if (this.isCaughtUp) return;
    const next = this.bufferIndex < this.buffer.length ? this.buffer[this.bufferIndex] : undefined;
    if (
      event.position >= this.options.startHead ||
      (next !== undefined ? next.position > this.options.startHead : this.readPastStart)
    ) {
      this.markCaughtUp();
    }
  }

  private markCaughtUp(): void {
    if (this.isCaughtUp) return;
    this.isCaughtUp = true;
    this.resolveCaughtUp();
  }

  private waitForNews(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.store.removeWaker(done);
        this.wake = undefined;
        resolve();
      };
      // Not unref'd: a CLI following the log must stay alive while it waits.
      const timer = setTimeout(done, this.options.pollIntervalMs);
      this.store.addWaker(done);
      this.wake = done;
    });
  }
}
