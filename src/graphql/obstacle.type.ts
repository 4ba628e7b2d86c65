import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { ObstacleCategory, ObstaclePriority, ObstacleStatus } from '../domain/obstacle';
import { Connection } from './connection';
import { Node } from './node';
import { ObstacleCategoryEnum, ObstaclePriorityEnum, ObstacleStatusEnum } from './enums';

@ObjectType({ implements: Node, description: 'An obstacle or case (مانع / پرونده) raised for a production unit.' })
export class Obstacle {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true, description: 'The unit the obstacle was raised for; null for a zone’s obstacle.' })
  unitId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The zone the obstacle was raised for (telecom, paving, utilities of a whole area).' })
  zoneId!: string | null;

  @Field(() => String, { nullable: true, description: "The unit's name when the obstacle was projected." })
  unitName!: string | null;

  @Field()
  province!: string;

  @Field()
  county!: string;

  @Field()
  title!: string;

  @Field()
  description!: string;

  @Field(() => ObstacleCategoryEnum)
  category!: ObstacleCategory;

  @Field(() => ObstaclePriorityEnum)
  priority!: ObstaclePriority;

  @Field(() => ObstacleStatusEnum)
  status!: ObstacleStatus;

  @Field(() => String, { nullable: true, description: 'Agency the obstacle was referred to (دستگاه مسئول).' })
  leadAgency!: string | null;

  @Field(() => ID, { nullable: true, description: 'That agency in the registry, when it was referred by id.' })
  leadAgencyId!: string | null;

  @Field(() => [String], { description: 'Agencies asked to cooperate (دستگاه‌های همکار).' })
  cooperatingAgencies!: string[];

  @Field(() => Date, { nullable: true, description: 'Deadline set at referral (مهلت).' })
  deadline!: Date | null;

  @Field(() => Date)
  raisedAt!: Date;

  @Field(() => Date, { nullable: true })
  referredAt!: Date | null;

  @Field(() => String, { nullable: true })
  lastProgressNote!: string | null;

  @Field(() => Date, { nullable: true })
  lastProgressAt!: Date | null;

  @Field(() => Date, { nullable: true })
  resolvedAt!: Date | null;

  @Field(() => String, { nullable: true })
  resolutionSummary!: string | null;

  @Field(() => Int)
  timesReopened!: number;

  @Field({ description: "Revision of the obstacle's stream, for `expectedRevision`." })
  revision!: string;
}

export const ObstacleConnection = Connection(Obstacle, 'Obstacle');
