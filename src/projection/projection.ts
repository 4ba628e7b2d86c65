/**
 * What an analyst writes: one file in `projections/` exporting
 * `defineProjection({...})`. The runtime finds it, gives it its own SQLite
 * file, feeds it the event types it has handlers for, and commits each batch
 * of rows together with the projection's checkpoint.
 */
import type Database from 'better-sqlite3';
import type { RecordedEvent } from '../eventstore/event-store';

/**
 * The projection's own database, as handlers see it. Statements are prepared
 * once and cached, so handlers can pass SQL text on every call.
 */
export interface ReadModelDb {
  /** Returns how many rows the statement inserted, updated or deleted (0 for an `INSERT OR IGNORE` that found its row). */
  run(sql: string, params?: Record<string, unknown> | unknown[]): number;
  get<Row = Record<string, unknown>>(sql: string, params?: Record<string, unknown> | unknown[]): Row | undefined;
  all<Row = Record<string, unknown>>(sql: string, params?: Record<string, unknown> | unknown[]): Row[];
}

export type ProjectionHandler = (event: RecordedEvent, db: ReadModelDb) => void;

export interface ProjectionDefinition {
  /** Lower-case letters, digits and dashes; also the file name of its database. */
  name: string;
  /** Bump it when the tables or handlers change meaning: the projection is rebuilt from the first event. */
  version: number;
  description: string;
  /** DDL for the tables this projection owns, run once when its database is created. */
  schema: string;
  /**
   * Indexes only queries use, never the handlers: `CREATE [UNIQUE] INDEX IF NOT EXISTS …`
   * statements, built in one pass each time the projection reaches the head after a
   * catch-up or a rebuild (a no-op when they exist). Kept out of `schema` because an
   * index maintained row by row while millions of events replay costs a random B-tree
   * insert per row and rewrites its pages batch after batch; built once, it is one sort.
   * An index a handler's own statements need (a lookup in an UPDATE, an upsert's
   * conflict target) belongs in `schema`, or the replay scans.
   */
  indexes?: string;
  /**
   * One handler per event type it cares about; only those events are read.
   * Handlers run inside the batch's transaction and must be synchronous.
   * Write them so that applying an event twice leaves the same rows (upserts,
   * recomputed counts): the checkpoint already prevents it, this makes it safe twice over.
   */
  handlers: Record<string, ProjectionHandler>;
  /**
   * Where history starts for this projection, when not at the first event: a report of
   * this year's cases need not replay ten years. `{ position }`: the first store position
   * it applies (positions are the store's own: SQLite's count from 1, EventStoreDB's are
   * commit positions); earlier events are never read. `{ recordedAt }` (ISO-8601): events
   * the store recorded before that instant are read past and not applied. Like a change
   * of handlers, a change of start needs a new `version`.
   */
  startFrom?: { position: bigint } | { recordedAt: string };
}

/** The first position a fresh projection applies, and the earliest recorded time it applies (ms), from its `startFrom`. */
export const startOf = (definition: ProjectionDefinition): { position: bigint; recordedAtMs: number | undefined } => {
  const from = definition.startFrom;
  if (from === undefined) return { position: 1n, recordedAtMs: undefined };
  return 'position' in from ? { position: from.position, recordedAtMs: undefined } : { position: 1n, recordedAtMs: Date.parse(from.recordedAt) };
};

const NAME = /^[a-z][a-z0-9-]{0,62}$/;
const DEFERRED_INDEX = /^CREATE\s+(UNIQUE\s+)?INDEX\s+IF\s+NOT\s+EXISTS\s/i;

/** The statements of `indexes`, one per `;` (index DDL holds no string literals with semicolons). */
export const indexStatements = (indexes: string | undefined): string[] =>
  (indexes ?? '')
    .split(';')
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);

export const defineProjection = (definition: ProjectionDefinition): ProjectionDefinition => {
  if (!NAME.test(definition.name)) throw new Error(`projection name "${definition.name}" must match ${NAME}`);
  if (!Number.isInteger(definition.version) || definition.version < 1) {
    throw new Error(`projection ${definition.name}: version must be a positive integer`);
  }
  if (Object.keys(definition.handlers).length === 0) throw new Error(`projection ${definition.name} has no handlers`);
  const from = definition.startFrom;
  if (from !== undefined && 'position' in from && (typeof from.position !== 'bigint' || from.position < 1n)) {
    throw new Error(`projection ${definition.name}: startFrom.position must be a bigint of at least 1n`);
  }
  if (from !== undefined && 'recordedAt' in from && Number.isNaN(Date.parse(from.recordedAt))) {
    throw new Error(`projection ${definition.name}: startFrom.recordedAt must be an ISO-8601 time, got "${String(from.recordedAt)}"`);
  }
  for (const statement of indexStatements(definition.indexes)) {
    // IF NOT EXISTS: they are built again after every catch-up, and must then cost nothing.
    if (!DEFERRED_INDEX.test(statement)) {
      throw new Error(`projection ${definition.name}: indexes may only hold CREATE [UNIQUE] INDEX IF NOT EXISTS statements, got "${statement.slice(0, 60)}"`);
    }
  }
  return definition;
};

/** Wraps a connection with a statement cache; used by the runtime and by tests. */
export const readModelDb = (db: Database.Database): ReadModelDb => {
  const cache = new Map<string, Database.Statement>();
  const statement = (sql: string): Database.Statement => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
  const args = (params: Record<string, unknown> | unknown[] | undefined): unknown[] =>
    params === undefined ? [] : Array.isArray(params) ? params : [params];
  return {
    run: (sql, params) => statement(sql).run(...args(params)).changes,
    get: <Row>(sql: string, params?: Record<string, unknown> | unknown[]) => statement(sql).get(...args(params)) as Row | undefined,
    all: <Row>(sql: string, params?: Record<string, unknown> | unknown[]) => statement(sql).all(...args(params)) as Row[],
  };
};
