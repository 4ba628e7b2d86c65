/**
 * A replay reads only the event types its projections handle: an analyst's new
 * projection of one event type replays the events of that type, not the whole
 * history, and its checkpoint still ends at the head however long ago its last
 * event was. A projection that handles every type (causation) still gets every
 * event. Real SQLite files; `catchUpFiles` is what the worker threads run.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import causation from '../../projections/causation';
import { createSqliteEventStore } from '../../src/eventstore/sqlite';
import type { EventStore, RecordedEvent } from '../../src/eventstore/event-store';
import { defineProjection } from '../../src/projection/projection';
import { catchUpFiles } from '../../src/projection/runtime';
import { commandsFor, seedScenarios } from '../../src/seed/scenarios';
import { tempDir } from '../support/app';
import { checkpoints } from '../support/read-models';

const meetingsHeld = defineProjection({
  name: 'meetings-held',
  version: 1,
  description: 'Meetings held, one row each: a projection of one event type.',
  schema: `CREATE TABLE held (meeting_id TEXT PRIMARY KEY, position INTEGER NOT NULL)`,
  handlers: {
    MeetingHeld: (event, db) => void db.run(`INSERT OR IGNORE INTO held (meeting_id, position) VALUES (?, ?)`, [event.data.meetingId, event.position]),
  },
});

let store: EventStore;
let all: RecordedEvent[];
/** Events the store handed to readers, while a test counts them. */
let read = 0;

beforeAll(async () => {
  store = createSqliteEventStore({ path: join(tempDir(), 'events.sqlite'), synchronous: 'NORMAL' });
  await seedScenarios(commandsFor(store));
  // Events after the last meeting was held: the one-type projection's checkpoint must still reach the head.
  all = await store.readAll();
  const readAll = store.readAll.bind(store);
  store.readAll = async (options) => {
    const events = await readAll(options);
    read += events.length;
    return events;
  };
});
afterAll(() => store.close());

const rowsOf = (file: string, table: string): number => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

test('a projection of one event type reads only that type, and its checkpoint reaches the head', async () => {
  const held = all.filter((event) => event.type === 'MeetingHeld');
  expect(held.length).toBeGreaterThan(0);
  expect(held[held.length - 1]!.position).toBeLessThan(all[all.length - 1]!.position);
  const directory = tempDir('tashil-types-');
  read = 0;
  await catchUpFiles(store, [{ definition: meetingsHeld, file: join(directory, 'meetings-held.v1.sqlite'), boot: null }], { batchSize: 7 });
  expect(read).toBe(held.length);
  expect(rowsOf(join(directory, 'meetings-held.v1.sqlite'), 'held')).toBe(held.length);
  expect(checkpoints(directory)['meetings-held.v1.sqlite']).toBe(all[all.length - 1]!.position);
});

test('beside a projection of every type, every event is read and each gets what it handles', async () => {
  const directory = tempDir('tashil-types-');
  read = 0;
  await catchUpFiles(
    store,
    [
      { definition: meetingsHeld, file: join(directory, 'meetings-held.v1.sqlite'), boot: null },
      { definition: causation, file: join(directory, 'causation.v2.sqlite'), boot: null },
    ],
    { batchSize: 7 },
  );
  expect(read).toBe(all.length);
  expect(rowsOf(join(directory, 'causation.v2.sqlite'), 'causation')).toBe(all.length);
  expect(rowsOf(join(directory, 'meetings-held.v1.sqlite'), 'held')).toBe(all.filter((event) => event.type === 'MeetingHeld').length);
  const head = all[all.length - 1]!.position;
  expect(checkpoints(directory)).toEqual({ 'meetings-held.v1.sqlite': head, 'causation.v2.sqlite': head });
});

test('between pages the replay lets the event loop turn, so a thread reports its progress and hears the runtime', async () => {
  const directory = tempDir('tashil-types-');
  let turns = 0;
  let counting = true;
  const tick = (): void => {
    if (!counting) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  const pages = Math.ceil(all.length / 7);
  expect(pages).toBeGreaterThan(10);
  await catchUpFiles(store, [{ definition: causation, file: join(directory, 'causation.v2.sqlite'), boot: null }], { batchSize: 7 });
  counting = false;
  // The store's pages arrive as microtasks: without a turn between them the loop would not turn once.
  expect(turns).toBeGreaterThanOrEqual(pages - 1);
});
