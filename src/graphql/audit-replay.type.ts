import { IsArray, IsDate, IsEnum, IsOptional } from 'class-validator';
import { GraphQLJSON, GraphQLJSONObject } from 'graphql-scalars';
import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ChangeKind, Json, TimeBasis } from '../audit/replay';
import type { BrokenLinkReason } from '../audit/hash-chain';
import { AuditEvent } from './audit.type';
import { Connection, PageArgs } from './connection';
import { AggregateKindEnum, type AggregateKind } from './enums';
import { OptionalText, Revision, TextList } from './validation';

// ─── Enums ─────────────────────────────────────────────────────────────────

export const TimeBasisEnum = { RECORDED: 'RECORDED', OCCURRED: 'OCCURRED' } as const satisfies Record<TimeBasis, TimeBasis>;
export const ChangeKindEnum = { ADDED: 'ADDED', REMOVED: 'REMOVED', CHANGED: 'CHANGED' } as const satisfies Record<ChangeKind, ChangeKind>;
export const BrokenLinkReasonEnum = {
  CONTENT_ALTERED: 'CONTENT_ALTERED',
  CHAIN_BROKEN: 'CHAIN_BROKEN',
  MISSING_EVENT: 'MISSING_EVENT',
  OUT_OF_ORDER: 'OUT_OF_ORDER',
  HASH_REMOVED: 'HASH_REMOVED',
  HEAD_MISMATCH: 'HEAD_MISMATCH',
} as const satisfies Record<BrokenLinkReason, BrokenLinkReason>;

registerEnumType(TimeBasisEnum, {
  name: 'TimeBasis',
  description: 'Which clock a time refers to.',
  valuesConfig: {
    RECORDED: { description: 'When the event store committed the event (`recordedAt`): the system\'s own, tamper-evident order.' },
    OCCURRED: { description: 'When the command was decided (`occurredAt`): the business time, which a client may have back-dated.' },
  },
});
registerEnumType(ChangeKindEnum, {
  name: 'ChangeKind',
  description: 'How a field of the state changed.',
  valuesConfig: {
    ADDED: { description: 'The field had no value before this step.' },
    REMOVED: { description: 'The field has no value after this step.' },
    CHANGED: { description: 'The field had a value before and a different one after.' },
  },
});
registerEnumType(BrokenLinkReasonEnum, {
  name: 'BrokenLinkReason',
  description: 'Why the hash chain does not hold at an event.',
  valuesConfig: {
    CONTENT_ALTERED: { description: 'The event no longer gives the hash it carries: its data, metadata, type or place was changed.' },
    CHAIN_BROKEN: { description: "The event's previousHash is not the hash of the event now before it." },
    MISSING_EVENT: { description: 'A revision is missing before this event: an event was deleted.' },
    OUT_OF_ORDER: { description: 'This revision was committed after a later one of its stream (rows moved).' },
    HASH_REMOVED: { description: 'The event names a previous hash but carries no hash of its own: its hash was removed.' },
    HEAD_MISMATCH: { description: 'A stream head published earlier is not in the store as published.' },
  },
});

// ─── Replay ────────────────────────────────────────────────────────────────

@ObjectType({ description: "One field of an aggregate's state that an event changed." })
export class FieldChange {
  @Field({ description: 'Dotted path from the root of the state, e.g. `status`, `attendees.0.agency` (`$` for the whole state).' })
  path!: string;

  @Field(() => ChangeKindEnum, { description: 'Added, removed or changed.' })
  change!: ChangeKind;

  @Field(() => GraphQLJSON, { nullable: true, description: 'The value before the event (null when ADDED).' })
  before!: Json;

  @Field(() => GraphQLJSON, { nullable: true, description: 'The value after the event (null when REMOVED).' })
  after!: Json;
}

@ObjectType({ description: "One step of an aggregate's history: the event, who did it and why, and the state it left." })
export class ReplayStep {
  @Field(() => AuditEvent, { description: 'The event as recorded, with who, when, why and its hashes.' })
  event!: AuditEvent;

  @Field(() => GraphQLJSONObject, { description: "The aggregate's state after this event, folded from the first event with today's code." })
  state!: Record<string, unknown>;

  @Field(() => [FieldChange], { description: 'What this event changed, field by field, against the state before it.' })
  changes!: FieldChange[];
}

export const ReplayStepConnection = Connection(ReplayStep, 'ReplayStep');

@ArgsType()
export class ReplayArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only steps by this actor (the subject recorded on the event).' })
  @OptionalText(200)
  actor?: string | null;

  @Field(() => [String], { nullable: true, description: 'Only steps of these event types, e.g. ["ObstacleReferred", "ObstacleResolved"].' })
  @IsOptional()
  @IsArray()
  @TextList(50, 100)
  eventTypes?: string[] | null;

  @Field(() => Date, { nullable: true, description: 'Only steps at or after this time (ISO-8601 or Jalali, e.g. 1403/07/01), on the clock `by` names.' })
  @IsOptional()
  @IsDate()
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only steps at or before this time, on the clock `by` names.' })
  @IsOptional()
  @IsDate()
  to?: Date | null;

  @Field(() => TimeBasisEnum, { nullable: true, description: 'The clock `from` and `to` refer to (default RECORDED).' })
  @IsOptional()
  @IsEnum(TimeBasisEnum)
  by?: TimeBasis | null;
}

// ─── As of ─────────────────────────────────────────────────────────────────

@ArgsType()
export class StateAsOfArgs {
  @Field(() => Date, {
    nullable: true,
    description:
      'The state after the last event at or before this moment: ISO-8601 or Jalali (1403/07/01, 1403/07/01 14:30), Tehran time. ' +
      'A date alone means its first moment (00:00).',
  })
  @IsOptional()
  @IsDate()
  at?: Date | null;

  @Field(() => String, { nullable: true, description: 'The state after this revision (decimal string).' })
  @Revision()
  revision?: string | null;

  @Field(() => TimeBasisEnum, { defaultValue: 'RECORDED', description: 'The clock `at` refers to.' })
  @IsEnum(TimeBasisEnum)
  by!: TimeBasis;
}

@ObjectType({ description: 'An aggregate as it stood at a moment or revision, folded from its events (never read from a read model).' })
export class AggregateStateAsOf {
  @Field(() => AggregateKindEnum, { description: 'What kind of thing it is.' })
  kind!: AggregateKind;

  @Field(() => ID, { description: 'Its id.' })
  id!: string;

  @Field({ description: 'Its event stream, `<kind>-<id>`.' })
  streamName!: string;

  @Field(() => Date, { nullable: true, description: 'The moment asked about, if any.' })
  at!: Date | null;

  @Field(() => TimeBasisEnum, { description: 'The clock `at` was compared with.' })
  by!: TimeBasis;

  @Field(() => String, { nullable: true, description: 'Revision of the last event folded (decimal string); null when the aggregate did not exist yet.' })
  revision!: string | null;

  @Field(() => Int, { description: 'Events folded.' })
  eventsApplied!: number;

  @Field({ description: 'Whether the aggregate existed at that point (at least one event was folded).' })
  exists!: boolean;

  @Field(() => GraphQLJSONObject, { description: "The aggregate's state: its initial state (e.g. {\"status\": \"absent\"}) when it did not exist yet." })
  state!: Record<string, unknown>;

  @Field(() => AuditEvent, { nullable: true, description: 'The last event folded.' })
  lastEvent!: AuditEvent | null;
}

// ─── Integrity ─────────────────────────────────────────────────────────────

@ObjectType({ description: 'Where the hash chain does not hold.' })
export class BrokenLink {
  @Field({ description: 'The stream whose chain breaks.' })
  streamName!: string;

  @Field({ description: 'Revision of the event the break was found at (decimal string).' })
  revision!: string;

  @Field(() => String, { nullable: true, description: 'Its global position; null for a published head that is no longer there.' })
  position!: string | null;

  @Field(() => BrokenLinkReasonEnum, { description: 'What is wrong at that point of the chain.' })
  reason!: BrokenLinkReason;

  @Field(() => String, { nullable: true, description: 'What the chain says should be there: a hash, or a revision.' })
  expected!: string | null;

  @Field(() => String, { nullable: true, description: 'What is there.' })
  actual!: string | null;
}

@ObjectType({ description: "A stream's newest event and its hash: published outside the system, it pins the stream's whole history up to it." })
export class StreamHead {
  @Field({ description: 'The stream.' })
  streamName!: string;

  @Field({ description: 'Decimal string.' })
  revision!: string;

  @Field({ description: 'Decimal string.' })
  position!: string;

  @Field(() => String, { nullable: true, description: 'Null when the newest event carries no hash.' })
  hash!: string | null;
}

@ObjectType({ description: 'The hash chain, recomputed from the stored events.' })
export class IntegrityReport {
  @Field({ description: 'True when every hash and every link holds.' })
  ok!: boolean;

  @Field(() => String, { nullable: true, description: 'The stream checked; null for the whole store.' })
  streamName!: string | null;

  @Field(() => Int, { description: 'Streams whose chain was walked.' })
  streamsChecked!: number;

  @Field(() => Int, { description: 'Events whose hash was checked.' })
  eventsChecked!: number;

  @Field(() => Int, { description: 'Events that carry no hash (appended by other tools): not evidence of tampering, but not protected either.' })
  eventsUnhashed!: number;

  @Field(() => BrokenLink, { nullable: true, description: 'The first break: in commit order for the whole store, in revision order for one stream.' })
  firstBrokenLink!: BrokenLink | null;

  @Field(() => [BrokenLink], { description: 'The first break of every broken stream.' })
  brokenLinks!: BrokenLink[];

  @Field(() => [StreamHead], { description: 'The newest event of every stream checked, by stream name.' })
  heads!: StreamHead[];

  @Field({ description: 'SHA-256 over all the heads (as `tashil audit heads` prints it): one value to publish, e.g. in the minutes.' })
  headsDigest!: string;
}

// ─── Causation ─────────────────────────────────────────────────────────────

@ObjectType({ description: 'An event that one user action or command caused.' })
export class CausedEvent {
  @Field(() => ID, { description: 'Unique id of the event.' })
  eventId!: string;

  @Field({ description: 'Its stream, `<kind>-<id>`.' })
  streamName!: string;

  @Field({ description: 'Revision within its stream (decimal string).' })
  revision!: string;

  @Field({ description: 'Global position in the store (decimal string).' })
  position!: string;

  @Field({ description: 'Event type, e.g. ObstacleResolved.' })
  type!: string;

  @Field(() => String, { nullable: true, description: 'The command that produced it, e.g. ResolveObstacle.' })
  command!: string | null;

  @Field(() => ID, { nullable: true, description: 'Id of that command.' })
  commandId!: string | null;

  @Field(() => ID, { nullable: true, description: 'Id shared by everything one user action caused.' })
  correlationId!: string | null;

  @Field(() => ID, { nullable: true, description: 'What caused it: the command, or the event a process reacted to.' })
  causationId!: string | null;

  @Field(() => String, { nullable: true, description: 'Who did it.' })
  actor!: string | null;

  @Field(() => Date, { description: 'When the store recorded it.' })
  recordedAt!: Date;

  @Field(() => Int, { description: 'Steps from the command asked about: 0 for its own events, 1 for what they caused, and so on.' })
  depth!: number;
}

@ObjectType({ description: 'Everything one user action (correlation id) or one command caused, across streams, in commit order.' })
export class CausationTrace {
  @Field(() => ID, { nullable: true, description: 'The correlation id asked about, if any.' })
  correlationId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The command id asked about, if any.' })
  commandId!: string | null;

  @Field(() => [CausedEvent], { description: 'Every event it caused, in the order recorded.' })
  events!: CausedEvent[];

  @Field(() => [String], { description: 'The streams touched, in the order first touched.' })
  streams!: string[];

  @Field({ description: 'More events were found than returned (raise `first`).' })
  truncated!: boolean;
}
