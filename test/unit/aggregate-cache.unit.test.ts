/** The aggregate cache's memory (src/commands/aggregate-cache.ts): folds kept per stream and decider, bounded, never rewound. */
import { AggregateCache, emptyFold, foldOnto, type Folded } from '../../src/commands/aggregate-cache';
import { unitDecider } from '../../src/domain/unit';
import type { RecordedEvent } from '../../src/eventstore/event-store';

const fold = (revision: number, keyed = 0): Folded<unknown> => ({
  state: { revision },
  revision: BigInt(revision),
  position: BigInt(revision + 1),
  headHash: null,
  keyedCommands: new Map(Array.from({ length: keyed }, (_, i) => [`command-${i}`, { revision: BigInt(i), position: BigInt(i + 1) }])),
});
const decider = {};

test('keeps a fold per stream for the decider that made it', () => {
  const cache = new AggregateCache(10);
  cache.set('unit-a', decider, fold(3));
  expect(cache.get('unit-a', decider)?.revision).toBe(3n);
  expect(cache.get('unit-a', {})).toBeUndefined();
  expect(cache.get('unit-b', decider)).toBeUndefined();
});

test('never goes back to an older fold: two commands loading at once keep the further one', () => {
  const cache = new AggregateCache(10);
  cache.set('unit-a', decider, fold(5));
  cache.set('unit-a', decider, fold(4));
  expect(cache.get('unit-a', decider)?.revision).toBe(5n);
  cache.set('unit-a', decider, fold(6));
  expect(cache.get('unit-a', decider)?.revision).toBe(6n);
});

test('holds at most its weight, an aggregate counting one plus its keyed commands, least recently used out first', () => {
  const cache = new AggregateCache(6);
  cache.set('a', decider, fold(1));
  cache.set('b', decider, fold(1, 2));
  cache.set('c', decider, fold(1));
  expect(cache.size).toBe(3);
  expect(cache.get('a', decider)).toBeDefined(); // b is now the least recently used
  cache.set('d', decider, fold(1, 1));
  expect(['a', 'b', 'c', 'd'].map((s) => cache.get(s, decider) !== undefined)).toEqual([true, false, true, true]);
  cache.set('huge', decider, fold(1, 10));
  expect(cache.get('huge', decider)).toBeUndefined();
});

test('forgets a stream on request', () => {
  const cache = new AggregateCache(10);
  cache.set('unit-a', decider, fold(3));
  cache.forget('unit-a');
  expect(cache.get('unit-a', decider)).toBeUndefined();
  expect(cache.size).toBe(0);
});

test('folding more events onto a kept fold leaves the kept fold as it was', () => {
  const event = (revision: number, to: string, idempotencyKey?: string): RecordedEvent =>
    ({
      id: `e${revision}`,
      streamName: 'unit-u1',
      revision: BigInt(revision),
      position: BigInt(revision + 10),
      type: revision === 0 ? 'UnitRegistered' : 'UnitActivityStatusChanged',
      schemaVersion: 1,
      data: revision === 0 ? { unitId: 'u1', name: 'کاشی', activityStatus: 'ACTIVE', registeredAt: '2024-01-01T00:00:00Z' } : { unitId: 'u1', from: 'ACTIVE', to, reason: 'r', changedAt: '2024-02-01T00:00:00Z' },
      metadata: { actor: 'a', command: 'c', commandId: `command-${revision}`, correlationId: 'x', causationId: 'x', occurredAt: '2024-01-01T00:00:00Z', ...(idempotencyKey ? { idempotencyKey } : {}) },
      recordedAt: new Date('2024-01-01T00:00:00Z'),
    }) as unknown as RecordedEvent;
  const kept = foldOnto(unitDecider, emptyFold(unitDecider.initialState()), [event(0, ''), event(1, 'INACTIVE', 'k1')]);
  const snapshot = JSON.stringify(kept.state);
  const next = foldOnto(unitDecider, kept, [event(2, 'SEMI_ACTIVE', 'k2')]);
  expect(JSON.stringify(kept.state)).toBe(snapshot);
  expect([...kept.keyedCommands.keys()]).toEqual(['command-1']);
  expect([...next.keyedCommands.keys()]).toEqual(['command-1', 'command-2']);
  expect(next.revision).toBe(2n);
  expect((next.state as { activityStatus: string }).activityStatus).toBe('SEMI_ACTIVE');
  expect(foldOnto(unitDecider, kept, [])).toBe(kept);
});
