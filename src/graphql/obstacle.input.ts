import { IsEnum, IsOptional, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { OBSTACLE_SOURCE_KINDS, type ObstacleCategory, type ObstaclePriority } from '../domain/obstacle';
import { AssignmentInput, ChangeInput, CommandInput } from './command-input';
import { asEnum, ObstacleCategoryEnum, ObstaclePriorityEnum } from './enums';
import { registerEnumType } from 'type-graphql';

type ObstacleSourceKind = (typeof OBSTACLE_SOURCE_KINDS)[number];
export const ObstacleSourceKindEnum = asEnum(OBSTACLE_SOURCE_KINDS);
registerEnumType(ObstacleSourceKindEnum, {
  name: 'ObstacleSourceKind',
  description: 'A meeting (جلسه) or a field visit (بازدید).',
  valuesConfig: {
    MEETING: { description: 'Found in a workgroup meeting (جلسه).' },
    VISIT: { description: 'Found on a field visit (بازدید).' },
  },
});
import { AnyText, Id, Text } from './validation';

@InputType({ description: 'Where an obstacle came to light: a meeting or a field visit.' })
export class ObstacleSourceInput {
  @Field(() => ObstacleSourceKindEnum, { description: 'A meeting (جلسه) or a field visit (بازدید).' })
  @IsEnum(ObstacleSourceKindEnum)
  kind!: ObstacleSourceKind;

  @Field(() => ID, { description: 'Id of the meeting or visit.' })
  @Id()
  id!: string;
}

@InputType({ description: 'Raise an obstacle (طرح مانع) for a unit, or for a whole zone (telecom, paving, utilities of an area).' })
export class RaiseObstacleInput extends CommandInput {
  @Field(() => ID, { nullable: true, description: 'The unit; give this or `zoneId`.' })
  @IsOptional()
  @Id()
  unitId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The zone; give this or `unitId`.' })
  @IsOptional()
  @Id()
  zoneId?: string | null;

  @Field(() => ObstacleSourceInput, { nullable: true, description: 'The meeting or visit it was found in.' })
  @IsOptional()
  @ValidateNested()
  source?: ObstacleSourceInput | null;

  @Field({ description: 'Short title (e.g. «بدهی معوق بیمه تامین اجتماعی»).' })
  @Text(300)
  title!: string;

  @Field({ defaultValue: '', description: 'What the problem is, in the secretariat’s words.' })
  @AnyText(5000)
  description!: string;

  @Field(() => ObstacleCategoryEnum, { description: 'Kind of obstacle (نوع مانع).' })
  @IsEnum(ObstacleCategoryEnum)
  category!: ObstacleCategory;

  @Field(() => ObstaclePriorityEnum, { defaultValue: 'NORMAL', description: 'Priority (اولویت); NORMAL by default.' })
  @IsEnum(ObstaclePriorityEnum)
  priority!: ObstaclePriority;
}

@InputType({ description: 'Refer an obstacle to a lead agency with a deadline (ارجاع).' })
export class ReferObstacleInput extends AssignmentInput {
  @Field(() => ID, { description: 'The obstacle (مانع) to refer; a resolved one is INVALID_TRANSITION.' })
  @Id()
  obstacleId!: string;

}

@InputType({ description: 'Record progress the lead agency reported.' })
export class RecordObstacleProgressInput extends ChangeInput {
  @Field(() => ID, { description: 'The referred obstacle (مانع).' })
  @Id()
  obstacleId!: string;

  @Field({ description: 'What was done (گزارش پیشرفت).' })
  @Text(5000)
  note!: string;
}

@InputType({ description: 'Resolve an obstacle (رفع مانع), with a summary of how.' })
export class ResolveObstacleInput extends ChangeInput {
  @Field(() => ID, { description: 'The obstacle (مانع) to resolve; refused while a resolution about it is unsettled.' })
  @Id()
  obstacleId!: string;

  @Field({ description: 'How it was resolved.' })
  @Text(5000)
  resolutionSummary!: string;
}

@InputType({ description: 'Reopen a resolved obstacle, with the reason.' })
export class ReopenObstacleInput extends ChangeInput {
  @Field(() => ID, { description: 'The resolved obstacle (مانع) to reopen.' })
  @Id()
  obstacleId!: string;

  @Field({ description: 'Why it is reopened.' })
  @Text(2000)
  reason!: string;
}
