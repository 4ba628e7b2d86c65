/**
 * Revoking tokens before they expire (ADMIN only). The revocation is appended
 * like any command's events, then applied to this process's revocation list at
 * once, so the token is refused from the very next request here; other
 * processes learn it from the store (`src/auth/revocations.ts`).
 */
import type { RevocationList } from '../auth/revocations';
import { accessDecider, type TokensRevoked } from '../domain/access';
import type { EventStore } from '../eventstore/event-store';
import { subject } from './authorization';
import { handleCommand, type CommandContext, type CommandOutcome } from './handler';

export interface RevokeTokensInput {
  subject: string;
  /** One token's id (`jti`); left out: every token of the subject issued up to now. */
  tokenId?: string | null;
  reason: string;
}

export class AccessCommands {
  constructor(private readonly store: EventStore, private readonly revocations: RevocationList) {}

  async revokeTokens(input: RevokeTokensInput, ctx: CommandContext): Promise<CommandOutcome & { revocation: TokensRevoked['data'] }> {
    const revocation: TokensRevoked['data'] = {
      subject: input.subject,
      tokenId: input.tokenId ?? null,
      reason: input.reason,
      revokedAt: ctx.now.toISOString(),
    };
    const outcome = await handleCommand(this.store, accessDecider, input.subject, { type: 'RevokeTokens', data: revocation }, ctx, subject('RevokeTokens'));
    if (outcome.appended > 0) this.revocations.apply(revocation);
    return { ...outcome, revocation };
  }
}
