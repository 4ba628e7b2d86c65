/**
 * Who caused what: every event of every stream, indexed by the command that
 * appended it, the user action it belongs to (correlation id) and what
 * directly caused it (causation id). From one command or one user action an
 * auditor finds everything it led to, across streams, in commit order.
 */
import type { RecordedEvent } from '../src/eventstore/event-store';
import { defineProjection, type ProjectionHandler, type ReadModelDb } from '../src/projection/projection';

const index = (event: RecordedEvent, db: ReadModelDb): void =>
  void db.run(
    `INSERT OR IGNORE INTO causation (position, event_id, stream_name, revision, type, command, command_id,
       correlation_id, causation_id, actor, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      event.position,
      event.id,
      event.streamName,
      event.revision,
      event.type,
      event.metadata.command ?? null,
      event.metadata.commandId ?? null,
      event.metadata.correlationId ?? null,
      event.metadata.causationId ?? null,
      event.metadata.actor ?? null,
      event.recordedAt.toISOString(),
    ],
  );

/**
 * A handler for every event type, present and future: the runtime looks
 * handlers up by type, and a list written out here would silently miss each
 * type added later. Event types are PascalCase, so keys such as `then` or
 * `toJSON` stay undefined and the object never passes for a promise.
 */
const everyEventType = (handler: ProjectionHandler): Record<string, ProjectionHandler> =>
  new Proxy({} as Record<string, ProjectionHandler>, {
    get: (_target, key) => (typeof key === 'string' && /^[A-Z]/.test(key) ? handler : undefined),
    has: (_target, key) => typeof key === 'string' && /^[A-Z]/.test(key),
    ownKeys: () => ['AnyEvent'],
    getOwnPropertyDescriptor: (_target, key) =>
      key === 'AnyEvent' ? { value: handler, enumerable: true, configurable: true, writable: false } : undefined,
  });

export default defineProjection({
  name: 'causation',
  version: 2,
  description: 'Every event by command, correlation and causation id: what one user action or command caused, across streams.',
  schema: `
    CREATE TABLE causation (
      position INTEGER PRIMARY KEY,
      event_id TEXT NOT NULL,
      stream_name TEXT NOT NULL,
      revision INTEGER NOT NULL,
      type TEXT NOT NULL,
      command TEXT,
      command_id TEXT,
      correlation_id TEXT,
      causation_id TEXT,
      actor TEXT,
      recorded_at TEXT NOT NULL
    );
  `,
  indexes: `
    CREATE UNIQUE INDEX IF NOT EXISTS causation_event ON causation (event_id);
    CREATE INDEX IF NOT EXISTS causation_by_command ON causation (command_id, position);
    CREATE INDEX IF NOT EXISTS causation_by_correlation ON causation (correlation_id, position);
    CREATE INDEX IF NOT EXISTS causation_by_cause ON causation (causation_id, position);
  `,
  handlers: everyEventType(index),
});
