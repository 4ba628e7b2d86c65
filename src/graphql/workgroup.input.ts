import { IsEnum } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import type { WorkgroupLevel } from '../domain/workgroup';
import { CommandInput } from './command-input';
import { WorkgroupLevelEnum } from './enums';
import { OptionalText, Text } from './validation';

@InputType({
  description:
    'Register a facilitation body (ثبت کارگروه): a COUNTY body names its province and county, a PROVINCE body only its province, ' +
    'the NATIONAL headquarters neither (otherwise BAD_USER_INPUT).',
})
export class RegisterWorkgroupInput extends CommandInput {
  @Field(() => WorkgroupLevelEnum, { description: 'County, province or national.' })
  @IsEnum(WorkgroupLevelEnum)
  level!: WorkgroupLevel;

  @Field({ description: 'Name, e.g. «کارگروه ستاد تسهیل و رفع موانع تولید شهرستان پاکدشت».' })
  @Text(300)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Province (استان).' })
  @OptionalText(100)
  province?: string | null;

  @Field(() => String, { nullable: true, description: 'County (شهرستان).' })
  @OptionalText(100)
  county?: string | null;
}
