/**
 * The event store port. Every adapter (SQLite, EventStoreDB) implements this
 * interface and passes the one contract suite in `test/contract/`.
 *
 * Positions and revisions are `bigint` everywhere inside the product: an
 * EventStoreDB commit position can exceed 2^53, and a silent rounding would
 * make a checkpoint skip or repeat events. They become strings only at the
 * GraphQL edge.
 */

/** Who did it and why: carried on every event, never interpreted by the store. */
export interface EventMetadata {
  /** Subject of the authenticated caller (or the development actor). */
  actor: string;
  /** Name of the command that produced the event, e.g. `RaiseObstacle`. */
  command: string;
  /** Id of that command; equal for every event one command appended. */
  commandId: string;
  /** Id shared by everything one user action caused, across streams. */
  correlationId: string;
  /** Id of the command or event that directly caused this one. */
  causationId: string;
  /**
   * The client's own id for the action (its `correlationId` input, else its
   * `x-request-id`): kept beside the trace, never as its correlation id, so no
   * client can put its events into another action's trace.
   */
  clientCorrelationId?: string;
  /** Free-text reason the actor gave, when the command carries one. */
  reason?: string;
  /** Idempotency key the client sent, when it sent one. */
  idempotencyKey?: string;
  /** With the key: the hash of the command's input, so the key cannot be reused for another payload. */
  idempotencyFingerprint?: string;
  /** Time the command was decided (ISO-8601); the store records its own time too. */
  occurredAt: string;
  [key: string]: unknown;
}

export interface NewEvent {
  /** Unique id; a retried append with the same ids is recognised and writes nothing. */
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  /** Version of the event's data shape, for upcasting old events (default 1). */
  schemaVersion?: number;
}

export interface RecordedEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  schemaVersion: number;
  streamName: string;
  /** 0-based revision within its stream. */
  revision: bigint;
  /** Global position, strictly increasing in commit order; the first event is at position >= 1. */
  position: bigint;
  /** When the store committed the event. */
  recordedAt: Date;
}

/**
 * What the appender believes about the stream:
 * - `'no_stream'`: the stream must not exist yet;
 * - `'stream_exists'`: the stream must have at least one event;
 * - `'any'`: no check (no duplicate detection guarantee beyond event ids);
 * - a `bigint`: the revision of the stream's last event must be exactly this.
 */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | bigint;

export interface AppendResult {
  /** Revision of the last event now in the stream (the appended one, or the original on a retry). */
  nextExpectedRevision: bigint;
  /** Global position of the last appended event. */
  position: bigint;
}

/** One stream's part of an append to several streams. */
export interface StreamAppend {
  streamName: string;
  events: readonly NewEvent[];
  expectedRevision: ExpectedRevision;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive start revision; default the start (forwards) or the end (backwards). */
  fromRevision?: bigint;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: only events with `position > after` are returned. Default 0n (everything). */
  after?: bigint;
  maxCount?: number;
  /** When given, only events of these types are returned (filtered in the store). */
  eventTypes?: readonly string[];
}

export interface SubscribeToAllOptions {
  /** Exclusive, as in `readAll`. */
  after?: bigint;
  eventTypes?: readonly string[];
  /** Events read per batch while catching up. */
  batchSize?: number;
}

/**
 * A catch-up subscription: yields every event after the start position in
 * order, then follows new ones live. Stop it with `close()` (or by breaking out
 * of a `for await`).
 */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
  /** Resolves once the subscription has delivered everything that existed when it started. */
  readonly caughtUp: Promise<void>;
}

export interface EventStore {
  /** Short name for logs and status ("sqlite", "esdb"). */
  readonly kind: string;
  /**
   * Appends atomically: either every event is stored, in order, or none is.
   * Throws `ExpectedRevisionConflict` when `expectedRevision` does not hold.
   * Idempotent by event id: when every id is already stored, as the same
   * consecutive events of this stream, returns the original result and writes nothing.
   */
  appendToStream(
    streamName: string,
    events: readonly NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;
  /**
   * Appends one command's events to several streams, each part checked
   * against its own expected revision and idempotent by event id as
   * `appendToStream` is. A store that is `atomicAcrossStreams` (SQLite) commits
   * every part or none, in one transaction. EventStoreDB has no multi-stream
   * transaction: it appends the parts in the order given and stops at the
   * first refused, so a command lists the stream that makes it done last
   * (docs/eventstoredb.md says what each command leaves if a later part fails).
   */
  appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /** Whether `appendToStreams` commits all parts or none. */
  readonly atomicAcrossStreams: boolean;
  /** A missing stream reads as empty, never as an error. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeToAllOptions): Subscription;
  /** Position of the newest event in the store (0n when empty). */
  headPosition(): Promise<bigint>;
  /**
   * Every event type the store holds, each once, in no particular order: what a
   * replay filters its reads by (`eventTypes`), asking each projection which it
   * handles. Optional: a store that cannot list them cheaply leaves it out, and
   * replays then read every event.
   */
  eventTypes?(): Promise<string[]>;
  close(): Promise<void>;
}
