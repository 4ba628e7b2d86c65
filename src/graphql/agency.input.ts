import { IsEnum } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import type { AgencyKind } from '../domain/agency';
import { ChangeInput, CommandInput } from './command-input';
import { AgencyKindEnum } from './enums';
import { Id, OptionalText, Text } from './validation';

@InputType({ description: 'Register an agency (ثبت دستگاه اجرایی).' })
export class RegisterAgencyInput extends CommandInput {
  @Field({ description: 'Name, as resolutions will name it (e.g. «بانک ملی شعبه پاکدشت»).' })
  @Text(200)
  name!: string;

  @Field(() => AgencyKindEnum, { description: 'What kind of agency it is.' })
  @IsEnum(AgencyKindEnum)
  kind!: AgencyKind;

  @Field({ description: 'Province (استان).' })
  @Text(100)
  province!: string;

  @Field(() => String, { nullable: true, description: 'County (شهرستان); leave out for a provincial office.' })
  @OptionalText(100)
  county?: string | null;
}

@InputType({ description: 'Rename an agency, e.g. after offices merged (تغییر نام دستگاه). Its former name is kept.' })
export class RenameAgencyInput extends ChangeInput {
  @Field(() => ID, { description: 'The agency to rename.' })
  @Id()
  agencyId!: string;

  @Field({ description: 'The new name.' })
  @Text(200)
  name!: string;
}

@InputType({ description: 'Deactivate an agency that was merged or dissolved (غیرفعال کردن دستگاه). It is never deleted.' })
export class DeactivateAgencyInput extends ChangeInput {
  @Field(() => ID, { description: 'The agency to deactivate.' })
  @Id()
  agencyId!: string;

  @Field({ description: 'Why, e.g. «ادغام در اداره کل».' })
  @Text(2000)
  reason!: string;
}
