/**
 * Live updates: what subscriptions push. The projection runtime tells us,
 * after a projection committed, which events it applied; the changed things
 * are then read back from that projection's read model, so every update is
 * the state a client would get by querying at that moment. "A resolution
 * became overdue" has no event (overdue is the clock's doing): a timer finds
 * the deadlines that passed since its previous look.
 *
 * Memory is bounded: each subscriber holds at most `queueLimit` updates it
 * has not yet taken; one more, and the subscriber is cut off (`onOverflow`)
 * instead of the queue growing. Ending a subscription removes its listener.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { RecordedEvent } from '../eventstore/event-store';
import { followUpReadModels, type FollowUpReadModels } from '../graphql/follow-up.read-models';
import type { Meeting } from '../graphql/meeting.type';
import type { Obstacle } from '../graphql/obstacle.type';
import { prepared, type ReadModels } from '../graphql/read-models';
import type { ResolutionWithCourse } from '../graphql/resolution-follow-up.type';
import type { TimelineEntry } from '../graphql/unit.type';
import type { Log } from '../log';
import type { ProjectionRuntime } from '../projection/runtime';

export interface Updates {
  obstacle: Obstacle;
  meeting: Meeting;
  unitHistory: TimelineEntry;
  resolutionOverdue: ResolutionWithCourse;
}
export type Topic = keyof Updates;

/**
 * One subscriber's pending updates, handed out in order. graphql-ws takes the
 * next one only after the previous reached the socket, so a client that stops
 * reading leaves them here: hence the limit.
 */
export class Feed<T> implements AsyncIterableIterator<T> {
  private queue: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private ended = false;

  constructor(
    private readonly limit: number,
    private readonly onOverflow: () => void,
    private readonly onEnd: () => void,
  ) {}

  push(value: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const taker = this.waiting;
      this.waiting = null;
      taker({ value, done: false });
      return;
    }
    if (this.queue.length >= this.limit) {
      this.end();
      this.onOverflow();
      return;
    }
    this.queue.push(value);
  }

  get pending(): number {
    return this.queue.length;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift()!, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Stops the feed: what it still held is dropped and the listener removed. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue = [];
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
    this.onEnd();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

interface Subscriber<T> {
  feed: Feed<T>;
  accepts: (update: T) => boolean;
  /** For `unitHistory`: the unit whose timeline is followed. */
  unitId?: string;
}

export interface LiveUpdatesOptions {
  /** Most updates a subscriber may leave untaken before it is cut off. */
  queueLimit: number;
  /** How often deadlines are checked for resolutions that became overdue. */
  overdueScanMs: number;
  now: () => Date;
  log: Log;
  /** Told the number of open subscriptions whenever it changes (the metrics gauge). */
  onCount?: (open: number) => void;
  /**
   * Where the end of the last deadline scan is kept (in the data folder), so that a
   * deadline passing while the server is down is announced by the first scan after it
   * starts again, and none twice. Without it, scans start from the time of start-up.
   */
  stateFile?: string;
}

/** The end of the last deadline scan a previous run recorded, if any and not in the future. */
const lastScanEnd = (file: string | undefined, now: Date): Date | undefined => {
  if (file === undefined || !existsSync(file)) return undefined;
  try {
    const { overdueScannedUntil } = JSON.parse(readFileSync(file, 'utf8')) as { overdueScannedUntil?: unknown };
    const until = typeof overdueScannedUntil === 'string' ? new Date(overdueScannedUntil) : undefined;
    return until !== undefined && !Number.isNaN(until.getTime()) && until <= now ? until : undefined;
  } catch {
    return undefined; // unreadable: scan from now, as on a first start
  }
};

const stringsOf = (events: readonly RecordedEvent[], field: string): string[] => [
  ...new Set(events.map((e) => e.data[field]).filter((v): v is string => typeof v === 'string')),
];

export class LiveUpdates {
  private readonly subscribers: { [K in Topic]: Set<Subscriber<Updates[K]>> } = {
    obstacle: new Set(),
    meeting: new Set(),
    unitHistory: new Set(),
    resolutionOverdue: new Set(),
  };
  private readonly followUp: FollowUpReadModels;
  private readonly stopListening: () => void;
  private readonly timer: NodeJS.Timeout;
  /** Deadlines up to here have been looked at: each resolution is announced overdue once. */
  private overdueSince: Date;
  private closed = false;

  constructor(
    private readonly runtime: ProjectionRuntime,
    private readonly readModels: ReadModels,
    private readonly options: LiveUpdatesOptions,
  ) {
    this.followUp = followUpReadModels({ runtime, readModels });
    const now = options.now();
    this.overdueSince = lastScanEnd(options.stateFile, now) ?? now;
    this.stopListening = runtime.onApplied((projection, events) => this.applied(projection, events));
    this.timer = setInterval(() => this.scanOverdue(), options.overdueScanMs);
    this.timer.unref();
  }

  /**
   * A feed of `topic`'s updates that `accepts` keeps. `onOverflow` runs when
   * the subscriber falls `queueLimit` updates behind (the feed has ended by then).
   */
  subscribe<K extends Topic>(topic: K, accepts: (update: Updates[K]) => boolean, onOverflow: () => void, unitId?: string): Feed<Updates[K]> {
    if (this.closed) throw new Error('live updates are closed');
    const set = this.subscribers[topic] as Set<Subscriber<Updates[K]>>;
    const subscriber: Subscriber<Updates[K]> = {
      feed: new Feed<Updates[K]>(this.options.queueLimit, onOverflow, () => {
        set.delete(subscriber);
        this.options.onCount?.(this.listenerCount);
      }),
      accepts,
      ...(unitId !== undefined ? { unitId } : {}),
    };
    set.add(subscriber);
    this.options.onCount?.(this.listenerCount);
    return subscriber.feed;
  }

  /** Open subscriptions, every topic together. */
  get listenerCount(): number {
    return Object.values(this.subscribers).reduce((n, set) => n + set.size, 0);
  }

  /** Ends every feed and stops listening to the projections and the clock. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.stopListening();
    for (const set of Object.values(this.subscribers)) for (const s of [...set]) s.feed.end();
  }

  private publish<K extends Topic>(topic: K, update: Updates[K], only?: (s: Subscriber<Updates[K]>) => boolean): void {
    for (const subscriber of [...(this.subscribers[topic] as Set<Subscriber<Updates[K]>>)]) {
      if ((only === undefined || only(subscriber)) && subscriber.accepts(update)) subscriber.feed.push(update);
    }
  }

  private applied(projection: string, events: readonly RecordedEvent[]): void {
    switch (projection) {
      case 'obstacles':
        if (this.subscribers.obstacle.size === 0) return;
        for (const id of stringsOf(events, 'obstacleId')) {
          const obstacle = this.readModels.obstacle(id);
          if (obstacle) this.publish('obstacle', obstacle);
        }
        return;
      case 'meetings':
        if (this.subscribers.meeting.size === 0) return;
        for (const id of stringsOf(events, 'meetingId')) {
          const meeting = this.readModels.meeting(id);
          if (meeting) this.publish('meeting', meeting);
        }
        return;
      case 'unit-history':
        this.timelineGrew(events);
        return;
      case 'resolutions':
        this.recordedOverdue(events);
        return;
      default:
        return;
    }
  }

  /** The entries the batch added to each followed unit's timeline, oldest first. */
  private timelineGrew(events: readonly RecordedEvent[]): void {
    const units = new Set([...this.subscribers.unitHistory].map((s) => s.unitId!));
    if (units.size === 0) return;
    const first = events[0]!.position;
    const last = events[events.length - 1]!.position;
    for (const unitId of units) {
      for (const entry of this.readModels.historyRecordedBetween(unitId, first - 1n, last)) this.publish('unitHistory', entry, (s) => s.unitId === unitId);
    }
  }

  /** A resolution recorded with its deadline already behind the last look is overdue from the start. */
  private recordedOverdue(events: readonly RecordedEvent[]): void {
    if (this.subscribers.resolutionOverdue.size === 0) return;
    for (const event of events) {
      if (event.type !== 'ResolutionRecorded') continue;
      const resolution = this.followUp.resolution(String(event.data.resolutionId));
      // Deadlines after the last look are the next look's to announce, so none is announced twice.
      if (resolution && resolution.course.settledAt === null && resolution.deadline < this.overdueSince) this.publish('resolutionOverdue', resolution);
    }
  }

  /** Written to a temporary file and renamed, so a crash leaves the old record or the new, never half of one. */
  private recordScanEnd(until: Date): void {
    const file = this.options.stateFile;
    if (file === undefined) return;
    try {
      writeFileSync(`${file}.tmp`, `${JSON.stringify({ overdueScannedUntil: until.toISOString() })}\n`, { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
    } catch (error) {
      this.options.log('could not record the end of the deadline scan', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Announces every unsettled resolution whose deadline passed since the previous look. */
  scanOverdue(): void {
    const now = this.options.now();
    if (now <= this.overdueSince) return;
    const since = this.overdueSince;
    this.overdueSince = now;
    this.recordScanEnd(now);
    if (this.subscribers.resolutionOverdue.size === 0) return;
    try {
      // Times are stored in UTC ISO form, so text comparison is time order (see the projection).
      // Prepared once per reader connection, like every read model query (see `prepared`).
      const rows = prepared(
        this.runtime.reader('resolutions'),
        `SELECT resolution_id FROM resolutions WHERE settled_at IS NULL AND deadline >= ? AND deadline < ? ORDER BY deadline, resolution_id`,
      ).all(since.toISOString(), now.toISOString()) as { resolution_id: string }[];
      for (const row of rows) {
        const resolution = this.followUp.resolution(row.resolution_id);
        if (resolution) this.publish('resolutionOverdue', resolution);
      }
    } catch (error) {
      this.options.log('overdue scan failed', { error: error instanceof Error ? error.message : String(error) });
    }
  }
}

/** What one WebSocket connection's operations see of the live updates. */
export interface LiveConnection {
  updates: LiveUpdates;
  /** Cuts the connection off: one of its subscriptions fell too far behind. */
  slowConsumer: () => void;
}
