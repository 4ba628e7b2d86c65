import { Field, ID, ObjectType } from 'type-graphql';
import type { CommandOutcome } from '../commands/handler';
import type { TashilContext } from './context';

@ObjectType('MutationPayload', { description: 'What every mutation returns besides the changed thing.' })
export abstract class MutationPayload {
  @Field(() => ID, { description: 'Id of the command; equal on an idempotent retry.' })
  commandId!: string;

  @Field({ description: "Revision of the changed stream after the command (pass it as the next `expectedRevision`)." })
  revision!: string;

  @Field({ description: 'Global position of the command’s last event: the read models returned here include it.' })
  position!: string;

  @Field({ description: 'True when this was a retry of an earlier command with the same idempotency key: nothing new was recorded.' })
  replayed!: boolean;
}

/**
 * Read-your-writes: the payload is built only after the named projections
 * have applied the command's events, or fails with READ_MODEL_TIMEOUT — never
 * silently stale.
 */
export const afterCommand = async <T>(
  ctx: TashilContext,
  outcome: CommandOutcome,
  projection: string,
  load: () => T | null,
): Promise<{ entity: T; commandId: string; revision: string; position: string; replayed: boolean }> => {
  await ctx.runtime.waitForPosition(outcome.position, ctx.readYourWritesTimeoutMs, [projection]);
  const entity = load();
  if (entity === null) throw new Error(`${projection} has no row for ${outcome.streamName} at position ${outcome.position}`);
  return {
    entity,
    commandId: outcome.commandId,
    revision: String(outcome.revision),
    position: String(outcome.position),
    replayed: outcome.replayed,
  };
};
