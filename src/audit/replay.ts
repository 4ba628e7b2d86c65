/**
 * Replaying an aggregate exactly as it happened: its events, read from the
 * store (never from a read model), folded one by one with today's decider,
 * with the state after each step and what each step changed.
 *
 * Old events are folded in today's shape (upcast when the store upcasts, see
 * src/eventstore/upcasting.ts); each step also carries the event as it was
 * recorded, which is what the hash chain covers.
 */
import { accessDecider } from '../domain/access';
import { agencyDecider } from '../domain/agency';
import { commitmentDecider } from '../domain/commitment';
import { streamName, type Decider, type DomainEvent } from '../domain/decider';
import { meetingDecider } from '../domain/meeting';
import { obstacleDecider } from '../domain/obstacle';
import { resolutionDecider } from '../domain/resolution';
import { unitDecider } from '../domain/unit';
import { visitDecider } from '../domain/visit';
import { workgroupDecider } from '../domain/workgroup';
import { zoneDecider } from '../domain/zone';
import type { EventStore, RecordedEvent } from '../eventstore/event-store';
import { storedEventsOf, upcastEvent, upcastersOf } from '../eventstore/upcasting';

// ─── Which aggregates can be replayed ──────────────────────────────────────

type AnyDecider = Decider<never, DomainEvent, unknown>;

/** Every aggregate an auditor can replay, by the kind the API names it with; each decider knows its stream category. */
export const AUDITED_DECIDERS = {
  UNIT: unitDecider,
  OBSTACLE: obstacleDecider,
  MEETING: meetingDecider,
  RESOLUTION: resolutionDecider,
  ZONE: zoneDecider,
  VISIT: visitDecider,
  COMMITMENT: commitmentDecider,
  AGENCY: agencyDecider,
  WORKGROUP: workgroupDecider,
  ACCESS: accessDecider,
} as const;

export type AuditedKind = keyof typeof AUDITED_DECIDERS;

const deciderOf = (kind: AuditedKind): AnyDecider => AUDITED_DECIDERS[kind] as unknown as AnyDecider;

/** Stream category → decider (`unit` → the unit decider), for tools that start from a stream name. */
export const DECIDERS_BY_CATEGORY: ReadonlyMap<string, AnyDecider> = new Map(
  Object.values(AUDITED_DECIDERS).map((decider) => [decider.category, decider as unknown as AnyDecider]),
);

export const streamOf = (kind: AuditedKind, id: string): string => streamName(deciderOf(kind).category, id);

// ─── State as JSON, and what changed ───────────────────────────────────────

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The state as a client would see it over JSON. */
export const toJson = (value: unknown): Json => (value === undefined ? null : (JSON.parse(JSON.stringify(value)) as Json));

export type ChangeKind = 'ADDED' | 'REMOVED' | 'CHANGED';

export interface FieldChange {
  /** Dotted path from the state's root (`status`, `attendees.0.agency`). */
  path: string;
  change: ChangeKind;
  /** null when ADDED. */
  before: Json;
  /** null when REMOVED. */
  after: Json;
}

const isObject = (value: Json | undefined): value is { [key: string]: Json } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Field-level differences between two JSON values, leaves only: objects are
 * compared key by key, arrays index by index, anything else by value. Paths
 * come out sorted, so equal states always give the same list.
 */
export const diffJson = (before: Json, after: Json): FieldChange[] => {
  const changes: FieldChange[] = [];
  const walk = (path: string, a: Json | undefined, b: Json | undefined): void => {
    if (a === undefined && b === undefined) return;
    if (a === undefined) {
      changes.push({ path, change: 'ADDED', before: null, after: b! });
      return;
    }
    if (b === undefined) {
      changes.push({ path, change: 'REMOVED', before: a, after: null });
      return;
    }
    const bothObjects = isObject(a) && isObject(b);
    const bothArrays = Array.isArray(a) && Array.isArray(b);
    if (bothObjects || bothArrays) {
      const keys = bothArrays
        ? Array.from({ length: Math.max((a as Json[]).length, (b as Json[]).length) }, (_, i) => String(i))
        : [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
      for (const key of keys) {
        const child = path === '' ? key : `${path}.${key}`;
        walk(child, (a as Record<string, Json>)[key], (b as Record<string, Json>)[key]);
      }
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) changes.push({ path: path === '' ? '$' : path, change: 'CHANGED', before: a, after: b });
  };
  walk('', before, after);
  return changes;
};

// ─── Folding ───────────────────────────────────────────────────────────────

/** Which clock a time filter reads: the store's commit time, or the time the command was decided. */
export type TimeBasis = 'RECORDED' | 'OCCURRED';

export const timeOf = (event: RecordedEvent, by: TimeBasis): number =>
  by === 'RECORDED' ? event.recordedAt.getTime() : Date.parse(event.metadata.occurredAt);

/**
 * Every event of a stream in revision order, as recorded and in today's
 * shape, read page by page.
 */
async function* streamEvents(store: EventStore, stream: string, pageSize = 1000): AsyncGenerator<{ stored: RecordedEvent; current: RecordedEvent }> {
  const stored = storedEventsOf(store);
  const upcasters = upcastersOf(store);
  let from = 0n;
  for (;;) {
    const page = await stored.readStream(stream, { fromRevision: from, maxCount: pageSize });
    for (const event of page) yield { stored: event, current: upcastEvent(upcasters, event) };
    if (page.length < pageSize) return;
    from = page[page.length - 1]!.revision + 1n;
  }
}

const evolveWith = (decider: AnyDecider, state: unknown, event: RecordedEvent): unknown =>
  decider.evolve(state, { type: event.type, data: event.data });

// ─── Replay ────────────────────────────────────────────────────────────────

export interface ReplayFilters {
  /** Only steps by this actor (the subject recorded in the metadata). */
  actor?: string;
  /** Only steps of these event types. */
  eventTypes?: readonly string[];
  /** Inclusive time range, on the clock `by` names (default RECORDED). */
  from?: Date;
  to?: Date;
  by?: TimeBasis;
  /** Only steps after this revision (the cursor of the previous page). */
  afterRevision?: bigint;
  /** Most steps returned (default: all). */
  first?: number;
}

export interface ReplayStep {
  /** The event as it was recorded (what the hash covers). */
  stored: RecordedEvent;
  /** The event as it was folded: upcast to today's shape when it was recorded in an older one. */
  current: RecordedEvent;
  /** The aggregate's state after this event. */
  state: Json;
  /** What this event changed, against the state before it. */
  changes: FieldChange[];
}

export interface ReplayResult {
  streamName: string;
  steps: ReplayStep[];
  /** Steps that pass the filters in the whole stream, not only on this page. */
  totalCount: number;
  /** More steps that pass the filters follow this page. */
  hasNextPage: boolean;
}

/**
 * Folds the whole stream from its first event (the state after a step does
 * not depend on the filters), and returns the steps that pass the filters.
 * Only the returned steps are turned into JSON and diffed, so a long stream
 * costs one fold per page.
 */
export const replay = async (store: EventStore, kind: AuditedKind, id: string, filters: ReplayFilters = {}): Promise<ReplayResult> => {
  const decider = deciderOf(kind);
  const stream = streamOf(kind, id);
  const by = filters.by ?? 'RECORDED';
  const types = filters.eventTypes && filters.eventTypes.length > 0 ? new Set(filters.eventTypes) : undefined;
  const from = filters.from?.getTime();
  const to = filters.to?.getTime();
  const limit = filters.first ?? Number.POSITIVE_INFINITY;

  const passes = (event: RecordedEvent): boolean => {
    if (filters.actor !== undefined && event.metadata.actor !== filters.actor) return false;
    if (types && !types.has(event.type)) return false;
    if (from !== undefined || to !== undefined) {
      const time = timeOf(event, by);
      if (from !== undefined && !(time >= from)) return false;
      if (to !== undefined && !(time <= to)) return false;
    }
    return true;
  };

  const steps: ReplayStep[] = [];
  let totalCount = 0;
  let hasNextPage = false;
  let state = decider.initialState();
  for await (const { stored, current } of streamEvents(store, stream)) {
    const before = state;
    state = evolveWith(decider, state, current);
    if (!passes(current)) continue;
    totalCount++;
    if (filters.afterRevision !== undefined && stored.revision <= filters.afterRevision) continue;
    if (steps.length >= limit) {
      hasNextPage = true;
      continue;
    }
    const after = toJson(state);
    steps.push({ stored, current, state: after, changes: diffJson(toJson(before), after) });
  }
  return { streamName: stream, steps, totalCount, hasNextPage };
};

// ─── As of ─────────────────────────────────────────────────────────────────

export interface AsOf {
  /** The state after the last event at or before this time (on the clock `by` names). */
  at?: Date;
  /** The state after this revision. */
  revision?: bigint;
  /** Default RECORDED: when the store committed the event. */
  by?: TimeBasis;
}

export interface StateAsOf {
  streamName: string;
  /** The aggregate's state: its initial state (e.g. `{ status: 'absent' }`) when no event qualifies. */
  state: Json;
  /** The last event folded, as recorded; null when none qualified. */
  lastEvent: RecordedEvent | null;
  eventsApplied: number;
}

/**
 * The aggregate's state as of a time or a revision, folded from its events
 * (never read from a read model). The events folded are the longest prefix
 * of the stream in which every event qualifies (revision ≤ `revision`, and
 * time ≤ `at`), so the result is always a state the aggregate really was in,
 * even when business times (`occurredAt`) were recorded out of order.
 * Both limits may be given; the earlier one wins.
 */
export const stateAsOf = async (store: EventStore, kind: AuditedKind, id: string, asOf: AsOf): Promise<StateAsOf> => {
  const decider = deciderOf(kind);
  const stream = streamOf(kind, id);
  const by = asOf.by ?? 'RECORDED';
  const at = asOf.at?.getTime();
  let state = decider.initialState();
  let lastEvent: RecordedEvent | null = null;
  let eventsApplied = 0;
  for await (const { stored, current } of streamEvents(store, stream)) {
    if (asOf.revision !== undefined && stored.revision > asOf.revision) break;
    if (at !== undefined && !(timeOf(stored, by) <= at)) break;
    state = evolveWith(decider, state, current);
    lastEvent = stored;
    eventsApplied++;
  }
  return { streamName: stream, state: toJson(state), lastEvent, eventsApplied };
};
