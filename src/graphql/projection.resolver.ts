import { Matches } from 'class-validator';
import { Arg, Authorized, Ctx, Field, Float, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { READ_ROLES } from '../auth/policy';
import type { Role } from '../auth/principal';
import { DomainError, notFound } from '../domain/decider';
import type { ProjectionState, ProjectionStatus as RuntimeStatus } from '../projection/runtime';
import { signedIn, type TashilContext } from './context';
import { ProjectionStateEnum } from './enums';
import { positionArg, Position, Text } from './validation';


@ObjectType({ description: 'A rebuild in progress: new tables filling from the first event while the current ones serve.' })
export class RebuildProgress {
  @Field(() => Int, { description: 'Version being built.' })
  version!: number;

  @Field({ description: 'Position the new tables have reached.' })
  position!: string;

  @Field({ description: 'Newest position in the store.' })
  head!: string;

  @Field(() => Int, { description: 'Events the rebuild applies per second lately.' })
  eventsPerSecond!: number;

  @Field(() => Int, { nullable: true, description: 'Seconds until it catches up at the current rate.' })
  etaSeconds!: number | null;
}

@ObjectType({ description: 'A read model and how far it has read the event store.' })
export class ProjectionStatus {
  @Field({ description: 'The projection’s name, as its file in `projections/`.' })
  name!: string;

  @Field(() => Int, { description: 'Version whose tables are being served.' })
  version!: number;

  @Field(() => ProjectionStateEnum, { description: 'What it is doing.' })
  state!: ProjectionState;

  @Field({ description: 'Global position of the last event it has taken into account.' })
  position!: string;

  @Field({ description: 'Events in the store after that position.' })
  lagEvents!: string;

  @Field(() => Float, { description: 'Seconds between the newest event and the last one applied.' })
  lagSeconds!: number;

  @Field(() => Int, { description: 'Events applied per second lately.' })
  eventsPerSecond!: number;

  @Field(() => String, { nullable: true, description: 'The error it stopped on, if it failed.' })
  lastError!: string | null;

  @Field(() => String, { nullable: true, description: 'Position of the event it failed on.' })
  failedAt!: string | null;

  @Field(() => RebuildProgress, { nullable: true, description: 'Progress of a rebuild under way; null when none is.' })
  rebuild!: RebuildProgress | null;
}

@InputType({ description: 'Names a projection.' })
export class ProjectionInput {
  @Field({ description: 'The projection’s name, as in `projections`.' })
  @Matches(/^[a-z][a-z0-9-]{0,62}$/, { message: 'name must be a projection name' })
  name!: string;
}

@InputType({ description: 'Pass over the event a failed projection stopped at; recorded with who and why.' })
export class SkipProjectionEventInput extends ProjectionInput {
  @Field({ description: 'Position of the event, as `failedAt` shows it.' })
  @Position()
  position!: string;

  @Field({ description: 'Why the event may be passed over.' })
  @Text(2000)
  reason!: string;
}

/** Projection control changes what every caller is served: the operator's and the administrator's, never the analyst's. */
const OPERATORS: Role[] = ['ADMIN', 'OPERATOR'];

const toStatus = (s: RuntimeStatus): ProjectionStatus => ({
  name: s.name,
  version: s.version,
  state: s.state,
  position: String(s.position),
  lagEvents: String(s.lagEvents),
  lagSeconds: s.lagSeconds,
  eventsPerSecond: s.eventsPerSecond,
  lastError: s.lastError?.message ?? null,
  failedAt: s.lastError ? String(s.lastError.position) : null,
  rebuild: s.rebuild
    ? { ...s.rebuild, position: String(s.rebuild.position), head: String(s.rebuild.head) }
    : null,
});

const statusOf = async (ctx: TashilContext, name: string): Promise<ProjectionStatus> => {
  const found = (await ctx.runtime.status()).find((s) => s.name === name);
  if (!found) throw notFound('projection', name);
  return toStatus(found);
};

@Resolver()
export class ProjectionResolver {
  @Authorized(READ_ROLES.projectionStatus)
  @Query(() => [ProjectionStatus], { description: 'Every projection: state, checkpoint, lag, rate, last error, rebuild progress.' })
  async projections(@Ctx() ctx: TashilContext): Promise<ProjectionStatus[]> {
    return (await ctx.runtime.status()).map(toStatus);
  }

  @Authorized(OPERATORS)
  @Mutation(() => ProjectionStatus, {
    description:
      'Rebuild a projection into new tables while the current ones keep serving; switches when caught up. From its first event ' +
      '(or the start its definition names), or from `fromPosition`.',
  })
  async rebuildProjection(
    @Arg('input', () => ProjectionInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: ProjectionInput,
    @Ctx() ctx: TashilContext,
    @Arg('fromPosition', () => String, {
      nullable: true,
      description:
        'Replay from this store position on (a decimal number, as events and mutation payloads give `position`): the new tables hold what ' +
        'happened from there. Ignored while a rebuild of this projection is under way.',
    })
    fromPosition?: string | null,
  ): Promise<ProjectionStatus> {
    const from = fromPosition == null ? undefined : positionArg('fromPosition', fromPosition);
    await statusOf(ctx, input.name);
    const options = from === undefined ? {} : { fromPosition: from };
    void ctx.runtime.rebuild(input.name, options).catch(() => undefined); // progress and failure show in `projections`
    ctx.log('projection rebuild requested', { projection: input.name, actor: signedIn(ctx).subject, fromPosition: fromPosition ?? null });
    return statusOf(ctx, input.name);
  }

  @Authorized(OPERATORS)
  @Mutation(() => ProjectionStatus, { description: 'Stop applying events to a projection; its tables keep serving as they are.' })
  async pauseProjection(@Arg('input', () => ProjectionInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: ProjectionInput, @Ctx() ctx: TashilContext): Promise<ProjectionStatus> {
    await statusOf(ctx, input.name);
    ctx.runtime.pause(input.name);
    return statusOf(ctx, input.name);
  }

  @Authorized(OPERATORS)
  @Mutation(() => ProjectionStatus, { description: 'Let a paused projection catch up, or retry a failed one from its checkpoint.' })
  async resumeProjection(@Arg('input', () => ProjectionInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: ProjectionInput, @Ctx() ctx: TashilContext): Promise<ProjectionStatus> {
    const status = await statusOf(ctx, input.name);
    if (status.state === 'FAILED') await ctx.runtime.retry(input.name);
    else await ctx.runtime.resume(input.name);
    return statusOf(ctx, input.name);
  }

  @Authorized(['ADMIN'])
  @Mutation(() => ProjectionStatus, { description: 'Pass over the event a failed projection stopped at (recorded in its `_skipped` table).' })
  async skipProjectionEvent(
    @Arg('input', () => SkipProjectionEventInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: SkipProjectionEventInput,
    @Ctx() ctx: TashilContext,
  ): Promise<ProjectionStatus> {
    const status = await statusOf(ctx, input.name);
    if (status.state !== 'FAILED' || status.failedAt !== input.position) {
      throw new DomainError('INVALID_TRANSITION', `projection ${input.name} is not stopped at position ${input.position}`, {
        state: status.state,
        failedAt: status.failedAt,
      });
    }
    await ctx.runtime.skip(input.name, BigInt(input.position), input.reason, signedIn(ctx).subject);
    return statusOf(ctx, input.name);
  }
}
