/**
 * Pure translations between the event store port (`event-store.ts`) and the
 * EventStoreDB gRPC client (`@eventstore/db-client` 6.x). Nothing here opens a
 * connection: `esdb.ts` does the I/O and calls these functions, and
 * `test/unit/esdb-mapping.unit.test.ts` tests every one of them.
 *
 * Positions. EventStoreDB addresses a record of `$all` by a pair
 * `{ commit, prepare }` of byte offsets in its transaction log. Every event this
 * product writes goes through a gRPC append, which the server stores as
 * self-committing prepare records: each event's `commit` equals its `prepare`
 * equals the offset where its record starts, so the commit position alone is
 * unique per event and strictly increasing in commit order. The port's bigint
 * `position` is that COMMIT position. (Events written by the legacy TCP
 * client's explicit transactions share the commit position of their commit
 * record and have `prepare < commit`; this product never writes those. Treat
 * their positions as not unique.)
 *
 * Resuming after a position needs the pair, because the server reads `$all`
 * FROM a pair, inclusively. Two cases:
 * - A subscription keeps the full `{ commit, prepare }` of the last event it
 *   received and, after a drop, resumes from exactly that pair, discarding
 *   everything at or before it (`isAfter`).
 * - An external `after` (a bare bigint from a checkpoint) becomes the pair
 *   `{ commit: after, prepare: after }` (`esdbPositionAfter`) and the adapter
 *   discards events at or before it. Since our events have `commit == prepare`,
 *   that is exactly "position > after". A pair must start a record: a number
 *   that is not a position the store returned (e.g. `position - 1n`) makes the
 *   server fail the read, and `esdb.ts` then finds a valid start by reading
 *   `$all` backwards (see `EsdbEventStore.validStartAtOrBefore`).
 */
import { createHash } from 'node:crypto';
import {
  ANY,
  END,
  ErrorType,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  eventTypeFilter,
  jsonEvent,
  type AppendExpectedRevision,
  type EventData,
  type RegexFilter,
} from '@eventstore/db-client';
import { DuplicateEventId, EventStoreUnavailable, ExpectedRevisionConflict } from './errors';
import type { EventMetadata, ExpectedRevision, NewEvent, RecordedEvent } from './event-store';

// ---------------------------------------------------------------------------
// Integers: the client's revisions and positions
// ---------------------------------------------------------------------------

/**
 * A revision or position as the client hands it over: `bigint` in 6.x, `number`
 * in some older versions (and in hand-made objects), a decimal string on the
 * wire. Returns it as a `bigint`, exactly.
 *
 * Throws `RangeError` for a `number` that is not a safe integer: above 2^53 a
 * `number` has already been rounded by whoever produced it, and turning it into
 * a bigint would silently make a checkpoint skip or repeat events.
 */
export function toBigIntExact(value: unknown, what = 'value'): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new RangeError(
        `${what}: ${String(value)} is not a safe integer (|n| <= 2^53 - 1); it has been rounded, refusing to guess the exact value`,
      );
    }
    return BigInt(value);
  }
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new TypeError(`${what}: expected a bigint, a safe integer or a decimal string, got ${describe(value)}`);
}

/** The server's "no position" marker: -1 as an unsigned 64-bit integer. */
export const ESDB_NO_POSITION = 2n ** 64n - 1n;

// ---------------------------------------------------------------------------
// Expected revision
// ---------------------------------------------------------------------------

/** The port's expected revision as the client's `AppendExpectedRevision`. */
export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      if (typeof expected !== 'bigint') {
        // A JS number would be sent as a revision and fail as a confusing conflict.
        throw new TypeError(
          `expectedRevision must be 'no_stream', 'stream_exists', 'any' or a bigint, got ${describe(expected)}`,
        );
      }
      if (expected < 0n) throw new RangeError(`expectedRevision must be >= 0n, got ${String(expected)}`);
      return expected;
  }
}

/** The client's expected revision back as the port's (for errors the client raised on its own). */
export function fromEsdbExpectedRevision(expected: unknown): ExpectedRevision {
  if (expected === NO_STREAM || expected === STREAM_EXISTS || expected === ANY) return expected;
  return toBigIntExact(expected, 'expected revision');
}

// ---------------------------------------------------------------------------
// Positions
// ---------------------------------------------------------------------------

/** A `$all` position as the server uses it, both halves exact. */
export interface EsdbPosition {
  commit: bigint;
  prepare: bigint;
}

/**
 * A position from the client (`{ commit, prepare }`, bigint or number halves)
 * as an exact `EsdbPosition`; `undefined` when the server sent none or its
 * "no position" marker (a stream read on a server older than 22.6).
 */
export function fromEsdbPosition(
  position: { commit: unknown; prepare: unknown } | undefined | null,
): EsdbPosition | undefined {
  if (position === undefined || position === null) return undefined;
  const commit = toBigIntExact(position.commit, 'commit position');
  const prepare = toBigIntExact(position.prepare, 'prepare position');
  if (commit < 0n || prepare < 0n || commit === ESDB_NO_POSITION || prepare === ESDB_NO_POSITION) return undefined;
  return { commit, prepare };
}

/** The port's `position` of an `$all` position: its commit half. */
export const toPortPosition = (position: EsdbPosition): bigint => position.commit;

/**
 * Where the server should start reading `$all` to return what comes after the
 * port's exclusive `after`: `START` for `0n`, else the pair `{after, after}`,
 * read inclusively, whose own event the caller discards with `isAfter`.
 */
export function esdbPositionAfter(after: bigint): typeof START | EsdbPosition {
  if (typeof after !== 'bigint') throw new TypeError(`after must be a bigint, got ${describe(after)}`);
  if (after < 0n) throw new RangeError(`after must be >= 0n, got ${String(after)}`);
  return after === 0n ? START : { commit: after, prepare: after };
}

/** The exclusive lower bound the adapter filters with for an external `after` (`undefined`: everything). */
export const lowerBoundAfter = (after: bigint): EsdbPosition | undefined =>
  after === 0n ? undefined : { commit: after, prepare: after };

/** Orders `$all` positions as the server does: by commit, then by prepare. */
export function compareEsdbPositions(a: EsdbPosition, b: EsdbPosition): -1 | 0 | 1 {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** Whether `position` comes strictly after `bound` (always, when there is no bound). */
export const isAfter = (position: EsdbPosition, bound: EsdbPosition | undefined): boolean =>
  bound === undefined || compareEsdbPositions(position, bound) > 0;

export { START as ESDB_START, END as ESDB_END };

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

const ERROR_TYPES = new Set<string>(Object.values(ErrorType));

/** The client's `ErrorType` of an error (every client error class carries one in `type`), if any. */
export function esdbErrorType(error: unknown): ErrorType | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const type = (error as { type?: unknown }).type;
  return typeof type === 'string' && ERROR_TYPES.has(type) ? (type as ErrorType) : undefined;
}

export const isWrongExpectedVersion = (error: unknown): boolean =>
  esdbErrorType(error) === ErrorType.WRONG_EXPECTED_VERSION;

export const isStreamNotFound = (error: unknown): boolean => esdbErrorType(error) === ErrorType.STREAM_NOT_FOUND;

export const isNotLeader = (error: unknown): boolean => esdbErrorType(error) === ErrorType.NOT_LEADER;

/** Client error types that mean "could not reach a (leader) node in time", not "refused". */
const CONNECTION_ERROR_TYPES = new Set<ErrorType>([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.CANCELLED,
  ErrorType.NOT_LEADER,
]);

/** gRPC status codes of a raw `ServiceError`: CANCELLED, DEADLINE_EXCEEDED, UNAVAILABLE. */
const CONNECTION_GRPC_CODES = new Set([1, 4, 14]);
const CONNECTION_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/**
 * Whether the error says the server could not be reached (or is not the
 * leader): by the client's `ErrorType`, by the gRPC status of an error the
 * client did not convert, by a socket `errno`, or by the client's gossip
 * discovery giving up ("Failed to discover after N attempts.").
 */
export function isEsdbConnectionError(error: unknown): boolean {
  const type = esdbErrorType(error);
  if (type !== undefined) return CONNECTION_ERROR_TYPES.has(type);
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'number' && CONNECTION_GRPC_CODES.has(code)) return true;
  if (typeof code === 'string' && CONNECTION_ERRNO.has(code)) return true;
  return typeof message === 'string' && /^Failed to discover after \d+ attempts/.test(message);
}

/**
 * Errors a catch-up subscription must not retry: the server refuses, and will
 * refuse again (credentials, a bad request, an unsupported server). Every other
 * failure, connection losses and leader changes first, is retried with back-off.
 */
const PERMANENT_ERROR_TYPES = new Set<ErrorType>([
  ErrorType.ACCESS_DENIED,
  ErrorType.INVALID_ARGUMENT,
  ErrorType.UNSUPPORTED,
  ErrorType.STREAM_DELETED,
  ErrorType.USER_NOT_FOUND,
]);

export function isRetryableSubscriptionError(error: unknown): boolean {
  if (error instanceof ExpectedRevisionConflict || error instanceof DuplicateEventId) return false;
  const type = esdbErrorType(error);
  return type === undefined || !PERMANENT_ERROR_TYPES.has(type);
}

export interface ErrorContext {
  /** What the adapter was doing, for the message ("append to unit-1"). */
  operation: string;
  streamName?: string;
  /** The port's expected revision of an append, reported as-is in a conflict. */
  expected?: ExpectedRevision;
}

/**
 * A client error as the port's error:
 * - `WrongExpectedVersionError` → `ExpectedRevisionConflict` with the actual
 *   revision the server reported (`undefined` for "no stream");
 * - connection failures, leader changes and every other refusal by the server
 *   → `EventStoreUnavailable` (with the client's error as `cause`);
 * - the port's own errors and anything that is not the client's pass through.
 *
 * `StreamNotFoundError` is not special here: a read turns it into `[]` with
 * `isStreamNotFound` before it gets this far.
 */
export function translateEsdbError(error: unknown, context: ErrorContext): Error {
  if (
    error instanceof ExpectedRevisionConflict ||
    error instanceof DuplicateEventId ||
    error instanceof EventStoreUnavailable
  ) {
    return error;
  }
  const type = esdbErrorType(error);
  const message = typeof (error as { message?: unknown })?.message === 'string' ? (error as Error).message : '';
  if (type === ErrorType.WRONG_EXPECTED_VERSION) {
    const wrong = error as { streamName?: unknown; expectedVersion?: unknown; actualVersion?: unknown };
    const streamName =
      context.streamName ?? (typeof wrong.streamName === 'string' ? wrong.streamName : '<unknown stream>');
    const expected = context.expected ?? fromEsdbExpectedRevision(wrong.expectedVersion);
    return new ExpectedRevisionConflict(streamName, expected, actualRevisionOf(wrong.actualVersion));
  }
  if (type !== undefined || isEsdbConnectionError(error)) {
    const why = type === undefined || CONNECTION_ERROR_TYPES.has(type) ? 'unavailable' : `refused (${type})`;
    return new EventStoreUnavailable(
      `EventStoreDB ${why} during ${context.operation}${message ? `: ${message}` : ''}`,
      error,
    );
  }
  return error instanceof Error ? error : new Error(`${context.operation} failed: ${describe(error)}`);
}

/** The actual revision of a `WrongExpectedVersionError`: a bigint, or `undefined` when the stream does not exist. */
export function actualRevisionOf(actual: unknown): bigint | undefined {
  if (actual === undefined || actual === null || actual === NO_STREAM) return undefined;
  const revision = toBigIntExact(actual, 'actual revision');
  return revision < 0n ? undefined : revision;
}

// ---------------------------------------------------------------------------
// Event ids
// ---------------------------------------------------------------------------

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Namespace of the name-based UUIDs minted for event ids that are not UUIDs. Never change it. */
export const TASHIL_EVENT_ID_NAMESPACE = '3f9c4d52-6a1e-4b8f-9d27-5c0e8a1b7f64';

/** RFC 4122 version-5 (SHA-1, name-based) UUID of `name` in `namespace`. */
export function uuidV5(name: string, namespace: string): string {
  if (!UUID.test(namespace)) throw new TypeError(`namespace must be a UUID, got ${namespace}`);
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id EventStoreDB stores for a port event id. EventStoreDB ids are UUIDs
 * and come back lower-case: a lower-case UUID is used as is; any other id
 * becomes a deterministic v5 UUID (so a retry maps to the same server id) and
 * the original travels in the metadata (`ORIGINAL_ID_KEY`).
 */
export function toEsdbEventId(id: string): string {
  if (typeof id !== 'string' || id.length === 0) throw new TypeError('event id must be a non-empty string');
  return UUID.test(id) ? id.toLowerCase() : uuidV5(id, TASHIL_EVENT_ID_NAMESPACE);
}

// ---------------------------------------------------------------------------
// Metadata
// ---------------------------------------------------------------------------

/** Metadata keys this adapter adds to what the caller wrote, and strips on the way back. */
export const CORRELATION_ID_KEY = '$correlationId';
export const CAUSATION_ID_KEY = '$causationId';
export const SCHEMA_VERSION_KEY = 'schemaVersion';
/** The caller's event id, when it is not the lower-case UUID EventStoreDB stores. */
export const ORIGINAL_ID_KEY = 'tashilEventId';
const ADDED_KEYS = [CORRELATION_ID_KEY, CAUSATION_ID_KEY, SCHEMA_VERSION_KEY, ORIGINAL_ID_KEY] as const;

/**
 * The port's metadata as EventStoreDB metadata: everything the caller wrote,
 * plus EventStoreDB's conventional `$correlationId` / `$causationId` (so the
 * server's `$by_correlation_id` projection and its UI understand them), plus
 * `schemaVersion`, plus the original event id when it is not a UUID. A caller
 * key with one of these names is overwritten.
 */
export function toEsdbMetadata(
  metadata: EventMetadata,
  schemaVersion: number = 1,
  originalId?: string,
): Record<string, unknown> {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new TypeError('event metadata must be an object');
  }
  assertSchemaVersion(schemaVersion);
  const out: Record<string, unknown> = {
    ...metadata,
    [CORRELATION_ID_KEY]: metadata.correlationId,
    [CAUSATION_ID_KEY]: metadata.causationId,
    [SCHEMA_VERSION_KEY]: schemaVersion,
  };
  if (originalId !== undefined) out[ORIGINAL_ID_KEY] = originalId;
  return out;
}

export interface PortMetadata {
  metadata: EventMetadata;
  schemaVersion: number;
  /** The caller's original event id, when it was not a UUID. */
  originalId?: string;
}

/**
 * EventStoreDB metadata (parsed JSON, raw bytes, or nothing) back as the port's:
 * strips the keys `toEsdbMetadata` added; `schemaVersion` defaults to 1; an
 * event written by someone else with only `$correlationId` / `$causationId`
 * gets them as `correlationId` / `causationId`.
 */
export function fromEsdbMetadata(raw: unknown): PortMetadata {
  const parsed = raw instanceof Uint8Array ? parseJsonBytes(raw, 'metadata') : raw;
  if (parsed === undefined || parsed === null) return { metadata: {} as EventMetadata, schemaVersion: 1 };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TypeError(`event metadata must be a JSON object, got ${describe(parsed)}`);
  }
  const source = parsed as Record<string, unknown>;
  const metadata: Record<string, unknown> = { ...source };
  for (const key of ADDED_KEYS) delete metadata[key];
  if (metadata.correlationId === undefined && typeof source[CORRELATION_ID_KEY] === 'string') {
    metadata.correlationId = source[CORRELATION_ID_KEY];
  }
  if (metadata.causationId === undefined && typeof source[CAUSATION_ID_KEY] === 'string') {
    metadata.causationId = source[CAUSATION_ID_KEY];
  }
  const version = source[SCHEMA_VERSION_KEY];
  const schemaVersion = version === undefined ? 1 : version;
  assertSchemaVersion(schemaVersion);
  const originalId = source[ORIGINAL_ID_KEY];
  return {
    metadata: metadata as EventMetadata,
    schemaVersion,
    ...(typeof originalId === 'string' ? { originalId } : {}),
  };
}

function assertSchemaVersion(version: unknown): asserts version is number {
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    throw new RangeError(`schemaVersion must be a positive integer, got ${describe(version)}`);
  }
}

// ---------------------------------------------------------------------------
// Event types and the $all filter
// ---------------------------------------------------------------------------

/**
 * EventStoreDB's system events (`$metadata`, `$statsCollected`, `$>` links, the
 * `$Projection*` events…) have types starting with `$`. The same regex the
 * client's `excludeSystemEvents()` uses, without its redundant `.*`.
 */
export const NON_SYSTEM_EVENT_TYPE_REGEX = '^[^$]';

/** Escapes a literal for a .NET (server-side) and JavaScript regex alike. */
export const escapeRegex = (literal: string): string => literal.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');

/**
 * The event-type regex of a `$all` read or subscription: no system events and,
 * when `eventTypes` is given, exactly those types (anchored alternation, so
 * `Foo` does not also select `FooBar`, which a prefix filter would). Asked-for
 * `$` types are dropped: system events are never delivered. An empty list
 * selects nothing (`(?!)` never matches).
 */
export function eventTypeRegex(eventTypes?: readonly string[]): string {
  if (eventTypes === undefined) return NON_SYSTEM_EVENT_TYPE_REGEX;
  const wanted = uniqueUserTypes(eventTypes);
  if (wanted.length === 0) return '(?!)';
  return `^(?:${wanted.map(escapeRegex).join('|')})$`;
}

/**
 * The server-side filter of a `$all` subscription. EventStoreDB evaluates it
 * while reading, so excluded events never cross the network, and it sends
 * checkpoints while skipping (we do not need them: a resumed subscription
 * restarts from the last event it delivered).
 *
 * Why `eventTypeFilter` with a regex rather than prefixes: prefixes cannot
 * express "not starting with `$`", and a prefix `Foo` also matches `FooBar`.
 */
export const esdbAllFilter = (eventTypes?: readonly string[]): RegexFilter =>
  eventTypeFilter({ regex: eventTypeRegex(eventTypes) });

/**
 * The same selection as `eventTypeRegex`, evaluated in the adapter: the 6.x
 * client's `readAll` cannot send a filter, so `readAll` and `headPosition`
 * filter what they read with this.
 */
export function matchesEventTypes(type: string, eventTypes?: readonly string[]): boolean {
  if (!isUserEventType(type)) return false;
  return eventTypes === undefined || eventTypes.includes(type);
}

/** Not a system event: a non-empty type not starting with `$` (what `^[^$]` matches). */
export const isUserEventType = (type: unknown): type is string =>
  typeof type === 'string' && type.length > 0 && !type.startsWith('$');

const uniqueUserTypes = (types: readonly string[]): string[] => [...new Set(types.filter(isUserEventType))];

// ---------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------

/**
 * A port event as the client's JSON `EventData`. Event types starting with `$`
 * are refused: EventStoreDB reserves them for system events, and this adapter's
 * `$all` reads would never return them.
 */
export function toEsdbEventData(event: NewEvent): EventData {
  if (!isUserEventType(event.type)) {
    throw new TypeError(
      `event ${event.id}: type must be a non-empty string not starting with '$' (reserved for EventStoreDB system events), got ${describe(event.type)}`,
    );
  }
  if (typeof event.data !== 'object' || event.data === null || Array.isArray(event.data)) {
    throw new TypeError(`event ${event.id}: data must be a JSON object`);
  }
  const id = toEsdbEventId(event.id);
  const metadata = toEsdbMetadata(event.metadata, event.schemaVersion ?? 1, id === event.id ? undefined : event.id);
  return jsonEvent({ id, type: event.type, data: event.data, metadata });
}

/**
 * The shape of the client's `RecordedEvent`, loosely typed so that events from
 * any 6.x version (bigint or number revisions) and hand-made test values fit.
 */
export interface EsdbRecordedEventLike {
  streamId: string;
  id: string;
  type: string;
  revision: bigint | number;
  created: Date;
  isJson?: boolean;
  data: unknown;
  metadata?: unknown;
  position?: { commit: bigint | number; prepare: bigint | number };
}

/** The shape of the client's `ResolvedEvent` / `AllStreamResolvedEvent`. */
export interface EsdbResolvedEventLike {
  event?: EsdbRecordedEventLike;
  link?: unknown;
  commitPosition?: bigint | number;
}

/**
 * The `$all` position of a resolved event: the recorded event's
 * `{commit, prepare}` (always there on `$all` reads, and on stream reads from
 * server 22.6 on), else the resolved event's `commitPosition` for both halves.
 */
export function esdbPositionOf(resolved: EsdbResolvedEventLike): EsdbPosition | undefined {
  const fromEvent = fromEsdbPosition(resolved.event?.position);
  if (fromEvent !== undefined) return fromEvent;
  if (resolved.commitPosition === undefined) return undefined;
  const commit = toBigIntExact(resolved.commitPosition, 'commit position');
  return commit < 0n || commit === ESDB_NO_POSITION ? undefined : { commit, prepare: commit };
}

/**
 * A resolved event from the client as the port's `RecordedEvent`:
 * `streamId` → `streamName`, `revision` and the commit position as exact
 * bigints, `created` → `recordedAt`, `schemaVersion` out of the metadata
 * (default 1), the added metadata keys stripped, the caller's original id back.
 *
 * Throws when there is no event (an unresolved link), no position (a server
 * older than 22.6 on a stream read), or data that is not a JSON object.
 */
export function fromEsdbResolvedEvent(resolved: EsdbResolvedEventLike): RecordedEvent {
  const event = resolved.event;
  if (event === undefined) throw new TypeError('resolved event has no event (an unresolved link?)');
  const position = esdbPositionOf(resolved);
  if (position === undefined) {
    throw new EventStoreUnavailable(
      `EventStoreDB returned event ${event.id} of ${event.streamId} without its $all position (server older than 22.6?)`,
    );
  }
  const { metadata, schemaVersion, originalId } = fromEsdbMetadata(event.metadata);
  return {
    id: originalId ?? event.id,
    type: event.type,
    data: dataOf(event),
    metadata,
    schemaVersion,
    streamName: event.streamId,
    revision: toBigIntExact(event.revision, 'revision'),
    position: toPortPosition(position),
    recordedAt: event.created,
  };
}

function dataOf(event: EsdbRecordedEventLike): Record<string, unknown> {
  const data = event.data instanceof Uint8Array ? parseJsonBytes(event.data, `data of event ${event.id}`) : event.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TypeError(`event ${event.id} of ${event.streamId}: data is not a JSON object`);
  }
  return data as Record<string, unknown>;
}

/** What the adapter needs of a successful append (the client's `AppendResult`). */
export interface EsdbAppendResultLike {
  nextExpectedRevision: bigint | number;
  position?: { commit: bigint | number; prepare: bigint | number };
}

/**
 * A successful append's result: the revision of the stream's last event, and
 * the commit position the server reports, which for a multi-event append is
 * the last event's. `position` is `undefined` when the server sent none (it
 * does so for an append it recognised as an idempotent retry on some
 * versions); the adapter then reads the event at `nextExpectedRevision`.
 */
export function fromEsdbAppendResult(result: EsdbAppendResultLike): {
  nextExpectedRevision: bigint;
  position: bigint | undefined;
} {
  const position = fromEsdbPosition(result.position);
  return {
    nextExpectedRevision: toBigIntExact(result.nextExpectedRevision, 'next expected revision'),
    position: position === undefined ? undefined : toPortPosition(position),
  };
}

// ---------------------------------------------------------------------------
// Idempotency (decided on a read of the stream, before the append)
// ---------------------------------------------------------------------------

export type RetryCheck =
  | { kind: 'new' }
  | { kind: 'retry'; nextExpectedRevision: bigint; position: bigint }
  | { kind: 'duplicate'; eventId: string };

/**
 * Compares an append's event ids with the events of the stream (read forwards):
 * - none stored → `new`: go on and append;
 * - all stored, at consecutive revisions in the same order → `retry` with the
 *   original result (last revision and position);
 * - anything else (some stored; all stored but elsewhere or in another order;
 *   one id twice in the append) → `duplicate`: a retry that is not a retry.
 */
export function checkRetry(
  stored: ReadonlyArray<Pick<RecordedEvent, 'id' | 'revision' | 'position'>>,
  ids: readonly string[],
): RetryCheck {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) return { kind: 'duplicate', eventId: id };
    seen.add(id);
  }
  const index = new Map(stored.map((event, i) => [event.id, i] as const));
  const found = ids.filter((id) => index.has(id));
  if (found.length === 0) return { kind: 'new' };
  if (found.length < ids.length) return { kind: 'duplicate', eventId: found[0] };
  const first = index.get(ids[0]) as number;
  for (let i = 1; i < ids.length; i++) {
    const at = stored[first + i];
    if (at === undefined || at.id !== ids[i] || at.revision !== stored[first].revision + BigInt(i)) {
      return { kind: 'duplicate', eventId: ids[i] };
    }
  }
  const last = stored[first + ids.length - 1];
  return { kind: 'retry', nextExpectedRevision: last.revision, position: last.position };
}

/** Whether `expected` holds for a stream whose last revision is `current` (`undefined`: no stream). */
export function expectedRevisionHolds(expected: ExpectedRevision, current: bigint | undefined): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current === undefined;
  if (expected === 'stream_exists') return current !== undefined;
  return current === expected;
}

// ---------------------------------------------------------------------------

function parseJsonBytes(bytes: Uint8Array, what: string): unknown {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new TypeError(`${what} is not JSON`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined || typeof value !== 'object') return `${typeof value} ${String(value)}`;
  return Array.isArray(value) ? 'an array' : 'an object';
}
