/**
 * Aggregates folded by earlier commands, kept so that the next command on the
 * same stream reads only the events appended since (usually none) instead of
 * the whole stream. Without it a command on a unit with ten thousand events
 * read and folded ten thousand events, and every command got slower as its
 * aggregate's history grew.
 *
 * The store stays the truth: a command always reads the stream from the
 * revision after the one kept, so events another process or node appended are
 * folded in before deciding, and the append is still checked against the
 * revision the decision was made on. What is kept is what reading the whole
 * stream would give: the state (evolve is pure and returns new objects, so a
 * kept state is never changed by later folds; the decider specifications fold
 * on deep-frozen states and events, so an evolve that wrote to them would fail
 * there), the revision, position and hash of the newest event, and the commands
 * sent with an idempotency key (a retry must find them however old).
 */
import type { Decider, DomainEvent } from '../domain/decider';
import type { EventStore, RecordedEvent } from '../eventstore/event-store';
import { headHashOf } from '../audit/hash-chain';
import { WeightedLru } from '../lru';

/** Where a command left its stream: the revision and position of its last event. */
export interface CommandEnd {
  revision: bigint;
  position: bigint;
  /** The hash of the input the key was first used with (absent for events recorded before it was kept). */
  fingerprint?: string;
}

/** An aggregate as its stream's events fold it, up to `revision`. */
export interface Folded<S> {
  state: S;
  /** Revision of the newest event folded (-1n: the stream is empty). */
  revision: bigint;
  /** Global position of the newest event folded (0n: none). */
  position: bigint;
  /** Hash of the newest event (the next event's `previousHash`), null for an empty stream. */
  headHash: string | null;
  /** Commands recorded with an idempotency key, by command id. */
  keyedCommands: ReadonlyMap<string, CommandEnd>;
  /** When the stream's first event happened (its `occurredAt`); null for an empty stream. */
  createdAt?: string | null;
}

export const emptyFold = <S>(initialState: S): Folded<S> => ({ state: initialState, revision: -1n, position: 0n, headHash: null, keyedCommands: new Map() });

/** `folded` with `events` (the stream's next ones, in order) applied; `folded` itself is left as it was. */
export const foldOnto = <C, E extends DomainEvent, S>(decider: Decider<C, E, S>, folded: Folded<S>, events: readonly RecordedEvent[]): Folded<S> => {
  if (events.length === 0) return folded;
  let state = folded.state;
  let keyedCommands = folded.keyedCommands;
  for (const event of events) {
    state = decider.evolve(state, { type: event.type, data: event.data } as unknown as E);
    if (event.metadata.idempotencyKey !== undefined) {
      if (keyedCommands === folded.keyedCommands) keyedCommands = new Map(keyedCommands);
      const fingerprint = event.metadata.idempotencyFingerprint;
      (keyedCommands as Map<string, CommandEnd>).set(event.metadata.commandId, {
        revision: event.revision,
        position: event.position,
        ...(typeof fingerprint === 'string' ? { fingerprint } : {}),
      });
    }
  }
  const last = events[events.length - 1]!;
  const createdAt = folded.revision === -1n ? (events[0]!.metadata.occurredAt ?? null) : (folded.createdAt ?? null);
  return { state, revision: last.revision, position: last.position, headHash: headHashOf(events), keyedCommands, createdAt };
};

/**
 * How much the cache may hold: an aggregate counts one, plus one per keyed
 * command it remembers. States are small (a unit's profile, an obstacle's
 * course), so this bounds memory to tens of megabytes.
 */
export const AGGREGATE_CACHE_WEIGHT = 50_000;

interface Kept {
  decider: unknown;
  folded: Folded<unknown>;
}

/** Least recently used aggregates out first, by stream name. */
export class AggregateCache {
  private readonly entries: WeightedLru<Kept>;

  constructor(readonly maxWeight: number = AGGREGATE_CACHE_WEIGHT) {
    this.entries = new WeightedLru(maxWeight);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The aggregate kept for `stream` as `decider` folds it (another decider's fold of the same stream is not it). */
  get<S>(stream: string, decider: unknown): Folded<S> | undefined {
    if (this.entries.peek(stream)?.decider !== decider) return undefined;
    return this.entries.get(stream)!.folded as Folded<S>;
  }

  /** Drops what is kept for `stream`: the next load reads it whole. */
  forget(stream: string): void {
    this.entries.delete(stream);
  }

  /** Keeps a fold unless one further along is kept already (two commands on one stream may load at once). */
  set(stream: string, decider: unknown, folded: Folded<unknown>): void {
    const previous = this.entries.peek(stream);
    if (previous !== undefined && previous.decider === decider && previous.folded.revision > folded.revision) return;
    // One that cannot be kept (it remembers too many keys) does not leave an older one behind either.
    this.entries.delete(stream);
    this.entries.set(stream, { decider, folded }, 1 + folded.keyedCommands.size);
  }
}

// One cache per store: the folds are of that store's streams.
const caches = new WeakMap<EventStore, AggregateCache>();

export const aggregateCacheOf = (store: EventStore): AggregateCache => {
  let cache = caches.get(store);
  if (cache === undefined) {
    cache = new AggregateCache();
    caches.set(store, cache);
  }
  return cache;
};
