import { IsEnum, IsOptional } from 'class-validator';
import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { READ_ROLES, rolesFor } from '../auth/policy';
import type { CommandOutcome } from '../commands/handler';
import type { ObstacleStatus } from '../domain/obstacle';
import type { ConversionStage, ZoneKind } from '../domain/zone';
import { auditTrail } from './audit.resolver';
import { AuditEventConnection } from './audit.type';
import { PageArgs, type Page } from './connection';
import { commandContext, type TashilContext } from './context';
import { ConversionStageEnum, ObstacleStatusEnum, ZoneKindEnum } from './enums';
import { ObstacleConnection, type Obstacle } from './obstacle.type';
import { afterCommand, MutationPayload } from './payload';
import { registryReads } from './registry.read-models';
import { UnitConnection, type Unit } from './unit.type';
import { OptionalText } from './validation';
import { loaders, pageOf } from './loaders';
import { AdvanceClusterConversionInput, RegisterZoneInput } from './zone.input';
import { ConversionStep, Zone, ZoneConnection } from './zone.type';

@ObjectType({ description: 'What a zone mutation returns: the zone as the read model holds it after the command.' })
export class ZonePayload extends MutationPayload {
  @Field(() => Zone, { description: 'The zone after the command.' })
  zone!: Zone;
}

@ArgsType()
export class ZonesArgs extends PageArgs {
  @Field(() => ZoneKindEnum, { nullable: true, description: 'Only zones of this kind now (a converted cluster is an INDUSTRIAL_PARK).' })
  @IsOptional()
  @IsEnum(ZoneKindEnum)
  kind?: ZoneKind | null;

  @Field(() => String, { nullable: true, description: 'Only zones of this province (استان).' })
  @OptionalText(100)
  province?: string | null;

  @Field(() => String, { nullable: true, description: 'Only zones of this county (شهرستان).' })
  @OptionalText(100)
  county?: string | null;

  @Field(() => ConversionStageEnum, { nullable: true, description: 'Only clusters at this conversion stage (مرحله تبدیل).' })
  @IsOptional()
  @IsEnum(ConversionStageEnum)
  conversionStage?: ConversionStage | null;
}

@ArgsType()
export class ZoneObstaclesArgs extends PageArgs {
  @Field(() => ObstacleStatusEnum, { nullable: true, description: 'Only obstacles in this status.' })
  @IsOptional()
  @IsEnum(ObstacleStatusEnum)
  status?: ObstacleStatus | null;
}

const zonePayload = async (ctx: TashilContext, outcome: CommandOutcome, zoneId: string): Promise<ZonePayload> => {
  const { entity, ...rest } = await afterCommand(ctx, outcome, 'zones', () => registryReads(ctx).zone(zoneId));
  return { ...rest, zone: entity };
};

@Resolver(() => Zone)
export class ZoneResolver {
  @Authorized(READ_ROLES.readModels)
  @Query(() => Zone, { nullable: true, description: 'A zone by id; null when there is none.' })
  zone(@Arg('id', () => ID, { description: 'Id of the zone (شهرک یا لکه صنعتی), as this API issued it.' }) id: string, @Ctx() ctx: TashilContext): Zone | null {
    return registryReads(ctx).zone(id);
  }

  @Authorized(READ_ROLES.readModels)
  @Query(() => ZoneConnection, {
    description: 'Zones: industrial parks (شهرک صنعتی), specialised parks and clusters (لکه صنعتی), oldest registration first, with filters.',
  })
  zones(@Args(() => ZonesArgs) args: ZonesArgs, @Ctx() ctx: TashilContext): Page<Zone> {
    return registryReads(ctx).zones(args, args);
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => UnitConnection, { description: 'Production units (واحدهای تولیدی) standing in this zone, in the order they came to it.' })
  async units(@Root() zone: Zone, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: TashilContext): Promise<Page<Unit>> {
    const ids = await loaders(ctx).unitIdsOfZone.load({ parent: zone.id, args: pageOf(page) });
    const units = await loaders(ctx).unit.loadMany(ids.edges.map((e) => e.node));
    // A unit the units projection has not reached yet is left out rather than shown half-known.
    const edges = ids.edges.flatMap(({ cursor }, i) => {
      const unit = units[i];
      return unit && !(unit instanceof Error) ? [{ cursor, node: unit }] : [];
    });
    return { ...ids, edges };
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => ObstacleConnection, {
    description: "Obstacles raised for the zone as a whole (telecom, paving, utilities), oldest first; its units' own obstacles are on each unit.",
  })
  obstacles(@Root() zone: Zone, @Args(() => ZoneObstaclesArgs) args: ZoneObstaclesArgs, @Ctx() ctx: TashilContext): Promise<Page<Obstacle>> {
    return loaders(ctx).zoneObstacles.load({ parent: zone.id, args: { status: args.status ?? null, page: pageOf(args) } });
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => [ConversionStep], { description: "A cluster's conversion steps so far, oldest first; empty for a zone registered as a park." })
  conversionHistory(@Root() zone: Zone, @Ctx() ctx: TashilContext): Promise<ConversionStep[]> {
    return loaders(ctx).conversionSteps.load(zone.id);
  }

  @Authorized(READ_ROLES.auditTrail)
  @FieldResolver(() => AuditEventConnection, { description: "Every event of the zone's own stream." })
  auditTrail(@Root() zone: Zone, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: TashilContext) {
    return auditTrail(ctx, 'ZONE', zone.id, page);
  }

  @Authorized(rolesFor('RegisterZone'))
  @Mutation(() => ZonePayload, {
    description: 'Register an industrial park (شهرک صنعتی), a specialised park or an industrial cluster (لکه صنعتی); a cluster starts at IDENTIFIED.',
  })
  async registerZone(@Arg('input', () => RegisterZoneInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: RegisterZoneInput, @Ctx() ctx: TashilContext): Promise<ZonePayload> {
    const outcome = await ctx.registry.registerZone(input, commandContext(ctx, input));
    return zonePayload(ctx, outcome, outcome.id);
  }

  @Authorized(rolesFor('AdvanceClusterConversion'))
  @Mutation(() => ZonePayload, {
    description:
      "Move a cluster's conversion forward; at CONVERTED it becomes a non-governmental industrial park (شهرک صنعتی غیردولتی). " +
      'A park, or a stage not after the current one, is INVALID_TRANSITION.',
  })
  async advanceClusterConversion(
    @Arg('input', () => AdvanceClusterConversionInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: AdvanceClusterConversionInput,
    @Ctx() ctx: TashilContext,
  ): Promise<ZonePayload> {
    const outcome = await ctx.registry.advanceClusterConversion(
      { zoneId: input.zoneId, stage: input.stage, note: input.note, skipReason: input.skipReason ?? null },
      commandContext(ctx, input),
    );
    return zonePayload(ctx, outcome, input.zoneId);
  }
}
