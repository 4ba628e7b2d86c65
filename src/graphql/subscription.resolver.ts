/**
 * Subscriptions (over graphql-ws at `/graphql`, see src/subscriptions/): an
 * obstacle or a meeting changed, a unit's history grew, a resolution became
 * overdue. Each update is read from the read model after its projection
 * applied it, so a client that queries on receiving it sees the same state.
 * Filters are applied here, on the server; the same `@Authorized` rules as
 * the queries guard them.
 */
import { IsEnum, IsOptional, validate } from 'class-validator';
import { GraphQLError } from 'graphql';
import { Args, ArgsType, ArgumentValidationError, Authorized, Field, ID, Resolver, Root, Subscription, type PubSub, type SubscribeResolverData } from 'type-graphql';
import { READ_ROLES } from '../auth/policy';
import { admits, admitsHistoryEntry, type ReadScope } from '../auth/scope';
import { requestScope } from './read-scope';
import type { MeetingStatus } from '../domain/meeting';
import type { ObstacleStatus } from '../domain/obstacle';
import type { LiveConnection } from '../subscriptions/live-updates';
import type { TashilContext } from './context';
import { MeetingStatusEnum, ObstacleStatusEnum } from './enums';
import { Meeting, Resolution } from './meeting.type';
import { Obstacle } from './obstacle.type';
import { TimelineEntry } from './unit.type';
import { Id, OptionalText } from './validation';

/**
 * type-graphql insists on a PubSub once any subscription exists, though ours
 * all bring their own `subscribe` (the live updates): this one refuses use.
 */
export const NO_TOPICS: PubSub = {
  publish: () => {
    throw new Error('subscriptions are fed by the live updates, not by topics');
  },
  subscribe: () => {
    throw new Error('subscriptions are fed by the live updates, not by topics');
  },
};

/** The context of an operation over WebSocket: the request's, plus the connection's live updates. */
export type SubscriptionContext = TashilContext & { live?: LiveConnection };

@ArgsType()
export class ObstacleChangedArgs {
  @Field(() => String, { nullable: true, description: 'Only obstacles of this county.' })
  @OptionalText(100)
  county?: string | null;

  @Field(() => ObstacleStatusEnum, { nullable: true, description: 'Only obstacles that have this status after the change.' })
  @IsOptional()
  @IsEnum(ObstacleStatusEnum)
  status?: ObstacleStatus | null;

  @Field(() => String, { nullable: true, description: 'Only obstacles referred to this lead agency (its name as recorded).' })
  @OptionalText(200)
  leadAgency?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only obstacles referred to this registered agency.' })
  @IsOptional()
  @Id()
  leadAgencyId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only obstacles of this unit.' })
  @IsOptional()
  @Id()
  unitId?: string | null;
}

@ArgsType()
export class MeetingChangedArgs {
  @Field(() => String, { nullable: true, description: 'Only meetings in this county.' })
  @OptionalText(100)
  county?: string | null;

  @Field(() => MeetingStatusEnum, { nullable: true, description: 'Only meetings that have this status after the change.' })
  @IsOptional()
  @IsEnum(MeetingStatusEnum)
  status?: MeetingStatus | null;

  @Field(() => ID, { nullable: true, description: 'Only meetings of this workgroup.' })
  @IsOptional()
  @Id()
  workgroupId?: string | null;
}

@ArgsType()
export class UnitHistoryGrewArgs {
  @Field(() => ID, { description: 'The unit whose history to follow.' })
  @Id()
  unitId!: string;
}

@ArgsType()
export class ResolutionBecameOverdueArgs {
  @Field(() => String, { nullable: true, description: 'Only resolutions of meetings in this county.' })
  @OptionalText(100)
  county?: string | null;

  @Field(() => String, { nullable: true, description: 'Only resolutions led by this agency (its name as recorded).' })
  @OptionalText(200)
  leadAgency?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only resolutions led by this registered agency.' })
  @IsOptional()
  @Id()
  leadAgencyId?: string | null;
}

/** The arguments checked as a query's are; subscribe runs before type-graphql would check them. */
const checked = async <T extends object>(Args: new () => T, args: Record<string, unknown>): Promise<T> => {
  const instance = Object.assign(new Args(), args);
  const errors = await validate(instance, { forbidUnknownValues: true });
  if (errors.length > 0) throw new ArgumentValidationError(errors);
  return instance;
};

const notOverHttp = (): GraphQLError =>
  new GraphQLError('subscriptions run over WebSocket (the graphql-transport-ws protocol) at /graphql, not over HTTP', {
    extensions: { code: 'BAD_REQUEST' },
  });

const liveOf = (context: SubscriptionContext): LiveConnection => {
  if (!context.live) throw notOverHttp();
  return context.live;
};

/** The update being delivered; over HTTP (a plain execution) there is none. */
const delivered = <T>(update: T | undefined): T => {
  if (update === undefined) throw notOverHttp();
  return update;
};

/**
 * What the subscriber may read when an update is sent (src/auth/scope.ts): a
 * place is fixed by the token; an agency's cases are read again for each
 * update, so a case referred elsewhere since the subscription began is no
 * longer sent, and one referred to it since is.
 */
const scopeOf = (context: SubscriptionContext): (() => ReadScope) => {
  const scope = context.readModels.scope;
  return scope.kind === 'AGENCY' ? () => requestScope(context.principal, context.runtime) : () => scope;
};

/** Null and absent filters keep everything. */
const matches = (wanted: string | null | undefined, actual: string | null): boolean => wanted == null || wanted === actual;

type Data = SubscribeResolverData<unknown, Record<string, unknown>, SubscriptionContext>;

@Resolver()
export class SubscriptionResolver {
  @Authorized(READ_ROLES.readModels)
  @Subscription(() => Obstacle, {
    description: 'An obstacle was raised or changed (referred, progressed, resolved, reopened, escalated), in its state after the change.',
    subscribe: async ({ args, context }: Data) => {
      const live = liveOf(context);
      const scope = scopeOf(context);
      const f = await checked(ObstacleChangedArgs, args);
      return live.updates.subscribe(
        'obstacle',
        (o) =>
          admits(scope(), 'obstacle', o) &&
          matches(f.county, o.county) &&
          matches(f.status, o.status) &&
          matches(f.leadAgency, o.leadAgency) &&
          matches(f.leadAgencyId, o.leadAgencyId) &&
          matches(f.unitId, o.unitId),
        live.slowConsumer,
      );
    },
  })
  obstacleChanged(@Root() obstacle: Obstacle, @Args(() => ObstacleChangedArgs) _filters: ObstacleChangedArgs): Obstacle {
    return delivered(obstacle);
  }

  @Authorized(READ_ROLES.readModels)
  @Subscription(() => Meeting, {
    description: 'A meeting was scheduled or changed (agenda, held, resolution recorded, postponed, cancelled), in its state after the change.',
    subscribe: async ({ args, context }: Data) => {
      const live = liveOf(context);
      const scope = scopeOf(context);
      const f = await checked(MeetingChangedArgs, args);
      return live.updates.subscribe(
        'meeting',
        (m) => admits(scope(), 'meeting', m) && matches(f.county, m.county) && matches(f.status, m.status) && matches(f.workgroupId, m.workgroupId),
        live.slowConsumer,
      );
    },
  })
  meetingChanged(@Root() meeting: Meeting, @Args(() => MeetingChangedArgs) _filters: MeetingChangedArgs): Meeting {
    return delivered(meeting);
  }

  @Authorized(READ_ROLES.readModels)
  @Subscription(() => TimelineEntry, {
    description: "Each entry added to a unit's history (`unit { history }`), oldest first. NOT_FOUND for an unknown unit.",
    subscribe: async ({ args, context }: Data) => {
      const live = liveOf(context);
      const { unitId } = await checked(UnitHistoryGrewArgs, args);
      if (!context.readModels.unit(unitId)) throw new GraphQLError(`no unit ${unitId}`, { extensions: { code: 'NOT_FOUND' } });
      const scope = scopeOf(context);
      return live.updates.subscribe('unitHistory', (entry) => admitsHistoryEntry(scope(), entry), live.slowConsumer, unitId);
    },
  })
  unitHistoryGrew(@Root() entry: TimelineEntry, @Args(() => UnitHistoryGrewArgs) _filters: UnitHistoryGrewArgs): TimelineEntry {
    return delivered(entry);
  }

  @Authorized(READ_ROLES.readModels)
  @Subscription(() => Resolution, {
    description:
      'A resolution became overdue (معوق): its deadline passed and it is not settled. Announced once, when the deadline passes (or when it is recorded with a deadline already past).',
    subscribe: async ({ args, context }: Data) => {
      const live = liveOf(context);
      const scope = scopeOf(context);
      const f = await checked(ResolutionBecameOverdueArgs, args);
      return live.updates.subscribe(
        'resolutionOverdue',
        (r) =>
          admits(scope(), 'resolution', { ...r, province: r.course.province, county: r.course.county }) &&
          matches(f.county, r.course.county) && matches(f.leadAgency, r.leadAgency) && matches(f.leadAgencyId, r.leadAgencyId),
        live.slowConsumer,
      );
    },
  })
  resolutionBecameOverdue(@Root() resolution: Resolution, @Args(() => ResolutionBecameOverdueArgs) _filters: ResolutionBecameOverdueArgs): Resolution {
    return delivered(resolution);
  }
}
