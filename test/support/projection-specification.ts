/**
 * Given / then for projections, as decider-specification.ts is for deciders:
 *
 *   const given = ProjectionSpecification.for(unitHistory);
 *   given([registered, raised]).thenRows('SELECT kind, summary FROM unit_history ORDER BY position', [...]);
 *
 * The events are applied, in order, by the projection's own handlers to a
 * fresh in-memory read model made from its own schema and indexes; each gets
 * the next position and revision, and metadata an actor would give it.
 */
import Database from 'better-sqlite3';
import type { RecordedEvent } from '../../src/eventstore/event-store';
import { readModelDb, type ProjectionDefinition } from '../../src/projection/projection';

/** An event as a test writes it: its type and data, and optionally its stream and metadata. */
export interface GivenEvent {
  type: string;
  data: Record<string, unknown>;
  streamName?: string;
  metadata?: Partial<RecordedEvent['metadata']>;
  recordedAt?: Date;
}

export interface ProjectionThen {
  /** The rows `sql` reads after the events, as plain objects. */
  thenRows(sql: string, expected: Record<string, unknown>[]): void;
}

const recorded = (events: readonly GivenEvent[]): RecordedEvent[] =>
  events.map((e, i) => {
    const at = e.recordedAt ?? new Date(Date.UTC(2026, 0, 1, 8, 0, i));
    return {
      id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      type: e.type,
      data: e.data,
      schemaVersion: 1,
      streamName: e.streamName ?? 'test-stream',
      revision: BigInt(i),
      position: BigInt(i + 1),
      recordedAt: at,
      metadata: {
        actor: 'dabir-pakdasht',
        command: e.type,
        commandId: `command-${i + 1}`,
        correlationId: `correlation-${i + 1}`,
        causationId: `command-${i + 1}`,
        occurredAt: at.toISOString(),
        ...e.metadata,
      },
    };
  });

export const ProjectionSpecification = {
  for:
    (projection: ProjectionDefinition) =>
    (events: readonly GivenEvent[]): ProjectionThen => ({
      thenRows(sql, expected) {
        const db = new Database(':memory:');
        try {
          db.exec(projection.schema);
          if (projection.indexes) db.exec(projection.indexes);
          const rm = readModelDb(db);
          for (const event of recorded(events)) projection.handlers[event.type]?.(event, rm);
          expect(db.prepare(sql).all()).toEqual(expected);
        } finally {
          db.close();
        }
      },
    }),
};
