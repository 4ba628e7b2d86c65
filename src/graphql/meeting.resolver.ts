import { IsEnum, IsOptional } from 'class-validator';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Authorized } from 'type-graphql';
import { READ_ROLES, rolesFor } from '../auth/policy';
import type { CommandOutcome } from '../commands/handler';
import type { MeetingStatus } from '../domain/meeting';
import { auditTrail } from './audit.resolver';
import { AuditEventConnection } from './audit.type';
import { PageArgs, type Page } from './connection';
import { commandContext, type TashilContext } from './context';
import { MeetingStatusEnum } from './enums';
import {
  AddAgendaItemInput,
  CancelMeetingInput,
  PostponeMeetingInput,
  RecordMeetingHeldInput,
  RecordResolutionInput,
  ScheduleMeetingInput,
} from './meeting.input';
import { AgendaEntry, AgendaItem, Attendee, Meeting, MeetingConnection, Resolution } from './meeting.type';
import { Obstacle } from './obstacle.type';
import { afterCommand, MutationPayload } from './payload';
import { OptionalText } from './validation';
import { loaders } from './loaders';
import { MeetingOrder } from './ordering';
import { meetingOrdering } from './read-models';

@ObjectType({ description: 'What a command on a meeting (جلسه) returns.' })
export class MeetingPayload extends MutationPayload {
  @Field(() => Meeting, { description: 'The meeting after the command.' })
  meeting!: Meeting;
}

@ObjectType({ description: 'What recording a resolution (مصوبه) returns.' })
export class ResolutionPayload extends MutationPayload {
  @Field(() => Resolution, { description: 'The resolution as recorded.' })
  resolution!: Resolution;
}

@ArgsType()
export class MeetingsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only meetings of this county (شهرستان).' })
  @OptionalText(100)
  county?: string | null;

  @Field(() => MeetingStatusEnum, { nullable: true, description: 'Only meetings in this status.' })
  @IsOptional()
  @IsEnum(MeetingStatusEnum)
  status?: MeetingStatus | null;

  @Field(() => MeetingOrder, { nullable: true, description: 'Sort order; by default earliest scheduled first.' })
  @IsOptional()
  orderBy?: MeetingOrder | null;
}

const meetingPayload = async (ctx: TashilContext, outcome: CommandOutcome, meetingId: string): Promise<MeetingPayload> => {
  const { entity, ...rest } = await afterCommand(ctx, outcome, 'meetings', () => ctx.readModels.meeting(meetingId));
  return { ...rest, meeting: entity };
};

@Resolver(() => Meeting)
export class MeetingResolver {
  @Authorized(READ_ROLES.readModels)
  @Query(() => Meeting, { nullable: true, description: 'A meeting by id; null when there is none.' })
  meeting(@Arg('id', () => ID, { description: 'Id of the meeting (جلسه), as this API issued it.' }) id: string, @Ctx() ctx: TashilContext): Meeting | null {
    return ctx.readModels.meeting(id);
  }

  @Authorized(READ_ROLES.readModels)
  @Query(() => MeetingConnection, { description: 'Meetings by scheduled time, earliest first, with filters.' })
  meetings(@Args(() => MeetingsArgs) args: MeetingsArgs, @Ctx() ctx: TashilContext): Page<Meeting> {
    return ctx.readModels.meetings(args, args, meetingOrdering(args.orderBy?.field, args.orderBy?.direction));
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => [AgendaItem], {
    description: 'Its agenda (دستور جلسه): units and units’ obstacles to review, in the order they were added.',
    deprecationReason: 'Use `items`: it also holds a whole zone’s obstacle, which has no unit and so cannot be an AgendaItem.',
  })
  async agenda(@Root() meeting: Meeting, @Ctx() ctx: TashilContext): Promise<AgendaItem[]> {
    return (await loaders(ctx).agenda.load(meeting.id)).flatMap(({ zoneId: _zone, unitId, ...item }) => (unitId === null ? [] : [{ ...item, unitId }]));
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => [AgendaEntry], { description: 'Its agenda (دستور جلسه): units, units’ obstacles and zones’ obstacles to review, in the order they were added.' })
  items(@Root() meeting: Meeting, @Ctx() ctx: TashilContext): Promise<AgendaEntry[]> {
    return loaders(ctx).agenda.load(meeting.id);
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => [Attendee], { description: 'Who attended (حاضران); empty until the meeting is held.' })
  attendees(@Root() meeting: Meeting, @Ctx() ctx: TashilContext): Promise<Attendee[]> {
    return loaders(ctx).attendees.load(meeting.id);
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => [Resolution], { description: 'Resolutions (مصوبات) recorded in it, in the order they were recorded.' })
  resolutions(@Root() meeting: Meeting, @Ctx() ctx: TashilContext): Promise<Resolution[]> {
    return loaders(ctx).resolutionsOfMeeting.load(meeting.id);
  }

  @Authorized(READ_ROLES.auditTrail)
  @FieldResolver(() => AuditEventConnection, { description: "Every event of the meeting's stream." })
  auditTrail(@Root() meeting: Meeting, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: TashilContext) {
    return auditTrail(ctx, 'MEETING', meeting.id, page);
  }

  @Authorized(rolesFor('ScheduleMeeting'))
  @Mutation(() => MeetingPayload, { description: 'Schedule a meeting of a county workgroup.' })
  async scheduleMeeting(@Arg('input', () => ScheduleMeetingInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: ScheduleMeetingInput, @Ctx() ctx: TashilContext): Promise<MeetingPayload> {
    const outcome = await ctx.commands.scheduleMeeting(input, commandContext(ctx, input));
    return meetingPayload(ctx, outcome, outcome.id);
  }

  @Authorized(rolesFor('AddAgendaItem'))
  @Mutation(() => MeetingPayload, { description: 'Put a unit or obstacle on the agenda of a meeting that has not taken place.' })
  async addAgendaItem(@Arg('input', () => AddAgendaItemInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: AddAgendaItemInput, @Ctx() ctx: TashilContext): Promise<MeetingPayload> {
    const outcome = await ctx.commands.addAgendaItem(input, commandContext(ctx, input));
    return meetingPayload(ctx, outcome, input.meetingId);
  }

  @Authorized(rolesFor('RecordMeetingHeld'))
  @Mutation(() => MeetingPayload, { description: 'Record that the meeting was held, with attendees and minutes.' })
  async recordMeetingHeld(
    @Arg('input', () => RecordMeetingHeldInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: RecordMeetingHeldInput,
    @Ctx() ctx: TashilContext,
  ): Promise<MeetingPayload> {
    const attendees = input.attendees.map((a) => ({ name: a.name, agency: a.agency, role: a.role ?? null }));
    const outcome = await ctx.commands.recordMeetingHeld({ ...input, attendees }, commandContext(ctx, input));
    return meetingPayload(ctx, outcome, input.meetingId);
  }

  @Authorized(rolesFor('RecordResolution'))
  @Mutation(() => ResolutionPayload, { description: 'Record a resolution in a held meeting.' })
  async recordResolution(
    @Arg('input', () => RecordResolutionInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: RecordResolutionInput,
    @Ctx() ctx: TashilContext,
  ): Promise<ResolutionPayload> {
    const outcome = await ctx.commands.recordResolution(input, commandContext(ctx, input));
    const { entity, ...rest } = await afterCommand(ctx, outcome, 'meetings', () => ctx.readModels.resolution(outcome.id));
    return { ...rest, resolution: entity };
  }

  @Authorized(rolesFor('PostponeMeeting'))
  @Mutation(() => MeetingPayload, { description: 'Postpone a meeting to a later time.' })
  async postponeMeeting(@Arg('input', () => PostponeMeetingInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: PostponeMeetingInput, @Ctx() ctx: TashilContext): Promise<MeetingPayload> {
    const outcome = await ctx.commands.postponeMeeting(input, commandContext(ctx, input));
    return meetingPayload(ctx, outcome, input.meetingId);
  }

  @Authorized(rolesFor('CancelMeeting'))
  @Mutation(() => MeetingPayload, { description: 'Cancel a meeting that has not taken place.' })
  async cancelMeeting(@Arg('input', () => CancelMeetingInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: CancelMeetingInput, @Ctx() ctx: TashilContext): Promise<MeetingPayload> {
    const outcome = await ctx.commands.cancelMeeting(input, commandContext(ctx, input));
    return meetingPayload(ctx, outcome, input.meetingId);
  }
}

@Resolver(() => Resolution)
export class ResolutionResolver {
  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => Meeting, { nullable: true, description: 'The meeting (جلسه) that recorded it.' })
  meeting(@Root() resolution: Resolution, @Ctx() ctx: TashilContext): Promise<Meeting | null> {
    return loaders(ctx).meeting.load(resolution.meetingId);
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => Obstacle, { nullable: true, description: 'The obstacle (مانع / پرونده) it is about, if any.' })
  async obstacle(@Root() resolution: Resolution, @Ctx() ctx: TashilContext): Promise<Obstacle | null> {
    return resolution.obstacleId ? loaders(ctx).obstacle.load(resolution.obstacleId) : null;
  }
}

