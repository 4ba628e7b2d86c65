import { IsEnum } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import type { ConversionStage, ZoneKind } from '../domain/zone';
import { ChangeInput, CommandInput } from './command-input';
import { ConversionStageEnum, ZoneKindEnum } from './enums';
import { AnyText, Id, OptionalText, Text } from './validation';

@InputType({
  description:
    'Register a zone (ثبت منطقه): an industrial park (شهرک صنعتی), a specialised park (شهرک تخصصی) or an industrial cluster ' +
    '(لکه صنعتی). A cluster starts at the IDENTIFIED stage of its conversion.',
})
export class RegisterZoneInput extends CommandInput {
  @Field({ description: 'Name, e.g. «شهرک صنعتی خوارزمی» or «لکه صنعتی چهاردانگه».' })
  @Text(200)
  name!: string;

  @Field(() => ZoneKindEnum, { description: 'Park, specialised park or cluster.' })
  @IsEnum(ZoneKindEnum)
  kind!: ZoneKind;

  @Field({ description: 'Province (استان).' })
  @Text(100)
  province!: string;

  @Field({ description: 'County (شهرستان).' })
  @Text(100)
  county!: string;
}

@InputType({
  description:
    "Move a cluster's conversion into a non-governmental park forward (پیشبرد تبدیل لکه صنعتی). Stages may be skipped, never undone; " +
    'at CONVERTED the cluster becomes a non-governmental industrial park.',
})
export class AdvanceClusterConversionInput extends ChangeInput {
  @Field(() => ID, { description: 'The cluster.' })
  @Id()
  zoneId!: string;

  @Field(() => ConversionStageEnum, { description: 'The stage reached.' })
  @IsEnum(ConversionStageEnum)
  stage!: ConversionStage;

  @Field({ defaultValue: '', description: 'What was done or decided, e.g. «مجوز تاسیس شهرک غیردولتی صادر شد».' })
  @AnyText(2000)
  note!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Required when `stage` is not the next one: why the stages between are passed over (recorded with them, as a skip).',
  })
  @OptionalText(1000)
  skipReason?: string | null;
}
