import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { ActivityStatus } from '../domain/unit';
import type { TimelineKind } from '../../projections/unit-history';
import { Connection } from './connection';
import { Node } from './node';
import { ActivityStatusEnum, TimelineKindEnum } from './enums';

@ObjectType({ implements: Node, description: 'A production unit (واحد تولیدی) followed by a workgroup.' })
export class Unit {
  @Field(() => ID, { description: 'Globally unique id (Relay `Node`): fetch it again with `unit(id:)` or `node(id:)`.' })
  id!: string;

  @Field({ description: 'Registered company name, as given (Persian text is stored unchanged).' })
  name!: string;

  @Field({ description: 'National ID of the legal entity (شناسه ملی), ASCII digits.' })
  nationalId!: string;

  @Field({ description: 'Industry sector (بخش / رسته).' })
  sector!: string;

  @Field({ description: 'Province (استان).' })
  province!: string;

  @Field({ description: 'County (شهرستان).' })
  county!: string;

  @Field(() => String, { nullable: true, description: 'Industrial park, cluster or address (محل استقرار).' })
  location!: string | null;

  @Field(() => Int, { nullable: true, description: 'Number of employees (تعداد شاغلان).' })
  headCount!: number | null;

  @Field(() => String, { nullable: true, description: 'ISIC activity code, when known.' })
  isicCode!: string | null;

  @Field(() => Float, { nullable: true, description: 'Share of capacity in use, 0–100 % (ظرفیت تولید).' })
  capacityUtilisation!: number | null;

  @Field(() => ActivityStatusEnum, { description: 'Activity status (وضعیت فعالیت): active, semi-active or inactive.' })
  activityStatus!: ActivityStatus;

  @Field(() => String, { nullable: true, description: 'Reason given for the latest status change.' })
  statusReason!: string | null;

  @Field(() => Date, { description: 'When its activity status last changed (or it was registered).' })
  statusChangedAt!: Date;

  @Field(() => Date, { description: 'When it was registered.' })
  registeredAt!: Date;

  @Field(() => Int, { description: 'Obstacles raised for this unit that are not resolved.' })
  openObstacleCount!: number;

  @Field({ description: "Revision of the unit's stream; pass it as `expectedRevision` to guard against concurrent edits." })
  revision!: string;
}

export const UnitConnection = Connection(Unit, 'Unit');

@ObjectType({ description: "One entry of a unit's history (سوابق واحد)." })
export class TimelineEntry {
  @Field(() => TimelineKindEnum, { description: 'What happened.' })
  kind!: TimelineKind;

  @Field({ description: 'Short Persian description of what happened.' })
  summary!: string;

  @Field(() => Date, { description: 'When it happened, as decided by the command.' })
  occurredAt!: Date;

  @Field({ description: 'Who did it.' })
  actor!: string;

  @Field({ description: 'UNIT, OBSTACLE, MEETING or RESOLUTION.' })
  subjectType!: string;

  @Field(() => ID, { description: 'Id of the unit, obstacle, meeting or resolution concerned.' })
  subjectId!: string;

  @Field({ description: 'Type of the event behind this entry.' })
  eventType!: string;

  @Field(() => ID, { description: 'Id of that event.' })
  eventId!: string;

  @Field({ description: 'Global position of that event in the store.' })
  position!: string;
}

export const TimelineConnection = Connection(TimelineEntry, 'Timeline');
