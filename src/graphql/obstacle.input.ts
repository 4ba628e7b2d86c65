import { IsDate, IsEnum, IsString, Length } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import type { ObstacleCategory, ObstaclePriority } from '../domain/obstacle';
import { ChangeInput, CommandInput } from './command-input';
import { ObstacleCategoryEnum, ObstaclePriorityEnum } from './enums';
import { AgencyList, Id, Text } from './validation';

@InputType({ description: 'Raise an obstacle for a unit (طرح مانع).' })
export class RaiseObstacleInput extends CommandInput {
  @Field(() => ID)
  @Id()
  unitId!: string;

  @Field()
  @Text(300)
  title!: string;

  @Field({ defaultValue: '' })
  @IsString()
  @Length(0, 5000)
  description!: string;

  @Field(() => ObstacleCategoryEnum)
  @IsEnum(ObstacleCategoryEnum)
  category!: ObstacleCategory;

  @Field(() => ObstaclePriorityEnum, { defaultValue: 'NORMAL' })
  @IsEnum(ObstaclePriorityEnum)
  priority!: ObstaclePriority;
}

@InputType({ description: 'Refer an obstacle to a lead agency with a deadline (ارجاع).' })
export class ReferObstacleInput extends ChangeInput {
  @Field(() => ID)
  @Id()
  obstacleId!: string;

  @Field()
  @Text(200)
  leadAgency!: string;

  @Field(() => [String], { defaultValue: [] })
  @AgencyList()
  cooperatingAgencies!: string[];

  @Field(() => Date)
  @IsDate()
  deadline!: Date;
}

@InputType({ description: 'Record progress the lead agency reported.' })
export class RecordObstacleProgressInput extends ChangeInput {
  @Field(() => ID)
  @Id()
  obstacleId!: string;

  @Field()
  @Text(5000)
  note!: string;
}

@InputType({ description: 'Resolve an obstacle (رفع مانع), with a summary of how.' })
export class ResolveObstacleInput extends ChangeInput {
  @Field(() => ID)
  @Id()
  obstacleId!: string;

  @Field()
  @Text(5000)
  resolutionSummary!: string;
}

@InputType({ description: 'Reopen a resolved obstacle, with the reason.' })
export class ReopenObstacleInput extends ChangeInput {
  @Field(() => ID)
  @Id()
  obstacleId!: string;

  @Field()
  @Text(2000)
  reason!: string;
}
