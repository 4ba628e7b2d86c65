import { randomUUID } from 'node:crypto';
import { canonicalJson, sha256Hex } from '../audit/hash-chain';
import type { AccessCommands } from '../commands/access';
import { GraphQLError } from 'graphql';
import type { Principal } from '../auth/principal';
import type { CommandContext } from '../commands/handler';
import type { FacilitationCommands } from '../commands/facilitation';
import type { FollowUpCommands } from '../commands/follow-up';
import type { RegistryCommands } from '../commands/registry';
import type { EventStore } from '../eventstore/event-store';
import type { Log } from '../log';
import type { ProjectionRuntime } from '../projection/runtime';
import type { ReadModels } from './read-models';

/** Everything a resolver may use; built once per request. */
export interface TashilContext {
  /** The verified caller; null when the request carried no token. */
  principal: Principal | null;
  requestId: string;
  commands: FacilitationCommands;
  registry: RegistryCommands;
  followUp: FollowUpCommands;
  /** Revoking tokens. */
  access: AccessCommands;
  readModels: ReadModels;
  store: EventStore;
  runtime: ProjectionRuntime;
  now: () => Date;
  /** How long a mutation waits for its own write to reach the read models. */
  readYourWritesTimeoutMs: number;
  /** The app's structured log (audit access is logged through it). */
  log: Log;
}

/** Options every mutation input may carry. */
export interface CommandOptions {
  idempotencyKey?: string | null;
  expectedRevision?: string | null;
  correlationId?: string | null;
}

/**
 * What a mutation was asked, as one hash: its input without the options
 * (key, revision, correlation id), in a canonical form (key order and dates
 * do not change it). Kept with an idempotency key so a retry can be told from
 * a new command that reused the key.
 */
const fingerprintOf = (input: CommandOptions): string => {
  const { idempotencyKey: _key, expectedRevision: _revision, correlationId: _correlation, ...asked } = input as CommandOptions & Record<string, unknown>;
  return sha256Hex(canonicalJson(asked));
};

export const commandContext = (ctx: TashilContext, options: CommandOptions): CommandContext => ({
  principal: signedIn(ctx),
  now: ctx.now(),
  // The trace's correlation id is the server's own, one per mutation (every stream the mutation writes shares it);
  // what the client calls its action is kept beside it, never as the trace's id.
  correlationId: randomUUID(),
  clientCorrelationId: options.correlationId ?? ctx.requestId,
  ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey, fingerprint: fingerprintOf(options) } : {}),
  ...(options.expectedRevision != null ? { expectedRevision: BigInt(options.expectedRevision) } : {}),
});

/** The caller; resolvers behind `@Authorized` always have one, this makes the type say so. */
export const signedIn = (ctx: TashilContext): Principal => {
  if (!ctx.principal) throw new GraphQLError('sign in first', { extensions: { code: 'UNAUTHENTICATED' } });
  return ctx.principal;
};
