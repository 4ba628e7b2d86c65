import { IsOptional } from 'class-validator';
import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { READ_ROLES, rolesFor } from '../auth/policy';
import type { CommandOutcome } from '../commands/handler';
import { Commitment } from './commitment.type';
import { PageArgs, type Page } from './connection';
import { commandContext, type TashilContext } from './context';
import { followUpReadModels } from './follow-up.read-models';
import { Obstacle } from './obstacle.type';
import { afterCommand, MutationPayload } from './payload';
import { RecordVisitFindingsInput, RecordVisitInput } from './visit.input';
import { NamedUnit, Visit, VisitConnection, VisitFinding, Visitor } from './visit.type';
import { Id, OptionalText } from './validation';
import { loadAll, loaders } from './loaders';

@ObjectType({ description: 'What a command on a field visit returns.' })
export class VisitPayload extends MutationPayload {
  @Field(() => Visit, { description: 'The visit after the command.' })
  visit!: Visit;
}

@ArgsType()
export class VisitsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'County (شهرستان), exactly as recorded.' })
  @OptionalText(100)
  county?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only visits to this zone.' })
  @IsOptional()
  @Id()
  zoneId?: string | null;
}

const visitPayload = async (ctx: TashilContext, outcome: CommandOutcome, visitId: string): Promise<VisitPayload> => {
  const { entity, ...rest } = await afterCommand(ctx, outcome, 'visits', () => followUpReadModels(ctx).visit(visitId));
  return { ...rest, visit: entity };
};

@Resolver(() => Visit)
export class VisitResolver {
  @Authorized(READ_ROLES.readModels)
  @Query(() => Visit, { nullable: true, description: 'A field visit (بازدید) by id; null when there is none.' })
  visit(@Arg('id', () => ID, { description: 'Id of the field visit (بازدید), as this API issued it.' }) id: string, @Ctx() ctx: TashilContext): Visit | null {
    return followUpReadModels(ctx).visit(id);
  }

  @Authorized(READ_ROLES.readModels)
  @Query(() => VisitConnection, { description: 'Field visits, earliest first, with filters.' })
  visits(@Args(() => VisitsArgs) args: VisitsArgs, @Ctx() ctx: TashilContext): Page<Visit> {
    return followUpReadModels(ctx).visits(args, args);
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => [Visitor], { description: 'Who went (بازدیدکنندگان).' })
  visitors(@Root() visit: Visit, @Ctx() ctx: TashilContext): Promise<Visitor[]> {
    return loaders(ctx).visitors.load(visit.id);
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => [NamedUnit], { description: 'The production units visited (واحدهای بازدیدشده).' })
  units(@Root() visit: Visit, @Ctx() ctx: TashilContext): Promise<NamedUnit[]> {
    return loaders(ctx).visitedUnits.load(visit.id);
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => [VisitFinding], { description: 'What they found, in the order it was written.' })
  findings(@Root() visit: Visit, @Ctx() ctx: TashilContext): Promise<VisitFinding[]> {
    return loaders(ctx).findings.load(visit.id);
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => [Obstacle], { description: 'Obstacles (موانع) raised from this visit, in the order they were raised.' })
  async obstacles(@Root() visit: Visit, @Ctx() ctx: TashilContext): Promise<Obstacle[]> {
    return loadAll(loaders(ctx).obstacle, await loaders(ctx).obstacleIdsOfVisit.load(visit.id));
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => [Commitment], { description: 'Commitments (قول / تعهد) made on this visit, the first 100 in the order they were made.' })
  async commitments(@Root() visit: Visit, @Ctx() ctx: TashilContext): Promise<Commitment[]> {
    const page = await loaders(ctx).commitmentsOfVisit.load({ parent: visit.id, args: { first: 100, after: null } });
    return page.edges.map((e) => e.node);
  }

  @Authorized(rolesFor('RecordVisit'))
  @Mutation(() => VisitPayload, { description: 'Record a field visit (بازدید) to production units or a zone.' })
  async recordVisit(@Arg('input', () => RecordVisitInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: RecordVisitInput, @Ctx() ctx: TashilContext): Promise<VisitPayload> {
    const outcome = await ctx.followUp.recordVisit(input, commandContext(ctx, input));
    return visitPayload(ctx, outcome, outcome.id);
  }

  @Authorized(rolesFor('RecordVisitFindings'))
  @Mutation(() => VisitPayload, { description: 'Add what a visit found (یافته‌ها); raise obstacles from them with `raiseObstacle` and source VISIT.' })
  async recordVisitFindings(
    @Arg('input', () => RecordVisitFindingsInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: RecordVisitFindingsInput,
    @Ctx() ctx: TashilContext,
  ): Promise<VisitPayload> {
    const outcome = await ctx.followUp.recordVisitFindings(input, commandContext(ctx, input));
    return visitPayload(ctx, outcome, input.visitId);
  }
}
