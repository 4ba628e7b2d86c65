/**
 * A long history: one unit with 10,000 events (a status change a day for
 * decades). Replaying a page, the state as of a revision and verifying the
 * chain give the right steps and states over the whole stream. How long they
 * take is measured by `npm run bench` (section 5, time per event), never
 * asserted here.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { chainEvents, headHashOf, verifyStore } from '../../src/audit/hash-chain';
import { replay, stateAsOf } from '../../src/audit/replay';
import { newId } from '../../src/commands/ids';
import type { EventMetadata, NewEvent } from '../../src/eventstore/event-store';
import { createSqliteEventStore, type SqliteEventStore } from '../../src/eventstore/sqlite';
import { tempDir } from '../support/app';

const EVENTS = 10_000;
const STATUSES = ['ACTIVE', 'SEMI_ACTIVE', 'INACTIVE'] as const;
const unitId = newId();
const stream = `unit-${unitId}`;
let dir: string;
let store: SqliteEventStore;

const metadata = (command: string, i: number): EventMetadata => ({
  actor: i % 2 === 0 ? 'secretariat-a' : 'secretariat-b',
  command,
  commandId: `cmd-${i}`,
  correlationId: `cmd-${i}`,
  causationId: `cmd-${i}`,
  occurredAt: new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString(),
});

const statusAt = (i: number) => STATUSES[i % 3]!;

beforeAll(async () => {
  dir = tempDir('tashil-10k-');
  store = createSqliteEventStore({ path: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
  const all: NewEvent[] = [
    {
      id: newId(),
      type: 'UnitRegistered',
      data: {
        unitId, name: 'واحد نمونه', nationalId: '10100000777', sector: 'پلاستیک', province: 'تهران', county: 'پاکدشت',
        location: null, zoneId: null, isicCode: null, headCount: 10, capacityUtilisation: null, activityStatus: statusAt(0),
        registeredAt: metadata('RegisterUnit', 0).occurredAt,
      },
      metadata: metadata('RegisterUnit', 0),
    },
  ];
  for (let i = 1; i < EVENTS; i++) {
    all.push({
      id: newId(),
      type: 'UnitActivityStatusChanged',
      data: { unitId, from: statusAt(i - 1), to: statusAt(i), reason: `گزارش روز ${i}`, changedAt: metadata('ChangeUnitActivityStatus', i).occurredAt },
      metadata: metadata('ChangeUnitActivityStatus', i),
    });
  }
  let revision = -1n;
  for (let start = 0; start < EVENTS; start += 1000) {
    const previous = headHashOf(await store.readStream(stream, { direction: 'backwards', maxCount: 1 }));
    const batch = chainEvents(stream, revision + 1n, previous, all.slice(start, start + 1000));
    revision = (await store.appendToStream(stream, batch, { expectedRevision: revision === -1n ? 'no_stream' : revision })).nextExpectedRevision;
  }
}, 120_000);
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const resultOf = async <T>(work: () => Promise<T>): Promise<{ result: T }> => ({ result: await work() });

test(`replaying a ${EVENTS}-event stream: first page, last page, filtered`, async () => {
  const first = await resultOf(() => replay(store, 'UNIT', unitId, { first: 20 }));
  expect(first.result).toMatchObject({ totalCount: EVENTS, hasNextPage: true });
  expect(first.result.steps).toHaveLength(20);

  const last = await resultOf(() => replay(store, 'UNIT', unitId, { first: 20, afterRevision: BigInt(EVENTS - 21) }));
  expect(last.result.steps.map((s) => Number(s.stored.revision))).toEqual(Array.from({ length: 20 }, (_, i) => EVENTS - 20 + i));
  expect(last.result.hasNextPage).toBe(false);
  expect(last.result.steps[19]!.state).toMatchObject({ activityStatus: statusAt(EVENTS - 1), statusReason: `گزارش روز ${EVENTS - 1}` });
  expect(last.result.steps[19]!.changes.map((c) => c.path)).toEqual(['activityStatus', 'statusChangedAt', 'statusReason']);

  const filtered = await resultOf(() => replay(store, 'UNIT', unitId, { actor: 'secretariat-b', first: 100 }));
  expect(filtered.result.totalCount).toBe(EVENTS / 2);

});

test(`state as of a revision and verifying the chain of ${EVENTS} events`, async () => {
  const asOf = await resultOf(() => stateAsOf(store, 'UNIT', unitId, { revision: 5_000n }));
  expect(asOf.result).toMatchObject({ eventsApplied: 5_001, state: { activityStatus: statusAt(5_000) } });
  const verified = await resultOf(() => verifyStore(store, { stream }));
  expect(verified.result).toMatchObject({ ok: true, eventsChecked: EVENTS });
});
