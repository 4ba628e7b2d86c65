import { IsInt, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { ChangeInput } from './command-input';
import { Id, OptionalText } from './validation';

@InputType({ description: 'Record the zone a unit stands in (شهرک یا لکه صنعتی محل استقرار واحد).' })
export class LinkUnitToZoneInput extends ChangeInput {
  @Field(() => ID, { description: 'The unit.' })
  @Id()
  unitId!: string;

  @Field(() => ID, { description: 'The industrial park, specialised park or cluster it stands in.' })
  @Id()
  zoneId!: string;
}

@InputType({
  description:
    "Correct or bring a unit's profile up to date (به‌روزرسانی مشخصات واحد). A field left out is left as it is; " +
    '`null` clears it (the sector cannot be cleared).',
})
export class UpdateUnitProfileInput extends ChangeInput {
  @Field(() => ID, { description: 'The unit.' })
  @Id()
  unitId!: string;

  @Field(() => Int, { nullable: true, description: 'Number of employees (تعداد شاغلان).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  headCount?: number | null;

  @Field(() => Float, { nullable: true, description: 'Percent of capacity in use, 0–100 (درصد ظرفیت فعال); under ~50 makes a unit semi-active.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  capacityUtilisation?: number | null;

  @Field(() => String, { nullable: true, description: 'ISIC activity code (کد آیسیک) as the permit states it: 4 to 10 digits, ASCII or Persian.' })
  @IsOptional()
  @Matches(/^[0-9۰-۹٠-٩]{4,10}$/u, { message: 'isicCode must be 4 to 10 digits' })
  isicCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Industry sector (بخش / رسته).' })
  @OptionalText(100)
  sector?: string | null;
}
