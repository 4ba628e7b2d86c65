/**
 * Revoking tokens before they expire, and who lost access when and why. The list
 * of a subject's revocations is read from its own stream (`access-<subject>`):
 * there is no read model to lag behind, and the actor of each is on record.
 */
import { Arg, Authorized, Ctx, Field, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { READ_ROLES, rolesFor } from '../auth/policy';
import { accessDecider, type TokensRevoked } from '../domain/access';
import { streamName } from '../domain/decider';
import type { RecordedEvent } from '../eventstore/event-store';
import { CommandInput } from './command-input';
import { commandContext, type TashilContext } from './context';
import { MutationPayload } from './payload';
import { OptionalText, Text } from './validation';

@ObjectType({ description: 'A revocation of tokens: one token by its id, or every token of a subject issued up to a moment.' })
export class TokenRevocation {
  @Field({ description: 'Whose tokens: the `sub` of the tokens, as recorded as the actor of their events.' })
  subject!: string;

  @Field(() => String, { nullable: true, description: 'The one token revoked (its `jti`); null when every token of the subject issued up to `revokedAt` was.' })
  tokenId!: string | null;

  @Field({ description: 'Why, in the administrator’s words.' })
  reason!: string;

  @Field(() => Date, { description: 'When: tokens of the subject issued at or before this second are refused (when `tokenId` is null).' })
  revokedAt!: Date;

  @Field({ description: 'The administrator who revoked them.' })
  revokedBy!: string;
}

@ObjectType({ description: 'What `revokeTokens` returns.' })
export class RevokeTokensPayload extends MutationPayload {
  @Field(() => TokenRevocation, { description: 'The revocation now in force (the earlier one, when this one token was already revoked).' })
  revocation!: TokenRevocation;
}

@InputType({ description: 'Revoke tokens before they expire (ابطال توکن): one token by its id, or every token of a person issued up to now.' })
export class RevokeTokensInput extends CommandInput {
  @Field({ description: 'Whose tokens: their subject (`sub`).' })
  @Text(200)
  subject!: string;

  @Field(() => String, { nullable: true, description: 'Only this token (its `jti`); leave out to revoke every token of the subject issued up to now ("sign out everywhere").' })
  @OptionalText(200)
  tokenId?: string | null;

  @Field({ description: 'Why, e.g. «انتقال به استان دیگر» or a token seen in a chat.' })
  @Text(2000)
  reason!: string;
}

const toRevocation = (event: RecordedEvent): TokenRevocation => {
  const d = event.data as TokensRevoked['data'];
  return { subject: d.subject, tokenId: d.tokenId, reason: d.reason, revokedAt: new Date(d.revokedAt), revokedBy: event.metadata.actor };
};

@Resolver()
export class AccessResolver {
  @Authorized(rolesFor('RevokeTokens'))
  @Mutation(() => RevokeTokensPayload, {
    description:
      'Revoke tokens before they expire: from the next request on, in this process at once and in every other one as soon as it reads the event, ' +
      'a revoked token is UNAUTHENTICATED and its open WebSocket connections are closed (4401). A token issued later is not affected. ' +
      'Revoking one token again records nothing.',
  })
  async revokeTokens(
    @Arg('input', () => RevokeTokensInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, correlationId).' }) input: RevokeTokensInput,
    @Ctx() ctx: TashilContext,
  ): Promise<RevokeTokensPayload> {
    const outcome = await ctx.access.revokeTokens(input, commandContext(ctx, input));
    // What the stream holds for it: this command's event, or the earlier revocation of the same token.
    const events = await ctx.store.readStream(outcome.streamName);
    const match = (e: RecordedEvent): boolean => {
      const d = e.data as TokensRevoked['data'];
      return outcome.revocation.tokenId === null ? e.metadata.commandId === outcome.commandId : d.tokenId === outcome.revocation.tokenId;
    };
    const recorded = events.filter(match).at(-1);
    if (!recorded) throw new Error(`${outcome.streamName} holds no revocation for command ${outcome.commandId}`);
    return {
      commandId: outcome.commandId,
      revision: String(outcome.revision),
      position: String(outcome.position),
      replayed: outcome.replayed,
      revocation: toRevocation(recorded),
    };
  }

  @Authorized(READ_ROLES.tokenRevocations)
  @Query(() => [TokenRevocation], { description: "A person's token revocations, oldest first, from their access stream (ADMIN, AUDITOR)." })
  async tokenRevocations(@Arg('subject', { description: 'Whose: the subject (`sub`) of their tokens.' }) subject: string, @Ctx() ctx: TashilContext): Promise<TokenRevocation[]> {
    return (await ctx.store.readStream(streamName(accessDecider.category, subject))).filter((e) => e.type === 'TokensRevoked').map(toRevocation);
  }
}
