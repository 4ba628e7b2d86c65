import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { ObstacleCategory, ObstaclePriority, ObstacleStatus } from '../domain/obstacle';
import { Connection } from './connection';
import { Node } from './node';
import { ObstacleCategoryEnum, ObstaclePriorityEnum, ObstacleStatusEnum } from './enums';

@ObjectType({ implements: Node, description: 'An obstacle or case (مانع / پرونده) raised for a production unit.' })
export class Obstacle {
  @Field(() => ID, { description: 'Globally unique id (Relay `Node`): fetch it again with `obstacle(id:)` or `node(id:)`.' })
  id!: string;

  @Field(() => ID, { nullable: true, description: 'The unit the obstacle was raised for; null for a zone’s obstacle.' })
  unitId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The zone the obstacle was raised for (telecom, paving, utilities of a whole area).' })
  zoneId!: string | null;

  @Field(() => String, { nullable: true, description: "The unit's name when the obstacle was projected." })
  unitName!: string | null;

  @Field({ description: 'Province (استان) of the unit or zone.' })
  province!: string;

  @Field({ description: 'County (شهرستان) of the unit or zone.' })
  county!: string;

  @Field({ description: 'Short title, as raised (e.g. «بدهی معوق بیمه تامین اجتماعی»).' })
  title!: string;

  @Field({ description: 'What the problem is, as raised.' })
  description!: string;

  @Field(() => ObstacleCategoryEnum, { description: 'Kind of obstacle (نوع مانع).' })
  category!: ObstacleCategory;

  @Field(() => ObstaclePriorityEnum, { description: 'Priority (اولویت).' })
  priority!: ObstaclePriority;

  @Field(() => ObstacleStatusEnum, { description: 'Where it stands.' })
  status!: ObstacleStatus;

  @Field(() => String, { nullable: true, description: 'Agency the obstacle was referred to (دستگاه مسئول).' })
  leadAgency!: string | null;

  @Field(() => ID, { nullable: true, description: 'That agency in the registry, when it was referred by id.' })
  leadAgencyId!: string | null;

  @Field(() => [String], { description: 'Agencies asked to cooperate (دستگاه‌های همکار).' })
  cooperatingAgencies!: string[];

  @Field(() => Date, { nullable: true, description: 'Deadline set at referral (مهلت).' })
  deadline!: Date | null;

  @Field(() => Date, { description: 'When it was raised.' })
  raisedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was last referred to a lead agency.' })
  referredAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'The latest progress note (گزارش پیشرفت).' })
  lastProgressNote!: string | null;

  @Field(() => Date, { nullable: true, description: 'When progress was last recorded.' })
  lastProgressAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was resolved; null while open.' })
  resolvedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'How it was resolved, once it was.' })
  resolutionSummary!: string | null;

  @Field(() => Int, { description: 'How many times it was reopened after being resolved.' })
  timesReopened!: number;

  @Field({ description: "Revision of the obstacle's stream, for `expectedRevision`." })
  revision!: string;
}

export const ObstacleConnection = Connection(Obstacle, 'Obstacle');
