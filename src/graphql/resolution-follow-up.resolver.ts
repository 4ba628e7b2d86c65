import { IsBoolean, IsEnum, IsOptional } from 'class-validator';
import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { READ_ROLES, rolesFor } from '../auth/policy';
import { formatJalali } from '../calendar/jalali';
import type { Settled } from '../commands/follow-up';
import type { CommandOutcome } from '../commands/handler';
import { implementedOnTime, isOverdue, type ResolutionOutcome, type ResolutionStatus } from '../domain/resolution';
import { PageArgs, type Page } from './connection';
import { commandContext, type TashilContext } from './context';
import { ResolutionOutcomeEnum, ResolutionStatusEnum } from './follow-up.enums';
import { followUpReadModels } from './follow-up.read-models';
import { Resolution, type Meeting } from './meeting.type';
import { Obstacle } from './obstacle.type';
import { afterCommand, MutationPayload } from './payload';
import {
  CommunicateResolutionInput,
  DecideObjectionInput,
  ObjectToResolutionInput,
  RecordResolutionOutcomeInput,
  ReportResolutionProgressInput,
} from './resolution-follow-up.input';
import { ResolutionConnection, ResolutionObjection, type ResolutionCourse, type ResolutionWithCourse } from './resolution-follow-up.type';
import { OptionalText } from './validation';
import { loaders } from './loaders';
import { ResolutionOrder } from './ordering';
import { resolutionOrdering } from './read-models';

@ObjectType({ description: 'What a command on a resolution’s course returns.' })
export class ResolutionFollowUpPayload extends MutationPayload {
  @Field(() => Resolution, { description: 'The resolution after the command.' })
  resolution!: Resolution;

  @Field(() => Obstacle, {
    nullable: true,
    description: 'The case this command closed (مختومه) by settling its last unsettled resolution; null when it closed none.',
  })
  closedObstacle!: Obstacle | null;
}

@ArgsType()
export class ResolutionsArgs extends PageArgs {
  @Field(() => ResolutionStatusEnum, { nullable: true, description: 'Only resolutions in this status.' })
  @IsOptional()
  @IsEnum(ResolutionStatusEnum)
  status?: ResolutionStatus | null;

  @Field(() => String, { nullable: true, description: 'The lead agency (دستگاه مسئول), exactly as recorded.' })
  @OptionalText(200)
  leadAgency?: string | null;

  @Field(() => String, { nullable: true, description: 'The county of the meeting that recorded it.' })
  @OptionalText(100)
  county?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'True: only those past their deadline and not settled, now; false: only those that are not; absent: both.',
  })
  @IsOptional()
  @IsBoolean()
  overdue?: boolean | null;

  @Field(() => ResolutionOrder, { nullable: true, description: 'Sort order; by default oldest recorded first.' })
  @IsOptional()
  orderBy?: ResolutionOrder | null;
}

/**
 * A resolution's course: carried by the roots the follow-up queries return,
 * looked up (batched, once per root) for those other resolvers return (a
 * meeting's resolutions). Until the projection has it, a resolution is as recorded.
 */
const courses = new WeakMap<Resolution, Promise<ResolutionCourse>>();
const courseOf = (root: Resolution, ctx: TashilContext): Promise<ResolutionCourse> => {
  const carried = (root as Partial<ResolutionWithCourse>).course;
  if (carried) return Promise.resolve(carried);
  let course = courses.get(root);
  if (!course) {
    course = loaders(ctx)
      .resolution.load(root.id)
      .then(async (found) => found?.course ?? recordedCourse(root, await loaders(ctx).meeting.load(root.meetingId)));
    courses.set(root, course);
  }
  return course;
};

const recordedCourse = (root: Resolution, meeting: Meeting | null): ResolutionCourse => ({
  status: 'RECORDED',
  province: meeting?.province ?? '',
  county: meeting?.county ?? '',
  communicatedAt: null,
  objectionWindowDays: null,
  objectionDeadline: null,
  objection: null,
  progressReports: 0,
  lastProgressNote: null,
  lastProgressAt: null,
  outcome: null,
  outcomeNote: null,
  settledAt: null,
  revision: '0',
  state: {
    status: 'RECORDED',
    resolutionId: root.id,
    meetingId: root.meetingId,
    text: root.text,
    leadAgency: root.leadAgency,
    cooperatingAgencies: root.cooperatingAgencies,
    deadline: root.deadline.toISOString(),
    obstacleId: root.obstacleId,
    unitId: root.unitId,
    recordedAt: root.recordedAt.toISOString(),
    communicatedAt: null,
    objectionDeadline: null,
    objection: null,
    settledAt: null,
  },
});

const jalali = (date: Date | null, persianDigits: boolean, withTime: boolean): string | null =>
  date === null ? null : formatJalali(date, { persianDigits, withTime });
const PERSIAN_DIGITS = { defaultValue: false, description: 'Persian digits (۱۴۰۳/۰۹/۱۲).' };
const WITH_TIME = { defaultValue: false, description: 'Add the Tehran time (HH:mm).' };
const jalaliOf = (field: string) => ({ nullable: true, description: `\`${field}\` in the Solar Hijri calendar (تاریخ شمسی), Tehran time.` });

const resolutionPayload = async (
  ctx: TashilContext,
  resolutionId: string,
  outcome: CommandOutcome,
  closed: CommandOutcome | null = null,
): Promise<ResolutionFollowUpPayload> => {
  let closedObstacle: Obstacle | null = null;
  if (closed !== null) {
    await ctx.runtime.waitForPosition(closed.position, ctx.readYourWritesTimeoutMs, ['obstacles']);
    closedObstacle = ctx.readModels.obstacle(closed.streamName.slice('obstacle-'.length));
  }
  const { entity, ...rest } = await afterCommand(ctx, outcome, 'resolutions', () => followUpReadModels(ctx).resolution(resolutionId));
  return { ...rest, resolution: entity, closedObstacle };
};

const settledPayload = (ctx: TashilContext, resolutionId: string, settled: Settled): Promise<ResolutionFollowUpPayload> => {
  const { closedObstacle, ...outcome } = settled;
  return resolutionPayload(ctx, resolutionId, outcome, closedObstacle);
};

/** A resolution's course after its meeting (ابلاغ، اعتراض، پیشرفت، نتیجه), on the `Resolution` type itself. */
@Resolver(() => Resolution)
export class ResolutionFollowUpResolver {
  @Authorized(READ_ROLES.readModels)
  @Query(() => Resolution, { nullable: true, description: 'A resolution (مصوبه) by id, with its course; null when there is none.' })
  resolution(@Arg('id', () => ID, { description: 'Id of the resolution (مصوبه), as this API issued it.' }) id: string, @Ctx() ctx: TashilContext): Resolution | null {
    return followUpReadModels(ctx).resolution(id);
  }

  @Authorized(READ_ROLES.readModels)
  @Query(() => ResolutionConnection, {
    description: 'Resolutions, oldest first, with filters; `overdue` is judged against the clock at the time of the query.',
  })
  resolutions(@Args(() => ResolutionsArgs) args: ResolutionsArgs, @Ctx() ctx: TashilContext): Page<Resolution> {
    return followUpReadModels(ctx).resolutions(args, args, ctx.now(), resolutionOrdering(args.orderBy?.field, args.orderBy?.direction));
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => ResolutionStatusEnum, { description: 'Where it stands (وضعیت مصوبه).' })
  async status(@Root() resolution: Resolution, @Ctx() ctx: TashilContext): Promise<ResolutionStatus> {
    return (await courseOf(resolution, ctx)).status;
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => String, { description: 'Province of the meeting that recorded it.' })
  async province(@Root() resolution: Resolution, @Ctx() ctx: TashilContext): Promise<string> {
    return (await courseOf(resolution, ctx)).province;
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => String, { description: 'County of the meeting that recorded it (شهرستان).' })
  async county(@Root() resolution: Resolution, @Ctx() ctx: TashilContext): Promise<string> {
    return (await courseOf(resolution, ctx)).county;
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => Date, { nullable: true, description: 'When it was communicated to the agencies (ابلاغ).' })
  async communicatedAt(@Root() resolution: Resolution, @Ctx() ctx: TashilContext): Promise<Date | null> {
    return (await courseOf(resolution, ctx)).communicatedAt;
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => Int, { nullable: true, description: 'Days the lead agency had to object, set when it was communicated.' })
  async objectionWindowDays(@Root() resolution: Resolution, @Ctx() ctx: TashilContext): Promise<number | null> {
    return (await courseOf(resolution, ctx)).objectionWindowDays;
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => Date, { nullable: true, description: 'The last moment an objection (اعتراض) is accepted.' })
  async objectionDeadline(@Root() resolution: Resolution, @Ctx() ctx: TashilContext): Promise<Date | null> {
    return (await courseOf(resolution, ctx)).objectionDeadline;
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => ResolutionObjection, { nullable: true, description: 'The lead agency’s objection (اعتراض), if it made one.' })
  async objection(@Root() resolution: Resolution, @Ctx() ctx: TashilContext): Promise<ResolutionObjection | null> {
    return (await courseOf(resolution, ctx)).objection;
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => Int, { description: 'How many progress reports (گزارش پیشرفت) were made.' })
  async progressReports(@Root() resolution: Resolution, @Ctx() ctx: TashilContext): Promise<number> {
    return (await courseOf(resolution, ctx)).progressReports;
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => String, { nullable: true, description: 'The latest progress report (گزارش پیشرفت), as written.' })
  async lastProgressNote(@Root() resolution: Resolution, @Ctx() ctx: TashilContext): Promise<string | null> {
    return (await courseOf(resolution, ctx)).lastProgressNote;
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => Date, { nullable: true, description: 'When progress was last reported.' })
  async lastProgressAt(@Root() resolution: Resolution, @Ctx() ctx: TashilContext): Promise<Date | null> {
    return (await courseOf(resolution, ctx)).lastProgressAt;
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => ResolutionOutcomeEnum, { nullable: true, description: 'How it ended (اجرا شد، اجرا نشد، بلااقدام); null until then.' })
  async outcome(@Root() resolution: Resolution, @Ctx() ctx: TashilContext): Promise<ResolutionOutcome | null> {
    return (await courseOf(resolution, ctx)).outcome;
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => String, { nullable: true, description: 'The note recorded with the outcome.' })
  async outcomeNote(@Root() resolution: Resolution, @Ctx() ctx: TashilContext): Promise<string | null> {
    return (await courseOf(resolution, ctx)).outcomeNote;
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => Date, { nullable: true, description: 'When it was settled: its outcome recorded, or withdrawn.' })
  async settledAt(@Root() resolution: Resolution, @Ctx() ctx: TashilContext): Promise<Date | null> {
    return (await courseOf(resolution, ctx)).settledAt;
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => Boolean, {
    description: 'Past its deadline and not settled, at the time of the query (معوق). A settled resolution is never overdue, however late it settled.',
  })
  async overdue(@Root() resolution: Resolution, @Ctx() ctx: TashilContext): Promise<boolean> {
    return isOverdue((await courseOf(resolution, ctx)).state, ctx.now().toISOString());
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => Boolean, { description: 'Recorded as implemented no later than its deadline (اجرا در مهلت).' })
  async implementedOnTime(@Root() resolution: Resolution, @Ctx() ctx: TashilContext): Promise<boolean> {
    return implementedOnTime((await courseOf(resolution, ctx)).state);
  }

  @Authorized(READ_ROLES.readModels)
  @FieldResolver(() => String, { description: "Revision of the resolution's stream, for `expectedRevision`." })
  async revision(@Root() resolution: Resolution, @Ctx() ctx: TashilContext): Promise<string> {
    return (await courseOf(resolution, ctx)).revision;
  }

  @FieldResolver(() => String, jalaliOf('communicatedAt'))
  async communicatedAtJalali(
    @Root() resolution: Resolution,
    @Arg('persianDigits', () => Boolean, PERSIAN_DIGITS) persianDigits: boolean,
    @Arg('withTime', () => Boolean, WITH_TIME) withTime: boolean,
    @Ctx() ctx: TashilContext,
  ): Promise<string | null> {
    return jalali((await courseOf(resolution, ctx)).communicatedAt, persianDigits, withTime);
  }

  @FieldResolver(() => String, jalaliOf('objectionDeadline'))
  async objectionDeadlineJalali(
    @Root() resolution: Resolution,
    @Arg('persianDigits', () => Boolean, PERSIAN_DIGITS) persianDigits: boolean,
    @Arg('withTime', () => Boolean, WITH_TIME) withTime: boolean,
    @Ctx() ctx: TashilContext,
  ): Promise<string | null> {
    return jalali((await courseOf(resolution, ctx)).objectionDeadline, persianDigits, withTime);
  }

  @FieldResolver(() => String, jalaliOf('lastProgressAt'))
  async lastProgressAtJalali(
    @Root() resolution: Resolution,
    @Arg('persianDigits', () => Boolean, PERSIAN_DIGITS) persianDigits: boolean,
    @Arg('withTime', () => Boolean, WITH_TIME) withTime: boolean,
    @Ctx() ctx: TashilContext,
  ): Promise<string | null> {
    return jalali((await courseOf(resolution, ctx)).lastProgressAt, persianDigits, withTime);
  }

  @FieldResolver(() => String, jalaliOf('settledAt'))
  async settledAtJalali(
    @Root() resolution: Resolution,
    @Arg('persianDigits', () => Boolean, PERSIAN_DIGITS) persianDigits: boolean,
    @Arg('withTime', () => Boolean, WITH_TIME) withTime: boolean,
    @Ctx() ctx: TashilContext,
  ): Promise<string | null> {
    return jalali((await courseOf(resolution, ctx)).settledAt, persianDigits, withTime);
  }

  @Authorized(rolesFor('CommunicateResolution'))
  @Mutation(() => ResolutionFollowUpPayload, {
    description: 'Communicate a recorded resolution to the agencies (ابلاغ); the lead agency’s objection window opens now.',
  })
  async communicateResolution(
    @Arg('input', () => CommunicateResolutionInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: CommunicateResolutionInput,
    @Ctx() ctx: TashilContext,
  ): Promise<ResolutionFollowUpPayload> {
    const outcome = await ctx.followUp.communicateResolution(input, commandContext(ctx, input));
    return resolutionPayload(ctx, input.resolutionId, outcome);
  }

  @Authorized(rolesFor('ObjectToResolution'))
  @Mutation(() => ResolutionFollowUpPayload, {
    description:
      'The lead agency objects (اعتراض) to a communicated resolution, within the window and only once; after the window it is INVALID_TRANSITION, by another agency FORBIDDEN.',
  })
  async objectToResolution(
    @Arg('input', () => ObjectToResolutionInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: ObjectToResolutionInput,
    @Ctx() ctx: TashilContext,
  ): Promise<ResolutionFollowUpPayload> {
    const outcome = await ctx.followUp.objectToResolution(input, commandContext(ctx, input));
    return resolutionPayload(ctx, input.resolutionId, outcome);
  }

  @Authorized(rolesFor('DecideObjection'))
  @Mutation(() => ResolutionFollowUpPayload, {
    description: 'Decide an objection: accepted withdraws the resolution (and may close its case), rejected lets it stand.',
  })
  async decideObjection(@Arg('input', () => DecideObjectionInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: DecideObjectionInput, @Ctx() ctx: TashilContext): Promise<ResolutionFollowUpPayload> {
    return settledPayload(ctx, input.resolutionId, await ctx.followUp.decideObjection(input, commandContext(ctx, input)));
  }

  @Authorized(rolesFor('ReportResolutionProgress'))
  @Mutation(() => ResolutionFollowUpPayload, { description: 'Report progress on a communicated resolution (گزارش پیشرفت).' })
  async reportResolutionProgress(
    @Arg('input', () => ReportResolutionProgressInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: ReportResolutionProgressInput,
    @Ctx() ctx: TashilContext,
  ): Promise<ResolutionFollowUpPayload> {
    const outcome = await ctx.followUp.reportResolutionProgress(input, commandContext(ctx, input));
    return resolutionPayload(ctx, input.resolutionId, outcome);
  }

  @Authorized(rolesFor('RecordResolutionOutcome'))
  @Mutation(() => ResolutionFollowUpPayload, {
    description:
      'Record how a resolution ended (اجرا شد، اجرا نشد، بلااقدام). Settling the last unsettled resolution of a case closes the case (مختومه).',
  })
  async recordResolutionOutcome(
    @Arg('input', () => RecordResolutionOutcomeInput, { description: 'The command: what to record, with the options every mutation takes (idempotencyKey, expectedRevision, correlationId).' }) input: RecordResolutionOutcomeInput,
    @Ctx() ctx: TashilContext,
  ): Promise<ResolutionFollowUpPayload> {
    return settledPayload(ctx, input.resolutionId, await ctx.followUp.recordResolutionOutcome(input, commandContext(ctx, input)));
  }
}
