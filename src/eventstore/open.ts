/**
 * Opens the event store a process (or one of its catch-up threads) is told to
 * use: the embedded SQLite file or an EventStoreDB cluster. The EventStoreDB
 * client is loaded only when asked for.
 */
import type { EventStore } from './event-store';
import { createSqliteEventStore } from './sqlite';

export type StoreSpec =
  | { kind: 'sqlite'; path: string; synchronous?: 'FULL' | 'NORMAL' }
  | { kind: 'esdb'; connectionString: string };

export const openStore = async (spec: StoreSpec): Promise<EventStore> => {
  if (spec.kind === 'esdb') {
    const { createEsdbEventStore } = await import('./esdb');
    return createEsdbEventStore({ connectionString: spec.connectionString });
  }
  return createSqliteEventStore({ path: spec.path, ...(spec.synchronous ? { synchronous: spec.synchronous } : {}) });
};
