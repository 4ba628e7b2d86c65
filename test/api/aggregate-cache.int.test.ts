/**
 * Commands stay as fast on an aggregate with a long history as on a new one:
 * the fold of an earlier command is kept, and the next command reads only the
 * events appended since (src/commands/aggregate-cache.ts). The store stays the
 * truth: what another writer appended is folded in before deciding, the hash
 * chain continues from the newest event, and a retry with an old idempotency
 * key is still recognised. A real app on a real SQLite file; the other writer
 * is a second connection to the same file, as another process would be.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { subject } from '../../src/commands/authorization';
import { handleCommand } from '../../src/commands/handler';
import { EVENTS_FILE } from '../../src/config';
import { unitDecider } from '../../src/domain/unit';
import { verifyChain } from '../../src/audit/hash-chain';
import { createSqliteEventStore } from '../../src/eventstore/sqlite';
import type { EventStore } from '../../src/eventstore/event-store';
import { ADMIN, startTestApp, type TestApp } from '../support/app';
import { CHANGE_STATUS, REGISTER_UNIT, kharazmiUnit } from './operations';

let t: TestApp;
/** Events the app's commands read from each stream, while `watching`. */
const read = new Map<string, number>();
let watching = false;

const STATUSES = ['INACTIVE', 'SEMI_ACTIVE', 'ACTIVE'] as const;
let changes = 0;
const changeStatus = async (unitId: string, extra: Record<string, unknown> = {}) =>
  t.exec(CHANGE_STATUS, { input: { unitId, status: STATUSES[changes++ % 3], reason: `گزارش بازدید ${changes}`, ...extra } });

const watch = (store: EventStore): void => {
  const readStream = store.readStream.bind(store);
  store.readStream = async (stream, options) => {
    const events = await readStream(stream, options);
    if (watching) read.set(stream, (read.get(stream) ?? 0) + events.length);
    return events;
  };
};

const eventsRead = async (stream: string, action: () => Promise<unknown>): Promise<number> => {
  read.clear();
  watching = true;
  try {
    await action();
  } finally {
    watching = false;
  }
  return read.get(stream) ?? 0;
};

let unitId: string;
/** The data folder of the first app; the restarted one reuses it, so it is removed here. */
let firstDir: string;

beforeAll(async () => {
  t = await startTestApp();
  firstDir = t.dataDir;
  watch(t.app.store);
  const registered = await t.ok(REGISTER_UNIT, { input: kharazmiUnit({ nationalId: '10400000001', name: 'نساجی پرکار' }) });
  unitId = registered.registerUnit.unit.id;
  // A unit visited and re-assessed 300 times over the years.
  for (let i = 0; i < 300; i++) expect((await changeStatus(unitId)).errors).toBeUndefined();
}, 60_000);
afterAll(async () => {
  await t?.close();
  rmSync(firstDir, { recursive: true, force: true });
});

test('a command on a unit with 301 events reads only the event appended since the last command', async () => {
  const stream = `unit-${unitId}`;
  expect(await eventsRead(stream, () => changeStatus(unitId))).toBe(1);
  expect(await eventsRead(stream, () => changeStatus(unitId))).toBe(1);
});

test('after a restart the first command reads the stream whole, the next ones what is new', async () => {
  const dataDir = t.dataDir;
  await t.app.close();
  t = await startTestApp({ dataDir });
  watch(t.app.store);
  const stream = `unit-${unitId}`;
  expect(await eventsRead(stream, () => changeStatus(unitId))).toBe(303);
  expect(await eventsRead(stream, () => changeStatus(unitId))).toBe(1);
});

test('what another writer appended is folded in before deciding, and the chain goes on from it', async () => {
  const stream = `unit-${unitId}`;
  const current = (await t.ok(`query ($id: ID!) { unit(id: $id) { activityStatus } }`, { id: unitId })).unit.activityStatus as string;
  const other = createSqliteEventStore({ path: join(t.dataDir, EVENTS_FILE), synchronous: 'NORMAL' });
  const target = current === 'INACTIVE' ? 'ACTIVE' : 'INACTIVE';
  try {
    await handleCommand(
      other,
      unitDecider,
      unitId,
      { type: 'ChangeUnitActivityStatus', data: { unitId, status: target, reason: 'ثبت از گره دیگر', changedAt: new Date().toISOString() } },
      { principal: ADMIN, now: new Date() },
      subject('ChangeUnitActivityStatus'),
    );
  } finally {
    await other.close();
  }
  // The app's kept fold says `current`; the stream says `target`: asking for `target` again is refused.
  let answer: Awaited<ReturnType<typeof changeStatus>> | undefined;
  const readNow = await eventsRead(stream, async () => {
    answer = await t.exec(CHANGE_STATUS, { input: { unitId, status: target, reason: 'دوباره' } });
  });
  expect(answer!.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
  // One event read: the other writer's (plus the app's own last one), not the stream again.
  expect(readNow).toBeLessThanOrEqual(2);
  expect((await changeStatus(unitId, { status: current })).errors).toBeUndefined();
  const events = await t.app.store.readStream(stream);
  const last = events[events.length - 1]!;
  expect(last.data).toMatchObject({ from: target, to: current });
  expect(verifyChain(events).ok).toBe(true);
});

test('a retry with an idempotency key a hundred commands old is still recognised, and appends nothing', async () => {
  const stream = `unit-${unitId}`;
  const input = { unitId, status: 'ACTIVE', reason: 'گزارش بازدید ۱۴۰۳/۰۷/۱۲', idempotencyKey: 'visit-report-1403-07-12' };
  const first = await t.exec(CHANGE_STATUS, { input });
  expect(first.errors).toBeUndefined();
  for (let i = 0; i < 100; i++) await changeStatus(unitId);
  const before = (await t.app.store.readStream(stream)).length;
  // The same command sent again: same key, same input.
  const retry = await t.exec(CHANGE_STATUS, { input });
  expect(retry.errors).toBeUndefined();
  expect(retry.data.changeUnitActivityStatus).toMatchObject({
    replayed: true,
    commandId: first.data.changeUnitActivityStatus.commandId,
    revision: first.data.changeUnitActivityStatus.revision,
  });
  expect((await t.app.store.readStream(stream)).length).toBe(before);
});
