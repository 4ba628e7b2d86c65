import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { READ_ROLES, rolesFor } from '../auth/policy';
import type { CommandOutcome } from '../commands/handler';
import { commandContext, type TashilContext } from './context';
import { afterCommand } from './payload';
import { LinkUnitToZoneInput, UpdateUnitProfileInput } from './unit-registry.input';
import { UnitPayload } from './unit.resolver';
import { Unit } from './unit.type';
import { asciiDigits } from './validation';
import { loaders } from './loaders';
import { Zone } from './zone.type';

/** The unit comes back with its zone: both the units and the zones projection have the command's events. */
const unitPayload = async (ctx: TashilContext, outcome: CommandOutcome, unitId: string): Promise<UnitPayload> => {
  await ctx.runtime.waitForPosition(outcome.position, ctx.readYourWritesTimeoutMs, ['zones']);
  const { entity, ...rest } = await afterCommand(ctx, outcome, 'units', () => ctx.readModels.unit(unitId));
  return { ...rest, unit: entity };
};

/** A unit's place in the registries: the zone it stands in, and its profile. */
@Resolver(() => Unit)
export class UnitZoneResolver {
  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => Zone, { nullable: true, description: 'The industrial park or cluster the unit stands in (محل استقرار); null outside any registered zone.' })
  zone(@Root() unit: Unit, @Ctx() ctx: TashilContext): Promise<Zone | null> {
    return loaders(ctx).zoneOfUnit.load(unit.id);
  }

  @Authorized(rolesFor('LinkUnitToZone'))
  @Mutation(() => UnitPayload, {
    description: 'Record the zone a unit stands in, or move it to another one; the same zone again records nothing. An unknown zone is NOT_FOUND.',
  })
  async linkUnitToZone(@Arg('input', () => LinkUnitToZoneInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: LinkUnitToZoneInput, @Ctx() ctx: TashilContext): Promise<UnitPayload> {
    const outcome = await ctx.registry.linkUnitToZone({ unitId: input.unitId, zoneId: input.zoneId }, commandContext(ctx, input));
    return unitPayload(ctx, outcome, input.unitId);
  }

  @Authorized(rolesFor('UpdateUnitProfile'))
  @Mutation(() => UnitPayload, {
    description: "Correct or update a unit's head count, capacity in use, ISIC code or sector; only the fields that changed are recorded.",
  })
  async updateUnitProfile(
    @Arg('input', () => UpdateUnitProfileInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: UpdateUnitProfileInput,
    @Ctx() ctx: TashilContext,
  ): Promise<UnitPayload> {
    const outcome = await ctx.registry.updateUnitProfile(
      {
        unitId: input.unitId,
        headCount: input.headCount,
        capacityUtilisation: input.capacityUtilisation,
        isicCode: input.isicCode == null ? input.isicCode : asciiDigits(input.isicCode),
        // A unit always has a sector: null leaves it as it is.
        sector: input.sector ?? undefined,
      },
      commandContext(ctx, input),
    );
    return unitPayload(ctx, outcome, input.unitId);
  }
}
