/**
 * The event store port on EventStoreDB (gRPC client `@eventstore/db-client`
 * 6.x; server 23.10 or later, we run 24.10). The pure translations live in
 * `esdb-mapping.ts`; this file does the I/O.
 *
 * Connection. `connectionString` is the client's `esdb://` URI. For a cluster,
 * list every node and ask for the leader:
 *
 *     esdb://node1:2113,node2:2113,node3:2113?nodePreference=leader
 *
 * (TLS is on by default; `tls=false` only for an insecure development server.)
 * Every call also sends `requires-leader`, so a node that is no longer the
 * leader answers `NotLeaderError` instead of serving stale reads or forwarding
 * writes; the client then reconnects to the leader it names. Appends and reads
 * are retried once on `NotLeaderError`; a subscription resubscribes.
 *
 * Guarantees and limits a caller must know:
 * - Idempotency. Before appending, the adapter reads the stream and applies the
 *   port's rule: every id already stored as the same consecutive events of this
 *   stream → the original result, nothing written; some ids stored → 
 *   `DuplicateEventId`. Event ids are sent as the EventStoreDB event ids
 *   (non-UUID ids as deterministic v5 UUIDs), so the server's own duplicate
 *   check covers a retry that races the read — but EventStoreDB only
 *   GUARANTEES that suppression when an expected revision is given
 *   (`no_stream`, `stream_exists` or a revision). With `any` its check is best
 *   effort: two concurrent appends of the same ids with `any` can both be
 *   written.
 * - EventStoreDB has no index of event ids across streams: an id already stored
 *   in ANOTHER stream is not detected (the SQLite adapter detects it).
 * - Positions are commit positions (see `esdb-mapping.ts`); an external `after`
 *   should be `0n` or a position this store returned. Any other number works
 *   but costs a backwards scan of `$all` from the end down to it.
 * - `readAll` and `headPosition` filter system events in the adapter (the 6.x
 *   client's `readAll` cannot send a server-side filter), so they read the
 *   system events in the range too; `subscribeToAll` filters on the server.
 */
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type ReadPosition,
} from '@eventstore/db-client';
import { DuplicateEventId, ExpectedRevisionConflict } from './errors';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  StreamAppend,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from './event-store';
import {
  checkRetry,
  esdbAllFilter,
  esdbPositionAfter,
  esdbPositionOf,
  expectedRevisionHolds,
  fromEsdbAppendResult,
  fromEsdbResolvedEvent,
  isAfter,
  isEsdbConnectionError,
  isNotLeader,
  isRetryableSubscriptionError,
  isStreamNotFound,
  lowerBoundAfter,
  matchesEventTypes,
  toEsdbEventData,
  toEsdbExpectedRevision,
  translateEsdbError,
  type EsdbPosition,
} from './esdb-mapping';

export interface EsdbEventStoreOptions {
  /**
   * The client's connection string, e.g. `esdb://localhost:2113?tls=false` for
   * development, `esdb://n1:2113,n2:2113,n3:2113?nodePreference=leader` (TLS on)
   * for a cluster.
   */
  connectionString: string;
  /** Resubscription back-off of `subscribeToAll`: doubles from `initialDelayMs` (100) up to `maxDelayMs` (10 000). */
  resubscribe?: { initialDelayMs?: number; maxDelayMs?: number };
  /** Pause before the single retry of an append or read that hit `NotLeaderError` (default 100 ms). */
  notLeaderRetryDelayMs?: number;
  /**
   * Told about every state change of every `subscribeToAll` subscription, for
   * logs and metrics (a drop is normal during a leader election; a steady
   * stream of drops, or a `failed`, is not). Must not throw; errors are ignored.
   */
  onSubscriptionStatus?: (status: EsdbSubscriptionStatus) => void;
}

/**
 * What a subscription reports to `onSubscriptionStatus`. `lastPosition`: the
 * commit position of the last event it took from the server (its `after`
 * before the first one; `undefined` from the start of `$all`).
 */
export type EsdbSubscriptionStatus =
  | { state: 'subscribed'; lastPosition: bigint | undefined }
  | { state: 'caught-up'; lastPosition: bigint | undefined }
  | { state: 'fell-behind'; lastPosition: bigint | undefined }
  | { state: 'dropped'; lastPosition: bigint | undefined; error: Error | undefined; attempt: number; retryInMs: number }
  | { state: 'failed'; lastPosition: bigint | undefined; error: Error }
  | { state: 'closed'; lastPosition: bigint | undefined };

/**
 * An `EventStore` on EventStoreDB. Creating it does not connect: the client
 * connects (and, for a cluster, discovers the leader through gossip) on the
 * first call.
 */
export function createEsdbEventStore(options: EsdbEventStoreOptions): EventStore {
  if (typeof options?.connectionString !== 'string' || options.connectionString.length === 0) {
    throw new TypeError('connectionString must be a non-empty esdb:// connection string');
  }
  const client = EventStoreDBClient.connectionString(options.connectionString);
  return new EsdbEventStore(client, options);
}

const DEFAULT_SUBSCRIPTION_BUFFER = 500;

class EsdbEventStore implements EventStore {
  readonly kind = 'esdb';
  private closed = false;
  private readonly subscriptions = new Set<EsdbSubscription>();
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly notLeaderRetryDelayMs: number;
  private readonly onSubscriptionStatus: (status: EsdbSubscriptionStatus) => void;

  constructor(
    private readonly client: EventStoreDBClient,
    options: EsdbEventStoreOptions,
  ) {
    this.initialDelayMs = positiveOr(options.resubscribe?.initialDelayMs, 100, 'resubscribe.initialDelayMs');
    this.maxDelayMs = Math.max(this.initialDelayMs, positiveOr(options.resubscribe?.maxDelayMs, 10_000, 'resubscribe.maxDelayMs'));
    this.notLeaderRetryDelayMs = nonNegativeOr(options.notLeaderRetryDelayMs, 100, 'notLeaderRetryDelayMs');
    const listener = options.onSubscriptionStatus;
    this.onSubscriptionStatus = (status) => {
      try {
        listener?.(status);
      } catch {
        // A monitoring hook must not break the subscription.
      }
    };
  }

  /**
   * Appends atomically (one EventStoreDB append is one transaction, whatever
   * its size). Order of checks, as in the port: idempotency first (a retry of
   * an append whose reply was lost finds the stream moved on and still gets
   * its original result), then the expected revision (checked by the server).
   * An empty append writes nothing and returns the stream's revision (`-1n`
   * when missing) and the head position, after checking the expected revision.
   */
  async appendToStream(
    streamName: string,
    events: readonly NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    this.assertOpen();
    assertStreamName(streamName);
    const expected = options?.expectedRevision;
    const esdbExpected = toEsdbExpectedRevision(expected);
    const data = events.map(toEsdbEventData);
    const operation = `append to ${streamName}`;

    if (events.length === 0) return this.emptyAppend(streamName, expected);

    const ids = events.map((event) => event.id);
    const before = await this.classify(streamName, ids);
    if (before !== undefined) return before;

    let result;
    try {
      result = await this.leaderRetry(() =>
        this.client.appendToStream(streamName, data, { expectedRevision: esdbExpected, requiresLeader: true }),
      );
    } catch (error) {
      const translated = translateEsdbError(error, { operation, streamName, expected });
      if (!(translated instanceof ExpectedRevisionConflict)) throw translated;
      // A concurrent retry of this very append may have won the race: look again.
      const after = await this.classify(streamName, ids);
      if (after !== undefined) return after;
      throw translated;
    }
    const mapped = fromEsdbAppendResult(result);
    const position = mapped.position ?? (await this.positionOfRevision(streamName, mapped.nextExpectedRevision));
    return { nextExpectedRevision: mapped.nextExpectedRevision, position };
  }

  /**
   * EventStoreDB has no transaction across streams: the parts are appended in
   * the order given, each atomic and idempotent on its own, and the first one
   * refused stops the rest (its error is thrown; the parts before it stay).
   * Commands list the stream that makes them done last, and a retry with the
   * same idempotency key finds the earlier parts and appends only what is
   * missing (docs/eventstoredb.md).
   */
  readonly atomicAcrossStreams = false;

  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    if (appends.length === 0) throw new TypeError('appendToStreams needs at least one stream');
    const results: AppendResult[] = [];
    for (const { streamName, events, expectedRevision } of appends) results.push(await this.appendToStream(streamName, events, { expectedRevision }));
    return results;
  }

  /** `undefined`: none of the ids is in the stream. Else the original result, or `DuplicateEventId`. */
  private async classify(streamName: string, ids: readonly string[]): Promise<AppendResult | undefined> {
    const stored = await this.readStream(streamName);
    const check = checkRetry(stored, ids);
    if (check.kind === 'duplicate') throw new DuplicateEventId(check.eventId, streamName);
    if (check.kind === 'retry') return { nextExpectedRevision: check.nextExpectedRevision, position: check.position };
    return undefined;
  }

  private async emptyAppend(streamName: string, expected: ExpectedRevision): Promise<AppendResult> {
    const [last] = await this.readStream(streamName, { direction: 'backwards', maxCount: 1 });
    const current = last?.revision;
    if (!expectedRevisionHolds(expected, current)) throw new ExpectedRevisionConflict(streamName, expected, current);
    return { nextExpectedRevision: current ?? -1n, position: await this.headPosition() };
  }

  private async positionOfRevision(streamName: string, revision: bigint): Promise<bigint> {
    const [event] = await this.readStream(streamName, { fromRevision: revision, maxCount: 1 });
    if (event === undefined || event.revision !== revision) {
      throw new Error(`EventStoreDB reported revision ${revision} of ${streamName} but it cannot be read`);
    }
    return event.position;
  }

  /** A missing stream reads as `[]`; `fromRevision` is inclusive; backwards starts at the end by default. */
  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    assertStreamName(streamName);
    const maxCount = maxCountOf(options.maxCount);
    if (maxCount === 0) return [];
    const backwards = options.direction === 'backwards';
    if (options.direction !== undefined && !backwards && options.direction !== 'forwards') {
      throw new TypeError(`direction must be 'forwards' or 'backwards', got ${String(options.direction)}`);
    }
    const fromRevision = options.fromRevision ?? (backwards ? END : START);
    if (typeof fromRevision === 'bigint' && fromRevision < 0n) {
      throw new RangeError(`fromRevision must be >= 0n, got ${fromRevision}`);
    }
    try {
      return await this.leaderRetry(async () => {
        const out: RecordedEvent[] = [];
        const read = this.client.readStream(streamName, {
          direction: backwards ? BACKWARDS : FORWARDS,
          fromRevision,
          ...(maxCount === undefined ? {} : { maxCount }),
          requiresLeader: true,
        });
        for await (const resolved of read) {
          if (resolved.event !== undefined) out.push(fromEsdbResolvedEvent(resolved));
        }
        return out;
      });
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw translateEsdbError(error, { operation: `read ${streamName}`, streamName });
    }
  }

  /**
   * Non-system events with `position > after`, ascending, optionally only of
   * `eventTypes`, at most `maxCount`. Reads forwards from `{after, after}`; if
   * the server refuses that as a start (not a position it handed out), finds a
   * valid one by reading backwards first.
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const after = options.after ?? 0n;
    const from = esdbPositionAfter(after);
    const maxCount = maxCountOf(options.maxCount);
    if (maxCount === 0) return [];
    const bound = lowerBoundAfter(after);
    const operation = 'read $all';
    try {
      return await this.readAllFrom(from, bound, options.eventTypes, maxCount);
    } catch (error) {
      // Only a refusal of the start position itself is worth a second try from a valid one.
      if (from === START || isEsdbConnectionError(error) || !isRetryableSubscriptionError(error)) {
        throw translateEsdbError(error, { operation });
      }
    }
    try {
      const start = await this.validStartAtOrBefore(after);
      return await this.readAllFrom(start, bound, options.eventTypes, maxCount);
    } catch (error) {
      throw translateEsdbError(error, { operation });
    }
  }

  private readAllFrom(
    from: ReadPosition,
    bound: EsdbPosition | undefined,
    eventTypes: readonly string[] | undefined,
    maxCount: number | undefined,
  ): Promise<RecordedEvent[]> {
    return this.leaderRetry(async () => {
      const out: RecordedEvent[] = [];
      const read = this.client.readAll({ fromPosition: from, direction: FORWARDS, requiresLeader: true });
      let complete = false;
      try {
        for await (const resolved of read) {
          if (!wanted(resolved, bound, eventTypes)) continue;
          out.push(fromEsdbResolvedEvent(resolved));
          if (maxCount !== undefined && out.length >= maxCount) return out;
        }
        complete = true;
        return out;
      } finally {
        if (!complete) await read.cancel().catch(() => undefined);
      }
    });
  }

  /**
   * The greatest record position at or before `after` (or `START`), found by
   * reading `$all` backwards from the end: a position the server accepts as a
   * start for an `after` it does not know. Costs one pass over what follows it.
   */
  private validStartAtOrBefore(after: bigint): Promise<ReadPosition> {
    return this.leaderRetry(async () => {
      const read = this.client.readAll({ fromPosition: END, direction: BACKWARDS, requiresLeader: true });
      try {
        for await (const resolved of read) {
          const position = esdbPositionOf(resolved);
          if (position !== undefined && position.commit <= after) return position;
        }
        return START;
      } finally {
        await read.cancel().catch(() => undefined);
      }
    });
  }

  /**
   * A catch-up subscription to `$all` after `options.after`, filtered on the
   * server (no system events; only `eventTypes` when given). See
   * `EsdbSubscription` for resubscription, back-pressure and `caughtUp`.
   */
  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    this.assertOpen();
    const after = options.after ?? 0n;
    esdbPositionAfter(after); // validates
    const batchSize = options.batchSize ?? DEFAULT_SUBSCRIPTION_BUFFER;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`batchSize must be a positive integer, got ${String(batchSize)}`);
    }
    const subscription = new EsdbSubscription({
      client: this.client,
      after,
      eventTypes: options.eventTypes === undefined ? undefined : [...options.eventTypes],
      highWaterMark: Math.max(16, batchSize),
      initialDelayMs: this.initialDelayMs,
      maxDelayMs: this.maxDelayMs,
      validStartAtOrBefore: (position) => this.validStartAtOrBefore(position),
      onStatus: this.onSubscriptionStatus,
      onClosed: (closed) => this.subscriptions.delete(closed),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Commit position of the newest non-system event (`0n` when there is none): `$all` read backwards from the end. */
  async headPosition(): Promise<bigint> {
    this.assertOpen();
    try {
      return await this.leaderRetry(async () => {
        const read = this.client.readAll({ fromPosition: END, direction: BACKWARDS, requiresLeader: true });
        try {
          for await (const resolved of read) {
            if (!wanted(resolved, undefined, undefined)) continue;
            return fromEsdbResolvedEvent(resolved).position;
          }
          return 0n;
        } finally {
          await read.cancel().catch(() => undefined);
        }
      });
    } catch (error) {
      throw translateEsdbError(error, { operation: 'read the head of $all' });
    }
  }

  /** Closes every subscription, then the client's streams. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }

  /** Runs `operation`, and once more after `NotLeaderError` (the client has switched to the leader it named). */
  private async leaderRetry<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (!isNotLeader(error) || this.closed) throw error;
      await delay(this.notLeaderRetryDelayMs);
      return operation();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the EventStoreDB event store is closed');
  }
}

interface EsdbSubscriptionOptions {
  client: EventStoreDBClient;
  after: bigint;
  eventTypes: readonly string[] | undefined;
  highWaterMark: number;
  initialDelayMs: number;
  maxDelayMs: number;
  validStartAtOrBefore: (after: bigint) => Promise<ReadPosition>;
  onStatus: (status: EsdbSubscriptionStatus) => void;
  onClosed: (subscription: EsdbSubscription) => void;
}

/**
 * A catch-up subscription to `$all` on top of the client's subscription stream.
 *
 * - Never skips, never repeats: every event taken from the client stream moves
 *   `bound` to its exact `{commit, prepare}`; anything at or before `bound` is
 *   dropped. After a drop (connection lost, leader change, server restart) it
 *   resubscribes from `bound` with exponential back-off (100 ms doubling to
 *   10 s by default, reset by the next event or `caughtUp`). It gives up only
 *   on a permanent refusal (access denied, invalid argument…): the error then
 *   surfaces from `next()` after the events already queued.
 * - Back-pressure: events wait in a queue of at most about `highWaterMark`
 *   (`max(16, batchSize)`); above it the client stream is paused, which stops
 *   reading from gRPC and lets HTTP/2 flow control hold the server back. Below
 *   half of it the stream resumes.
 * - `caughtUp`: when the client emits `caughtUp` (server 23.10+, client 6.1+),
 *   the events received before it, including those still buffered inside the
 *   client stream, form the backlog; `caughtUp` resolves when the consumer has
 *   been handed the last of them (at once when there were none). It rejects if
 *   the subscription fails or is closed first.
 * - `close()` / `return()` (a `break` out of `for await`) cancel the server
 *   subscription; a pending `next()` and every later one return `done`.
 * - One consumer: a second `next()` while one is pending is refused.
 */
class EsdbSubscription implements Subscription, AsyncIterableIterator<RecordedEvent> {
  readonly caughtUp: Promise<void>;
  private resolveCaughtUp!: () => void;
  private rejectCaughtUp!: (error: Error) => void;
  private caughtUpSettled = false;

  private readonly queue: RecordedEvent[] = [];
  private pending?: { resolve: (result: IteratorResult<RecordedEvent>) => void; reject: (error: unknown) => void };
  private current?: AllStreamSubscription;
  private paused = false;
  private closed = false;
  private failure?: Error;
  private attempt = 0;
  private retryTimer?: NodeJS.Timeout;

  /** Where the server starts the next (re)subscription. */
  private resumeFrom: ReadPosition;
  /** Events at or before this pair are never delivered (the last one taken, or the external `after`). */
  private bound: EsdbPosition | undefined;
  /** Whether the server has accepted `resumeFrom` (an external `after` may not be a record start). */
  private startAccepted: boolean;

  private enqueued = 0;
  private delivered = 0;
  /** Count of enqueued events the consumer must be handed for `caughtUp`; set when the client caught up. */
  private backlog?: number;
  /** Events still inside the client stream when it emitted `caughtUp`. */
  private bufferedAtCaughtUp = 0;
  private readonly lowWaterMark: number;

  constructor(private readonly options: EsdbSubscriptionOptions) {
    this.caughtUp = new Promise<void>((resolve, reject) => {
      this.resolveCaughtUp = resolve;
      this.rejectCaughtUp = reject;
    });
    // Nobody has to await caughtUp; an unobserved rejection must not crash the process.
    this.caughtUp.catch(() => undefined);
    this.resumeFrom = esdbPositionAfter(options.after);
    this.bound = lowerBoundAfter(options.after);
    this.startAccepted = options.after === 0n;
    this.lowWaterMark = Math.floor(options.highWaterMark / 2);
    this.connect();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<RecordedEvent>> {
    if (this.closed) return Promise.resolve(done());
    const event = this.queue.shift();
    if (event !== undefined) {
      this.resumeIfDrained();
      return Promise.resolve(this.handOut(event));
    }
    if (this.failure !== undefined) {
      const failure = this.failure;
      void this.close();
      return Promise.reject(failure);
    }
    if (this.pending !== undefined) {
      return Promise.reject(new Error('subscription: next() called again before the previous next() settled'));
    }
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
    });
  }

  async return(): Promise<IteratorResult<RecordedEvent>> {
    await this.close();
    return done();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.queue.length = 0;
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve(done());
    this.settleCaughtUp(new Error('subscription closed before it caught up'));
    const current = this.current;
    this.current = undefined;
    this.options.onClosed(this);
    this.options.onStatus({ state: 'closed', lastPosition: this.lastPosition() });
    if (current !== undefined) await unsubscribe(current);
  }

  private connect(): void {
    if (this.closed) return;
    this.retryTimer = undefined;
    let subscription: AllStreamSubscription;
    try {
      subscription = this.options.client.subscribeToAll({
        fromPosition: this.resumeFrom,
        filter: esdbAllFilter(this.options.eventTypes),
        requiresLeader: true,
      });
    } catch (error) {
      this.fail(translateEsdbError(error, { operation: 'subscribe to $all' }));
      return;
    }
    this.current = subscription;
    this.bufferedAtCaughtUp = 0;
    // An 'error' without a listener would crash the process: keep one for good.
    subscription.on('error', (error: Error) => this.dropped(subscription, error));
    subscription.on('end', () => this.dropped(subscription, undefined));
    subscription.on('close', () => this.dropped(subscription, undefined));
    // Confirmation does not reset the back-off: a server can confirm and fail right after.
    subscription.on('confirmation', () => {
      if (subscription !== this.current || this.closed) return;
      this.options.onStatus({ state: 'subscribed', lastPosition: this.lastPosition() });
    });
    subscription.on('caughtUp', () => {
      if (subscription !== this.current || this.closed) return;
      this.attempt = 0;
      this.options.onStatus({ state: 'caught-up', lastPosition: this.lastPosition() });
      this.clientCaughtUp(subscription);
    });
    subscription.on('fellBehind', () => {
      if (subscription === this.current && !this.closed) {
        this.options.onStatus({ state: 'fell-behind', lastPosition: this.lastPosition() });
      }
    });
    subscription.on('data', (resolved: AllStreamResolvedEvent) => this.received(subscription, resolved));
    if (this.paused) subscription.pause();
  }

  private received(subscription: AllStreamSubscription, resolved: AllStreamResolvedEvent): void {
    if (subscription !== this.current || this.closed) return;
    this.attempt = 0;
    this.startAccepted = true;
    try {
      const position = esdbPositionOf(resolved);
      if (position === undefined) throw new Error('EventStoreDB sent a $all event without a position');
      if (resolved.event !== undefined && isAfter(position, this.bound)) {
        // The server filters too; this keeps a filter mismatch from leaking system events.
        if (matchesEventTypes(resolved.event.type, this.options.eventTypes)) {
          this.enqueue(fromEsdbResolvedEvent(resolved));
        }
        this.bound = position;
        this.resumeFrom = position;
      }
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.bufferedAtCaughtUp > 0 && --this.bufferedAtCaughtUp === 0) this.setBacklog();
  }

  private enqueue(event: RecordedEvent): void {
    this.enqueued++;
    const pending = this.pending;
    if (pending !== undefined) {
      this.pending = undefined;
      pending.resolve(this.handOut(event));
      return;
    }
    this.queue.push(event);
    if (!this.paused && this.queue.length >= this.options.highWaterMark) {
      this.paused = true;
      this.current?.pause();
    }
  }

  private handOut(event: RecordedEvent): IteratorResult<RecordedEvent> {
    this.delivered++;
    const result = { value: event, done: false as const };
    // After the consumer's own promise, so its continuation is queued first.
    if (!this.caughtUpSettled && this.backlog !== undefined && this.delivered >= this.backlog) {
      queueMicrotask(() => this.settleCaughtUp());
    }
    return result;
  }

  private resumeIfDrained(): void {
    if (this.paused && this.queue.length <= this.lowWaterMark) {
      this.paused = false;
      this.current?.resume();
    }
  }

  private clientCaughtUp(subscription: AllStreamSubscription): void {
    if (this.backlog !== undefined) return;
    this.startAccepted = true;
    // Events the client converted before this message but has not emitted yet.
    const buffered = subscription.readableLength;
    if (buffered > 0) this.bufferedAtCaughtUp = buffered;
    else this.setBacklog();
  }

  private setBacklog(): void {
    if (this.backlog !== undefined) return;
    this.backlog = this.enqueued;
    if (this.delivered >= this.backlog) this.settleCaughtUp();
  }

  private dropped(subscription: AllStreamSubscription, error: Error | undefined): void {
    if (subscription !== this.current || this.closed) return;
    this.current = undefined;
    void unsubscribe(subscription);
    if (error !== undefined && !isRetryableSubscriptionError(error)) {
      this.fail(translateEsdbError(error, { operation: 'subscribe to $all' }));
      return;
    }
    if (!this.startAccepted && error !== undefined && !isEsdbConnectionError(error)) {
      // The server refused the start: `after` is not a record start. Find one at or before it.
      this.startAccepted = true;
      this.options.validStartAtOrBefore(this.options.after).then(
        (start) => {
          this.resumeFrom = start;
          this.connect();
        },
        (lookupError: unknown) => this.retryLater(lookupError),
      );
      return;
    }
    this.retryLater(error);
  }

  private retryLater(error: unknown): void {
    if (this.closed) return;
    const wait = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    this.options.onStatus({
      state: 'dropped',
      lastPosition: this.lastPosition(),
      error: error === undefined || error instanceof Error ? error : new Error(String(error)),
      attempt: this.attempt,
      retryInMs: wait,
    });
    this.retryTimer = setTimeout(() => this.connect(), wait);
  }

  /** Commit position everything up to which is behind this subscription (`after` before the first event). */
  private lastPosition(): bigint | undefined {
    return this.bound?.commit;
  }

  private fail(error: Error): void {
    if (this.closed || this.failure !== undefined) return;
    this.failure = error;
    this.options.onStatus({ state: 'failed', lastPosition: this.lastPosition(), error });
    this.settleCaughtUp(error);
    const current = this.current;
    this.current = undefined;
    if (current !== undefined) void unsubscribe(current);
    if (this.pending !== undefined && this.queue.length === 0) {
      const pending = this.pending;
      this.pending = undefined;
      void this.close();
      pending.reject(error);
    }
  }

  private settleCaughtUp(error?: Error): void {
    if (this.caughtUpSettled) return;
    if (error !== undefined && this.backlog !== undefined && this.delivered >= this.backlog) {
      // Everything that existed was delivered before the failure or the close.
      this.caughtUpSettled = true;
      this.resolveCaughtUp();
      return;
    }
    this.caughtUpSettled = true;
    if (error === undefined) this.resolveCaughtUp();
    else this.rejectCaughtUp(error);
  }
}

function wanted(
  resolved: AllStreamResolvedEvent,
  bound: EsdbPosition | undefined,
  eventTypes: readonly string[] | undefined,
): boolean {
  if (resolved.event === undefined || !matchesEventTypes(resolved.event.type, eventTypes)) return false;
  const position = esdbPositionOf(resolved);
  return position !== undefined && isAfter(position, bound);
}

async function unsubscribe(subscription: AllStreamSubscription): Promise<void> {
  try {
    await subscription.unsubscribe();
  } catch {
    // Already gone.
  }
  subscription.destroy();
}

const done = (): IteratorResult<RecordedEvent> => ({ done: true, value: undefined });

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function assertStreamName(streamName: unknown): asserts streamName is string {
  if (typeof streamName !== 'string' || streamName.length === 0) {
    throw new TypeError('streamName must be a non-empty string');
  }
}

function maxCountOf(maxCount: number | undefined): number | undefined {
  if (maxCount === undefined) return undefined;
  if (!Number.isSafeInteger(maxCount) || maxCount < 0) {
    throw new RangeError(`maxCount must be a non-negative integer, got ${String(maxCount)}`);
  }
  return maxCount;
}

function positiveOr(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}

function nonNegativeOr(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a non-negative number, got ${value}`);
  return value;
}
