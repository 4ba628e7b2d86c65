/**
 * Every projection's handlers leave the same rows when an event is applied
 * twice (the contract in `ProjectionDefinition.handlers`): the checkpoint
 * already prevents a second application, this makes it safe twice over.
 * Given the seeded scenarios' events, when each is applied twice in a row to
 * one database and once to another, then both hold the same rows.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { createSqliteEventStore } from '../../src/eventstore/sqlite';
import { discoverProjections } from '../../src/projection/discover';
import { readModelDb, type ProjectionDefinition } from '../../src/projection/projection';
import type { RecordedEvent } from '../../src/eventstore/event-store';
import { commandsFor, seedScenarios } from '../../src/seed/scenarios';
import { tempDir } from '../support/app';

let events: RecordedEvent[];

beforeAll(async () => {
  const store = createSqliteEventStore({ path: join(tempDir(), 'events.sqlite'), synchronous: 'NORMAL' });
  try {
    await seedScenarios(commandsFor(store));
    events = await store.readAll();
  } finally {
    await store.close();
  }
});

const applied = (definition: ProjectionDefinition, times: number): Record<string, unknown[]> => {
  const db = new Database(':memory:');
  try {
    db.exec(definition.schema);
    const writer = readModelDb(db);
    for (const event of events) {
      const handler = definition.handlers[event.type] as ProjectionDefinition['handlers'][string] | undefined;
      for (let i = 0; handler !== undefined && i < times; i++) handler(event, writer);
    }
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[];
    // FTS5's shadow tables hold its index as segments, whose layout depends on the writes; the content table says what is indexed.
    const compared = tables.filter(({ name }) => !/_(data|idx|docsize|config)$/.test(name));
    return Object.fromEntries(compared.map(({ name }) => [name, (db.prepare(`SELECT * FROM "${name}"`).all() as unknown[]).map((r) => JSON.stringify(r)).sort()]));
  } finally {
    db.close();
  }
};

test('the seeded scenarios give the projections something to apply', () => {
  expect(events.length).toBeGreaterThan(50);
});

test.each(discoverProjections().map((definition) => [definition.name, definition] as const))('%s: an event applied twice leaves the rows it leaves once', (_, definition) => {
  expect(applied(definition, 2)).toEqual(applied(definition, 1));
});
