/**
 * Old events, today's shape: a decorator over any event store whose reads
 * and subscriptions hand out every event in its type's current schema
 * version, and whose appends stamp new events with that version.
 *
 * The stored rows are never touched. What is recorded stays exactly as it was
 * recorded (the hash chain is over those bytes), and the audit views read the
 * stored event through `storedEventsOf(store)` and show both shapes.
 */
import type { Upcasters } from '../domain/upcasters';
import type { EventStore, NewEvent, RecordedEvent, Subscription } from './event-store';

export type { Upcaster, Upcasters } from '../domain/upcasters';

const BRAND = Symbol.for('tashil.upcasting-store');

export interface UpcastingEventStore extends EventStore {
  readonly [BRAND]: true;
  /** The store underneath: reads from it return events exactly as they were recorded. */
  readonly inner: EventStore;
  readonly upcasters: Upcasters;
  /** The version new events of `type` are recorded with (1 unless an upcaster leads past it). */
  currentSchemaVersion(type: string): number;
}

export const isUpcastingStore = (store: EventStore): store is UpcastingEventStore =>
  (store as Partial<UpcastingEventStore>)[BRAND] === true;

/**
 * An event recorded without `occurredAt` (before it was kept, or written by
 * another tool) happened, as far as anyone can tell, when it was recorded:
 * read so, never rewritten (the stored event, and its hash, stay as they are).
 */
const withOccurredAt = (event: RecordedEvent): RecordedEvent =>
  typeof event.metadata.occurredAt === 'string' ? event : { ...event, metadata: { ...event.metadata, occurredAt: event.recordedAt.toISOString() } };

/** The version new events of `type` are recorded with under `upcasters`: one past the last upcaster, else 1. */
export const currentSchemaVersion = (upcasters: Upcasters, type: string): number => {
  const steps = upcasters[type];
  if (!steps) return 1;
  return Math.max(0, ...Object.keys(steps).map(Number)) + 1;
};

/** Throws unless every type's upcasters run 1, 2, …, n-1 without a gap. */
export const checkUpcasters = (upcasters: Upcasters): void => {
  for (const [type, steps] of Object.entries(upcasters)) {
    const versions = Object.keys(steps).map(Number).sort((a, b) => a - b);
    versions.forEach((version, index) => {
      if (version !== index + 1 || typeof steps[version] !== 'function') {
        throw new Error(`upcasters of ${type}: expected one from version ${index + 1}, found ${versions.join(', ')}`);
      }
    });
  }
};

/**
 * The event in its type's current shape. An event already current (or newer,
 * written by a later build) is returned as it is; metadata is never changed.
 */
export const upcastEvent = (upcasters: Upcasters, event: RecordedEvent): RecordedEvent => {
  const steps = upcasters[event.type];
  if (!steps) return event;
  const current = currentSchemaVersion(upcasters, event.type);
  if (event.schemaVersion >= current) return event;
  let data = event.data;
  for (let version = event.schemaVersion; version < current; version++) {
    const step = steps[version];
    if (!step) throw new Error(`no upcaster for ${event.type} from version ${version} (event ${event.id})`);
    data = step(data);
  }
  return { ...event, data, schemaVersion: current };
};

/** The store as recorded: the inner store of an upcasting store, else the store itself. */
export const storedEventsOf = (store: EventStore): EventStore => (isUpcastingStore(store) ? store.inner : store);

/** The upcasters a store applies on read (none for a plain store). */
export const upcastersOf = (store: EventStore): Upcasters => (isUpcastingStore(store) ? store.upcasters : {});

/**
 * Wraps `store` so that every read (readStream, readAll, subscribeToAll)
 * upcasts, and every append without a `schemaVersion` gets its type's
 * current one. Wrapping an upcasting store replaces its upcasters.
 */
export const upcastingStore = (store: EventStore, upcasters: Upcasters): UpcastingEventStore => {
  checkUpcasters(upcasters);
  const inner = storedEventsOf(store);
  const none = Object.keys(upcasters).length === 0;
  const up = (event: RecordedEvent): RecordedEvent => withOccurredAt(none ? event : upcastEvent(upcasters, event));
  const stamp = (event: NewEvent): NewEvent =>
    event.schemaVersion === undefined ? { ...event, schemaVersion: currentSchemaVersion(upcasters, event.type) } : event;

  return {
    [BRAND]: true,
    kind: inner.kind,
    inner,
    upcasters,
    currentSchemaVersion: (type) => currentSchemaVersion(upcasters, type),
    appendToStream: (streamName, events, options) => inner.appendToStream(streamName, events.map(stamp), options),
    appendToStreams: (appends) => inner.appendToStreams(appends.map((a) => ({ ...a, events: a.events.map(stamp) }))),
    atomicAcrossStreams: inner.atomicAcrossStreams,
    readStream: async (streamName, options) => (await inner.readStream(streamName, options)).map(up),
    readAll: async (options) => (await inner.readAll(options)).map(up),
    subscribeToAll: (options) => upcastSubscription(inner.subscribeToAll(options), up),
    headPosition: () => inner.headPosition(),
    // Upcasters change an event's data, never its type: the stored types are the types read.
    ...(inner.eventTypes ? { eventTypes: () => inner.eventTypes!() } : {}),
    close: () => inner.close(),
  };
};

const upcastSubscription = (subscription: Subscription, up: (event: RecordedEvent) => RecordedEvent): Subscription => ({
  caughtUp: subscription.caughtUp,
  close: () => subscription.close(),
  [Symbol.asyncIterator]: () => {
    const iterator = subscription[Symbol.asyncIterator]();
    const map = (result: IteratorResult<RecordedEvent>): IteratorResult<RecordedEvent> =>
      result.done ? result : { done: false, value: up(result.value) };
    return {
      // Each call maps its own promise: the order in which the inner iterator settles is kept.
      next: () => iterator.next().then(map),
      // `for await … break` must still close the inner subscription.
      return: async (value?: unknown) => (iterator.return ? map(await iterator.return(value)) : { done: true, value: undefined }),
    };
  },
});
