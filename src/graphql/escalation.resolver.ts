import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { READ_ROLES, rolesFor } from '../auth/policy';
import type { ObstacleLevel } from '../domain/obstacle';
import { commandContext, type TashilContext } from './context';
import { EscalateObstacleInput } from './escalation.input';
import { ObstacleLevelPeriod } from './escalation.type';
import { ObstacleLevelEnum } from './follow-up.enums';
import { ObstaclePayload } from './obstacle.resolver';
import { Obstacle } from './obstacle.type';
import { afterCommand } from './payload';
import { loaders } from './loaders';

/** A case's level and the way it got there (county → province → national), on the `Obstacle` type itself. */
@Resolver(() => Obstacle)
export class EscalationResolver {
  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => ObstacleLevelEnum, { description: 'The level of the body now handling the case (سطح رسیدگی).' })
  async level(@Root() obstacle: Obstacle, @Ctx() ctx: TashilContext): Promise<ObstacleLevel> {
    return (await loaders(ctx).obstacleLevel.load(obstacle.id))?.level ?? 'COUNTY';
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => ID, {
    nullable: true,
    description: 'The body (کارگروه / ستاد) the case was last escalated to; null while it is with the county workgroup that raised it.',
  })
  async workgroupId(@Root() obstacle: Obstacle, @Ctx() ctx: TashilContext): Promise<string | null> {
    return (await loaders(ctx).obstacleLevel.load(obstacle.id))?.workgroupId ?? null;
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => [ObstacleLevelPeriod], {
    description: 'Every level the case has been at, in order: the county from the day it was raised, then each escalation, with its reason.',
  })
  levelHistory(@Root() obstacle: Obstacle, @Ctx() ctx: TashilContext): Promise<ObstacleLevelPeriod[]> {
    return loaders(ctx).levelHistory.load(obstacle.id);
  }

  @Authorized(rolesFor('EscalateObstacle'))
  @Mutation(() => ObstaclePayload, {
    description:
      'Escalate an unresolved case one level up (ارجاع به سطح بالاتر) to a registered body of that level; the same level twice, or skipping one, is INVALID_TRANSITION.',
  })
  async escalateObstacle(@Arg('input', () => EscalateObstacleInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: EscalateObstacleInput, @Ctx() ctx: TashilContext): Promise<ObstaclePayload> {
    const outcome = await ctx.followUp.escalateObstacle(input, commandContext(ctx, input));
    await ctx.runtime.waitForPosition(outcome.position, ctx.readYourWritesTimeoutMs, ['escalations']);
    const { entity, ...rest } = await afterCommand(ctx, outcome, 'obstacles', () => ctx.readModels.obstacle(input.obstacleId));
    return { ...rest, obstacle: entity };
  }
}
