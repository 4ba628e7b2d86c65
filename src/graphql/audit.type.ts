import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from './connection';

@ObjectType({ description: 'One recorded event, exactly as stored, with who did it and why.' })
export class AuditEvent {
  @Field(() => ID, { description: 'Unique id of the event; derived from the idempotency key when one was sent.' })
  eventId!: string;

  @Field({ description: 'Event type, e.g. ObstacleResolved.' })
  type!: string;

  @Field(() => Int, { description: "Version of the event's data shape." })
  schemaVersion!: number;

  @Field({ description: 'The stream it belongs to, `<kind>-<id>`.' })
  streamName!: string;

  @Field({ description: 'Revision within the stream, from 0 (decimal string: may exceed 2^53 in EventStoreDB).' })
  revision!: string;

  @Field({ description: 'Global position in the store (decimal string).' })
  position!: string;

  @Field(() => Date, { description: 'When the store recorded it.' })
  recordedAt!: Date;

  @Field(() => Date, { description: 'When what it records happened, as the command said (its `occurredAt`, else when it was decided). Compare `recordedAt`: a late entry is recorded well after.' })
  occurredAt!: Date;

  @Field(() => Float, { description: 'Seconds between when it happened and when it was recorded (negative within a client clock’s skew).' })
  entryDelaySeconds!: number;

  @Field({ description: 'Recorded more than a day after it happened: a late entry, as an auditor looks for.' })
  recordedLate!: boolean;

  @Field({ description: 'Who did it (the subject of the caller).' })
  actor!: string;

  @Field({ description: 'Command that produced it, e.g. ResolveObstacle.' })
  command!: string;

  @Field(() => ID, { description: 'Id of the command that produced it; the same for every event of one command.' })
  commandId!: string;

  @Field(() => ID, { description: 'Id shared by everything one user action caused, across streams (see `causedBy`).' })
  correlationId!: string;

  @Field(() => ID, { description: 'Id of what caused it: the command, or the event a process reacted to.' })
  causationId!: string;

  @Field(() => String, { nullable: true, description: "The client's own id for the action (its `correlationId` input or `x-request-id`); never the trace's correlation id." })
  clientCorrelationId?: string | null;

  @Field(() => String, { nullable: true, description: 'Reason the actor gave, if the command has one.' })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: 'The idempotency key the command was sent with, if any.' })
  idempotencyKey!: string | null;

  @Field(() => GraphQLJSONObject, { description: "The event's data, exactly as recorded (in the shape of `schemaVersion`)." })
  data!: Record<string, unknown>;

  @Field(() => Int, {
    description: "Today's version of this event type's data shape; greater than `schemaVersion` when the event was recorded in an older shape.",
  })
  currentSchemaVersion!: number;

  @Field(() => GraphQLJSONObject, {
    description: 'The data in today\'s shape, as deciders and projections read it (upcast from `data` when the event is older; otherwise equal to it).',
  })
  currentData!: Record<string, unknown>;

  @Field(() => String, {
    nullable: true,
    description: 'SHA-256 (hex) of this event\'s content, chained to the previous event of its stream; null for an event appended without one (docs/audit.md).',
  })
  hash!: string | null;

  @Field(() => String, { nullable: true, description: 'The hash of the previous event of the stream this event is chained to; null at the start of a chain.' })
  previousHash!: string | null;
}

export const AuditEventConnection = Connection(AuditEvent, 'AuditEvent');
