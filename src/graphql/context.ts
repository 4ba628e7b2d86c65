import type { CommandContext } from '../commands/handler';
import type { FacilitationCommands } from '../commands/facilitation';
import type { EventStore } from '../eventstore/event-store';
import type { ProjectionRuntime } from '../projection/runtime';
import type { ReadModels } from './read-models';

/** Everything a resolver may use; built once per request. */
export interface TashilContext {
  /** Subject recorded as the actor of every event this request appends. */
  actor: string;
  requestId: string;
  commands: FacilitationCommands;
  readModels: ReadModels;
  store: EventStore;
  runtime: ProjectionRuntime;
  now: () => Date;
  /** How long a mutation waits for its own write to reach the read models. */
  readYourWritesTimeoutMs: number;
}

/** Options every mutation input may carry. */
export interface CommandOptions {
  idempotencyKey?: string | null;
  expectedRevision?: string | null;
  correlationId?: string | null;
}

export const commandContext = (ctx: TashilContext, options: CommandOptions): CommandContext => ({
  actor: ctx.actor,
  now: ctx.now(),
  correlationId: options.correlationId ?? ctx.requestId,
  ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
  ...(options.expectedRevision != null ? { expectedRevision: BigInt(options.expectedRevision) } : {}),
});
