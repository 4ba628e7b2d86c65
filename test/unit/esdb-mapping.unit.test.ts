/**
 * Unit tests of the pure EventStoreDB translations (`esdb-mapping.ts`). Client
 * errors are real instances of the client's exported classes, built through
 * their public constructors or through the client's own `convertToCommandError`
 * from a gRPC error shaped as the server sends it.
 *
 * The last block runs the real adapter against a port where nothing listens:
 * it only checks the "cannot connect" path. The adapter itself is tested by
 * `test/contract/esdb.int.test.ts` against a real server.
 */
import { Metadata, status } from '@grpc/grpc-js';
import {
  ANY,
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  ErrorType,
  NO_STREAM,
  NotLeaderError,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  convertToCommandError,
} from '@eventstore/db-client';
import { DuplicateEventId, EventStoreUnavailable, ExpectedRevisionConflict } from '../../src/eventstore/errors';
import type { EventMetadata, NewEvent, RecordedEvent } from '../../src/eventstore/event-store';
import {
  CAUSATION_ID_KEY,
  CORRELATION_ID_KEY,
  ESDB_NO_POSITION,
  NON_SYSTEM_EVENT_TYPE_REGEX,
  ORIGINAL_ID_KEY,
  TASHIL_EVENT_ID_NAMESPACE,
  actualRevisionOf,
  checkRetry,
  compareEsdbPositions,
  escapeRegex,
  esdbAllFilter,
  esdbErrorType,
  esdbPositionAfter,
  esdbPositionOf,
  eventTypeRegex,
  expectedRevisionHolds,
  fromEsdbAppendResult,
  fromEsdbExpectedRevision,
  fromEsdbMetadata,
  fromEsdbPosition,
  fromEsdbResolvedEvent,
  isAfter,
  isEsdbConnectionError,
  isNotLeader,
  isRetryableSubscriptionError,
  isStreamNotFound,
  isUserEventType,
  isWrongExpectedVersion,
  lowerBoundAfter,
  matchesEventTypes,
  toBigIntExact,
  toEsdbEventData,
  toEsdbEventId,
  toEsdbExpectedRevision,
  toEsdbMetadata,
  toPortPosition,
  translateEsdbError,
  uuidV5,
  type EsdbRecordedEventLike,
} from '../../src/eventstore/esdb-mapping';
import { createEsdbEventStore, type EsdbSubscriptionStatus } from '../../src/eventstore/esdb';

/** A position/revision beyond 2^53: a `number` cannot hold it. */
const HUGE = 2n ** 60n + 7n;
const UNSAFE_NUMBER = Number.MAX_SAFE_INTEGER + 2; // 2^53 + 1 is not representable; this is 2^53 + 2 rounded

const metadata = (overrides: Partial<EventMetadata> = {}): EventMetadata => ({
  actor: 'user-1',
  command: 'RaiseObstacle',
  commandId: 'cmd-1',
  correlationId: 'corr-1',
  causationId: 'cause-1',
  occurredAt: '2024-03-20T08:30:00.000+03:30',
  ...overrides,
});

/** A gRPC error as grpc-js delivers it, with the server's metadata. */
function serviceError(code: status, details: string, entries: Record<string, string> = {}): Error {
  const md = new Metadata();
  for (const [key, value] of Object.entries(entries)) md.set(key, value);
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata: md });
}

describe('toBigIntExact', () => {
  it('passes bigints through exactly, beyond 2^53', () => {
    expect(toBigIntExact(HUGE)).toBe(HUGE);
    expect(toBigIntExact(2n ** 64n - 1n)).toBe(2n ** 64n - 1n);
    expect(toBigIntExact(-1n)).toBe(-1n);
  });

  it('accepts safe integer numbers, up to Number.MAX_SAFE_INTEGER', () => {
    expect(toBigIntExact(0)).toBe(0n);
    expect(toBigIntExact(42)).toBe(42n);
    expect(toBigIntExact(-1)).toBe(-1n);
    expect(toBigIntExact(Number.MAX_SAFE_INTEGER)).toBe(9007199254740991n);
  });

  it('rejects numbers above Number.MAX_SAFE_INTEGER instead of rounding', () => {
    expect(() => toBigIntExact(Number.MAX_SAFE_INTEGER + 1, 'commit position')).toThrow(RangeError);
    expect(() => toBigIntExact(UNSAFE_NUMBER)).toThrow(/not a safe integer/);
    expect(() => toBigIntExact(Number(HUGE))).toThrow(RangeError);
    expect(() => toBigIntExact(-(2 ** 60))).toThrow(RangeError);
  });

  it('rejects fractions, NaN and infinities', () => {
    for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => toBigIntExact(bad)).toThrow(RangeError);
  });

  it('parses decimal strings (the wire format) exactly', () => {
    expect(toBigIntExact(HUGE.toString())).toBe(HUGE);
    expect(toBigIntExact('18446744073709551615')).toBe(ESDB_NO_POSITION);
    expect(toBigIntExact('-1')).toBe(-1n);
  });

  it('rejects anything else with a TypeError naming the value', () => {
    for (const bad of ['12a', '', '1e3', null, undefined, {}, [1]]) {
      expect(() => toBigIntExact(bad, 'revision')).toThrow(TypeError);
    }
    expect(() => toBigIntExact('x', 'revision')).toThrow(/^revision: /);
  });
});

describe('expected revision', () => {
  it("maps 'no_stream', 'stream_exists' and 'any' to the client's constants", () => {
    expect(toEsdbExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toEsdbExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
    expect(toEsdbExpectedRevision('any')).toBe(ANY);
  });

  it('passes an exact revision through as a bigint, beyond 2^53', () => {
    expect(toEsdbExpectedRevision(0n)).toBe(0n);
    expect(toEsdbExpectedRevision(HUGE)).toBe(HUGE);
  });

  it('refuses numbers, negative revisions and unknown strings', () => {
    expect(() => toEsdbExpectedRevision(3 as unknown as bigint)).toThrow(TypeError);
    expect(() => toEsdbExpectedRevision(-1n)).toThrow(RangeError);
    expect(() => toEsdbExpectedRevision('latest' as unknown as 'any')).toThrow(TypeError);
  });

  it('maps the client values back', () => {
    expect(fromEsdbExpectedRevision(NO_STREAM)).toBe('no_stream');
    expect(fromEsdbExpectedRevision(STREAM_EXISTS)).toBe('stream_exists');
    expect(fromEsdbExpectedRevision(ANY)).toBe('any');
    expect(fromEsdbExpectedRevision(HUGE)).toBe(HUGE);
    expect(fromEsdbExpectedRevision(7)).toBe(7n);
    expect(() => fromEsdbExpectedRevision(UNSAFE_NUMBER)).toThrow(RangeError);
  });

  it('checks an expected revision against a current one', () => {
    expect(expectedRevisionHolds('any', undefined)).toBe(true);
    expect(expectedRevisionHolds('any', 3n)).toBe(true);
    expect(expectedRevisionHolds('no_stream', undefined)).toBe(true);
    expect(expectedRevisionHolds('no_stream', 0n)).toBe(false);
    expect(expectedRevisionHolds('stream_exists', 0n)).toBe(true);
    expect(expectedRevisionHolds('stream_exists', undefined)).toBe(false);
    expect(expectedRevisionHolds(HUGE, HUGE)).toBe(true);
    expect(expectedRevisionHolds(HUGE, HUGE - 1n)).toBe(false);
    expect(expectedRevisionHolds(0n, undefined)).toBe(false);
  });
});

describe('positions', () => {
  it('reads a {commit, prepare} pair exactly, beyond 2^53, and exposes the commit half', () => {
    const position = fromEsdbPosition({ commit: HUGE, prepare: HUGE - 3n });
    expect(position).toEqual({ commit: HUGE, prepare: HUGE - 3n });
    expect(toPortPosition(position!)).toBe(HUGE);
  });

  it('accepts safe number halves and rejects unsafe ones', () => {
    expect(fromEsdbPosition({ commit: 1024, prepare: 1024 })).toEqual({ commit: 1024n, prepare: 1024n });
    expect(() => fromEsdbPosition({ commit: UNSAFE_NUMBER, prepare: 1 })).toThrow(RangeError);
    expect(() => fromEsdbPosition({ commit: 1, prepare: UNSAFE_NUMBER })).toThrow(RangeError);
  });

  it("treats a missing position and the server's 'no position' marker as no position", () => {
    expect(fromEsdbPosition(undefined)).toBeUndefined();
    expect(fromEsdbPosition(null)).toBeUndefined();
    expect(fromEsdbPosition({ commit: ESDB_NO_POSITION, prepare: ESDB_NO_POSITION })).toBeUndefined();
    expect(fromEsdbPosition({ commit: -1n, prepare: -1n })).toBeUndefined();
  });

  it("turns an exclusive `after` into the server's inclusive start and our lower bound", () => {
    expect(esdbPositionAfter(0n)).toBe(START);
    expect(lowerBoundAfter(0n)).toBeUndefined();
    expect(esdbPositionAfter(HUGE)).toEqual({ commit: HUGE, prepare: HUGE });
    expect(lowerBoundAfter(HUGE)).toEqual({ commit: HUGE, prepare: HUGE });
    expect(() => esdbPositionAfter(-1n)).toThrow(RangeError);
    expect(() => esdbPositionAfter(5 as unknown as bigint)).toThrow(TypeError);
  });

  it('orders positions by commit, then prepare', () => {
    const a = { commit: HUGE, prepare: HUGE };
    expect(compareEsdbPositions(a, { commit: HUGE, prepare: HUGE })).toBe(0);
    expect(compareEsdbPositions(a, { commit: HUGE + 1n, prepare: 0n })).toBe(-1);
    expect(compareEsdbPositions(a, { commit: HUGE, prepare: HUGE - 1n })).toBe(1);
    expect(compareEsdbPositions({ commit: 2n ** 53n + 1n, prepare: 0n }, { commit: 2n ** 53n, prepare: 0n })).toBe(1);
  });

  it('keeps exactly the events after a bound: ours (commit == prepare) and explicit-transaction ones', () => {
    const after = lowerBoundAfter(HUGE);
    expect(isAfter({ commit: HUGE, prepare: HUGE }, after)).toBe(false);
    expect(isAfter({ commit: HUGE + 1n, prepare: HUGE + 1n }, after)).toBe(true);
    expect(isAfter({ commit: HUGE - 1n, prepare: HUGE - 1n }, after)).toBe(false);
    // Legacy explicit transaction committed at HUGE: its events (prepare < commit) are not after HUGE…
    expect(isAfter({ commit: HUGE, prepare: HUGE - 100n }, after)).toBe(false);
    // …and one committed later is, although its prepares come before HUGE.
    expect(isAfter({ commit: HUGE + 50n, prepare: HUGE - 100n }, after)).toBe(true);
    expect(isAfter({ commit: 1n, prepare: 1n }, undefined)).toBe(true);
  });

  it('round-trips a position above 2^53 through resume bound and event mapping', () => {
    const resolved = { event: recorded({ position: { commit: HUGE, prepare: HUGE } }) };
    const position = esdbPositionOf(resolved)!;
    expect(position).toEqual({ commit: HUGE, prepare: HUGE });
    const event = fromEsdbResolvedEvent(resolved);
    expect(event.position).toBe(HUGE);
    expect(esdbPositionAfter(event.position)).toEqual(position);
    expect(isAfter(position, lowerBoundAfter(event.position))).toBe(false);
  });

  it("falls back to the resolved event's commitPosition", () => {
    expect(esdbPositionOf({ event: recorded({ position: undefined }), commitPosition: HUGE })).toEqual({
      commit: HUGE,
      prepare: HUGE,
    });
    expect(esdbPositionOf({ event: recorded({ position: undefined }) })).toBeUndefined();
    expect(esdbPositionOf({ event: recorded({ position: undefined }), commitPosition: ESDB_NO_POSITION })).toBeUndefined();
    expect(() => esdbPositionOf({ event: recorded({ position: undefined }), commitPosition: UNSAFE_NUMBER })).toThrow(
      RangeError,
    );
  });
});

describe('error translation', () => {
  const context = { operation: 'append to unit-1', streamName: 'unit-1', expected: 5n } as const;

  it('WrongExpectedVersionError → ExpectedRevisionConflict with the actual revision', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'unit-1', expected: 5n, current: 1n });
    expect(esdbErrorType(error)).toBe(ErrorType.WRONG_EXPECTED_VERSION);
    expect(isWrongExpectedVersion(error)).toBe(true);

    const conflict = translateEsdbError(error, context);

    expect(conflict).toBeInstanceOf(ExpectedRevisionConflict);
    expect(conflict).toMatchObject({ streamName: 'unit-1', expected: 5n, actual: 1n });
  });

  it('reports a missing stream as actual undefined and keeps the caller’s expected value', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'unit-1', expected: 0n, current: NO_STREAM });
    const conflict = translateEsdbError(error, { operation: 'append', streamName: 'unit-1', expected: 0n });
    expect(conflict).toMatchObject({ expected: 0n, actual: undefined });

    const exists = new WrongExpectedVersionError(undefined, {
      streamName: 'unit-1',
      expected: STREAM_EXISTS,
      current: NO_STREAM,
    });
    expect(translateEsdbError(exists, { operation: 'append' })).toMatchObject({
      streamName: 'unit-1',
      expected: 'stream_exists',
      actual: undefined,
    });
  });

  it('keeps an actual revision above 2^53 exact', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 's', expected: HUGE - 1n, current: HUGE });
    expect(translateEsdbError(error, { operation: 'append' })).toMatchObject({ expected: HUGE - 1n, actual: HUGE });
  });

  it('translates the error the client builds from the server’s gRPC metadata', () => {
    const converted = convertToCommandError(
      serviceError(status.FAILED_PRECONDITION, 'wrong expected version', {
        exception: 'wrong-expected-version',
        'stream-name': 'unit-1',
        'expected-version': '5',
        'actual-version': '1',
      }),
    );
    expect(converted).toBeInstanceOf(WrongExpectedVersionError);
    expect(translateEsdbError(converted, context)).toMatchObject({ expected: 5n, actual: 1n });

    const noStream = convertToCommandError(
      serviceError(status.FAILED_PRECONDITION, 'wrong expected version', {
        exception: 'wrong-expected-version',
        'stream-name': 'unit-2',
        'expected-version': '0',
      }),
    );
    expect(translateEsdbError(noStream, { operation: 'append' })).toMatchObject({
      streamName: 'unit-2',
      expected: 0n,
      actual: undefined,
    });
  });

  it('recognises StreamNotFoundError (a read turns it into [])', () => {
    const error = new StreamNotFoundError(undefined, 'unit-404');
    expect(isStreamNotFound(error)).toBe(true);
    expect(error.streamName).toBe('unit-404');
    const converted = convertToCommandError(
      serviceError(status.NOT_FOUND, 'stream not found', { exception: 'stream-not-found', 'stream-name': 'unit-405' }),
    );
    expect(isStreamNotFound(converted)).toBe(true);
    expect(isStreamNotFound(new UnavailableError())).toBe(false);
  });

  it('connection errors → EventStoreUnavailable, with the client error as cause', () => {
    for (const error of [new UnavailableError(), new DeadlineExceededError(), new TimeoutError(), new CancelledError()]) {
      expect(isEsdbConnectionError(error)).toBe(true);
      const translated = translateEsdbError(error, { operation: 'read unit-1' });
      expect(translated).toBeInstanceOf(EventStoreUnavailable);
      expect(translated.message).toMatch(/^EventStoreDB unavailable during read unit-1/);
      expect((translated as EventStoreUnavailable).cause).toBe(error);
    }
  });

  it('the client’s conversion of a gRPC UNAVAILABLE → EventStoreUnavailable', () => {
    const converted = convertToCommandError(serviceError(status.UNAVAILABLE, 'No connection established'));
    expect(converted).toBeInstanceOf(UnavailableError);
    expect(translateEsdbError(converted, { operation: 'read' })).toBeInstanceOf(EventStoreUnavailable);
  });

  it('NotLeaderError (with the new leader) is recognised and is an unavailability', () => {
    const error = convertToCommandError(
      serviceError(status.NOT_FOUND, 'Leader info available', {
        exception: 'not-leader',
        'leader-endpoint-host': 'eventstore-2',
        'leader-endpoint-port': '2113',
      }),
    );
    expect(error).toBeInstanceOf(NotLeaderError);
    expect((error as NotLeaderError).leader).toEqual({ address: 'eventstore-2', port: 2113 });
    expect(isNotLeader(error)).toBe(true);
    expect(isEsdbConnectionError(error)).toBe(true);
    expect(translateEsdbError(error, { operation: 'append' })).toBeInstanceOf(EventStoreUnavailable);
  });

  it('raw gRPC errors, socket errors and a failed discovery are unavailability too', () => {
    const raw = serviceError(status.UNAVAILABLE, 'connect failed');
    expect(isEsdbConnectionError(raw)).toBe(true);
    expect(isEsdbConnectionError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(true);
    const discovery = new Error('Failed to discover after 10 attempts.');
    expect(isEsdbConnectionError(discovery)).toBe(true);
    expect(translateEsdbError(discovery, { operation: 'read' })).toBeInstanceOf(EventStoreUnavailable);
  });

  it('other refusals → EventStoreUnavailable naming the error type', () => {
    const translated = translateEsdbError(new AccessDeniedError(), { operation: 'read $all' });
    expect(translated).toBeInstanceOf(EventStoreUnavailable);
    expect(translated.message).toMatch(/refused \(access-denied\) during read \$all/);
    expect(translateEsdbError(new UnknownError(), { operation: 'read' })).toBeInstanceOf(EventStoreUnavailable);
  });

  it('passes the port’s own errors and foreign errors through', () => {
    const conflict = new ExpectedRevisionConflict('s', 1n, 2n);
    const duplicate = new DuplicateEventId('e', 's');
    const unavailable = new EventStoreUnavailable('down');
    const bug = new TypeError('bug');
    for (const error of [conflict, duplicate, unavailable, bug]) {
      expect(translateEsdbError(error, { operation: 'x' })).toBe(error);
    }
    expect(esdbErrorType(bug)).toBeUndefined();
    expect(esdbErrorType({ type: 'not-an-error-type' })).toBeUndefined();
    expect(translateEsdbError('boom', { operation: 'x' })).toBeInstanceOf(Error);
  });

  it('retries a subscription after anything but a permanent refusal', () => {
    expect(isRetryableSubscriptionError(new UnavailableError())).toBe(true);
    expect(isRetryableSubscriptionError(new CancelledError())).toBe(true);
    expect(isRetryableSubscriptionError(new UnknownError())).toBe(true);
    expect(isRetryableSubscriptionError(new Error('Failed to discover after 10 attempts.'))).toBe(true);
    expect(isRetryableSubscriptionError(new AccessDeniedError())).toBe(false);
  });

  it('reads an actual revision', () => {
    expect(actualRevisionOf(NO_STREAM)).toBeUndefined();
    expect(actualRevisionOf(undefined)).toBeUndefined();
    expect(actualRevisionOf(-1n)).toBeUndefined();
    expect(actualRevisionOf(HUGE)).toBe(HUGE);
    expect(actualRevisionOf('3')).toBe(3n);
    expect(() => actualRevisionOf(UNSAFE_NUMBER)).toThrow(RangeError);
  });
});

describe('event ids', () => {
  it('computes RFC 4122 version-5 UUIDs', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('uses a lower-case UUID as is and lower-cases an upper-case one', () => {
    const id = 'c4e78d91-3e56-4be8-9497-775d73699856';
    expect(toEsdbEventId(id)).toBe(id);
    expect(toEsdbEventId(id.toUpperCase())).toBe(id);
  });

  it('maps any other id to a stable v5 UUID', () => {
    const mapped = toEsdbEventId('cmd-42:0');
    expect(mapped).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(toEsdbEventId('cmd-42:0')).toBe(mapped);
    expect(toEsdbEventId('cmd-42:1')).not.toBe(mapped);
    expect(mapped).toBe(uuidV5('cmd-42:0', TASHIL_EVENT_ID_NAMESPACE));
    expect(() => toEsdbEventId('')).toThrow(TypeError);
  });
});

describe('metadata', () => {
  it('adds $correlationId, $causationId and schemaVersion without touching the input', () => {
    const meta = metadata({ reason: 'به تعویق افتاد' });
    const copy = structuredClone(meta);

    const esdb = toEsdbMetadata(meta, 3);

    expect(esdb).toEqual({
      ...meta,
      [CORRELATION_ID_KEY]: 'corr-1',
      [CAUSATION_ID_KEY]: 'cause-1',
      schemaVersion: 3,
    });
    expect(meta).toEqual(copy);
    expect(toEsdbMetadata(meta).schemaVersion).toBe(1);
    expect(toEsdbMetadata(meta, 1, 'cmd-42:0')[ORIGINAL_ID_KEY]).toBe('cmd-42:0');
  });

  it('refuses a schemaVersion that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => toEsdbMetadata(metadata(), bad)).toThrow(RangeError);
  });

  it('strips what it added on the way back, byte-exact and in the original key order', () => {
    const meta = metadata({ idempotencyKey: 'k-1', tenant: { province: 'قزوین' } });

    const back = fromEsdbMetadata(JSON.parse(JSON.stringify(toEsdbMetadata(meta, 2, 'orig-1'))));

    expect(back).toEqual({ metadata: meta, schemaVersion: 2, originalId: 'orig-1' });
    expect(JSON.stringify(back.metadata)).toBe(JSON.stringify(meta));
  });

  it('defaults schemaVersion to 1, and reads raw JSON bytes or no metadata at all', () => {
    const bytes = Buffer.from(JSON.stringify(metadata()), 'utf8');
    expect(fromEsdbMetadata(new Uint8Array(bytes))).toEqual({ metadata: metadata(), schemaVersion: 1 });
    expect(fromEsdbMetadata(undefined)).toEqual({ metadata: {}, schemaVersion: 1 });
    expect(fromEsdbMetadata(new Uint8Array())).toEqual({ metadata: {}, schemaVersion: 1 });
  });

  it('fills correlationId / causationId from the $ conventions of events written by others', () => {
    const { metadata: meta } = fromEsdbMetadata({ [CORRELATION_ID_KEY]: 'c', [CAUSATION_ID_KEY]: 'k', actor: 'x' });
    expect(meta).toEqual({ actor: 'x', correlationId: 'c', causationId: 'k' });
  });

  it('refuses metadata that is not a JSON object, and an invalid schemaVersion', () => {
    expect(() => fromEsdbMetadata([1, 2])).toThrow(TypeError);
    expect(() => fromEsdbMetadata('text')).toThrow(TypeError);
    expect(() => fromEsdbMetadata(new Uint8Array(Buffer.from('not json')))).toThrow(TypeError);
    expect(() => fromEsdbMetadata({ schemaVersion: '2' })).toThrow(RangeError);
  });
});

describe('the $all filter', () => {
  const samples = [
    'UnitRegistered',
    'UnitRegisteredV2',
    'Unit',
    '$metadata',
    '$statsCollected',
    '$>',
    '$ProjectionCreated',
    '',
    'ثبت‌واحد',
    'Unit.Registered',
    'UnitXRegistered',
    'a|b',
    'a',
    'b',
    '(x)',
    'x',
  ];

  it('excludes system events ($-prefixed types) by default', () => {
    expect(eventTypeRegex()).toBe(NON_SYSTEM_EVENT_TYPE_REGEX);
    expect(matchesEventTypes('UnitRegistered')).toBe(true);
    expect(matchesEventTypes('$metadata')).toBe(false);
    expect(matchesEventTypes('$>')).toBe(false);
    expect(isUserEventType('')).toBe(false);
  });

  it('selects exactly the given types, anchored, with regex metacharacters escaped', () => {
    const regex = new RegExp(eventTypeRegex(['Unit.Registered', 'a|b', '(x)']));
    expect(regex.test('Unit.Registered')).toBe(true);
    expect(regex.test('UnitXRegistered')).toBe(false);
    expect(regex.test('a|b')).toBe(true);
    expect(regex.test('a')).toBe(false);
    expect(regex.test('(x)')).toBe(true);
    expect(regex.test('x')).toBe(false);
    expect(new RegExp(eventTypeRegex(['Unit'])).test('UnitRegistered')).toBe(false);
    expect(escapeRegex('a.b*c')).toBe('a\\.b\\*c');
  });

  it('never selects a system event, even when asked, and selects nothing for []', () => {
    expect(new RegExp(eventTypeRegex(['$metadata', 'A'])).test('$metadata')).toBe(false);
    expect(eventTypeRegex(['$metadata'])).toBe('(?!)');
    expect(eventTypeRegex([])).toBe('(?!)');
    expect(new RegExp(eventTypeRegex([])).test('UnitRegistered')).toBe(false);
    expect(matchesEventTypes('UnitRegistered', [])).toBe(false);
  });

  it('filters the same in the adapter (readAll) as on the server (subscriptions)', () => {
    for (const types of [undefined, [], ['UnitRegistered'], ['Unit.Registered', 'a|b', '(x)', '$metadata', 'ثبت‌واحد']]) {
      const regex = new RegExp(eventTypeRegex(types));
      for (const type of samples) expect([types, type, matchesEventTypes(type, types)]).toEqual([types, type, regex.test(type)]);
    }
  });

  it("is the client's event-type RegexFilter", () => {
    expect(esdbAllFilter()).toEqual({ filterOn: 'eventType', regex: '^[^$]', checkpointInterval: 1 });
    expect(esdbAllFilter(['A', 'B'])).toMatchObject({ filterOn: 'eventType', regex: '^(?:A|B)$' });
  });
});

describe('events', () => {
  const event: NewEvent = {
    id: 'c4e78d91-3e56-4be8-9497-775d73699856',
    type: 'ObstacleRaised',
    data: { title: 'کمبود نقدینگی', amount: 12 },
    metadata: metadata(),
  };

  it('turns a new event into JSON EventData with the same id and enriched metadata', () => {
    expect(toEsdbEventData(event)).toEqual({
      id: event.id,
      contentType: 'application/json',
      type: 'ObstacleRaised',
      data: event.data,
      metadata: { ...event.metadata, $correlationId: 'corr-1', $causationId: 'cause-1', schemaVersion: 1 },
    });
    expect(toEsdbEventData({ ...event, schemaVersion: 4 }).metadata).toMatchObject({ schemaVersion: 4 });
  });

  it('sends a non-UUID id as its v5 UUID and keeps the original in the metadata', () => {
    const data = toEsdbEventData({ ...event, id: 'cmd-1:0' });
    expect(data.id).toBe(toEsdbEventId('cmd-1:0'));
    expect(data.metadata).toMatchObject({ [ORIGINAL_ID_KEY]: 'cmd-1:0' });
  });

  it('refuses $-prefixed or empty types and data that is not an object', () => {
    expect(() => toEsdbEventData({ ...event, type: '$metadata' })).toThrow(/reserved/);
    expect(() => toEsdbEventData({ ...event, type: '' })).toThrow(TypeError);
    expect(() => toEsdbEventData({ ...event, data: [1] as unknown as Record<string, unknown> })).toThrow(TypeError);
  });

  it('maps a resolved event to a RecordedEvent, revision and position exact beyond 2^53', () => {
    const created = new Date('2024-03-20T05:00:00.123Z');
    const recordedEvent = fromEsdbResolvedEvent({
      event: recorded({
        revision: HUGE,
        position: { commit: HUGE + 10n, prepare: HUGE + 10n },
        created,
        metadata: toEsdbMetadata(metadata(), 2),
      }),
    });

    expect(recordedEvent).toEqual<RecordedEvent>({
      id: 'c4e78d91-3e56-4be8-9497-775d73699856',
      type: 'ObstacleRaised',
      data: { title: 'کمبود نقدینگی' },
      metadata: metadata(),
      schemaVersion: 2,
      streamName: 'obstacle-1',
      revision: HUGE,
      position: HUGE + 10n,
      recordedAt: created,
    });
  });

  it('round-trips a new event through EventData and back', () => {
    const withOddId: NewEvent = { ...event, id: 'cmd-9:2', schemaVersion: 3 };
    const sent = toEsdbEventData(withOddId);
    const back = fromEsdbResolvedEvent({
      event: recorded({
        id: sent.id,
        type: sent.type,
        data: JSON.parse(JSON.stringify(sent.data)),
        metadata: JSON.parse(JSON.stringify(sent.metadata)),
        revision: 4n,
        position: { commit: 77n, prepare: 77n },
      }),
    });
    expect(back).toMatchObject({
      id: 'cmd-9:2',
      type: 'ObstacleRaised',
      data: withOddId.data,
      metadata: withOddId.metadata,
      schemaVersion: 3,
      revision: 4n,
      position: 77n,
    });
  });

  it('accepts number revisions from older clients when safe, and rejects unsafe ones', () => {
    expect(fromEsdbResolvedEvent({ event: recorded({ revision: 12 }) }).revision).toBe(12n);
    expect(() => fromEsdbResolvedEvent({ event: recorded({ revision: UNSAFE_NUMBER }) })).toThrow(RangeError);
    expect(() =>
      fromEsdbResolvedEvent({ event: recorded({ position: { commit: UNSAFE_NUMBER, prepare: UNSAFE_NUMBER } }) }),
    ).toThrow(RangeError);
  });

  it('parses binary JSON data and refuses data that is not a JSON object', () => {
    const bytes = new Uint8Array(Buffer.from('{"a":1}', 'utf8'));
    expect(fromEsdbResolvedEvent({ event: recorded({ data: bytes, isJson: false }) }).data).toEqual({ a: 1 });
    expect(() => fromEsdbResolvedEvent({ event: recorded({ data: 'text' }) })).toThrow(TypeError);
    expect(() => fromEsdbResolvedEvent({ event: recorded({ data: new Uint8Array([0xff]) }) })).toThrow(TypeError);
  });

  it('refuses a resolved event without an event or without a position', () => {
    expect(() => fromEsdbResolvedEvent({})).toThrow(TypeError);
    expect(() => fromEsdbResolvedEvent({ event: recorded({ position: undefined }) })).toThrow(EventStoreUnavailable);
    expect(() =>
      fromEsdbResolvedEvent({ event: recorded({ position: { commit: ESDB_NO_POSITION, prepare: ESDB_NO_POSITION } }) }),
    ).toThrow(/without its \$all position/);
  });
});

describe('append results', () => {
  it('reads the last revision and the commit position exactly', () => {
    expect(fromEsdbAppendResult({ nextExpectedRevision: HUGE, position: { commit: HUGE + 1n, prepare: HUGE + 1n } })).toEqual({
      nextExpectedRevision: HUGE,
      position: HUGE + 1n,
    });
    expect(fromEsdbAppendResult({ nextExpectedRevision: 3, position: { commit: 900, prepare: 900 } })).toEqual({
      nextExpectedRevision: 3n,
      position: 900n,
    });
  });

  it('has no position when the server sent none', () => {
    expect(fromEsdbAppendResult({ nextExpectedRevision: 2n })).toEqual({ nextExpectedRevision: 2n, position: undefined });
    expect(
      fromEsdbAppendResult({ nextExpectedRevision: 2n, position: { commit: ESDB_NO_POSITION, prepare: ESDB_NO_POSITION } }),
    ).toEqual({ nextExpectedRevision: 2n, position: undefined });
  });

  it('rejects unsafe numbers', () => {
    expect(() => fromEsdbAppendResult({ nextExpectedRevision: UNSAFE_NUMBER })).toThrow(RangeError);
  });
});

describe('checkRetry (idempotency by event id)', () => {
  const stored = ['a', 'b', 'c', 'd'].map((id, i) => ({ id, revision: HUGE + BigInt(i), position: 1000n + BigInt(i) }));

  it('is new when none of the ids is stored', () => {
    expect(checkRetry(stored, ['x', 'y'])).toEqual({ kind: 'new' });
    expect(checkRetry([], ['x'])).toEqual({ kind: 'new' });
  });

  it('is a retry, with the original result, when all ids are stored consecutively in order', () => {
    expect(checkRetry(stored, ['b', 'c'])).toEqual({ kind: 'retry', nextExpectedRevision: HUGE + 2n, position: 1002n });
    expect(checkRetry(stored, ['a'])).toEqual({ kind: 'retry', nextExpectedRevision: HUGE, position: 1000n });
  });

  it('is a duplicate when only some ids are stored, or in another order, or not consecutive', () => {
    expect(checkRetry(stored, ['x', 'b'])).toEqual({ kind: 'duplicate', eventId: 'b' });
    expect(checkRetry(stored, ['a', 'x'])).toEqual({ kind: 'duplicate', eventId: 'a' });
    expect(checkRetry(stored, ['b', 'a'])).toEqual({ kind: 'duplicate', eventId: 'a' });
    expect(checkRetry(stored, ['a', 'c'])).toEqual({ kind: 'duplicate', eventId: 'c' });
    expect(checkRetry(stored, ['d', 'a'])).toEqual({ kind: 'duplicate', eventId: 'a' });
  });

  it('is a duplicate when the append itself repeats an id', () => {
    expect(checkRetry([], ['x', 'x'])).toEqual({ kind: 'duplicate', eventId: 'x' });
  });
});

describe('createEsdbEventStore without a reachable server (connection path only)', () => {
  // Nothing listens on port 1: every call must fail fast as EventStoreUnavailable.
  const connectionString = 'esdb://127.0.0.1:1?tls=false';

  it('is kind esdb and reports unreachable as EventStoreUnavailable', async () => {
    const store = createEsdbEventStore({ connectionString });
    try {
      expect(store.kind).toBe('esdb');
      for (const call of [() => store.readStream('unit-1'), () => store.readAll({ after: 5n }), () => store.headPosition()]) {
        const error = await call().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(EventStoreUnavailable);
        expect((error as EventStoreUnavailable).cause).toBeInstanceOf(UnavailableError);
      }
    } finally {
      await store.close();
    }
  });

  it('validates arguments before touching the network', async () => {
    const store = createEsdbEventStore({ connectionString });
    try {
      await expect(store.readStream('unit-1', { maxCount: -1 })).rejects.toThrow(RangeError);
      await expect(store.readStream('')).rejects.toThrow(TypeError);
      await expect(
        store.appendToStream('unit-1', [], { expectedRevision: 1 as unknown as bigint }),
      ).rejects.toThrow(TypeError);
      expect(() => store.subscribeToAll({ after: -1n })).toThrow(RangeError);
      expect(() => store.subscribeToAll({ batchSize: 0 })).toThrow(RangeError);
    } finally {
      await store.close();
    }
    await expect(store.headPosition()).rejects.toThrow(/closed/);
    expect(() => createEsdbEventStore({ connectionString: '' })).toThrow(TypeError);
  });

  it('keeps a subscription retrying with back-off until close(), which ends a pending next()', async () => {
    const statuses: EsdbSubscriptionStatus[] = [];
    const store = createEsdbEventStore({
      connectionString,
      resubscribe: { initialDelayMs: 10, maxDelayMs: 40 },
      onSubscriptionStatus: (status) => statuses.push(status),
    });
    const subscription = store.subscribeToAll({ after: HUGE });
    const iterator = subscription[Symbol.asyncIterator]();
    const pending = iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 400));

    await store.close();

    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
    await expect(subscription.caughtUp).rejects.toThrow(/closed before it caught up/);
    const drops = statuses.filter((status) => status.state === 'dropped');
    expect(drops.length).toBeGreaterThanOrEqual(3);
    expect(drops.slice(0, 4).map((drop) => drop.state === 'dropped' && drop.retryInMs)).toEqual(
      [10, 20, 40, 40].slice(0, Math.min(4, drops.length)),
    );
    expect(drops.every((drop) => drop.lastPosition === HUGE)).toBe(true);
    expect(statuses[statuses.length - 1]).toEqual({ state: 'closed', lastPosition: HUGE });
  });
});

/** A recorded event as the client returns it, with overrides. */
function recorded(overrides: Partial<EsdbRecordedEventLike> = {}): EsdbRecordedEventLike {
  return {
    streamId: 'obstacle-1',
    id: 'c4e78d91-3e56-4be8-9497-775d73699856',
    type: 'ObstacleRaised',
    revision: 0n,
    created: new Date('2024-03-20T05:00:00.000Z'),
    isJson: true,
    data: { title: 'کمبود نقدینگی' },
    metadata: toEsdbMetadata(metadata()),
    position: { commit: 100n, prepare: 100n },
    ...overrides,
  };
}
