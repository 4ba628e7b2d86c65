import { randomUUID } from 'node:crypto';
import { canonicalJson, sha256Hex } from '../audit/hash-chain';
import type { AccessCommands } from '../commands/access';
import { GraphQLError } from 'graphql';
import { badUserInput } from './errors';
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
  /** How far back a command's `occurredAt` may lie (TASHIL_MAX_BACKDATE_DAYS). */
  maxBackdateDays: number;
  /** The app's structured log (audit access is logged through it). */
  log: Log;
}

/** Options every mutation input may carry. */
export interface CommandOptions {
  idempotencyKey?: string | null;
  occurredAt?: Date | null;
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

/** A client's clock may run a little ahead of the server's. */
const FUTURE_SKEW_MS = 5 * 60 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** When the command's happening took place: now, or the client's `occurredAt` within the bounds. */
const occurredAtOf = (ctx: TashilContext, options: CommandOptions, now: Date): Date => {
  const at = options.occurredAt ?? null;
  if (at === null) return now;
  const field = (message: string) => badUserInput(`occurredAt: ${message}`, [{ field: 'input.occurredAt', messages: [message] }]);
  if (at.getTime() > now.getTime() + FUTURE_SKEW_MS) throw field('lies in the future: record what has happened');
  if (at.getTime() < now.getTime() - ctx.maxBackdateDays * DAY_MS) throw field(`lies more than ${ctx.maxBackdateDays} days back (TASHIL_MAX_BACKDATE_DAYS)`);
  return at;
};

export const commandContext = (ctx: TashilContext, options: CommandOptions): CommandContext => {
  const now = ctx.now();
  return {
    principal: signedIn(ctx),
    now,
    occurredAt: occurredAtOf(ctx, options, now),
    // The trace's correlation id is the server's own, one per mutation (every stream the mutation writes shares it);
    // what the client calls its action is kept beside it, never as the trace's id.
    correlationId: randomUUID(),
    clientCorrelationId: options.correlationId ?? ctx.requestId,
    ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey, fingerprint: fingerprintOf(options) } : {}),
    ...(options.expectedRevision != null ? { expectedRevision: BigInt(options.expectedRevision) } : {}),
  };
};

/** The caller; resolvers behind `@Authorized` always have one, this makes the type say so. */
export const signedIn = (ctx: TashilContext): Principal => {
  if (!ctx.principal) throw new GraphQLError('sign in first', { extensions: { code: 'UNAUTHENTICATED' } });
  return ctx.principal;
};
