/**
 * The one behaviour suite every `EventStore` adapter must pass. It only uses
 * the port, names every stream and event type with a random suffix and never
 * assumes the store is empty, so it also runs against a shared server store.
 */
import { randomUUID } from 'node:crypto';
import { DuplicateEventId, ExpectedRevisionConflict } from '../../src/eventstore/errors';
import type {
  EventMetadata,
  EventStore,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
  Subscription,
} from '../../src/eventstore/event-store';

export type EventStoreFactory = () => Promise<{ store: EventStore; cleanup: () => Promise<void> }>;

const unique = (prefix: string): string => `${prefix}-${randomUUID()}`;

const metadata = (overrides: Partial<EventMetadata> = {}): EventMetadata => ({
  actor: 'contract-test',
  command: 'ContractTest',
  commandId: randomUUID(),
  correlationId: randomUUID(),
  causationId: randomUUID(),
  occurredAt: '2024-03-20T08:30:00.000Z',
  ...overrides,
});

const newEvent = (type: string, data: Record<string, unknown> = {}, overrides: Partial<NewEvent> = {}): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: metadata(),
  ...overrides,
});

const events = (count: number, type = 'ContractEvent'): NewEvent[] =>
  Array.from({ length: count }, (_, index) => newEvent(type, { index }));

/** Awaits a rejection and returns the error, failing the test when there is none. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

async function expectConflict(
  promise: Promise<unknown>,
  streamName: string,
  expected: ExpectedRevision,
  actual: bigint | undefined,
): Promise<void> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(ExpectedRevisionConflict);
  const conflict = error as ExpectedRevisionConflict;
  expect(conflict.streamName).toBe(streamName);
  expect(conflict.expected).toBe(expected);
  expect(conflict.actual).toBe(actual);
}

/** Resolves with `next()`'s result, or with 'timeout' after `ms`. */
async function nextWithin<T>(iterator: AsyncIterator<T>, ms: number): Promise<IteratorResult<T> | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([iterator.next(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Pulls from the subscription until `count` events satisfying `keep` arrived
 * (others, e.g. from a shared store, are skipped). Closes it on timeout.
 */
async function collect(
  subscription: Subscription,
  count: number,
  keep: (event: RecordedEvent) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<RecordedEvent[]> {
  const iterator = subscription[Symbol.asyncIterator]();
  const kept: RecordedEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  while (kept.length < count) {
    const result = await nextWithin(iterator, Math.max(1, deadline - Date.now()));
    if (result === 'timeout') {
      await subscription.close();
      throw new Error(`subscription delivered ${kept.length} of ${count} expected events before the timeout`);
    }
    if (result.done) throw new Error(`subscription ended after ${kept.length} of ${count} expected events`);
    if (keep(result.value)) kept.push(result.value);
  }
  return kept;
}

const inStreams =
  (...names: string[]) =>
  (event: RecordedEvent): boolean =>
    names.includes(event.streamName);

const ids = (list: ReadonlyArray<{ id: string }>): string[] => list.map((event) => event.id);

function expectStrictlyIncreasing(values: readonly bigint[]): void {
  for (let i = 1; i < values.length; i++) {
    if (!(values[i] > values[i - 1])) {
      throw new Error(`not strictly increasing at index ${i}: ${String(values[i - 1])} then ${String(values[i])}`);
    }
  }
}

/** What differs between stores, declared by each adapter's spec instead of skipped silently. */
export interface ContractFeatures {
  /**
   * SQLite has a unique index on event ids across the whole store; EventStoreDB
   * checks ids only within the stream being appended to.
   */
  duplicateIdsDetectedAcrossStreams: boolean;
  /**
   * SQLite lists the event types it holds (a skip scan of its type index), so a
   * replay reads only the types its projections handle; the EventStoreDB adapter
   * has no cheap way to, and leaves `eventTypes` out.
   */
  listsEventTypes: boolean;
}

export function describeEventStoreContract(
  name: string,
  factory: EventStoreFactory,
  features: ContractFeatures = { duplicateIdsDetectedAcrossStreams: true, listsEventTypes: true },
): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;
    const openSubscriptions: Subscription[] = [];

    const subscribe = (...args: Parameters<EventStore['subscribeToAll']>): Subscription => {
      const subscription = store.subscribeToAll(...args);
      openSubscriptions.push(subscription);
      return subscription;
    };

    beforeEach(async () => {
      ({ store, cleanup } = await factory());
    });

    afterEach(async () => {
      await Promise.all(openSubscriptions.splice(0).map((subscription) => subscription.close()));
      await cleanup();
    });

    describe('appendToStream', () => {
      it('appends the first event of a new stream with no_stream at revision 0', async () => {
        const stream = unique('unit');
        const headBefore = await store.headPosition();
        const event = newEvent('UnitRegistered', { name: 'Ghazvin Steel' });

        const result = await store.appendToStream(stream, [event], { expectedRevision: 'no_stream' });

        expect(typeof result.nextExpectedRevision).toBe('bigint');
        expect(typeof result.position).toBe('bigint');
        expect(result.nextExpectedRevision).toBe(0n);
        expect(result.position).toBeGreaterThan(headBefore);
        expect(result.position).toBeGreaterThanOrEqual(1n);
        expect(await store.headPosition()).toBeGreaterThanOrEqual(result.position);

        const [recorded, ...rest] = await store.readStream(stream);
        expect(rest).toEqual([]);
        expect(recorded).toEqual({
          id: event.id,
          type: 'UnitRegistered',
          data: { name: 'Ghazvin Steel' },
          metadata: event.metadata,
          schemaVersion: 1,
          streamName: stream,
          revision: 0n,
          position: result.position,
          recordedAt: expect.any(Date),
        });
      });

      it('numbers a multi-event append 0..n-1 and returns the last revision and position', async () => {
        const stream = unique('unit');
        const batch = events(5);

        const result = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });

        const read = await store.readStream(stream);
        expect(ids(read)).toEqual(ids(batch));
        expect(read.map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
        expectStrictlyIncreasing(read.map((event) => event.position));
        expect(result).toEqual({ nextExpectedRevision: 4n, position: read[4].position });
        for (const event of read) {
          expect(typeof event.revision).toBe('bigint');
          expect(typeof event.position).toBe('bigint');
        }
      });

      it('appends with the exact revision of the last event', async () => {
        const stream = unique('unit');
        await store.appendToStream(stream, events(2), { expectedRevision: 'no_stream' });

        const second = await store.appendToStream(stream, events(1), { expectedRevision: 1n });
        const third = await store.appendToStream(stream, events(3), { expectedRevision: 2n });

        expect(second.nextExpectedRevision).toBe(2n);
        expect(third.nextExpectedRevision).toBe(5n);
        expect(third.position).toBeGreaterThan(second.position);
        expect((await store.readStream(stream)).map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
      });

      it('accepts stream_exists on an existing stream', async () => {
        const stream = unique('unit');
        await store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' });

        const result = await store.appendToStream(stream, events(1), { expectedRevision: 'stream_exists' });

        expect(result.nextExpectedRevision).toBe(1n);
      });

      it("accepts 'any' on a missing and on an existing stream", async () => {
        const stream = unique('unit');

        const first = await store.appendToStream(stream, events(1), { expectedRevision: 'any' });
        const second = await store.appendToStream(stream, events(2), { expectedRevision: 'any' });

        expect(first.nextExpectedRevision).toBe(0n);
        expect(second.nextExpectedRevision).toBe(2n);
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      describe('expected revision conflicts append nothing and report the actual revision', () => {
        it('a wrong revision', async () => {
          const stream = unique('unit');
          await store.appendToStream(stream, events(2), { expectedRevision: 'no_stream' });
          const headBefore = await store.headPosition();

          await expectConflict(store.appendToStream(stream, events(1), { expectedRevision: 5n }), stream, 5n, 1n);
          await expectConflict(store.appendToStream(stream, events(1), { expectedRevision: 0n }), stream, 0n, 1n);

          expect(await store.readStream(stream)).toHaveLength(2);
          expect(await store.headPosition()).toBe(headBefore);
        });

        it('a revision on a missing stream', async () => {
          const stream = unique('unit');

          await expectConflict(store.appendToStream(stream, events(1), { expectedRevision: 0n }), stream, 0n, undefined);

          expect(await store.readStream(stream)).toEqual([]);
        });

        it('no_stream on an existing stream', async () => {
          const stream = unique('unit');
          await store.appendToStream(stream, events(3), { expectedRevision: 'no_stream' });
          const headBefore = await store.headPosition();

          await expectConflict(
            store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' }),
            stream,
            'no_stream',
            2n,
          );

          expect(await store.readStream(stream)).toHaveLength(3);
          expect(await store.headPosition()).toBe(headBefore);
        });

        it('stream_exists on a missing stream', async () => {
          const stream = unique('unit');
          const headBefore = await store.headPosition();

          await expectConflict(
            store.appendToStream(stream, events(1), { expectedRevision: 'stream_exists' }),
            stream,
            'stream_exists',
            undefined,
          );

          expect(await store.readStream(stream)).toEqual([]);
          expect(await store.headPosition()).toBe(headBefore);
        });

        it('a conflicting multi-event append stores none of its events', async () => {
          const stream = unique('unit');
          await store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' });
          const headBefore = await store.headPosition();
          const batch = events(4);

          await expectConflict(store.appendToStream(stream, batch, { expectedRevision: 3n }), stream, 3n, 0n);

          expect(await store.readStream(stream)).toHaveLength(1);
          expect(await store.headPosition()).toBe(headBefore);
          // The ids were not consumed: the same batch appends fine with the right revision.
          const result = await store.appendToStream(stream, batch, { expectedRevision: 0n });
          expect(result.nextExpectedRevision).toBe(4n);
          expect(ids(await store.readStream(stream, { fromRevision: 1n }))).toEqual(ids(batch));
        });
      });

      describe('idempotency by event id', () => {
        it('a retry with the same ids returns the original result and writes nothing', async () => {
          const stream = unique('unit');
          const batch = events(3);
          const original = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
          const headBefore = await store.headPosition();

          const retry = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });

          expect(retry).toEqual(original);
          expect(await store.readStream(stream)).toHaveLength(3);
          expect(await store.headPosition()).toBe(headBefore);
        });

        it('a retry after the stream moved on still returns the original result', async () => {
          const stream = unique('unit');
          await store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' });
          const batch = events(2);
          const original = await store.appendToStream(stream, batch, { expectedRevision: 0n });
          await store.appendToStream(stream, events(2), { expectedRevision: 2n });
          const headBefore = await store.headPosition();

          const retry = await store.appendToStream(stream, batch, { expectedRevision: 0n });

          expect(retry).toEqual(original);
          expect(retry.nextExpectedRevision).toBe(2n);
          expect(await store.readStream(stream)).toHaveLength(5);
          expect(await store.headPosition()).toBe(headBefore);
        });

        it('throws DuplicateEventId when only some of the ids are stored, and writes nothing', async () => {
          const stream = unique('unit');
          const batch = events(2);
          await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
          const headBefore = await store.headPosition();

          const newFirst = await rejectionOf(
            store.appendToStream(stream, [newEvent('ContractEvent'), batch[1]], { expectedRevision: 1n }),
          );
          const storedFirst = await rejectionOf(
            store.appendToStream(stream, [batch[0], newEvent('ContractEvent')], { expectedRevision: 1n }),
          );

          expect(newFirst).toBeInstanceOf(DuplicateEventId);
          expect(storedFirst).toBeInstanceOf(DuplicateEventId);
          expect((newFirst as DuplicateEventId).streamName).toBe(stream);
          expect(await store.readStream(stream)).toHaveLength(2);
          expect(await store.headPosition()).toBe(headBefore);
        });

        (features.duplicateIdsDetectedAcrossStreams ? it : it.skip)('throws DuplicateEventId when the ids are stored in another stream', async () => {
          const first = unique('unit');
          const second = unique('unit');
          const batch = events(2);
          await store.appendToStream(first, batch, { expectedRevision: 'no_stream' });

          const error = await rejectionOf(store.appendToStream(second, batch, { expectedRevision: 'no_stream' }));

          expect(error).toBeInstanceOf(DuplicateEventId);
          expect(await store.readStream(second)).toEqual([]);
        });

        it('throws DuplicateEventId when stored ids come back in another order', async () => {
          const stream = unique('unit');
          const batch = events(2);
          await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });

          const error = await rejectionOf(
            store.appendToStream(stream, [batch[1], batch[0]], { expectedRevision: 'any' }),
          );

          expect(error).toBeInstanceOf(DuplicateEventId);
          expect(await store.readStream(stream)).toHaveLength(2);
        });
      });

      it('assigns strictly increasing positions across streams in append order', async () => {
        const streams = [unique('unit'), unique('obstacle'), unique('meeting')];
        const headBefore = await store.headPosition();
        const positions: bigint[] = [];
        const expectedIds: string[] = [];
        for (let round = 0; round < 3; round++) {
          for (const [index, stream] of streams.entries()) {
            const batch = events(index + 1);
            expectedIds.push(...ids(batch));
            const result = await store.appendToStream(stream, batch, { expectedRevision: 'any' });
            positions.push(result.position);
          }
        }

        expectStrictlyIncreasing(positions);
        expect(positions[0]).toBeGreaterThan(headBefore);
        const all = (await store.readAll({ after: headBefore })).filter(inStreams(...streams));
        expect(ids(all)).toEqual(expectedIds);
        expectStrictlyIncreasing(all.map((event) => event.position));
      });

      // Appends issued together, as concurrent requests do: a store may commit them in
      // one group, but each is still decided on its own expected revision.
      describe('concurrent appends', () => {
        const settle = <T>(promises: Promise<T>[]) => Promise.allSettled(promises);

        it('many appends to different streams all land, each whole and in its own order', async () => {
          const headBefore = await store.headPosition();
          const streams = Array.from({ length: 40 }, () => unique('unit'));
          const batches = streams.map((_, index) => events(1 + (index % 3), 'UnitRegistered'));

          const results = await Promise.all(
            streams.map((stream, index) => store.appendToStream(stream, batches[index], { expectedRevision: 'no_stream' })),
          );

          for (const [index, stream] of streams.entries()) {
            const stored = await store.readStream(stream);
            expect(ids(stored)).toEqual(ids(batches[index]));
            expect(stored.map((event) => event.revision)).toEqual(batches[index].map((_, i) => BigInt(i)));
            expect(results[index].nextExpectedRevision).toBe(BigInt(batches[index].length - 1));
            expect(results[index].position).toBe(stored[stored.length - 1].position);
          }
          const all = (await store.readAll({ after: headBefore })).filter(inStreams(...streams));
          expect(all).toHaveLength(batches.flat().length);
          expectStrictlyIncreasing(all.map((event) => event.position));
          // One append's events are never interleaved with another's.
          const order = all.map((event) => event.streamName);
          for (const stream of streams) {
            const first = order.indexOf(stream);
            expect(order.slice(first, order.lastIndexOf(stream) + 1).every((name) => name === stream)).toBe(true);
          }
        });

        it('appends with the same expected revision to one stream: exactly one wins, the rest are CONFLICT', async () => {
          const stream = unique('obstacle');
          await store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' });
          const contenders = Array.from({ length: 12 }, () => events(2, 'ObstacleReferred'));

          const outcomes = await settle(contenders.map((batch) => store.appendToStream(stream, batch, { expectedRevision: 0n })));

          const winners = outcomes.flatMap((outcome, index) => (outcome.status === 'fulfilled' ? [index] : []));
          expect(winners).toHaveLength(1);
          const winner = winners[0];
          expect(outcomes[winner]).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 2n } });
          for (const [index, outcome] of outcomes.entries()) {
            if (index === winner) continue;
            expect(outcome.status).toBe('rejected');
            const conflict = (outcome as PromiseRejectedResult).reason as ExpectedRevisionConflict;
            expect(conflict).toBeInstanceOf(ExpectedRevisionConflict);
            expect(conflict).toMatchObject({ streamName: stream, expected: 0n, actual: 2n });
          }
          const stored = await store.readStream(stream);
          expect(ids(stored.slice(1))).toEqual(ids(contenders[winner]));
          expect(stored).toHaveLength(3);
        });

        it('a rejected append among concurrent ones leaves no trace, and the others commit', async () => {
          const headBefore = await store.headPosition();
          const [before, rejectedStream, after] = [unique('meeting'), unique('resolution'), unique('visit')];
          const rejectedType = unique('NeverStored');
          const rejected = events(3, rejectedType);

          const [first, refused, last] = await settle([
            store.appendToStream(before, events(2), { expectedRevision: 'no_stream' }),
            // Expects a revision the missing stream does not have.
            store.appendToStream(rejectedStream, rejected, { expectedRevision: 4n }),
            store.appendToStream(after, events(2), { expectedRevision: 'no_stream' }),
          ]);

          expect(first.status).toBe('fulfilled');
          expect(last.status).toBe('fulfilled');
          expect(refused.status).toBe('rejected');
          expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(ExpectedRevisionConflict);
          expect(await store.readStream(rejectedStream)).toEqual([]);
          expect(await store.readAll({ after: headBefore, eventTypes: [rejectedType] })).toEqual([]);
          expect((await store.readAll({ after: headBefore })).filter(inStreams(before, after))).toHaveLength(4);
          // Its ids were not taken: the same events append cleanly afterwards.
          const retried = await store.appendToStream(rejectedStream, rejected, { expectedRevision: 'no_stream' });
          expect(retried.nextExpectedRevision).toBe(2n);
          expect(ids(await store.readStream(rejectedStream))).toEqual(ids(rejected));
        });

        it('a retry racing its original is recognised: both get the original result, the events are stored once', async () => {
          const stream = unique('commitment');
          const batch = events(2, 'CommitmentMade');

          const [original, retry] = await Promise.all([
            store.appendToStream(stream, batch, { expectedRevision: 'no_stream' }),
            store.appendToStream(stream, batch, { expectedRevision: 'no_stream' }),
          ]);

          expect(retry).toEqual(original);
          expect(ids(await store.readStream(stream))).toEqual(ids(batch));
        });
      });
    });

    describe('appendToStreams', () => {
      it('appends to every stream, each at its own revisions, in the order given', async () => {
        const [a, b] = [unique('multi-a'), unique('multi-b')];
        await store.appendToStream(b, events(1), { expectedRevision: 'no_stream' });
        const results = await store.appendToStreams([
          { streamName: a, events: events(2), expectedRevision: 'no_stream' },
          { streamName: b, events: events(1), expectedRevision: 0n },
        ]);
        expect(results.map((r) => r.nextExpectedRevision)).toEqual([1n, 1n]);
        expect(results[0]!.position).toBeLessThan(results[1]!.position);
        expect((await store.readStream(a)).map((e) => e.revision)).toEqual([0n, 1n]);
        expect((await store.readStream(b)).map((e) => e.revision)).toEqual([0n, 1n]);
      });

      it('a retry of the same parts writes nothing and returns the first results', async () => {
        const [a, b] = [unique('multi-a'), unique('multi-b')];
        const parts = [
          { streamName: a, events: events(1), expectedRevision: 'no_stream' as const },
          { streamName: b, events: events(2), expectedRevision: 'no_stream' as const },
        ];
        const first = await store.appendToStreams(parts);
        expect(await store.appendToStreams(parts)).toEqual(first);
        expect(await store.readStream(b)).toHaveLength(2);
      });

      it('a part refused on its expected revision: all or nothing where the store is atomic across streams, the parts before it otherwise', async () => {
        const [a, b] = [unique('multi-a'), unique('multi-b')];
        await store.appendToStream(b, events(1), { expectedRevision: 'no_stream' });
        await expectConflict(
          store.appendToStreams([
            { streamName: a, events: events(1), expectedRevision: 'no_stream' },
            { streamName: b, events: events(1), expectedRevision: 'no_stream' },
          ]),
          b,
          'no_stream',
          0n,
        );
        expect(await store.readStream(a)).toHaveLength(store.atomicAcrossStreams ? 0 : 1);
        expect(await store.readStream(b)).toHaveLength(1);
      });
    });

    describe('readStream', () => {
      let stream: string;
      let appended: NewEvent[];

      beforeEach(async () => {
        stream = unique('obstacle');
        appended = events(5);
        await store.appendToStream(stream, appended, { expectedRevision: 'no_stream' });
      });

      const revisions = (list: RecordedEvent[]): bigint[] => list.map((event) => event.revision);

      it('reads a missing stream as empty', async () => {
        const missing = unique('missing');
        expect(await store.readStream(missing)).toEqual([]);
        expect(await store.readStream(missing, { direction: 'backwards' })).toEqual([]);
      });

      it('reads forwards from the start by default', async () => {
        const read = await store.readStream(stream);
        expect(revisions(read)).toEqual([0n, 1n, 2n, 3n, 4n]);
        expect(ids(read)).toEqual(ids(appended));
        expect(read.every((event) => event.streamName === stream)).toBe(true);
      });

      it('reads backwards from the end', async () => {
        expect(revisions(await store.readStream(stream, { direction: 'backwards' }))).toEqual([4n, 3n, 2n, 1n, 0n]);
      });

      it('reads from an inclusive fromRevision in both directions', async () => {
        expect(revisions(await store.readStream(stream, { fromRevision: 2n }))).toEqual([2n, 3n, 4n]);
        expect(revisions(await store.readStream(stream, { direction: 'forwards', fromRevision: 4n }))).toEqual([4n]);
        expect(revisions(await store.readStream(stream, { direction: 'backwards', fromRevision: 2n }))).toEqual([
          2n,
          1n,
          0n,
        ]);
        expect(revisions(await store.readStream(stream, { direction: 'backwards', fromRevision: 0n }))).toEqual([0n]);
      });

      it('reads nothing forwards from beyond the end', async () => {
        expect(await store.readStream(stream, { fromRevision: 5n })).toEqual([]);
      });

      it('limits with maxCount', async () => {
        expect(revisions(await store.readStream(stream, { maxCount: 2 }))).toEqual([0n, 1n]);
        expect(revisions(await store.readStream(stream, { direction: 'backwards', maxCount: 1 }))).toEqual([4n]);
        expect(revisions(await store.readStream(stream, { fromRevision: 1n, maxCount: 3 }))).toEqual([1n, 2n, 3n]);
        expect(
          revisions(await store.readStream(stream, { direction: 'backwards', fromRevision: 3n, maxCount: 2 })),
        ).toEqual([3n, 2n]);
        expect(revisions(await store.readStream(stream, { maxCount: 50 }))).toEqual([0n, 1n, 2n, 3n, 4n]);
      });
    });

    describe('readAll', () => {
      it('returns events after an exclusive position, ascending', async () => {
        const headBefore = await store.headPosition();
        const stream = unique('unit');
        const batch = events(4);
        await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });

        const all = await store.readAll({ after: headBefore });
        const ours = all.filter(inStreams(stream));
        expect(ids(ours)).toEqual(ids(batch));
        expect(all.every((event) => event.position > headBefore)).toBe(true);
        expectStrictlyIncreasing(all.map((event) => event.position));

        const afterSecond = (await store.readAll({ after: ours[1].position })).filter(inStreams(stream));
        expect(ids(afterSecond)).toEqual(ids(batch.slice(2)));
      });

      it('reads everything from the start by default', async () => {
        const stream = unique('unit');
        const result = await store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' });

        const all = await store.readAll();

        expect(all.length).toBeGreaterThanOrEqual(1);
        expect(all[0].position).toBeGreaterThanOrEqual(1n);
        expect(all.some((event) => event.position === result.position && event.streamName === stream)).toBe(true);
        expectStrictlyIncreasing(all.map((event) => event.position));
      });

      it('limits with maxCount', async () => {
        const headBefore = await store.headPosition();
        const type = unique('Limited');
        const batch = events(5, type);
        await store.appendToStream(unique('unit'), batch, { expectedRevision: 'no_stream' });

        const limited = await store.readAll({ after: headBefore, maxCount: 2, eventTypes: [type] });
        expect(ids(limited)).toEqual(ids(batch.slice(0, 2)));

        const unfiltered = await store.readAll({ after: headBefore, maxCount: 3 });
        expect(unfiltered).toHaveLength(3);
        expect(unfiltered.every((event) => event.position > headBefore)).toBe(true);
        expectStrictlyIncreasing(unfiltered.map((event) => event.position));
      });

      it('filters by event type', async () => {
        const headBefore = await store.headPosition();
        const kept = unique('Kept');
        const alsoKept = unique('AlsoKept');
        const dropped = unique('Dropped');
        const stream = unique('unit');
        const batch = [
          newEvent(kept, { n: 0 }),
          newEvent(dropped, { n: 1 }),
          newEvent(alsoKept, { n: 2 }),
          newEvent(dropped, { n: 3 }),
          newEvent(kept, { n: 4 }),
        ];
        await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });

        const one = await store.readAll({ after: headBefore, eventTypes: [kept] });
        const two = await store.readAll({ after: headBefore, eventTypes: [kept, alsoKept] });

        expect(ids(one)).toEqual([batch[0].id, batch[4].id]);
        expect(ids(two)).toEqual([batch[0].id, batch[2].id, batch[4].id]);
        expect(one.every((event) => event.type === kept)).toBe(true);
        const afterFirst = await store.readAll({ after: one[0].position, eventTypes: [kept] });
        expect(ids(afterFirst)).toEqual([batch[4].id]);
      });
    });

    describe('eventTypes', () => {
      if (features.listsEventTypes) {
        it('lists every event type the store holds, each once', async () => {
          const [first, second] = [unique('Listed'), unique('AlsoListed')];
          await store.appendToStream(unique('unit'), [newEvent(first, { n: 0 }), newEvent(second, { n: 1 }), newEvent(first, { n: 2 })], { expectedRevision: 'no_stream' });
          const listed = await store.eventTypes!();
          expect(listed.filter((type) => type === first)).toHaveLength(1);
          expect(listed.filter((type) => type === second)).toHaveLength(1);
          expect(new Set(listed).size).toBe(listed.length);
          const all = await store.readAll();
          expect(new Set(listed)).toEqual(new Set(all.map((event) => event.type)));
        });
      } else {
        it('does not list event types: replays read every event', () => {
          expect(store.eventTypes).toBeUndefined();
        });
      }
    });

    describe('round trip', () => {
      it('keeps data, metadata and Persian text byte-exact', async () => {
        const stream = unique('unit');
        const persian = 'شهرک صنعتی خوارزمی';
        const withZwnj = 'می\u200cخواهیم کارخانه\u200cها را دوباره راه\u200cاندازی کنیم';
        const data = {
          name: persian,
          description: withZwnj,
          digits: '۱۴۰۲/۱۲/۲۹',
          mixed: 'واحد ۳ — Unit 3 «فولاد» 🏭',
          nested: { list: [1, 2.5, -3, 0, null, true, false, 'آ'], empty: {}, emptyList: [] },
          big: 9007199254740991,
          quote: 'he said "salam"\n\ttab\\back',
        };
        const meta = metadata({
          actor: 'کاربر\u200cآزمون',
          reason: 'جلسه‌ی ستاد تسهیل به تعویق افتاد',
          idempotencyKey: unique('key'),
          tenant: { province: 'قزوین' },
        });
        const event = newEvent('UnitRegistered', data, { metadata: meta, schemaVersion: 2 });
        const before = Date.now();

        await store.appendToStream(stream, [event], { expectedRevision: 'no_stream' });

        const [read] = await store.readStream(stream);
        expect(read.data).toEqual(data);
        expect(read.metadata).toEqual(meta);
        expect(Buffer.from(JSON.stringify(read.data), 'utf8').equals(Buffer.from(JSON.stringify(data), 'utf8'))).toBe(true);
        expect(Buffer.from(JSON.stringify(read.metadata), 'utf8').equals(Buffer.from(JSON.stringify(meta), 'utf8'))).toBe(
          true,
        );
        expect(Buffer.from(read.data.name as string, 'utf8')).toEqual(Buffer.from(persian, 'utf8'));
        expect((read.data.description as string).includes('\u200c')).toBe(true);
        expect(read.data.description).toBe(withZwnj);
        expect(read.schemaVersion).toBe(2);
        expect(read.recordedAt).toBeInstanceOf(Date);
        expect(read.recordedAt.getTime()).toBeGreaterThanOrEqual(before - 5_000);
        expect(read.recordedAt.getTime()).toBeLessThanOrEqual(Date.now() + 5_000);

        const [fromAll] = (await store.readAll({ after: read.position - 1n, maxCount: 1 })).filter(inStreams(stream));
        expect(fromAll).toEqual(read);
      });

      it('defaults schemaVersion to 1', async () => {
        const stream = unique('unit');
        await store.appendToStream(stream, [newEvent('UnitRegistered')], { expectedRevision: 'no_stream' });

        const [read] = await store.readStream(stream);

        expect(read.schemaVersion).toBe(1);
      });

      it('stores Persian stream names and event types', async () => {
        const stream = unique('واحد');
        const type = unique('ثبت‌واحد');
        await store.appendToStream(stream, [newEvent(type)], { expectedRevision: 'no_stream' });

        const [read] = await store.readStream(stream);

        expect(read.streamName).toBe(stream);
        expect(read.type).toBe(type);
      });
    });

    describe('subscribeToAll', () => {
      it('catches up from a position, resolves caughtUp, then receives a live append', async () => {
        const stream = unique('unit');
        await store.appendToStream(stream, events(2), { expectedRevision: 'no_stream' });
        const start = await store.headPosition();
        const existing = events(3);
        await store.appendToStream(stream, existing, { expectedRevision: 1n });

        const subscription = subscribe({ after: start });
        const caughtUp = await collect(subscription, 3, inStreams(stream));
        expect(ids(caughtUp)).toEqual(ids(existing));
        expect(caughtUp.every((event) => typeof event.position === 'bigint' && event.position > start)).toBe(true);
        await subscription.caughtUp;

        const live = newEvent('LiveEvent', { live: true });
        const pending = collect(subscription, 1, inStreams(stream));
        await store.appendToStream(stream, [live], { expectedRevision: 4n });
        const [received] = await pending;
        expect(received.id).toBe(live.id);
        expect(received.revision).toBe(5n);
        expect(received.data).toEqual({ live: true });
      });

      it('delivers events past the start in several batches without skipping or repeating', async () => {
        const start = await store.headPosition();
        const stream = unique('unit');
        const batch = events(23);
        await store.appendToStream(stream, batch.slice(0, 10), { expectedRevision: 'no_stream' });
        await store.appendToStream(stream, batch.slice(10), { expectedRevision: 9n });

        const subscription = subscribe({ after: start, batchSize: 4 });
        const received = await collect(subscription, 23, inStreams(stream));

        expect(ids(received)).toEqual(ids(batch));
        await subscription.caughtUp;
      });

      it('resolves caughtUp for a start at the head', async () => {
        const stream = unique('unit');
        await store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' });
        const subscription = subscribe({ after: await store.headPosition() });

        const first = await Promise.race([
          subscription.caughtUp.then(() => 'caught up'),
          // A shared store may receive other events meanwhile: pulling them lets it catch up.
          collect(subscription, 1, () => false, 3_000).catch(() => 'timeout'),
        ]);

        expect(first).toBe('caught up');
      });

      it('filters by event type', async () => {
        const start = await store.headPosition();
        const wanted = unique('Wanted');
        const stream = unique('unit');
        const batch = [newEvent('Other'), newEvent(wanted, { n: 1 }), newEvent('Other'), newEvent(wanted, { n: 2 })];
        await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });

        const subscription = subscribe({ after: start, eventTypes: [wanted] });
        const caughtUp = await collect(subscription, 2);
        expect(ids(caughtUp)).toEqual([batch[1].id, batch[3].id]);

        const pending = collect(subscription, 1);
        await store.appendToStream(stream, [newEvent('Other'), newEvent(wanted, { n: 3 })], { expectedRevision: 3n });
        const [live] = await pending;
        expect(live.type).toBe(wanted);
        expect(live.data).toEqual({ n: 3 });
      });

      it('close() ends a pending next() and every later one', async () => {
        const start = await store.headPosition();
        const subscription = subscribe({ after: start, eventTypes: [unique('NeverAppended')] });
        const iterator = subscription[Symbol.asyncIterator]();

        const pending = iterator.next();
        await new Promise((resolve) => setTimeout(resolve, 50));
        await subscription.close();

        expect(await nextWithin({ next: () => pending }, 2_000)).toEqual({ done: true, value: undefined });
        expect(await nextWithin(iterator, 2_000)).toEqual({ done: true, value: undefined });
      });

      it('stops when the consumer breaks out of for await', async () => {
        const start = await store.headPosition();
        const stream = unique('unit');
        await store.appendToStream(stream, events(3), { expectedRevision: 'no_stream' });
        const subscription = subscribe({ after: start });

        const seen: RecordedEvent[] = [];
        for await (const event of subscription) {
          if (event.streamName === stream) seen.push(event);
          if (seen.length === 2) break;
        }

        expect(seen).toHaveLength(2);
        await store.appendToStream(stream, events(1), { expectedRevision: 2n });
        expect(await nextWithin(subscription[Symbol.asyncIterator](), 2_000)).toEqual({
          done: true,
          value: undefined,
        });
      });

      it('delivers 200 concurrent appends exactly once, in position order', async () => {
        const start = await store.headPosition();
        const streams = Array.from({ length: 10 }, () => unique('concurrent'));
        const subscription = subscribe({ after: start, batchSize: 17 });
        const receiving = collect(subscription, 200, inStreams(...streams), 30_000);

        const appended = await Promise.all(
          Array.from({ length: 200 }, async (_, index) => {
            const event = newEvent('Concurrent', { index });
            // Yield between appends so the subscriber interleaves with the writers.
            await new Promise((resolve) => setImmediate(resolve));
            const result = await store.appendToStream(streams[index % streams.length], [event], {
              expectedRevision: 'any',
            });
            return { id: event.id, position: result.position };
          }),
        );
        const received = await receiving;

        expect(new Set(ids(received)).size).toBe(200);
        expectStrictlyIncreasing(received.map((event) => event.position));
        const byPosition = [...appended].sort((a, b) => (a.position < b.position ? -1 : 1));
        expect(ids(received)).toEqual(ids(byPosition));
        expect(received.map((event) => event.position)).toEqual(byPosition.map((event) => event.position));
        // Nothing more of ours is pending: no event was delivered twice.
        const extra = await nextWithin(subscription[Symbol.asyncIterator](), 300);
        if (extra !== 'timeout' && !extra.done) expect(streams).not.toContain(extra.value.streamName);
      });
    });
  });
}
