import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Authorized } from 'type-graphql';
import { READ_ROLES, rolesFor } from '../auth/policy';
import { IsEnum, IsOptional } from 'class-validator';
import type { ActivityStatus } from '../domain/unit';
import { auditTrail } from './audit.resolver';
import { AuditEventConnection } from './audit.type';
import { PageArgs, type Page } from './connection';
import { commandContext, type TashilContext } from './context';
import { ActivityStatusEnum, ObstacleStatusEnum } from './enums';
import { ObstacleConnection, type Obstacle } from './obstacle.type';
import { afterCommand, MutationPayload } from './payload';
import { ChangeUnitActivityStatusInput, RegisterUnitInput } from './unit.input';
import { TimelineConnection, Unit, UnitConnection, type TimelineEntry } from './unit.type';
import { OptionalText, asciiDigits } from './validation';
import { loaders, pageOf } from './loaders';
import { ObstacleOrder, UnitOrder } from './ordering';
import { obstacleOrdering, unitOrdering } from './read-models';
import type { ObstacleStatus } from '../domain/obstacle';

@ObjectType({ description: 'What a command on a production unit (واحد تولیدی) returns.' })
export class UnitPayload extends MutationPayload {
  @Field(() => Unit, { description: 'The unit after the command.' })
  unit!: Unit;
}

@ArgsType()
export class UnitsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only units of this county (شهرستان), exactly as registered.' })
  @OptionalText(100)
  county?: string | null;

  @Field(() => ActivityStatusEnum, { nullable: true, description: 'Only units in this activity status.' })
  @IsOptional()
  @IsEnum(ActivityStatusEnum)
  activityStatus?: ActivityStatus | null;

  @Field(() => ID, { nullable: true, description: 'Units in this zone (park or cluster).' })
  @IsOptional()
  zoneId?: string | null;

  @Field(() => String, { nullable: true, description: 'Units of this sector, as registered.' })
  @OptionalText(100)
  sector?: string | null;

  @Field(() => UnitOrder, { nullable: true, description: 'Sort order; by default oldest registration first.' })
  @IsOptional()
  orderBy?: UnitOrder | null;
}

@ArgsType()
export class UnitObstaclesArgs extends PageArgs {
  @Field(() => ObstacleStatusEnum, { nullable: true, description: 'Only obstacles in this status.' })
  @IsOptional()
  @IsEnum(ObstacleStatusEnum)
  status?: ObstacleStatus | null;

  @Field(() => ObstacleOrder, { nullable: true, description: 'Sort order; by default oldest first.' })
  @IsOptional()
  orderBy?: ObstacleOrder | null;
}

const unitPayload = async (ctx: TashilContext, outcome: Parameters<typeof afterCommand>[1], unitId: string): Promise<UnitPayload> => {
  const { entity, ...rest } = await afterCommand(ctx, outcome, 'units', () => ctx.readModels.unit(unitId));
  return { ...rest, unit: entity };
};

@Resolver(() => Unit)
export class UnitResolver {
  @Authorized(READ_ROLES.readModels)
  @Query(() => Unit, { nullable: true, description: 'A unit by id; null when there is none.' })
  unit(@Arg('id', () => ID, { description: 'Id of the production unit (واحد تولیدی), as this API issued it.' }) id: string, @Ctx() ctx: TashilContext): Unit | null {
    return ctx.readModels.unit(id);
  }

  @Authorized(READ_ROLES.readModels)
  @Query(() => UnitConnection, { description: 'Units by county, activity status, zone and sector; oldest registration first unless `orderBy` says otherwise.' })
  units(@Args(() => UnitsArgs) args: UnitsArgs, @Ctx() ctx: TashilContext): Page<Unit> {
    return ctx.readModels.units(args, args, unitOrdering(args.orderBy?.field, args.orderBy?.direction));
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => TimelineConnection, { description: "The unit's history: one timeline of everything that concerned it, oldest first." })
  history(@Root() unit: Unit, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: TashilContext): Promise<Page<TimelineEntry>> {
    return loaders(ctx).unitHistory.load({ parent: unit.id, args: pageOf(page) });
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => ObstacleConnection, { description: 'Obstacles (موانع) raised for this unit.' })
  obstacles(@Root() unit: Unit, @Args(() => UnitObstaclesArgs) args: UnitObstaclesArgs, @Ctx() ctx: TashilContext): Promise<Page<Obstacle>> {
    const orderBy = obstacleOrdering(args.orderBy?.field, args.orderBy?.direction);
    return loaders(ctx).unitObstacles.load({ parent: unit.id, args: { status: args.status ?? null, page: pageOf(args), orderBy } });
  }

  @Authorized(READ_ROLES.auditTrail)
  @FieldResolver(() => AuditEventConnection, { description: "Every event of the unit's own stream." })
  auditTrail(@Root() unit: Unit, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: TashilContext) {
    return auditTrail(ctx, 'UNIT', unit.id, page);
  }

  @Authorized(rolesFor('RegisterUnit'))
  @Mutation(() => UnitPayload, { description: 'Register a production unit. Its national ID must not belong to another unit (CONFLICT).' })
  async registerUnit(@Arg('input', () => RegisterUnitInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: RegisterUnitInput, @Ctx() ctx: TashilContext): Promise<UnitPayload> {
    const outcome = await ctx.commands.registerUnit({ ...input, nationalId: asciiDigits(input.nationalId) }, commandContext(ctx, input));
    return unitPayload(ctx, outcome, outcome.id);
  }

  @Authorized(rolesFor('ChangeUnitActivityStatus'))
  @Mutation(() => UnitPayload, { description: "Change a unit's activity status; the reason goes into its history." })
  async changeUnitActivityStatus(
    @Arg('input', () => ChangeUnitActivityStatusInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: ChangeUnitActivityStatusInput,
    @Ctx() ctx: TashilContext,
  ): Promise<UnitPayload> {
    const outcome = await ctx.commands.changeUnitActivityStatus(input, commandContext(ctx, input));
    return unitPayload(ctx, outcome, input.unitId);
  }
}
