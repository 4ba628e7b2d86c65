import { IsEnum, IsOptional } from 'class-validator';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Authorized } from 'type-graphql';
import { READ_ROLES, rolesFor } from '../auth/policy';
import type { ObstacleCategory, ObstacleLevel, ObstacleStatus } from '../domain/obstacle';
import { auditTrail } from './audit.resolver';
import { AuditEventConnection } from './audit.type';
import { PageArgs, type Page } from './connection';
import { commandContext, type TashilContext } from './context';
import { ObstacleCategoryEnum, ObstacleStatusEnum } from './enums';
import { ObstacleLevelEnum } from './follow-up.enums';
import { Resolution } from './meeting.type';
import {
  RaiseObstacleInput,
  RecordObstacleProgressInput,
  ReferObstacleInput,
  ReopenObstacleInput,
  ResolveObstacleInput,
} from './obstacle.input';
import { Obstacle, ObstacleConnection } from './obstacle.type';
import { afterCommand, MutationPayload } from './payload';
import { Unit } from './unit.type';
import { OptionalText } from './validation';
import { loaders } from './loaders';
import { ObstacleOrder } from './ordering';
import { obstacleOrdering } from './read-models';
import type { CommandOutcome } from '../commands/handler';

@ObjectType({ description: 'What a command on an obstacle (مانع / پرونده) returns.' })
export class ObstaclePayload extends MutationPayload {
  @Field(() => Obstacle, { description: 'The obstacle after the command.' })
  obstacle!: Obstacle;
}

@ArgsType()
export class ObstaclesArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only obstacles of this unit.' })
  @IsOptional()
  unitId?: string | null;

  @Field(() => String, { nullable: true, description: 'Only obstacles of this county (شهرستان).' })
  @OptionalText(100)
  county?: string | null;

  @Field(() => ObstacleStatusEnum, { nullable: true, description: 'Only obstacles in this status.' })
  @IsOptional()
  @IsEnum(ObstacleStatusEnum)
  status?: ObstacleStatus | null;

  @Field(() => ObstacleCategoryEnum, { nullable: true, description: 'Only obstacles of this category.' })
  @IsOptional()
  @IsEnum(ObstacleCategoryEnum)
  category?: ObstacleCategory | null;

  @Field(() => String, { nullable: true, description: 'Only obstacles referred to this agency, by the name recorded.' })
  @OptionalText(200)
  leadAgency?: string | null;

  @Field(() => ID, { nullable: true, description: 'Obstacles referred to this registered agency.' })
  @IsOptional()
  leadAgencyId?: string | null;

  @Field(() => ObstacleLevelEnum, { nullable: true, description: 'Only cases handled at this level now (what is before the province: `PROVINCE`).' })
  @IsOptional()
  @IsEnum(ObstacleLevelEnum)
  level?: ObstacleLevel | null;

  @Field(() => ID, { nullable: true, description: 'Only cases with this workgroup now: escalated to it, or raised in its meeting and not escalated since.' })
  @IsOptional()
  workgroupId?: string | null;

  @Field(() => ObstacleOrder, { nullable: true, description: 'Sort order; by default oldest first.' })
  @IsOptional()
  orderBy?: ObstacleOrder | null;
}

const obstaclePayload = async (ctx: TashilContext, outcome: CommandOutcome, obstacleId: string): Promise<ObstaclePayload> => {
  const { entity, ...rest } = await afterCommand(ctx, outcome, 'obstacles', () => ctx.readModels.obstacle(obstacleId));
  return { ...rest, obstacle: entity };
};

@Resolver(() => Obstacle)
export class ObstacleResolver {
  @Authorized(READ_ROLES.readModels)
  @Query(() => Obstacle, { nullable: true, description: 'An obstacle by id; null when there is none.' })
  obstacle(@Arg('id', () => ID, { description: 'Id of the obstacle (مانع / پرونده), as this API issued it.' }) id: string, @Ctx() ctx: TashilContext): Obstacle | null {
    return ctx.readModels.obstacle(id);
  }

  @Authorized(READ_ROLES.readModels)
  @Query(() => ObstacleConnection, { description: 'Obstacles with filters; oldest first unless `orderBy` says otherwise.' })
  obstacles(@Args(() => ObstaclesArgs) args: ObstaclesArgs, @Ctx() ctx: TashilContext): Page<Obstacle> {
    return ctx.readModels.obstacles(args, args, obstacleOrdering(args.orderBy?.field, args.orderBy?.direction));
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => Unit, { nullable: true, description: 'The production unit (واحد تولیدی) it was raised for; null for a zone’s obstacle.' })
  async unit(@Root() obstacle: Obstacle, @Ctx() ctx: TashilContext): Promise<Unit | null> {
    return obstacle.unitId ? loaders(ctx).unit.load(obstacle.unitId) : null;
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => [Resolution], { description: 'Resolutions (مصوبات) recorded about this obstacle.' })
  resolutions(@Root() obstacle: Obstacle, @Ctx() ctx: TashilContext): Promise<Resolution[]> {
    return loaders(ctx).resolutionsOfObstacle.load(obstacle.id);
  }

  @Authorized(READ_ROLES.auditTrail)
  @FieldResolver(() => AuditEventConnection, { description: "Every event of the obstacle's stream." })
  auditTrail(@Root() obstacle: Obstacle, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: TashilContext) {
    return auditTrail(ctx, 'OBSTACLE', obstacle.id, page);
  }

  @Authorized(rolesFor('RaiseObstacle'))
  @Mutation(() => ObstaclePayload, { description: 'Raise an obstacle for a registered unit.' })
  async raiseObstacle(@Arg('input', () => RaiseObstacleInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: RaiseObstacleInput, @Ctx() ctx: TashilContext): Promise<ObstaclePayload> {
    const outcome = await ctx.commands.raiseObstacle(input, commandContext(ctx, input));
    return obstaclePayload(ctx, outcome, outcome.id);
  }

  @Authorized(rolesFor('ReferObstacle'))
  @Mutation(() => ObstaclePayload, { description: 'Refer an obstacle to a lead agency with a deadline (not once it is resolved).' })
  async referObstacle(@Arg('input', () => ReferObstacleInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: ReferObstacleInput, @Ctx() ctx: TashilContext): Promise<ObstaclePayload> {
    const outcome = await ctx.commands.referObstacle(input, commandContext(ctx, input));
    return obstaclePayload(ctx, outcome, input.obstacleId);
  }

  @Authorized(rolesFor('RecordObstacleProgress'))
  @Mutation(() => ObstaclePayload, { description: 'Record progress on a referred obstacle.' })
  async recordObstacleProgress(
    @Arg('input', () => RecordObstacleProgressInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: RecordObstacleProgressInput,
    @Ctx() ctx: TashilContext,
  ): Promise<ObstaclePayload> {
    const outcome = await ctx.commands.recordObstacleProgress(input, commandContext(ctx, input));
    return obstaclePayload(ctx, outcome, input.obstacleId);
  }

  @Authorized(rolesFor('ResolveObstacle'))
  @Mutation(() => ObstaclePayload, { description: 'Resolve an obstacle; resolving a resolved one is INVALID_TRANSITION.' })
  async resolveObstacle(@Arg('input', () => ResolveObstacleInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: ResolveObstacleInput, @Ctx() ctx: TashilContext): Promise<ObstaclePayload> {
    const outcome = await ctx.commands.resolveObstacle(input, commandContext(ctx, input));
    return obstaclePayload(ctx, outcome, input.obstacleId);
  }

  @Authorized(rolesFor('ReopenObstacle'))
  @Mutation(() => ObstaclePayload, { description: 'Reopen a resolved obstacle.' })
  async reopenObstacle(@Arg('input', () => ReopenObstacleInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: ReopenObstacleInput, @Ctx() ctx: TashilContext): Promise<ObstaclePayload> {
    const outcome = await ctx.commands.reopenObstacle(input, commandContext(ctx, input));
    return obstaclePayload(ctx, outcome, input.obstacleId);
  }
}
