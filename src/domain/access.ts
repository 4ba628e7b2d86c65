/**
 * Access: what a person (a token subject) may still sign in with. Tokens are
 * issued elsewhere (an identity provider, or `tashil token`) and carry their own
 * expiry; an administrator revokes them before it when a token leaks or someone
 * leaves a headquarters: one token by its id (`jti`), or every token of the
 * subject issued up to that moment ("sign out everywhere"). The revocation is an
 * event like any other, so it is audited, replicated to every API process, and
 * never undone silently.
 */
import type { Decider, DomainEvent } from './decider';

// ─── Events ────────────────────────────────────────────────────────────────

export type TokensRevoked = DomainEvent<
  'TokensRevoked',
  {
    subject: string;
    /** One token (its `jti`); null: every token of the subject issued at or before `revokedAt`. */
    tokenId: string | null;
    reason: string;
    revokedAt: string;
  }
>;

export type AccessEvent = TokensRevoked;

// ─── Commands ──────────────────────────────────────────────────────────────

export type RevokeTokens = { type: 'RevokeTokens'; data: TokensRevoked['data'] };

export type AccessCommand = RevokeTokens;

// ─── State ─────────────────────────────────────────────────────────────────

export interface Access {
  /** The latest "every token up to now" revocation, if any. */
  revokedThrough: string | null;
  /** Tokens revoked one by one. */
  tokenIds: string[];
}

export const initialState = (): Access => ({ revokedThrough: null, tokenIds: [] });

// ─── evolve ────────────────────────────────────────────────────────────────

// One event type so far: no switch over types until there is a second one.
export const evolve = (state: Access, event: AccessEvent): Access =>
  event.data.tokenId === null
    ? { ...state, revokedThrough: event.data.revokedAt }
    : { ...state, tokenIds: [...state.tokenIds, event.data.tokenId] };

// ─── decide ────────────────────────────────────────────────────────────────

export const decide = (command: AccessCommand, state: Access): AccessEvent[] => {
  // One token revoked twice: it already is, nothing to record. "Every token up to now"
  // again is a new moment, and revokes the tokens issued since the last one.
  if (command.data.tokenId !== null && state.tokenIds.includes(command.data.tokenId)) return [];
  return [{ type: 'TokensRevoked', data: { ...command.data } }];
};

export const accessDecider: Decider<AccessCommand, AccessEvent, Access> = {
  category: 'access',
  initialState,
  evolve,
  decide,
};
