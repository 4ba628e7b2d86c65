import { IsBoolean, IsEnum, IsOptional } from 'class-validator';
import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { READ_ROLES, rolesFor } from '../auth/policy';
import type { CommandOutcome } from '../commands/handler';
import { isOverdue, keptAsPromised, type CommitmentStatus } from '../domain/commitment';
import {
  ExtendCommitmentInput,
  MakeCommitmentInput,
  RecordCommitmentBrokenInput,
  RecordCommitmentKeptInput,
} from './commitment.input';
import { Commitment, CommitmentConnection, CommitmentExtension } from './commitment.type';
import { PageArgs, type Page } from './connection';
import { commandContext, type TashilContext } from './context';
import { CommitmentStatusEnum } from './follow-up.enums';
import { followUpReadModels } from './follow-up.read-models';
import { afterCommand, MutationPayload } from './payload';
import { OptionalText } from './validation';
import { loaders } from './loaders';
import { NamedUnit } from './visit.type';

@ObjectType({ description: 'What a command on a commitment returns.' })
export class CommitmentPayload extends MutationPayload {
  @Field(() => Commitment, { description: 'The commitment after the command.' })
  commitment!: Commitment;
}

@ArgsType()
export class CommitmentsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'County (شهرستان), exactly as recorded, e.g. «اسلامشهر».' })
  @OptionalText(100)
  county?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Words found anywhere in `madeTo`, e.g. «کفش». Compared after Persian normalisation: Arabic ي/ك, half-spaces and Persian digits match their usual forms.',
  })
  @OptionalText(200)
  madeTo?: string | null;

  @Field(() => CommitmentStatusEnum, { nullable: true, description: 'Only commitments in this status.' })
  @IsOptional()
  @IsEnum(CommitmentStatusEnum)
  status?: CommitmentStatus | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'True: only open ones past their (possibly extended) due date, now; false: only those that are not; absent: both.',
  })
  @IsOptional()
  @IsBoolean()
  overdue?: boolean | null;
}

const commitmentPayload = async (ctx: TashilContext, outcome: CommandOutcome, commitmentId: string): Promise<CommitmentPayload> => {
  const { entity, ...rest } = await afterCommand(ctx, outcome, 'commitments', () => followUpReadModels(ctx).commitment(commitmentId));
  return { ...rest, commitment: entity };
};

@Resolver(() => Commitment)
export class CommitmentResolver {
  @Authorized(READ_ROLES.readModels)
  @Query(() => Commitment, { nullable: true, description: 'A commitment (قول / تعهد) by id; null when there is none.' })
  commitment(@Arg('id', () => ID, { description: 'Id of the commitment (قول / تعهد), as this API issued it.' }) id: string, @Ctx() ctx: TashilContext): Commitment | null {
    return followUpReadModels(ctx).commitment(id);
  }

  @Authorized(READ_ROLES.readModels)
  @Query(() => CommitmentConnection, {
    description:
      'Commitments, earliest first, with filters: «which promises to shoe producers in Islamshahr are overdue?» is `commitments(county: "اسلامشهر", madeTo: "کفش", overdue: true)`.',
  })
  commitments(@Args(() => CommitmentsArgs) args: CommitmentsArgs, @Ctx() ctx: TashilContext): Page<Commitment> {
    return followUpReadModels(ctx).commitments(args, args, ctx.now());
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => [NamedUnit], { description: 'The production units it concerns.' })
  units(@Root() commitment: Commitment, @Ctx() ctx: TashilContext): Promise<NamedUnit[]> {
    return loaders(ctx).commitmentUnits.load(commitment.id);
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => [CommitmentExtension], { description: 'Every extension of the due date, oldest first.' })
  extensions(@Root() commitment: Commitment, @Ctx() ctx: TashilContext): Promise<CommitmentExtension[]> {
    return loaders(ctx).extensions.load(commitment.id);
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => Boolean, { description: 'Still open after its (possibly extended) due date, at the time of the query (معوق).' })
  overdue(@Root() commitment: Commitment, @Ctx() ctx: TashilContext): boolean {
    return isOverdue(commitment.state, ctx.now().toISOString());
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => Boolean, {
    description: 'Kept no later than the date first promised: an extension does not make a late promise a punctual one.',
  })
  keptAsPromised(@Root() commitment: Commitment): boolean {
    return keptAsPromised(commitment.state);
  }

  @Authorized(rolesFor('MakeCommitment'))
  @Mutation(() => CommitmentPayload, { description: 'Record a commitment (قول / تعهد) made in a meeting or on a field visit.' })
  async makeCommitment(@Arg('input', () => MakeCommitmentInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: MakeCommitmentInput, @Ctx() ctx: TashilContext): Promise<CommitmentPayload> {
    const outcome = await ctx.followUp.makeCommitment(input, commandContext(ctx, input));
    return commitmentPayload(ctx, outcome, outcome.id);
  }

  @Authorized(rolesFor('RecordCommitmentKept'))
  @Mutation(() => CommitmentPayload, { description: 'Record that an open commitment was kept, with the evidence.' })
  async recordCommitmentKept(
    @Arg('input', () => RecordCommitmentKeptInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: RecordCommitmentKeptInput,
    @Ctx() ctx: TashilContext,
  ): Promise<CommitmentPayload> {
    const outcome = await ctx.followUp.recordCommitmentKept(input, commandContext(ctx, input));
    return commitmentPayload(ctx, outcome, input.commitmentId);
  }

  @Authorized(rolesFor('RecordCommitmentBroken'))
  @Mutation(() => CommitmentPayload, { description: 'Record that an open commitment was broken, with the evidence.' })
  async recordCommitmentBroken(
    @Arg('input', () => RecordCommitmentBrokenInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: RecordCommitmentBrokenInput,
    @Ctx() ctx: TashilContext,
  ): Promise<CommitmentPayload> {
    const outcome = await ctx.followUp.recordCommitmentBroken(input, commandContext(ctx, input));
    return commitmentPayload(ctx, outcome, input.commitmentId);
  }

  @Authorized(rolesFor('ExtendCommitment'))
  @Mutation(() => CommitmentPayload, { description: 'Extend an open commitment to a later due date; the date first promised is kept.' })
  async extendCommitment(@Arg('input', () => ExtendCommitmentInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: ExtendCommitmentInput, @Ctx() ctx: TashilContext): Promise<CommitmentPayload> {
    const outcome = await ctx.followUp.extendCommitment(input, commandContext(ctx, input));
    return commitmentPayload(ctx, outcome, input.commitmentId);
  }
}
