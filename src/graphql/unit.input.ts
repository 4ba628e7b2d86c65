import { IsEnum, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import type { ActivityStatus } from '../domain/unit';
import { ChangeInput, CommandInput } from './command-input';
import { ActivityStatusEnum } from './enums';
import { Id, OptionalText, Text } from './validation';

@InputType({ description: 'Register a production unit (ثبت واحد تولیدی).' })
export class RegisterUnitInput extends CommandInput {
  @Field({ description: 'Registered company name, as written.' })
  @Text(200)
  name!: string;

  @Field({ description: 'National ID (شناسه ملی): 10 or 11 digits, ASCII or Persian.' })
  @Matches(/^[0-9۰-۹٠-٩]{10,11}$/u, { message: 'nationalId must be 10 or 11 digits' })
  nationalId!: string;

  @Field({ description: 'Industry sector (بخش / رسته).' })
  @Text(100)
  sector!: string;

  @Field({ description: 'Province (استان).' })
  @Text(100)
  province!: string;

  @Field({ description: 'County (شهرستان).' })
  @Text(100)
  county!: string;

  @Field(() => String, { nullable: true, description: 'Industrial park, cluster or address (محل استقرار), optional.' })
  @OptionalText(300)
  location?: string | null;

  @Field(() => Int, { nullable: true, description: 'Number of employees (تعداد شاغلان), optional.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  headCount?: number | null;

  @Field(() => ActivityStatusEnum, { description: 'Activity status at registration (وضعیت فعالیت).' })
  @IsEnum(ActivityStatusEnum)
  activityStatus!: ActivityStatus;

  @Field(() => ID, { nullable: true, description: 'The industrial park or cluster it stands in.' })
  @IsOptional()
  @Id()
  zoneId?: string | null;

  @Field(() => String, { nullable: true, description: 'ISIC activity code.' })
  @IsOptional()
  @Matches(/^[A-Z0-9.]{1,10}$/, { message: 'isicCode must be an ISIC code (letters, digits, dots)' })
  isicCode?: string | null;

  @Field(() => Float, { nullable: true, description: 'Share of capacity in use, 0–100.' })
  @IsOptional()
  @Min(0)
  @Max(100)
  capacityUtilisation?: number | null;
}

@InputType({ description: "Change a unit's activity status, with the reason." })
export class ChangeUnitActivityStatusInput extends ChangeInput {
  @Field(() => ID, { description: 'The production unit (واحد تولیدی).' })
  @Id()
  unitId!: string;

  @Field(() => ActivityStatusEnum, { description: 'The new activity status (وضعیت فعالیت).' })
  @IsEnum(ActivityStatusEnum)
  status!: ActivityStatus;

  @Field({ description: 'Why, in the secretariat’s words; it goes into the unit’s history.' })
  @Text(2000)
  reason!: string;
}
