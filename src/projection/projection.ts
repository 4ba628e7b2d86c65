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
  run(sql: string, params?: Record<string, unknown> | unknown[]): void;
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
   * One handler per event type it cares about; only those events are read.
   * Handlers run inside the batch's transaction and must be synchronous.
   * Write them so that applying an event twice leaves the same rows (upserts,
   * recomputed counts): the checkpoint already prevents it, this makes it safe twice over.
   */
  handlers: Record<string, ProjectionHandler>;
}

const NAME = /^[a-z][a-z0-9-]{0,62}$/;

export const defineProjection = (definition: ProjectionDefinition): ProjectionDefinition => {
  if (!NAME.test(definition.name)) throw new Error(`projection name "${definition.name}" must match ${NAME}`);
  if (!Number.isInteger(definition.version) || definition.version < 1) {
    throw new Error(`projection ${definition.name}: version must be a positive integer`);
  }
  if (Object.keys(definition.handlers).length === 0) throw new Error(`projection ${definition.name} has no handlers`);
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
    run: (sql, params) => void statement(sql).run(...args(params)),
    get: <Row>(sql: string, params?: Record<string, unknown> | unknown[]) => statement(sql).get(...args(params)) as Row | undefined,
    all: <Row>(sql: string, params?: Record<string, unknown> | unknown[]) => statement(sql).all(...args(params)) as Row[],
  };
};
