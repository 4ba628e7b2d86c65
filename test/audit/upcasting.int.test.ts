/**
 * Old events stay readable. `UnitRegistered` v1 is the shape the foundation
 * recorded (no zone, ISIC code or capacity); v2 is today's, reached by an
 * upcaster. Events stored as v1 decide, replay and subscribe in the v2 shape
 * to the same state as events recorded as v2, while the stored v1 rows stay
 * byte for byte as they were (and their hashes still verify).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { chainEvents, verifyStore } from '../../src/audit/hash-chain';
import { replay, stateAsOf } from '../../src/audit/replay';
import { systemPrincipal } from '../../src/auth/principal';
import { FacilitationCommands } from '../../src/commands/facilitation';
import { newId } from '../../src/commands/ids';
import type { EventMetadata, RecordedEvent } from '../../src/eventstore/event-store';
import { createSqliteEventStore, type SqliteEventStore } from '../../src/eventstore/sqlite';
import {
  checkUpcasters,
  currentSchemaVersion,
  storedEventsOf,
  upcastEvent,
  upcastingStore,
  type Upcasters,
  type UpcastingEventStore,
} from '../../src/eventstore/upcasting';
import Database from 'better-sqlite3';
import { tempDir } from '../support/app';

/** Today's code, with UnitRegistered at version 2. */
const V2: Upcasters = {
  UnitRegistered: { 1: (data) => ({ zoneId: null, isicCode: null, capacityUtilisation: null, ...data }) },
};

const UNIT_V1 = {
  name: 'ابتکار پلاستیک',
  nationalId: '10100000003',
  sector: 'پلاستیک',
  province: 'تهران',
  county: 'پاکدشت',
  location: 'شهرک صنعتی خوارزمی',
  headCount: 42,
  activityStatus: 'INACTIVE',
  registeredAt: '2021-03-01T06:30:00.000Z',
} as const;

const metadata = (command: string): EventMetadata => {
  const commandId = newId();
  return { actor: 'legacy-import', command, commandId, correlationId: commandId, causationId: commandId, occurredAt: '2021-03-01T06:30:00.000Z' };
};

let dir: string;
let raw: SqliteEventStore;
let store: UpcastingEventStore;
const oldUnitId = newId();

beforeAll(async () => {
  dir = tempDir('tashil-upcast-');
  raw = createSqliteEventStore({ path: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
  // Recorded years ago by the build that knew only v1 (and already chained its events).
  await raw.appendToStream(
    `unit-${oldUnitId}`,
    chainEvents(`unit-${oldUnitId}`, 0n, null, [
      { id: newId(), type: 'UnitRegistered', schemaVersion: 1, data: { unitId: oldUnitId, ...UNIT_V1 }, metadata: metadata('RegisterUnit') },
    ]),
    { expectedRevision: 'no_stream' },
  );
  store = upcastingStore(raw, V2);
});
afterAll(async () => {
  await raw.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the registry: current versions follow the upcasters, and a gap is refused', () => {
  expect(currentSchemaVersion(V2, 'UnitRegistered')).toBe(2);
  expect(currentSchemaVersion(V2, 'ObstacleRaised')).toBe(1);
  expect(() => checkUpcasters({ UnitRegistered: { 2: (d) => d } })).toThrow(/from version 1/);
  expect(() => upcastingStore(raw, { X: { 1: (d) => d, 3: (d) => d } })).toThrow(/from version 2/);
});

test('new events are recorded in the current version, old and new replay to the same state', async () => {
  const commands = new FacilitationCommands(store);
  const ctx = { principal: systemPrincipal('secretariat'), now: new Date(UNIT_V1.registeredAt) };
  const fresh = await commands.registerUnit({ ...UNIT_V1, nationalId: '10100000033', activityStatus: 'INACTIVE' }, ctx);

  const [stored] = await raw.readStream(`unit-${fresh.id}`);
  expect(stored).toMatchObject({ type: 'UnitRegistered', schemaVersion: 2 });
  expect(stored!.data).toMatchObject({ zoneId: null, isicCode: null, capacityUtilisation: null });

  // Deciding on the old unit works on its upcast state.
  const changedAt = new Date('2024-11-27T07:00:00Z');
  for (const unitId of [oldUnitId, fresh.id]) {
    await commands.changeUnitActivityStatus({ unitId, status: 'SEMI_ACTIVE', reason: 'راه‌اندازی خط تولید' }, { ...ctx, now: changedAt });
  }

  const old = await replay(store, 'UNIT', oldUnitId);
  const recent = await replay(store, 'UNIT', fresh.id);
  const comparable = (state: unknown) => ({ ...(state as Record<string, unknown>), unitId: 'x', nationalId: 'x' });
  expect(old.steps.map((s) => comparable(s.state))).toEqual(recent.steps.map((s) => comparable(s.state)));
  expect(old.steps[0]!.state).toMatchObject({ status: 'registered', zoneId: null, isicCode: null, capacityUtilisation: null, headCount: 42 });
  expect(old.steps[1]!.changes.map((c) => c.path)).toEqual(['activityStatus', 'statusChangedAt', 'statusReason']);

  // Each step shows the event as recorded and as folded.
  expect(old.steps[0]!.stored).toMatchObject({ schemaVersion: 1 });
  expect(old.steps[0]!.stored.data).not.toHaveProperty('zoneId');
  expect(old.steps[0]!.current).toMatchObject({ schemaVersion: 2, data: expect.objectContaining({ zoneId: null }) });

  expect((await stateAsOf(store, 'UNIT', oldUnitId, { revision: 0n })).state).toMatchObject({ activityStatus: 'INACTIVE', zoneId: null });
});

test('without the upcaster the old event folds to a different shape: the upcaster is what makes them agree', async () => {
  const { steps } = await replay(raw, 'UNIT', oldUnitId);
  expect(steps[0]!.state).not.toHaveProperty('zoneId');
});

test('reads, subscriptions and audits: upcast for folding and projecting, stored rows untouched', async () => {
  const [read] = await store.readStream(`unit-${oldUnitId}`);
  expect(read).toMatchObject({ schemaVersion: 2, data: expect.objectContaining({ zoneId: null, name: UNIT_V1.name }) });

  const head = await store.headPosition();
  const seen: RecordedEvent[] = [];
  for await (const event of store.subscribeToAll()) {
    seen.push(event);
    if (event.position >= head) break;
  }
  const projected = seen.find((e) => e.streamName === `unit-${oldUnitId}` && e.type === 'UnitRegistered')!;
  expect(projected).toMatchObject({ schemaVersion: 2, data: expect.objectContaining({ isicCode: null }) });

  // The row itself is exactly what the old build wrote.
  const db = new Database(join(dir, 'events.sqlite'), { readonly: true });
  const row = db.prepare(`SELECT schema_version, data FROM events WHERE stream = ? AND revision = 0`).get(`unit-${oldUnitId}`) as {
    schema_version: number;
    data: string;
  };
  db.close();
  expect(row.schema_version).toBe(1);
  expect(JSON.parse(row.data)).toEqual({ unitId: oldUnitId, ...UNIT_V1 });
  expect(storedEventsOf(store)).toBe(raw);
  expect(upcastEvent(V2, (await raw.readStream(`unit-${oldUnitId}`))[0]!).data).toEqual(read!.data);

  // The chain is over the stored bytes: the upcast view does not disturb it.
  expect(await verifyStore(store)).toMatchObject({ ok: true, eventsUnhashed: 0 });
});
