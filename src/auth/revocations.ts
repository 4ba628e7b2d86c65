/**
 * Revoked tokens, as every API process must know them: checked on each
 * request and each WebSocket sign-in, so kept in memory. The list is fed
 * straight from the store (every `TokensRevoked` event, read through the
 * store's type filter), not from a projection: an operator may pause or
 * rebuild a projection, and revocations must never wait for that. Another
 * process's revocation arrives through the same subscription (with SQLite
 * within its poll interval, with EventStoreDB at once); this process's own is
 * applied as soon as it is appended.
 */
import type { TokensRevoked } from '../domain/access';
import type { EventStore, Subscription } from '../eventstore/event-store';

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

const TYPES = ['TokensRevoked'] as const;

export interface RevocationFollower {
  /** Stops following; resolves when the subscription is closed. */
  stop(): Promise<void>;
}

/**
 * Reads every revocation in the store into `list`, resolves once it has all that existed
 * (so no request is served before them), then keeps following; a store error is retried
 * with back-off from the last revocation read.
 */
export const followRevocations = async (
  store: EventStore,
  list: RevocationList,
  log?: (message: string, fields?: Record<string, unknown>) => void,
): Promise<RevocationFollower> => {
  let after = 0n;
  let stopped = false;
  let subscription: Subscription | undefined;
  let caughtUp!: () => void;
  const ready = new Promise<void>((resolve) => (caughtUp = resolve));
  // One subscription, through the store's type filter (server-side with EventStoreDB): the
  // history first, then what follows. Start-up waits until the history is in.
  const loop = (async () => {
    let delay = 100;
    while (!stopped) {
      try {
        subscription = store.subscribeToAll({ after, eventTypes: TYPES });
        void subscription.caughtUp.then(caughtUp, () => undefined);
        for await (const event of subscription) {
          list.apply(event.data as TokensRevoked['data']);
          after = event.position;
          delay = 100;
        }
      } catch (error) {
        if (stopped) return;
        log?.('revocation subscription failed; retrying', { error: String(error), retryInMs: delay });
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 10_000);
      }
    }
  })();
  await Promise.race([ready, loop]);
  return {
    stop: async () => {
      stopped = true;
      await subscription?.close();
      await loop;
    },
  };
};
