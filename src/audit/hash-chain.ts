/**
 * Tamper evidence: every event appended through the command handler carries
 * `metadata.previousHash` (the hash of the previous event of its stream, null
 * at revision 0) and `metadata.hash`, the SHA-256 (lower-case hex) of
 *
 *     canonical({ streamName, revision, type, schemaVersion, data, metadata })
 *
 * where `revision` is the decimal string of the event's revision in its
 * stream and `metadata` is the event's metadata without `hash` (so it
 * includes `previousHash`, which chains the event to its predecessor).
 *
 * `canonical` is the JSON the store keeps, re-encoded with object keys sorted
 * recursively by UTF-16 code units, no whitespace, strings and numbers as
 * `JSON.stringify` writes them: the JSON Canonicalization Scheme (RFC 8785)
 * for the values JSON can hold. Anyone can recompute a hash from an export
 * with a few lines in any language.
 *
 * Not covered: `recordedAt` and the global `position`, which the store
 * assigns at commit, after the hash was computed; and the event id. Within a
 * stream the order is covered (the revision is hashed, and each event names
 * its predecessor's hash); the interleaving of different streams is not.
 *
 * Events without a hash (appended by other tools, or before hashing existed)
 * are counted as unhashed, never reported as broken; the next hashed event
 * then starts its chain from `previousHash: null`. See docs/audit.md for what
 * the chain proves and what it cannot.
 */
import { createHash } from 'node:crypto';
import type { EventMetadata, EventStore, NewEvent, RecordedEvent } from '../eventstore/event-store';
import { storedEventsOf } from '../eventstore/upcasting';

// ─── Hashing ────────────────────────────────────────────────────────────────

/**
 * Canonical JSON (RFC 8785 for JSON values): first through `JSON.stringify`,
 * so what is hashed is exactly what a store keeps (Dates as ISO strings,
 * undefined keys dropped), then re-encoded with sorted keys and no whitespace.
 */
export const canonicalJson = (value: unknown): string => encode(JSON.parse(JSON.stringify(value)) as unknown);

const encode = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(encode).join(',')}]`;
  const object = value as Record<string, unknown>;
  // Array.prototype.sort without a comparator orders by UTF-16 code units, as RFC 8785 requires.
  return `{${Object.keys(object)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${encode(object[key])}`)
    .join(',')}}`;
};

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** What the hash of an event covers. */
export interface HashedContent {
  streamName: string;
  revision: bigint;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

/** The hash an event's content should carry (any `hash` already in its metadata is left out). */
export const eventHash = (event: HashedContent): string => {
  const { hash: _hash, ...metadata } = event.metadata;
  return sha256Hex(
    canonicalJson({
      streamName: event.streamName,
      revision: event.revision.toString(),
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      metadata,
    }),
  );
};

const hashOf = (metadata: EventMetadata): string | null => (typeof metadata.hash === 'string' ? metadata.hash : null);

/**
 * Chains events about to be appended at `firstRevision` onwards, after an
 * event whose hash is `previousHash` (null for an empty stream or an unhashed
 * predecessor). Each event gets its own metadata with `previousHash` and
 * `hash`, and an explicit `schemaVersion` (default 1), so that what is stored
 * is exactly what was hashed.
 */
export const chainEvents = (
  streamName: string,
  firstRevision: bigint,
  previousHash: string | null,
  events: readonly NewEvent[],
): NewEvent[] => {
  let previous = previousHash;
  return events.map((event, index) => {
    const schemaVersion = event.schemaVersion ?? 1;
    const { hash: _stale, ...rest } = event.metadata;
    const metadata: EventMetadata = { ...rest, previousHash: previous };
    const hash = eventHash({ streamName, revision: firstRevision + BigInt(index), type: event.type, schemaVersion, data: event.data, metadata });
    previous = hash;
    return { ...event, schemaVersion, metadata: { ...metadata, hash } };
  });
};

/** The hash a stream's newest event carries: what the next event chains to. */
export const headHashOf = (events: readonly RecordedEvent[]): string | null => {
  const last = events[events.length - 1];
  return last ? hashOf(last.metadata) : null;
};

// ─── Verifying ──────────────────────────────────────────────────────────────

export type BrokenLinkReason =
  /** The event's content (data, metadata, type, revision, stream) no longer gives the hash it carries. */
  | 'CONTENT_ALTERED'
  /** The event's `previousHash` is not the hash of the event now before it. */
  | 'CHAIN_BROKEN'
  /** A revision is missing before this event: an event was deleted. */
  | 'MISSING_EVENT'
  /** This revision came after a later one in commit order, or twice. */
  | 'OUT_OF_ORDER'
  /** The event carries a `previousHash` but no `hash`: its hash was removed. */
  | 'HASH_REMOVED'
  /** A head published earlier is not in the store as published. */
  | 'HEAD_MISMATCH';

export interface BrokenLink {
  streamName: string;
  revision: bigint;
  /** Position of the event the break was found at; null for a published head that is gone. */
  position: bigint | null;
  reason: BrokenLinkReason;
  /**
   * What the chain says should be there and what is: hashes (CONTENT_ALTERED:
   * the hash recorded, then the hash of the content now), or revisions as
   * decimal strings (MISSING_EVENT, OUT_OF_ORDER).
   */
  expected: string | null;
  actual: string | null;
}

/** The newest event of a stream: its hash, published elsewhere, pins the whole stream up to it. */
export interface StreamHead {
  streamName: string;
  revision: bigint;
  position: bigint;
  hash: string | null;
}

/** A head as published (an earlier `tashil audit heads`). */
export interface PublishedHead {
  streamName: string;
  revision: bigint;
  hash: string;
}

export interface VerifyReport {
  ok: boolean;
  streamsChecked: number;
  eventsChecked: number;
  /** Events that carry no hash: not evidence of tampering, but not protected either. */
  eventsUnhashed: number;
  /** The first break found: in the whole store, the one at the lowest position; in one stream, the lowest revision. */
  firstBrokenLink: BrokenLink | null;
  /** The first break of every broken stream (and every published head that does not match), in the order found. */
  brokenLinks: BrokenLink[];
  /** The newest event of every stream checked, by stream name. */
  heads: StreamHead[];
}

interface StreamProgress {
  nextRevision: bigint;
  lastHash: string | null;
  head: StreamHead;
  broken: boolean;
}

/**
 * Checks events one at a time, in the order a reader delivers them (position
 * order for the whole store, revision order for one stream), keeping only a
 * few values per stream: a whole store is verified without holding it in memory.
 */
export class ChainVerifier {
  private readonly streams = new Map<string, StreamProgress>();
  private readonly published = new Map<string, PublishedHead[]>();
  private readonly publishedSeen = new Set<PublishedHead>();
  private readonly broken: BrokenLink[] = [];
  private eventsChecked = 0;
  private eventsUnhashed = 0;

  constructor(publishedHeads: readonly PublishedHead[] = []) {
    for (const head of publishedHeads) this.published.set(head.streamName, [...(this.published.get(head.streamName) ?? []), head]);
  }

  push(event: RecordedEvent): void {
    this.eventsChecked++;
    const hash = hashOf(event.metadata);
    if (hash === null) this.eventsUnhashed++;
    let stream = this.streams.get(event.streamName);
    if (!stream) {
      stream = { nextRevision: 0n, lastHash: null, head: headOf(event, hash), broken: false };
      this.streams.set(event.streamName, stream);
    }
    this.checkPublished(event, hash);

    // One break per stream: after it, everything else in the stream is suspect anyway.
    if (!stream.broken) {
      const link = this.check(stream, event, hash);
      if (link) {
        stream.broken = true;
        this.broken.push(link);
      }
    }
    stream.nextRevision = event.revision + 1n;
    stream.lastHash = hash;
    stream.head = headOf(event, hash);
  }

  report(): VerifyReport {
    const brokenLinks = [...this.broken];
    for (const heads of this.published.values()) {
      for (const head of heads) {
        if (this.publishedSeen.has(head)) continue;
        const now = this.streams.get(head.streamName)?.head;
        brokenLinks.push({
          streamName: head.streamName,
          revision: head.revision,
          position: null,
          reason: 'HEAD_MISMATCH',
          expected: head.hash,
          actual: now ? `stream ends at revision ${now.revision}` : 'stream is missing',
        });
      }
    }
    const firstBrokenLink = brokenLinks.reduce<BrokenLink | null>((first, link) => {
      if (first === null) return link;
      if (link.position !== null && (first.position === null || link.position < first.position)) return link;
      return first;
    }, null);
    return {
      ok: brokenLinks.length === 0,
      streamsChecked: this.streams.size,
      eventsChecked: this.eventsChecked,
      eventsUnhashed: this.eventsUnhashed,
      firstBrokenLink,
      brokenLinks,
      heads: [...this.streams.values()].map((s) => s.head).sort((a, b) => (a.streamName < b.streamName ? -1 : a.streamName > b.streamName ? 1 : 0)),
    };
  }

  private check(stream: StreamProgress, event: RecordedEvent, hash: string | null): BrokenLink | null {
    const at = (reason: BrokenLinkReason, expected: string | null, actual: string | null): BrokenLink => ({
      streamName: event.streamName,
      revision: event.revision,
      position: event.position,
      reason,
      expected,
      actual,
    });
    if (event.revision !== stream.nextRevision) {
      const reason = event.revision > stream.nextRevision ? 'MISSING_EVENT' : 'OUT_OF_ORDER';
      return at(reason, String(stream.nextRevision), String(event.revision));
    }
    const previousHash = event.metadata.previousHash;
    if (hash === null) {
      return previousHash === undefined ? null : at('HASH_REMOVED', 'a hash', null);
    }
    const recomputed = eventHash(event);
    if (recomputed !== hash) return at('CONTENT_ALTERED', hash, recomputed);
    const linked = typeof previousHash === 'string' ? previousHash : null;
    if (linked !== stream.lastHash) return at('CHAIN_BROKEN', stream.lastHash, linked);
    return null;
  }

  private checkPublished(event: RecordedEvent, hash: string | null): void {
    for (const head of this.published.get(event.streamName) ?? []) {
      if (head.revision !== event.revision) continue;
      this.publishedSeen.add(head);
      if (head.hash !== hash) {
        this.broken.push({
          streamName: event.streamName,
          revision: event.revision,
          position: event.position,
          reason: 'HEAD_MISMATCH',
          expected: head.hash,
          actual: hash,
        });
      }
    }
  }
}

const headOf = (event: RecordedEvent, hash: string | null): StreamHead => ({
  streamName: event.streamName,
  revision: event.revision,
  position: event.position,
  hash,
});

/**
 * One value over a set of heads: SHA-256 of the canonical JSON of
 * `[{ streamName, revision, hash }]` sorted by stream name. Publish it (e.g.
 * in the minutes) and archive the heads beside it; `tashil audit verify
 * --heads FILE` later checks the store still holds every one of them.
 */
export const headsDigest = (heads: readonly { streamName: string; revision: bigint | string; hash: string | null }[]): string =>
  sha256Hex(
    canonicalJson(
      heads
        .map((h) => ({ streamName: h.streamName, revision: String(h.revision), hash: h.hash }))
        .sort((a, b) => (a.streamName < b.streamName ? -1 : a.streamName > b.streamName ? 1 : 0)),
    ),
  );

/** Verifies one stream's events, in revision order. Pure. */
export const verifyChain = (events: Iterable<RecordedEvent>, publishedHeads: readonly PublishedHead[] = []): VerifyReport => {
  const verifier = new ChainVerifier(publishedHeads);
  for (const event of events) verifier.push(event);
  return verifier.report();
};

export interface VerifyStoreOptions {
  /** One stream; default the whole store. */
  stream?: string;
  /** Heads published earlier: each must still be in the store with the same hash. */
  publishedHeads?: readonly PublishedHead[];
  /** Events read per page (default 1000). */
  pageSize?: number;
}

/**
 * Recomputes every hash and link of the store (or of one stream), reading
 * the events as they were recorded (never upcast), one page at a time.
 */
export const verifyStore = async (store: EventStore, options: VerifyStoreOptions = {}): Promise<VerifyReport> => {
  const verifier = new ChainVerifier(
    options.stream === undefined ? options.publishedHeads : options.publishedHeads?.filter((h) => h.streamName === options.stream),
  );
  for await (const event of storedEvents(store, options)) verifier.push(event);
  return verifier.report();
};

/** Every stored event of the store (position order) or of one stream (revision order), page by page. */
export async function* storedEvents(store: EventStore, options: { stream?: string; pageSize?: number } = {}): AsyncGenerator<RecordedEvent> {
  const stored = storedEventsOf(store);
  const pageSize = options.pageSize ?? 1000;
  if (options.stream !== undefined) {
    let from = 0n;
    for (;;) {
      const page = await stored.readStream(options.stream, { fromRevision: from, maxCount: pageSize });
      yield* page;
      if (page.length < pageSize) return;
      from = page[page.length - 1]!.revision + 1n;
    }
  }
  let after = 0n;
  for (;;) {
    const page = await stored.readAll({ after, maxCount: pageSize });
    yield* page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.position;
  }
}
