/**
 * Revoked tokens, as every API process must know them: checked on each
 * request and each WebSocket sign-in, so kept in memory. The list is fed
 * straight from the store's events (`TokensRevoked`), not from a projection's
 * tables: an operator may pause or rebuild a projection, and revocations must
 * never wait for that. Another process's revocation arrives through the
 * process's one reader of the store (with SQLite within its poll interval,
 * with EventStoreDB at once); this process's own is applied as soon as it is
 * appended.
 */
import type { TokensRevoked } from '../domain/access';
import type { EventStore, RecordedEvent } from '../eventstore/event-store';

/** What a verified token says about itself that a revocation can match. */
export interface TokenIdentity {
  subject: string;
  /** `iat`, seconds since the epoch; a token without one counts as issued before any revocation. */
  issuedAt: number | undefined;
  /** `jti`. */
  tokenId: string | undefined;
}

export class RevocationList {
  private readonly bySubject = new Map<string, { throughMs: number | undefined; tokenIds: Set<string> }>();
  private readonly listeners = new Set<(subject: string) => void>();

  /** Takes a revocation in; applying the same one twice changes nothing. */
  apply(revocation: TokensRevoked['data']): void {
    let entry = this.bySubject.get(revocation.subject);
    if (!entry) {
      entry = { throughMs: undefined, tokenIds: new Set() };
      this.bySubject.set(revocation.subject, entry);
    }
    if (revocation.tokenId !== null) entry.tokenIds.add(revocation.tokenId);
    else entry.throughMs = Math.max(entry.throughMs ?? -Infinity, Date.parse(revocation.revokedAt));
    for (const listener of this.listeners) listener(revocation.subject);
  }

  /**
   * Whether the token was revoked: by its id, or by a revocation of every token of its
   * subject at or after the second it was issued (`iat` has whole seconds, so a token
   * issued in the same second as the revocation counts as revoked).
   */
  isRevoked(token: TokenIdentity): boolean {
    const entry = this.bySubject.get(token.subject);
    if (!entry) return false;
    if (token.tokenId !== undefined && entry.tokenIds.has(token.tokenId)) return true;
    if (entry.throughMs === undefined) return false;
    return token.issuedAt === undefined || token.issuedAt * 1000 <= entry.throughMs;
  }

  /** Called with the subject after each revocation applied (open WebSockets are closed on it). */
  onRevoked(listener: (subject: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Every batch of events the process reads from the store, whatever becomes of them (the projection runtime's one reader). */
export interface EventFeed {
  onDelivered(listener: (events: readonly RecordedEvent[]) => void): () => void;
}

export interface RevocationFollower {
  stop(): void;
}

/**
 * Reads every revocation in the store into `list` (so no request is served before
 * them), then takes each new one from the process's one reader of the store. That
 * reader is watched for silent stalls and retried after errors, and it delivers
 * whatever the projections' states: a paused projection never holds a revocation back.
 * The feed is joined before the history is read, so nothing appended meanwhile is
 * missed; what both bring is applied twice, which changes nothing.
 */
export const followRevocations = async (store: EventStore, feed: EventFeed, list: RevocationList): Promise<RevocationFollower> => {
  const take = (events: readonly RecordedEvent[]): void => {
    for (const event of events) if (event.type === 'TokensRevoked') list.apply(event.data as TokensRevoked['data']);
  };
  const stop = feed.onDelivered(take);
  try {
    take(await store.readAll({ eventTypes: ['TokensRevoked'] }));
  } catch (error) {
    stop();
    throw error;
  }
  return { stop };
};
