/**
 * Complete GraphQL responses remembered for requests that come again unchanged
 * (a dashboard polling, a list reopened), served only while the read models
 * still read exactly as they did when the response was computed.
 *
 * The read models change only when a projection commits, and the runtime
 * counts those commits (`readModelsVersion()`): a response stored at one
 * version is served at that version and never at another, so the cache can
 * make an answer faster but never older. What may be stored at all (queries
 * only, no errors, nothing read besides read-model rows) is decided by the
 * caller (src/http.ts, src/graphql/cacheability.ts); this module is the
 * memory: a map of least recently used entries bounded by total bytes.
 */
import { WeightedLru } from '../lru';

/** A response larger than this is never remembered: it would push out many smaller ones. */
export const MAX_ENTRY_BYTES = 1024 * 1024;

/** What an entry costs beyond its strings and body: the objects and the map's slot, roughly. */
const ENTRY_OVERHEAD_BYTES = 256;

export interface CachedResponse {
  status: number;
  /** The headers Apollo answered with; never per-request ones (request id, cookies), which the server sets each time. */
  headers: ReadonlyArray<readonly [string, string]>;
  /** The body as sent (UTF-8), so that a hit writes it without encoding it again. */
  body: Buffer;
  /** The body gzipped, once a client that accepts gzip asked for it (src/http/compression.ts); kept beside `body`. */
  gzipped?: Buffer;
  /** `readModelsVersion()` when the response was computed. */
  version: number;
  /** The operation name the access log gives the request (derived from the same text as the key). */
  operation: string | null;
}

/** Everything about a request that can change its answer, besides the read models' rows. */
export interface RequestShape {
  /** The verified bearer token (it names the caller, their roles and jurisdiction); null without one. */
  token: string | null;
  method: string;
  /**
   * Request headers that Apollo reads: Accept (the media type and the statuses
   * that go with it), Content-Type and the CSRF-prevention headers (what a GET
   * may run). Absent (undefined) and empty are different.
   */
  headers: ReadonlyArray<string | undefined>;
  /** POST: the raw body; GET: the search string (`?query=…&variables=…`). */
  text: string;
}

/**
 * The key of a request: its exact text, not a normalised one (two spellings of
 * one query are two entries, never one wrong one). Header values cannot hold a
 * line feed, so the text, last, cannot be mistaken for a header.
 */
export const responseCacheKey = (request: RequestShape): string => {
  const caller = request.token === null ? 'anonymous' : `Bearer ${request.token}`;
  const headers = request.headers.map((value) => (value === undefined ? '-' : `=${value}`)).join('\n');
  return `${caller}\n${request.method}\n${headers}\n${request.text}`;
};

/** Bytes an entry holds: its key, headers and operation name as JavaScript strings (two bytes a code unit), its bodies, and overhead. */
export const entryBytes = (key: string, response: CachedResponse): number => {
  let bytes =
    ENTRY_OVERHEAD_BYTES + (key.length + (response.operation?.length ?? 0)) * 2 + response.body.byteLength + (response.gzipped?.byteLength ?? 0);
  for (const [name, value] of response.headers) bytes += (name.length + value.length) * 2;
  return bytes;
};

/** A least-recently-used map of responses, at most `maxBytes` in all (see `entryBytes`). */
export class ResponseCache {
  private readonly entries: WeightedLru<CachedResponse>;

  constructor(
    readonly maxBytes: number,
    readonly maxEntryBytes: number = MAX_ENTRY_BYTES,
  ) {
    this.entries = new WeightedLru(maxBytes);
  }

  /** Bytes held by the entries now. */
  get bytes(): number {
    return this.entries.weight;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The response remembered for `key` if it was computed at `version` (the read
   * models' version now). One computed at another version can never be served
   * again, so it is dropped.
   */
  lookup(key: string, version: number): CachedResponse | undefined {
    const response = this.entries.get(key);
    if (response === undefined || response.version === version) return response;
    this.entries.delete(key);
    return undefined;
  }

  /**
   * Remembers a response, forgetting the least recently used ones until it
   * fits; false when it is too large to keep (over `maxEntryBytes`, or over the
   * whole cache).
   */
  store(key: string, response: CachedResponse): boolean {
    const bytes = entryBytes(key, response);
    return bytes <= this.maxEntryBytes && this.entries.set(key, response, bytes);
  }

  /**
   * Keeps the gzipped body of a remembered response beside it, counted in its
   * bytes. Compression finishes later than the lookup that asked for it, so the
   * entry may have been replaced or dropped meanwhile: then nothing is kept.
   */
  attachGzipped(key: string, response: CachedResponse, gzipped: Buffer): void {
    if (this.entries.peek(key) !== response || response.gzipped !== undefined) return;
    response.gzipped = gzipped;
    // Stored again at its new size, so that the bound on bytes holds (and it is now the most recently used).
    if (this.store(key, response)) return;
    // Too large with both bodies: kept as it was, without the gzipped one.
    response.gzipped = undefined;
    this.store(key, response);
  }
}
