/**
 * The query side of `projections/causation.ts`: everything one user action
 * (correlation id) or one command (command id) caused, across streams.
 */
import type Database from 'better-sqlite3';

export interface CausedEvent {
  eventId: string;
  streamName: string;
  revision: bigint;
  position: bigint;
  type: string;
  command: string | null;
  commandId: string | null;
  correlationId: string | null;
  causationId: string | null;
  actor: string | null;
  recordedAt: Date;
  /** Steps from the command asked about: 0 for its own events, 1 for what they caused, … (0 when asked by correlation only). */
  depth: number;
}

export interface CausationQuery {
  correlationId?: string;
  commandId?: string;
  /** Most events returned (default 1000); `truncated` says when more were found. */
  limit?: number;
}

export interface CausationResult {
  events: CausedEvent[];
  truncated: boolean;
}

interface Row {
  position: bigint;
  event_id: string;
  stream_name: string;
  revision: bigint;
  type: string;
  command: string | null;
  command_id: string | null;
  correlation_id: string | null;
  causation_id: string | null;
  actor: string | null;
  recorded_at: string;
}

const COLUMNS = 'position, event_id, stream_name, revision, type, command, command_id, correlation_id, causation_id, actor, recorded_at';
/** Causation chains are short (a command causing a command); the bound only stops a malformed cycle. */
const MAX_DEPTH = 50;

const toCaused = (row: Row, depth: number): CausedEvent => ({
  eventId: row.event_id,
  streamName: row.stream_name,
  revision: row.revision,
  position: row.position,
  type: row.type,
  command: row.command,
  commandId: row.command_id,
  correlationId: row.correlation_id,
  causationId: row.causation_id,
  actor: row.actor,
  recordedAt: new Date(row.recorded_at),
  depth,
});

/**
 * By correlation id: every event of that user action. By command id: the
 * command's own events, then, transitively, every event whose causation id
 * is one of those events' ids or command ids. Both: the command's tree within
 * that correlation. Ordered by position (commit order).
 */
export const causedBy = (db: Database.Database, query: CausationQuery): CausationResult => {
  const limit = query.limit ?? 1000;
  const all = <T>(sql: string, ...params: unknown[]): T[] => db.prepare(sql).safeIntegers(true).all(...params) as T[];

  if (query.commandId === undefined) {
    const rows = all<Row>(`SELECT ${COLUMNS} FROM causation WHERE correlation_id = ? ORDER BY position LIMIT ?`, query.correlationId, limit + 1);
    return { events: rows.slice(0, limit).map((r) => toCaused(r, 0)), truncated: rows.length > limit };
  }

  const found = new Map<string, CausedEvent>();
  let frontier = all<Row>(`SELECT ${COLUMNS} FROM causation WHERE command_id = ? ORDER BY position`, query.commandId);
  const expanded = new Set<string>();
  for (let depth = 0; frontier.length > 0 && depth <= MAX_DEPTH && found.size <= limit; depth++) {
    for (const row of frontier) if (!found.has(row.event_id)) found.set(row.event_id, toCaused(row, depth));
    const causes = new Set<string>();
    for (const row of frontier) {
      for (const id of [row.event_id, row.command_id]) if (id !== null && !expanded.has(id)) causes.add(id);
    }
    for (const id of causes) expanded.add(id);
    if (causes.size === 0) break;
    const ids = [...causes];
    const next: Row[] = [];
    // SQLite binds at most 32766 parameters; chains are far smaller, but stay well inside.
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      next.push(...all<Row>(`SELECT ${COLUMNS} FROM causation WHERE causation_id IN (${chunk.map(() => '?').join(',')})`, ...chunk));
    }
    // Events of a caused command that were caused by something else still belong to that command.
    const commands = [...new Set(next.map((r) => r.command_id).filter((id): id is string => id !== null && !expanded.has(id)))];
    for (let i = 0; i < commands.length; i += 500) {
      const chunk = commands.slice(i, i + 500);
      next.push(...all<Row>(`SELECT ${COLUMNS} FROM causation WHERE command_id IN (${chunk.map(() => '?').join(',')})`, ...chunk));
    }
    frontier = next.filter((row) => !found.has(row.event_id));
  }

  let events = [...found.values()];
  if (query.correlationId !== undefined) events = events.filter((e) => e.correlationId === query.correlationId);
  events.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  return { events: events.slice(0, limit), truncated: events.length > limit };
};
